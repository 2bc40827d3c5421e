"""Score ISAF press releases (Afghanistan 2009-2013) against their gold coding.

Each line of ``isaf_dev.jsonl``: ``conversations[1].value`` is the release,
``conversations[2].value`` the gold JSON. The release is the article (the
"PRESS RELEASE TEXT:" wrapper dropped, U+2028 read as a line break); its
publication date is parsed here from the release itself (``published_date``),
None when no date is found. Rules, all exact matches:

- ``start_date``: the date of the main event (highest-confidence event with an
  ACLED sub_event_type, ``main_event``) equals gold ``start_date``.
- ``province``: the main event's place admin1, folded (spaces, punctuation and
  the word "province" ignored), is in the gold province list; with an empty
  gold list, correct when there is no predicted admin1.
- ``min_killed``: the largest ``counts["killed"]`` over all predicted events
  (0 when none) equals gold ``min_killed``; also scored on releases with gold > 0.
- ``min_captured``: the largest ``counts["arrested"]`` or ``counts["captured"]``
  over all predicted events (0 when none) equals gold ``min_captured``.

Trivial baselines on the same releases (``baselines``): the start date is the
publication date parsed from the release; the province is always the most
frequent gold answer (a province, or none); killed and captured are always
their most frequent gold value (0). On the releases with gold killed > 0 the
baseline is the same whole-set constant, since that subset is chosen by the gold.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..errors import UsageError
from ..model import Article
from . import main_event, majority, predict, rate, with_baselines, write_scores
from .seed import fold

MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
DATELINE = re.compile(r"\(\s*" + MONTH + r"\s+(\d{1,2})(?:\s*[,.]\s*(\d{4}))?\s*\)")
MONTH_DAY_YEAR = re.compile(r"\b" + MONTH + r"\s+(\d{1,2})\s*,\s*(\d{4})\b")
HEADLINE = re.compile(r"^\s*(?:\[[^\]]*\]\s*)?" + MONTH + r"\s+(\d{1,2})\s*:")
RELEASE_NO = re.compile(r"\b(20\d\d)-(\d\d)-[A-Z]+\s*[-–]\s*\d+")
MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
HEAD_CHARS = 800  # dates are looked for in the release header only


def clean_text(value: str) -> str:
    return re.sub(r"^\s*PRESS RELEASE TEXT:\s*", "", value).replace("\u2028", "\n")


def published_date(text: str) -> dt.date | None:
    """The release date: the dateline "(Oct. 12, 2011)", a header "Jan. 10, 2011" or a
    headline "June 8:"; a year the date lacks comes from the release number (2010-09-CA-005)."""
    head = text[:HEAD_CHARS]
    release = RELEASE_NO.search(head)
    for pattern in (DATELINE, MONTH_DAY_YEAR, HEADLINE):
        m = pattern.search(head)
        if not m:
            continue
        month, day = MONTHS[m.group(1)], int(m.group(2))
        year = int(m.group(3)) if pattern is not HEADLINE and m.group(3) else None
        if year is None and release:
            year, rel_month = int(release.group(1)), int(release.group(2))
            year += (rel_month == 12 and month == 1) - (rel_month == 1 and month == 12)
        if year is None:
            continue
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def province_key(name: str | None) -> str:
    return "".join(w for w in fold(name).split() if w != "province")


def _max_count(events, kinds: tuple[str, ...]) -> int:
    return max((e.counts.get(k, 0) for e in events for k in kinds), default=0)


def score(golds: list[dict], results: list[tuple]) -> tuple[dict, list[str]]:
    """Scores from gold dicts and, per release, the tuple of predicted events."""
    ok: Counter = Counter()
    n_pos = 0
    lines = []
    for gold, events in zip(golds, results, strict=True):
        e = main_event(events)
        date_ok = e is not None and e.date == gold.get("start_date")
        pred_prov = province_key(e.place.admin1) if e and e.place and e.place.admin1 else ""
        gold_provs = {province_key(p) for p in gold.get("province") or [] if p and p.strip()}
        prov_ok = pred_prov in gold_provs if gold_provs else not pred_prov
        killed, captured = _max_count(events, ("killed",)), _max_count(events, ("arrested", "captured"))
        killed_ok = killed == int(gold.get("min_killed") or 0)
        ok["date"] += date_ok
        ok["province"] += prov_ok
        ok["killed"] += killed_ok
        ok["captured"] += captured == int(gold.get("min_captured") or 0)
        if int(gold.get("min_killed") or 0) > 0:
            n_pos += 1
            ok["killed_pos"] += killed_ok
        if not (date_ok and prov_ok):
            lines.append(f"{gold.get('name', '')[:50]!r}: date {e.date if e else None} vs {gold.get('start_date')}, "
                         f"province {pred_prov or None} vs {sorted(gold_provs)}")
    n = len(golds)
    scores = {
        "n": n,
        "start_date_accuracy": rate(ok["date"], n),
        "province_accuracy": rate(ok["province"], n),
        "min_killed_accuracy": rate(ok["killed"], n),
        "min_captured_accuracy": rate(ok["captured"], n),
        "min_killed_positive_n": n_pos,
        "min_killed_positive_accuracy": rate(ok["killed_pos"], n_pos),
    }
    return scores, lines


def baselines(golds: list[dict], published: list[dt.date | None]) -> dict[str, tuple]:
    """The trivial baseline of each score on these releases: (value, rule), from their own gold."""
    n = len(golds)
    if not n:
        return {}
    dates = sum(p is not None and p.isoformat() == g.get("start_date") for g, p in zip(golds, published, strict=True))
    provinces = [{province_key(p) for p in g.get("province") or [] if p and p.strip()} for g in golds]
    top, _ = majority(k for ks in provinces for k in (ks or {""}))
    prov_ok = sum((top in ks) if ks else not top for ks in provinces)
    killed = [int(g.get("min_killed") or 0) for g in golds]
    k_top, k_ok = majority(killed)
    c_top, c_ok = majority(int(g.get("min_captured") or 0) for g in golds)
    positive = [k for k in killed if k > 0]
    return {
        "start_date_accuracy": (rate(dates, n), "the publication date"),
        "province_accuracy": (rate(prov_ok, n), f"always {top or 'no province'!r}"),
        "min_killed_accuracy": (rate(k_ok, n), f"always {k_top}"),
        "min_captured_accuracy": (rate(c_ok, n), f"always {c_top}"),
        "min_killed_positive_accuracy": (rate(sum(k == k_top for k in positive), len(positive)), f"always {k_top}"),
    }


def load(path: Path, limit: int | None = None) -> tuple[list[Article], list[dict]]:
    articles, golds = [], []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                turns = json.loads(line)["conversations"]
                text, gold = clean_text(turns[1]["value"]), json.loads(turns[2]["value"])
            except (KeyError, IndexError, TypeError, json.JSONDecodeError) as exc:
                raise UsageError(f"{path}:{lineno} is not an ISAF record ({exc}): check the file") from exc
            articles.append(Article(text=text, published=published_date(text), origin=f"{path}:{lineno}"))
            golds.append(gold)
            if limit and len(golds) >= limit:
                break
    return articles, golds


def run(data: Path, pipeline, out: TextIO, limit: int | None = None) -> dict:
    path = data / "isaf_dev.jsonl" if data.is_dir() else data
    if not path.exists():
        raise UsageError(f"{path} not found: pass --data with the folder holding isaf_dev.jsonl")
    articles, golds = load(path, limit)
    dated = sum(a.published is not None for a in articles)
    out.write(f"{path.name}: {len(articles)} press releases, publication date parsed for {dated}\n")
    start = time.perf_counter()
    results, errors = predict(pipeline, articles, lambda r: r.events, out, default=())
    seconds = time.perf_counter() - start
    scores, lines = score(golds, results)
    scores["published_parsed"] = rate(dated, len(articles))
    scores["pipeline_errors"] = errors
    out.write("first date/province misses:\n")
    for line in lines[:15]:
        out.write(f"  {line}\n")
    base = baselines(golds, [a.published for a in articles])
    scores = with_baselines(scores, base)
    write_scores(out, scores, seconds, len(articles), "releases", 30, base)
    return scores
