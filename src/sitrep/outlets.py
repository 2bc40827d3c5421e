"""Readable outlet names: "CNN", not ``http://rss.cnn.com/rss/edition.rss``.

Sources read feeds and pages with whatever names they carry; an ACLED ``source``
column, a report or a dashboard wants the outlet. ``outlet`` gives it from the
stored source and the article's URL, using ``data/news_outlets.json`` for known
domains and the bare domain otherwise.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

__all__ = ["domain_outlet", "is_address", "outlet"]

_ADDRESS = re.compile(r"^(?:https?://|www\.)|^[\w-]+(?:\.[\w-]+)+/?$", re.I)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    doc = json.loads(resources.files("sitrep").joinpath("data/news_outlets.json").read_text("utf-8"))
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def is_address(name: str | None) -> bool:
    """Whether a source name is a URL or a bare domain rather than an outlet's name."""
    return bool(name) and bool(_ADDRESS.match(name.strip()))


def domain_outlet(link: str | None) -> tuple[str, bool]:
    """The outlet of a URL or domain, and whether it is a known outlet (else the bare domain)."""
    link = (link or "").strip()
    host = urlsplit(link if "//" in link else f"//{link}").hostname or ""
    host = host.removeprefix("www.")
    names = _names()
    parts = host.split(".")
    for i in range(len(parts) - 1):  # "edition.cnn.com" is cnn.com's
        if ".".join(parts[i:]) in names:
            return names[".".join(parts[i:])], True
    return host, False


def outlet(source: str | None, url: str | None) -> str:
    """A readable outlet name: the stored source, unless it is a URL (or missing): then the domain's."""
    if source and not is_address(source):
        return source.strip()
    return domain_outlet((source or "").strip() or url)[0]
