"""Writing events out: CSV (ACLED columns), GeoJSON, JSON Lines and text tables.

The row writers take the dicts returned by ``Store.events`` and write to any
text stream; each returns how many rows it wrote (``write_geojson``: how many
it left out for lack of coordinates).

CSV notes, differing from ACLED on purpose:

* ``fatalities`` is left empty when the article gives no number. ACLED writes
  0 there; in sitrep "0" means the article says nobody was killed.
* ``notes`` is the evidence sentence(s) the event was extracted from, joined by
  a space (ACLED's notes are an analyst's summary). ``Event.notes`` is not in
  the CSV; it is in the JSON Lines output.
* ``iso`` is the ISO 3166 numeric code (ACLED's ``iso``); empty for Kosovo and
  unknown codes. ``country`` uses ACLED's spelling where it differs from ISO.
"""

from __future__ import annotations

import csv
import json
import math
import re
import shutil
from functools import lru_cache
from typing import Any, Iterable, Mapping, TextIO

from .model import ArticleResult, Event

CSV_COLUMNS = (
    # ACLED columns, same meaning, ACLED order
    "event_id_cnty", "event_date", "year", "time_precision", "event_type",
    "sub_event_type", "actor1", "actor2", "country", "iso", "admin1", "admin2",
    "location", "latitude", "longitude", "geo_precision", "source", "source_url",
    "notes", "fatalities",
    # sitrep's own
    "plover", "status", "claim", "claimed_by", "counts", "confidence", "article_id",
)
#: Row keys left out of GeoJSON properties (long text; the url points to it).
HEAVY_KEYS = ("evidence",)

# ACLED's country names where they differ from ISO 3166 / pycountry.
_ACLED_NAMES = {
    "BO": "Bolivia", "CD": "Democratic Republic of Congo", "CG": "Republic of Congo",
    "CI": "Ivory Coast", "CV": "Cape Verde", "CZ": "Czech Republic", "IR": "Iran",
    "KP": "North Korea", "KR": "South Korea", "LA": "Laos", "MD": "Moldova",
    "PS": "Palestine", "RU": "Russia", "SY": "Syria", "SZ": "eSwatini", "TR": "Turkey",
    "TW": "Taiwan", "TZ": "Tanzania", "VE": "Venezuela", "VN": "Vietnam",
    "XK": "Kosovo", "FM": "Micronesia", "VA": "Vatican City", "BN": "Brunei",
}


@lru_cache(maxsize=None)
def country(code: str | None) -> tuple[str, str]:
    """(name, ISO numeric) for an ISO2 code; unknown codes give (code, "")."""
    if not code:
        return "", ""
    code = code.upper()
    import pycountry  # slow to import: only when a row has a country

    entry = pycountry.countries.get(alpha_2=code)
    name = _ACLED_NAMES.get(code) or (entry.name if entry else code)
    return name, str(int(entry.numeric)) if entry else ""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# C0 controls, DEL and C1 controls: ESC[2J clears a terminal, BEL rings, NUL cuts strings
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_CSV = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, LF, CR are CSV's own


def escape_controls(text: str, pattern: re.Pattern = _CONTROL) -> str:
    """Control characters written as visible escapes (ESC -> ``\\x1b``); tab and newline stay."""
    return pattern.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


