"""Which ACLED sub-event type a trigger is, given its actors, victims and the sentences around it."""

from __future__ import annotations

import re

from .. import actors as act
from .counts import _person_class, _victim_classes
from .draft import _Draft
from .lexicon import (
    BOMB_WORDS,
    CROWD_WORDS,
    INTERVENE_NOUNS,
    INTERVENE_VERBS,
    KIND_OF_WORD,
    LETHAL,
    MOB_WORDS,
    RIOT_WORDS,
    STATE_TAKING,
    STRIKE_CUES,
)
from .syntax import _after_light_verb, _agent, _clause_head, _crowd_head, _participial, _prep_object, _subject


def _is_crowd(subj, strict: bool = False) -> bool:
    """Ordinary people (not a state force or an armed group) as the subject of a verb.
    ``strict``: named organisations do not count (a party or union may be an armed group's front)."""
    head = _crowd_head(subj)
    if head is None:
        return False
    if _is_forces(head) or act.group_name(head.text):
        return False
    low = head.lower_
    from ..actors import CIVILIANS, PROTESTERS, RIOTERS
    if low in CROWD_WORDS or low in CIVILIANS or low in PROTESTERS or low in RIOTERS or low in MOB_WORDS:
        return not (strict and low in ("members", "member", "group", "groups", "union", "unions"))
    if strict:
        return head.ent_type_ == "NORP" and head.tag_ == "NNPS" or head.lower_.endswith("ians") and head.ent_type_ == "NORP"
    return head.pos_ == "PROPN" and head.ent_type_ in ("ORG", "NORP")


PROTEST_NOUNS = frozenset("""protest protests rally rallies demonstration demonstrations march marches
    gathering gatherings sit-in vigil""".split())


def _protest_kind(sentences) -> str:
    """ACLED's protest sub-types from what the crowd and the forces did (the codebook's order:
    a violent crowd makes a violent demonstration; lethal force on a peaceful one is excessive force;
    any other intervention makes a protest with intervention)."""
    low = " ".join(s.text.lower() for s in sentences)
    crowd = low  # what the crowd did: without the clauses whose subject is the forces ("soldiers threw stun grenades")
    for s in sentences:
        for v in s:
            if v.pos_ == "VERB" and v.dep_ == "ROOT" and (sj := _subject(v)) is not None and _is_forces(sj):
                crowd = crowd.replace(v.doc[v.left_edge.i: v.right_edge.i + 1].text.lower(), " ")
    if any(w in crowd for w in RIOT_WORDS):
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


# the words of an armed side: a state's forces, a police, an armed group, gunmen
ARMED_SIDE_WORDS = (act.MILITARY | act.POLICE | act.INSURGENTS | act.GUNMEN) - {"group", "state"}


def _is_forces(tok) -> bool:
    words = {t.lower_ for t in tok.subtree} if tok is not None else set()
    return bool(words & ARMED_SIDE_WORDS)


PARTITIVES = {"members", "member", "units", "unit", "some", "dozens", "hundreds", "scores", "group", "groups"}


def _forces_head(tok) -> bool:
    """The phrase names forces by its head, not by a modifier: 'soldiers', 'police and troops',
    'members of the army' are forces; 'army pensioners', 'police widows' are people named after them."""
    if tok is None:
        return False
    heads = [tok]
    for h in heads:  # the head and its conjuncts ("police and troops"), not nouns inside modifiers
        heads.extend(c for c in h.children if c.dep_ == "conj")
        words = {h.lower_} | {f"{c.lower_} {h.lower_}" for c in h.children if c.dep_ in ("compound", "amod")}
        if words & ARMED_SIDE_WORDS:
            return True
        if h.lower_ in PARTITIVES and _forces_head(_prep_object(h, ("of",))):
            return True
    return False


def _labour_strike(tok) -> bool:
    """'a general strike', 'workers went on strike', 'teachers staged a strike': a protest, not a missile."""
    doc = tok.doc
    left = [t.lower_ for t in doc[max(tok.sent.start, tok.i - 3): tok.i]]
    if "on" in left[-1:] or set(left) & STRIKE_CUES:
        return True
    if _after_light_verb(tok) and not tok.head.lower_.startswith(("carr", "conduct", "launch")):
        return True  # "staged a strike"; "carried out strikes" is an attack
    subj = _subject(_clause_head(tok))
    return subj is not None and _is_crowd(subj)


def _remote_kind(text: str) -> str | None:
    """The remote-violence sub-type the words of a clause name as its means, if any."""
    if re.search(r"\b(?:air ?strikes?|drones?|warplanes?|jets|helicopter gunships?)\b", text):
        return "Air/drone strike"
    if re.search(r"\b(?:shells?|shelling|artillery|missiles?|rockets?|mortars?)\b", text):
        return "Shelling/artillery/missile attack"
    return None


def _says(low: str, *words: str) -> bool:
    """A word (or the start of one: "shell" for "shelled", "shelling") in lower-case text;
    "ied" alone is a whole word, never the end of "died"."""
    return any(re.search(r"\b" + re.escape(w) + (r"\b" if w in ("ied", "ieds") else ""), low) for w in words)


