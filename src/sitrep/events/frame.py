"""Is this trigger word an event report, and of what category? The vetting rules.

A ``Frame`` holds a trigger and what the parse says around it (its clause, subject
and object, and where a rule found the place). ``vet`` runs the rules in ``RULES``
in order; each may refine the frame (a "fall" is a capture, an "ousting" names its
place) or reject it, with the reason in its docstring. Each rule looks at one
category or one kind of wording, so a rule can be read, tested and changed alone.
The rules that tell a current deed from a hedge, a prospect, a court case or a life
story live in ``deeds``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .. import actors as act
from ..model import PlaceMention
from ..nlp import sentence_ents
from ..taxonomy import AREA_UNITS, PHRASAL, PLACE_NOUNS, TRIGGER_INDEX
from .clauses import (
    GENERIC_GROUND,
    _bare_infinitive,
    _by_weapon,
    _governing_verb,
    _is_person,
    _passive_subject,
    _state_not_event,
)
from .kinds import PROTEST_NOUNS, _forces_head, _is_crowd, _is_forces, _labour_strike
from .lexicon import (
    AGREEMENT_NOUNS,
    ARTILLERY_NOUNS,
    CROWD_WORDS,
    DEMAND_VERBS,
    EVENT_NOUNS,
    EXPLOSIVE_WORDS,
    FIRE_VERBS,
    FLAG_PREPS,
    FLAG_WORDS,
    GO_ON_VERBS,
    HAPPEN_VERBS,
    LIGHT_VERBS,
    MONITOR_VERBS,
    REFLEXIVES,
    RELEASED_THINGS,
    TROOP_WORDS,
    VICTIM_VERBS,
    PASSIVE_VICTIM_VERBS,
)
from .deeds import (
    not_a_charge,
    not_a_life_story,
    not_a_list_of_places,
    not_a_place_description,
    not_a_prospect,
    not_a_purpose,
    not_a_stretch_of_time,
    not_hedged,
)
from .state import ArticleState
from .syntax import (
    _protest_gathering,
    _after_light_verb,
    _antecedent,
    _clause_head,
    _has_left,
    _lost_lives,
    _negated,
    _reduced_passive,
    _object,
    _phrase,
    _prep_object,
    _subject,
    _verbal,
)
from .where import _is_place_tok, _source_place

BACK_DETERMINERS = {"the", "this", "that", "these", "those", "such"}
CHARACTERISE = {"call", "called", "calls", "calling", "describe", "described", "describes", "label", "labelled",
                "labeled", "term", "termed", "brand", "branded", "dub", "dubbed", "denounce", "denounced"}
SEIZED_THINGS = {"weapons", "arms", "ammunition", "drugs", "explosives", "cache"}
# what is looted, not captured: "raiders seized a herd of goats", "gunmen seized a van"
LOOTED_THINGS = {"livestock", "cattle", "cows", "goats", "sheep", "camels", "animals", "vehicle", "vehicles", "car",
                 "cars", "motorcycle", "motorcycles", "motorbike", "motorbikes", "truck", "trucks", "goods",
                 "property", "belongings", "food", "grain", "crops", "harvest", "money", "cash", "phones",
                 "valuables", "jewellery", "jewelry", "supplies"}
AMOUNT_WORDS = {"dozens", "hundreds", "thousands", "scores", "herd", "herds", "number", "lot", "lots", "flock",
                "flocks", "head", "convoy", "load", "loads", "quantity", "quantities", "dozen", "hundred",
                "thousand", "some", "several", "many"}
HELD_PLACES = {"prison", "jail", "camp", "compound"}
BASE_WORDS = {"base", "headquarters", "outpost", "camp", "bases"}
NOT_A_FIRING = {"stun", "flash", "smoke", "sound"}  # "stun grenade": crowd control
AIRCRAFT = {"drone", "drones", "jets", "jet", "warplanes", "warplane", "aircraft", "bombers", "bomber",
            "planes", "plane", "helicopters", "helicopter", "gunships"}
FIRE_WORDS = {"fired", "fires", "fire", "firing", "shot", "shooting"}  # "fired on", "shot at" (not "opened fire")


@dataclass
class Frame:
    """A trigger word and its arguments in the parse, while the rules decide what it reports."""

    tok: object  # spaCy Token
    category: str
    sent: object  # spaCy Span
    sent_mentions: list[PlaceMention]
    is_verb: bool
    clause: object  # the trigger's clause head
    subj: object = None
    obj: object = None
    place_obj: object = None  # set when a rule finds the place elsewhere than the object
    ousted: object = None  # who was driven out ("drove the militants out of X")
    poss_cc: str | None = None  # "its withdrawal" with the state the speaker names
    antecedent_place: PlaceMention | None = None  # "Lyman ... . Its recapture ..."
    dispersal: bool = False  # forces broke up a crowd: the protest's actor is not the subject

    def is_place(self, tok) -> bool:
        return _is_place_tok(tok, self.sent_mentions)


Rule = Callable[[Frame, ArticleState], bool]  # False rejects the trigger


def frame(tok, category: str, sent, sent_mentions: list[PlaceMention]) -> Frame:
    clause = _clause_head(tok)
    is_verb = tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB") or _verbal(tok)
    subj = _subject(tok)
    weapon_as_agent = tok.dep_ == "pobj" and tok.head.dep_ == "agent"  # "was hit by a Russian missile"
    # "four officers died in an attack", "a man who was wounded in an attack": who suffered did not attack
    suffered = clause.i != tok.i and (clause.lower_ in VICTIM_VERBS or _lost_lives(clause) or any(
        c.dep_ in ("auxpass", "nsubjpass") for c in clause.children) or (
        _reduced_passive(clause) and clause.lower_ in PASSIVE_VICTIM_VERBS))  # "soldiers killed in an ambush" 
    if subj is None and not weapon_as_agent and not suffered:
        subj = _subject(clause)
    return Frame(tok, category, sent, sent_mentions, is_verb, clause, subj=subj, obj=_object(tok))


def vet(tok, category: str, sent, sent_mentions: list[PlaceMention], state: ArticleState) -> Frame | None:
    """The frame of a trigger that reports an event (or a political act), or None."""
    f = frame(tok, category, sent, sent_mentions)
    if _negated(tok) or _negated(f.clause):
        return None
    for rule in RULES:
        if not rule(f, state):
            return None
    return f


# ---- rules, in the order they apply ------------------------------------------------


def flag(f: Frame, state: ArticleState) -> bool:
    """'raised the national flag over X': a side establishing itself in a place (a capture)."""
    if f.category != "flag":
        return True
    flag_tok = f.obj if f.obj is not None and f.obj.lower_ in FLAG_WORDS else None
    if flag_tok is None:
        return False
    near = [t for c in [*f.tok.children, *flag_tok.children] if c.dep_ == "prep" and c.lower_ in FLAG_PREPS
            for t in c.subtree]
    f.place_obj = next((t for t in near if f.is_place(t) and t.dep_ in ("pobj", "poss", "compound")), None)
    f.obj, f.category = f.place_obj, "capture"
    return True


def release(f: Frame, state: ArticleState) -> bool:
    """'demand his release' is asked for, 'released a video' is publishing; 'X was freed' (a place) is retaken."""
    if f.category != "release":
        return True
    if not f.is_verb and f.tok.head.lower_ in DEMAND_VERBS:
        return False
    if f.obj is not None and f.obj.lower_ in RELEASED_THINGS:
        return False
    if f.tok.lower_.startswith(("free", "liberat")) and f.is_place(f.obj) and f.obj.lower_ not in HELD_PLACES:
        f.category = "recapture"
    return True


def oust(f: Frame, state: ArticleState) -> bool:
    """'drove the militants out of X', 'X was cleared of militants', 'the group's ousting from X':
    a capture of X when an armed side is driven out; 'expelled two diplomats' is a sanction."""
    if f.category != "oust":
        return True
    tok = f.tok
    where = _source_place(tok)
    f.ousted = f.obj if f.is_verb else (next((c for c in tok.children if c.dep_ == "poss"), None) or f.obj)
    if where is None and f.is_place(f.obj):
        where, f.ousted = f.obj, _prep_object(tok, ("of",))
    armed = f.ousted is not None and (_is_forces(f.ousted) or act.find_groups(_phrase(f.ousted)))
    if where is None or not armed or not (f.is_place(where) or where.ent_type_ in ("GPE", "LOC", "FAC")):
        if tok.lower_.startswith("expel"):
            f.category = "sanction"
            return True
        return False
    f.category, f.obj, f.place_obj = "capture", where, where
    return True


def withdraw(f: Frame, state: ArticleState) -> bool:
    """'troops left X', 'pulled out of X': the place they left. 'pulled 30 people from the rubble'
    and 'leaving the city without power' are no retreat."""
    if f.category != "withdraw":
        return True
    tok = f.tok
    if tok.lower_.startswith("pull") and f.is_verb and not any(c.lower_ in ("out", "back", "away") for c in tok.children):
        return False
    source = _source_place(tok)
    if tok.lower_ in ("leave", "left", "leaves", "leaving"):
        obj = f.obj
        if not f.is_place(obj) or f.subj is None or not _is_forces(f.subj) or any(
                t.lower_ in ("without", "behind", "for") or t.dep_ in ("oprd", "acomp", "xcomp", "ccomp")
                for t in tok.subtree if t.i > obj.i):
            return False
        source = obj
    if source is None and f.subj is not None and tok.lower_.startswith("regroup"):
        # "its units in the X area were being regrouped": the place the units are pulled from
        source = next((g for c in f.subj.children if c.dep_ == "prep" and c.lower_ in ("in", "at", "around")
                       for g in c.subtree if f.is_place(g)), None)
    f.place_obj = source
    return True


def possessed_noun(f: Frame, state: ArticleState) -> bool:
    """'the city's capture' (a place), 'Russia's withdrawal' (an actor), 'its recapture' (the state
    the speaker names, or the place the sentence before is about); 'his seizure' takes a person."""
    if f.is_verb or f.category not in ("capture", "recapture", "withdraw", "oust"):
        return True
    poss = next((c for c in f.tok.children if c.dep_ == "poss"), None)
    if poss is None:
        return True
    if f.is_place(poss):
        f.place_obj = f.place_obj or poss
    elif poss.lower_ in ("his", "her") or poss.ent_type_ == "PERSON":
        return False
    elif poss.lower_ in ("its", "their"):
        cc = state.countries.possessor(f.tok)
        antecedent = state.previous_subject_place(f.tok) if cc is None else None
        if cc:
            f.subj, f.poss_cc = None, cc
        elif antecedent is not None:
            f.antecedent_place = antecedent
        else:
            f.subj = _antecedent(poss)
    else:
        f.subj = poss
    return True


def not_a_state(f: Frame, state: ArticleState) -> bool:
    """'ending eight months of occupation', 'under occupation': a state of affairs, not a change."""
    return not (f.category in ("capture", "recapture") and not f.is_verb and _state_not_event(f.tok))


def take(f: Frame, state: ArticleState) -> bool:
    """'took control of X', 'taken X' (a place) is a capture; any other taking is not a territory event."""
    if f.category != "take":
        return True
    ctrl = next((c for c in f.tok.children if c.lower_ in ("control", "over", "hold")), None)
    if ctrl is None and not f.is_place(f.obj):
        return False
    if ctrl is not None and ctrl.lower_ == "control":
        f.obj = next((g for c in ctrl.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"), f.obj)
    f.category = "capture"
    return True


def fall(f: Frame, state: ArticleState) -> bool:
    """'X fell to / under the control of Y': Y captured X."""
    if f.category != "fall":
        return True
    if not f.is_place(f.subj):
        return False
    f.category, f.obj = "capture", f.subj
    f.subj = _fall_taker(f.tok)  # "X fell to US-backed forces": the proxy rule applies to it later
    return True


def dispersal(f: Frame, state: ArticleState) -> bool:
    """'police dispersed the crowd', 'broke up a rally', 'fired tear gas at protesters': a protest
    the forces broke up. The crowd must be there: the object of the verb, or named in the sentence
    by a tear-gas report ("tear gas was fired in the camp" alone reports no protest)."""
    if f.category != "disperse":
        return True
    broke = f.tok.lower_ in ("broke", "break", "breaking", "broken")
    if broke and not any(c.lower_ == "up" for c in f.tok.children):
        return False  # "the talks broke down"
    if broke or f.is_verb:
        crowd = [t for t in (f.obj.subtree if f.obj is not None else ()) if _crowd_word(t)]
    else:
        crowd = [t for t in f.sent if _crowd_word(t)]
    if not crowd:
        return False
    f.category, f.dispersal = "protest", True
    return True


def _crowd_word(t) -> bool:
    from ..actors import PROTESTERS

    return t.lower_ in CROWD_WORDS or t.lower_ in PROTESTERS or t.lower_ in PROTEST_NOUNS or \
        t.lower_ in ("gathering", "gatherings", "protest", "protests", "sit-in", "march", "marchers")


OCCUPY_FORMS = frozenset("occupy occupies occupied occupying".split())


def crowd(f: Frame, state: ArticleState) -> bool:
    """'residents gathered outside ...', 'drivers blocked the highway': a crowd acting in public is a
    protest; 'troops marched into the town' is not."""
    if f.category == "capture" and f.is_verb and f.tok.lower_ in OCCUPY_FORMS and _is_crowd(f.subj):
        f.category = "protest"  # "activists occupied the station": a sit-in, not a change of control
        return True
    if f.category in ("gather", "block"):
        if not _is_crowd(f.subj if f.is_verb else (f.subj or _subject(f.clause))) or (
                f.category == "gather" and f.obj is not None and f.obj.dep_ == "dobj"):
            return False
        f.category = "protest"
    # "troops marched into the town" is no protest; "police broke up a protest" is one
    return f.dispersal or not (f.category == "protest" and f.subj is not None and _forces_head(f.subj)
                               and (f.is_verb or _after_light_verb(f.tok)))


def call_for(f: Frame, state: ArticleState) -> bool:
    """'called for', 'called on': a request; 'called' alone names or phones."""
    if f.category == "request" and f.tok.lower_ in ("call", "calls", "called", "calling") and f.is_verb:
        return any(c.lower_ in PHRASAL["call"] for c in f.tok.children)
    return True


def not_told_before(f: Frame, state: ArticleState) -> bool:
    """'the strike had targeted a meeting' (what an event told already was aimed at); 'condemned the
    attack', 'dismissed the reports' (a reaction to what was told)."""
    tok, subj, obj = f.tok, f.subj, f.obj
    if f.category == "attack" and tok.lower_.startswith("target") and subj is not None and \
            subj.lower_ in EVENT_NOUNS | set(TRIGGER_INDEX) and any(c.lower_ in BACK_DETERMINERS for c in subj.children):
        return False
    if f.category in ("accuse", "reject") and obj is not None and state.events_before and (
            obj.lower_ in EVENT_NOUNS or obj.lower_ in TRIGGER_INDEX) and refers_back(obj):
        return False
    return True


