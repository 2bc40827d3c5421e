"""The screen in the real pipeline: a sentence it rules out is neither encoded nor an event,
and with the shipped screen the same report comes out as before. Made-up reports."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.classify import steps
from sitrep.classify.features import encoder
from sitrep.events import EventExtractor
from sitrep.model import Article

pytestmark = pytest.mark.slow

REPORT = ("Rebels attacked an army post near the town of Kidal on Tuesday, killing four soldiers, "
          "the army said in a statement.")


class NothingPasses:
    floor = 1.0

    def passes(self, sentence, context, tags=None) -> bool:
        return False


def _extract(pipeline, extractor) -> list:
    article = Article(text=REPORT, published=dt.date(2024, 5, 2))
    doc = pipeline.nlp(article.text)
    mentions = pipeline.geoparser.parse(doc.text, [(e.start_char, e.end_char, e.label_) for e in doc.ents])
    events, _ = extractor.extract(doc, article, mentions)
    return [e for e in events if e.sub_event_type]


def test_a_sentence_the_screen_rules_out_is_never_encoded(pipeline):
    encoder()._cache.pop(REPORT, None)
    events = _extract(pipeline, EventExtractor(pipeline.gazetteer, screen=NothingPasses()))
    assert events == []
    assert REPORT not in encoder()._cache


def test_the_shipped_screen_lets_the_report_through_and_it_is_encoded(pipeline):
    encoder()._cache.pop(REPORT, None)
    events = _extract(pipeline, EventExtractor(pipeline.gazetteer, screen=steps.get_step("screen")))
    assert [e.sub_event_type for e in events] == ["Attack"] or [e.sub_event_type for e in events] == ["Armed clash"]
    assert events[0].fatalities == 4
    assert REPORT in encoder()._cache
