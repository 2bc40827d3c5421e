"""Events from a parsed article: rules over spaCy's dependency parse.

For every content sentence (page chrome and headings are skipped) each trigger
word proposes an event; its arguments come from the parse: who (subject,
agent), whom (object), where (place mentions in the clause, then the
paragraph), when (date expressions resolved against the publication date), how
many (numbers and what they count). Negated and speculative triggers are
dropped, future ones are marked planned, threatened or attempted, history is
left out, claims keep who makes them and a later confirmation or denial in the
same article updates them. Reports of one event inside an article are merged.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, replace

from . import actors as act
from .dates import When, resolve
from .model import Article, Event, Place, PlaceMention, Span
from .quantities import amount
from .statistics import extract_statistics
from .taxonomy import (ACLED_SUB_TYPES, AREA_UNITS, MILITARY_NOUNS, MULTIWORD, PHRASAL, PLACE_NOUNS, TRIGGERS, inflect,
                       PLOVER_OF_CATEGORY, PLOVER_OF_SUB, TERRITORY_TYPES, TRIGGER_INDEX)

CHROME = re.compile(
    r"(?<![\w-])(comment|comments|reply|subscribe|newsletter|cookie|cookies|sign up|log in|login|share this|"
    r"all rights reserved|advertisement|click here|read more|related|recent articles|follow us|"
    r"privacy policy|terms of use|email address|your name|posted in|tags?:|photo:|image:)(?![\w-])", re.I)
TERMINAL = tuple('.!?"”’)»')
WRAP_WIDTH = 45  # characters: the shortest line of a hard-wrapped paragraph but its last
NEG = {"not", "n't", "never", "no"}
HEDGE = {"may", "might", "could", "would", "should"}
FUTURE = {"will", "'ll", "shall", "wo"}
PLAN_VERBS = {"plan", "plans", "planned", "planning", "prepare", "prepares", "preparing", "prepared",
              "intend", "intends", "intended", "announce", "announced", "announces", "order",
              "ordered", "orders", "approve", "approved", "approves", "decide", "decided", "agree",
              "agreed", "expect", "expected", "set", "aim", "aims", "scheduled", "propose", "proposed"}
THREAT_VERBS = {"threaten", "threatened", "threatens", "threatening", "vow", "vowed", "vows",
                "warn", "warned", "warns", "pledge", "pledged", "promise", "promised"}
ATTEMPT_VERBS = {"try", "tried", "tries", "trying", "attempt", "attempted", "attempts", "attempting",
                 "foil", "foiled", "thwart", "thwarted", "repel", "repelled", "repulsed", "fail", "failed"}
CLAIM_VERBS = {"claim", "claimed", "claims", "claiming", "boast", "boasted"}
DENY_VERBS = {"deny", "denied", "denies", "denying", "reject", "rejected", "dismiss", "dismissed", "refute",
              "refuted"}
CONFIRM_VERBS = {"confirm", "confirmed", "confirms", "confirming", "acknowledge", "acknowledged",
                 "verified", "verify"}
SAY_VERBS = {"say", "said", "says", "told", "tell", "tells", "report", "reported", "reports",
             "state", "stated", "announce", "announced", "insist", "insisted", "insisting", "add",
             "added", "explain", "explained", "according"}
EVENT_NOUNS = {"capture", "attack", "killing", "deaths", "death", "seizure", "fall", "takeover",
               "claim", "claims", "strike", "raid", "report", "reports", "withdrawal", "control"}
KIND_OF_WORD = {
    "killed": "killed", "kill": "killed", "killing": "killed", "dead": "killed", "died": "killed",
    "deaths": "killed", "death": "killed", "bodies": "killed", "lives": "killed", "fatalities": "killed",
    "executed": "killed", "slain": "killed", "shot": "killed", "massacred": "killed", "perished": "killed",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "injuring": "injured", "wounding": "injured",
    "arrested": "arrested", "detained": "arrested", "arrests": "arrested", "detaining": "arrested",
    "arresting": "arrested", "rounded": "arrested",
    "released": "released", "releasing": "released", "freed": "released", "freeing": "released",
    "fled": "displaced", "displaced": "displaced", "flee": "displaced", "fleeing": "displaced",
    "refugees": "displaced", "evacuated": "displaced", "homeless": "displaced",
    "kidnapped": "abducted", "abducted": "abducted", "hostages": "abducted", "missing": "missing",
    "captured": "captured", "surrendered": "captured",
}
TROOP_WORDS = MILITARY_NOUNS | {"soldier", "troop", "fighters"}
RELEASED_THINGS = {"video", "videos", "statement", "statements", "report", "footage", "images", "photos",
                   "photographs", "pictures", "figures", "data", "details", "names", "list", "recording",
                   "recordings", "audio", "documents", "document", "results", "findings", "transcript", "letter",
                   "funds", "budget", "version", "album", "film", "book", "plan", "guidelines", "toll"}
FLAG_PREPS = {"in", "over", "on", "at", "above", "atop", "to"}  # "fixed a flag to a sign at the town's entrance"
FLAG_WORDS = {"flag", "flags", "banner", "banners", "standard"}
# Verbs that report a done event by its noun ("announced the capture of X", "confirmed the city's fall").
REPORT_VERBS = {"announce", "announced", "announces", "announcing", "confirm", "confirmed", "confirms",
                "report", "reported", "reports", "celebrate", "celebrated", "mark", "marked", "hail", "hailed"}
# "north-west of X", "off the coast of X": X is a reference point, not where it happened.
DIRECTION_WORDS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                   "north-east", "north-west", "south-east", "south-west", "coast", "kilometres", "kilometers",
                   "km", "miles", "mile", "kilometre", "kilometer"}
BE_FORMS = {"be", "is", "are", "was", "were", "been", "being", "remain", "remained", "remains", "lie", "lies", "lay"}
BACKGROUND_WORDS = {"since", "ago", "earlier", "previously"}
RESPONSIBILITY = re.compile(
    r"\b(?:claim(?:ed|s|ing)?|admit(?:ted|s|ting)?|assum(?:ed|es|ing)|accept(?:ed|s|ing)?|t(?:ook|akes?|aking))"
    r"\s+(?:full\s+|the\s+|sole\s+)?(?:responsibility|credit|authorship)\b"
    r"|\bclaims?\s+of\s+responsibility\b|\bresponsibility\s+(?:was|has\s+been|had\s+been)\s+claimed\b", re.I)
NEG_BEFORE = re.compile(r"\b(?:no|not|nobody|none|yet\s+to|n't|never)\b[^.]*$", re.I)


@dataclass
class _Draft:
    category: str
    sub_event_type: str | None
    plover: str | None
    trigger: object  # spaCy Token
    sent_index: int
    para: int
    actor1: str | None = None
    actor2: str | None = None
    place: PlaceMention | None = None
    place_direct: bool = False
    when: When | None = None
    counts: dict = field(default_factory=dict)
    status: str = "happened"
    claim: str = "reported"
    claimed_by: str | None = None
    evidence: list = field(default_factory=list)
    confidence: float = 0.6
    notes: list = field(default_factory=list)
    own_territory: bool = True  # actor1 is the state whose territory the place is
    crowd_actor: bool = False  # the one acting is a crowd of ordinary people, not an armed force
    more_places: list = field(default_factory=list)  # further places of one territory report
    refers_back: bool = False  # the place is named by a noun ("the town") that points to an earlier one
    unplaced_name: bool = False  # the place is named, but not one the gazetteer knows


class EventExtractor:
    """Finds events in one parsed article. ``geo`` is the Gazetteer (country names, demonyms)."""

    def __init__(self, geo):
        self.geo = geo
        self._events_before = False  # whether the article has told an event before the current sentence

    # ---- context --------------------------------------------------------------
    def _context(self, doc, mentions: list[PlaceMention], published) -> act.ActorContext:
        counts: dict[str, int] = {}
        for m in mentions:
            if m.place and m.place.country_code:
                counts[m.place.country_code] = counts.get(m.place.country_code, 0) + 1
        country = max(counts, key=counts.get) if counts else None
        groups = act.find_groups(doc.text)
        distinct = {g for g in groups}
        main_group = groups[0] if len(distinct) == 1 else (
            max(distinct, key=groups.count) if distinct and groups.count(max(distinct, key=groups.count)) >= 2 * max(
                (groups.count(g) for g in distinct if g != max(distinct, key=groups.count)), default=0) else None)
        by_count = tuple(sorted(distinct, key=lambda g: (-groups.count(g), groups.index(g))))
        return act.ActorContext(
            country=country, main_group=main_group,
            country_name=self._country_name, demonym=self._demonym, country_code=self._country_code,
            groups=by_count)

    def _country_name(self, cc: str) -> str | None:
        p = self.geo.country(cc)
        return p.name if p else cc

    def _demonym(self, word: str) -> str | None:
        return self.geo.demonym(word)

    def _country_code(self, name: str) -> str | None:
        for p in self.geo.candidates(name)[:3]:
            if p.is_country:
                return p.country_code
        return None

    # ---- main -------------------------------------------------------------------
    def extract(self, doc, article: Article, mentions: list[PlaceMention]) -> tuple[list[Event], list]:
        """Events and statistics of one parsed article."""
        published = article.published
        ctx = self._context(doc, mentions, published)
        self._all_mentions = mentions
        text = doc.text
        para_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
        mention_starts = [m.start for m in mentions]
        sents = list(doc.sents)
        drafts: list[_Draft] = []
        stats = []
        last_place_in_para: dict[int, PlaceMention] = {}
        for si, sent in enumerate(sents):
            para = bisect.bisect_right(para_starts, sent.start_char) - 1
            sent_mentions = self._mentions_in(mentions, mention_starts, sent.start_char, sent.end_char)
            sent_mentions = sorted(sent_mentions + self._capitals(sent, ctx), key=lambda m: m.start)
            if not _is_content(sent):
                continue
            reported = self._apply_updates(sent, drafts, ctx)
            sent_stats, used = extract_statistics(sent, published, _kind_of, sent_mentions)
            stats.extend(sent_stats)
            for tok, category in _triggers(sent):
                if tok.i in used or tok.i in reported:
                    continue
                self._events_before = any(x.category not in POLITICAL for x in drafts)
                d = self._draft(tok, category, sent, si, para, sent_mentions, ctx, published)
                if d is not None:
                    if d.place is None and para in last_place_in_para and category not in POLITICAL and \
                            not d.unplaced_name and (
                            d.category not in TAKEN or d.refers_back):
                        d.place = last_place_in_para[para]
                    drafts.append(d)
                    for m in d.more_places:
                        drafts.append(replace(d, place=m, evidence=list(d.evidence), notes=list(d.notes),
                                              counts=dict(d.counts), more_places=[]))
                    d.more_places = []
            cities = [m for m in sent_mentions if m.place and not m.place.is_country and not _not_where(m, doc)]
            if cities:
                last_place_in_para[para] = cities[-1]
        drafts = _merge(drafts)
        for d in drafts:
            if d.category == "protest" and d.status == "happened":
                # what the police or the crowd did is often told in the next sentences
                window = [s for s in sents[d.sent_index: d.sent_index + 4]
                          if bisect.bisect_right(para_starts, s.start_char) - 1 == d.para or s is sents[d.sent_index]]
                d.sub_event_type = _protest_kind(window)
                d.plover = PLOVER_OF_SUB.get(d.sub_event_type, d.plover)
        self._responsibility_claims(drafts, text, ctx)
        where = [m for m in mentions if m.place is None or not _not_where(m, doc)]
        self._fill_from_paragraph(drafts, where, para_starts, text)
        # the lead tells the main event: later reports rank a little lower (ties go to the first)
        order = sorted({d.sent_index for d in drafts})
        for d in drafts:
            d.confidence = min(d.confidence, 0.95) - LEAD_STEP * min(order.index(d.sent_index), LEAD_SPAN)
        return [self._finish(d, article, ctx) for d in drafts], stats

    @staticmethod
    def _mentions_in(mentions, starts, a, b):
        i = bisect.bisect_left(starts, a)
        out = []
        while i < len(mentions) and mentions[i].start < b:
            if mentions[i].place is not None:
                out.append(mentions[i])
            i += 1
        return out

    # ---- one trigger -> one draft --------------------------------------------
    def _draft(self, tok, category, sent, si, para, sent_mentions, ctx, published) -> _Draft | None:
        is_verb = tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB") or _verbal(tok)
        clause = _clause_head(tok)
        if _negated(tok) or _negated(clause):
            return None
        if any(c.lower_ in HEDGE for c in list(tok.children) + list(clause.children) if c.dep_ == "aux"):
            return None
        subj = _subject(tok) or _subject(clause)
        obj = _object(tok)
        place_obj = None  # set when a rule finds the place somewhere else than the object
        ousted = poss_cc = antecedent_place = None
        if category == "flag":
            # "raised the national flag over X" (ACLED: a side establishing itself in a place)
            flag = obj if obj is not None and obj.lower_ in FLAG_WORDS else None
            if flag is None or _negated(tok):
                return None
            near = [t for c in [*tok.children, *flag.children] if c.dep_ == "prep" and c.lower_ in FLAG_PREPS
                    for t in c.subtree]
            place_obj = next((t for t in near if _is_place_tok(t, sent_mentions)
                              and t.dep_ in ("pobj", "poss", "compound")), None)
            obj, category = place_obj, "capture"
        if category == "release" and obj is not None and obj.lower_ in RELEASED_THINGS:
            return None  # "released a video": publishing, not setting anyone free
        if category == "release" and tok.lower_.startswith(("free", "liberat")) and _is_place_tok(obj, sent_mentions) \
                and obj.lower_ not in ("prison", "jail", "camp", "compound"):
            category = "recapture"  # "X has been freed": a place set free is retaken, not a prisoner
        if category == "oust":
            # "drove the militants out of X", "X was cleared of militants", "the group's ousting from X"
            where = _source_place(tok)
            ousted = obj if is_verb else (next((c for c in tok.children if c.dep_ == "poss"), None) or obj)
            if where is None and _is_place_tok(obj, sent_mentions):
                where, ousted = obj, _prep_object(tok, ("of",))
            armed = ousted is not None and (_is_forces(ousted) or act.find_groups(_phrase(ousted)))
            if where is None or not armed or not (_is_place_tok(where, sent_mentions) or where.ent_type_ in ("GPE", "LOC", "FAC")):
                if tok.lower_.startswith("expel"):
                    category = "sanction"  # "expelled two diplomats"
                else:
                    return None
            else:
                category, obj, place_obj = "capture", where, where
        if category == "withdraw":
            source = _source_place(tok)
            if tok.lower_ in ("leave", "left", "leaves", "leaving"):
                # "troops left X" (a place they held); "leaving the city without power" is no retreat
                if not _is_place_tok(obj, sent_mentions) or subj is None or not _is_forces(subj) or any(
                        t.lower_ in ("without", "behind", "for") or t.dep_ in ("oprd", "acomp", "xcomp", "ccomp")
                        for t in tok.subtree if t.i > obj.i):
                    return None
                source = obj
            place_obj = source
        if not is_verb and category in ("capture", "recapture", "withdraw", "oust"):
            poss = next((c for c in tok.children if c.dep_ == "poss"), None)
            if poss is not None:
                if _is_place_tok(poss, sent_mentions):
                    place_obj = place_obj or poss  # "the city's capture"
                elif poss.lower_ in ("his", "her") or poss.ent_type_ == "PERSON":
                    return None  # "his seizure": a person taken, not a place
                elif poss.lower_ in ("its", "their"):
                    cc = self._possessor_country(tok, ctx)
                    antecedent = self._previous_subject_place(tok) if cc is None else None
                    if cc:
                        subj, poss_cc = None, cc
                    elif antecedent is not None:
                        antecedent_place = antecedent  # "Lyman ... . Its recapture ..."
                    else:
                        subj = _antecedent(poss)
                else:
                    subj = poss  # "Russia's withdrawal", "the army's recapture of X"
        if category in ("capture", "recapture") and not is_verb and _state_not_event(tok):
            return None  # "ending eight months of occupation", "under occupation"
        if category == "take":
            # "took control of X", "taken X" (a place): otherwise not a territory event
            ctrl = next((c for c in tok.children if c.lower_ in ("control", "over", "hold")), None)
            if ctrl is None and not _is_place_tok(obj, sent_mentions):
                return None
            if ctrl is not None and ctrl.lower_ == "control":
                obj = next((g for c in ctrl.children if c.dep_ == "prep" for g in c.children
                            if g.dep_ == "pobj"), obj)
            category = "capture"
        if category == "fall":
            # "X fell to / under the control of Y"
            if not _is_place_tok(subj, sent_mentions):
                return None
            category, obj = "capture", subj
            subj = _fall_taker(tok)  # "X fell to US-backed forces": the proxy rule below applies to it
        if category in ("gather", "block"):
            # "residents gathered outside ...", "drivers blocked the highway": a crowd acting in public
            if not _is_crowd(subj if is_verb else (subj or _subject(clause))) or (
                    category == "gather" and obj is not None and obj.dep_ == "dobj"):
                return None
            category = "protest"
        if category == "protest" and subj is not None and _is_forces(subj):
            return None  # "troops marched into the town"
        if category == "request" and tok.lower_ in ("call", "calls", "called", "calling") and is_verb:
            if not any(c.lower_ in PHRASAL["call"] for c in tok.children):
                return None
        if category == "base" and (obj is None or obj.lower_ not in ("base", "headquarters", "outpost", "camp", "bases")):
            return None
        if category == "deploy":
            troops = obj if obj is not None and obj.lower_ in TROOP_WORDS else _troop_noun(tok)
            if troops is None:
                return None
        if category in ("capture", "recapture") and obj is not None and (obj.like_num or obj.lower_ in AREA_UNITS):
            return None  # "took control of 12 of the 34 capitals", "retook 2,000 square kilometres": a statistic
        if category == "capture" and obj is not None and obj.lower_ in ("weapons", "arms", "ammunition",
                                                                        "drugs", "explosives", "cache"):
            category = "defuse"
        if category in ("shelling",) and tok.lower_ in ("strike", "strikes") and not _has_left(tok, {"missile", "rocket", "artillery"}):
            if not _labour_strike(tok):
                return None
            category = "protest"  # "workers staged a strike", "a climate strike took place"
        if not is_verb and not self._noun_is_event(tok, sent, sent_mentions):
            return None

        d = _Draft(category=category, sub_event_type=None, plover=PLOVER_OF_CATEGORY.get(category),
                   trigger=tok, sent_index=si, para=para)
        d.evidence.append(sent)
        # --- status
        aux_words = {c.lower_ for c in list(tok.children) + list(clause.children) if c.dep_ in ("aux", "auxpass")}
        ancestors = [a.lower_ for a in tok.ancestors]
        done_noun = not is_verb and category in DONE_WHEN_ANNOUNCED and any(c.dep_ == "poss" or c.lower_ == "the" for c in tok.children) and \
            bool(set(ancestors[:2]) & REPORT_VERBS)  # "announced the city's capture": reported as done
        if aux_words & FUTURE or (not is_verb and set(ancestors[:2]) & PLAN_VERBS and not done_noun) or \
                (tok.dep_ == "xcomp" and tok.head.lower_ in PLAN_VERBS) or \
                ("to" in aux_words and tok.head.lower_ in PLAN_VERBS):
            d.status = "planned"
        if set(ancestors[:3]) & THREAT_VERBS or (tok.head.lower_ in THREAT_VERBS):
            d.status = "threatened"
        if set(ancestors[:2]) & ATTEMPT_VERBS:
            d.status = "attempted"
        # --- claim
        for a in [tok] + list(tok.ancestors)[:4]:
            if a.lower_ in CLAIM_VERBS:
                d.claim = "claimed"
                speaker = _subject(a)
                d.claimed_by = act.normalise(_phrase(speaker), ctx) if speaker is not None else None
                if subj is None or (speaker is not None and subj.i == speaker.i) or subj.lower_ in ("they", "it", "he", "she", "we"):
                    subj = speaker
                break
            if a.lower_ in DENY_VERBS and a.i != tok.i:
                d.claim = "denied"
                speaker = _subject(a)
                d.claimed_by = act.normalise(_phrase(speaker), ctx) if speaker is not None else None
                break
        if subj is not None and subj.lower_ in ("they", "he", "she", "it", "we", "who", "which"):
            subj = _antecedent(subj)
        # --- actors
        military = category in ("deploy", "capture", "recapture", "clash", "attack", "shelling",
                                "airstrike", "withdraw", "surround", "ied", "kill", "grenade", "chemical")
        d.actor1 = act.normalise(_phrase(subj), ctx, military_default=military,
                                 country_hint=self._possessor_country(subj, ctx)) if subj is not None else None
        if d.actor1 is None and subj is None and tok.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass", "attr"):
            d.actor1 = _poss_actor(tok, ctx, military)
        agent = _agent(tok)
        if agent is None and not is_verb:
            agent = _prep_object(tok, ("by",))  # "an attack by Taliban militants"
        if agent is not None:
            d.actor1 = act.normalise(_phrase(agent), ctx, military_default=military) or d.actor1
        if poss_cc:
            d.actor1 = act.normalise("forces", ctx, military_default=True, country_hint=poss_cc)
        actor_tok = agent if agent is not None else subj
        if actor_tok is not None and not act.find_groups(_phrase(actor_tok)):
            # "US-backed fighters": the backed group, never the backer's own army; and a side only
            # described ("Kurdish forces") is never the group that held the place ("Isis's capital fell to ...")
            against = set(act.find_groups(obj.doc[obj.left_edge.i: obj.right_edge.i + 1].text)) \
                if obj is not None and category in ("capture", "recapture") else set()
            if ousted is not None:
                against |= set(act.find_groups(_phrase(ousted)))
            if _is_proxy(actor_tok) or (d.actor1 in against):
                d.actor1 = act.proxy_actor(ctx, exclude=against)
        if obj is not None and category != "deploy" and not _is_place_tok(obj, sent_mentions):
            d.actor2 = act.normalise(_phrase(obj), ctx, military_default=category in ("clash", "attack"))
        target = _prep_object(tok, ("with", "to", "against", "on")) if category not in ("deploy", "withdraw") else None
        if d.actor2 is None and target is not None and not _is_place_tok(target, sent_mentions):
            d.actor2 = act.normalise(_phrase(target), ctx)
        if d.actor1 is None and category in POLITICAL:
            d.actor1 = _first_actor_before(tok, sent, ctx, military)
        if ousted is not None and d.actor2 is None:
            d.actor2 = act.normalise(_phrase(ousted), ctx)
        if ousted is not None and d.actor1 is not None and d.actor1 == d.actor2 and d.actor1 in ctx.groups:
            d.actor1 = act.proxy_actor(ctx, exclude={d.actor2})  # "fighters drove the group out": another side
        if d.actor1 == d.actor2:
            d.actor2 = None
        # --- place: mentions in the trigger's clause first, then the sentence
        d.place, d.place_direct = _pick_place(tok, place_obj if place_obj is not None else obj, sent,
                                              sent_mentions, category)
        if antecedent_place is not None:
            d.place, d.place_direct = antecedent_place, True
        ref = place_obj if place_obj is not None else obj
        d.refers_back = ref is not None and ref.lower_ in PLACE_NOUNS
        # "pulled out of Lyman" with Lyman unknown to the gazetteer: never put another place in its stead
        d.unplaced_name = d.place is None and category in TERRITORIAL and ref is not None and ref.pos_ == "PROPN"
        if category in ("capture", "recapture") and d.place is not None and obj is not None:
            # "X, Y and Z had been freed": one change of control per place
            for c in obj.conjuncts:
                for m in sent_mentions:
                    if c.left_edge.idx <= m.start <= c.right_edge.idx and not m.place.is_country and \
                            m.place.geonameid != d.place.place.geonameid and m not in d.more_places:
                        d.more_places.append(m)
        # --- date
        d.when = _date_for(tok, sent, published)
        if d.when is not None and d.when.tense == "history":
            return None
        if d.when is None and category in ("capture", "recapture", "withdraw") and _background(tok, clause):
            return None  # "which Russia had captured since ...": told as background, no date of its own
        if _conditional(tok, sent):
            return None  # "if confirmed, it would be the first city to fall"
        if d.when is not None and d.when.tense == "future" and d.status == "happened":
            d.status = "planned"
        # --- counts
        d.counts = _counts(sent, category)
        d.crowd_actor = subj is not None and _is_crowd(subj, strict=True)
        # --- type
        d.sub_event_type = _sub_type(d, tok, sent)
        if d.sub_event_type is None and d.plover is None:
            return None
        if d.plover is None:
            d.plover = PLOVER_OF_SUB.get(d.sub_event_type)
        d.confidence = 0.5 + 0.1 * bool(d.actor1) + 0.1 * bool(d.place) + 0.1 * bool(d.when) + 0.1 * is_verb
        return d

    def _possessor_country(self, tok, ctx) -> str | None:
        """'its forces' in 'Russia's defence ministry said its forces took X': the speaker's state."""
        if tok is None or not any(c.dep_ == "poss" and c.lower_ in ("its", "their", "our") for c in tok.children):
            return None
        for a in tok.ancestors:
            if a.lower_ in SAY_VERBS or a.lower_ in CLAIM_VERBS:
                speaker = _subject(a)
                if speaker is None:
                    return None
                for t in speaker.subtree:
                    cc = act.STATE_ABBREVIATIONS.get(t.lower_) or self.geo.demonym(t.text) or (
                        self._country_code(t.text) if t.pos_ == "PROPN" else None)
                    if cc:
                        return cc
                return None
        return None

    def _previous_subject_place(self, tok):
        """'Lyman had been held since May. Its recapture ...': the place the sentence before is about."""
        doc = tok.doc
        if tok.sent.start == 0:
            return None
        prev = doc[tok.sent.start - 1].sent
        subjects = [t for t in prev if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"]
        for m in getattr(self, "_all_mentions", []):
            if m.place is None or m.place.is_country or not (prev.start_char <= m.start < prev.end_char):
                continue
            if any(t.left_edge.idx <= m.start <= t.idx for t in subjects):
                return m
        return None

    def _capitals(self, sent, ctx) -> list[PlaceMention]:
        """'the Afghan capital' / 'the capital' name the capital city of a country."""
        out = []
        for tok in sent:
            if tok.lower_ != "capital" or tok.pos_ != "NOUN":
                continue
            if any(c.dep_ == "prep" for c in tok.children) or tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].pos_ == "PROPN":
                continue  # "the capital of X", "the capital Kabul": X is named itself
            mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss")]
            cc = next((self.geo.demonym(c.text) or self._country_code(c.text) for c in mods
                       if self.geo.demonym(c.text) or self._country_code(c.text)), None)
            if cc is None and not mods and any(c.lower_ == "the" for c in tok.children):
                cc = ctx.country
            cap = self.geo.capital(cc) if cc else None
            if cap is not None:
                start = tok.left_edge.idx
                out.append(PlaceMention(start, tok.idx + len(tok), tok.doc.text[start: tok.idx + len(tok)], cap, 0.6))
        return out

    def _noun_is_event(self, tok, sent, sent_mentions) -> bool:
        """A noun trigger counts when something anchors it: an actor, a place, a date or a count."""
        if tok.dep_ in ("nsubj", "nsubjpass") and any(c.lower_ in ("the", "these", "those") for c in tok.children) \
                and not (not self._events_before and (tok.head.lower_ in HAPPEN_VERBS or (
                    tok.dep_ == "nsubjpass" and tok.head.lower_ in LIGHT_VERBS))):
            return False  # "The clashes have ..." refers back; "the attack took place at 2100" reports it
        if _after_light_verb(tok):
            return True  # "staged a protest": reported as done by someone
        if tok.dep_ == "compound":
            return False
        anchored = any(c.dep_ in ("poss", "compound", "amod", "nummod", "prep") for c in tok.children)
        has_place = any(tok.left_edge.idx <= m.start < tok.head.right_edge.idx + len(tok.head.right_edge) for m in sent_mentions)
        has_date = any(e.label_ in ("DATE", "TIME") for e in sent.ents)
        return anchored or has_place or has_date

    def _responsibility_claims(self, drafts, text, ctx) -> None:
        """'X claimed responsibility for the attack': the nearest violent event is claimed by X.

        Read from the text itself (any letter case, across line wraps), not the parse."""
        violent = [d for d in drafts if ACLED_SUB_TYPES.get(d.sub_event_type or "") in (
            "Battles", "Explosions/Remote violence", "Violence against civilians", "Riots")]
        if not violent:
            return
        for m in RESPONSIBILITY.finditer(text):
            if NEG_BEFORE.search(text[max(0, m.start() - 25): m.start()]):
                continue  # "no group has claimed responsibility"
            start = text.rfind(".", 0, m.start()) + 1
            before = text[start: m.start()]
            groups = act.find_groups(before) or act.find_groups(text[m.start(): m.end() + 80])
            who = groups[-1] if groups else None
            d = min(violent, key=lambda d: (d.trigger.idx > m.start(), abs(d.trigger.idx - m.start())))
            if d.claim in ("reported", "claimed"):
                d.claim = "claimed"
                d.claimed_by = who or d.claimed_by
                if who and not d.actor1:
                    d.actor1 = who
                d.notes.append("responsibility claimed" + (f" by {who}" if who else ""))

    # ---- cross-sentence updates -----------------------------------------------
    def _apply_updates(self, sent, drafts: list[_Draft], ctx) -> set[int]:
        """'A resident confirmed the capture' / 'X denied the claim' update earlier claims.

        Returns the tokens that refer back to an earlier event (they are not new events)."""
        referring: set[int] = set()
        for tok in sent:
            low = tok.lower_
            if low not in CONFIRM_VERBS and low not in DENY_VERBS:
                continue
            if _negated(tok):
                continue
            obj = _object(tok)
            refers = obj is not None and (obj.lower_ in EVENT_NOUNS or obj.lower_ in TRIGGER_INDEX)
            if not refers:
                continue
            speaker = _subject(tok)
            who = act.normalise(_phrase(speaker), ctx) if speaker is not None else None
            referring.add(obj.i)
            for d in reversed(drafts):
                if d.claim in ("claimed", "reported", "denied", "disputed") and d.status == "happened":
                    if low in CONFIRM_VERBS:
                        d.claim = "confirmed" if d.claim in ("claimed", "reported") else "disputed"
                        d.notes.append(f"confirmed by {_phrase(speaker) or 'a source'}")
                    else:
                        if who is not None and who == d.claimed_by:
                            continue
                        d.claim = "disputed" if d.claim in ("claimed", "confirmed") else "denied"
                        d.notes.append(f"denied by {_phrase(speaker) or 'a source'}")
                    d.evidence.append(sent)
                    break
        return referring

    def _fill_from_paragraph(self, drafts, mentions, para_starts, text) -> None:
        """An event with no place in its sentence takes the nearest place of its paragraph.

        A political act (an offer, a call, a deployment) looks only next to its own sentences:
        a town in one of them or in the sentence after, then in the sentence before, then a country."""
        for d in drafts:
            if d.place is not None or d.unplaced_name:
                continue
            a = para_starts[d.para]
            b = para_starts[d.para + 1] if d.para + 1 < len(para_starts) else len(text)
            if d.category in TAKEN:
                # a change of control needs its own place: "the town" points back to one named before
                if d.refers_back:
                    d.place = _nearest_place(mentions, a, d.trigger.idx, d.trigger.idx, countries=False)
                continue
            if d.category not in POLITICAL:
                d.place = _nearest_place(mentions, a, b, d.trigger.idx, countries=True)
                continue
            doc = d.trigger.doc
            own_next, before = [], []
            for sent in d.evidence:
                nxt = doc[min(sent.end, len(doc) - 1)].sent
                prev = doc[max(sent.start - 1, 0)].sent
                own_next.append((sent.start_char, max(sent.end_char, nxt.end_char), sent.start_char))
                before.append((prev.start_char, sent.start_char, sent.start_char))
            for windows, countries in ((own_next, False), (before, False), (own_next + before, True)):
                for a2, b2, anchor in windows:
                    d.place = _nearest_place(mentions, max(a, a2) if not countries else a2, b2, anchor, countries)
                    if d.place is not None:
                        break
                if d.place is not None:
                    break

    # ---- final object ------------------------------------------------------------
    def _finish(self, d: _Draft, article: Article, ctx) -> Event:
        published = article.published
        if d.category == "recapture" and not d.actor1 and d.place is not None and d.place.place.country_code:
            # "X has been retaken / freed" with no one named: ACLED's government regaining its ground
            home = self._country_name(d.place.place.country_code)
            if home:
                d.actor1 = act.normalise("forces", ctx, military_default=True, country_hint=d.place.place.country_code)
                d.notes.append("retaken by the state, no side named")
        if d.sub_event_type == "Government regains territory" and d.actor1:
            # a state retaking its own ground regains it; a foreign state's forces overtake it (ACLED)
            cc = d.place.place.country_code if d.place else ctx.country
            home = self._country_name(cc) if cc else None
            if home and home not in d.actor1:
                d.sub_event_type = "Non-state actor overtakes territory"
                d.notes.append("territory taken by a foreign state's forces")
        kind = ACLED_SUB_TYPES.get(d.sub_event_type or "")
        if kind in ("Protests", "Riots"):
            # ACLED names the crowd itself: "Protesters (Chile)", "Rioters (India)" (codebook inter 5 and 6)
            cc = d.place.place.country_code if d.place and d.place.place.country_code else ctx.country
            name = self._country_name(cc) if cc else None
            crowd = "Protesters" if kind == "Protests" else "Rioters"
            if d.actor1 and not d.actor1.startswith(("Protesters", "Rioters", "Civilians")) and \
                    d.sub_event_type not in ("Peaceful protest", "Mob violence"):
                d.actor2 = d.actor1  # the force that intervened or that the rioters fought
            d.actor1 = f"{crowd} ({name})" if name else crowd
        when = d.when
        if when is not None:
            date, precision = when.date, when.precision
            if d.status == "happened" and published and date > published:
                date = published
            if d.status == "planned" and published and date > published:
                date, precision = published, 1  # dated by the announcement
        elif published is not None:
            date, precision = published, 2 if d.status == "happened" else 1
        else:
            date, precision = None, None
        place = d.place.place if d.place else None
        geo_precision = None
        if place is not None:
            geo_precision = 3 if (place.is_country or place.feature_code == "ADM1") else (
                2 if place.feature_code == "ADM2" or not d.place_direct else 1)
        fatalities = d.counts.get("killed") if d.sub_event_type and d.sub_event_type in ACLED_SUB_TYPES else None
        if fatalities is None and d.sub_event_type and ACLED_SUB_TYPES.get(d.sub_event_type) in (
                "Battles", "Explosions/Remote violence", "Violence against civilians", "Riots", "Protests"):
            fatalities = 0 if d.status == "happened" else None
        spans = []
        seen = set()
        for s in d.evidence:
            if s.start_char not in seen:
                seen.add(s.start_char)
                spans.append(Span(s.start_char, s.end_char, s.text))
        key = "|".join(str(x) for x in (article.id, d.sub_event_type, d.plover, place.geonameid if place else None,
                                          date, d.actor1, d.trigger.idx))
        return Event(
            id=hashlib.sha1(key.encode()).hexdigest()[:16],
            event_type=ACLED_SUB_TYPES.get(d.sub_event_type) if d.sub_event_type else None,
            sub_event_type=d.sub_event_type, plover=d.plover,
            actor1=d.actor1, actor2=d.actor2, place=place, precision=geo_precision,
            date=date.isoformat() if date else None, date_precision=precision,
            fatalities=fatalities, counts=dict(d.counts), status=d.status, claim=d.claim,
            claimed_by=d.claimed_by, evidence=tuple(spans), confidence=min(d.confidence, 0.95),
            notes="; ".join(d.notes),
        )


def _nearest_place(mentions, a, b, anchor, countries: bool):
    """The place mentioned in text[a:b] nearest to ``anchor``, a town before a country."""
    best = None
    for m in mentions:
        if m.place is None or not (a <= m.start < b):
            continue
        if m.place.is_country and (best is not None or not countries):
            continue
        dist = abs(m.start - anchor)
        if best is None or (best.place.is_country and not m.place.is_country) or dist < abs(best.start - anchor):
            best = m
    return best


# ---- parse helpers ------------------------------------------------------------------
def _is_content(sent) -> bool:
    t = sent.text.strip()
    words = t.split()
    if not words or len(words) < 12 and CHROME.search(t):
        return False
    if len(words) >= 4 and (t.endswith(TERMINAL) or len(words) >= 30):
        return True
    return _in_wrapped_paragraph(sent)


def _in_wrapped_paragraph(sent) -> bool:
    """A piece of a hard-wrapped paragraph (plain-text wires: the sentence runs on over line
    breaks, and the parser may cut it anywhere): a block between blank lines whose lines but the
    last are all of wrap length and whose end closes a sentence. Headlines and link lists are not."""
    text = sent.doc.text
    a = text.rfind("\n\n", 0, sent.start_char)
    a = 0 if a < 0 else a + 2
    b = text.find("\n\n", sent.start_char + len(sent.text.rstrip()))
    b = len(text) if b < 0 else b
    block = text[a:b].strip()
    lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
    if len(lines) < 2 or not block.endswith(TERMINAL) or CHROME.search(block):
        return False
    return all(len(ln) >= WRAP_WIDTH for ln in lines[:-1])


def _triggers(sent):
    seen = set()
    low = sent.text.lower()
    for phrase in MULTIWORD:
        start = 0
        while True:
            k = low.find(phrase, start)
            if k < 0:
                break
            start = k + len(phrase)
            before = low[k - 1] if k > 0 else " "
            after = low[start] if start < len(low) else " "
            if before.isalnum() or after.isalnum():
                continue
            span = sent.char_span(k, start, alignment_mode="expand")
            if span is None:
                continue
            head = span.root
            if head.i not in seen:
                seen.update(t.i for t in span)
                yield head, TRIGGER_INDEX[phrase][0]
    for tok in sent:
        if tok.i in seen:
            continue
        entry = TRIGGER_INDEX.get(tok.lower_)
        if entry is None:
            continue
        category, pos = entry
        is_verb = _verbal(tok)
        if pos == "verb" and not is_verb:
            noun_entry = next((c for c, (vs, ns) in _NOUN_LOOKUP.get(tok.lower_, [])), None)
            if noun_entry is None:
                continue
            category = noun_entry
        elif pos == "noun" and is_verb:
            # "gathered to protest": a word that is both noun and verb of one category
            verb_category = _VERB_LOOKUP.get(tok.lower_)
            if verb_category is None:
                continue
            category = verb_category
        if tok.ent_type_ in ("PERSON", "ORG", "GPE", "DATE", "TIME") and category not in ("airstrike",):
            continue  # "On 3 March", "the Rally party": a name or a date, not a report
        if _is_month(tok):
            continue
        light = pos == "noun" and _after_light_verb(tok)
        if tok.dep_ in ("amod", "compound") and tok.head.pos_ in ("NOUN", "PROPN") and not light:
            continue  # "the occupied city", "the besieged town": a description, not a report
        if pos == "noun" and _hypothetical_noun(tok):
            continue
        seen.add(tok.i)
        yield tok, category


HYPOTHETICAL_HEADS = {"threat", "threats", "risk", "fear", "fears", "danger", "possibility", "prospect",
                      "aftermath", "wake", "anniversary", "memory", "memories", "history", "plan", "plans",
                      "idea", "talk", "talks", "rumours", "rumors", "warning", "warnings", "preparation"}


def _hypothetical_noun(tok) -> bool:
    """'the threat of encirclement', 'fears of an offensive': a noun that reports nothing."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in HYPOTHETICAL_HEADS:
        return True
    return False


