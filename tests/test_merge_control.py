"""Merging reports across articles, the control timeline and the situation report.

Hand-built extraction results (no NLP), so each rule is checked on exactly the
input it is about.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from sitrep import control, report
from sitrep.merge import fingerprint
from sitrep.model import Article, ArticleResult, Event, Place, Span
from sitrep.store import Store

TOWN = Place("Kupiansk", 703656, 49.71, 37.61, "UA", "Kharkivska oblast", None, "PPL", 27000)
TOWN_NEARBY = Place("Kupiansk-Vuzlovyi", 703655, 49.67, 37.68, "UA", "Kharkivska oblast", None, "PPL", 9000)
OTHER = Place("Balakliia", 712926, 49.46, 36.86, "UA", "Kharkivska oblast", None, "PPL", 27000)
CITY = Place("Kramatorsk", 704508, 48.72, 37.56, "UA", "Donetska oblast", None, "PPL", 150000)

TAKEN = "Non-state actor overtakes territory"
RETAKEN = "Government regains territory"


def _article(aid: str, day: str, source: str, text: str | None = None) -> Article:
    return Article(text=text or f"Report {aid} from {source}.", id=aid, published=dt.date.fromisoformat(day),
                   source=source, url=f"https://example.org/{aid}")


def _event(aid: str, n: int, sub: str | None, place: Place | None, day: str, actor1: str | None,
           claim: str = "reported", fatalities: int | None = None, status: str = "happened",
           plover: str | None = None, claimed_by: str | None = None, precision: int = 1) -> Event:
    return Event(id=f"{aid}-{n}", event_type="Battles" if sub else None, sub_event_type=sub,
                 plover=plover or ("FIGHT" if sub else None), actor1=actor1, actor2=None, place=place,
                 precision=1, date=day, date_precision=precision, fatalities=fatalities,
                 counts={"killed": fatalities} if fatalities else {}, status=status, claim=claim,
                 claimed_by=claimed_by, evidence=(Span(0, 6, "Report"),), confidence=0.8)


def _result(article: Article, *events: Event) -> ArticleResult:
    return ArticleResult(article=article, events=tuple(events))


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "m.db") as s:
        yield s


def test_reports_of_one_event_merge_with_every_source(store):
    store.save([
        _result(_article("a1", "2022-04-08", "Wire A"), _event("a1", 0, "Shelling/artillery/missile attack", CITY,
                                                               "2022-04-08", "Military Forces of Russia", fatalities=50)),
        _result(_article("a2", "2022-04-09", "Wire B"), _event("a2", 0, "Shelling/artillery/missile attack", CITY,
                                                               "2022-04-08", "Military Forces of Russia", fatalities=52)),
        _result(_article("a3", "2022-04-09", "Wire C"), _event("a3", 0, "Shelling/artillery/missile attack", OTHER,
                                                               "2022-04-08", "Military Forces of Russia", fatalities=3)),
    ])
    rows = store.canonical_events()
    assert len(rows) == 2
    kram = next(r for r in rows if r["place_name"] == "Kramatorsk")
    assert kram["n_reports"] == 2 and kram["n_sources"] == 2
    assert kram["sources"] == ["a1", "a2"]
    # the most conservative credible toll, with the disagreement kept
    assert kram["fatalities"] == 50 and kram["fatalities_max"] == 52
    assert "50-52" in kram["notes"]
    assert {r["article_id"] for r in store.canonical_reports(kram["id"])} == {"a1", "a2"}
    assert store.merge_counts() == {"canonical_events": 2, "reports": 3, "merged_from_several": 1}


def test_dates_more_than_a_day_apart_or_other_places_do_not_merge(store):
    store.save([
        _result(_article("b1", "2022-04-08", "A"), _event("b1", 0, "Armed clash", CITY, "2022-04-08", "X")),
        _result(_article("b2", "2022-04-11", "B"), _event("b2", 0, "Armed clash", CITY, "2022-04-11", "X")),
        _result(_article("b3", "2022-04-08", "C"), _event("b3", 0, "Armed clash", TOWN, "2022-04-08", "X")),
        _result(_article("b4", "2022-04-09", "D"), _event("b4", 0, "Armed clash", TOWN_NEARBY, "2022-04-09", "X")),
    ])
    rows = store.canonical_events()
    # b4 is 6 km from b3 and a day later: the same clash; the others stay apart
    assert sorted(r["n_reports"] for r in rows) == [1, 1, 2]


def test_claim_confirmed_by_a_later_report(store):
    store.save([
        _result(_article("c1", "2022-09-10", "A"), _event("c1", 0, RETAKEN, TOWN, "2022-09-10",
                                                          "Military Forces of Ukraine", claim="claimed",
                                                          claimed_by="Government of Ukraine")),
        _result(_article("c2", "2022-09-11", "B"), _event("c2", 0, RETAKEN, TOWN, "2022-09-10",
                                                          "Military Forces of Ukraine", claim="confirmed")),
    ])
    (row,) = store.canonical_events()
    assert row["claim"] == "confirmed" and row["claimed_by"] == "Government of Ukraine"


def test_denial_disputes_until_confirmed(store):
    store.save([
        _result(_article("d1", "2022-07-02", "A"), _event("d1", 0, TAKEN, TOWN, "2022-07-02",
                                                          "Military Forces of Russia", claim="claimed")),
        _result(_article("d2", "2022-07-02", "B"), _event("d2", 0, TAKEN, TOWN, "2022-07-02",
                                                          "Military Forces of Russia", claim="denied")),
    ])
    assert store.canonical_events()[0]["claim"] == "disputed"
    store.save([_result(_article("d3", "2022-07-03", "C"), _event("d3", 0, TAKEN, TOWN, "2022-07-03",
                                                                  "Military Forces of Russia", claim="confirmed"))])
    (row,) = store.canonical_events()
    assert row["claim"] == "confirmed" and row["n_reports"] == 3


def test_syndicated_copies_count_as_one_source(store):
    body = "Ukrainian troops entered the town on Friday, officials said."
    assert fingerprint(body) == fingerprint("(Wire A) " + body)
    store.save([
        _result(_article("s1", "2022-11-11", "Wire A", body), _event("s1", 0, RETAKEN, TOWN, "2022-11-11",
                                                                      "Military Forces of Ukraine")),
        _result(_article("s2", "2022-11-11", "Paper B", "(Wire A) " + body),
                _event("s2", 0, RETAKEN, TOWN, "2022-11-11", "Military Forces of Ukraine")),
    ])
    (row,) = store.canonical_events()
    assert row["n_reports"] == 2 and row["n_sources"] == 1


def test_merging_is_reversible_when_an_article_changes(store):
    store.save([
        _result(_article("r1", "2022-04-08", "A"), _event("r1", 0, "Armed clash", CITY, "2022-04-08", "X")),
        _result(_article("r2", "2022-04-08", "B"), _event("r2", 0, "Armed clash", CITY, "2022-04-08", "X")),
    ])
    assert [r["n_reports"] for r in store.canonical_events()] == [2]
    # r2 is corrected: it now reports a clash elsewhere; the merged event loses it
    store.save([_result(_article("r2", "2022-04-08", "B", "Corrected."),
                        _event("r2", 0, "Armed clash", OTHER, "2022-04-08", "X"))])
    rows = store.canonical_events()
    assert sorted((r["place_name"], r["n_reports"]) for r in rows) == [("Balakliia", 1), ("Kramatorsk", 1)]
    assert store.merge_counts()["reports"] == 2


def _territory_history(store):
    store.save([
        _result(_article("t1", "2022-04-01", "A"), _event("t1", 0, TAKEN, TOWN, "2022-04-01",
                                                          "Military Forces of Russia", claim="claimed")),
        _result(_article("t2", "2022-04-02", "B"), _event("t2", 0, TAKEN, TOWN, "2022-04-01",
                                                          "Military Forces of Russia", claim="confirmed")),
        _result(_article("t3", "2022-09-10", "C"), _event("t3", 0, RETAKEN, TOWN, "2022-09-10",
                                                          "Military Forces of Ukraine")),
        _result(_article("t4", "2022-09-08", "A"), _event("t4", 0, RETAKEN, OTHER, "2022-09-08",
                                                          "Military Forces of Ukraine", claim="claimed")),
    ])


def test_control_timeline_closes_a_period_at_the_recapture(store):
    _territory_history(store)
    periods = [p.to_dict() for p in control.timeline(store)]
    simple = [(p["place"]["name"], p["controller"], p["since"], p["until"], p["claim"], p["sources"])
              for p in periods]
    assert simple == [
        ("Kupiansk", "Russia", "2022-04-01", "2022-09-10", "confirmed", ["t1", "t2"]),
        ("Balakliia", "Ukraine", "2022-09-08", None, "claimed", ["t4"]),
        ("Kupiansk", "Ukraine", "2022-09-10", None, "confirmed", ["t3"]),  # told as fact
    ]
    assert periods[0]["place"] == {"name": "Kupiansk", "geonameid": 703656, "admin1": "Kharkivska oblast",
                                   "country_code": "UA", "latitude": 49.71, "longitude": 37.61}


def test_control_as_of_a_date(store):
    _territory_history(store)
    then = control.timeline(store, as_of=dt.date(2022, 6, 1))
    assert [(p.place["name"], p.controller, p.until) for p in then] == [("Kupiansk", "Russia", None)]
    assert [p.controller for p in control.state(control.timeline(store))] == ["Ukraine", "Ukraine"]


def test_control_cli_json(store, tmp_path):
    from click.testing import CliRunner

    from sitrep.cli import cli

    _territory_history(store)
    store.close()
    out = CliRunner().invoke(cli, ["control", "--db", str(tmp_path / "m.db"), "--format", "json",
                                   "--as-of", "2022-09-09"])
    assert out.exit_code == 0, out.output
    periods = json.loads(out.output)
    assert [(p["place"]["name"], p["controller"], p["since"], p["until"]) for p in periods] == [
        ("Kupiansk", "Russia", "2022-04-01", None), ("Balakliia", "Ukraine", "2022-09-08", None)]


def test_report_links_every_line_to_its_sources(store):
    _territory_history(store)
    store.save([_result(_article("k1", "2022-04-08", "Wire A"),
                        _event("k1", 0, "Shelling/artillery/missile attack", CITY, "2022-04-08",
                               "Military Forces of Russia", fatalities=50)),
                _result(_article("k2", "2022-04-09", "Wire B"),
                        _event("k2", 0, "Shelling/artillery/missile attack", CITY, "2022-04-08",
                               "Military Forces of Russia", fatalities=52))])
    lines = report.build(store, dt.date(2022, 4, 1), dt.date(2022, 4, 30))
    text = "\n".join(lines)
    assert "Reported fatalities: at least 50 (reports range up to 52)" in text
    assert "**Kupiansk** to Russia (confirmed)" in text
    items = [line for line in lines if line.startswith("- 2022") or (line.startswith("- ") and ": [" in line)]
    # each source links to its article view (sitrep serve), then to the original page
    assert items and all("](http://127.0.0.1:8000/articles/" in line and "([original](https://example.org/" in line
                         for line in items)
    html_page = report.to_html(lines)
    assert html_page.startswith("<!doctype html>")
    assert '<a href="http://127.0.0.1:8000/articles/k1">Wire A</a> (<a href="https://example.org/k1">original</a>)' \
        in html_page


def test_report_html_has_a_map_and_a_weekly_chart_and_links_without_a_url_work(store):
    store.save([_result(_article("k1", "2022-04-08", "Wire A"),
                        _event("k1", 0, "Shelling/artillery/missile attack", CITY, "2022-04-08",
                               "Military Forces of Russia", fatalities=5)),
                _result(Article(text="x" * 40, id="nourl", published=dt.date(2022, 4, 20), source="Wire C"),
                        _event("nourl", 0, "Armed clash", CITY, "2022-04-19", "Military Forces of Russia"))])
    out = io.StringIO()
    report.write(store, out, dt.date(2022, 4, 1), dt.date(2022, 4, 30), fmt="html", base_url="http://host:9")
    page = out.getvalue()
    assert page.count('<svg class="map"') == 1 and page.count("<circle") == 2
    assert '<svg class="chart"' in page and page.count("<rect x=") == 2  # two weeks, one type each
    assert '<a href="http://host:9/articles/nourl">Wire C</a>' in page  # no URL: the article view still links
    assert 'href="#' not in page


def test_a_report_without_events_has_no_figures(store):
    out = io.StringIO()
    report.write(store, out, dt.date(2030, 1, 1), dt.date(2030, 1, 31), fmt="html")
    assert "<svg" not in out.getvalue() and "<h1>" in out.getvalue()
