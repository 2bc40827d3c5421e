"""Who fought whom when the sentence tells it from the victims' side, and where when a
wire dateline names the newsroom's city. One short made-up report each, run through the
real pipeline (spaCy + gazetteer).
"""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.model import Article

pytestmark = pytest.mark.slow

PUBLISHED = dt.date(2023, 3, 9)  # a Thursday


@pytest.fixture(scope="module")
def run(pipeline):
    def go(text: str) -> list:
        result = pipeline.process(Article(text=text, published=PUBLISHED))
        return [e for e in result.events if e.sub_event_type]
    return go


def one(events):
    assert len(events) == 1, [(e.sub_event_type, e.actor1, e.actor2) for e in events]
    return events[0]


# ---- the acting side named in a phrase on the event ----------------------------------------

def test_clashes_with_a_named_group_make_it_the_acting_side(run):
    e = one(run("Two soldiers were killed on Tuesday during clashes with Taliban fighters "
                "in Helmand province, officials said."))
    assert (e.sub_event_type, e.actor1, e.actor2) == ("Armed clash", "Taliban", "Military Forces of Afghanistan")


def test_clashes_with_no_side_named_leave_the_acting_side_open(run):
    e = one(run("Two soldiers were killed on Tuesday during clashes in Helmand province, officials said."))
    assert e.actor1 is None and e.actor2 == "Military Forces of Afghanistan"


# ---- who died is the other side, never the actor --------------------------------------------

def test_who_died_in_an_attack_is_its_target_not_its_actor(run):
    e = one(run("Four police officers died on Monday in an attack on a checkpoint near Mandera."))
    assert e.actor1 is None and e.actor2 == "Police Forces of Kenya"
    assert e.sub_event_type == "Armed clash"  # armed men against the police
    assert e.fatalities == 4


def test_who_attacked_stays_the_actor_when_named(run):
    e = one(run("Gunmen killed four police officers at a checkpoint near Mandera on Monday."))
    assert (e.actor1, e.actor2) == ("Unidentified Armed Group (Kenya)", "Police Forces of Kenya")


def test_died_is_no_improvised_explosive_device(run):
    e = one(run("Four police officers died on Monday in an attack on a checkpoint near Mandera."))
    assert e.sub_event_type != "Remote explosive/landmine/IED"


def test_a_roadside_bomb_is_an_improvised_explosive_device(run):
    e = one(run("Four police officers died on Monday when a roadside bomb hit their vehicle near Mandera."))
    assert e.sub_event_type == "Remote explosive/landmine/IED"
    assert e.actor2 == "Police Forces of Kenya"
    assert e.date == "2023-03-06"  # the when-clause happened on the main clause's Monday


def test_a_when_clause_on_a_date_happened_on_that_date(run):
    e = one(run("Two paramedics were killed on 4 March, when their ambulance was hit by a Russian missile "
                "outside Bakhmut."))
    assert e.date == "2023-03-04" and e.fatalities == 2
    assert e.sub_event_type == "Shelling/artillery/missile attack"


def test_a_weapon_named_as_the_agent_gives_its_side(run):
    e = one(run("The convoy was hit by a Russian missile near Kharkiv on Monday, killing four soldiers."))
    assert e.actor1 == "Military Forces of Russia" and e.actor2 == "Military Forces of Ukraine"


def test_a_weapon_with_no_side_leaves_the_actor_open(run):
    e = one(run("The convoy was hit by a missile near Kharkiv on Monday, killing four soldiers."))
    assert e.actor1 is None


def test_an_after_clause_keeps_its_own_date(run):
    e = one(run("Two wounded officers died in hospital on Wednesday, after a roadside bomb hit their "
                "vehicle near Mandera on Monday."))
    assert e.date == "2023-03-06"


# ---- one clash told twice in a sentence ---------------------------------------------------

def test_killing_told_after_a_clash_is_the_clash(run):
    e = one(run("Rebels clashed with government troops near Bossangoa on Tuesday, killing six of them."))
    assert e.sub_event_type == "Armed clash" and e.fatalities == 6


def test_civilians_killed_before_a_clash_are_an_attack(run):
    events = run("Rebels killed six villagers near Bossangoa on Tuesday before clashing with the army.")
    assert "Attack" in {e.sub_event_type for e in events}


# ---- a dateline is where the reporter was ---------------------------------------------------

