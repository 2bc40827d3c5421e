"""Writing events out: CSV (ACLED columns), GeoJSON, JSON Lines and text tables.

The row writers take the dicts returned by ``query.run`` (or ``Store.events``) and
write to any text stream; each returns how many rows it wrote (``write_geojson``:
how many had no coordinates, written with a null geometry).

CSV (``write_csv``): every column of ACLED's current export, in ACLED's order and with its
meaning and types (``ACLED_COLUMNS``), then sitrep's own (``SITREP_COLUMNS``). Where sitrep
knows less than an ACLED coder, or knows it differently:

* ``fatalities`` is 0 when the article gives no number (ACLED's convention, so the column
  stays an integer); ``fatalities_reported`` keeps sitrep's distinction: empty there means
  no number was given, "0" that the article says nobody was killed.
* ``notes`` is the evidence sentence(s) the event was extracted from, joined by a space
  (ACLED's notes are an analyst's summary). ``Event.notes`` is in the JSON Lines output.
* ``inter1``/``inter2`` come from the actor names sitrep writes (data/acled_inter.json);
  0 where there is no actor or its kind is unknown. ``interaction`` is the two codes,
  smaller first (an actor alone: its code times ten), as ACLED writes it.
* ``admin1`` is spelled as ACLED spells it where sitrep knows the spelling
  (data/acled_admin1.json), else as stored. ``region`` is ACLED's region of the country.
* ``source`` is the outlet's name (from the URL's domain when the stored source is a URL);
  the article's URL is in ``source_url``. ``timestamp`` is when the article was stored
  (Unix seconds); ``assoc_actor_1/2``, ``admin3``, ``source_scale`` and ``tags`` stay empty.
* ``iso`` is the ISO 3166 numeric code; 0 for Kosovo and unknown codes. ``country`` uses
  ACLED's spelling where it differs from ISO.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
import shutil
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping, TextIO

from .actors import state_name
from .errors import UsageError
from .model import ArticleResult, Event
from .outlets import outlet

#: ACLED's current export, in its order (see ACLED's codebook).
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
#: sitrep's own columns, after ACLED's.
SITREP_COLUMNS = (
    "canonical_id", "n_reports", "n_sources", "confidence", "status", "claim", "claimed_by", "plover",
    "counts", "fatalities_reported", "source_url", "article_id", "published", "stored_admin1",
)
CSV_COLUMNS = ACLED_COLUMNS + SITREP_COLUMNS
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
    "CW": "Curacao", "RE": "Reunion", "TL": "East Timor",
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


def name_key(text: str) -> str:
    """A name compared case-, accent- and spacing-insensitively ("Curaçao" = "curacao")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or text
    return " ".join(plain.lower().split())


@lru_cache(maxsize=None)
def country_index() -> dict[str, tuple[str, str]]:
    """Name or code (``name_key``) -> (ISO2, ACLED's name), for every country pycountry knows."""
    import pycountry

    out: dict[str, tuple[str, str]] = {"xk": ("XK", "Kosovo"), "kosovo": ("XK", "Kosovo")}
    for c in pycountry.countries:
        shown = country(c.alpha_2)[0]
        for name in (c.alpha_2, c.alpha_3, c.name, getattr(c, "common_name", None),
                     getattr(c, "official_name", None), shown):
            if name:
                out.setdefault(name_key(name), (c.alpha_2, shown))
    return out


@lru_cache(maxsize=None)
def _data(name: str) -> dict[str, Any]:
    doc = json.loads(resources.files("sitrep").joinpath(f"data/{name}").read_text("utf-8"))
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def _inverted(name: str) -> dict[str, str]:
    return {item: key for key, items in _data(name).items() for item in items}


def disorder_type(sub_event_type: str | None) -> str:
    """ACLED's disorder type of a sub-event type ("" for none)."""
    return _inverted("acled_disorder.json").get(sub_event_type or "", "")


def region(code: str | None) -> str:
    """ACLED's region of a country (ISO2), "" when unknown."""
    return _inverted("acled_regions.json").get((code or "").upper(), "")


def acled_admin1(code: str | None, name: str | None) -> str:
    """An admin1 name as ACLED spells it (the stored name where sitrep knows no other)."""
    if not name:
        return ""
    return _data("acled_admin1.json").get((code or "").upper(), {}).get(name, name)


def admin1_spellings(name: str, code: str | None = None) -> set[str]:
    """Lower-cased stored names that ``name`` (stored or ACLED spelling) may stand for."""
    key = name_key(name)
    found = {key}
    for cc, names in _data("acled_admin1.json").items():
        if code is None or cc == code.upper():
            found |= {name_key(stored) for stored, acled in names.items() if name_key(acled) == key}
    return found


def inter_code(actor: str | None, code: str | None) -> int:
    """ACLED's actor type code (1-8) of an actor name sitrep writes; 0 for none or unknown.

    A state's own forces acting outside their country (``code``, ISO2) are 8, as ACLED codes them."""
    if not actor:
        return 0
    table = _data("acled_inter.json")
    if actor in table["names"]:
        return table["names"][actor]
    state = state_name(actor)
    if state:
        home = country_index().get(name_key(state), (None,))[0]
        return 8 if home and code and home != code.upper() else 1
    for prefix, value in table["prefixes"].items():
        if actor == prefix or actor.startswith(prefix + " "):
            return value
    return 0


