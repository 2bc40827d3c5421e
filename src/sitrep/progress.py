"""Progress on a terminal, silence elsewhere.

    for result in track(results, "ingest", unit="articles"):
        ...

A bar (or, without a total, a running count with the rate) is drawn on standard
error only when it is a terminal and ``CI`` is not set; in pipes, files and CI
the iterable passes through untouched. Messages written to standard error while
the bar runs (warnings, skipped documents) are printed above it.
"""

from __future__ import annotations

import os
import sys
from typing import Iterable, Iterator, TypeVar

__all__ = ["enabled", "track"]

T = TypeVar("T")


def enabled(stream=None) -> bool:
    """Whether to draw progress: a terminal, not CI, not a dumb terminal, not switched off."""
    stream = stream or sys.stderr
    if os.environ.get("CI") or os.environ.get("SITREP_NO_PROGRESS") or os.environ.get("TERM") == "dumb":
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def track(items: Iterable[T], label: str, *, total: int | None = None, unit: str = "articles") -> Iterator[T]:
    """``items``, with progress drawn on a terminal (see ``enabled``)."""
    if not enabled():
        yield from items
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskProgressColumn,
                               TextColumn, TimeElapsedColumn, TimeRemainingColumn)

    if total is None:
        # a stream of unknown length: how many so far, how fast, for how long
        columns = [SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} " + unit),
                   TaskProgressColumn(show_speed=True), TimeElapsedColumn()]
    else:
        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                   TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=False, redirect_stderr=True,
                  redirect_stdout=False) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)
