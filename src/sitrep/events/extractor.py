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
import hashlib
import re
from dataclasses import replace

from .. import actors as act
from ..model import Article, Event, PlaceMention, Span
from ..nlp import sentence_ents
from ..statistics import extract_statistics
from ..taxonomy import (
    ACLED_SUB_TYPES,
    AREA_UNITS,
    MULTIWORD,
    PHRASAL,
    PLACE_NOUNS,
    PLOVER_OF_CATEGORY,
    PLOVER_OF_SUB,
    TRIGGER_INDEX,
)
from .clauses import (
    GENERIC_GROUND,
    _background,
    _bare_infinitive,
    _by_weapon,
    _conditional,
    _date_for,
    _governing_verb,
    _hypothetical_noun,
    _is_person,
    _passive_subject,
    _since_clause,
    _state_not_event,
)
from .counts import _counts, _kind_of
from . import gate
from .draft import _Draft
from .kinds import _is_crowd, _is_forces, _labour_strike, _protest_kind, _sub_type
from .lexicon import (
    CIVILIAN_VICTIMS,
    _NOUN_LOOKUP,
    _VERB_LOOKUP,
    AGREEMENT_NOUNS,
    ARTILLERY_NOUNS,
    ATTEMPT_VERBS,
    CHROME,
    CLAIM_VERBS,
    CONFIRM_VERBS,
    CONTROL_VERBS,
    DEMAND_VERBS,
    DENY_VERBS,
    DONE_WHEN_ANNOUNCED,
    EVENT_NOUNS,
    FIRE_VERBS,
    FLAG_PREPS,
    FLAG_WORDS,
    FUTURE,
    HAPPEN_VERBS,
    HEDGE,
    LEAD_SPAN,
    LEAD_STEP,
    LIGHT_VERBS,
    MONITOR_VERBS,
    NEG_BEFORE,
    PLAN_VERBS,
    POLITICAL,
    PROXY_WORDS,
    REGION_NOUNS,
    RELEASED_THINGS,
    REPORT_VERBS,
    RESPONSIBILITY,
    SAY_VERBS,
    STATE_VOICES,
    TAKEN,
    TERMINAL,
    TERRITORIAL,
    THREAT_VERBS,
    TROOP_WORDS,
    WRAP_WIDTH,
)
from .merging import _merge
from .syntax import (
    _after_light_verb,
    _agent,
    _antecedent,
    _clause_head,
    _has_left,
    _is_month,
    _negated,
    _object,
    _phrase,
    _prep_object,
    _subject,
    _verbal,
)
from .where import (
    _is_place_tok,
    _nearest_place,
    _not_where,
    _pick_place,
    _source_place,
)

BACK_DETERMINERS = {"the", "this", "that", "these", "those", "such"}
CHARACTERISE = {"call", "called", "calls", "calling", "describe", "described", "describes", "label", "labelled",
                "labeled", "term", "termed", "brand", "branded", "dub", "dubbed", "denounce", "denounced"}


def _refers_back(tok, sent) -> bool:
    """A definite event noun with nothing of its own (no date, place, actor or count in its
    phrase) names an event the article has already told."""
    kids = list(tok.children)
    definite = any(c.lower_ in BACK_DETERMINERS and c.dep_ == "det" for c in kids) or any(
        c.dep_ == "poss" and (c.ent_type_ in ("DATE", "TIME") or c.lower_ in ("its", "their")) for c in kids)
    if not definite:
        return False
    own = [t for t in tok.subtree if t.i != tok.i]
    return not any(t.ent_type_ in ("GPE", "LOC", "FAC", "NORP", "ORG", "CARDINAL") or t.dep_ == "nummod" or
                   t.lower_ in PLACE_NOUNS or (t.dep_ == "prep" and t.lower_ in ("on", "in", "at", "by", "near"))
                   for t in own)



