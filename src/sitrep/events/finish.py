"""From a kept draft to the frozen ``model.Event``: ACLED's coding conventions applied last.

Once a draft's place and actors are settled, a few of ACLED's rules follow from them:
a foreign army's gains are overtaken territory, a foreign army's arrests are
abductions, a side telling its own gains only claims them, the crowd of a protest
or riot is its actor1, and a strike's civilian victims are its actor2.
"""

from __future__ import annotations

import hashlib

from .. import actors as act
from ..dates import period_end
from ..model import Article, Event, Span
from ..taxonomy import ACLED_SUB_TYPES, PLOVER_OF_SUB
from .draft import _Draft
from .lexicon import CIVILIAN_VICTIMS, POLITICAL, RESCUE_WORDS, SAY_VERBS, STATE_VOICES, VICTIM_VERBS
from .state import ArticleState
from .syntax import _phrase, _subject

# An event told more than this many days after it happened is retold history, not news of it
# (the news gold's line between current and background events): it is kept, below the
# default confidence threshold, for whoever wants the background too.
RETOLD_DAYS = 30
RETOLD_CONFIDENCE = 0.4
# An event placed no closer than a country (or not at all) is never a confident one: an analyst can
# map it nowhere, and most such reports are a country's war told in general
UNPLACED_CONFIDENCE = 0.75
VIOLENT = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
# the phrases that name the acting side of a violent event told from its victims' side
AGENT_PREPS = {"by", "with"}
AGENT_HEADS = {
    "by": {"attack", "attacks", "assault", "ambush", "raid", "raids", "offensive", "planted", "fired",
           "launched", "strike", "strikes", "bombing", "shelling"},
    "with": {"clash", "clashes", "fighting", "battle", "battles", "gunfight", "firefight", "skirmish",
             "skirmishes", "exchange"},
}


def finish(d: _Draft, article: Article, state: ArticleState) -> Event:
    """The event a draft reports, with ACLED's conventions applied."""
    _refine_type(d, state)
    _own_claim(d, state)
    _sides(d, state)
    date, precision = _dated(d, article.published)
    if date is not None and article.published is not None and d.status == "happened" and \
            (article.published - period_end(date, precision)).days > RETOLD_DAYS:
        d.confidence = min(d.confidence, RETOLD_CONFIDENCE)
        d.notes.append(f"retold: it happened more than {RETOLD_DAYS} days before publication")
    place = d.place.place if d.place else None
    if place is None or place.is_country:
        d.confidence = min(d.confidence, UNPLACED_CONFIDENCE)
    geo_precision = None
    if place is not None:
        geo_precision = 3 if (place.is_country or place.feature_code == "ADM1") else (
            2 if place.feature_code == "ADM2" or not d.place_direct else 1)
    typed = d.sub_event_type in ACLED_SUB_TYPES
    fatalities = d.counts.get("killed") if typed else None
    if fatalities is None and typed and d.status == "happened":
        fatalities = 0  # ACLED codes 0 for every event with no reported deaths, strategic ones included
    spans, seen = [], set()
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


def _country(d: _Draft, state: ArticleState) -> str | None:
    """The event's country: its place's, else the article's."""
    return d.place.place.country_code if d.place and d.place.place.country_code else state.ctx.country


# ACLED's state actors: a government's own forces (a militia or a rebel army "retakes" ground, it never
# "regains" it for a government)
STATE_ACTORS = ("Military Forces", "Police Forces", "Government")


def _refine_type(d: _Draft, state: ArticleState) -> None:
    """Whose ground was taken, and whose forces arrested people, decide ACLED's sub-type."""
    countries = state.countries
    place_cc = d.place.place.country_code if d.place else None
    if d.category == "recapture" and not d.actor1 and d.place is not None and place_cc:
        # "X has been retaken / freed" with no one named: ACLED's government regaining its ground
        if countries.name(place_cc):
            d.actor1 = act.normalise("forces", state.ctx, military_default=True, country_hint=place_cc)
            d.notes.append("retaken by the state, no side named")
    if d.sub_event_type == "Government regains territory" and d.actor1:
        # a state retaking its own ground regains it; a foreign state's forces overtake it ACLED
        if countries.foreign(d.actor1, place_cc if d.place else state.ctx.country):
            d.sub_event_type = "Non-state actor overtakes territory"
            d.notes.append("territory taken by a foreign state's forces")
        elif not d.actor1.startswith(STATE_ACTORS):
            d.sub_event_type = "Non-state actor overtakes territory"  # "rebels retook the town"
            d.notes.append("territory taken by a side that is not a state")
    if d.sub_event_type == "Arrests" and d.actor1 and d.actor1.startswith(("Military Forces", "Police Forces")):
        # arrests are a state's own forces acting at home; a foreign army taking people is an abduction
        if countries.foreign(d.actor1, place_cc):
            d.sub_event_type, d.plover = "Abduction/forced disappearance", PLOVER_OF_SUB.get(
                "Abduction/forced disappearance", d.plover)
            d.notes.append("people taken by a foreign state's forces")


