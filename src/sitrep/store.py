"""The event database: articles and everything extracted from them, in SQLite or PostgreSQL.

    with Store.open("sitrep.db") as store:    # or Store.open("postgresql://user@host/db")
        report = store.save(results)          # upsert, never a duplicate
        rows = store.events(since="2024-03-01", country="ua")

Methods take and return plain values (dicts, ``ArticleResult``); the SQL is
portable (no engine-only functions, JSON kept as TEXT, types spelled the SQLite
way) and runs on both engines; what differs (transactions and their locks,
column listing, full-text search) sits behind a dialect (``store_sql``:
``store_sqlite``, ``store_pg``). Migrations are functions recorded in
``_migrations`` (sqlite-utils style), the same for both engines but where a
migration says otherwise; ``meta`` holds ``application=sitrep`` and
``schema_version``. Merged events: ``canonical_events`` and
``events.canonical_id`` (see merge.py).

Contract: ``Event.id`` is unique across articles (derive it from the article
id). Country codes are stored upper-case; ``Place.population`` is not stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import store_pg, store_sqlite
from .errors import StoreError, UsageError
from .merge import CANONICAL_COLUMNS, Merger, fingerprint
from .model import Article, ArticleResult, Event, Place, PlaceMention, Span, Statistic
from .store_sql import MIGRATE_LOCK, WRITE_LOCK, Dialect, dialect_of
from .store_sqlite import APPLICATION, DEFAULT_PATH

# importable from here as before the engines had modules of their own
EvidenceText = store_sqlite.EvidenceText
connect_read_only = store_sqlite.connect_read_only

TERRITORY_SUB_EVENTS = ("Non-state actor overtakes territory", "Government regains territory",
                        "Non-violent transfer of territory")

ARTICLE_COLUMNS = ("id", "title", "url", "published", "source", "language", "text",
                   "origin", "ingested_at", "content_hash", "extraction_hash", "truncated",
                   "title_offset", "feed")
EVENT_COLUMNS = ("id", "article_id", "seq", "event_type", "sub_event_type", "plover",
                 "actor1", "actor2", "place_name", "geonameid", "latitude", "longitude",
                 "country_code", "admin1", "admin2", "feature_code", "geo_precision",
                 "date", "time_precision", "fatalities", "counts", "status", "claim",
                 "claimed_by", "evidence", "confidence", "notes")
MENTION_COLUMNS = ("article_id", "seq", "start", "end", "text", "name", "geonameid",
                   "lat", "lon", "country_code", "admin1", "admin2", "feature_code", "score")
STATISTIC_COLUMNS = ("article_id", "seq", "what", "value", "qualifier", "period",
                     "places", "attributed_to", "evidence")
#: Keys of the dicts returned by ``Store.events`` (``seq`` is internal).
ROW_KEYS = tuple(c for c in EVENT_COLUMNS if c != "seq") + ("title", "url", "source", "published")
_JSON_EVENT_COLUMNS = ("counts", "evidence")
#: The merged events' columns as read (PostgreSQL's table also has a ``rowid``, see m002).
_CANONICAL = ", ".join(f'c."{c}"' for c in CANONICAL_COLUMNS)
#: An ascending order with NULLs first, as SQLite sorts them (PostgreSQL puts them last).
NULLS_FIRST = "CASE WHEN {0} IS NULL THEN 0 ELSE 1 END, {0}"
_EVIDENCE = EVENT_COLUMNS.index("evidence")


# -- migrations ---------------------------------------------------------------
# Each gets the store's connection (sqlite3, or store_pg.PgConnection: ``dialect_of(db)``).

Migration = Callable[[Any], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register a schema migration; they run once each, in definition order."""
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_initial(db) -> None:
    for sql in (
        """CREATE TABLE articles (
            id TEXT PRIMARY KEY, title TEXT, url TEXT, published TEXT, source TEXT,
            language TEXT, text TEXT NOT NULL, origin TEXT, ingested_at TEXT NOT NULL,
            content_hash TEXT NOT NULL, extraction_hash TEXT NOT NULL)""",
        """CREATE TABLE events (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL, event_type TEXT, sub_event_type TEXT, plover TEXT,
            actor1 TEXT, actor2 TEXT, place_name TEXT, geonameid INTEGER,
            latitude REAL, longitude REAL, country_code TEXT, admin1 TEXT, admin2 TEXT,
            feature_code TEXT, geo_precision INTEGER, date TEXT, time_precision INTEGER,
            fatalities INTEGER, counts TEXT NOT NULL, status TEXT NOT NULL,
            claim TEXT NOT NULL, claimed_by TEXT, evidence TEXT NOT NULL,
            confidence REAL NOT NULL, notes TEXT NOT NULL)""",
        """CREATE TABLE place_mentions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL, "start" INTEGER NOT NULL, "end" INTEGER NOT NULL,
            text TEXT NOT NULL, geonameid INTEGER, name TEXT, lat REAL, lon REAL,
            country_code TEXT, admin1 TEXT, admin2 TEXT, feature_code TEXT,
            score REAL NOT NULL, PRIMARY KEY (article_id, seq))""",
        """CREATE TABLE statistics (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL, what TEXT NOT NULL, value INTEGER NOT NULL,
            qualifier TEXT NOT NULL, period TEXT, places TEXT NOT NULL,
            attributed_to TEXT, evidence TEXT NOT NULL, PRIMARY KEY (article_id, seq))""",
    ):
        db.execute(sql)
    for table, cols in (("articles", "content_hash"), ("articles", "published"),
                        ("events", "date"), ("events", "country_code, date"),
                        ("events", "event_type"), ("events", "sub_event_type"),
                        ("events", "geonameid"), ("events", "article_id, seq"),
                        ("place_mentions", "geonameid")):
        name = f"idx_{table}_{cols.split(',')[0]}"
        db.execute(f"CREATE INDEX {name} ON {table} ({cols})")


