"""Control timelines against what the record says.

``sample``: the bundled corpus (samples/ukraine-2022) against its gold.json:
control changes found (same place, same controller, date within a day),
date errors, extra changes, and merged event count against the gold count.

``guardian``: the Guardian Syria articles, ingested, against the dates the
public record gives for three changes of control (an evaluation table, not a
rule: nothing here reaches the pipeline).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from pathlib import Path
from typing import TextIO

from .. import control
from ..model import Article
from ..store import Store
from .seed import fold

# (place, who took it (any of these names), first and last day the record gives)
GUARDIAN_RECORD = [
    ("Raqqa", ("SDF", "Syrian Democratic Forces", "YPG", "Kurdish"), "2017-10-17", "2017-10-20"),
    ("Afrin", ("Turkey", "Free Syrian Army", "Syrian National Army", "Turkish"), "2018-03-18", "2018-03-18"),
    ("Baghuz", ("SDF", "Syrian Democratic Forces", "YPG", "Kurdish"), "2019-03-23", "2019-03-23"),
]


def _ingest(pipeline, articles: list[Article], db_path: Path) -> Store:
    store = Store.open(db_path)
    store.save(pipeline.process_many(articles, on_error=lambda a, e: None))
    return store


def _same_place(period: dict, name: str, geonameid=None) -> bool:
    p = period["place"]
    if geonameid and p["geonameid"] == geonameid:
        return True
    if geonameid:
        return False
    return bool(p["name"]) and fold(p["name"]) == fold(name)


def score_sample(periods: list[dict], gold: dict, merged: int, out: TextIO, ids_of=None) -> dict:
    """``ids_of(name, country_code)``: gazetteer ids a gold place name may have (its spelling may differ)."""
    found = date_ok = 0
    used = set()
    for g in gold["control_changes"]:
        ids = ids_of(g["place"], g.get("country_code")) if ids_of and not g.get("geonameid") else set()
        cands = [i for i, p in enumerate(periods) if i not in used and p["controller"] == g["controller"]
                 and (_same_place(p, g["place"], g.get("geonameid")) or p["place"]["geonameid"] in ids)]
        if not cands:
            out.write(f"MISSING  {g['since']} {g['place']} -> {g['controller']}\n")
            continue
        i = min(cands, key=lambda i: abs((dt.date.fromisoformat(periods[i]["since"]) -
                                          dt.date.fromisoformat(g["since"])).days))
        used.add(i)
        err = (dt.date.fromisoformat(periods[i]["since"]) - dt.date.fromisoformat(g["since"])).days
        found += 1
        date_ok += abs(err) <= 1
        out.write(f"FOUND    {g['since']} {g['place']} -> {g['controller']}: since {periods[i]['since']} "
                  f"(error {err:+d} days), claim {periods[i]['claim']} (gold {g['claim']})\n")
    extra = [p for i, p in enumerate(periods) if i not in used]
    for p in extra:
        out.write(f"EXTRA    {p['since']} {p['place']['name']} -> {p['controller']} ({', '.join(p['sources'])})\n")
    n = len(gold["control_changes"])
    gold_merged = gold["merged_event_count"]
    out.write(f"merged events: {merged} (gold {gold_merged})\n")
    return {
        "control_recall": round(found / n, 3),
        "control_precision": round(found / len(periods), 3) if periods else 0.0,
        "control_date_within_1_day": round(date_ok / n, 3),
        "merged_events": merged,
        "merged_events_gold": gold_merged,
        "merged_event_ratio": round(merged / gold_merged, 3),
    }


def run_sample(data: Path, pipeline, out: TextIO) -> dict:
    from ..sources import iter_articles

    gold = json.loads((data / "gold.json").read_text())
    articles = [a for a in iter_articles([str(data / "dispatches.jsonl")]) if isinstance(a, Article)]
    with tempfile.TemporaryDirectory() as tmp:
        store = _ingest(pipeline, articles, Path(tmp) / "sample.db")
        periods = [p.to_dict() for p in control.timeline(store)]
        merged = store.merge_counts()["canonical_events"]
        store.close()
    out.write(f"sample corpus: {len(articles)} dispatches, {len(periods)} control periods\n")
    def ids_of(name, cc):
        return {c.geonameid for c in pipeline.gazetteer.candidates(name) if not cc or c.country_code == cc}

    return score_sample(periods, gold, merged, out, ids_of)


def run_guardian(data: Path, pipeline, out: TextIO, db: Path | None = None) -> dict:
    from ..bench import load_guardian

    articles = load_guardian(data)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        store = _ingest(pipeline, articles, db or Path(tmp) / "guardian.db")
        seconds = time.perf_counter() - t0
        periods = [p.to_dict() for p in control.timeline(store)]
        counts = store.merge_counts()
        store.close()
    out.write(f"guardian: {len(articles)} articles ingested in {seconds:.0f} s; {counts['canonical_events']} "
              f"canonical events from {counts['reports']} reports ({counts['merged_from_several']} merged "
              f"from several); {len(periods)} control periods\n")
    scores = {"guardian_canonical_events": counts["canonical_events"], "guardian_reports": counts["reports"]}
    found = 0
    for place, takers, first, last in GUARDIAN_RECORD:
        # the record names places as the English press does; the gazetteer knows their ids
        ids = {c.geonameid for c in pipeline.gazetteer.candidates(place) if c.country_code == "SY"}
        cands = [p for p in periods if (p["place"]["geonameid"] in ids or _same_place(p, place))
                 and any(t.lower() in p["controller"].lower() for t in takers)]
        key = fold(place).replace(" ", "_")
        if not cands:
            out.write(f"MISSING  {place} taken by {takers[0]} ({first}..{last})\n")
            scores[f"guardian_{key}_error_days"] = None
            continue
        lo, hi = dt.date.fromisoformat(first), dt.date.fromisoformat(last)

        def err(p):
            d = dt.date.fromisoformat(p["since"])
            return 0 if lo <= d <= hi else (d - hi).days if d > hi else (d - lo).days

        best = min(cands, key=lambda p: abs(err(p)))
        found += 1
        scores[f"guardian_{key}_error_days"] = err(best)
        out.write(f"FOUND    {place} -> {best['controller']} since {best['since']} "
                  f"(record {first}..{last}: error {err(best):+d} days), {best['claim']}, sources {best['sources'][:4]}\n")
    scores["guardian_control_found"] = found
    return scores
