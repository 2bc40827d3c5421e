"""``sitrep watch``: poll RSS and Atom feeds, ingest only what is new, back off on errors.

    feeds = load_feeds("feeds.txt")        # URLs or file paths, one a line; or an OPML file
    with Store.open("war.db") as store:
        watcher = Watcher(feeds, store, pipeline, state_path=state_path("war.db"))
        watcher.poll_once()                # one PollResult per feed, each also logged
        watcher.run(stop)                  # poll each feed when due until ``stop`` is set

Per feed it keeps (in ``<db>.watch.json``, written atomically, never in the database):
the ETag and Last-Modified the server gave (sent back as If-None-Match and
If-Modified-Since: a 304 means nothing new), the ids of the items already stored
(an item's article id: its link, or a hash of its text without one; the last
``SEEN_LIMIT``), the consecutive failures and when it is next due. An item is
marked seen, and the feed's validators kept, only once its results are saved, so
a crash or a kill costs at most work done twice (the store never duplicates an
article), never an item. A feed that fails (an HTTP error, a refused connection,
a timeout, bytes that are no feed) is retried after ``interval * 2**failures``,
at most ``max_backoff``; the other feeds go on. Feeds are fetched in parallel
threads (standard-library HTTP only); the articles are analysed and saved one
feed at a time in the calling thread, through ``Pipeline.process_many`` and
``Store.save`` as ``sitrep ingest`` does.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import queue
import re
import signal
import stat
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Iterable, Iterator, TextIO
from urllib.parse import urlsplit

from . import sources
from .errors import InputError, SitrepError, StoreError, UsageError, could_not_process
from .model import Article

__all__ = ["DEFAULT_INTERVAL", "DEFAULT_TIMEOUT", "Feed", "FeedState", "Fetched", "PollResult", "WatchOptions",
           "WatchState", "Watcher", "fetch", "load_feeds", "state_path", "stop_on_signals"]

DEFAULT_INTERVAL = 300.0  # seconds between polls of one feed: news sites update every few minutes
DEFAULT_TIMEOUT = 20.0  # seconds one request may wait for the server, and at most to download a feed
MAX_BACKOFF = 3600.0  # a failing feed is retried at least hourly
SEEN_LIMIT = 5000  # item ids remembered per feed (feeds list tens, archives a few hundred)
PARALLEL_FETCHES = 8
STATE_FORMAT = "sitrep.watch/1"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
_WAKE = 0.5  # seconds between looks at the stop flag while waiting


def _user_agent() -> str:
    try:
        return f"sitrep/{version('sitrep')}"
    except PackageNotFoundError:
        return "sitrep"


USER_AGENT = _user_agent()


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Feed:
    """One feed to poll: an http(s) URL, or an absolute file path; ``listed`` says where it was given."""

    location: str
    listed: str = ""

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))


@dataclass(frozen=True)
class FeedState:
    """What is remembered of a feed between polls (and restarts)."""

    etag: str | None = None
    last_modified: str | None = None
    seen: tuple[str, ...] = ()
    failures: int = 0
    next_due: float = 0.0  # time.time() when it is next polled

    def to_json(self) -> dict[str, Any]:
        return {"etag": self.etag, "last_modified": self.last_modified, "failures": self.failures,
                "next_due": round(self.next_due, 3), "seen": list(self.seen)}

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> FeedState:
        return cls(etag=obj.get("etag"), last_modified=obj.get("last_modified"), seen=tuple(obj.get("seen", ())),
                   failures=int(obj.get("failures", 0)), next_due=float(obj.get("next_due", 0.0)))


@dataclass(frozen=True)
class Fetched:
    """A fetch's outcome: ``data`` is None when the feed did not change since the last poll."""

    status: str  # "200" (any 2xx) or "304" over HTTP; "file" or "unchanged" for a local file
    data: bytes | None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class PollResult:
    """One poll of one feed, as logged."""

    feed: str
    status: str  # "200", "304", "file", "unchanged" or "error"
    new: int = 0  # items not seen before, now stored
    events: int = 0  # event rows stored for them
    skipped: int = 0  # items that could not be read or analysed (each reported)
    seconds: float = 0.0
    error: str | None = None
    failures: int = 0
    retry_in: float | None = None  # after an error: seconds until the next try
    at: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def line(self) -> str:
        """``2026-12-04T22:50:01Z http://host/a.xml 200 new=3 events=5 0.84s``."""
        when = (self.at or dt.datetime.now(dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
        status = self.status if self.ok else f"error: {self.error}"
        text = f"{when} {self.feed} {status} new={self.new} events={self.events} {self.seconds:.2f}s"
        if self.skipped:
            text += f" skipped={self.skipped}"
        if not self.ok:
            text += f" (failure {self.failures}, next try in {self.retry_in:.0f} s)"
        return text


@dataclass(frozen=True)
class WatchOptions:
    interval: float = DEFAULT_INTERVAL
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = sources.DEFAULT_MAX_BYTES
    max_backoff: float = MAX_BACKOFF
    seen_limit: int = SEEN_LIMIT
    parallel: int = PARALLEL_FETCHES

    def delay(self, failures: int) -> float:
        """Seconds until the next poll after ``failures`` consecutive failures (0: the interval)."""
        if failures <= 0:
            return self.interval
        return min(self.interval * 2.0 ** min(failures, 60), max(self.max_backoff, self.interval))


# ---------------------------------------------------------------- the feeds file


_OPML_START = re.compile(rb"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<opml[\s>]", re.S)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_LIST_HELP = "one http(s) URL or file path a line (# starts a comment), or an OPML file"


def load_feeds(path: str | Path) -> tuple[Feed, ...]:
    """The feeds a file lists: URLs or paths one a line, or an OPML file's ``<outline xmlUrl=...>``.

    Relative paths are read from the file's folder. A line that names no usable feed is a
    UsageError naming the file and line; a feed listed twice is polled once."""
    where = Path(path)
    try:
        data = where.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file; give a file that lists the feeds to watch, {_LIST_HELP}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc}); check the path and its permissions") from exc
    is_opml = _OPML_START.match(data.removeprefix(b"\xef\xbb\xbf"))
    listed = _opml_feeds(data, where) if is_opml else _listed_feeds(data, where)
    unique: dict[str, Feed] = {}
    for feed in listed:
        unique.setdefault(feed.location, feed)  # a feed listed twice is polled once
    feeds = tuple(unique.values())
    if not feeds:
        raise UsageError(f"{path}: lists no feeds; give {_LIST_HELP}")
    return feeds


