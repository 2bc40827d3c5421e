"""One exception tree for sitrep. Every message says what to do next.

    SitrepError
     ├── InputError          a document could not be read (names file and line)
     ├── GazetteerError      the place index is missing or corrupt
     ├── ModelError          the spaCy model or a trained model file cannot be loaded
     ├── StoreError          the database cannot be opened or written
     └── UsageError          a bad option value (bad date, unknown format ...)

Errors raised by libraries below sitrep are translated where they occur
(``raise InputError(...) from exc``) so callers only ever catch SitrepError.
Whatever else a document makes fail becomes ``could_not_process(origin, exc)``,
an InputError for that document alone.
"""

from __future__ import annotations


class SitrepError(Exception):
    """Root of every error sitrep raises on purpose."""


class InputError(SitrepError):
    """A document could not be read. Carries where (origin, line) and why."""

    def __init__(self, origin: str, message: str, line: int | None = None):
        self.origin = origin
        self.line = line
        self.reason = message
        where = f"{origin}:{line}" if line is not None else origin
        super().__init__(f"{where}: {message}")


def could_not_process(origin: str, exc: BaseException, line: int | None = None) -> InputError:
    """The InputError for a document that made sitrep itself fail (a bug, or a library
    below choking on it): it costs that document only."""
    if isinstance(exc, RecursionError):
        why = "is nested too deeply to be read (RecursionError); flatten it"
    elif isinstance(exc, MemoryError):
        why = "needs more memory than there is (MemoryError); split it, or lower SITREP_MAX_BYTES"
    else:
        why = f"could not be processed ({type(exc).__name__}: {exc}); skipped - please report this document"
    return InputError(origin, why, line)


class GazetteerError(SitrepError):
    """The compiled place index is missing, unreadable or out of date."""


class ModelError(SitrepError):
    """The configured spaCy model, or one of sitrep's trained model files, is missing or fails to load."""


class StoreError(SitrepError):
    """The event database cannot be opened, migrated or written."""


class UsageError(SitrepError):
    """An option has a value sitrep cannot use (a date that is not a date ...)."""