@migration
def m002_canonical_events(db) -> None:
    """Reports of one real-world event, merged across articles (see merge.py)."""
    db.execute("""CREATE TABLE canonical_events (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, event_type TEXT, sub_event_type TEXT, plover TEXT,
        actor1 TEXT, actor2 TEXT, place_name TEXT, geonameid INTEGER, latitude REAL, longitude REAL,
        country_code TEXT, admin1 TEXT, admin2 TEXT, feature_code TEXT, geo_precision INTEGER,
        date TEXT, time_precision INTEGER, fatalities INTEGER, fatalities_max INTEGER,
        counts TEXT NOT NULL, status TEXT NOT NULL, claim TEXT NOT NULL, claimed_by TEXT,
        n_reports INTEGER NOT NULL, n_sources INTEGER NOT NULL, sources TEXT NOT NULL,
        notes TEXT NOT NULL)""")
    db.execute("ALTER TABLE events ADD COLUMN canonical_id TEXT")
    db.execute("ALTER TABLE articles ADD COLUMN fingerprint TEXT")
    db.execute("CREATE INDEX idx_canonical_kind_date ON canonical_events (kind, date)")
    db.execute("CREATE INDEX idx_canonical_geonameid ON canonical_events (geonameid)")
    db.execute("CREATE INDEX idx_events_canonical ON events (canonical_id)")
    if dialect_of(db).name == "postgresql":
        # no implicit rowid there: merging breaks ties by creation order (merge._ORDER), so name one
        db.execute("ALTER TABLE canonical_events ADD COLUMN rowid BIGINT GENERATED BY DEFAULT AS IDENTITY")


@migration
def m003_merge_indexes(db) -> None:
    """Indexes that let merging seek its candidates (see ``Merger._candidates``).

    On (kind, date) merging read every canonical event of the kind in its date
    window, a number that grows with the database. The index on articles'
    content hash goes: no query looks an article up by it (the hash is only
    compared once the article is found by id), and with random keys it cost
    every save writes all over its pages. So do the indexes on events' types and
    places' ids: the type filter compares lower-cased values (no index serves it)
    and nothing looks events or mentions up by geonameid.
    """
    for name in ("idx_canonical_kind_date", "idx_canonical_geonameid", "idx_articles_content_hash",
                 "idx_events_event_type", "idx_events_sub_event_type", "idx_events_geonameid",
                 "idx_place_mentions_geonameid"):
        db.execute(f"DROP INDEX {name}")
    db.execute("CREATE INDEX idx_canonical_kind_date_latitude ON canonical_events (kind, date, latitude)")
    db.execute("CREATE INDEX idx_canonical_geonameid_date ON canonical_events (geonameid, date)")
    db.execute("CREATE INDEX idx_canonical_coarse ON canonical_events (kind, country_code, date) "
               "WHERE geo_precision = 3")


