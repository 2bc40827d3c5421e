"""Score event status and claim on the MUC-3/4 development corpus.

Texts come from ``raw_dev/dev-muc3-*`` (one message per ``DEV-MUC3-nnnn``
header, read as written, in capitals) with the publication date taken from the
dateline ("SAN SALVADOR, 3 JAN 90 --"); answer keys from ``raw_dev/key-dev-*.muc4``.
Only messages with at least one template are scored, against their first
template. The prediction is the message's main event: the highest-confidence
event with an ACLED sub_event_type, else the highest-confidence event of any
kind; a message without events is wrong.

STAGE OF EXECUTION -> status: ACCOMPLISHED = happened, ATTEMPTED = attempted,
THREATENED = threatened ("A / B" accepts either).

PERP: ORGANIZATION CONFIDENCE (first line) -> accepted claim values:
REPORTED AS FACT = reported or confirmed; CLAIMED OR ADMITTED = claimed;
SUSPECTED OR ACCUSED (BY AUTHORITIES) and POSSIBLE = reported or disputed
(sitrep has no "suspected": the incident itself is reported, only the
perpetrator is in doubt); ACQUITTED = denied or disputed. "-" (no perpetrator
organisation) or "*" is not scored for claim.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from pathlib import Path
from typing import TextIO

from ..errors import UsageError
from ..model import Article
from . import main_event, predict, rate, write_scores

HEADER = re.compile(r"^(DEV-MUC3-\d{4})\b.*$", re.M)
DATELINE = re.compile(r"\b(\d{1,2})\s+(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\s+(\d{2})\b")
MONTHS = {m: i for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 1)}
FIELD = re.compile(r"^(\d{1,2})\.\s+(.+?)(?:\s{2,}(.*?))?\s*$")
STAGE = {"ACCOMPLISHED": {"happened"}, "ATTEMPTED": {"attempted"}, "THREATENED": {"threatened"}}
CONFIDENCE = {
    "REPORTED AS FACT": {"reported", "confirmed"},
    "CLAIMED OR ADMITTED": {"claimed"},
    "SUSPECTED OR ACCUSED": {"reported", "disputed"},
    "SUSPECTED OR ACCUSED BY AUTHORITIES": {"reported", "disputed"},
    "POSSIBLE": {"reported", "disputed"},
    "ACQUITTED": {"denied", "disputed"},
}
STAGE_FIELD, CONFIDENCE_FIELD = 5, 11


def read_texts(path: Path) -> dict[str, str]:
    """Message id -> text, for one ``dev-muc3-*`` file."""
    raw = path.read_text(encoding="latin-1")
    heads = list(HEADER.finditer(raw))
    return {m.group(1): raw[m.end(): nxt.start() if nxt else len(raw)].strip()
            for m, nxt in zip(heads, heads[1:] + [None])}


def dateline_date(text: str) -> dt.date | None:
    m = DATELINE.search(text[:200].split("--")[0])
    if not m:
        return None
    try:
        return dt.date(1900 + int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    except ValueError:
        return None


def read_keys(text: str) -> dict[str, list[dict[int, list[str]]]]:
    """Message id -> its templates in key order; a template maps field number -> value lines."""
    keys: dict[str, list[dict[int, list[str]]]] = {}
    template: dict[int, list[str]] | None = None
    last = None
    for line in text.splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        m = FIELD.match(line)
        if m:
            last = int(m.group(1))
            if last == 0:
                template = {}
                keys.setdefault((m.group(3) or "").split()[0], []).append(template)
            if template is not None:
                template[last] = [m.group(3) or ""]
        elif template is not None and last is not None and line[:1].isspace():
            template[last].append(line.strip())
    return keys


def _labels(value: str) -> list[str]:
    head = value.split(":")[0].split('"')[0]
    return [re.sub(r"[?()]", "", p).strip() for p in head.split("/") if re.sub(r"[?()]", "", p).strip()]


def gold_of(templates: list[dict[int, list[str]]]) -> dict | None:
    """Accepted status and claim values from the first real template, or None (no template)."""
    real = [t for t in templates if (t.get(1) or ["*"])[0].strip() not in ("*", "")]
    if not real:
        return None
    first = real[0]
    stage = (first.get(STAGE_FIELD) or [""])[0]
    conf = (first.get(CONFIDENCE_FIELD) or [""])[0]
    status = set().union(*(STAGE.get(lab, set()) for lab in _labels(stage)))
    claim = set().union(*(CONFIDENCE.get(lab, set()) for lab in _labels(conf)))
    return {"status": status, "claim": claim, "stage": stage.strip(), "confidence": " / ".join(_labels(conf))}


def score(golds: list[dict], predictions: list) -> dict:
    """Scores from gold dicts (``gold_of``) and one main predicted event (or None) per message."""
    ok: Counter = Counter()
    n: Counter = Counter()
    for gold, e in zip(golds, predictions, strict=True):
        if gold["status"]:
            hit = e is not None and e.status in gold["status"]
            n["status"] += 1
            ok["status"] += hit
            if gold["status"] != {"happened"}:
                n["status_not_done"] += 1
                ok["status_not_done"] += hit
        if gold["claim"]:
            hit = e is not None and e.claim in gold["claim"]
            n["claim"] += 1
            ok["claim"] += hit
            if gold["claim"] == {"claimed"}:
                n["claimed"] += 1
                ok["claimed"] += hit
    return {
        "n": len(golds),
        "coverage": rate(sum(p is not None for p in predictions), len(golds)),
        "status_n": n["status"],
        "status_accuracy": rate(ok["status"], n["status"]),
        "status_not_accomplished_n": n["status_not_done"],
        "status_not_accomplished_accuracy": rate(ok["status_not_done"], n["status_not_done"]),
        "claim_n": n["claim"],
        "claim_accuracy": rate(ok["claim"], n["claim"]),
        "claim_claimed_n": n["claimed"],
        "claim_claimed_accuracy": rate(ok["claimed"], n["claimed"]),
    }


def load(folder: Path, limit: int | None = None) -> tuple[list[Article], list[dict]]:
    texts: dict[str, str] = {}
    keys: dict[str, list] = {}
    for path in sorted(folder.glob("dev-muc3-*")):
        texts |= read_texts(path)
    for path in sorted(folder.glob("key-dev-*.muc4")):
        keys |= read_keys(path.read_text(encoding="latin-1"))
    if not texts or not keys:
        raise UsageError(f"no MUC-4 texts (dev-muc3-*) or keys (key-dev-*.muc4) in {folder}: pass --data "
                         f"with the folder holding raw_dev/")
    articles, golds = [], []
    for doc_id in sorted(keys):
        gold = gold_of(keys[doc_id])
        if gold is None or doc_id not in texts:
            continue
        text = texts[doc_id]
        articles.append(Article(text=text, id=doc_id, published=dateline_date(text), origin=doc_id))
        golds.append(gold)
        if limit and len(golds) >= limit:
            break
    return articles, golds


def run(data: Path, pipeline, out: TextIO, limit: int | None = None) -> dict:
    folder = data / "raw_dev" if (data / "raw_dev").is_dir() else data
    articles, golds = load(folder, limit)
    out.write(f"MUC-4 dev: {len(articles)} messages with a template (scored against the first one)\n")
    start = time.perf_counter()
    predictions, errors = predict(pipeline, articles,
                                  lambda r: main_event(r.events) or main_event(r.events, acled_only=False), out)
    seconds = time.perf_counter() - start
    scores = score(golds, predictions) | {"pipeline_errors": errors}
    pairs = Counter((g["stage"], p.status if p else "(no event)") for g, p in zip(golds, predictions))
    out.write("stage of execution -> predicted status:\n")
    for (stage, status), count in sorted(pairs.items()):
        out.write(f"  {count:5d}  {stage or '-'} -> {status}\n")
    claims = Counter((g["confidence"] or "-", p.claim if p else "(no event)") for g, p in zip(golds, predictions))
    out.write("perp organisation confidence -> predicted claim:\n")
    for (conf, claim), count in sorted(claims.items()):
        out.write(f"  {count:5d}  {conf} -> {claim}\n")
    write_scores(out, scores, seconds, len(articles), "messages", 34)
    return scores