def test_the_scene_wins_over_the_dateline(run):
    e = one(run("MOGADISHU, 8 MAR 23 -- Eleven people were killed in a bomb blast in Baidoa on Monday."))
    assert e.place.name == "Baidoa"


def test_a_dateline_city_with_no_scene_named_is_the_place_at_best(run):
    e = one(run("Mogadishu, March 8 (Reuters) - A bomb exploded at a crowded market on Monday, "
                "killing eleven people, police said."))
    assert e.place.name == "Mogadishu" and e.precision == 2


def test_a_place_at_a_line_start_without_a_dash_is_no_dateline(run):
    e = one(run("Mogadishu was shaken on Monday when a bomb exploded at a crowded market, killing eleven people."))
    assert e.place.name == "Mogadishu" and e.precision == 1


# ---- counts over a list of places are aggregates; a dateline and a scene are not a list -------

def test_killed_across_two_listed_towns_is_a_statistic(pipeline):
    out = pipeline.process(Article(text="Eleven people were killed in Kabul and Kandahar on Monday, the ministry said.",
                                   published=PUBLISHED))
    assert not [e for e in out.events if e.sub_event_type]
    assert [(s.what, s.value) for s in out.statistics] == [("people killed", 11)]


def test_killed_at_the_scene_under_a_dateline_is_an_event(run):
    e = one(run("KABUL, March 8 (Reuters) - Eleven people were killed in a bomb blast in Kandahar on Monday."))
    assert e.place.name == "Kandahar" and e.fatalities == 11


# ---- shooting at someone -------------------------------------------------------------------

def test_opening_fire_on_protesters_is_excessive_force(run):
    e = one(run("Police opened fire on protesters in Lagos on Tuesday, killing two."))
    assert e.sub_event_type == "Excessive force against protesters" and e.fatalities == 2


def test_firing_on_a_convoy_is_an_event_active_or_passive(run):
    e = one(run("Gunmen fired on an army convoy near Gao on Monday."))
    assert e.event_type == "Battles" and e.date == "2023-03-06"
    e = one(run("The convoy was fired on by militants near Gao on Monday."))
    assert e.actor1 == "Unidentified Armed Group (Mali)"


def test_someone_fired_from_a_job_was_not_shot_at(run):
    assert run("The manager was fired on Monday.") == []
    assert run("The club fired its coach at the end of the season.") == []


def test_a_date_in_the_clause_that_holds_the_trigger_is_its_date(run):
    e = one(run("Ukrainian engineers were repairing a bridge near Izium when their lorry was struck by "
                "a Russian missile on 16 February."))
    assert e.date == "2023-02-16" and e.actor1 == "Military Forces of Russia"


# ---- a country is named with a capital ------------------------------------------------------

def test_a_man_is_no_isle_of_man_and_armed_individuals_are_an_armed_group(run):
    e = one(run("In Recife, a man was shot eight times and killed by two armed individuals on Monday."))
    assert e.actor1 == "Unidentified Armed Group (Brazil)" and e.actor2 == "Civilians (Brazil)"


def test_a_country_named_as_the_actor_is_its_state(run):
    e = one(run("Turkey shelled Kurdish positions near Kobani on Monday."))
    assert e.actor1 == "Military Forces of Turkey"


# ---- who shot it down ---------------------------------------------------------------------------

def test_air_defences_are_the_forces_of_the_country_they_defend(run):
    e = one(run("Air defences shot down two Russian drones in Kyiv on Monday."))
    assert e.sub_event_type == "Disrupted weapons use"
    assert (e.actor1, e.actor2) == ("Military Forces of Ukraine", "Military Forces of Russia")


def test_flood_defences_that_failed_are_no_event(run):
    assert run("Flood defences failed in Kyiv on Monday.") == []


# ---- "over X": where something was shot down ---------------------------------------------------

def test_drones_shot_down_over_a_city_are_placed_there(run):
    e = one(run("Air defences shot down two drones over Kyiv on Monday."))
    assert e.sub_event_type == "Disrupted weapons use" and e.place.name == "Kyiv"


def test_a_row_over_a_person_names_no_place(pipeline):
    out = pipeline.process(Article(text="The row over Jenkins deepened on Monday, his aides said.", published=PUBLISHED))
    assert [m.text for m in out.places] == []


def test_fighting_between_two_sides_names_both(run):
    e = one(run("Fighting between the army and the RSF raged for a third day in Khartoum on Wednesday."))
    assert (e.actor1, e.actor2) == ("Military Forces of Sudan", "Rapid Support Forces")


