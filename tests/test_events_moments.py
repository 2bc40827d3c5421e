"""One sentence, two moments: a clause of time ("a week after the town was retaken") tells another
event than its main clause, with its own day and no share of the main clause's toll; what someone
went somewhere to do is a purpose, not an event; a death told first takes the kind of the blast
told after it. Made-up reports, through the real pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep.model import Article

pytestmark = pytest.mark.slow

PUBLISHED = dt.date(2024, 2, 14)  # a Wednesday


def _events(pipeline, text: str):
    return pipeline.process(Article(text=text, published=PUBLISHED)).events


def _one(events, sub: str):
    [e] = [e for e in events if e.sub_event_type == sub]
    return e


def test_a_town_retaken_days_before_a_blast_is_its_own_event_with_its_own_day(pipeline):
    events = _events(pipeline, "Two aid workers died in a blast in Kidal on Friday, nine days after government "
                               "troops retook the town.")
    retaken = _one(events, "Government regains territory")
    assert retaken.date == "2024-01-31" and retaken.fatalities in (None, 0)
    blast = _one(events, "Remote explosive/landmine/IED")
    assert blast.date == "2024-02-09" and blast.fatalities == 2


def test_the_gap_counts_from_the_main_clauses_own_day(pipeline):
    events = _events(pipeline, "On Monday troops shelled Kidal, two days after rebels seized the town.")
    assert _one(events, "Non-state actor overtakes territory").date == "2024-02-10"
    assert _one(events, "Shelling/artillery/missile attack").date == "2024-02-12"


def test_a_clause_of_time_with_no_measured_gap_is_the_same_event(pipeline):
    # the positive twin: "killed after gunmen opened fire" is one attack, its toll the attack's
    events = _events(pipeline, "Five people were killed in Kidal on Monday after gunmen opened fire on a market.")
    [e] = events
    assert e.fatalities == 5 and e.date == "2024-02-12"


def test_what_a_volunteer_travelled_to_do_is_no_clash(pipeline):
    events = _events(pipeline, "A former paratrooper who travelled north to fight the insurgents has been "
                               "killed in Kidal, his family said on Tuesday.")
    assert events and "Armed clash" not in {e.sub_event_type for e in events}


def test_fighters_who_fought_to_hold_a_town_did_fight(pipeline):
    # the positive twin: the fight is told as done, and its purpose is only why
    events = _events(pipeline, "Rebels fought government troops in Kidal on Monday to keep the town.")
    assert _one(events, "Armed clash").date == "2024-02-12"


def test_a_death_told_first_takes_the_kind_of_the_blast_told_next(pipeline):
    events = _events(pipeline, "A lorry driver has been killed near Kidal, the transport union said.\n\n"
                               "His lorry hit a landmine on Tuesday afternoon on the road south of the town, "
                               "a colleague said.")
    [e] = events
    assert e.sub_event_type == "Remote explosive/landmine/IED" and e.fatalities == 1


def test_a_protest_told_as_a_purpose_was_held(pipeline):
    # the exception to purposes: driving tractors into a city "to protest" is the protest
    events = _events(pipeline, "On Monday farmers drove their tractors into the centre of Lille to protest "
                               "against low milk prices.")
    assert _one(events, "Peaceful protest").date == "2024-02-12"


def test_a_capture_someone_went_to_help_in_is_no_event(pipeline):
    events = _events(pipeline, "A medic who had flown north to assist in the recapture of Kidal has died "
                               "there, his family said on Tuesday.")
    assert not [e for e in events if "territory" in (e.sub_event_type or "")]


def test_a_capture_someone_helped_in_did_happen(pipeline):
    # the positive twin: the verb the noun hangs on tells it as done
    events = _events(pipeline, "On Monday, militia fighters helped in the recapture of Kidal by government troops.")
    assert _one(events, "Government regains territory").date == "2024-02-12"


def test_a_kidnapping_told_in_a_clause_of_its_own_under_a_purpose_happened(pipeline):
    # the verb of its own tells it done, though the phrase it describes hangs on a purpose
    events = _events(pipeline, "Mediators travelled to Kidal to meet the engineer, who was kidnapped by the "
                               "group on Monday.")
    assert _one(events, "Abduction/forced disappearance").date == "2024-02-12"


def test_a_killing_told_in_a_clause_on_a_name_keeps_its_kind(pipeline):
    # the sentence is about a nomination; the clause on the name tells a shooting, with its own day
    e = _one(_events(pipeline, "The party named a new leader on Tuesday to replace its chairman, who was shot "
                               "dead in Kandahar on Sunday."), "Attack")
    assert e.date == "2024-02-11" and e.fatalities == 1


def test_a_nomination_with_no_violence_is_no_event(pipeline):
    # the twin: a change of leader told alone makes no violent event
    assert not [e for e in _events(pipeline, "The party named a new leader in Kandahar on Tuesday after its "
                                              "chairman resigned.") if e.event_type != "Strategic developments"]


def test_places_given_as_examples_of_a_fighters_war_make_no_event(pipeline):
    assert _events(pipeline, "Over those years he rose to command a platoon, fighting in some of the hardest "
                             "battles of the war, including Marjah, Sangin, Musa Qala and Nad Ali.") == ()


def test_places_listed_with_a_day_are_reported_strikes(pipeline):
    # the twin: a list of places with its own day is a report of what happened there
    [e] = _events(pipeline, "Missiles struck cities including Kharkiv, Odesa and Dnipro overnight on Monday, "
                            "killing four people.")
    assert e.sub_event_type == "Shelling/artillery/missile attack" and e.fatalities == 4
