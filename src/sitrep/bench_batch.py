"""``sitrep bench --batch``: ``sitrep batch`` throughput on 1 and 2 Dask workers, and memory per worker.

The Guardian articles (``bench.load_guardian``) are repeated to ``articles`` documents, each
copy with its own id and URL (nothing is a duplicate of anything), and written to one JSON
Lines file. The batch runs over it on a LocalCluster of 1 worker, then of 2 (one thread
each, as ``sitrep batch --workers N`` starts them). Each worker loads and warms its pipeline
before the clock starts, so the rates are of the analysis, not of loading spaCy. Also
timed: how fast the client reads and partitions the file (what a worker is fed at).

Printed: articles/s for each, scaling efficiency ``rate2 / (2 * rate1)`` (target >= 0.8), and
the peak memory of a worker (target < 1.5 GB): the worker process's peak RSS (getrusage in
the worker, which holds the pipeline) and that of the child it forks to analyse under the
time budget (which shares the model's pages with it, copy-on-write, so their sum is an upper
bound). The last line is one JSON object with the figures.
"""

from __future__ import annotations

import importlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import TextIO

from .bench import load_guardian


def replicate(data: Path, n: int, path: Path) -> int:
    """Write ``n`` documents, the Guardian articles over and over with distinct ids and URLs, to ``path``."""
    base = load_guardian(data)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            a, copy = base[i % len(base)], i // len(base)
            f.write(json.dumps({"id": f"guardian-{i % len(base)}-copy-{copy}", "text": a.text,
                                "url": f"https://bench.invalid/guardian/{copy}/{i % len(base)}",
                                "published": a.published.isoformat() if a.published else None,
                                "source": a.source}) + "\n")
    return len(base)


def _worker_memory() -> dict:
    import psutil

    from .batch import peak_rss_mb

    return peak_rss_mb() | {"now": round(psutil.Process().memory_info().rss / 2**20, 1)}


def _one(n_workers: int, inputs: Path, out: Path, job, partition_size: int) -> dict:
    from . import batch

    with batch.connect(workers=n_workers) as client:
        addresses = list(client.scheduler_info()["workers"])
        t0 = time.perf_counter()
        client.gather([client.submit(batch.warm_up, job, workers=[a], pure=False, key=f"warm-up-{a}")
                       for a in addresses])
        warm = time.perf_counter() - t0
        load0 = os.getloadavg()[0]
        summary = batch.run(client, [str(inputs)], out, job=job, partition_size=partition_size)
        load1 = os.getloadavg()[0]
        memory = client.run(_worker_memory)
    rss = [m["peak_rss_mb"] for m in summary.markers] + [
        {"self": m["self"], "children": m["children"]} for m in memory.values()]
    peak_self = max(r["self"] for r in rss)
    peak_child = max(r["children"] for r in rss)
    return {"workers": n_workers, "articles": summary.articles, "errors": summary.errors,
            "partitions": summary.done, "seconds": round(summary.seconds, 1),
            "articles_per_s": round(summary.rate, 3), "warm_up_s": round(warm, 1),
            "worker_peak_rss_mb": peak_self, "analysis_child_peak_rss_mb": peak_child,
            "worker_rss_now_mb": max(m["now"] for m in memory.values()),
            "load_average": [round(load0, 2), round(load1, 2)]}


def run(data: Path, *, articles: int = 2000, partition_size: int | None = None, model: str | None = None,
        gazetteer: str | None = None, max_chars: int | None = None, out: TextIO) -> dict:
    from . import batch
    from .pipeline import DEFAULT_MAX_SECONDS, cpu_count

    # small enough that the last partitions leave no worker idle for long: 16 or more for 2 workers
    partition_size = partition_size or max(5, min(50, articles // 16))
    job = batch.Job(out="", model=model, gazetteer=gazetteer, max_chars=max_chars, max_seconds=DEFAULT_MAX_SECONDS)
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-batch-") as tmp:
        inputs = Path(tmp) / "guardian.jsonl"
        distinct = replicate(data, articles, inputs)
        importlib.import_module("sitrep.sources")  # its import (trafilatura) is not reading time

        t0 = time.perf_counter()
        n_read = sum(len(items) for _, items in batch.partitions([str(inputs)], partition_size, "bench"))
        read_rate = n_read / (time.perf_counter() - t0)
        out.write(f"{articles:,} documents ({distinct} distinct Guardian articles repeated, distinct ids and URLs), "
                  f"{inputs.stat().st_size / 2**20:.1f} MB of JSON Lines, partitions of {partition_size}; "
                  f"{cpu_count()} cores; the client reads and partitions {read_rate:,.0f} documents/s\n")
        out.flush()
        runs = []
        for n in (1, 2):
            figures = _one(n, inputs, Path(tmp) / f"out-{n}", job, partition_size)
            runs.append(figures)
            out.write(f"{n} worker{'s' if n > 1 else ''}: {figures['articles']:,} articles in {figures['seconds']} s, "
                      f"{figures['articles_per_s']} articles/s ({figures['errors']} documents failed); "
                      f"worker peak RSS {figures['worker_peak_rss_mb']:.0f} MB, its analysis child "
                      f"{figures['analysis_child_peak_rss_mb']:.0f} MB; load average "
                      f"{figures['load_average'][0]} -> {figures['load_average'][1]}\n")
            out.flush()
    rate1, rate2 = runs[0]["articles_per_s"], runs[1]["articles_per_s"]
    efficiency = rate2 / (2 * rate1) if rate1 else 0.0
    memory = max(r["worker_peak_rss_mb"] + r["analysis_child_peak_rss_mb"] for r in runs)
    result = {"articles": articles, "partition_size": partition_size, "client_read_docs_per_s": round(read_rate),
              "articles_per_s_1": rate1, "articles_per_s_2": rate2, "efficiency": round(efficiency, 3),
              "worker_peak_rss_mb": max(r["worker_peak_rss_mb"] for r in runs),
              "analysis_child_peak_rss_mb": max(r["analysis_child_peak_rss_mb"] for r in runs),
              "memory_per_worker_upper_bound_mb": round(memory, 1), "runs": runs}
    out.write(f"scaling efficiency {efficiency:.2f} (target >= 0.8); memory per worker at most {memory:.0f} MB "
              f"(worker + analysis child; target < 1536)\n")
    out.write(json.dumps(result) + "\n")
    return result
