"""What later sentences say about events told before: confirmations, denials and claims of
responsibility update the claim of an earlier draft instead of proposing a new event."""

from __future__ import annotations

from .. import actors as act
from ..taxonomy import ACLED_SUB_TYPES, TRIGGER_INDEX
from .draft import _Draft
from .lexicon import CONFIRM_VERBS, CONTROL_VERBS, DENY_VERBS, EVENT_NOUNS, NEG_BEFORE, RESPONSIBILITY
from .state import ArticleState
from .syntax import _negated, _object, _phrase, _subject


def apply_updates(sent, drafts: list[_Draft], state: ArticleState) -> set[int]:
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
            if holder is not None and state.countries.named(holder):
                # "the mayor said ..., confirming that Russian forces now controlled the city"
                state.control_confirmed.add(state.countries.named(holder))
            continue
        speaker = _subject(tok)
        who = act.normalise(_phrase(speaker), state.ctx) if speaker is not None else None
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


def responsibility_claims(drafts: list[_Draft], state: ArticleState) -> None:
    """'X claimed responsibility for the attack': the nearest violent event is claimed by X.

    Read from the text itself (any letter case, across line wraps), not the parse."""
    violent = [d for d in drafts if ACLED_SUB_TYPES.get(d.sub_event_type or "") in (
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Riots")]
    if not violent:
        return
    text = state.doc.text
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