def _noun_lookup():
    from .taxonomy import TRIGGERS
    out: dict[str, list] = {}
    for category, (verbs, nouns) in TRIGGERS.items():
        for n in nouns:
            out.setdefault(n, []).append((category, (verbs, nouns)))
    return out


_NOUN_LOOKUP = _noun_lookup()
_VERB_LOOKUP: dict[str, str] = {}
for _category, (_verbs, _) in TRIGGERS.items():
    for _verb in _verbs:
        for _form in inflect(_verb):
            _VERB_LOOKUP.setdefault(_form, _category)

MONTH_WORDS = {"march", "may"}
HAPPEN_VERBS = {"occurred", "occurs", "happened", "happens", "took", "takes", "unfolded", "erupted", "broke"}
# Verbs that report an event by its noun: "staged a protest", "held a rally", "carried out an attack".
LIGHT_VERBS = {"stage", "staged", "stages", "staging", "hold", "held", "holds", "holding", "organise",
               "organised", "organize", "organized", "organising", "organizing", "launch", "launched",
               "launching", "join", "joined", "joining", "lead", "led", "leading", "carry", "carried",
               "carrying", "conduct", "conducted", "conducting", "mount", "mounted", "start", "started",
               "begin", "began", "continue", "continued", "took", "take", "taking", "observe", "observed",
               "call", "called", "calling", "announce", "announced", "went", "go", "going", "kept"}


