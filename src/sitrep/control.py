"""Who holds which place, since when, and how sure we are.

A control timeline per place is built from the merged (canonical) events:
territory changes (a side overtakes, regains or is handed a place) open a
period for the side that took it and close the period before; a withdrawal
closes the withdrawing side's period and, in a war with exactly one other side
holding places in that country, opens one for that side (marked as inferred).
Claims take three values: claimed (only the gaining side says so), confirmed
(told as fact, or admitted by the losing side, whose pull-out within a few
days confirms the gain) and disputed (denied; it stays so until a
confirmation). Two sides claiming a place within a day make it contested. A
report dated only to a week or month gives way to a day-dated report of the
same change. A place the gazetteer lacks is one place by its name, positioned
by the report that locates it best.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, TextIO

from .actors import state_name
from .dates import days_between, within_period
from .export import TerminalText
from .gazetteer import fold

CONFIRM_DAYS = 3  # a pull-out admitted this soon after a capture claim confirms it


def control_claim(event_claim: str) -> str:
    """An event's claim as a control claim: only claimed, confirmed or disputed. A change told
    as fact (by the outlet, or by anyone but the gaining side) counts as confirmed."""
    if event_claim in ("denied", "disputed"):
        return "disputed"
    return "claimed" if event_claim == "claimed" else "confirmed"


def _add_support(store, period: ControlPeriod, r: dict, claim: str) -> None:
    """Another report of the same control: its sources, its evidence, and a stronger claim
    (a denial keeps the period disputed until a confirmation)."""
    period.sources += [s for s in r["sources"] if s not in period.sources]
    period.evidence += _evidence(store, r["id"])
    if claim == "confirmed" or (claim == "disputed" and period.claim == "claimed"):
        period.claim = claim


def controller_name(actor: str | None) -> str | None:
    """'Military Forces of Russia' -> 'Russia'; armed groups keep their name."""
    if not actor:
        return None
    state = state_name(actor)
    if state:
        return state
    if actor.startswith(("Civilians", "Protesters", "Rioters", "Unidentified")):
        return None
    return actor


@dataclass
class ControlPeriod:
    place: dict
    controller: str
    since: str
    until: str | None
    claim: str
    sources: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    contested: bool = False
    feature_code: str | None = None  # of the place: a region (ADM1) is told apart from its capital

    @property
    def label(self) -> str:
        return place_label(self.place["name"], self.feature_code) or "?"

    def to_dict(self) -> dict[str, Any]:
        return {"place": self.place, "controller": self.controller, "since": self.since,
                "until": self.until, "claim": self.claim, "contested": self.contested,
                "sources": list(self.sources), "evidence": list(self.evidence), "notes": "; ".join(self.notes)}


LEVEL_WORDS = {"ADM1": "region", "ADM2": "district"}


def place_label(name: str | None, feature_code: str | None) -> str | None:
    """How a place is named to a reader: 'Kyiv region' for the province, 'Kyiv' for the city."""
    word = LEVEL_WORDS.get(feature_code or "")
    return f"{name} {word}" if name and word and not name.lower().endswith(word) else name


PLACE_COLUMNS = ("place_name", "admin1", "country_code", "latitude", "longitude")


def _place(c: dict) -> dict:
    return {"name": c["place_name"], "geonameid": c["geonameid"], "admin1": c["admin1"],
            "country_code": c["country_code"], "latitude": c["latitude"], "longitude": c["longitude"]}


def _evidence(store, cid: str) -> list[dict]:
    out = []
    for r in store.canonical_reports(cid):
        text = r["evidence"][0]["text"] if r["evidence"] else ""
        out.append({"article_id": r["article_id"], "url": r["url"], "source": r["source"],
                    "published": r["published"], "text": text.strip()})
    return out


def _changes(store, country: str | None, min_confidence: float | None = None) -> list[dict]:
    """Territory changes and withdrawals at places below country level, oldest first."""
    conf = {} if min_confidence is None else {"min_confidence": min_confidence}
    rows = store.canonical_events(country=country, kind="territory", **conf)
    rows += store.canonical_events(country=country, kind="RETREAT", **conf)
    out = []
    for r in rows:
        if not r["date"] or r["status"] != "happened" or r["place_name"] is None:
            continue
        if (r["feature_code"] or "").startswith(("PCL", "CONT")):
            continue
        out.append(r)
    return sorted(out, key=lambda r: (r["date"], r["id"]))


def _prefer_day(rows: list[dict]) -> list[dict]:
    """'Russia seized it in February' and 'Russia seized it on 24 February' are one change:
    a report dated only to the week or month gives way to a report of the same side dated
    to a day inside that period, to which it adds its sources."""
    out = []
    for r in rows:
        if r["time_precision"] != 1 and r["kind"] == "territory":
            same = [o for o in rows if o["time_precision"] == 1 and o["kind"] == "territory"
                    and controller_name(o["actor1"]) == controller_name(r["actor1"])
                    and within_period(dt.date.fromisoformat(o["date"]), dt.date.fromisoformat(r["date"]),
                                      r["time_precision"])]
            if same:
                same[0]["sources"] = same[0]["sources"] + [x for x in r["sources"] if x not in same[0]["sources"]]
                continue
        out.append(r)
    return out


def timeline(store, *, as_of: dt.date | str | None = None, country: str | None = None,
             min_confidence: float | None = None) -> list[ControlPeriod]:
    """Control periods of every place, oldest first; with ``as_of`` only what was known then."""
    changes = _changes(store, country, min_confidence)
    sides_by_country: dict[str, Counter] = defaultdict(Counter)
    # a place the gazetteer lacks is known by its name; the report that locates it best
    # (coordinates from what contains it) speaks for its country and position in every report
    located: dict[str, dict] = {}
    countries: Counter = Counter((fold(r["place_name"]), r["country_code"]) for r in changes if r["geonameid"] is None)
    for r in changes:
        if r["geonameid"] is None:
            key = fold(r["place_name"])
            best = located.get(key)
            # coordinates first, then the country most reports put it in
            rank = (r["latitude"] is not None, countries[key, r["country_code"]])
            if best is None or rank > (best["latitude"] is not None, countries[key, best["country_code"]]):
                located[key] = r
    changes = [r if r["geonameid"] is not None else {
        **r, **{k: located[fold(r["place_name"])][k] for k in PLACE_COLUMNS}} for r in changes]
    for r in changes:
        if r["kind"] == "territory" and controller_name(r["actor1"]):
            sides_by_country[r["country_code"]][controller_name(r["actor1"])] += 1
    by_place: dict[Any, list[dict]] = defaultdict(list)
    for r in changes:
        by_place[r["geonameid"] or fold(r["place_name"])].append(r)
    periods: list[ControlPeriod] = []
    for key, rows in by_place.items():
        rows = _prefer_day(rows)
        current: ControlPeriod | None = None
        for r in rows:
            actor = controller_name(r["actor1"])
            withdrawal = r["kind"] != "territory" or (
                r["sub_event_type"] == "Non-violent transfer of territory" and "withdr" in (r["notes"] or ""))
            note = ""
            if withdrawal:
                if current is not None and current.controller != actor and r["time_precision"] == 1 \
                        and 0 <= days_between(current.since, r["date"]) <= CONFIRM_DAYS:
                    # the losing side admits the pull-out: the gaining side's claim is confirmed
                    _add_support(store, current, r, "confirmed")
                    continue
                # only a dated withdrawal by the side that holds the place (or by a side we
                # have not seen hold it yet) says who holds it next
                if r["time_precision"] != 1 or (current is not None and current.controller != actor):
                    continue
                if current is not None and actor and current.controller == actor and current.until is None:
                    current.until = r["date"]
                others = [s for s in sides_by_country[r["country_code"]] if s != actor]
                if not actor or len(others) != 1:
                    continue
                actor, note = others[0], f"inferred from the withdrawal of {controller_name(r['actor1'])}"
            if not actor:
                continue
            if current is not None and current.controller == actor:
                _add_support(store, current, r, control_claim(r["claim"]))
                if current.until is not None and current.until >= r["date"]:
                    current.until = None
                continue
            if current is not None:
                if current.until is None or current.until > r["date"]:
                    current.until = r["date"]
                if days_between(current.since, r["date"]) <= 1:
                    current.contested = True
            current = ControlPeriod(place=_place(r), controller=actor, since=r["date"], until=None,
                                    claim=control_claim(r["claim"]), sources=list(r["sources"]), evidence=_evidence(store, r["id"]),
                                    notes=[note] if note else [], feature_code=r["feature_code"])
            if current.contested:
                current.notes.append("contested")
            periods.append(current)
    if as_of is not None:
        day = as_of.isoformat() if isinstance(as_of, dt.date) else str(as_of)
        kept = []
        for p in periods:
            if p.since > day:
                continue
            if p.until is not None and p.until > day:
                p.until = None
            kept.append(p)
        periods = kept
    return sorted(periods, key=lambda p: (p.since, p.place["name"] or ""))


def state(periods: Iterable[ControlPeriod]) -> list[ControlPeriod]:
    """The open periods: who holds each place at the end of the timeline."""
    return [p for p in periods if p.until is None]


# -- output ---------------------------------------------------------------------

def write_json(periods: list[ControlPeriod], out: TextIO) -> None:
    out.write(json.dumps([p.to_dict() for p in periods], ensure_ascii=False, indent=1) + "\n")


def write_csv(periods: list[ControlPeriod], out: TextIO) -> None:
    import csv

    w = csv.writer(out)
    w.writerow(["place", "geonameid", "admin1", "country_code", "latitude", "longitude", "controller",
                "since", "until", "claim", "contested", "sources", "notes"])
    for p in periods:
        pl = p.place
        w.writerow([pl["name"], pl["geonameid"], pl["admin1"], pl["country_code"], pl["latitude"],
                    pl["longitude"], p.controller, p.since, p.until or "", p.claim, int(p.contested),
                    " ".join(p.sources), "; ".join(p.notes)])


def write_geojson(periods: list[ControlPeriod], out: TextIO) -> None:
    feats = []
    for p in state(periods):
        if p.place["latitude"] is None:
            continue
        props = p.to_dict()
        props.pop("evidence")
        feats.append({"type": "Feature", "geometry": {"type": "Point",
                      "coordinates": [p.place["longitude"], p.place["latitude"]]}, "properties": props})
    out.write(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False) + "\n")


def write_table(periods: list[ControlPeriod], out: TextIO, as_of=None) -> None:
    out = TerminalText(out)
    current = state(periods)
    out.write(f"Who holds what{' on ' + str(as_of) if as_of else ' (latest)'}\n")
    if not current:
        out.write("  (no territory changes recorded)\n")
    for p in sorted(current, key=lambda p: (p.place["country_code"] or "", p.place["name"] or "")):
        out.write(f"  {p.label[:24]:24s} {p.controller[:28]:28s} since {p.since}  [{p.claim}"
                  f"{', contested' if p.contested else ''}]  sources: {', '.join(p.sources)}\n")
    out.write("\nChanges\n")
    for p in periods:
        quote = (p.evidence[0]["text"] if p.evidence else "").replace("\n", " ")
        out.write(f"  {p.since}  {p.label[:24]:24s} -> {p.controller[:28]:28s} [{p.claim}]"
                  f"{'  until ' + p.until if p.until else ''}\n")
        if quote:
            out.write(f"        \"{quote[:150]}{'...' if len(quote) > 150 else ''}\" ({p.evidence[0]['source'] or p.evidence[0]['article_id']})\n")
