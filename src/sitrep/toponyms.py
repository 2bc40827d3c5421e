"""Toponym recognition: which spans of a text are place mentions.

``Recognizer.recognize(text, ents)`` takes the candidates of ``toponym_candidates`` and
accepts those that are places, each with a recognition confidence (``Candidate.recog``).
NER entities come first when given: GPE/LOC are places, FAC needs the whole entity or a
strong cue, and PERSON, ORG and NORP are checked for mislabelled places. Any other name
needs a cue ("in X", "near X", "X province", "the town of X"), a list with another place,
or the same name accepted elsewhere in the text (propagation, up to three rounds). Rules
on top of that:

- A name known only as an alternate name of a town ("Whitehall", "Taliban") needs a cue and
  never counts when NER tags it ORG/PERSON/NORP without one.
- A place name followed by "virus", "fever", "outbreak" ... is a disease, and so is that
  name elsewhere in the document unless a cue says otherwise.
- A country or a province inside an organisation's name ("Kenya Wildlife Service") or
  after "of" in a title ("the King of Saudi Arabia") is a mention.
- A word of a multi-word PERSON entity ("Maya Harden") is not a place on its own elsewhere
  without a strong cue or a GPE/LOC label.
"""

from __future__ import annotations

import re
from typing import Iterable

from .gazetteer import Gazetteer
from .toponym_candidates import (
    FEATURE_AFTER,
    STOP,
    TITLES,
    TYPE_HINT,
    Candidate,
    CandidateFinder,
    Token,
    is_big,
)

_DETERMINERS = frozenset("the a an this that these those his her its their our my your every each no".split())
AERIAL_POPULATION = 100_000  # "over X" names a place only when X is mainly a city this big (or a province)
LISTSEP = re.compile(r"^\s*(?:,|,?\s*(?:and|or))\s*$")  # between two items of a list of places
_NOT_AFTER = frozenset("virus fever flu disease syndrome strain outbreak vaccine".split())


