"""Read news documents into ``Article`` objects.

One entry point, ``iter_articles(paths)``, reads any mix of:

    .txt              plain text, UTF-8; ``text`` is the content unchanged
    .html / .htm      a web page; main text, title and date via trafilatura
    .jsonl .jsonl.gz  one JSON object per line (text or html + metadata), streamed
    .xml .rss .atom   an RSS or Atom feed (also any file that starts like one)
    a directory       walked recursively in name order, known extensions only
    -                 standard input: JSON Lines if the first non-blank line is
                      a JSON object, else one plain-text article

A title (a feed item's, or a JSON Lines record's ``title``) is read as the
text's first paragraph, unless the text already opens with it:
``Article.title_offset`` says where it starts. A feed item with a title and no
description is an article. ``source`` is the outlet (a known domain's name, the
channel's title, or the domain); ``feed`` keeps the feed it came from.

A document that cannot be read does not stop the batch: an ``InputError``
naming the file (and line) is *yielded* in its place and reading goes on.
Documents over ``SITREP_MAX_BYTES`` (default 10 MB) are refused.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import gzip
import itertools
import json
import logging
import os
import re
import stat
import sys
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Sequence

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.utils import load_html

from sitrep.dates import implausible_published
from sitrep.errors import InputError, UsageError, could_not_process
from sitrep.feeds import FeedItem, iter_feed, looks_like_feed
from sitrep.model import Article
from sitrep.outlets import domain_outlet, is_address

__all__ = ["DEFAULT_MAX_BYTES", "EXTENSIONS", "iter_articles", "max_bytes", "parse_published", "read_feed", "read_html",
           "titled"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
KINDS = ({".txt": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl", ".jsonl.gz": "jsonl.gz"}
         | dict.fromkeys((".xml", ".rss", ".atom"), "feed"))
EXTENSIONS = tuple(KINDS)
STDIN = "<stdin>"
_SNIFF = 8192  # bytes looked at to tell text from binary, or a feed from other XML
_ACCEPTED = "sitrep reads .txt, .html/.htm, .jsonl, RSS/Atom feeds (.xml/.rss/.atom), directories, or - for stdin"
_DATE_FORMATS = (
    "expected an ISO 8601 date such as 2024-03-15 or 2024-03-15T08:30:00+02:00 "
    "(feeds may also use RFC 822, e.g. Fri, 15 Mar 2024 08:30:00 GMT)"
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_MIN_WORDS = 5  # an HTML page with fewer words of main text has none
_BLOCKS = {"p", "head", "list", "item", "quote", "table", "row", "div", "code", "section"}
Item = Article | InputError

# trafilatura logs "discarding data" warnings with no handler of its own, so Python prints them to stderr;
# the InputError we yield already says it. An application that configures logging still gets them.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())


# ---------------------------------------------------------------- entry point


def iter_articles(
    paths: Sequence[str], *, published: dt.date | None = None, stdin: IO[bytes] | None = None
) -> Iterator[Item]:
    """Yield, in input order, an Article per document read or an InputError per document that was not.

    ``published`` is the date used when a document carries none of its own. A bad
    ``SITREP_MAX_BYTES`` raises UsageError when iteration starts.
    """
    limit = max_bytes()
    for raw in paths:
        yield from _contained(_read_path(raw, published, stdin, limit), raw)


def _contained(items: Iterator[Item], origin: str) -> Iterator[Item]:
    """The items of one input; an error escaping its reader ends that input only, reported."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - the other inputs are still read
        yield could_not_process(origin, exc)


