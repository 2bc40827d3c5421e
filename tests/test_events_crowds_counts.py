"""Event rules for crowds, victims and counts, one short made-up report each.

Each sentence is plain newswire English written for this test; the rule it
checks is named in the test. Run through the real pipeline (spaCy + gazetteer).
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.model import Article

pytestmark = pytest.mark.slow

PUBLISHED = dt.date(2023, 3, 9)  # a Thursday


@pytest.fixture(scope="module")
def run(pipeline):
    def go(text: str, published: dt.date = PUBLISHED) -> list[dict]:
        out = pipeline.process(Article(text=text, published=published)).to_dict()
        return out["events"] + out["political"]  # the ACLED events, then the PLOVER-only political acts
    return go


def subs(events) -> list[str]:
    return [e["sub_event_type"] for e in events if e["sub_event_type"]]


def main(events) -> dict:
    acled = [e for e in events if e["sub_event_type"]]
    assert acled, events
    return max(acled, key=lambda e: e["confidence"])


# ---- protests: the crowd, the light verb, the month ---------------------------------------

def test_hyphenated_related_is_not_page_chrome(run):
    """'virus-related' must not read as the chrome word 'related'."""
    e = main(run("On Monday, nurses demonstrated in Lyon against virus-related job cuts."))
    assert e["sub_event_type"] == "Peaceful protest"


def test_crowd_gathering_is_a_protest_and_actor1_is_protesters(run):
    e = main(run("On Tuesday, hundreds of pensioners gathered outside the town hall in Porto to demand higher pensions."))
    assert e["sub_event_type"] == "Peaceful protest"
    assert e["actor1"].startswith("Protesters")


def test_investigators_gathering_evidence_is_no_protest(run):
    assert "Peaceful protest" not in subs(run("On Tuesday, investigators gathered evidence at the scene in Porto."))


def test_staged_a_protest_light_verb(run):
    e = main(run("On Wednesday, bus drivers staged a protest in Nairobi over unpaid wages."))
    assert e["sub_event_type"] == "Peaceful protest"


def test_verb_use_of_protest_noun(run):
    e = main(run("On Monday, about 200 farmers assembled in Ghent to protest against new fertiliser rules."))
    assert e["sub_event_type"] == "Peaceful protest"


def test_crowd_blocking_a_road_is_a_protest_police_blocking_is_not(run):
    assert subs(run("On Tuesday, taxi drivers blocked the main highway near Accra, demanding lower fuel prices.")) \
        == ["Peaceful protest"]
    assert "Peaceful protest" not in subs(run("On Tuesday, police blocked the main highway near Accra."))


def test_labour_strike_is_a_protest_missile_strike_is_not(run):
    assert "Peaceful protest" in subs(run("On Wednesday, teachers went on strike in Lagos over late salaries."))
    assert "Peaceful protest" not in subs(run("On Wednesday, a missile strike hit a depot in Kharkiv."))


def test_troops_marching_is_no_protest(run):
    assert "Peaceful protest" not in subs(run("On Wednesday, soldiers marched into the border town of Tessalit."))


def test_the_month_march_is_no_protest(run):
    events = run("On 3 March 2023, two soldiers were killed by gunmen near Tessalit.")
    assert "Peaceful protest" not in subs(events) and "Excessive force against protesters" not in subs(events)


# ---- protests: what happened next decides the sub-type ------------------------------------

def test_police_detaining_protesters_in_next_sentence_is_intervention(run):
    e = main(run("On Monday, health workers held a protest in Lahore to demand overdue pay. "
                 "Police detained several of the protesters and took them away."))
    assert e["sub_event_type"] == "Protest with intervention"
    assert e["actor1"].startswith("Protesters")


def test_burning_tyres_make_a_violent_demonstration(run):
    e = main(run("On Monday, students demonstrated in Durban and set tyres on fire outside the campus gate."))
    assert e["sub_event_type"] == "Violent demonstration"
    assert e["actor1"].startswith("Rioters")


def test_police_killing_protesters_is_excessive_force(run):
    e = main(run("On Monday, police shot dead two protesters in Khartoum."))
    assert e["sub_event_type"] == "Excessive force against protesters"
    assert e["actor1"].startswith("Protesters") and e["actor2"].startswith("Police")


def test_demand_to_release_detainees_is_still_peaceful(run):
    e = main(run("On Monday, relatives marched in Santiago to demand the release of detained activists."))
    assert e["sub_event_type"] == "Peaceful protest"


# ---- who the victims are: clash, attack, mob -------------------------------------------------

def test_soldier_killed_in_an_attack_by_militants_is_an_armed_clash(run):
    e = main(run("On Monday, a soldier was killed following an attack by Taliban militants on a checkpoint in Kunduz."))
    assert e["sub_event_type"] == "Armed clash"
    assert e["actor1"] == "Taliban"


def test_villagers_killed_by_gunmen_is_an_attack(run):
    e = main(run("On Monday, gunmen killed three villagers near Gusau."))
    assert e["sub_event_type"] == "Attack" and e["fatalities"] == 3


def test_crowd_beating_a_suspect_is_mob_violence(run):
    e = main(run("On Monday, a mob of villagers attacked and beat a suspected thief in Kisoro."))
    assert e["sub_event_type"] == "Mob violence"
    assert e["actor1"].startswith("Rioters")


# ---- counts ------------------------------------------------------------------------------------

def test_coordinated_victims_add_up(run):
    e = main(run("On Monday, one policeman and two civilians were killed in a gun attack in Kandahar."))
    assert e["fatalities"] == 3


def test_another_sources_figure_in_brackets_is_not_the_toll(run):
    e = main(run("On Monday, 2 policemen (6 according to the insurgents) were killed in an attack on a "
                 "checkpoint in Kunduz city."))
    assert e["fatalities"] == 2


def test_a_figure_in_brackets_stands_when_it_is_the_only_one(run):
    # the positive twin: with no count outside the brackets, the bracketed one is the toll
    e = main(run("On Monday, gunmen attacked a checkpoint in Kunduz city (4 policemen were killed)."))
    assert e["fatalities"] == 4


def test_several_detained_counts_three_and_a_leader_counts_one(run):
    events = run("On Monday, a joint force detained several suspected insurgents in Khost. "
                 "On Tuesday, the force killed a Taliban leader in Paktia.")
    assert max(e["counts"].get("arrested", 0) for e in events) == 3
    assert max(e["counts"].get("killed", 0) for e in events) == 1


def test_he_or_she_killed_counts_one_and_they_count_no_number(run):
    assert main(run("He was killed on Monday in an explosion near Kidal."))["counts"].get("killed") == 1
    assert main(run("They were killed on Monday in an explosion near Kidal."))["counts"].get("killed", 0) == 0


def test_shots_and_attackers_are_not_the_dead(run):
    e = main(run("In Recife, a man was shot eight times and killed by two armed individuals on Monday."))
    assert e["counts"].get("killed") == 1 and e["fatalities"] == 1
    assert main(run("Two soldiers were killed by three gunmen in Zamfara on Monday."))["fatalities"] == 2


def test_vague_share_of_people_is_not_a_statistic(pipeline):
    """'dozens of lawyers' (a crowd) is no share of a whole like '12 of the 34 capitals'."""
    result = pipeline.process(Article(
        text="On Monday, for the third day in a row, dozens of lawyers protested in Lima against the new rules.",
        published=PUBLISHED)).to_dict()
    assert result["statistics"] == []
    assert "Peaceful protest" in subs(result["events"])


# ---- dates --------------------------------------------------------------------------------------

def test_coordinated_verbs_share_a_date_and_history_stays_out(run):
    events = run("In 2003, militias attacked the town of Nyala and burned dozens of homes, "
                 "survivors recalled this week.")
    assert events == []


# ---- claims and plain-text wires --------------------------------------------------------------

def test_claim_of_responsibility_marks_the_attack_claimed(run):
    events = run("On Monday, a bomb exploded at a bus station in Mogadishu, killing four people. "
                 "Al-Shabaab later claimed responsibility for the blast.")
    e = main(events)
    assert e["claim"] == "claimed" and e["claimed_by"] == "Al Shabaab"


def test_nobody_claiming_responsibility_is_no_claim(run):
    e = main(run("On Monday, a bomb exploded at a bus station in Mogadishu, killing four people. "
                 "No group has claimed responsibility."))
    assert e["claim"] == "reported"


def test_all_caps_hard_wrapped_wire_still_gives_the_event(run):
    text = ("LIMA, 8 MAR 23 -- POLICE SOURCES HAVE REPORTED THAT FOUR PEASANTS WERE\n"
            "KIDNAPPED BY AN ARMED GROUP IN A VILLAGE NEAR AYACUCHO YESTERDAY\n"
            "AFTERNOON.\n")
    e = main(run(text))
    assert e["sub_event_type"] == "Abduction/forced disappearance"
    assert e["status"] == "happened"


# ---- inflection and the place of a political act -------------------------------------------

def test_two_syllable_verbs_are_not_doubled():
    from sitrep.taxonomy import TRIGGER_INDEX, inflect
    assert {"gathered", "offered"} <= inflect("gather") | inflect("offer")
    assert "gatherred" not in inflect("gather")
    assert "kidnapped" in inflect("kidnap") and "banned" in inflect("ban")
    assert TRIGGER_INDEX["offered"][0] == "offer"


def test_offer_takes_the_town_told_after_it_not_the_one_before(run):
    events = run("Rebels took control of Goma on Monday, leaving the army in charge of the capital Kinshasa. "
                 "The government has offered the rebels seats in a unity cabinet. "
                 "Its envoy presented the plan to mediators in Nairobi on Tuesday.")
    offers = [e for e in events if e["plover"] == "AGREE"]
    assert offers and offers[0]["place"]["name"] == "Nairobi"


def test_toll_in_a_district_and_its_province_is_one_event(run):
    # "X district, Y province" is one place, not two: the toll is this raid's, not an aggregate
    # (even when the gazetteer's only "Nawa" district lies in another province)
    text = ("Afghan and coalition troops on a patrol killed three insurgents and seized rifles in "
            "Nawa district, Helmand province, on Tuesday.")
    e = main(run(text))
    assert e["fatalities"] == 3 and e["date"] == "2023-03-07"
    assert e["place"]["admin1"] == "Helmand"
    # positive twin: a toll over several towns and a period stays a statistic
    out = run("Troops have killed 40 insurgents in Nawa, Marjah and Garmsir since January, the army said.")
    assert not [x for x in out if x["sub_event_type"] and x["fatalities"] == 40]


def test_people_taken_with_their_leader_are_counted_with_him(run):
    e = main(run("Police arrested a gang leader and three of his associates in Kano on Tuesday."))
    assert e["sub_event_type"] == "Arrests" and e["counts"]["arrested"] == 4
    e = main(run("Soldiers detained the commander along with two associates in Maiduguri on Tuesday."))
    assert e["counts"]["arrested"] == 3
    # positive twin: one count stays one count
    e = main(run("Police arrested three of the gang's members in Kano on Tuesday."))
    assert e["counts"]["arrested"] == 3


def test_a_state_capturing_people_at_home_is_an_arrest(run):
    e = main(run("Nigerian soldiers captured a militant commander during a raid near Maiduguri on Tuesday."))
    assert e["sub_event_type"] == "Arrests"
    # negative twins: an armed group capturing a soldier, or gunmen kidnapping a chief, is an abduction
    e = main(run("Militants captured a Nigerian soldier near Maiduguri on Tuesday."))
    assert e["sub_event_type"] == "Abduction/forced disappearance"
    e = main(run("Gunmen kidnapped a village chief in Zamfara state on Tuesday."))
    assert e["sub_event_type"] == "Abduction/forced disappearance"


@pytest.mark.parametrize("text", [
    "Riot police broke up a protest by teachers in Nairobi on Wednesday.",
    "Police fired tear gas to disperse hundreds of protesters in Nairobi on Wednesday.",
    "Police used tear gas and water cannon against demonstrators in Nairobi on Wednesday.",
])
def test_forces_breaking_up_a_crowd_make_a_protest_with_intervention(run, text):
    [e] = [e for e in run(text) if e["sub_event_type"]]
    assert e["sub_event_type"] == "Protest with intervention"
    assert e["actor1"] == "Protesters (Kenya)" and e["actor2"] == "Police Forces of Kenya"
    assert e["place"]["name"] == "Nairobi"


@pytest.mark.parametrize("text", [
    "Troops fired tear gas in a village near Nablus on Wednesday.",  # no crowd named
    "The talks broke up without agreement in Nairobi on Wednesday.",  # not broken up by anyone
    "Troops marched into the town of Bama on Wednesday.",  # forces marching are no protest
])
def test_tear_gas_or_breaking_up_with_no_crowd_is_no_protest(run, text):
    assert not [e for e in run(text) if e["event_type"] == "Protests"]


def test_a_march_through_a_capital_is_placed_there(run):
    [e] = [e for e in run("Hundreds of people marched through Dakar on Wednesday to demand the release of "
                          "an opposition leader.") if e["sub_event_type"]]
    assert e["sub_event_type"] == "Peaceful protest" and e["place"]["name"] == "Dakar"


@pytest.mark.slow
def test_activists_who_occupy_a_station_hold_a_protest(pipeline):
    result = pipeline.process(Article(text="Climate activists occupied Leeds station last weekend, police said.",
                                      published=dt.date(2024, 3, 7)))
    [e] = result.events
    assert e.sub_event_type == "Peaceful protest" and e.actor1.startswith("Protesters")
    assert e.date == "2024-03-02"


@pytest.mark.slow
def test_rebels_who_occupy_a_town_take_it(pipeline):
    result = pipeline.process(Article(text="Hundreds of rebels occupied the town of Gao on Saturday.",
                                      published=dt.date(2024, 3, 7)))
    [e] = result.events
    assert e.sub_event_type == "Non-state actor overtakes territory"


def test_people_named_after_a_force_who_stage_a_protest_are_protesters(run):
    e = main(run("On Monday, army pensioners and police widows staged a protest in Rohtak over unpaid "
                 "pensions."))
    assert e["sub_event_type"] == "Peaceful protest" and e["actor1"].startswith("Protesters")


def test_soldiers_who_stage_a_march_hold_no_protest(run):
    # the positive twin: the head of the phrase is the force itself
    assert subs(run("On Monday, soldiers and police staged a march through Rohtak.")) == []


def test_a_protest_joined_to_the_light_verbs_object_is_held(run):
    e = main(run("On Monday, pupils at three secondary schools in Leeds held sit-ins and marches against "
                 "exam changes."))
    assert e["sub_event_type"] == "Peaceful protest"


def test_a_crowd_that_sets_up_a_protest_camp_holds_a_protest(run):
    e = main(run("On Monday, about 80 farmers pitched a protest camp outside the agriculture ministry in "
                 "Lima over land titles."))
    assert e["sub_event_type"] == "Peaceful protest" and e["date"] == "2023-03-06"


def test_a_protest_camp_only_planned_or_described_is_no_protest(run):
    # the positive twins: a plan, and a camp that is only the subject of a description
    assert subs(run("Farmers plan to set up a protest camp in Lima next week.")) == []
    assert subs(run("The protest camp in Lima has become a symbol of the movement.")) == []


def test_forces_who_fire_tear_gas_to_disperse_a_crowd_intervene(run):
    # a dispersal told as the purpose of the firing still happened
    e = main(run("On Monday, riot police sprayed water cannon to disperse hundreds of teachers marching on "
                 "parliament in Nairobi."))
    assert e["sub_event_type"] in ("Protest with intervention", "Excessive force against protesters")
