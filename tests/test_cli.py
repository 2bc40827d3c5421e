"""The ``sitrep`` command end to end: extract, ingest, events; bad input; usage errors.

Most tests drive ``sitrep.cli.cli`` in-process with click's CliRunner and the
session's pipeline (so spaCy loads once); a few run ``python -m sitrep`` as a
subprocess to check the real entry point, stdin, and exit codes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path
from unittest import mock

import click
import pytest
from click.testing import CliRunner

from conftest import ARTICLES
from sitrep import cli as cli_module
from sitrep.cli import cli

ACLED_COLUMNS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1",
                 "admin2", "location", "latitude", "longitude", "geo_precision", "time_precision",
                 "fatalities", "notes", "source")
DJIBO = ARTICLES / "djibo_capture.txt"
DORI = ARTICLES / "dori_insurgents.txt"
WIRE = ARTICLES / "sudan_wire.jsonl"
FEED = ARTICLES / "sahel_feed.rss"
PAGE = ARTICLES / "arauca_page.html"


# ---- helpers -----------------------------------------------------------------------------

def sitrep(*args: str, input: bytes | None = None, cwd: Path | None = None, env_extra=None):
    """Run ``python -m sitrep ARGS`` in a subprocess."""
    env = {k: v for k, v in os.environ.items() if k != "SITREP_MAX_BYTES"} | (env_extra or {})
    return subprocess.run([sys.executable, "-m", "sitrep", *map(str, args)], input=input,
                          capture_output=True, cwd=cwd, env=env, timeout=120)


@pytest.fixture(scope="module")
def invoke(pipeline):
    """``invoke(*args, input=...)``: run the click command in-process with the shared pipeline."""

    def run(*args, input=None):
        with mock.patch.object(cli_module, "_pipeline", lambda model, gazetteer: pipeline):
            return CliRunner().invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


@pytest.fixture(autouse=True)
def _default_size_limit(monkeypatch):
    monkeypatch.delenv("SITREP_MAX_BYTES", raising=False)


def records(stdout: str, validator) -> list[dict]:
    """The JSON Lines of ``extract``, each validated against the output schema."""
    out = []
    for line in stdout.splitlines():
        record = json.loads(line)
        errors = [e.message for e in validator.iter_errors(record)]
        assert errors == [], errors
        out.append(record)
    return out


def article_ids(db: Path) -> set[str]:
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {r[0] for r in con.execute("SELECT id FROM articles")}


def only(items, what):
    assert len(items) == 1, f"expected one {what}, got {items}"
    return items[0]


# ---- help ----------------------------------------------------------------------------------

def _commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, prefix + (name,))


def test_help_lists_every_command():
    proc = sitrep("--help")
    assert proc.returncode == 0
    out = proc.stdout.decode()
    assert out.startswith("Usage:")
    for name in cli.commands:
        assert re.search(rf"^\s+{re.escape(name)}\s+\S", out, re.M), f"{name} is not listed with help text"
    assert {"extract", "ingest", "events", "summary", "gazetteer", "eval", "bench"} <= set(cli.commands)


@pytest.mark.parametrize("path, cmd", list(_commands(cli)), ids=[" ".join(p) for p, _ in _commands(cli)])
def test_every_command_has_help_text(path, cmd):
    assert (cmd.help or "").strip(), f"sitrep {' '.join(path)} has no help text"
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: cli {' '.join(path)}")
    first_line = " ".join(cmd.help.strip().splitlines()[0].split())
    assert first_line in " ".join(result.output.split())


# ---- extract ------------------------------------------------------------------------------

@pytest.mark.slow
def test_extract_txt_outputs_the_text_unchanged(tmp_path, schema_validator):
    raw = ("  Sudanese army troops clashed with the RSF near Kadugli on Tuesday, residents said.\r\n"
           "\r\n"
           "Fighting spread to the road to Ad Dilling \u2013 \u201cwe heard shelling all night\u201d, one trader said.\t \n"
           "\n\n").encode("utf-8")
    path = tmp_path / "kadugli.txt"
    path.write_bytes(raw)
    proc = sitrep("extract", path, "--published", "2023-06-08")
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    record = only(records(proc.stdout.decode("utf-8"), schema_validator), "record")
    assert record["text"] == raw.decode("utf-8")
    assert record["published"] == "2023-06-08"
    assert record["schema"] == "sitrep.article/1"
    # (the shelling heard on the road out of town goes on with the Kadugli story, at precision 2)
    clash = only([e for e in record["events"] if e["place"] and e["place"]["name"] == "Kadugli"
                  and e["place"]["precision"] == 1], "event in Kadugli itself")
    assert (clash["sub_event_type"], clash["actor1"], clash["actor2"]) == \
        ("Armed clash", "Military Forces of Sudan", "Rapid Support Forces")
    assert clash["date"] == "2023-06-06"  # the Tuesday before Thursday 8 June
    assert clash["evidence"][0]["start"] == 0  # offsets count the leading spaces and the \r


@pytest.mark.slow
def test_extract_applies_published_to_undated_text(invoke, schema_validator):
    dated = invoke("extract", DJIBO, "--published", "2023-05-18")
    assert dated.exit_code == 0
    record = only(records(dated.stdout, schema_validator), "record")
    assert record["published"] == "2023-05-18"
    capture = only([e for e in record["events"] if e["plover"] == "FIGHT"], "capture")
    assert (capture["date"], capture["date_precision"]) == ("2023-05-16", 1)

    undated = invoke("extract", DJIBO)
    assert undated.exit_code == 0
    record = only(records(undated.stdout, schema_validator), "record")
    assert record["published"] is None
    capture = only([e for e in record["events"] if e["plover"] == "FIGHT"], "capture")
    assert capture["date"] is None  # "on Tuesday" cannot be placed without a publication date


@pytest.mark.slow
def test_extract_jsonl_keeps_each_line_and_its_own_date(invoke, schema_validator):
    result = invoke("extract", WIRE, "--published", "2020-01-01")
    assert result.exit_code == 0
    first, second = records(result.stdout, schema_validator)
    assert (first["id"], first["published"], first["language"]) == ("wire-0412", "2023-06-09", "en")
    assert (first["title"], first["url"], first["source"]) == (
        "RSF shelling hits El Fasher market", "https://wire.example.com/sudan/0412", "Example Wire")
    assert first["text"].startswith("RSF shelling hits El Fasher market\n\nRapid Support Forces shelled the main market")
    assert first["title_offset"] == 0 == second["title_offset"]
    # a datetime with a zone keeps its own calendar day
    assert (second["id"], second["published"], second["language"]) == ("wire-0413", "2023-06-10", None)
    shelling = only([e for e in first["events"] if e["sub_event_type"] == "Shelling/artillery/missile attack"],
                    "shelling")
    assert (shelling["actor1"], shelling["place"]["name"], shelling["date"]) == \
        ("Rapid Support Forces", "El Fasher", "2023-06-08")
    assert shelling["fatalities"] == 9


@pytest.mark.slow
def test_extract_html_page_main_text_and_metadata(invoke, schema_validator):
    result = invoke("extract", PAGE)
    assert result.exit_code == 0
    record = only(records(result.stdout, schema_validator), "record")
    assert record["title"] == "ELN guerrillas attack army base in Arauca"
    assert record["published"] == "2022-09-14"
    assert record["source"] == "Andes Monitor"
    assert record["url"] == "https://andes-monitor.example.org/2022/09/eln-arauca-base"
    assert record["language"] == "en"
    paragraphs = record["text"].split("\n\n")
    assert paragraphs[0].startswith("Guerrillas of the ELN attacked an army base near Saravena")
    assert len(paragraphs) == 3
    for chrome in ("Subscribe", "Related posts", "All rights reserved", "Privacy policy", "Coca eradication"):
        assert chrome not in record["text"]
    attack = only([e for e in record["events"] if e["fatalities"]], "event with fatalities")
    assert (attack["actor1"], attack["place"]["name"], attack["place"]["country_code"]) == \
        ("ELN: National Liberation Army", "Saravena", "CO")
    assert (attack["date"], attack["fatalities"]) == ("2022-09-12", 3)


@pytest.mark.slow
def test_extract_rss_feed_items(invoke, schema_validator):
    result = invoke("extract", FEED, "--published", "2020-01-01")
    assert result.exit_code == 0
    first, second = records(result.stdout, schema_validator)
    assert (first["title"], first["published"], first["source"]) == \
        ("Gunmen kill villagers near Ouallam", "2023-03-24", "Sahel Briefing")
    assert first["url"] == "https://sahel-briefing.example.org/2023/03/ouallam"
    assert first["title_offset"] == 0 and first["feed"] == str(FEED)
    assert first["text"] == ("Gunmen kill villagers near Ouallam\n\nGunmen on motorbikes killed eleven villagers near Ouallam in western Niger on "
                             "Wednesday, a local councillor said.\n\nFamilies from nearby hamlets fled towards "
                             "the town after the attack.")
    killing = only([e for e in first["events"] if e["fatalities"]], "killing")
    assert (killing["fatalities"], killing["date"], killing["place"]["name"]) == (11, "2023-03-22", "Ouallam")
    assert second["published"] == "2023-03-25"
    deploy = only([e for e in second["political"] if e["plover"] == "MOBILIZE"], "deployment")
    assert (deploy["counts"], deploy["status"], deploy["place"]["name"]) == ({"troops": 400}, "happened", "Tillaberi")


@pytest.mark.slow
def test_extract_directory_walks_known_files_in_name_order(invoke, tmp_path, schema_validator):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b_dori.txt").write_bytes(DORI.read_bytes())
    (tmp_path / "a_djibo.txt").write_bytes(DJIBO.read_bytes())
    (tmp_path / "sub" / "c_feed.rss").write_bytes(FEED.read_bytes())
    (tmp_path / "notes.md").write_text("Troops clashed with rebels on Monday, officials said.\n")
    (tmp_path / ".draft.txt").write_text("Troops clashed with rebels on Monday, officials said.\n")
    result = invoke("extract", tmp_path, "--published", "2023-05-18")
    assert result.exit_code == 0
    assert result.stderr == ""
    got = records(result.stdout, schema_validator)
    assert [r["text"][:20] for r in got] == [DJIBO.read_text()[:20], DORI.read_text()[:20],
                                            "Gunmen kill villager", "Niger soldiers arriv"]
    assert [r["published"] for r in got] == ["2023-05-18", "2023-05-18", "2023-03-24", "2023-03-25"]


@pytest.mark.slow
def test_extract_stdin_plain_text():
    text = DJIBO.read_bytes()
    proc = sitrep("extract", "-", "--published", "2023-05-18", "--format", "table", input=text)
    assert proc.returncode == 0, proc.stderr.decode()
    lines = proc.stdout.decode().splitlines()
    assert lines[0].startswith("== <stdin> (2023-05-18)")
    assert "  2023-05-16  Non-state actor overtakes territory  JNIM  @ Djibo, BF  [dead 0]  happened, reported" in lines


@pytest.mark.slow
def test_extract_stdin_json_lines(invoke, schema_validator):
    lines = WIRE.read_text("utf-8")
    result = invoke("extract", "-", input="\n" + lines)
    assert result.exit_code == 0
    got = records(result.stdout, schema_validator)
    assert [r["id"] for r in got] == ["wire-0412", "wire-0413"]


@pytest.mark.slow
def test_extract_table_format(invoke):
    result = invoke("extract", DJIBO, FEED, "--published", "2023-05-18", "--format", "table")
    assert result.exit_code == 0
    blocks = result.stdout.split("\n\n")
    assert len(blocks) == 3
    head, event = blocks[0].splitlines()[:2]
    assert head.startswith(f"== {DJIBO} (2023-05-18)  [")
    assert event == "  2023-05-16  Non-state actor overtakes territory  JNIM  @ Djibo, BF  [dead 0]  happened, reported"
    assert blocks[1].startswith("== Gunmen kill villagers near Ouallam (Sahel Briefing, 2023-03-24)")
    assert "[dead 11; killed 11]" in blocks[1]


# ---- bad input: reported, skipped, the batch goes on ------------------------------------

@pytest.fixture
def bad_batch(tmp_path):
    """(paths, expected stderr line patterns in order, number of good documents)."""
    good_txt = tmp_path / "a_good.txt"
    good_txt.write_bytes(DJIBO.read_bytes())
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 8)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Troops entered S\u00e9gou on Monday, officials said.".encode("latin-1"))
    huge = tmp_path / "huge.html"
    with open(huge, "wb") as f:
        f.truncate(20 * 1024 * 1024)  # sparse: 20 MB without writing them
    broken = tmp_path / "broken.rss"
    broken.write_text(textwrap.dedent("""\
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Broken wire</title>
        <item><title>Half an item</title>
        <description>Soldiers were seen leaving the base
        """))
    not_object = tmp_path / "not_object.jsonl"
    not_object.write_text('{"text": "Police arrested twelve protesters in Khartoum on Sunday, witnesses said.", '
                          '"published": "2023-01-16"}\n[1, 2, 3]\n')
    bad_date = tmp_path / "bad_date.jsonl"
    bad_date.write_text('{"text": "Rebels attacked a convoy near Goma, the army said.", "published": "sometime last spring"}\n'
                        '{"text": "Rebels attacked a convoy near Goma on Monday, the army said.", "published": "2023-02-08"}\n')
    paths = [good_txt, empty, junk, latin1, huge, broken, not_object, bad_date, FEED]
    expected = [
        rf"sitrep: {re.escape(str(empty))}: file is empty; ",
        rf"sitrep: {re.escape(str(junk))}: looks like binary data, not text",
        rf"sitrep: {re.escape(str(latin1))}: invalid UTF-8 at byte offset 16; re-encode it as UTF-8",
        rf"sitrep: {re.escape(str(huge))}: is 20,971,520 bytes, over the 10,485,760-byte limit for one document",
        rf"sitrep: {re.escape(str(broken))}:\d+: broken feed, XML syntax error: ",
        rf"sitrep: {re.escape(str(not_object))}:2: is an array, not a JSON object; ",
        rf"sitrep: {re.escape(str(bad_date))}:1: published date 'sometime last spring' is not a date; ",
    ]
    return paths, expected, 5  # a_good, not_object:1, bad_date:2, two feed items


def _check_errors(stderr_lines, expected):
    assert len(stderr_lines) == len(expected), stderr_lines
    for line, pattern in zip(stderr_lines, expected):
        assert re.match(pattern, line), (pattern, line)


@pytest.mark.slow
def test_extract_reports_each_bad_input_on_one_line_and_goes_on(invoke, bad_batch, schema_validator):
    paths, expected, good = bad_batch
    result = invoke("extract", *paths, "--published", "2023-05-18")
    assert result.exit_code == 1
    _check_errors(result.stderr.splitlines(), expected)
    got = records(result.stdout, schema_validator)
    assert len(got) == good
    assert got[0]["text"] == DJIBO.read_text("utf-8")
    assert [r["published"] for r in got] == ["2023-05-18", "2023-01-16", "2023-02-08", "2023-03-24", "2023-03-25"]


@pytest.mark.slow
def test_ingest_stores_the_good_documents_of_a_bad_batch(invoke, bad_batch, tmp_path):
    paths, expected, good = bad_batch
    db = tmp_path / "bad.db"
    result = invoke("ingest", *paths, "--published", "2023-05-18", "--db", db)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    _check_errors(lines[:-1], expected)
    assert re.fullmatch(rf"{re.escape(str(db))}: 5 articles read \(5 new, 0 updated, 0 unchanged\), \d+ events "
                        rf"stored; 7 inputs failed", lines[-1])
    assert len(article_ids(db)) == good


# ---- usage errors: exit status 2 -------------------------------------------------------------

def test_bad_published_date_is_a_usage_error(tmp_path):
    proc = sitrep("extract", DJIBO, "--published", "2021-13-45")
    assert proc.returncode == 2
    assert "'2021-13-45' is not a date: use YYYY-MM-DD" in proc.stderr.decode()
    assert proc.stdout == b""


@pytest.mark.parametrize("args", [("extract", str(DJIBO), "--format", "xml"), ("events", "--format", "xml")])
def test_unknown_format_is_a_usage_error(args, tmp_path):
    proc = sitrep(*args, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Invalid value for '--format'" in proc.stderr.decode()


def test_bad_since_is_a_usage_error(tmp_path):
    proc = sitrep("events", "--since", "last week", cwd=tmp_path)
    assert proc.returncode == 2
    assert "'last week' is not a date" in proc.stderr.decode()


def test_events_on_a_missing_database_is_a_usage_error(tmp_path):
    db = tmp_path / "missing.db"
    proc = sitrep("events", "--db", db)
    assert proc.returncode == 2
    assert proc.stderr.decode() == f"sitrep: error: {db} does not exist: run `sitrep ingest PATH --db {db}` first\n"
    assert not db.exists()


@pytest.mark.parametrize("command", ["ingest", "events"])
def test_non_sitrep_file_as_db_is_refused_and_left_unchanged(tmp_path, command):
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"shopping list: rice, lentils, tea\n")
    before = notes.read_bytes()
    args = ("ingest", DJIBO, "--db", notes) if command == "ingest" else ("events", "--db", notes)
    proc = sitrep(*args)
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.count("\n") == 1
    assert err.startswith(f"sitrep: error: {notes} is not a sitrep database (it is not a SQLite file). "
                          f"It was left untouched")
    assert notes.read_bytes() == before


def test_other_sqlite_database_is_refused_and_left_unchanged(tmp_path):
    other = tmp_path / "contacts.sqlite"
    with closing(sqlite3.connect(other)) as con, con:
        con.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
        con.execute("INSERT INTO contacts VALUES ('Amina', '555-0101')")
    before = other.read_bytes()
    proc = sitrep("ingest", DJIBO, "--db", other)
    assert proc.returncode == 2
    assert "a SQLite database with other tables: contacts" in proc.stderr.decode()
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.sqlite"]  # no -wal/-shm left behind


# ---- ingest and events ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def db(tmp_path_factory, invoke):
    """A database with five sources ingested, and the extract output of the same inputs."""
    path = tmp_path_factory.mktemp("store") / "events.db"
    inputs = [DJIBO, DORI, WIRE, FEED, PAGE]
    result = invoke("ingest", *inputs, "--published", "2023-05-18", "--db", path)
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(rf"{re.escape(str(path))}: 7 articles read \(7 new, 0 updated, 0 unchanged\), \d+ events "
                        rf"stored; 0 inputs failed\n", result.stderr)
    extracted = invoke("extract", *inputs, "--published", "2023-05-18")
    return path, [json.loads(line) for line in extracted.stdout.splitlines()]


def _jsonl_rows(invoke, path, *filters):
    result = invoke("events", "--db", path, "--format", "jsonl", *filters)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.slow
def test_ingest_stores_what_extract_prints(invoke, db):
    path, extracted = db
    rows = _jsonl_rows(invoke, path, "--reports")  # one row per stored report (the default merges them)
    expected = {e["id"]: e for r in extracted for e in r["events"]}
    assert {r["id"] for r in rows} == set(expected)
    for row in rows:
        event = expected[row["id"]]
        assert (row["sub_event_type"], row["actor1"], row["date"], row["fatalities"]) == \
            (event["sub_event_type"], event["actor1"], event["date"], event["fatalities"])
        assert row["evidence"] == event["evidence"]
    # ordered by date, undated last
    dates = [r["date"] for r in rows if r["date"]]
    assert dates == sorted(dates)


@pytest.mark.slow
def test_events_csv_has_acled_columns_and_values(invoke, db):
    path, _ = db
    result = invoke("events", "--db", path, "--format", "csv")
    assert result.exit_code == 0
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert set(ACLED_COLUMNS) <= set(reader.fieldnames)
    rows = list(reader)
    assert len(rows) == len(_jsonl_rows(invoke, path))
    djibo = only([r for r in rows if r["location"] == "Djibo"], "Djibo row")
    assert (djibo["event_date"], djibo["event_type"], djibo["sub_event_type"]) == \
        ("2023-05-16", "Battles", "Non-state actor overtakes territory")
    assert (djibo["actor1"], djibo["actor2"], djibo["country"]) == ("JNIM", "", "Burkina Faso")
    assert (djibo["admin1"], djibo["admin2"]) == ("Sahel", "Soum")
    assert (djibo["latitude"], djibo["longitude"], djibo["geo_precision"], djibo["time_precision"]) == \
        ("14.09864", "-1.62665", "1", "1")
    assert djibo["fatalities"] == "0"
    assert djibo["notes"].startswith("Fighters of JNIM captured the town of Djibo in northern Burkina Faso on Tuesday")
    assert "\n" not in djibo["notes"]
    fasher = only([r for r in rows if r["location"] == "El Fasher"], "El Fasher row")
    assert (fasher["source"], fasher["country"], fasher["fatalities"]) == ("Example Wire", "Sudan", "9")


@pytest.mark.slow
def test_events_geojson(invoke, db):
    path, _ = db
    result = invoke("events", "--db", path, "--format", "geojson")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["type"] == "FeatureCollection"
    rows = _jsonl_rows(invoke, path)
    located = [r for r in rows if r["latitude"] is not None]
    assert len(doc["features"]) == len(rows)  # events without a place too, with a null geometry
    assert len([f for f in doc["features"] if f["geometry"]]) == len(located)
    djibo = only([f for f in doc["features"] if f["properties"]["place_name"] == "Djibo"], "Djibo feature")
    assert djibo["geometry"] == {"type": "Point", "coordinates": [-1.62665, 14.09864]}
    assert djibo["properties"]["sub_event_type"] == "Non-state actor overtakes territory"
    assert "evidence" not in djibo["properties"]


@pytest.mark.slow
def test_events_table(invoke, db):
    path, _ = db
    result = invoke("events", "--db", path, "--format", "table")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["date", "type", "actors", "location", "dead", "claim"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    djibo = only([line for line in lines if "Djibo" in line], "Djibo line")
    assert djibo.startswith("2023-05-16  ") and "JNIM" in djibo and "Djibo, BF" in djibo
    assert len(lines) == 2 + len(_jsonl_rows(invoke, path))


@pytest.mark.slow
@pytest.mark.parametrize("filters, keep", [
    (("--country", "bf"), lambda r: r["country_code"] == "BF"),
    (("--country", "SD"), lambda r: r["country_code"] == "SD"),
    (("--since", "2023-05-16"), lambda r: r["date"] is not None and r["date"] >= "2023-05-16"),
    (("--until", "2023-03-24"), lambda r: r["date"] is not None and r["date"] <= "2023-03-24"),
    (("--since", "2023-03-01", "--until", "2023-05-31"),
     lambda r: r["date"] is not None and "2023-03-01" <= r["date"] <= "2023-05-31"),
    (("--type", "battles"), lambda r: r["event_type"] == "Battles"),
    (("--type", "Non-state actor overtakes territory"),
     lambda r: r["sub_event_type"] == "Non-state actor overtakes territory"),
    (("--type", "FIGHT"), lambda r: r["plover"] == "FIGHT"),
    (("--country", "BF", "--type", "Battles"), lambda r: r["country_code"] == "BF" and r["event_type"] == "Battles"),
], ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_events_filters(invoke, db, filters, keep):
    path, _ = db
    everything = _jsonl_rows(invoke, path)
    expected = [r["id"] for r in everything if keep(r)]
    assert expected, "the filter should keep some events"
    assert len(expected) < len(everything), "the filter should drop some events"
    assert [r["id"] for r in _jsonl_rows(invoke, path, *filters)] == expected


@pytest.mark.slow
def test_events_filter_with_no_match_prints_an_empty_table(invoke, db):
    path, _ = db
    result = invoke("events", "--db", path, "--country", "NZ")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "(no events)"


# ---- re-ingest, failed and interrupted ingests ----------------------------------------------------

@pytest.mark.slow
def test_reingest_updates_instead_of_duplicating(invoke, tmp_path):
    db = tmp_path / "again.db"
    first = invoke("ingest", WIRE, FEED, "--db", db)
    assert first.exit_code == 0
    assert "4 articles read (4 new, 0 updated, 0 unchanged)" in first.stderr
    before = _jsonl_rows(invoke, db)

    again = invoke("ingest", WIRE, FEED, "--db", db)
    assert again.exit_code == 0
    assert "4 articles read (0 new, 0 updated, 4 unchanged)" in again.stderr
    assert _jsonl_rows(invoke, db) == before

    # the wire corrects one story under the same id: replaced, not added
    fixed = tmp_path / "fixed.jsonl"
    lines = WIRE.read_text("utf-8").splitlines()
    lines[0] = lines[0].replace("at least nine civilians", "at least eleven civilians")
    fixed.write_text("\n".join(lines) + "\n", "utf-8")
    update = invoke("ingest", fixed, "--db", db, "-q")
    assert update.exit_code == 0 and update.stderr == ""
    after = _jsonl_rows(invoke, db)
    assert len(after) == len(before)
    fasher = only([r for r in after if r["place_name"] == "El Fasher"], "El Fasher event")
    assert fasher["fatalities"] == 11
    assert len(article_ids(db)) == 4


@pytest.mark.slow
def test_failed_ingest_leaves_stored_articles_intact(invoke, tmp_path):
    db = tmp_path / "keep.db"
    assert invoke("ingest", WIRE, "--db", db, "-q").exit_code == 0
    before = _jsonl_rows(invoke, db)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    broken = tmp_path / "broken.rss"
    broken.write_text("<rss><channel><item><title>cut off")
    failed = invoke("ingest", empty, broken, "--db", db)
    assert failed.exit_code == 1
    assert failed.stderr.splitlines()[-1] == f"{db}: 0 articles read (0 new, 0 updated, 0 unchanged), " \
                                             f"0 events stored; 2 inputs failed"
    assert _jsonl_rows(invoke, db) == before


INTERRUPT = """
import sys
import sitrep.sources as sources
import sitrep.store as store