class TerminalText:
    """A text stream that escapes control characters on the way out (tables and reports
    carry text from the open web: it must not drive the reader's terminal)."""

    def __init__(self, out: TextIO):
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(escape_controls(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._out, name)


def evidence_text(row: Mapping[str, Any]) -> str:
    """The evidence sentences of an event row, in order, joined by a space."""
    return " ".join(" ".join(s["text"].split()) for s in row.get("evidence") or ())


def csv_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """One event row in CSV_COLUMNS terms."""
    date = row.get("date") or ""
    name, iso = country(row.get("country_code"))
    return {
        "event_id_cnty": row["id"],
        "event_date": date,
        "year": date[:4],
        "time_precision": _text(row.get("time_precision")),
        "event_type": _text(row.get("event_type")),
        "sub_event_type": _text(row.get("sub_event_type")),
        "actor1": _text(row.get("actor1")),
        "actor2": _text(row.get("actor2")),
        "country": name,
        "iso": iso,
        "admin1": _text(row.get("admin1")),
        "admin2": _text(row.get("admin2")),
        "location": _text(row.get("place_name")),
        "latitude": _text(row.get("latitude")),
        "longitude": _text(row.get("longitude")),
        "geo_precision": _text(row.get("geo_precision")),
        "source": _text(row.get("source")),
        "source_url": _text(row.get("url")),
        "notes": evidence_text(row),
        "fatalities": _text(row.get("fatalities")),
        "plover": _text(row.get("plover")),
        "status": _text(row.get("status")),
        "claim": _text(row.get("claim")),
        "claimed_by": _text(row.get("claimed_by")),
        "counts": json.dumps(row.get("counts") or {}, sort_keys=True, ensure_ascii=False),
        "confidence": _text(row.get("confidence")),
        "article_id": _text(row.get("article_id")),
    }


def write_csv(rows: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """Write event rows as CSV with a header line (``CSV_COLUMNS``)."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: escape_controls(v, _CONTROL_CSV) for k, v in csv_record(row).items()})
        n += 1
    return n


def _point(row: Mapping[str, Any]) -> list[float] | None:
    lat, lon = row.get("latitude"), row.get("longitude")
    if lat is None or lon is None:
        return None
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        return None
    return [lon, lat]  # GeoJSON order (RFC 7946)


def write_geojson(rows: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """Write a FeatureCollection of Points; return the number of rows left out."""
    features, skipped = [], 0
    for row in rows:
        point = _point(row)
        if point is None:
            skipped += 1
            continue
        props = {k: v for k, v in row.items() if k not in HEAVY_KEYS}
        features.append({"type": "Feature", "id": row.get("id"),
                         "geometry": {"type": "Point", "coordinates": point},
                         "properties": props})
    json.dump({"type": "FeatureCollection", "features": features}, out,
              ensure_ascii=False, default=str)
    out.write("\n")
    return skipped


def write_jsonl(rows: Iterable[Mapping[str, Any]], out: TextIO) -> int:
    """Write one JSON object per row and line."""
    n = 0
    for row in rows:
        out.write(json.dumps(dict(row), ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


# -- text for a terminal --------------------------------------------------------

def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + "…" if width > 0 else ""


def _actors(a1: str | None, a2: str | None) -> str:
    return " vs ".join(a for a in (a1, a2) if a) or "-"


def _claim(claim: str | None, status: str | None) -> str:
    claim = claim or ""
    return f"{claim}, {status}" if status and status != "happened" else claim


def write_table(rows: Iterable[Mapping[str, Any]], out: TextIO, width: int | None = None) -> int:
    """A fixed-width table: date, type, actors, location, fatalities, claim.

    ``width`` defaults to the terminal width; long cells end in "…".
    """
    out = TerminalText(out)
    if width is None:
        width = shutil.get_terminal_size((100, 24)).columns
    # date 10, fatalities 4, claim 16, five gaps of 2; the rest is shared 3:4:3
    rest = max(width - 10 - 4 - 16 - 10, 30)
    w_type, w_act = rest * 3 // 10, rest * 4 // 10
    w_loc = rest - w_type - w_act
    widths = (10, w_type, w_act, w_loc, 4, 16)

    def line(cells: Iterable[str]) -> str:
        parts = []
        for i, (cell, w) in enumerate(zip(cells, widths)):
            cell = _cut(cell, w)
            parts.append(cell.rjust(w) if i == 4 else cell.ljust(w))
        return "  ".join(parts).rstrip() + "\n"

    out.write(line(("date", "type", "actors", "location", "dead", "claim")))
    out.write(line("-" * w for w in widths))
    n = 0
    for row in rows:
        loc = ", ".join(x for x in (row.get("place_name"), row.get("country_code")) if x)
        out.write(line((
            row.get("date") or "?",
            row.get("sub_event_type") or row.get("event_type") or row.get("plover") or "?",
            _actors(row.get("actor1"), row.get("actor2")),
            loc or "-",
            _text(row.get("fatalities")),
            _claim(row.get("claim"), row.get("status")),
        )))
        n += 1
    if not n:
        out.write("(no events)\n")
    return n


# -- the extract command: whole articles -----------------------------------------

def write_articles_jsonl(results: Iterable[ArticleResult], out: TextIO) -> int:
    """One ``sitrep.article/1`` JSON object per article and line."""
    n = 0
    for result in results:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def _event_line(e: Event) -> str:
    place = "-"
    if e.place is not None:
        place = ", ".join(x for x in (e.place.name, e.place.country_code) if x)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(e.counts.items()))
    if e.fatalities is not None:
        counts = f"dead {e.fatalities}" + (f"; {counts}" if counts else "")
    claim = e.claim + (f" by {e.claimed_by}" if e.claimed_by else "")
    kind = e.sub_event_type or e.event_type or e.plover or "?"
    return (f"  {e.date or '????-??-??'}  {kind}  {_actors(e.actor1, e.actor2)}  @ {place}"
            f"  [{counts or 'no counts'}]  {e.status}, {claim}\n")


def write_articles_table(results: Iterable[ArticleResult], out: TextIO) -> int:
    """Per article a header line, one line per event, then its statistics."""
    out = TerminalText(out)
    n = 0
    for result in results:
        a = result.article
        meta = ", ".join(x for x in (a.source, a.published and a.published.isoformat()) if x)
        head = a.title or a.url or a.origin or a.id
        if n:
            out.write("\n")
        out.write(f"== {_cut(head, 100)}{f' ({meta})' if meta else ''}  [{a.id}]\n")
        for e in result.events:
            out.write(_event_line(e))
        if not result.events:
            out.write("  (no events)\n")
        for s in result.statistics:
            extra = "".join(f" {x}" for x in (
                s.period, "in " + ", ".join(s.places) if s.places else None,
                f"(per {s.attributed_to})" if s.attributed_to else None) if x)
            out.write(f"  stat: {s.qualifier} {s.value} {s.what}{extra}\n")
        n += 1
    return n


# -- the geoparse command: places only ---------------------------------------------

PLACES_SCHEMA = "sitrep.places/1"


def write_places(pairs: Iterable[tuple[Any, list]], out: TextIO, fmt: str = "jsonl") -> int:
    """Per article its place mentions: ``sitrep.places/1`` JSON lines, or a table."""
    out = out if fmt == "jsonl" else TerminalText(out)
    n = 0
    for article, mentions in pairs:
        if fmt == "jsonl":
            out.write(json.dumps({
                "schema": PLACES_SCHEMA, "id": article.id, "title": article.title, "url": article.url,
                "published": article.published.isoformat() if article.published else None,
                "source": article.source, "text": article.text,
                "places": [m.to_dict() for m in mentions]}, ensure_ascii=False) + "\n")
        else:
            head = article.title or article.url or article.origin or article.id
            out.write(f"{chr(10) if n else ''}== {_cut(head, 100)}  [{article.id}]\n")
            for m in mentions:
                p = m.place
                where = f"{p.name}, {p.admin1 or '-'}, {p.country_code} ({p.latitude:.3f}, {p.longitude:.3f}) " \
                        f"{p.feature_code} gn:{p.geonameid}" if p and p.latitude is not None else "unresolved"
                out.write(f"  {m.start:>6}-{m.end:<6} {_cut(m.text, 28):28s} -> {where}  score {m.score:.2f}\n")
            if not mentions:
                out.write("  (no places)\n")
        n += 1
    return n
