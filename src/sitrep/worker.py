"""A time budget per document: the work runs in a forked worker process.

    worker = Worker(pipeline.analyse, seconds=10)
    result = worker.run(article)   # the result, or InputError when over budget / crashed
    worker.close()

Why a process and not a signal: an alarm raised inside spaCy's compiled code, a
regular expression or lxml is not seen until that code returns, and an exception
thrown into arbitrary code can be swallowed by an ``except Exception`` below. A
process can always be killed, and its memory goes with it. The worker is forked
from the process that loaded the model and the gazetteer (copy-on-write, a few
milliseconds), so a killed worker is replaced at once. It never touches the
parent's SQLite connection: it only computes, and leaves through ``os._exit``.
An exception in the worker comes back and is raised in the parent, so the caller
sees the same errors as without a worker.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from typing import Any, Callable

from .errors import InputError

__all__ = ["Worker"]


def _serve(conn: Any, parent_end: Any, fn: Callable[[Any], Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    parent_end.close()  # else the parent closing its end would never reach us as EOF
    while True:
        try:
            item = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            reply = ("ok", fn(item))
        except Exception as exc:  # noqa: BLE001 - sent back and raised in the parent
            reply = ("error", exc)
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - an exception that does not pickle
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class Worker:
    """``fn(item)`` in a child process, at most ``seconds`` per item."""

    def __init__(self, fn: Callable[[Any], Any], seconds: float):
        self.fn, self.seconds = fn, seconds
        self._proc: Any = None
        self._conn: Any = None

    def _start(self) -> None:
        ctx = multiprocessing.get_context("fork")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, parent, self.fn), daemon=True, name="sitrep-worker")
        gc.freeze()  # the child's collector then leaves the model's objects alone: their pages stay shared
        try:
            self._proc.start()
        finally:
            gc.unfreeze()
        child.close()
        self._conn = parent

    def run(self, item: Any, origin: str | None = None) -> Any:
        """``fn(item)``; InputError when it takes longer than the budget or kills the worker."""
        origin = origin or getattr(item, "origin", "") or getattr(item, "id", "") or "document"
        if self._proc is None:
            self._start()
        try:
            self._conn.send(item)
            ready = self._conn.poll(self.seconds)
            status, value = self._conn.recv() if ready else ("timeout", None)
        except (EOFError, OSError):
            status, value = "crashed", None
        if status == "ok":
            return value
        if status == "error":
            raise value
        self._stop()
        if status == "timeout":
            raise InputError(origin, f"took more than {self.seconds:g} s to analyse and was skipped; "
                                     f"raise --max-seconds to analyse it, or lower --max-chars")
        raise InputError(origin, "stopped the worker analysing it (killed, e.g. out of memory) and was skipped; "
                                 "please report this document")

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.join()
            self._conn.close()
            self._proc = self._conn = None

    def close(self) -> None:
        """End the worker (it also ends with the parent: it is a daemon process)."""
        if self._proc is not None:
            if self._conn is not None:  # None when the process failed to start
                self._conn.close()  # the worker sees EOF and leaves
            self._proc.join(timeout=5)
            if self._proc.is_alive():
                self._proc.kill()
                self._proc.join()
            self._proc = self._conn = None
