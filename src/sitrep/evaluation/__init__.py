"""``sitrep eval``: scores on real third-party data, checked against floors.

Each evaluator returns a flat dict of scores; ``check_floors`` compares them
with the floors in the baseline file and fails (exit 1) when one drops.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import TextIO

from ..errors import UsageError


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
    out.write(json.dumps({"eval": name, "scores": scores, "failed": failed}, sort_keys=True) + "\n")
    return 1 if failed else 0


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


def write_scores(out: TextIO, scores: dict, seconds: float, n: int, unit: str, width: int = 30) -> None:
    """The scores one per line, the runtime, then all of them as one JSON line."""
    for name, value in scores.items():
        out.write(f"  {name:{width}s} {value}\n")
    out.write(f"runtime {seconds:.1f}s ({n / seconds if seconds else 0:.1f} {unit}/s)\n")
    out.write("scores: " + json.dumps(scores, sort_keys=True) + "\n")


def rate(ok: int, n: int) -> float | None:
    """``ok / n`` rounded to 3 places; None for an empty set (so a floor on it fails loudly)."""
    return round(ok / n, 3) if n else None


def predict(pipeline, articles: list, pick, out: TextIO, default=None, chunk: int = 64) -> tuple[list, int]:
    """``pick(result)`` for every article, in order, and the number of articles the pipeline failed on.

    Articles go through ``process_many`` in chunks; a chunk that raises is redone one
    article at a time, and an article that still fails gets ``default`` (scored as a
    missing prediction) and a line on ``out`` — an evaluation measures, it does not stop.
    """
    picked: list = []
    errors = 0
    for i in range(0, len(articles), chunk):
        part = articles[i:i + chunk]
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
