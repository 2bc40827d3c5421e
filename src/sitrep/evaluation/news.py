"""``sitrep eval news``: the whole pipeline on real, long news, scored for precision and recall.

The gold is a hand annotation of Guardian articles (``guardian_dev.jsonl`` in the
news-gold folder); the article texts come from the Guardian SDF sample CSV, keyed
by its first, unnamed column. Scoring follows the annotation guidelines
("Scoring"):

- a program event matches a gold event when their evidence spans overlap, or
  when the ACLED event type agrees (the three territory types count as one), the
  place agrees (50 km; same admin1 when either side is only a province; same
  country when the gold names only a country) and the date agrees (2 days, or
  inside the gold's range widened by 2 days);
- matching is one to one;
- on a matched pair, place within 25 km and admin1 also agree when both sides place the
  event only in the same country (each side's point for the country may differ by more
  than 25 km: the annotators' Syria and GeoNames' Syria are 45 km apart);
- precision = matched current gold events / program events with an ACLED type,
  leaving out events matched to background gold events; recall = matched current
  / current gold events.

Each score is printed beside its trivial baseline: "emit nothing" for the event
counts, and on the matched pairs the majority sub-type, the most frequent actor,
the publication date and "always 0" fatalities.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..errors import UsageError
from ..export import acled_admin1
from ..gazetteer import km
from ..model import Article
from ..taxonomy import ACLED_SUB_TYPES, TERRITORY_TYPES
from . import predict, rate
from .seed import fold

MATCH_KM = 50
PLACE_KM = 25
DATE_SLACK = 2
CONFIDENT = 0.8  # calibration is checked on events at least this confident


@dataclass
class GoldArticle:
    row: str
    published: dt.date
    text: str
    events: list[dict]
    statistics: list[dict]


def _family(sub: str | None) -> str | None:
    if sub in TERRITORY_TYPES:
        return "territory"
    return ACLED_SUB_TYPES.get(sub or "")


def _day(s: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(s[:10]) if s else None
    except ValueError:
        return None


def load(data: Path, texts: Path | None = None, limit: int | None = None) -> list[GoldArticle]:
    """The gold articles with their texts, in the gold file's order."""
    gold_path = data if data.is_file() else data / "guardian_dev.jsonl"
    if not gold_path.exists():
        raise UsageError(f"{gold_path} not found: pass --data the news-gold folder or its guardian_dev.jsonl")
    csv_path = texts or gold_path.parent.parent / "guardian-sdf" / "Guardian_SDF_sample.csv"
    if csv_path.is_dir():
        csv_path = csv_path / "Guardian_SDF_sample.csv"
    if not csv_path.exists():
        raise UsageError(f"{csv_path} not found: pass --texts the guardian-sdf folder or its CSV")
    csv.field_size_limit(sys.maxsize)
    with csv_path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        by_row = {r[0]: r for r in reader if r}
    out = []
    with gold_path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                g = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{gold_path}:{n}: not valid JSON ({exc.msg}): fix or restore the file") from exc
            row = by_row.get(str(g["row"]))
            if row is None:
                raise UsageError(f"{gold_path}:{n}: row {g['row']} is not in {csv_path}: use the matching CSV")
            out.append(GoldArticle(str(g["row"]), dt.date.fromisoformat(g["published"]), row[2],
                                   g.get("events") or [], g.get("statistics") or []))
            if limit and len(out) >= limit:
                break
    return out


def _gold_span(text: str, evidence: str | None) -> tuple[int, int] | None:
    if not evidence:
        return None
    i = text.find(evidence)
    if i < 0:
        i = text.find(evidence[:60])
        if i < 0:
            return None
    return i, i + len(evidence)


def _overlaps(pred: dict, span: tuple[int, int] | None) -> bool:
    if span is None:
        return False
    return any(s["start"] < span[1] and span[0] < s["end"] for s in pred.get("evidence", []))


