"""Territory changes: who took which place, when, and what is only background.

Each report is a sentence or two of plain newswire English written for this test,
about conflicts other than the bundled sample. Run through the real pipeline.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.model import Article

pytestmark = pytest.mark.slow

PUBLISHED = dt.date(2023, 3, 9)  # a Thursday
TERRITORY = {"Non-state actor overtakes territory", "Government regains territory",
             "Non-violent transfer of territory"}


@pytest.fixture(scope="module")
def run(pipeline):
    def go(text: str, published: dt.date = PUBLISHED) -> list[dict]:
        out = pipeline.process(Article(text=text, published=published)).to_dict()
        return out["events"] + out["political"]  # the ACLED events, then the PLOVER-only political acts
    return go


def changes(events) -> list[dict]:
    return [e for e in events if e["sub_event_type"] in TERRITORY and e["status"] == "happened"]


def places(events) -> set[str]:
    return {(e["place"] or {}).get("name") for e in changes(events)}


# ---- proxies -------------------------------------------------------------------------------------

def test_backed_forces_are_the_proxy_not_the_backer(run):
    events = run("Iran-backed fighters captured the town of Marib on Tuesday, residents said. "
                 "The Houthis have pushed towards the city for months.")
    [e] = changes(events)
    assert e["actor1"] == "Houthi Movement"
    assert "Iran" not in e["actor1"]


def test_backed_forces_without_a_named_group_are_unidentified(run):
    events = run("Forces backed by Rwanda seized the town of Bunagana on Monday, local officials said.")
    [e] = changes(events)
    assert not e["actor1"].startswith("Military Forces")
    assert e["actor1"].startswith("Unidentified Armed Group")


# ---- ways of saying a place changed hands --------------------------------------------------------

def test_freed_place_is_a_recapture_one_per_place(run):
    events = run("The army said on Tuesday that Kassala and Gedaref had been freed of the paramilitaries.")
    got = changes(events)
    assert len(got) == 2 and "Kassala" in places(events)
    for e in got:
        assert e["sub_event_type"] == "Government regains territory"
        assert e["actor1"] == "Military Forces of Sudan"
        assert e["date"] == "2023-03-07"
        assert e["plover"] != "CONCEDE"


def test_raising_the_flag_over_a_town_is_taking_it(run):
    events = run("Government soldiers raised the national flag over the main square of Kidal on Wednesday.")
    [e] = changes(events)
    assert e["place"]["name"] == "Kidal"
    assert e["actor1"] == "Military Forces of Mali"
    assert e["date"] == "2023-03-08"


def test_driving_a_group_out_of_a_town_is_taking_it(run):
    events = run("On Monday, Libyan-led fighters drove Islamic State militants out of Sirte, a commander said.")
    [e] = changes(events)
    assert e["place"]["name"] == "Sirte"
    assert e["actor2"] == "Islamic State"
    assert e["actor1"] != "Islamic State"  # the side driven out never takes the place
    assert e["date"] == "2023-03-06"


def test_its_capture_takes_the_speakers_forces(run):
    events = run("Ethiopia said on Monday that the rebels holding out in the hills had surrendered, "
                 "completing its capture of Gondar after a siege of nearly two months.")
    [e] = [e for e in changes(events) if e["place"]["name"] == "Gonder"]
    assert e["actor1"] == "Military Forces of Ethiopia"
    assert e["date"] == "2023-03-06"  # the Monday of the statement, not the two-month siege


# ---- the place of a change ------------------------------------------------------------------------

def test_place_naming_a_plant_is_not_the_place(run):
    events = run("Rebel fighters took control of the Kaduna refinery in Kano on Friday.")
    [e] = changes(events)
    assert e["place"]["name"] == "Kano"


def test_withdrawal_place_is_what_they_left_not_where_they_went(run):
    events = run("On Tuesday, government troops pulled out of Kidal and retreated across the Niger river to Gao.")
    [e] = [e for e in events if e["plover"] == "RETREAT"]
    assert e["place"]["name"] == "Kidal"


def test_a_reference_point_is_not_the_place(run):
    events = run("Rebels seized a village north-west of Goma on Sunday after the army pulled out of the area.")
    assert "Goma" not in places(events)


def test_actor_city_named_in_the_paragraph_is_not_the_place(run):
    events = run("Addis Ababa said its forces were advancing on all fronts. The rebels seized the outpost on Sunday.")
    assert "Addis Ababa" not in places(events)


def test_its_recapture_does_not_take_the_place_it_opens_the_way_to(run):
    events = run("Government forces fought for weeks around the town. Its recapture opens the road to Kidal.")
    assert "Kidal" not in places(events)


# ---- background, plans and states -------------------------------------------------------------------

def test_past_perfect_background_is_not_a_new_change(run):
    events = run("Kidal was the only regional capital the rebels had seized since the uprising began. "
                 "The army said it would try to retake it.")
    assert changes(events) == []


def test_subordinate_background_of_a_past_perfect_is_not_a_new_change(run):
    events = run("The defenders had held out in the citadel for weeks after the rest of Aleppo was overrun.")
    assert changes(events) == []


def test_conditional_first_city_to_fall_is_no_change(run):
    events = run("If confirmed, it would be the first provincial capital to fall to the rebels since January.")
    assert changes(events) == []


def test_announced_capture_is_done_announced_deployment_is_planned(run):
    events = run("The army had announced the town's capture of Kidal earlier on Sunday.")
    assert all(e["status"] != "planned" for e in changes(events))
    events = run("The ministry announced the deployment of 500 troops to Gao.")
    assert [e["status"] for e in events if e["plover"] == "MOBILIZE"] == ["planned"]


def test_ending_an_occupation_is_not_a_capture(run):
    events = run("Government troops entered Gao on Friday, ending ten months of occupation.")
    assert [e["sub_event_type"] for e in changes(events)] == ["Government regains territory"]


def test_area_retaken_is_a_running_total_not_a_place(run):
    events = run("The army said it had retaken about 1,500 square kilometres since the start of the month.")
    assert changes(events) == []


def test_a_person_seized_is_not_a_territory_change(run):
    events = run("Soldiers detained the mayor of Gao on Friday, officials said, calling his seizure a kidnapping.")
    assert changes(events) == []


# ---- weapons are not people ----------------------------------------------------------------------------

def test_missiles_shot_down_are_not_deaths(run):
    events = run("On Wednesday, 43 of the missiles were shot down over Riyadh, the coalition said.")
    assert all(e["counts"].get("killed") in (None, 0) for e in events)
    assert all(not e["fatalities"] for e in events)


def test_forces_leaving_a_town_is_a_retreat_leaving_it_without_power_is_not(run):
    events = run("Government forces have left Kidal, the defence ministry said on Wednesday.")
    [e] = [e for e in events if e["plover"] == "RETREAT"]
    assert e["place"]["name"] == "Kidal" and e["date"] == "2023-03-08"
    events = run("On Monday rebels shelled the power station, leaving Kidal without electricity.")
    assert [e for e in events if e["plover"] == "RETREAT"] == []


def test_a_month_named_alone_dates_a_background_capture(run):
    events = run("The rebels had seized the garrison town of Kidal in February, officials recalled on Monday.")
    assert all(e["date"] < "2023-03-01" for e in changes(events))


def test_a_side_that_is_not_a_state_never_regains_territory(run):
    out = changes(run("Houthi fighters retook the town of Harib in Marib province on Monday."))
    assert [e["sub_event_type"] for e in out] == ["Non-state actor overtakes territory"]
    # positive twin: a government's troops retaking a town regain it
    out = changes(run("Syrian government troops recaptured the town of Maaloula from rebels on Monday."))
    assert [e["sub_event_type"] for e in out] == ["Government regains territory"]
