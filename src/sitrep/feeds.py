"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds, read into raw items.

This module only knows XML: it yields a ``FeedItem`` (the item's fields as
written) or an ``InputError`` per item; ``sources`` parses the dates, reduces
item HTML to text and makes the Articles. Names are matched on their local
part, so namespaced variants (``content:encoded``, ``dc:date``) are found.
"""

from __future__ import annotations

import codecs
import html.entities
import re
from dataclasses import dataclass
from typing import Any, Iterator

from lxml import etree

from sitrep.errors import InputError

__all__ = ["FeedItem", "iter_feed", "looks_like_feed"]

_FEED_START = re.compile(rb"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(?:[\w.-]+:)?(?:rss|feed|RDF)[\s>/]", re.S)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class FeedItem:
    """One feed item as written: ``body`` is markup when ``is_html``, else plain text."""

    line: int
    title: str | None
    url: str | None
    date: str | None  # pubDate / published / dc:date / updated, unparsed
    body: str
    is_html: bool
    source: str | None  # the feed's own title
    language: str | None
    site: str | None = None  # the channel's link: the outlet's site
    feed: str | None = None  # the feed's own address (atom:link rel="self"), when it says


def looks_like_feed(head: bytes) -> bool:
    """Whether the first bytes of a file open an RSS or Atom document."""
    return bool(_FEED_START.match(head.removeprefix(codecs.BOM_UTF8)))


# Outside CDATA sections, comments and the DTD: an entity reference other than XML's own five
_SKIP_OR_ENTITY = re.compile(rb"(<!\[CDATA\[.*?\]\]>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)|&([A-Za-z][\w.-]*);", re.S)
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}
_DECLARED = re.compile(rb"<!ENTITY\s+([A-Za-z][\w.-]*)")


def decode_entities(data: bytes) -> bytes:
    """HTML entity references made safe for an XML parser that expands no entity.

    Feeds are written by HTML tools: ``&nbsp;`` and ``&eacute;`` appear undeclared, which
    XML calls a fatal error (the whole feed refused). A known HTML name becomes its
    numeric character reference; an unknown one (``&org;``) becomes text, ``&amp;org;``,
    so it is kept as written. Entities the feed's own DTD declares are left alone: the
    parser keeps them unexpanded (no XXE, no entity bombs) and their text stays as written.
    """
    declared: set[bytes] = set()

    def fix(m: re.Match) -> bytes:
        if m[1] is not None:
            if m[1].startswith(b"<!DOCTYPE"):
                declared.update(_DECLARED.findall(m[1]))
            return m[1]
        name = m[2]
        if name in _XML_ENTITIES or name in declared:
            return m[0]
        char = html.entities.html5.get(name.decode("ascii") + ";")
        return b"".join(b"&#%d;" % ord(c) for c in char) if char else b"&amp;" + name + b";"

    return _SKIP_OR_ENTITY.sub(fix, data)


def iter_feed(data: bytes, origin: str) -> Iterator[FeedItem | InputError]:
    """The items of a feed, in document order; an InputError for a feed that cannot be read."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(decode_entities(data), parser)
    except etree.XMLSyntaxError as exc:
        yield InputError(origin, f"broken feed, XML syntax error: {exc.msg}; fix the file or fetch the feed again", exc.lineno)
        return
    if _local(root) not in ("rss", "feed", "RDF"):
        yield InputError(origin, f"is XML but not an RSS or Atom feed (root element <{_local(root)}>); give a feed file")
        return
    channel = _child(root, "channel")
    head = root if channel is None else channel
    source = _child_text(head, "title") or None
    language = _child_text(head, "language") or root.get(_XML_LANG) or None
    site = _link(head)
    feed = next((link.get("href").strip() for link in head if _local(link) == "link"
                 and link.get("rel") == "self" and (link.get("href") or "").strip()), None)
    # RSS 2.0 items sit in the channel, RSS 1.0 items beside it, Atom entries in the feed
    items = dict.fromkeys(el for parent in (head, root) for el in parent if _local(el) in ("item", "entry"))
    if not items:
        yield InputError(origin, "feed has no items; check that it is the right feed, or fetch it again")
    for item in items:
        body, is_html = _body(item)
        yield FeedItem(
            line=item.sourceline,
            title=_child_text(item, "title") or None,
            url=_link(item),
            date=_child_text(item, "pubDate", "published", "date", "updated") or None,
            body=body,
            is_html=is_html,
            source=source,
            language=item.get(_XML_LANG) or language,
            site=site,
            feed=feed,
        )


def _body(item: Any) -> tuple[str, bool]:
    """The fullest text the item carries: content:encoded, Atom content, description, summary."""
    for name in ("encoded", "content", "description", "summary"):
        part = _child(item, name)
        if part is None or part.get("src"):  # Atom content may only point elsewhere
            continue
        kind = part.get("type", "html" if name in ("encoded", "description") else "text")
        if kind == "xhtml":
            body, is_html = "".join(etree.tostring(c, encoding="unicode", with_tail=True) for c in part), True
        else:
            body, is_html = _text(part), "html" in kind
        if body.strip():
            return body, is_html
    return "", False


def _link(item: Any) -> str | None:
    for link in (el for el in item if _local(el) == "link"):
        href = link.get("href")
        if href is None:
            return (link.text or "").strip() or None  # RSS: the URL is the element's text
        if link.get("rel", "alternate") == "alternate":
            return href.strip() or None
    return None


def _local(el: Any) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _child(el: Any, *names: str) -> Any:
    return next((c for name in names for c in el if _local(c) == name), None)


def _child_text(el: Any, *names: str) -> str:
    """Stripped text of the first child named one of ``names`` that has any."""
    for c in (c for name in names for c in el if _local(c) == name):
        if text := _text(c).strip():
            return text
    return ""


def _text(el: Any) -> str:
    """An element's own text, with entity references its DTD declares kept as written
    (``&org;``): lxml splits the text at each one, and ``.text`` alone stops there."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child, etree._Entity):
            parts.append(child.text)
        parts.append(child.tail or "")
    return "".join(parts)
