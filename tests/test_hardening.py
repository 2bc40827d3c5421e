"""Issue 12: one bad document costs only itself, in bounded time and memory.

Each negative case has its positive twin beside it. Readers and the store are
driven directly (fast); the CLI cases run ``python -m sitrep`` in real
subprocesses against real SQLite files (``slow``: they load the model).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from conftest import ARTICLES
from sitrep import dates, export
from sitrep.errors import InputError, StoreError, UsageError
from sitrep.feeds import iter_feed
from sitrep.model import Article, ArticleResult, Event, Place, Span
from sitrep.pipeline import cut_text
from sitrep.sources import iter_articles, parse_published
from sitrep.store import Store

DJIBO = ARTICLES / "djibo_capture.txt"
SAMPLE = Path(__file__).parent.parent / "samples" / "ukraine-2022"
GOOD_PAGE = b"<html><body><article><p>" + b"Fighters attacked the town of Djibo on Monday, witnesses said. " * 3 + \
    b"</p></article></body></html>"


def read(*paths, published=None):
    return list(iter_articles([str(p) for p in paths], published=published))


def errors(items):
    return [str(i) for i in items if isinstance(i, InputError)]


def sitrep(*args, input=None, timeout=300):
    env = {k: v for k, v in os.environ.items() if k != "SITREP_MAX_BYTES"}
    return subprocess.run([sys.executable, "-m", "sitrep", *map(str, args)], input=input, capture_output=True,
                          env=env, timeout=timeout)


# ---- no exception escapes a document ------------------------------------------------------

def test_deeply_nested_json_line_is_one_input_error_and_the_next_line_is_read(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text('{"text": ' + "[" * 2000 + "]" * 2000 + "}\n" + '{"text": "Shelling in Kharkiv killed two."}\n')
    items = read(path)
    assert errors(items) == [f"{path}:1: JSON nested too deeply to be read; each line must be one JSON object "
                             f'such as {{"text": "...", "published": "2024-03-15"}}']
    assert [i.text for i in items if isinstance(i, Article)] == ["Shelling in Kharkiv killed two."]


@pytest.mark.parametrize("codec", ["hex", "base64", "zlib", "rot13", "uu", "bz2", "quopri", "idna", "punycode"])
def test_page_declaring_a_codec_that_is_no_charset_is_refused(tmp_path, codec):
    path = tmp_path / "page.html"
    path.write_bytes(b'<html><head><meta charset="' + codec.encode() + b'"></head>' + GOOD_PAGE[6:] + b"\xff\xfe")
    [error] = errors(read(path))
    assert error.startswith(f"{path}: invalid UTF-8 at byte offset") and "<meta charset>" in error


def test_page_declaring_a_real_charset_is_decoded(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(b'<html><head><meta charset="windows-1252"></head>' + GOOD_PAGE[6:].replace(b"town", b"t\xf4wn"))
    [article] = read(path)
    assert "Fighters attacked the tôwn of Djibo" in article.text


def test_reader_bug_costs_one_document(tmp_path):
    """A JSON Lines record whose html makes the HTML reader fail is reported; the next line is read."""
    path = tmp_path / "mixed.jsonl"
    nested = "<div>" * 5000 + "Deep text here and more words." + "</div>" * 5000
    path.write_text(json.dumps({"html": nested}) + "\n" + json.dumps({"text": "Protesters marched in Bamako."}) + "\n")
    items = read(path)
    assert all(isinstance(i, (Article, InputError)) for i in items)
    assert [i.text for i in items if isinstance(i, Article)][-1] == "Protesters marched in Bamako."


# ---- plausible dates -------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["9999-12-31", "3022-03-07", "1899-12-31", "0001-01-02"])
def test_implausible_publication_date_refuses_the_document(value):
    with pytest.raises(InputError, match=rf"published date {value} is (before 1900|more than a day after today)"):
        parse_published(value, "x.jsonl", 3)


def test_plausible_publication_dates_are_kept():
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert parse_published("2022-03-07", "x") == dt.date(2022, 3, 7)
    assert parse_published(tomorrow.isoformat(), "x") == tomorrow  # time zones: a day of slack
    assert parse_published("1900-01-01", "x") == dt.date(1900, 1, 1)
    with pytest.raises(InputError):
        parse_published((tomorrow + dt.timedelta(days=1)).isoformat(), "x")


@pytest.mark.parametrize("expr, published", [("today", "9999-12-31"), ("on Friday", "9999-12-31"),
                                             ("tomorrow", "9999-12-31"), ("on Monday", "0001-01-02"),
                                             ("9999999 years ago", "2022-03-07")])
def test_date_arithmetic_at_the_calendar_edges_places_nothing_or_a_day(expr, published):
    when = dates.resolve(expr, dt.date.fromisoformat(published))
    assert when is None or isinstance(when.date, dt.date)


def test_relative_dates_still_resolve():
    assert dates.resolve("on Friday", dt.date(2022, 3, 7)).date == dt.date(2022, 3, 4)
    assert dates.resolve("two days ago", dt.date(2022, 3, 7)).date == dt.date(2022, 3, 5)


def _event_result(aid: str, day: str) -> ArticleResult:
    event = Event(id=f"{aid}-0", event_type="Battles", sub_event_type="Armed clash", plover="FIGHT", actor1="Rebels",
                  actor2=None, place=Place("Town", 1, 10.0, 10.0, "UA", "Region", None, "PPL"), precision=1, date=day, date_precision=1, fatalities=2,
                  evidence=(Span(0, 5, "Fight"),))
    return ArticleResult(Article(text=f"Fight {aid}", id=aid, published=dt.date(2022, 3, 7)), events=(event,))


def test_events_dated_at_the_calendar_edges_are_stored_and_merged(tmp_path):
    with Store.open(tmp_path / "edge.db") as store:
        report = store.save([_event_result("a", "9999-12-31"), _event_result("b", "0001-01-01"),
                             _event_result("c", "9999-12-31")])
        assert report.inserted == 3
        assert store.merge_counts() == {"canonical_events": 2, "reports": 3, "merged_from_several": 1}


# ---- feeds keep their text ---------------------------------------------------------------------

def _feed(body: bytes, doctype: bytes = b"") -> bytes:
    return (b'<?xml version="1.0"?>' + doctype + b"<rss><channel><title>Wire</title><item><title>T&nbsp;1</title>"
            b"<description>" + body + b"</description></item></channel></rss>")


def _bodies(data: bytes):
    items = list(iter_feed(data, "feed.rss"))
    assert not [i for i in items if isinstance(i, InputError)], items
    return [(i.title, i.body) for i in items]


def test_feed_html_entities_are_decoded_and_unknown_ones_kept_as_text():
    body = b"According to &org;, Russian forces shelled Izyum&nbsp;on caf&eacute; &#233;&#x41; &amp; more."
    assert _bodies(_feed(body)) == [("T\xa01", "According to &org;, Russian forces shelled Izyum\xa0on café éA & more.")]


def test_feed_with_a_declared_entity_keeps_the_text_after_it():
    doctype = b'<!DOCTYPE rss [<!ENTITY org "Org">]>'
    assert _bodies(_feed(b"According to &org;, Russian forces shelled X.", doctype))[0][1] == \
        "According to &org;, Russian forces shelled X."


def test_feed_external_entities_and_entity_bombs_stay_off(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    xxe = f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'.encode()
    assert _bodies(_feed(b"Leak &x; here.", xxe))[0][1] == "Leak &x; here."
    bomb = b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' \
           b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    assert _bodies(_feed(b"Boom &d; end.", bomb))[0][1] == "Boom &d; end."


def test_feed_cdata_is_left_as_written():
    assert _bodies(_feed(b"<![CDATA[<p>Caf&eacute; &org;</p>]]>"))[0][1] == "<p>Caf&eacute; &org;</p>"


# ---- special files -----------------------------------------------------------------------------

def test_txt_symlink_to_dev_zero_and_fifo_are_refused_without_reading(tmp_path):
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.txt")
    t0 = time.monotonic()
    found = errors(read(tmp_path / "zero.txt", tmp_path / "pipe.txt"))
    assert time.monotonic() - t0 < 5
    assert found == [f"{tmp_path / n}: is not a regular file (a device, FIFO or socket); give a file, or pipe the "
                     f"data into - (standard input)" for n in ("zero.txt", "pipe.txt")]


def test_txt_symlink_to_a_regular_file_is_read(tmp_path):
    (tmp_path / "link.txt").symlink_to(DJIBO)
    [article] = read(tmp_path / "link.txt")
    assert article.text == DJIBO.read_text("utf-8")


def test_size_limit_does_not_trust_st_size(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_MAX_BYTES", "100")
    (tmp_path / "big.txt").write_text("word " * 100)
    (tmp_path / "small.txt").write_text("word " * 10)
    items = read(tmp_path / "big.txt", tmp_path / "small.txt")
    assert "over the 100-byte limit" in errors(items)[0]
    assert items[1].text == "word " * 10


# ---- --db edge cases -----------------------------------------------------------------------------

def test_special_file_as_db_is_refused_and_nothing_is_created():
    with pytest.raises(Exception, match="/dev/null is not a regular file"):
        Store.open("/dev/null")
    with pytest.raises(Exception, match="/dev/null is not a regular file"):
        Store.open("/dev/null", read_only=True)
    assert not Path("/dev/null-journal").exists() and not Path("/dev/null-wal").exists()


def test_reading_an_empty_file_writes_nothing(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(UsageError, match="is empty: run `sitrep ingest PATH --db"):
        Store.open(empty, read_only=True)
    assert empty.stat().st_size == 0
    with Store.open(empty) as store:  # the twin: writing makes it a database
        assert store.article_count() == 0
    with Store.open(empty, read_only=True) as store:
        assert store.article_count() == 0


def _ro_mount(src: Path, dst: Path) -> bool:
    dst.mkdir()
    ok = subprocess.run(["mount", "--bind", str(src), str(dst)], capture_output=True).returncode == 0
    if ok and subprocess.run(["mount", "-o", "remount,bind,ro", str(dst)], capture_output=True).returncode != 0:
        subprocess.run(["umount", str(dst)])
        ok = False
    return ok


def test_wal_database_on_a_read_only_mount_is_read(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    with Store.open(src / "w.db") as store:
        store.save([_event_result("a", "2022-03-06")])
    if not _ro_mount(src, tmp_path / "ro"):
        pytest.skip("cannot make a read-only bind mount here (needs root)")
    try:
        with pytest.raises(sqlite3.OperationalError), closing(  # what sitrep had to get around
                sqlite3.connect(f"file:{tmp_path / 'ro' / 'w.db'}?mode=ro", uri=True)) as con:
            con.execute("SELECT 1 FROM meta")
        with Store.open(tmp_path / "ro" / "w.db", read_only=True) as store:
            assert [e["id"] for e in store.events()] == ["a-0"]
        with pytest.raises(StoreError, match="for writing: unable to open database file; check that the file"):
            Store.open(tmp_path / "ro" / "w.db")  # writing there is refused, clearly
    finally:
        subprocess.run(["umount", "-l", str(tmp_path / "ro")])


# ---- control characters in tables and CSV ----------------------------------------------------------

HOSTILE = "Kyiv\x1b[2J\x07\x00"


def _row(place: str) -> dict:
    return {"id": "e1", "date": "2022-03-06", "event_type": "Battles", "sub_event_type": "Armed clash",
            "actor1": place, "actor2": None, "place_name": place, "country_code": "UA", "fatalities": 2,
            "claim": "reported", "status": "happened", "evidence": [{"start": 0, "end": 4, "text": place}]}


@pytest.mark.parametrize("write", [export.write_table, export.write_csv])
def test_control_characters_are_escaped_in_table_and_csv(write):
    out = io.StringIO()
    write([_row(HOSTILE)], out)
    text = out.getvalue()
    assert not any(c in text for c in "\x1b\x07\x00")
    assert "Kyiv\\x1b[2J\\x07\\x00" in text
    clean = io.StringIO()
    write([_row("Kyiv")], clean)  # the twin: ordinary text is unchanged
    assert "Kyiv" in clean.getvalue() and "\\x" not in clean.getvalue()


# ---- bounded work ------------------------------------------------------------------------------------

def test_cut_text_ends_at_a_paragraph_or_sentence_near_the_limit():
    text = "a" * 95 + "\n\n" + "Second one. It goes on and on."
    assert cut_text(text, 1000) is text
    assert cut_text(text, 100) == "a" * 95 + "\n\n"  # a break in the last tenth before the limit
    assert cut_text(text, 112) == "a" * 95 + "\n\nSecond one. "
    assert cut_text("x" * 50, 10) == "x" * 10


@pytest.mark.slow
def test_bad_documents_cost_only_themselves_end_to_end(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a_deep.jsonl").write_text('{"text": ' + "[" * 2000 + "]" * 2000 + "}\n"
                                         '{"text": "Shelling in Kharkiv killed two people on Monday.", '
                                         '"published": "9999-12-31"}\n'
                                         '{"text": "Shelling in Kharkiv killed two people on Monday.", '
                                         '"published": "2022-03-07", "id": "good-1"}\n')
    (inputs / "b_hex.html").write_bytes(b'<html><head><meta charset="hex"></head>' + GOOD_PAGE[6:] + b"\xff")
    (inputs / "c_zero.txt").symlink_to("/dev/zero")
    shutil.copy(DJIBO, inputs / "d_djibo.txt")
    db = tmp_path / "out.db"
    proc = sitrep("ingest", inputs, "--db", db, "--published", "2023-05-18")
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert f"{inputs / 'a_deep.jsonl'}:1: JSON nested too deeply" in err
    assert f"{inputs / 'a_deep.jsonl'}:2: published date 9999-12-31 is more than a day after today" in err
    assert f"{inputs / 'b_hex.html'}: invalid UTF-8" in err
    assert f"{inputs / 'c_zero.txt'}: is not a regular file" in err
    assert "Traceback" not in err
    assert err.splitlines()[-1].endswith("events stored; 4 inputs failed")
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 2
        assert con.execute("SELECT 1 FROM articles WHERE id = 'good-1'").fetchone()


@pytest.mark.slow
def test_over_budget_document_is_skipped_and_the_rest_processed(tmp_path):
    slow = tmp_path / "b_slow.txt"  # the events rules ask spaCy for each sentence's entities
    slow.write_text("".join(f"Shelling in Kharkiv killed {i % 50 + 2} people. " for i in range(2500)))
    shutil.copy(DJIBO, tmp_path / "a_djibo.txt")
    shutil.copy(DJIBO, tmp_path / "c_djibo.txt")
    (tmp_path / "c_djibo.txt").write_text(DJIBO.read_text("utf-8").replace("Djibo", "Dori"))
    t0 = time.monotonic()
    proc = sitrep("extract", tmp_path / "a_djibo.txt", slow, tmp_path / "c_djibo.txt", "--published", "2023-05-18",
                  "--max-seconds", "2")
    assert time.monotonic() - t0 < 60
    assert proc.returncode == 1
    assert proc.stderr.decode().strip() == f"sitrep: {slow}: took more than 2 s to analyse and was skipped; " \
                                           f"raise --max-seconds to analyse it, or lower --max-chars"
    texts = [json.loads(line)["text"] for line in proc.stdout.decode().splitlines()]
    assert [t[:200] == DJIBO.read_text("utf-8")[:200] for t in texts] == [True, False]
    assert "Dori" in texts[1]


@pytest.mark.slow
def test_long_text_is_cut_for_analysis_flagged_and_kept_whole(tmp_path):
    text = DJIBO.read_text("utf-8")
    long = tmp_path / "long.txt"
    long.write_text(text + "\n\n" + "Residents said the market reopened. " * 40)
    db = tmp_path / "t.db"
    proc = sitrep("ingest", long, DJIBO, "--db", db, "--published", "2023-05-18", "--max-chars", len(text) + 10)
    assert proc.returncode == 0, proc.stderr.decode()
    assert f"sitrep: {long}: warning: {len(long.read_text()):,} characters, only the first {len(text) + 10:,} " \
           f"analysed (--max-chars); the whole text is kept, flagged truncated" in proc.stderr.decode()
    with closing(sqlite3.connect(db)) as con:
        rows = dict(con.execute("SELECT origin, truncated FROM articles").fetchall())
        assert rows == {str(long): 1, str(DJIBO): 0}
        assert con.execute("SELECT text FROM articles WHERE truncated = 1").fetchone()[0] == long.read_text()


# ---- exit codes ---------------------------------------------------------------------------------------

FAIL_INSIDE = """
import sys
import sitrep.export as export
def broken(rows, out):
    raise RuntimeError("a bug in the writer")
