"""Score ACLED coding on ACLED's own event ``notes`` (a held-out split).

Each note is read as an article WITHOUT a publication date: ACLED's
``event_date`` is the gold, and passing it in as the publication date would
hand the answer to every relative or missing date. The note is first stripped
of ACLED's house style, which news text does not carry and which leaks gold
fields (``clean_note``): the leading date ("On 21 March 2020,", "Around 3 May
2022 (as reported),", "As reported on ..."), a leading sub-type label
("Property destruction:"), every square-bracket tag ("[size=no report]",
"[coded to Prague]", "[women targeted: girls]"), coding remarks in parentheses
("(coded as Namtu town)") and the coder's fatality sentences ("Fatalities coded
as 0 (VoJ reported 3).", a bare "1 fatality.").

The prediction for a note is its main event: the highest-confidence predicted
event that has an ACLED ``sub_event_type`` (``main_event``); a note without one
counts as wrong on every field. Compared with the coded columns:

- ``sub_event_type`` / ``event_type``: exact; macro-F1 over the sub-types present in gold.
- ``actor1``: folded (case and punctuation ignored) after dropping ACLED's
  parenthesised year ranges such as "(2014-)" or "(2004-2021)"; the lenient
  score drops every parenthesis and accepts one main name inside the other
  ("Civilians" ~ "Civilians (Uganda)").
- ``admin1``: folded, the word "province" and apostrophes ignored.
- location: the event place within 25 km (haversine) of the gold latitude/longitude.
- fatalities: exact, a missing count read as 0 (ACLED codes "not reported" as 0).
- date: the event date equals ``event_date``. With no publication date and the
  leading date stripped, this measures only the absolute dates the rest of the
  note itself states (a relative date cannot be resolved), so it is low by design.

A note without a predicted event is wrong on every field, while a constant baseline
never misses a note; so ``coded_sub_event_type_accuracy``, ``coded_actor1_accuracy`` and
``coded_fatalities_accuracy`` repeat those scores on only the notes sitrep coded, each
beside the baseline on those same notes.

Each score is printed beside its trivial baseline on the same rows
(``baselines``): the most frequent sub-type, event type, actor1, admin1, gold
location (25 km), fatality count ("always 0") and event date of those rows.

The split is fixed: a row is in the TEST split when crc32(event_id_cnty) % 5 == 0.
sitrep's shipped models are trained on the project's own sentences only: no ACLED row,
of this split or another, is training data (``sitrep train --acled`` is the user's option).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..acled_notes import clean_note
from ..errors import UsageError
from ..model import Article
from . import main_event, majority, predict, rate, with_baselines, write_table
from ..gazetteer import km
from .seed import fold

FILES = (("world", "acled_world_2022h1.csv"), ("afg2020", "acled_afghanistan_2020_03.csv"))
YEAR_RANGE = re.compile(r"\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")
PARENS = re.compile(r"\([^)]*\)")
NEAR_KM = 25.0
def in_test_split(event_id: str) -> bool:
    return zlib.crc32(event_id.strip().encode("utf-8")) % 5 == 0


def parse_date(value: str) -> dt.date | None:
    """ISO dates (current exports) or "21 March 2020" (older exports)."""
    value = (value or "").strip()
    for parse in (dt.date.fromisoformat, lambda s: dt.datetime.strptime(s, "%d %B %Y").date()):
        try:
            return parse(value)
        except ValueError:
            pass
    return None


def actor_match(gold: str, pred: str | None) -> tuple[bool, bool]:
    """(strict, lenient) agreement of a predicted actor with ACLED's actor1."""
    if not pred:
        return False, False
    strict = fold(YEAR_RANGE.sub(" ", gold)) == fold(YEAR_RANGE.sub(" ", pred))
    g, p = fold(PARENS.sub(" ", gold)), fold(PARENS.sub(" ", pred))
    lenient = strict or bool(g and p) and (f" {g} " in f" {p} " or f" {p} " in f" {g} ")
    return strict, lenient


def admin1_key(name: str | None) -> str:
    """Folded, without the word "province" and without apostrophes ("Ma'rib" is "Marib")."""
    return " ".join(w for w in fold((name or "").replace("'", "").replace("\u2019", "")).split() if w != "province")


