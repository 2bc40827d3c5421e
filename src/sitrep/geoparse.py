"""Find place names in a text and resolve them to gazetteer entries, like an analyst would.

Recognition starts from NER entities when given (GPE/LOC/FAC are places; PERSON,
ORG and NORP are checked for mislabelled places) and adds capitalised token runs
that are gazetteer names *and* carry a cue: "in X", "near X", "X province", "the
town of X", a list with another place, or the same name recognised elsewhere in the
text. Demonyms ("Afghan forces") are context, never mentions.

Resolution scores each candidate by population and feature type, the article's
dominant countries (unambiguous mentions + ``context_country`` + demonyms), a
qualifier next to the name ("Andar district, Ghazni province"; "X, Y" where Y is
X's province or country), type words ("X district" -> ADM2) and closeness to the
other places of the article.

General rules on top of that (each has a regression test in tests/test_geoparse.py):

- NER spans that cross a line break are split (place labels) or dropped (other labels,
  and non-place spans across a comma); a dropped span is judged as without NER. A
  nationality followed by the rest of a country's name ("Czech" + "Republic") is that country.
- A name known only as an alternate name of a town ("Whitehall", "Taliban") needs a cue,
  never counts when NER tags it ORG/PERSON/NORP without one, and weighs less than a main
  name when resolving.
- A place name followed by "virus", "fever", "outbreak" ... is a disease, and so is that
  name elsewhere in the document unless a cue says otherwise.
- A country or a province inside an organisation's name ("Kenya Wildlife Service") or
  after "of" in a title ("the King of Saudi Arabia") is a mention.
- Natural features ("Charles River", "Black Rock Desert", "Lake Chad", "Gulf of Aden",
  "Red Sea") are mentions of their own: never resolved to the town they contain.
- "the X" (X not followed by a noun) is a river, a region or a country: only those
  readings are kept, or none ("across the Dnipro", "the Pacific"); names that carry "the"
  in the gazetteer ("the Hague") are exempt.
- A name glued after an unknown capitalised word ("Haulover Beach") stays unresolved;
  compass words do not count ("North Dallas" is in Dallas).
- A qualifier that is a country or a province ("X in central Mali", "X, Mali") is a hard
  constraint: no reading inside it leaves X unresolved. A list of places ("Armenia,
  Georgia, Iraq, Iran") is not a chain of qualifiers.
- A country named elsewhere in the same sentence favours its namesake.
- When the story is elsewhere (no other name backs that country, nor is it a neighbour),
  a small town (< ``SMALL_TOWN``) or a mid-sized one known only by an alternate name is a
  worse answer than none: the mention is left unresolved.
- Common abbreviations: countries ("U.S."), states ("NSW"; AP style "Kan.", "N.Y." after
  "Town, "), cities ("L.A.", "D.C.").

::

    gp = Geoparser(Gazetteer.open())
    for m in gp.parse(text, ents=[(s, e, label), ...], context_country="AF"):
        print(m.text, m.place.name, m.place.admin1, m.score)
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Iterable

from .gazetteer import Gazetteer, fold
from .model import Place, PlaceMention

ABBREVIATIONS = {"U.S.": "US", "US": "US", "U.S": "US", "USA": "US", "U.S.A.": "US", "UK": "GB",
                 "U.K.": "GB", "UAE": "AE", "U.A.E.": "AE", "DRC": "CD"}
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:\w|[-'’](?=\w))*")
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|as|ad|ar|ash|an|az|at|ed|ez|es|ul)-[^\W\d_]", re.I)
_POSSESSIVE = re.compile(r"['’]s$")
_CONTRACTION = re.compile(r"['’](?:ve|ll|re|d|m|t)$|n['’]t$", re.I)
_CONNECT = frozenset("of and de del la le les du des da do dos das di the al el es e i ye on upon sur en am "
                     "im an der y".split())

def _hints(**groups: str) -> dict[str, str | None]:
    return {w: (None if h == "none" else h) for h, words in groups.items() for w in words.split()}


# "X province" -> ADM1 ... ; "the city of X" -> PPL ...: a strong cue and a feature-type hint.
_TYPE_HINT = _hints(ADM1="province provinces governorate region state oblast prefecture",
                    ADM2="district districts county municipality", PPL="city town village villages suburb",
                    none="area areas countryside outskirts airport")
_OF_PREV = _hints(PPL="city town village", ADM1="province governorate region state",
                  ADM2="district county municipality",
                  none="area island outskirts north south east west northeast northwest southeast southwest suburbs "
                       "centre center capital heart parts areas border streets residents fall capture "
                       "siege control liberation")
_STRONG_PREV = frozenset("near outside nearby around towards toward via across throughout".split())
_APPOS = frozenset("city town village capital province district region north south east west "
                   "stronghold hometown border".split())
# weak cues (and verbs of taking ground) need a sizeable place when NER said PERSON/ORG
_WEAK_PREV = frozenset("in at from to into between and or inside entered reached taken took take taking "
                       "capture captured seize seized overran overrun besieged besieging shelled bombed "
                       "stormed encircled recaptured retook retaken liberated raided attacked".split())
_TITLES = frozenset("president mr mrs ms dr sir lord king queen prince princess sheikh mullah imam "
                    "pope gen general col colonel capt captain sgt sergeant lt lieutenant maj major "
                    "minister governor senator rep judge bishop father brother sister saint st "
                    "chancellor premier commander spokesman ambassador secretary mayor emir sultan".split())
# Capitalised words that are never a place on their own (general English, not place names).
_STOP = _TITLES | frozenset("""the a an in on at of for by to from with and or but if as so no not nor all
any some many most more much few several each every both either neither other such this that these those
there here then than when while where what who whom whose why how he she it we they you i me him her his
its our their them us my your one two three four five six seven eight nine ten first second third last
next new old great good big little high low long north south east west northern southern eastern western
central upper lower middle northeast northwest southeast southwest january february march april may june
july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec monday
tuesday wednesday thursday friday saturday sunday today yesterday tomorrow prime government army police
ministry council parliament congress senate court security defense defence forces force islamic state
republic kingdom union united national international news press agency party front democratic federal
coalition alliance office department official officials god allah christmas easter ramadan eid world
page photo video read share comment home said says will would can could might must should also even just
still only however meanwhile although because since until despite during under over among against
without within across through around near outside inside between up down out off according after
before about above below again ago already always never often once perhaps please thanks yes well
mission liberty independence freedom unity peace hope justice victory province district city town
village county region governorate area border capital centre center street road bridge airport station
camp base hospital school university prison river lake mountain valley black white red green blue gold
golden silver royal grand fort port mount cape bay island islands gulf sea ocean college church mosque
hall house square park hotel museum market metropolitan embassy consulate headquarters""".split())
_COMPASS = frozenset("""north south east west northern southern eastern western central northeast northwest
southeast southwest northeastern northwestern southeastern southwestern upper lower""".split())
_DETERMINERS = frozenset("the a an this that these those his her its their our my your every each no".split())
_LISTSEP = re.compile(r"^\s*(?:,|,?\s*(?:and|or))\s*$")
_COMPASS_ADJ = r"(?:(?:north|south)(?:-?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central|rural|remote)"
_QUALSEP = re.compile(r"^(?:\s+(?:province|district|governorate|region|state|county|city|town|village))?"
                      r"\s*(?:,|\bin|,\s*in)\s*(?:the\s+)?(?:" + _COMPASS_ADJ + r"\s+)?$", re.I)
_NEXT_WORDS = re.compile(r"[ ]([A-Z][\w'-]*)(?:[ ]([A-Z][\w'-]*))?")
_INSEP = re.compile(r"\bin\b", re.I)
_SENT_END = re.compile(r"[.!?](?=\s+[A-Z\"“‘'(])|\n")
_NOT_AFTER = frozenset("virus fever flu disease syndrome strain outbreak vaccine".split())
# A natural feature named after a place ("Black Rock Desert", "Charles River", "Lake Chad",
# "Gulf of Mexico") is not that place: the mention covers the whole name and stays unresolved.
_FEATURE_AFTER = frozenset("""river rivers lake lakes mountains mountain mts hills valley desert delta peninsula
plateau sea ocean gulf bay strait straits island islands isles coast canyon forest park reserve falls creek
range basin glacier beach harbour harbor canal channel highlands plain plains marshes reef volcano gorge
fjord lagoon estuary""".split())
_FEATURE_BEFORE = frozenset("lake mount mt mt. lac".split())
_FEATURE_OF = frozenset("gulf bay sea strait straits isle isles cape lake mouth".split())
# After "the X", X is a river, a region or a country far more often than a town.
_AFTER_THE_END = frozenset("""of in at on near to from into with where which that who whose is was are were
has have had will would flows flowed runs crossed along""".split())
# Common abbreviations of states and provinces (AP style for the US): (country, admin1 name).
# Those with a period are taken only right after "Town, " ("Wichita, Kan.").
_STATE_ABBR = {"NSW": ("AU", "New South Wales"), "Qld": ("AU", "Queensland")}
# Common abbreviations of cities: (country, name of the city in the gazetteer).
_CITY_ABBR = {"L.A.": ("US", "Los Angeles"), "NYC": ("US", "New York City"), "N.Y.C.": ("US", "New York City"),
              "D.C.": ("US", "Washington, D.C."), "DC": ("US", "Washington, D.C.")}
_AP_STATES = {"Ala": "Alabama", "Ariz": "Arizona", "Ark": "Arkansas", "Calif": "California",
              "Colo": "Colorado", "Conn": "Connecticut", "Del": "Delaware", "Fla": "Florida",
              "Ga": "Georgia", "Ill": "Illinois", "Ind": "Indiana", "Kan": "Kansas", "Kans": "Kansas",
              "Ky": "Kentucky", "La": "Louisiana", "Md": "Maryland", "Mass": "Massachusetts",
              "Mich": "Michigan", "Minn": "Minnesota", "Miss": "Mississippi", "Mo": "Missouri",
              "Mont": "Montana", "Neb": "Nebraska", "Nebr": "Nebraska", "Nev": "Nevada",
              "N.H": "New Hampshire", "N.J": "New Jersey", "N.M": "New Mexico", "N.Y": "New York",
              "N.C": "North Carolina", "N.D": "North Dakota", "Okla": "Oklahoma", "Ore": "Oregon",
              "Pa": "Pennsylvania", "R.I": "Rhode Island", "S.C": "South Carolina", "S.D": "South Dakota",
              "Tenn": "Tennessee", "Tex": "Texas", "Vt": "Vermont", "Va": "Virginia", "Wash": "Washington",
              "W.Va": "West Virginia", "Wis": "Wisconsin", "Wyo": "Wyoming"}
_CA_PROVINCES = {"B.C": "British Columbia", "Ont": "Ontario", "Que": "Quebec", "Alta": "Alberta",
                 "Sask": "Saskatchewan", "N.S": "Nova Scotia", "N.B": "New Brunswick"}
_DOTTED = {**{k: ("US", v) for k, v in _AP_STATES.items()}, **{k: ("CA", v) for k, v in _CA_PROVINCES.items()}}
_BLOCK = frozenset("DATE TIME CARDINAL ORDINAL QUANTITY MONEY PERCENT LANGUAGE".split())
_PLACE_LABELS = frozenset(("GPE", "LOC", "FAC"))
_JOINERS = frozenset(("", "and", "of", "of the", "e", "i", "ye", "al", "el", "ul", "de", "la", "du", "des"))
_MERGEABLE = frozenset(("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP"))
W_COUNTRY, W_TOP = 2.0, 0.5
SMALL_TOWN = 10_000  # a town this small, in a country the story is not about, is left unresolved
MAX_SPAN = 6


def precision_of(place: Place | None) -> int:
    """ACLED geo_precision: 1 town/city, 2 district (ADM2), 3 province/country/other."""
    if place is None or not place.feature_code:
        return 3
    fc = place.feature_code
    if fc.startswith("PPL"):
        return 1
    return 2 if fc == "ADM2" else 3


@dataclass(eq=False)
class _Tok:
    start: int
    end: int
    text: str
    cap: bool
    sent_start: bool
    label: str | None = None
    ent: int = -1
    doubt: bool = False  # inside an NER span that was dropped as broken: judged as without NER


@dataclass(eq=False)
class _Cand:
    start: int
    end: int
    text: str
    key: str
    label: str | None
    i: int  # first token index
    j: int  # one past last token index
    whole_ent: bool
    strong: bool
    weak: bool
    hint: str | None
    country_code: str | None = None  # set for abbreviations
    admin1: str | None = None  # set for state abbreviations (with country_code)
    feature: bool = False  # a natural feature named after a place: never resolved to it
    city: bool = False  # an abbreviated city name (with country_code, admin1 = the city's name)
    partial: bool = False  # the end of a longer name ("Haulover Beach", "West Midlands"): unresolved
    the: bool = False  # "the X" with X not followed by a noun
    recog: float = 0.0
    qualifier: "_Cand | None" = None
    options: list = field(default_factory=list)


class Geoparser:
    """Recognise and resolve place mentions. Thread-safe; holds no per-document state."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer

    # ---------------------------------------------------------------- recognition
    def _tokens(self, text: str, ents) -> list[_Tok]:
        toks: list[_Tok] = []
        for m in _TOKEN.finditer(text):
            s, e, w = m.start(), m.end(), m.group()
            pm = _POSSESSIVE.search(w)
            if pm and len(w) > 2:
                e -= 2
                w = w[:-2]
            j = s - 1
            while j >= 0 and text[j] in " \t\"'“‘(«[—–-":
                j -= 1
            sent = j < 0 or text[j] in ".!?:\n\r|" or "\n" in text[j:s]
            cap = (w[0].isupper() or bool(_ARTICLE_PREFIX.match(w) and len(w) > 3)) \
                and not _CONTRACTION.search(w) and w != "I"
            if "-" in w and cap and not w.isupper() and not self.gaz.is_name(w) \
                    and not (_ARTICLE_PREFIX.match(w) and self.gaz.is_name(w, True)):
                off = 0
                for part in w.split("-"):
                    if part:
                        toks.append(_Tok(s + off, s + off + len(part), part, part[0].isupper(),
                                         sent and off == 0))
                    off += len(part) + 1
                continue
            toks.append(_Tok(s, e, w, cap, sent))
        if ents:
            spans, dropped = self._clean_ents(text, ents)
            spans = self._merge(text, spans)
            for a, b in dropped:
                for t in toks:
                    if a <= t.start < b:
                        t.doubt = True
            starts = [sp[0] for sp in spans]
            for t in toks:
                k = bisect.bisect_right(starts, t.start) - 1
                if k >= 0 and spans[k][0] <= t.start < spans[k][1]:
                    t.label, t.ent = spans[k][2], k
        return toks

    def _clean_ents(self, text: str, ents) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
        """NER spans that cross a line break ("Mendoza\n\nBuenos Aires" as ORG) or, for
        non-place labels, a comma ("Bruges, Ghent" as ORG) are not one name: a place label
        is split at the line breaks, any other label is dropped. A nationality followed by
        the rest of a country's name ("Czech" + "Republic") becomes that country. Returns the
        spans and the (start, end) of the dropped ones."""
        out, dropped = [], []
        for a, b, lab in ents:
            a, b, lab = int(a), int(b), str(lab)
            if lab == "NORP":
                m = _NEXT_WORDS.match(text, b)
                if m:
                    for e in (m.end(), m.end(1)):
                        top = self.gaz.lookup(text[a:e])[:1] if e > b else ()
                        if top and top[0][1] < 2 and _big(top[0][0]):
                            b, lab = e, "GPE"
                            break
            seg = text[a:b]
            if "\n" in seg.strip():
                if lab in _PLACE_LABELS:
                    for m in re.finditer(r"[^\n]+", seg):
                        piece = m.group()
                        lead = len(piece) - len(piece.lstrip())
                        if piece.strip():
                            out.append((a + m.start() + lead, a + m.start() + len(piece.rstrip()), lab))
                else:
                    dropped.append((a, b))
                continue
            if lab not in _PLACE_LABELS and "," in seg:
                dropped.append((a, b))
                continue
            out.append((a, b, lab))
        return sorted(out), dropped

    def _merge(self, text, spans):
        """'Trinidad' + 'and' + 'Tobago', 'Mazar' + '-e ' + 'Sharif' -> one entity when the whole
        is a gazetteer name."""
        out = []
        for sp in spans:
            if out and out[-1][2] in _PLACE_LABELS and sp[2] in _MERGEABLE \
                    and text[out[-1][1]:sp[0]].strip(" -").lower() in _JOINERS \
                    and self.gaz.is_name(text[out[-1][0]:sp[1]]):
                out[-1] = (out[-1][0], sp[1], "GPE")
            else:
                out.append(sp)
        return out

    def _runs(self, toks: list[_Tok]):
        """Maximal runs of capitalised tokens (with inner connectors) inside one entity or none."""
        n, i = len(toks), 0
        while i < n:
            t = toks[i]
            if not t.cap or t.label in _BLOCK:
                i += 1
                continue
            j = i + 1
            while j < n and toks[j].ent == t.ent:
                u = toks[j]
                gap_ok = u.start - toks[j - 1].end <= 1
                if t.ent >= 0:
                    if not gap_ok and toks[j - 1].end != u.start - 2:
                        break
                elif not gap_ok or not (u.cap or (u.text.lower() in _CONNECT and j + 1 < n
                                                  and toks[j + 1].cap and toks[j + 1].ent == t.ent
                                                  and toks[j + 1].start - u.end == 1)):
                    break
                j += 1
            yield i, j
            i = j

    @staticmethod
    def _cue(text, toks, i, j):
        """(strong, weak, hint) from the words right around tokens i..j."""
        strong = weak = False
        hint = None
        k, the = i - 1, False
        if k >= 0 and toks[k].text.lower() == "the" and not text[toks[k].end:toks[k + 1].start].strip():
            k, the = k - 1, True
        p1 = p2 = ""
        if k >= 0:
            gap = text[toks[k].end:toks[k + 1].start]
            p1 = toks[k].text.lower()
            if gap.strip() == "," and p1 in _APPOS and not the:
                strong = True
                p1 = ""
            elif gap.strip():
                p1 = ""
            elif k > 0 and not text[toks[k - 1].end:toks[k].start].strip():
                p2 = toks[k - 1].text.lower()
        if j < len(toks) and not text[toks[j - 1].end:toks[j].start].strip():
            nx = toks[j].text.lower()
            if nx in _TYPE_HINT:
                strong, hint = True, _TYPE_HINT[nx]
        if p1 == "of" and p2 in _OF_PREV:
            strong, hint = True, hint or _OF_PREV[p2]
        elif p1 in _STRONG_PREV:
            strong = True
        elif p1 in _WEAK_PREV and not the:
            weak = True
        if p1 in _TITLES:
            strong = weak = False
        return strong, weak, hint

    def _find(self, text: str, toks: list[_Tok], demonyms: list[str]) -> list[_Cand]:
        gaz = self.gaz
        cands: list[_Cand] = []
        for i0, j0 in self._runs(toks):
            label, in_ent = toks[i0].label, toks[i0].ent >= 0
            i, found_any, n_before, free = i0, False, len(cands), i0
            while i < j0:
                t = toks[i]
                if not t.cap:
                    i += 1
                    continue
                hit = None
                for j in range(min(j0, i + MAX_SPAN), i, -1):
                    last = toks[j - 1]
                    if not last.cap:
                        continue
                    surface = text[t.start:last.end]
                    if j - i == 1 and surface in ABBREVIATIONS:
                        if "$" not in text[max(0, t.start - 1):last.end + 1]:
                            hit = (j, "abbr")
                        break
                    if j - i == 1 and (surface in _STATE_ABBR or self._dotted(text, toks, i)):
                        hit = (j, "state")
                        break
                    if j - i == 1 and surface in _CITY_ABBR:
                        hit = (j, "city")
                        break
                    if j - i == 1 and (surface.lower() in _STOP or (surface.isupper() and len(surface) <= 4)):
                        if gaz.demonym(surface):
                            hit = (j, "demonym")
                        break
                    if gaz.demonym(surface):
                        hit = (j, "demonym")
                        break
                    loose_ok = len(surface) > 4 and ((label in ("GPE", "LOC") and (i, j) == (i0, j0))
                                                     or bool(_ARTICLE_PREFIX.match(surface)))
                    if gaz.is_name(surface) or (loose_ok and gaz.is_name(surface, True)):
                        hit = (j, "name")
                        break
                if hit is None:
                    i += 1
                    continue
                j, kind = hit
                surface = text[t.start:toks[j - 1].end]
                if kind == "demonym":
                    demonyms.append(gaz.demonym(surface))
                    found_any = True
                    i = free = j
                    continue
                strong, weak, hint = self._cue(text, toks, i, j)
                c = _Cand(t.start, toks[j - 1].end, surface, fold(surface), label, i, j,
                          in_ent and self._whole(toks, i, j, i0, j0), strong, weak, hint)
                if kind == "abbr":
                    c.country_code = ABBREVIATIONS[surface]
                elif kind == "city":
                    c.country_code, c.admin1 = _CITY_ABBR[surface]
                    c.city = True
                elif kind == "state":
                    key = surface.rstrip(".")
                    c.country_code, c.admin1 = _STATE_ABBR.get(key) or _DOTTED[key]
                    if text[c.end:c.end + 1] == "." and not surface.endswith("."):
                        c.end += 1
                        c.text = text[c.start:c.end]
                else:
                    self._feature(text, toks, c)
                    if c.the and gaz.is_name("the " + c.key):  # "the Hague", "the Bronx"
                        c.the, c.strong = False, True
                    c.partial = not c.feature and i - 1 >= free and self._modifier(toks[i - 1]) \
                        and text[toks[i - 1].end:t.start] == " "
                cands.append(c)
                found_any = True
                i = free = j
            if len(cands) == n_before and label not in ("ORG", "PERSON", "WORK_OF_ART", "PRODUCT", "EVENT",
                                                          "NORP", "LAW"):
                c = self._unknown_feature(text, toks, i0, j0, label)
                if c is not None:
                    cands.append(c)
                    found_any = True
            if label in ("GPE", "LOC") and not found_any:
                s, e = toks[i0].start, toks[j0 - 1].end
                while i0 < j0 and toks[i0].text.lower() in _CONNECT:
                    i0 += 1
                if i0 < j0 and toks[i0].text.lower() not in _STOP:
                    s = toks[i0].start
                    cands.append(_Cand(s, e, text[s:e], fold(text[s:e]), label, i0, j0, True,
                                       False, False, None))
        return cands

    @staticmethod
    def _modifier(t: _Tok) -> bool:
        """A capitalised word that makes the name after it another place ("Haulover" Beach,
        "Pala" Mesa). Compass words do not: "North Dallas" is part of Dallas."""
        w = t.text.lower()
        if not t.cap or t.sent_start or w in _CONNECT or w in _TYPE_HINT:
            return False
        return w not in _STOP

    @staticmethod
    def _dotted(text: str, toks: list[_Tok], i: int) -> bool:
        """An AP-style state abbreviation right after "Town, " ("Wichita, Kan.", "Albany, N.Y.")."""
        t = toks[i]
        key = t.text.rstrip(".")
        if key not in _DOTTED or not (t.text.endswith(".") or text[t.end:t.end + 1] == "."):
            return False
        return i > 0 and toks[i - 1].cap and text[toks[i - 1].end:t.start] == ", "

    @staticmethod
    def _feature(text: str, toks: list[_Tok], c: _Cand) -> None:
        """Mark (and widen) a name that is part of a natural feature's name, and "the X"."""
        i, j = c.i, c.j
        if j < len(toks) and toks[j].cap and text[toks[j - 1].end:toks[j].start] == " " \
                and toks[j].text.lower() in _FEATURE_AFTER:
            c.end, c.feature = toks[j].end, True
        if i > 0 and toks[i - 1].cap and text[toks[i - 1].end:toks[i].start] == " " \
                and toks[i - 1].text.lower() in _FEATURE_BEFORE:
            c.start, c.feature = toks[i - 1].start, True
        elif i > 1 and toks[i - 1].text == "of" and toks[i - 2].cap \
                and toks[i - 2].text.lower() in _FEATURE_OF and text[toks[i - 2].end:toks[i].start] == " of ":
            c.start, c.feature = toks[i - 2].start, True
        if c.feature:
            c.text, c.strong, c.hint = text[c.start:c.end], True, None
            return
        k = i - 1
        if k >= 0 and toks[k].text.lower() == "the" and text[toks[k].end:toks[i].start] == " ":
            after = text[c.end:c.end + 1]
            if not after or after in ",.;:!?)\n\"”'’" or (
                    j < len(toks) and not toks[j].cap and toks[j].text.lower() in _AFTER_THE_END
                    and not text[c.end:toks[j].start].strip()):
                c.the = True

    @staticmethod
    def _unknown_feature(text: str, toks: list[_Tok], i0: int, j0: int, label) -> _Cand | None:
        """A capitalised run that names a natural feature although the gazetteer lacks it:
        "Red Sea", "Indian Ocean", "Euphrates River", "Lake Urmia", "Bay of Bengal"."""
        while i0 < j0 and toks[i0].text.lower() == "the":
            i0 += 1
        if j0 - i0 < 2:
            return None
        first, last = toks[i0].text.lower(), toks[j0 - 1].text.lower()
        natural = _FEATURE_AFTER - {"park", "reserve", "forest", "beach", "range", "coast", "harbour", "harbor"}
        if not (last in natural or first in _FEATURE_BEFORE
                or (first in _FEATURE_OF and toks[i0 + 1].text == "of")):
            return None
        s, e = toks[i0].start, toks[j0 - 1].end
        c = _Cand(s, e, text[s:e], fold(text[s:e]), label, i0, j0, True, True, False, None)
        c.feature = True
        return c

    @staticmethod
    def _whole(toks, i, j, i0, j0) -> bool:
        """The span covers the entity except leading 'the' and connectors."""
        while i0 < j0 and not toks[i0].cap:
            i0 += 1
        return i == i0 and j == j0

    def _accept(self, c: _Cand, toks: list[_Tok], lowered: set[str], have_ents: bool,
                known: set[str], persons: set[str], diseases: set[str] = frozenset()) -> float:
        """Recognition confidence 0-1 (0 = not without more context, -1 = never)."""
        single = c.j - c.i == 1
        word = c.text.lower()
        first = toks[c.i]
        prev = toks[c.i - 1].text.lower() if c.i > 0 else ""
        if prev in _TITLES:
            return -1.0
        if c.country_code:
            return 0.9
        if c.feature:
            return 0.9 if c.label in ("GPE", "LOC", "FAC") else 0.75
        top = self.gaz.lookup(c.text)[:1]
        countryish = bool(top) and _big(top[0][0]) and top[0][1] < 2
        if not countryish and (self._disease(toks, c) or (c.key in diseases and not (c.strong or c.weak))):
            return -1.0
        if single and c.text in persons and not c.strong and c.label not in ("GPE", "LOC"):
            return -1.0
        if c.label in ("GPE", "LOC"):
            return 0.9
        if c.label == "FAC":
            return 0.75 if c.whole_ent or c.strong else 0.0
        # a name known only as an alternate name of a town ("Whitehall", "Taliban") needs a strong cue
        alt_only = bool(top) and all(k >= 1 and not p.is_region and not _big(p)
                                     for p, k in self.gaz.lookup(c.text)[:25])
        is_common = single and word in lowered
        label = c.label
        if label == "PERSON" and prev == "the" and c.whole_ent:  # "the Serengeti": not a person
            label = None
        if label in ("PERSON", "ORG", "NORP", "WORK_OF_ART", "PRODUCT", "LAW"):
            if label == "NORP":  # "Peloponnese" tagged like a nationality
                return 0.7 if c.whole_ent and top and top[0][1] < 2 and (
                    countryish or top[0][0].is_region) else -1.0
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
        if is_common or (single and first.sent_start and c.key not in known):
            return 0.0
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

    def _mainly_province(self, c: _Cand) -> bool:
        """The name is first a province, not also a city of comparable size ("California",
        "Kerala"; not "Kabul")."""
        opts = self.gaz.lookup(c.text)[:25]
        prov = next((p for p, k in opts if k == 0 and p.feature_code == "ADM1"), None)
        return prov is not None and not any(
            p.feature_code.startswith("PPL") and p.country_code == prov.country_code
            and p.population * 10 >= prov.population for p, _ in opts)

    @staticmethod
    def _disease(toks: list[_Tok], c: _Cand) -> bool:
        """The name of a disease or virus ("Marburg virus", "Reston ebolavirus", "Zika outbreak")."""
        if c.j >= len(toks):
            return False
        nx = toks[c.j].text.lower()
        return nx in _NOT_AFTER or (nx.endswith("virus") and toks[c.j].start - c.end <= 1)

    @staticmethod
    def _ends_in_feature(toks: list[_Tok], c: _Cand) -> bool:
        return c.j - c.i > 1 and toks[c.j - 1].text.lower() in _FEATURE_AFTER

    @staticmethod
    def _starts_ent(toks: list[_Tok], i: int) -> bool:
        return i == 0 or toks[i - 1].ent != toks[i].ent or (
            toks[i - 1].text.lower() == "the" and (i == 1 or toks[i - 2].ent != toks[i].ent))

    def _sizeable(self, c: _Cand, pop: int) -> bool:
        top = self.gaz.lookup(c.text)[:1]
        return bool(top) and top[0][1] == 0 and (top[0][0].population >= pop or top[0][0].is_region)

    @staticmethod
    def _run_extends(toks, c) -> bool:
        """Another capitalised word is glued to the span (e.g. 'Ashraf Ghani')."""
        before = c.i > 0 and toks[c.i - 1].cap and toks[c.i].start - toks[c.i - 1].end <= 1
        after = c.j < len(toks) and toks[c.j].cap and toks[c.j].start - toks[c.j - 1].end <= 1 \
            and toks[c.j].text.lower() not in _TYPE_HINT
        return before or after

    # ---------------------------------------------------------------- resolution
    def _votes(self, cands: list[_Cand], demonyms: list[str], context_country: str | None,
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

    def _prior(self, c: _Cand, shares: dict, top_cc: str | None, near: frozenset) -> list[float]:
        opts = c.options
        scores = []
        for p, kind in opts:
            s = 0.5 * math.log10(p.population + 100)
            fc = p.feature_code or ""
            if _big(p):
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
            s += (0.3, -0.7, -0.9)[min(kind, 2)]  # an alternate name counts for less than a main one
            cc = p.country_code
            s += W_COUNTRY * shares.get(cc, 0.0) + (W_TOP if cc == top_cc else 0.0) + (0.4 if cc in near else 0.0)
            scores.append(s)
        return scores

    @staticmethod
    def _in_list(text: str, cands: list[_Cand], k: int) -> bool:
        """cands[k], cands[k+1] are items of a list ("Kunduz, Baghlan and Takhar") rather than
        a place and its qualifier ("Hyderabad, Pakistan")."""
        b = cands[k + 1]
        if k + 2 < len(cands) and _LISTSEP.match(text[b.end:cands[k + 2].start]):
            return True
        return k > 0 and _LISTSEP.match(text[cands[k - 1].end:cands[k].start]) is not None \
            and "," in text[cands[k].end:b.start]

    @staticmethod
    def _hard_qualifier(text: str, c: _Cand) -> bool:
        """The qualifier is a country or a province the name is said to lie in ("X in (central)
        Mali", "X, Mali"), so no reading outside it may be chosen."""
        q = c.qualifier
        top, kind = q.options[0]
        if kind > 0 or not (top.is_country or top.feature_code == "ADM1"):
            return False
        return bool(_INSEP.search(text[c.end:q.start])) or top.is_country

    def _sentence_countries(self, text: str, cands: list[_Cand]) -> dict[int, set[str]]:
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

    def _resolve(self, text: str, cands: list[_Cand], demonyms: list[str], context_country: str | None):
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
                    areas = [(p, k) for p, k in c.options if _big(p) or p.feature_code == "ADM1"]
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
                    and not (_big(a.options[0][0]) and a.options[0][1] == 0) \
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
                    if p.country_code in ccs and not _big(p):
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
                if not _big(p) and _softmax_top(s) >= 0.6 and p.latitude is not None:
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
                    if p.latitude is None or _big(p):
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
            if elsewhere and not _big(best) and not c.qualifier and best.country_code not in near:
                # the story is elsewhere: a small town of that name (or a town known by it only
                # as an alternate name) is a worse answer than none
                if best.feature_code.startswith("PPL") and (
                        best.population < SMALL_TOWN or (c.options[k][1] >= 1 and best.population < 100_000)):
                    out.append((c, None, 0.0, 1.0))
                    continue
                fit = 0.85
            out.append((c, best, same / sum(w), fit))
        return out

    # ---------------------------------------------------------------- entry point
    def parse(self, text: str, ents: Iterable[tuple[int, int, str]] | None = None, *,
              context_country: str | None = None) -> list[PlaceMention]:
        """Place mentions in ``text``, in order, with ``text[m.start:m.end] == m.text``."""
        if not text or not text.strip():
            return []
        ents = list(ents) if ents is not None else None
        toks = self._tokens(text, ents)
        lowered = {t.text.lower() for t in toks if not t.cap}
        persons = set()  # words of multi-word PERSON entities ("Maya Harden" -> Harden is a person)
        for a, b, lab in ents or ():
            words = text[a:b].split()
            if lab == "PERSON" and len(words) > 1 and "\n" not in text[a:b].strip() \
                    and not any(w.lower() in _STOP for w in words):
                persons.update(words)
        demonyms: list[str] = []
        cands = self._find(text, toks, demonyms)
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
                        if o is not None and o.recog > 0 and _LISTSEP.match(text[a.end:b.start]):
                            r = 0.55
                if r > 0:
                    c.recog, changed = r, True
                    known.add(c.key)
            if not changed:
                break
        accepted = [c for c in cands if c.recog > 0]
        resolved = self._resolve(text, accepted, demonyms, context_country)
        out = []
        for c, place, p, fit in resolved:
            score = c.recog * (0.4 + 0.6 * p) * fit if place else c.recog * 0.3
            out.append(PlaceMention(c.start, c.end, c.text, place, round(min(1.0, score), 4)))
        return out


def _big(p: Place) -> bool:
    """A country, a continent or a region made of countries."""
    return p.is_country or p.feature_code in ("CONT", "RGN")


def _softmax_top(s: list[float]) -> float:
    m = max(s)
    z = sum(math.exp(x - m) for x in s)
    return 1.0 / z


def _km(a: Place, b: Place) -> float:
    dlon = (a.longitude - b.longitude + 180) % 360 - 180
    dx = dlon * math.cos(math.radians((a.latitude + b.latitude) / 2))
    return 111.2 * math.hypot(a.latitude - b.latitude, dx)