def _listed_feeds(data: bytes, path: Path) -> list[Feed]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path}: is not UTF-8 text (byte {exc.start}); give {_LIST_HELP}") from exc
    feeds = []
    for number, line in enumerate(text.splitlines(), 1):
        entry = re.split(r"\s+#", line.strip(), maxsplit=1)[0].strip()
        if entry and not entry.startswith("#"):
            feeds.append(_feed(entry, path, number))
    return feeds


def _opml_feeds(data: bytes, path: Path) -> list[Feed]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UsageError(f"{path}:{exc.lineno}: broken OPML ({exc.msg}); fix the file, or list the feed "
                         f"URLs one a line instead") from exc
    feeds = []
    for outline in root.iter("{*}outline"):
        url = next((v for k, v in outline.attrib.items() if k.lower() == "xmlurl"), None)
        if url is not None:  # an outline without one is a folder of others
            feeds.append(_feed(url.strip(), path, outline.sourceline))
    return feeds


def _feed(entry: str, path: Path, line: int | None) -> Feed:
    """The feed one line (or outline) names; UsageError saying what to write instead."""
    where = f"{path}:{line}"
    scheme = _SCHEME.match(entry)
    if scheme is None:
        return _file_feed(entry, path, where)
    if scheme[1].lower() not in ("http", "https"):
        raise UsageError(f"{where}: {entry!r}: unsupported URL scheme '{scheme[1]}'; watch fetches http:// and "
                         f"https:// URLs, or reads a local file given by its path")
    parts = urlsplit(entry)
    try:
        parts.port
    except ValueError:
        raise UsageError(f"{where}: {entry!r} has a bad port; write the URL as https://host:8080/feed.xml") from None
    if not parts.hostname:
        raise UsageError(f"{where}: {entry!r} has no host; write the URL as https://example.org/feed.xml")
    if any(ch.isspace() for ch in entry):
        raise UsageError(f"{where}: {entry!r} contains spaces; give one feed URL a line (encode a space as %20)")
    return Feed(parts.scheme.lower() + entry[len(parts.scheme):], where)


def _file_feed(entry: str, path: Path, where: str) -> Feed:
    local = Path(entry).expanduser()
    local = Path(os.path.abspath(local if local.is_absolute() else path.parent / local))
    if not local.is_file():
        what = "is not a regular file" if local.exists() else "no such file"
        raise UsageError(f"{where}: {entry!r}: {what} ({local}); give an existing feed file, or a URL "
                         f"starting with http:// or https://")
    return Feed(str(local), where)


