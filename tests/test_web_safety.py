"""Untrusted article text, titles, URLs and sources stay inert: in the Markdown and HTML report,
the article view, the dashboard (in a real headless Chromium) and the CSV.

Each hostile case has its twin: the same place with an ordinary value still works."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace

import httpx
import pytest

from live import serving, wait
from sitrep import markdown as md
from sitrep import query, report
from sitrep.export import write_csv
from sitrep.model import Article, ArticleResult, Event, Place, Span
from sitrep.store import Store

TOWN = Place("Kramatorsk", 704508, 48.72, 37.56, "UA", "Donetska oblast", None, "PPL", 150000)
SCRIPT = "<script>window.pwned = 1</script>"
IMG = '<img src=x onerror="window.pwned = 2">'
SVG = '<svg onload="window.pwned = 3">'
SENTENCE = f"Shelling hit the station {SCRIPT} {IMG} {SVG} on Monday."
BAD_SOURCE = "x](javascript:document.title='PWNED') [y"


def _result(aid: str, *, url: str, source: str, title: str, text: str = SENTENCE) -> ArticleResult:
    article = Article(text=text, id=aid, published=dt.date(2022, 4, 12), source=source, url=url, title=title)
    event = Event(id=f"{aid}-0", event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
                  plover="ASSAULT", actor1="Military Forces of Russia", actor2=None, place=TOWN, precision=1,
                  date="2022-04-11", date_precision=1, fatalities=2, counts={"killed": 2}, status="happened",
                  claim="reported", claimed_by=None, evidence=(Span(0, len(text), text),), confidence=0.9)
    return ArticleResult(article=article, events=(event,))


HOSTILE = dict(url="javascript:window.pwned=4", source=BAD_SOURCE, title=f'"><b onmouseover="window.pwned=5">{SCRIPT}')
PLAIN = dict(url="https://example.org/a?x=1&y=(2)", source="Wire A", title="Station shelled")


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "s.db") as s:
        s.save([_result("bad", **HOSTILE)])
        yield s


def _report(store, fmt: str) -> str:
    out = io.StringIO()
    report.write(store, out, dt.date(2022, 4, 1), dt.date(2022, 4, 30), fmt=fmt, base_url="http://host:9")
    return out.getvalue()


# ---- the Markdown and HTML report ------------------------------------------------------------

def test_a_javascript_url_is_never_a_link_and_an_http_one_is():
    assert md.link("x", "javascript:alert(1)") == "x" and md.safe_url("data:text/html,hi") is None
    assert md.link("x", "https://example.org/a") == "[x](https://example.org/a)"
    assert md.link("x", "/articles/7") == "[x](/articles/7)" and md.safe_url("//evil.example/x") is None


def test_a_source_cannot_inject_a_second_link(store):
    page = _report(store, "html")
    assert "javascript:" not in page.replace("x](javascript:document.title=&#x27;PWNED&#x27;) [y", "")
    assert 'href="javascript' not in page
    assert "x](javascript:document.title=&#x27;PWNED&#x27;) [y</a>" in page  # the name, as text, in its own link


def test_ampersands_are_escaped_once_and_a_parenthesis_does_not_cut_a_link(store):
    store.save([_result("ok", **PLAIN)])
    page = _report(store, "html")
    assert 'href="https://example.org/a?x=1&amp;y=%282%29"' in page and "&amp;amp;" not in page
    lines = "\n".join(report.build(store, dt.date(2022, 4, 1), dt.date(2022, 4, 30)))
    assert "([original](https://example.org/a?x=1&y=%282%29))" in lines


def test_html_from_articles_is_inert_in_the_markdown_and_the_html_report(store):
    for fmt in ("md", "html"):
        page = _report(store, fmt)
        for raw in ("<script>", "<img", "<svg onload"):
            assert raw not in page, (fmt, raw)
        assert fmt == "md" or 'onerror="' not in page
        assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page  # shown, as text
    assert "<svg class=\"map\"" in _report(store, "html")  # the report's own SVG is still drawn


def test_the_report_keeps_ordinary_text_as_it_is(tmp_path):
    with Store.open(tmp_path / "plain.db") as store:
        store.save([_result("ok", **PLAIN, text="Shelling hit the station on Monday, killing two.")])
        page = _report(store, "md")
    assert "\u201cShelling hit the station on Monday, killing two.\u201d" in page
    assert "[Wire A](http://host:9/articles/ok)" in page


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    west = Place("Gao", 2457163, 16.27, -0.04, "ML", "Gao", None, "PPL", 87000)  # a negative longitude
    with Store.open(tmp_path / "csv.db") as store:
        hostile = _result("f", url="https://example.org/f", source="@SUM(A1)", title="t",
                          text='=HYPERLINK("http://evil.example","click") said the army.')
        store.save([replace(hostile, events=(replace(hostile.events[0], place=west, actor1="+cmd"),))])
        rows = query.run(store, query.EventQuery())
    out = io.StringIO()
    write_csv(rows, out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["notes"].startswith("'=HYPERLINK") and row["source"] == "'@SUM(A1)" and row["actor1"] == "'+cmd"
    assert row["longitude"] == "-0.04" and row["location"] == "Gao"  # numbers and plain text stay as they are


# ---- the article view and the dashboard, in the browser --------------------------------------

@pytest.mark.slow
def test_hostile_articles_render_as_text_in_the_dashboard_and_the_article_view(tmp_path, browser):
    db = tmp_path / "hostile.db"
    with Store.open(db) as s:  # one event told by a hostile page and by an ordinary one: merged
        s.save([_result("bad", **HOSTILE), _result("ok", **PLAIN)])
    with serving(db) as base:
        page = httpx.get(f"{base}/articles/bad").text
        assert "<script>window" not in page and 'href="javascript' not in page
        browser.get(f"{base}/articles/bad")
        assert browser.execute_script("return window.pwned === undefined")
        assert SCRIPT in browser.find_element("css selector", "mark.evidence").text  # shown as text

        browser.get(base + "/")
        wait(lambda: browser.execute_script("return document.body.dataset.ready === '1'"), what="the dashboard")
        browser.find_element("css selector", "#events tbody tr").click()
        wait(lambda: len(browser.find_elements("css selector", "#detail .source")) == 2, what="both sources")
        assert SCRIPT in browser.find_element("css selector", "#detail").text
        hrefs = [a.get_attribute("href") or "" for a in browser.find_elements("css selector", "#detail a")]
        assert not any(h.startswith("javascript") for h in hrefs)
        assert any(h.startswith("https://example.org/a?x=1&y=(2)") for h in hrefs)  # the ordinary link works
        for a in browser.find_elements("css selector", "#detail a, #detail b"):
            browser.execute_script("arguments[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}))", a)
        assert browser.execute_script("return window.pwned === undefined")

        browser.get(f"{base}/api/report?since=2022-04-01&until=2022-04-30&format=html")
        assert browser.execute_script("return window.pwned === undefined && document.title !== 'PWNED'")
        hrefs = [a.get_attribute("href") or "" for a in browser.find_elements("css selector", "a")]
        assert hrefs and not any(h.startswith("javascript") for h in hrefs)
