"""The learned decisions applied to the rule drafts of one article.

For every sentence that holds a draft event, the detector says whether the
sentence reports an event that happened; drafts from sentences that are
background, plans, hypotheticals, statements, opinion, aggregates or general
descriptions are dropped (aggregates are already statistics), and so are drafts
whose own clause the rules read as planned or threatened (a sentence can tell a
capture and the counter-attack promised in reply). The typer then
ranks the sub-event types: a confident model overrides the trigger rule's type
only when it gives the rule's type almost no chance (``OVERRIDE_P`` against
``RULE_FLOOR_P``), and the event's confidence becomes the calibrated product of
p(happened) and the type's probability.

PLOVER-only political drafts (no ACLED type) pass through untouched; the
pipeline keeps them apart from the event list.
"""

from __future__ import annotations

from ..classify.features import SentenceContext, encoder, token_tags
from ..taxonomy import ACLED_SUB_TYPES, PLOVER_OF_SUB, TERRITORY_TYPES
from ..actors import PROTESTERS, RIOTERS
from .draft import _Draft
from .kinds import PROTEST_NOUNS
from .lexicon import CROWD_WORDS, MOB_WORDS, TERRITORIAL
from .state import ArticleState

OVERRIDE_P = 0.6  # the typer's top label needs this much to replace the rule's type
RULE_FLOOR_P = 0.05  # ... and the rule's type must have less than this
MIN_HAPPENED = 0.5  # p(happened) a sentence needs to keep its drafts
CROWD_SUB_TYPES = {sub for sub, kind in ACLED_SUB_TYPES.items() if kind in ("Riots", "Protests")}


def _context(state: ArticleState, si: int) -> SentenceContext:
    sent = state.sents[si]
    return SentenceContext(published=state.published, index=si, paragraph=state.para_of(sent.start_char))


# Sub-types the words alone cannot tell apart, so the model is asked about them together:
# - which territory type it is follows from who took the place from whom;
# - an armed clash and an attack differ in the victims (armed forces fight back, civilians
#   do not): "an attack by militants killed four soldiers" is ACLED's armed clash.
# The rules read both from the actors and the victims, not from the words.
POOLED_TYPES = (TERRITORY_TYPES, frozenset({"Armed clash", "Attack"}))


def _type_p(probs: dict[str, float], sub: str) -> float:
    """p of a sub-type, or of its pool of sub-types the words cannot tell apart."""
    for pool in POOLED_TYPES:
        if sub in pool:
            return sum(probs.get(t, 0.0) for t in pool)
    return probs.get(sub, 0.0)


def apply(drafts: list[_Draft], state: ArticleState, detector, typer, screen=None) -> list[_Draft]:
    """The drafts whose sentence reports an event that happened, typed and scored.

    With a ``screen``, the sentences it rules out are dropped before anything is encoded."""
    detections: dict[int, object] = {}
    types: dict[int, list[tuple[str, float]]] = {}
    kept = []
    tags = {si: token_tags(state.sents[si]) for si in sorted({d.sent_index for d in drafts
                                                                 if d.sub_event_type is not None})}
    wanted = {si for si in tags
              if screen is None or screen.passes(state.sents[si].text, _context(state, si), tags[si])}
    # the sentences to decide, encoded in one batch (the steps then find them in the encoder's cache)
    if wanted:
        encoder().encode([state.sents[si].text for si in sorted(wanted)])
    for d in drafts:
        if d.sub_event_type is None:  # a PLOVER-only political act
            kept.append(d)
            continue
        si = d.sent_index
        sent = state.sents[si]
        if si not in wanted:
            continue  # the screen saw no event in its words
        if si not in detections:
            detections[si] = detector.detect(sent.text, _context(state, si), tags[si])
            types[si] = typer.type(sent.text, tags[si])
        det = detections[si]
        if det.happened < MIN_HAPPENED or d.status in ("planned", "threatened"):
            continue  # not a sentence that reports a happened event, or the trigger's own clause is a plan
        ranked = types[si]
        probs = dict(ranked)
        top, p_top = ranked[0]
        # "Other" is a catch-all, the rule names a type; a change of control needs a place taken
        # from someone, which only the rules read ("attacked the police station" takes nothing)
        territorial = top in TERRITORY_TYPES and d.category not in TERRITORIAL
        # ... and a riot or a protest needs a crowd: an armed group the rules found acting stays armed
        # (with no actor found, the sentence must at least name a crowd: "a man wounded in an attack")
        crowdless = top in CROWD_SUB_TYPES and not d.crowd_actor and \
            d.sub_event_type not in CROWD_SUB_TYPES and (d.actor1 is not None or not _names_a_crowd(sent))
        if top != d.sub_event_type and top != "Other" and p_top >= OVERRIDE_P and not territorial and \
                not crowdless and \
                _type_p(probs, d.sub_event_type) < RULE_FLOOR_P:
            d.notes.append(f"typed by the model ({top} {p_top:.2f}; the rule said {d.sub_event_type})")
            d.sub_event_type = top
            d.plover = PLOVER_OF_SUB.get(top, d.plover)
        p_type = _type_p(probs, d.sub_event_type)
        d.confidence = det.happened * (0.5 + 0.5 * p_type)
        kept.append(d)
    return kept


def _names_a_crowd(sent) -> bool:
    return any(t.lower_ in CROWD_WORDS or t.lower_ in MOB_WORDS or t.lower_ in PROTESTERS or t.lower_ in RIOTERS
               or t.lower_ in PROTEST_NOUNS for t in sent)