def _place_agrees(gold: dict | None, pred: dict | None) -> bool:
    if not gold or not pred:
        return False
    if gold.get("precision") == 3 or pred.get("precision") == 3:
        if gold.get("admin1") and pred.get("admin1") and admin1_agrees(gold, pred):
            return True
    if not gold.get("admin1") and gold.get("country_code"):  # the gold is only a country
        return gold["country_code"] == pred.get("country_code")
    d = distance(gold, pred)
    return d is not None and d <= MATCH_KM


def distance(gold: dict | None, pred: dict | None) -> float | None:
    if not gold or not pred or gold.get("lat") is None or pred.get("latitude") is None:
        return None
    return km(gold["lat"], gold["lon"], pred["latitude"], pred["longitude"])


_ADMIN1_SPELLINGS: dict[str, set[str]] = {}


def admin1_agrees(gold: dict, pred: dict) -> bool:
    """Same first-level division, however each side spells it (Aleppo / Halab)."""
    g, p = fold(gold.get("admin1")), fold(pred.get("admin1"))
    if not g or not p:
        return False
    # the spelling sitrep's ACLED export writes ("Rif Dimashq" is written "Rural Damascus")
    written = fold(acled_admin1(pred.get("country_code"), pred.get("admin1")))
    if any(g == x or g.replace(" ", "") == x.replace(" ", "") for x in (p, written)):
        return True
    return p in _ADMIN1_SPELLINGS.get(g, ()) or g in _ADMIN1_SPELLINGS.get(p, ())


def _learn_admin1(gazetteer, name: str, cc: str | None) -> None:
    """Record the gazetteer's spelling of a gold admin1 name (its ADM1 candidates in the same country)."""
    key = fold(name)
    if not key or key in _ADMIN1_SPELLINGS or gazetteer is None:
        return
    names = set()
    for c in gazetteer.candidates(name):
        if (c.feature_code or "").startswith("ADM1") and (not cc or c.country_code == cc):
            names.add(fold(c.name))
            names.add(fold(c.admin1))
    _ADMIN1_SPELLINGS[key] = names - {""}


def _date_agrees(gold: dict, pred: dict) -> bool:
    p = _day(pred.get("date"))
    if p is None:
        return False
    lo, hi = _day(gold.get("date_from")), _day(gold.get("date_to"))
    slack = dt.timedelta(days=DATE_SLACK)
    if lo and hi and lo - slack <= p <= hi + slack:
        return True
    g = _day(gold.get("date"))
    return g is not None and abs((p - g).days) <= DATE_SLACK


def matches(gold: dict, pred: dict, span) -> int | None:
    """How well a pair matches (lower is better), or None when it does not."""
    if _overlaps(pred, span):
        return 0
    if _family(gold.get("sub_event_type")) != _family(pred.get("sub_event_type")):
        return None
    if not _place_agrees(gold.get("place"), pred.get("place")) or not _date_agrees(gold, pred):
        return None
    return 1