CROWD_WORDS = {"people", "residents", "members", "workers", "supporters", "students", "activists", "farmers",
               "drivers", "traders", "vendors", "teachers", "employees", "citizens", "villagers", "locals",
               "women", "youths", "youth", "crowd", "crowds", "relatives", "families", "parents", "pensioners",
               "nurses", "doctors", "lawyers", "miners", "fishermen", "merchants", "shopkeepers", "retirees",
               "veterans", "unionists", "inhabitants", "community", "followers", "supporter", "hundreds",
               "thousands", "dozens", "scores", "group", "groups", "union", "unions", "staff", "truckers",
               "motorists", "transporters", "taxi", "farmworkers", "labourers", "laborers", "owners"}


def _crowd_head(tok):
    """'dozens of workers' -> workers; 'a group of residents' -> residents."""
    if tok is None:
        return None
    if tok.lower_ in ("dozens", "hundreds", "thousands", "scores", "group", "crowd", "number", "members"):
        inner = _prep_object(tok, ("of",))
        if inner is not None:
            return inner
    return tok


def _is_crowd(subj, strict: bool = False) -> bool:
    """Ordinary people (not a state force or an armed group) as the subject of a verb.
    ``strict``: named organisations do not count (a party or union may be an armed group's front)."""
    head = _crowd_head(subj)
    if head is None:
        return False
    if _is_forces(head) or act.group_name(head.text):
        return False
    low = head.lower_
    from .actors import CIVILIANS, PROTESTERS, RIOTERS
    if low in CROWD_WORDS or low in CIVILIANS or low in PROTESTERS or low in RIOTERS or low in MOB_WORDS:
        return not (strict and low in ("members", "member", "group", "groups", "union", "unions"))
    if strict:
        return head.ent_type_ == "NORP" and head.tag_ == "NNPS" or head.lower_.endswith("ians") and head.ent_type_ == "NORP"
    return head.pos_ == "PROPN" and head.ent_type_ in ("ORG", "NORP")


