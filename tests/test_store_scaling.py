"""Merging looks up its candidates through indexes, with the same result as a plain filter.

The candidate query is written for SQLite's planner (one indexed lookup per
branch); these tests pin that it still reads no more than it must, that it
returns exactly what the plain filter returns, in the same order (ties go to
the oldest canonical event), and that a database made before the indexes
changed upgrades in place.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import random

import pytest

from sitrep import bench
from sitrep import merge as merge_module
from sitrep import store as store_module
from sitrep.merge import DAY_WINDOW, NEAR_KM, Merger, kind_of
from sitrep.model import Article, ArticleResult, Event, Place, Span
from sitrep.store import MIGRATIONS, Store

KINDS = [("Battles", "Armed clash", "FIGHT"), ("Battles", "Government regains territory", "FIGHT"),
         ("Explosions/Remote violence", "Air/drone strike", "FIGHT"), (None, None, "MOBILIZE")]


def _event(eid: str, place: Place | None, precision: int | None, day: str | None, *,
           kind=KINDS[0], actor1: str | None = None, status: str = "happened") -> Event:
    etype, sub, plover = kind
    return Event(id=eid, event_type=etype, sub_event_type=sub, plover=plover, actor1=actor1, actor2=None,
                 place=place, precision=precision, date=day, date_precision=1, fatalities=None, counts={},
                 status=status, claim="reported", claimed_by=None, evidence=(Span(0, 6, "Report"),),
                 confidence=0.7)


def _result(aid: str, events: list[Event], day: dt.date) -> ArticleResult:
    article = Article(text=f"Report {aid}.", id=aid, published=day, source=f"Outlet {aid}",
                      url=f"https://example.org/{aid}")
    return ArticleResult(article=article, events=tuple(events))


def _varied_corpus(n: int, seed: int) -> list[ArticleResult]:
    """Dense reports: fine places (some close together), coarse regions, two countries,
    unplaced and undated events, two statuses, so every branch of the lookup has work."""
    rng = random.Random(seed)
    towns = [Place(f"Town {i}", 9_000_000 + i, 45 + rng.random() * 0.6, 30 + rng.random() * 0.8,
                   rng.choice(["XX", "YY"]), f"Region {i % 3}", None, "PPL") for i in range(25)]
    regions = [Place(f"Region {i}", 8_000_000 + i, 45.3, 30.4, "XX", f"Region {i}", None, "ADM1")
               for i in range(3)]
    results = []
    for a in range(n):
        day = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(8))
        events = []
        for k in range(rng.randrange(1, 4)):
            r = rng.random()
            place, precision = ((rng.choice(towns), rng.choice([1, 2])) if r < 0.7 else
                                (rng.choice(regions), 3) if r < 0.9 else (None, None))
            date = None if rng.random() < 0.05 else (day - dt.timedelta(days=rng.randrange(2))).isoformat()
            events.append(_event(f"a{a}-{k}", place, precision, date, kind=rng.choice(KINDS),
                                 actor1=rng.choice([None, "Rebels", "Military Forces of X"]),
                                 status=rng.choice(["happened", "happened", "threatened"])))
        results.append(_result(f"a{a}", events, day))
    return results


def _plain_filter(merger: Merger, ev: dict) -> list[dict]:
    """The candidates by the straightforward query (one range over the kind's window)."""
    day = dt.date.fromisoformat(ev["date"])
    lo, hi = ((day + dt.timedelta(days=k)).isoformat() for k in (-DAY_WINDOW, DAY_WINDOW))
    sql = "SELECT * FROM canonical_events WHERE kind = ? AND date BETWEEN ? AND ? AND status = ?"
    params = [kind_of(ev["sub_event_type"], ev["plover"]), lo, hi, ev["status"]]
    if ev["latitude"] is not None and (ev["geo_precision"] or 3) < 3:
        dlat = NEAR_KM / 111.0
        dlon = NEAR_KM / (111.0 * max(0.1, math.cos(math.radians(ev["latitude"]))))
        sql += (" AND (geonameid = ? OR (latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?)"
                " OR (geo_precision = 3 AND country_code = ?))")
        params += [ev["geonameid"], ev["latitude"] - dlat, ev["latitude"] + dlat,
                   ev["longitude"] - dlon, ev["longitude"] + dlon, ev["country_code"]]
    return merger._rows(sql + " ORDER BY date, rowid", params)


def test_candidates_are_those_of_the_plain_filter_in_the_same_order():
    with Store.open(":memory:") as s:
        s.save(_varied_corpus(300, seed=1))
        merger = Merger(s.conn)
        probes = [dataclasses.replace(e, id=f"probe-{i}")
                  for i, e in enumerate(e for r in _varied_corpus(120, seed=2) for e in r.events if e.date)]
        s.save([_result("probe", probes, dt.date(2022, 1, 9))])
        rows = merger._rows("SELECT * FROM events WHERE article_id = 'probe' AND date IS NOT NULL")
        assert len(rows) > 100
        found = 0
        for ev in rows:
            expected = [c["id"] for c in _plain_filter(merger, ev)]
            got = [c["id"] for c in merger._candidates(ev, dt.date.fromisoformat(ev["date"]))]
            assert got == expected
            found += len(got)
        assert found > len(rows)  # the probes do meet candidates


def test_candidate_lookup_seeks_its_indexes_and_scans_nothing():
    with Store.open(":memory:") as s:
        s.save(_varied_corpus(50, seed=3))
        queries = []
        s.conn.set_trace_callback(queries.append)
        town = Place("Town", 9_000_001, 45.2, 30.3, "XX", "Region 1", None, "PPL")
        s.save([_result("new", [_event("new-0", town, 1, "2022-01-03")], dt.date(2022, 1, 3))])
        s.conn.set_trace_callback(None)
        lookup = next(q for q in queries if q.startswith("SELECT * FROM canonical_events WHERE"))
        plan = [r[3] for r in s.conn.execute("EXPLAIN QUERY PLAN " + lookup)]
    assert plan[0] == "MULTI-INDEX OR"
    searches = [p for p in plan if p.startswith(("SEARCH", "SCAN"))]
    assert searches and all(p.startswith("SEARCH canonical_events USING INDEX") for p in searches)
    box_seeks = [p for p in searches if "(kind=? AND date=? AND latitude>? AND latitude<?)" in p]
    assert len(box_seeks) == 2 * DAY_WINDOW + 1  # one per day of the window
    assert any("idx_canonical_geonameid_date" in p for p in searches)
    assert any("idx_canonical_coarse" in p for p in searches)


def test_equal_scores_go_to_the_oldest_canonical_event():
    town = Place("Town", 9_000_001, 45.2, 30.3, "XX", "Region 1", None, "PPL")
    day = dt.date(2022, 1, 3)
    with Store.open(":memory:") as s:
        # two events at one place on one day that cannot merge (their actors differ); the
        # older has the larger id, so an order by id would pick the other one
        s.save([_result("z1", [_event("z1-0", town, 1, "2022-01-03", actor1="Rebels")], day)])
        s.save([_result("a2", [_event("a2-0", town, 1, "2022-01-03", actor1="Military Forces of X")], day)])
        assert s.merge_counts()["canonical_events"] == 2
        s.save([_result("m3", [_event("m3-0", town, 1, "2022-01-03")], day)])
        merged = s.conn.execute("SELECT canonical_id FROM events WHERE id = 'm3-0'").fetchone()[0]
    assert merged == "z1-0"


def test_a_database_from_before_the_merge_indexes_upgrades(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    town = Place("Town", 9_000_001, 45.2, 30.3, "XX", "Region 1", None, "PPL")
    day = dt.date(2022, 1, 3)
    with monkeypatch.context() as m:
        m.setattr(store_module, "MIGRATIONS", MIGRATIONS[:2])
        # the code of that time did not keep a merged event's confidence (m006 added it)
        m.setattr(merge_module, "CANONICAL_COLUMNS", tuple(c for c in merge_module.CANONICAL_COLUMNS
                                                           if c != "confidence"))
        with Store.open(path) as s:
            s.save([_result("a1", [_event("a1-0", town, 1, "2022-01-03")], day)])
            assert s.schema_version() == 2
    with Store.open(path) as s:
        assert s.schema_version() == len(MIGRATIONS)
        indexes = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"idx_canonical_kind_date_latitude", "idx_canonical_geonameid_date",
                "idx_canonical_coarse"} <= indexes
        assert not indexes & {"idx_canonical_kind_date", "idx_canonical_geonameid",
                              "idx_articles_content_hash"}
        s.save([_result("b2", [_event("b2-0", town, 1, "2022-01-04")], day)])
        assert s.conn.execute("SELECT canonical_id FROM events WHERE id = 'b2-0'").fetchone()[0] == "a1-0"
        assert s.merge_counts() == {"canonical_events": 1, "reports": 2, "merged_from_several": 1}
        assert s.conn.execute("SELECT confidence FROM canonical_events").fetchone()[0] is not None


def test_synthetic_corpora_share_one_gazetteer():
    old = {e.place.geonameid: e.place for r in bench._synthetic_results(50, 5, 2, "old") for e in r.events}
    new = {e.place.geonameid: e.place for r in bench._synthetic_results(50, 5, 1, "new") for e in r.events}
    shared = old.keys() & new.keys()
    assert shared and all(old[g] == new[g] for g in shared)


@pytest.mark.parametrize("existing", [0, 200])
def test_store_scaling_bench_runs(existing):
    out = io.StringIO()
    figures = bench.store_scaling(existing_events=existing, articles=20, out=out)
    assert figures["existing_events"] == existing
    assert figures["empty_db_s"] > 0 and figures["full_db_s"] > 0
    assert out.getvalue().splitlines()[-1].startswith("{")
