"""Aggregate figures that are not single events.

"At least 183 civilians have been killed in a month, according to the UN" is a
statistic: a count over a period or over many places, usually attributed to an
organisation. Counted as an event it would inflate every fatality total.
"""

from __future__ import annotations

import re

from .dates import resolve
from .model import PlaceMention, Span, Statistic
from .nlp import sentence_ents
from .quantities import amount

PERIOD = re.compile(r"\b(since|so far|this year|past (?:week|month|year|few)|in (?:just |only )?(?:a|one|two|three|the past|the last)\s+"
                    r"(?:week|month|year|days|weeks|months)|over the (?:past|last)|to date|in total|altogether|"
                    r"since the (?:start|beginning))\b", re.I)
AGGREGATE_KINDS = {"killed", "injured", "displaced", "arrested", "abducted", "missing"}
MAX_FIGURE_WORDS = 8
VAGUE_NUMBERS = {"dozens", "hundreds", "thousands", "scores", "dozen", "millions"}


def _number_tokens(sent):
    """(first, last) token of each figure: a number word with the number words right before it
    ("two hundred"). One pass: the start of the current run of numbers is carried along."""
    first = None  # the first token of the run of like_num tokens ending at the previous token
    for tok in sent:
        run_start = first
        first = (first or tok) if tok.like_num else None
        if not (tok.like_num or tok.lower_ in VAGUE_NUMBERS):
            continue
        if tok.ent_type_ in ("DATE", "TIME", "PERCENT", "MONEY", "ORDINAL"):
            continue
        nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and nxt.like_num and nxt.ent_type_ == tok.ent_type_:
            continue
        start = (first if tok.like_num else run_start) or tok
        # a figure is a few number words ("two hundred and fifty thousand"), not a list of 100,000
        yield (start if tok.i - start.i < MAX_FIGURE_WORDS else tok.doc[tok.i - MAX_FIGURE_WORDS + 1]), tok


def _separate_places(sent, mentions) -> int:
    """The most places of one list in a sentence that do not contain one another: "in Gardez
    and Khost" are two, "Gardez, Paktia" is one (a town and its province). Places outside a
    common list ("LIMA -- ... kidnapped in a village near Ayacucho": a dateline and the
    scene) do not make a count an aggregate."""
    lists: dict[int, list] = {}
    for m in mentions:
        if m.place is None or m.place.is_country:
            continue
        span = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
        tok = span.root if span is not None else None
        while tok is not None and tok.dep_ in ("conj", "appos", "compound") and tok.head.i != tok.i:
            tok = tok.head
        lists.setdefault(tok.i if tok is not None else -m.start, []).append(m.place)
    return max((_distinct(places) for places in lists.values()), default=0)


def _distinct(places: list) -> int:
    out = set()
    for p in places:
        if p.feature_code in ("ADM1", "ADM2") and any(
                q is not p and p.name.lower() in ((q.admin1 or "").lower(), (q.admin2 or "").lower())
                for q in places):
            continue  # the province or district of another place named beside it
        out.add(p.geonameid or p.name.lower())
    return len(out)


def _definite(noun) -> bool:
    """'the 34 capitals', 'its provinces': a known whole that a figure is a share of."""
    return any(c.dep_ in ("det", "poss", "nummod") and (c.like_num or c.lower_ in (
        "the", "these", "those", "its", "their", "our", "his", "her", "all")) for c in noun.children)


def _attribution(sent) -> str | None:
    m = re.search(r"\baccording to (?:the )?([^,.;]+)", sent.text, re.I)
    if m:
        return m.group(1).strip().rstrip(".")
    for tok in sent:
        if tok.lower_ in ("said", "says", "reported", "estimated", "estimates") and tok.dep_ in ("ROOT", "parataxis"):
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.pos_ in ("PROPN",) or (subj is not None and subj.ent_type_ == "ORG"):
                return " ".join(t.text for t in subj.subtree)
    return None


def _date_spans(sent, published) -> list:
    """DATE entities of the sentence that can be a period (not a single day)."""
    spans = []
    for ent in sentence_ents(sent):
        if ent.label_ == "DATE":
            w = resolve(ent.text, published) if published else None
            if w is None or w.precision >= 2:
                spans.append(ent)
    return spans


