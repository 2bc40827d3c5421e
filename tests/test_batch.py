"""``sitrep batch`` on real Dask workers: the sample corpus against ``sitrep ingest``, gzipped
JSON Lines and a feed, resuming, failing documents, the Parquet tables, ``--db``.

Two clusters for the module: ``sitrep batch --workers 2`` starts its own LocalCluster once
(the sample run, through the real entry point), and a module-scoped LocalCluster of two
single-threaded worker processes serves the other runs through ``--scheduler``; its workers
keep their loaded pipeline from one run to the next. That one has Dask's default daemonic
workers, as a by-hand ``dask worker`` has: its runs go without the per-document budget, and
say so.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from sitrep.batch_parquet import SCHEMAS, TABLES, read_partition
from sitrep.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "ukraine-2022"


def sitrep(*args, timeout=300):
    env = {k: v for k, v in os.environ.items() if k != "SITREP_MAX_BYTES"}
    return subprocess.Popen([sys.executable, "-m", "sitrep", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=ROOT)


def finish(proc, timeout=300):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode(), err.decode()


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


# Dispatches written for these tests (places and dates real, the reports made up).
DISPATCHES = [
    {"id": "bt-01", "published": "2022-03-08", "source": "Test Wire", "url": "https://example.org/bt-01",
     "title": "Shelling in Kharkiv",
     "text": "Russian artillery shelled residential districts of Kharkiv on Tuesday, killing three civilians, "
             "the regional governor said."},
    {"id": "bt-02", "published": "2022-05-02", "source": "Test Wire", "url": "https://example.org/bt-02",
     "title": "Village retaken",
     "text": "Ukrainian forces recaptured the village of Ruska Lozova north of Kharkiv on Monday, the general "
             "staff said in its morning update."},
    {"id": "bt-03", "published": "2022-03-13", "source": "Test Wire", "url": "https://example.org/bt-03",
     "title": "Rally in Kherson",
     "text": "Several thousand people rallied in central Kherson on Sunday against the Russian occupation, "
             "waving Ukrainian flags, witnesses said."},
    {"id": "bt-04", "published": "2022-04-20", "source": "Test Wire", "url": "https://example.org/bt-04",
     "title": "Drone strike on depot",
     "text": "A drone strike set a fuel depot in Mykolaiv on fire overnight, the city's mayor said on "
             "Wednesday; no one was hurt."},
    {"id": "bt-05", "published": "2022-06-07", "source": "Test Wire", "url": "https://example.org/bt-05",
     "title": "Fighting in Sievierodonetsk",
     "text": "Heavy street fighting went on in Sievierodonetsk on Tuesday as Russian troops tried to take the "
             "city centre, the regional governor said."},
    {"id": "bt-06", "published": "2022-07-11", "source": "Test Wire", "url": "https://example.org/bt-06",
     "title": "Missile hits Chasiv Yar",
     "text": "A Russian missile struck an apartment building in Chasiv Yar on Saturday night, killing at least "
             "fifteen people, rescuers said on Sunday."},
]

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test Desk</title><link>https://example.org/desk</link>
<item><title>Strike near Zaporizhzhia</title><link>https://example.org/desk/1</link>
<pubDate>Thu, 18 Aug 2022 09:00:00 GMT</pubDate>
<description>Russian rockets hit an industrial area of Zaporizhzhia on Wednesday, wounding two workers, the
regional administration said.</description></item>
<item><title>Kyiv curfew</title><link>https://example.org/desk/2</link>
<pubDate>Thu, 18 Aug 2022 12:00:00 GMT</pubDate>
<description>Officials in Kyiv said the city would keep its night curfew in place for the coming
week.</description></item>
</channel></rss>
"""


def write_jsonl(path: Path, records: list[dict], *, zipped: bool = False) -> Path:
    data = "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if zipped else data)
    return path


def events_by_article(out: Path) -> dict[str, list[tuple]]:
    rows = ds.dataset(out / "events", format="parquet").to_table().to_pylist()
    found: dict[str, list[tuple]] = {}
    for r in sorted(rows, key=lambda r: (r["article_id"], r["seq"])):
        found.setdefault(r["article_id"], []).append(
            (r["event_type"], r["sub_event_type"], r["place_name"], r["place_geonameid"], r["date"],
             tuple((s["start"], s["end"]) for s in r["evidence"])))
    return found


def done_markers(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((out / "_done").glob("*.json"))}


