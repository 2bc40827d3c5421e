"""Evaluators on real third-party data: parsing each format and scoring hand-built predictions.

The fixtures under fixtures/eval/ are tiny hand-written files in the formats of
the real sets (ACLED CSV exports, ISAF JSONL, MUC-4 texts and keys, PLOVER GSR).
Only the test marked slow runs the real pipeline.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep import cli as cli_module
from sitrep.evaluation import acled, isaf, main_event, muc4, plover, predict, rate
from sitrep.model import Article, ArticleResult, Event, Place
from sitrep.taxonomy import ACLED_SUB_TYPES

FIX = Path(__file__).parent / "fixtures" / "eval"


def ev(sub=None, *, etype=None, plover_code=None, conf=0.5, actor1=None, place=None, date=None,
       fatalities=None, counts=None, status="happened", claim="reported") -> Event:
    return Event(id="e", event_type=etype or ACLED_SUB_TYPES.get(sub), sub_event_type=sub, plover=plover_code,
                 actor1=actor1, actor2=None, place=place, precision=None, date=date, date_precision=None,
                 fatalities=fatalities, counts=counts or {}, status=status, claim=claim, confidence=conf)


def at(lat=None, lon=None, admin1=None) -> Place:
    return Place("somewhere", latitude=lat, longitude=lon, admin1=admin1)


# ---- shared: the main event -------------------------------------------------------

def test_main_event_prefers_acled_typed_then_confidence_then_order():
    a, b, c = ev("Armed clash", conf=0.7), ev("Attack", conf=0.7), ev(None, plover_code="ACCUSE", conf=0.9)
    assert main_event([a, b, c]) is a  # tie: the first listed
    assert main_event([c]) is None
    assert main_event([a, c], acled_only=False) is c
    assert main_event([]) is None
    assert rate(1, 3) == 0.333 and rate(0, 0) is None


class BrittlePipeline:
    """Fails on any article that says "boom", in a batch or alone."""

    def process_many(self, articles):
        for a in articles:
            yield self.process(a)

    def process(self, a):
        if "boom" in a.text:
            raise AttributeError("no speaker")
        return ArticleResult(article=a, events=(ev("Attack", conf=0.9),))


def test_predict_scores_a_failing_article_as_missing_and_keeps_order():
    import io

    arts = [Article(text=t, origin=f"f:{i}") for i, t in enumerate(["calm", "boom", "calm again"] * 30)]
    out = io.StringIO()
    picked, errors = predict(BrittlePipeline(), arts, lambda r: r.article.text, out, default="-", chunk=8)
    assert errors == 30 and picked == ["calm", "-", "calm again"] * 30
    assert "pipeline error on f:1: AttributeError: no speaker" in out.getvalue()


def test_predict_in_two_forked_workers_gives_the_single_process_result():
    import io

    arts = [Article(text=t, origin=f"f:{i}") for i, t in enumerate(["calm", "boom", "calm again"] * 30)]
    alone, both = io.StringIO(), io.StringIO()
    serial = predict(BrittlePipeline(), arts, lambda r: r.article.text, alone, default="-", workers=1)
    forked = predict(BrittlePipeline(), arts, lambda r: r.article.text, both, default="-", workers=2)
    assert forked == serial and serial[0] == ["calm", "-", "calm again"] * 30
    assert sorted(both.getvalue().splitlines()) == sorted(alone.getvalue().splitlines())
    assert both.getvalue().count("pipeline error") == 30


def test_eval_workers_reads_the_environment_and_rejects_nonsense(monkeypatch):
    from sitrep.errors import UsageError
    from sitrep.evaluation import eval_workers

    monkeypatch.setenv("SITREP_EVAL_WORKERS", "1")
    assert eval_workers() == 1
    monkeypatch.setenv("SITREP_EVAL_WORKERS", "two")
    with pytest.raises(UsageError, match="SITREP_EVAL_WORKERS"):
        eval_workers()


# ---- ACLED --------------------------------------------------------------------------

def fixture_rows(name: str) -> list[dict]:
    with (FIX / "acled" / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_acled_split_is_fixed_and_load_keeps_only_test_rows():
    assert [acled.in_test_split(i) for i in ("TST7", "TST8", "TST11", "TST1")] == [True, True, True, False]
    rows, total = acled.load(FIX / "acled" / "acled_world_2022h1.csv")
    assert total == 4 and [r["event_id_cnty"] for r in rows] == ["TST7", "TST8", "TST11"]
    rows, total = acled.load(FIX / "acled" / "acled_world_2022h1.csv", limit=2)
    assert len(rows) == 2
    rows, total = acled.load(FIX / "acled" / "acled_afghanistan_2020_03.csv")
    assert total == 2 and [r["event_id_cnty"] for r in rows] == ["OLD2"]


def test_acled_field_rules():
    assert acled.parse_date("2022-04-02") == dt.date(2022, 4, 2)
    assert acled.parse_date("9 March 2020") == dt.date(2020, 3, 9)
    assert acled.parse_date("soon") is None
    assert acled.actor_match("Military Forces of Afghanistan (2014-2021)", "military forces of Afghanistan") == (True, True)
    assert acled.actor_match("Police Forces of Nigeria (2015-)", "Police Forces of Nigeria (2015-2023)") == (True, True)
    assert acled.actor_match("Protesters (Chile)", "Protesters") == (False, True)
    assert acled.actor_match("Protesters (Chile)", "Protesters (Peru)") == (False, True)
    assert acled.actor_match("Taliban", "Islamic State (Afghanistan)") == (False, False)
    assert acled.actor_match("Taliban", None) == (False, False)
    assert acled.admin1_key("Helmand Province") == acled.admin1_key("helmand") == "helmand"


def test_acled_scores_from_hand_built_predictions():
    rows = fixture_rows("acled_world_2022h1.csv")  # TST7 clash, TST8 protest, TST11 attack, TST1 mob violence
    predictions = [
        ev("Armed clash", actor1="Military Forces of Nigeria", place=at(11.2, 12.8, "Borno"), date="2022-04-02",
           fatalities=4),  # all right
        ev("Protest with intervention", actor1="Protesters", place=at(-33.0, -70.66, "Santiago Metropolitan"),
           date="2022-05-09"),  # right type, lenient actor, 50 km off, no count (= 0, right), wrong date
        ev("Armed clash", date="2022-06-20", fatalities=1),  # wrong (sub-)type, no actor, no place
        ev("Mob violence", actor1="Rioters (Uganda)", place=Place("Mukono", admin1="Central Province"),
           date="2022-01-15", fatalities=2),  # place without coordinates, count wrong
    ]
    scores, confusion = acled.score(rows, predictions)
    assert scores == {
        "n": 4, "coverage": 1.0,
        "sub_event_type_accuracy": 0.5, "sub_event_type_macro_f1": 0.417,  # (2/3 + 0 + 0 + 1) / 4
        "event_type_accuracy": 0.75, "actor1_accuracy": 0.5, "actor1_lenient_accuracy": 0.75,
        "admin1_accuracy": 0.5, "location_25km_accuracy": 0.25, "fatalities_accuracy": 0.75,
        "date_accuracy": 0.75,
    }
    assert confusion == {("Peaceful protest", "Protest with intervention"): 1, ("Attack", "Armed clash"): 1}


def test_acled_missing_prediction_is_wrong_everywhere():
    rows = fixture_rows("acled_afghanistan_2020_03.csv")
    scores, confusion = acled.score(rows, [None, ev("Armed clash", actor1="Taliban", date="2020-03-10",
                                                    fatalities=0)])
    assert scores["coverage"] == 0.5 and scores["sub_event_type_accuracy"] == 0.5
    assert scores["actor1_accuracy"] == 0.0 and scores["fatalities_accuracy"] == 0.5 and scores["date_accuracy"] == 0.5
    assert confusion == {("Remote explosive/landmine/IED", "(no event)"): 1}
    assert acled.macro_f1([("A", "A"), ("A", "B"), ("B", None)]) == 0.333  # A: 2/3, B: 0


def test_acled_coded_scores_leave_out_the_missed_notes_and_so_does_their_baseline():
    rows = fixture_rows("acled_afghanistan_2020_03.csv")
    predictions = [None, ev("Armed clash", actor1="Taliban", date="2020-03-10", fatalities=0)]
    got, base = acled._on_covered(rows, predictions)
    assert got == {"coded_sub_event_type_accuracy": 1.0, "coded_actor1_accuracy": 0.0,
                   "coded_fatalities_accuracy": 1.0}
    assert base["coded_fatalities_accuracy"][0] == 1.0 and "on the coded notes" in base["coded_fatalities_accuracy"][1]
    assert acled._on_covered(rows, [None, None]) == ({}, {})


# ---- ISAF ---------------------------------------------------------------------------

@pytest.mark.parametrize("head, want", [
    ("KABUL, Afghanistan (March 3, 2012)\nA patrol", dt.date(2012, 3, 3)),
    ("2011-11-S-001\nKABUL, Afghanistan (Nov. 1. 2011)\nA force", dt.date(2011, 11, 1)),
    ("ISAF Joint Command Operational Update, Jan. 10, 2011\nKABUL", dt.date(2011, 1, 10)),
    ("June 8: Forces Find Cache\nISAF Joint Command\n2010-06-CA-024\nFor Immediate Release", dt.date(2010, 6, 8)),
    ("ISAF\n2010-12-CA-031\nKABUL, Afghanistan (Jan. 4) - A force", dt.date(2011, 1, 4)),  # the year turned
    ("2009-12-CA\u2013080\nKABUL, Afghanistan (Dec. 24) - A force", dt.date(2009, 12, 24)),
    ("KABUL, Afghanistan (Feb. 07)\nIn Maiwand district", None),  # no year anywhere
    ("A patrol found a cache.", None),
])
def test_isaf_publication_date(head, want):
    assert isaf.published_date(head) == want


def test_isaf_load_cleans_text_and_dates():
    articles, golds = isaf.load(FIX / "isaf" / "isaf_dev.jsonl")
    assert [a.published for a in articles] == [dt.date(2012, 3, 3), dt.date(2011, 1, 4), None]
    assert not articles[0].text.startswith("PRESS RELEASE") and "\u2028" not in articles[1].text
    assert [g["min_captured"] for g in golds] == [0, 3, 0]
    assert len(isaf.load(FIX / "isaf" / "isaf_dev.jsonl", limit=1)[0]) == 1


def test_isaf_scores_from_hand_built_predictions():
    _, golds = isaf.load(FIX / "isaf" / "isaf_dev.jsonl")
    results = [
        (ev("Armed clash", conf=0.8, date="2012-03-02", place=at(admin1="Helmand"), counts={"killed": 2}),
         ev("Arrests", conf=0.6, counts={"arrested": 1})),  # date, province, killed right; captured 1 != 0
        (ev("Arrests", conf=0.7, date="2011-01-04", place=at(admin1="Sar-e Pul"),
            counts={"arrested": 2, "captured": 3}),),  # date wrong; "sar_e_pul" == "Sar-e Pul"; captured 3
        (ev(None, plover_code="ACCUSE", counts={"killed": 1}),),  # no main event: no province (right), killed 1 != 0
    ]
    scores, lines = isaf.score(golds, results)
    assert scores == {"n": 3, "start_date_accuracy": 0.333, "province_accuracy": 1.0, "min_killed_accuracy": 0.667,
                      "min_captured_accuracy": 0.667, "min_killed_positive_n": 1, "min_killed_positive_accuracy": 1.0}
    assert len(lines) == 2
    assert isaf.province_key("Sar-e Pul Province") == isaf.province_key("sar_e_pul") == "sarepul"


# ---- MUC-4 --------------------------------------------------------------------------

def test_muc4_reads_texts_keys_and_maps_stage_and_confidence():
    texts = muc4.read_texts(FIX / "muc4" / "raw_dev" / "dev-muc3-0001-0003")
    assert sorted(texts) == ["DEV-MUC3-0001", "DEV-MUC3-0002", "DEV-MUC3-0003"]
    assert texts["DEV-MUC3-0002"].startswith("BOGOTA, 3 MAR 90 --")
    assert muc4.dateline_date(texts["DEV-MUC3-0001"]) == dt.date(1990, 2, 12)
    assert muc4.dateline_date(texts["DEV-MUC3-0003"]) is None  # NO DATE
    keys = muc4.read_keys((FIX / "muc4" / "raw_dev" / "key-dev-0001.muc4").read_text(encoding="latin-1"))
    assert [len(keys[k]) for k in sorted(keys)] == [2, 1, 1]
    assert keys["DEV-MUC3-0001"][0][11] == ['CLAIMED OR ADMITTED: "SHINING PATH"', 'POSSIBLE: "MRTA"']
    first = muc4.gold_of(keys["DEV-MUC3-0001"])
    assert first["status"] == {"happened"} and first["claim"] == {"claimed"}  # first template, first line
    assert muc4.gold_of(keys["DEV-MUC3-0002"]) is None
    threat = muc4.gold_of(keys["DEV-MUC3-0003"])
    assert threat["status"] == {"threatened"} and threat["claim"] == set()
    assert muc4.gold_of([{1: ["1"], 5: ["ACCOMPLISHED / ATTEMPTED"],
                          11: ['? REPORTED AS FACT / SUSPECTED OR ACCUSED BY AUTHORITIES: "ELN"']}]) == {
        "status": {"happened", "attempted"}, "claim": {"reported", "confirmed", "disputed"},
        "stage": "ACCOMPLISHED / ATTEMPTED", "confidence": "REPORTED AS FACT / SUSPECTED OR ACCUSED BY AUTHORITIES"}


def test_muc4_load_and_scores():
    articles, golds = muc4.load(FIX / "muc4" / "raw_dev")
    assert [a.id for a in articles] == ["DEV-MUC3-0001", "DEV-MUC3-0003"]  # 0002 has no template
    golds = golds + [{"status": {"attempted", "happened"}, "claim": {"reported", "disputed"}}]
    predictions = [ev("Remote explosive/landmine/IED", claim="claimed"), ev("Armed clash"), None]
    assert muc4.score(golds, predictions) == {
        "n": 3, "coverage": 0.667, "status_n": 3, "status_accuracy": 0.333,
        "status_not_accomplished_n": 2, "status_not_accomplished_accuracy": 0.0,
        "claim_n": 2, "claim_accuracy": 0.5, "claim_claimed_n": 1, "claim_claimed_accuracy": 1.0}


# ---- PLOVER -------------------------------------------------------------------------

def test_plover_load_skips_documentation_records():
    articles, golds = plover.load(FIX / "plover" / "PLOVER_GSR_CAMEO.txt")
    assert golds == ["DEMAND", "PROTEST", "ASSAULT"]
    assert articles[0].published is None and articles[0].text.startswith("The dockers' union")


def test_plover_scores_with_old_names():
    assert plover.matches("DEMAND", "REQUEST") and plover.matches("DISAPPROVE", "ACCUSE")
    assert not plover.matches("REQUEST", "DEMAND") and not plover.matches("ASSAULT", None)
    scores, per_type = plover.score(["DEMAND", "DISAPPROVE", "PROTEST", "ASSAULT", "ASSAULT"],
                                    ["REQUEST", "ACCUSE", "PROTEST", None, "FIGHT"])
    assert scores == {"n": 5, "coverage": 0.8, "plover_accuracy": 0.6, "plover_macro_recall": 0.75}
    assert per_type["ASSAULT"] == {"n": 2, "correct": 0, "recall": 0.0, "top_wrong": "(none) (1)"}
    assert per_type["DEMAND"]["recall"] == 1.0


# ---- CLI, with a stand-in pipeline ----------------------------------------------------

class CannedPipeline:
    """Gives every article the same events."""

    def __init__(self, *events: Event):
        self.events = events

    def process_many(self, articles):
        for a in articles:
            yield ArticleResult(article=a, events=self.events)


def invoke(monkeypatch, tmp_path, pipeline, args, floors):
    monkeypatch.setattr(cli_module, "_pipeline", lambda model, gazetteer: pipeline)
    (tmp_path / "baseline.json").write_text(json.dumps(floors))
    return CliRunner().invoke(cli_module.cli, ["eval", *args, "--baseline", str(tmp_path / "baseline.json")])


def test_cli_eval_plover_checks_floors(monkeypatch, tmp_path):
    pipe = CannedPipeline(ev(None, plover_code="PROTEST", conf=0.9))
    args = ["plover", "--data", str(FIX / "plover")]
    ok = invoke(monkeypatch, tmp_path, pipe, args, {"plover": {"plover_accuracy": 0.3}})
    assert ok.exit_code == 0, ok.output
    assert "DEMAND = REQUEST" in ok.output and re.search(r"ok\s+plover_accuracy\s+0\.333", ok.output)
    bad = invoke(monkeypatch, tmp_path, pipe, args, {"plover": {"plover_accuracy": 0.5}})
    assert bad.exit_code == 1 and json.loads(bad.output.strip().splitlines()[-1])["failed"] == ["plover_accuracy"]


@pytest.mark.parametrize("name, folder, key", [
    ("acled", "acled", "world_sub_event_type_accuracy"), ("isaf", "isaf", "start_date_accuracy"),
    ("muc4", "muc4", "status_accuracy"), ("plover", "plover", "plover_accuracy")])
def test_cli_eval_commands_print_scores(monkeypatch, tmp_path, name, folder, key):
    pipe = CannedPipeline(ev("Armed clash", conf=0.8, plover_code="FIGHT", date="2022-04-02"))
    res = invoke(monkeypatch, tmp_path, pipe, [name, "--data", str(FIX / folder)], {})
    assert res.exit_code == 0, res.output
    last = json.loads(res.output.strip().splitlines()[-1])
    assert last["eval"] == name and key in last["scores"] and last["failed"] == []


def test_cli_eval_acled_reports_held_out_split(monkeypatch, tmp_path):
    res = invoke(monkeypatch, tmp_path, CannedPipeline(), ["acled", "--data", str(FIX / "acled")], {})
    assert "acled_world_2022h1.csv: held-out TEST split" in res.output and "= 3 notes scored of 4 rows" in res.output
    assert "no ACLED row is training data" in res.output
    scores = json.loads(res.output.strip().splitlines()[-1])["scores"]
    assert scores["world_n"] == 3 and scores["afg2020_n"] == 1 and scores["world_coverage"] == 0.0


def test_cli_eval_missing_data_is_a_usage_error(monkeypatch, tmp_path):
    res = invoke(monkeypatch, tmp_path, CannedPipeline(), ["isaf", "--data", str(tmp_path)], {})
    assert res.exit_code == 2 and "isaf_dev.jsonl" in res.output


# ---- the real pipeline -----------------------------------------------------------------

@pytest.mark.slow
def test_real_pipeline_on_fixtures(tmp_path_factory):
    import io

    from sitrep.pipeline import Options, Pipeline
    from test_gazetteer import shared_gazetteer

    pipe = Pipeline(Options(gazetteer=shared_gazetteer(tmp_path_factory).path))
    out = io.StringIO()
    scores = acled.run(FIX / "acled", pipe, out)
    assert scores["world_n"] == 3 and scores["afg2020_n"] == 1
    assert all(v is None or 0 <= v <= 1 for k, v in scores.items() if not k.endswith("_n"))
    assert "runtime" in out.getvalue()
    # the same notes give the same scores
    assert acled.run(FIX / "acled", pipe, io.StringIO()) == scores
    p_scores = plover.run(FIX / "plover", pipe, io.StringIO())
    assert p_scores["n"] == 3 and 0 <= p_scores["plover_accuracy"] <= 1


def test_check_floors_fails_only_on_a_measured_score_below_its_floor(tmp_path):
    import io
    import json as _json

    from sitrep.evaluation import check_floors

    baseline = tmp_path / "baseline.json"
    baseline.write_text(_json.dumps({"demo": {"f1": 0.8, "recall": 0.5, "other_corpus_f1": 0.9}}))
    out = io.StringIO()
    assert check_floors("demo", {"f1": 0.81, "recall": 0.5}, baseline, out) == 0
    assert "skip other_corpus_f1" in out.getvalue()
    out = io.StringIO()
    assert check_floors("demo", {"f1": 0.79, "recall": 0.6}, baseline, out) == 1
    assert _json.loads(out.getvalue().splitlines()[-1])["failed"] == ["f1"]
