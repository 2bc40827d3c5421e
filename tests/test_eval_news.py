"""``sitrep eval news`` scoring rules, on a hand-made article (no shared data needed)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from sitrep.evaluation import news

TEXT = ("Rebels stormed the town of Kidal on Monday, residents said. "
        "A car bomb killed six soldiers near Gao on Tuesday. "
        "Back in 2012, the same rebels had taken Timbuktu.")
PUB = dt.date(2024, 3, 7)  # a Thursday


def _gold(**kw):
    base = {"sub_event_type": "Non-state actor overtakes territory", "alt_sub_event_types": [],
            "actor1": "CSP-PSD", "actor1_aliases": ["rebels"], "actor2": "Military Forces of Mali",
            "place": {"name": "Kidal", "country_code": "ML", "admin1": "Kidal", "lat": 18.44, "lon": 1.41,
                      "precision": 1},
            "date": "2024-03-04", "date_precision": 1, "date_from": None, "date_to": None, "fatalities": 0,
            "claim": "reported", "evidence": "Rebels stormed the town of Kidal on Monday", "when": "current"}
    return base | kw


def _pred(start=0, end=10, **kw):
    base = {"sub_event_type": "Non-state actor overtakes territory", "actor1": "CSP-PSD", "actor2": None,
            "place": {"name": "Kidal", "latitude": 18.44, "longitude": 1.41, "country_code": "ML",
                      "admin1": "Kidal", "precision": 1},
            "date": "2024-03-04", "fatalities": 0, "evidence": [{"start": start, "end": end}], "confidence": 0.9}
    return base | kw


def _article(events, statistics=()):
    return news.GoldArticle("1", PUB, TEXT, list(events), list(statistics))


def test_overlapping_evidence_matches_even_with_wrong_fields():
    pairs = news.pair(TEXT, [_gold()], [_pred(sub_event_type="Armed clash", date="2023-01-01", place=None)])
    assert pairs == [(0, 0)]


def test_no_overlap_needs_type_place_and_date():
    far = 200  # evidence elsewhere in the text
    assert news.pair(TEXT, [_gold()], [_pred(far, far + 5)]) == [(0, 0)]
    # a territory type counts as the same family as another territory type
    assert news.pair(TEXT, [_gold()], [_pred(far, far + 5, sub_event_type="Government regains territory")])
    # but a wrong family, a place 100 km off or a date 3 days off does not match
    assert not news.pair(TEXT, [_gold()], [_pred(far, far + 5, sub_event_type="Armed clash")])
    moved = _pred(far, far + 5)
    moved["place"] = moved["place"] | {"latitude": 19.4}
    assert not news.pair(TEXT, [_gold()], [moved])
    assert not news.pair(TEXT, [_gold()], [_pred(far, far + 5, date="2024-03-07")])


def test_matching_is_one_to_one():
    pairs = news.pair(TEXT, [_gold()], [_pred(), _pred()])
    assert len(pairs) == 1


def test_precision_leaves_out_background_matches_and_counts_wrong_events():
    background = _gold(place={"name": "Timbuktu", "country_code": "ML", "admin1": "Tombouctou", "lat": 16.77,
                              "lon": -3.0, "precision": 1}, date="2012-04-01",
                       evidence="the same rebels had taken Timbuktu", when="background")
    art = _article([_gold(), background])
    bg_start = TEXT.index("the same rebels")
    wrong = _pred(TEXT.index("A car bomb"), TEXT.index("A car bomb") + 10, sub_event_type="Air/drone strike",
                  place={"name": "Gao", "latitude": 16.27, "longitude": -0.04, "country_code": "ML",
                         "admin1": "Gao"}, date="2024-03-05")
    preds = [_pred(), _pred(bg_start, bg_start + 20, date="2024-03-07"), wrong]
    out = io.StringIO()
    scores = news.score([art], [{"events": preds, "statistics": []}], out)
    assert scores["matched_to_background"] == 1
    assert scores["program_events"] == 2
    assert scores["event_precision"] == 0.5 and scores["event_recall"] == 1.0
    assert "WRONG    Air/drone strike" in out.getvalue()


def test_an_article_without_events_is_clean_only_when_nothing_is_emitted():
    quiet = news.GoldArticle("2", PUB, "An analysis of the peace process.", [], [])
    assert news.score([quiet], [{"events": [], "statistics": []}], io.StringIO())["no_event_articles_clean"] == 1.0
    noisy = news.score([quiet], [{"events": [_pred()], "statistics": []}], io.StringIO())
    assert noisy["no_event_articles_clean"] == 0.0 and noisy["event_precision"] == 0.0


def test_field_accuracies_and_their_baselines():
    art = _article([_gold(fatalities=3)])
    out = io.StringIO()
    scores = news.score([art], [{"events": [_pred(actor1="rebels", fatalities=3)], "statistics": []}], out)
    assert scores["matched_actor1_accuracy"] == 1.0  # an alias of the gold actor
    assert scores["matched_fatalities_accuracy"] == 1.0
    assert scores["matched_actor2_accuracy"] == 0.0  # the other side is named in the gold
    text = out.getvalue()
    assert "baseline" in text and "fatalities always 0" in text


def test_statistics_need_value_and_kind():
    stat = {"what": "people killed since 2012", "value": 4000, "qualifier": "more than"}
    art = _article([], [stat])
    hit = news.score([art], [{"events": [], "statistics": [{"what": "killed", "value": 4000}]}], io.StringIO())
    miss = news.score([art], [{"events": [], "statistics": [{"what": "displaced", "value": 4000}]}], io.StringIO())
    assert hit["statistics_recall"] == 1.0 and miss["statistics_recall"] == 0.0


def test_load_joins_gold_rows_to_texts_and_names_bad_lines(tmp_path):
    gold_dir = tmp_path / "news-gold"
    texts = tmp_path / "guardian-sdf"
    gold_dir.mkdir()
    texts.mkdir()
    with (texts / "Guardian_SDF_sample.csv").open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["", "date", "text", "source"])
        w.writerow(["7", "2024-03-07", TEXT, "guardian"])
    (gold_dir / "guardian_dev.jsonl").write_text(json.dumps({"row": "7", "published": "2024-03-07",
                                                             "events": [_gold()], "statistics": []}) + "\n")
    [a] = news.load(gold_dir)
    assert a.text == TEXT and a.published == PUB and a.events[0]["actor1"] == "CSP-PSD"
    (gold_dir / "guardian_dev.jsonl").write_text('{"row": "8", "published": "2024-03-07"}\n{oops\n')
    with pytest.raises(news.UsageError, match=r"guardian_dev.jsonl:1: row 8"):
        news.load(gold_dir)


def test_a_wrong_event_in_the_first_sentence_is_quoted_from_its_first_letter():
    assert news._sentence(TEXT, 0, 10) == "Rebels stormed the town of Kidal on Monday, residents said."


def test_a_wrong_event_in_a_later_sentence_is_quoted_from_that_sentence():
    start = TEXT.index("A car bomb")
    assert news._sentence(TEXT, start, start + 10) == "A car bomb killed six soldiers near Gao on Tuesday."


def test_admin1_agrees_however_the_export_spells_it():
    gold = {"admin1": "Rural Damascus", "country_code": "SY"}
    assert news.admin1_agrees(gold, {"admin1": "Rif Dimashq", "country_code": "SY"})
    assert not news.admin1_agrees(gold, {"admin1": "Dimashq", "country_code": "SY"})  # the city, not its countryside


def test_the_same_country_alone_on_both_sides_is_the_same_place():
    # the annotators' point for Mali and GeoNames' point are far apart; both say only "Mali"
    gold = _gold(place={"name": "Mali", "country_code": "ML", "admin1": None, "lat": 17.0, "lon": -4.0,
                        "precision": 3})
    pred = _pred(place={"name": "Mali", "latitude": 17.5, "longitude": -3.5, "country_code": "ML",
                        "admin1": None, "precision": 3})
    checks = news.field_checks(gold, pred, PUB)
    assert checks["place_25km"] and checks["admin1"]


def test_a_country_against_a_town_or_another_country_is_not_the_same_place():
    # the positive twin: a town in gold, the country in the prediction (or another country) disagree
    country = {"name": "Mali", "latitude": 17.5, "longitude": -3.5, "country_code": "ML", "admin1": None,
               "precision": 3}
    assert not news.field_checks(_gold(), _pred(place=country), PUB)["place_25km"]
    niger = _gold(place={"name": "Niger", "country_code": "NE", "admin1": None, "lat": 17.5, "lon": -3.5,
                         "precision": 3})
    assert not news.field_checks(niger, _pred(place=country), PUB)["admin1"]
