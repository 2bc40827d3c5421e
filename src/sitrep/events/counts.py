"""How many, of whom: numbers attached to their nouns and verbs, counted as ACLED counts them."""

from __future__ import annotations

from .. import actors as act
from ..quantities import amount
from .lexicon import (
    CROWD_WORDS,
    FORCE_WORDS,
    HARM_KINDS,
    KIND_OF_WORD,
    PERSON_NOUNS,
    TERRITORIAL,
    TROOP_WORDS,
    VAGUE_DETERMINERS,
    VICTIM_VERBS,
    WEAPON_NOUNS,
)
from .syntax import _brought_down, _crowd_head, _gap, _prep_object, _time_clause


def _counts(sent, category, trigger=None) -> dict:
    """The counts of one sentence by kind. A count in brackets is another source's figure or a
    detail ("2 policemen (7 according to the rebels) were killed"): it stands only for a kind
    the sentence gives no count of outside the brackets. A change of hands told in a clause of
    time ("a medic died in Kidal a week after the town was retaken") counts only its own clause:
    the toll is the main clause's event; so does any event told in a clause that measures the
    gap ("killed two days after troops shelled the village")."""
    head = _time_clause(trigger) if trigger is not None else None
    scope = {t.i for t in head.subtree} if head is not None and (
        _gap(head) is not None or category in TERRITORIAL) else None
    brackets = _bracketed(sent)
    main = _kind_counts(sent, category, brackets, aside=False, scope=scope)
    return _kind_counts(sent, category, brackets, aside=True, scope=scope) | main


def _kind_counts(sent, category, brackets: set[int], aside: bool, scope: set[int] | None = None) -> dict:
    """The counts of the tokens inside (``aside``) or outside the brackets, within ``scope`` if given."""
    out: dict[str, int] = {}
    groups: dict[str, dict[int, dict[int, int]]] = {}
    for tok in sent:
        if (tok.i in brackets) != aside or (scope is not None and tok.i not in scope):
            continue
        if not (tok.like_num or tok.lower_ in ("dozens", "hundreds", "thousands", "scores", "dozen")):
            continue
        if tok.ent_type_ in ("DATE", "TIME", "PERCENT", "MONEY", "ORDINAL"):
            continue
        if tok.dep_ == "compound" or (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].like_num):
            continue  # part of "three thousand": handled at the last word
        first = tok
        while first.i > sent.start and (tok.doc[first.i - 1].like_num or tok.doc[first.i - 1].lower_ in ("and",)) \
                and tok.doc[first.i - 1].ent_type_ == tok.ent_type_:
            first = tok.doc[first.i - 1]
        number_text = tok.doc[first.i: tok.i + 1].text
        prefix = tok.doc[max(sent.start, first.i - 4): first.i].text + " "
        amt = amount(number_text, prefix)
        if amt is None:
            continue
        noun = tok.head if tok.dep_ in ("nummod", "quantmod", "amod") else tok
        if tok.lower_ in ("dozens", "hundreds", "thousands", "scores"):
            noun = _prep_object(tok, ("of",)) or tok
        _add_count(groups, noun, _kind_of(noun, tok, category), amt.value)
    for noun, value in _implicit_counts(sent):
        if (noun.i in brackets) != aside or (scope is not None and noun.i not in scope):
            continue
        if noun.i not in {i for by_root in groups.values() for parts in by_root.values() for i in parts}:
            _add_count(groups, noun, _kind_of(noun, noun, category), value)
    for kind, by_root in groups.items():
        out[kind] = max(sum(parts.values()) for parts in by_root.values())
    return out


def _bracketed(sent) -> set[int]:
    """Indices of the tokens inside round brackets in the sentence."""
    inside: set[int] = set()
    depth = 0
    for tok in sent:
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth = max(0, depth - 1)
        elif depth:
            inside.add(tok.i)
    return inside


def _add_count(groups, noun, kind, value) -> None:
    if not kind:
        return
    root = noun
    while root.head.i != root.i:
        if root.dep_ == "conj":
            root = root.head  # "1 policeman and 1 civilian were killed": one toll of 2
        elif _along_with(root) is not None:
            root = _along_with(root)  # "the commander along with two associates": 1 + 2
        else:
            break
    groups.setdefault(kind, {}).setdefault(root.i, {})[noun.i] = value


def _along_with(tok):
    """'(detained) the leader along with (together with) three aides': the aides are counted with
    him; the noun they go with, or None."""
    prep = tok.head
    if not (tok.dep_ == "pobj" and prep.lower_ == "with" and prep.head.lower_ in ("along", "together")):
        return None
    host = prep.head.head
    if host.i == prep.head.i:
        return None
    if host.pos_ in ("NOUN", "PROPN"):
        return host
    return next((c for c in host.children if c.dep_ in ("dobj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")), None)


