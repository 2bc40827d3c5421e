"""PostgreSQL behind the same store: ``--db postgresql://user@host:5432/dbname``.

The data layer is the store's own portable SQL run through psycopg 3, not an ORM or SQLAlchemy:
the queries were written to run on both engines, so what differs is small enough to name here,
and a second query layer would have to be kept in step with the first. ``PgConnection`` gives
the store the ``execute``/``executemany``/``in_transaction`` of a ``sqlite3.Connection`` and
rewrites each statement once (cached):

- ``?`` placeholders become ``%s`` (and a literal ``%`` becomes ``%%``);
- in ``CREATE TABLE``/``ADD COLUMN``, the SQLite type names (written upper-case) become
  PostgreSQL's: ``TEXT`` -> ``TEXT COLLATE "C"`` (byte order, as SQLite compares and sorts, so
  ids and dates order alike whatever the database's locale), ``REAL`` -> ``DOUBLE PRECISION``
  (SQLite's REAL is 8 bytes; PostgreSQL's is 4), ``INTEGER`` -> ``BIGINT``;
- a NUMERIC result (PostgreSQL's ``SUM`` of integers) comes back as an int when whole.

The rest is ``Postgres``, the dialect (see ``store_sql``): transactions take
``pg_advisory_xact_lock`` so writers go one at a time (a batch's inserts and its merging see every
batch committed before it: two processes ingesting overlapping inputs store each article once and
merge as one process would), migrations run under a lock of their own (two processes opening a
fresh database at once create the schema once), the schema version is kept in the ``meta`` table
(as for SQLite; there is no ``user_version``), the evidence search is a ``tsvector`` with a GIN
index (English stems and no stop words, diacritics folded, as SQLite FTS5 with ``porter
unicode61 remove_diacritics``), and canonical events get an identity column named ``rowid``
(merging breaks ties by creation order, which SQLite's implicit rowid gives).

Passwords never appear in messages: ``display_name`` drops them; give them through
``PGPASSWORD`` or ``~/.pgpass``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable
from urllib.parse import unquote, urlsplit

from .errors import StoreError, UsageError
from .store_sql import Dialect, EvidenceIndex, evidence_text, fold_diacritics

SCHEMES = ("postgresql://", "postgres://")
APPLICATION = "sitrep"
CONNECT_TIMEOUT_S = 10


def is_url(db: str) -> bool:
    return str(db).startswith(SCHEMES)


def display_name(url: str) -> str:
    """The URL as it may be shown: without a password (in the user part or as a parameter)."""
    try:
        parts = urlsplit(url)
        query = _without_password_parameter(parts.query)
        netloc = parts.netloc.rsplit("@", 1)
        if len(netloc) == 2:
            netloc = [netloc[0].split(":", 1)[0], netloc[1]]
        return f"{parts.scheme}://{'@'.join(netloc)}{parts.path}" + (f"?{query}" if query else "")
    except ValueError:
        return f"{url.split(':', 1)[0]}://(a URL that cannot be read)"


def _without_password_parameter(query: str) -> str:
    return "&".join(p for p in query.split("&") if p.split("=", 1)[0] != "password")


def local_name(url: str) -> str:
    """A file name for the database (no password in it): ``postgresql-HOST-PORT-DBNAME``, and a hash
    of the URL's parameters when it has some (another schema is another database to sitrep)."""
    import hashlib

    try:
        parts = urlsplit(url)
        words = [parts.hostname or "local", str(parts.port or 5432), parts.path.strip("/") or "postgres"]
    except ValueError:
        parts, words = urlsplit(""), ["unreadable", hashlib.sha1(display_name(url).encode()).hexdigest()[:8]]
    query = _without_password_parameter(parts.query)
    if query:
        words.append(hashlib.sha1(query.encode()).hexdigest()[:8])
    return "-".join(["postgresql"] + [re.sub(r"[^\w.]", "_", w) for w in words])


# -- the connection --------------------------------------------------------------------

_TYPES = {"TEXT": 'TEXT COLLATE "C"', "REAL": "DOUBLE PRECISION", "INTEGER": "BIGINT"}
_DDL = re.compile(r"\s*(CREATE\s+TABLE|ALTER\s+TABLE\s+\S+\s+ADD\s+COLUMN)\b", re.I)


