"""Argument fillers: from a vetted trigger's frame to a draft event.

Each filler reads the parse around the trigger and sets one part of the draft:
its status (happened, planned, threatened, attempted), its claim and who makes
it, its actors, its place, its date and its counts and type. A filler returns
False when what it reads shows the trigger is no current event (history, a
condition); ``FILLERS`` runs them in order.
"""

from __future__ import annotations

from typing import Callable

from .. import actors as act
from ..nlp import sentence_ents
from ..taxonomy import PLACE_NOUNS, PLOVER_OF_CATEGORY, PLOVER_OF_SUB, TRIGGER_INDEX
from .clauses import _background, _conditional, _date_for, _report_dated, _since_clause
from .counts import _counts
from .draft import _Draft
from .frame import Frame
from .kinds import _is_crowd, _sub_type
from .lexicon import (
    ATTEMPT_VERBS,
    CLAIM_VERBS,
    CONFIRM_VERBS,
    DENY_VERBS,
    DIRECTIVE_VERBS,
    DONE_WHEN_ANNOUNCED,
    FUTURE,
    HISTORY_ADVERBS,
    PLAN_VERBS,
    POLITICAL,
    PROXY_WORDS,
    REPORT_VERBS,
    TERRITORIAL,
    THREAT_VERBS,
    PASSIVE_VICTIM_VERBS,
)
from .state import ArticleState
from .syntax import (_agent, _antecedent, _interception, _lost_lives, _phrase, _prep_object, _reduced_passive,
                     _side_served, _subject)
from .where import _pick_place

FOLLOWERS = {"supporters", "supporter", "followers", "sympathisers", "sympathizers", "relatives", "families",
             "fans", "loyalists", "wives", "wife", "widows", "husbands", "sons", "daughters", "children",
             "parents", "mothers", "fathers"}  # "supporters of X", "the wives of fighters" are not X
# the holders of civic offices (a group's "leader" or "commander" is no civilian)
CIVIC_ROLES = {"mayor", "governor", "councillor", "councilor", "official", "officials", "minister", "lawmaker",
               "lawmakers", "judge", "prosecutor", "senator", "deputy", "mp", "legislator", "administrator",
               "civil servant", "mayors", "governors", "councillors"}
VIOLENT_CATEGORIES = {"attack", "kill", "abduct", "sexual", "clash", "shelling", "airstrike", "ied", "grenade",
                      "suicide", "chemical"}
MILITARY = {"deploy", "capture", "recapture", "clash", "attack", "shelling", "airstrike", "withdraw", "surround",
            "ied", "kill", "grenade", "chemical"}  # categories whose unnamed actor is a state's forces
PRONOUNS = {"they", "he", "she", "it", "we", "who", "which"}
NOT_FIRST = {"last", "final", "remaining", "another", "a", "an"}  # "the last stronghold" is not named before

Filler = Callable[[_Draft, Frame, ArticleState], bool]


def draft(f: Frame, si: int, para: int, state: ArticleState) -> _Draft | None:
    """The draft event a vetted frame reports, or None when a filler finds it is none."""
    d = _Draft(category=f.category, sub_event_type=None, plover=PLOVER_OF_CATEGORY.get(f.category),
               trigger=f.tok, sent_index=si, para=para)
    d.evidence.append(f.sent)
    for filler in FILLERS:
        if not filler(d, f, state):
            return None
    return d


def status(d: _Draft, f: Frame, state: ArticleState) -> bool:
    """'will attack', 'plans to seize' are planned; 'threatened to' threatened; 'tried to' attempted.
    'announced the city's capture' is reported as done."""
    tok = f.tok
    aux_words = {c.lower_ for c in list(tok.children) + list(f.clause.children) if c.dep_ in ("aux", "auxpass")}
    ancestors = [a.lower_ for a in tok.ancestors]
    done_noun = not f.is_verb and f.category in DONE_WHEN_ANNOUNCED and any(
        c.dep_ == "poss" or c.lower_ == "the" for c in tok.children) and bool(set(ancestors[:2]) & REPORT_VERBS)
    # "set up a protest camp" sets nothing for later ("is set to attack" does)
    planned_by = {a.lower_ for a in list(tok.ancestors)[:2] if not any(c.dep_ == "prt" for c in a.children)}
    if aux_words & FUTURE or (not f.is_verb and planned_by & PLAN_VERBS and not done_noun) or \
            (tok.dep_ == "xcomp" and tok.head.lower_ in PLAN_VERBS | DIRECTIVE_VERBS) or \
            ("to" in aux_words and tok.head.lower_ in PLAN_VERBS):
        d.status = "planned"
    if set(ancestors[:3]) & THREAT_VERBS or (tok.head.lower_ in THREAT_VERBS):
        d.status = "threatened"
    if set(ancestors[:2]) & ATTEMPT_VERBS:
        d.status = "attempted"
    return True


