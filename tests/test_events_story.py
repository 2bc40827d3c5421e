"""Where a report is, when its sentence does not say: one story told over short paragraphs goes on
at its place and day; a place inside a movement's name is not a scene; a district said to lie in a
province lies there."""

from __future__ import annotations

import datetime as dt

import pytest

from sitrep import actors as act
from sitrep.events.finish import UNPLACED_CONFIDENCE
from sitrep.events.where import _outside_stated_province
from sitrep.model import Article, Place, PlaceMention

PUBLISHED = dt.date(2024, 2, 12)  # a Monday

RAID = "Police raided a farm outside Gao on Sunday night and arrested four men suspected of planting roadside bombs."
SEIZED = "Officers also seized two rifles and a motorbike loaded with explosives."


def _events(pipeline, *paragraphs):
    return pipeline.process(Article(text="\n\n".join(paragraphs), published=PUBLISHED)).events


def _seizure(events):
    [e] = [e for e in events if e.sub_event_type == "Disrupted weapons use"]
    return e


@pytest.mark.slow
def test_a_later_paragraph_goes_on_with_the_story_at_its_place_and_day(pipeline):
    e = _seizure(_events(pipeline, RAID, "The raid followed weeks of surveillance, a police spokesman said.", SEIZED))
    assert e.place.name == "Gao" and e.precision == 2  # told, not named, in its sentence
    assert e.date == "2024-02-11"  # the raid's Sunday, not the day of publication


@pytest.mark.slow
def test_a_town_named_in_between_means_the_story_moved(pipeline):
    e = _seizure(_events(pipeline, RAID, "In Mopti, traders kept their shops shut.", SEIZED))
    assert e.place is None or e.place.name != "Gao"


@pytest.mark.slow
def test_a_story_told_long_before_is_not_carried_on(pipeline):
    filler = ["The region has seen a rise in such plots this year.", "Markets reopened in the afternoon.",
              "Schools were expected to stay open.", "The weather was dry and hot.",
              "Aid lorries were waiting at the border."]
    e = _seizure(_events(pipeline, RAID, *filler, SEIZED))
    assert e.place is None or e.place.name != "Gao"


@pytest.mark.slow
def test_a_place_in_a_movements_name_is_not_where_it_struck(pipeline):
    [e] = [e for e in _events(pipeline, "Fighters from the Balochistan Liberation Army ambushed a convoy on "
                                        "Tuesday, killing six soldiers.") if e.sub_event_type]
    assert e.place is None
    assert e.actor1 == "Balochistan Liberation Army"  # its own name, not a militia of the state


@pytest.mark.slow
def test_the_same_province_named_as_the_scene_is_where_it_struck(pipeline):
    [e] = [e for e in _events(pipeline, "Fighters ambushed a convoy in Balochistan on Tuesday, "
                                        "killing six soldiers.") if e.sub_event_type]
    assert e.place.name == "Balochistan"


def test_movement_names_are_kept_as_written_and_state_armies_are_not_movements():
    assert act.named_movement("an Eastern Liberation Front commander") == "Eastern Liberation Front"
    assert act.named_movement("the Revolutionary Movement of Ruritania") == "Revolutionary Movement of Ruritania"
    assert act.named_movement("the Afghan National Army") is None
    assert act.named_movement("crowds on Liberation Square") is None
    assert act.named_movement("Party members") is None


def _mention(text: str, start: int, name: str, code: str, admin1: str, cc: str = "AF") -> PlaceMention:
    return PlaceMention(start, start + len(name), name, Place(name, 1, 0.0, 0.0, cc, admin1, None, code))


def test_a_district_resolved_outside_the_province_the_text_names_is_dropped():
    text = "Troops cleared Zarin district, Oruzgan province, on Friday."
    town = _mention(text, text.index("Zarin"), "Zarin", "ADM2", "Panjshir")
    province = _mention(text, text.index("Oruzgan"), "Oruzgan", "ADM1", "Oruzgan")
    assert _outside_stated_province(town, [town, province], text)


def test_a_district_inside_the_province_the_text_names_is_kept():
    text = "Troops cleared Zarin district, Oruzgan province, on Friday."
    town = _mention(text, text.index("Zarin"), "Zarin", "ADM2", "Oruzgan")
    province = _mention(text, text.index("Oruzgan"), "Oruzgan", "ADM1", "Oruzgan")
    assert not _outside_stated_province(town, [town, province], text)
    # and a province named far away in the sentence says nothing of the town
    far = "Troops cleared Zarin on Friday, while in another part of the country Oruzgan voted."
    town = _mention(far, far.index("Zarin"), "Zarin", "ADM2", "Panjshir")
    province = _mention(far, far.index("Oruzgan"), "Oruzgan", "ADM1", "Oruzgan")
    assert not _outside_stated_province(town, [town, province], far)


def test_an_event_placed_only_in_a_country_is_never_a_confident_one(pipeline):
    [e] = [e for e in _events(pipeline, "Gunmen killed six farmers in Nigeria on Tuesday, police said.")
           if e.event_type != "Political"]
    assert e.place is not None and e.place.is_country and e.confidence <= UNPLACED_CONFIDENCE