def state_path(db: str | Path) -> Path:
    """Where ``sitrep watch`` keeps its per-feed state for a database: ``<db>.watch.json``."""
    return Path(f"{db}.watch.json")


# ---------------------------------------------------------------- fetching


def fetch(feed: Feed, state: FeedState, options: WatchOptions) -> Fetched:
    """The feed's bytes, or ``data=None`` when it has not changed; InputError saying why not."""
    if feed.is_url:
        return _http_get(feed.location, state, options)
    return _read_local(feed.location, state.etag, options.max_bytes)


def _http_get(url: str, state: FeedState, options: WatchOptions) -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    deadline = time.monotonic() + options.timeout
    try:  # redirects are followed (urllib's default handler), the conditional headers with them
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=options.timeout) as resp:
            data = _read_body(resp, url, options, deadline)
            return Fetched(str(resp.status), data, resp.headers.get("ETag"), resp.headers.get("Last-Modified"))
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 304:
            return Fetched("304", None, exc.headers.get("ETag") or state.etag,
                           exc.headers.get("Last-Modified") or state.last_modified)
        raise InputError(url, f"HTTP {exc.code} {exc.reason}; {_http_advice(exc.code)}") from exc
    except urllib.error.URLError as exc:
        raise InputError(url, _network_error(exc.reason, options.timeout)) from exc
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise InputError(url, _network_error(exc, options.timeout)) from exc


def _read_body(resp: Any, url: str, options: WatchOptions, deadline: float) -> bytes:
    """The response body, at most ``max_bytes``, downloaded before ``deadline``."""
    chunks, size = [], 0
    while chunk := resp.read(65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > options.max_bytes:
            raise InputError(url, f"is over the {options.max_bytes:,}-byte limit for one document; raise it with "
                                  f"SITREP_MAX_BYTES if the feed is really that big")
        if time.monotonic() > deadline:
            raise InputError(url, f"took more than {options.timeout:g} s to download; retried later (raise "
                                  f"--timeout for a slow server)")
    return b"".join(chunks)


def _http_advice(code: int) -> str:
    if code in (401, 403):
        return "the server refuses access; check the URL (sitrep sends no credentials)"
    if code in (404, 410):
        return "check the URL: the feed may have moved or gone (retried with backoff)"
    if code == 429:
        return "the server asks to be polled less often; raise --interval (retried with backoff)"
    if code >= 500:
        return "the server failed; retried with backoff"
    return "retried with backoff; check the URL if it persists"


def _network_error(reason: Any, timeout: float) -> str:
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"no answer within {timeout:g} s (timed out); retried later (raise --timeout for a slow server)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused; check the URL's host and port, or whether the server is up (retried later)"
    if isinstance(reason, http.client.HTTPException) or isinstance(reason, ConnectionError):
        return f"the connection broke ({type(reason).__name__}: {reason}); retried later"
    return f"cannot reach the server ({reason}); check the URL and the network (retried later)"


def _read_local(path: str, etag: str | None, limit: int) -> Fetched:
    """A local feed file; its modification time and size serve as its ETag."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(path, "is not a regular file; give a feed file")
        tag = f"{st.st_mtime_ns:x}-{st.st_size:x}"
        if tag == etag:
            return Fetched("unchanged", None, etag)
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except FileNotFoundError:
        raise InputError(path, "no such file (any more); put the feed file back or remove it from the list") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc}); check the file") from exc
    if len(data) > limit:
        raise InputError(path, f"is over the {limit:,}-byte limit for one document; raise it with SITREP_MAX_BYTES")
    return Fetched("file", data, tag)


# ---------------------------------------------------------------- state


class WatchState:
    """Every feed's FeedState, kept in a JSON file (``path`` None: in memory only)."""

    def __init__(self, path: Path | None, feeds: dict[str, FeedState] | None = None):
        self.path, self.feeds = path, dict(feeds or {})

    @classmethod
    def load(cls, path: Path | None) -> WatchState:
        if path is None or not path.exists():
            return cls(path)
        fix = "delete it to start afresh (items are then read again; the database does not duplicate them)"
        try:
            obj = json.loads(path.read_text("utf-8"))
            if obj.get("format") != STATE_FORMAT:
                raise UsageError(f"{path} is not a sitrep watch state file ({STATE_FORMAT}); {fix}")
            return cls(path, {k: FeedState.from_json(v) for k, v in obj["feeds"].items()})
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError, KeyError, TypeError,
                ValueError) as exc:
            if isinstance(exc, UsageError):
                raise
            raise UsageError(f"{path} cannot be read as sitrep's watch state ({exc}); {fix}") from exc

    def get(self, feed: Feed) -> FeedState:
        return self.feeds.get(feed.location) or FeedState()

    def put(self, feed: Feed, state: FeedState) -> None:
        self.feeds[feed.location] = state

    def save(self) -> None:
        """Write the file atomically: a temporary file beside it, then ``os.replace``."""
        if self.path is None:
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        body = {"format": STATE_FORMAT, "feeds": {k: v.to_json() for k, v in self.feeds.items()}}
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(body, f, separators=(",", ":"))
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"cannot write the watch state {self.path} ({exc.strerror or exc}); check that its "
                             f"folder is writable and has space (what was stored is kept)") from exc


