"""Score relevance, incidents, status and claim on the MUC-3/4 development corpus.

Texts come from ``raw_dev/dev-muc3-*`` (one message per ``DEV-MUC3-nnnn``
header, read as written, in capitals) with the publication date taken from the
dateline ("SAN SALVADOR, 3 JAN 90 --"); answer keys from ``raw_dev/key-dev-*.muc4``.
Every message of the dev set that has a text and a key is read (1,300); a
message whose only template is "*" is irrelevant.

Document relevance (all messages): a message is relevant when it has at least
one template that is not "*" (OPTIONAL templates count); sitrep calls it
relevant when it emits at least one violent ACLED event, that is one whose
event_type is Battles, Explosions/Remote violence or Violence against civilians.
Precision, recall and F1 of "relevant".

Incident level (all messages): each template is an incident; a violent sitrep
event matches it, one to one, when all three agree:

- type family: MUC-4 INCIDENT TYPE -> the ACLED event types that code it
  (``FAMILIES``): ATTACK -> Battles or Violence against civilians, and also
  Explosions/Remote violence when the INSTRUMENT TYPE names an explosive or a
  remote weapon (bomb, dynamite, grenade, mortar, rocket, mine, ...); BOMBING ->
  Explosions/Remote violence; KIDNAPPING -> Violence against civilians
  (Abduction/forced disappearance); ARSON -> Violence against civilians or
  Explosions/Remote violence (an arson of property alone is an ACLED strategic
  development, outside the violent set). ROBBERY and FORCED WORK STOPPAGE have
  no violent ACLED family: they make a message relevant but are left out of
  incident recall (their number is printed); "A / B" accepts either type.
- date: INCIDENT DATE "11 FEB 90" accepts that day +-1; a range "A - B" accepts
  A-1 .. B+1; "- B" (on or before B) accepts B-31 .. B+1; alternatives "/"
  accept any; "-" (no date in the key) is not checked. An event without a date
  fails a checked date.
- place: INCIDENT LOCATION "COUNTRY: PLACE (KIND): PLACE (KIND)" (alternatives
  "/"); "-" is not checked. The event place must lie in that country (country
  names resolved by the gazetteer); a location that names only a country needs
  nothing more; otherwise one of its named places must fold-equal the event
  place's name, admin1 or admin2, or lie within 25 km of it (the named place
  resolved by the gazetteer in that country). A country-level event place does
  not agree with a location below the country.

Incident precision = violent events matched to a template (required or OPTIONAL)
/ all violent events emitted over all messages; incident recall = matched
required (not OPTIONAL) templates of a violent family / those templates.
Spurious events: violent events in irrelevant messages, counted and per
irrelevant message.

Status and claim (messages with a template), against the first template. The
prediction is the message's main event: the highest-confidence event with an
ACLED sub_event_type, else the highest-confidence event of any kind; a message
without events is wrong.

STAGE OF EXECUTION -> status: ACCOMPLISHED = happened, ATTEMPTED = attempted,
THREATENED = threatened ("A / B" accepts either).

PERP: ORGANIZATION CONFIDENCE (first line) -> accepted claim values:
REPORTED AS FACT = reported or confirmed; CLAIMED OR ADMITTED = claimed;
SUSPECTED OR ACCUSED (BY AUTHORITIES) and POSSIBLE = reported or disputed
(sitrep has no "suspected": the incident itself is reported, only the
perpetrator is in doubt); ACQUITTED = denied or disputed. "-" (no perpetrator
organisation) or "*" is not scored for claim.

Trivial baselines on the same messages: status "always happened", claim
"always reported" (on the subsets chosen by the gold, not-accomplished and
claimed, the same constants, which score 0); for relevance, incidents and
spurious events the majority class "always relevant", realised as one event per
message of the ACLED event type that fits most templates, dated at the dateline
and placed at the dateline's place.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import TextIO

from ..errors import UsageError
from ..model import Article, Event
from ..gazetteer import km
from . import main_event, predict, rate, with_baselines, write_scores, write_table
from .seed import fold

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
TEMPLATE_FIELD, DATE_FIELD, LOCATION_FIELD, TYPE_FIELD, INSTRUMENT_FIELD = 1, 2, 3, 4, 7
VIOLENT = ("Battles", "Explosions/Remote violence", "Violence against civilians")
FAMILIES = {
    "ATTACK": {"Battles", "Violence against civilians"},
    "BOMBING": {"Explosions/Remote violence"},
    "KIDNAPPING": {"Violence against civilians"},
    "ARSON": {"Violence against civilians", "Explosions/Remote violence"},
    "ROBBERY": set(),
    "FORCED WORK STOPPAGE": set(),
}
EXPLOSIVE = ("BOMB", "DYNAMITE", "EXPLOSIVE", "GRENADE", "MORTAR", "ROCKET", "MINE", "MOLOTOV", "MISSILE", "SHELL")
DAY_SLACK, BEFORE_DAYS, PLACE_KM = 1, 31, 25.0


def read_texts(path: Path) -> dict[str, str]:
    """Message id -> text, for one ``dev-muc3-*`` file."""
    raw = path.read_text(encoding="latin-1")
    heads = list(HEADER.finditer(raw))
    return {m.group(1): raw[m.end(): nxt.start() if nxt else len(raw)].strip()
            for m, nxt in zip(heads, heads[1:] + [None])}


def _date_of(m: re.Match | None) -> dt.date | None:
    if not m:
        return None
    try:
        return dt.date(1900 + int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
    except ValueError:
        return None


def dateline_date(text: str) -> dt.date | None:
    return _date_of(DATELINE.search(text[:200].split("--")[0]))


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


def _wrapped(p: str) -> bool:
    """Whether the parenthesis opening ``p`` closes at its very end."""
    depth = 0
    for i, ch in enumerate(p):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return i == len(p) - 1
    return False


def _alternatives(value: str) -> list[str]:
    """Top-level "/" alternatives of a key value, outer parentheses and "?" dropped; "-" and "*" are none."""
    parts, depth, cur = [], 0, ""
    for ch in value:
        depth += (ch == "(") - (ch == ")")
        if ch == "/" and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    out = []
    for p in parts:
        p = p.strip().lstrip("?").strip()
        while p.startswith("(") and _wrapped(p):
            p = p[1:-1].strip().lstrip("?").strip()
        if p and p not in ("-", "*"):
            out.append(p)
    return out


def _day(value: str) -> dt.date | None:
    return _date_of(DATELINE.fullmatch(value.strip()))


def date_windows(value: str) -> list[tuple[dt.date, dt.date]] | None:
    """The accepted (first, last) days of an INCIDENT DATE, or None when the key gives no date."""
    windows = []
    slack = dt.timedelta(days=DAY_SLACK)
    for alt in _alternatives(value):
        if alt.startswith("-"):  # "- B": on or before B
            last = _day(alt[1:])
            first = last - dt.timedelta(days=BEFORE_DAYS) if last else None
        elif " - " in alt:
            lo, hi = alt.split(" - ", 1)
            first, last = _day(lo), _day(hi)
        else:
            first = last = _day(alt)
        if first and last:
            windows.append((first - slack, last + slack))
    return windows or None


def locations(value: str) -> list[tuple[str, list[str]]] | None:
    """(country, [named places below it]) per alternative of an INCIDENT LOCATION, or None (not given)."""
    out = []
    for alt in _alternatives(value):
        parts = [re.sub(r"\([^)]*\)", "", p).strip() for p in alt.split(":")]
        if parts and parts[0]:
            out.append((parts[0], [p for p in parts[1:] if p]))
    return out or None


def incident_of(template: dict[int, list[str]]) -> dict | None:
    """A template's incident: type, ACLED families, date windows, locations, optional; None for "*"."""
    head = " ".join(template.get(TEMPLATE_FIELD) or ["*"]).strip()
    if head in ("*", ""):
        return None
    types = [t for t in _labels(" ".join(template.get(TYPE_FIELD) or [""])) if t in FAMILIES]
    instrument = " ".join(template.get(INSTRUMENT_FIELD) or [""]).upper()
    families: set[str] = set()
    for t in types:
        families |= FAMILIES[t]
        if t == "ATTACK" and any(w in instrument for w in EXPLOSIVE):
            families.add("Explosions/Remote violence")
    return {"type": " / ".join(types) or "-", "families": families,
            "dates": date_windows(" ".join(template.get(DATE_FIELD) or ["-"])),
            "locations": locations(" ".join(template.get(LOCATION_FIELD) or ["-"])),
            "optional": "OPTIONAL" in head.upper()}


