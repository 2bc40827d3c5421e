"""The situation report an analyst writes on Monday morning, from the merged events.

Headline figures (events by type, reported fatalities with their range, places
that changed hands and when), a day-by-day timeline, the most significant
developments, and the figures the articles quote with who states them. Every
line links to the article it rests on and quotes its evidence.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from typing import TextIO

from . import control
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
        own = f"[{source or article_id}]({article_link(base_url, article_id)})"
        return own + (f" ([original]({url}))" if url else "")
    return link


def _label(c: dict) -> str:
    return c["sub_event_type"] or c["plover"] or "event"


def _where(c: dict) -> str:
    parts = place_parts(c)
    return ", ".join(x for x in parts if x) if parts[0] else "place unknown"


def _significance(c: dict) -> float:
    return (c["fatalities"] or 0) + 25 * (c["kind"] == "territory") + 5 * (c["n_sources"] or 1) + \
        3 * (c["claim"] == "confirmed")


def build(store, since: dt.date, until: dt.date, country: str | None = None, top: int = 10,
          min_confidence: float | None = None, base_url: str = DEFAULT_BASE_URL) -> list[str]:
    """The report as Markdown lines; sources link to the article views under ``base_url``."""
    _link = _linker(base_url)
    events = store.canonical_events(since=since, until=until, country=country,
                                    **({} if min_confidence is None else {"min_confidence": min_confidence}))
    by_id_reports = {c["id"]: store.canonical_reports(c["id"]) for c in events}

    def cite(c: dict) -> str:
        reps = by_id_reports[c["id"]]
        seen, links = set(), []
        for r in reps:
            if r["article_id"] in seen:
                continue
            seen.add(r["article_id"])
            links.append(_link(r["source"], r["url"], r["article_id"]))
        quote = reps[0]["evidence"][0]["text"].strip().replace("\n", " ") if reps and reps[0]["evidence"] else ""
        return f"{', '.join(links)}: \u201c{quote[:220]}{'...' if len(quote) > 220 else ''}\u201d"

    lines = [f"# Situation report, {since} to {until}{' (' + country.upper() + ')' if country else ''}", ""]
    n_reports = sum(c["n_reports"] for c in events)
    lines += ["## Headline figures", "",
              f"- {len(events)} distinct events, merged from {n_reports} reports.", ""]
    lines.append("| event type | sub-event type | events | fatalities (lowest reported) | highest reported |")
    lines.append("|---|---|---|---|---|")
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for c in events:
        groups[(c["event_type"] or "(political)", _label(c))].append(c)
    for (etype, label), cs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        low = sum(c["fatalities"] or 0 for c in cs)
        high = sum(c["fatalities_max"] or c["fatalities"] or 0 for c in cs)
        lines.append(f"| {etype} | {label} | {len(cs)} | {low} | {high} |")
    total_low = sum(c["fatalities"] or 0 for c in events)
    total_high = sum(c["fatalities_max"] or c["fatalities"] or 0 for c in events)
    lines += ["", f"- Reported fatalities: at least {total_low}"
              + (f" (reports range up to {total_high})" if total_high != total_low else "") + ".", ""]

    periods = [p for p in control.timeline(store, country=country) if str(since) <= p.since <= str(until)]
    lines += ["## Places that changed hands", ""]
    if not periods:
        lines.append("- None reported in this period.")
    for p in periods:
        src = ", ".join(_link(e["source"], e["url"], e["article_id"]) for e in p.evidence[:3])
        quote = p.evidence[0]["text"][:200] if p.evidence else ""
        lines.append(f"- {p.since}: **{p.label}** to {p.controller} ({p.claim}"
                     f"{', contested' if p.contested else ''}). {src}: \u201c{quote}\u201d")
    lines.append("")

    lines += ["## Most significant developments", ""]
    for c in sorted(events, key=_significance, reverse=True)[:top]:
        toll = f", {c['fatalities']} killed" if c["fatalities"] else ""
        note = f" ({c['notes']})" if c["notes"] else ""
        lines.append(f"- {c['date']}: {_label(c)} in {_where(c)}{toll}; {c['actor1'] or 'actor unknown'}"
                     f"{' vs ' + c['actor2'] if c['actor2'] else ''}, {c['claim']}{note}. {cite(c)}")
    lines.append("")

    lines += ["## Day by day", ""]
    days: dict[str, list[dict]] = defaultdict(list)
    for c in events:
        days[c["date"] or "undated"].append(c)
    for day in sorted(days):
        lines.append(f"### {day}")
        for c in sorted(days[day], key=_significance, reverse=True):
            status = "" if c["status"] == "happened" else f" ({c['status']})"
            lines.append(f"- {_label(c)}{status} in {_where(c)}: {cite(c)}")
        lines.append("")

    stats = store.statistics_rows(since=since, until=until)
    lines += ["## Figures quoted", ""]
    if not stats:
        lines.append("- None quoted in this period.")
    for s in stats:
        by = f", according to {s['attributed_to']}" if s["attributed_to"] else ""
        period = f" ({s['period']})" if s["period"] else ""
        lines.append(f"- {s['qualifier']} {s['value']:,} {s['what']}{period}{by}. "
                     f"{_link(s['source'], s['url'], s['article_id'])}: \u201c{s['evidence'][0]['text'][:200]}\u201d")
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


def to_html(lines: list[str], figures: str = "") -> str:
    """A small Markdown subset (headings, lists, tables, links, bold) as one HTML page; ``figures``
    (HTML) goes after the title."""
    import re

    def inline(text: str) -> str:
        t = html.escape(text, quote=False)
        t = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", t)
        return re.sub(r"\[([^\]]+)\]\(([^)]+)\)", lambda m: f'<a href="{html.escape(m[2])}">{m[1]}</a>', t)

    body, in_list, in_table = [], False, False
    for line in lines:
        if not line.startswith("- ") and in_list:
            body.append("</ul>")
            in_list = False
        if not line.startswith("|") and in_table:
            body.append("</table>")
            in_table = False
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body.append(f"<h{level}>{inline(line[level:].strip())}</h{level}>")
            if level == 1 and figures:
                body.append(figures)
                figures = ""
        elif line.startswith("- "):
            if not in_list:
                body.append("<ul>")
                in_list = True
            body.append(f"<li>{inline(line[2:])}</li>")
        elif line.startswith("|"):
            if set(line) <= set("|-"):
                continue
            cells = [inline(c.strip()) for c in line.strip("|").split("|")]
            tag = "th" if not in_table else "td"
            if not in_table:
                body.append("<table>")
                in_table = True
            body.append("<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>")
        elif line.strip():
            body.append(f"<p>{inline(line)}</p>")
    if in_list:
        body.append("</ul>")
    if in_table:
        body.append("</table>")
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>sitrep situation report</title>"
            f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")
