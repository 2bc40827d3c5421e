"""The one query layer over stored events: the CLI and a web API both build an ``EventQuery``.

    q = EventQuery(country="Afghanistan", event_type="Battles", since="2024-03-01", limit=50)
    rows = run(store, q)          # merged events (one row per real-world event), oldest first
    total = count(store, q)       # how many rows without limit/offset (for pagination)
    q = EventQuery.from_params({"country": "af", "type": "Air/drone strike", "limit": "20"})

Every value is checked when the query is made: a wrong type, country, date or number is a
UsageError that says what to give instead (with the closest valid name, where there is one).
Filtering happens in SQL that SQLite and PostgreSQL both run; the one part that differs, full-text
search over evidence (FTS5 or a tsvector), sits behind ``Store.text_condition``.

A row is a dict with ``ROW_FIELDS``: the stored event columns plus its article's title, url,
source and publication date, then ``canonical_id``, ``n_reports``, ``n_sources`` and
``ingested_at``. A merged row (the default) takes its reconciled fields (type, actors, place,
date, toll, claim, ``notes``) from the merged event and its ``article_id``, ``evidence``,
``confidence`` and article fields from its best report (the most confident, then the earliest
published); ``id`` is the merged event's id and ``ingested_at`` the latest of its reports'.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Mapping

from .errors import UsageError
from .export import admin1_spellings, country_index, name_key
from .store import EVENT_COLUMNS, MIN_CONFIDENCE, ROW_KEYS, Store
from .taxonomy import ACLED_SUB_TYPES

ROW_FIELDS = ROW_KEYS + ("canonical_id", "n_reports", "n_sources", "ingested_at")
SUB_TYPES = tuple(ACLED_SUB_TYPES)
EVENT_TYPES = tuple(dict.fromkeys(ACLED_SUB_TYPES.values()))
STATUSES = ("happened", "planned", "threatened", "attempted")
CLAIMS = ("reported", "claimed", "confirmed", "denied", "disputed")
#: Parameter names ``from_params`` also takes, and the field each stands for.
ALIASES = {"type": "event_type", "sub_type": "sub_event_type", "search": "text", "q": "text"}

Day = str | dt.date | None


@lru_cache(maxsize=None)
def plover_types() -> tuple[str, ...]:
    """PLOVER event types (data/plover_types.txt)."""
    text = resources.files("sitrep").joinpath("data/plover_types.txt").read_text("utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


# -- checking values -------------------------------------------------------------

def _key(text: str) -> str:
    return name_key(str(text))


def choose(value: str, choices: Iterable[str], what: str, hint: str = "") -> str:
    """The choice ``value`` names (case and spacing ignored); else a UsageError with the closest."""
    by_key = {_key(c): c for c in choices}
    if _key(value) in by_key:
        return by_key[_key(value)]
    close = difflib.get_close_matches(_key(value), by_key, n=1, cutoff=0.5)
    guess = f": did you mean {by_key[close[0]]!r}?" if close else "."
    raise UsageError(f"unknown {what} {value!r}{guess} {hint or 'Give one of: ' + ', '.join(by_key.values())}")


def event_type_column(name: str) -> str:
    """Which stored column a checked ``event_type`` value is about."""
    return "event_type" if name in EVENT_TYPES else "sub_event_type" if name in SUB_TYPES else "plover"


def _event_type(value: str) -> str:
    return choose(value, EVENT_TYPES + SUB_TYPES + plover_types(), "event type",
                  "Give an ACLED event type, sub-event type or PLOVER code, e.g. 'Battles', "
                  "'Air/drone strike' or 'FIGHT'.")


def country_code(value: str) -> str:
    """ISO2 for an ISO2/ISO3 code or a country name (case-insensitive), else a UsageError."""
    found = country_index().get(_key(value))
    if found:
        return found[0]
    names = {k: shown for k, (_, shown) in country_index().items() if len(k) > 3}
    close = difflib.get_close_matches(_key(value), names, n=1, cutoff=0.6)
    guess = f": did you mean {names[close[0]]!r}?" if close else "."
    raise UsageError(f"unknown country {value!r}{guess} Give an ISO 3166 code (e.g. AF) or a name "
                     f"(e.g. Afghanistan).")


def _date(value: Day, name: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise UsageError(f"{name}: {value!r} is not a date; use YYYY-MM-DD, e.g. 2024-03-01") from None


def _number(value: Any, name: str, kind: type, low: float | None = 0, high: float | None = None) -> Any:
    if value is None or value == "":
        return None
    word = "whole number" if kind is int else "number"
    try:
        n = kind(str(value).strip()) if isinstance(value, str) else kind(value)
    except (TypeError, ValueError):
        raise UsageError(f"{name}: {value!r} is not a {word}; give e.g. {'10' if kind is int else '0.5'}") from None
    if (low is not None and n < low) or (high is not None and n > high):
        bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise UsageError(f"{name} must be {bounds}, not {value}")
    return n


def _fields(value: str | Iterable[str] | None) -> tuple[str, ...]:
    names = value.split(",") if isinstance(value, str) else list(value or ())
    names = [n.strip() for n in names if n.strip()]
    if bad := [n for n in names if n not in ROW_FIELDS]:
        raise UsageError(f"unknown field(s) {', '.join(map(repr, bad))}; valid fields: {', '.join(ROW_FIELDS)}")
    return tuple(names)


def _text(value: str | None) -> str | None:
    return " ".join(value.split()) or None if value else None


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    v = str(value).strip().lower()
    if v in ("1", "true", "yes", "on", ""):
        return True
    if v in ("0", "false", "no", "off"):
        return False
    raise UsageError(f"{name}: {value!r} is not true or false; give 1/0, true/false or yes/no")


# -- the query -------------------------------------------------------------------

@dataclass(frozen=True)
class EventQuery:
    """What to read; every field is checked (and spelled the stored way) when the query is made.

    ``country``: ISO2/ISO3 code or name. ``event_type``: an ACLED event type, sub-event type or
    PLOVER code; ``sub_event_type``: a sub-event type. ``admin1`` matches the stored name or
    ACLED's spelling of it; ``place`` the location name; ``actor`` part of actor1 or actor2 (any
    report's, for a merged event). ``text``: every word in the evidence. ``reports``: one row per
    report instead of per merged event. ``political``: also PLOVER-only acts. ``fields``: keep
    only these keys (``ROW_FIELDS``)."""

    since: Day = None
    until: Day = None
    country: str | None = None
    admin1: str | None = None
    place: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    claim: str | None = None
    status: str | None = None
    min_fatalities: int | None = None
    min_confidence: float | None = MIN_CONFIDENCE
    text: str | None = None
    reports: bool = False
    political: bool = False
    limit: int | None = None
    offset: int = 0
    fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name, value in _checked(self).items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> EventQuery:
        """A query from string parameters (CLI-style or an HTTP query string); empty values are unset."""
        names = {f.name for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, value in params.items():
            name = key.strip().lstrip("-").replace("-", "_")
            name = ALIASES.get(name, name)
            if name not in names:
                raise UsageError(f"unknown parameter {key!r}; valid: {', '.join(sorted(names | set(ALIASES)))}")
            if name in ("reports", "political"):
                values[name] = _bool(value, name)
            elif value is not None and value != "":
                values[name] = value
        return cls(**values)


def _checked(q: EventQuery) -> dict[str, Any]:
    since, until = _date(q.since, "since"), _date(q.until, "until")
    if since and until and since > until:
        raise UsageError(f"since {since} is after until {until}; swap them")
    return {
        "since": since, "until": until,
        "country": country_code(q.country) if _text(q.country) else None,
        "admin1": _text(q.admin1), "place": _text(q.place), "actor": _text(q.actor), "text": _text(q.text),
        "event_type": _event_type(q.event_type) if _text(q.event_type) else None,
        "sub_event_type": choose(q.sub_event_type, SUB_TYPES, "sub-event type") if _text(q.sub_event_type) else None,
        "claim": choose(q.claim, CLAIMS, "claim") if _text(q.claim) else None,
        "status": choose(q.status, STATUSES, "status") if _text(q.status) else None,
        "min_fatalities": _number(q.min_fatalities, "min_fatalities", int),
        "min_confidence": _number(q.min_confidence, "min_confidence", float, 0, 1),
        "limit": _number(q.limit, "limit", int),
        "offset": _number(q.offset, "offset", int) or 0,
        "reports": _bool(q.reports, "reports"), "political": _bool(q.political, "political"),
        "fields": _fields(q.fields),
    }


# -- SQL -------------------------------------------------------------------------

# Merged rows: each merged event with its best report (the most confident, then the earliest published).
_BEST_REPORT = ("(SELECT b.id FROM events b JOIN articles ba ON ba.id = b.article_id WHERE b.canonical_id = c.id "
                "ORDER BY b.confidence DESC, CASE WHEN ba.published IS NULL THEN 1 ELSE 0 END, ba.published, b.id "
                "LIMIT 1)")
_REPORT_ONLY = ("id", "article_id", "evidence", "confidence")
_NO_LIMIT = 2**63 - 1  # OFFSET without LIMIT: SQLite needs a LIMIT, and this one PostgreSQL takes too
_UNDATED_LAST = "CASE WHEN {p}.date IS NULL THEN 1 ELSE 0 END, {p}.date"


def _columns(reports: bool) -> tuple[list[tuple[str, str]], str]:
    """(row key, SQL expression) of each of the ``ROW_FIELDS`` in one mode, and the FROM clause."""
    cols = [c for c in EVENT_COLUMNS if c != "seq"]
    if reports:
        picked = [(c, f'e."{c}"') for c in cols]
        ingested = "a.ingested_at"
        source = ("events e JOIN articles a ON a.id = e.article_id "
                  "LEFT JOIN canonical_events c ON c.id = e.canonical_id")
    else:
        picked = [(c, "c.id" if c == "id" else f'{"e" if c in _REPORT_ONLY else "c"}."{c}"') for c in cols]
        ingested = ("(SELECT MAX(la.ingested_at) FROM events l JOIN articles la ON la.id = l.article_id "
                    "WHERE l.canonical_id = c.id)")
        source = f"canonical_events c JOIN events e ON e.id = {_BEST_REPORT} JOIN articles a ON a.id = e.article_id"
    article = [(k, f"a.{k}") for k in ("title", "url", "source", "published")]
    merged = [("canonical_id", "e.canonical_id" if reports else "c.id"), ("n_reports", "c.n_reports"),
              ("n_sources", "c.n_sources"), ("ingested_at", ingested)]
    return picked + article + merged, source


def _select(reports: bool, fields: tuple[str, ...] = ()) -> tuple[str, str]:
    """The select list (only ``fields``, when some are asked for) and the FROM clause of one mode."""
    columns, source = _columns(reports)
    return ", ".join(f'{sql} AS "{key}"' for key, sql in columns if not fields or key in fields), source


def _like(text: str) -> str:
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _report_condition(q: EventQuery, sql: str, params: list) -> tuple[str, list]:
    """A condition on one report, written with ``{r}`` for its alias; for merged rows, true when
    any of the merged event's reports meets it."""
    if q.reports:
        return sql.replace("{r}", "e"), params
    return f"EXISTS (SELECT 1 FROM events r WHERE r.canonical_id = c.id AND {sql.replace('{r}', 'r')})", params