def _read_path(raw: str, published: dt.date | None, stdin: IO[bytes] | None, limit: int) -> Iterator[Item]:
    if raw == "-":
        yield from _read_stdin(stdin, published, limit)
        return
    path = Path(raw)
    if path.is_dir():
        for found in _walk(path):
            if isinstance(found, InputError):
                yield found
            elif kind := _kind(found):
                yield from _contained(_read_file(found, kind, published, limit), str(found))
    elif not path.exists():
        yield InputError(raw, "no such file or directory; check the path")
    elif not path.is_file():  # a device, FIFO or socket (after symlinks)
        yield InputError(raw, _SPECIAL)
    else:
        kind = _kind(path) or _sniff_feed(path)
        if kind is None:
            what = f"'{path.suffix}'" if path.suffix else "(no extension)"
            yield InputError(raw, f"unknown file type {what}; {_ACCEPTED}")
        else:
            yield from _read_file(path, kind, published, limit)


def max_bytes() -> int:
    """The largest document accepted, from ``SITREP_MAX_BYTES`` or the 10 MB default."""
    raw = os.environ.get("SITREP_MAX_BYTES", "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    if not raw.isdigit() or int(raw) <= 0:
        raise UsageError(f"SITREP_MAX_BYTES={raw!r} is not a positive number of bytes; unset it or give e.g. 20000000")
    return int(raw)


def parse_published(value: Any, origin: str, line: int | None = None) -> dt.date | None:
    """A publication date from ISO 8601 (date or datetime) or RFC 822 text; None when absent.

    A datetime with a time zone gives its own calendar date (not converted to UTC).
    Anything else raises InputError saying which formats are expected; so does a
    date no news can carry (before 1900, or more than a day in the future).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    day = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        for parse in (dt.datetime.fromisoformat, email.utils.parsedate_to_datetime):
            try:
                day = parse(value.strip()).date()
                break
            except (ValueError, TypeError, IndexError, OverflowError):
                continue
    if day is None:
        raise InputError(origin, f"published date {value!r} is not a date; {_DATE_FORMATS}", line)
    if why := implausible_published(day):
        raise InputError(origin, f"{why}: the document is skipped; fix its date or leave it out "
                                 f"(undated documents take --published)", line)
    return day


def read_html(html: str, origin: str) -> Article:
    """An Article from a whole web page: main text (paragraphs split by blank lines), title, date, site."""
    return Article(origin=origin, **_html_fields(html, origin))


# ---------------------------------------------------------------- files


def _walk(root: Path) -> Iterator[Path | InputError]:
    """Files under ``root`` in sorted path order, skipping hidden files and directories."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield _os_error(str(root), exc)
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)
        elif _kind(Path(entry.name)):  # a device, FIFO or socket named like a document
            yield InputError(entry.path, _SPECIAL)


def _kind(path: Path) -> str | None:
    """The kind of document a file name says it holds ("text", "html", "jsonl", "jsonl.gz", "feed")."""
    name = path.name.lower()
    return KINDS[".jsonl.gz"] if name.endswith(".jsonl.gz") else KINDS.get(path.suffix.lower())


def _sniff_feed(path: Path) -> str | None:
    """'feed' when a file with an unknown extension starts like an RSS/Atom document."""
    try:
        with open(path, "rb") as f:
            head = f.read(_SNIFF)
    except OSError:
        return None
    return "feed" if looks_like_feed(head) else None


def _read_file(path: Path, kind: str, published: dt.date | None, limit: int) -> Iterator[Item]:
    origin = str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # follows symlinks: a link to /dev/zero is a device
            yield InputError(origin, _SPECIAL)
            return
        if kind in ("jsonl", "jsonl.gz"):
            yield from _read_jsonl_file(path, kind == "jsonl.gz", published, limit)
            return
        with open(path, "rb") as f:
            data = f.read(limit + 1)  # never trust st_size: /proc files say 0, devices say nothing
        if len(data) > limit:
            yield InputError(origin, _too_big(path.stat().st_size or None, limit))
            return
    except OSError as exc:
        yield _os_error(origin, exc)
        return
    if not data:
        yield InputError(origin, _EMPTY)
    elif kind == "feed":
        yield from read_feed(data, origin, published)
    elif kind == "html":
        yield _guard(_html_article, data, origin, published)
    else:
        yield _guard(_text_article, data, origin, published)