def _own_words(clause) -> str:
    """The clause's words without the clauses coordinated to it ("troops came under fire, and they
    responded with drone strikes": the drones are the reply's, not the attack's)."""
    skip = {t.i for c in clause.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for t in c.subtree}
    return " ".join(t.text for t in clause.subtree if t.i not in skip).lower()


# who fights without arms: party cadres, supporters, students, locals (ACLED: mob violence)
UNARMED_SIDES = frozenset("""supporters cadres activists youths students locals villagers residents workers
    fans members followers""".split())
ARMED_WORDS = frozenset("""gun guns gunmen gunfire firearms firearm rifles rifle pistol pistols shot shots shooting
    fired bullets bullet grenade grenades bomb bombs explosive explosives militants militant fighters rebels
    rebel militia militias militiamen troops soldiers army forces police insurgents jihadists armed gang gangs
    sniper artillery mortar mortars rocket rockets drone drones""".split())


def _unarmed_sides(sent) -> bool:
    """A fight the sentence tells between people of no armed force, with no weapon of war named."""
    words = {t.lower_ for t in sent}
    return bool(words & UNARMED_SIDES) and not words & ARMED_WORDS


BARE_HANDED = ("beat", "stab", "tortur", "flog")  # assaults on a person, not an exchange of fire
AIR_WORDS = r"\b(?:air|aircraft|airstrikes?|plane|planes|jets?|warplanes?|helicopters?|drones?|bombers?|raids?)\b"


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
        if _unarmed_sides(sent):
            return "Mob violence"  # "supporters of two candidates clashed at a polling station"
        return "Armed clash"
    if c in ("attack", "kill"):
        victims = (d.actor2 or "")
        hit = _victim_classes(sent)
        if (hit & {"protesters"} or victims.startswith("Protesters")) and not hit & {"forces"}:
            return "Excessive force against protesters"
        clause = _clause_head(tok)
        if _participial(clause):
            clause = clause.head  # "drones struck Kyiv, killing four": the killing is the strike's
        means = _own_words(clause)
        remote = _remote_kind(means)
        if remote and c in ("attack", "kill"):
            return remote  # "drones struck Kyiv, killing four": remote violence, whoever it hit
        named = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod")}
        if named & BOMB_WORDS and not _says(low, "suicide"):
            return "Remote explosive/landmine/IED"  # "a bomb attack on the market", whoever it hit
        if named & {"grenade", "grenades"}:
            return "Grenade"
        if hit & {"forces"} or victims.startswith(("Military", "Police")):
            pass  # fighters on both sides: a clash unless a weapon says otherwise (below)
        elif tok.lower_.startswith(BARE_HANDED):
            return "Attack"  # beaten, stabbed, tortured: no one fights back with fists against a gun
        elif victims.startswith("Civilians") or hit & {"civilians"} or ("civilian" in low and not hit):
            return "Attack"
        # the weapon of this act: a coordinated act's weapon is that act's ("came under fire, and
        # responded with drone strikes")
        arms = means if any(c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") for c in clause.children) else low
        if _says(arms, "suicide bomb", "suicide attack"):
            return "Suicide bomb"
        if _says(arms, "airstrike", "air strike", "drone", "warplane", "jets"):
            return "Air/drone strike"
        if _says(arms, "shell", "artillery", "missile", "rocket", "mortar"):
            return "Shelling/artillery/missile attack"
        if _says(arms, "roadside bomb", "ied", "ieds", "landmine", "explosive device", "car bomb"):
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
    heads = [tok] + [o for o in tok.children if o.dep_ in ("dobj", "nsubjpass")]  # "detained people at protests"
    if c == "arrest" and any(g.lower_ in PROTEST_NOUNS for h in heads for p in h.children if p.dep_ == "prep"
                             and p.lower_ in ("at", "during", "in") for g in p.children if g.dep_ == "pobj"):
        return "Protest with intervention"  # codebook: arrests at a protest are that protest's intervention
    if c == "ied" and re.search(r"\b(?:aircraft|plane|planes|jets?|warplanes?|helicopters?|drones?)\b", low):
        return "Air/drone strike"  # "an aircraft dropped a bomb on a school"
    if c == "airstrike" and tok.lower_ in ("bombing", "bombings") and state and not is_state and \
            not state.startswith("Multinational") and not re.search(AIR_WORDS, low):
        # "the group claimed a bombing in the market": a non-state group with no aircraft sets off bombs
        return "Remote explosive/landmine/IED"
    if c == "abduct" and is_state and tok.lower_ in STATE_TAKING:
        return "Arrests"  # "police captured the cell's leader": a state taking people in is an arrest
    if c in direct:
        return direct[c]
    if c == "protest":
        return _protest_kind([sent])
    if c == "riot":
        return "Mob violence" if re.search(r"\bmobs?\b|\blynch", low) else "Violent demonstration"
    if c == "agreement":
        return "Agreement" if d.status == "happened" and any(
            w in low for w in ("signed", "agreed", "reached", "struck", "brokered", "concluded")) else None
    if c == "release":
        return "Other" if d.counts.get("released") else None
    if c == "base":
        return "Headquarters or base established" if tok.lower_ in ("base", "headquarters", "outpost") or any(
            w in low for w in (" base", "headquarters", "outpost")) else None
    return None