def _actor_condition(q: EventQuery, p: str) -> tuple[str, list]:
    like = _like(q.actor)
    own = "(LOWER({r}.actor1) LIKE ? ESCAPE '\\' OR LOWER({r}.actor2) LIKE ? ESCAPE '\\')"
    if q.reports:
        return _report_condition(q, own, [like, like])
    anyone, params = _report_condition(q, own, [like, like])
    return f"({own.replace('{r}', p)} OR {anyone})", [like, like] + params


def _conditions(store: Store, q: EventQuery) -> tuple[list[str], list]:
    p = "e" if q.reports else "c"
    conds: list[tuple[str, list]] = []
    add = conds.append
    if q.since:
        add((f"{p}.date >= ?", [q.since]))
    if q.until:
        add((f"{p}.date <= ?", [q.until]))
    if q.min_confidence:  # a merged event keeps its most confident report's confidence
        add((f"{p}.confidence >= ?", [float(q.min_confidence)]))
    if not q.political:
        add((f"{p}.sub_event_type IS NOT NULL", []))
    for column, value in (("country_code", q.country), ("sub_event_type", q.sub_event_type),
                          ("claim", q.claim), ("status", q.status)):
        if value:
            add((f"{p}.{column} = ?", [value]))
    if q.event_type:
        add((f"{p}.{event_type_column(q.event_type)} = ?", [q.event_type]))
    if q.min_fatalities is not None:
        add((f"COALESCE({p}.fatalities, 0) >= ?", [q.min_fatalities]))  # unknown counts as 0, as in ACLED
    if q.place:
        add((f"LOWER({p}.place_name) = ?", [q.place.lower()]))
    if q.admin1:
        names = sorted(admin1_spellings(q.admin1, q.country))
        add((f"LOWER({p}.admin1) IN ({', '.join('?' * len(names))})", names))
    if q.actor:
        add(_actor_condition(q, p))
    if q.text:
        add(_report_condition(q, *store.text_condition("{r}.id", q.text)))
    return [c for c, _ in conds], [v for _, ps in conds for v in ps]


