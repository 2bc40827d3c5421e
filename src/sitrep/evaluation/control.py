"""Control timelines against what the record says.

``sample``: the bundled corpus (samples/ukraine-2022) against its gold.json:
control changes found (same place, same controller, date within a day),
date errors, extra changes, and merged event count against the gold count.
Trivial baselines: "emit nothing" for the recalls (0), and for the claim of the
changes found, always the most frequent gold claim of those changes. The sample
is the project's own: these are regression checks, not quality.

``guardian``: the Guardian Syria articles, ingested, against the dates the
public record gives for three changes of control (an evaluation table, not a
rule: nothing here reaches the pipeline). Two views:

- best match (recall): for each record entry, the period of that place whose
  controller is one of the entry's takers with the start nearest the record's
  days; its error in days (``guardian_<place>_error_days``).
- precision: every control period produced for a place in the countries the
  record covers (Syria), whoever the controller (IS, SDF, the state, Turkey ...),
  is scored. A period is SUPPORTED when it is matched, one to one, to a record
  entry: the same place (a Syrian gazetteer id of the entry's name, or the same
  folded name), a controller that is one of the entry's takers, and a start
  within ``SUPPORT_DAYS`` (7) days of the record's days; of several such periods
  only the nearest start is supported. Every other period is a FALSE period: a
  controller the record does not give (IS or the state re-taking Raqqa), a start
  far from the record's change, a second period for the same change, or a change
  the record does not list at all (the record lists only three, so this is a
  lower bound on precision for the changes it does not cover).
  ``guardian_control_precision`` = supported / all periods in those countries;
  periods elsewhere are counted, not scored. Trivial baseline: "emit nothing"
  (0 found; precision undefined).
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from .. import control
from ..dates import days_between
from ..model import Article
from ..store import Store
from . import majority, rate, with_baselines
from .seed import fold

# (place, who took it (any of these names), first and last day the record gives)
RECORD_COUNTRY = "SY"  # the country the record covers
SUPPORT_DAYS = 7
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


def compare_control(periods: list[dict], gold: dict, ids_of=None) -> tuple[list[tuple[dict, dict | None]], list[dict]]:
    """Each gold control change with the period that matches it (same place, same controller,
    the nearest start date) or None, and the periods no gold change matched.

    ``ids_of(name, country_code)``: gazetteer ids a gold place name may have (its spelling may differ)."""
    used: set[int] = set()
    pairs = []
    for g in gold["control_changes"]:
        ids = ids_of(g["place"], g.get("country_code")) if ids_of and not g.get("geonameid") else set()
        cands = [i for i, p in enumerate(periods) if i not in used and p["controller"] == g["controller"]
                 and (_same_place(p, g["place"], g.get("geonameid")) or p["place"]["geonameid"] in ids)]
        if not cands:
            pairs.append((g, None))
            continue
        i = min(cands, key=lambda i: abs(days_between(g["since"], periods[i]["since"])))
        used.add(i)
        pairs.append((g, periods[i]))
    return pairs, [p for i, p in enumerate(periods) if i not in used]


def score_sample(periods: list[dict], gold: dict, merged: int, out: TextIO, ids_of=None) -> dict:
    pairs, extra = compare_control(periods, gold, ids_of)
    found = date_ok = claim_ok = 0
    for g, p in pairs:
        if p is None:
            out.write(f"MISSING  {g['since']} {g['place']} -> {g['controller']}\n")
            continue
        err = days_between(g["since"], p["since"])
        found += 1
        date_ok += abs(err) <= 1
        claim_ok += p["claim"] == g["claim"]
        out.write(f"FOUND    {g['since']} {g['place']} -> {g['controller']}: since {p['since']} "
                  f"(error {err:+d} days), claim {p['claim']} (gold {g['claim']})\n")
    for p in extra:
        out.write(f"EXTRA    {p['since']} {p['place']['name']} -> {p['controller']} ({', '.join(p['sources'])})\n")
    n = len(gold["control_changes"])
    gold_merged = gold["merged_event_count"]
    out.write(f"merged events: {merged} (gold {gold_merged})\n")
    claim, k = majority(g["claim"] for g, p in pairs if p is not None)
    baselines = {"control_recall": (0.0, "emit nothing"), "control_date_within_1_day": (0.0, "emit nothing"),
                 "control_claim_accuracy": (round(k / found, 3) if found else 0.0, f"always {claim!r}")}
    return with_baselines({
        "control_recall": round(found / n, 3),
        "control_precision": round(found / len(periods), 3) if periods else 0.0,
        "control_date_within_1_day": round(date_ok / n, 3),
        "control_claim_accuracy": round(claim_ok / found, 3) if found else 0.0,
        "merged_events": merged,
        "merged_events_gold": gold_merged,
        "merged_event_ratio": round(merged / gold_merged, 3),
    }, baselines)


def match_events(canonical: list[dict], gold_events: list[dict]) -> tuple[dict[str, list[dict]], list[dict]]:
    """Each canonical event against the gold events: the first gold event of the same kind (the
    territory types count as one), reported by one of the same dispatches and dated within a day.
    Returns the canonical events matched to each gold key and the unmatched (extra) ones."""
    from ..merge import kind_of

    matched: dict[str, list[dict]] = {}
    extra = []
    for c in canonical:
        sources = set(c["sources"])
        fits = [g for g in gold_events
                if kind_of(g["acled_sub_event_type"], g["plover"]) == c["kind"] and sources & set(g["source_ids"])
                and not (g["date"] and c["date"] and abs(days_between(c["date"], g["date"])) > 1)]
        if not fits:
            extra.append(c)
            continue
        # of two gold events of one kind in one dispatch, the one at the same place
        named = fold(c["place_name"] or "")
        g = next((g for g in fits if named and named in {fold(p) for p in [g["place"], *(g.get("places") or [])]}),
                 fits[0])
        matched.setdefault(g["key"], []).append(c)
    return matched, extra


def score_events(canonical: list[dict], gold: dict, out: TextIO) -> dict:
    """Merged events against the gold events: found, reported twice, missing, extra."""
    events = gold["events"]
    matched, extra = match_events(canonical, events)
    required = [g for g in events if not g.get("optional")]
    allowed = {g["key"]: len(g.get("places") or [1]) for g in events}  # ACLED: one event per location
    twice = {k: v for k, v in matched.items() if len(v) > allowed[k]}
    for k, v in twice.items():
        out.write(f"TWICE    {k}: {len(v)} canonical events ({', '.join(str(c['place_name']) for c in v)})\n")
    for g in required:
        if g["key"] not in matched:
            out.write(f"MISSING  event {g['key']}\n")
    for c in extra:
        out.write(f"EXTRA    event {c['date']} {c['kind']} at {c['place_name']} ({', '.join(c['sources'])})\n")
    found = sum(min(len(matched.get(g["key"], [])), allowed[g["key"]]) for g in required)
    n_gold = sum(allowed[g["key"]] for g in required)
    return {
        "events_found": found,
        "events_gold": n_gold,
        "event_recall": round(found / n_gold, 3) if n_gold else 0.0,
        "event_recall_baseline": 0.0,  # emit nothing
        "events_reported_twice": len(twice),
        "events_extra": len(extra),
    }


def ingest_sample(data: Path, pipeline) -> tuple[dict, list[dict], list[dict], int]:
    """Ingest the sample corpus into a fresh database: its gold, the control periods, the
    canonical events and the number of dispatches read."""
    from ..sources import iter_articles

    gold = json.loads((data / "gold.json").read_text())
    articles = [a for a in iter_articles([str(data / "dispatches.jsonl")]) if isinstance(a, Article)]
    with tempfile.TemporaryDirectory() as tmp:
        store = _ingest(pipeline, articles, Path(tmp) / "sample.db")
        periods = [p.to_dict() for p in control.timeline(store)]
        canonical = store.canonical_events()
        store.close()
    return gold, periods, canonical, len(articles)


def gazetteer_ids(gazetteer):
    """``ids_of(name, country_code)`` for a gold place named as the text names it."""
    def ids_of(name, cc):
        return {c.geonameid for c in gazetteer.candidates(name) if not cc or c.country_code == cc}
    return ids_of


def run_sample(data: Path, pipeline, out: TextIO) -> dict:
    gold, periods, canonical, n = ingest_sample(data, pipeline)
    out.write(f"sample corpus: {n} dispatches, {len(periods)} control periods\n")
    scores = score_sample(periods, gold, len(canonical), out, gazetteer_ids(pipeline.gazetteer))
    return {**scores, **score_events(canonical, gold, out)}


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

    def ids_of(place):  # the record names places as the English press does; the gazetteer knows their ids
        return {c.geonameid for c in pipeline.gazetteer.candidates(place) if c.country_code == RECORD_COUNTRY}

    return scores | score_guardian(periods, ids_of, out)


def _record_error(period: dict, first: str, last: str) -> int:
    """Days from the record's window to the period's start (0 inside it)."""
    lo, hi, d = dt.date.fromisoformat(first), dt.date.fromisoformat(last), dt.date.fromisoformat(period["since"][:10])
    return 0 if lo <= d <= hi else (d - hi).days if d > hi else (d - lo).days


def score_guardian(periods: list[dict], ids_of, out: TextIO, record=GUARDIAN_RECORD,
                   country: str = RECORD_COUNTRY) -> dict:
    """Best match per record entry, and supported / false periods (module docstring).

    ``ids_of(place)``: gazetteer ids the record's place name may have in ``country``."""
    scores: dict = {}
    found = 0
    candidates = []
    for place, takers, first, last in record:
        ids = ids_of(place)
        cands = [i for i, p in enumerate(periods) if (p["place"]["geonameid"] in ids or _same_place(p, place))
                 and any(t.lower() in p["controller"].lower() for t in takers)]
        candidates.append(cands)
        key = fold(place).replace(" ", "_")
        if not cands:
            out.write(f"MISSING  {place} taken by {takers[0]} ({first}..{last})\n")
            scores[f"guardian_{key}_error_days"] = None
            continue
        best = periods[min(cands, key=lambda i: abs(_record_error(periods[i], first, last)))]
        err = _record_error(best, first, last)
        found += 1
        scores[f"guardian_{key}_error_days"] = err
        out.write(f"FOUND    {place} -> {best['controller']} since {best['since']} "
                  f"(record {first}..{last}: error {err:+d} days), {best['claim']}, sources {best['sources'][:4]}\n")
    scores["guardian_control_found"] = found
    covered = [i for i, p in enumerate(periods) if p["place"].get("country_code") == country]
    supported: set[int] = set()
    for (place, takers, first, last), cands in zip(record, candidates, strict=True):
        near = [i for i in cands if i in covered and i not in supported
                and abs(_record_error(periods[i], first, last)) <= SUPPORT_DAYS]
        if near:
            supported.add(min(near, key=lambda i: abs(_record_error(periods[i], first, last))))
    false = [i for i in covered if i not in supported]
    by_controller = Counter(periods[i]["controller"] for i in false)
    out.write(f"control periods in {country}: {len(covered)} ({len(periods) - len(covered)} elsewhere, not scored); "
              f"supported by the record {len(supported)}, false {len(false)}"
              f"{' (' + ', '.join(f'{c} {n}' for c, n in by_controller.most_common(6)) + ')' if false else ''}\n")
    for i in false[:30]:
        p = periods[i]
        out.write(f"FALSE    {p['since']} {p['place']['name']} -> {p['controller']} ({', '.join(p['sources'][:3])})\n")
    if len(false) > 30:
        out.write(f"         ... and {len(false) - 30} more false periods\n")
    scores |= {
        "guardian_control_periods": len(covered),
        "guardian_periods_elsewhere": len(periods) - len(covered),
        "guardian_supported_periods": len(supported),
        "guardian_false_periods": len(false),
        "guardian_control_precision": rate(len(supported), len(covered)),
    }
    return scores