def pair(text: str, gold: list[dict], preds: list[dict]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs: evidence overlaps first, then field agreements."""
    cands = []
    for gi, g in enumerate(gold):
        span = _gold_span(text, g.get("evidence"))
        for pi, p in enumerate(preds):
            m = matches(g, p, span)
            if m is not None:
                same_type = p.get("sub_event_type") == g.get("sub_event_type")
                cands.append((m, not same_type, g.get("when") != "current", gi, pi))
    used_g, used_p, out = set(), set(), []
    for *_, gi, pi in sorted(cands):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def actor_agrees(gold_name: str | None, aliases: list[str], pred: str | None) -> bool:
    if not gold_name:
        return not pred
    if not pred:
        return False
    mine = {_actor_key(part) for part in pred.split(":")}
    return any(_actor_key(n) in mine for n in [gold_name, *aliases] if n)


def _actor_key(name: str) -> str:
    words = fold(name.split(" (")[0] if not name.startswith(("Civilians", "Protesters", "Rioters", "Unidentified"))
                 else name).split()
    return " ".join(w for w in words if w not in ("the", "of"))


FIELDS = ("sub_event_type", "actor1", "actor2", "place_25km", "admin1", "date", "fatalities")


def _same_country_only(gp: dict | None, pp: dict | None) -> bool:
    """Both sides place the event only in one country: the same answer, whichever point each side
    takes for the country (the annotators' Syria and GeoNames' Syria are 45 km apart)."""
    return bool(gp and pp) and not gp.get("admin1") and not pp.get("admin1") and \
        gp.get("precision") == 3 and pp.get("precision") == 3 and \
        bool(gp.get("country_code")) and gp.get("country_code") == pp.get("country_code")


def field_checks(g: dict, p: dict, published: dt.date) -> dict[str, bool]:
    gp, pp = g.get("place"), p.get("place")
    d = 0.0 if _same_country_only(gp, pp) else distance(gp, pp)
    return {
        "sub_event_type": p.get("sub_event_type") in [g.get("sub_event_type"), *(g.get("alt_sub_event_types") or [])],
        "actor1": actor_agrees(g.get("actor1"), g.get("actor1_aliases") or [], p.get("actor1")),
        "actor2": actor_agrees(g.get("actor2"), [], p.get("actor2")),
        "place_25km": d is not None and d <= PLACE_KM,
        "admin1": bool(gp and pp and admin1_agrees(gp, pp)) or _same_country_only(gp, pp),
        "date": p.get("date") == g.get("date"),
        "fatalities": p.get("fatalities") == g.get("fatalities") or (
            g.get("fatalities") is None and not p.get("fatalities")),  # ACLED codes a non-violent event's 0
    }


def baseline_checks(g: dict, published: dt.date, majority: dict) -> dict[str, bool]:
    """The trivial answer for each field on the same pair: a constant, or the publication date."""
    return {
        "sub_event_type": majority["sub_event_type"] in [g.get("sub_event_type"), *(g.get("alt_sub_event_types") or [])],
        "actor1": actor_agrees(g.get("actor1"), g.get("actor1_aliases") or [], majority["actor1"]),
        "actor2": actor_agrees(g.get("actor2"), [], majority["actor2"]),
        "place_25km": False,
        "admin1": fold(majority["admin1"]) == fold((g.get("place") or {}).get("admin1")),
        "date": g.get("date") == published.isoformat(),
        "fatalities": g.get("fatalities") == 0,
    }


def _majorities(articles: list[GoldArticle]) -> dict:
    cur = [e for a in articles for e in a.events if e.get("when") == "current"] or \
          [e for a in articles for e in a.events]

    def top(key):
        c = Counter(key(e) for e in cur)
        return c.most_common(1)[0][0] if c else None

    return {"sub_event_type": top(lambda e: e.get("sub_event_type")), "actor1": top(lambda e: e.get("actor1")),
            "actor2": top(lambda e: e.get("actor2")), "admin1": top(lambda e: (e.get("place") or {}).get("admin1"))}


_KINDS = {"killed": ("kill", "dead", "death", "died", "die", "lives", "fatalit"),
          "wounded": ("wound", "injur", "hurt"), "displaced": ("displac", "fled", "flee", "refugee", "homeless"),
          "arrested": ("arrest", "detain", "detention", "prison", "jail", "captur")}


def _kind(what: str | None) -> str | None:
    w = fold(what)
    for kind, stems in _KINDS.items():
        if any(st in w for st in stems):
            return kind
    return None


def _stat_found(g: dict, preds: list[dict]) -> bool:
    """The gold figure appears among the article's statistics, of the same kind when the gold names one."""
    kind = _kind(g.get("what"))
    return any(s.get("value") == g.get("value") and (kind is None or _kind(s.get("what")) in (kind, None))
               for s in preds)


def _sentence(text: str, start: int, end: int) -> str:
    dot = text.rfind(". ", 0, start)
    a = max(dot + 2 if dot >= 0 else 0, text.rfind("\n", 0, start) + 1)  # (a text's first sentence whole)
    b = min([i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0] or [len(text)])
    return " ".join(text[a:b + 1].split())[:300]


def _describe(e: dict) -> str:
    pl = e.get("place") or {}
    return (f"{e.get('sub_event_type')} | {e.get('actor1')} -> {e.get('actor2')} | {pl.get('name')} "
            f"({pl.get('admin1')}) | {e.get('date')} | fatalities {e.get('fatalities')}")


def score(articles: list[GoldArticle], results: list[dict | None], out: TextIO, verbose: bool = True,
          min_confidence: float = 0.0) -> dict:
    """The scores of events at or above ``min_confidence`` (what ``sitrep events`` shows by default)."""
    majority = _majorities(articles)
    tally = Counter()
    fields = {f: [0, 0] for f in FIELDS}
    base = {f: 0 for f in FIELDS}
    fatal_errors = []
    no_event_articles = no_event_clean = no_current_articles = no_current_clean = 0
    stats_found = stats_gold = 0
    for a, res in zip(articles, results):
        preds = [e for e in (res or {}).get("events", [])
                 if e.get("sub_event_type") and (e.get("confidence") or 0) >= min_confidence]
        pairs = pair(a.text, a.events, preds)
        by_pred = {pi: gi for gi, pi in pairs}
        current = [i for i, g in enumerate(a.events) if g.get("when") == "current"]
        matched_current = {gi for gi, _ in pairs if a.events[gi].get("when") == "current"}
        to_background = {pi for gi, pi in pairs if a.events[gi].get("when") != "current"}
        counted = [pi for pi in range(len(preds)) if pi not in to_background]
        for pi, e in enumerate(preds):  # calibration: how often a confident event is a real one
            if (e.get("confidence") or 0) >= CONFIDENT:
                tally["confident"] += 1
                tally["confident_right"] += pi in by_pred
        tally["gold_current"] += len(current)
        tally["matched_current"] += len(matched_current)
        tally["program"] += len(counted)
        tally["to_background"] += len(to_background)
        if not a.events:
            no_event_articles += 1
            no_event_clean += not preds
        if not current:
            no_current_articles += 1
            no_current_clean += not counted
        gold_f = sum(g.get("fatalities") or 0 for g in a.events if g.get("when") == "current")
        pred_f = sum(preds[pi].get("fatalities") or 0 for pi in counted)
        fatal_errors.append((abs(pred_f - gold_f), a.row, pred_f, gold_f))
        for g in a.statistics:
            stats_gold += 1
            stats_found += _stat_found(g, (res or {}).get("statistics", []))
        lines = []
        for gi, pi in pairs:
            g, p = a.events[gi], preds[pi]
            if g.get("when") != "current":
                continue
            checks = field_checks(g, p, a.published)
            for f, ok in checks.items():
                fields[f][0] += ok
                fields[f][1] += 1
            for f, ok in baseline_checks(g, a.published, majority).items():
                base[f] += ok
            bad = [f for f, ok in checks.items() if not ok]
            if bad:
                lines.append(f"  PARTIAL  wrong {', '.join(bad)}\n     gold: {_describe(g)}\n     got:  {_describe(p)}"
                             f"\n     \"{' '.join(g.get('evidence', '').split())[:240]}\"")
        for gi in current:
            if gi not in matched_current:
                g = a.events[gi]
                lines.append(f"  MISSED   {_describe(g)}\n     \"{' '.join(g.get('evidence', '').split())[:240]}\"")
        for pi in counted:
            if pi not in by_pred:
                p = preds[pi]
                ev = p.get("evidence") or [{"start": 0, "end": 0}]
                lines.append(f"  WRONG    {_describe(p)} (confidence {p.get('confidence')})\n"
                             f"     \"{_sentence(a.text, ev[0]['start'], ev[0]['end'])}\"")
        if verbose and lines:
            out.write(f"article {a.row} ({a.published}): {len(preds)} events, {len(current)} current gold, "
                      f"{len(a.events) - len(current)} background gold\n" + "\n".join(lines) + "\n")
    p = rate(tally["matched_current"], tally["program"])
    r = rate(tally["matched_current"], tally["gold_current"])
    f1 = round(2 * p * r / (p + r), 3) if p and r else 0.0
    n_pairs = fields["date"][1]
    scores = {
        "event_precision": p if p is not None else 0.0,
        "event_recall": r,
        "event_f1": f1,
        "program_events": tally["program"],
        "matched_to_background": tally["to_background"],
        "no_event_articles_clean": rate(no_event_clean, no_event_articles),
        "no_current_event_articles_clean": rate(no_current_clean, no_current_articles),
        "articles_fatality_error_over_100": sum(1 for e in fatal_errors if e[0] > 100),
        "articles_fatality_error_within_100": rate(sum(1 for e in fatal_errors if e[0] <= 100), len(fatal_errors)),
        "max_article_fatality_error": max((e[0] for e in fatal_errors), default=0),
        "statistics_recall": rate(stats_found, stats_gold),
        "confident_events": tally["confident"],
        "confident_events_right": rate(tally["confident_right"], tally["confident"]),
    }
    for f, (ok, n) in fields.items():
        scores[f"matched_{f}_accuracy"] = rate(ok, n)
    baselines = {
        "event_precision": "n/a (emit nothing)", "event_recall": 0.0, "event_f1": 0.0, "program_events": 0,
        "no_event_articles_clean": 1.0, "no_current_event_articles_clean": 1.0,
        "articles_fatality_error_over_100": sum(1 for a in articles if sum(
            g.get("fatalities") or 0 for g in a.events if g.get("when") == "current") > 100),
        "articles_fatality_error_within_100": rate(sum(1 for a in articles if sum(
            g.get("fatalities") or 0 for g in a.events if g.get("when") == "current") <= 100), len(articles)),
        "statistics_recall": 0.0,
    }
    for f in FIELDS:
        baselines[f"matched_{f}_accuracy"] = rate(base[f], n_pairs)
    out.write(f"\n{len(articles)} articles; {tally['gold_current']} current gold events, "
              f"{sum(len(a.events) for a in articles) - tally['gold_current']} background; {no_event_articles} "
              f"articles report no event, {no_current_articles} no current event; {n_pairs} matched current pairs\n")
    out.write(f"trivial baselines: emit nothing; on matched pairs sub-type always {majority['sub_event_type']!r}, "
              f"actor1 always {majority['actor1']!r}, actor2 always {majority['actor2']!r}, date = publication "
              f"date, fatalities always 0\n")
    out.write(f"  {'score':36s} {'sitrep':>8} {'baseline':>10}\n")
    for k, v in scores.items():
        out.write(f"  {k:36s} {v!s:>8} {baselines.get(k, '')!s:>10}\n")
    worst = sorted(fatal_errors, reverse=True)[:3]
    out.write("largest per-article fatality errors: " + ", ".join(
        f"row {row}: {pf} vs gold {gf}" for _, row, pf, gf in worst) + "\n")
    out.write("inter-annotator ceiling: event F1 0.95 (10 doubly annotated articles)\n")
    return scores


def run(data: Path, pipeline, out: TextIO, limit: int | None = None, texts: Path | None = None,
        verbose: bool = True) -> dict:
    articles = load(data, texts, limit)
    for a in articles:
        for g in a.events:
            pl = g.get("place") or {}
            if pl.get("admin1"):
                _learn_admin1(pipeline.gazetteer, pl["admin1"], pl.get("country_code"))
    t0 = time.perf_counter()
    docs = [Article(text=a.text, id=f"guardian-{a.row}", published=a.published, source="The Guardian",
                    origin=f"guardian row {a.row}") for a in articles]
    results, errors = predict(pipeline, docs, lambda r: r.to_dict(), out)
    seconds = time.perf_counter() - t0
    from ..store import MIN_CONFIDENCE

    out.write("== every event the pipeline emits (any confidence)\n")
    every = score(articles, results, out, verbose=False)
    out.write(f"\n== events at confidence >= {MIN_CONFIDENCE}, the default of `sitrep events`, summary, report "
              f"and control (the scores checked against the floors)\n")
    scores = score(articles, results, out, verbose=verbose, min_confidence=MIN_CONFIDENCE)
    for k in ("event_precision", "event_recall", "event_f1", "program_events", "no_event_articles_clean"):
        scores[f"all_confidence_{k}"] = every[k]
    scores["pipeline_errors"] = errors
    out.write(f"runtime {seconds:.1f}s ({len(articles) / seconds if seconds else 0:.1f} articles/s)\n")
    out.write("scores: " + json.dumps(scores, sort_keys=True) + "\n")
    return scores
