"""The learned decisions applied to the rule drafts of one article.

For every sentence that holds a draft event, the detector says whether the
sentence reports an event that happened; drafts from sentences that are
background, plans, hypotheticals, statements, opinion, aggregates or general
descriptions are dropped (aggregates are already statistics), and so are drafts
whose own clause the rules read as planned or threatened (a sentence can tell a
capture and the counter-attack promised in reply). A deed whose own clause the rules
date within 30 days of publication ("four days after X was retaken") is not background,
whatever the sentence's tone: the detector's background share counts as happened. The typer then
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
RECENT_DAYS = 30  # a deed dated this close to publication is current news, not background
VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
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
    told = {}  # per sentence, the types its drafts were given by their own rules
    for d in drafts:
        told.setdefault(d.sent_index, set()).add(d.sub_event_type)
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
        happened = det.happened + (det.p if det.label == "background" and _recent_own_day(d, state) else 0.0)
        if happened < MIN_HAPPENED or d.status in ("planned", "threatened"):
            continue  # not a sentence that reports a happened event, or the trigger's own clause is a plan
        ranked = types[si]
        probs = dict(ranked)
        top, p_top = ranked[0]
        if _model_retypes(d, ranked, told[si], sent):
            d.notes.append(f"typed by the model ({top} {p_top:.2f}; the rule said {d.sub_event_type})")
            d.sub_event_type = top
            d.plover = PLOVER_OF_SUB.get(top, d.plover)
        p_type = _type_p(probs, d.sub_event_type)
        d.confidence = happened * (0.5 + 0.5 * p_type)
        kept.append(d)
    return kept


def _model_retypes(d: _Draft, ranked: list[tuple[str, float]], told: set, sent) -> bool:
    """Whether the typer's top label replaces the rule's type: it must be confident while the rule's
    type has almost no chance, and no reason the rules can show stands against it."""
    probs = dict(ranked)
    top, p_top = ranked[0]
    if top == d.sub_event_type or top == "Other" or p_top < OVERRIDE_P or \
            _type_p(probs, d.sub_event_type) >= RULE_FLOOR_P:
        return False  # "Other" is a catch-all, the rule names a type
    # a change of control needs a place taken from someone, which only the rules read ("attacked
    # the police station" takes nothing)
    territorial = top in TERRITORY_TYPES and d.category not in TERRITORIAL
    # a riot or a protest needs a crowd: an armed group the rules found acting stays armed (with no
    # actor found, the sentence must at least name a crowd: "a man wounded in an attack")
    crowdless = top in CROWD_SUB_TYPES and not d.crowd_actor and \
        d.sub_event_type not in CROWD_SUB_TYPES and (d.actor1 is not None or not _names_a_crowd(sent))
    # a violent deed told in a clause aside ("the candidate, who was murdered on Monday") is not
    # retyped by what the rest of the sentence is about (a nomination is a change to a group)
    aside = _told_aside(d.trigger) and ACLED_SUB_TYPES.get(d.sub_event_type) in VIOLENT_TYPES and \
        ACLED_SUB_TYPES.get(top) not in VIOLENT_TYPES
    # where the sentence tells two deeds ("killed a week after the city was retaken"), the model's
    # type is the other deed's when that one's rule already gave it
    sibling = top in told - {d.sub_event_type}
    return not (territorial or crowdless or aside or sibling)


def _recent_own_day(d: _Draft, state: ArticleState) -> bool:
    """The rules read the deed's own day from its clause ("four days after X was retaken") and it is
    at most ``RECENT_DAYS`` before publication: whatever the sentence's tone, that deed is no
    background (the annotation's line between background and current news)."""
    w, pub = d.when, state.published
    return w is not None and pub is not None and w.precision == 1 and w.tense in ("past", "present") and \
        0 <= (pub - w.date).days <= RECENT_DAYS


def _told_aside(tok) -> bool:
    """The trigger sits in a relative or participle clause on a noun ("X, who was shot on Monday",
    "the offices wrecked by a bomb"), not in what the sentence itself reports."""
    while tok.head.i != tok.i:
        if tok.dep_ in ("relcl", "acl", "appos"):
            return True
        tok = tok.head
    return False


def _names_a_crowd(sent) -> bool:
    return any(t.lower_ in CROWD_WORDS or t.lower_ in MOB_WORDS or t.lower_ in PROTESTERS or t.lower_ in RIOTERS
               or t.lower_ in PROTEST_NOUNS for t in sent)
