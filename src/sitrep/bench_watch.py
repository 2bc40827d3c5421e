"""``sitrep bench --watch``: seconds from a feed item appearing to its events being queryable.

1. An RSS feed is served on loopback by a standard-library HTTP server in this process (it
   answers If-None-Match / If-Modified-Since with 304, as a web server does).
2. ``sitrep watch FEEDS --interval S`` runs on it in its own process, into a fresh database.
3. Once the feed's first item is queryable, each trial waits a random time in [0, S) (so
   the item appears at a random moment of the poll cycle), appends one invented item to the
   feed, and reads the database (``Store`` read-only and ``sitrep.query``) every 50 ms until
   that item's events are there.

The latency is the wait for the next poll (uniform in [0, S): S/2 on average) plus fetching,
analysing and saving. The watcher is then stopped with SIGTERM. The last line printed is
one JSON object with the figures.
"""

from __future__ import annotations

import hashlib
import json
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO

from .errors import UsageError

SITE = "https://bench-dispatch.example.org/"
TOWNS = ("Gao", "Mopti", "Djibo", "Kaya", "Maiduguri", "Kaduna", "Mogadishu", "Kismayo", "Bunia", "Goma",
         "Kharkiv", "Kherson")
TEMPLATE = ("Militants attacked an army post near {town} on {day}, killing {n} soldiers, a local official said. "
            "Residents said the fighting lasted for several hours before the attackers withdrew.")


class _Feed:
    """The feed's items, rendered as RSS; appended to from the benchmark's thread."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str, str]] = []
        self.lock = threading.Lock()
        self.body, self.modified = b"", formatdate(usegmt=True)

    def append(self, n: int) -> str:
        """Add item ``n``; its URL (the stored article's id derives from it)."""
        town = TOWNS[n % len(TOWNS)]
        text = TEMPLATE.format(town=town, day=time.strftime("%A"), n=3 + n % 9)
        url = f"{SITE}item-{n}"
        with self.lock:
            self.items.append((url, f"Army post attacked near {town}", text))
            entries = "".join(f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid>"
                              f"<pubDate>{formatdate(usegmt=True)}</pubDate><description>{d}</description></item>"
                              for u, t, d in reversed(self.items))
            self.body = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                         f"<title>Bench Dispatch</title><link>{SITE}</link>{entries}</channel></rss>").encode()
            self.modified = formatdate(usegmt=True)
        return url


def _handler(feed: _Feed) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            with feed.lock:
                body, modified = feed.body, feed.modified
            etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
            unchanged = self.headers.get("If-None-Match") == etag
            self.send_response(304 if unchanged else 200)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", modified)
            if not unchanged:
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not unchanged:
                self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    return Handler


def _queryable(db: Path, url: str) -> bool:
    """Whether the item at ``url`` has events the query layer returns."""
    from .model import Article
    from .query import EventQuery, run
    from .store import Store

    if not db.exists():
        return False
    try:
        with Store.open(db, read_only=True) as store:
            rows = run(store, EventQuery(reports=True, min_confidence=0))
    except Exception:  # noqa: BLE001 - the watcher is still creating the file
        return False
    return any(r["article_id"] == Article.make_id(url, "") for r in rows)


def _wait_for(db: Path, url: str, proc: subprocess.Popen, limit: float) -> float:
    t0 = time.monotonic()
    while not _queryable(db, url):
        if proc.poll() is not None:
            raise UsageError(f"sitrep watch ended (exit status {proc.returncode}) before the item was stored")
        if time.monotonic() - t0 > limit:
            raise UsageError(f"the item's events were not queryable after {limit:.0f} s")
        time.sleep(0.05)
    return time.monotonic() - t0


def run(*, interval: float | None = None, trials: int = 5, model: str | None = None,
        gazetteer: str | None = None, out: TextIO) -> dict:
    from .watch import DEFAULT_INTERVAL

    interval = interval or DEFAULT_INTERVAL
    feed = _Feed()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(feed))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            figures = _trials(Path(tmp), f"http://127.0.0.1:{server.server_port}/feed.xml", feed, interval,
                              trials, model, gazetteer, out)
    finally:
        server.shutdown()
        server.server_close()
    out.write(json.dumps(figures) + "\n")
    return figures


def _trials(tmp: Path, url: str, feed: _Feed, interval: float, trials: int, model: str | None,
            gazetteer: str | None, out: TextIO) -> dict:
    (tmp / "feeds.txt").write_text(url + "\n")
    db = tmp / "bench.db"
    extra = [*(["--model", model] if model else []), *(["--gazetteer", gazetteer] if gazetteer else [])]
    first = feed.append(0)
    t0 = time.monotonic()
    with open(tmp / "watch.log", "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "sitrep", "watch", str(tmp / "feeds.txt"), "--db", str(db),
                                 "--interval", f"{interval:g}", *extra], stderr=log)
    try:
        startup = _wait_for(db, first, proc, 300)
        out.write(f"sitrep watch --interval {interval:g}: first item queryable {startup:.1f} s after start\n")
        latencies = []
        for n in range(1, trials + 1):
            pause = random.uniform(0, interval)
            time.sleep(pause)
            latencies.append(round(_wait_for(db, feed.append(n), proc, 3 * interval + 300), 2))
            out.write(f"  trial {n}/{trials}: item appended after a random {pause:.1f} s, events queryable "
                      f"{latencies[-1]:.2f} s later\n")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(60)
    polls = _ingesting_polls((tmp / "watch.log").read_text())
    figures = {"benchmark": "watch", "interval_s": interval, "trials": trials, "latency_s": latencies,
               "mean_s": round(statistics.mean(latencies), 2), "median_s": round(statistics.median(latencies), 2),
               "min_s": min(latencies), "max_s": max(latencies), "startup_s": round(startup, 1),
               "ingesting_poll_s": round(statistics.mean(polls), 2) if polls else None,
               "sigterm_exit": code, "elapsed_s": round(time.monotonic() - t0)}
    out.write(f"latency from the item appearing to its events being queryable: mean {figures['mean_s']} s, "
              f"median {figures['median_s']} s, min {figures['min_s']} s, max {figures['max_s']} s "
              f"(expected about {interval / 2:g} s of waiting for the poll plus the poll itself: "
              f"{figures['ingesting_poll_s']} s on average); SIGTERM: exit status {code}\n")
    return figures


def _ingesting_polls(log: str) -> list[float]:
    """Seconds of each poll that stored one new item (from ``sitrep watch``'s log lines)."""
    return [float(line.rsplit(" ", 1)[1].rstrip("s")) for line in log.splitlines() if " 200 new=1 " in line]
