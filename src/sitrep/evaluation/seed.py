"""Score ``extract`` on the seed article against its hand annotation (gold.json).

Per gold event: found (a predicted event of an accepted type at the right
place), and whether date, status, claim, actor1 and counts agree. Per gold
statistic: found with the right value. ``must_not_extract``: each rule is
checked by its ``why`` (negated, historical, not yet happened, page chrome).
Predicted events that match nothing are listed as wrong.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path
from typing import TextIO

from ..gazetteer import km
from ..model import Article

VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}


def fold(s: str | None) -> str:
    s = unicodedata.normalize("NFKD", s or "")
    return re.sub(r"[^a-z0-9]+", " ", "".join(c for c in s if not unicodedata.combining(c)).lower()).strip()


def _place_ok(gold: dict | None, ev: dict) -> bool:
    if not gold:
        return True
    p = ev.get("place") or {}
    if not p:
        return False
    if gold.get("lat") is not None and p.get("latitude") is not None:
        return km(gold["lat"], gold["lon"], p["latitude"], p["longitude"]) <= 25
    if gold.get("admin1") is None and gold.get("lat") is None:  # a country or a city given by name only
        return fold(gold["name"]) in (fold(p.get("name")), fold(p.get("admin1"))) or (
            gold.get("country_code") == p.get("country_code") and fold(gold["name"]) in fold(p.get("name")))
    return fold(gold["name"]) == fold(p.get("name"))


def _actor_ok(gold: str | None, pred: str | None, demonyms: dict) -> bool:
    if not gold:
        return True
    if not pred:
        return False
    words = set(fold(pred).split())
    for alt in re.split(r"[;()]", gold):
        alt_words = {demonyms.get(w, w) for w in fold(alt).split()} - {"the", "of", "forces", "government", "military"}
        if alt_words and alt_words <= words | {demonyms.get(w, w) for w in words}:
            return True
    return False


def _type_ok(gold: dict, ev: dict) -> bool:
    subs = gold.get("acled_sub_event_type")
    if subs:
        return ev.get("sub_event_type") in subs
    if gold.get("plover"):
        codes = re.findall(r"\b[A-Z]{4,}\b", gold["plover"])
        return ev.get("plover") in codes
    return True


def _claim_ok(gold: str, ev: dict) -> bool:
    g = gold.lower()
    c = ev.get("claim")
    if "confirmed" in g:
        return c == "confirmed"
    if "claimed" in g:
        return c == "claimed"
    if "denied" in g:
        return c in ("denied", "disputed")
    return c in ("reported", "confirmed")


def score(result: dict, gold: dict) -> tuple[dict, list[str]]:
    lines: list[str] = []
    demonyms = {"afghan": "afghanistan", "us": "united states", "uk": "united kingdom", "un": "united nations",
                "british": "united kingdom", "american": "united states"}
    events = result["events"] + result.get("political", [])  # the seed gold holds PLOVER-only acts too
    used: set[int] = set()
    checks = {"date": [0, 0], "status": [0, 0], "claim": [0, 0], "actor1": [0, 0], "counts": [0, 0]}
    found = 0
    for g in gold["events"]:
        cands = [i for i, e in enumerate(events) if _type_ok(g, e) and _place_ok(g.get("place"), e)
                 and _actor_ok(g.get("actor1"), e.get("actor1"), demonyms)]
        cands = sorted(cands, key=lambda i: (i in used, events[i].get("date") != g.get("date")))
        if not cands:
            lines.append(f"MISSING  {g['key']}: {g['what']}")
            continue
        i = cands[0]
        used.add(i)
        found += 1
        e = events[i]
        bad = []
        if g.get("date"):
            checks["date"][1] += 1
            checks["date"][0] += e.get("date") == g["date"]
            if e.get("date") != g["date"]:
                bad.append(f"date {e.get('date')} != {g['date']}")
        checks["status"][1] += 1
        checks["status"][0] += e.get("status") == g.get("status", "happened")
        if e.get("status") != g.get("status", "happened"):
            bad.append(f"status {e.get('status')} != {g.get('status')}")
        if g.get("claim"):
            checks["claim"][1] += 1
            ok = _claim_ok(g["claim"], e)
            checks["claim"][0] += ok
            if not ok:
                bad.append(f"claim {e.get('claim')} vs gold '{g['claim']}'")
        if g.get("actor1"):
            checks["actor1"][1] += 1
            checks["actor1"][0] += 1
        for kind, val in (g.get("counts") or {}).items():
            want = val if isinstance(val, int) else int(re.search(r"\d+", str(val).replace(",", "")).group())
            checks["counts"][1] += 1
            got = max(e.get("counts", {}).values(), default=None) if kind not in e.get("counts", {}) else e["counts"][kind]
            checks["counts"][0] += got == want
            if got != want:
                bad.append(f"count {kind} {got} != {want}")
        where = (e.get("place") or {}).get("name")
        lines.append(f"{'FOUND   ' if not bad else 'PARTIAL '} {g['key']}: {e.get('sub_event_type') or e.get('plover')} "
                     f"{e.get('actor1')} @ {where} {e.get('date')} {e.get('status')}/{e.get('claim')}"
                     + (f"  [{'; '.join(bad)}]" if bad else ""))
    wrong = [e for i, e in enumerate(events) if i not in used]
    for e in wrong:
        lines.append(f"EXTRA    {e.get('sub_event_type') or e.get('plover')} {e.get('actor1')} @ "
                     f"{(e.get('place') or {}).get('name')} {e.get('date')}: "
                     f"\"{e['evidence'][0]['text'][:90] if e.get('evidence') else ''}\"")
    # statistics
    stats_found = 0
    for g in gold.get("statistics", []):
        hit = next((s for s in result["statistics"] if s["value"] == g["value"]), None)
        if hit and (not g.get("qualifier") or hit["qualifier"] == g["qualifier"]):
            stats_found += 1
            lines.append(f"FOUND    statistic {g['key']}: {hit['value']} {hit['qualifier']} {hit['what']!r} "
                         f"period={hit['period']!r} by={hit['attributed_to']!r}")
        else:
            lines.append(f"MISSING  statistic {g['key']}: {g['value']} {g.get('what')}")
    violations = _must_not(result, gold, lines)
    n_gold = len(gold["events"])
    scores = {
        "event_recall": round(found / n_gold, 3) if n_gold else 1.0,
        "event_precision": round((len(events) - len(wrong)) / len(events), 3) if events else 0.0,
        "statistics_recall": round(stats_found / max(1, len(gold.get("statistics", []))), 3),
        "must_not_respected": round(1 - violations / max(1, len(gold.get("must_not_extract", []))), 3),
    }
    for k, (ok, n) in checks.items():
        if n:
            scores[f"{k}_accuracy"] = round(ok / n, 3)
    return scores, lines


def _must_not(result: dict, gold: dict, lines: list[str]) -> int:
    text = result["text"]
    pub = dt.date.fromisoformat(gold["document"]["published"])
    chrome_at = [text.find(b) for b in gold["document"].get("boilerplate_to_drop", []) if text.find(b) >= 0]
    chrome_start = min(chrome_at) if chrome_at else len(text)
    violations = 0
    for rule in gold.get("must_not_extract", []):
        why = rule["why"]
        bad = []
        for e in result["events"] + result.get("political", []):
            ev_text = " ".join(s["text"] for s in e.get("evidence", []))
            if why == "negated":
                if (e.get("event_type") in VIOLENT or e.get("plover") in ("FIGHT", "ASSAULT")) and \
                        re.search(r"\b(not|never|n't)\s+(\w+\s+)?(attack|strike|fight|kill|bomb)", ev_text, re.I):
                    bad.append(e)
            elif why == "historical":
                if e.get("date") and dt.date.fromisoformat(e["date"]).year < pub.year - 1:
                    bad.append(e)
                elif re.search(r"\b(19\d\d|200\d|201\d)\b", ev_text) and e.get("event_type") in VIOLENT:
                    bad.append(e)
            elif why == "not yet happened":
                if e.get("plover") == "RETREAT" and e.get("status") == "happened" and re.search(
                        r"\bwill\b|\blater this\b", ev_text):
                    bad.append(e)
            elif why == "page chrome":
                if any(s["start"] >= chrome_start for s in e.get("evidence", [])):
                    bad.append(e)
        if why == "page chrome" and any(s["evidence"][0]["start"] >= chrome_start for s in result["statistics"]):
            bad.append({})
        if bad:
            violations += 1
            lines.append(f"VIOLATED must_not ({why}): {rule['what']}")
        else:
            lines.append(f"RESPECTED must_not ({why}): {rule['what']}")
    return violations


def run(data: Path, pipeline, out: TextIO) -> dict:
    gold = json.loads((data / "gold.json").read_text())
    text = (data / "article.txt").read_text(encoding="utf-8")
    published = dt.date.fromisoformat(gold["document"]["published"])
    result = pipeline.process(Article(text=text, published=published, origin=str(data / "article.txt"))).to_dict()
    scores, lines = score(result, gold)
    out.write(f"seed article: {len(result['events'])} events, {len(result['statistics'])} statistics, "
              f"{len(result['places'])} place mentions\n")
    for line in lines:
        out.write(line + "\n")
    out.write("\nscores: " + json.dumps(scores, sort_keys=True) + "\n")
    return scores