@lru_cache(maxsize=512)
def pg_sql(sql: str) -> str:
    """A statement of the store's portable SQL as psycopg runs it (see the module docstring)."""
    ddl = bool(_DDL.match(sql))
    out = []
    for i, part in enumerate(re.split(r"('(?:[^']|'')*')", sql)):  # odd parts: string literals
        part = part.replace("%", "%%")
        if i % 2 == 0:
            part = part.replace("?", "%s")
            if ddl:
                part = re.sub(r"\b(TEXT|REAL|INTEGER)\b", lambda m: _TYPES[m[1]], part)
        out.append(part)
    return "".join(out)


class PgConnection:
    """A psycopg connection (autocommit: transactions are explicit, as the store's SQLite
    connection's are) with the surface of ``sqlite3.Connection`` the store uses."""

    def __init__(self, raw: Any, name: str):
        self.raw = raw
        self.name = name
        self.dialect = POSTGRES

    def execute(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return self.raw.execute(pg_sql(sql), tuple(params))

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(pg_sql(sql), rows)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


def connect(url: str, read_only: bool) -> PgConnection:
    """A connection to the database ``url`` names; a StoreError saying what to do when there is none."""
    name = display_name(url)
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict
    except ImportError as exc:
        raise StoreError(f"--db {name}: PostgreSQL needs psycopg ({exc}); install it: "
                         f"pip install 'psycopg[binary]'") from None
    try:
        info = conninfo_to_dict(url)
    except psycopg.Error as exc:
        raise UsageError(f"--db {name} is not a PostgreSQL URL sitrep can read ({_without_password(exc, url)}); "
                         f"write it as postgresql://USER@HOST:PORT/DBNAME") from None
    extra = {} if "connect_timeout" in info else {"connect_timeout": CONNECT_TIMEOUT_S}
    try:
        raw = psycopg.connect(url, autocommit=True, application_name=APPLICATION, **extra)
    except psycopg.Error as exc:
        why = _without_password(exc, url)
        if "invalid" in why and "connection option" in why:  # e.g. a port that is not a number
            raise UsageError(f"--db {name} is not a PostgreSQL URL sitrep can read ({why}); "
                             f"write it as postgresql://USER@HOST:PORT/DBNAME") from None
        raise StoreError(_cannot_connect(info, name, why)) from None
    raw.adapters.register_loader("numeric", _numeric_loader())
    if read_only:
        raw.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    return PgConnection(raw, name)


def _without_password(exc: Exception, url: str) -> str:
    """The first line of a driver's message, the URL's password (as written or decoded) masked."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    secret = urlsplit(url).password if "@" in url else None
    for form in (secret, unquote(secret or "")):
        text = text.replace(form, "***") if form else text
    return text


def _cannot_connect(info: dict, name: str, why: str) -> str:
    host = info.get("host") or info.get("hostaddr") or "the local socket"
    where = f"database {info.get('dbname') or '(default)'!r} on {host}" + (f":{info['port']}" if info.get("port") else "")
    low = why.lower()
    if "does not exist" in low and "database" in low:
        todo = f"create it first (createdb -h {host} {info.get('dbname', '')}), or name another database"
    elif "password" in low or "authentication" in low:
        todo = "check the user name and password (give the password with PGPASSWORD or ~/.pgpass, not in the URL)"
    elif "pg_hba" in low:
        todo = "the server refuses this user from this host: add a line for it to the server's pg_hba.conf"
    else:
        todo = "check that the server is running there and accepts TCP connections (listen_addresses, port)"
    return f"cannot connect to PostgreSQL {where} (--db {name}): {why}; {todo}"


@lru_cache(maxsize=None)
def _numeric_loader() -> type:
    from decimal import Decimal

    from psycopg.adapt import Loader

    class WholeNumeric(Loader):
        """NUMERIC as SQLite would give it: an int when whole, else a float."""

        def load(self, data: Any) -> int | float:
            d = Decimal(bytes(data).decode())
            return int(d) if d == d.to_integral_value() else float(d)

    return WholeNumeric


# -- the dialect -----------------------------------------------------------------------

class PgEvidenceText(EvidenceIndex):
    """Each event's evidence as a ``tsvector`` (config ``sitrep_text``: English stems, no stop
    words, so every word of a search counts as in SQLite), with a GIN index."""

    CONFIG = "sitrep_text"

    @staticmethod
    def create(db: PgConnection) -> bool:
        for sql in ("CREATE TEXT SEARCH DICTIONARY sitrep_stem (TEMPLATE = snowball, LANGUAGE = english)",
                    "CREATE TEXT SEARCH CONFIGURATION sitrep_text (COPY = pg_catalog.english)",
                    "ALTER TEXT SEARCH CONFIGURATION sitrep_text ALTER MAPPING REPLACE english_stem WITH sitrep_stem",
                    "CREATE TABLE evidence_text (event_id TEXT PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE, "
                    "document TSVECTOR NOT NULL)",
                    "CREATE INDEX idx_evidence_text ON evidence_text USING GIN (document)"):
            db.execute(sql)
        return True

    @staticmethod
    def present(db: PgConnection) -> bool:
        return db.execute("SELECT to_regclass('evidence_text') IS NOT NULL").fetchone()[0]

    @classmethod
    def add(cls, db: PgConnection, rows: Iterable[tuple[str, str]]) -> None:
        db.executemany("INSERT INTO evidence_text (event_id, document) VALUES (?, to_tsvector('sitrep_text', ?))",
                       [(event_id, fold_diacritics(evidence_text(ev))) for event_id, ev in rows])

    @classmethod
    def remove(cls, db: PgConnection, event_ids: list[str]) -> None:
        db.executemany("DELETE FROM evidence_text WHERE event_id = ?", [(e,) for e in event_ids])

    @classmethod
    def match(cls, column: str, words: list[str]) -> tuple[str, list]:
        return (f"{column} IN (SELECT et.event_id FROM evidence_text et "
                f"WHERE et.document @@ plainto_tsquery('sitrep_text', ?))", [fold_diacritics(" ".join(words))])


class Postgres(Dialect):
    name = "postgresql"
    evidence = PgEvidenceText
    write_hint = "check that this user may create tables and write in the database"

    @property
    def errors(self) -> tuple[type[BaseException], ...]:  # type: ignore[override]
        import psycopg

        return (psycopg.Error,)

    @property
    def integrity(self) -> type[BaseException]:  # type: ignore[override]
        import psycopg

        return psycopg.IntegrityError

    def begin(self, conn: PgConnection, lock: int) -> None:
        """BEGIN, then this database schema's advisory lock ``lock``, held until COMMIT/ROLLBACK."""
        conn.execute("BEGIN")
        conn.execute("SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))", (lock,))

    def columns(self, conn: PgConnection, table: str) -> set[str]:
        rows = conn.execute("SELECT column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = ?", (table,))
        return {r[0] for r in rows}

    def tables(self, conn: PgConnection) -> set[str]:
        rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        return {r[0] for r in rows}


