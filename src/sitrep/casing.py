"""Upper-case wire copy, read in ordinary case.

Old wire services, telex archives and some scraped feeds come in capitals only
("TEN GUERRILLAS ATTACKED A POLICE POST IN ..."). spaCy's small model reads such
text badly: "THE ATTACK TOOK PLACE" tags ATTACK as an organisation's name and "A
BOMB EXPLODED" makes BOMB an adjective, so triggers vanish and every word looks
like a name. The pipeline parses a case-restored copy instead:

- lower case, with a capital at each sentence and block start;
- the names of countries, provinces and sizeable towns (from the gazetteer) and
  abbreviations written with dots ("U.S.") keep their capitals.

The copy has exactly the length of the original, character for character, so every
offset into it is an offset into the article; the pipeline puts the original text
back into every span it reports.
"""

from __future__ import annotations

import re
from typing import Callable

SHOUTING_SHARE = 0.85  # share of letters in capitals above which a text is read as all-caps
MIN_LETTERS = 80  # shorter texts (a headline) are left as they are
MAX_NAME_WORDS = 3

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’.\-][^\W_]+)*\.?")
# A sentence or block starts at the text's start, after . ! ? (and any closing quote or
# bracket) unless the full stop ends an abbreviation ("U.S. SPONSORS"), after a blank line,
# after a dateline dash ("SAN JOSE, 3 JAN 90 -- ") and after a colon that ends a line.
_STARTS = re.compile(r"(?:^|(?<!\.[^\W\d_])[.!?][\"'”’)\]]*\s+|\n[ \t]*\n\s*|--\s*|:\s*\n\s*)(?=[^\W\d_])")
# the words of a name are joined by a space (or a line break of wrapped copy) or a hyphen;
# each gap is tested on its own (one pattern over the whole phrase backtracked exponentially)
_NAME_GAP = re.compile(r"[ \t]*\n?[ \t]*|-")


def is_shouting(text: str) -> bool:
    """True when (nearly) all the text's letters are capitals."""
    upper = lower = 0
    for c in text:
        if c.isupper():
            upper += 1
        elif c.islower():
            lower += 1
    letters = upper + lower
    return letters >= MIN_LETTERS and upper >= SHOUTING_SHARE * letters


def _lower(text: str) -> str:
    # str.lower() may change a string's length ("İ" -> "i̇"): lower character by character
    return "".join(lo if len(lo := c.lower()) == 1 else c for c in text)


def restore_case(text: str, is_name: Callable[[str], bool] | None = None) -> str:
    """A same-length copy of ``text`` in sentence case, names capitalised.

    ``is_name(phrase)`` says whether a phrase of one to three lower-case words is a
    proper name worth capitalising (the pipeline asks the gazetteer for countries,
    provinces and towns); without it only sentence starts get capitals."""
    out = list(_lower(text))
    for m in _STARTS.finditer(text):
        i = m.end()
        out[i] = out[i].upper() if len(out[i].upper()) == 1 else out[i]
    words = list(_WORD.finditer(text))
    for m in words:
        w = m.group(0)
        if "." in w.rstrip(".") and len(w) <= 6:  # U.S., U.N.: an abbreviation keeps its capitals
            out[m.start(): m.end()] = list(w)
    if is_name is not None:
        _capitalise_names(text, words, out, is_name)
    restored = "".join(out)
    assert len(restored) == len(text)
    return restored


def _capitalise_names(text: str, words: list, out: list, is_name: Callable[[str], bool]) -> None:
    k = 0
    while k < len(words):
        for n in range(min(MAX_NAME_WORDS, len(words) - k), 0, -1):
            if not all(_NAME_GAP.fullmatch(text, a.end(), b.start())
                       for a, b in zip(words[k: k + n - 1], words[k + 1: k + n])):
                continue
            phrase = " ".join("".join(out[m.start(): m.end()]).lower() for m in words[k: k + n])
            if is_name(phrase):
                for m in words[k: k + n]:
                    out[m.start()] = out[m.start()].upper()
                k += n
                break
        else:
            k += 1
