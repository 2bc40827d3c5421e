"""The dashboard: static files served by ``sitrep serve`` at ``/``.

``static/`` holds the project's own page, script and style. The third-party
parts (Leaflet and its marker clustering, the TopoJSON reader, Natural Earth
country outlines from the ``world-atlas`` package) come from npm at set-up:
``scripts/setup.sh`` installs the versions pinned in ``scripts/web/package-lock.json``
and copies the files the page loads into ``vendor/`` (``$SITREP_WEB_VENDOR``
elsewhere). Nothing is loaded from the internet: no CDN, no tile server.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from ..markdown import safe_url

STATIC = Path(__file__).parent / "static"
#: The vendor files the page loads, relative to the vendor folder.
VENDOR_FILES = ("leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet.markercluster/leaflet.markercluster.js",
                "leaflet.markercluster/MarkerCluster.css", "leaflet.markercluster/MarkerCluster.Default.css",
                "topojson-client/topojson-client.min.js", "world-atlas/countries-50m.json")
NOT_READY = ("the dashboard's map libraries are not installed: run `bash scripts/setup.sh` "
             "(it copies them from npm into src/sitrep/web/vendor)")


def vendor_dir() -> Path:
    return Path(os.environ.get("SITREP_WEB_VENDOR") or Path(__file__).parent / "vendor")


def ready() -> bool:
    """Whether every vendor file the page loads is in place."""
    folder = vendor_dir()
    return all((folder / f).is_file() for f in VENDOR_FILES)


def article_html(view: dict[str, Any]) -> str:
    """An article as one page: its text with each event's evidence marked (anchored ``#event-ID``)
    and each place mention marked; ``view`` is what ``/api/articles/ID`` returns."""
    text, out, at = view["text"], [], 0
    for span in view["spans"]:
        if span["start"] < at:
            continue  # a place inside an evidence sentence is told by the sentence
        out.append(html.escape(text[at: span["start"]]))
        piece = html.escape(text[span["start"]: span["end"]])
        if span["kind"] == "event":
            out.append(f'<mark class="evidence" id="event-{html.escape(span["event_id"])}" '
                       f'title="{html.escape(span["label"] or "")}">{piece}</mark>')
        else:
            out.append(f'<mark class="place" title="{html.escape(span["label"] or "")}">{piece}</mark>')
        at = span["end"]
    out.append(html.escape(text[at:]))
    title = html.escape(view["title"] or view["id"])
    url = safe_url(view["url"])
    original = f' &middot; <a href="{html.escape(url)}" rel="noopener noreferrer">original</a>' if url else ""
    meta = html.escape(" ".join(x for x in (view["source"], view["published"]) if x))
    return ("<!doctype html><html><head><meta charset='utf-8'><title>" + title + "</title>"
            "<link rel='stylesheet' href='/static/style.css'></head><body class='article-page'>"
            f"<h1>{title}</h1><p>{meta}{original} &middot; <a href='/'>dashboard</a></p>"
            f"<div class='article'>{''.join(out)}</div></body></html>\n")