def _where(store: Store, q: EventQuery) -> tuple[str, list]:
    conds, params = _conditions(store, q)
    return (" WHERE " + " AND ".join(conds) if conds else ""), params


def _decode(row: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    for c in ("counts", "evidence"):
        if isinstance(row.get(c), str):
            row[c] = json.loads(row[c])
    return {k: row[k] for k in fields} if fields else row


def run(store: Store, q: EventQuery) -> list[dict[str, Any]]:
    """The rows ``q`` selects: by date (undated last), then id; ``limit``/``offset`` applied."""
    select, source = _select(q.reports, q.fields)
    where, params = _where(store, q)
    p = "e" if q.reports else "c"
    # with a date bound no row is undated, and a plain date order lets an index give the first page
    # without sorting every match
    dated = f"{p}.date" if q.since or q.until else _UNDATED_LAST.format(p=p)
    order = dated + (", e.article_id, e.id" if q.reports else ", c.id")
    page = ""
    if q.limit is not None or q.offset:
        page = " LIMIT ? OFFSET ?"
        params = params + [q.limit if q.limit is not None else _NO_LIMIT, q.offset]
    if q.reports:
        sql = f"SELECT {select} FROM {source}{where} ORDER BY {order}{page}"
    else:
        # the page of merged events first (their conditions read only them), then each one's best report
        chosen = f"SELECT c.id FROM canonical_events c{where} ORDER BY {order}{page}"
        sql = f"SELECT {select} FROM {source} WHERE c.id IN ({chosen}) ORDER BY {order}"
    return [_decode(r, q.fields) for r in store._query(sql, params)]


def count(store: Store, q: EventQuery) -> int:
    """How many rows ``q`` selects, ignoring ``limit`` and ``offset``."""
    where, params = _where(store, q)
    source = "events e" if q.reports else "canonical_events c"
    return int(store._query(f"SELECT COUNT(*) AS n FROM {source}{where}", params)[0]["n"])
