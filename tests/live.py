"""A real sitrep service on a free loopback port, for the API and browser tests."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def serving(db: Path, token: str | None = None, pipeline=None) -> Iterator[str]:
    """``with serving(db) as base:`` -> "http://127.0.0.1:PORT", uvicorn running in a thread."""
    import uvicorn

    from sitrep.api import Settings, create_app
    from sitrep.bench_web import free_port

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(db=str(db), token=token), pipeline),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "ukraine-2022" / "dispatches.jsonl"


def sample_db(pipeline, path: Path) -> Path:
    """A database of the bundled sample corpus (64 dispatches), ingested by the real pipeline."""
    from sitrep.sources import iter_articles
    from sitrep.store import Store

    with Store.open(path) as store:
        store.save(pipeline.process_many(a for a in iter_articles([str(SAMPLE)]) if not isinstance(a, Exception)))
    return path


SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


def wait(check, timeout: float = 15.0, what: str = "the page"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
