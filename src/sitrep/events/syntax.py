"""What the dependency parse says: subjects, objects, clauses, negation, the words around a trigger."""

from __future__ import annotations

from .lexicon import _VERB_LOOKUP, LIGHT_VERBS, MONTH_WORDS, PROTEST_GATHERINGS, SET_UP_VERBS, TIME_MARKS


def _crowd_head(tok):
    """'dozens of workers' -> workers; 'a group of residents' -> residents."""
    if tok is None:
        return None
    if tok.lower_ in ("dozens", "hundreds", "thousands", "scores", "group", "crowd", "number", "members"):
        inner = _prep_object(tok, ("of",))
        if inner is not None:
            return inner
    return tok


def _verbal(tok) -> bool:
    """A verb by its tag, or, in ALL-CAPS text where taggers call every word a proper noun,
    by its inflection ("KIDNAPPED", "ATTACKING")."""
    if tok.pos_ == "VERB" or tok.tag_.startswith("VB"):
        return True
    return tok.is_upper and len(tok) > 3 and tok.pos_ in ("PROPN", "NOUN", "ADJ") and \
        tok.lower_.endswith(("ed", "ing")) and tok.lower_ in _VERB_LOOKUP


def _is_month(tok) -> bool:
    """'March' / 'MAY' next to a day or a year is the month, in any letter case."""
    if tok.lower_ not in MONTH_WORDS:
        return False
    doc = tok.doc
    near = [doc[j] for j in (tok.i - 1, tok.i + 1, tok.i + 2) if 0 <= j < len(doc)]
    if any(t.like_num or t.lower_ in ("of", "early", "late", "mid", "since", "until", "in", "last", "next", "this")
           for t in near[:2]):
        return True
    return tok.text[:1].isupper() and not tok.text.isupper() and tok.i > tok.sent.start and \
        doc[tok.i - 1].lower_ not in ("a", "the", "their", "his", "her", "its", "our")


def _after_light_verb(tok) -> bool:
    """'staged a protest', 'held a sit-in', 'took out a protest rally' (the noun may be misparsed)."""
    doc = tok.doc
    for j in range(tok.i - 1, max(tok.sent.start, tok.i - 5) - 1, -1):
        t = doc[j]
        if t.lower_ in LIGHT_VERBS:
            return True
        if t.pos_ in ("VERB", "AUX") or t.is_punct:
            break
    # "staged walk-outs and demonstrations": a noun joined to the light verb's object
    first = tok.head
    return tok.dep_ == "conj" and first.pos_ in ("NOUN", "PROPN") and first.i < tok.i and (
        (first.dep_ == "dobj" and first.head.lower_ in LIGHT_VERBS) or _after_light_verb(first))


def _protest_gathering(tok) -> bool:
    """'set up a protest camp', 'held a protest vigil': the noun names the gathering a crowd set up."""
    gathering = tok.head
    return tok.dep_ == "compound" and gathering.lower_ in PROTEST_GATHERINGS and gathering.dep_ == "dobj" and \
        gathering.head.lower_ in SET_UP_VERBS | LIGHT_VERBS


def _clause_head(tok):
    """The verb a noun trigger hangs from ("claimed the conquest" -> claimed)."""
    t = tok
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i and t.dep_ not in ("ROOT",):
        t = t.head
    return t


def _negated(tok) -> bool:
    """'did not attack', 'never fired', 'no one was killed', 'no material had been released'."""
    for c in tok.children:
        if c.dep_ == "neg" or c.lower_ == "never":
            return True
        if c.dep_ in ("nsubj", "nsubjpass") and (c.lower_ in ("nobody", "none", "nothing") or any(
                d.dep_ == "det" and d.lower_ == "no" for d in c.children)):
            return True
    return False


def _subject(tok):
    subjects = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
    if subjects:
        # the nearest: "LIMA, 8 MAR -- GUNMEN ATTACKED" parses the dateline as a second subject
        return min(subjects, key=lambda c: abs(c.i - tok.i))
    if tok.dep_ in ("xcomp", "advcl", "conj", "ccomp") and tok.head.i != tok.i:
        if tok.dep_ == "conj" or tok.dep_ == "xcomp":
            return _subject(tok.head)
    if tok.dep_ == "relcl":
        return tok.head
    if _participial(tok):
        return _subject(tok.head)  # "..., completing the takeover": the main clause's subject
    if tok.dep_ == "acl" and tok.tag_ == "VBG":
        if tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head  # "a video of soldiers fixing a flag": the noun does it
        return _subject(tok.head) if tok.head.pos_ in ("VERB", "AUX") else None
    return None


def _participial(tok) -> bool:
    """'..., completing its capture of X' / 'ending ...': an -ing clause with no subject or
    conjunction of its own, which tells more of the main clause's event."""
    return tok.dep_ == "advcl" and tok.tag_ == "VBG" and not any(
        c.dep_ in ("mark", "nsubj", "nsubjpass") for c in tok.children) and tok.head.pos_ in ("VERB", "AUX")


def _agent(tok):
    for c in tok.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    if tok.dep_ in ("nsubjpass",):
        return None
    return None


def _object(tok):
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass", "attr", "dative"):
            if c.lower_ in ("control",):
                inner = _prep_object(c, ("of", "over"))
                return inner or c
            return c
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def _prep_object(tok, preps):
    """The object of the token's first preposition in ``preps`` that names no day or hour ("clashed
    on Tuesday with the police": the police)."""
    for c in tok.children:
        if c.dep_ in ("prep", "dative") and c.lower_ in preps:
            for g in c.children:
                if g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME"):
                    return g
    return None