class Resolver:
    """Template place names through the gazetteer: country codes and coordinates, cached.

    Without a gazetteer, names are only compared as written."""

    def __init__(self, gazetteer=None):
        self.gazetteer = gazetteer
        self._cands: dict[str, list] = {}

    def candidates(self, name: str) -> list:
        if self.gazetteer is None:
            return []
        if name not in self._cands:
            try:
                self._cands[name] = list(self.gazetteer.candidates(name))[:20]
            except Exception:  # noqa: BLE001 - an odd name is simply unresolved
                self._cands[name] = []
        return self._cands[name]

    def country(self, name: str) -> str | None:
        return next((p.country_code for p in self.candidates(name) if p.is_country), None)

    def points(self, name: str, country_code: str | None) -> list[tuple[float, float]]:
        return [(p.latitude, p.longitude) for p in self.candidates(name)
                if p.latitude is not None and not p.is_country and (not country_code or p.country_code == country_code)]

    def place(self, name: str):
        """The first gazetteer candidate for a name (the baseline's dateline place), or None."""
        return next(iter(self.candidates(name)), None)


def place_agrees(locs: list[tuple[str, list[str]]] | None, place, resolver: Resolver) -> bool:
    """An event place against a template's INCIDENT LOCATION (module docstring)."""
    if locs is None:
        return True
    if place is None:
        return False
    names = {fold(n) for n in (place.name, place.admin1, place.admin2) if n}
    for country, below in locs:
        code = resolver.country(country)
        if code is None and place.country_code is not None and resolver.gazetteer is not None:
            continue
        if code is not None and place.country_code != code:
            continue
        if code is None and not below and fold(country) not in names:
            continue
        if not below:
            return True
        if place.is_country:
            continue
        if any(fold(b) in names for b in below):
            return True
        if place.latitude is not None and any(km(lat, lon, place.latitude, place.longitude) <= PLACE_KM
                                              for b in below for lat, lon in resolver.points(b, code)):
            return True
    return False