def _number(value: str) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return 0


def score(rows: list[dict], predictions: list) -> tuple[dict, Counter]:
    """Scores of the main predicted events (Event or None, one per row) and the confusion of sub-types."""
    ok = Counter()
    confusion: Counter = Counter()
    pairs = []
    for row, e in zip(rows, predictions, strict=True):
        gold_sub = row["sub_event_type"].strip()
        pred_sub = e.sub_event_type if e else None
        pairs.append((gold_sub, pred_sub))
        if pred_sub != gold_sub:
            confusion[(gold_sub, pred_sub or "(no event)")] += 1
        if e is None:
            continue
        ok["sub"] += pred_sub == gold_sub
        ok["type"] += e.event_type == row["event_type"].strip()
        strict, lenient = actor_match(row["actor1"], e.actor1)
        ok["actor1"] += strict
        ok["actor1_lenient"] += lenient
        place = e.place
        ok["admin1"] += bool(place and place.admin1) and admin1_key(place.admin1) == admin1_key(row["admin1"])
        if place and place.latitude is not None and row.get("latitude"):
            ok["near"] += km(float(row["latitude"]), float(row["longitude"]), place.latitude,
                             place.longitude) <= NEAR_KM
        ok["fatalities"] += (e.fatalities or 0) == _number(row.get("fatalities"))
        gold_date = parse_date(row["event_date"])
        ok["date"] += bool(gold_date) and e.date == gold_date.isoformat()
    n = len(rows)
    scores = {
        "n": n,
        "coverage": rate(sum(p is not None for p in predictions), n),
        "sub_event_type_accuracy": rate(ok["sub"], n),
        "sub_event_type_macro_f1": macro_f1(pairs),
        "event_type_accuracy": rate(ok["type"], n),
        "actor1_accuracy": rate(ok["actor1"], n),
        "actor1_lenient_accuracy": rate(ok["actor1_lenient"], n),
        "admin1_accuracy": rate(ok["admin1"], n),
        "location_25km_accuracy": rate(ok["near"], n),
        "fatalities_accuracy": rate(ok["fatalities"], n),
        "date_accuracy": rate(ok["date"], n),
    }
    return scores, confusion


COVERED = ("sub_event_type_accuracy", "actor1_accuracy", "fatalities_accuracy")


def _on_covered(rows: list[dict], predictions: list) -> tuple[dict, dict[str, tuple]]:
    """A few scores again on only the notes sitrep coded an event for, beside the baseline on
    those same notes: a field's own accuracy, apart from the notes it missed (which the scores
    over all notes count as wrong, and the constant baselines never miss)."""
    pairs = [(r, p) for r, p in zip(rows, predictions) if p is not None]
    if not pairs:
        return {}, {}
    got, _ = score([r for r, _ in pairs], [p for _, p in pairs])
    base = baselines([r for r, _ in pairs])
    return ({f"coded_{k}": got[k] for k in COVERED},
            {f"coded_{k}": (v, f"{rule}, on the coded notes") for k, (v, rule) in base.items() if k in COVERED})


def baselines(rows: list[dict]) -> dict[str, tuple]:
    """The trivial baseline of each score on these rows: (value, rule), from their own gold."""
    n = len(rows)
    if not n:
        return {}
    out: dict[str, tuple] = {}
    sub, k = majority(r["sub_event_type"].strip() for r in rows)
    out["sub_event_type_accuracy"] = (rate(k, n), f"always {sub!r}")
    out["sub_event_type_macro_f1"] = (macro_f1([(r["sub_event_type"].strip(), sub) for r in rows]), f"always {sub!r}")
    etype, k = majority(r["event_type"].strip() for r in rows)
    out["event_type_accuracy"] = (rate(k, n), f"always {etype!r}")
    actor, _ = majority(fold(YEAR_RANGE.sub(" ", r["actor1"])) for r in rows)
    actor = next(r["actor1"] for r in rows if fold(YEAR_RANGE.sub(" ", r["actor1"])) == actor)
    hits = [actor_match(r["actor1"], actor) for r in rows]
    out["actor1_accuracy"] = (rate(sum(h[0] for h in hits), n), f"always {actor!r}")
    out["actor1_lenient_accuracy"] = (rate(sum(h[1] for h in hits), n), f"always {actor!r}")
    adm, k = majority(admin1_key(r["admin1"]) for r in rows)
    out["admin1_accuracy"] = (rate(k, n), f"always {adm!r}")
    points = [(float(r["latitude"]), float(r["longitude"])) for r in rows if r.get("latitude") and r.get("longitude")]
    if points:
        (lat, lon), _ = majority(points)
        near = sum(km(lat, lon, a, b) <= NEAR_KM for a, b in points)
        out["location_25km_accuracy"] = (rate(near, n), f"always the most frequent point ({lat}, {lon})")
    dead, k = majority(_number(r.get("fatalities")) for r in rows)
    out["fatalities_accuracy"] = (rate(k, n), f"always {dead}")
    day, k = majority(r["event_date"].strip() for r in rows)
    out["date_accuracy"] = (rate(k, n), f"always {day} (no publication date is given)")
    return out