MOB_WORDS = {"mob", "mobs", "rioters", "youths", "gang", "vigilantes", "prisoners", "inmates", "supporters",
             "fans", "locals", "villagers", "residents", "students", "crowd", "crowds"}
INTERVENE_VERBS = {"dispersed", "disperse", "dispersing", "arrested", "arresting", "detained", "detaining",
                   "beat", "beaten", "beating", "intervened", "intervene", "pushed", "removed", "evicted",
                   "cleared", "charged", "kettled", "blocked", "stopped", "prevented", "baton-charged", "lathi-charged",
                   "broke", "broken", "assaulted", "injured", "wounded", "clubbed", "fired", "shot", "scattered"}
INTERVENE_NOUNS = ("tear gas", "teargas", "water cannon", "rubber bullet", "stun grenade", "pepper spray",
                   "warning shots", "batons", "baton charge", "lathi", "sound grenade", "pellet", "arrests")
RIOT_WORDS = ("stones", "rocks", "molotov", "petrol bomb", "vandalis", "vandaliz", "vandalism", "torched",
              "pelted", "ransacked", "smashed", "looted", "set fire", "set on fire", "on fire", "set ablaze",
              "burning tire", "burning tyre", "burnt tire", "burnt tyre", "burned tire", "burned tyre",
              "tires on fire", "tyres on fire", "barricade", "hurled", "threw", "damaged", "clashed", "clashes",
              "violent", "attacked police", "attacked the police", "scuffle", "scuffled", "brawl", "fights")