@migration
def m004_truncated(db) -> None:
    """Whether only the start of an article's text was analysed (``Options.max_chars``)."""
    db.execute("ALTER TABLE articles ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0")


@migration
def m005_evidence_text(db) -> None:
    """Full-text search over events' evidence (SQLite FTS5, PostgreSQL tsvector: the dialect's
    ``evidence``), filled from the stored rows."""
    index = dialect_of(db).evidence
    index.create(db)
    index.backfill(db)


@migration
def m006_query_indexes(db) -> None:
    """What the query layer filters merged events by: the best report's confidence kept on the merged
    event (filled from its reports), and indexes on the date with the type or the country in front."""
    db.execute("ALTER TABLE canonical_events ADD COLUMN confidence REAL")
    db.execute("UPDATE canonical_events SET confidence = (SELECT MAX(e.confidence) FROM events e "
               "WHERE e.canonical_id = canonical_events.id)")
    # each covers the filters every query has (confidence, toll, political or not) and the order's id,
    # so a count or a page is read from the index alone
    covered = "date, confidence, fatalities, sub_event_type, id"
    for name, lead in (("type_date", "event_type, "), ("sub_type_date", "sub_event_type, "),
                       ("country_date", "country_code, ")):
        db.execute(f"CREATE INDEX idx_canonical_{name} ON canonical_events ({lead}{covered})")


@migration
def m007_titles_and_feeds(db) -> None:
    """Where the title sits in an article's text (it is read as the first paragraph), and the
    feed an item came from (``source`` is the outlet)."""
    db.execute("ALTER TABLE articles ADD COLUMN title_offset INTEGER")
    db.execute("ALTER TABLE articles ADD COLUMN feed TEXT")


# -- values in and out ---------------------------------------------------------

Day = str | dt.date | None


