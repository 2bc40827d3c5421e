"""Small SVG figures for the HTML report: a map of the events and a weekly chart.

Both are plain SVG text, written by the report without a browser or a plotting
library. Country outlines come from the Natural Earth TopoJSON of the
``world-atlas`` npm package that set-up copies for the dashboard; without it the
map shows the events alone.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
from functools import lru_cache
from typing import Any, Iterable

#: Colours of ACLED's event types; the dashboard reads them from /api/types.
TYPE_COLOURS = {
    "Battles": "#d62728", "Explosions/Remote violence": "#ff7f0e", "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c", "Riots": "#8c564b", "Strategic developments": "#1f77b4",
}
OTHER = "#555555"


def weekly_counts(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per ISO week (its Monday) and event type: how many events, and their known fatalities."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        if not r.get("date"):
            continue
        day = dt.date.fromisoformat(str(r["date"])[:10])
        week = (day - dt.timedelta(days=day.weekday())).isoformat()
        key = (week, r.get("event_type") or "")
        cell = out.setdefault(key, {"week": week, "event_type": key[1], "events": 0, "fatalities": 0})
        cell["events"] += 1
        cell["fatalities"] += r.get("fatalities") or 0
    return sorted(out.values(), key=lambda c: (c["week"], c["event_type"]))


def chart_svg(weeks: list[dict[str, Any]], width: int = 640, height: int = 160) -> str:
    """Stacked bars of events per week by type, with the week's fatalities as a dashed line."""
    if not weeks:
        return ""
    order = sorted({w["week"] for w in weeks})
    totals = {w: sum(c["events"] for c in weeks if c["week"] == w) for w in order}
    dead = {w: sum(c["fatalities"] for c in weeks if c["week"] == w) for w in order}
    top, most_dead, pad = max(totals.values()) or 1, max(dead.values()) or 1, 24
    bw = (width - 2 * pad) / len(order)
    parts, line = [], []
    for i, week in enumerate(order):
        y = height - pad
        for c in (c for c in weeks if c["week"] == week):
            h = (height - 2 * pad) * c["events"] / top
            y -= h
            parts.append(f'<rect x="{pad + i * bw + 1:.1f}" y="{y:.1f}" width="{max(bw - 2, 1):.1f}" height="{h:.1f}" '
                         f'fill="{TYPE_COLOURS.get(c["event_type"], OTHER)}"><title>{week} '
                         f'{html.escape(c["event_type"])}: {c["events"]} events</title></rect>')
        line.append(f"{pad + (i + .5) * bw:.1f},{height - pad - (height - 2 * pad) * dead[week] / most_dead:.1f}")
    parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#000" stroke-dasharray="4 2"/>')
    label = f"events per week (max {top}); dashed: fatalities (max {most_dead})"
    parts.append(f'<text x="{pad}" y="14" font-size="11">{label}</text>')
    parts.append(f'<text x="{pad}" y="{height - 6}" font-size="11">{order[0]}</text>')
    parts.append(f'<text x="{width - pad}" y="{height - 6}" font-size="11" text-anchor="end">{order[-1]}</text>')
    return (f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">' + "".join(parts) + "</svg>")


def map_svg(events: list[dict[str, Any]], width: int = 640, height: int = 400) -> str:
    """The events as dots (coloured by type, sized by fatalities) over country outlines."""
    placed = [e for e in events if e.get("latitude") is not None and e.get("longitude") is not None]
    if not placed:
        return ""
    lons = [e["longitude"] for e in placed]
    lats = [e["latitude"] for e in placed]
    west, east, south, north = _frame(min(lons), max(lons), min(lats), max(lats), width / height)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) / (east - west) * width, (north - lat) / (north - south) * height

    parts = [f'<rect width="{width}" height="{height}" fill="#cfe3ef"/>']
    for ring in country_rings():
        if _outside(ring, west, east, south, north):
            continue
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(lon, lat) for lon, lat in ring))
        parts.append(f'<polygon points="{points}" fill="#f4f1ea" stroke="#8a8a8a" stroke-width="0.6"/>')
    for e in sorted(placed, key=lambda e: -(e.get("fatalities") or 0)):
        x, y = xy(e["longitude"], e["latitude"])
        r = 3 + 1.5 * math.sqrt(min(e.get("fatalities") or 0, 400))
        title = html.escape(f"{e.get('date') or 'undated'} {e.get('sub_event_type') or ''} {e.get('place_name') or ''}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{TYPE_COLOURS.get(e.get("event_type"), OTHER)}" '
                     f'fill-opacity="0.75" stroke="#333" stroke-width="0.5"><title>{title}</title></circle>')
    return (f'<svg class="map" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">' + "".join(parts) + "</svg>")


def legend_html(events: list[dict[str, Any]]) -> str:
    kinds = sorted({e.get("event_type") for e in events if e.get("event_type")})
    return "".join(f'<span style="color:{TYPE_COLOURS.get(k, OTHER)}">&#9679;</span> {html.escape(k)} &nbsp; '
                   for k in kinds)


def _frame(west: float, east: float, south: float, north: float, aspect: float) -> tuple[float, ...]:
    """A lon/lat box around the points, at least 4 degrees wide, widened to the figure's aspect."""
    cx, cy = (west + east) / 2, (south + north) / 2
    w = max(east - west, 4.0) * 1.3
    h = max(north - south, 4.0 / aspect) * 1.3
    w, h = max(w, h * aspect), max(h, w / aspect)
    return cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2


def _outside(ring: list[tuple[float, float]], west: float, east: float, south: float, north: float) -> bool:
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north


@lru_cache(maxsize=1)
def country_rings() -> tuple[list[tuple[float, float]], ...]:
    """Outer rings of the Natural Earth country outlines (lon, lat), or none when they are not installed."""
    from .web import vendor_dir

    path = vendor_dir() / "world-atlas" / "countries-50m.json"
    try:
        topo = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return ()
    arcs = _decoded_arcs(topo)
    rings = []
    for geometry in topo["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs") or []
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            if polygon:
                rings.append(_ring(polygon[0], arcs))
    return tuple(rings)


def _decoded_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs as lon/lat points (quantized arcs are delta-encoded positions)."""
    t = topo.get("transform")
    out = []
    for arc in topo["arcs"]:
        if t is None:
            out.append([(p[0], p[1]) for p in arc])
            continue
        (sx, sy), (tx, ty) = t["scale"], t["translate"]
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """One ring from its arc indexes (a negative index ~i is arc i reversed)."""
    ring: list[tuple[float, float]] = []
    for i in indexes:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points[1:] if ring else points)
    return ring
