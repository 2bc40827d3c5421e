"""``sitrep bench --postgres URL``: two ``sitrep ingest`` processes with overlapping inputs into one
PostgreSQL database, against one process ingesting the same articles.

The articles (the bundled sample corpus, or ``--data`` the guardian-sdf folder) are split into two
inputs that share a third of them: the first two thirds and the last two thirds. One process
ingests all of them into a schema of its own; then two processes, started together, ingest one
input each into another schema. Both schemas are made in the database the URL names (the user
needs CREATE there) and dropped at the end. Checked: the same articles and events, no duplicate
ids, and the same merged events (each with the same reports and the same reconciled fields). The
last line printed is one JSON object: ``articles``, ``shared``, ``one_process_s``,
``two_processes_s``, ``speedup``, ``events``, ``merged_events``, ``duplicates``, ``same_merges``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence, TextIO

from .errors import StoreError, UsageError
from .model import Article

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "ukraine-2022" / "dispatches.jsonl"


def merged_events(db: str) -> dict[frozenset, dict]:
    """Each merged event of the store keyed by the ids of its reports, with its reconciled fields
    but not its id (the id of whichever report came first)."""
    from .store import Store

    with Store.open(db, read_only=True) as s:
        members: dict[str, set] = {}
        for r in s._query("SELECT id, canonical_id FROM events"):
            members.setdefault(r["canonical_id"], set()).add(r["id"])
        return {frozenset(members[c["id"]]): {k: v for k, v in c.items() if k != "id"}
                for c in s.canonical_events(min_confidence=0, political=True)}


def _articles(data: Path | None, limit: int | None) -> list[Article]:
    if data is not None:
        from .bench import load_guardian

        return load_guardian(data, limit)
    from .sources import iter_articles

    if not SAMPLE.exists():
        raise UsageError(f"{SAMPLE} not found: give --data (the guardian-sdf folder)")
    found = [a for a in iter_articles([str(SAMPLE)]) if isinstance(a, Article)]
    return found[:limit] if limit else found


def _write(articles: Sequence[Article], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({"id": a.id, "title": a.title, "url": a.url, "text": a.text, "source": a.source,
                                "published": a.published.isoformat() if a.published else None}) + "\n")
    return path


def _in_schema(url: str, schema: str) -> str:
    if "options=" in url:
        raise UsageError("give --postgres a URL without options=: the bench sets search_path itself")
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def _ingest(inputs: Sequence[Path], db: str, extra: list[str]) -> float:
    """Wall seconds for one ``sitrep ingest`` process per input, all started together."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-m", "sitrep", "ingest", str(p), "--db", db, *extra],
                              stderr=subprocess.PIPE, text=True) for p in inputs]
    logs = [p.communicate()[1] for p in procs]
    seconds = time.perf_counter() - t0
    failed = [log.strip().splitlines()[-1] if log.strip() else f"exit {p.returncode}"
              for p, log in zip(procs, logs) if p.returncode]
    if failed:
        raise StoreError(f"an ingest process failed: {'; '.join(failed)}")
    return seconds


def _counts(db: str) -> dict[str, int]:
    from .store import Store

    with Store.open(db, read_only=True) as s:
        n, distinct = s.conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM events").fetchone()
        a, a_distinct = s.conn.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone()
        return {"articles": a, "events": n, "duplicates": (n - distinct) + (a - a_distinct),
                "merged_events": s.merge_counts()["canonical_events"]}


def run(url: str, *, data: Path | None, limit: int | None, model: str | None, gazetteer: str | None,
        out: TextIO) -> dict:
    from . import store_pg

    articles = _articles(data, limit)
    n = len(articles)
    if n < 3:
        raise UsageError(f"only {n} articles: the bench needs at least 3")
    extra = ["--quiet"] + (["--model", model] if model else []) + (["--gazetteer", gazetteer] if gazetteer else [])
    schemas = [f"sitrep_bench_{os.getpid()}_{k}" for k in ("one", "two")]
    admin = store_pg.connect(url, read_only=False)
    try:
        for schema in schemas:
            admin.execute(f"CREATE SCHEMA {schema}")
        with tempfile.TemporaryDirectory() as tmp:
            every = _write(articles, Path(tmp) / "all.jsonl")
            first = _write(articles[: 2 * n // 3], Path(tmp) / "first.jsonl")
            second = _write(articles[n // 3:], Path(tmp) / "second.jsonl")
            shared = 2 * n // 3 - n // 3
            one_db, two_db = (_in_schema(url, s) for s in schemas)
            out.write(f"{n} articles ({data or SAMPLE}); one process ...\n")
            one_s = _ingest([every], one_db, extra)
            out.write(f"  {one_s:.1f} s; two processes, {shared} articles in both inputs ...\n")
            two_s = _ingest([first, second], two_db, extra)
            out.write(f"  {two_s:.1f} s\n")
            one, two = _counts(one_db), _counts(two_db)
            same = merged_events(one_db) == merged_events(two_db)
    finally:
        for schema in schemas:
            admin.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.close()
    figures = {"articles": n, "shared": shared, "one_process_s": round(one_s, 2), "two_processes_s": round(two_s, 2),
               "speedup": round(one_s / two_s, 2), **two, "same_counts": one == two, "same_merges": same}
    out.write(f"one process: {one}\ntwo processes: {two}\n")
    out.write(json.dumps(figures) + "\n")
    return figures