def interaction(inter1: int, inter2: int) -> int:
    """ACLED's interaction code: the two actor codes, smaller first; one actor alone: its code times ten."""
    if not inter1 or not inter2:
        return max(inter1, inter2) * 10
    return min(inter1, inter2) * 10 + max(inter1, inter2)


def unix_time(stamp: str | None) -> str:
    """Unix seconds of a stored ISO timestamp ("" for none)."""
    if not stamp:
        return ""
    t = dt.datetime.fromisoformat(stamp)
    return str(int((t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)).timestamp()))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# C0 controls, DEL and C1 controls: ESC[2J clears a terminal, BEL rings, NUL cuts strings
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_CSV = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab, LF, CR are CSV's own


def escape_controls(text: str, pattern: re.Pattern = _CONTROL) -> str:
    """Control characters written as visible escapes (ESC -> ``\\x1b``); tab and newline stay."""
    return pattern.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert_cell(value: str) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or CR) gets a
    leading apostrophe, as OWASP advises; numbers such as -3.5 stay numbers."""
    if not value or not value.startswith(_FORMULA_START):
        return value
    try:
        float(value)
        return value
    except ValueError:
        return "'" + value


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


def _actor_columns(row: Mapping[str, Any]) -> dict[str, Any]:
    cc = row.get("country_code")
    i1, i2 = inter_code(row.get("actor1"), cc), inter_code(row.get("actor2"), cc)
    return {
        "actor1": _text(row.get("actor1")), "assoc_actor_1": "", "inter1": str(i1),
        "actor2": _text(row.get("actor2")), "assoc_actor_2": "", "inter2": str(i2),
        "interaction": str(interaction(i1, i2)),
        "civilian_targeting": "Civilian targeting" if i2 == 7 else "",
    }


def _place_columns(row: Mapping[str, Any]) -> dict[str, Any]:
    cc = row.get("country_code")
    name, iso = country(cc)
    return {
        "iso": iso or ("0" if cc else ""), "region": region(cc), "country": name,
        "admin1": acled_admin1(cc, row.get("admin1")), "admin2": _text(row.get("admin2")), "admin3": "",
        "location": _text(row.get("place_name")), "latitude": _text(row.get("latitude")),
        "longitude": _text(row.get("longitude")), "geo_precision": _text(row.get("geo_precision")),
    }


def _sitrep_columns(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "canonical_id": _text(row.get("canonical_id")), "n_reports": _text(row.get("n_reports")),
        "n_sources": _text(row.get("n_sources")), "confidence": _text(row.get("confidence")),
        "status": _text(row.get("status")), "claim": _text(row.get("claim")),
        "claimed_by": _text(row.get("claimed_by")), "plover": _text(row.get("plover")),
        "counts": json.dumps(row.get("counts") or {}, sort_keys=True, ensure_ascii=False),
        "fatalities_reported": _text(row.get("fatalities")), "source_url": _text(row.get("url")),
        "article_id": _text(row.get("article_id")), "published": _text(row.get("published")),
        "stored_admin1": _text(row.get("admin1")),
    }


def csv_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """One event row in CSV_COLUMNS terms."""
    date = row.get("date") or ""
    record = {
        "event_id_cnty": row["id"], "event_date": date, "year": date[:4],
        "time_precision": _text(row.get("time_precision")) if date else "",
        "disorder_type": disorder_type(row.get("sub_event_type")),
        "event_type": _text(row.get("event_type")), "sub_event_type": _text(row.get("sub_event_type")),
        **_actor_columns(row), **_place_columns(row),
        "source": outlet(row.get("source"), row.get("url")), "source_scale": "", "notes": evidence_text(row),
        "fatalities": _text(row.get("fatalities") or 0), "tags": "", "timestamp": unix_time(row.get("ingested_at")),
        **_sitrep_columns(row),
    }
    return {c: record[c] for c in CSV_COLUMNS}


def csv_columns(names: Iterable[str] | None) -> tuple[str, ...]:
    """The CSV columns asked for (all when none), or a UsageError listing the valid ones."""
    names = tuple(n.strip() for n in names or () if n.strip())
    if bad := [n for n in names if n not in CSV_COLUMNS]:
        raise UsageError(f"unknown CSV column(s) {', '.join(map(repr, bad))}; valid: {', '.join(CSV_COLUMNS)}")
    return names or CSV_COLUMNS


def write_csv(rows: Iterable[Mapping[str, Any]], out: TextIO, columns: Iterable[str] | None = None) -> int:
    """Write event rows as CSV with a header line (``CSV_COLUMNS``, or the ``columns`` asked for)."""
    fields = csv_columns(columns)
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: inert_cell(escape_controls(v, _CONTROL_CSV)) for k, v in csv_record(row).items()
                         if k in fields})
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
    """Write a FeatureCollection of Points; rows without usable coordinates get a null geometry
    (RFC 7946 allows it). Returns how many rows have none."""
    features, unplaced = [], 0
    for row in rows:
        point = _point(row)
        unplaced += point is None
        props = {k: None if isinstance(v, float) and not math.isfinite(v) else v
                 for k, v in row.items() if k not in HEAVY_KEYS}  # NaN is no JSON
        features.append({"type": "Feature", "id": row.get("id"),
                         "geometry": {"type": "Point", "coordinates": point} if point else None,
                         "properties": props})
    json.dump({"type": "FeatureCollection", "features": features}, out,
              ensure_ascii=False, default=str)
    out.write("\n")
    return unplaced


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
