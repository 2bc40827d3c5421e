"""What is not news of an event: a deed told for a court case, a past long gone, a directive,
an event retold long after it happened; and what a place or a side is not (a region, a
hometown, the same side twice). Each negative has its positive twin. Sentences written for
this test, run through the real pipeline (spaCy + gazetteer).
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.model import Article

pytestmark = pytest.mark.slow

PUBLISHED = dt.date(2023, 3, 9)  # a Thursday


@pytest.fixture(scope="module")
def run(pipeline):
    def go(text: str, published: dt.date = PUBLISHED) -> list:
        result = pipeline.process(Article(text=text, published=published))
        return [e for e in result.events if e.sub_event_type]
    return go


# ---- a case about a deed ------------------------------------------------------------------

def test_a_deed_a_court_case_is_about_is_no_event(run):
    assert run("A man was jailed on Monday for attacking a police station in Nairobi last year.") == []
    assert run("A former soldier was in court on Wednesday facing prosecution for fighting "
               "against Islamic State in Syria.") == []


def test_the_deed_itself_is_an_event(run):
    [e] = run("Gunmen attacked a police station in Nairobi on Monday.")
    assert e.event_type == "Battles"


# ---- a past long gone -----------------------------------------------------------------------

def test_once_and_previously_mark_an_undated_past(run):
    assert run("Her mother and I were once arrested for staging a sit-in at a shop in Leeds, he said.") == []
    assert run("Both Iran and Russia had previously claimed he had been killed in an airstrike near Deir ez-Zor.") == []


def test_without_the_adverb_the_report_stands(run):
    [e] = run("Russia said on Monday that its jets had killed the group's leader in an airstrike near Deir ez-Zor.")
    assert e.sub_event_type == "Air/drone strike" and e.claim == "claimed"
    assert e.actor1 == "Military Forces of Russia" and e.actor2 is None  # one side is not both sides
    assert e.fatalities == 1  # "the group's leader": one person


# ---- told long after ------------------------------------------------------------------------

def test_an_event_months_before_publication_is_kept_below_the_default_threshold(run):
    [e] = run("Militants attacked a police station in Garissa on 2 January, killing four officers, police said.")
    assert e.date == "2023-01-02" and e.confidence < 0.5
    assert "retold" in e.notes


def test_an_event_of_this_week_is_news(run):
    [e] = run("Militants attacked a police station in Garissa on Monday, killing four officers.")
    assert e.date == "2023-03-06" and e.confidence >= 0.5


# ---- a directive is not a deed ----------------------------------------------------------------

def test_instructed_to_attack_is_no_attack_yet(run):
    assert run("The commander instructed his men to attack the police station in Garissa.") == []


def test_ordered_attack_carried_out_is_an_attack_and_takes_no_town(run):
    [e] = run("Insurgents attacked the police station in Garissa on Monday, as their commander had ordered.")
    assert e.sub_event_type == "Armed clash"  # the typer may not make it a change of control


def test_a_town_taken_is_a_change_of_control(run):
    [e] = run("Insurgents seized the town of Garissa on Monday after driving out the police.")
    assert e.sub_event_type == "Non-state actor overtakes territory"


# ---- a place an event cannot be at ---------------------------------------------------------

def test_a_region_across_countries_is_no_place(run):
    [e] = run("Turkish jets bombed a position in the Middle East on Monday and killed 12 fighters.")
    assert e.place is None or e.place.country_code


def test_a_hometown_is_not_the_scene(run):
    [e] = run("Anna Smith, from Lewes, East Sussex, was killed on Monday in a Turkish air strike near Afrin, "
              "her commanders said.")
    assert e.place.country_code == "SY"
    assert e.fatalities == 1  # a named person killed is one death


def test_a_town_the_attackers_came_from_is_not_the_scene(run):
    [e] = run("Militants from Mosul attacked a checkpoint in Tikrit on Monday.")
    assert e.place.name == "Tikrit"


# ---- who suffered violence did not do it -----------------------------------------------------

def test_civilians_are_never_the_actor_of_violence(run):
    [e] = run("A British woman fighting alongside Kurdish forces near Afrin has been killed, her commanders said.")
    assert not (e.actor1 or "").startswith("Civilians")


def test_a_crowd_can_be_the_actor_of_a_riot(pipeline):
    out = pipeline.process(Article(text="Angry villagers stoned and burned a police post in Garissa on Monday.",
                                   published=PUBLISHED))
    riots = [e for e in out.events if e.event_type == "Riots"]
    assert riots and riots[0].actor1.startswith("Rioters")
