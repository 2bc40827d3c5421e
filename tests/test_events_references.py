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


@pytest.mark.slow
def test_strikes_on_other_targets_in_the_next_sentence_are_another_event(pipeline):
    text = ("Coalition jets struck Houthi positions near Marib on Tuesday, killing 30 rebel fighters, "
            "the coalition said. Separate air strikes on Sirwah, a town in Marib province, killed at "
            "least six civilians on Tuesday, a local rights group said.")
    events = sorted(_events(pipeline, text), key=lambda e: e.fatalities or 0)
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Air/drone strike", 6), ("Air/drone strike", 30)]
    assert events[0].actor2.startswith("Civilians")
    # the town the province holds is where the strikes fell, not the province around it
    assert events[0].place.feature_code.startswith("PPL") and events[0].place.admin1 == events[1].place.admin1


@pytest.mark.slow
def test_the_same_strikes_told_again_stay_one_event(pipeline):
    text = ("Coalition jets struck Houthi positions near Marib on Tuesday, killing 30 rebel fighters, "
            "the coalition said. The strikes on the rebel positions killed 30 Houthi fighters and "
            "destroyed two launchers, a spokesman added.")
    events = [e for e in _events(pipeline, text) if e.sub_event_type]
    assert [(e.sub_event_type, e.fatalities) for e in events] == [("Air/drone strike", 30)]


@pytest.mark.slow
def test_dawn_on_a_weekday_dates_the_event_to_that_day(pipeline):
    # PUBLISHED is a Monday: "at dawn on Saturday" is two days before it, "at dawn" alone is today
    [e] = _events(pipeline, "Militants attacked a checkpoint at dawn on Saturday, wounding two guards, officials said.")
    assert e.date == "2024-02-10"
    [e] = _events(pipeline, "Militants attacked a checkpoint at dawn, wounding two guards, officials said.")
    assert e.date == PUBLISHED.isoformat()


@pytest.mark.slow
def test_an_event_with_no_place_takes_a_town_named_just_before_not_one_far_back(pipeline):
    near = ("Militants attacked an army post near Menaka on Monday, killing four soldiers, the army said. "
            "In Gao, the governor met tribal elders on Tuesday. "
            "Militants attacked a checkpoint on Wednesday, wounding two guards, officials said.")
    far = near.replace("the army said. ", "the army said. The region has seen years of violence. "
                       "Many villagers have fled to camps. Prices at the market have doubled. ")
    # a few sentences on, the same kind of event is told at the same place as the one before it
    assert [e.place.name for e in _events(pipeline, near)] == ["Menaka", "Menaka"]
    # far on, in an article without paragraph breaks, the town just named is the better guess
    assert [e.place.name for e in _events(pipeline, far)] == ["Menaka", "Gao"]