POSTGRES = Postgres()


def check_existing(conn: PgConnection, read_only: bool, known_versions: int) -> None:
    """Refuse, without writing to it, a database (schema) that is not (yet) a sitrep database."""
    name = conn.name
    tables = POSTGRES.tables(conn)
    if not tables:
        if read_only:
            raise UsageError(f"{name} holds no sitrep tables yet: run `sitrep ingest PATH --db {name}` first")
        return
    if not {"meta", "_migrations"} <= tables:
        shown = ", ".join(sorted(tables)[:5])
        raise StoreError(f"{name} is not a sitrep database (a PostgreSQL database with other tables: {shown}). "
                         f"It was left untouched; create a database for sitrep (createdb NAME) and pass its URL, "
                         f"or give sitrep a schema of its own (?options=-csearch_path%3DNAME)")
    meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("application") != APPLICATION:
        raise StoreError(f"{name} is not a sitrep database (its meta table does not name sitrep). It was "
                         f"left untouched; pass another database with --db")
    version = int(meta.get("schema_version") or 0)
    if version > known_versions:
        raise StoreError(f"{name} has schema version {version} but this sitrep knows only {known_versions}; "
                         f"upgrade sitrep to use it.")


def exists(url: str) -> bool:
    """Whether the database holds a sitrep schema (for ``sitrep upgrade``)."""
    conn = connect(url, read_only=True)
    try:
        return "meta" in POSTGRES.tables(conn)
    finally:
        conn.close()

