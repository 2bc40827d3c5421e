"""Shared fixtures: the real pipeline (one per session), the output schema, the article fixtures.

The pipeline loads spaCy and the gazetteer (built at ``~/.cache/sitrep/`` on
first use; CI builds it in scripts/setup.sh). Tests that use it are marked
``slow`` so they can be selected or left out with ``-m``.
"""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pytest

ARTICLES = Path(__file__).parent / "fixtures" / "articles"

#: Publication dates of the plain-text fixtures (a .txt file carries none of its own).
PUBLISHED = {
    "djibo_capture.txt": dt.date(2023, 5, 18),  # a Thursday
    "dori_insurgents.txt": dt.date(2023, 5, 18),
    "kadugli_no_attack.txt": dt.date(2022, 11, 10),
    "kenya_deploy_digits.txt": dt.date(2023, 7, 12),
    "chad_deploy_words.txt": dt.date(2023, 6, 26),
    "kombolcha_claim.txt": dt.date(2021, 12, 6),
    "lalibela_confirmed.txt": dt.date(2021, 12, 6),
    "lalibela_confirmed_dated.txt": dt.date(2021, 12, 6),
    "nyala_history.txt": dt.date(2023, 4, 20),
    "zamfara_statistic.txt": dt.date(2023, 6, 1),
    "gusau_dozens.txt": dt.date(2023, 6, 1),
    "bunia_repeat.txt": dt.date(2023, 3, 2),
    "kyaukme_chrome.txt": dt.date(2023, 11, 6),
}


@pytest.fixture(scope="session")
def pipeline():
    """The real pipeline, loaded once for the whole session."""
    from sitrep.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def schema_validator():
    """A validator for the ``sitrep.article/1`` output contract."""
    import jsonschema

    schema = json.loads(resources.files("sitrep").joinpath("schema/article-1.schema.json").read_text("utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.fixture(scope="session")
def extract_fixture(pipeline):
    """``extract_fixture("djibo_capture.txt")`` -> the article's output dict (cached per session)."""
    from sitrep.model import Article

    cache: dict[str, dict] = {}

    def run(name: str) -> dict:
        if name not in cache:
            text = (ARTICLES / name).read_text("utf-8")
            article = Article(text=text, published=PUBLISHED[name], origin=name)
            cache[name] = pipeline.process(article).to_dict()
        return cache[name]

    return run


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven through chromium-driver (one per session)."""
    import os

    from live import SHOTS
    from sitrep.bench_web import headless_chromium

    if os.environ.get("SITREP_SKIP_BROWSER"):
        pytest.skip("SITREP_SKIP_BROWSER is set")
    driver = headless_chromium()
    if driver is None:
        pytest.fail("no headless browser: install Debian's chromium and chromium-driver "
                    "(scripts/test.sh does), or set SITREP_SKIP_BROWSER=1")
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server of the test session's own (tests/pg.py): loopback, a free port, a temp
    folder, stopped at the end. Fails, saying how to install it, where PostgreSQL is missing;
    SITREP_SKIP_POSTGRES=1 skips instead."""
    import os

    from pg import NOT_INSTALLED, SKIP_ENV, PgServer, binaries

    if os.environ.get(SKIP_ENV):
        pytest.skip(f"{SKIP_ENV} is set")
    found = binaries()
    if found is None or not (found / "pg_ctl").exists():
        pytest.fail(NOT_INSTALLED, pytrace=False)
    server = PgServer.start()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server):
    """The URL of a new, empty schema (to sitrep, a database) on the session's PostgreSQL server."""
    return pg_server.create_schema()