def own_event(f: Frame, state: ArticleState) -> bool:
    """'the missiles hit an office and set fire to cars' is damage done by a strike told as one;
    'stun grenades' are crowd control, told with the protest they broke up."""
    tok = f.tok
    if f.category == "destroy" and f.is_verb and _by_weapon(tok):
        return False
    return not (f.category == "grenade" and tok.i > 0 and tok.doc[tok.i - 1].lower_ in NOT_A_FIRING)


def needs_its_object(f: Frame, state: ArticleState) -> bool:
    """'signed open letters' is no agreement, 'a base' needs a base named, a deployment needs troops,
    and 'two boys burned to death in a house fire' destroyed nothing: who burned is who died."""
    obj = f.obj
    if f.category == "destroy" and f.is_verb and _burned_to_death(f.tok):
        if not any(c.dep_ == "agent" for c in f.tok.children):
            return False
        f.category = "kill"  # "were burned to death by militants": people killed, not property
    if f.category == "agreement" and f.tok.lower_.startswith("sign") and (obj is None or obj.lower_ not in AGREEMENT_NOUNS):
        return False
    if f.category == "base" and (obj is None or obj.lower_ not in BASE_WORDS):
        return False
    if f.category == "deploy":
        troops = obj if obj is not None and obj.lower_ in TROOP_WORDS else _troop_noun(f.tok)
        return troops is not None
    return True