@dataclass(frozen=True)
class SaveReport:
    """What ``Store.save`` did: articles by outcome, and event rows written."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0

    @property
    def articles(self) -> int:
        return self.inserted + self.updated + self.unchanged

    def __add__(self, o: SaveReport) -> SaveReport:
        return SaveReport(self.inserted + o.inserted, self.updated + o.updated,
                          self.unchanged + o.unchanged, self.events + o.events)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _spans(spans: Iterable[Span]) -> str:
    return _json([s.to_dict() for s in spans])


def _unspans(text: str) -> tuple[Span, ...]:
    return tuple(Span(d["start"], d["end"], d["text"]) for d in json.loads(text))


def _day(value: Day, name: str) -> str | None:
    if value is None or isinstance(value, dt.date):
        d = value.date() if isinstance(value, dt.datetime) else value
        return d.isoformat() if d else None
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise UsageError(f"{name}: {value!r} is not a date; use YYYY-MM-DD") from None


def _between(column: str, since: Day, until: Day) -> tuple[list[str], list[str]]:
    """SQL conditions (and their parameters) for ``since <= column <= until``."""
    where, params = [], []
    for op, value, name in ((">=", since, "since"), ("<=", until, "until")):
        if value is not None:
            where.append(f"{column} {op} ?")
            params.append(_day(value, name))
    return where, params


def _place_values(p: Place | None) -> tuple:
    """name, geonameid, latitude, longitude, country_code, admin1, admin2, feature_code."""
    if p is None:
        return (None,) * 8
    cc = p.country_code.upper() if p.country_code else p.country_code
    return p.name, p.geonameid, p.latitude, p.longitude, cc, p.admin1, p.admin2, p.feature_code


def _place(values: Iterable[Any]) -> Place | None:
    v = tuple(values)
    return None if v[0] is None else Place(*v)  # Place's first eight fields, in order


def _rows(result: ArticleResult) -> tuple[tuple, list[tuple], list[tuple], list[tuple]]:
    """The article row (up to origin) and its child rows, as stored."""
    a = result.article
    aid = a.id
    article = (aid, a.title, a.url, a.published.isoformat() if a.published else None,
               a.source, a.language, a.text, a.origin)
    events = [(e.id, aid, i, e.event_type, e.sub_event_type, e.plover, e.actor1, e.actor2,
               *_place_values(e.place), e.precision, e.date, e.date_precision, e.fatalities,
               _json(dict(e.counts)), e.status, e.claim, e.claimed_by, _spans(e.evidence),
               e.confidence, e.notes) for i, e in enumerate(result.events + result.political)]
    mentions = [(aid, i, m.start, m.end, m.text, *_place_values(m.place), m.score)
                for i, m in enumerate(result.places)]
    stats = [(aid, i, s.what, s.value, s.qualifier, s.period, _json(list(s.places)),
              s.attributed_to, _spans(s.evidence)) for i, s in enumerate(result.statistics)]
    return article, events, mentions, stats


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"


def _event_from_row(r: dict[str, Any]) -> Event:
    place = _place(r[c] for c in EVENT_COLUMNS[8:16])
    return Event(
        id=r["id"], event_type=r["event_type"], sub_event_type=r["sub_event_type"],
        plover=r["plover"], actor1=r["actor1"], actor2=r["actor2"], place=place,
        precision=r["geo_precision"], date=r["date"], date_precision=r["time_precision"],
        fatalities=r["fatalities"], counts=json.loads(r["counts"]), status=r["status"],
        claim=r["claim"], claimed_by=r["claimed_by"], evidence=_unspans(r["evidence"]),
        confidence=r["confidence"], notes=r["notes"])


def _mention_from_row(r: dict[str, Any]) -> PlaceMention:
    return PlaceMention(start=r["start"], end=r["end"], text=r["text"],
                        place=_place(r[c] for c in MENTION_COLUMNS[5:13]), score=r["score"])


def _statistic_from_row(r: dict[str, Any]) -> Statistic:
    return Statistic(what=r["what"], value=r["value"], qualifier=r["qualifier"],
                     period=r["period"], places=tuple(json.loads(r["places"])),
                     attributed_to=r["attributed_to"], evidence=_unspans(r["evidence"]))


#: Events below this confidence are left out of queries, summaries, reports and control unless asked for.
MIN_CONFIDENCE = 0.5


def _where(since: Day = None, until: Day = None, country: str | None = None,
           event_type: str | None = None, sub_types: Iterable[str] = (),
           min_confidence: float | None = None, political: bool = False) -> tuple[str, list]:
    """A WHERE clause over events ``e``, and its parameters.

    PLOVER-only political acts (no ACLED sub-type) are left out unless ``political``."""
    where, params = _between("e.date", since, until)
    conds: list[tuple[str, list]] = [(w, [p]) for w, p in zip(where, params)]
    if min_confidence:
        conds.append(("e.confidence >= ?", [float(min_confidence)]))
    if not political:
        conds.append(("e.sub_event_type IS NOT NULL", []))
    if country:
        conds.append(("e.country_code = ?", [country.strip().upper()]))
    if event_type:
        conds.append(("(LOWER(e.event_type) = ? OR LOWER(e.sub_event_type) = ? OR "
                      "LOWER(e.plover) = ?)", [event_type.strip().lower()] * 3))
    if subs := list(sub_types):
        conds.append((f"e.sub_event_type IN ({', '.join('?' * len(subs))})", subs))
    sql = " AND ".join(c for c, _ in conds)
    return (f" WHERE {sql}" if sql else ""), [p for _, ps in conds for p in ps]


# -- opening -------------------------------------------------------------------

def _check_current(conn: Any, name: str, errors: tuple[type[BaseException], ...]) -> None:
    """A database opened read-only must already have this version's schema: reading cannot migrate it."""
    try:
        applied = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
    except errors:
        return  # no migration table: the engine's check of what is there has judged it
    pending = [fn.__name__ for fn in MIGRATIONS if fn.__name__ not in applied]
    if pending:
        conn.close()
        raise UsageError(f"{name} was written by an earlier sitrep and lacks {', '.join(pending)}; read commands "
                         f"never write, so run `sitrep upgrade --db {name}` once (it adds what this version reads "
                         f"and loses nothing)")


def is_url(db: str | Path) -> bool:
    """Whether ``--db`` names a PostgreSQL database (postgresql://...) rather than a SQLite file."""
    return store_pg.is_url(str(db))


def display_name(db: str | Path) -> str:
    """How a ``--db`` value is shown in messages: a PostgreSQL URL without its password."""
    return store_pg.display_name(str(db)) if is_url(db) else str(db)


