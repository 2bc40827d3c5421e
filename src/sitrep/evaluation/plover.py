"""Score PLOVER event typing on the PLOVER gold standard records (CAMEO manual sentences).

``PLOVER_GSR_CAMEO.txt`` is a JSON list of records; each record's ``text`` is
read as an article without a date, DOCUMENT records (file documentation) are
skipped. The prediction is the main event: the highest-confidence predicted
event of any kind (``main_event(..., acled_only=False)``); its ``plover`` code
is compared with the record's ``event``. No event counts as wrong.

The GSR predates the 2021 PLOVER names: its DEMAND is today's REQUEST and its
DISAPPROVE today's ACCUSE, so each pair counts as a match.

Trivial baseline on the same records: always the most frequent gold event type
(accuracy; its macro recall is 1 / the number of gold types).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import TextIO

from ..errors import UsageError
from ..model import Article
from . import main_event, majority, predict, rate, with_baselines, write_scores

FILE = "PLOVER_GSR_CAMEO.txt"
SAME_AS = {"DEMAND": {"DEMAND", "REQUEST"}, "DISAPPROVE": {"DISAPPROVE", "ACCUSE"}}
MAPPING_NOTE = "GSR names read as 2021 PLOVER: DEMAND = REQUEST, DISAPPROVE = ACCUSE (counted as matches)"


def matches(gold: str, pred: str | None) -> bool:
    return pred is not None and pred in SAME_AS.get(gold, {gold})


def score(golds: list[str], predictions: list[str | None]) -> tuple[dict, dict[str, dict]]:
    """Accuracy and, per gold type, n / correct / recall / the most frequent wrong prediction."""
    table: dict[str, dict] = defaultdict(lambda: {"n": 0, "correct": 0, "wrong": Counter()})
    for gold, pred in zip(golds, predictions, strict=True):
        row = table[gold]
        row["n"] += 1
        if matches(gold, pred):
            row["correct"] += 1
        else:
            row["wrong"][pred or "(none)"] += 1
    per_type = {}
    for gold, row in sorted(table.items()):
        top = row["wrong"].most_common(1)
        per_type[gold] = {"n": row["n"], "correct": row["correct"], "recall": rate(row["correct"], row["n"]),
                          "top_wrong": f"{top[0][0]} ({top[0][1]})" if top else ""}
    recalls = [r["recall"] for r in per_type.values()]
    correct = sum(r["correct"] for r in per_type.values())
    scores = {
        "n": len(golds),
        "coverage": rate(sum(p is not None for p in predictions), len(golds)),
        "plover_accuracy": rate(correct, len(golds)),
        "plover_macro_recall": round(sum(recalls) / len(recalls), 3) if recalls else None,
    }
    return scores, per_type


def baselines(golds: list[str]) -> dict[str, tuple]:
    """Always the most frequent gold type: (value, rule) per score."""
    top, _ = majority(golds)
    if top is None:
        return {}
    rule = f"always {top}"
    scores, _ = score(golds, [top] * len(golds))
    return {k: (scores[k], rule) for k in ("plover_accuracy", "plover_macro_recall")}


def load(path: Path, limit: int | None = None) -> tuple[list[Article], list[str]]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path} is not a JSON list (line {exc.lineno}): check the file") from exc
    articles, golds = [], []
    for rec in records:
        if not isinstance(rec, dict) or rec.get("event") == "DOCUMENT" or not (rec.get("text") or "").strip():
            continue
        articles.append(Article(text=rec["text"], id=str(rec.get("id") or ""), origin=f"{path}:{rec.get('id')}"))
        golds.append(rec["event"])
        if limit and len(golds) >= limit:
            break
    return articles, golds


def _main_code(result) -> str | None:
    e = main_event(result.events + result.political, acled_only=False)
    return e.plover if e else None


def run(data: Path, pipeline, out: TextIO, limit: int | None = None) -> dict:
    path = data / FILE if data.is_dir() else data
    if not path.exists():
        raise UsageError(f"{path} not found: pass --data with the folder holding {FILE}")
    articles, golds = load(path, limit)
    out.write(f"{path.name}: {len(articles)} records (DOCUMENT records skipped); {MAPPING_NOTE}\n")
    start = time.perf_counter()
    predictions, errors = predict(pipeline, articles, _main_code, out)
    seconds = time.perf_counter() - start
    scores, per_type = score(golds, predictions)
    scores["pipeline_errors"] = errors
    out.write(f"  {'gold type':12s} {'n':>4s} {'ok':>4s} {'recall':>7s}  most frequent wrong prediction\n")
    for gold, row in per_type.items():
        out.write(f"  {gold:12s} {row['n']:4d} {row['correct']:4d} {row['recall']!s:>7s}  {row['top_wrong']}\n")
    base = baselines(golds)
    scores = with_baselines(scores, base)
    write_scores(out, scores, seconds, len(articles), "records", 22, base)
    return scores