def date_agrees(windows: list[tuple[dt.date, dt.date]] | None, date: str | None) -> bool:
    if windows is None:
        return True
    try:
        day = dt.date.fromisoformat(date[:10]) if date else None
    except ValueError:
        day = None
    return day is not None and any(lo <= day <= hi for lo, hi in windows)


def is_violent(e) -> bool:
    return e.event_type in VIOLENT


def match_incidents(incidents: list[dict], events: list, resolver: Resolver) -> list[tuple[int, int]]:
    """One-to-one (incident index, event index) pairs: required incidents first, each taking the
    first unused violent event that agrees on type family, date and place."""
    order = sorted(range(len(incidents)), key=lambda i: incidents[i]["optional"])
    used: set[int] = set()
    pairs = []
    for i in order:
        inc = incidents[i]
        for j, e in enumerate(events):
            if j in used or not is_violent(e) or e.event_type not in inc["families"]:
                continue
            if date_agrees(inc["dates"], e.date) and place_agrees(inc["locations"], e.place, resolver):
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def score_documents(docs: list[list[dict]], predictions: list[list], resolver: Resolver) -> dict:
    """Relevance, incident and spurious-event scores: per message its incidents and its events."""
    t: Counter = Counter()
    for incidents, events in zip(docs, predictions, strict=True):
        violent = [e for e in events if is_violent(e)]
        relevant = bool(incidents)
        t["messages"] += 1
        t["relevant"] += relevant
        t["said_relevant"] += bool(violent)
        t["both"] += relevant and bool(violent)
        t["violent"] += len(violent)
        if not relevant:
            t["irrelevant"] += 1
            t["spurious"] += len(violent)
            t["irrelevant_clean"] += not violent
        scorable = [i for i, inc in enumerate(incidents) if inc["families"] and not inc["optional"]]
        t["incidents"] += len(scorable)
        t["unscorable"] += sum(not inc["families"] and not inc["optional"] for inc in incidents)
        pairs = match_incidents(incidents, violent, resolver)
        t["matched_events"] += len(pairs)
        t["matched_incidents"] += sum(i in scorable for i, _ in pairs)
        t["type_only"] += sum(any(is_violent(e) and e.event_type in incidents[i]["families"] for e in violent)
                              for i in scorable)
    p, r = rate(t["both"], t["said_relevant"]), rate(t["both"], t["relevant"])
    ip, ir = rate(t["matched_events"], t["violent"]), rate(t["matched_incidents"], t["incidents"])
    return {
        "messages": t["messages"],
        "relevant_messages": t["relevant"],
        "relevance_precision": p,
        "relevance_recall": r,
        "relevance_f1": _f1(p, r),
        "violent_events": t["violent"],
        "incidents_scored": t["incidents"],
        "incidents_no_violent_family": t["unscorable"],
        "incident_precision": ip,
        "incident_recall": ir,
        "incident_f1": _f1(ip, ir),
        "incident_recall_type_only": rate(t["type_only"], t["incidents"]),
        "irrelevant_messages": t["irrelevant"],
        "spurious_violent_events": t["spurious"],
        "spurious_violent_per_irrelevant_message": rate(t["spurious"], t["irrelevant"]),
        "irrelevant_messages_clean": rate(t["irrelevant_clean"], t["irrelevant"]),
    }


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return round(2 * p * r / (p + r), 3) if p + r else 0.0


