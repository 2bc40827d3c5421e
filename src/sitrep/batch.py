"""``sitrep batch``: many documents through the pipeline on Dask workers, into Parquet.

    sitrep batch dumps/*.jsonl pages/ --out run/ [--db war.db] [--scheduler tcp://host:8786 | --workers N]

**Partitions.** The client streams ``sources.iter_articles`` over the inputs, in input
order, and cuts the stream into partitions of ``--partition-size`` documents (articles
and unreadable documents alike), which it ships to the workers as ``Article`` objects.
Partition ``k`` is always the ``k``-th slice of the same stream, so the same inputs give
the same partitions; ``DIR/_batch.json`` records a key over the inputs (each file's path,
size and modification time, the partition size and ``--published``), every done marker
repeats it with the partition's index, and a run over changed inputs is refused rather
than mixed with the old one.

Why ship documents and not (path, byte range) descriptors: ``iter_articles`` is the one
reader of every input kind (JSON Lines plain or gzipped, HTML pages, feeds, directories),
with its error reporting and limits; byte ranges exist only for plain JSON Lines (not
gzip, not a feed, not a folder of pages) and would mean a second reader. Reading is not
what limits a run: the client reads and decodes JSON Lines at thousands of documents a
second, while a worker analyses a few, so one client feeds hundreds of workers; a few KB
of text per document is little to send; and workers need not see the input files at all
(only ``DIR``, which they write). At most two partitions per worker are in flight, so the
client's memory stays bounded however large the input. HTML is parsed on the client
(trafilatura, tens of ms a page): a run of mostly HTML pages on dozens of workers would
want path descriptors shipped instead, the step to take if a client is ever seen to lag.

**Workers** (``batch_worker``). Each worker process loads the pipeline (spaCy model, encoders, gazetteer)
once, on its first partition, and keeps it in a module-level cache keyed by the model
and gazetteer; later partitions reuse it with their own budget (``--max-chars``,
``--max-seconds``, as ``sitrep ingest``). Run workers with one thread
(``dask worker ... --nthreads 1``): a lock keeps a pipeline to one thread at a time.

**Output.** See ``batch_parquet`` for the tables. A partition's files are written under
temporary names and renamed into place, then its errors file, then its done marker
``DIR/_done/part-XXXXX.json`` (counts, seconds, peak memory) last: a partition without a
marker is not finished, whatever files it left, and a rerun does it again; one with a
marker is skipped. A document that cannot be read or analysed is a line of
``DIR/errors/part-XXXXX.jsonl`` (origin, line, message) and costs only itself.

**Loading** (``--db``): after the run, every finished partition's results are rebuilt from
the Parquet tables (``batch_parquet.read_partition``) and saved, in partition order, with
``Store.save``, which merges reports into canonical events as it saves: the database ends
as ``sitrep ingest`` of the same inputs leaves it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from .batch_parquet import write_atomic
from .batch_worker import Job, Partition, error_row, peak_rss_mb, run_partition, warm_up
from .errors import GazetteerError, ModelError, UsageError
from .model import Article

__all__ = ["Job", "Partition", "Summary", "connect", "describe", "load", "partitions", "peak_rss_mb", "run",
           "warm_up"]

PARTITION_SIZE = 200
MANIFEST = "_batch.json"
SCHEMA = "sitrep.batch/1"
#: Errors in a task that end the run rather than a partition: the same on every partition.
FATAL = (ModelError, GazetteerError, UsageError)


# ---------------------------------------------------------------- inputs and partitions


def _stat(path: Path) -> list:
    try:
        st = path.stat()
        return [str(path), st.st_size, st.st_mtime_ns]
    except OSError as exc:
        return [str(path), None, type(exc).__name__]


def fingerprint(inputs: Sequence[str]) -> list[list]:
    """Path, size and mtime of every input file (a directory: every file under it, in name order)."""
    found = []
    for raw in inputs:
        path = Path(raw).absolute()
        if not path.is_dir():
            found.append(_stat(path))
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(_stat(Path(root) / f) for f in sorted(files) if not f.startswith("."))
    return found


def run_key(inputs: Sequence[str], partition_size: int, published: dt.date | None) -> str:
    basis = json.dumps([SCHEMA, fingerprint(inputs), partition_size, published and published.isoformat()])
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:20]


def partitions(inputs: Sequence[str], size: int, key: str, published: dt.date | None = None
               ) -> Iterator[tuple[Partition, list[Article | dict]]]:
    """The stream of ``iter_articles`` cut into partitions of ``size`` documents. A document
    that could not be read is kept in its place as its errors-file row (an InputError
    does not travel: it does not unpickle)."""
    from .sources import iter_articles

    items = iter_articles(list(inputs), published=published)
    for index in itertools.count():
        chunk = list(itertools.islice(items, size))
        if not chunk:
            return
        yield (Partition(index, f"{key}-{index}"),
               [it if isinstance(it, Article) else error_row(it, "read", i) for i, it in enumerate(chunk)])


def check_out(out: Path, key: str, manifest: dict) -> None:
    """Make ``out`` this run's folder: new or empty, or holding a run of the same inputs."""
    path = out / MANIFEST
    if path.exists():
        try:
            old = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"{path} cannot be read ({exc}); give --out a new folder") from exc
        if old.get("key") != key:
            raise UsageError(f"{out} holds a batch run over other inputs (or the input files, "
                             f"--partition-size or --published changed since); give --out a new folder, "
                             f"or delete {out} to start again")
        return
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"--out {out} is not empty and holds no batch run; give a new or empty folder")
    write_atomic(path, lambda f: f.write(json.dumps(manifest, indent=1).encode("utf-8")))