def named_change(f: Frame, state: ArticleState) -> bool:
    """A change of control names its place: 'the battle to retake Kherson' is an aim, 'retake territory'
    names none, 'took control of 9 of the 20 districts' is a statistic."""
    tok, obj = f.tok, f.obj
    if f.category in ("capture", "recapture", "oust", "withdraw") and f.is_verb and _bare_infinitive(tok):
        return False
    if f.category not in ("capture", "recapture"):
        return True
    if obj is not None and obj.lower_ in GENERIC_GROUND and \
            not any(c.dep_ in ("compound", "poss") or c.ent_type_ for c in obj.children):
        return False
    if tok.dep_ == "acl" and tok.head.lower_ in GENERIC_GROUND:
        return False
    return not (obj is not None and (obj.like_num or obj.lower_ in AREA_UNITS))


def what_was_taken(f: Frame, state: ArticleState) -> bool:
    """'the mayor, who was seized by Russian troops' is an abduction; 'captured weapons' a seizure."""
    if f.category != "capture":
        return True
    taken = f.obj if f.obj is not None else _passive_subject(f.tok)
    if taken is None and f.tok.dep_ == "acl":
        taken = f.tok.head  # "a reporter captured by rebel fighters"
    if f.is_verb and _is_person(taken) and not f.is_place(taken):
        f.category = "abduct"
    elif f.obj is not None and _what_of(f.obj).lower_ in SEIZED_THINGS:
        f.category = "defuse"
    elif f.is_verb and f.obj is not None and _what_of(f.obj).lower_ in LOOTED_THINGS and not f.is_place(f.obj):
        if f.subj is not None and f.subj.lower_ in act.POLICE:
            return False  # "police seized two trucks": an enforcement seizure, no territory, no looting
        f.category = "destroy"  # property taken by an armed group, troops or a crowd is looting, not territory
    return True


