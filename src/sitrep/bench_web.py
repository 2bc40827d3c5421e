"""``sitrep bench --api``: the service and the dashboard under load, on a generated database.

1. A database of ``events`` synthetic events (the store benchmark's generator) is built.
2. ``sitrep serve`` runs on it in its own process, on loopback.
3. ApacheBench (Debian's ``apache2-utils``, a bounded load tool: a fixed number of
   requests at a fixed concurrency) asks ``clients`` at a time for one filtered page
   of 100 events; its p50 and p95 latencies are printed.
4. With Debian's ``chromium`` and ``chromium-driver`` present, the dashboard is opened in
   headless Chromium: the first load on a small database (1,000 events) and the time to
   fetch and draw every event of the big one on the map.

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, TextIO

from .errors import UsageError

PAGE_QUERY = "/api/events?type=Battles&since=2020-06-01&until=2021-06-30&min_fatalities=1&limit=100"


def run(*, events: int = 100_000, clients: int = 20, requests: int = 2000, workers: int = 1, out: TextIO) -> dict:
    ab = shutil.which("ab")
    if ab is None:
        raise UsageError("ApacheBench (ab) is not installed: run `bash scripts/debian.sh ab=apache2-utils`")
    figures: dict = {"events": events, "clients": clients, "requests": requests, "workers": workers}
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.db", Path(tmp) / "small.db"
        t0 = time.perf_counter()
        _build(big, events)
        _build(small, 1000)
        out.write(f"built databases of {events:,} and 1,000 synthetic events in {time.perf_counter() - t0:.0f} s\n")
        with _serving(big, workers) as base:
            figures.update(_load(ab, base + PAGE_QUERY, clients, requests))
            out.write(f"GET {PAGE_QUERY}\n  {workers} server process(es), {clients} clients, {requests} requests: p50 {figures['p50_ms']} ms, "
                      f"p95 {figures['p95_ms']} ms (target < 100), {figures['requests_per_s']} requests/s, "
                      f"{figures['failed']} failed\n")
            draw = _browser_times(base, timeout=900)
            if draw:
                figures["draw_all_s"], figures["drawn_events"] = draw["ready_s"], draw["events"]
                out.write(f"dashboard, {events:,} events: every event fetched and drawn in {draw['ready_s']} s "
                          f"({draw['events']:,} events; fetch {draw['fetch_s']} s)\n")
        with _serving(small) as base:
            first = _browser_times(base, timeout=60)
            if first:
                figures["first_load_s"] = first["ready_s"]
                out.write(f"dashboard, 1,000 events: first load {first['ready_s']} s (target < 2)\n")
        if not figures.get("first_load_s"):
            out.write("dashboard not timed: no chromium/chromium-driver (bash scripts/debian.sh "
                      "chromium=chromium chromedriver=chromium-driver)\n")
    out.write(json.dumps(figures) + "\n")
    return figures


def _build(path: Path, events: int) -> None:
    from .bench import _synthetic_results
    from .store import Store

    per = 5
    with Store.open(path) as store:
        store.save(_synthetic_results(max(1, events // per), per, 3, "w"), batch_size=200)


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _serving(db: Path, workers: int = 1) -> Iterator[str]:
    port = free_port()
    code = "from sitrep.cli import main; main()"
    proc = subprocess.Popen([sys.executable, "-c", code, "serve", "--db", str(db), "--port", str(port),
                             "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise UsageError(f"sitrep serve did not start on port {port}")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def _load(ab: str, url: str, clients: int, requests: int) -> dict:
    subprocess.run([ab, "-q", "-n", "20", "-c", "2", url], capture_output=True, check=False)  # warm up
    done = subprocess.run([ab, "-q", "-n", str(requests), "-c", str(clients), "-s", "60", url],
                          capture_output=True, text=True, check=False)
    text = done.stdout

    def number(pattern: str) -> float:
        m = re.search(pattern, text, re.M)
        if m is None:
            raise UsageError(f"could not read ApacheBench's output ({pattern}): {text[-400:] or done.stderr[-400:]}")
        return float(m[1])

    return {"p50_ms": number(r"^\s*50%\s+(\d+)"), "p95_ms": number(r"^\s*95%\s+(\d+)"),
            "p99_ms": number(r"^\s*99%\s+(\d+)"), "requests_per_s": number(r"Requests per second:\s+([\d.]+)"),
            "failed": int(number(r"Failed requests:\s+(\d+)"))}


#: How Debian's chromium runs headless here: no sandbox (root, containers), no GPU, and none of
#: its background calls to the network.
CHROMIUM_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1400,1000")


def headless_chromium():
    """A Selenium driver of Debian's ``chromium`` through ``chromium-driver``; None when either is missing
    (Selenium is then given both paths, so it never tries to download a browser of its own)."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver_path), options=options)


def _browser_times(base: str, timeout: float) -> dict | None:
    """Seconds from opening the dashboard to every event drawn, or None without a browser."""
    driver = headless_chromium()
    if driver is None:
        return None
    try:
        driver.set_script_timeout(timeout)
        driver.set_page_load_timeout(timeout)
        t0 = time.perf_counter()
        driver.get(base + "/")
        deadline = time.monotonic() + timeout
        while driver.execute_script("return document.body.dataset.ready") != "1":
            if time.monotonic() > deadline:
                raise UsageError(f"the dashboard did not finish loading in {timeout:.0f} s")
            time.sleep(0.05)
        ready = time.perf_counter() - t0
        fetch = driver.execute_script("return window.sitrep.fetchMs") / 1000
        n = driver.execute_script("return window.sitrep.markers.size")
        return {"ready_s": round(ready, 2), "fetch_s": round(fetch, 2), "events": n}
    finally:
        driver.quit()
