"""What the store asks of a database engine: the seam between ``store.py`` and SQLite or PostgreSQL.

The store writes one SQL for both engines (``?`` placeholders, types spelled the SQLite way, JSON
kept as TEXT, no engine-only functions); the few things that differ sit behind a ``Dialect``:

- ``begin(conn, lock)``: start a write transaction. SQLite's ``BEGIN IMMEDIATE`` takes the file's
  one write lock; PostgreSQL takes ``pg_advisory_xact_lock(lock)`` first, so writers of one
  database (and migrations, under a lock of their own) go one at a time as they do in SQLite;
- ``columns(conn, table)``: the columns a table has (PRAGMA table_info / information_schema);
- ``evidence``: the full-text index of events' evidence (SQLite FTS5 / a PostgreSQL tsvector with
  a GIN index), an ``EvidenceIndex``;
- ``errors``/``integrity``: the driver's exception classes.

A SQLite store's connection is the plain ``sqlite3.Connection``; a PostgreSQL store's is a thin
adapter (``store_pg.PgConnection``) with the same ``execute``/``executemany``/``in_transaction``
that rewrites the portable SQL for psycopg. ``dialect_of(conn)`` tells which.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any, Iterable

from .errors import UsageError

#: Advisory lock keys (PostgreSQL): one writer at a time per database schema; one migration at a time.
WRITE_LOCK = 0x517E
MIGRATE_LOCK = 0x517F


class EvidenceIndex:
    """Full-text search over each event's evidence sentences, kept in step by ``Store.save``.

    Subclasses index (event id, text) pairs; ``condition`` gives SQL true for the events whose
    evidence holds every word of a search. Without an index, searches fall back to LIKE."""

    @staticmethod
    def create(db: Any) -> bool:
        raise NotImplementedError

    @staticmethod
    def present(db: Any) -> bool:
        raise NotImplementedError

    @classmethod
    def backfill(cls, db: Any) -> None:
        if cls.present(db):
            cls.add(db, db.execute("SELECT id, evidence FROM events").fetchall())

    @classmethod
    def add(cls, db: Any, rows: Iterable[tuple[str, str]]) -> None:
        """Index (event id, evidence JSON) pairs."""
        raise NotImplementedError

    @classmethod
    def remove(cls, db: Any, event_ids: list[str]) -> None:
        raise NotImplementedError

    @classmethod
    def condition(cls, db: Any, column: str, text: str) -> tuple[str, list]:
        """SQL true when the event whose id is ``column`` has every word of ``text`` in its evidence."""
        words = search_words(text)
        if cls.present(db):
            return cls.match(column, words)
        like = " AND ".join("LOWER(ee.evidence) LIKE ?" for _ in words)
        return (f"{column} IN (SELECT ee.id FROM events ee WHERE {like})",
                [f"%{w.lower()}%" for w in words])

    @classmethod
    def match(cls, column: str, words: list[str]) -> tuple[str, list]:
        raise NotImplementedError


def search_words(text: str) -> list[str]:
    """The words of a search (quotes dropped: every word is a word, never an operator)."""
    words = [w.replace('"', "") for w in text.split()]
    words = [w for w in words if w]
    if not words:
        raise UsageError("--search needs at least one word, e.g. --search airstrike")
    return words


def evidence_text(evidence: str) -> str:
    """The indexed text of a stored evidence list (JSON): its spans' texts, joined."""
    return " ".join(s["text"] for s in json.loads(evidence))


def fold_diacritics(text: str) -> str:
    """'Kyïv' -> 'Kyiv', as SQLite FTS5's ``remove_diacritics`` reads it."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


class Dialect:
    """One engine's differences (see the module docstring)."""

    name = "?"
    evidence: type[EvidenceIndex] = EvidenceIndex
    errors: tuple[type[BaseException], ...] = ()
    integrity: type[BaseException] = Exception
    #: what to check when a write fails
    write_hint = "check that the database is writable"

    def begin(self, conn: Any, lock: int) -> None:
        raise NotImplementedError

    def columns(self, conn: Any, table: str) -> set[str]:
        raise NotImplementedError


def dialect_of(conn: Any) -> Dialect:
    """The dialect of a store connection: a PgConnection says so, anything else is SQLite."""
    from .store_sqlite import SQLITE

    return getattr(conn, "dialect", None) or SQLITE