def _implicit_counts(sent):
    """Counts the text gives without digits: "detained several suspects" (3, ACLED's reading of
    'several'), "killed a Taliban leader" / "a soldier was wounded" (1)."""
    for tok in sent:
        kind = KIND_OF_WORD.get(tok.lower_)
        if kind is None or tok.pos_ not in ("VERB", "AUX", "ADJ") and not tok.tag_.startswith("VB"):
            continue
        victims = [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")
                   or (c.dep_ == "nsubj" and tok.lower_ in VICTIM_VERBS)]
        for noun in victims:
            if noun.lower_ in ("who", "whom") and tok.dep_ == "relcl":
                noun = tok.head  # "its chairman, who was shot dead": the chairman
            for n in [noun] + [c for c in noun.children if c.dep_ == "conj"]:
                if any((c.like_num or c.lower_ in ("dozens", "hundreds", "thousands", "scores"))
                       and c.dep_ != "conj" for c in n.children) or n.like_num:
                    continue  # a number: counted by the caller
                dets = {c.lower_ for c in n.children if c.dep_ in ("det", "amod", "nummod", "quantmod", "poss")}
                vague = next((VAGUE_DETERMINERS[w] for w in dets if w in VAGUE_DETERMINERS), None)
                if vague and n.tag_ in ("NNS", "NNPS"):
                    yield n, vague
                elif n.tag_ in ("NN", "NNP") and (n.lower_ in PERSON_NOUNS or n.ent_type_ == "PERSON") and \
                        (dets & {"a", "an", "one", "the", "another", "his", "her", "their", "its"}
                         or any(c.dep_ == "poss" for c in n.children)):  # "the group's leader"
                    yield n, 1
                elif n.tag_ == "NNP" and n.ent_type_ == "PERSON" and not dets:
                    yield n, 1  # "Tom Baker was killed": one person, named
                elif n.lower_ in ("he", "she"):
                    yield n, 1  # "he died in an explosion": one person, named before


def _victim_classes(sent) -> set[str]:
    """Who was killed, wounded or seized in the sentence: 'forces', 'civilians' and/or 'protesters'.

    ACLED's line between an armed clash and an attack on civilians is who the victims are."""
    out: set[str] = set()
    for tok in sent:
        kind = KIND_OF_WORD.get(tok.lower_)
        if kind not in HARM_KINDS:
            continue
        nouns = [c for c in tok.children if c.dep_ in ("nsubjpass", "dobj")]
        if tok.lower_ in VICTIM_VERBS:
            nouns += [c for c in tok.children if c.dep_ == "nsubj"]  # "four officers died"
        if tok.dep_ in ("amod", "acl") and tok.head.pos_ in ("NOUN", "PROPN"):
            nouns.append(tok.head)  # "two wounded soldiers", "civilians killed in ..."
        more = []
        for n in nouns:
            more += [c for c in n.children if c.dep_ == "conj"]
        for n in nouns + more:
            out |= _person_class(n)
    return out


def _person_class(noun) -> set[str]:
    from ..actors import CIVILIANS, GUNMEN, INSURGENTS, MILITARY, POLICE, PROTESTERS
    head = _crowd_head(noun)
    words = {head.lower_} | {c.lower_ for c in head.children if c.dep_ in ("compound", "amod", "nmod")}
    if head.lower_ in ("who", "that", "which", "one", "others", "other", "people", "persons") and head.head.pos_ in ("NOUN", "PROPN"):
        words.add(head.head.lower_)
    if words & PROTESTERS:
        return {"protesters"}
    if words & (MILITARY | POLICE | INSURGENTS | GUNMEN | FORCE_WORDS) or head.ent_type_ in ("ORG", "NORP") and \
            act.group_name(head.text):
        if "civilian" not in words:
            return {"forces"}
    if words & (CIVILIANS | CROWD_WORDS) or head.lower_ in ("civilian", "person", "resident", "villager", "student"):
        return {"civilians"}
    return set()


# what a number next to a harm word may count that is no one: "shot eight times"
NOT_PEOPLE = frozenset({"times", "time", "rounds", "shots", "bullets", "hours", "minutes", "metres", "meters",
                        "kilometres", "kilometers", "miles", "percent", "per", "cent"})


def _kind_of(noun, num, category) -> str | None:
    """What a number counts: from its noun and the verb governing it. Weapons and vehicles are not
    people: '43 of the missiles were shot down' counts no one killed."""
    counted = _prep_object(noun, ("of",)) if noun.like_num else None
    if noun.lower_ in WEAPON_NOUNS or (counted is not None and counted.lower_ in WEAPON_NOUNS):
        return None
    if noun.lower_ in NOT_PEOPLE:
        return None  # "shot eight times", "hit twice in two hours"
    if noun.dep_ == "pobj" and noun.head.dep_ == "agent":
        return None  # "killed by two armed men": who did it, not who suffered it
    words = [noun.lower_] + [c.lower_ for c in noun.children] + [noun.head.lower_]
    verb = noun.head
    hops = 0
    while verb.pos_ not in ("VERB",) and verb.head.i != verb.i and hops < 3:
        verb = verb.head
        hops += 1
    if _brought_down(verb):
        return None  # "shot down": aircraft and missiles, not people
    words.append(verb.lower_)
    words += [c.lower_ for c in verb.children if c.dep_ in ("acomp", "oprd", "advmod")]
    for w in words:
        if w in KIND_OF_WORD:
            kind = KIND_OF_WORD[w]
            if kind == "captured" and noun.lower_ not in TROOP_WORDS | PERSON_NOUNS | {
                    "people", "prisoners", "militants", "fighters", "insurgents", "suspects", "leaders",
                    "commanders", "facilitators", "members", "individuals", "men"}:
                continue
            return kind
    if noun.lower_ in TROOP_WORDS and category in ("deploy", "withdraw"):
        return "troops"
    if noun.lower_ in TROOP_WORDS and any(w in ("deployed", "sent", "dispatch", "deployment", "send") for w in words):
        return "troops"
    return None
