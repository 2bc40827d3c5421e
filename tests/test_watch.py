"""``sitrep watch``: feeds served by a real local HTTP server, ingested into a real SQLite store.

The server (``FeedServer``) answers conditional GETs the way web servers do (ETag and
Last-Modified, 304 when they match) and can be told to fail, stall, redirect or serve
garbage. The feed items are invented for these tests. Tests that analyse items use the
session's real pipeline and are marked ``slow``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest

from sitrep.errors import UsageError
from sitrep.query import EventQuery, run
from sitrep.store import Store
from sitrep.watch import (USER_AGENT, Feed, PollResult, Watcher, WatchOptions, _remember, load_feeds, state_path,
                          stop_on_signals)

# ---------------------------------------------------------------- invented items

SAHEL = [
    ("gao-checkpoint", "Checkpoint stormed outside Gao", "Mon, 10 Nov 2025 09:00:00 +0000",
     "Militants stormed a police checkpoint outside Gao in northern Mali on Monday, killing four officers, "
     "a regional official said."),
    ("kaduna-bus", "Bus passengers seized near Kaduna", "Fri, 14 Nov 2025 17:30:00 +0000",
     "Gunmen abducted 14 passengers from a bus near Kaduna in northern Nigeria on Friday, police said."),
]
SAHEL_LATER = ("maiduguri-clash", "Clash with herders near Maiduguri", "Sun, 16 Nov 2025 12:00:00 +0000",
               "Security forces clashed with armed herders near Maiduguri on Sunday, leaving six people dead, "
               "officials said.")
WIRE = [
    ("kharkiv-depot", "Fuel depot hit near Kharkiv", "2025-11-11T22:10:00+02:00",
     "An air strike hit a fuel depot on the outskirts of Kharkiv on Tuesday night, killing two workers, "
     "the regional governor said."),
    ("mogadishu-convoy", "Convoy struck near Mogadishu", "2025-11-15T08:00:00+03:00",
     "A roadside bomb struck an army convoy near Mogadishu on Saturday, killing three soldiers, a military "
     "officer said."),
]
SAHEL_SITE, WIRE_SITE = "https://sahel-dispatch.example.org/", "https://wire-roundup.example.net/"


def rss(items, title: str = "Sahel Dispatch") -> bytes:
    entries = "".join(f"<item><title>{h}</title><link>{SAHEL_SITE}{slug}</link><guid>{SAHEL_SITE}{slug}</guid>"
                      f"<pubDate>{d}</pubDate><description>{t}</description></item>\n" for slug, h, d, t in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>{title}</title>'
            f"<link>{SAHEL_SITE}</link><language>en</language>\n{entries}</channel></rss>\n").encode()


def atom(items) -> bytes:
    entries = "".join(f'<entry><title>{h}</title><link href="{WIRE_SITE}{slug}"/><id>tag:wire,2025:{slug}</id>'
                      f"<updated>{d}</updated><summary>{t}</summary></entry>\n" for slug, h, d, t in items)
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">'
            f"<title>Wire Roundup</title><id>tag:wire,2025:feed</id>\n{entries}</feed>\n").encode()


def article_id(site: str, slug: str) -> str:
    from sitrep.model import Article

    return Article.make_id(site + slug, "")


# ---------------------------------------------------------------- a real HTTP server


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    delay: float = 0.0  # seconds before answering
    redirect: str | None = None
    conditional: bool = True  # answer If-None-Match / If-Modified-Since with 304
    etag: bool = True  # send an ETag (else only Last-Modified)
    modified: str = formatdate(1762768800, usegmt=True)

    def serve(self, body: bytes) -> None:
        """New content, with a new modification time (as a file rewritten on a web server)."""
        self.body, self.modified = body, formatdate(time.time() + 1, usegmt=True)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.requests.append((self.path, dict(self.headers)))
        route = self.server.routes.get(self.path)
        try:
            if route is not None and route.delay:
                time.sleep(route.delay)
            self._answer(route)
        except OSError:  # the client gave up waiting (the timeout test)
            pass

    def _answer(self, route: Route | None) -> None:
        if route is None or route.status != 200:
            self.send_error(404 if route is None else route.status)
            return
        if route.redirect:
            self.send_response(301)
            self.send_header("Location", route.redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = '"%s"' % hashlib.sha1(route.body).hexdigest()[:12] if route.etag else None
        asked = self.headers.get("If-None-Match")
        fresh = asked == etag if asked else self.headers.get("If-Modified-Since") == route.modified
        self.send_response(304 if route.conditional and fresh else 200)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Last-Modified", route.modified)
        if route.conditional and fresh:
            self.end_headers()
            return
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        self.wfile.write(route.body)

    def log_message(self, *args) -> None:
        pass


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        self.thread = Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def add(self, path: str, body: bytes = b"", **kwargs) -> Route:
        self.routes[path] = Route(body, **kwargs)
        return self.routes[path]

    def asked(self, path: str) -> list[dict]:
        return [headers for p, headers in self.requests if p == path]


@pytest.fixture
def server():
    srv = FeedServer()
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def make_watcher(tmp_path, pipeline):
    """``make_watcher(*feeds, state=True, **options)`` -> (watcher, log); the store is tmp_path/w.db."""
    stores: list[Store] = []

    def make(*locations: str, state: bool = True, **options) -> tuple[Watcher, io.StringIO]:
        store = Store.open(tmp_path / "w.db")
        stores.append(store)
        log = io.StringIO()
        opts = WatchOptions(**({"interval": 2.0, "timeout": 2.0} | options))
        feeds = [Feed(loc) for loc in locations]
        path = state_path(tmp_path / "w.db") if state else None
        return Watcher(feeds, store, pipeline, state_path=path, options=opts, log=log), log

    yield make
    for store in stores:
        store.close()


def by_feed(results: list[PollResult]) -> dict[str, PollResult]:
    return {r.feed: r for r in results}


def stored_articles(db: Path) -> set[str]:
    with closing(sqlite3.connect(db)) as con:
        return {r[0] for r in con.execute("SELECT id FROM articles")}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- new items, 304, appended items


@pytest.mark.slow
def test_new_items_of_rss_and_atom_feeds_are_stored_and_queryable(server, make_watcher, tmp_path):
    server.add("/sahel.xml", rss(SAHEL))
    server.add("/wire.atom", atom(WIRE))
    watcher, log = make_watcher(server.url("/sahel.xml"), server.url("/wire.atom"))
    results = watcher.poll_once()
    assert [(r.status, r.new) for r in results] == [("200", 2), ("200", 2)]
    assert all(r.events >= 2 for r in results)
    rows = run(watcher.store, EventQuery(reports=True, min_confidence=0))
    ids = {article_id(SAHEL_SITE, s) for s, *_ in SAHEL} | {article_id(WIRE_SITE, s) for s, *_ in WIRE}
    assert {r["article_id"] for r in rows} == ids
    assert {r["place_name"] for r in rows} >= {"Gao", "Kharkiv", "Mogadishu"}
    line = log.getvalue().splitlines()[0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ http://127\.0\.0\.1:\d+/\S+ 200 new=2 events=\d+ "
                        r"\d+\.\d\ds", line), line
    assert server.asked("/sahel.xml")[0]["User-Agent"] == USER_AGENT
    state = json.loads(state_path(tmp_path / "w.db").read_text())["feeds"]
    assert set(state[server.url("/sahel.xml")]["seen"]) == {article_id(SAHEL_SITE, s) for s, *_ in SAHEL}


@pytest.mark.slow
def test_second_poll_is_a_304_and_ingests_nothing(server, make_watcher, tmp_path):
    server.add("/sahel.xml", rss(SAHEL))
    server.add("/wire.atom", atom(WIRE), etag=False)  # Last-Modified only
    watcher, log = make_watcher(server.url("/sahel.xml"), server.url("/wire.atom"))
    assert [r.status for r in watcher.poll_once()] == ["200", "200"]
    before = stored_articles(tmp_path / "w.db")
    second = watcher.poll_once()
    assert [(r.status, r.new, r.events) for r in second] == [("304", 0, 0), ("304", 0, 0)]
    first_ask, second_ask = server.asked("/sahel.xml")
    assert "If-None-Match" not in first_ask
    assert second_ask["If-None-Match"] == '"%s"' % hashlib.sha1(rss(SAHEL)).hexdigest()[:12]
    assert "If-None-Match" not in server.asked("/wire.atom")[1]
    assert server.asked("/wire.atom")[1]["If-Modified-Since"] == server.routes["/wire.atom"].modified
    assert stored_articles(tmp_path / "w.db") == before
    assert " 304 new=0 events=0 " in log.getvalue()


@pytest.mark.slow
def test_an_appended_item_is_the_only_one_ingested(server, make_watcher, tmp_path):
    route = server.add("/sahel.xml", rss(SAHEL))
    watcher, log = make_watcher(server.url("/sahel.xml"))
    assert watcher.poll_once()[0].new == 2
    before = stored_articles(tmp_path / "w.db")
    route.serve(rss(SAHEL + [SAHEL_LATER]))
    again = watcher.poll_once()[0]
    assert (again.status, again.new) == ("200", 1) and again.events >= 1
    assert stored_articles(tmp_path / "w.db") - before == {article_id(SAHEL_SITE, SAHEL_LATER[0])}
    assert watcher.poll_once()[0].status == "304"


@pytest.mark.slow
def test_redirects_are_followed(server, make_watcher):
    server.add("/sahel.xml", rss(SAHEL))
    server.add("/old-address", redirect=server.url("/sahel.xml"))
    watcher, _ = make_watcher(server.url("/old-address"))
    assert (watcher.poll_once()[0].status, watcher.poll_once()[0].status) == ("200", "304")


# ---------------------------------------------------------------- failures: each with its working twin


@pytest.mark.slow
def test_a_500_backs_off_while_the_other_feed_is_polled(server, make_watcher):
    broken = server.add("/broken.xml", rss(SAHEL), status=500)
    server.add("/wire.atom", atom(WIRE))
    watcher, log = make_watcher(server.url("/broken.xml"), server.url("/wire.atom"), interval=2.0)
    first = by_feed(watcher.poll_once())
    bad, good = first[server.url("/broken.xml")], first[server.url("/wire.atom")]
    assert (bad.status, bad.failures, bad.retry_in) == ("error", 1, 4.0) and "HTTP 500" in bad.error
    assert (good.status, good.new) == ("200", 2)
    assert "error: HTTP 500" in log.getvalue() and "(failure 1, next try in 4 s)" in log.getvalue()
    second = by_feed(watcher.poll_once())
    assert (second[server.url("/broken.xml")].failures, second[server.url("/broken.xml")].retry_in) == (2, 8.0)
    assert watcher.poll_once(only_due=True) == []  # neither is due yet: the broken one waits longest
    broken.status = 200  # the server recovers
    recovered = by_feed(watcher.poll_once())[server.url("/broken.xml")]
    assert (recovered.status, recovered.new, recovered.failures) == ("200", 2, 0)
    assert watcher.state.get(Feed(server.url("/broken.xml"))).failures == 0


def test_backoff_doubles_up_to_the_cap():
    options = WatchOptions(interval=5, max_backoff=3600)
    assert [options.delay(n) for n in (0, 1, 2, 3)] == [5, 10, 20, 40]
    assert options.delay(12) == 3600 and options.delay(500) == 3600
    assert WatchOptions(interval=7200).delay(3) == 7200  # never sooner than the interval


@pytest.mark.slow
def test_garbage_is_a_logged_error_and_a_feed_again_is_read(server, make_watcher):
    route = server.add("/sahel.xml", b"\x00\x17<<not a feed>>\xff\xfe garbage")
    watcher, log = make_watcher(server.url("/sahel.xml"))
    bad = watcher.poll_once()[0]
    assert bad.status == "error" and "broken feed" in bad.error
    assert re.search(r" error: broken feed.* new=0 events=0 ", log.getvalue())
    route.serve(b"<html><body><p>Our site is down for maintenance.</p></body></html>")
    assert "not an RSS or Atom feed" in watcher.poll_once()[0].error
    route.serve(rss(SAHEL))
    good = watcher.poll_once()[0]
    assert (good.status, good.new, good.failures) == ("200", 2, 0)


@pytest.mark.slow
def test_a_hung_server_times_out_without_holding_up_the_others(server, make_watcher):
    server.add("/slow.xml", rss(SAHEL), delay=4.0)
    server.add("/wire.atom", atom(WIRE))
    watcher, _ = make_watcher(server.url("/slow.xml"), server.url("/wire.atom"), timeout=0.5)
    t0 = time.monotonic()
    results = by_feed(watcher.poll_once())
    assert time.monotonic() - t0 < 3.0
    slow = results[server.url("/slow.xml")]
    assert slow.status == "error" and "timed out" in slow.error and slow.seconds < 1.5
    assert results[server.url("/wire.atom")].new == 2
    server.routes["/slow.xml"].delay = 0.2  # slow, but within the timeout
    watcher.options = WatchOptions(interval=2.0, timeout=3.0)
    assert watcher.poll_once()[0].new == 2


@pytest.mark.slow
def test_a_refused_connection_is_an_error_a_listening_server_is_not(server, make_watcher):
    server.add("/sahel.xml", rss(SAHEL))
    nobody = f"http://127.0.0.1:{closed_port()}/sahel.xml"
    watcher, _ = make_watcher(nobody, server.url("/sahel.xml"))
    results = by_feed(watcher.poll_once())
    assert results[nobody].status == "error" and "connection refused" in results[nobody].error
    assert results[server.url("/sahel.xml")].new == 2


@pytest.mark.slow
def test_a_feed_over_the_size_limit_is_refused_one_under_is_read(server, make_watcher):
    server.add("/sahel.xml", rss(SAHEL))
    watcher, _ = make_watcher(server.url("/sahel.xml"), max_bytes=200)
    assert "200-byte limit" in watcher.poll_once()[0].error
    watcher.options = WatchOptions(interval=2.0, timeout=2.0, max_bytes=len(rss(SAHEL)))
    assert watcher.poll_once()[0].new == 2


# ---------------------------------------------------------------- feeds files: lists, OPML, paths


def test_a_feeds_list_skips_blanks_and_comments_and_reads_paths_beside_it(tmp_path):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "local.xml").write_bytes(rss(SAHEL))
    listing = tmp_path / "feeds.txt"
    listing.write_text("# the feeds we watch\n\nhttps://example.org/rss.xml   # a comment\n"
                       "HTTP://Example.org:8080/atom\nfeeds/local.xml\nhttps://example.org/rss.xml\n")
    feeds = load_feeds(listing)
    assert [f.location for f in feeds] == ["https://example.org/rss.xml", "http://Example.org:8080/atom",
                                           str(tmp_path / "feeds" / "local.xml")]
    assert feeds[0].listed == f"{listing}:3" and not feeds[2].is_url


def test_an_opml_file_gives_its_outlines_nested_ones_too(tmp_path):
    opml = tmp_path / "subscriptions.opml"
    opml.write_text('<?xml version="1.0"?>\n<opml version="2.0"><head><title>mine</title></head><body>\n'
                    '<outline text="Sahel" xmlUrl="https://sahel-dispatch.example.org/rss"/>\n'
                    '<outline text="Regions">\n  <outline text="East">\n'
                    '    <outline text="Wire" type="rss" xmlUrl="https://wire-roundup.example.net/atom"/>\n'
                    "  </outline>\n</outline>\n</body></opml>\n")
    assert [f.location for f in load_feeds(opml)] == ["https://sahel-dispatch.example.org/rss",
                                                      "https://wire-roundup.example.net/atom"]


@pytest.mark.parametrize("line, says", [
    ("ftp://example.org/rss.xml", "unsupported URL scheme 'ftp'"),
    ("http:///rss.xml", "has no host"),
    ("https://example.org/a feed.xml", "contains spaces"),
    ("https://example.org:port/rss", "bad port"),
    ("www.example.org/rss.xml", "no such file"),
])
def test_a_bad_line_is_an_error_naming_the_file_and_line(tmp_path, line, says):
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"# feeds\nhttps://example.org/ok.xml\n\n{line}\n")
    with pytest.raises(UsageError) as caught:
        load_feeds(listing)
    message = str(caught.value)
    assert message.startswith(f"{listing}:4: ") and says in message
    assert "give" in message or "write" in message  # it says what to do


def test_a_bad_opml_outline_or_broken_opml_names_its_line(tmp_path):
    opml = tmp_path / "subs.opml"
    opml.write_text('<opml version="2.0"><body>\n<outline xmlUrl="https://example.org/ok"/>\n'
                    '<outline xmlUrl="gopher://example.org/feed"/>\n</body></opml>\n')
    with pytest.raises(UsageError, match=rf"^{re.escape(str(opml))}:3: .*unsupported URL scheme"):
        load_feeds(opml)
    opml.write_text('<opml version="2.0"><body>\n<outline xmlUrl="https://example.org/ok">\n</body></opml>\n')
    with pytest.raises(UsageError, match=rf"^{re.escape(str(opml))}:3: broken OPML"):
        load_feeds(opml)


def test_an_empty_or_missing_feeds_file_says_what_to_give(tmp_path):
    (tmp_path / "empty.txt").write_text("# nothing yet\n\n")
    with pytest.raises(UsageError, match="lists no feeds; give one http"):
        load_feeds(tmp_path / "empty.txt")
    with pytest.raises(UsageError, match="no such file; give a file that lists the feeds"):
        load_feeds(tmp_path / "nope.txt")
    done = subprocess.run([sys.executable, "-m", "sitrep", "watch", str(tmp_path / "nope.txt"), "--db",
                           str(tmp_path / "w.db"), "--once"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "nope.txt: no such file" in done.stderr  # 2: sitrep's usage-error status
    assert not (tmp_path / "w.db").exists()


@pytest.mark.slow
def test_a_file_feed_is_read_when_it_changes_only(tmp_path, make_watcher):
    path = tmp_path / "local.xml"
    path.write_bytes(rss(SAHEL))
    watcher, log = make_watcher(str(path))
    assert (watcher.poll_once()[0].status, watcher.poll_once()[0].status) == ("file", "unchanged")
    tmp = tmp_path / "local.xml.new"
    tmp.write_bytes(rss(SAHEL + [SAHEL_LATER]))
    os.replace(tmp, path)
    changed = watcher.poll_once()[0]
    assert (changed.status, changed.new) == ("file", 1)
    path.unlink()
    assert "no such file" in watcher.poll_once()[0].error


# ---------------------------------------------------------------- state: restarts, bounds, signals


@pytest.mark.slow
def test_state_survives_a_restart_and_without_it_items_are_read_again(server, make_watcher):
    server.add("/sahel.xml", rss(SAHEL), conditional=False)  # a server that ignores conditional GETs
    first, _ = make_watcher(server.url("/sahel.xml"))
    assert first.poll_once()[0].new == 2
    restarted, _ = make_watcher(server.url("/sahel.xml"))  # a new watcher reading the state file
    assert (restarted.poll_once()[0].status, restarted.poll_once()[0].new) == ("200", 0)
    forgetful, _ = make_watcher(server.url("/sahel.xml"), state=False)
    assert forgetful.poll_once()[0].new == 2  # analysed again (the store keeps one copy)


def test_seen_ids_are_bounded_and_those_still_in_the_feed_are_kept_longest():
    kept = _remember(("a", "b", "c", "d"), ["b", "e", "f"], {"b", "e"}, limit=3)
    assert kept == ("d", "b", "e")  # f was not stored: not seen; a, c forgotten first
    assert len(_remember(tuple(map(str, range(10))), [], set(), limit=4)) == 4


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_request_is_a_flag_the_signal_handler_sets(signum):
    watcher = Watcher([Feed("/dev/null")], store=None, pipeline=None, log=io.StringIO())  # nothing is analysed
    before = signal.getsignal(signum)
    with stop_on_signals(watcher):
        assert not watcher.stopping
        os.kill(os.getpid(), signum)
        time.sleep(0.05)
        assert watcher.stopping
    assert signal.getsignal(signum) is before
    watcher.run()  # returns at once: a stop was asked for
    assert watcher.poll_once() == []  # a stopped watcher takes no feed in hand


class StopWhenLogged(io.StringIO):
    """A log that asks the watcher to stop when a line with ``text`` is written."""

    def __init__(self, text: str):
        super().__init__()
        self.text, self.watcher = text, None

    def write(self, line: str) -> int:
        if self.text in line:
            self.watcher.request_stop()
        return super().write(line)


@pytest.mark.slow
def test_a_stop_asked_for_mid_feed_finishes_that_feed_and_leaves_the_next(server, tmp_path, pipeline):
    undated = ("bad-date", "Undated", "the day after tomorrow", "Nothing here can be dated.")
    server.add("/sahel.xml", rss([undated] + SAHEL))
    server.add("/wire.atom", atom(WIRE), delay=1.0)
    log = StopWhenLogged("is not a date")  # logged before the feed's items are analysed
    with Store.open(tmp_path / "w.db") as store:
        feeds = [Feed(server.url("/sahel.xml")), Feed(server.url("/wire.atom"))]
        log.watcher = watcher = Watcher(feeds, store, pipeline, state_path=state_path(tmp_path / "w.db"), log=log)
        t0 = time.monotonic()
        results = watcher.poll_once()
        assert time.monotonic() - t0 < 1.0  # the slow feed's answer was not waited for
    assert [(r.feed, r.new, r.skipped) for r in results] == [(server.url("/sahel.xml"), 2, 1)]
    state = json.loads(state_path(tmp_path / "w.db").read_text())["feeds"]
    assert len(state[server.url("/sahel.xml")]["seen"]) == 2 and state[server.url("/sahel.xml")]["etag"]
    assert state[server.url("/wire.atom")] | {"next_due": 0} == {"etag": None, "last_modified": None,
                                                                  "failures": 0, "next_due": 0, "seen": []}
    assert stored_articles(tmp_path / "w.db") == {article_id(SAHEL_SITE, s) for s, *_ in SAHEL}


@pytest.mark.slow
def test_once_exits_0_when_a_feed_fails_and_logs_the_failure(server, tmp_path):
    from click.testing import CliRunner

    from sitrep.cli import cli

    server.add("/sahel.xml", rss(SAHEL))
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"{server.url('/sahel.xml')}\nhttp://127.0.0.1:{closed_port()}/gone.xml\n")
    done = CliRunner().invoke(cli, ["watch", str(listing), "--db", str(tmp_path / "w.db"), "--once"])
    assert done.exit_code == 0, done.output
    assert re.search(r" 200 new=2 events=\d+ ", done.stderr)
    assert re.search(r"/gone.xml error: connection refused.*\(failure 1, next try in 600 s\)", done.stderr)
    assert len(stored_articles(tmp_path / "w.db")) == 2


def wait_for(check, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.1)


@pytest.mark.slow
def test_sigterm_ends_sitrep_watch_with_0_and_a_consistent_state(server, tmp_path):
    server.add("/sahel.xml", rss(SAHEL))
    wire = server.add("/wire.atom", atom(WIRE[:1]))
    listing = tmp_path / "feeds.txt"
    listing.write_text(f"{server.url('/sahel.xml')}\n{server.url('/wire.atom')}\n")
    db, state = tmp_path / "w.db", state_path(tmp_path / "w.db")
    proc = subprocess.Popen([sys.executable, "-m", "sitrep", "watch", str(listing), "--db", str(db),
                             "--interval", "1"], stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: len(server.asked("/wire.atom")) >= 2)  # polled, and polled again after a second
        wire.serve(atom(WIRE))
        wait_for(lambda: state.exists() and len(json.loads(state.read_text())["feeds"][server.url("/wire.atom")]
                                                ["seen"]) == 2)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
    log = proc.stderr.read()
    assert "watch stopped" in log and " 304 new=0 events=0 " in log
    seen = {i for feed in json.loads(state.read_text())["feeds"].values() for i in feed["seen"]}
    assert seen == stored_articles(db) and len(seen) == 4
    with Store.open(db, read_only=True) as store:
        assert {r["article_id"] for r in run(store, EventQuery(reports=True, min_confidence=0))} == seen