def what_exploded(f: Frame, state: ArticleState) -> bool:
    """'A truck packed with dynamite exploded' is a bombing, 'anger exploded' is not: what exploded
    must be or carry an explosive. 'Blew up' needs what was blown up ('rebels blew up two pylons',
    'the bridge was blown up') or such an explosive; 'blew himself up' is a suicide bombing."""
    tok = f.tok
    if f.category != "ied" or not f.is_verb or not tok.lower_.startswith(("expl", "blow", "blew")):
        return True
    if tok.lower_.startswith(("blow", "blew")):
        if f.obj is not None and f.obj.lower_ in REFLEXIVES:
            f.category = "suicide"
            return True
        if f.obj is not None or _passive_subject(tok) is not None:
            return True
    subj = f.subj if f.subj is not None else (tok.head if tok.dep_ == "acl" else None)
    return subj is not None and any(t.lower_ in EXPLOSIVE_WORDS for t in subj.subtree)


def _what_of(obj):
    """'dozens of cows', 'a herd of goats': the thing counted, not the count."""
    if obj.lower_ in AMOUNT_WORDS or obj.like_num:
        return _prep_object(obj, ("of",)) or obj
    return obj


def strike_kind(f: Frame, state: ArticleState) -> bool:
    """'a strike' with no missile, rocket or artillery word is a labour strike ('workers staged a
    strike') or nothing."""
    if f.category == "shelling" and f.tok.lower_ in ("strike", "strikes") and \
            not _has_left(f.tok, {"missile", "rocket", "artillery"}):
        if _has_left(f.tok, AIRCRAFT) or any(
                g.lower_ in AIRCRAFT for c in f.tok.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                for g in c.subtree):
            f.category = "airstrike"  # "strikes from drones and bombers", "drone strikes"
            return True
        if not _labour_strike(f.tok):
            return False
        f.category = "protest"
    return True