class EventExtractor:
    """Finds events in one parsed article. ``geo`` is the Gazetteer (country names, demonyms)."""

    def __init__(self, geo, detector=None, typer=None):
        from ..classify import get_step

        self.geo = geo
        self.detector = detector or get_step("detect")
        self.typer = typer or get_step("type")
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
        self._named_speakers = None  # found when a claim first needs them (see _last_named_speaker)
        drafts: list[_Draft] = []
        self._control_confirmed: set[str] = set()
        stats = []
        last_place_in_para: dict[int, PlaceMention] = {}
        last_region_in_para: dict[int, PlaceMention] = {}
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
                        # "the region" -> the paragraph's last region; else where its last event was
                        # ("missiles hit port infrastructure" after "missiles struck the port of Odesa")
                        prior = next((o.place for o in reversed(drafts) if o.para == para and o.place is not None
                                      and not o.place.place.is_country and ACLED_SUB_TYPES.get(o.sub_event_type or "")
                                      == ACLED_SUB_TYPES.get(d.sub_event_type or "")), None)
                        d.place = last_region_in_para[para] if d.ref_noun in REGION_NOUNS and \
                            para in last_region_in_para else prior or last_place_in_para[para]
                    drafts.append(d)
                    for m in d.more_places:
                        drafts.append(replace(d, place=m, evidence=list(d.evidence), notes=list(d.notes),
                                              counts=dict(d.counts), more_places=[]))
                    d.more_places = []
            cities = [m for m in sent_mentions if m.place and not m.place.is_country and not _not_where(m, doc)]
            if cities:
                # "Lysychansk, the last big city in Luhansk region": a later "the city" is the town,
                # a later "the region" the region
                towns = [m for m in cities if (m.place.feature_code or "").startswith("PPL")]
                last_place_in_para[para] = (towns or cities)[-1]
                regions = [m for m in cities if m.place.is_region]
                if regions:
                    last_region_in_para[para] = regions[-1]
        drafts = gate.apply(drafts, gate.ArticleView(sents, para_starts, published), self.detector, self.typer)
        drafts = _merge(drafts)
        for d in drafts:  # a side's control, confirmed anywhere in the article, confirms its gains
            state = act.state_name(d.actor1)
            if d.category in ("capture", "recapture") and state and d.claim in ("claimed", "reported") and \
                    self._country_code(state) in self._control_confirmed:
                d.claim = "confirmed"
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
        if category == "release" and not is_verb and tok.head.lower_ in DEMAND_VERBS:
            return None  # "gathered to demand his release": asked for, not done
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
        if category == "withdraw" and tok.lower_.startswith("pull") and is_verb and not any(
                c.lower_ in ("out", "back", "away") for c in tok.children):
            return None  # "pulled 30 people from the rubble"
        if category == "withdraw":
            source = _source_place(tok)
            if tok.lower_ in ("leave", "left", "leaves", "leaving"):
                # "troops left X" (a place they held); "leaving the city without power" is no retreat
                if not _is_place_tok(obj, sent_mentions) or subj is None or not _is_forces(subj) or any(
                        t.lower_ in ("without", "behind", "for") or t.dep_ in ("oprd", "acomp", "xcomp", "ccomp")
                        for t in tok.subtree if t.i > obj.i):
                    return None
                source = obj
            if source is None and subj is not None and tok.lower_.startswith("regroup"):
                # "its units in the X area were being regrouped": the place the units are pulled from
                source = next((g for c in subj.children if c.dep_ == "prep" and c.lower_ in ("in", "at", "around")
                               for g in c.subtree if _is_place_tok(g, sent_mentions)), None)
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
        if category == "attack" and tok.lower_.startswith("target") and subj is not None and \
                subj.lower_ in EVENT_NOUNS | set(TRIGGER_INDEX) and any(c.lower_ in BACK_DETERMINERS for c in subj.children):
            return None  # "the strike had targeted a meeting": what an event told already was aimed at
        if category == "destroy" and is_verb and _by_weapon(tok):
            return None  # "the missiles hit an office and set fire to cars": damage done by a strike told as one
        if category == "grenade" and tok.i > 0 and tok.doc[tok.i - 1].lower_ in ("stun", "flash", "smoke", "sound"):
            return None  # crowd control, told with the protest it broke up
        if category == "agreement" and tok.lower_.startswith("sign") and (
                obj is None or obj.lower_ not in AGREEMENT_NOUNS):
            return None  # "signed open letters", "signed a decree": no agreement between sides
        if category in ("accuse", "reject") and obj is not None and self._events_before and (
                obj.lower_ in EVENT_NOUNS or obj.lower_ in TRIGGER_INDEX) and _refers_back(obj, sent):
            return None  # "condemned the attack", "dismissed the reports": a reaction to what was told
        if category == "base" and (obj is None or obj.lower_ not in ("base", "headquarters", "outpost", "camp", "bases")):
            return None
        if category == "deploy":
            troops = obj if obj is not None and obj.lower_ in TROOP_WORDS else _troop_noun(tok)
            if troops is None:
                return None
        if category in ("capture", "recapture", "oust", "withdraw") and is_verb and _bare_infinitive(tok):
            return None  # "the battle to retake Raqqa", "need to capture the hospital": an aim, not a change
        if category in ("capture", "recapture") and obj is not None and obj.lower_ in GENERIC_GROUND and \
                not any(c.dep_ in ("compound", "poss") or c.ent_type_ for c in obj.children):
            return None  # "retake territory", "areas retaken by Damascus": no place changes hands by name
        if category in ("capture", "recapture") and tok.dep_ == "acl" and tok.head.lower_ in GENERIC_GROUND:
            return None
        taken = obj if obj is not None else _passive_subject(tok)
        if taken is None and tok.dep_ == "acl":
            taken = tok.head  # "an American woman captured by Kurdish forces"
        if category == "capture" and is_verb and _is_person(taken) and not _is_place_tok(taken, sent_mentions):
            category = "abduct"  # "the mayor, who was seized by Russian troops": a person taken, not a place
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
            if a.lower_ in CONFIRM_VERBS and a.i != tok.i:
                break  # "denied X while acknowledging heavy fighting": the fighting is admitted
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
            if agent is None:  # "the capture of the town of X by militants": the parse may hang "by" lower
                agent = next((g for t in tok.subtree if t.dep_ == "prep" and t.lower_ == "by"
                              for g in t.children if g.dep_ == "pobj"), None)
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
        if category == "withdraw" and place_obj is None and not d.place_direct:
            d.place = None  # "as it retreats into desert hideouts": where it left is not said
        ref = place_obj if place_obj is not None else obj
        # "the town" points back; "the last rebel stronghold" describes a place not yet named
        d.refers_back = ref is not None and ref.lower_ in PLACE_NOUNS and not any(
            c.dep_ == "compound" or c.lower_ in ("last", "final", "remaining", "another", "a", "an")
            for c in ref.children)
        d.ref_noun = ref.lower_ if d.refers_back else None
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
        if category in ("capture", "recapture", "withdraw") and (
                (d.when is None and _background(tok, clause)) or _since_clause(tok, clause)):
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
            if a.lower_ in SAY_VERBS or a.lower_ in CLAIM_VERBS or a.lower_ in DENY_VERBS:
                speaker = _subject(a)
                if speaker is None:
                    return None
                return self._named_country(speaker)
        return None

    def _last_named_speaker(self, speaker) -> str | None:
        """The country of the last speaker before ``speaker`` who named one ("Russia said ...")."""
        if self._named_speakers is None:
            self._named_speakers = [(sp.i, cc) for t in speaker.doc if t.lower_ in SAY_VERBS
                                    for sp in [_subject(t)] if sp is not None
                                    for cc in [self._named_country(sp)] if cc]
        return next((cc for i, cc in reversed(self._named_speakers) if i < speaker.i), None)

    def _foreign(self, actor: str, cc: str | None) -> bool:
        """``actor`` is not of the country ``cc`` (a known country) names."""
        home = self._country_name(cc) if cc else None
        return bool(home) and home not in actor

    def _named_country(self, tok) -> str | None:
        """The state a phrase names ("Russia's defence ministry", "Ukrainian officials"), if any."""
        for t in tok.subtree:
            cc = act.STATE_ABBREVIATIONS.get(t.lower_) or self.geo.demonym(t.text) or (
                self._country_code(t.text) if t.pos_ == "PROPN" else None)
            if cc:
                return cc
        return None

    def _claimed_by_own_side(self, tok, actor: str | None, ctx) -> str | None:
        """'Russia's defence ministry said its forces had taken X': a side reporting its own
        action is only a claim (an interested party). Returns the speaker, or None."""
        state = act.state_name(actor)
        if state is None:
            return None
        for a in list(tok.ancestors)[:4]:
            if a.lower_ in SAY_VERBS:
                speaker = _subject(a)
                if speaker is None or speaker.i == tok.i:
                    return None
                said_by = self._named_country(speaker)
                if said_by is None and any(t.lower_ in STATE_VOICES for t in speaker.subtree):
                    # "..., the defence ministry said" after "Russia said ...": the same side speaking
                    said_by = self._last_named_speaker(speaker)
                if said_by and said_by == self._country_code(state):
                    return act.normalise(_phrase(speaker), ctx, country_hint=said_by) or actor
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
        if tok.dep_ in ("nsubj", "nsubjpass") and any(c.lower_ in ("the", "these", "those") or (
                c.dep_ == "poss" and c.ent_type_ in ("DATE", "TIME")) for c in tok.children) \
                and not (not self._events_before and (tok.head.lower_ in HAPPEN_VERBS or (
                    tok.dep_ == "nsubjpass" and tok.head.lower_ in LIGHT_VERBS))):
            return False  # "The clashes have ..." refers back; "the attack took place at 2100" reports it
        if tok.head.lower_ in CHARACTERISE and (tok.dep_ == "oprd" or any(
                c.dep_ in ("oprd", "xcomp") for c in tok.head.children)):
            return False  # "called the shooting a massacre": a name for an event, not a new one
        if _after_light_verb(tok):
            return True  # "staged a protest", "called a strike": reported as done by someone
        if tok.dep_ == "pobj" and tok.head.lower_ == "under" and tok.lower_ in ("arrest", "siege", "attack", "fire"):
            return False  # "had been under house arrest", "under siege": a state, not an event
        if tok.dep_ == "dobj" and tok.head.lower_ in MONITOR_VERBS:
            return False  # "a group that tracks arrests": what someone counts, not an event
        if tok.lower_ in ARTILLERY_NOUNS and _governing_verb(tok) not in FIRE_VERBS:
            return False  # "the remains of a rocket", "the weapon was a missile"
        if tok.dep_ == "compound":
            return False
        if self._events_before and tok.dep_ in ("dobj", "pobj", "attr") and _refers_back(tok, sent):
            return False  # "condemned the attack", "called the strike a war crime": an event told before
        anchored = any(c.dep_ in ("poss", "compound", "amod", "nummod", "prep") for c in tok.children)
        has_place = any(tok.left_edge.idx <= m.start < tok.head.right_edge.idx + len(tok.head.right_edge) for m in sent_mentions)
        has_date = any(e.label_ in ("DATE", "TIME") for e in sentence_ents(sent))
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
            # "confirmed the capture" refers back; "acknowledging heavy fighting" tells something new
            refers = obj is not None and (obj.lower_ in EVENT_NOUNS or obj.lower_ in TRIGGER_INDEX and any(
                c.dep_ == "poss" or c.lower_ in ("the", "this", "that", "its", "their") for c in obj.children))
            if not refers:
                held = next((c for c in tok.children if c.dep_ == "ccomp" and c.lower_ in CONTROL_VERBS), None)
                holder = _subject(held) if held is not None and low in CONFIRM_VERBS else None
                if holder is not None and self._named_country(holder):
                    # "the mayor said ..., confirming that Russian forces now controlled the city"
                    self._control_confirmed.add(self._named_country(holder))
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
            # a state retaking its own ground regains it; a foreign state's forces overtake it ACLED
            if self._foreign(d.actor1, d.place.place.country_code if d.place else ctx.country):
                d.sub_event_type = "Non-state actor overtakes territory"
                d.notes.append("territory taken by a foreign state's forces")
        if d.sub_event_type == "Arrests" and d.actor1 and d.actor1.startswith(("Military Forces", "Police Forces")):
            # arrests are a state's own forces acting at home; a foreign army taking people is an abduction
            if self._foreign(d.actor1, d.place.place.country_code if d.place else None):
                d.sub_event_type, d.plover = "Abduction/forced disappearance", PLOVER_OF_SUB.get(
                    "Abduction/forced disappearance", d.plover)
                d.notes.append("people taken by a foreign state's forces")
        if d.claim == "reported" and d.status == "happened" and d.category not in POLITICAL | {"withdraw"}:
            # a side announcing its own plans or moves is not claiming; a side telling its own gains is
            speaker = self._claimed_by_own_side(d.trigger, d.actor1, ctx)
            if speaker is not None:
                d.claim, d.claimed_by = "claimed", speaker
        kind = ACLED_SUB_TYPES.get(d.sub_event_type or "")
        if d.actor2 is None and kind in ("Battles", "Explosions/Remote violence"):
            # the other side, when the sentence names an armed group besides the one acting
            others = [g for g in act.find_groups(d.trigger.sent.text) if g != d.actor1]
            if others:
                d.actor2 = others[0]
                d.notes.append("the other side: the group the sentence names")
        cc = d.place.place.country_code if d.place and d.place.place.country_code else ctx.country
        if d.actor2 is None and kind == "Explosions/Remote violence" and d.counts and any(
                t.lower_ in CIVILIAN_VICTIMS for t in d.trigger.sent):
            # ACLED codes the civilians a strike or a bomb kills or wounds as its other side
            d.actor2 = act.normalise("civilians", ctx, country_hint=cc)
        if kind in ("Protests", "Riots"):
            # ACLED names the crowd itself: "Protesters (Chile)", "Rioters (India)" (codebook inter 5 and 6)
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
        if fatalities is None and d.sub_event_type in ACLED_SUB_TYPES and d.status == "happened":
            fatalities = 0  # ACLED codes 0 for every event with no reported deaths, strategic ones included
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
        if tok.dep_ == "acl" and tok.tag_ == "VBN" and category in POLITICAL:
            continue  # "two men accused of theft": describes them, reports no accusation
        if pos == "noun" and _hypothetical_noun(tok):
            continue
        seen.add(tok.i)
        yield tok, category


def _poss_actor(tok, ctx, military):
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "amod"):
            name = act.normalise(_phrase(c), ctx, military_default=military)
            if name:
                return name
    return None


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


def _is_proxy(tok) -> bool:
    """'US-backed forces', 'fighters backed by Iran', 'Turkish-backed rebels'."""
    for c in tok.children:
        if c.dep_ in ("amod", "acl", "compound") and (c.lower_ in PROXY_WORDS or c.lower_.endswith(
                tuple("-" + w for w in PROXY_WORDS))):
            return True
    return bool(act.PROXY.search(tok.doc[tok.left_edge.i: tok.i + 1].text))


def _first_actor_before(tok, sent, ctx, military):
    """When the parse gives no subject: the first named actor before the trigger."""
    for ent in sentence_ents(sent):
        if ent.start >= tok.i:
            break
        if ent.label_ in ("ORG", "GPE", "NORP"):
            name = act.normalise(ent.text, ctx, military_default=military)
            if name:
                return name
    return None
