"""What a trigger's clause says about its event, read from the parse.

Whether the trigger tells an event at all or only an aim ("the battle to retake X"),
background ("since Russian forces took it over"), a hypothetical or a state ("under
house arrest"); whether what was taken is a person rather than a place; whether a
weapon did the damage; and which date expression dates it (not one inside a
relative clause of its own).
"""

from __future__ import annotations

import datetime as dt
import re

from ..dates import When, resolve
from ..nlp import sentence_ents
from ..quantities import parse_number
from .lexicon import (
    _VERB_LOOKUP,
    ARTILLERY_NOUNS,
    BACKGROUND_WORDS,
    CLAIM_VERBS,
    CONFIRM_VERBS,
    DENY_VERBS,
    DURATION,
    HEDGE,
    HYPOTHETICAL_HEADS,
    PLAN_VERBS,
    PROTECTIVE_HEADS,
    REPORT_VERBS,
    SAY_VERBS,
    THREAT_VERBS,
)
from .syntax import (
    _agent,
    _attached_to,
    _gap,
    _participial,
    _subject,
    _time_clause,
)


def _hypothetical_noun(tok) -> bool:
    """'the threat of encirclement', 'fears of an offensive': a noun that reports nothing."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lower_ in HYPOTHETICAL_HEADS:
        return True
    # "as a precautionary measure against car bombs": a kind of attack guarded against, none in particular
    return tok.dep_ == "pobj" and tok.head.lower_ == "against" and tok.head.head.lower_ in PROTECTIVE_HEADS \
        and not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "a", "an") for c in tok.children)


def _state_not_event(tok) -> bool:
    """A territory noun naming a state of affairs: 'eight months of occupation', 'ending the occupation',
    'under occupation', 'during the occupation'."""
    head = tok.head
    if tok.dep_ == "pobj" and head.lower_ in ("of", "under", "during", "throughout") and (
            head.lower_ != "of" or head.head.lower_ in ("months", "years", "weeks", "days", "decades", "end")):
        return True
    return tok.dep_ == "dobj" and head.lower_ in ("end", "ending", "ended", "ends")


PEOPLE_WORDS = frozenset("""he she him her they them man men woman women boy boys girl girls child children
    people person persons militant militants fighter fighters soldier soldiers troops members member suspect
    suspects national nationals peacekeepers civilians hostages jihadist jihadists insurgents rebels""".split())
PERSON_ROLES = frozenset("""mayor governor official officials journalist journalists activist activists
    commander commanders leader leaders chief head minister deputy councillor candidate priest doctor
    facilitator facilitators associate associates operative operatives financier financiers recruiter
    recruiters insurgent rebel emir""".split())


STRIKE_WORDS = ARTILLERY_NOUNS | frozenset("""strike strikes airstrike airstrikes blast blasts explosion explosions
    shelling bombing bombardment bomb bombs drone drones shell shells attack""".split())


def _by_weapon(tok) -> bool:
    """The subject (or, in the passive, the agent) of ``tok`` is a weapon or a strike."""
    doer = _subject(tok)
    if doer is None or any(c.dep_ == "nsubjpass" for c in tok.children):
        doer = _agent(tok) or (doer if doer is not None and doer.dep_ != "nsubjpass" else None)
    if doer is None and tok.dep_ == "conj":
        doer = _subject(tok.head)  # "the missiles hit an office and set fire to cars"
    if doer is None:
        doer = next((c for c in tok.children if c.dep_ == "csubj"), None)
    if doer is not None and doer.dep_ == "csubj":
        doer = _subject(doer) or doer  # "missiles fired from the sea had destroyed ..." (a parse slip)
    return doer is not None and doer.lower_ in STRIKE_WORDS


GENERIC_GROUND = frozenset("""territory territories area areas land lands ground towns villages cities positions
    parts swathes swaths""".split())


def _bare_infinitive(tok) -> bool:
    """'to retake X' that no plan, order or announcement governs (those make it 'planned')."""
    if tok.dep_ == "conj" and not any(c.dep_ == "aux" for c in tok.children):
        tok = tok.head  # "a drive to expel the rebels and recover the valley"
    aux = {c.lower_ for c in tok.children if c.dep_ == "aux"}
    if "to" not in aux or "have" in aux:  # "claimed to have captured X" tells a done capture
        return False
    head = tok.head.lower_
    return not any(head in words for words in (PLAN_VERBS, THREAT_VERBS, CLAIM_VERBS, SAY_VERBS, REPORT_VERBS,
                                               CONFIRM_VERBS, DENY_VERBS))


def _passive_subject(tok):
    return next((c for c in tok.children if c.dep_ == "nsubjpass"), None)


def _is_person(tok) -> bool:
    """People: a PERSON entity, a pronoun, a role ('the mayor'), people or fighters ('two British
    militants', 'a number of soldiers', 'the 21-year-old'), also through 'who' to its antecedent."""
    if tok is None:
        return False
    if tok.lower_ in ("who", "whom") and tok.head.dep_ == "relcl":
        tok = tok.head.head
    if tok.lower_ == "number":  # "a number of soldiers"
        tok = next((g for c in tok.children if c.lower_ == "of" for g in c.children), tok)
    return tok.ent_type_ == "PERSON" or tok.lower_ in PERSON_ROLES or tok.lower_ in PEOPLE_WORDS \
        or tok.lower_.endswith("-old")


def _governing_verb(tok) -> str | None:
    """The verb a noun hangs from, through prepositions and quantities ("fired dozens of missiles" -> fired)."""
    for a in tok.ancestors:
        if a.pos_ in ("VERB", "AUX"):
            return a.lower_
        if a.dep_ not in ("prep", "agent", "pobj", "dobj", "nummod", "quantmod", "conj", "appos", "compound", "amod"):
            return None
    return None


def _since_clause(tok, clause) -> bool:
    """'protests have been held daily since Russian forces took it over': a reference point."""
    verb = tok if tok.pos_ in ("VERB", "AUX") else clause
    return verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since" for c in verb.children)


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
    """'If true, this would be the largest town lost': a hypothetical under would/could."""
    if not any(t.dep_ == "mark" and t.lower_ in ("if", "unless") for t in sent):
        return False
    for a in [tok, *tok.ancestors]:
        if any(c.dep_ == "aux" and c.lower_ in HEDGE for c in a.children):
            return True
    return False


def _in_relative_clause(t, tok) -> bool:
    """``t`` sits in a relative clause below ``tok``: it dates that clause, not ``tok`` - unless
    that clause tells the same move ("recaptured X, which troops first entered on Thursday")."""
    above = {a.i for a in tok.ancestors}  # a clause that holds the trigger too is the trigger's own
    while t.i != tok.i and t.head.i != t.i and t.i not in above:
        if t.dep_ == "relcl" and (t.tag_ in ("VBD", "VBN") or any(
                c.dep_ == "aux" and c.lower_ in ("had", "has", "have") for c in t.children)):
            # a past clause of its own ("which had served as a base since April"); a present one
            # ("who conducts attacks ... Sunday") has no past date: that date is the parse's slip
            return _VERB_LOOKUP.get(t.lower_) not in ("take", "capture", "recapture", "withdraw")
        t = t.head
    return False


def _at_the_same_time(t) -> bool:
    """'four died on Monday when a bomb hit their car': a when-clause shares its main clause's day."""
    return t.dep_ == "advcl" and any(c.dep_ == "advmod" and c.lower_ in ("when", "as", "while") and c.i < t.i
                                     for c in t.children) or _when_of_a_date(t)


def _when_of_a_date(t) -> bool:
    """'were killed on 4 March, when their ambulance was hit': the when-clause hangs on the date it tells."""
    return t.dep_ == "relcl" and t.head.ent_type_ in ("DATE", "TIME") and any(
        c.dep_ == "advmod" and c.lower_ == "when" for c in t.children)


def _report_dated(tok, sent) -> bool:
    """The trigger's clause is what someone said, and the sentence's date is the saying's, none the
    clause's own: "the command said on Tuesday that its forces came under fire" (fire when?)."""
    t = tok
    while t.head.i != t.i and not (t.dep_ == "ccomp" and t.head.lower_ in SAY_VERBS | REPORT_VERBS):
        t = t.head
    if t.head.i == t.i:
        return False
    clause = {x.i for x in t.subtree}
    dates = [e for e in sentence_ents(sent) if e.label_ in ("DATE", "TIME") and not DURATION.match(e.text.strip())]
    return bool(dates) and all(e.root.i not in clause for e in dates) and any(
        e.root.head.i == t.head.i or e.root.head.head.i == t.head.i for e in dates)


TIME_OF_DAY = re.compile(r"(?:at\s+|before\s+|after\s+)?(?:dawn|dusk|daybreak|sunrise|sunset|nightfall|"
                         r"midnight|noon|midday|night|the morning|the evening|the afternoon)", re.I)


def _date_for(tok, sent, published, _main_only: bool = False):
    best, best_dist = None, None
    chain = [tok]
    t = tok
    while t.head.i != t.i and (t.dep_ not in ("relcl", "advcl", "acl", "appos", "parataxis") or _participial(t)
                               or _at_the_same_time(t) or _purpose_of(t)) and not (
            t.dep_ == "conj" and not (t.pos_ in ("VERB", "AUX") and t.head.pos_ in ("VERB", "AUX"))):
        t = t.head  # "In 2003 militias attacked X and burned Y": coordinated verbs share the date
        chain.append(t)
    own = set(chain)
    level_of = {t.i: k for k, t in enumerate(chain)}
    for ent in sentence_ents(sent):
        if ent.label_ not in ("DATE", "TIME", "EVENT"):
            continue
        if not _attached_to(ent.root, own, tok):
            continue
        if DURATION.match(ent.text.strip()):
            continue  # "a siege of nearly three months", "for weeks": how long, not when
        if _in_relative_clause(ent.root, tok):
            continue  # "pulled out of the town, which had been their base since April"
        when = resolve(ent.text, published)
        if when is None:
            continue
        # the date on the nearest verb of the chain wins: "attacked X in 2003 ..., survivors recalled this week"
        level = next((level_of[a.i] for a in [ent.root, *ent.root.ancestors] if a.i in level_of), len(chain))
        dist = abs(ent.start - tok.i) + 1000 * level
        in_subtree = ent.root in set(tok.subtree) or ent.root.head.i == tok.i
        if in_subtree:
            dist -= 100
        if ent.label_ == "TIME" and TIME_OF_DAY.fullmatch(ent.text.strip()):
            dist += 500  # "at dawn on Wednesday": the day says which dawn
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
    if best is None and not _main_only:
        best = _dated_by_gap(tok, sent, published)
    return best


def _purpose_of(t) -> bool:
    """'drove into the city on Monday to protest': an infinitive of purpose shares its verb's day."""
    return t.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)


