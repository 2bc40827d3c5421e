"""All-caps wire copy is parsed in ordinary case, and reported in its own.

Texts written for this test. The unit tests need no model; the last ones run the
real pipeline (spaCy + gazetteer).
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.casing import is_shouting, restore_case
from sitrep.model import Article

WIRE = ("NAIROBI, 4 FEB 24 -- GUNMEN ATTACKED A POLICE POST IN THE TOWN OF GARISSA\n"
        "LAST NIGHT, KILLING THREE OFFICERS, THE U.S. EMBASSY AND LOCAL OFFICIALS SAID.\n"
        "THE ATTACKERS FLED TOWARDS THE SOMALI BORDER.\n")


def test_capitals_only_text_is_shouting():
    assert is_shouting(WIRE)


def test_ordinary_text_and_short_headlines_are_not_shouting():
    assert not is_shouting(WIRE.capitalize())
    assert not is_shouting("GUNMEN ATTACK POLICE POST")  # a headline: too short to judge


def test_restored_copy_has_the_same_length_and_sentence_case():
    out = restore_case(WIRE)
    assert len(out) == len(WIRE)
    assert out.lower() == WIRE.lower()
    assert out.startswith("Nairobi, 4 feb 24 -- Gunmen attacked a police post")
    assert "\nThe attackers fled" in out


def test_dotted_abbreviations_keep_their_capitals_and_do_not_end_a_sentence():
    out = restore_case(WIRE)
    assert "the U.S. embassy" in out


def test_names_the_callback_knows_are_capitalised_even_across_a_line_break():
    known = {"garissa", "new york"}
    out = restore_case("TROOPS MOVED FROM NEW\nYORK TO GARISSA", lambda p: p in known)
    assert out == "Troops moved from New\nYork to Garissa"


def test_words_the_callback_does_not_know_stay_lower_case():
    out = restore_case("TROOPS MOVED TO GARISSA", lambda p: False)
    assert out == "Troops moved to garissa"


def test_words_joined_by_a_comma_or_a_full_stop_are_never_one_name():
    # Long words before a comma once sent the name test into exponential backtracking;
    # this text hung the parse. Joined by a space, the same words are a name.
    known = {"abcdefghijklmnopqrstuvwxyzab cdefghijklmnopqrstuvwx", "garissa"}
    out = restore_case("ABCDEFGHIJKLMNOPQRSTUVWXYZAB, CDEFGHIJKLMNOPQRSTUVWX MOVED TO GARISSA",
                       lambda p: p in known)
    assert out == "Abcdefghijklmnopqrstuvwxyzab, cdefghijklmnopqrstuvwx moved to Garissa"
    out = restore_case("ABCDEFGHIJKLMNOPQRSTUVWXYZAB CDEFGHIJKLMNOPQRSTUVWX MOVED TO GARISSA",
                       lambda p: p in known)
    assert out == "Abcdefghijklmnopqrstuvwxyzab Cdefghijklmnopqrstuvwx moved to Garissa"


@pytest.mark.slow
def test_shouting_article_gives_its_event_with_spans_in_the_original_text(pipeline):
    result = pipeline.process(Article(text=WIRE, published=dt.date(2024, 2, 4)))
    [e] = [e for e in result.events if e.sub_event_type]
    assert e.sub_event_type == "Armed clash"  # gunmen against the police
    assert e.actor1 == "Unidentified Armed Group (Kenya)" and e.actor2 == "Police Forces of Kenya"
    assert e.place.name == "Garissa"  # the scene, not the dateline
    assert e.fatalities == 3 and e.date == "2024-02-03"
    for span in e.evidence:
        assert span.text == WIRE[span.start: span.end] and span.text.isupper()


@pytest.mark.slow
def test_mixed_case_article_gives_the_same_event(pipeline):
    text = ("Nairobi, 4 Feb 24 -- Gunmen attacked a police post in the town of Garissa\n"
            "last night, killing three officers, the U.S. embassy and local officials said.\n"
            "The attackers fled towards the Somali border.\n")
    [e] = [e for e in pipeline.process(Article(text=text, published=dt.date(2024, 2, 4))).events
           if e.sub_event_type]
    assert (e.sub_event_type, e.actor1, e.actor2) == (
        "Armed clash", "Unidentified Armed Group (Kenya)", "Police Forces of Kenya")
    assert e.place.name == "Garissa" and e.fatalities == 3
    assert not any(span.text.isupper() for span in e.evidence)
