"""ACLED's house style in its event notes, and the note without it.

An ACLED note carries what news text does not: a leading date ("On 21 March
2020,", "Around 3 May 2022 (as reported),"), a sub-type label ("Property
destruction:"), square-bracket tags ("[size=no report]"), coding remarks
("(coded as Namtu town)") and the coder's fatality sentences ("Fatalities coded
as 0."). They give the coding away, so both ``sitrep eval acled`` and
``sitrep train --acled`` read notes through ``clean_note``.
"""

from __future__ import annotations

import re

_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY = r"\d{1,2}(?:\s*(?:-|and|to)\s*\d{1,2})?"
LEAD_DATE = re.compile(
    r"^\s*(?:(?:On|Around|Between|From|As\s+rep\w*\s+on|Reported\s+on)\s+)?(?:or\s+(?:around|about)\s+)?"
    r"(?:the\s+(?:night|morning|evening)\s+of\s+)?" + _DAY + r"\s+" + _MONTH + r"(?:\s+\d{4})?"
    r"(?:\s*(?:-|and|to)\s*" + _DAY + r"\s+" + _MONTH + r")?(?:\s+\d{4})?"
    r"(?:\s*\([^)]*\))?\s*,?\s*", re.I)
LEAD_LABEL = re.compile(r"^\s*[A-Z][a-z]+(?:[ /-][a-z]+){0,4}:\s+")
TAGS = re.compile(r"\s*\[[^\]]*\]")
CODING_PARENS = re.compile(r"\s*\([^()]*\bcoded\b[^()]*(?:\([^()]*\)[^()]*)*\)", re.I)
CODING_CLAUSE = re.compile(r",?\s+coded\s+(?:as|to|at)\s+[^,.;()]*(?:\([^()]*\))?(?=[,.;]|\s|$)", re.I)
# the coder's own sentences about the count: "Fatalities coded as 0 (VoJ reported 3).", "1 fatality."
CODER_SENTENCE = re.compile(r"\bfatalit\w*\b.*\bcoded\b|\bcoded\b.*\bfatalit|^\d+\s+fatalit(?:y|ies)\.?$", re.I)


def clean_note(note: str) -> str:
    """The note without ACLED's house style: leading label and date, tags, coding remarks."""
    text = LEAD_LABEL.sub("", note, count=1)
    text = LEAD_DATE.sub("", text, count=1)
    text = TAGS.sub("", text)
    text = CODING_PARENS.sub("", text)
    text = " ".join(x for x in re.split(r"(?<=[.!?])\s+", text.strip()) if not CODER_SENTENCE.search(x))
    text = " ".join(CODING_CLAUSE.sub("", text).split())
    return text[:1].upper() + text[1:]
