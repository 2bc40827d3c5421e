"""The first screen a reader wants after an ingest: events by type, places that
changed hands, the latest developments with their sources."""

from __future__ import annotations

from typing import TextIO


def _place(row) -> str:
    name = row.get("place_name") or "?"
    admin = row.get("admin1")
    return f"{name} ({admin}, {row.get('country_code')})" if admin and admin != name else f"{name} ({row.get('country_code')})"


def _source(row) -> str:
    return row.get("source") or row.get("url") or row.get("article_id") or "?"


def write_summary(store, out: TextIO, *, latest: int = 8, since=None, until=None, country=None) -> None:
    n_articles = store.article_count()
    rows = store.counts_by_type(since=since, until=until, country=country)
    total = sum(r["events"] for r in rows)
    out.write(f"{n_articles} articles, {total} events\n\n")
    out.write("Events by type\n")
    for r in rows:
        label = r["sub_event_type"] or "(political, PLOVER only)"
        kind = r["event_type"] or "-"
        out.write(f"  {r['events']:5d}  {kind:28.28s} {label:38.38s} fatalities {r['fatalities']}\n")
    changes = store.territory_changes(since=since, until=until, country=country)
    out.write("\nPlaces that changed hands\n")
    if not changes:
        out.write("  (none reported)\n")
    for r in changes:
        out.write(f"  {r['date'] or '????-??-??'}  {_place(r):38.38s} -> {r['actor1'] or 'unknown'}"
                  f"  [{r['claim']}{' by ' + r['claimed_by'] if r.get('claimed_by') else ''}]  ({_source(r)})\n")
    out.write("\nLatest developments\n")
    for r in store.latest(latest):
        what = r["sub_event_type"] or r["plover"] or "?"
        note = (r["evidence"][0]["text"] if r.get("evidence") else "").replace("\n", " ").strip()
        if len(note) > 140:
            note = note[:137] + "..."
        status = "" if r["status"] == "happened" else f" ({r['status']})"
        out.write(f"  {r['date'] or '????-??-??'}  {what}{status} - {_place(r) if r.get('place_name') else 'place unknown'}\n")
        out.write(f"      \"{note}\"\n      source: {_source(r)}{' ' + r['url'] if r.get('url') else ''}\n")