def fired_at_someone(f: Frame, state: ArticleState) -> bool:
    """'fired on the crowd', 'shot at a patrol' need whom they fired at; 'was fired on Monday'
    lost a job. 'Opened fire' stands alone ('gunmen opened fire, killing three')."""
    tok = f.tok
    if f.category != "attack" or tok.lower_ not in FIRE_WORDS:
        return True
    passive = any(c.dep_ == "auxpass" for c in tok.children)
    if passive:  # "the convoy was fired on (by militants)": its subject was the target
        return any(c.dep_ in ("prt", "prep") and c.lower_ in ("on", "at", "upon") and not any(
            g.dep_ == "pobj" for g in c.children) for c in tok.children)
    target = _prep_object(tok, ("on", "at", "upon"))
    return target is not None and target.ent_type_ not in ("DATE", "TIME")


def anchored_noun(f: Frame, state: ArticleState) -> bool:
    """A noun trigger counts when something anchors it: an actor, a place, a date or a count."""
    if f.is_verb:
        return True
    tok, sent = f.tok, f.sent
    if tok.dep_ in ("nsubj", "nsubjpass") and any(c.lower_ in ("the", "these", "those") or (
            c.dep_ == "poss" and c.ent_type_ in ("DATE", "TIME")) for c in tok.children) \
            and not (not state.events_before and (tok.head.lower_ in HAPPEN_VERBS or (
                tok.dep_ == "nsubjpass" and tok.head.lower_ in LIGHT_VERBS))) \
            and not (tok.head.lower_ in GO_ON_VERBS and _prep_object(tok, ("of", "in", "on", "around", "near"))) \
            and not _self_anchored(f, state):
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
        # "set up a protest camp", "held a protest march": the crowd's own gathering, reported as done
        return f.category == "protest" and _protest_gathering(tok)
    if state.events_before and tok.dep_ in ("dobj", "pobj", "attr") and refers_back(tok):
        return False  # "condemned the attack", "called the strike a war crime": an event told before
    anchored = any(c.dep_ in ("poss", "compound", "amod", "nummod", "prep") for c in tok.children)
    has_place = any(tok.left_edge.idx <= m.start < tok.head.right_edge.idx + len(tok.head.right_edge)
                    for m in f.sent_mentions)
    has_date = any(e.label_ in ("DATE", "TIME") for e in sentence_ents(sent))
    return anchored or has_place or has_date