def _own_claim(d: _Draft, state: ArticleState) -> None:
    """A side announcing its own plans or moves is not claiming; a side telling its own gains is."""
    if d.claim == "reported" and d.status == "happened" and d.category not in POLITICAL | {"withdraw"}:
        speaker = claimed_by_own_side(d.trigger, d.actor1, state)
        if speaker is not None:
            d.claim, d.claimed_by = "claimed", speaker


def claimed_by_own_side(tok, actor: str | None, state: ArticleState) -> str | None:
    """'Russia's defence ministry said its forces had taken X': a side reporting its own
    action is only a claim (an interested party). Returns the speaker, or None."""
    side = act.state_name(actor)
    if side is None:
        return None
    for a in list(tok.ancestors)[:4]:
        if a.lower_ in SAY_VERBS:
            speaker = _subject(a)
            if speaker is None or speaker.i == tok.i:
                return None
            said_by = state.countries.named(speaker)
            if said_by is None and any(t.lower_ in STATE_VOICES for t in speaker.subtree):
                # "..., the defence ministry said" after "Russia said ...": the same side speaking
                said_by = state.last_named_speaker(speaker)
            if said_by and said_by == state.countries.code(side):
                return act.normalise(_phrase(speaker), state.ctx, country_hint=said_by) or actor
            return None
    return None


def _sides(d: _Draft, state: ArticleState) -> None:
    """actor2 when the sentence names the other side; the crowd as actor1 of protests and riots."""
    kind = ACLED_SUB_TYPES.get(d.sub_event_type or "")
    if kind in VIOLENT and d.actor1 is None:
        _side_in_phrase(d, state)
    if kind in VIOLENT and d.actor2 is None:
        _victims_as_subject(d, state)
    if kind in VIOLENT and (d.actor1 or "").startswith("Civilians"):
        d.notes.append(f"actor1 {d.actor1} dropped: civilians are the targets of violence, not its actors")
        d.actor1 = None
    if kind in VIOLENT:
        # ACLED: a state fights, shells and kills through its forces ("Military Forces of Syria");
        # "Government of Syria" is the actor of its political acts
        d.actor1, d.actor2 = _armed(d.actor1), _armed(d.actor2)
    if d.actor2 is None and kind in ("Battles", "Explosions/Remote violence"):
        # the other side, when the sentence names an armed group besides the one acting; with no
        # one acting, a group named before the deed is who did it ("A Taliban sniper shot and killed
        # two guards", which the parser may read as a noun phrase with no subject)
        sent = d.trigger.sent
        before = act.find_groups(sent.doc.text[sent.start_char: d.trigger.idx]) if d.actor1 is None else []
        allies = set(act.find_groups(_acting_phrase(d.trigger))) if d.actor1 is not None else set()
        others = [g for g in act.find_groups(sent.text) if g != d.actor1 and g not in allies]
        if before and d.actor1 is None:
            d.actor1 = before[-1]
            d.notes.append("actor1: the group named before the deed")
        elif others:
            d.actor2 = others[0]
            d.notes.append("the other side: the group the sentence names")
    if d.sub_event_type == "Armed clash" and (d.actor1 is None) != (d.actor2 is None):
        # a clash has two sides: the one the sentence leaves out is the group the article is most about
        known = d.actor1 or d.actor2
        side = next((g for g in state.ctx.groups if g != known), None)
        if side is not None:
            if d.actor1 is None:
                d.actor1 = side
            else:
                d.actor2 = side
            d.notes.append("the other side: the group the article names most")
    cc = _country(d, state)
    if d.actor2 is None and kind == "Explosions/Remote violence" and d.counts and any(
            t.lower_ in CIVILIAN_VICTIMS and not _cared_for(t) for t in d.trigger.sent):
        # ACLED codes the civilians a strike or a bomb kills or wounds as its other side
        d.actor2 = act.normalise("civilians", state.ctx, country_hint=cc)
    if d.actor2 is None and d.sub_event_type == "Chemical weapon" and d.place is not None and \
            (d.place.place.feature_code or "").startswith("PPL") and not _armed_target_named(d.trigger):
        # gas released over a town with no one else named as its target falls on the people living there
        d.actor2 = act.normalise("civilians", state.ctx, country_hint=cc)
        d.notes.append("actor2: the people of the town gassed")
    if d.actor2 is not None and d.actor2 == d.actor1:
        d.actor2 = None  # one side named twice is no second side
    if kind in ("Protests", "Riots"):
        # ACLED names the crowd itself: "Protesters (Chile)", "Rioters (India)" (codebook inter 5 and 6)
        name = state.countries.name(cc) if cc else None
        crowd = "Protesters" if kind == "Protests" else "Rioters"
        if d.actor1 and not d.actor1.startswith(("Protesters", "Rioters", "Civilians")) and \
                d.sub_event_type not in ("Peaceful protest", "Mob violence"):
            d.actor2 = d.actor1  # the force that intervened or that the rioters fought
        d.actor1 = f"{crowd} ({name})" if name else crowd