# ---- clusters -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scheduler():
    """The address of a LocalCluster of two single-threaded worker processes."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """``sitrep batch`` (its own 2-worker cluster, --db) and ``sitrep ingest`` of the sample, side by side."""
    tmp = tmp_path_factory.mktemp("sample")
    batch = sitrep("batch", SAMPLE, "--out", tmp / "out", "--workers", 2, "--partition-size", 25,
                   "--db", tmp / "batch.db")
    ingest = sitrep("ingest", SAMPLE, "--db", tmp / "ingest.db")
    return {"batch": finish(batch), "ingest": finish(ingest), "out": tmp / "out",
            "batch_db": tmp / "batch.db", "ingest_db": tmp / "ingest.db"}


# ---- the sample corpus: the same as ingest ---------------------------------------------------

@pytest.mark.slow
def test_sample_batch_gives_the_events_of_ingest(sample_run):
    code, _, err = sample_run["batch"]
    assert code == 0, err
    assert sample_run["ingest"][0] == 0, sample_run["ingest"][2]
    assert "3 partitions done, 0 skipped" in err and "69 articles" in err
    assert "Dask dashboard" not in err  # local cluster: no link
    with closing(sqlite3.connect(sample_run["ingest_db"])) as con:
        expected: dict[str, list[tuple]] = {}
        for row in con.execute("SELECT article_id, event_type, sub_event_type, place_name, geonameid, date, "
                               "evidence FROM events ORDER BY article_id, seq"):
            spans = tuple((s["start"], s["end"]) for s in json.loads(row[6]))
            expected.setdefault(row[0], []).append(row[1:6] + (spans,))
        stored_ids = {r[0] for r in con.execute("SELECT id FROM articles")}
    got = events_by_article(sample_run["out"])
    assert got == expected
    assert sum(map(len, got.values())) > 100
    articles = ds.dataset(sample_run["out"] / "articles", format="parquet").to_table(columns=["id"])
    assert set(articles.column("id").to_pylist()) == stored_ids


@pytest.mark.slow
def test_sample_loaded_with_db_is_merged_as_ingest_merges(sample_run):
    code, _, err = sample_run["batch"]
    assert code == 0, err
    assert "69 articles loaded (69 new" in err and "canonical events" in err

    def merged(db):
        result = invoke("events", "--db", db, "--format", "jsonl", "--min-confidence", 0)
        assert result.exit_code == 0, result.output
        return [{k: v for k, v in json.loads(line).items() if k != "ingested_at"}
                for line in result.stdout.splitlines()]

    rows = merged(sample_run["batch_db"])
    assert rows == merged(sample_run["ingest_db"])
    assert any(r["n_reports"] > 1 for r in rows)  # reports of one event from several dispatches, merged
    with closing(sqlite3.connect(sample_run["batch_db"])) as a, closing(sqlite3.connect(sample_run["ingest_db"])) as b:
        sql = "SELECT * FROM canonical_events ORDER BY id"
        assert a.execute(sql).fetchall() == b.execute(sql).fetchall()


@pytest.mark.slow
def test_parquet_tables_have_their_schemas_and_offsets_into_the_text(sample_run):
    out = sample_run["out"]
    for table in TABLES:
        files = sorted((out / table).glob("part-*.parquet"))
        assert [f.name for f in files] == [f"part-{i:05d}.parquet" for i in range(3)]
        assert all(pq.read_schema(f).equals(SCHEMAS[table], check_metadata=False) for f in files)
    assert not list(out.rglob(".*tmp*"))  # no temporary left behind
    texts = {r["id"]: r["text"] for r in ds.dataset(out / "articles").to_table(columns=["id", "text"]).to_pylist()}
    places = ds.dataset(out / "places").to_table().to_pylist()
    assert places and all(texts[p["article_id"]][p["start"]:p["end"]] == p["text"] for p in places)
    for table in ("events", "statistics"):
        rows = ds.dataset(out / table).to_table().to_pylist()
        assert rows
        for r in rows:
            text = texts[r["article_id"]]
            assert all(text[s["start"]:s["end"]] == s["text"] for s in r["evidence"])
            assert (r["evidence_start"], r["evidence_end"]) == (min(s["start"] for s in r["evidence"]),
                                                                max(s["end"] for s in r["evidence"]))
    assert {"place_geonameid", "place_latitude", "counts", "political"} <= set(SCHEMAS["events"].names)
    markers = done_markers(out)
    assert list(markers) == ["part-00000", "part-00001", "part-00002"]
    assert [m["documents"] for m in markers.values()] == [25, 25, 19]
    assert all(m["max_seconds"] == 30 for m in markers.values())  # --workers: the budget applies


@pytest.mark.slow
def test_parquet_rebuilds_what_the_store_keeps(sample_run):
    from sitrep.store import Store

    with Store.open(sample_run["ingest_db"], read_only=True) as store:
        for name in ("part-00000", "part-00002"):
            for result in read_partition(sample_run["out"], name):
                assert result.to_dict() == store.get_article(result.article.id).to_dict()


# ---- on the scheduler fixture: gzip and feeds, resuming, bad documents ---------------------------

@pytest.mark.slow
def test_gzipped_jsonl_and_a_feed(tmp_path, scheduler):
    write_jsonl(tmp_path / "wire.jsonl.gz", DISPATCHES, zipped=True)
    (tmp_path / "desk.rss").write_text(FEED, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("batch", tmp_path / "wire.jsonl.gz", tmp_path / "desk.rss", "--out", out,
                    "--scheduler", scheduler, "--partition-size", 4)
    assert result.exit_code == 0, result.output
    assert "Dask dashboard: http" in result.stderr
    assert "2 partitions done" in result.stderr and "8 articles" in result.stderr
    assert "ran without --max-seconds" in result.stderr  # daemonic workers: said, not silently dropped
    articles = ds.dataset(out / "articles").to_table().to_pylist()
    assert [a["id"] for a in articles][:6] == [d["id"] for d in DISPATCHES]
    assert articles[6]["url"] == "https://example.org/desk/1" and str(articles[6]["published"]) == "2022-08-18"
    assert articles[0]["origin"].endswith("wire.jsonl.gz:1")
    events = events_by_article(out)
    assert any(sub == "Shelling/artillery/missile attack" and place == "Kharkiv"
               for _, sub, place, *_ in events["bt-01"])
    assert all((out / "errors" / f"part-{i:05d}.jsonl").read_text() == "" for i in range(2))


@pytest.mark.slow
def test_rerun_skips_finished_partitions_and_redoes_one_without_marker(tmp_path, scheduler):
    wire = write_jsonl(tmp_path / "wire.jsonl", DISPATCHES)
    out = tmp_path / "out"
    args = ("batch", wire, "--out", out, "--scheduler", scheduler, "--partition-size", 2)
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    assert "3 partitions done, 0 skipped" in first.stderr
    before = done_markers(out)
    events = (out / "events" / "part-00001.parquet").read_bytes()
    # a crash after the tables of part 1 were written, before its marker
    (out / "_done" / "part-00001.json").unlink()
    (out / "events" / "part-00001.parquet").write_bytes(b"half a file")
    again = invoke(*args)
    assert again.exit_code == 0, again.output
    assert "1 partitions done, 2 skipped" in again.stderr and "2 articles" in again.stderr
    after = done_markers(out)
    assert after["part-00000"] == before["part-00000"] and after["part-00002"] == before["part-00002"]
    assert after["part-00001"]["finished"] >= before["part-00001"]["finished"]
    assert after["part-00001"]["articles"] == 2
    assert pq.read_table(out / "events" / "part-00001.parquet").equals(pq.read_table(pa_buffer(events)))
    nothing = invoke(*args)
    assert "0 partitions done, 3 skipped" in nothing.stderr
    # inputs changed since: refused, not mixed with the old run
    write_jsonl(wire, DISPATCHES[:3])
    changed = invoke(*args)
    assert changed.exit_code == 2 and "other inputs" in changed.stderr


def pa_buffer(data: bytes):
    import pyarrow as pa

    return pa.BufferReader(data)


@pytest.mark.slow
def test_failing_documents_go_to_the_errors_file_and_the_rest_is_written(tmp_path, scheduler):
    too_long = {"id": "bt-long", "published": "2022-03-08",  # over spaCy's 1,000,000 characters: the parser refuses
                "text": "Shelling went on near Kharkiv through the night. " * 22_000}
    lines = [json.dumps(DISPATCHES[0]), "{not json", json.dumps(too_long), "[1, 2]", json.dumps(DISPATCHES[1])]
    (tmp_path / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("batch", tmp_path / "wire.jsonl", "--out", out, "--scheduler", scheduler,
                    "--max-chars", 2_000_000)
    assert result.exit_code == 0, result.output
    assert "3 documents failed" in result.stderr and "some documents failed" in result.stderr
    errors = [json.loads(line) for line in (out / "errors" / "part-00000.jsonl").read_text().splitlines()]
    assert [(e["line"], e["stage"]) for e in errors] == [(2, "read"), (3, "analyse"), (4, "read")]
    assert all(e["origin"] == str(tmp_path / "wire.jsonl") for e in errors)
    assert "not valid JSON" in errors[0]["message"] and "E088" in errors[1]["message"]
    assert errors[1]["article_id"] == "bt-long"
    ids = ds.dataset(out / "articles").to_table(columns=["id"]).column("id").to_pylist()
    assert ids == ["bt-01", "bt-02"]
    assert done_markers(out)["part-00000"]["errors"] == 3


@pytest.mark.slow
def test_a_model_the_workers_cannot_load_stops_the_run(tmp_path, scheduler):
    wire = write_jsonl(tmp_path / "wire.jsonl", DISPATCHES)
    result = invoke("batch", wire, "--out", tmp_path / "out", "--scheduler", scheduler, "--partition-size", 2,
                    "--model", "no_such_model_xyz")
    assert result.exit_code == 3 and "no_such_model_xyz" in result.stderr  # setup error, as for ingest
    assert not list((tmp_path / "out").glob("_done/*"))


# ---- usage errors -------------------------------------------------------------------------------

def test_scheduler_and_workers_together_is_a_usage_error(tmp_path):
    result = invoke("batch", SAMPLE, "--out", tmp_path / "out", "--scheduler", "tcp://127.0.0.1:1",
                    "--workers", 2)
    assert result.exit_code == 2 and "not both" in result.stderr


@pytest.mark.slow
def test_an_out_folder_holding_other_files_and_stdin_are_refused(tmp_path, scheduler):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    result = invoke("batch", SAMPLE, "--out", tmp_path / "out", "--scheduler", scheduler)
    assert result.exit_code == 2 and "not empty" in result.stderr
    result = invoke("batch", "-", "--out", tmp_path / "new", "--scheduler", scheduler)
    assert result.exit_code == 2 and "standard input" in result.stderr
    result = invoke("batch", tmp_path / "missing.jsonl", "--out", tmp_path / "new", "--scheduler", scheduler)
    assert result.exit_code == 2 and "no such file" in result.stderr


# ---- the tables hold every field of the model ------------------------------------------------------

def test_every_field_of_the_model_has_a_column():
    from dataclasses import fields

    from sitrep import batch_parquet as bp
    from sitrep.model import Article, ArticleResult, Event, Place, PlaceMention, Span, Statistic

    names = {t: set(SCHEMAS[t].names) for t in TABLES}
    assert {f.name for f in fields(Article)} == set(bp.ARTICLE_FIELDS) <= names["articles"]
    assert {f.name for f in fields(ArticleResult)} == {"article", "events", "places", "statistics", "political",
                                                       "truncated"}
    place = {f.name for f in fields(Place)}
    assert {f"place_{n}" for n in place} <= names["events"] and place <= names["places"]
    renamed = {"place": "place_name", "precision": "geo_precision", "date_precision": "time_precision"}
    assert {renamed.get(f.name, f.name) for f in fields(Event)} <= names["events"]
    assert {f.name for f in fields(PlaceMention)} - {"place"} <= names["places"]
    assert {f.name for f in fields(Statistic)} <= names["statistics"]
    assert {f.name for f in fields(Span)} == {"start", "end", "text"}


def test_tables_written_and_read_back_give_equal_results(tmp_path):
    import datetime as dt

    from sitrep.batch_parquet import tables, write_tables
    from sitrep.model import Article, ArticleResult, Event, Place, PlaceMention, Span, Statistic

    text = "Kharkiv: shelling killed three people on Tuesday, and 40 were wounded this month."
    place = Place("Kharkiv", 706483, 49.98, 36.25, "UA", "Kharkiv", None, "PPLA", 1_430_885)
    span = Span(9, 48, text[9:48])
    event = Event(id="e1", event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
                  plover="ASSAULT", actor1="Military Forces of Russia", actor2="Civilians (Ukraine)", place=place,
                  precision=1, date="2022-03-08", date_precision=1, fatalities=3, counts={"wounded": 40},
                  status="happened", claim="claimed", claimed_by="the governor", evidence=(span,), confidence=0.8,
                  notes="a note")
    political = Event(id="e2", event_type=None, sub_event_type=None, plover="MOBILIZE", actor1=None, actor2=None,
                      place=None, precision=None, date=None, date_precision=None, fatalities=None)
    stat = Statistic("wounded", 40, "exactly", "this month", ("Kharkiv",), "officials", (Span(54, 80, text[54:80]),))
    results = [
        ArticleResult(Article(text=text, id="a1", title="Kharkiv", url="https://example.org/a1",
                              published=dt.date(2022, 3, 8), source="Test Wire", language="en", origin="x.jsonl:1",
                              title_offset=0, feed="https://example.org/feed.xml"),
                      events=(event,), political=(political,), statistics=(stat,), truncated=True,
                      places=(PlaceMention(0, 7, "Kharkiv", place, 0.93), PlaceMention(60, 64, "Xyzz", None))),
        ArticleResult(Article(text="Nothing happened.")),
        ArticleResult(Article(text=text, id="a1")),  # the same id again stays a second article
    ]
    counts = write_tables(tmp_path, "part-00007", tables(results))
    assert counts == {"articles": 3, "events": 2, "places": 2, "statistics": 1}
    assert list(read_partition(tmp_path, "part-00007")) == results