LETHAL = ("live ammunition", "live rounds", "live bullets", "shot dead", "opened fire on")


def _protest_kind(sentences) -> str:
    """ACLED's protest sub-types from what the crowd and the forces did (the codebook's order:
    a violent crowd makes a violent demonstration; lethal force on a peaceful one is excessive force;
    any other intervention makes a protest with intervention)."""
    low = " ".join(s.text.lower() for s in sentences)
    if any(w in low for w in RIOT_WORDS):
        return "Violent demonstration"
    killed = any(_victim_classes(s) & {"protesters", "civilians"} and any(
        KIND_OF_WORD.get(t.lower_) == "killed" for t in s) for s in sentences)
    if killed or any(w in low for w in LETHAL):
        return "Excessive force against protesters"
    if any(w in low for w in INTERVENE_NOUNS):
        return "Protest with intervention"
    for s in sentences:
        for tok in s:
            if tok.lower_ not in INTERVENE_VERBS:
                continue
            subj = _subject(tok)
            agent = _agent(tok)
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
            by_forces = (subj is not None and _is_forces(subj) and not passive) or (agent is not None and _is_forces(agent))
            on_crowd = passive and any(_is_crowd(c) or _person_class(c) & {"protesters"} for c in tok.children
                                       if c.dep_ == "nsubjpass")
            if by_forces or on_crowd:
                return "Protest with intervention"
    return "Peaceful protest"


def _is_forces(tok) -> bool:
    from .actors import GUNMEN, INSURGENTS, MILITARY, POLICE
    words = {t.lower_ for t in tok.subtree} if tok is not None else set()
    return bool(words & (MILITARY | POLICE | INSURGENTS | GUNMEN) - {"group", "state"})


STRIKE_CUES = {"climate", "general", "hunger", "labour", "labor", "workers", "worker", "nationwide", "national",
               "indefinite", "warning", "transport", "teachers", "doctors", "nurses", "drivers", "union", "unions",
               "sit-down", "solidarity", "day-long", "one-day", "two-day", "three-day", "24-hour", "48-hour"}


def _labour_strike(tok) -> bool:
    """'a general strike', 'workers went on strike', 'teachers staged a strike': a protest, not a missile."""
    doc = tok.doc
    left = [t.lower_ for t in doc[max(tok.sent.start, tok.i - 3): tok.i]]
    if "on" in left[-1:] or set(left) & STRIKE_CUES or _after_light_verb(tok):
        return True
    subj = _subject(_clause_head(tok))
    return subj is not None and _is_crowd(subj)


def _verbal(tok) -> bool:
    """A verb by its tag, or, in ALL-CAPS text where taggers call every word a proper noun,
    by its inflection ("KIDNAPPED", "ATTACKING")."""
    if tok.pos_ == "VERB" or tok.tag_.startswith("VB"):
        return True
    return tok.is_upper and len(tok) > 3 and tok.pos_ in ("PROPN", "NOUN", "ADJ") and \
        tok.lower_.endswith(("ed", "ing")) and tok.lower_ in _VERB_LOOKUP


def _is_month(tok) -> bool:
    """'March' / 'MAY' next to a day or a year is the month, in any letter case."""
    if tok.lower_ not in MONTH_WORDS:
        return False
    doc = tok.doc
    near = [doc[j] for j in (tok.i - 1, tok.i + 1, tok.i + 2) if 0 <= j < len(doc)]
    if any(t.like_num or t.lower_ in ("of", "early", "late", "mid", "since", "until", "in", "last", "next", "this")
           for t in near[:2]):
        return True
    return tok.text[:1].isupper() and not tok.text.isupper() and tok.i > tok.sent.start and \
        doc[tok.i - 1].lower_ not in ("a", "the", "their", "his", "her", "its", "our")


def _after_light_verb(tok) -> bool:
    """'staged a protest', 'held a sit-in', 'took out a protest rally' (the noun may be misparsed)."""
    doc = tok.doc
    for j in range(tok.i - 1, max(tok.sent.start, tok.i - 5) - 1, -1):
        t = doc[j]
        if t.lower_ in LIGHT_VERBS:
            return True
        if t.pos_ in ("VERB", "AUX") or t.is_punct:
            return False
    return False