def claim(d: _Draft, f: Frame, state: ArticleState) -> bool:
    """'X claimed it had taken Y' is claimed by X (and X is the actor when the parse names no other);
    'X denied shelling Y' is denied; 'acknowledging heavy fighting' admits it."""
    for a in [f.tok] + list(f.tok.ancestors)[:4]:
        if a.lower_ in CLAIM_VERBS:
            d.claim = "claimed"
            speaker = _subject(a)
            d.claimed_by = act.normalise(_phrase(speaker), state.ctx) if speaker is not None else None
            subj = f.subj
            if subj is None or (speaker is not None and subj.i == speaker.i) or subj.lower_ in PRONOUNS - {"who", "which"}:
                f.subj = speaker
            break
        if a.lower_ in CONFIRM_VERBS and a.i != f.tok.i:
            break
        if a.lower_ in DENY_VERBS and a.i != f.tok.i:
            d.claim = "denied"
            speaker = _subject(a)
            d.claimed_by = act.normalise(_phrase(speaker), state.ctx) if speaker is not None else None
            break
    if f.subj is not None and f.subj.lower_ in PRONOUNS:
        f.subj = _antecedent(f.subj)
    return True


def actors(d: _Draft, f: Frame, state: ArticleState) -> bool:
    """Actor1 from the agent or subject (a proxy's backer never; an unnamed state's forces when the
    speaker names the state), actor2 from the object or 'with/against/on' phrase."""
    tok, ctx, obj = f.tok, state.ctx, f.obj
    military = f.category in MILITARY
    subj = _side_of_deed(f.subj)
    d.actor1 = act.normalise(_side_phrase(subj), ctx, military_default=military,
                             country_hint=state.countries.possessor(subj)) if subj is not None else None
    if d.actor1 is None and subj is None and tok.dep_ in ("pobj", "dobj", "nsubj", "nsubjpass", "attr"):
        d.actor1 = _poss_actor(tok, ctx, military)
    agent = _agent(tok)
    if agent is None and not f.is_verb:
        agent = _prep_object(tok, ("by",))  # "an attack by Taliban militants"
        if agent is None:  # "the capture of the town of X by militants": the parse may hang "by" lower
            agent = next((g for t in tok.subtree if t.dep_ == "prep" and t.lower_ == "by"
                          for g in t.children if g.dep_ == "pobj"), None)
    if agent is not None:
        d.actor1 = act.normalise(_side_phrase(agent), ctx, military_default=military) or d.actor1
    if f.poss_cc:
        d.actor1 = act.normalise("forces", ctx, military_default=True, country_hint=f.poss_cc)
    actor_tok = agent if agent is not None else subj
    if actor_tok is not None and not act.find_groups(_phrase(actor_tok)):
        # "US-backed fighters": the backed group, never the backer's own army; and a side only
        # described ("Kurdish forces") is never the group that held the place ("the rebels' stronghold fell to ...")
        against = set(act.find_groups(obj.doc[obj.left_edge.i: obj.right_edge.i + 1].text)) \
            if obj is not None and f.category in ("capture", "recapture") else set()
        if f.ousted is not None:
            against |= set(act.find_groups(_phrase(f.ousted)))
        if _is_proxy(actor_tok) or (d.actor1 in against):
            d.actor1 = act.proxy_actor(ctx, exclude=against)
    if obj is not None and f.category != "deploy" and not f.is_place(obj):
        served = _side_served(obj)  # "a volunteer fighting alongside the militia was killed": the militia's
        d.actor2 = act.normalise(_phrase(served if served is not None else obj), ctx,
                                 military_default=f.category in ("clash", "attack"))
    if obj is not None and obj.lower_ in CIVIC_ROLES and (d.actor2 or "").startswith("Government") and \
            f.category in VIOLENT_CATEGORIES:
        # an official killed or attacked is an unarmed civilian of that state (ACLED: "Civilians", the
        # government an associated actor), not its forces
        d.actor2 = act.normalise("civilians", ctx, country_hint=state.countries.code(d.actor2.split(" of ", 1)[-1]))
    if _follower(obj, d.actor2):
        d.actor2 = act.normalise("civilians", ctx)  # "detained 30 supporters of the former prime minister"
    preps = ("with", "to", "against", "on") + (("from",) if f.category in ("capture", "recapture") else ())
    target = _prep_object(tok, preps) if f.category not in ("deploy", "withdraw") else None
    if d.actor2 is None and target is not None and not f.is_place(target):
        d.actor2 = act.normalise(_phrase(target), ctx)  # "... with the army", "retook the town from rebels"
        if _follower(target, d.actor2):
            d.actor2 = act.normalise("civilians", ctx)  # "fired on the wives of fighters"
    between = _prep_object(tok, ("between",)) if f.category == "clash" else None
    sides = [between, *(c for c in between.children if c.dep_ == "conj")] if between is not None else []
    if len(sides) == 2:  # "fighting between the army and the RSF"
        one, other = (act.normalise(_phrase(x), ctx, military_default=True) for x in sides)
        if one and other and one != other:
            d.actor1, d.actor2 = one, other
    if d.actor1 is None and f.category in POLITICAL:
        d.actor1 = _first_actor_before(tok, f.sent, ctx, military)
    if f.ousted is not None and d.actor2 is None:
        d.actor2 = act.normalise(_phrase(f.ousted), ctx)
    if f.ousted is not None and d.actor1 is not None and d.actor1 == d.actor2 and d.actor1 in ctx.groups:
        d.actor1 = act.proxy_actor(ctx, exclude={d.actor2})  # "fighters drove the group out": another side
    if (_lost_lives(tok) or (_reduced_passive(tok) and f.category in VIOLENT_CATEGORIES and
                             tok.lower_ in PASSIVE_VICTIM_VERBS)) and subj is not None:
        d.actor1, d.actor2 = None, act.normalise(_phrase(subj), ctx)  # "three officers lost their lives"
    elif _came_under(tok) and subj is not None:
        # "the patrol came under fire from insurgents": the subject is the target, "from" the attacker
        attacker = _prep_object(tok, ("from",)) or next(
            (_prep_object(c, ("from",)) for c in tok.subtree if c.lower_ in ("fire", "attack")), None)
        d.actor2 = d.actor1
        d.actor1 = act.normalise(_phrase(attacker), ctx, military_default=True) if attacker is not None else None
    if d.actor1 == d.actor2:
        d.actor2 = None
    d.crowd_actor = subj is not None and _is_crowd(subj, strict=True)
    return True