# ---------------------------------------------------------------- the watcher


@dataclass(frozen=True)
class _Ingested:
    new: int
    events: int
    skipped: int
    seen: tuple[str, ...]


class Watcher:
    """Polls ``feeds`` into ``store`` through ``pipeline``; see the module's docstring."""

    def __init__(self, feeds: Iterable[Feed], store: Any, pipeline: Any, *, state_path: Path | None = None,
                 options: WatchOptions | None = None, log: TextIO | None = None):
        self.feeds = tuple(feeds)
        self.store, self.pipeline = store, pipeline
        self.options = options or WatchOptions()
        self.log = log if log is not None else sys.stderr
        self.state = WatchState.load(state_path)
        self._stop_requested = False  # set by request_stop(), also from a signal handler
        self._stop_event: threading.Event | None = None
        now = time.time()
        for feed in self.feeds:  # a shorter interval than last time applies at once
            s = self.state.get(feed)
            self.state.put(feed, replace(s, next_due=min(s.next_due, now + self.options.delay(s.failures))))

    # -- stopping

    def request_stop(self) -> None:
        """Stop after the feed being saved. Only sets a flag: safe in a signal handler."""
        self._stop_requested = True

    @property
    def stopping(self) -> bool:
        return self._stop_requested or (self._stop_event is not None and self._stop_event.is_set())

    # -- polling

    def run(self, stop: threading.Event | None = None) -> None:
        """Poll each feed when it is due until ``stop`` is set or ``request_stop()`` is called."""
        self._stop_event = stop
        while not self.stopping:
            self.poll_once(only_due=True)
            self._sleep_until(min((self.state.get(f).next_due for f in self.feeds), default=time.time() + 1))

    def poll_once(self, *, only_due: bool = False) -> list[PollResult]:
        """Poll every feed (``only_due``: those due now), save what is new, write the state.

        Results come in the order of ``feeds``; a feed left when a stop was asked for has none."""
        now = time.time()
        feeds = [f for f in self.feeds if not only_due or self.state.get(f).next_due <= now]
        results = {}
        for feed, outcome, seconds in self._fetch_all(feeds):
            results[feed] = self._poll(feed, outcome, seconds)
            if results[feed].new:
                self.state.save()
        if feeds:
            self.state.save()
        return [results[f] for f in feeds if f in results]

    def _sleep_until(self, when: float) -> None:
        while not self.stopping and (left := when - time.time()) > 0:
            if self._stop_event is not None:
                self._stop_event.wait(min(left, _WAKE))
            else:
                time.sleep(min(left, _WAKE))

    def _fetch_all(self, feeds: list[Feed]) -> Iterator[tuple[Feed, Fetched | SitrepError, float]]:
        """(feed, outcome, seconds) as each fetch ends, fetched by up to ``parallel`` daemon threads
        (a hung server holds its thread only); stops yielding once a stop is asked for."""
        todo: queue.Queue = queue.Queue()
        done: queue.Queue = queue.Queue()
        for feed in feeds:
            todo.put((feed, self.state.get(feed)))

        def work() -> None:
            while True:
                try:
                    feed, state = todo.get_nowait()
                except queue.Empty:
                    return
                done.put((feed, *self._timed_fetch(feed, state)))

        for _ in range(min(self.options.parallel, len(feeds))):
            threading.Thread(target=work, daemon=True, name="sitrep-watch-fetch").start()
        for _ in feeds:
            while not self.stopping:
                try:
                    yield done.get(timeout=_WAKE)
                    break
                except queue.Empty:
                    continue
            if self.stopping:
                return

    def _timed_fetch(self, feed: Feed, state: FeedState) -> tuple[Fetched | SitrepError, float]:
        started = time.monotonic()
        try:
            outcome: Fetched | SitrepError = fetch(feed, state, self.options)
        except SitrepError as exc:
            outcome = exc
        except Exception as exc:  # noqa: BLE001 - one feed's fault (or a bug) costs that feed only
            outcome = could_not_process(feed.location, exc)
        return outcome, time.monotonic() - started

    def _poll(self, feed: Feed, outcome: Fetched | SitrepError, seconds: float) -> PollResult:
        """Ingest what a fetch brought, update the feed's state, log and return the result."""
        started, state = time.monotonic(), self.state.get(feed)
        try:
            if isinstance(outcome, SitrepError):
                raise outcome
            done = _Ingested(0, 0, 0, state.seen)
            if outcome.data is not None:
                done = self._ingest(feed, outcome.data, set(state.seen), state.seen)
            self.state.put(feed, FeedState(outcome.etag, outcome.last_modified, done.seen, 0,
                                           time.time() + self.options.interval))
            result = PollResult(feed.location, outcome.status, done.new, done.events, done.skipped)
        except Exception as exc:  # noqa: BLE001 - the feed is retried later, the others go on
            error = exc if isinstance(exc, SitrepError) else could_not_process(feed.location, exc)
            failures = state.failures + 1
            delay = self.options.delay(failures)
            self.state.put(feed, replace(state, failures=failures, next_due=time.time() + delay))
            reason = error.reason if isinstance(error, InputError) else str(error)
            result = PollResult(feed.location, "error", error=reason, failures=failures, retry_in=delay)
        result = replace(result, seconds=seconds + time.monotonic() - started, at=dt.datetime.now(dt.timezone.utc))
        self._say(result.line())
        return result

    def _ingest(self, feed: Feed, data: bytes, seen: set[str], order: tuple[str, ...]) -> _Ingested:
        """Analyse and save the feed's unseen items; the seen ids to keep afterwards."""
        articles, errors = _read(data, feed.location)
        if errors and not articles:
            raise errors[0]  # no feed at all (garbage, an HTML page): the poll failed
        for error in errors:
            self._say(f"sitrep: {error}")
        fresh = list({a.id: a for a in articles if a.id not in seen}.values())
        saved: list[str] = []
        skipped = len(errors)

        def skip(article: Article, exc: Exception) -> None:
            nonlocal skipped
            skipped += 1
            self._say(f"sitrep: {exc}")

        def results() -> Iterator[Any]:
            for result in self.pipeline.process_many(fresh, on_error=skip):
                saved.append(result.article.id)  # counted only if save() returns: then all are stored
                yield result

        report = self.store.save(results())  # raises (StoreError) before anything is marked seen
        return _Ingested(len(saved), report.events, skipped,
                         _remember(order, [a.id for a in articles], seen | set(saved), self.options.seen_limit))

    def _say(self, line: str) -> None:
        self.log.write(line + "\n")
        self.log.flush()


