"""The first screen a reader wants after an ingest: events by type, places that
changed hands, the latest developments with their sources (all from the merged events)."""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from . import control
from .control import place_label
from .export import TerminalText


def place_parts(row) -> tuple[str | None, str | None, str | None]:
    """Name, province (unless it is the name again) and country code of an event's or period's place."""
    name = row.get("place_name") or row.get("name")
    admin = row.get("admin1")
    return place_label(name, row.get("feature_code")), (admin if admin and admin != name else None), \
        row.get("country_code")


def _place(row) -> str:
    name, admin, cc = place_parts(row)
    if not name:
        return "place unknown"
    return f"{name} ({admin}, {cc})" if admin else f"{name} ({cc})"


def write_summary(store, out: TextIO, *, latest: int = 8, since=None, until=None, country=None,
                  min_confidence: float | None = None) -> None:
    out = TerminalText(out)
    events = store.canonical_events(since=since, until=until, country=country,
                                    **({} if min_confidence is None else {"min_confidence": min_confidence}))
    counts = store.merge_counts()
    out.write(f"{store.article_count()} articles: {counts['reports']} event reports merged into "
              f"{len(events)} events\n\nEvents by type\n")
    by_type = Counter((c["event_type"] or "-", c["sub_event_type"] or f"{c['plover']} (PLOVER)") for c in events)
    deaths = Counter()
    for c in events:
        deaths[(c["event_type"] or "-", c["sub_event_type"] or f"{c['plover']} (PLOVER)")] += c["fatalities"] or 0
    for (etype, label), n in by_type.most_common():
        out.write(f"  {n:5d}  {etype:28.28s} {label:38.38s} fatalities {deaths[(etype, label)]}\n")
    out.write("\nPlaces that changed hands\n")
    periods = control.timeline(store, country=country)
    if not periods:
        out.write("  (none reported)\n")
    for p in periods:
        src = ", ".join(dict.fromkeys(e["source"] or e["article_id"] for e in p.evidence))
        out.write(f"  {p.since}  {_place({**p.place, 'feature_code': p.feature_code}):40.40s} -> "
                  f"{p.controller:20.20s} [{p.claim}"
                  f"{', contested' if p.contested else ''}]{'  until ' + p.until if p.until else ''}  ({src})\n")
    out.write("\nLatest developments\n")
    dated = [c for c in events if c["date"]]
    for c in sorted(dated, key=lambda c: (c["date"], c["n_sources"]), reverse=True)[:latest]:
        what = c["sub_event_type"] or c["plover"] or "?"
        status = "" if c["status"] == "happened" else f" ({c['status']})"
        toll = f", {c['fatalities']} killed" if c["fatalities"] else ""
        out.write(f"  {c['date']}  {what}{status} - {_place(c)}{toll}, {c['claim']}\n")
        for r in store.canonical_reports(c["id"])[:3]:
            note = (r["evidence"][0]["text"] if r["evidence"] else "").replace("\n", " ").strip()
            note = note if len(note) <= 140 else note[:137] + "..."
            out.write(f"      \"{note}\"\n      {r['source'] or r['article_id']}{' ' + r['url'] if r.get('url') else ''}\n")