def test_an_event_placed_in_a_town_keeps_its_confidence(pipeline):
    [e] = [e for e in _events(pipeline, "Gunmen killed six farmers in Makurdi on Tuesday, police said.")
           if e.event_type != "Political"]
    assert e.place.name == "Makurdi" and e.confidence > UNPLACED_CONFIDENCE


LEAD = "French jets carried out air strikes on a militant camp near Menaka last week, the army said."
RETOLD = ("The army said on Tuesday that its jets had struck the camp with guided bombs over two hours, "
          "and that the attackers had fled.")


@pytest.mark.slow
def test_a_report_dated_only_by_its_statement_takes_the_day_of_the_same_report_told_before(pipeline):
    strikes = [e for e in _events(pipeline, LEAD, RETOLD) if e.sub_event_type == "Air/drone strike"]
    assert len(strikes) == 1  # one strike told twice
    [e] = strikes
    assert e.date.startswith("2024-02-0")  # last week's, not the Tuesday of the statement
    assert e.date != "2024-02-06"


@pytest.mark.slow
def test_a_statement_day_stays_when_nothing_before_tells_the_same(pipeline):
    # the twin: with no earlier report of it, the day of the statement is the best there is
    [e] = [e for e in _events(pipeline, RETOLD.replace("the camp", "a militant camp near Menaka"))
           if e.sub_event_type == "Air/drone strike"]
    assert e.date == "2024-02-06"


@pytest.mark.slow
def test_where_a_victim_comes_from_is_not_where_he_died(pipeline):
    [e] = _events(pipeline, "Jack Hale, a volunteer from Bournemouth, was killed in an explosion on Sunday while "
                            "clearing mines in the ruins of Bakhmut.")
    assert e.place.name == "Bakhmut"


@pytest.mark.slow
def test_residents_of_a_town_are_there(pipeline):
    # the twin: "residents of X" live in X, where the shells fell
    [e] = _events(pipeline, "Residents of Bakhmut fled after shells hit the town on Sunday.")
    assert e.sub_event_type == "Shelling/artillery/missile attack" and e.place.name == "Bakhmut"


@pytest.mark.slow
def test_a_single_shell_that_hit_is_shelling_and_a_shell_company_is_not(pipeline):
    [e] = _events(pipeline, "A shell landed near a school in Kherson on Sunday, wounding two children.")
    assert e.sub_event_type == "Shelling/artillery/missile attack" and e.place.name == "Kherson"
    assert _events(pipeline, "Investigators say a shell company in Cyprus moved the money.") == ()


@pytest.mark.slow
def test_a_find_during_the_operation_takes_the_operations_day_in_one_paragraph(pipeline):
    # one paragraph, so the story rule does not apply; the sentence says which operation it was
    text = (RAID + " The men were taken to the regional capital for questioning. "
            "Officers seized two rifles and a motorbike loaded with explosives during the operation.")
    assert _seizure(_events(pipeline, text)).date == "2024-02-11"


@pytest.mark.slow
def test_a_find_told_with_no_operation_and_no_day_is_dated_when_published(pipeline):
    text = (RAID + " The men were taken to the regional capital for questioning. "
            "Officers seized two rifles and a motorbike loaded with explosives at a house in the town.")
    assert _seizure(_events(pipeline, text)).date == PUBLISHED.isoformat()


SALVO = "Rebels have fired rockets at Marib for weeks, with the latest barrage on Sunday."
SALVO_RETOLD = "On Sunday, the army said rebels fired a barrage of rockets at Marib that were intercepted over the city."


@pytest.mark.slow
def test_a_salvo_that_was_intercepted_is_one_attack(pipeline):
    events = [e for e in _events(pipeline, SALVO, "Residents said the sirens went on for an hour.", SALVO_RETOLD)
              if e.sub_event_type]
    assert [(e.sub_event_type, e.date) for e in events] == [("Shelling/artillery/missile attack", "2024-02-11")]


@pytest.mark.slow
def test_a_bomb_defused_before_it_went_off_is_disrupted(pipeline):
    events = [e for e in _events(pipeline, "Soldiers defused a roadside bomb planted near Marib on Sunday.")
              if e.sub_event_type]
    assert [e.sub_event_type for e in events] == ["Disrupted weapons use"]


@pytest.mark.slow
def test_a_town_said_to_lie_near_another_is_the_scene_not_the_other(pipeline):
    [e] = [e for e in _events(pipeline, "Rescuers reached Irpin, near the capital, Kyiv, on Sunday. Two people "
                                        "were killed when shells struck a block of flats.") if e.sub_event_type]
    assert e.place.name == "Irpin"
    [e] = [e for e in _events(pipeline, "Troops clashed with saboteurs near Kyiv on Sunday.") if e.sub_event_type]
    assert e.place.name == "Kyiv"  # its twin: "near Kyiv" with no town before it is still where it was