def _read_jsonl_file(path: Path, zipped: bool, published: dt.date | None, limit: int) -> Iterator[Item]:
    origin = str(path)
    try:
        with (gzip.open(path, "rb") if zipped else open(path, "rb")) as f:
            head = f.read(_SNIFF)
            f.seek(0)
            if not head:
                yield InputError(origin, _EMPTY)
            elif _is_binary(head):
                yield InputError(origin, _BINARY)
            else:
                yield from _jsonl_records(_read_lines(f, limit), origin, published, limit)
    except (gzip.BadGzipFile, EOFError) as exc:  # a truncated file ends early: what was read is kept
        yield InputError(origin, f"is not a whole gzip file ({exc}); the records before the damage were read. "
                                 "Compress it again (gzip FILE.jsonl) or give it uncompressed")


_SPECIAL = "is not a regular file (a device, FIFO or socket); give a file, or pipe the data into - (standard input)"
_EMPTY = "file is empty; give it the article text or remove it from the input"
_BLANK = "contains only whitespace; give it the article text or remove it from the input"
_BINARY = (
    "looks like binary data, not text (NUL bytes or control characters); "
    "give a text, HTML, JSON Lines or feed file (UTF-16 text must be re-encoded as UTF-8)"
)


def _too_big(size: int | None, limit: int) -> str:
    what = "is over" if size is None else f"is {size:,} bytes, over"
    return f"{what} the {limit:,}-byte limit for one document; split it, or raise the limit with SITREP_MAX_BYTES"


