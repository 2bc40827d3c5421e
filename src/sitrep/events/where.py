"""Which place mention is where an event happened (not where its actors come from, nor a reference point)."""

from __future__ import annotations

import bisect
import re

from ..taxonomy import PLACE_NOUNS, TRIGGER_INDEX
from .lexicon import (BE_FORMS, DESTINATION_PREPS, DIRECTION_WORDS, GROUP_NAME_HEADS, LOCATIVE,
                      NAMED_AFTER_HEADS, SAY_VERBS, TERRITORIAL)
from .syntax import _clause_tokens, _prep_object


def can_be_scene(m) -> bool:
    """A continent or a region across countries ("the Middle East") is no event's place:
    ACLED places every event in one country."""
    return m.place is not None and (bool(m.place.country_code) or m.place.feature_code not in ("CONT", "RGN"))


def _nearest_place(mentions, a, b, anchor, countries: bool):
    """The place mentioned in text[a:b] nearest to ``anchor``, a town before a country."""
    best = None
    for m in mentions:
        if not can_be_scene(m) or not (a <= m.start < b):
            continue
        if m.place.is_country and (best is not None or not countries):
            continue
        dist = abs(m.start - anchor)
        if best is None or (best.place.is_country and not m.place.is_country) or dist < abs(best.start - anchor):
            best = m
    return best


def _is_place_tok(tok, sent_mentions) -> bool:
    if tok is None:
        return False
    if tok.lower_ in PLACE_NOUNS:
        return True
    return any(m.start <= tok.idx < m.end for m in sent_mentions)