def _clause_head(tok):
    """The verb a noun trigger hangs from ("claimed the conquest" -> claimed)."""
    t = tok
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i and t.dep_ not in ("ROOT",):
        t = t.head
    return t


def _negated(tok) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("never",) for c in tok.children)


def _subject(tok):
    for c in tok.children:
        if c.dep_ in ("nsubj", "csubj"):
            return c
    if tok.dep_ in ("xcomp", "advcl", "conj", "ccomp") and tok.head.i != tok.i:
        if tok.dep_ == "conj" or tok.dep_ == "xcomp":
            return _subject(tok.head)
    if tok.dep_ == "relcl":
        return tok.head
    if _participial(tok):
        return _subject(tok.head)  # "..., completing the takeover": the main clause's subject
    if tok.dep_ == "acl" and tok.tag_ == "VBG":
        if tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head  # "a video of soldiers fixing a flag": the noun does it
        return _subject(tok.head) if tok.head.pos_ in ("VERB", "AUX") else None
    return None


def _participial(tok) -> bool:
    """'..., completing its capture of X' / 'ending ...': an -ing clause with no subject or
    conjunction of its own, which tells more of the main clause's event."""
    return tok.dep_ == "advcl" and tok.tag_ == "VBG" and not any(
        c.dep_ in ("mark", "nsubj", "nsubjpass") for c in tok.children) and tok.head.pos_ in ("VERB", "AUX")


def _agent(tok):
    for c in tok.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    if tok.dep_ in ("nsubjpass",):
        return None
    return None


def _object(tok):
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr", "dative"):
            if c.lower_ in ("control",):
                inner = _prep_object(c, ("of", "over"))
                return inner or c
            return c
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _prep_object(tok, preps):
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _has_left(tok, words) -> bool:
    return any(t.lower_ in words for t in tok.doc[max(tok.i - 3, tok.sent.start): tok.i])


def _phrase(tok) -> str:
    if tok is None:
        return ""
    toks = [t for t in tok.subtree if t.dep_ not in ("relcl", "acl", "appos", "punct", "cc", "conj")
            and not any(a.dep_ in ("relcl", "acl", "appos", "conj") for a in t.ancestors if a in tok.subtree and a.i != tok.i)]
    return " ".join(t.text for t in toks) or tok.text


def _antecedent(pron):
    """The nearest earlier noun phrase that names an actor (a crude coreference)."""
    doc = pron.doc
    start = max(0, pron.sent.start - 60)
    for t in reversed(doc[start:pron.i]):
        if t.pos_ in ("PROPN", "NOUN") and t.dep_ in ("nsubj", "nsubjpass") and t.i != pron.i:
            return t
    return None


def _poss_actor(tok, ctx, military):
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "amod"):
            name = act.normalise(_phrase(c), ctx, military_default=military)
            if name:
                return name
    return None


def _is_place_tok(tok, sent_mentions) -> bool:
    if tok is None:
        return False
    if tok.lower_ in PLACE_NOUNS:
        return True
    return any(m.start <= tok.idx < m.end for m in sent_mentions)


def _fall_taker(tok):
    """'X fell to the Taliban' / 'X fell under Taliban control'."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("to", "under", "into"):
            for g in c.children:
                if g.dep_ == "pobj":
                    if g.lower_ in ("control", "hands"):
                        owner = next((x for x in g.children if x.dep_ in ("compound", "poss", "amod")), None)
                        if owner is None:
                            owner = _prep_object(g, ("of",))
                        return owner
                    return g
    return None


def _troop_noun(tok):
    for t in tok.subtree:
        if t.lower_ in TROOP_WORDS and t.i != tok.i:
            return t
    for t in tok.sent:
        if t.lower_ in TROOP_WORDS and abs(t.i - tok.i) <= 6:
            return t
    return None


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


PROXY_WORDS = {"backed", "supported", "sponsored", "funded", "allied", "aligned"}


def _is_proxy(tok) -> bool:
    """'US-backed forces', 'fighters backed by Iran', 'Turkish-backed rebels'."""
    for c in tok.children:
        if c.dep_ in ("amod", "acl", "compound") and (c.lower_ in PROXY_WORDS or c.lower_.endswith(
                tuple("-" + w for w in PROXY_WORDS))):
            return True
    return bool(act.PROXY.search(tok.doc[tok.left_edge.i: tok.i + 1].text))


def _state_not_event(tok) -> bool:
    """A territory noun naming a state of affairs: 'eight months of occupation', 'ending the occupation',
    'under occupation', 'during the occupation'."""
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in ("of", "under", "during", "throughout") and (
            head.lower_ != "of" or head.head.lower_ in ("months", "years", "weeks", "days", "decades", "end")):
        return True
    return tok.dep_ == "dobj" and head.lower_ in ("end", "ending", "ended", "ends")


def _background(tok, clause) -> bool:
    """A territory event told as background: in the past perfect outside reported speech, in a
    relative clause, or with 'since' / 'ago' / 'earlier' and no date of its own; a noun that dates
    another event ('after the town's fall')."""
    if tok.dep_ == "pobj" and tok.head.lower_ in ("after", "since", "before", "following", "until"):
        return True
    verb = tok if tok.pos_ in ("VERB", "AUX") else clause
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    reported = any(a.lower_ in SAY_VERBS or a.lower_ in CLAIM_VERBS or a.lower_ in CONFIRM_VERBS
                   or a.lower_ in DENY_VERBS for a in verb.ancestors)
    words = {c.lower_ for c in verb.children if c.dep_ in ("advmod", "mark", "prep", "npadvmod")}
    if words & BACKGROUND_WORDS:
        return True
    if "had" in aux and not reported:
        return True
    if verb.dep_ == "relcl" and "had" in aux:
        return True
    # "... had held out for weeks after the rest of the city was overrun"
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("after", "since", "before", "once", "when")
                                    for c in verb.children):
        return "had" in {c.lower_ for c in verb.head.children if c.dep_ == "aux"}
    return False


def _conditional(tok, sent) -> bool:
    """'If confirmed, it would be the first city to fall': a hypothetical under would/could."""
    if not any(t.dep_ == "mark" and t.lower_ in ("if", "unless") for t in sent):
        return False
    for a in [tok, *tok.ancestors]:
        if any(c.dep_ == "aux" and c.lower_ in HEDGE for c in a.children):
            return True
    return False


def _not_where(m, doc) -> bool:
    """A mention that names who acted ('Moscow said', 'Moscow's forces') or a reference point
    ('north-west of Kyiv', 'off the coast of X'): not where an event took place."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    t = span.root
    if t.dep_ == "poss":
        return True
    if t.dep_ == "nsubj" and t.head.lower_ not in BE_FORMS and (
            t.head.lower_ in SAY_VERBS or any(c.dep_ in ("dobj", "ccomp", "xcomp", "dative") for c in t.head.children)):
        return True  # "Moscow was not obstructing the talks", "Kyiv said": who acts, not where
    return _ref_point(m, doc)


def _ref_point(m, doc) -> bool:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    t = span.root
    while t.dep_ == "compound" and t.head.lower_ in PLACE_NOUNS | {"oblast", "governorate", "state", "county"}:
        t = t.head  # "off the coast of Odesa region"
    return t.dep_ == "pobj" and t.head.lower_ in ("of", "from") and t.head.head.lower_ in DIRECTION_WORDS


def _modifier(m, doc) -> bool:
    """'the Zaporizhzhia nuclear plant': a place naming another thing, not the place itself."""
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in ("compound", "amod", "nmod") and span.root.head.pos_ == "NOUN"


DESTINATION_PREPS = {"across", "to", "towards", "toward", "into", "behind", "beyond", "over", "onto"}


def _pick_place(tok, obj, sent, mentions, category):
    if not mentions:
        return None, False
    doc = sent.doc
    mentions = [m for m in mentions if not (m.place.is_country is False and _ref_point(m, doc))]
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
        return best, True
    countries = [m for m in mentions if m.place.is_country]
    if category in ("deploy", "request", "offer", "reject"):
        countries = [m for m in countries if m.start in starts]
    # a country named as an actor ("Afghanistan has offered") is not where it happened
    countries = [m for m in countries if not _mention_is_subject(m, sent) and _locative(m, sent)]
    if countries:
        return min(countries, key=lambda m: abs(m.start - tok.idx)), True
    return None, False


def _clause_tokens(head, keep=()) -> list:
    """The clause of ``head``: its subtree less conjoined, relative and subordinate clauses."""
    out, stack = [], [head]
    while stack:
        t = stack.pop()
        out.append(t)
        for child in t.children:
            if child.dep_ in ("conj", "relcl", "advcl", "ccomp", "parataxis", "acl") and child.pos_ in ("VERB", "AUX") \
                    and child.dep_ not in keep:
                continue
            stack.append(child)
    return out


LOCATIVE = {"in", "into", "to", "at", "near", "across", "inside", "throughout", "from", "within", "around",
            "outside", "towards", "toward", "over", "on"}


def _locative(m, sent) -> bool:
    """'in Afghanistan', 'to Afghanistan': a country named as where, not as who."""
    doc = sent.doc
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    prev = doc[span.start - 1]
    if prev.lower_ == "the" and span.start > 1:
        prev = doc[span.start - 2]
    return prev.lower_ in LOCATIVE


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


DURATION = re.compile(r"^(?:for\s+)?(?:nearly|about|almost|around|some|more than|over|at least|up to|the)?\s*"
                      r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|"
                      r"a few|few|many)?\s*(?:\w+-)?(?:hours?|days?|weeks?|months?|years?|decades?)(?:-long)?$", re.I)


def _date_for(tok, sent, published):
    best, best_dist = None, None
    chain = [tok]
    t = tok
    while t.head.i != t.i and (t.dep_ not in ("relcl", "advcl", "acl", "appos", "parataxis") or _participial(t)) and not (
            t.dep_ == "conj" and not (t.pos_ in ("VERB", "AUX") and t.head.pos_ in ("VERB", "AUX"))):
        t = t.head  # "In 2003 militias attacked X and burned Y": coordinated verbs share the date
        chain.append(t)
    own = set(chain)
    level_of = {t.i: k for k, t in enumerate(chain)}
    for ent in sent.ents:
        if ent.label_ not in ("DATE", "TIME", "EVENT"):
            continue
        if not _attached_to(ent.root, own, tok):
            continue
        if DURATION.match(ent.text.strip()):
            continue  # "a siege of nearly three months", "for weeks": how long, not when
        when = resolve(ent.text, published)
        if when is None:
            continue
        # the date on the nearest verb of the chain wins: "attacked X in 2003 ..., survivors recalled this week"
        level = next((level_of[a.i] for a in [ent.root, *ent.root.ancestors] if a.i in level_of), len(chain))
        dist = abs(ent.start - tok.i) + 1000 * level
        in_subtree = ent.root in set(tok.subtree) or ent.root.head.i == tok.i
        if in_subtree:
            dist -= 100
        if best is None or dist < best_dist:
            best, best_dist = when, dist
    if best is None:
        # "At dawn this Friday" is not always a DATE entity: look at the clause text itself
        top = max(own, key=lambda t: len(list(t.subtree)))
        clause = top.doc[top.left_edge.i: top.right_edge.i + 1]
        m = re.search(r"\b(yesterday|last night|today|tonight|this (?:morning|evening|afternoon)|overnight|"
                      r"(?:on|this|last)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b",
                      clause.text, re.I)
        if m:
            best = resolve(m[0], published)
    return best


def _attached_to(root, own, tok) -> bool:
    """Whether a date belongs to the trigger's clause, not to a relative clause beside it."""
    if root in set(tok.subtree):
        return True
    t = root
    while t.head.i != t.i:
        if t.dep_ in ("relcl", "acl", "advcl", "ccomp", "appos") and t.head not in own:
            return False
        t = t.head
        if t in own:
            return True
    return t in own