class Recognizer:
    """Recognise place mentions. Thread-safe; holds no per-document state."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self.finder = CandidateFinder(gazetteer)

    def recognize(self, text: str, ents: Iterable[tuple[int, int, str]] | None = None
                  ) -> tuple[list[Candidate], list[str]]:
        """The accepted candidates of ``text`` (``recog`` > 0), in order, and the country codes
        of its demonyms."""
        ents = list(ents) if ents is not None else None
        toks = self.finder.tokens(text, ents)
        lowered = {t.text.lower() for t in toks if not t.cap}
        persons = set()  # words of multi-word PERSON entities ("Maya Harden" -> Harden is a person)
        for a, b, lab in ents or ():
            words = text[a:b].split()
            if lab == "PERSON" and len(words) > 1 and "\n" not in text[a:b].strip() \
                    and not any(w.lower() in STOP for w in words):
                persons.update(words)
        demonyms: list[str] = []
        cands = self.finder.find(text, toks, demonyms)
        have_ents = ents is not None
        # one name, one sense per document: a disease named after a place stays a disease
        diseases = {c.key for c in cands if self._disease(toks, c)}
        known = {c.key for c in cands if c.label in ("GPE", "LOC") or c.strong or c.country_code}
        for c in cands:
            c.recog = self._accept(c, toks, lowered, have_ents, known, persons, diseases)
        known |= {c.key for c in cands if c.recog >= 0.7}
        for _ in range(3):  # propagation: same name elsewhere, lists of places
            changed = False
            for k, c in enumerate(cands):
                if c.recog:
                    continue
                r = self._accept(c, toks, lowered, have_ents, known, persons, diseases)
                if r == 0:
                    for a, b in ((cands[k - 1], c) if k else (None, None), (c, cands[k + 1]) if k + 1 < len(cands)
                                 else (None, None)):
                        o = a if b is c else b
                        if o is not None and o.recog > 0 and LISTSEP.match(text[a.end:b.start]):
                            r = 0.55
                if r > 0:
                    c.recog, changed = r, True
                    known.add(c.key)
            if not changed:
                break
        return [c for c in cands if c.recog > 0], demonyms

    def _accept(self, c: Candidate, toks: list[Token], lowered: set[str], have_ents: bool,
                known: set[str], persons: set[str], diseases: set[str] = frozenset()) -> float:
        """Recognition confidence 0-1 (0 = not without more context, -1 = never)."""
        single = c.j - c.i == 1
        word = c.text.lower()
        first = toks[c.i]
        prev = toks[c.i - 1].text.lower() if c.i > 0 else ""
        if prev in TITLES:
            return -1.0
        if c.country_code:
            return 0.9
        if c.feature:
            return 0.9 if c.label in ("GPE", "LOC", "FAC") else 0.75
        top = self.gaz.lookup(c.text)[:1]
        countryish = bool(top) and is_big(top[0][0]) and top[0][1] < 2
        if not countryish and (self._disease(toks, c) or (c.key in diseases and not (c.strong or c.weak))):
            return -1.0
        if single and c.text in persons and not c.strong and c.label not in ("GPE", "LOC"):
            return -1.0
        if c.label in ("GPE", "LOC"):
            return 0.9
        if c.aerial and not (c.strong or c.weak) and c.label in (None, "PERSON", "ORG") and \
                word not in lowered and self._big_city(c) and not self._run_extends(toks, c):
            return 0.6  # "shot down over Kyiv" (NER said PERSON); "the row over Jenkins" is no town
        if c.label == "FAC":
            if not c.whole_ent and not c.strong and prev in ("in", "of") and top and top[0][1] == 0 \
                    and self._sizeable(c, 5000):
                return 0.7  # "the City Hall in Malmo", "the embassy in Kabul": the town the building is in
            return 0.75 if c.whole_ent or c.strong else 0.0
        # a name known only as an alternate name of a town ("Whitehall", "Taliban") needs a strong cue
        alt_only = bool(top) and all(k >= 1 and not p.is_region and not is_big(p)
                                     for p, k in self.gaz.lookup(c.text)[:25])
        is_common = single and word in lowered
        label = c.label
        if label == "PERSON" and prev == "the" and c.whole_ent:  # "the Serengeti": not a person
            label = None
        if label in ("PERSON", "ORG", "NORP", "WORK_OF_ART", "PRODUCT", "LAW"):
            if label == "NORP":  # "Peloponnese" tagged like a nationality
                if c.whole_ent and top and top[0][1] < 2 and (countryish or top[0][0].is_region):
                    return 0.7
                # "drones shot down over Belgorod", "the shelling of Kharkiv", "jets bombed positions in
                # Omdurman": a big city after a cue
                return 0.6 if (c.strong or c.aerial or c.weak) and self._big_city(c) and \
                    not self._run_extends(toks, c) else -1.0
            if alt_only and not (c.strong or c.weak or c.key in known):
                return -1.0
            if not c.whole_ent:
                # a country, a province or a capital inside an organisation's name ("Kenya Wildlife
                # Service", "the California Department of Health") or after "of" in a person's
                # title ("the King of Saudi Arabia")
                if top and top[0][1] == 0 and (countryish or self._mainly_province(c)) \
                        and (label == "ORG" or prev == "of"):
                    return 0.6
                return -1.0 if label == "PERSON" else 0.0
            if c.strong or (c.key in known and not is_common):
                return 0.7
            if c.weak and not is_common and (single or label == "PERSON") \
                    and self._sizeable(c, 5000 if label == "PERSON" else 50000):
                return 0.6
            return 0.0
        # no entity label (or EVENT etc.)
        if countryish and not is_common:
            return 0.8
        if c.strong or self._ends_in_feature(toks, c):  # "Red Sea", "Kabul River" as names of their own
            return 0.75
        if alt_only and c.key not in known:
            return 0.0
        if is_common:
            return 0.0
        if single and first.sent_start and c.key not in known:
            # a sentence's first word is capitalised anyway: only a sizeable place that "fell" is one
            # (spelled exactly: "Sales fell" is no variant of Salé)
            return 0.6 if c.weak and not self._run_extends(toks, c) and self._big_city(c) else 0.0
        if c.key in known:
            return 0.7
        if prev in _DETERMINERS:
            return 0.0
        if c.weak and not self._run_extends(toks, c):
            return 0.6 if have_ents else 0.65
        if (not have_ents or first.doubt) and not first.sent_start and not self._run_extends(toks, c):
            top = self.gaz.lookup(c.text)[:1]
            if top and top[0][1] < 2 and (top[0][0].population >= 20000 or top[0][0].is_region):
                return 0.5
        return 0.0

    def _mainly_province(self, c: Candidate) -> bool:
        """The name is first a province, not also a city of comparable size ("California",
        "Kerala"; not "Kabul")."""
        opts = self.gaz.lookup(c.text)[:25]
        prov = next((p for p, k in opts if k == 0 and p.feature_code == "ADM1"), None)
        return prov is not None and not any(
            p.feature_code.startswith("PPL") and p.country_code == prov.country_code
            and p.population * 10 >= prov.population for p, _ in opts)

    @staticmethod
    def _disease(toks: list[Token], c: Candidate) -> bool:
        """The name of a disease or virus ("Marburg virus", "Reston ebolavirus", "Zika outbreak")."""
        if c.j >= len(toks):
            return False
        nx = toks[c.j].text.lower()
        return nx in _NOT_AFTER or (nx.endswith("virus") and toks[c.j].start - c.end <= 1)

    @staticmethod
    def _ends_in_feature(toks: list[Token], c: Candidate) -> bool:
        return c.j - c.i > 1 and toks[c.j - 1].text.lower() in FEATURE_AFTER

    def _big_city(self, c: Candidate) -> bool:
        """The name's main meaning is a city of AERIAL_POPULATION people, a province or a country."""
        return any(k == 0 and (p.population >= AERIAL_POPULATION or p.is_country or p.feature_code == "ADM1")
                   for p, k in self.gaz.lookup(c.text)[:5])

    def _sizeable(self, c: Candidate, pop: int) -> bool:
        """A place of at least ``pop`` people (or a province) has this name or a variant of it
        ("Balakliia": Balakliya, 26,000 people, not the hamlet spelled that way)."""
        return any(k <= 1 and (p.population >= pop or p.is_region) for p, k in self.gaz.lookup(c.text)[:25])

    @staticmethod
    def _run_extends(toks, c) -> bool:
        """Another capitalised word is glued to the span (e.g. 'Ashraf Ghani')."""
        before = c.i > 0 and toks[c.i - 1].cap and toks[c.i].start - toks[c.i - 1].end <= 1
        after = c.j < len(toks) and toks[c.j].cap and toks[c.j].start - toks[c.j - 1].end <= 1 \
            and toks[c.j].text.lower() not in TYPE_HINT
        return before or after
