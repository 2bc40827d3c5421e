"""``sitrep eval``: scores on real third-party data, checked against floors.

Each evaluator returns a flat dict of scores; ``check_floors`` compares them
with the floors in the baseline file and fails (exit 1) when one drops.

Beside each score an evaluator puts the trivial baseline for the same set under
``<score>_baseline`` (the majority class, the most frequent value, a constant
such as "always 0" or "emit nothing", or the publication date), computed from
the gold of the very rows scored. ``check_floors`` warns ("BELOW BASELINE") when
a score is worse than its baseline; the floors stay the gate.
"""

from __future__ import annotations

import gc
import io
import json
import multiprocessing
import os
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import TextIO

from ..errors import UsageError
from ..progress import track


def baseline_path() -> Path:
    return Path(str(resources.files("sitrep") / "data" / "baseline.json"))


def load_baseline(path: str | Path | None = None) -> dict:
    p = Path(path) if path else baseline_path()
    try:
        return json.loads(p.read_text())
    except FileNotFoundError as exc:
        raise UsageError(f"baseline file {p} not found: pass --baseline FILE") from exc
    except json.JSONDecodeError as exc:
        raise UsageError(f"baseline file {p} is not valid JSON (line {exc.lineno}): fix or restore it") from exc


def check_floors(name: str, scores: dict, baseline: str | Path | None, out: TextIO) -> int:
    """Print each score next to its floor; 1 if any falls below, else 0."""
    floors = load_baseline(baseline).get(name, {})
    failed = []
    out.write(f"\nfloors ({name}):\n")
    for key, floor in sorted(floors.items()):
        if key not in scores:  # not measured in this run (a --limit run, or a corpus left out)
            out.write(f"  skip {key:32s} {'-':>8}    (not measured in this run)\n")
            continue
        value = scores.get(key)
        ok = value is not None and value >= floor
        out.write(f"  {'ok  ' if ok else 'FAIL'} {key:32s} {value!s:>8} >= {floor}\n")
        if not ok:
            failed.append(key)
    for key in below_baseline(scores):
        out.write(f"  BELOW BASELINE {key}: sitrep {scores[key]} vs trivial baseline {scores[key + BASELINE]} "
                  f"(a warning: the floors are the gate)\n")
    for key, floor in sorted(floors.items()):
        base = scores.get(key + BASELINE)
        if _number(base) and _worse(key, floor, base):
            out.write(f"  FLOOR BELOW BASELINE {key}: floor {floor} vs trivial baseline {base}\n")
    out.write(json.dumps({"eval": name, "scores": scores, "failed": failed}, sort_keys=True) + "\n")
    return 1 if failed else 0


BASELINE = "_baseline"
# scores where less is better (counts of wrong output, errors): worse than the baseline means above it
LOWER_IS_BETTER = ("spurious", "false_periods", "error", "extra")


def lower_is_better(key: str) -> bool:
    return any(word in key for word in LOWER_IS_BETTER)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _worse(key: str, value, base) -> bool:
    return value > base if lower_is_better(key) else value < base


def below_baseline(scores: dict) -> list[str]:
    """The scores worse than their ``<score>_baseline`` (both measured), in key order."""
    return [k for k, v in sorted(scores.items()) if not k.endswith(BASELINE) and _number(v)
            and _number(scores.get(k + BASELINE)) and _worse(k, v, scores[k + BASELINE])]


def majority(values) -> tuple:
    """(the most frequent value, its count); ties go to the value seen first; (None, 0) when empty."""
    top = Counter(values).most_common(1)
    return top[0] if top else (None, 0)


def with_baselines(scores: dict, baselines: dict[str, tuple]) -> dict:
    """``scores`` with ``<score>_baseline`` after each score that has a baseline ``(value, rule)``."""
    merged = {}
    for key, value in scores.items():
        merged[key] = value
        if key in baselines:
            merged[key + BASELINE] = baselines[key][0]
    return merged


def write_table(out: TextIO, scores: dict, baselines: dict[str, tuple], width: int = 34, indent: str = "  ") -> None:
    """One line per score: its name, sitrep's value, the trivial baseline and the baseline's rule."""
    out.write(f"{indent}{'score':{width}s} {'sitrep':>8} {'baseline':>9}  baseline rule\n")
    for key, value in scores.items():
        if key.endswith(BASELINE):
            continue
        base, rule = baselines.get(key, ("", ""))
        flag = " <- below baseline" if _number(value) and _number(base) and _worse(key, value, base) else ""
        out.write(f"{indent}{key:{width}s} {value!s:>8} {base!s:>9}  {rule}{flag}\n")