GAP_DAYS = {"day": 1, "week": 7, "hour": 0, "minute": 0}  # units of a measured gap, in days


def _dated_by_gap(tok, sent, published):
    """'a medic died a week after the town was retaken', 'four days before the strike': the clause of
    time is dated from the main clause's day (its own date, or the publication day when it is told
    in the present or present perfect) and the gap; None when either is unknown."""
    head = _time_clause(tok)
    if head is None:
        return None
    mark = next((c.lower_ for c in head.children if c.dep_ == "mark"), "")
    days = _gap_days(_gap(head))
    if days is None or mark not in ("after", "before"):
        return None
    main = head.head
    base = _date_for(main, sent, published, _main_only=True)
    if base is None and published is not None and _told_as_now(main):
        base = When(published, 1, "present")
    if base is None or base.precision != 1:
        return None
    day = base.date - dt.timedelta(days=days) if mark == "after" else base.date + dt.timedelta(days=days)
    tense = "past" if published is None or day < published else ("present" if day == published else "future")
    return When(day, 1, tense)


def _gap_days(gap) -> int | None:
    """Days in 'a week', 'four days', 'hours' (0); None for any other noun or a vague number."""
    if gap is None:
        return None
    unit = GAP_DAYS.get(gap.lower_.rstrip("s"))
    if unit is None:
        return None
    nums = [c for c in gap.children if c.dep_ in ("nummod", "det")]
    if not nums:
        return 0 if unit == 0 else None  # "hours after": the same day; "days after": how many?
    n = 1 if nums[0].lower_ in ("a", "an", "one") else parse_number(nums[0].text)
    return None if n is None else n * unit


def _told_as_now(verb) -> bool:
    """A verb in the present or the present perfect: 'comes', 'has been killed'."""
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return verb.tag_ == "VBN" and any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") and
                                      c.lower_ in ("has", "have") for c in verb.children)