where = sys.argv.pop(1)
if where == "reader":  # the second document read raises
    real_read = sources.iter_articles

    def read(paths, **kw):
        for n, item in enumerate(real_read(paths, **kw)):
            if n == 1:
                raise KeyboardInterrupt
            yield item

    sources.iter_articles = read
else:  # the first article of the batch is written, then Ctrl-C while writing the second
    real_save, calls = store.Store._save_one, []

    def save(self, result):
        calls.append(result.article.id)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_save(self, result)

    store.Store._save_one = save
sys.argv = ["sitrep", *sys.argv[1:]]
from sitrep.cli import main
main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("where", ["reader", "writer"])
def test_interrupted_ingest_keeps_earlier_articles_and_rolls_back_the_batch(invoke, tmp_path, where):
    db = tmp_path / "interrupted.db"
    assert invoke("ingest", WIRE, "--db", db, "-q").exit_code == 0
    before = _jsonl_rows(invoke, db)
    env = {k: v for k, v in os.environ.items() if k != "SITREP_MAX_BYTES"}
    proc = subprocess.run([sys.executable, "-c", INTERRUPT, where, "ingest", str(DJIBO), str(FEED),
                           "--db", str(db), "--published", "2023-05-18"], capture_output=True, env=env, timeout=120)
    assert proc.returncode == 130, proc.stderr.decode()
    assert proc.stderr.decode().splitlines()[-1] == "sitrep: interrupted"
    assert _jsonl_rows(invoke, db) == before
    assert article_ids(db) == {"wire-0412", "wire-0413"}  # Djibo was read (and, for "writer", written) but rolled back


@pytest.mark.slow
def test_political_acts_are_listed_only_when_asked(invoke, db):
    path, _ = db
    default = _jsonl_rows(invoke, path)
    political = _jsonl_rows(invoke, path, "--political")
    assert all(r["sub_event_type"] for r in default)
    extra = [r for r in political if not r["sub_event_type"]]
    assert extra and {r["id"] for r in political} - {r["id"] for r in extra} == {r["id"] for r in default}


@pytest.mark.slow
@pytest.mark.parametrize("filters, keep", [
    (("--type", "MOBILIZE", "--political"), lambda r: r["plover"] == "MOBILIZE"),
], ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_political_filter(invoke, db, filters, keep):
    path, _ = db
    rows = _jsonl_rows(invoke, path, *filters)
    assert rows and all(keep(r) for r in rows)