def _os_error(origin: str, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(origin, "no such file or directory; check the path")
    if isinstance(exc, PermissionError):
        return InputError(origin, "permission denied; check the file's permissions")
    return InputError(origin, f"cannot be read ({exc.strerror or exc}); check the file")


def _guard(read: Any, *args: Any) -> Item:
    """Call a reader that raises InputError and return the error instead.

    Any other exception (a bug, or a library below choking on the document) costs
    this document only: it becomes an InputError naming the document, and reading
    goes on. ``args[1]`` is the origin, ``args[2]`` the line when there is one."""
    try:
        return read(*args)
    except InputError as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - one document, never the batch
        line = args[2] if len(args) > 2 and isinstance(args[2], int) else None
        return could_not_process(str(args[1]), exc, line)



def _is_binary(sample: bytes) -> bool:
    if b"\0" in sample:
        return True
    text = sample.decode("utf-8", errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v" or ch == "\x7f")
    return controls * 20 > len(text)  # more than 5% control characters


def _decode_utf8(data: bytes, origin: str, line: int | None = None, base: int = 0) -> str:
    """Strict UTF-8 (a leading BOM is dropped); the error names the byte offset in the file."""
    if data.startswith(codecs.BOM_UTF8):
        data, base = data[3:], base + 3
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            origin,
            f"invalid UTF-8 at byte offset {base + exc.start}; re-encode it as UTF-8 (e.g. iconv -f cp1252 -t utf-8)",
            line,
        ) from exc


def _text_article(data: bytes, origin: str, published: dt.date | None) -> Article:
    if _is_binary(data[:_SNIFF]):
        raise InputError(origin, _BINARY)
    text = _decode_utf8(data, origin)
    if not text.strip():
        raise InputError(origin, _BLANK)
    return Article(text=text, published=published, origin=origin)


# ---------------------------------------------------------------- HTML


def _html_article(data: bytes, origin: str, published: dt.date | None) -> Article:
    if _is_binary(data[:_SNIFF]):
        raise InputError(origin, _BINARY)
    fields = _html_fields(_decode_html(data, origin), origin)
    return Article(origin=origin, **fields | {"published": fields["published"] or published})


def _decode_html(data: bytes, origin: str) -> str:
    """UTF-8 first; if that fails, the charset the page declares in a <meta> tag."""
    try:
        return _decode_utf8(data, origin)
    except InputError as exc:
        found = _META_CHARSET.search(data[:_SNIFF])
        codec = _text_codec(found.group(1).decode("ascii", "replace")) if found else None
        if codec is None:
            raise InputError(origin, exc.reason + " or declare its charset in a <meta charset> tag") from exc
        try:
            return data.decode(codec.name, errors="replace")
        except (UnicodeError, LookupError, ValueError) as bad:
            raise InputError(origin, f"is not valid in the charset it declares ({found.group(1).decode()}): {bad}; "
                             f"re-encode it as UTF-8") from bad


# Codecs Python knows that are no charset of a web page: bytes-to-bytes and str-to-str
# transforms (hex, base64, zlib, bz2, uu, quopri, rot13) say so themselves; these two
# encode domain names and fail on any other text.
_NOT_CHARSETS = {"idna", "punycode"}


def _text_codec(name: str) -> codecs.CodecInfo | None:
    """The codec a <meta charset> names, when it is a text encoding other than UTF-8."""
    try:
        codec = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(codec, "_is_text_encoding", True) or codec.name in _NOT_CHARSETS or codec.name == "utf-8":
        return None
    return codec


def _html_fields(html: str, origin: str, line: int | None = None) -> dict[str, Any]:
    """Article fields (text, title, url, published, source, language) taken out of a page."""
    try:
        tree, lang, doc = load_html(html), None, None
        if tree is not None:  # None: not HTML at all
            lang = _language(tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang"))
            doc = trafilatura.bare_extraction(
                tree, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True
            )
    except (ValueError, TypeError, etree.LxmlError) as exc:
        raise InputError(origin, f"could not be parsed as HTML ({exc}); check the file", line) from exc
    text = _render(doc.body) if doc is not None and doc.body is not None else ""
    if len(text.split()) < _MIN_WORDS:  # trafilatura's last fallback keeps any stray link ("Home")
        raise InputError(
            origin,
            "no main text found in the HTML page (only menus and boilerplate, or text loaded by JavaScript); "
            "save the article text as .txt or JSON Lines instead",
            line,
        )
    try:
        when = parse_published(doc.date, origin, line)
    except InputError:  # trafilatura gives YYYY-MM-DD or nothing; never fail a page on its guess
        when = None
    source = _outlet(doc.sitename, doc.url)
    return {"text": text, "title": doc.title or None, "url": doc.url or None, "published": when, "source": source,
            "language": lang}


def _render(body: Any) -> str:
    """Plain text of trafilatura's output tree: one block per paragraph, blocks split by a blank line."""
    return "\n\n".join(block for block in _blocks(body) if block)


def _blocks(el: Any) -> Iterator[str]:
    if el.tag == "row":
        yield " | ".join(cell for cell in map(_inline, el) if cell)
    elif any(child.tag in _BLOCKS for child in el):
        yield _squash(el.text)
        for child in el:
            yield from _blocks(child) if child.tag in _BLOCKS else [_inline(child)]
            yield _squash(child.tail)
    else:
        yield _inline(el)


def _inline(el: Any) -> str:
    """The text of an inline element; <lb/> line breaks become newlines."""
    for br in el.iter("lb"):
        br.tail = "\n" + (br.tail or "")
    return "\n".join(filter(None, map(_squash, "".join(el.itertext()).split("\n"))))


def _squash(text: str | None) -> str:
    return " ".join(text.split()) if text else ""


def _language(tag: str | None) -> str | None:
    """The primary subtag of a language tag, lower case: 'en-GB' -> 'en'."""
    return re.split(r"[-_\s]", tag.strip())[0].lower() or None if tag else None


# ---------------------------------------------------------------- JSON Lines


def _read_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(byte offset, line, size) per line, reading at most ``limit`` bytes at once.

    A longer line is skipped in chunks and comes back as (offset, None, size).
    """
    offset = 0
    while line := stream.readline(limit + 1):
        size = len(line)
        if size > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # skip the rest of the over-long line
                line = stream.readline(1 << 20)
                size += len(line)
            yield offset, None, size
        else:
            yield offset, line, size
        offset += size


def _jsonl_records(
    lines: Iterable[tuple[int, bytes | None, int]], origin: str, published: dt.date | None, limit: int
) -> Iterator[Item]:
    seen = False
    for number, (offset, raw, size) in enumerate(lines, 1):
        if raw is None:
            seen = True
            yield InputError(origin, _too_big(size, limit), number)
        elif raw.strip():
            seen = True
            yield _guard(_jsonl_article, raw, origin, number, offset, published)
    if not seen:
        yield InputError(origin, _BLANK)


def _jsonl_article(raw: bytes, origin: str, number: int, offset: int, published: dt.date | None) -> Article:
    try:
        obj = json.loads(_decode_utf8(raw, origin, number, offset))
    except json.JSONDecodeError as exc:
        raise InputError(origin, f"not valid JSON ({exc.msg} at column {exc.colno}); {_ONE_OBJECT}", number) from exc
    except RecursionError as exc:
        raise InputError(origin, f"JSON nested too deeply to be read; {_ONE_OBJECT}", number) from exc
    if not isinstance(obj, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(obj), "a number")
        raise InputError(origin, f"is {kind}, not a JSON object; {_ONE_OBJECT}", number)
    text, page, title = (_field(obj, key, origin, number) for key in ("text", "html", "title"))
    empty: dict[str, Any] = {"text": "", "published": None, "language": None, "source": None, "url": None}
    if text is not None and text.strip():
        fields: dict[str, Any] = empty | {"text": text}
    elif page is not None and page.strip():
        fields = _html_fields(page, origin, number)
    elif title is not None and title.strip():
        fields = empty  # a headline alone is an article
    elif text is not None or page is not None:
        key = "text" if text is not None else "html"
        raise InputError(origin, f'"{key}" is empty; give the article body there', number)
    else:
        raise InputError(origin, f'object has neither "text" nor "html"; {_ONE_OBJECT}', number)
    for key in ("url", "source", "language"):
        fields[key] = _field(obj, key, origin, number) or fields.get(key)
    if title is not None and title.strip():
        fields["title"] = _headline(title)
        fields["text"], fields["title_offset"] = titled(fields["title"], fields["text"])
    when = parse_published(obj.get("published"), origin, number)
    fields["published"] = when or fields["published"] or published
    fields["source"] = _outlet(fields["source"], fields["url"])
    fields["language"] = _language(fields["language"])
    return Article(id=_field(obj, "id", origin, number) or "", origin=f"{origin}:{number}", **fields)


_ONE_OBJECT = 'each line must be one JSON object such as {"text": "...", "published": "2024-03-15"}'


def _field(obj: dict[str, Any], key: str, origin: str, number: int) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    if key == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InputError(origin, f'"{key}" must be a string, not {type(value).__name__}', number)


# ---------------------------------------------------------------- RSS and Atom


def read_feed(data: bytes, origin: str, published: dt.date | None = None) -> Iterator[Item]:
    """The articles of one RSS or Atom document (``origin``: its URL or file, kept as ``feed``
    unless the feed names its own address), or an InputError per item or feed that cannot be read."""
    for item in iter_feed(data, origin):
        yield item if isinstance(item, InputError) else _guard(_feed_article, item, origin, published)


def _feed_article(item: FeedItem, origin: str, published: dt.date | None) -> Article:
    when = parse_published(item.date, origin, item.line)
    body = _fragment_text(item.body) if item.is_html and item.body.strip() else item.body.strip()
    title = _headline(item.title) if item.title else None
    if not body and not title:
        raise InputError(origin, "feed item has neither a title nor text; it is skipped", item.line)
    text, title_offset = titled(title, body)
    source = item.source if item.source and not is_address(item.source) else None
    for link in (item.url, item.site):
        name, known = domain_outlet(link)
        if known:  # "CNN", not the channel's "CNN.com - RSS Channel - World"
            source = name
            break
    return Article(text=text, title=title, url=item.url, published=when or published,
                   source=source or _outlet(None, item.url or item.site), language=_language(item.language),
                   origin=f"{origin}:{item.line}", title_offset=title_offset, feed=_feed_address(origin, item.feed))


def _feed_address(origin: str, said: str | None) -> str:
    """The address that was polled; for a saved file, the address the feed gives itself, if any."""
    return origin if origin.startswith(("http://", "https://")) or not said else said


def titled(title: str | None, body: str) -> tuple[str, int | None]:
    """The text events are read from, and where the title starts in it.

    The title is the first paragraph, unless the body already opens with it (as many
    pages and dumps do), so it is neither lost nor read twice."""
    if not title:
        return body, None
    if not body.strip():
        return title, 0
    lead = len(body) - len(body.lstrip())
    if body.startswith(title, lead):
        return body, lead
    return f"{title}\n\n{body}", 0


def _headline(title: str) -> str:
    """A title as one line of text: markup reduced to its text, runs of white space made one space."""
    if "<" in title and ">" in title:
        try:
            title = lxml_html.fragment_fromstring(title, create_parent="div").text_content()
        except (ValueError, etree.LxmlError):
            pass
    return _squash(title)


def _outlet(source: str | None, url: str | None) -> str | None:
    """The outlet's readable name: a named source as given, else the URL's domain (a known one by name)."""
    if source and not is_address(source):
        return source.strip()
    link = (source or "").strip() or url
    return domain_outlet(link)[0] or None if link else None


def _fragment_text(markup: str) -> str:
    """Plain text of an HTML fragment (a feed item body); short or tag-less bodies kept whole."""
    try:  # trafilatura wants a whole document, not a bare fragment
        doc = trafilatura.bare_extraction(
            f"<html><body><article>{markup}</article></body></html>", include_comments=False, favor_precision=True
        )
        text = _render(doc.body) if doc is not None and doc.body is not None else ""
        return text or _squash(lxml_html.fragment_fromstring(markup, create_parent="div").text_content())
    except (ValueError, TypeError, etree.LxmlError):
        return _squash(markup)


# ---------------------------------------------------------------- stdin


def _read_stdin(stream: IO[bytes] | None, published: dt.date | None, limit: int) -> Iterator[Item]:
    if stream is None:
        stream = sys.stdin.buffer
    stream = getattr(stream, "buffer", stream)  # a text stream: read its bytes
    lines = _read_lines(stream, limit)
    consumed: list[tuple[int, bytes | None, int]] = []
    for entry in lines:
        consumed.append(entry)
        if entry[1] is None or entry[1].strip():
            break
    first = consumed[-1][1] if consumed else b""
    if first is not None and first.strip() and _is_json_object(first):
        yield from _jsonl_records(itertools.chain(consumed, lines), STDIN, published, limit)
        return
    total = sum(size for _, _, size in consumed)
    rest = stream.read(limit + 1 - total) if first is not None and total <= limit else b""
    if first is None or total + len(rest) > limit:
        yield InputError(STDIN, _too_big(None, limit))
    elif total == 0:
        yield InputError(STDIN, "standard input is empty; pipe in article text or JSON Lines")
    else:
        yield _guard(_text_article, b"".join(raw or b"" for _, raw, _ in consumed) + rest, STDIN, published)


def _is_json_object(raw: bytes) -> bool:
    try:
        return isinstance(json.loads(raw.removeprefix(codecs.BOM_UTF8).decode("utf-8")), dict)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