def local_name(db: str | Path) -> str:
    """A file name standing for the database, for files kept beside it (``sitrep watch``'s state):
    the path itself, or for a PostgreSQL URL ``postgresql-HOST-PORT-DBNAME`` in this folder."""
    return store_pg.local_name(str(db)) if is_url(db) else str(db)


def database_exists(db: str | Path) -> bool:
    """Whether there is a sitrep database at ``db`` (a file, or a PostgreSQL database with its schema)."""
    return store_pg.exists(str(db)) if is_url(db) else Path(db).exists()


class Store:
    """Articles, events, place mentions and statistics in one SQLite file or PostgreSQL database."""

    def __init__(self, conn: Any, path: str, dialect: Dialect | None = None):
        self.conn = conn  # sqlite3.Connection, or store_pg.PgConnection
        self.path = path  # as shown in messages (a URL without its password)
        self.dialect = dialect or dialect_of(conn)
        self._columns: tuple[str, ...] | None = None
        self._evidence_indexed: bool | None = None

    @classmethod
    def open(cls, path: str | Path = DEFAULT_PATH, *, read_only: bool = False) -> Store:
        """Open (creating and migrating if needed) the database at ``path``: a SQLite file, or a
        PostgreSQL database named by a ``postgresql://`` URL.

        ``":memory:"`` gives a throwaway database. Raises StoreError for a
        file or database that is not a sitrep database, leaving it untouched, and
        for a server that cannot be reached. ``read_only`` never writes: it must
        already be a sitrep database (UsageError otherwise), read-only files and
        mounts are fine, nothing is migrated.
        """
        name = str(path)
        if is_url(name):
            conn = store_pg.connect(name, read_only)
            try:
                store_pg.check_existing(conn, read_only, len(MIGRATIONS))
            except BaseException:
                conn.close()
                raise
            name = conn.name
        else:
            conn = store_sqlite.open_connection(name, read_only, len(MIGRATIONS))
        store = cls(conn, name)
        try:
            if read_only:
                _check_current(conn, name, store.dialect.errors)
            else:
                store.migrate()
        except BaseException:
            conn.close()
            raise
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, lock: int = WRITE_LOCK) -> Iterator[Any]:
        """A write transaction, begun once this database's writers' lock is held (the dialect's
        ``begin``), so a concurrent writer waits its turn instead of failing."""
        self.dialect.begin(self.conn, lock)
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _article_columns(self) -> tuple[str, ...]:
        """ARTICLE_COLUMNS that the database has (all, once migrated)."""
        if self._columns is None:
            have = self.dialect.columns(self.conn, "articles")
            self._columns = tuple(c for c in ARTICLE_COLUMNS if c in have)
        return self._columns

    def _indexed(self) -> bool:
        """Whether the database has the evidence full-text index (the dialect's ``evidence``)."""
        if self._evidence_indexed is None:
            self._evidence_indexed = self.dialect.evidence.present(self.conn)
        return self._evidence_indexed

    def text_condition(self, column: str, text: str) -> tuple[str, list]:
        """SQL (and parameters) true for event ids in ``column`` whose evidence has every word of ``text``."""
        return self.dialect.evidence.condition(self.conn, column, text)

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        try:
            cur = self.conn.execute(sql, tuple(params))
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r)) for r in cur.fetchall()]
        except self.dialect.errors as exc:
            raise StoreError(f"query failed on {self.path}: {exc}") from exc

    # -- schema --

    def schema_version(self) -> int:
        return int(self._query("SELECT value FROM meta WHERE key = 'schema_version'")[0]["value"])

    def migrate(self) -> list[str]:
        """Apply pending migrations, each in its own transaction; return their names."""
        done: list[str] = []
        try:
            with self._transaction(MIGRATE_LOCK) as db:
                db.execute("CREATE TABLE IF NOT EXISTS _migrations "
                           "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
                db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                if not db.execute("SELECT 1 FROM meta WHERE key = 'application'").fetchone():
                    db.executemany("INSERT INTO meta (key, value) VALUES (?, ?)",
                                   [("application", APPLICATION), ("schema_version", "0")])
            applied = {r[0] for r in self.conn.execute("SELECT name FROM _migrations")}
            for version, fn in enumerate(MIGRATIONS, start=1):
                if fn.__name__ in applied:
                    continue
                with self._transaction(MIGRATE_LOCK) as db:
                    if db.execute("SELECT 1 FROM _migrations WHERE name = ?", (fn.__name__,)).fetchone():
                        continue  # another sitrep opening the database at the same time applied it
                    fn(db)
                    db.execute("INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                               (fn.__name__, _now()))
                    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                               (str(version),))
                done.append(fn.__name__)
        except self.dialect.errors as exc:
            raise StoreError(f"cannot set up the database in {self.path}: {exc}; "
                             f"{self.dialect.write_hint}") from exc
        return done

    # -- writing --

    def save(self, results: Iterable[ArticleResult], *, batch_size: int = 20,
             max_wait: float = 2.0) -> SaveReport:
        """Store results, replacing what an earlier save stored for the same article ids.

        Results are gathered outside any transaction (so the NLP producing them never
        holds the database), then written in one short transaction per batch: at most
        ``batch_size`` articles, or what came in ``max_wait`` seconds. A concurrent
        writer waits for its turn. If the input or the write fails (or Ctrl-C), earlier
        batches stay and the batch in progress is not stored; the exception gets a note
        saying so.
        """
        if batch_size < 1:
            raise UsageError(f"batch_size must be at least 1, not {batch_size}")
        total = SaveReport()
        it = iter(results)
        try:
            while batch := _gather(it, batch_size, max_wait):
                with self._transaction():
                    written = SaveReport()
                    for result in batch:
                        written = written + self._save_one(result)
                total = total + written
            return total
        except self.dialect.errors as exc:
            raise StoreError(f"cannot write to {self.path}: {exc}; the batch being written "
                             f"was rolled back, {total.articles} articles before it were kept") from exc
        except BaseException as exc:
            exc.add_note(f"sitrep: {total.articles} articles were saved before this; "
                         f"the batch in progress was rolled back (none of it stored)")
            raise

    def _save_one(self, result: ArticleResult) -> SaveReport:
        article, events, mentions, stats = _rows(result)
        aid = article[0]
        content_hash = hashlib.sha256(result.article.text.encode("utf-8")).hexdigest()
        # origin is not content; the flag joins only when set, so hashes stored before it stay valid
        a = result.article
        extra = [a.title_offset, a.feed] if (a.title_offset, a.feed) != (None, None) else []
        basis = _json([article[:6], events, mentions, stats] + [True] * result.truncated + extra)
        extraction_hash = hashlib.sha256(basis.encode("utf-8")).hexdigest()
        db = self.conn
        old = db.execute("SELECT content_hash, extraction_hash FROM articles WHERE id = ?",
                         (aid,)).fetchone()
        if old is not None and tuple(old) == (content_hash, extraction_hash):
            return SaveReport(unchanged=1)
        row = article + (_now(), content_hash, extraction_hash, int(result.truncated), a.title_offset, a.feed)
        columns = self._article_columns()
        merger = Merger(db)
        stale: set[str] = set()
        indexed = self._indexed()
        if old is None:
            db.execute(_insert_sql("articles", columns), row[:len(columns)])
        else:
            stale = merger.unlink_article(aid)
            if indexed:
                self.dialect.evidence.remove(db, [r[0] for r in db.execute(
                    "SELECT id FROM events WHERE article_id = ?", (aid,))])
            sets = ", ".join(f'"{c}" = ?' for c in columns[1:])
            db.execute(f"UPDATE articles SET {sets} WHERE id = ?", row[1:len(columns)] + (aid,))
            for table in ("events", "place_mentions", "statistics"):
                db.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
        try:
            db.executemany(_insert_sql("events", EVENT_COLUMNS), events)
        except self.dialect.integrity as exc:
            raise StoreError(f"article {aid}: an event id is already stored for another "
                             f"article or repeated ({exc}); event ids must be unique "
                             f"across articles (derive them from the article id)") from exc
        if indexed:
            self.dialect.evidence.add(db, [(e[0], e[_EVIDENCE]) for e in events])
        db.executemany(_insert_sql("place_mentions", MENTION_COLUMNS), mentions)
        db.executemany(_insert_sql("statistics", STATISTIC_COLUMNS), stats)
        db.execute("UPDATE articles SET fingerprint = ? WHERE id = ?", (fingerprint(result.article.text), aid))
        touched = merger.link_article(aid)
        for cid in stale - touched:
            merger.recompute(cid)
        if old is None:
            return SaveReport(inserted=1, events=len(events))
        return SaveReport(updated=1, events=len(events))

    # -- reading --

    def _event_rows(self, *, since: Day = None, until: Day = None, country: str | None = None,
                    event_type: str | None = None, sub_types: Iterable[str] = (),
                    order: str = "ASC", limit: int | None = None, min_confidence: float | None = None,
                    political: bool = False) -> list[dict[str, Any]]:
        where, params = _where(since, until, country, event_type, sub_types, min_confidence, political)
        cols = ", ".join(f'e."{c}"' for c in EVENT_COLUMNS if c != "seq")
        sql = (f"SELECT {cols}, a.title, a.url, a.source, a.published "
               f"FROM events e JOIN articles a ON a.id = e.article_id{where}")
        # Undated events last, in SQLite and PostgreSQL alike.
        sql += f" ORDER BY CASE WHEN e.date IS NULL THEN 1 ELSE 0 END, e.date {order}"
        sql += (", a.ingested_at DESC, e.id" if order == "DESC" else ", e.article_id, e.id")
        if limit is not None:
            if int(limit) < 0:
                raise UsageError(f"limit must be 0 or more, not {limit}")
            sql += " LIMIT ?"
            params.append(int(limit))
        rows = self._query(sql, params)
        for r in rows:
            for c in _JSON_EVENT_COLUMNS:
                r[c] = json.loads(r[c])
        return rows

    def events(self, *, since: Day = None, until: Day = None, country: str | None = None,
               event_type: str | None = None, limit: int | None = None,
               min_confidence: float | None = MIN_CONFIDENCE, political: bool = False) -> list[dict[str, Any]]:
        """Event rows (all event columns plus article title/url/source/published).

        ``since``/``until`` bound the event date, inclusive; ``country`` is an
        ISO2 code; ``event_type`` matches the ACLED type, sub-type or PLOVER
        category. Matching is case-insensitive. Ordered by date (undated
        last), article id, event id. ``counts`` and ``evidence`` come decoded.
        Events below ``min_confidence`` and PLOVER-only political acts (unless
        ``political``) are left out.
        """
        return self._event_rows(since=since, until=until, country=country, event_type=event_type, limit=limit,
                                min_confidence=min_confidence, political=political)

    def latest(self, n: int = 10, min_confidence: float | None = MIN_CONFIDENCE) -> list[dict[str, Any]]:
        """The ``n`` most recent events by event date, with their sources."""
        return self._event_rows(order="DESC", limit=n, min_confidence=min_confidence)

    def territory_changes(self, since: Day = None, until: Day = None,
                          country: str | None = None) -> list[dict[str, Any]]:
        """Events that move territory from one side to another, oldest first."""
        return self._event_rows(since=since, until=until, country=country,
                                sub_types=TERRITORY_SUB_EVENTS)

    def counts_by_type(self, since: Day = None, until: Day = None,
                       country: str | None = None) -> list[dict[str, Any]]:
        """Per (event_type, sub_event_type): ``events`` and summed known ``fatalities``.

        Most frequent first. Unknown fatalities count as 0 in the sum.
        """
        where, params = _where(since, until, country)
        rows = self._query(
            "SELECT e.event_type, e.sub_event_type, COUNT(*) AS events, "
            "SUM(COALESCE(e.fatalities, 0)) AS fatalities FROM events e"
            f"{where} GROUP BY e.event_type, e.sub_event_type", params)
        return sorted(rows, key=lambda t: (-t["events"], t["event_type"] or "",
                                           t["sub_event_type"] or ""))

    def canonical_events(self, *, since: Day = None, until: Day = None, country: str | None = None,
                         kind: str | None = None, min_confidence: float | None = MIN_CONFIDENCE,
                         political: bool = False) -> list[dict[str, Any]]:
        """Merged events, each with the ids of its reports (``reports``) and source articles.

        A merged event is kept when one of its reports reaches ``min_confidence``. Without a
        ``kind``, PLOVER-only political acts are left out unless ``political``."""
        where, params = _between("c.date", since, until)
        if min_confidence:
            where.append("EXISTS (SELECT 1 FROM events e WHERE e.canonical_id = c.id AND e.confidence >= ?)")
            params.append(float(min_confidence))
        if kind is None and not political:
            where.append("c.sub_event_type IS NOT NULL")
        if country:
            where.append("UPPER(c.country_code) = ?")
            params.append(country.upper())
        if kind:
            where.append("c.kind = ?")
            params.append(kind)
        sql = f"SELECT {_CANONICAL} FROM canonical_events c" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY CASE WHEN c.date IS NULL THEN 1 ELSE 0 END, c.date, c.id"
        rows = self._query(sql, params)
        for r in rows:
            r["counts"] = json.loads(r["counts"])
            r["sources"] = json.loads(r["sources"])
        return rows

    def canonical_event(self, event_id: str) -> dict[str, Any] | None:
        """The merged event ``event_id``, or the one the report ``event_id`` is merged into; None if neither."""
        rows = self._query(f"SELECT {_CANONICAL} FROM canonical_events c WHERE c.id = ?", (event_id,))
        if not rows:
            rows = self._query(f"SELECT {_CANONICAL} FROM canonical_events c JOIN events e ON e.canonical_id = c.id "
                               "WHERE e.id = ?", (event_id,))
        return rows[0] if rows else None

    def canonical_reports(self, canonical_id: str) -> list[dict[str, Any]]:
        """The stored reports merged into one canonical event, with their articles."""
        rows = self._query(
            "SELECT e.*, a.title, a.url, a.source, a.published FROM events e JOIN articles a "
            f"ON a.id = e.article_id WHERE e.canonical_id = ? ORDER BY {NULLS_FIRST.format('a.published')}, e.id",
            (canonical_id,))
        for r in rows:
            for c in _JSON_EVENT_COLUMNS:
                r[c] = json.loads(r[c])
        return rows

    def statistics_rows(self, *, since: Day = None, until: Day = None) -> list[dict[str, Any]]:
        """Aggregate figures quoted by articles published in the period, with their articles."""
        where, params = _between("a.published", since, until)
        sql = ("SELECT s.*, a.title, a.url, a.source, a.published FROM statistics s JOIN articles a "
               "ON a.id = s.article_id" + (" WHERE " + " AND ".join(where) if where else "") +
               f" ORDER BY {NULLS_FIRST.format('a.published')}, s.article_id, s.seq")
        rows = self._query(sql, params)
        for r in rows:
            r["places"] = json.loads(r["places"])
            r["evidence"] = json.loads(r["evidence"])
        return rows

    def merge_counts(self) -> dict[str, int]:
        """How many canonical events came from how many reports."""
        n_can = self._query("SELECT COUNT(*) AS n FROM canonical_events")[0]["n"]
        n_rep = self._query("SELECT COUNT(*) AS n FROM events WHERE canonical_id IS NOT NULL")[0]["n"]
        multi = self._query("SELECT COUNT(*) AS n FROM canonical_events WHERE n_reports > 1")[0]["n"]
        return {"canonical_events": n_can, "reports": n_rep, "merged_from_several": multi}

    def article_count(self) -> int:
        return self._query("SELECT COUNT(*) AS n FROM articles")[0]["n"]

    def get_article(self, article_id: str) -> ArticleResult | None:
        """The stored article with its events, place mentions and statistics, or None."""
        rows = self._query("SELECT * FROM articles WHERE id = ?", (article_id,))
        if not rows:
            return None
        a = rows[0]
        article = Article(
            text=a["text"], id=a["id"], title=a["title"], url=a["url"],
            published=dt.date.fromisoformat(a["published"]) if a["published"] else None,
            source=a["source"], language=a["language"], origin=a["origin"] or "",
            title_offset=a.get("title_offset"), feed=a.get("feed"))

        def children(table: str, make: Callable[[dict], Any]) -> tuple:
            sql = f"SELECT * FROM {table} WHERE article_id = ? ORDER BY seq"
            return tuple(make(r) for r in self._query(sql, (article_id,)))

        events = children("events", _event_from_row)
        return ArticleResult(article, tuple(e for e in events if e.sub_event_type),
                             children("place_mentions", _mention_from_row),
                             children("statistics", _statistic_from_row), truncated=bool(a.get("truncated")),
                             political=tuple(e for e in events if not e.sub_event_type))


def _gather(it: Iterator[ArticleResult], size: int, max_wait: float) -> list[ArticleResult]:
    """Up to ``size`` results from ``it``, fewer when ``max_wait`` seconds pass first."""
    batch: list[ArticleResult] = []
    deadline = time.monotonic() + max_wait
    for result in it:
        batch.append(result)
        if len(batch) >= size or time.monotonic() >= deadline:
            break
    return batch


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
