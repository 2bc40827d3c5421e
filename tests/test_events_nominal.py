"""Events told by a noun or a fixed phrase rather than a main verb: "came under fire from X" names
the target first; "the capture of X by Y on Monday" as a subject is a new report, not one told
before; "the shelling of X" and "drones shot down over X" place the event in X."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.model import Article
from sitrep.taxonomy import TERRITORY_TYPES

PUBLISHED = dt.date(2023, 3, 11)  # a Saturday


def _events(pipeline, text):
    return pipeline.process(Article(text=text, published=PUBLISHED)).events


@pytest.mark.slow
def test_who_came_under_fire_is_the_target_and_from_whom_the_attacker(pipeline):
    [e] = _events(pipeline, "A Malian army patrol came under fire from jihadist fighters near Gao on Thursday.")
    assert e.event_type == "Battles"
    assert e.actor2 == "Military Forces of Mali"
    assert e.actor1 is not None and "Mali" in e.actor1 and e.actor1 != e.actor2
    assert e.place.name == "Gao" and e.date == "2023-03-09"


@pytest.mark.slow
def test_under_fire_as_a_state_is_no_attack(pipeline):
    # the twin: "under fire" said of a minister is criticism, and no phrase of coming under it
    assert _events(pipeline, "The defence minister has been under fire from opposition parties for weeks.") == ()


@pytest.mark.slow
def test_a_subject_noun_with_its_own_agent_place_and_day_is_a_new_report(pipeline):
    [e] = _events(pipeline, "The capture of Bakhmut by Wagner fighters on Friday left the road to the west open.")
    assert e.sub_event_type in TERRITORY_TYPES
    assert e.place.name == "Bakhmut" and e.date == "2023-03-10"


@pytest.mark.slow
def test_a_subject_noun_without_anchors_refers_back(pipeline):
    # the twin: "the clashes" with no place, side or day of their own point back to a report told before
    assert _events(pipeline, "The clashes have left the town without power for a week.") == ()


@pytest.mark.slow
def test_a_placed_subject_noun_in_the_lead_is_the_news(pipeline):
    [e] = _events(pipeline, "The bomb attack on the police station in Zaranj has caused heavy damage.\n\n"
                            "Police reported no casualties.")
    assert e.sub_event_type == "Remote explosive/landmine/IED" and e.place.name == "Zaranj"
    assert e.actor1 is None and e.actor2 == "Police Forces of Afghanistan"  # the target is no side of the deed


@pytest.mark.slow
def test_the_same_subject_noun_further_down_refers_back(pipeline):
    # the twin: below the lead, "the bomb attack" with no side or day of its own points back
    assert _events(pipeline, "Officials from the two provinces met in Kabul to discuss the budget.\n\n"
                             "The bomb attack on the police station in Zaranj has caused heavy damage.") == ()


@pytest.mark.slow
def test_a_deed_that_killed_is_told_by_its_target_not_as_its_side(pipeline):
    [e] = _events(pipeline, "The attack on the police station in Zaranj on Friday killed two officers.")
    assert (e.actor1, e.actor2, e.fatalities) == (None, "Police Forces of Afghanistan", 2)
    # its twin: the agent of the deed is its side, whatever the parse hangs on it
    [e] = _events(pipeline, "An attack by militants on the police station in Zaranj on Friday killed two officers.")
    assert e.actor1 == "Unidentified Armed Group (Afghanistan)"


@pytest.mark.slow
def test_the_place_after_shelling_of_is_the_scene(pipeline):
    [e] = _events(pipeline, "Russian shelling of Kharkiv killed three people on Friday, the governor said.")
    assert e.sub_event_type == "Shelling/artillery/missile attack"
    assert e.place is not None and e.place.name == "Kharkiv" and e.place.country_code == "UA"


@pytest.mark.slow
def test_artillery_fire_is_shelling_and_over_a_big_city_places_an_interception(pipeline):
    [e] = _events(pipeline, "Heavy mortar fire hit the town of Kadugli overnight, residents said.")
    assert e.sub_event_type == "Shelling/artillery/missile attack" and e.place.name == "Kadugli"
    [e] = _events(pipeline, "Air defences shot down three drones over Belgorod overnight, the governor said.")
    assert e.sub_event_type == "Disrupted weapons use"
    assert e.place is not None and e.place.name == "Belgorod"


@pytest.mark.slow
def test_a_precaution_against_car_bombs_reports_no_bombing(pipeline):
    text = "Burnt-out lorries block the road near an army base as a precautionary measure against car bombs."
    assert not [e for e in _events(pipeline, text) if e.event_type == "Explosions/Remote violence"]


@pytest.mark.slow
def test_a_car_bomb_that_went_off_is_a_bombing(pipeline):
    # the twin: the same noun as the subject of what happened
    [e] = _events(pipeline, "A car bomb exploded near an army base in Mogadishu on Friday, police said.")
    assert e.sub_event_type == "Remote explosive/landmine/IED" and e.place.name == "Mogadishu"


REPLY = ("The army said its troops came under fire from a pickup truck near Menaka, and that they responded with "
         "two hours of strikes from drones and jets against the attackers.")


@pytest.mark.slow
def test_strikes_from_drones_are_air_strikes_by_the_side_that_replied(pipeline):
    strikes = [e for e in _events(pipeline, REPLY) if e.sub_event_type == "Air/drone strike"]
    assert [e.actor1 for e in strikes] == ["Military Forces of Mali"]


@pytest.mark.slow
def test_the_weapon_of_a_coordinated_reply_is_not_the_attack_s(pipeline):
    # the twin: the attack itself, told alone, was gunfire: a clash, with no drone in it
    [e] = _events(pipeline, REPLY.split(", and that")[0] + ".")
    assert e.sub_event_type == "Armed clash" and e.actor2 == "Military Forces of Mali"


@pytest.mark.slow
def test_a_volunteer_fighting_with_a_force_is_one_of_that_force_not_a_civilian(pipeline):
    # one event, her death: "fighting alongside" says who she was, and she was no civilian
    [e] = _events(pipeline, "A Canadian woman fighting alongside Ukrainian forces in Bakhmut has been killed, "
                            "her unit said.")
    assert e.actor2 == "Military Forces of Ukraine"


@pytest.mark.slow
def test_a_woman_killed_with_no_side_named_is_a_civilian(pipeline):
    # the twin: with nothing said of whom she fought with, the victim is a civilian
    [e] = _events(pipeline, "A Canadian woman was killed in Bakhmut on Friday, police said.")
    assert e.actor2 == "Civilians (Canada)"


@pytest.mark.slow
def test_a_drone_that_hit_something_is_an_air_strike(pipeline):
    [e] = _events(pipeline, "A drone hit a fuel depot in Sevastopol on Friday, the governor said.")
    assert e.sub_event_type == "Air/drone strike" and e.place.name == "Sevastopol"
    [e] = _events(pipeline, "Houthi forces launched a drone at an oil terminal in Mukalla on Friday.")
    assert e.sub_event_type == "Air/drone strike" and e.actor1 == "Houthi Movement"


@pytest.mark.slow
def test_drones_seen_used_or_received_are_no_strike(pipeline):
    # the twins: the same noun, doing no striking
    for text in ("Both sides rely heavily on drones for surveillance near Bakhmut.",
                 "A drone was seen over the airport in Vilnius on Friday.",
                 "Ukraine has received hundreds of drones from its allies."):
        assert _events(pipeline, text) == (), text
