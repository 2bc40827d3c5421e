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


def rate(ok: int, n: int) -> float | None:
    """``ok / n`` rounded to 3 places; None for an empty set (so a floor on it fails loudly)."""
    return round(ok / n, 3) if n else None
