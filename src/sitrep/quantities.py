"""Numbers as news writes them, read as ACLED counts them.

``parse_number("three thousand") == 3000``; vague amounts become lower bounds
("dozens" = 12, "hundreds" = 100) and qualifiers ("at least", "about") are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1, "single": 1,
}
SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
# Vague amounts, as ACLED codes them: the lowest number the word can mean.
VAGUE = {
    "dozen": 12, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000,
    "tens of thousands": 10000, "hundreds of thousands": 100000, "millions": 1_000_000,
    "several": 3, "a few": 3, "few": 3, "a couple of": 2, "a handful of": 3, "handful": 3,
    "some": 2, "numerous": 3, "many": 3,
}
QUALIFIERS = {
    "at least": "at least", "no fewer than": "at least", "not less than": "at least",
    "more than": "more than", "over": "more than", "upwards of": "more than",
    "about": "about", "around": "about", "approximately": "about", "roughly": "about",
    "some": "about", "nearly": "about", "almost": "about", "close to": "about", "an estimated": "about",
    "up to": "up to", "as many as": "up to", "at most": "up to",
    "exactly": "exactly",
}
_QUAL_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, QUALIFIERS), key=len, reverse=True)) + r")\s*$", re.I)


@dataclass(frozen=True)
class Amount:
    value: int
    qualifier: str  # at least | more than | about | up to | exactly
    vague: bool = False


MAX_COUNT = 10**12  # more than anything counted in news (people, troops, money aside); SQLite holds < 2**63


def parse_number(text: str) -> int | None:
    """Digits ("3,000", "3.5 million", "12") or words ("three thousand", "twenty-one").

    None for a figure over ``MAX_COUNT`` (a 400-digit string is no count, and would not
    fit a database integer)."""
    value = _parse_number(text)
    return value if value is None or value <= MAX_COUNT else None


def _parse_number(text: str) -> int | None:
    t = text.lower().strip().replace("\u2009", "").replace("\xa0", " ")
    if not t:
        return None
    if t in VAGUE:
        return VAGUE[t]
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(hundred|thousand|million|billion|m|bn|k)?", t)
    if m:
        value = float(m[1].replace(",", ""))
        scale = {"m": 1_000_000, "bn": 1_000_000_000, "k": 1000}.get(m[2] or "", SCALES.get(m[2] or "", 1))
        return int(round(value * scale)) if value * scale <= MAX_COUNT else None
    total, current, seen = 0, 0, False
    for word in re.split(r"[\s-]+", t):
        if word == "and":
            continue
        if word in UNITS:
            current += UNITS[word]
            seen = True
        elif word in SCALES:
            current = max(current, 1) * SCALES[word]
            if SCALES[word] >= 1000:
                total, current = total + current, 0
            seen = True
        elif re.fullmatch(r"\d+(?:\.\d+)?", word):
            current += float(word)
            seen = True
        else:
            return None
    return int(total + current) if seen and total + current <= MAX_COUNT else None


def qualifier_before(prefix: str) -> str | None:
    """The qualifier that ends ``prefix`` ("... killing at least " -> "at least")."""
    m = _QUAL_RE.search(prefix)
    return QUALIFIERS[m[1].lower()] if m else None


def amount(number_text: str, prefix: str = "") -> Amount | None:
    """An amount from the number's text and the words just before it."""
    t = number_text.strip()
    low = t.lower()
    for q, norm in QUALIFIERS.items():
        if low.startswith(q + " "):
            inner = amount(t[len(q) + 1:])
            return Amount(inner.value, norm, inner.vague) if inner else None
    value = parse_number(t)
    if value is None:
        return None
    vague = low in VAGUE
    qual = qualifier_before(prefix) or ("at least" if vague else "exactly")
    return Amount(value, qual, vague)