def main_event(events, acled_only: bool = True):
    """The event an evaluator scores for a document: the highest confidence one.

    With ``acled_only`` only events that carry an ACLED ``sub_event_type`` count.
    Ties go to the event listed first. None when there is no candidate.
    """
    best = None
    for e in events:
        if acled_only and not e.sub_event_type:
            continue
        if best is None or e.confidence > best.confidence:
            best = e
    return best


def write_scores(out: TextIO, scores: dict, seconds: float, n: int, unit: str, width: int = 30,
                 baselines: dict[str, tuple] | None = None) -> None:
    """The scores one per line (with ``baselines``: a table of score, sitrep, baseline), the runtime,
    then all of them as one JSON line."""
    if baselines is not None:
        write_table(out, scores, baselines, width)
    else:
        for name, value in scores.items():
            out.write(f"  {name:{width}s} {value}\n")
    out.write(f"runtime {seconds:.1f}s ({n / seconds if seconds else 0:.1f} {unit}/s)\n")
    out.write("scores: " + json.dumps(scores, sort_keys=True) + "\n")


def rate(ok: int, n: int) -> float | None:
    """``ok / n`` rounded to 3 places; None for an empty set (so a floor on it fails loudly)."""
    return round(ok / n, 3) if n else None


def eval_workers() -> int:
    """Processes an evaluation predicts with: ``SITREP_EVAL_WORKERS``, else one per core (at most 4)."""
    value = os.environ.get("SITREP_EVAL_WORKERS", "")
    if value:
        try:
            return max(1, int(value))
        except ValueError as exc:
            raise UsageError(f"SITREP_EVAL_WORKERS={value!r} is not a whole number: set it to e.g. 1 or 2") from exc
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def predict(pipeline, articles: list, pick, out: TextIO, default=None, chunk: int = 64,
            workers: int | None = None) -> tuple[list, int]:
    """``pick(result)`` for every article, in order, and the number of articles the pipeline failed on.

    Articles go through ``process_many`` in chunks; a chunk that raises is redone one
    article at a time, and an article that still fails gets ``default`` (scored as a
    missing prediction) and a line on ``out`` — an evaluation measures, it does not stop.

    With more than one worker (``eval_workers()``) the chunks are shared among processes
    forked from this one, so the loaded model is shared copy-on-write; articles are
    analysed one at a time either way, so the predictions are the same.
    """
    workers = eval_workers() if workers is None else workers
    if workers > 1:  # smaller chunks share the work out evenly (a chunk only bounds the retry)
        chunk = max(1, min(chunk, -(-len(articles) // (workers * 4))))
    chunks = [articles[i:i + chunk] for i in range(0, len(articles), chunk)]
    if workers <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        done = (_predict_chunks(pipeline, [c], pick, out, default) for c in chunks)
        parts = list(track(done, "eval", total=len(chunks), unit="chunks"))
        return [p for got, _ in parts for p in got], sum(bad for _, bad in parts)
    global _FORKED
    _FORKED = (pipeline, chunks, pick, default)
    ctx = multiprocessing.get_context("fork")
    gc.freeze()  # the children's collectors leave the model's objects alone: their pages stay shared
    by_chunk: dict[int, list] = {}
    errors = 0
    try:
        with ctx.Pool(min(workers, len(chunks))) as pool:
            done = pool.imap_unordered(_predict_one, range(len(chunks)), chunksize=1)
            for i, picked, bad, log in track(done, "eval", total=len(chunks), unit="chunks"):
                out.write(log)
                errors += bad
                by_chunk[i] = picked
    finally:
        gc.unfreeze()
        _FORKED = None
    return [p for i in range(len(chunks)) for p in by_chunk[i]], errors


_FORKED: tuple | None = None  # what a forked prediction worker reads (set just before the fork)


def _predict_one(i: int) -> tuple[int, list, int, str]:
    pipeline, chunks, pick, default = _FORKED  # type: ignore[misc]
    log = io.StringIO()
    picked, errors = _predict_chunks(pipeline, [chunks[i]], pick, log, default)
    return i, picked, errors, log.getvalue()


def _predict_chunks(pipeline, chunks: list[list], pick, out: TextIO, default) -> tuple[list, int]:
    picked: list = []
    errors = 0
    for part in chunks:
        try:
            picked += [pick(r) for r in pipeline.process_many(part)]
            continue
        except Exception:  # noqa: BLE001 - retried one by one below
            pass
        for a in part:
            try:
                picked.append(pick(pipeline.process(a)))
            except Exception as exc:  # noqa: BLE001 - reported and scored as missing
                errors += 1
                out.write(f"  pipeline error on {a.origin or a.id}: {type(exc).__name__}: {exc}\n")
                picked.append(default)
    return picked, errors
