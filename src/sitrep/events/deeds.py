"""Vetting rules that tell news of a deed from the other things a sentence about one can be.

A trigger can sit in a hedge ("may have attacked"), a prospect ("what is expected to be a
decisive battle"), a court case about a deed ("jailed for attacking a police post"), a life
story ("whose brother was killed in the siege, now teaches ...") or a stretch of a life
("spent two years fighting"). Each rule here takes a ``frame.Frame`` and returns False to
reject the trigger; ``frame.RULES`` runs them in order with the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import BE_FORMS, HEDGE, LEGAL_WORDS, SAY_VERBS, TIME_SPANS
from .state import ArticleState

if TYPE_CHECKING:
    from .frame import Frame


def not_hedged(f: Frame, state: ArticleState) -> bool:
    """'may have attacked', 'could strike': a hedged report is no report."""
    return not any(c.lower_ in HEDGE for c in list(f.tok.children) + list(f.clause.children) if c.dep_ == "aux")


def not_a_prospect(f: Frame, state: ArticleState) -> bool:
    """'for what is expected to be a decisive battle', 'promises to be a long siege': what an
    event is to be is no report of one."""
    head = f.tok.head
    return not (f.tok.dep_ == "attr" and head.lower_ in BE_FORMS and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in head.children))


def not_a_purpose(f: Frame, state: ArticleState) -> bool:
    """'a nurse who travelled north to fight the militia', 'troops sent to retake the town': what
    someone went or was sent to do is a purpose, not a report that it was done. A protest and its
    dispersal are the exceptions: 'drove tractors into the city to protest against prices' tells a
    protest held, 'fired tear gas to disperse the crowd' the crowd dispersed."""
    if f.category in ("protest", "disperse"):
        return True
    # the trigger's own verb, or the first verb a noun trigger hangs on ("travelled there to help in
    # the recapture of X"; "helped in the recapture" tells it done)
    verb = f.tok if f.is_verb else next((a for a in list(f.tok.ancestors)[:3] if a.pos_ in ("VERB", "AUX")), None)
    return verb is None or not (verb.dep_ in ("advcl", "acl") and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children))


def not_a_charge(f: Frame, state: ArticleState) -> bool:
    """'accused of fighting for a militia', 'jailed for attacking a police post', 'facing a
    prosecution for fighting abroad': the deed a case is about, not news of the deed."""
    tok = f.tok
    for a in [tok, *list(tok.ancestors)[:2]]:
        if a.dep_ == "pcomp" or a.dep_ == "pobj":
            prep = a.head
            if prep.lower_ in ("for", "of", "over") and _legal_above(prep):
                return False
    return True


def not_a_life_story(f: Frame, state: ArticleState) -> bool:
    """'Amina, whose brother was killed in the siege, now teaches in Mosul': an undated past told
    in a relative clause of a sentence about the present is background."""
    rel = next((a for a in [f.tok, *f.tok.ancestors][:5] if a.dep_ == "relcl"), None)
    if rel is None:
        return True
    auxes = {c.lower_ for c in rel.children if c.dep_ in ("aux", "auxpass")}
    # a simple or earlier past ("who lost", "who had fought", "whose brother was killed"); a present
    # perfect ("where troops have taken the old city") is recent news
    if auxes & {"has", "have"} or not (rel.tag_ == "VBD" or auxes & {"had", "was", "were"}):
        return True
    root = f.sent.root
    kids = list(root.children)
    present = root.tag_ in ("VBZ", "VBP") or root.tag_ == "VBN" and any(  # "have now joined"
        c.dep_ == "aux" and c.lower_ in ("has", "have") for c in kids) or root.tag_ == "VB" and any(
        c.dep_ == "nsubj" for c in kids) and not any(c.dep_ == "aux" for c in kids)  # "the men now guard": VBP mis-tagged
    if not present or root.lower_ in SAY_VERBS or any(c.dep_ == "aux" and c.tag_ in ("VBD", "MD") for c in kids):
        return True
    dated = any(t.ent_type_ in ("DATE", "TIME") for t in rel.subtree)
    return dated


def not_a_stretch_of_time(f: Frame, state: ArticleState) -> bool:
    """'spent the winter fighting near Kherson', 'spent years battling the rebels': a
    stretch of someone's life, not one event."""
    tok = f.tok
    head = tok.head if tok.dep_ in ("xcomp", "advcl", "dobj", "pcomp") else None
    if head is not None and head.lower_ in ("spend", "spent", "spends", "spending"):
        spans = [c for c in head.children if c.dep_ in ("dobj", "npadvmod")]
        spans += [c for c in tok.children if c.dep_ == "compound"]  # "spent the winter fighting" parsed as one noun
        return not any(c.lower_ in TIME_SPANS for c in spans)
    return True


def not_a_place_description(f: Frame, state: ArticleState) -> bool:
    """'east of the river, where Kurdish-led forces have battled the group': the present perfect
    in a clause that describes a place tells what goes on there, not one event (a date in the
    clause makes it one: 'where rebels have seized two villages since Monday')."""
    verb = f.tok if f.is_verb else None
    if verb is None:
        return True
    perfect = any(c.dep_ == "aux" and c.lower_ in ("have", "has") for c in verb.children)
    if not perfect:
        return True
    where = verb.dep_ == "relcl" and any(c.lower_ == "where" and c.dep_ == "advmod" for c in verb.children)
    where = where or _where_clause_before(verb)  # the parser may hang the clause elsewhere
    dated = any(t.ent_type_ in ("DATE", "TIME") for t in verb.subtree)
    return not (where and not dated)


def not_a_list_of_places(f: Frame, state: ArticleState) -> bool:
    """'fought on battlegrounds including A, B, C and D': places given as examples of where
    someone went or fought sum up a stretch of time, not one event (a day in the clause makes it
    a report: 'strikes hit towns including A, B and C overnight')."""
    clause = f.clause if f.is_verb else f.tok
    for t in clause.subtree:
        if t.dep_ == "prep" and t.lower_ in EXAMPLE_PREPS:
            listed = [g for g in t.children if g.dep_ == "pobj"]
            listed += [c for g in listed for c in g.subtree if c.dep_ == "conj"]
            if len(listed) >= 3 and not any(x.ent_type_ in ("DATE", "TIME") for x in clause.subtree):
                return False
    return True


EXAMPLE_PREPS = {"including", "like"}


def _where_clause_before(verb) -> bool:
    """', where Kurdish-led forces, the group's allies, have battled ...': a 'where' after a comma
    opens the verb's clause, with no other verb of its own in between."""
    sent = verb.sent
    for t in reversed(sent[: verb.i - sent.start]):
        if t.lower_ == "where":
            return t.i > sent.start and t.nbor(-1).text == ","
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "aux", "auxpass") and t.i != verb.i:
            return False
    return False


# ---- parse helpers -------------------------------------------------------------------
def _legal_above(prep) -> bool:
    """The phrase a 'for' hangs on is a legal one, also through a noun phrase ('stood trial
    under terrorism statutes for fighting ...')."""
    word = prep.head
    for _ in range(4):
        if _legal(word):
            return True
        if word.dep_ not in ("pobj", "prep") or word.head.i == word.i:
            return False
        word = word.head
    return False


def _legal(word) -> bool:
    """A legal word, or a verb whose object is one ('is facing a prosecution', 'stood trial')."""
    return word.lower_ in LEGAL_WORDS or (word.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("dobj", "attr") and c.lower_ in LEGAL_WORDS for c in word.children))