TARGET_PREPS = {"on", "against", "upon"}


def _side_of_deed(subj):
    """The subject as a side: a violent deed as subject names its side by its agent or possessor
    ("an attack by rebels", "the rebels' raid") or its own words ("a Russian rocket strike"), never
    by its target ("the attack on the police station killed two": ``_side_phrase`` leaves it out)."""
    if subj is None or TRIGGER_INDEX.get(subj.lower_, ("", ""))[0] not in VIOLENT_CATEGORIES:
        return subj
    return next((c for c in subj.children if c.dep_ == "poss"), None) or _prep_object(subj, ("by",)) or subj


def _side_phrase(tok) -> str:
    """The words that name a side, without where it struck: "militants on the police station in X"
    names the militants (the parse may hang the deed's target on its agent)."""
    if tok is None:
        return ""
    cut = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in TARGET_PREPS]
    if not cut:
        return _phrase(tok)
    return " ".join(t.text for t in tok.doc[tok.left_edge.i: cut[0].i] if t.dep_ != "punct") or tok.text


def _follower(tok, actor: str | None) -> bool:
    """'supporters of the party', 'the wives of fighters': kin and followers named after an armed or
    political side, who are not that side."""
    return tok is not None and tok.lower_ in FOLLOWERS and actor is not None and \
        not actor.startswith(("Civilians", "Protesters"))