def macro_f1(pairs: list[tuple[str, str | None]]) -> float | None:
    """Mean F1 over the gold classes; a missing prediction is a false negative only."""
    classes = sorted({g for g, _ in pairs})
    if not classes:
        return None
    total = 0.0
    for c in classes:
        tp = sum(g == c and p == c for g, p in pairs)
        fp = sum(p == c and g != c for g, p in pairs)
        fn = sum(g == c and p != c for g, p in pairs)
        total += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return round(total / len(classes), 3)


def load(path: Path, limit: int | None = None) -> tuple[list[dict], int]:
    """The TEST-split rows of one export (at most ``limit``) and the file's row count."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if rows and not {"event_id_cnty", "notes", "sub_event_type"} <= rows[0].keys():
        raise UsageError(f"{path} is not an ACLED export (needs event_id_cnty, notes, sub_event_type)")
    test = [r for r in rows if in_test_split(r["event_id_cnty"]) and (r.get("notes") or "").strip()]
    return (test[:limit] if limit else test), len(rows)


def _files(data: Path) -> list[tuple[str, Path]]:
    if data.is_file():
        return [(next((k for k, name in FILES if name == data.name), "acled"), data)]
    found = [(k, data / name) for k, name in FILES if (data / name).exists()]
    if not found:
        raise UsageError(f"no ACLED export in {data}: expected {' or '.join(n for _, n in FILES)}")
    return found


def run(data: Path, pipeline, out: TextIO, limit: int | None = None) -> dict:
    scores: dict = {}
    for key, path in _files(data):
        rows, total = load(path, limit)
        out.write(f"{path.name}: held-out TEST split (crc32(event_id_cnty) % 5 == 0) = {len(rows)} notes "
                  f"scored of {total} rows{' (--limit)' if limit else ''}. The shipped models are trained on the "
                  f"project's own sentences only: no ACLED row is training data.\n")
        out.write("  notes read without a publication date and without ACLED's house style (leading date and "
                  "label, [tags], coding remarks): date_accuracy counts only absolute dates the note states\n")
        articles = [Article(text=clean_note(r["notes"]), id=r["event_id_cnty"], published=None,
                            origin=f"{path}:{r['event_id_cnty']}") for r in rows]
        start = time.perf_counter()
        predictions, errors = predict(pipeline, articles, lambda res: main_event(res.events), out)
        seconds = time.perf_counter() - start
        file_scores, confusion = score(rows, predictions)
        file_scores["pipeline_errors"] = errors
        base = baselines(rows)
        covered, covered_base = _on_covered(rows, predictions)
        file_scores |= covered
        base |= covered_base
        write_table(out, file_scores, base, 28)
        file_scores = with_baselines(file_scores, base)
        out.write("  most frequent sub-type mistakes (gold -> predicted):\n")
        for (gold, pred), count in confusion.most_common(10):
            out.write(f"    {count:5d}  {gold} -> {pred}\n")
        out.write(f"  runtime {seconds:.1f}s ({len(rows) / seconds if seconds else 0:.1f} notes/s)\n\n")
        scores |= {f"{key}_{name}": value for name, value in file_scores.items()}
    out.write("scores: " + json.dumps(scores, sort_keys=True) + "\n")
    return scores