export.write_table = broken
sys.argv = ["sitrep", *sys.argv[1:]]
from sitrep.cli import main
main()
"""


def test_internal_error_has_its_own_exit_code(tmp_path):
    db = tmp_path / "e.db"
    with Store.open(db) as store:
        store.save([_event_result("a", "2022-03-06")])
    proc = subprocess.run([sys.executable, "-c", FAIL_INSIDE, "events", "--db", str(db)], capture_output=True)
    assert proc.returncode == 4
    assert proc.stderr.decode().splitlines()[-1] == ("sitrep: internal error (RuntimeError: a bug in the writer); "
                                                      "sitrep failed, not your input - please report this with the "
                                                      "traceback above")
    ok = sitrep("events", "--db", db)
    assert ok.returncode == 0 and "Armed clash" in ok.stdout.decode()


# ---- concurrent ingests ----------------------------------------------------------------------------------

def _dump(db: Path) -> dict:
    """Every table's rows, without the ingestion time."""
    with closing(sqlite3.connect(db)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        out = {}
        for table in ("articles", "events", "place_mentions", "statistics", "canonical_events"):
            cur = con.execute(f"SELECT * FROM {table} ORDER BY rowid")
            names = [c[0] for c in cur.description]
            out[table] = [tuple(v for n, v in zip(names, r) if n != "ingested_at") for r in cur]
        return out


@pytest.mark.slow
def test_two_overlapping_ingests_both_succeed_and_match_one_clean_ingest(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    with (SAMPLE / "dispatches.jsonl").open() as f:
        (docs / "d.jsonl").write_text("".join(line for _, line in zip(range(24), f)))
    shared = tmp_path / "shared.db"
    env = {k: v for k, v in os.environ.items() if k != "SITREP_MAX_BYTES"}
    cmd = [sys.executable, "-m", "sitrep", "ingest", str(docs), "--db", str(shared)]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    time.sleep(1.0)
    second = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    results = [(p.wait(timeout=600), p.stderr.read().decode()) for p in (first, second)]
    assert [code for code, _ in results] == [0, 0], results
    assert all("24 articles read" in err for _, err in results), results
    clean = tmp_path / "clean.db"
    assert sitrep("ingest", docs, "--db", clean).returncode == 0
    assert _dump(shared) == _dump(clean)
    assert len(_dump(shared)["articles"]) == 24


# ---- found by fuzzing --------------------------------------------------------------------------------

def test_a_400_digit_number_is_no_count():
    """tests/test_fuzz.py::test_fuzz_numbers: float('1' * 400) is inf, int(inf) raised OverflowError
    (and a count over 2**63 would not fit SQLite's INTEGER)."""
    from sitrep.quantities import amount, parse_number

    assert parse_number("1" * 400) is None and amount("1" * 400) is None
    assert parse_number("9" * 300 + " thousand") is None
    assert parse_number("3.5 million") == 3_500_000 and amount("about 3,000").value == 3000


@pytest.mark.slow
def test_bench_sizes_reports_time_and_peak_rss_per_size():
    from sitrep import bench

    out = io.StringIO()
    figures = bench.size_scaling(sizes=(2000, 6000), max_chars=4000, out=out)
    assert [(r["chars"], r["truncated"]) for r in figures["sizes"]] == [(2000, False), (6000, True)]
    assert all(r["seconds"] > 0 and r["peak_rss_mb"] > 50 for r in figures["sizes"])
    assert json.loads(out.getvalue().splitlines()[-1]) == figures