def _dateline_place(text: str) -> str:
    head = text.lstrip().split("\n")[0]
    return head.split(",")[0].strip() if "," in head else ""


def document_baselines(docs: list[list[dict]], articles: list[Article], resolver: Resolver) -> dict[str, tuple]:
    """"Always relevant": one event per message, of the ACLED type that fits most required
    templates, dated at the dateline and placed at the dateline's place (first gazetteer candidate)."""
    fits = Counter(f for incs in docs for inc in incs if not inc["optional"] for f in inc["families"])
    etype = max(VIOLENT, key=lambda f: (fits[f], f == "Battles"))
    events = []
    for a in articles:
        place = resolver.place(_dateline_place(a.text)) if _dateline_place(a.text) else None
        events.append([Event(id="baseline", event_type=etype, sub_event_type=None, plover=None, actor1=None,
                             actor2=None, place=place, precision=None,
                             date=a.published.isoformat() if a.published else None, date_precision=None,
                             fatalities=None)])
    scores = score_documents(docs, events, resolver)
    rule = f"always relevant: 1 {etype} event/message at the dateline"
    keys = ("relevance_precision", "relevance_recall", "relevance_f1", "incident_precision", "incident_recall",
            "incident_f1", "incident_recall_type_only", "spurious_violent_events",
            "spurious_violent_per_irrelevant_message", "irrelevant_messages_clean")
    return {k: (scores[k], rule) for k in keys}


def status_baselines(golds: list[dict]) -> dict[str, tuple]:
    """"Always happened" and "always reported" on the status and claim scores."""
    scores = score(golds, [SimpleNamespace(status="happened", claim="reported")] * len(golds))
    out = {}
    for k in ("status_accuracy", "status_not_accomplished_accuracy"):
        out[k] = (scores[k], "always happened")
    for k in ("claim_accuracy", "claim_claimed_accuracy"):
        out[k] = (scores[k], "always reported")
    return out