def _came_under(tok) -> bool:
    """The trigger is "came under fire" / "came under attack"."""
    return tok.lower_ in ("came", "come", "comes", "coming") and any(
        c.lower_ == "under" and any(g.lower_ in ("fire", "attack") for g in c.children) for c in tok.children)


def place(d: _Draft, f: Frame, state: ArticleState) -> bool:
    """Mentions in the trigger's clause first, then the sentence; 'the town' points back to a place
    named before; 'X, Y and Z were freed' is one change of control per place."""
    ref = f.place_obj if f.place_obj is not None else f.obj
    d.place, d.place_direct = _pick_place(f.tok, ref, f.sent, f.sent_mentions, f.category)
    if f.antecedent_place is not None:
        d.place, d.place_direct = f.antecedent_place, True
    if f.category == "withdraw" and f.place_obj is None and not d.place_direct:
        d.place = None  # "as it pulls back into the hills": where it left is not said
    d.refers_back = ref is not None and ref.lower_ in PLACE_NOUNS and not any(
        c.dep_ == "compound" or c.lower_ in NOT_FIRST for c in ref.children)
    d.ref_noun = ref.lower_ if d.refers_back else None
    # "pulled out of Lyman" with Lyman unknown to the gazetteer: never put another place in its stead
    d.unplaced_name = d.place is None and f.category in TERRITORIAL and ref is not None and ref.pos_ == "PROPN"
    if f.category in ("capture", "recapture") and d.place is not None and f.obj is not None:
        for c in f.obj.conjuncts:
            for m in f.sent_mentions:
                if c.left_edge.idx <= m.start <= c.right_edge.idx and not m.place.is_country and \
                        m.place.geonameid != d.place.place.geonameid and m not in d.more_places:
                    d.more_places.append(m)
    return True


def when(d: _Draft, f: Frame, state: ArticleState) -> bool:
    """The date of the trigger's own clause; history, 'which Russia had captured since ...' and
    conditions ('if confirmed, it would be ...') are no current events."""
    d.when = _date_for(f.tok, f.sent, state.published)
    d.report_dated = d.when is not None and _report_dated(f.tok, f.sent)
    if d.when is not None and d.when.tense == "history":
        return False
    if f.category in ("capture", "recapture", "withdraw") and (
            (d.when is None and _background(f.tok, f.clause)) or _since_clause(f.tok, f.clause)):
        return False
    if _conditional(f.tok, f.sent):
        return False
    if d.when is None and any(c.dep_ == "advmod" and c.lower_ in HISTORY_ADVERBS and c.i < a.i + 3
                              for a in [f.tok, *f.tok.ancestors] for c in a.children):
        # "my brother was once detained for organising a strike", "had previously announced
        # he died in a raid": a past long gone, undated
        return False
    if d.when is not None and d.when.tense == "future" and d.status == "happened":
        d.status = "planned"
    return True


def kind(d: _Draft, f: Frame, state: ArticleState) -> bool:
    """Counts, the rules' sub-event type and PLOVER code, and a first confidence from what was found."""
    d.counts = _counts(f.sent, f.category, f.tok)
    d.sub_event_type = _sub_type(d, f.tok, f.sent)
    if d.sub_event_type is None and d.plover is None:
        return False
    if d.plover is None:
        d.plover = PLOVER_OF_SUB.get(d.sub_event_type)
    if d.actor1 is None and _interception(f.category, f.tok) and \
            d.place is not None and d.place.place.country_code:
        # "missiles fired at the capital were intercepted": by the air defences of the state hit
        d.actor1 = act.normalise("forces", state.ctx, military_default=True,
                                 country_hint=d.place.place.country_code)
    d.confidence = 0.5 + 0.1 * bool(d.actor1) + 0.1 * bool(d.place) + 0.1 * bool(d.when) + 0.1 * f.is_verb
    return True


FILLERS: list[Filler] = [status, claim, actors, place, when, kind]


# ---- helpers -------------------------------------------------------------------------
def _poss_actor(tok, ctx, military):
    for c in tok.children:
        if c.dep_ in ("poss", "compound", "amod"):
            name = act.normalise(_phrase(c), ctx, military_default=military)
            if name:
                return name
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
