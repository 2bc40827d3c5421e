"""Feeds and dumps as they arrive: titles read as the first paragraph, headlines alone are
articles, the outlet named as readers know it, the feed kept, and gzipped JSON Lines."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.model import Article
from sitrep.sources import iter_articles, read_feed, titled

DAY = dt.date(2023, 5, 10)


def read(*paths: Path) -> list[Article | InputError]:
    return list(iter_articles([str(p) for p in paths]))


def rss(channel: str, items: str, extra: str = "") -> bytes:
    return (f"<rss version='2.0' xmlns:atom='http://www.w3.org/2005/Atom'><channel><title>{channel}</title>"
            f"{extra}{items}</channel></rss>").encode()


@pytest.mark.parametrize(("title", "body", "text", "offset"), [
    ("Dam breached", "Water flooded three villages.", "Dam breached\n\nWater flooded three villages.", 0),
    ("Dam breached", "Dam breached on Sunday, flooding three villages.", "Dam breached on Sunday, flooding three villages.", 0),
    ("Dam breached", "\n  Dam breached at dawn.", "\n  Dam breached at dawn.", 3),  # already there: not read twice
    ("Dam breached", "   ", "Dam breached", 0),
    (None, "Water flooded three villages.", "Water flooded three villages.", None),
])
def test_the_title_is_the_first_paragraph_unless_the_text_opens_with_it(title, body, text, offset):
    assert titled(title, body) == (text, offset)
    if offset is not None:
        assert text[offset:offset + len(title)] == title


def test_feed_source_is_the_outlet_and_the_feed_is_kept():
    items = ("<item><title>Strike hits depot</title><link>https://edition.cnn.com/2024/05/02/depot</link>"
             "<description>&lt;p&gt;A drone struck a &lt;b&gt;fuel depot&lt;/b&gt; overnight.&lt;/p&gt;</description></item>")
    [cnn] = read_feed(rss("CNN.com - RSS Channel - World", items), "http://rss.cnn.com/rss/edition_world.rss")
    assert (cnn.source, cnn.feed) == ("CNN", "http://rss.cnn.com/rss/edition_world.rss")
    assert cnn.text == "Strike hits depot\n\nA drone struck a fuel depot overnight."  # HTML reduced to text
    # an outlet the table does not know: the channel's title
    [local] = read_feed(rss("Valley Courier", items.replace("edition.cnn.com", "courier.example.org")), "dump.xml")
    assert (local.source, local.feed) == ("Valley Courier", "dump.xml")
    # no channel title: the site's domain, never the feed's address
    [bare] = read_feed(rss("", items.replace("edition.cnn.com", "www.courier.example.org")), "https://feeds.example.org/x")
    assert bare.source == "courier.example.org"


def test_a_saved_feed_file_keeps_the_address_the_feed_gives_itself(tmp_path):
    item = "<item><title>Road reopened</title><description>The road reopened.</description></item>"
    self_link = "<atom:link rel='self' href='https://news.example.net/world.rss'/>"
    path = tmp_path / "saved.rss"
    path.write_bytes(rss("Example News", item, self_link))
    [article] = read(path)
    assert article.feed == "https://news.example.net/world.rss"
    # polled from a URL, the polled address is kept
    [polled] = read_feed(path.read_bytes(), "https://mirror.example.net/world.rss")
    assert polled.feed == "https://mirror.example.net/world.rss"


def test_html_in_a_title_is_reduced_to_text():
    item = "<item><title>&lt;b&gt;Live:&lt;/b&gt;   talks   resume</title><description>Talks resumed.</description></item>"
    [article] = read_feed(rss("Wire", item), "f.rss")
    assert article.title == "Live: talks resume"
    assert article.text.startswith("Live: talks resume\n\n")


def test_jsonl_title_only_record_is_an_article_and_an_empty_record_is_not(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (
        {"title": "Militia seizes border post", "url": "https://www.bbc.co.uk/news/x"},
        {"title": "  ", "url": "https://www.bbc.co.uk/news/y"},
    )) + "\n")
    headline, empty = read(path)
    assert (headline.text, headline.title_offset, headline.source) == ("Militia seizes border post", 0, "BBC News")
    assert isinstance(empty, InputError) and empty.line == 2


def test_gzipped_jsonl_is_read_like_plain(tmp_path):
    records = [{"id": f"r{i}", "title": f"Item {i}", "text": f"Body of item {i}."} for i in range(3)]
    plain, zipped = tmp_path / "a.jsonl", tmp_path / "b.jsonl.gz"
    plain.write_text("".join(json.dumps(r) + "\n" for r in records))
    with gzip.open(zipped, "wt") as f:
        f.write(plain.read_text())
    a, b = read(plain), read(zipped)
    assert [x.text for x in a] == [x.text for x in b] == [f"Item {i}\n\nBody of item {i}." for i in range(3)]
    assert [x.origin for x in b] == [f"{zipped}:{i}" for i in (1, 2, 3)]
    # found when walking a directory too
    assert [x.id for x in read(tmp_path)] == ["r0", "r1", "r2"] * 2


def test_a_damaged_gzip_file_is_an_error_naming_it_and_the_next_input_is_read(tmp_path):
    whole = gzip.compress(b"".join(json.dumps({"text": f"Line {i} of the dump."}).encode() + b"\n" for i in range(200)))
    broken = tmp_path / "cut.jsonl.gz"
    broken.write_bytes(whole[: len(whole) // 2])
    after = tmp_path / "after.txt"
    after.write_text("The next input.")
    *got, error, last = read(broken, after)
    assert all(isinstance(a, Article) for a in got)  # what came before the damage is kept
    assert isinstance(error, InputError) and error.origin == str(broken)
    assert "not a whole gzip file" in error.reason and "gzip" in error.reason
    assert last.text == "The next input."


# ---------------------------------------------------------------- the title in the engine


def _events(pipeline, title: str, body: str):
    text, offset = titled(title, body)
    article = Article(text=text, title=title, title_offset=offset, published=DAY)
    return pipeline.process(article).events


@pytest.mark.slow
def test_a_headline_alone_is_read_for_its_event(pipeline):
    [event] = _events(pipeline, "Eleven family members killed in air strike on village", "")
    assert event.sub_event_type == "Air/drone strike" and event.fatalities == 11
    assert event.evidence[0].start == 0


@pytest.mark.slow
def test_the_same_headline_as_a_heading_of_plain_text_is_skipped(pipeline):
    # without title_offset the line is only a heading of the page, as before
    text = "Eleven family members killed in air strike on village"
    assert pipeline.process(Article(text=text, published=DAY)).events == ()


@pytest.mark.slow
def test_a_headline_the_body_tells_again_is_one_event_the_bodys(pipeline):
    body = ("A drone strike on a house in the village of Kurram killed eleven members of one family on Monday, "
            "local officials said.")
    events = _events(pipeline, "Eleven family members killed in air strike", body)
    assert [e.sub_event_type for e in events] == ["Air/drone strike"]
    assert events[0].evidence[0].start > 0 and events[0].date == "2023-05-08"  # the body's report, its own date