def _period(sent, spans, verb=None):
    """The period a figure covers: a date span in the figure's own clause first, else the nearest.

    ``spans`` are the sentence's ``_date_spans``, found once per sentence: a sentence of many
    figures asks for the period of each."""
    if spans:
        if verb is not None:
            subtree = {t.i for t in verb.subtree}
            clause_heads = {a for a in subtree if a != verb.i and sent.doc[a].dep_ in ("conj", "relcl", "advcl")}
            own = [e for e in spans if e.root.i in subtree
                   and not any(a.i in clause_heads for a in e.root.ancestors)]
            if own:
                return own[0].text.strip()
            return min(spans, key=lambda e: abs(e.root.i - verb.i)).text.strip()
        return spans[0].text.strip()
    m = PERIOD.search(sent.text)
    return m.group(0) if m else None


def extract_statistics(sent, published, kind_of, mentions: list[PlaceMention]) -> tuple[list[Statistic], set[int]]:
    """Statistics in one sentence, and the token indices (verbs) they account for."""
    stats: list[Statistic] = []
    used: set[int] = set()
    spans = _date_spans(sent, published)
    period = _period(sent, spans)
    periods: dict[int, str | None] = {}  # by verb: many figures of one sentence share their verb
    attributed = _attribution(sent)
    places = tuple(dict.fromkeys(m.text for m in mentions if m.place is not None and not m.place.is_country))
    separate = _separate_places(sent, mentions)
    for first, tok in _number_tokens(sent):
        prefix = tok.doc[max(sent.start, first.i - 4): first.i].text + " "
        amt = amount(tok.doc[first.i: tok.i + 1].text, prefix)
        if amt is None or amt.value < 2:
            continue
        noun = tok.head if tok.dep_ in ("nummod", "quantmod", "amod") else tok
        if tok.lower_ in VAGUE_NUMBERS:
            noun = next((g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                         for g in c.children if g.dep_ == "pobj"), tok)
        part_of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        whole = None
        if part_of is not None:  # "12 of the 34 provincial capitals"
            whole = next((g for g in part_of.children if g.dep_ == "pobj"), None)
            if whole is not None and tok.lower_ in VAGUE_NUMBERS and not _definite(whole):
                whole = None  # "dozens of lawyers" counts people; "12 of the 34 capitals" is a share
            if whole is not None:
                noun = whole
        kind = kind_of(noun, tok, "")
        # a count over a period or over several places is a statistic; one attributed toll is an event
        aggregate = (kind in AGGREGATE_KINDS and (period or separate > 1)) or (
            kind == "displaced") or (whole is not None and period)
        if not aggregate:
            continue
        verb = noun.head
        hops = 0
        while verb.pos_ != "VERB" and verb.head.i != verb.i and hops < 3:
            verb = verb.head
            hops += 1
        in_noun = {t.i for t in noun.subtree}
        noun_words = [t.text for t in noun.subtree if not t.like_num and t.dep_ not in ("prep", "punct", "det", "appos")
                      and t.i < (noun.right_edge.i + 1) and not any(a.dep_ in ("prep", "appos", "relcl") for a in t.ancestors
                                                                  if a.i >= noun.left_edge.i and a.i != noun.i and a.i in in_noun)]
        noun_text = " ".join(w for w in noun_words if w.lower() not in ("least", "about", "at", "of", "the")) or noun.text
        if noun.dep_ in ("nsubj", "nsubjpass"):
            what = f"{noun_text} {verb.text}" if verb.i != noun.i else noun_text
        else:
            what = f"{noun_text} ({verb.text})" if verb.i != noun.i else noun_text
        used.add(verb.i)
        stats.append(Statistic(
            what=what, value=amt.value, qualifier=amt.qualifier, period=periods[verb.i] if verb.i in periods else periods.setdefault(verb.i, _period(sent, spans, verb)),
            places=places, attributed_to=attributed,
            evidence=(Span(sent.start_char, sent.end_char, sent.text),)))
    return stats, used