def _first_actor_before(tok, sent, ctx, military):
    """When the parse gives no subject: the first named actor before the trigger."""
    for ent in sent.ents:
        if ent.start >= tok.i:
            break
        if ent.label_ in ("ORG", "GPE", "NORP"):
            name = act.normalise(ent.text, ctx, military_default=military)
            if name:
                return name
    return None


def _counts(sent, category) -> dict:
    out: dict[str, int] = {}
    groups: dict[str, dict[int, dict[int, int]]] = {}
    for tok in sent:
        if not (tok.like_num or tok.lower_ in ("dozens", "hundreds", "thousands", "scores", "dozen")):
            continue
        if tok.ent_type_ in ("DATE", "TIME", "PERCENT", "MONEY", "ORDINAL"):
            continue
        if tok.dep_ == "compound" or (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].like_num):
            continue  # part of "three thousand": handled at the last word
        first = tok
        while first.i > sent.start and (tok.doc[first.i - 1].like_num or tok.doc[first.i - 1].lower_ in ("and",)) \
                and tok.doc[first.i - 1].ent_type_ == tok.ent_type_:
            first = tok.doc[first.i - 1]
        number_text = tok.doc[first.i: tok.i + 1].text
        prefix = tok.doc[max(sent.start, first.i - 4): first.i].text + " "
        amt = amount(number_text, prefix)
        if amt is None:
            continue
        noun = tok.head if tok.dep_ in ("nummod", "quantmod", "amod") else tok
        if tok.lower_ in ("dozens", "hundreds", "thousands", "scores"):
            noun = _prep_object(tok, ("of",)) or tok
        _add_count(groups, noun, _kind_of(noun, tok, category), amt.value)
    for noun, value in _implicit_counts(sent):
        if noun.i not in {i for by_root in groups.values() for parts in by_root.values() for i in parts}:
            _add_count(groups, noun, _kind_of(noun, noun, category), value)
    for kind, by_root in groups.items():
        out[kind] = max(sum(parts.values()) for parts in by_root.values())
    return out


def _add_count(groups, noun, kind, value) -> None:
    if not kind:
        return
    root = noun
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head  # "1 policeman and 1 civilian were killed": one toll of 2
    groups.setdefault(kind, {}).setdefault(root.i, {})[noun.i] = value


VAGUE_DETERMINERS = {"several": 3, "multiple": 2, "numerous": 3, "few": 3, "some": 2, "two-dozen": 24}
PERSON_NOUNS = {"leader", "facilitator", "commander", "insurgent", "militant", "suspect", "man", "woman", "boy",
                "girl", "child", "individual", "person", "civilian", "soldier", "policeman", "officer", "fighter",
                "member", "official", "driver", "resident", "villager", "student", "teacher", "journalist",
                "farmer", "worker", "trader", "guard", "rebel", "gunman", "bomber", "militiaman", "chief", "elder",
                "cleric", "scholar", "doctor", "judge", "lawyer", "activist", "protester", "demonstrator",
                "emir", "operative", "financier", "smuggler", "maker", "expert", "associate", "courier",
                "terrorist", "subversive", "guerrilla", "extremist", "attacker", "assailant", "kidnapper",
                "policewoman", "mayor", "governor", "councillor", "councilor", "businessman", "employee",
                "nurse", "passenger", "pilot", "sergeant", "captain", "lieutenant", "colonel", "general",
                "major", "priest", "imam", "contractor", "engineer"}


