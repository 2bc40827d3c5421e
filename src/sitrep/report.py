"""The situation report an analyst writes on Monday morning, from the merged events.

Headline figures (events by type, reported fatalities with their range, places
that changed hands and when), a day-by-day timeline, the most significant
developments, and the figures the articles quote with who states them. Every
line links to the article it rests on and quotes its evidence.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TextIO

from . import control
from . import markdown as md
from .export import TerminalText
from .summary import place_parts


#: Where ``sitrep serve`` shows an article with its evidence marked (the report's source links point there).
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def article_link(base_url: str, article_id: str) -> str:
    from urllib.parse import quote

    return f"{base_url.rstrip('/')}/articles/{quote(article_id, safe='')}"


def _linker(base_url: str):
    """Links to a source: its name to the article view, then the original page when there is one."""
    def link(source: str | None, url: str | None, article_id: str) -> str:
        own = md.link(source or article_id, article_link(base_url, article_id))
        original = md.safe_url(url)
        return own + (f" ([original]({original}))" if original else "")
    return link


def _label(c: dict) -> str:
    return c["sub_event_type"] or c["plover"] or "event"


def _where(c: dict) -> str:
    parts = place_parts(c)
    return ", ".join(x for x in parts if x) if parts[0] else "place unknown"


def _significance(c: dict) -> float:
    return (c["fatalities"] or 0) + 25 * (c["kind"] == "territory") + 5 * (c["n_sources"] or 1) + \
        3 * (c["claim"] == "confirmed")


def _quote(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return "\u201c" + md.text(text[:limit] + ("..." if len(text) > limit else "")) + "\u201d"


def build(store, since: dt.date, until: dt.date, country: str | None = None, top: int = 10,
          min_confidence: float | None = None, base_url: str = DEFAULT_BASE_URL) -> list[str]:
    """The report as Markdown lines (every text from an article made inert); sources link to
    the article views under ``base_url``."""
    link = _linker(base_url)
    events = store.canonical_events(since=since, until=until, country=country,
                                    **({} if min_confidence is None else {"min_confidence": min_confidence}))
    reports = {c["id"]: store.canonical_reports(c["id"]) for c in events}

    def cite(c: dict) -> str:
        reps = reports[c["id"]]
        firsts: dict[str, dict] = {}
        for r in reps:  # each article once, in report order
            firsts.setdefault(r["article_id"], r)
        links = [link(r["source"], r["url"], aid) for aid, r in firsts.items()]
        quote = reps[0]["evidence"][0]["text"] if reps and reps[0]["evidence"] else ""
        return f"{', '.join(links)}: {_quote(quote, 220)}"

    title = f"Situation report, {since} to {until}{' (' + country.upper() + ')' if country else ''}"
    lines = [f"# {md.text(title)}", ""]
    lines += _headline(events)
    periods = [p for p in control.timeline(store, country=country) if str(since) <= p.since <= str(until)]
    lines += _changes(periods, link)
    lines += _significant(events, cite, top)
    lines += _days(events, cite)
    return lines + _quoted(store.statistics_rows(since=since, until=until), link)


def _headline(events: list[dict]) -> list[str]:
    n_reports = sum(c["n_reports"] for c in events)
    lines = ["## Headline figures", "", f"- {len(events)} distinct events, merged from {n_reports} reports.", "",
             "| event type | sub-event type | events | fatalities (lowest reported) | highest reported |",
             "|---|---|---|---|---|"]
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for c in events:
        groups[(c["event_type"] or "(political)", _label(c))].append(c)
    for (etype, label), cs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        low = sum(c["fatalities"] or 0 for c in cs)
        high = sum(c["fatalities_max"] or c["fatalities"] or 0 for c in cs)
        lines.append(f"| {md.text(etype)} | {md.text(label)} | {len(cs)} | {low} | {high} |")
    total_low = sum(c["fatalities"] or 0 for c in events)
    total_high = sum(c["fatalities_max"] or c["fatalities"] or 0 for c in events)
    return lines + ["", f"- Reported fatalities: at least {total_low}"
                    + (f" (reports range up to {total_high})" if total_high != total_low else "") + ".", ""]


def _changes(periods: list, link) -> list[str]:
    lines = ["## Places that changed hands", ""]
    if not periods:
        lines.append("- None reported in this period.")
    for p in periods:
        src = ", ".join(link(e["source"], e["url"], e["article_id"]) for e in p.evidence[:3])
        quote = _quote(p.evidence[0]["text"], 200) if p.evidence else ""
        lines.append(f"- {md.text(p.since)}: **{md.text(p.label)}** to {md.text(p.controller)} ({md.text(p.claim)}"
                     f"{', contested' if p.contested else ''}). {src}: {quote}")
    return lines + [""]


def _significant(events: list[dict], cite, top: int) -> list[str]:
    lines = ["## Most significant developments", ""]
    for c in sorted(events, key=_significance, reverse=True)[:top]:
        toll = f", {c['fatalities']} killed" if c["fatalities"] else ""
        note = f" ({md.text(c['notes'])})" if c["notes"] else ""
        actors = md.text(c["actor1"] or "actor unknown") + (f" vs {md.text(c['actor2'])}" if c["actor2"] else "")
        lines.append(f"- {md.text(c['date'])}: {md.text(_label(c))} in {md.text(_where(c))}{toll}; {actors}, "
                     f"{md.text(c['claim'])}{note}. {cite(c)}")
    return lines + [""]


def _days(events: list[dict], cite) -> list[str]:
    lines = ["## Day by day", ""]
    days: dict[str, list[dict]] = defaultdict(list)
    for c in events:
        days[c["date"] or "undated"].append(c)
    for day in sorted(days):
        lines.append(f"### {md.text(day)}")
        for c in sorted(days[day], key=_significance, reverse=True):
            status = "" if c["status"] == "happened" else f" ({md.text(c['status'])})"
            lines.append(f"- {md.text(_label(c))}{status} in {md.text(_where(c))}: {cite(c)}")
        lines.append("")
    return lines


def _quoted(stats: list[dict], link) -> list[str]:
    lines = ["## Figures quoted", ""]
    if not stats:
        lines.append("- None quoted in this period.")
    for s in stats:
        by = f", according to {md.text(s['attributed_to'])}" if s["attributed_to"] else ""
        period = f" ({md.text(s['period'])})" if s["period"] else ""
        lines.append(f"- {md.text(s['qualifier'])} {s['value']:,} {md.text(s['what'])}{period}{by}. "
                     f"{link(s['source'], s['url'], s['article_id'])}: {_quote(s['evidence'][0]['text'], 200)}")
    return lines


def write(store, out: TextIO, since: dt.date, until: dt.date, country: str | None = None,
          fmt: str = "md", min_confidence: float | None = None, base_url: str = DEFAULT_BASE_URL) -> None:
    out = TerminalText(out)
    lines = build(store, since, until, country, min_confidence=min_confidence, base_url=base_url)
    if fmt == "md":
        out.write("\n".join(lines) + "\n")
    else:
        out.write(to_html(lines, figures_html(store, since, until, country, min_confidence)))


def figures_html(store, since: dt.date, until: dt.date, country: str | None = None,
                 min_confidence: float | None = None) -> str:
    """The report's map of events and its weekly chart, as HTML with inline SVG."""
    from . import figures

    events = store.canonical_events(since=since, until=until, country=country,
                                    **({} if min_confidence is None else {"min_confidence": min_confidence}))
    if not events:
        return ""
    return (f'<div class="figures">{figures.map_svg(events)}<p>{figures.legend_html(events)}</p>'
            f'{figures.chart_svg(figures.weekly_counts(events))}</div>')


STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}")


def to_html(lines: list[str], figures: str = "") -> str:
    """The report's Markdown as one HTML page (each text escaped once); ``figures`` after the title."""
    return md.to_html(lines, "sitrep situation report", figures, STYLE)