def _source_place(tok):
    """The place a side leaves: 'withdrew from X', 'pulled out of X', 'driven out of X'."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "from":
            g = next((g for g in c.children if g.dep_ == "pobj"), None)
            if g is not None:
                return g
        if c.lower_ == "out" and c.dep_ in ("prt", "prep", "advmod"):
            inner = _prep_object(c, ("of",))
            if inner is not None:
                return inner
        if c.dep_ == "prep" and c.lower_ == "of" and tok.i > 0 and tok.doc[c.i - 1].lower_ == "out":
            g = next((g for g in c.children if g.dep_ == "pobj"), None)
            if g is not None:
                return g
    return None


# who a person is: "a volunteer from Leeds", "a father of three from Leeds"
PERSON_NOUNS = frozenset("""man men woman women boy girl father mother son daughter brother sister husband wife
    volunteer volunteers soldier soldiers fighter fighters student students teacher nurse doctor journalist
    photographer activist worker medic grandfather grandmother
    teenager teenagers child children baby veteran Briton Britons national nationals citizen citizens""".lower().split())


def _not_where(m, doc) -> bool:
    """A mention that names who acted ('Moscow said', 'Moscow's forces') or a reference point
    ('north-west of Kyiv', 'off the coast of X'): not where an event took place."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    if in_name(m, doc):
        return True
    t = span.root
    if t.dep_ == "poss":
        return True
    if t.dep_ == "nsubj" and t.head.lower_ not in BE_FORMS and (
            t.head.lower_ in SAY_VERBS or any(c.dep_ in ("dobj", "ccomp", "xcomp", "dative") for c in t.head.children)):
        return True  # "Moscow was not obstructing the talks", "Kyiv said": who acts, not where
    if t.dep_ == "pobj" and t.head.lower_ in ("from", "by") and t.head.head.lower_ in VOICE_NOUNS:
        return True  # "no confirmation from Kyiv", "a statement by Moscow": who speaks
    if _hometown(t):
        return True  # "Anna Reed, from Leeds, was killed in ...": where she came from
    return _ref_point(m, doc)


def _hometown(t) -> bool:
    """A place a person comes from: "X, from Leeds," or "a 23-year-old from Leeds", "a native of Leeds"."""
    if t.dep_ != "pobj" or t.head.lower_ not in ("from", "of"):
        return False
    owner = t.head.head
    if owner.pos_ not in ("NOUN", "PROPN"):
        return False
    if t.head.lower_ == "of":
        return owner.lower_ in ("native", "natives")  # "a native of Leeds" ("residents of X" live there)
    return owner.ent_type_ == "PERSON" or owner.lower_ in PERSON_NOUNS or owner.lower_.endswith("-old")


def in_name(m, doc) -> bool:
    """A place inside the name of something else, as a text uses it: a law or treaty named for a
    city ("the Geneva conventions"), or the country an armed movement names itself after
    ("the Kurdistan Workers' Party" is not Kurdistan, "the Movement of X" acts, it is not where)."""
    ents = doc.ents
    i = bisect.bisect_right(_ent_starts(doc), m.start) - 1
    if i < 0:
        return False
    e = ents[i]
    if not (e.start_char <= m.start and m.end <= e.end_char) or (e.start_char, e.end_char) == (m.start, m.end):
        return False
    if e.label_ in ("LAW", "WORK_OF_ART"):
        return True
    if e.label_ != "ORG":
        return False
    before = [t.lower_ for t in e if t.idx < m.start]
    if "of" in before:  # "the Islamic Movement of X"
        return bool(GROUP_NAME_HEADS.intersection(before[:before.index("of")]))
    after = {t.lower_ for t in e if t.idx >= m.end}  # "the X Liberation Army", "the X statute"
    return bool(GROUP_NAME_HEADS & after or NAMED_AFTER_HEADS & after)


# what may stand between a district and the province it is said to lie in: "X district, Y province"
_IN_PROVINCE = re.compile(r"[\w'’ -]{0,30},\s*(?:the\s+)?")


def _outside_stated_province(m, mentions, text: str) -> bool:
    """'in Gomal district, Paktika province' with 'Gomal' resolved to a place of another
    province: the text says which province, so the gazetteer's guess for the town is wrong."""
    p = m.place
    if p.is_country or p.feature_code == "ADM1":
        return False
    for n in mentions:
        if n.start > m.end and n.place.feature_code == "ADM1" and _IN_PROVINCE.fullmatch(text, m.end, n.start):
            return n.place.country_code != p.country_code or (n.place.admin1 or "") != (p.admin1 or "")
    return False


def _ent_starts(doc) -> list[int]:
    starts = doc.user_data.get("sitrep_ent_starts")
    if starts is None:
        starts = doc.user_data["sitrep_ent_starts"] = [e.start_char for e in doc.ents]
    return starts


VOICE_NOUNS = frozenset("""comment comments confirmation response reaction statement statements word denial
    announcement claim claims reply""".split())


def _ref_point(m, doc) -> bool:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    t = span.root
    while t.dep_ == "compound" and t.head.lower_ in PLACE_NOUNS | {"oblast", "governorate", "state", "county"}:
        t = t.head  # "off the coast of Odesa region"
    if t.dep_ == "pobj" and t.head.lower_ in ("of", "from") and t.head.head.lower_ in DIRECTION_WORDS:
        return True
    return _beside_a_place(m, doc)


# "Irpin, near Kyiv", "Harasta, outside the capital, Damascus": the second town only says where the first is
_NEAR_TAIL = re.compile(r"(\w)\s*,\s+(?:near|outside|close\s+to|not\s+far\s+from)\s+(?:the\s+)?"
                        r"(?:[^\W\d_][\w-]*\s+){0,2}?(?:(?:capital|city|town|port)(?:\s+city)?\s*,?\s*)?$")


def _beside_a_place(m, doc) -> bool:
    hit = _NEAR_TAIL.search(doc.text, max(0, m.start - 60), m.start)
    if hit is None:
        return False
    before = doc.char_span(hit.start(1), hit.end(1), alignment_mode="expand")
    return before is not None and any(t.ent_type_ in ("GPE", "LOC", "FAC") or t.pos_ == "PROPN" for t in before)


def _modifier(m, doc) -> bool:
    """'the Zaporizhzhia nuclear plant': a place naming another thing, not the place itself."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in ("compound", "amod", "nmod") and span.root.head.pos_ == "NOUN" \
        and span.root.head.lower_ not in ADMIN_NOUNS  # "Luhansk region" is the region itself


ADMIN_NOUNS = frozenset("region province oblast district governorate state county municipality".split())


# what follows the place of a wire dateline up to its dash: "LIMA, 8 MAR 23 --",
# "KABUL, March 3 (Reuters) -", "GAZA CITY (AP) —"
_DATELINE_TAIL = re.compile(
    r"(?:\s*,\s*[^\W\d_]{3,9}\.?\s+\d{1,2}(?:\s*,\s*\d{4})?|\s*,\s*\d{1,2}\s+[^\W\d_]{3,9}\.?(?:\s+\d{2,4})?"
    r"|\s*,\s*[^\W\d_]{3,12}\.?)?(?:\s*\([^()\n]{1,30}\))?\s*(?:--|—|–|-)\s")


def _is_dateline(m, doc) -> bool:
    """The place a wire report was filed from, at the head of a line before the dash:
    where the reporter was, not where the event happened."""
    text = doc.text
    line_start = text.rfind("\n", 0, m.start) + 1
    return not text[line_start: m.start].strip() and bool(_DATELINE_TAIL.match(text, m.end))


def _origin(m, doc, tok) -> bool:
    """'Tom Baker, from Truro, Cornwall', 'militants from Mosul': where someone comes from,
    not where the event happened (a 'withdrawal from X' is the event's own phrase)."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    t = span.root
    while t.dep_ in ("appos", "conj", "compound") and t.head.i != t.i:
        t = t.head  # "from Truro, Cornwall"
    if t.dep_ != "pobj" or t.head.lower_ != "from":
        return False
    owner = t.head.head
    return owner.i != tok.i and owner.pos_ in ("NOUN", "PROPN") and owner.lower_ not in TRIGGER_INDEX


def _pick_place(tok, obj, sent, mentions, category):
    if not mentions:
        return None, False
    doc = sent.doc
    mentions = [m for m in mentions if can_be_scene(m) and not _origin(m, doc, tok) and not in_name(m, doc)]
    mentions = [m for m in mentions if not (m.place.is_country is False and _ref_point(m, doc))]
    mentions = [m for m in mentions if not _outside_stated_province(m, mentions, doc.text)]
    filed = [m for m in mentions if _is_dateline(m, doc)]
    if filed:
        # the dateline only when the sentence names no other place
        best, direct = _pick_place(tok, obj, sent, [m for m in mentions if m not in filed], category)
        return (best, direct) if best is not None else (filed[0], False)
    if category == "withdraw":
        # "pulled back across the river": where they went is not what they left
        dest = [t for c in tok.children if c.dep_ == "prep" and c.lower_ in DESTINATION_PREPS for t in c.subtree]
        far = {t.idx for t in dest}
        mentions = [m for m in mentions if m.start not in far]
    if not mentions:
        return None, False
    non_country = [m for m in mentions if not m.place.is_country]
    if obj is not None:
        aside = {t.idx for c in obj.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
        in_obj = [m for m in mentions if obj.left_edge.idx <= m.start <= obj.right_edge.idx
                  and (not m.place.is_country or not non_country) and m.start not in aside]
        if in_obj:
            return sorted(in_obj, key=lambda m: (_modifier(m, doc), m.start))[0], True
    head = tok if tok.pos_ != "NOUN" else tok.head
    if tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass") and category in TERRITORIAL:
        # "Its recapture opens the way towards X": the predicate tells something else about it
        own = {t.idx for t in tok.subtree}
        inside = [m for m in non_country if m.start in own]
        return (inside[0], True) if inside else (None, False)
    sub = _clause_tokens(head, keep=("advcl", "xcomp", "acl") if category == "deploy" else ())
    starts = {t.idx for t in sub if not t.is_punct}
    inside = [m for m in non_country if m.start in starts]
    pool = inside or ([] if category in ("deploy", "request", "offer", "reject") else
                      [m for m in non_country if not _not_where(m, doc)])
    if not inside and category in TERRITORIAL and obj is not None and obj.lower_ in PLACE_NOUNS:
        pool = [m for m in pool if m.start < obj.idx]  # "the town" points back, never forward
    if pool:
        best = min(pool, key=lambda m: abs(m.start - tok.idx))
        return _finest(best, pool), True
    countries = [m for m in mentions if m.place.is_country]
    if category in ("deploy", "request", "offer", "reject"):
        countries = [m for m in countries if m.start in starts]
    # a country named as an actor ("Afghanistan has offered") is not where it happened
    # nor one naming whose forces or weapons they were ("US forces", "the UK government")
    countries = [m for m in countries if not _mention_is_subject(m, sent) and _locative(m, sent)
                 and not _modifier(m, doc)]
    if countries:
        return min(countries, key=lambda m: abs(m.start - tok.idx)), True
    return None, False


def _finest(best, pool):
    """'strikes on X, a town in Y province, killed ...': the province is nearer the verb, but the
    town inside it is where it happened (the most precise place the sentence gives)."""
    region = best.place
    if region.feature_code != "ADM1":
        return best
    towns = [m for m in pool if not m.place.is_country and not m.place.is_region
             and m.place.country_code == region.country_code and m.place.admin1
             and m.place.admin1 == region.admin1]
    return towns[0] if len(towns) == 1 else best


def _locative(m, sent) -> bool:
    """'in Afghanistan', 'to Afghanistan': a country named as where, not as who."""
    doc = sent.doc
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    i = span.start - 1
    # "in the east of", no: "in eastern Syria", "in war-torn northern Yemen": step over the adjectives
    while i > 0 and (doc[i].lower_ == "the" or doc[i].pos_ == "ADJ" or doc[i].text == "-") and span.start - i < 5:
        i -= 1
    return doc[i].lower_ in LOCATIVE


def _mention_is_subject(m, sent) -> bool:
    span = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    t = span.root
    while t.head.i != t.i:
        if t.dep_ in ("nsubj", "nsubjpass", "poss"):
            return True
        if t.pos_ in ("VERB", "AUX"):
            return False
        t = t.head
    return False
