"""Reports of one real-world event, from many articles, become one canonical event.

Two reports are the same event when they are of the same kind (the three
territory-change types count as one kind), at the same place or within a few
km, dated within a day of each other, with compatible actors and the same
status, and - unless they are at the very same place - sentences that do not tell
different events: the evidence sentences' embeddings (the pipeline's sentence encoder)
must be at least ``SIM_APART`` alike. Similarity only ever keeps reports apart: two
reports of one templated kind ("shelling killed two civilians in X") at two nearby
towns are more alike than one event told by two outlets, so it never joins places the
rules keep apart. Merging is incremental and reversible: each stored event row keeps a
``canonical_id``; saving an article links its events to existing canonical
events (found through indexes on kind, date and place, never by a scan) and
recomputes only the canonical events it touched; replacing or removing an
article unlinks its rows and recomputes theirs.

Reconciliation follows ACLED: the most conservative credible toll (the lowest
positive figure; the range is kept in ``notes``), the most precise place, the
date most reports agree on. A claim becomes ``confirmed`` when a report
confirms it; a denial makes a claimed or reported event ``disputed`` until a
later confirmation. Syndicated copies (the same text from two outlets) count
as one source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections import Counter
from typing import Any, Callable, Iterable

from .dates import WEEK_DAYS, shift
from .gazetteer import fold, km
from .model import UNLISTED
from .taxonomy import TERRITORY_TYPES

NEAR_KM = 10.0
DAY_WINDOW = 1
# Cosine similarity of two evidence sentences below which they tell different events. Measured on
# 16 pairs the project wrote: one event told by two outlets 0.90-0.97; two events of one kind in
# one city or region 0.85-0.905, most under 0.88 (the same kind at two nearby towns, in one
# template, reaches 0.97: similarity alone never says two places are one).
SIM_APART = 0.88
EVIDENCE_CHARS = 400  # the start of an evidence span that is compared
CANONICAL_COLUMNS = ("id", "kind", "event_type", "sub_event_type", "plover", "actor1", "actor2",
                     "place_name", "geonameid", "latitude", "longitude", "country_code", "admin1",
                     "admin2", "feature_code", "geo_precision", "date", "time_precision", "fatalities",
                     "fatalities_max", "counts", "status", "claim", "claimed_by", "n_reports",
                     "n_sources", "sources", "notes", "confidence")

# Canonical events a report may merge into: of its kind and status, dated within DAY_WINDOW
# days. Equal scores go to the first one: the earliest date, then the oldest canonical event
# (rowid is creation order: SQLite's implicit one, a column of that name in PostgreSQL), the order
# a scan of a (kind, date) index gives.
_SELECT = "SELECT * FROM canonical_events WHERE "
_ORDER = " ORDER BY date, rowid"
_ANYWHERE_SQL = _SELECT + "kind = ? AND status = ? AND date BETWEEN ? AND ?" + _ORDER
# For a report with a fine place, only those at that place, nearby (a box looked up day by day),
# or coarse (region/country-level) in its country. Each lookup has its own index (SQLite's
# MULTI-INDEX OR), so none reads all the canonical events of the kind in the window, a set that
# grows with the database. Dates are YYYY-MM-DD, so the box can name each day: with the date
# fixed, the index on (kind, date, latitude) seeks straight to the latitude band.
_NEARBY_LOOKUPS = ("date BETWEEN ? AND ? AND geonameid = ?",
                   *["date = ? AND latitude BETWEEN ? AND ? AND longitude BETWEEN ? AND ?"]
                   * (2 * DAY_WINDOW + 1),
                   "date BETWEEN ? AND ? AND geo_precision = 3 AND country_code = ?")
_NEARBY_SQL = (_SELECT + " OR ".join(f"(kind = ? AND status = ? AND {lookup})" for lookup in _NEARBY_LOOKUPS)
               + _ORDER)


def kind_of(sub_event_type: str | None, plover: str | None) -> str:
    if sub_event_type in TERRITORY_TYPES:
        return "territory"
    return sub_event_type or plover or "?"


_BYLINE = re.compile(r"^\s*(?:\([^)]{1,60}\)|[A-Z][A-Za-z .'-]{1,40}\s*\([^)]{1,40}\)\s*[-\u2013\u2014:])\s*")


def fingerprint(text: str) -> str:
    """Equal for syndicated copies: the text without a leading byline, case and punctuation."""
    body = _BYLINE.sub("", text or "")
    words = re.findall(r"[a-z0-9]+", body.lower())
    return hashlib.sha1(" ".join(words).encode()).hexdigest()[:20]


def _day(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


def _actors_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return a == b or a in b or b in a


def _place_compatible(ev: dict, can: dict) -> float | None:
    """A distance-like score (lower is better), or None when the places cannot be one."""
    if ev["geonameid"] is not None and ev["geonameid"] == can["geonameid"]:
        return 0.0
    if UNLISTED in (ev["feature_code"], can["feature_code"]):
        # a place the gazetteer lacks is one place known by its name, located only roughly
        # (by what contains it): never the same as another place near that spot
        same = ev["feature_code"] == can["feature_code"] and \
            fold(ev["place_name"] or "") == fold(can["place_name"] or "")
        return 0.0 if same else None
    d = km(ev["latitude"], ev["longitude"], can["latitude"], can["longitude"])
    fine = (ev["geo_precision"] or 3) < 3 and (can["geo_precision"] or 3) < 3
    if fine and d <= NEAR_KM:
        return d
    # a report that only names the region or country may be the same as a town-level one
    if ev["country_code"] and ev["country_code"] == can["country_code"]:
        coarse_ev = (ev["geo_precision"] or 3) == 3
        coarse_can = (can["geo_precision"] or 3) == 3
        if coarse_ev != coarse_can:
            admin_ok = coarse_ev and ev["feature_code"] != "ADM1" or ev["admin1"] == can["admin1"] or \
                coarse_can and can["feature_code"] != "ADM1"
            return 50.0 if admin_ok else None
    return None


class Merger:
    """Links stored event rows to canonical events, through the store's connection (SQLite's, or
    the PostgreSQL adapter: the same SQL runs on both)."""

    def __init__(self, db, embed: Callable[[list[str]], Any] | None = None):
        self.db = db
        self._embed = embed  # texts -> unit-length rows; None: the pipeline's sentence encoder
        self._vectors: dict[str, Any] = {}

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict]:
        cur = self.db.execute(sql, tuple(params))
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    # -- linking --------------------------------------------------------------
    def link_article(self, article_id: str) -> set[str]:
        """Attach each event of the article to a canonical event; returns the ones touched."""
        touched: set[str] = set()
        events = self._rows("SELECT * FROM events WHERE article_id = ? ORDER BY seq", (article_id,))
        for ev in events:
            cid = self._find(ev, exclude_article=article_id) or ev["id"]
            exists = self.db.execute("SELECT 1 FROM canonical_events WHERE id = ?", (cid,)).fetchone()
            if not exists:
                self.db.execute(
                    "INSERT INTO canonical_events (id, kind, counts, status, claim, n_reports, n_sources, "
                    "sources, notes) VALUES (?, ?, '{}', ?, ?, 0, 0, '[]', '')",
                    (cid, kind_of(ev["sub_event_type"], ev["plover"]), ev["status"], ev["claim"]))
            self.db.execute("UPDATE events SET canonical_id = ? WHERE id = ?", (cid, ev["id"]))
            touched.add(cid)
        for cid in touched:
            self.recompute(cid)
        return touched

    def unlink_article(self, article_id: str) -> set[str]:
        """Detach the article's events (before they are replaced); returns canonical ids to recompute."""
        rows = self.db.execute("SELECT DISTINCT canonical_id FROM events WHERE article_id = ? "
                               "AND canonical_id IS NOT NULL", (article_id,)).fetchall()
        self.db.execute("UPDATE events SET canonical_id = NULL WHERE article_id = ?", (article_id,))
        return {r[0] for r in rows}

    def _find(self, ev: dict, exclude_article: str) -> str | None:
        day = _day(ev["date"])
        if day is None:
            return None
        scored = []
        for k, can in enumerate(self._candidates(ev, day)):
            if can["n_reports"] == 0:
                continue
            score = _place_compatible(ev, can)
            if score is None or not _actors_compatible(ev["actor1"], can["actor1"]):
                continue
            if can["sources"] and exclude_article in json.loads(can["sources"]):
                continue  # one article's own events were already merged by the extractor
            scored.append((score + abs((_day(can["date"]) - day).days) * 5, k, score, can["id"]))
        # the best-placed candidate whose sentences do not tell another event; the sentences are
        # compared only where the place is not the very same (and only as far as needed)
        for _, _, place_score, cid in sorted(scored):
            if place_score == 0 and ev["geonameid"] is not None:
                return cid
            sim = self.similarity(ev, cid)
            if sim is None or sim >= SIM_APART:
                return cid
        return None

    def similarity(self, ev: dict, cid: str) -> float | None:
        """How alike the report's evidence is to the closest of the canonical event's first reports
        (None when either has no evidence text)."""
        mine = _evidence_text(ev["evidence"])
        theirs = [_evidence_text(r[0]) for r in self.db.execute(
            "SELECT evidence FROM events WHERE canonical_id = ? ORDER BY id LIMIT 5", (cid,)).fetchall()]
        theirs = [t for t in theirs if t]
        if not mine or not theirs:
            return None
        vectors = self._vectors_of([mine, *theirs])
        return max(float(vectors[mine] @ vectors[t]) for t in theirs)

    def _vectors_of(self, texts: list[str]) -> dict[str, Any]:
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            if self._embed is None:
                from .classify.features import encoder

                self._embed = encoder().encode
            self._vectors.update(zip(todo, self._embed(todo)))
        return self._vectors

    def _candidates(self, ev: dict, day: dt.date) -> list[dict]:
        """The canonical events ``ev`` may merge into (no others can pass ``_place_compatible``)."""
        # at the calendar's edges a day repeats (harmless in the OR of lookups)
        days = [shift(day, k).isoformat() for k in range(-DAY_WINDOW, DAY_WINDOW + 1)]
        same = [kind_of(ev["sub_event_type"], ev["plover"]), ev["status"]]
        if ev["time_precision"] == 2:
            # "last week's strike": any report of the kind in that week (few reports are dated so loosely)
            lo, hi = shift(day, -WEEK_DAYS), shift(day, WEEK_DAYS)
            return self._rows(_ANYWHERE_SQL, [*same, lo.isoformat(), hi.isoformat()])
        if ev["latitude"] is None or (ev["geo_precision"] or 3) >= 3:
            return self._rows(_ANYWHERE_SQL, [*same, days[0], days[-1]])
        dlat = NEAR_KM / 111.0
        dlon = NEAR_KM / (111.0 * max(0.1, math.cos(math.radians(ev["latitude"]))))
        box = [ev["latitude"] - dlat, ev["latitude"] + dlat, ev["longitude"] - dlon, ev["longitude"] + dlon]
        params = [*same, days[0], days[-1], ev["geonameid"]]  # in the order of _NEARBY_LOOKUPS
        for d in days:
            params += [*same, d, *box]
        params += [*same, days[0], days[-1], ev["country_code"]]
        return self._rows(_NEARBY_SQL, params)

    # -- reconciling ----------------------------------------------------------
    def recompute(self, cid: str) -> None:
        # undated articles first, as SQLite orders NULLs (PostgreSQL would put them last)
        reports = self._rows(
            "SELECT e.*, a.published AS a_published, a.source AS a_source, a.url AS a_url, "
            "a.fingerprint AS a_fingerprint FROM events e JOIN articles a ON a.id = e.article_id "
            "WHERE e.canonical_id = ? ORDER BY CASE WHEN a.published IS NULL THEN 0 ELSE 1 END, a.published, e.id",
            (cid,))
        if not reports:
            self.db.execute("DELETE FROM canonical_events WHERE id = ?", (cid,))
            return
        values = reconcile(reports)
        sets = ", ".join(f'"{c}" = ?' for c in CANONICAL_COLUMNS[1:])
        self.db.execute(f"UPDATE canonical_events SET {sets} WHERE id = ?",
                        tuple(values[c] for c in CANONICAL_COLUMNS[1:]) + (cid,))