def test_fighting_with_one_side_named_names_one(run):
    # the twin: "between" is what names the second side; with one side alone the sentence gives one
    e = one(run("Heavy fighting involving the RSF raged in Khartoum on Wednesday."))
    assert "Rapid Support Forces" in (e.actor1, e.actor2)
    assert "Military Forces of Sudan" not in (e.actor1, e.actor2)


def test_a_town_retaken_from_rebels_has_them_as_the_other_side(run):
    e = one(run("Government forces recaptured the town of Kalemie from rebels on Wednesday."))
    assert e.sub_event_type == "Government regains territory"
    assert e.actor2 is not None and e.actor2.startswith("Unidentified Armed Group")


def test_supporters_of_a_leader_are_not_his_government(run):
    e = one(run("Police in Lahore detained 30 supporters of the former prime minister on Wednesday."))
    assert e.sub_event_type == "Arrests" and e.actor2 == "Civilians (Pakistan)"


def test_members_of_a_named_group_are_that_group(run):
    # the twin: "members of X" are X
    e = one(run("Police arrested two members of the Hizbul Mujahideen in Srinagar on Wednesday."))
    assert e.actor2 == "Hizbul Mujahideen"


def test_a_group_named_before_a_deed_with_no_subject_did_it(run):
    # the parser reads "A Taliban sniper shot" as a noun phrase: the deed has no subject of its own
    e = one(run("A Taliban sniper shot and killed 1 Afghan security personnel in Kandahar."))
    assert e.actor1 == "Taliban" and e.actor2 == "Military Forces of Afghanistan"


def test_a_group_named_after_the_deed_is_the_other_side(run):
    # the twin: the group after the deed, with its actor named, is whom it was done to
    e = one(run("Somali troops attacked al-Shabaab fighters near Afgoye on Wednesday."))
    assert e.actor1 == "Military Forces of Somalia" and e.actor2 == "Al Shabaab"


def test_an_official_killed_is_a_civilian_not_the_state_s_forces(run):
    e = one(run("Unknown gunmen murdered the mayor of Zitacuaro on Wednesday, the state prosecutor said."))
    assert e.sub_event_type == "Attack" and e.actor2 == "Civilians (Mexico)"


def test_an_office_of_the_state_attacked_stays_the_state(run):
    # the twin: not a person but the state's own premises: its forces are the other side
    e = one(run("Gunmen attacked government offices in Bamenda on Wednesday."))
    assert e.actor2 == "Military Forces of Cameroon"


def test_who_lost_their_lives_are_the_victims(run):
    e = one(run("Three police officers lost their lives in an ambush near Celaya on Wednesday."))
    assert e.actor2 == "Police Forces of Mexico" and e.actor1 is None


def test_lives_lost_long_ago_or_savings_lost_are_no_event(run):
    assert run("Many soldiers lost their lives in the war of 1948.") == []
    assert run("She lost her life savings when the bank collapsed in Celaya.") == []


def test_the_wives_of_fighters_fired_on_are_civilians(run):
    [e] = run("Militants fired on the wives of fighters as they tried to flee on Tuesday, a police spokesman said.")
    assert e.sub_event_type == "Attack" and e.actor2.startswith("Civilians")


def test_fighters_fired_on_are_an_armed_side(run):
    [e] = run("Militants fired on government fighters as they tried to advance on Tuesday, a police spokesman said.")
    assert not (e.actor2 or "").startswith("Civilians")


def test_soldiers_killed_in_an_ambush_are_its_victims_not_its_attackers(run):
    for text in ("In the town of Gao on Thursday, six soldiers killed in an ambush a day earlier were buried.",
                 "Six soldiers killed in an ambush near Gao on Wednesday were buried on Thursday."):
        events = run(text)
        assert events and all(e.actor1 != "Military Forces of Mali" for e in events), text
        assert any(e.actor2 == "Military Forces of Mali" and e.fatalities == 6 for e in events), text


def test_soldiers_who_killed_are_the_attackers(run):
    [e] = run("Six soldiers killed two gunmen in an ambush near Gao on Wednesday, the army said.")
    assert e.actor1 == "Military Forces of Mali"


def test_civilians_being_evacuated_are_not_the_target_of_the_strike(run):
    [e] = run("A volunteer medic died on Tuesday when her position near Gao was struck by a mortar round "
              "as she and four soldiers helped to evacuate civilians from the town.")
    assert e.sub_event_type == "Shelling/artillery/missile attack" and e.fatalities == 1
    assert not (e.actor2 or "").startswith("Civilians")


