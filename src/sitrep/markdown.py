"""Markdown from untrusted text, and the small subset the report uses turned into HTML.

Everything an article brings (quotes, titles, sources, places, actors, URLs) is
untrusted. ``text()`` makes it inert in Markdown: HTML's ``<``, ``>`` and ``&``
become entities and Markdown's own punctuation is backslash-escaped, so a
source named ``x](javascript:alert(1)) [y`` stays that text. ``link()`` links
only ``http(s)`` URLs and root-relative paths, percent-encoding what would end
the link early. ``to_html()`` reads that Markdown back and escapes each piece
exactly once.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

_SPECIAL = re.compile(r"([\\`*_\[\]|])")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", '"': "%22", "'": "%27",
               "\\": "%5C", "`": "%60", "\n": "", "\r": "", "\t": ""}


def text(value: object) -> str:
    """``value`` as inert Markdown text."""
    return _SPECIAL.sub(r"\\\1", html.escape(str(value), quote=False))


def safe_url(url: str | None) -> str | None:
    """``url`` ready for a Markdown link when it is http(s) or a root-relative path; else None."""
    if not url:
        return None
    url = url.strip()
    if url.startswith("/") and not url.startswith("//"):
        pass
    else:
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            return None
    return "".join(_URL_UNSAFE.get(c, c) for c in url)


def link(label: object, url: str | None) -> str:
    """A Markdown link, or the label alone when the URL is not one to follow."""
    target = safe_url(url)
    return f"[{text(label)}]({target})" if target else text(label)


_INLINE = re.compile(
    r"\[(?P<label>(?:\\.|[^\]\\])*)\]\((?P<href>[^()\s]*)\)"  # a link
    r"|(?P<bold>\*\*)"
    r"|\\(?P<escaped>.)"
    r"|(?P<entity>&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);)"
    r"|(?P<raw>[<>&\"'])")


def inline(line: str) -> str:
    """One line of the report's Markdown as HTML: links, bold, escapes; all else escaped once."""
    bold = [False]

    def piece(m: re.Match) -> str:
        if m["label"] is not None or m["href"] is not None:
            label = inline(m["label"])
            href = safe_url(m["href"])
            return f'<a href="{html.escape(href)}">{label}</a>' if href else label
        if m["bold"]:
            bold[0] = not bold[0]
            return "<strong>" if bold[0] else "</strong>"
        if m["escaped"] is not None:
            return html.escape(m["escaped"])
        if m["entity"]:
            return m["entity"]
        return html.escape(m["raw"])

    out = _INLINE.sub(piece, line)
    return out + ("</strong>" if bold[0] else "")


def to_html(lines: list[str], title: str, figures: str = "", style: str = "") -> str:
    """The report's Markdown subset (headings, lists, tables, links, bold) as one HTML page;
    ``figures`` (trusted HTML) goes after the first heading."""
    body: list[str] = []
    block = None  # "ul" or "table" while one is open
    for line in lines:
        kind = "ul" if line.startswith("- ") else "table" if line.startswith("|") else None
        if block and kind != block:
            body.append(f"</{block}>")
            block = None
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body.append(f"<h{level}>{inline(line[level:].strip())}</h{level}>")
            if level == 1 and figures:
                body.append(figures)
                figures = ""
        elif kind == "ul":
            if block is None:
                body.append("<ul>")
                block = "ul"
            body.append(f"<li>{inline(line[2:])}</li>")
        elif kind == "table":
            if set(line) <= set("|-"):
                continue
            tag = "td" if block else "th"
            if block is None:
                body.append("<table>")
                block = "table"
            cells = [inline(c.strip()) for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            body.append("<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>")
        elif line.strip():
            body.append(f"<p>{inline(line)}</p>")
    if block:
        body.append(f"</{block}>")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
