"""An event told once is one event: later sentences that name it again ("condemned the
attack") add none, and a subject negated by "no" reports nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.model import Article

PUBLISHED = dt.date(2024, 2, 12)


def _events(pipeline, text):
    return pipeline.process(Article(text=text, published=PUBLISHED)).events


@pytest.mark.slow
def test_condemning_the_attack_adds_no_event(pipeline):
    text = ("Gunmen attacked a bus near the town of Kaya on Sunday, killing nine passengers, officials said. "
            "Regional leaders condemned the attack and called the shooting a massacre.")
    events = [e for e in _events(pipeline, text) if e.sub_event_type]
    assert len(events) == 1
    assert events[0].fatalities == 9 and events[0].place.name == "Kaya"


@pytest.mark.slow
def test_a_new_attack_named_with_the_and_a_place_is_still_an_event(pipeline):
    text = ("Gunmen attacked a bus near the town of Kaya on Sunday, killing nine passengers, officials said. "
            "On Monday the army reported the capture of the town of Djibo by militants.")
    events = [e for e in _events(pipeline, text) if e.sub_event_type]
    assert len(events) == 2
    taken = [e for e in events if e.sub_event_type in ("Non-state actor overtakes territory",
                                                       "Government regains territory")]
    assert [e.place.name for e in taken] == ["Djibo"]


@pytest.mark.slow
def test_no_one_killed_is_not_a_killing(pipeline):
    text = "No civilians were killed when a drone fell on a field near the town of Kaya on Sunday, police said."
    assert all(e.fatalities in (0, None) for e in _events(pipeline, text))
    assert not any(e.sub_event_type == "Attack" for e in _events(pipeline, text))


def test_the_bombing_of_a_place_that_continued_is_news_of_that_day(pipeline):
    [e] = _events(pipeline, "The bombing of towns near Hama continued on Tuesday, activists said.")
    assert e.sub_event_type == "Air/drone strike" and e.date == "2024-02-06"


def test_the_fighting_continued_alone_reports_nothing_new(pipeline):
    assert _events(pipeline, "The fighting continued.") == ()


def test_plural_nouns_report_events_too(pipeline):
    [e] = _events(pipeline, "Explosions rocked the centre of Kabul on Monday morning.")
    assert e.sub_event_type == "Remote explosive/landmine/IED" and e.date == "2024-02-12"
    assert [e.place.name for e in _events(pipeline, "Two bomb attacks were carried out in Quito last night.")] == ["Quito"]


def test_plural_nouns_of_an_aggregate_are_no_event(pipeline):
    assert _events(pipeline, "Attacks by the group have killed more than 500 people since 2011.") == ()
    assert _events(pipeline, "Gold mines in the region employ thousands of people.") == ()
