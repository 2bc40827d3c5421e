"""The event engine's steps used on their own: trigger words, vetting rules, fillers.

Each step takes a real spaCy parse and the article's ``ArticleState``; nothing
is kept on the extractor between articles.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.events import EventExtractor
from sitrep.events.countries import Countries
from sitrep.events.fill import draft
from sitrep.events.frame import vet
from sitrep.events.state import ArticleState, actor_context
from sitrep.events.triggers import triggers
from sitrep.model import Article

pytestmark = pytest.mark.slow

DAY = dt.date(2023, 5, 14)


def _read(pipeline, text):
    doc = pipeline.nlp(text)
    mentions = pipeline.geoparser.parse(doc.text, [(e.start_char, e.end_char, e.label_) for e in doc.ents])
    countries = Countries(pipeline.gazetteer)
    return doc, mentions, ArticleState.read(doc, DAY, mentions, actor_context(doc, mentions, countries), countries)


def _vetted(pipeline, text, word):
    """The frame the rules make of ``word`` in the first sentence of ``text`` (None: rejected)."""
    doc, mentions, state = _read(pipeline, text)
    sent = next(iter(doc.sents))
    found = [(t, c) for t, c in triggers(sent) if t.lower_ == word]
    assert found, f"{word!r} is no trigger in {text!r}: {[(t.text, c) for t, c in triggers(sent)]}"
    tok, category = found[0]
    in_sent = [m for m in mentions if m.place and sent.start_char <= m.start < sent.end_char]
    return vet(tok, category, sent, in_sent, state), state


def test_forces_leaving_a_town_is_a_withdrawal_from_it(pipeline):
    f, state = _vetted(pipeline, "Russian troops left the city of Kherson on Friday after months of occupation.",
                       "left")
    assert f is not None and f.category == "withdraw"
    d = draft(f, 0, 0, state)
    assert d is not None and d.place is not None and d.place.place.name == "Kherson"
    assert d.actor1 == "Military Forces of Russia"


def test_a_blast_leaving_a_city_without_power_is_no_withdrawal(pipeline):
    f, _ = _vetted(pipeline, "The blast left the city of Kherson without power on Friday, officials said.", "left")
    assert f is None


def test_a_town_falling_to_a_group_is_its_capture(pipeline):
    f, _ = _vetted(pipeline, "Kunduz fell to the Taliban on Sunday after days of fighting.", "fell")
    assert f is not None and f.category == "capture"
    assert f.subj is not None and "Taliban" in f.subj.text


def test_prices_falling_are_no_capture(pipeline):
    f, _ = _vetted(pipeline, "Wheat prices fell to a record low on Sunday in Chicago.", "fell")
    assert f is None


def test_fillers_read_a_plan_as_planned_and_a_report_as_happened(pipeline):
    planned, state = _vetted(pipeline, "Army units will attack the town of Bakhmut on Monday, a commander said.",
                             "attack")
    d = draft(planned, 0, 0, state)
    assert d is not None and d.status == "planned"
    done, state = _vetted(pipeline, "Army units attacked the town of Bakhmut on Saturday, a commander said.",
                          "attacked")
    d = draft(done, 0, 0, state)
    assert d is not None and d.status == "happened"
    assert d.when is not None and d.when.date == dt.date(2023, 5, 13)


def test_one_extractor_reads_each_article_as_if_it_were_the_first(pipeline):
    first = ("Gunmen attacked a police station in Kano on Saturday, killing two officers.\n\n"
             "The army condemned the attack and said the attackers had fled.")
    second = "The army condemned the attack on Saturday in Kano, officials said."

    def events(extractor, text):
        doc, mentions, _ = _read(pipeline, text)
        found, _stats = extractor.extract(doc, Article(text=text, id="a", published=DAY), mentions)
        return [(e.sub_event_type, e.actor1, e.date, e.evidence) for e in found]

    shared = EventExtractor(pipeline.gazetteer)
    events(shared, first)
    assert events(shared, second) == events(EventExtractor(pipeline.gazetteer), second)


def _events(pipeline, text):
    return pipeline.process(Article(text=text, id="t", published=DAY)).events


def test_a_state_bombing_is_done_by_its_forces(pipeline):
    [e] = _events(pipeline, "The Syrian government bombed the town of Douma on Saturday, killing 12 civilians.")
    assert e.event_type == "Explosions/Remote violence" and e.actor1 == "Military Forces of Syria"


def test_a_state_signing_an_agreement_is_its_government(pipeline):
    [e] = _events(pipeline, "The Syrian government signed a ceasefire agreement with the rebels in Douma on Saturday.")
    assert e.sub_event_type == "Agreement" and e.actor1 == "Government of Syria"


def test_a_clash_with_one_side_named_takes_the_other_from_the_article(pipeline):
    text = ("Islamic State fighters attacked positions near the town of Mayadin on Tuesday, residents said. "
            "The Syrian Democratic Forces have fought the jihadists for months, and the SDF said on Monday "
            "that it had advanced.")
    clash = next(e for e in _events(pipeline, text) if e.actor1 == "Islamic State")
    assert clash.sub_event_type == "Armed clash" and clash.actor2.startswith("SDF")


def test_a_clash_in_an_article_naming_no_other_side_keeps_actor2_empty(pipeline):
    [e] = _events(pipeline, "Islamic State fighters attacked positions near the town of Mayadin on Tuesday, residents said.")
    assert e.sub_event_type == "Armed clash" and e.actor1 == "Islamic State" and e.actor2 is None