def _has_left(tok, words) -> bool:
    return any(t.lower_ in words for t in tok.doc[max(tok.i - 3, tok.sent.start): tok.i])


def _phrase(tok) -> str:
    if tok is None:
        return ""
    toks = [t for t in tok.subtree if (t.i == tok.i or t.dep_ not in ("relcl", "acl", "appos", "punct", "cc", "conj"))
            and not any(a.dep_ in ("relcl", "acl", "appos", "conj") for a in t.ancestors if a in tok.subtree and a.i != tok.i)]
    return " ".join(t.text for t in toks) or tok.text


def _antecedent(pron):
    """The nearest earlier noun phrase that names an actor (a crude coreference)."""
    doc = pron.doc
    start = max(0, pron.sent.start - 60)
    for t in reversed(doc[start:pron.i]):
        if t.pos_ in ("PROPN", "NOUN") and t.dep_ in ("nsubj", "nsubjpass") and t.i != pron.i:
            return t
    return None


def _clause_tokens(head, keep=()) -> list:
    """The clause of ``head``: its subtree less conjoined, relative and subordinate clauses."""
    out, stack = [], [head]
    while stack:
        t = stack.pop()
        out.append(t)
        for child in t.children:
            if child.dep_ in ("conj", "relcl", "advcl", "ccomp", "parataxis", "acl") and child.pos_ in ("VERB", "AUX") \
                    and child.dep_ not in keep:
                continue
            stack.append(child)
    return out


def _attached_to(root, own, tok) -> bool:
    """Whether a date belongs to the trigger's clause, not to a relative clause beside it."""
    if root in set(tok.subtree):
        return True
    t = root
    while t.head.i != t.i:
        if t.dep_ in ("relcl", "acl", "advcl", "ccomp", "appos") and t.head not in own:
            return False
        t = t.head
        if t in own:
            return True
    return t in own


SERVE_VERBS = {"fighting", "serving", "volunteering", "embedded"}


def _side_served(tok):
    """The force a person is said to fight or serve with ("a volunteer fighting alongside the
    militia", "a medic serving with the army"): the side a combatant victim belongs to, or None."""
    for c in tok.children:
        if c.dep_ == "acl" and c.lower_ in SERVE_VERBS:
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ in ("with", "alongside", "for", "in"):
                    g = next((x for x in p.children if x.dep_ == "pobj"), None)
                    if g is not None and g.pos_ in ("NOUN", "PROPN"):
                        return g
    return None


def _reduced_passive(tok) -> bool:
    """'six soldiers killed in an ambush were buried': a past participle with no auxiliary and no
    object, which the parser may hang on the noun as its subject; the noun is who was killed, not who killed."""
    return tok.tag_ == "VBN" and tok.pos_ == "VERB" and \
        any(c.dep_ == "nsubj" for c in tok.children) and \
        not any(c.dep_ in ("aux", "auxpass", "dobj", "dative", "attr") for c in tok.children)


def _lost_lives(tok) -> bool:
    """The verb of "lost their lives" / "lost his life": its subject is who died."""
    return tok.lower_ in ("lost", "lose", "losing") and any(c.dep_ == "dobj" and c.lower_ in ("lives", "life")
                                                             for c in tok.children)


def _time_clause(tok):
    """The head of the 'after/before/since/until ...' clause the token is in, or None outside such
    a clause. The clause is the head's subtree; ``_gap`` says whether it measures the gap."""
    for node in [tok, *tok.ancestors]:
        if node.dep_ == "ROOT":
            return None
        if node.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in TIME_MARKS for c in node.children):
            return node
    return None


def _inside(tok, head) -> bool:
    """The token lies in the head's subtree."""
    return tok.i == head.i or head.is_ancestor(tok)


def _apart_in_time(a, b) -> bool:
    """Two triggers of one sentence told as separate moments: one sits in a clause of time that
    the other is outside of, and the gap is measured ("a medic died a week after the town was
    retaken") or one of them is a change of hands. ``a`` and ``b`` are (trigger token, whether
    its event is a change of hands)."""
    for x, y in ((a, b), (b, a)):
        head = _time_clause(x[0])
        if head is not None and not _inside(y[0], head) and (_gap(head) is not None or x[1] or y[1]):
            return True
    return False


def _gap(clause_head):
    """The measured gap of a clause of time: 'a week' in 'a week after the city fell' (on the verb
    or on its 'after'), or None."""
    for host in [clause_head, *(c for c in clause_head.children if c.dep_ == "mark")]:
        gap = next((c for c in host.children if c.dep_ == "npadvmod"), None)
        if gap is not None:
            return gap
    return None


def _interception(category: str, trigger) -> bool:
    """The report is of a salvo or a drone intercepted ("missiles ... were intercepted", "two more were
    shot down by air defences")."""
    if category == "defuse" and trigger.lower_.startswith("intercept"):
        return True
    return trigger.lower_ in ("shot", "shoot", "shoots", "shooting") and _brought_down(trigger)


def _brought_down(verb) -> bool:
    """The verb is "... down" ("shot down", "brought down"): aircraft and missiles, not people."""
    return any(c.lower_ == "down" and c.dep_ in ("prt", "advmod") for c in verb.children)
