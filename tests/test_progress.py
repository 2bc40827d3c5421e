"""Long runs show progress on a terminal and stay quiet in pipes and CI."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from sitrep import progress

SAMPLE = Path(__file__).parent.parent / "samples" / "ukraine-2022"


def test_track_passes_items_through_untouched_off_a_terminal(capsys):
    assert list(progress.track(iter(range(5)), "ingest")) == [0, 1, 2, 3, 4]
    assert capsys.readouterr().err == ""


def test_ci_switches_progress_off_even_on_a_terminal(monkeypatch):
    master, slave = pty.openpty()
    with os.fdopen(slave, "w") as tty:
        monkeypatch.delenv("CI", raising=False)
        monkeypatch.delenv("SITREP_NO_PROGRESS", raising=False)
        monkeypatch.setenv("TERM", "xterm")
        assert progress.enabled(tty)
        monkeypatch.setenv("CI", "true")
        assert not progress.enabled(tty)
    os.close(master)


def _ingest(tmp_path: Path, on_terminal: bool) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "SITREP_NO_PROGRESS")} | {"TERM": "xterm"}
    args = [sys.executable, "-m", "sitrep", "ingest", str(SAMPLE), "--db", str(tmp_path / "p.db")]
    if not on_terminal:
        return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300).stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=300)
    os.close(master)
    return seen.decode("utf-8", "replace")


@pytest.mark.slow
def test_ingest_draws_progress_on_a_terminal_and_not_in_a_pipe(tmp_path):
    drawn = _ingest(tmp_path, on_terminal=True)
    assert "ingest" in drawn and "/s" in drawn and "articles" in drawn
    piped = _ingest(tmp_path, on_terminal=False)
    assert "it/s" not in piped and "\x1b[" not in piped  # no bar, no terminal codes
    assert "articles read" in piped  # the summary line is still there
