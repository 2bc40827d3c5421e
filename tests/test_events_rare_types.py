"""Sub-event types that are rare or absent in ACLED's files must still come out right,
from ACLED's definitions (one sentence each, written for these tests)."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.model import Article

PUBLISHED = dt.date(2023, 4, 10)  # a Monday

CASES = [
    ("Government aircraft dropped barrels of chlorine gas on Douma, east of Damascus, on Sunday, "
     "killing at least 30 people, rescue workers said.", "Chemical weapon", "Military Forces of Syria", 30),
    ("A suicide bomber blew himself up at a checkpoint outside the city of Mogadishu on Monday, killing six "
     "soldiers, police said.", "Suicide bomb", "Unidentified Armed Group (Somalia)", 6),
    ("Wagner fighters established a new base at the airport of Menaka on Friday, local officials said.",
     "Headquarters or base established", "Wagner Group", None),
    ("The army and the rebels signed a ceasefire agreement in Juba on Saturday, mediators said.",
     "Agreement", None, None),
    ("Unidentified men threw a grenade into a bar in the town of Bunia on Saturday night, wounding five people, "
     "police said.", "Grenade", "Unidentified Armed Group (Democratic Republic of the Congo)", 0),
    ("Soldiers raped at least 12 women in a village near Kananga on Thursday, a local rights group said.",
     "Sexual violence", None, None),
    ("Security forces opened fire on protesters in the city of Khartoum on Thursday, killing three "
     "demonstrators, medics said.", "Excessive force against protesters", "Protesters (Sudan)", 3),
    ("Gunmen kidnapped 20 students from a school in Kaduna state on Tuesday, the state government said.",
     "Abduction/forced disappearance", "Unidentified Armed Group (Nigeria)", None),
    ("Militiamen looted and burned the market of Geneina on Wednesday, residents said.",
     "Looting/property destruction", None, None),
    ("A mob lynched two men accused of theft in the town of Kisumu on Sunday, police said.",
     "Mob violence", None, None),
    ("Soldiers defused a car bomb packed with explosives near a mosque in the city of Maiduguri on Friday, "
     "the army said.", "Disrupted weapons use", "Military Forces of Nigeria", None),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,sub_type,actor1,fatalities", CASES, ids=[c[1] for c in CASES])
def test_rare_sub_event_types(pipeline, text, sub_type, actor1, fatalities):
    result = pipeline.process(Article(text=text, published=PUBLISHED))
    events = [e for e in result.events if e.sub_event_type]
    assert [e.sub_event_type for e in events] == [sub_type], [e.to_dict() for e in result.events]
    event = events[0]
    if actor1:
        assert event.actor1 == actor1
    if fatalities is not None:
        assert event.fatalities == fatalities
    assert event.date is not None and event.date <= PUBLISHED.isoformat()
    assert event.evidence[0].text == text


@pytest.mark.slow
def test_a_shoot_out_is_an_armed_clash_and_a_beating_an_attack(pipeline):
    def events(text):
        return pipeline.process(Article(text=text, published=dt.date(2024, 3, 7))).events
    [e] = events("A shoot-out between rival gangs took place in a neighbourhood of Mexico City. Casualties unknown.")
    assert e.sub_event_type == "Armed clash" and e.place.name == "Mexico City"
    [e] = events("A vendor was beaten by four municipal officers in Accra after refusing to pay a market fee.")
    assert e.sub_event_type == "Attack" and e.actor2 == "Civilians (Ghana)"


@pytest.mark.slow
def test_beating_a_rival_team_or_a_deadline_is_no_event(pipeline):
    text = ("Arsenal beat Chelsea 2-0 on Saturday to go top of the league. "
            "The striker was beaten to the ball by the goalkeeper. She beat the deadline by two days.")
    assert pipeline.process(Article(text=text, published=dt.date(2024, 3, 7))).events == ()


@pytest.mark.slow
def test_supporters_of_rival_candidates_who_clash_are_mob_violence(pipeline):
    text = "Supporters of two rival candidates clashed outside a polling station in Kathmandu, injuring twelve people."
    [e] = pipeline.process(Article(text=text, published=dt.date(2024, 3, 7))).events
    assert e.sub_event_type == "Mob violence" and e.actor1.startswith("Rioters")


@pytest.mark.slow
def test_rebels_who_clash_with_troops_fight_an_armed_clash(pipeline):
    text = "Rebel fighters clashed with troops near the town of Kidal on Monday."
    [e] = pipeline.process(Article(text=text, published=dt.date(2024, 3, 7))).events
    assert e.sub_event_type == "Armed clash"


@pytest.mark.slow
def test_livestock_taken_by_raiders_is_looting_not_a_town_taken(pipeline):
    out = pipeline.process(Article(text="Armed raiders seized dozens of cows from herders near Djibo on "
                                        "Saturday, residents said.", published=PUBLISHED)).events
    assert [e.sub_event_type for e in out] == ["Looting/property destruction"]


@pytest.mark.slow
def test_a_town_seized_by_militants_is_taken_and_a_police_seizure_is_no_event(pipeline):
    # the positive twins: a place seized changes hands; goods the police seize make no event
    out = pipeline.process(Article(text="Militants seized the town of Djibo on Saturday, residents said.",
                                   published=PUBLISHED)).events
    assert [e.sub_event_type for e in out] == ["Non-state actor overtakes territory"]
    out = pipeline.process(Article(text="Police seized two trucks loaded with cannabis near Djibo on Saturday.",
                                   published=PUBLISHED)).events
    assert not out


@pytest.mark.slow
def test_a_vehicle_packed_with_explosives_that_exploded_is_a_bombing(pipeline):
    text = "A van loaded with explosives exploded outside a police station in Quetta on Saturday, officials said."
    out = pipeline.process(Article(text=text, published=PUBLISHED)).events
    assert [e.sub_event_type for e in out] == ["Remote explosive/landmine/IED"]
    assert out[0].place.name == "Quetta"


@pytest.mark.slow
def test_anger_or_a_gas_cylinder_that_exploded_is_no_bombing(pipeline):
    # the negative twins: what exploded must be or carry an explosive
    for text in ("Anger exploded in Quetta on Saturday after the court freed the suspects.",
                 "A gas cylinder exploded in a kitchen in Quetta on Saturday, firefighters said."):
        assert not pipeline.process(Article(text=text, published=PUBLISHED)).events, text


@pytest.mark.slow
def test_what_was_blown_up_makes_a_bombing_and_blowing_oneself_up_a_suicide_bombing(pipeline):
    def types(text):
        return [e.sub_event_type for e in pipeline.process(Article(text=text, published=PUBLISHED)).events]
    assert types("Insurgents blew up three power pylons near Quetta on Saturday, cutting electricity "
                 "to the city.") == ["Remote explosive/landmine/IED"]
    assert types("A bomber blew himself up at a checkpoint near Quetta on Saturday, killing two "
                 "policemen.") == ["Suicide bomb"]
    assert types("Officials in Quetta warned on Saturday that the dispute over water could blow up.") == []


@pytest.mark.slow
def test_an_exchange_of_gunfire_that_left_dead_is_an_armed_clash(pipeline):
    text = "An exchange of gunfire near the border town of Chaman on Saturday left two people dead, police said."
    [e] = pipeline.process(Article(text=text, published=PUBLISHED)).events
    assert (e.sub_event_type, e.fatalities) == ("Armed clash", 2)
    # the negative twin: only fire, gunfire or shots exchanged make a clash (prisoners exchanged are a release)
    out = pipeline.process(Article(text="An exchange of prisoners near Chaman on Saturday freed 20 men.",
                                   published=PUBLISHED)).events
    assert "Armed clash" not in [e.sub_event_type for e in out]
