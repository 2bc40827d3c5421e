"""Which sentences are content, and which words in them propose an event (trigger words)."""

from __future__ import annotations

from ..taxonomy import MULTIWORD, TRIGGER_INDEX
from .clauses import _hypothetical_noun
from .lexicon import _NOUN_LOOKUP, _VERB_LOOKUP, CHROME, POLITICAL, TERMINAL, WRAP_WIDTH
from .syntax import _after_light_verb, _is_month, _protest_gathering, _verbal


def is_content(sent) -> bool:
    """A sentence of the article's prose: not page chrome, a heading or a link."""
    t = sent.text.strip()
    words = t.split()
    if not words or len(words) < 12 and CHROME.search(t):
        return False
    if len(words) >= 4 and (t.endswith(TERMINAL) or len(words) >= 30):
        return True
    return _in_wrapped_paragraph(sent)


def _in_wrapped_paragraph(sent) -> bool:
    """A piece of a hard-wrapped paragraph (plain-text wires: the sentence runs on over line
    breaks, and the parser may cut it anywhere): a block between blank lines whose lines but the
    last are all of wrap length and whose end closes a sentence. Headlines and link lists are not."""
    text = sent.doc.text
    a = text.rfind("\n\n", 0, sent.start_char)
    a = 0 if a < 0 else a + 2
    b = text.find("\n\n", sent.start_char + len(sent.text.rstrip()))
    b = len(text) if b < 0 else b
    block = text[a:b].strip()
    lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
    if len(lines) < 2 or not block.endswith(TERMINAL) or CHROME.search(block):
        return False
    return all(len(ln) >= WRAP_WIDTH for ln in lines[:-1])


def triggers(sent):
    """Each word of a sentence that proposes an event, with its category: phrases first ("took
    control"), then single words; names, dates, months and descriptions ("the occupied city") are not."""
    seen = set()
    low = sent.text.lower()
    for phrase in MULTIWORD:
        start = 0
        while True:
            k = low.find(phrase, start)
            if k < 0:
                break
            start = k + len(phrase)
            before = low[k - 1] if k > 0 else " "
            after = low[start] if start < len(low) else " "
            if before.isalnum() or after.isalnum():
                continue
            span = sent.char_span(k, start, alignment_mode="expand")
            if span is None:
                continue
            head = span.root
            if head.i not in seen:
                seen.update(t.i for t in span)
                if head.pos_ == "NOUN" and _hypothetical_noun(head):
                    continue  # "a precaution against car bombs"
                yield head, TRIGGER_INDEX[phrase][0]
    for tok in sent:
        if tok.i in seen:
            continue
        entry = TRIGGER_INDEX.get(tok.lower_)
        if entry is None:
            continue
        category, pos = entry
        is_verb = _verbal(tok)
        if pos == "verb" and not is_verb:
            noun_entry = next((c for c, (vs, ns) in _NOUN_LOOKUP.get(tok.lower_, [])), None)
            if noun_entry is None:
                continue
            category, pos = noun_entry, "noun"
        elif pos == "noun" and is_verb:
            # "gathered to protest": a word that is both noun and verb of one category
            verb_category = _VERB_LOOKUP.get(tok.lower_)
            if verb_category is None:
                continue
            category = verb_category
        if tok.ent_type_ in ("PERSON", "ORG", "GPE", "DATE", "TIME") and category not in ("airstrike",):
            continue  # "On 3 March", "the Rally party": a name or a date, not a report
        if _is_month(tok):
            continue
        light = pos == "noun" and (_after_light_verb(tok) or (category == "protest" and _protest_gathering(tok)))
        if tok.dep_ in ("amod", "compound") and tok.head.pos_ in ("NOUN", "PROPN") and not light:
            continue  # "the occupied city", "the besieged town": a description, not a report
        if tok.dep_ == "acl" and tok.tag_ == "VBN" and category in POLITICAL:
            continue  # "two men accused of theft": describes them, reports no accusation
        if tok.dep_ == "acl" and tok.tag_ == "VBG" and category == "clash" and tok.head.pos_ in ("NOUN", "PROPN"):
            continue  # "a volunteer fighting alongside the militia": who he was, not a battle
        if pos == "noun" and _hypothetical_noun(tok):
            continue
        seen.add(tok.i)
        yield tok, category