def _read(data: bytes, origin: str) -> tuple[list[Article], list[InputError]]:
    """The feed's articles and its unreadable items; undated items are dated the day they were fetched."""
    articles, errors = [], []
    for item in sources.read_feed(data, origin, published=dt.datetime.now(dt.timezone.utc).date()):
        (errors if isinstance(item, InputError) else articles).append(item)
    return articles, errors


def _remember(order: tuple[str, ...], present: list[str], stored: set[str], limit: int) -> tuple[str, ...]:
    """Seen ids to keep, oldest first: those no longer in the feed, then the feed's stored ones,
    so ids still in the feed are the last forgotten."""
    here = set(present)
    kept = [i for i in order if i not in here] + [i for i in dict.fromkeys(present) if i in stored]
    return tuple(kept[-limit:])


@contextmanager
def stop_on_signals(watcher: Watcher) -> Iterator[None]:
    """SIGTERM and Ctrl-C (SIGINT) ask ``watcher`` to stop once the feed in hand is saved;
    a second one acts at once (Ctrl-C then interrupts, SIGTERM terminates)."""
    def handler(signum: int, frame: Any) -> None:
        watcher.request_stop()
        signal.signal(signum, signal.default_int_handler if signum == signal.SIGINT else signal.SIG_DFL)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