def load_all(folder: Path, limit: int | None = None) -> tuple[list[Article], list[list[dict]], list[dict | None]]:
    """Every message with a text and a key (at most ``limit``): its article, its incidents and the
    status/claim gold of its first template (None when it has none)."""
    texts, keys = _read(folder)
    articles, docs, golds = [], [], []
    for doc_id in sorted(keys):
        if doc_id not in texts:
            continue
        text = texts[doc_id]
        articles.append(Article(text=text, id=doc_id, published=dateline_date(text), origin=doc_id))
        docs.append([inc for inc in (incident_of(t) for t in keys[doc_id]) if inc is not None])
        golds.append(gold_of(keys[doc_id]))
        if limit and len(articles) >= limit:
            break
    return articles, docs, golds


def _read(folder: Path) -> tuple[dict[str, str], dict[str, list]]:
    texts: dict[str, str] = {}
    keys: dict[str, list] = {}
    for path in sorted(folder.glob("dev-muc3-*")):
        texts |= read_texts(path)
    for path in sorted(folder.glob("key-dev-*.muc4")):
        keys |= read_keys(path.read_text(encoding="latin-1"))
    if not texts or not keys:
        raise UsageError(f"no MUC-4 texts (dev-muc3-*) or keys (key-dev-*.muc4) in {folder}: pass --data "
                         f"with the folder holding raw_dev/")
    return texts, keys


def load(folder: Path, limit: int | None = None) -> tuple[list[Article], list[dict]]:
    """The messages with a template (at most ``limit``) and the status/claim gold of their first one."""
    texts, keys = _read(folder)
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


def _main(result):
    return main_event(result.events) or main_event(result.political, acled_only=False)


def run(data: Path, pipeline, out: TextIO, limit: int | None = None) -> dict:
    folder = data / "raw_dev" if (data / "raw_dev").is_dir() else data
    articles, docs, all_golds = load_all(folder, limit)
    resolver = Resolver(getattr(pipeline, "gazetteer", None))
    n_rel = sum(bool(d) for d in docs)
    out.write(f"MUC-4 dev: {len(articles)} messages{' (--limit)' if limit else ''}, {n_rel} relevant (a template "
              f"other than \"*\"), {len(articles) - n_rel} irrelevant; violent = {', '.join(VIOLENT)}\n")
    start = time.perf_counter()
    results, errors = predict(pipeline, articles, lambda r: (list(r.events), _main(r)), out, default=([], None))
    seconds = time.perf_counter() - start
    doc_scores = score_documents(docs, [ev for ev, _ in results], resolver)
    doc_base = document_baselines(docs, articles, resolver)
    out.write("relevance, incidents (type family, date and place against each template) and spurious events:\n")
    write_table(out, doc_scores, doc_base, 40)

    golds = [g for g in all_golds if g is not None]
    predictions = [main for (_, main), g in zip(results, all_golds) if g is not None]
    scores = score(golds, predictions) | {"pipeline_errors": errors}
    pairs = Counter((g["stage"], p.status if p else "(no event)") for g, p in zip(golds, predictions))
    out.write(f"status and claim: {len(golds)} messages with a template, scored against the first one\n")
    out.write("stage of execution -> predicted status:\n")
    for (stage, status), count in sorted(pairs.items()):
        out.write(f"  {count:5d}  {stage or '-'} -> {status}\n")
    claims = Counter((g["confidence"] or "-", p.claim if p else "(no event)") for g, p in zip(golds, predictions))
    out.write("perp organisation confidence -> predicted claim:\n")
    for (conf, claim), count in sorted(claims.items()):
        out.write(f"  {count:5d}  {conf} -> {claim}\n")
    base = status_baselines(golds)
    write_scores(out, with_baselines(scores, base), seconds, len(articles), "messages", 40, base)
    return with_baselines(doc_scores, doc_base) | with_baselines(scores, base)
