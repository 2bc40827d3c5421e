"""The worker side of ``sitrep batch`` (see ``sitrep.batch``): one partition in, its files out.

``run_partition`` is what a Dask worker runs for each partition. The pipeline it uses is
loaded once per worker process (``worker_pipeline``: a module-level cache keyed by model
and gazetteer, so a worker's later partitions reuse it with their own budget), and is used
through its public ``process_many`` only.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .batch_parquet import tables, write_atomic, write_tables
from .errors import InputError
from .model import Article


@dataclass(frozen=True)
class Job:
    """What every partition task needs: where to write, and how to build and budget the pipeline."""

    out: str = ""  # set by ``run``
    model: str | None = None
    gazetteer: str | None = None
    max_chars: int | None = None  # None: the pipeline's default
    max_seconds: float | None = None  # None: no per-document time budget (the CLI's default is 30 s)


@dataclass(frozen=True)
class Partition:
    index: int
    key: str  # the run's key and the index: what a done marker must repeat to count

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"



def _split_origin(origin: str) -> tuple[str, int | None]:
    """'path:12' -> ('path', 12); Article.origin is "path" or "path:line"."""
    head, _, tail = origin.rpartition(":")
    return (head, int(tail)) if head and tail.isdigit() else (origin, None)


def error_row(exc: InputError, stage: str, index: int, article: Article | None = None) -> dict[str, Any]:
    """One line of an errors file. ``index``: the document's position in its partition."""
    origin, line = exc.origin, exc.line
    if line is None:
        origin, line = _split_origin(origin)
    return {"origin": origin, "line": line, "message": exc.reason, "stage": stage, "index": index,
            "article_id": article.id if article is not None else None}



# ---------------------------------------------------------------- on the worker

_PIPELINES: dict[tuple, tuple[Any, threading.Lock]] = {}
_LOADING = threading.Lock()


def worker_pipeline(model: str | None, gazetteer: str | None):
    """This process's pipeline for (model, gazetteer), loaded on first use, and its lock."""
    key = (model, gazetteer)
    with _LOADING:
        if key not in _PIPELINES:
            from .pipeline import Options, Pipeline

            pipeline = Pipeline(Options(model=model, gazetteer=Path(gazetteer) if gazetteer else None))
            _PIPELINES[key] = (pipeline, threading.Lock())
        return _PIPELINES[key]


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child (the budget's worker)."""
    return {"self": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            "children": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)}


def run_partition(job: Job, part: Partition, items: list[Article | dict]) -> dict[str, Any]:
    """Analyse one partition and write its tables, errors file and done marker; the marker."""
    import pyarrow as pa

    import multiprocessing

    t0 = time.perf_counter()
    pipeline, lock = worker_pipeline(job.model, job.gazetteer)
    # The time budget runs each document in a forked child, which a daemonic process may not have
    # (Dask's default for workers: `DASK_DISTRIBUTED__WORKER__DAEMON=False dask worker ...` lifts it)
    budgeted = bool(job.max_seconds) and not multiprocessing.current_process().daemon
    pipeline = pipeline.with_budget(job.max_chars or pipeline.options.max_chars,
                                    job.max_seconds if budgeted else None)
    errors = [it for it in items if isinstance(it, dict)]
    position = {id(it): i for i, it in enumerate(items)}
    articles = [it for it in items if isinstance(it, Article)]

    def failed(article: Article, exc: Exception) -> None:
        if not isinstance(exc, InputError):
            from .errors import could_not_process
            exc = could_not_process(article.origin or article.id, exc)
        errors.append(error_row(exc, "analyse", position[id(article)], article))

    with lock:
        results = list(pipeline.process_many(articles, on_error=failed))
    try:
        data = tables(results)
    except (pa.ArrowException, ValueError, TypeError, OverflowError):  # find the document(s) that do not fit
        kept = []
        for r in results:
            try:
                tables([r])
                kept.append(r)
            except (pa.ArrowException, ValueError, TypeError, OverflowError) as exc:
                failed(r.article, exc)
        data = tables(kept)
    out = Path(job.out)
    counts = write_tables(out, part.name, data)
    errors.sort(key=lambda e: e["index"])
    lines = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in errors)
    write_atomic(out / "errors" / f"{part.name}.jsonl", lambda f: f.write(lines.encode("utf-8")))
    n_political = sum(1 for p in data["events"].column("political").to_pylist() if p)
    done = {"partition": part.name, "key": part.key, "documents": len(items), "articles": counts["articles"],
            "events": counts["events"] - n_political, "political": n_political, "places": counts["places"],
            "statistics": counts["statistics"], "errors": len(errors),
            "truncated": sum(1 for t in data["articles"].column("truncated").to_pylist() if t),
            "max_seconds": job.max_seconds if budgeted else None,
            "seconds": round(time.perf_counter() - t0, 3), "worker": f"{socket.gethostname()}:{os.getpid()}",
            "peak_rss_mb": peak_rss_mb(), "finished": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    write_atomic(out / "_done" / f"{part.name}.json", lambda f: f.write(json.dumps(done).encode("utf-8")))
    return done


def warm_up(job: Job) -> dict[str, float]:
    """Load the pipeline in this worker now (and analyse one line), so timing starts warm."""
    pipeline, lock = worker_pipeline(job.model, job.gazetteer)
    with lock:
        pipeline.process(Article(text="Shelling hit Kharkiv on Monday, officials said.",
                                 published=dt.date(2022, 3, 1)))
    return peak_rss_mb()
