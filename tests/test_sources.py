"""Reading documents: every input kind, and every kind of bad input yielding an InputError."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from sitrep.errors import InputError, UsageError
from sitrep.model import Article
from sitrep.sources import DEFAULT_MAX_BYTES, iter_articles, parse_published, read_html

FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
DAY = dt.date(2020, 1, 2)

PARAGRAPH = (
    "Volunteers cleared fallen branches from the cemetery lane on Saturday, "
    "and the county promised to send a chipper before the end of the month."
)
PAGE = f"""<!DOCTYPE html><html lang="de-AT"><head><title>Lane cleared</title>
<link rel="canonical" href="https://www.lakeside-echo.example.com/lane"></head>
<body><nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article><p>{PARAGRAPH}</p><p>Residents brought rakes, gloves and a trailer for the larger limbs.</p></article>
<footer>Copyright Lakeside Echo</footer></body></html>"""


def read(*paths: object, **kwargs: object) -> list[Article | InputError]:
    return list(iter_articles([str(p) for p in paths], **kwargs))


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def jsonl(path: Path, *lines: object) -> Path:
    return write(path, "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))


# ---------------------------------------------------------------- plain text


def test_txt_text_is_the_file_content_unchanged(tmp_path: Path) -> None:
    content = "  Two shops burned in Ségou — police said.\r\n\r\nNo one was hurt.\n\n"
    path = write(tmp_path / "ségou.txt", content)
    [article] = read(path, published=DAY)
    assert article.text == content
    start = content.index("police")
    assert article.text[start : start + 6] == "police"
    assert article.origin == str(path)
    assert article.published == DAY
    assert (article.title, article.url, article.source) == (None, None, None)
    assert article.id == Article.make_id(None, content)


def test_txt_utf8_byte_order_mark_is_not_text(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfRain stopped play.")
    [article] = read(path)
    assert article.text == "Rain stopped play."
    assert article.published is None


# ---------------------------------------------------------------- HTML


def test_wordpress_page_keeps_article_and_drops_chrome() -> None:
    [article] = read(FIXTURES / "wordpress_post.html", published=DAY)
    assert isinstance(article, Article)
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Rising water closed the river road north of Marlow Ferry")
    assert paragraphs[3].endswith("anyone who preferred not to stay put.")
    for chrome in (
        "Leave a Reply", "Related News", "Bridge repairs", "drainage upgrades", "Tobias", "nobody fixed the drains",
        "Post Comment", "email address", "Recent Posts", "Proudly powered", "Contact us", "Tagged",
    ):
        assert chrome not in article.text
    assert article.title == "Flooding cuts the river road near Marlow Ferry"
    assert article.published == dt.date(2023, 3, 14)  # the page's own date wins over the default
    assert article.source == "The Valley Courier"
    assert article.url == "https://valleycourier.example.org/2023/03/14/flooding-river-road/"
    assert article.language == "en"
    assert article.origin == str(FIXTURES / "wordpress_post.html")


def test_html_without_date_or_site_name_uses_default_and_hostname(tmp_path: Path) -> None:
    [article] = read(write(tmp_path / "lane.htm", PAGE), published=DAY)
    assert article.text == PARAGRAPH + "\n\nResidents brought rakes, gloves and a trailer for the larger limbs."
    assert article.published == DAY
    assert article.source == "lakeside-echo.example.com"
    assert article.language == "de"
    assert article.title == "Lane cleared"


def test_html_lists_and_line_breaks_become_separate_lines(tmp_path: Path) -> None:
    page = PAGE.replace(
        "<p>Residents", "<ul><li>Gloves were handed out.</li><li>Tea was served.</li></ul><p>Line one<br>line two.</p><p>Residents"
    )
    [article] = read(write(tmp_path / "list.html", page))
    assert article.text.split("\n\n")[1:4] == ["Gloves were handed out.", "Tea was served.", "Line one\nline two."]


def test_read_html_gives_the_fields() -> None:
    article = read_html(PAGE, "inline")
    assert article.origin == "inline"
    assert article.text.startswith("Volunteers cleared fallen branches")
    assert article.url == "https://www.lakeside-echo.example.com/lane"


def test_html_in_declared_legacy_charset_is_decoded(tmp_path: Path) -> None:
    page = PAGE.replace("<head>", '<head><meta charset="iso-8859-1">').replace("Saturday", "Saturday in Zürich")
    [article] = read(write(tmp_path / "latin.html", page.encode("latin-1")))
    assert "Saturday in Zürich" in article.text


def test_html_invalid_utf8_without_charset_is_an_error(tmp_path: Path) -> None:
    data = PAGE.replace("Saturday", "Saturday in Zürich").encode("latin-1")
    path = write(tmp_path / "latin.html", data)
    [error] = read(path)
    assert isinstance(error, InputError)
    assert error.origin == str(path)
    offset = data.index("ü".encode("latin-1"))
    assert f"invalid UTF-8 at byte offset {offset}" in error.reason
    assert "re-encode" in error.reason and "<meta charset>" in error.reason


@pytest.mark.parametrize(
    "menu",
    [
        "<html><body><nav><ul><li><a href='/a'>News</a></li><li><a href='/b'>Sport</a></li></ul></nav></body></html>",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",  # trafilatura's fallback returns "Home"
        "plain words but no markup at all",
    ],
    ids=["menu-list", "lone-link", "no-markup"],
)
def test_html_page_without_main_text_is_an_error_and_reading_goes_on(tmp_path: Path, menu: str) -> None:
    bad = write(tmp_path / "menu.html", menu)
    good = write(tmp_path / "good.txt", "Still read.")
    error, article = read(bad, good)
    assert isinstance(error, InputError) and error.origin == str(bad)
    assert "no main text found" in error.reason
    assert article.text == "Still read."


# ---------------------------------------------------------------- JSON Lines


def test_jsonl_text_html_and_published_variants(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "batch.jsonl",
        {"id": "a1", "title": "Kept", "text": "  Text is kept as is.\n", "url": "https://www.news.example.org/x",
         "published": "2024-03-15", "language": "EN-us"},
        {"text": "Late night report.", "published": "2024-03-15T23:30:00-05:00", "source": "Wire"},
        {"html": PAGE, "title": "Override"},
        "",
        {"text": "No date here.", "id": 42},
    )
    a, b, c, d = read(path, published=DAY)
    assert (a.id, a.title, a.text, a.title_offset, a.published, a.source, a.language) == (
        "a1", "Kept", "Kept\n\n  Text is kept as is.\n", 0, dt.date(2024, 3, 15), "news.example.org", "en"
    )  # the title is the first paragraph; the text follows as given
    assert a.origin == f"{path}:1"
    assert b.published == dt.date(2024, 3, 15)  # its own calendar day, not the UTC one
    assert b.source == "Wire" and b.id == Article.make_id(None, "Late night report.")
    assert (b.title, b.title_offset) == (None, None)
    assert c.text.startswith("Override\n\nVolunteers cleared fallen branches") and "\n\nResidents brought" in c.text
    assert (c.title, c.url, c.source, c.published, c.language) == (
        "Override", "https://www.lakeside-echo.example.com/lane", "lakeside-echo.example.com", DAY, "de"
    )
    assert c.origin == f"{path}:3"
    assert (d.id, d.published, d.origin) == ("42", DAY, f"{path}:5")  # blank line 4 skipped, still counted


def test_jsonl_bad_lines_are_errors_and_the_rest_goes_on(tmp_path: Path) -> None:
    lines = [
        b'["not", "an", "object"]',
        b"17",
        b'{"text": "broken" "json"}',
        b'{"url": "https://wire.example.org/no-body"}',
        b'{"text": "   "}',
        b'{"text": "bad date", "published": "2021-13-45"}',
        b'{"text": "vague date", "published": "yesterday-ish"}',
        b'{"text": "caf\xe9"}',
        b'{"text": "fine", "title": 5}',
        b'{"html": "<html><body><nav><a href=\'/\'>Home</a></nav></body></html>"}',
        b'{"text": "The last line is read."}',
    ]
    path = write(tmp_path / "mixed.jsonl", b"\n".join(lines) + b"\n")
    results = read(path)
    *errors, last = results
    assert [e.line for e in errors] == list(range(1, 11))
    assert all(isinstance(e, InputError) and e.origin == str(path) for e in errors)
    reasons = [e.reason for e in errors]
    assert reasons[0].startswith("is an array, not a JSON object")
    assert reasons[1].startswith("is a number, not a JSON object")
    assert reasons[2].startswith("not valid JSON (Expecting ',' delimiter at column 19)")
    assert reasons[3].startswith('object has neither "text" nor "html"')
    assert reasons[4].startswith('"text" is empty')
    assert "'2021-13-45' is not a date; expected an ISO 8601 date such as 2024-03-15" in reasons[5]
    assert "'yesterday-ish' is not a date" in reasons[6]
    offset = sum(len(x) + 1 for x in lines[:7]) + lines[7].index(b"\xe9")
    assert reasons[7].startswith(f"invalid UTF-8 at byte offset {offset}; re-encode it as UTF-8")
    assert reasons[8] == '"title" must be a string, not int'
    assert reasons[9].startswith("no main text found in the HTML page")
    assert str(errors[0]).startswith(f"{path}:1: is an array")
    assert last.text == "The last line is read." and last.origin == f"{path}:11"


def test_jsonl_is_read_line_by_line(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "growing.jsonl", {"text": "first"})
    articles = iter_articles([str(path)])
    assert next(articles).text == "first"
    with open(path, "a") as f:  # written after reading began: only a streaming reader sees it
        f.write(json.dumps({"text": "second"}) + "\n")
    assert [a.text for a in articles] == ["second"]


def test_jsonl_line_over_the_limit_is_refused_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_MAX_BYTES", "100")
    path = jsonl(tmp_path / "long.jsonl", {"text": "short"}, {"text": "x" * 500}, {"text": "after"})
    first, error, last = read(path)
    assert (first.text, last.text, last.origin) == ("short", "after", f"{path}:3")
    assert error.line == 2 and error.reason.startswith("is 513 bytes, over the 100-byte limit")


def test_jsonl_with_only_blank_lines_is_an_error(tmp_path: Path) -> None:
    [error] = read(write(tmp_path / "blank.jsonl", "\n  \n\n"))
    assert error.reason.startswith("contains only whitespace")


# ---------------------------------------------------------------- feeds


def test_rss_feed_items_become_articles() -> None:
    path = FIXTURES / "harbour_feed.rss"
    ferry, gale, bad_date, market = read(path, published=DAY)
    assert ferry.text == (
        "Ferry service resumes after engine repair\n\n"  # the title, read as the first paragraph
        "The morning ferry to Gull Island sailed again on Wednesday after a week in the repair yard, the operator said."
        "\n\nEngineers replaced a cracked cooling pipe and tested the vessel on two empty crossings before passengers "
        "were allowed back on board."
    )  # content:encoded preferred to the shorter description
    assert (ferry.title, ferry.url, ferry.published, ferry.source, ferry.language, ferry.origin) == (
        "Ferry service resumes after engine repair", "https://gazette.example.net/news/ferry-resumes",
        dt.date(2023, 7, 5), "Harbour Town Gazette", "en", f"{path}:8",
    )
    assert (ferry.title_offset, ferry.feed) == (0, str(path))
    assert ferry.text[ferry.title_offset:].startswith(ferry.title)
    assert gale.text.split("\n\n", 1)[1] == "Skippers kept their boats tied up on Thursday & the harbour master closed the outer slipway."
    assert gale.published == dt.date(2023, 7, 6)  # 23:30 -04:00 stays on the 6th
    assert isinstance(bad_date, InputError) and (bad_date.origin, bad_date.line) == (str(path), 22)
    assert "'sometime last week' is not a date" in bad_date.reason and "RFC 822" in bad_date.reason
    assert (market.url, market.published, market.origin) == (None, DAY, f"{path}:28")


def test_atom_feed_entries_become_articles() -> None:
    path = FIXTURES / "hill_villages.atom"
    snow, school, bus = read(path)
    assert snow.text == "Snow closes the upper pass\n\nHeavy snow shut the upper pass overnight, road crews said.\n\nPloughs will start from the lower village at dawn."
    assert snow.url == "https://bulletin.example.com/2024/02/snow-pass"  # rel=alternate, not rel=edit
    assert snow.published == dt.date(2024, 2, 9)  # <published> before <updated>, in its own time zone
    assert (snow.source, snow.language, snow.origin) == ("Hill Villages Bulletin", "fr", f"{path}:6")
    assert school.text.removeprefix(f"{school.title}\n\n") == "The village school opened its doors again on Thursday.\n\nA new boiler was fitted over the weekend."
    assert (school.url, school.published) == ("https://bulletin.example.com/2024/02/school", dt.date(2024, 2, 8))
    assert (bus.text.split("\n\n", 1)[1], bus.url, bus.published) == ("The late bus will leave ten minutes earlier from Monday.", None, dt.date(2024, 2, 7))


def test_feed_item_with_only_a_title_is_an_article_and_one_with_nothing_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "f.rss", (
        "<rss version='2.0'><channel><title>T</title>\n"
        "<item><title>Rebels take the river crossing</title><description>  </description></item>\n"
        "<item><title>Tags only</title><description>&lt;p&gt;&lt;img src='x.jpg'/&gt;&lt;/p&gt;</description></item>\n"
        "<item><title> </title><description></description><link>https://t.example/x</link></item>\n"
        "<item><title>Full</title><description>Plain words, no markup.</description></item>\n"
        "</channel></rss>"
    ))
    headline, tags_only, nothing, full = read(path)
    assert (headline.text, headline.title, headline.title_offset) == (
        "Rebels take the river crossing", "Rebels take the river crossing", 0)
    assert (tags_only.text, tags_only.origin) == ("Tags only", f"{path}:3")
    assert isinstance(nothing, InputError) and nothing.line == 4
    assert nothing.reason.startswith("feed item has neither a title nor text")
    assert (full.text, full.title, full.origin) == ("Full\n\nPlain words, no markup.", "Full", f"{path}:5")


def test_file_that_starts_like_a_feed_is_read_as_one(tmp_path: Path) -> None:
    feed = (FIXTURES / "hill_villages.atom").read_bytes()
    [first, *_] = read(write(tmp_path / "download", feed))
    assert first.title == "Snow closes the upper pass"


def test_broken_feed_names_the_line_and_reading_goes_on(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.xml", '<?xml version="1.0"?>\n<rss><channel>\n<item><title>x</title>\n</channel></rss>\n')
    error, article = read(broken, write(tmp_path / "next.txt", "Next."))
    assert (error.origin, error.line) == (str(broken), 4)
    assert error.reason.startswith("broken feed, XML syntax error: Opening and ending tag mismatch")
    assert article.text == "Next."


def test_feed_without_items_and_xml_that_is_no_feed(tmp_path: Path) -> None:
    empty = write(tmp_path / "empty.rss", "<rss version='2.0'><channel><title>Quiet</title></channel></rss>")
    other = write(tmp_path / "sitemap.xml", "<urlset><url><loc>https://a.example/</loc></url></urlset>")
    no_items, not_feed = read(empty, other)
    assert no_items.reason.startswith("feed has no items")
    assert not_feed.reason.startswith("is XML but not an RSS or Atom feed (root element <urlset>)")


# ---------------------------------------------------------------- directories


def test_directory_walk_is_sorted_recursive_and_skips_hidden_and_unknown(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b.txt", "B")
    write(root / "a" / "c.txt", "C")
    write(root / "a" / "sub" / "d.TXT", "D")
    write(root / "a" / ".draft.txt", "hidden")
    write(root / ".cache" / "e.txt", "hidden dir")
    write(root / "notes.pdf", b"%PDF-1.4 junk")
    jsonl(root / "f.jsonl", {"text": "F1"}, {"text": "F2"})
    results = read(root)
    assert [(a.text, a.origin) for a in results] == [
        ("C", str(root / "a" / "c.txt")),
        ("D", str(root / "a" / "sub" / "d.TXT")),
        ("B", str(root / "b.txt")),
        ("F1", f"{root / 'f.jsonl'}:1"),
        ("F2", f"{root / 'f.jsonl'}:2"),
    ]


def test_explicit_unknown_extension_is_an_error_but_hidden_file_is_read(tmp_path: Path) -> None:
    pdf = write(tmp_path / "report.pdf", b"%PDF-1.4 junk")
    hidden = write(tmp_path / ".note.txt", "Read when named.")
    error, article = read(pdf, hidden)
    assert error.origin == str(pdf)
    assert error.reason.startswith("unknown file type '.pdf'; sitrep reads .txt, .html/.htm, .jsonl, RSS/Atom feeds")
    assert article.text == "Read when named."


# ---------------------------------------------------------------- stdin


def test_stdin_json_lines() -> None:
    stream = io.BytesIO(b'\n{"text": "One.", "published": "2023-01-05"}\n[1]\n{"text": "Two."}\n')
    one, error, two = read("-", stdin=stream, published=DAY)
    assert (one.text, one.origin, one.published) == ("One.", "<stdin>:2", dt.date(2023, 1, 5))
    assert (error.origin, error.line) == ("<stdin>", 3)
    assert (two.text, two.origin, two.published) == ("Two.", "<stdin>:4", DAY)


def test_stdin_plain_text_is_kept_whole() -> None:
    content = "\n  {Braces} open this line but it is not JSON.\nSecond line.\n"
    [article] = read("-", stdin=io.BytesIO(content.encode()), published=DAY)
    assert (article.text, article.origin, article.published) == (content, "<stdin>", DAY)


def test_stdin_text_stream_and_empty_stream() -> None:
    [article] = read("-", stdin=io.TextIOWrapper(io.BytesIO(b"Via a text stream.")))
    assert article.text == "Via a text stream."
    [error] = read("-", stdin=io.BytesIO(b""))
    assert error.origin == "<stdin>" and error.reason.startswith("standard input is empty")


def test_stdin_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITREP_MAX_BYTES", "50")
    [error] = read("-", stdin=io.BytesIO(b"word " * 20))
    assert error.reason.startswith("is over the 50-byte limit")


# ---------------------------------------------------------------- bad input


def test_missing_path_is_an_error_and_later_paths_are_read(tmp_path: Path) -> None:
    error, article = read(tmp_path / "nope.txt", write(tmp_path / "yes.txt", "Here."))
    assert (error.origin, error.line) == (str(tmp_path / "nope.txt"), None)
    assert error.reason == "no such file or directory; check the path"
    assert article.text == "Here."


@pytest.mark.parametrize("name", ["empty.txt", "empty.html", "empty.jsonl", "empty.rss"])
def test_empty_file_is_an_error(tmp_path: Path, name: str) -> None:
    [error] = read(write(tmp_path / name, b""))
    assert error.origin == str(tmp_path / name) and error.reason.startswith("file is empty")


def test_whitespace_only_text_is_an_error(tmp_path: Path) -> None:
    [error] = read(write(tmp_path / "blank.txt", " \n\t\n"))
    assert error.reason.startswith("contains only whitespace")


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(1, 32)) * 20 + b"some text"],
    ids=["nul-bytes", "control-characters"],
)
@pytest.mark.parametrize("name", ["junk.txt", "junk.html", "junk.jsonl"])
def test_binary_junk_is_an_error(tmp_path: Path, data: bytes, name: str) -> None:
    path = write(tmp_path / name, data)
    error, article = read(path, write(tmp_path / "ok.txt", "Fine."))
    assert error.origin == str(path) and error.reason.startswith("looks like binary data, not text")
    assert article.text == "Fine."


def test_invalid_utf8_text_names_the_byte_offset(tmp_path: Path) -> None:
    path = write(tmp_path / "cp1252.txt", "Prices rose 5 ".encode() + b"\x80 overnight.")
    [error] = read(path)
    assert error.reason.startswith("invalid UTF-8 at byte offset 14; re-encode it as UTF-8")


def test_page_over_the_size_limit_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "huge.html"
    with open(big, "wb") as f:
        f.truncate(20 * 1024 * 1024)  # sparse: 20 MB of size without writing it
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read before the size check"))
    [error] = read(big)
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024
    assert error.reason.startswith("is 20,971,520 bytes, over the 10,485,760-byte limit for one document")
    assert "SITREP_MAX_BYTES" in error.reason


def test_size_limit_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "a.txt", "x" * 200)
    monkeypatch.setenv("SITREP_MAX_BYTES", "199")
    [error] = read(path)
    assert error.reason.startswith("is 200 bytes, over the 199-byte limit")
    monkeypatch.setenv("SITREP_MAX_BYTES", "200")
    [article] = read(path)
    assert len(article.text) == 200
    monkeypatch.setenv("SITREP_MAX_BYTES", "ten megs")
    with pytest.raises(UsageError, match="SITREP_MAX_BYTES='ten megs' is not a positive number"):
        read(path)


def test_mixed_batch_keeps_input_order(tmp_path: Path) -> None:
    results = read(
        write(tmp_path / "one.txt", "One."),
        tmp_path / "missing.html",
        jsonl(tmp_path / "two.jsonl", [1], {"text": "Two."}),
        FIXTURES / "wordpress_post.html",
    )
    assert [type(r).__name__ for r in results] == ["Article", "InputError", "InputError", "Article", "Article"]
    assert [r.origin for r in results][:4] == [
        str(tmp_path / "one.txt"), str(tmp_path / "missing.html"), str(tmp_path / "two.jsonl"), f"{tmp_path / 'two.jsonl'}:2"
    ]


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-15", dt.date(2024, 3, 15)),
        ("2024-03-15T08:30:00Z", dt.date(2024, 3, 15)),
        ("2024-03-15 23:59:59+09:00", dt.date(2024, 3, 15)),
        ("Fri, 15 Mar 2024 08:30:00 GMT", dt.date(2024, 3, 15)),
        (dt.datetime(2024, 3, 15, 1, 2), dt.date(2024, 3, 15)),
        (dt.date(2024, 3, 15), dt.date(2024, 3, 15)),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_published_accepts(value: object, expected: dt.date | None) -> None:
    assert parse_published(value, "x.jsonl", 3) == expected


@pytest.mark.parametrize("value", ["2021-13-45", "yesterday-ish", "15/03/2024", "March 2024", 1710489600])
def test_parse_published_refuses_and_says_what_is_expected(value: object) -> None:
    with pytest.raises(InputError) as caught:
        parse_published(value, "x.jsonl", 3)
    assert (caught.value.origin, caught.value.line) == ("x.jsonl", 3)
    assert "expected an ISO 8601 date such as 2024-03-15" in caught.value.reason
