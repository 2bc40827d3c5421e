"""Property-based fuzzing (hypothesis) of every reader and of the date and number parsers.

The properties: only sitrep's own error types escape (a reader yields an Article or
an InputError per document, never raises), and each input is read within a time
budget. The whole file is a smoke run bounded to well under a minute
(``FUZZ_EXAMPLES`` examples per reader, no shrinking deadline); set
``SITREP_FUZZ_EXAMPLES`` for a longer run. Inputs tried and findings are in
docs/hardening.md.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep import dates, quantities
from sitrep.errors import InputError, SitrepError
from sitrep.feeds import iter_feed
from sitrep.model import Article
from sitrep.sources import iter_articles, parse_published

FUZZ_EXAMPLES = int(os.environ.get("SITREP_FUZZ_EXAMPLES", "60"))
BUDGET_S = 5.0  # per input, reading only (the analysis has its own --max-seconds worker)
fuzz = settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

# pieces that broke readers before, mixed with random text
NASTY = ["&nbsp;", "&eacute;", "&org;", "&#0;", "&#x110000;", "&#233;", "]]>", "<![CDATA[", "<!--", "<!DOCTYPE x [",
         '<!ENTITY e SYSTEM "file:///etc/passwd">', "&e;", "\x00", "\x1b[2J", "\ufeff", "\ud800", "<meta charset=hex>",
         '<meta charset="rot13">', '<meta charset="punycode">', "<div>" * 300, "[" * 1500, "{" * 1500, '"',
         "9999-12-31", "0001-01-01", "on Monday", "tomorrow", "\r\n", "\n\n", "<p>", "</p>", "<script>", "1" * 400]
texts = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=40)), max_size=25).map("".join)
blobs = st.one_of(texts.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=600),
                  texts.map(lambda t: t.encode("utf-16", "surrogatepass")),
                  texts.map(lambda t: t.encode("cp1252", "replace")))


def _read_all(path) -> list:
    t0 = time.monotonic()
    items = list(iter_articles([str(path)], published=dt.date(2022, 3, 7)))
    assert time.monotonic() - t0 < BUDGET_S
    assert items and all(isinstance(i, (Article, InputError)) for i in items)
    for a in (i for i in items if isinstance(i, Article)):
        assert a.text.strip()
        assert a.published is None or dates.implausible_published(a.published) is None
    return items


@pytest.mark.parametrize("suffix", [".txt", ".html", ".jsonl", ".rss"])
def test_fuzz_file_readers(tmp_path_factory, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"doc{suffix}"

    @fuzz
    @given(blobs)
    def check(data):
        path.write_bytes(data)
        _read_all(path)

    check()


def _wrap_html(body: str, charset: str) -> bytes:
    return f'<html><head><meta charset="{charset}"><title>t</title></head><body><article><p>{body}</p>' \
           f"</article></body></html>".encode("utf-8", "surrogatepass") + b"\xff"


@fuzz
@given(texts, st.sampled_from(["hex", "base64", "zlib", "rot13", "uu", "bz2", "quopri", "idna", "punycode",
                               "utf-16", "utf-7", "cp1252", "koi8-r", "shift_jis", "nonsense", "utf-8"]))
def test_fuzz_html_with_declared_charsets(tmp_path_factory, body, charset):
    path = tmp_path_factory.mktemp("html") / "page.html"
    path.write_bytes(_wrap_html(body, charset))
    _read_all(path)


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | texts,
                           lambda kids: st.lists(kids, max_size=4) | st.dictionaries(texts, kids, max_size=4),
                           max_leaves=20)
records = st.fixed_dictionaries({}, optional={"text": json_values | texts, "html": json_values | texts,
                                              "published": json_values | st.dates().map(str), "id": json_values,
                                              "title": json_values, "url": json_values})


@fuzz
@given(st.lists(records, min_size=1, max_size=5))
def test_fuzz_json_lines(tmp_path_factory, recs):
    import json

    path = tmp_path_factory.mktemp("jsonl") / "d.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in recs) + "\n", "utf-8", errors="surrogatepass")
    items = _read_all(path)
    assert len(items) == len(recs)  # one Article or one InputError per line, whatever the line holds


feed_items = st.lists(st.tuples(texts, texts, st.one_of(st.none(), texts, st.datetimes().map(str))), max_size=4)


@fuzz
@given(feed_items, st.sampled_from(["", "<!DOCTYPE rss>", '<!DOCTYPE rss [<!ENTITY org "Org">]>',
                                    '<!DOCTYPE rss SYSTEM "http://example.org/rss.dtd">']))
def test_fuzz_feeds(items, doctype):
    body = "".join(f"<item><title>{t}</title><pubDate>{d or ''}</pubDate><description>{b}</description></item>"
                   for t, b, d in items)
    data = f'<?xml version="1.0"?>{doctype}<rss><channel><title>F</title>{body}</channel></rss>'.encode(
        "utf-8", "surrogatepass")
    t0 = time.monotonic()
    for item in iter_feed(data, "f.rss"):
        assert not isinstance(item, Exception) or isinstance(item, InputError)
    assert time.monotonic() - t0 < BUDGET_S


@fuzz
@given(blobs)
def test_fuzz_stdin(data):
    items = list(iter_articles(["-"], stdin=io.BytesIO(data)))
    assert items and all(isinstance(i, (Article, InputError)) for i in items)


@fuzz
@given(texts, st.one_of(st.none(), st.dates()))
def test_fuzz_date_expressions(expr, published):
    when = dates.resolve(expr, published)
    assert when is None or isinstance(when.date, dt.date)


@fuzz
@given(st.one_of(texts, st.dates(), st.datetimes(), st.integers(), st.floats(), st.none()))
def test_fuzz_publication_dates(value):
    try:
        day = parse_published(value, "x")
    except SitrepError:
        return
    assert day is None or dates.implausible_published(day) is None


@fuzz
@given(texts, texts)
def test_fuzz_numbers(text, prefix):
    t0 = time.monotonic()
    amt = quantities.amount(text, prefix)
    assert amt is None or isinstance(amt.value, int)
    quantities.parse_number(text)
    assert time.monotonic() - t0 < BUDGET_S
