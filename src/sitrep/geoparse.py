"""Find place names in a text and resolve them to gazetteer entries, like an analyst would.

``Geoparser.parse`` is recognition (``toponyms``: which spans are place names, from the
candidates of ``toponym_candidates``) followed by resolution, which this module holds:
choosing the gazetteer entry of each recognised name.

Resolution scores each candidate by population and feature type, the article's
dominant countries (unambiguous mentions + ``context_country`` + demonyms), a
qualifier next to the name ("Andar district, Ghazni province"; "X, Y" where Y is
X's province or country), type words ("X district" -> ADM2) and closeness to the
other places of the article.

General rules on top of that (each has a regression test in tests/test_geoparse.py, as
have the recognition rules described in ``toponyms`` and ``toponym_candidates``):

- A name known only as an alternate name of a town weighs less than a main name.
- Natural features ("Charles River", "Black Rock Desert", "Lake Chad", "Gulf of Aden",
  "Red Sea") are mentions of their own: never resolved to the town they contain.
- "the X" (X not followed by a noun) is a river, a region or a country: only those
  readings are kept, or none ("across the Dnipro", "the Pacific"); names that carry "the"
  in the gazetteer ("the Hague") are exempt.
- A name glued after an unknown capitalised word ("Haulover Beach") stays unresolved.
- A qualifier that is a country or a province ("X in central Mali", "X, Mali") is a hard
  constraint: no reading inside it leaves X unresolved; so is a province after a
  district named with its type ("X district, Y province"). A list of places ("Armenia,
  Georgia, Iraq, Iran") is not a chain of qualifiers.
- A country named elsewhere in the same sentence favours its namesake.
- When the story is elsewhere (no other name backs that country, nor is it a neighbour),
  a small town (< ``SMALL_TOWN``) or a mid-sized one known only by an alternate name is a
  worse answer than none: the mention is left unresolved.
- An abbreviation ("U.S.", "NSW", "Kan.", "L.A.") is the country, the state or the city it
  stands for.

::

    gp = Geoparser(Gazetteer.open())
    for m in gp.parse(text, ents=[(s, e, label), ...], context_country="AF"):
        print(m.text, m.place.name, m.place.admin1, m.score)
"""

from __future__ import annotations

import bisect
import math
import re
from typing import Iterable

from .gazetteer import Gazetteer, fold
from .model import UNLISTED, Place, PlaceMention
from .toponym_candidates import ABBREVIATIONS, Candidate, is_big
from .toponyms import LISTSEP, Recognizer

__all__ = ["ABBREVIATIONS", "SMALL_TOWN", "UNLISTED", "Geoparser", "precision_of"]

_COMPASS_ADJ = r"(?:(?:north|south)(?:-?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central|rural|remote)"
_QUALSEP = re.compile(r"^(?:\s+(?:province|district|governorate|region|state|county|city|town|village))?"
                      r"\s*(?:,|\bin|,\s*in)\s*(?:the\s+)?(?:" + _COMPASS_ADJ + r"\s+)?$", re.I)
_INSEP = re.compile(r"\bin\b", re.I)
# "X district, Y province": a unit named with its type and then the province it lies in
_TYPED_SEP = re.compile(r"^\s+(?:district|county|municipality|subdistrict|sub-district)\s*,\s*$", re.I)
_SENT_END = re.compile(r"[.!?](?=\s+[A-Z\"“‘'(])|\n")
W_COUNTRY, W_TOP = 2.0, 0.5
_DIRECT_CONTAINER = re.compile(r"^\s*(?:,\s*(?:in\s+)?|(?:in|near|outside)\s+)(?:the\s+)?(?:[a-z]+ern\s+)?$")
_ISLAND = re.compile(r"\b(?:island|islands|isle|islet)$", re.I)
_DEMONYM_BEFORE = re.compile(r"\b([A-Z][a-z]+)\s+(?:[a-z]+\s+)?(?:town|village|hamlet|settlement|city|island)\s+of\s+$")
SMALL_TOWN = 10_000  # a town this small, in a country the story is not about, is left unresolved


