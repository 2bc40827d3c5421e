"""SQLite, the default store: the file checks, the connection settings, FTS5, the write lock.

``open_connection(path, read_only, known_versions)`` refuses (untouched) a file that is not a
sitrep database, then gives a connection: WAL, foreign keys on, a 30 s busy timeout; read-only
connections work on read-only files and mounts too (``connect_read_only``).
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Iterable

from .errors import StoreError, UsageError
from .store_sql import Dialect, EvidenceIndex, evidence_text

DEFAULT_PATH = "sitrep.db"
APPLICATION = "sitrep"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000  # a concurrent writer holds the file for one short batch at a time
LOCK_WAIT_S = 600.0  # then retry, up to this long, before giving up on the lock


class EvidenceText(EvidenceIndex):
    """An FTS5 index of each event's evidence sentences.

    ``evidence_rows`` gives each event id a stable integer key (FTS5 rows are found by rowid;
    an events rowid may change on VACUUM). Where SQLite lacks FTS5 there is no index and
    ``condition`` falls back to LIKE over the stored evidence."""

    TABLE, ROWS = "evidence_text", "evidence_rows"

    @staticmethod
    def create(db: sqlite3.Connection) -> bool:
        try:
            db.execute("CREATE VIRTUAL TABLE evidence_text USING fts5(text, "
                       "tokenize = 'porter unicode61 remove_diacritics 2')")
        except sqlite3.OperationalError as exc:
            if "fts5" not in str(exc).lower():
                raise
            return False  # no FTS5 in this SQLite: searches use LIKE
        db.execute("CREATE TABLE evidence_rows (rid INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE)")
        return True

    @staticmethod
    def present(db: sqlite3.Connection) -> bool:
        return db.execute("SELECT 1 FROM sqlite_master WHERE name = 'evidence_rows'").fetchone() is not None

    @classmethod
    def add(cls, db: sqlite3.Connection, rows: Iterable[tuple[str, str]]) -> None:
        for event_id, evidence in rows:
            rid = db.execute("INSERT INTO evidence_rows (event_id) VALUES (?)", (event_id,)).lastrowid
            db.execute("INSERT INTO evidence_text (rowid, text) VALUES (?, ?)", (rid, evidence_text(evidence)))

    @classmethod
    def remove(cls, db: sqlite3.Connection, event_ids: list[str]) -> None:
        for event_id in event_ids:
            row = db.execute("SELECT rid FROM evidence_rows WHERE event_id = ?", (event_id,)).fetchone()
            if row:
                db.execute("DELETE FROM evidence_text WHERE rowid = ?", (row[0],))
                db.execute("DELETE FROM evidence_rows WHERE rid = ?", (row[0],))

    @classmethod
    def match(cls, column: str, words: list[str]) -> tuple[str, list]:
        match = " ".join(f'"{w}"' for w in words)
        return (f"{column} IN (SELECT er.event_id FROM evidence_rows er JOIN evidence_text et "
                f"ON et.rowid = er.rid WHERE evidence_text MATCH ?)", [match])


class SQLite(Dialect):
    name = "sqlite"
    evidence = EvidenceText
    errors = (sqlite3.Error,)
    integrity = sqlite3.IntegrityError
    write_hint = "check that the file is writable"

    def begin(self, conn: sqlite3.Connection, lock: int) -> None:
        """IMMEDIATE takes the file's write lock first (``lock`` is implied: SQLite has one), so a
        concurrent writer waits (busy_timeout) instead of failing when it turns from reading to writing."""
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)  # busy_timeout already waited; another writer holds the file for long

    def columns(self, conn: sqlite3.Connection, table: str) -> set[str]:
        return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


SQLITE = SQLite()


# -- opening -------------------------------------------------------------------

def open_connection(name: str, read_only: bool, known_versions: int) -> sqlite3.Connection:
    """A connection to the SQLite database ``name`` (``:memory:`` for a throwaway one), its file
    checked first; rows are ``sqlite3.Row``. Writable connections are not yet migrated."""
    if name != ":memory:":
        _check_existing(Path(name), read_only, known_versions)
    if read_only and name != ":memory:":
        try:
            conn = connect_read_only(Path(name))
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {name} for reading: {exc}; check its permissions") from exc
        conn.row_factory = sqlite3.Row
        return conn
    try:
        conn = sqlite3.connect(name, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {name}: {exc}; check the path and permissions") from exc
    try:
        conn.row_factory = sqlite3.Row
        # first: a second sitrep opening the file waits its turn, even to switch it to WAL
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")  # with WAL the file stays consistent after a crash; a power cut may lose the last batch
        conn.execute("PRAGMA cache_size=-65536")  # 64 MB of pages: merging reads recent events
        # A batch saved into a large database dirties thousands of index pages all over the
        # file; at SQLite's default of 1,000 WAL pages every batch was checkpointed (and
        # synced) on its own, copying again pages the next batch rewrites. 10,000 pages
        # (40 MB) of WAL let several batches share one checkpoint; closing runs the last.
        conn.execute("PRAGMA wal_autocheckpoint=10000")
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(f"cannot open {name} for writing: {exc}; check that the file and its folder are "
                         f"writable (read commands such as `sitrep events` can read it as it is)") from exc
    return conn


def _not_sitrep(path: Path, why: str) -> StoreError:
    return StoreError(f"{path} is not a sitrep database ({why}). It was left untouched; "
                      f"pass a new file name with --db, or move that file away.")


def _not_yet(path: Path, why: str) -> UsageError:
    return UsageError(f"{path} {why}: run `sitrep ingest PATH --db {path}` first")


def _check_existing(path: Path, read_only: bool, known_versions: int) -> None:
    """Refuse, without writing to it, a file that is not (yet) a sitrep database."""
    if path.is_dir():
        raise StoreError(f"{path} is a directory; pass a file such as {path / DEFAULT_PATH}")
    if path.exists() and not path.is_file():
        raise StoreError(f"{path} is not a regular file (a device, FIFO or socket); "
                         f"pass a database file name such as {DEFAULT_PATH}")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        if read_only:
            raise _not_yet(path, "does not exist") from None
        return
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}; check its permissions") from exc
    if not head:
        if read_only:
            raise _not_yet(path, "is empty")
        return  # an empty file is a new database
    if head != SQLITE_MAGIC:
        raise _not_sitrep(path, "it is not a SQLite file")
    try:
        con = connect_read_only(path)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
            if not tables:
                if read_only:
                    raise _not_yet(path, "holds no tables yet")
                return
            if not {"meta", "_migrations"} <= tables:
                shown = ", ".join(sorted(tables)[:5])
                raise _not_sitrep(path, f"a SQLite database with other tables: {shown}")
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} cannot be read as SQLite ({exc}); it may be corrupt. "
                         f"Restore a backup or pass another --db file.") from exc
    if meta.get("application") != APPLICATION:
        raise _not_sitrep(path, "its meta table does not name sitrep")
    version = int(meta.get("schema_version") or 0)
    if version > known_versions:
        raise StoreError(f"{path} has schema version {version} but this sitrep knows only "
                         f"{known_versions}; upgrade sitrep to use it.")


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write, also to a WAL database on a read-only mount or file.

    SQLite reads a WAL database through its ``-shm`` index, which it must be able to create.
    Where it cannot (read-only folder or mount) and no ``-wal`` file holds changes, the file
    is opened ``immutable`` (no locks, no side files). Changes left in a ``-wal`` file there
    cannot be read safely: that is a StoreError saying what to do."""
    uri = path.resolve().as_uri()
    con = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    try:
        con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # WAL: opens the -shm here
        return con
    except sqlite3.OperationalError:
        con.close()
        if _writable(path):
            raise
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size:
        raise StoreError(f"{path} is read-only here and its last changes are still in {wal.name}, which "
                         f"SQLite can only read where it may write; copy {path.name} with its -wal and -shm "
                         f"files to a writable folder and read it there")
    return sqlite3.connect(f"{uri}?immutable=1", uri=True)