# words that say the target was armed ("shells filled with chlorine at rebel fighters")
ARMED_TARGETS = frozenset(act.MILITARY | act.INSURGENTS | act.GUNMEN) | frozenset(
    "position positions base bases frontline front-line trenches".split())


def _armed_target_named(tok) -> bool:
    """The sentence names armed people besides those who acted (the acting side's own words
    'Government forces fired ...' do not count)."""
    clause = tok
    while clause.head.i != clause.i and clause.pos_ not in ("VERB", "AUX"):
        clause = clause.head
    acting = {t.i for c in clause.children if c.dep_ in ("nsubj", "agent") for t in c.subtree}
    return any(t.lower_ in ARMED_TARGETS and t.i not in acting for t in tok.sent)


def _acting_phrase(tok) -> str:
    """The words of who acted, with all they list: 'retaken by forces fighting for the government,
    including militia units and allied groups' (the groups it includes are on that side)."""
    heads = [c for c in tok.children if c.dep_ in ("nsubj", "agent")]
    if not heads and tok.head.i != tok.i:
        heads = [c for c in tok.head.children if c.dep_ in ("nsubj", "agent")]
    doc = tok.doc
    return " ".join(doc[h.left_edge.i: h.right_edge.i + 1].text for h in heads)


def _cared_for(tok) -> bool:
    """'as they helped to evacuate civilians', 'to make way for civilians to leave': civilians the
    victims were helping, not victims themselves."""
    for t in (tok, *list(tok.ancestors)[:3]):
        if t.lower_ in RESCUE_WORDS:
            return True
        if t.pos_ in ("VERB", "AUX") and t.lower_ not in RESCUE_WORDS and t.dep_ not in ("xcomp", "ccomp", "advcl", "relcl"):
            return False
    return False


def _side_in_phrase(d: _Draft, state: ArticleState) -> None:
    """actor1 of a violent event told in the passive from the victims' side, named only in a
    phrase on the event: "two soldiers were killed during clashes with Taliban fighters",
    "... following an attack by militants", "a mine planted by the group"."""
    for tok in d.trigger.sent:
        if tok.lower_ not in AGENT_PREPS or tok.head.lower_ not in AGENT_HEADS.get(tok.lower_, ()):
            continue
        obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
        if obj is None:
            continue
        side = act.normalise(_phrase(obj), state.ctx, country_hint=_country(d, state))
        if side and side != d.actor2 and not side.startswith("Civilians"):
            d.actor1 = side
            d.notes.append(f"actor1: the side named in '{tok.head.text} {tok.text} ...'")
            return


def _victims_as_subject(d: _Draft, state: ArticleState) -> None:
    """actor2 of an event told by who suffered it: "four officers died in an attack"."""
    verb, steps = d.trigger, 0
    # "died in an attack", "died when a bomb hit their car"
    while verb.lower_ not in VICTIM_VERBS and verb.dep_ in ("pobj", "prep", "nsubj", "advcl") and \
            verb.head.i != verb.i and steps < 4:
        verb, steps = verb.head, steps + 1
    if verb.i == d.trigger.i or verb.lower_ not in VICTIM_VERBS:
        return
    subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return
    side = act.normalise(_phrase(subj), state.ctx, military_default=True, country_hint=_country(d, state))
    if side and side != d.actor1:
        d.actor2 = side
        d.notes.append(f"actor2: who {verb.text}")


def _armed(actor: str | None) -> str | None:
    if actor and actor.startswith("Government of "):
        return "Military Forces of " + actor[len("Government of "):]
    return actor


def _dated(d: _Draft, published):
    """(date, ACLED time precision): the clause's own date, never after publication for what
    happened; a plan is dated by its announcement; no date at all is the publication date."""
    when = d.when
    if when is not None:
        date, precision = when.date, when.precision
        if d.status == "happened" and published and date > published:
            date = published
        if d.status == "planned" and published and date > published:
            date, precision = published, 1  # dated by the announcement
        return date, precision
    if published is not None:
        return published, 2 if d.status == "happened" else 1
    return None, None
