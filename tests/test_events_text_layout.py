"""Line breaks: a hard-wrapped paragraph is one text; headings and chrome lines stand alone.

Texts written for this test. Run through the real pipeline (spaCy + gazetteer).
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.model import Article

pytestmark = pytest.mark.slow

PUBLISHED = dt.date(2023, 3, 9)  # a Thursday


@pytest.fixture(scope="module")
def sents(pipeline):
    def go(text: str) -> list[str]:
        return [s.text.strip() for s in pipeline.nlp(text).sents]
    return go


def test_wrapped_paragraph_sentence_spans_its_line_breaks(sents):
    text = ("Government troops clashed with rebel fighters near the northern town of\n"
            "Bossangoa on Tuesday, killing at least six of them, a military spokesman told\n"
            "reporters in the capital on Wednesday evening.\n")
    [only] = sents(text)
    assert only.startswith("Government troops") and only.endswith("evening.")


def test_headings_and_chrome_lines_stay_apart(sents):
    text = ("Clashes near Bossangoa\n\nBy a staff reporter\nLeave a Reply\nRelated posts\n"
            "Government troops clashed with rebel fighters near Bossangoa on Tuesday, officials said.\n")
    out = sents(text)
    assert "Clashes near Bossangoa" in out
    assert not any("Leave a Reply" in s and "Government troops" in s for s in out)
    assert any(s.startswith("Government troops") for s in out)


def test_all_caps_wire_sentence_is_not_cut_mid_line(sents):
    text = ("   BANGUI, 7 MAR 23 -- GOVERNMENT TROOPS CLASHED WITH REBEL FIGHTERS NEAR THE\n"
            "NORTHERN TOWN OF BOSSANGOA YESTERDAY, KILLING SIX OF THEM, A MILITARY\n"
            "SPOKESMAN SAID.  THE ARMY ADDED THAT TWO SOLDIERS WERE WOUNDED IN THE\n"
            "FIGHTING.\n")
    out = sents(text)
    assert any(s.endswith("SPOKESMAN SAID.") and "BOSSANGOA YESTERDAY" in s for s in out)
    assert any(s.startswith("THE ARMY ADDED") and s.endswith("FIGHTING.") for s in out)


def test_the_attack_took_place_reports_an_event_when_none_came_before(pipeline):
    text = "The attack took place on Tuesday night at a market in Bossangoa, police said."
    events = pipeline.process(Article(text=text, published=PUBLISHED)).to_dict()["events"]
    assert [e["date"] for e in events if e["event_type"]] == ["2023-03-07"]


def _release(sep: str) -> str:
    return (f"Press Release 2023-03-S-041{sep}For Immediate Release{sep}{sep}BAMAKO, Mali (March 9, 2023){sep}"
            "Malian troops killed four militants during an operation near Douentza, Mopti region, yesterday, "
            "the army said.")


def test_line_separators_end_lines_like_line_breaks(pipeline):
    # U+2028 (pasted from a press release) is a line break: the dateline stays the dateline,
    # the event is where the body says, and the evidence still reads the text as it came
    for sep in ("\n", "\u2028"):
        text = _release(sep)
        [e] = pipeline.process(Article(text=text, published=PUBLISHED)).events
        assert e.place.admin1 == "Mopti" and e.date == "2023-03-08" and e.fatalities == 4, repr(sep)
        [span] = e.evidence
        assert text[span.start:span.end] == span.text and span.text.startswith("Malian troops")


def test_a_sentence_does_not_end_inside_a_two_part_place_name(sents):
    # "Wa" (Arabic "and") joins the two halves of many district names; the parser used to end
    # the sentence before it, leaving "in Khwaja Bahauddin Wa" without its district
    text = "Two policemen were killed in an ambush in Khaki Wa Jabbar district, Kabul, on Monday."
    [only] = sents(text)
    assert only.endswith("on Monday.")


def test_a_heading_run_into_the_next_sentence_still_ends_before_the_opener(sents):
    # the positive twin: a word that opens sentences ("The") after a run-in heading still may
    text = "The army shelled the town. Mali The army said on Monday that it had retaken the town."
    out = sents(text)
    assert out[0] == "The army shelled the town."
    assert any(s.startswith("The army said") for s in out)


def test_the_acronym_is_reads_as_a_name_not_the_verb(pipeline):
    out = pipeline.process(Article(text="Troops said six IS fighters died when a drone hit their hideout in "
                                        "Achin district, Nangarhar, on Monday.", published=PUBLISHED)).to_dict()
    [e] = out["events"]
    assert e["fatalities"] == 6 and e["actor2"] == "Islamic State"


def test_the_verb_is_in_a_shouted_headline_stays_a_verb(pipeline):
    # the positive twin: in capitals "IS" is the word, and the headline reports nothing
    out = pipeline.process(Article(text="THE CEASEFIRE IS HOLDING, SAYS ENVOY", published=PUBLISHED)).to_dict()
    assert out["events"] == []
    doc = pipeline.nlp("THE CEASEFIRE IS HOLDING, SAYS ENVOY")
    assert doc[2].norm_ == "is"