def _implicit_counts(sent):
    """Counts the text gives without digits: "detained several suspects" (3, ACLED's reading of
    'several'), "killed a Taliban leader" / "a soldier was wounded" (1)."""
    for tok in sent:
        kind = KIND_OF_WORD.get(tok.lower_)
        if kind is None or tok.pos_ not in ("VERB", "AUX", "ADJ") and not tok.tag_.startswith("VB"):
            continue
        for noun in [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")]:
            for n in [noun] + [c for c in noun.children if c.dep_ == "conj"]:
                if any(c.like_num or c.lower_ in ("dozens", "hundreds", "thousands", "scores")
                       for c in n.children) or n.like_num:
                    continue  # a number: counted by the caller
                dets = {c.lower_ for c in n.children if c.dep_ in ("det", "amod", "nummod", "quantmod", "poss")}
                vague = next((VAGUE_DETERMINERS[w] for w in dets if w in VAGUE_DETERMINERS), None)
                if vague and n.tag_ in ("NNS", "NNPS"):
                    yield n, vague
                elif n.tag_ in ("NN", "NNP") and (n.lower_ in PERSON_NOUNS or n.ent_type_ == "PERSON") and \
                        dets & {"a", "an", "one", "the", "another", "his", "her", "their", "its"}:
                    yield n, 1


FORCE_WORDS = {"personnel", "policeman", "policemen", "officer", "officers", "guard", "guards", "militiamen",
               "militiaman", "commander", "commanders", "combatants", "fighter", "fighters", "troops",
               "gendarme", "gendarmes", "sniper", "recruits", "cadets", "members", "member"}
HARM_KINDS = ("killed", "injured", "abducted")


def _victim_classes(sent) -> set[str]:
    """Who was killed, wounded or seized in the sentence: 'forces', 'civilians' and/or 'protesters'.

    ACLED's line between an armed clash and an attack on civilians is who the victims are."""
    out: set[str] = set()
    for tok in sent:
        kind = KIND_OF_WORD.get(tok.lower_)
        if kind not in HARM_KINDS:
            continue
        nouns = [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")]
        if tok.dep_ in ("amod", "acl") and tok.head.pos_ in ("NOUN", "PROPN"):
            nouns.append(tok.head)  # "two wounded soldiers", "civilians killed in ..."
        more = []
        for n in nouns:
            more += [c for c in n.children if c.dep_ == "conj"]
        for n in nouns + more:
            out |= _person_class(n)
    return out


def _person_class(noun) -> set[str]:
    from .actors import CIVILIANS, GUNMEN, INSURGENTS, MILITARY, POLICE, PROTESTERS
    head = _crowd_head(noun)
    words = {head.lower_} | {c.lower_ for c in head.children if c.dep_ in ("compound", "amod", "nmod")}
    if head.lower_ in ("who", "that", "which", "one", "others", "other", "people", "persons") and head.head.pos_ in ("NOUN", "PROPN"):
        words.add(head.head.lower_)
    if words & PROTESTERS:
        return {"protesters"}
    if words & (MILITARY | POLICE | INSURGENTS | GUNMEN | FORCE_WORDS) or head.ent_type_ in ("ORG", "NORP") and \
            act.group_name(head.text):
        if "civilian" not in words:
            return {"forces"}
    if words & (CIVILIANS | CROWD_WORDS) or head.lower_ in ("civilian", "person", "resident", "villager", "student"):
        return {"civilians"}
    return set()


WEAPON_NOUNS = {"missile", "missiles", "drone", "drones", "rocket", "rockets", "shell", "shells", "bomb", "bombs",
                "aircraft", "plane", "planes", "jet", "jets", "helicopter", "helicopters", "tank", "tanks",
                "vehicle", "vehicles", "warplane", "warplanes", "projectile", "projectiles", "mortar", "mortars",
                "munitions", "uavs", "uav", "weapons", "guns", "boats", "ships", "warships"}


def _kind_of(noun, num, category) -> str | None:
    """What a number counts: from its noun and the verb governing it. Weapons and vehicles are not
    people: '43 of the missiles were shot down' counts no one killed."""
    counted = _prep_object(noun, ("of",)) if noun.like_num else None
    if noun.lower_ in WEAPON_NOUNS or (counted is not None and counted.lower_ in WEAPON_NOUNS):
        return None
    words = [noun.lower_] + [c.lower_ for c in noun.children] + [noun.head.lower_]
    verb = noun.head
    hops = 0
    while verb.pos_ not in ("VERB",) and verb.head.i != verb.i and hops < 3:
        verb = verb.head
        hops += 1
    if any(c.lower_ == "down" and c.dep_ in ("prt", "advmod") for c in verb.children):
        return None  # "shot down": aircraft and missiles, not people
    words.append(verb.lower_)
    words += [c.lower_ for c in verb.children if c.dep_ in ("acomp", "oprd", "advmod")]
    for w in words:
        if w in KIND_OF_WORD:
            kind = KIND_OF_WORD[w]
            if kind == "captured" and noun.lower_ not in TROOP_WORDS | PERSON_NOUNS | {
                    "people", "prisoners", "militants", "fighters", "insurgents", "suspects", "leaders",
                    "commanders", "facilitators", "members", "individuals", "men"}:
                continue
            return kind
    if noun.lower_ in TROOP_WORDS and category in ("deploy", "withdraw"):
        return "troops"
    if noun.lower_ in TROOP_WORDS and any(w in ("deployed", "sent", "dispatch", "deployment", "send") for w in words):
        return "troops"
    return None


def _sub_type(d: _Draft, tok, sent) -> str | None:
    c = d.category
    low = sent.text.lower()
    state = d.actor1 or ""
    is_state = state.startswith(("Military Forces", "Police Forces", "Government"))
    if c == "capture":
        if is_state:
            return "Government regains territory"  # refined in _finish once the place is known
        return "Non-state actor overtakes territory"
    if c == "recapture":
        return "Government regains territory" if is_state or not state else "Non-state actor overtakes territory"
    if c == "withdraw":
        if _prep_object(tok, ("from",)) is not None and d.place is not None and not d.place.place.is_country:
            return "Non-violent transfer of territory"
        return None
    protest_context = bool(re.search(r"\b(protest|demonstrat|rally|rallies|marchers|sit-in)", low))
    if c in ("clash", "attack", "kill") and d.crowd_actor:
        # ACLED: a crowd's violence is a riot, in a demonstration or not (mob violence)
        return "Violent demonstration" if protest_context else "Mob violence"
    if c in ("clash",):
        if protest_context:
            return "Violent demonstration"
        return "Armed clash"
    if c in ("attack", "kill"):
        victims = (d.actor2 or "")
        hit = _victim_classes(sent)
        if (hit & {"protesters"} or victims.startswith("Protesters")) and not hit & {"forces"}:
            return "Excessive force against protesters"
        if hit & {"forces"} or victims.startswith(("Military", "Police")):
            pass  # fighters on both sides: a clash unless a weapon says otherwise (below)
        elif victims.startswith("Civilians") or hit & {"civilians"} or ("civilian" in low and not hit):
            return "Attack"
        if any(w in low for w in ("suicide bomb", "suicide attack")):
            return "Suicide bomb"
        if any(w in low for w in ("airstrike", "air strike", "drone", "warplane", "jets")):
            return "Air/drone strike"
        if any(w in low for w in ("shell", "artillery", "missile", "rocket", "mortar")):
            return "Shelling/artillery/missile attack"
        if any(w in low for w in ("roadside bomb", "ied", "landmine", "explosive device", "car bomb")):
            return "Remote explosive/landmine/IED"
        if victims.startswith(("Military", "Police")) or d.actor2 or hit & {"forces"}:
            return "Armed clash"
        if d.counts.get("killed") and not victims:
            return "Attack"
        return "Armed clash" if c == "attack" else "Attack"
    direct = {"airstrike": "Air/drone strike", "shelling": "Shelling/artillery/missile attack",
              "ied": "Remote explosive/landmine/IED", "suicide": "Suicide bomb", "grenade": "Grenade",
              "chemical": "Chemical weapon", "abduct": "Abduction/forced disappearance",
              "sexual": "Sexual violence", "arrest": "Arrests", "defuse": "Disrupted weapons use",
              "destroy": "Looting/property destruction"}
    if c in direct:
        return direct[c]
    if c == "protest":
        return _protest_kind([sent])
    if c == "riot":
        return "Mob violence" if "mob" in low or "lynch" in low else "Violent demonstration"
    if c == "agreement":
        return "Agreement" if d.status == "happened" and any(
            w in low for w in ("signed", "agreed", "reached", "struck", "brokered", "concluded")) else None
    if c == "release":
        return "Other" if d.counts.get("released") else None
    if c == "base":
        return "Headquarters or base established" if tok.lower_ in ("base", "headquarters", "outpost") or any(
            w in low for w in (" base", "headquarters", "outpost")) else None
    return None




FOLDABLE = {"withdraw", "release"}
# When one sentence reports several violent triggers at one place, it is one event:
# the most specific type wins ("a missile struck ..., killing 50" is shelling, not also an attack).
VIOLENT_PRIORITY = ["Non-state actor overtakes territory", "Government regains territory",
                    "Non-violent transfer of territory", "Chemical weapon", "Suicide bomb", "Air/drone strike",
                    "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
                    "Excessive force against protesters", "Sexual violence", "Abduction/forced disappearance",
                    "Attack", "Armed clash", "Looting/property destruction"]
LEAD_STEP, LEAD_SPAN = 0.02, 5  # confidence lost per later reporting sentence, up to 5 sentences
TERRITORIAL = {"capture", "recapture", "withdraw"}
TAKEN = {"capture", "recapture"}  # a change of control needs a place of its own (or one "the town" points back to)
# "announced the capture of X" reports a done event; "announced the deployment / withdrawal" a plan
DONE_WHEN_ANNOUNCED = {"capture", "recapture", "clash", "attack", "kill", "airstrike", "shelling", "ied",
                       "suicide", "grenade", "chemical", "abduct", "arrest", "destroy", "release"}
POLITICAL = {"deploy", "request", "offer", "reject", "threaten", "talks", "sanction", "accuse", "aid"}


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    """Reports of one event in one article become one event; a retreat at a place that
    changed hands that day is part of the capture."""
    out: list[_Draft] = []
    for d in drafts:
        twin = None
        same_sentence = [o for o in out if o.sent_index == d.sent_index]
        for o in same_sentence + [o for o in out if o.sent_index != d.sent_index]:
            if _same_event(o, d):
                twin = o
                break
        if twin is None:
            out.append(d)
            continue
        if d.category in FOLDABLE and twin.category not in FOLDABLE or twin.category in FOLDABLE and d.category not in FOLDABLE:
            if twin.category in FOLDABLE:  # keep the territory event as the twin
                out[out.index(twin)] = d
                d, twin = twin, d
            if d.category == "withdraw" and twin.claim in ("reported", "claimed") and d.claim == "reported":
                # the losing side's own retreat at that place acknowledges the loss
                twin.claim = "confirmed"
                twin.notes.append("the losing side withdrew")
        if _one_violent(twin, d):
            rank = VIOLENT_PRIORITY.index
            if rank(d.sub_event_type) < rank(twin.sub_event_type):
                twin.sub_event_type, twin.plover, twin.category = d.sub_event_type, d.plover, d.category
                twin.actor1 = d.actor1 or twin.actor1
            twin.actor2 = twin.actor2 or d.actor2
        twin.evidence.extend(e for e in d.evidence if e not in twin.evidence)
        for k, v in d.counts.items():
            twin.counts[k] = max(twin.counts.get(k, 0), v)
        if twin.place is None or (d.place_direct and not twin.place_direct) or (
                d.place is not None and twin.place.place.is_country and not d.place.place.is_country):
            twin.place, twin.place_direct = d.place or twin.place, d.place_direct or twin.place_direct
        if twin.when is None or (d.when is not None and d.when.precision < twin.when.precision):
            twin.when = d.when
        if d.category not in FOLDABLE:
            twin.actor1 = twin.actor1 or d.actor1
            twin.actor2 = twin.actor2 or d.actor2
        if d.claim == "confirmed" or (twin.claim == "reported" and d.claim != "reported"):
            twin.claim = d.claim if twin.claim != "claimed" or d.claim == "confirmed" else twin.claim
            twin.claimed_by = twin.claimed_by or d.claimed_by
        twin.confidence = min(0.95, max(twin.confidence, d.confidence) + 0.05)
    return out


def _one_violent(a: _Draft, b: _Draft) -> bool:
    if a.sent_index != b.sent_index or a.status != b.status:
        return False
    if a.sub_event_type not in VIOLENT_PRIORITY or b.sub_event_type not in VIOLENT_PRIORITY:
        return False
    pa = a.place.place.geonameid if a.place else None
    pb = b.place.place.geonameid if b.place else None
    return pa == pb or pa is None or pb is None


def _same_event(a: _Draft, b: _Draft) -> bool:
    if _one_violent(a, b):
        return True
    kind_a = a.sub_event_type or a.plover
    kind_b = b.sub_event_type or b.plover
    territorial = {"capture", "recapture", "fall"}
    retreat_fold = (a.category in territorial and b.category in FOLDABLE) or (
        b.category in territorial and a.category in FOLDABLE)
    if kind_a != kind_b and not retreat_fold:
        if not (a.sub_event_type in TERRITORY_TYPES and b.sub_event_type in TERRITORY_TYPES):
            return False
    if a.status != b.status:
        return False
    pa = a.place.place if a.place else None
    pb = b.place.place if b.place else None
    if pa and pb and pa.geonameid != pb.geonameid:
        if not (pa.is_country and pb.country_code == pa.country_code) and not (
                pb.is_country and pa.country_code == pb.country_code):
            return False
    if retreat_fold and (pa is None or pb is None):
        return False
    if a.actor1 and b.actor1 and a.actor1 != b.actor1 and not retreat_fold:
        return False
    if a.when and b.when and a.when.date != b.when.date and a.when.precision == 1 and b.when.precision == 1:
        return False
    if kind_a is None and kind_b is None and not retreat_fold:
        return False
    if (pa is None or pb is None) and not (a.actor1 and a.actor1 == b.actor1):
        return False
    return True