def _self_anchored(f: Frame, state: ArticleState) -> bool:
    """A subject noun that names its own who and where, or where and when, is a new report, not
    one told before: "the capture of the crossing by rebels on Monday cut the road". So is one
    with its place in the article's lead: "The bomb attack on the embassy in X has caused damage"."""
    tok = f.tok
    if state.events_before:
        return False
    sub = [t for t in tok.subtree if t.i != tok.i]
    agent = _prep_object(tok, ("by",)) is not None
    dated = any(t.ent_type_ in ("DATE", "TIME") for t in sub)
    named_place = any(tok.left_edge.idx <= m.start <= tok.right_edge.idx for m in f.sent_mentions)
    placed = named_place or _prep_object(tok, ("of", "on")) is not None
    lead = state.para_of(f.sent.start_char) <= (1 if state.title else 0)
    return placed and (agent or dated) or named_place and lead


RULES: list[Rule] = [not_hedged, not_a_prospect, not_a_purpose, flag, release, oust, withdraw, possessed_noun, not_a_state, take,
                     fall, dispersal, crowd, call_for, not_told_before, own_event, needs_its_object, named_change,
                     what_was_taken, what_exploded, strike_kind, not_a_charge, fired_at_someone, not_a_stretch_of_time, not_a_life_story,
                     not_a_place_description, not_a_list_of_places, anchored_noun]


# ---- parse helpers -------------------------------------------------------------------


def _burned_to_death(tok) -> bool:
    """'burned to death' / 'burnt alive': what burned was people."""
    kids = list(tok.children)
    to_death = any(c.lower_ == "to" and any(g.lower_ == "death" for g in c.children) for c in kids)
    return to_death or any(c.lower_ == "alive" for c in kids)


def refers_back(tok) -> bool:
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