def test_civilians_a_strike_kills_are_its_target(run):
    [e] = run("A mortar round struck a market near Gao on Tuesday, killing four civilians, officials said.")
    assert e.actor2 == "Civilians (Mali)" and e.fatalities == 4


def test_a_group_listed_among_the_attackers_is_not_the_other_side(run):
    [e] = run("The town of Ber was retaken on Tuesday by forces fighting on behalf of the Malian junta, "
              "including Wagner Group units and the Malian army itself.")
    assert e.sub_event_type == "Government regains territory" and e.actor2 != "Wagner Group"


def test_a_group_fought_outside_the_attackers_phrase_is_the_other_side(run):
    [e] = run("The town of Ber was retaken on Tuesday by the Malian army after heavy fighting with JNIM, "
              "officials said.")
    assert (e.actor1, e.actor2) == ("Military Forces of Mali", "JNIM")


def test_a_bombing_an_armed_group_claims_in_its_former_stronghold_is_an_explosive_attack(run):
    [e] = run("Al-Shabaab claimed responsibility for a bombing in its former stronghold of Kismayo on Tuesday.")
    assert e.sub_event_type == "Remote explosive/landmine/IED" and e.actor1 == "Al Shabaab"
    assert e.claim == "claimed" and e.place.name == "Kismayo"


def test_a_bombing_by_government_jets_is_an_air_strike(run):
    [e] = run("Government jets carried out a bombing of rebel positions near Kismayo on Tuesday.")
    assert e.sub_event_type == "Air/drone strike" and e.actor1 == "Military Forces of Somalia"


def test_gas_dropped_on_a_town_falls_on_its_people(run):
    [e] = run("Government helicopters dropped chlorine gas on the town of Sarmin on Sunday, rescuers said.")
    assert e.sub_event_type == "Chemical weapon" and e.actor2 == "Civilians (Syria)"


def test_gas_fired_at_fighters_near_a_town_is_not_coded_as_on_civilians(run):
    [e] = run("Government forces fired shells filled with chlorine at rebel fighters near Sarmin on Sunday, "
              "rescuers said.")
    assert e.sub_event_type == "Chemical weapon" and not (e.actor2 or "").startswith("Civilians")


# ---- a salvo intercepted: the air defences that stopped it were its target -----------------

def test_missiles_intercepted_over_a_city_make_the_states_forces_the_other_side(run):
    e = one(run("On Wednesday, rebels fired three rockets at Kidal that were intercepted over the town, "
                "the army said."))
    assert e.sub_event_type == "Shelling/artillery/missile attack"
    assert e.actor2 == "Military Forces of Mali"


def test_missiles_fired_at_a_city_with_no_interception_name_no_other_side(run):
    # the positive twin: nothing says who was hit, so actor2 stays empty
    e = one(run("On Wednesday, rebels fired three rockets at Kidal, the army said."))
    assert e.sub_event_type == "Shelling/artillery/missile attack"
    assert e.actor2 is None


def test_missiles_shot_down_by_air_defences_are_the_same_strike_not_the_defenders(run):
    e = one(run("Rebel rockets struck the airport of Kidal on Wednesday. The army said two rockets hit the "
                "runway and two more were shot down by air defences."))
    assert e.sub_event_type == "Shelling/artillery/missile attack" and e.place.name == "Kidal"
    assert e.actor1 != "Military Forces of Mali"


def test_a_plane_shot_down_by_rebels_is_their_deed(run):
    # the twin: what shot the aircraft down is the side that acted
    e = one(run("Rebels shot down an army helicopter near Kidal on Wednesday, the army said."))
    assert e.actor1 is not None and e.actor1 != "Military Forces of Mali"


# ---- both sides firing ----------------------------------------------------------------------

def test_gunmen_who_exchange_fire_with_police_fight_an_armed_clash(run):
    e = one(run("On Tuesday, gunmen traded fire with a police patrol near the port of Natal."))
    assert e.sub_event_type == "Armed clash" and e.actor2 == "Police Forces of Brazil"


def test_leaders_who_exchange_views_fight_nothing(run):
    # the positive twin: only fire, gunfire or shots exchanged make a clash
    assert run("On Tuesday, the two governors exchanged views on security in Natal.") == []
