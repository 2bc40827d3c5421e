"""Trivial baselines beside every eval score, the ACLED note cleaning, MUC-4 relevance and
incidents, and control-period precision: scoring logic on small hand-made inputs only."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

from sitrep.evaluation import (
    acled, below_baseline, check_floors, control, geoparse, isaf, majority, muc4, plover, with_baselines, write_table)
from sitrep.model import Article, ArticleResult, Event, Place

FIX = Path(__file__).parent / "fixtures" / "eval"


def ev(etype, *, date=None, place=None, sub=None) -> Event:
    return Event(id="e", event_type=etype, sub_event_type=sub, plover=None, actor1=None, actor2=None, place=place,
                 precision=None, date=date, date_precision=None, fatalities=None)


# ---- shared ---------------------------------------------------------------------------

def test_majority_and_with_baselines_and_table():
    assert majority(["a", "b", "b", "a", "c"]) == ("a", 2)  # a tie goes to the value seen first
    assert majority([]) == (None, 0)
    merged = with_baselines({"n": 3, "acc": 0.5}, {"acc": (0.7, "always x")})
    assert list(merged) == ["n", "acc", "acc_baseline"] and merged["acc_baseline"] == 0.7
    out = io.StringIO()
    write_table(out, merged, {"acc": (0.7, "always x")})
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:3] == ["score", "sitrep", "baseline"]
    assert "always x <- below baseline" in lines[2] and not any("acc_baseline" in x for x in lines)


def test_below_baseline_knows_which_scores_fall_with_quality():
    scores = {"acc": 0.5, "acc_baseline": 0.7, "f1": 0.9, "f1_baseline": 0.2, "spurious_events": 5,
              "spurious_events_baseline": 3, "false_periods_x": 0, "n": 4, "odd": None, "odd_baseline": 0.1}
    assert below_baseline(scores) == ["acc", "spurious_events"]


def test_check_floors_warns_below_baseline_but_gates_on_floors(tmp_path):
    floors = tmp_path / "b.json"
    floors.write_text(json.dumps({"demo": {"acc": 0.4, "f1": 0.1}}))
    out = io.StringIO()
    code = check_floors("demo", {"acc": 0.5, "acc_baseline": 0.7, "f1": 0.9, "f1_baseline": 0.2}, floors, out)
    text = out.getvalue()
    assert code == 0
    assert "  BELOW BASELINE acc: sitrep 0.5 vs trivial baseline 0.7" in text and "  BELOW BASELINE f1" not in text
    assert "FLOOR BELOW BASELINE acc: floor 0.4 vs trivial baseline 0.7" in text
    assert "FLOOR BELOW BASELINE f1: floor 0.1 vs trivial baseline 0.2" in text  # a floor under its baseline
    assert check_floors("demo", {"acc": 0.3, "f1": 0.9}, floors, io.StringIO()) == 1


# ---- ACLED -------------------------------------------------------------------------------

def test_acled_clean_note_drops_house_style():
    assert acled.clean_note("On 21 March 2020, 3 soldiers were killed in Balkh. Fatalities coded as 0 "
                            "(VoJ reported 3 fatalities).") == "3 soldiers were killed in Balkh."
    note = ("Property destruction: Around 26 May 2022 (as reported), troops burned houses in Thit Cho (coded as "
            "Thit Cho (East)). [size=no report]")
    assert acled.clean_note(note) == "Troops burned houses in Thit Cho."
    assert acled.clean_note("As reported on 21 March 2020, a man was killed in Kabul. 1 fatality.") == \
        "A man was killed in Kabul."
    assert acled.clean_note("Farmers protested across Western UP, coded as Lucknow (Lucknow district, UP), over "
                            "prices [women targeted: girls].") == "Farmers protested across Western UP, over prices."
    # an absolute date inside the note stays: that is what the date score measures
    assert acled.clean_note("On 3 May 2022, police said a bomb went off on 1 May 2022.") == \
        "Police said a bomb went off on 1 May 2022."
    assert acled.clean_note("Around 80 people marched in Dijon.") == "Around 80 people marched in Dijon."


def test_acled_baselines_are_the_most_frequent_gold_values():
    def row(sub, etype, actor, admin1, lat, lon, dead, day):
        return {"sub_event_type": sub, "event_type": etype, "actor1": actor, "admin1": admin1, "latitude": lat,
                "longitude": lon, "fatalities": dead, "event_date": day}
    rows = [row("Armed clash", "Battles", "Taliban", "Helmand", "31.6", "64.2", "0", "2020-03-02"),
            row("Armed clash", "Battles", "Taliban", "Kandahar", "31.6", "64.2", "2", "2020-03-02"),
            row("Attack", "Violence against civilians", "Military Forces of Afghanistan (2014-2021)", "Helmand",
                "34.5", "69.2", "0", "2020-03-05"),
            row("Grenade", "Explosions/Remote violence", "Taliban", "Helmand province", "31.7", "64.2", "0",
                "2020-03-09")]
    base = acled.baselines(rows)
    assert base["sub_event_type_accuracy"] == (0.5, "always 'Armed clash'")
    assert base["sub_event_type_macro_f1"][0] == round((2 * 2 / (2 * 2 + 2 + 0)) / 3, 3)
    assert base["event_type_accuracy"][0] == 0.5
    assert base["actor1_accuracy"] == (0.75, "always 'Taliban'")
    assert base["admin1_accuracy"][0] == 0.75  # "Helmand province" is Helmand
    assert base["location_25km_accuracy"][0] == 0.75  # 31.7 is 11 km from 31.6
    assert base["fatalities_accuracy"] == (0.75, "always 0")
    assert base["date_accuracy"][0] == 0.5
    assert acled.baselines([]) == {}


class Recorder:
    """Records the articles it is given and returns no events."""

    def __init__(self):
        self.articles = []

    def process_many(self, articles):
        for a in articles:
            self.articles.append(a)
            yield ArticleResult(article=a, events=())


def test_acled_run_gives_no_publication_date_and_clean_text():
    pipe = Recorder()
    scores = acled.run(FIX / "acled", pipe, io.StringIO())
    assert pipe.articles and all(a.published is None for a in pipe.articles)
    assert not any(a.text.startswith("On ") or "[size" in a.text for a in pipe.articles)
    assert "world_fatalities_accuracy_baseline" in scores and "afg2020_actor1_accuracy_baseline" in scores


# ---- ISAF and PLOVER ------------------------------------------------------------------------

def test_isaf_baselines():
    golds = [{"start_date": "2011-07-22", "province": ["Helmand"], "min_killed": 0, "min_captured": 2},
             {"start_date": "2011-07-23", "province": ["Helmand province"], "min_killed": 3, "min_captured": 0},
             {"start_date": "2011-07-24", "province": [], "min_killed": 0, "min_captured": 0},
             {"start_date": "2011-07-25", "province": ["Kandahar", "Helmand"], "min_killed": 1, "min_captured": 0}]
    published = [dt.date(2011, 7, 22), dt.date(2011, 7, 24), None, dt.date(2011, 7, 25)]
    base = isaf.baselines(golds, published)
    assert base["start_date_accuracy"] == (0.5, "the publication date")
    assert base["province_accuracy"] == (0.75, "always 'helmand'")
    assert base["min_killed_accuracy"] == (0.5, "always 0")
    assert base["min_captured_accuracy"] == (0.75, "always 0")
    assert base["min_killed_positive_accuracy"] == (0.0, "always 0")  # the whole-set constant


def test_plover_baseline_is_the_majority_type():
    base = plover.baselines(["ASSAULT", "PROTEST", "ASSAULT", "DEMAND"])
    assert base["plover_accuracy"] == (0.5, "always ASSAULT")
    assert base["plover_macro_recall"][0] == 0.333


# ---- MUC-4 ------------------------------------------------------------------------------------

def test_muc4_dates_and_locations():
    d = dt.date
    assert muc4.date_windows("16 NOV 89") == [(d(1989, 11, 15), d(1989, 11, 17))]
    assert muc4.date_windows("- 04 MAR 90") == [(d(1990, 1, 31), d(1990, 3, 5))]
    assert muc4.date_windows("(- 29 MAR 89) / (28 MAR 89 - 29 MAR 89)")[1] == (d(1989, 3, 27), d(1989, 3, 30))
    assert muc4.date_windows("-") is None and muc4.date_windows("*") is None
    assert muc4.locations("EL SALVADOR: SAN SALVADOR (CITY): ESCALON (NEIGHBORHOOD)") == [
        ("EL SALVADOR", ["SAN SALVADOR", "ESCALON"])]
    assert muc4.locations("(EL SALVADOR: ZARAGOZA (TOWN)) / (EL SALVADOR: SAN MIGUEL (CITY))") == [
        ("EL SALVADOR", ["ZARAGOZA"]), ("EL SALVADOR", ["SAN MIGUEL"])]
    assert muc4.locations("COLOMBIA / VENEZUELA") == [("COLOMBIA", []), ("VENEZUELA", [])]
    assert muc4.locations("-") is None


def template(n="1", date="16 NOV 89", loc="EL SALVADOR: SAN SALVADOR (CITY)", kind="ATTACK", instrument="-"):
    return {1: [n], 2: [date], 3: [loc], 4: [kind], 7: [instrument]}


def test_muc4_incident_types_map_to_acled_families():
    assert muc4.incident_of(template(n="*")) is None
    attack = muc4.incident_of(template())
    assert attack["families"] == {"Battles", "Violence against civilians"} and not attack["optional"]
    grenade = muc4.incident_of(template(instrument='GRENADE: "GRENADE"'))
    assert "Explosions/Remote violence" in grenade["families"]
    assert muc4.incident_of(template(kind="BOMBING"))["families"] == {"Explosions/Remote violence"}
    assert muc4.incident_of(template(kind="KIDNAPPING"))["families"] == {"Violence against civilians"}
    assert muc4.incident_of(template(kind="ROBBERY"))["families"] == set()
    assert muc4.incident_of(template(n="2 (OPTIONAL)"))["optional"]


class FakeGazetteer:
    PLACES = {
        "el salvador": [Place("El Salvador", country_code="SV", feature_code="PCLI", latitude=13.8, longitude=-88.9)],
        "san salvador": [Place("San Salvador", country_code="SV", feature_code="PPLC", latitude=13.69,
                               longitude=-89.19)],
        "colombia": [Place("Colombia", country_code="CO", feature_code="PCLI", latitude=4.0, longitude=-73.0)],
    }

    def candidates(self, name):
        return self.PLACES.get(name.lower(), [])


SS = Place("San Salvador", country_code="SV", admin1="San Salvador", feature_code="PPLC", latitude=13.69,
           longitude=-89.19)
SOYAPANGO = Place("Soyapango", country_code="SV", admin1="San Salvador", feature_code="PPL", latitude=13.71,
                  longitude=-89.14)
SV = Place("El Salvador", country_code="SV", feature_code="PCLI", latitude=13.8, longitude=-88.9)
BOGOTA = Place("Bogota", country_code="CO", admin1="Bogota D.C.", feature_code="PPLC", latitude=4.6, longitude=-74.1)


def test_muc4_place_agreement():
    res = muc4.Resolver(FakeGazetteer())
    city = muc4.locations("EL SALVADOR: SAN SALVADOR (CITY)")
    assert muc4.place_agrees(city, SS, res)
    assert muc4.place_agrees(city, SOYAPANGO, res)  # named admin1, and within 25 km
    assert not muc4.place_agrees(city, SV, res)  # a country-level place is not the city
    assert not muc4.place_agrees(city, BOGOTA, res) and not muc4.place_agrees(city, None, res)
    assert muc4.place_agrees(muc4.locations("EL SALVADOR"), SV, res)
    assert muc4.place_agrees(muc4.locations("COLOMBIA / VENEZUELA"), BOGOTA, res)
    assert muc4.place_agrees(None, None, res)
    # without a gazetteer, names only
    assert muc4.place_agrees(city, SS, muc4.Resolver()) and not muc4.place_agrees(city, BOGOTA, muc4.Resolver())


def test_muc4_documents_relevance_incidents_and_spurious():
    res = muc4.Resolver(FakeGazetteer())
    attack = muc4.incident_of(template())
    bombing = muc4.incident_of(template(kind="BOMBING", date="- 20 NOV 89", loc="EL SALVADOR"))
    optional = muc4.incident_of(template(n="2 (OPTIONAL)", kind="KIDNAPPING", date="-", loc="-"))
    robbery = muc4.incident_of(template(kind="ROBBERY"))
    docs = [[attack, bombing], [optional], [], [], [robbery]]
    events = [
        [ev("Battles", date="1989-11-16", place=SS),  # matches the attack
         ev("Battles", date="1989-11-16", place=SS),  # a second report of it: unmatched
         ev("Explosions/Remote violence", date="1989-11-01", place=SS)],  # bombing, inside "- 20 NOV 89"
        [ev("Violence against civilians", date=None, place=None)],  # matches the optional kidnapping
        [ev("Battles", date="1989-11-16", place=SS), ev("Protests", date="1989-11-16", place=SS)],  # 1 spurious
        [ev("Protests")],  # not violent: a clean irrelevant message
        [],  # robbery: relevant, missed, not an incident sitrep could code as violent
    ]
    s = muc4.score_documents(docs, events, res)
    assert (s["messages"], s["relevant_messages"], s["violent_events"]) == (5, 3, 5)
    assert (s["relevance_precision"], s["relevance_recall"], s["relevance_f1"]) == (0.667, 0.667, 0.667)
    assert (s["incidents_scored"], s["incidents_no_violent_family"]) == (2, 1)
    assert s["incident_precision"] == 0.6 and s["incident_recall"] == 1.0  # 3 of 5 events; both required incidents
    assert (s["irrelevant_messages"], s["spurious_violent_events"]) == (2, 1)
    assert s["spurious_violent_per_irrelevant_message"] == 0.5 and s["irrelevant_messages_clean"] == 0.5


def test_muc4_date_place_and_type_must_all_agree():
    res = muc4.Resolver(FakeGazetteer())
    attack = muc4.incident_of(template())
    for wrong in (ev("Explosions/Remote violence", date="1989-11-16", place=SS),  # type family
                  ev("Battles", date="1989-11-20", place=SS),  # date
                  ev("Battles", date=None, place=SS),  # no date
                  ev("Battles", date="1989-11-16", place=BOGOTA)):  # place
        assert muc4.match_incidents([attack], [wrong], res) == []
    assert muc4.match_incidents([attack], [ev("Battles", date="1989-11-17", place=SS)], res) == [(0, 0)]


def test_muc4_baselines_and_load_all():
    articles, docs, golds = muc4.load_all(FIX / "muc4" / "raw_dev")
    assert [a.id for a in articles] == ["DEV-MUC3-0001", "DEV-MUC3-0002", "DEV-MUC3-0003"]
    assert [len(d) for d in docs] == [2, 0, 1] and golds[1] is None
    base = muc4.document_baselines(docs, articles, muc4.Resolver())
    assert base["relevance_recall"][0] == 1.0 and base["relevance_precision"][0] == 0.667
    assert base["spurious_violent_per_irrelevant_message"][0] == 1.0
    assert base["relevance_f1"][1].startswith("always relevant")
    status = muc4.status_baselines([g for g in golds if g])
    assert status["status_accuracy"] == (0.5, "always happened")
    assert status["claim_accuracy"] == (0.0, "always reported")  # the only perpetrator is claimed


# ---- control on the Guardian ------------------------------------------------------------------

def period(name, controller, since, gid=None, cc="SY"):
    return {"place": {"name": name, "geonameid": gid, "country_code": cc}, "controller": controller,
            "since": since, "claim": "confirmed", "sources": ["s1"]}


def test_guardian_control_precision_counts_false_periods():
    record = [("Raqqa", ("SDF",), "2017-10-17", "2017-10-20"), ("Afrin", ("Turkey",), "2018-03-18", "2018-03-18")]
    periods = [period("Ar Raqqah", "SDF: Syrian Democratic Forces", "2017-10-19", gid=1),  # supported
               period("Ar Raqqah", "SDF: Syrian Democratic Forces", "2017-10-21", gid=1),  # the same change again
               period("Ar Raqqah", "Islamic State", "2017-11-09", gid=1),  # IS never took it back
               period("Afrin", "Turkey", "2018-01-15"),  # two months early: best match, not support
               period("Duma", "Syria", "2018-04-12"),  # a change the record does not list
               period("Mosul", "Islamic State", "2017-07-01", cc="IQ")]  # not in the record's country
    out = io.StringIO()
    s = control.score_guardian(periods, lambda place: {1} if place == "Raqqa" else set(), out, record)
    assert s["guardian_control_found"] == 2 and s["guardian_raqqa_error_days"] == 0
    assert s["guardian_afrin_error_days"] == -62
    assert (s["guardian_control_periods"], s["guardian_periods_elsewhere"]) == (5, 1)
    assert (s["guardian_supported_periods"], s["guardian_false_periods"]) == (1, 4)
    assert s["guardian_control_precision"] == 0.2
    assert "FALSE    2017-11-09 Ar Raqqah -> Islamic State" in out.getvalue()


# ---- geoparse -------------------------------------------------------------------------------------

def test_geoparse_acc161_baseline_is_the_most_frequent_point():
    g = geoparse.Gold
    golds = [[g(0, 5, "Paris", 48.85, 2.35), g(6, 11, "Paris", 48.853, 2.349), g(12, 16, "Lyon", 45.76, 4.84)],
             [g(0, 3, "Orly", 48.73, 2.37), g(4, 8, "Nowhere", None, None)]]
    value, rule = geoparse.acc161_baseline(golds)
    assert value == round(3 / 4, 4) and "(48.85, 2.35)" in rule
    assert geoparse.acc161_baseline([[]]) == (None, "")


def test_articles_without_dates_parse():  # the dateline place the MUC-4 baseline uses
    a = Article(text="   SAN SALVADOR, 3 JAN 90 -- [TEXT] THE ARMY SAID", id="x")
    assert muc4._dateline_place(a.text) == "SAN SALVADOR"
