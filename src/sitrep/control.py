"""Who holds which place, since when, and how sure we are.

A control timeline per place is built from the merged (canonical) events:
territory changes (a side overtakes, regains or is handed a place) open a
period for the side that took it and close the period before; a withdrawal
closes the withdrawing side's period and, in a war with exactly one other side
holding places in that country, opens one for that side (marked as inferred).
A claim keeps its status: a claim later denied stays disputed until a
confirmation; two sides claiming a place within a day make it contested.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, TextIO

STATE_PREFIXES = ("Military Forces of ", "Police Forces of ", "Government of ")
CLAIM_RANK = {"denied": 0, "disputed": 1, "claimed": 2, "reported": 3, "confirmed": 4}


def controller_name(actor: str | None) -> str | None:
    """'Military Forces of Russia' -> 'Russia'; armed groups keep their name."""
    if not actor:
        return None
    for prefix in STATE_PREFIXES:
        if actor.startswith(prefix):
            name = actor[len(prefix):]
            return name[4:] if name.startswith("the ") else name
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

    def to_dict(self) -> dict[str, Any]:
        return {"place": self.place, "controller": self.controller, "since": self.since,
                "until": self.until, "claim": self.claim, "contested": self.contested,
                "sources": list(self.sources), "evidence": list(self.evidence), "notes": "; ".join(self.notes)}


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


def _changes(store, country: str | None) -> list[dict]:
    """Territory changes and withdrawals at places below country level, oldest first."""
    rows = store.canonical_events(country=country, kind="territory")
    rows += [r for r in store.canonical_events(country=country, kind="RETREAT")]
    out = []
    for r in rows:
        if not r["date"] or r["status"] != "happened" or r["place_name"] is None:
            continue
        if (r["feature_code"] or "").startswith(("PCL", "CONT")):
            continue
        out.append(r)
    return sorted(out, key=lambda r: (r["date"], r["id"]))


def timeline(store, *, as_of: dt.date | str | None = None, country: str | None = None) -> list[ControlPeriod]:
    """Control periods of every place, oldest first; with ``as_of`` only what was known then."""
    changes = _changes(store, country)
    sides_by_country: dict[str, Counter] = defaultdict(Counter)
    for r in changes:
        if r["kind"] == "territory" and controller_name(r["actor1"]):
            sides_by_country[r["country_code"]][controller_name(r["actor1"])] += 1
    by_place: dict[Any, list[dict]] = defaultdict(list)
    for r in changes:
        by_place[r["geonameid"] or r["place_name"]].append(r)
    periods: list[ControlPeriod] = []
    for key, rows in by_place.items():
        current: ControlPeriod | None = None
        for r in rows:
            actor = controller_name(r["actor1"])
            withdrawal = r["kind"] != "territory" or (
                r["sub_event_type"] == "Non-violent transfer of territory" and "withdr" in (r["notes"] or ""))
            note = ""
            if withdrawal:
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
                current.sources += [s for s in r["sources"] if s not in current.sources]
                current.evidence += _evidence(store, r["id"])
                if CLAIM_RANK.get(r["claim"], 0) > CLAIM_RANK.get(current.claim, 0) and current.claim != "disputed" \
                        or r["claim"] == "confirmed":
                    current.claim = r["claim"]
                if current.until is not None and current.until >= r["date"]:
                    current.until = None
                continue
            if current is not None:
                if current.until is None or current.until > r["date"]:
                    current.until = r["date"]
                if (dt.date.fromisoformat(r["date"]) - dt.date.fromisoformat(current.since)).days <= 1:
                    current.contested = True
            current = ControlPeriod(place=_place(r), controller=actor, since=r["date"], until=None,
                                    claim=r["claim"], sources=list(r["sources"]), evidence=_evidence(store, r["id"]),
                                    notes=[note] if note else [])
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
    current = state(periods)
    out.write(f"Who holds what{' on ' + str(as_of) if as_of else ' (latest)'}\n")
    if not current:
        out.write("  (no territory changes recorded)\n")
    for p in sorted(current, key=lambda p: (p.place["country_code"] or "", p.place["name"] or "")):
        out.write(f"  {p.place['name'][:24]:24s} {p.controller[:28]:28s} since {p.since}  [{p.claim}"
                  f"{', contested' if p.contested else ''}]  sources: {', '.join(p.sources)}\n")
    out.write("\nChanges\n")
    for p in periods:
        quote = (p.evidence[0]["text"] if p.evidence else "").replace("\n", " ")
        out.write(f"  {p.since}  {p.place['name'][:24]:24s} -> {p.controller[:28]:28s} [{p.claim}]"
                  f"{'  until ' + p.until if p.until else ''}\n")
        if quote:
            out.write(f"        \"{quote[:150]}{'...' if len(quote) > 150 else ''}\" ({p.evidence[0]['source'] or p.evidence[0]['article_id']})\n")