def precision_of(place: Place | None) -> int:
    """ACLED geo_precision: 1 town/city, 2 district (ADM2), 3 province/country/other; a place
    missing from the gazetteer takes the precision of what contains it."""
    if place is None or not place.feature_code:
        return 3
    fc = place.feature_code
    if fc == UNLISTED:
        return 2 if place.admin2 and place.latitude is not None else 3
    if fc.startswith("PPL"):
        return 1
    return 2 if fc == "ADM2" else 3


class Geoparser:
    """Recognise and resolve place mentions. Thread-safe; holds no per-document state."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self.recognizer = Recognizer(gazetteer)

    def parse(self, text: str, ents: Iterable[tuple[int, int, str]] | None = None, *,
              context_country: str | None = None) -> list[PlaceMention]:
        """Place mentions in ``text``, in order, with ``text[m.start:m.end] == m.text``."""
        if not text or not text.strip():
            return []
        accepted, demonyms = self.recognizer.recognize(text, ents)
        resolved = self._resolve(text, accepted, demonyms, context_country)
        unlisted = self._place_unlisted(text, resolved, demonyms, context_country)
        out = []
        for k, (c, place, p, fit) in enumerate(resolved):
            score = c.recog * (0.4 + 0.6 * p) * fit if place else c.recog * 0.3
            if place is None and k in unlisted:
                place, score = unlisted[k], c.recog * 0.5
            out.append(PlaceMention(c.start, c.end, c.text, place, round(min(1.0, score), 4)))
        return out

    def _place_unlisted(self, text: str, resolved: list, demonyms: list[str],
                        context_country: str | None) -> dict[int, Place]:
        """Settlements and islands the gazetteer lacks, placed as ACLED places them: at the place
        named as containing them ("the village of X in Y province", "X, a village near Y"), else
        in the country a demonym gives ("the Polish village of X") or the article is mainly
        about, without coordinates; else with no country. Keyed by index in ``resolved``; the name stays the text's."""
        out: dict[int, Place] = {}
        top_cc = None
        for k, (c, place, _, _) in enumerate(resolved):
            if place is not None or not (c.unlisted or (c.feature and _ISLAND.search(c.text))):
                continue
            # a name only NER calls a place ("honoured as Heroes of Ukraine") needs its container
            # right after it: "X in Y", "X, Y", "X near Y"
            cued = c.strong or c.feature
            m = _DEMONYM_BEFORE.search(text[max(0, c.start - 60):c.start])
            own_cc = self.gaz.demonym(m.group(1)) if m else None  # "the Polish village of X"
            container = None
            for c2, p2, _, _ in resolved[k + 1:]:
                gap = text[c.end:c2.start]
                if len(gap) > 80 or _SENT_END.search(gap) or not (cued or _DIRECT_CONTAINER.match(gap)):
                    break
                if p2 is not None and (not is_big(p2) or p2.is_country) and \
                        (own_cc is None or p2.country_code == own_cc):
                    container = p2
                    break
            if container is None:
                cc = own_cc
                if not cued:
                    continue
                if cc is None:
                    if top_cc is None:
                        shares = self._votes([r[0] for r in resolved], demonyms, context_country)
                        top_cc = max(shares, key=shares.get) if shares else ""
                        if top_cc and shares[top_cc] < 0.6:
                            top_cc = ""  # two countries in the story: which one holds it is not said
                    cc = top_cc or None
                if cc is None:
                    continue
                out[k] = Place(name=c.text, country_code=cc, feature_code=UNLISTED)
                continue
            if container.is_country:
                out[k] = Place(name=c.text, country_code=container.country_code, feature_code=UNLISTED)
                continue
            region = container.feature_code == "ADM1"
            out[k] = Place(name=c.text, latitude=container.latitude, longitude=container.longitude,
                           country_code=container.country_code,
                           admin1=container.name if region else container.admin1,
                           admin2=None if region else (container.admin2 or container.name),
                           feature_code=UNLISTED)
        return out

    # ---------------------------------------------------------------- resolution
    def _votes(self, cands: list[Candidate], demonyms: list[str], context_country: str | None,
               backers: dict | None = None) -> dict:
        """Each country's share of the article's geography; ``backers`` gets, per country, the
        names that vote for it ("*" for the context country and demonyms)."""
        votes: dict[str, float] = {}
        backers = {} if backers is None else backers
        if context_country:
            votes[context_country.upper()] = 3.0
            backers.setdefault(context_country.upper(), set()).add("*")
        for cc in demonyms:
            votes[cc] = votes.get(cc, 0) + 0.5
            backers.setdefault(cc, set()).add("*")
        for c in cands:
            if c.country_code:
                votes[c.country_code] = votes.get(c.country_code, 0) + 0.25
                backers.setdefault(c.country_code, set()).add(c.key)
                continue
            opts = c.options
            if not opts or opts[0][0].country_code is None:
                continue
            countries = {p.country_code for p, _ in opts}
            top = opts[0][0]
            if top.is_country:
                w = 0.5
            elif len(countries) == 1:
                w = 1.0
            else:
                second = max((p.population for p, _ in opts if p.country_code != top.country_code), default=0)
                w = 0.5 if top.population > 10 * max(second, 1) else 0.0
            if w:
                cc = opts[0][0].country_code
                votes[cc] = votes.get(cc, 0) + w
                backers.setdefault(cc, set()).add(c.key)
        total = sum(votes.values()) or 1.0
        return {k: v / total for k, v in votes.items()}

    @staticmethod
    def _contains(outer: Place, inner: Place) -> bool:
        if outer == inner or outer.country_code != inner.country_code:
            return False
        if outer.is_country:
            return True
        if outer.feature_code == "ADM1":
            return bool(inner.admin1) and fold(inner.admin1) == fold(outer.name) and not inner.is_country
        if outer.feature_code == "ADM2":
            return bool(inner.admin2) and fold(inner.admin2) == fold(outer.name) and inner.feature_code != "ADM1"
        return False

    def _prior(self, c: Candidate, shares: dict, top_cc: str | None, near: frozenset) -> list[float]:
        opts = c.options
        scores = []
        # "the Kyiv region": of two provinces named Kyiv (the city's own and the one around it)
        # the one known as "Kyiv Oblast" / "Kyiv Region" / "Kyiv Province"
        typed = self._typed_regions(c.text) if c.hint == "ADM1" and sum(
            p.feature_code == "ADM1" for p, _ in opts) > 1 else set()
        for p, kind in opts:
            s = 0.5 * math.log10(p.population + 100)
            fc = p.feature_code or ""
            if is_big(p):
                s += 2.0 if kind < 2 else 0.0
            elif fc == "ADM1":
                s += 0.3
            elif fc == "ADM2":
                s -= 0.3
            elif fc == "PPLC":
                s += 0.8
            if p.is_region and c.hint not in ("ADM1", "ADM2"):  # "Herat": the city, not the province
                if any(q.feature_code.startswith("PPL") and q.population * 10 >= p.population
                       and self._contains(p, q) for q, _ in opts):
                    s -= 1.5
            if c.hint:
                if fc == c.hint or (c.hint == "PPL" and fc.startswith("PPL")):
                    s += 2.5
                elif c.hint == "ADM2" and fc == "ADM1":
                    s += 1.0
                elif c.hint == "PPL" and p.is_region:
                    s -= 1.0
            if p.geonameid in typed:
                s += 1.5
            s += (0.3, -0.7, -0.9)[min(kind, 2)]  # an alternate name counts for less than a main one
            cc = p.country_code
            s += W_COUNTRY * shares.get(cc, 0.0) + (W_TOP if cc == top_cc else 0.0) + (0.4 if cc in near else 0.0)
            scores.append(s)
        return scores

    def _typed_regions(self, name: str) -> set[int]:
        return {p.geonameid for word in ("oblast", "region", "province") for p, _ in self.gaz.lookup(f"{name} {word}")
                if p.feature_code == "ADM1"}

    @staticmethod
    def _in_list(text: str, cands: list[Candidate], k: int) -> bool:
        """cands[k], cands[k+1] are items of a list ("Kunduz, Baghlan and Takhar") rather than
        a place and its qualifier ("Hyderabad, Pakistan")."""
        b = cands[k + 1]
        if k + 2 < len(cands) and LISTSEP.match(text[b.end:cands[k + 2].start]):
            return True
        return k > 0 and LISTSEP.match(text[cands[k - 1].end:cands[k].start]) is not None \
            and "," in text[cands[k].end:b.start]

    @staticmethod
    def _hard_qualifier(text: str, c: Candidate) -> bool:
        """The qualifier is a country or a province the name is said to lie in ("X in (central)
        Mali", "X, Mali"), so no reading outside it may be chosen."""
        q = c.qualifier
        top, kind = q.options[0]
        if kind > 0 or not (top.is_country or top.feature_code == "ADM1"):
            return False
        between = text[c.end:q.start]
        return bool(_INSEP.search(between)) or top.is_country or _TYPED_SEP.match(between) is not None

    def _sentence_countries(self, text: str, cands: list[Candidate]) -> dict[int, set[str]]:
        """For each candidate, the countries named (unambiguously) in its sentence."""
        bounds = [m.end() for m in _SENT_END.finditer(text)]
        by_sent: dict[int, set[str]] = {}
        sent_of = {}
        for c in cands:
            n = bisect.bisect_right(bounds, c.start)
            sent_of[id(c)] = n
            if c.options and c.options[0][1] == 0 and c.options[0][0].is_country:
                by_sent.setdefault(n, {})[c.options[0][0].country_code] = c.key
        out = {}
        for c in cands:  # the countries named by other mentions of the sentence
            ccs = {cc for cc, key in by_sent.get(sent_of[id(c)], {}).items() if key != c.key}
            if ccs:
                out[id(c)] = ccs
        return out

    def _resolve(self, text: str, cands: list[Candidate], demonyms: list[str], context_country: str | None):
        gaz = self.gaz
        for c in cands:
            if c.feature or c.partial:
                c.options = []
            elif c.admin1:
                want = "PPL" if c.city else "ADM1"
                c.options = [(p, 0) for p, _ in gaz.lookup(c.admin1)
                             if p.feature_code.startswith(want) and p.country_code == c.country_code][:1]
            elif c.country_code:
                cp = gaz.country(c.country_code)
                c.options = [(cp, 0)] if cp else []
            else:
                c.options = list(gaz.lookup(c.text)[:25])
                if c.the and c.options:  # "across the Dnipro": a river or a region, not the town
                    areas = [(p, k) for p, k in c.options if is_big(p) or p.feature_code == "ADM1"]
                    if areas:
                        c.options = areas
                    elif not gaz.is_name("the " + c.key):
                        c.options = []
        backers: dict[str, set[str]] = {}
        shares = self._votes(cands, demonyms, context_country, backers)
        top_cc = max(shares, key=shares.get) if shares else None
        near = gaz.neighbours(top_cc) if top_cc else frozenset()
        for k, (a, b) in enumerate(zip(cands, cands[1:])):
            if b.start >= a.end and _QUALSEP.match(text[a.end:b.start]) and a.options and b.options \
                    and not (is_big(a.options[0][0]) and a.options[0][1] == 0) \
                    and not self._in_list(text, cands, k):
                a.qualifier = b
        sentence_cc = self._sentence_countries(text, cands)
        cache: dict = {}
        index = {id(c): k for k, c in enumerate(cands)}
        scored = []
        for c in cands:
            ck = (c.key, c.hint, c.qualifier.key if c.qualifier else None, c.the, c.feature or c.partial, c.admin1,
                  c.country_code, len(c.options))
            if ck not in cache:
                cache[ck] = self._prior(c, shares, top_cc, near)
            s = list(cache[ck])
            if c.qualifier and c.qualifier.options:
                qopts = [q for q, _ in c.qualifier.options[:10]]
                inside = [any(self._contains(q, p) for q in qopts) for p, _ in c.options]
                for k, ok in enumerate(inside):
                    if ok:
                        s[k] += 4.0
                # "the town of Boni in central Mali": nothing called Boni in Mali -> unresolved,
                # never a Boni (or a Bonn) elsewhere
                if not any(inside) and self._hard_qualifier(text, c):
                    c.options, s = [], []
            ccs = sentence_cc.get(id(c))
            if ccs and c.options and not c.qualifier:  # a country named in the same sentence
                for k, (p, _) in enumerate(c.options):
                    if p.country_code in ccs and not is_big(p):
                        s[k] += 1.5
            scored.append(s)
        for c, s in zip(cands, scored):  # a qualifier prefers the reading that contains its place
            if c.qualifier and c.options:
                best = c.options[max(range(len(s)), key=s.__getitem__)][0]
                q = c.qualifier
                qi = index[id(q)]
                for k, (p, _) in enumerate(q.options):
                    if self._contains(p, best):
                        scored[qi][k] += 2.0
        anchors = []
        for c, s in zip(cands, scored):
            if c.options and len(anchors) < 30:
                k = max(range(len(s)), key=s.__getitem__)
                p = c.options[k][0]
                if not is_big(p) and _softmax_top(s) >= 0.6 and p.latitude is not None:
                    if all(a[1] is not p for a in anchors):
                        anchors.append((c.key, p))
        out = []
        for c, s in zip(cands, scored):
            if not c.options:
                out.append((c, None, 0.0, 1.0))
                continue
            if anchors:
                order = sorted(range(len(s)), key=s.__getitem__, reverse=True)[:8]
                for k in order:
                    p = c.options[k][0]
                    if p.latitude is None or is_big(p):
                        continue
                    d = min((_km(p, a) for key, a in anchors if key != c.key), default=math.inf)
                    s[k] += 1.2 if d < 50 else 0.8 if d < 200 else 0.4 if d < 600 else 0.0
            k = max(range(len(s)), key=s.__getitem__)
            best = c.options[k][0]
            m = s[k]
            w = [math.exp(x - m) for x in s]
            same = sum(x for x, (p, _) in zip(w, c.options) if p is best or (
                p.country_code == best.country_code and p.latitude is not None
                and best.latitude is not None and _km(p, best) < 50))
            fit = 1.0
            elsewhere = any(key != c.key for keys in backers.values() for key in keys) \
                and not backers.get(best.country_code, set()) - {c.key}  # only this name backs it
            if elsewhere and not is_big(best) and not c.qualifier and best.country_code not in near:
                # the story is elsewhere: a small town of that name (or a town known by it only
                # as an alternate name) is a worse answer than none
                if best.feature_code.startswith("PPL") and (
                        best.population < SMALL_TOWN or (c.options[k][1] >= 1 and best.population < 100_000)):
                    out.append((c, None, 0.0, 1.0))
                    continue
                fit = 0.85
            out.append((c, best, same / sum(w), fit))
        return out


def _softmax_top(s: list[float]) -> float:
    m = max(s)
    z = sum(math.exp(x - m) for x in s)
    return 1.0 / z


def _km(a: Place, b: Place) -> float:
    """Distance in km, equirectangular approximation. Not ``gazetteer.km`` (haversine): that
    one moves a few places across the 50 km line and so changes some mention scores."""
    dlon = (a.longitude - b.longitude + 180) % 360 - 180
    dx = dlon * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return 111.2 * math.hypot(a.latitude - b.latitude, dx)