def _evidence_text(evidence: str | list | None) -> str:
    """The start of a stored report's first evidence span (JSON as stored, or already read)."""
    spans = json.loads(evidence) if isinstance(evidence, str) else evidence
    return " ".join((spans[0].get("text") or "").split())[:EVIDENCE_CHARS] if spans else ""


def _most_common(values: list) -> Any:
    values = [v for v in values if v not in (None, "")]
    return Counter(values).most_common(1)[0][0] if values else None


def reconcile(reports: list[dict]) -> dict:
    """One canonical event from its reports (ordered by publication)."""
    place = min(reports, key=lambda r: (r["geo_precision"] or 4, -sum(
        1 for o in reports if o["geonameid"] == r["geonameid"])))
    exact = [r["date"] for r in reports if r["date"] and r["time_precision"] == 1]
    date = _most_common(exact) or min((r["date"] for r in reports if r["date"]), default=None)
    precision = 1 if exact else min((r["time_precision"] or 3 for r in reports), default=None)
    tolls = [r["fatalities"] for r in reports if r["fatalities"]]
    fatalities = min(tolls) if tolls else (0 if any(r["fatalities"] == 0 for r in reports) else None)
    counts: dict[str, int] = {}
    for r in reports:
        for k, v in json.loads(r["counts"] or "{}").items():
            if v and (k not in counts or v < counts[k]):
                counts[k] = v
    notes = []
    if tolls and max(tolls) != min(tolls):
        by = ", ".join(f"{r['a_source'] or r['article_id']}: {r['fatalities']}" for r in reports if r["fatalities"])
        notes.append(f"reported tolls range {min(tolls)}-{max(tolls)} ({by}); the lowest is coded")
    # independent sources: syndicated copies (same fingerprint) count once
    seen_fp: set[str] = set()
    sources: list[str] = []
    outlets: set[str] = set()
    for r in reports:
        fp = r["a_fingerprint"] or r["article_id"]
        if fp in seen_fp:
            continue
        seen_fp.add(fp)
        outlets.add(r["a_source"] or r["a_url"] or r["article_id"])
    for r in reports:
        if r["article_id"] not in sources:
            sources.append(r["article_id"])
    claim, claimed_by = _claim_history(reports)
    best_type = _most_common([r["sub_event_type"] for r in reports])
    return {
        "kind": kind_of(reports[0]["sub_event_type"], reports[0]["plover"]),
        "event_type": _most_common([r["event_type"] for r in reports if r["sub_event_type"] == best_type]),
        "sub_event_type": best_type,
        "plover": _most_common([r["plover"] for r in reports]),
        "actor1": _most_common([r["actor1"] for r in reports]),
        "actor2": _most_common([r["actor2"] for r in reports]),
        "place_name": place["place_name"], "geonameid": place["geonameid"],
        "latitude": place["latitude"], "longitude": place["longitude"],
        "country_code": place["country_code"], "admin1": place["admin1"], "admin2": place["admin2"],
        "feature_code": place["feature_code"], "geo_precision": place["geo_precision"],
        "date": date, "time_precision": precision,
        "fatalities": fatalities, "fatalities_max": max(tolls) if tolls else fatalities,
        "counts": json.dumps(counts, sort_keys=True), "status": _most_common([r["status"] for r in reports]),
        "claim": claim, "claimed_by": claimed_by, "n_reports": len(reports), "n_sources": len(outlets),
        "sources": json.dumps(sources), "notes": "; ".join(notes),
        # the most confident report's: an event is as credible as its best telling
        "confidence": max((r["confidence"] for r in reports if r["confidence"] is not None), default=None),
    }


def _claim_history(reports: list[dict]) -> tuple[str, str | None]:
    """Claims through time: a confirmation confirms, a denial disputes until a later confirmation."""
    state, by = None, None
    for r in reports:
        c = r["claim"]
        by = by or r["claimed_by"]
        if state is None:
            state = c
        elif c == "confirmed":
            state = "confirmed"
        elif c in ("denied", "disputed"):
            state = "disputed" if state in ("claimed", "confirmed", "reported", "disputed") else "denied"
        elif c == "claimed" and state == "reported":
            state = "claimed"
    return state or "reported", by