def marker(out: Path, part: Partition) -> dict | None:
    """The done marker of ``part`` when it is there and belongs to this run."""
    try:
        found = json.loads((out / "_done" / f"{part.name}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return found if found.get("key") == part.key else None


def finished(out: Path) -> list[str]:
    """Names of the finished partitions in ``out``, in order."""
    return sorted(p.stem for p in (out / "_done").glob("part-*.json"))


# ---------------------------------------------------------------- on the client


@dataclass
class Summary:
    partitions: int = 0
    done: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)
    articles: int = 0
    events: int = 0
    political: int = 0
    errors: int = 0
    unbudgeted: int = 0  # partitions run without the --max-seconds asked for (daemonic workers)
    seconds: float = 0.0
    markers: list[dict] = field(default_factory=list)  # of the partitions done in this run
    totals: dict[str, int] = field(default_factory=dict)  # over every finished partition in DIR

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"partitions": self.partitions, "done": self.done, "skipped": self.skipped, "failed": self.failed,
                "articles": self.articles, "events": self.events,
                "political": self.political, "errors": self.errors,
                "seconds": round(self.seconds, 2), "articles_per_s": round(self.rate, 3), "totals": self.totals}


@contextlib.contextmanager
def connect(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A Dask client: of the cluster at ``scheduler``, or of a LocalCluster of ``workers``
    single-threaded processes (default: one per core)."""
    import logging

    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start it with "
                             f"`dask scheduler` and give its tcp:// address") from exc
        with client:
            yield client
        return
    from .pipeline import cpu_count

    # not daemonic, so that a worker may fork the per-document budget's process (see ``run_partition``);
    # for the whole run, as a worker the nanny restarts reads it again
    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=workers or cpu_count(), threads_per_worker=1, processes=True,
                         dashboard_address=":0", silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


class _Progress:
    """A rich progress bar on a terminal's stderr; nothing otherwise."""

    def __init__(self, show: bool):
        self.bar = None
        if show:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("partitions"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[articles]:,} articles"), TimeElapsedColumn(),
                                console=Console(file=sys.stderr), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("batch", total=None, articles=0)
        self.articles = 0

    def total(self, n: int) -> None:
        if self.bar:
            self.bar.update(self.task, total=n)

    def advance(self, articles: int = 0) -> None:
        self.articles += articles
        if self.bar:
            self.bar.update(self.task, advance=1, articles=self.articles)

    def close(self) -> None:
        if self.bar:
            self.bar.stop()


def run(client, inputs: Sequence[str], out: str | Path, *, job: Job | None = None,
        partition_size: int = PARTITION_SIZE, published: dt.date | None = None, progress: bool = False) -> Summary:
    """Run (or resume) the batch of ``inputs`` into ``out`` on ``client``'s cluster."""
    from distributed import as_completed

    if partition_size < 1:
        raise UsageError(f"--partition-size must be at least 1, not {partition_size}")
    if "-" in inputs:
        raise UsageError("sitrep batch reads files and folders, not standard input: save it to a .jsonl file first")
    for raw in inputs:
        if not os.path.exists(raw):
            raise UsageError(f"{raw}: no such file or directory")
    out = Path(out).absolute()  # workers elsewhere must find the same path (a shared filesystem)
    key = run_key(inputs, partition_size, published)
    check_out(out, key, {"schema": SCHEMA, "key": key, "partition_size": partition_size,
                         "published": published and published.isoformat(), "inputs": fingerprint(inputs)})
    job = Job(out=str(out), **{k: v for k, v in (job.__dict__ if job else {}).items() if k != "out"})
    summary, bar = Summary(), _Progress(progress)
    pending = as_completed(loop=client.loop)
    token = uuid.uuid4().hex[:8]

    def collect(future) -> None:
        try:
            done = future.result()
        except FATAL:  # the same on every partition: stop now
            client.cancel(list(pending.futures))
            pending.clear()
            raise
        except Exception as exc:  # noqa: BLE001 - a worker lost or a disk full: the partition is redone next run
            summary.failed.append(f"{future.key.split('/')[-1]}: {type(exc).__name__}: {exc}")
            bar.advance()
            return
        summary.done += 1
        summary.markers.append(done)
        summary.articles += done["articles"]
        summary.events += done["events"]
        summary.political += done["political"]
        summary.errors += done["errors"]
        summary.unbudgeted += bool(job.max_seconds) and done.get("max_seconds") is None
        bar.advance(done["articles"])

    t0 = time.perf_counter()
    try:
        for part, items in partitions(inputs, partition_size, key, published):
            summary.partitions += 1
            if marker(out, part) is not None:
                summary.skipped += 1
                bar.advance()
                continue
            # two partitions per worker thread in flight (workers may join or leave as the run goes)
            while pending.count() >= max(2, 2 * sum(client.nthreads().values())):
                collect(next(pending))
            pending.add(client.submit(run_partition, job, part, items, key=f"sitrep-batch-{token}/{part.name}",
                                      pure=False))
        bar.total(summary.partitions)
        for future in pending:
            collect(future)
    finally:
        bar.close()
    summary.seconds = time.perf_counter() - t0
    summary.totals = totals(out)
    return summary


def totals(out: Path) -> dict[str, int]:
    """Counts summed over the done markers in ``out``."""
    sums = dict.fromkeys(("partitions", "articles", "events", "political", "places", "statistics", "errors"), 0)
    for name in finished(out):
        done = json.loads((out / "_done" / f"{name}.json").read_text("utf-8"))
        sums["partitions"] += 1
        for k in sums.keys() - {"partitions"}:
            sums[k] += done.get(k, 0)
    return sums


def load(out: str | Path, db: str):
    """Save every finished partition of ``out`` into the store at ``db`` (merging as it saves), in
    partition order; ``Store.save``'s report and the store's merge counts."""
    from .batch_parquet import read_partition
    from .store import Store

    out = Path(out)
    with Store.open(db) as store:
        report = store.save(r for name in finished(out) for r in read_partition(out, name))
        return report, store.merge_counts()


def describe(summary: Summary, out: Path) -> str:
    """The summary the CLI prints."""
    lines = [f"sitrep batch: {summary.done} partitions done, {summary.skipped} skipped (finished by an earlier run)"
             + (f", {len(summary.failed)} failed" if summary.failed else "")
             + f"; {summary.articles:,} articles, {summary.events:,} events (and {summary.political:,} political "
             f"acts), {summary.errors:,} documents failed; "
             f"{summary.seconds:.1f} s, {summary.rate:.2f} articles/s"]
    t = summary.totals
    lines.append(f"{out}: {t['partitions']} finished partitions, {t['articles']:,} articles, {t['events']:,} events, "
                 f"{t['places']:,} place mentions, {t['statistics']:,} statistics")
    if t["errors"]:
        lines.append(f"some documents failed ({t['errors']:,}, each a line of {out}/errors/part-*.jsonl: origin, "
                     f"line, message); the rest of their partitions is written")
    if summary.unbudgeted:
        lines.append(f"warning: {summary.unbudgeted} partitions ran without --max-seconds: their workers are "
                     f"daemonic processes, which cannot fork; start workers with "
                     f"DASK_DISTRIBUTED__WORKER__DAEMON=False to apply it")
    for failure in summary.failed:
        lines.append(f"partition not finished: {failure}")
    if summary.failed:
        lines.append("rerun the same command to do the unfinished partitions (finished ones are skipped)")
    return "\n".join(lines)
