"""The PostgreSQL store against a real server: the same behaviour as SQLite through the same API.

The server is the test session's own (``pg_server`` in conftest.py, tests/pg.py: initdb and
pg_ctl in a temp folder, on loopback); each test gets a new schema, which is a database to
sitrep (a few, about databases themselves, get a new database). The store, query and
merge tests written for SQLite run here again, unchanged, on PostgreSQL (the ``same_tests``
classes); the rest are about what only a server has: concurrent processes, URLs, connections.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

import test_merge_control
import test_query
import test_store
from pg import PASSWORD, PASSWORD_ROLE, free_port
from sitrep import control, query, report
from sitrep.bench_pg import merged_events
from sitrep.cli import cli
from sitrep.errors import StoreError, UsageError
from sitrep.model import Article, ArticleResult, Event, Place, Span
from sitrep.store import MIGRATIONS, Store, display_name, local_name

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "ukraine-2022" / "dispatches.jsonl"
filled = test_store.filled  # a fixture of the store tests run here on PostgreSQL


def same_tests(module, *names: str):
    """A class decorator: the tests ``names`` of ``module``, collected again in the class (where
    the fixtures they use, ``store``, ``db``, give PostgreSQL)."""
    def add(cls):
        for name in names:
            setattr(cls, name, staticmethod(getattr(module, name)))
        return cls
    return add


def _fill(url_or_path, results) -> str:
    with Store.open(url_or_path) as s:
        s.save(results)
    return str(url_or_path)


# -- the SQLite tests, on PostgreSQL -------------------------------------------------------------

@same_tests(test_store, "test_round_trip_all_fields", "test_round_trip_keeps_where_the_title_is_and_the_feed",
            "test_round_trip_without_place_or_numbers", "test_event_rows_carry_article_fields",
            "test_resave_replaces_without_duplicates", "test_unchanged_ignores_origin_but_not_metadata",
            "test_same_article_twice_in_one_batch", "test_interrupted_batch_is_rolled_back",
            "test_event_id_clash_between_articles_is_a_store_error", "test_cascade_delete",
            "test_order_by_date_then_article_then_id", "test_date_filters_are_inclusive",
            "test_country_and_type_filters_are_case_insensitive", "test_counts_latest_territory",
            "test_bad_batch_size", "test_queries_leave_out_unconfident_events_and_political_acts_by_default")
class TestStoreOnPostgres:
    @pytest.fixture
    def store(self, pg_url):
        with Store.open(pg_url) as s:
            yield s


@same_tests(test_query, "test_merged_rows_carry_canonical_id_reports_and_the_best_report",
            "test_reports_give_one_row_per_report_with_its_canonical_id", "test_count_and_pages",
            "test_country_by_code_or_name", "test_afghanistan_by_name_finds_its_event",
            "test_admin1_as_stored_or_as_acled_spells_it", "test_admin1_elsewhere_finds_nothing",
            "test_place_case_insensitive", "test_event_type_sub_type_or_plover", "test_sub_event_type",
            "test_actor_substring_of_either_actor", "test_claim_status_and_fatalities", "test_confidence_and_political",
            "test_dates", "test_search_evidence", "test_search_follows_a_replaced_article",
            "test_search_quotes_and_operators_are_words", "test_fields_keep_only_those",
            "test_from_params_builds_the_same_query", "test_cli_wrong_type_is_a_usage_error_with_a_suggestion",
            "test_cli_type_and_country_by_name", "test_cli_reports_search_fields", "test_cli_csv_fields_are_csv_columns",
            "test_cli_geojson_keeps_unplaced_events", "test_cli_paging_and_filters")
class TestQueryOnPostgres:
    @pytest.fixture
    def store(self, pg_url):
        with Store.open(pg_url) as s:
            s.save(test_query.sample_results())
            yield s

    @pytest.fixture
    def db(self, pg_url):
        return _fill(pg_url, test_query.sample_results())


@same_tests(test_merge_control, "test_reports_of_one_event_merge_with_every_source",
            "test_dates_more_than_a_day_apart_or_other_places_do_not_merge", "test_claim_confirmed_by_a_later_report",
            "test_denial_disputes_until_confirmed", "test_syndicated_copies_count_as_one_source",
            "test_merging_is_reversible_when_an_article_changes", "test_control_timeline_closes_a_period_at_the_recapture",
            "test_control_as_of_a_date", "test_report_links_every_line_to_its_sources",
            "test_report_html_has_a_map_and_a_weekly_chart_and_links_without_a_url_work",
            "test_a_report_without_events_has_no_figures")
class TestMergeAndControlOnPostgres:
    @pytest.fixture
    def store(self, pg_url):
        with Store.open(pg_url) as s:
            yield s


# -- schema and migrations -----------------------------------------------------------------------

def test_the_schema_is_sqlites_with_postgresql_types(pg_server):
    pg_url = pg_server.create_database()  # a database of its own: sitrep's tables go to "public"
    with Store.open(":memory:") as lite, Store.open(pg_url) as pg:
        def schema(s, sql):
            rows = s.conn.execute(sql).fetchall()
            return {(t, c) for t, c in rows if not t.startswith(("evidence_", "sqlite_")) and c != "rowid"}

        lite_cols = {(t, c) for t in ("articles", "events", "place_mentions", "statistics", "canonical_events",
                                      "meta", "_migrations") for c in lite.dialect.columns(lite.conn, t)}
        assert schema(pg, "SELECT table_name, column_name FROM information_schema.columns "
                          "WHERE table_schema = 'public'") == lite_cols
        assert schema(pg, "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public' "
                          "AND indexname LIKE 'idx_%'") == schema(lite, "SELECT tbl_name, name FROM sqlite_master "
                                                                       "WHERE type = 'index' AND name LIKE 'idx_%'")
        types = dict(pg.conn.execute("SELECT column_name, data_type || COALESCE(' ' || collation_name, '') "
                                     "FROM information_schema.columns WHERE table_name = 'events'").fetchall())
        assert (types["id"], types["latitude"], types["geonameid"]) == ("text C", "double precision", "bigint")
        assert pg.schema_version() == lite.schema_version() == len(MIGRATIONS)
        assert dict(pg.conn.execute("SELECT key, value FROM meta").fetchall()) == {
            "application": "sitrep", "schema_version": str(len(MIGRATIONS))}
    with Store.open(pg_url) as again:
        assert again.migrate() == []
        names = [r[0] for r in again.conn.execute("SELECT name FROM _migrations ORDER BY name")]
        assert names == [fn.__name__ for fn in MIGRATIONS]


def test_processes_opening_a_fresh_database_at_once_migrate_it_once(pg_url):
    at = time.time() + 2  # all open it at this moment, once started
    code = (f"import time; from sitrep.store import Store; time.sleep(max(0, {at} - time.time())); "
            f"Store.open({pg_url!r}).close()")
    procs = [subprocess.Popen([sys.executable, "-c", code], stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    with Store.open(pg_url, read_only=True) as s:
        rows = s.conn.execute("SELECT name, COUNT(*) FROM _migrations GROUP BY name").fetchall()
        assert sorted(rows) == sorted((fn.__name__, 1) for fn in MIGRATIONS)


def test_what_is_not_a_sitrep_database_is_refused_untouched(pg_server, pg_url):
    with pytest.raises(UsageError, match="holds no sitrep tables yet: run `sitrep ingest PATH --db postgresql://"):
        Store.open(pg_url, read_only=True)
    other = pg_server.create_database()
    with psycopg.connect(other, autocommit=True) as con:
        con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    for read_only in (False, True):
        with pytest.raises(StoreError, match="is not a sitrep database .*other tables: customers.*createdb"):
            Store.open(other, read_only=read_only)
    with psycopg.connect(other) as con:
        assert con.execute("SELECT table_name FROM information_schema.tables "
                           "WHERE table_schema = 'public'").fetchall() == [("customers",)]
    Store.open(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 99 .* upgrade sitrep"):
        Store.open(pg_url)


def test_a_read_only_store_writes_nothing(pg_url):
    _fill(pg_url, [test_store.make_result(1)])
    with Store.open(pg_url, read_only=True) as s:
        with pytest.raises(StoreError, match="cannot write to postgresql://.*rolled back"):
            s.save([test_store.make_result(2)])
        assert s.article_count() == 1


def test_an_earlier_schema_is_upgraded_and_its_events_indexed(pg_url, monkeypatch):
    from sitrep import merge as merge_module
    from sitrep import store as store_module

    names = [m.__name__ for m in MIGRATIONS]
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:names.index("m005_evidence_text")])
    monkeypatch.setattr(merge_module, "CANONICAL_COLUMNS",
                        tuple(c for c in merge_module.CANONICAL_COLUMNS if c != "confidence"))
    _fill(pg_url, test_query.sample_results())
    monkeypatch.undo()
    with pytest.raises(UsageError, match="lacks m005_evidence_text, m006_query_indexes, m007_titles_and_feeds"):
        Store.open(pg_url, read_only=True)
    out = CliRunner().invoke(cli, ["events", "--db", pg_url])
    assert out.exit_code == 2 and f"run `sitrep upgrade --db {pg_url}` once" in out.stderr
    out = CliRunner().invoke(cli, ["upgrade", "--db", pg_url])
    assert out.exit_code == 0 and f"schema version {len(MIGRATIONS)}, up to date" in out.stderr
    with Store.open(pg_url, read_only=True) as s:
        assert test_query.ids(query.run(s, query.EventQuery(text="market"))) == ["a1-e0"]


def test_upgrading_a_database_without_sitrep_is_refused(pg_url):
    out = CliRunner().invoke(cli, ["upgrade", "--db", pg_url])
    assert out.exit_code == 2 and "there is nothing to upgrade" in out.stderr


# -- the same answers as SQLite ------------------------------------------------------------------

def _search_corpus() -> list[ArticleResult]:
    texts = ["Shelling hit Kyïv's eastern outskirts overnight.", "Protesters protested outside the parliament.",
             "The strike destroyed the power station and two substations.", "Café owners were arrested in Lviv."]
    return [test_query.report(f"s{i}", "Air/drone strike", test_query.KYIV, t, day=f"2024-03-{i + 10}")
            for i, t in enumerate(texts)]


@pytest.mark.parametrize("words", ["kyiv", "Kyïv", "protests", "the", "power station", "stations", "strike the",
                                   "cafe", "Café", "lviv arrest", "outskirts -", "NOT the"])
def test_full_text_search_finds_what_sqlite_finds(pg_url, tmp_path, words):
    found = []
    for db in (_fill(tmp_path / "s.db", _search_corpus()), _fill(pg_url, _search_corpus())):
        with Store.open(db, read_only=True) as s:
            found.append(test_query.ids(query.run(s, query.EventQuery(text=words, reports=True))))
    assert found[0] == found[1]


def _history() -> list[ArticleResult]:
    """Changes of control, a strike told twice, an undated article: every command has something to show."""
    m = test_merge_control
    strikes = [m._result(m._article(f"k{i}", "2022-04-0" + str(8 + i), f"Wire {i}"),
                         m._event(f"k{i}", 0, "Shelling/artillery/missile attack", m.CITY, "2022-04-08",
                                  "Military Forces of Russia", fatalities=50 + i)) for i in range(2)]
    undated = ArticleResult(dataclasses.replace(m._article("u1", "2022-04-01", "Wire U"), published=None),
                            (m._event("u1", 0, "Armed clash", m.OTHER, "2022-04-03", "Military Forces of Ukraine"),))
    history = []

    class Collect:
        def save(self, results):
            history.extend(results)

    m._territory_history(Collect())
    return history + strikes + [undated]


def _without_ingest_times(text: str, geojson: bool = False) -> str:
    """The output without the time each store took the reports in (the two fills can straddle a
    second)."""
    if geojson:
        doc = json.loads(text)
        for f in doc["features"]:
            f["properties"].pop("ingested_at", None)
        return json.dumps(doc)
    rows = [json.loads(line) for line in text.splitlines()]
    return "\n".join(json.dumps({k: v for k, v in r.items() if k != "ingested_at"}) for r in rows)


COMMANDS = [["events"], ["events", "--reports", "--political", "--min-confidence", "0"], ["summary"],
            ["control"], ["control", "--format", "json", "--as-of", "2022-09-09"], ["control", "--format", "csv"],
            ["report", "--since", "2022-04-01", "--until", "2022-09-30"],
            ["report", "--since", "2022-04-01", "--until", "2022-09-30", "--format", "html"],
            ["events", "--format", "jsonl", "--search", "report"], ["events", "--format", "geojson"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_commands_print_on_postgresql_what_they_print_on_sqlite(pg_url, tmp_path, command):
    outputs = []
    for db in (_fill(tmp_path / "h.db", _history()), _fill(pg_url, _history())):
        out = CliRunner().invoke(cli, [*command, "--db", db], catch_exceptions=False)
        assert out.exit_code == 0, out.stderr
        outputs.append(out.stdout.replace(db, "DB"))
    if "jsonl" in command or "geojson" in command:
        outputs = [_without_ingest_times(o, geojson="geojson" in command) for o in outputs]
    assert outputs[0] == outputs[1] and outputs[0].strip()


def test_the_api_answers_on_postgresql_as_on_sqlite(pg_url, tmp_path):
    import httpx

    from live import serving

    paths = ["/api/events?limit=50", "/api/events?reports=true&format=csv", "/api/events/k0-0", "/api/events/k1-0",
             "/api/articles/k1", "/articles/t1", "/api/control", "/api/control?place=Kupiansk",
             "/api/report?since=2022-04-01&until=2022-09-30", "/api/statistics", "/api/weekly", "/api/articles/none"]
    answers = []
    for db in (_fill(tmp_path / "api.db", _history()), _fill(pg_url, _history())):
        with serving(db) as base, httpx.Client(base_url=base, timeout=30) as client:
            got = []
            for path in paths:
                r = client.get(path)
                body = r.text.replace(db, "DB")
                if r.headers["content-type"].startswith("application/json"):
                    body = json.loads(body)
                    for e in body.get("events", []) if isinstance(body, dict) else []:
                        e.pop("ingested_at", None)
                elif "csv" in path:  # ACLED's timestamp is when the article was stored
                    body = [{k: v for k, v in row.items() if k != "timestamp"}
                            for row in csv.DictReader(io.StringIO(body))]
                got.append((r.status_code, body))
            answers.append(got)
    assert answers[0] == answers[1]
    assert answers[1][-1] == (404, {"error": "no article 'none' in DB"})  # the URL, never with a password


# -- concurrency ---------------------------------------------------------------------------------

def _strikes(first: int, last: int) -> list[ArticleResult]:
    """Articles each reporting a strike at one of four towns on one of three days (a week apart, so
    which reports are one event does not depend on the order they come in)."""
    towns = [Place(f"Town {k}", 9_100_000 + k, 48.0 + k, 35.0, "UA", "Region", None, "PPL") for k in range(4)]
    out = []
    for n in range(first, last):
        day = f"2022-05-{1 + 7 * (n % 3):02d}"
        text = f"Dispatch {n}: a missile strike hit Town {n % 4}."
        event = Event(id=f"c{n}-0", event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                      plover="AIRSTRIKE", actor1="Military Forces of Russia", actor2=None, place=towns[n % 4],
                      precision=1, date=day, date_precision=1, fatalities=n % 5, counts={}, status="happened",
                      claim="reported", claimed_by=None, evidence=(Span(0, len(text), text),), confidence=0.8)
        out.append(ArticleResult(Article(text=text, id=f"c{n}", published=dt.date(2022, 5, 22), source=f"Wire {n % 3}"),
                                 (event,)))
    return out


def test_concurrent_writers_store_each_article_once_and_merge_as_one_writer(pg_server, pg_url):
    single = _fill(pg_server.create_database(), _strikes(0, 48))
    errors = []

    def ingest(first: int, last: int) -> None:
        try:
            with Store.open(pg_url) as s:
                s.save(_strikes(first, last), batch_size=2)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ingest, args=span) for span in ((0, 32), (16, 48), (8, 40))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with Store.open(pg_url, read_only=True) as s:
        assert s.article_count() == 48
        assert s.conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM events").fetchone() == (48, 48)
    assert merged_events(pg_url) == merged_events(single)
    assert len(merged_events(single)) == 12


# -- URLs, connections and their errors ----------------------------------------------------------

def test_passwords_are_never_shown():
    url = "postgresql://ana:pa%40ss@db.example.org:6543/war?sslmode=require&password=other&options=-csearch_path%3Dx"
    assert display_name(url) == "postgresql://ana@db.example.org:6543/war?sslmode=require&options=-csearch_path%3Dx"
    assert local_name(url).startswith("postgresql-db.example.org-6543-war-") and "ss" not in local_name(url)
    assert local_name("postgresql://ana:pa%40ss@db.example.org/war") == "postgresql-db.example.org-5432-war"
    assert display_name("postgres:///war") == "postgres:///war"
    assert display_name("war.db") == local_name("war.db") == "war.db"


def _bad_urls(pg_server) -> dict[str, tuple[str, str]]:
    port = pg_server.port
    return {
        "unreachable": (f"postgresql://{PASSWORD_ROLE}:{PASSWORD}@127.0.0.1:{free_port()}/war",
                        "cannot connect to PostgreSQL database 'war' on 127.0.0.1:.*server is running"),
        "wrong password": (f"postgresql://{PASSWORD_ROLE}:Wrong-{PASSWORD}@127.0.0.1:{port}/postgres",
                           "cannot connect to PostgreSQL database 'postgres' .* password authentication failed"
                           ".*PGPASSWORD"),
        "no such database": (f"postgresql://{PASSWORD_ROLE}:{PASSWORD}@127.0.0.1:{port}/nowhere",
                             "database 'nowhere' on 127.0.0.1.* does not exist.*create it first"),
        "not a URL": (f"postgresql://{PASSWORD_ROLE}:{PASSWORD}@127.0.0.1:port/war", "not a PostgreSQL URL"),
    }


@pytest.mark.parametrize("case", ["unreachable", "wrong password", "no such database", "not a URL"])
def test_a_database_that_cannot_be_reached_is_a_clear_error_without_the_password(pg_server, case):
    import re

    url, message = _bad_urls(pg_server)[case]
    with pytest.raises((StoreError, UsageError), match=message) as info:
        Store.open(url)
    assert PASSWORD not in str(info.value) and "Wrong" not in str(info.value)
    for command in (["events"], ["summary"], ["control"], ["report", "--since", "2022-01-01", "--until", "2022-02-01"],
                    ["upgrade"], ["serve"], ["ingest", str(SAMPLE)]):
        out = CliRunner().invoke(cli, [*command, "--db", url])
        assert out.exit_code == 2, (command, out.output)
        assert re.search(message, out.stderr) and PASSWORD not in out.output, (command, out.stderr)


# -- the real pipeline: the sample corpus, and two ingest processes ------------------------------

@pytest.fixture(scope="module")
def sample_results(pipeline):
    from sitrep.sources import iter_articles

    return list(pipeline.process_many(a for a in iter_articles([str(SAMPLE)]) if not isinstance(a, Exception)))


@pytest.fixture(scope="module")
def sample_stores(sample_results, pg_server, tmp_path_factory):
    """The sample corpus saved into SQLite and PostgreSQL by one process: (sqlite path, URL)."""
    return (_fill(tmp_path_factory.mktemp("sample") / "sample.db", sample_results),
            _fill(pg_server.create_database("sample"), sample_results))


def _everything(db: str) -> dict:
    with Store.open(db, read_only=True) as s:
        rows = s.events(min_confidence=0, political=True)
        merged = query.run(s, query.EventQuery(min_confidence=0, political=True))
        for r in merged:
            r.pop("ingested_at")
        return {"events": rows, "canonical": s.canonical_events(min_confidence=0, political=True),
                "merged": merged, "counts": s.merge_counts(), "by_type": s.counts_by_type(),
                "statistics": s.statistics_rows(), "latest": s.latest(20), "territory": s.territory_changes(),
                "search": query.run(s, query.EventQuery(text="Russian troops", reports=True, min_confidence=0,
                                                         fields=("id",))),
                "control": [p.to_dict() for p in control.timeline(s)],
                "control_then": [p.to_dict() for p in control.timeline(s, as_of="2022-05-01")],
                "articles": [s.get_article(f"ua-{n:03d}") for n in range(1, 65)],
                "report": report.build(s, dt.date(2022, 2, 1), dt.date(2022, 12, 31))}


@pytest.mark.slow
def test_the_sample_corpus_gives_the_same_events_merges_and_control_on_both(sample_stores):
    lite, pg = (_everything(db) for db in sample_stores)
    assert lite["counts"]["canonical_events"] > 50 and len(lite["control"]) > 15 and lite["search"]
    for key in lite:
        assert lite[key] == pg[key], key


@pytest.mark.slow
def test_two_ingest_processes_with_overlapping_inputs_end_as_one(sample_stores, pg_url, tmp_path):
    lines = SAMPLE.read_text("utf-8").splitlines(keepends=True)
    halves = [tmp_path / "first.jsonl", tmp_path / "second.jsonl"]
    halves[0].write_text("".join(lines[:40]), "utf-8")
    halves[1].write_text("".join(lines[24:]), "utf-8")  # 16 dispatches in both
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    t0 = time.monotonic()
    procs = [subprocess.Popen([sys.executable, "-m", "sitrep", "ingest", str(h), "--db", pg_url], env=env,
                              stderr=subprocess.PIPE, text=True) for h in halves]
    logs = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], logs
    assert time.monotonic() - t0 < 240
    assert any("16 unchanged" in log or "16 updated" in log for log in logs) or \
        sum("40 new" in log for log in logs) == 1, logs  # the second to store a shared dispatch finds it there
    with Store.open(pg_url, read_only=True) as s, Store.open(sample_stores[1], read_only=True) as one:
        assert s.article_count() == one.article_count() == 64
        assert s.conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM events").fetchone() == \
            one.conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM events").fetchone()
        assert s.merge_counts() == one.merge_counts()
    assert merged_events(pg_url) == merged_events(sample_stores[1])


def test_a_password_in_the_url_logs_in_and_is_never_shown(pg_server):
    url = pg_server.url("postgres", PASSWORD_ROLE, PASSWORD)
    with psycopg.connect(pg_server.url(), autocommit=True) as con:
        con.execute(f"CREATE DATABASE owned OWNER {PASSWORD_ROLE}")
    url = url.rsplit("/", 1)[0] + "/owned"
    out = io.StringIO()
    with Store.open(url) as s:
        assert PASSWORD not in s.path and s.path.endswith("@127.0.0.1:%d/owned" % pg_server.port)
        s.save(_history())
        report.write(s, out, dt.date(2022, 4, 1), dt.date(2022, 4, 30))
    assert "Kupiansk" in out.getvalue()
    res = CliRunner().invoke(cli, ["upgrade", "--db", url])
    assert res.exit_code == 0 and PASSWORD not in res.output and "/owned: schema version" in res.stderr
