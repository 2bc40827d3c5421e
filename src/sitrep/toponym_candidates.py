"""Toponym candidates: where in a text a place name could be, and the cues around it.

The first half of recognition; ``toponyms`` decides which candidates are places.
``CandidateFinder.tokens`` cuts the text into ``Token``s that carry their NER label:
NER spans that cross a line break are split (place labels) or dropped (other labels,
and non-place spans across a comma), and the tokens of a dropped span are judged as
without NER. A nationality followed by the rest of a country's name ("Czech" +
"Republic") is that country. ``CandidateFinder.find`` matches runs of capitalised tokens
against the gazetteer (longest name first, at most ``MAX_SPAN`` tokens) and makes each hit
a ``Candidate`` with the cues around it: "in X" (weak), "near X", "X province", "the town
of X" (strong, the last two with a feature-type hint). Demonyms ("Afghan forces") are
collected as context, never mentions. Also marked here:

- a natural feature named after a place ("Charles River", "Black Rock Desert", "Lake Chad",
  "Gulf of Aden"; "Red Sea" even if the gazetteer lacks it): the candidate covers the
  whole name (``Candidate.feature``);
- "the X" with X not followed by a noun (``Candidate.the``), except for names that carry
  "the" in the gazetteer ("the Hague");
- a name glued after an unknown capitalised word ("Haulover Beach"; compass words do not
  count: "North Dallas"): ``Candidate.partial``;
- common abbreviations: countries ("U.S."), states ("NSW"; AP style "Kan.", "N.Y." after
  "Town, "), cities ("L.A.", "D.C."): ``Candidate.country_code`` / ``admin1``.

Also the word lists the cues are made of, shared with ``toponyms``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .gazetteer import Gazetteer, fold
from .model import Place

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
TYPE_HINT = _hints(ADM1="province provinces governorate region state oblast prefecture",
                    ADM2="district districts county municipality", PPL="city town village villages suburb",
                    none="area areas countryside outskirts airport")
_OF_PREV = _hints(PPL="city town village port mayor", ADM1="province governorate region state governor",
                  ADM2="district county municipality",
                  none="area island outskirts north south east west northeast northwest southeast southwest suburbs "
                       "stronghold strongholds bastion heartland quarter neighbourhood neighborhood "
                       "centre center capital heart parts areas border streets residents fall capture "
                       "siege control liberation out recapture seizure loss occupation withdrawal "
                       "shelling bombing bombardment assault storming encirclement blockade evacuation")
# "the village of X", "the small town of X": X is a settlement even when the gazetteer lacks it
_SETTLEMENT_OF = re.compile(r"\b(?:town|village|hamlet|settlement|city)\s+of\s+$", re.I)
_FACILITY = frozenset("""theatre theater hospital airport port station plant steelworks mall market school
    university bridge dam railway prison""".split())
_COMPASS_WORDS = frozenset("""central northern southern eastern western north south east west northeast northwest
    southeast southwest north-east north-west south-east south-west downtown rural""".split())
_STRONG_PREV = frozenset("near outside nearby around towards toward via across throughout".split())
_APPOS = frozenset("city town village capital province district region north south east west "
                   "stronghold hometown border".split())
# weak cues (and verbs of taking ground) need a sizeable place when NER said PERSON/ORG
_WEAK_PREV = frozenset("in at from to into through between and or inside entered reached taken took take taking "
                       "capture captured seize seized overran overrun besieged besieging shelled bombed "
                       "stormed encircled recaptured retook retaken liberated raided attacked struck hit "
                       "targeted bombarded pounded evacuated".split())
_WEAK_NEXT = frozenset("fell falls fallen".split())  # "Kunduz fell to the Taliban"
TITLES = frozenset("president mr mrs ms dr sir lord king queen prince princess sheikh mullah imam "
                    "pope gen general col colonel capt captain sgt sergeant lt lieutenant maj major "
                    "minister governor senator rep judge bishop father brother sister saint st "
                    "chancellor premier commander spokesman ambassador secretary mayor emir sultan".split())
# Capitalised words that are never a place on their own (general English, not place names).
STOP = TITLES | frozenset("""the a an in on at of for by to from with and or but if as so no not nor all
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
_NEXT_WORDS = re.compile(r"[ ]([A-Z][\w'-]*)(?:[ ]([A-Z][\w'-]*))?")
# A natural feature named after a place ("Black Rock Desert", "Charles River", "Lake Chad",
# "Gulf of Mexico") is not that place: the mention covers the whole name and stays unresolved.
FEATURE_AFTER = frozenset("""river rivers lake lakes mountains mountain mts hills valley desert delta peninsula
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
MAX_SPAN = 6

_SETTLEMENT_NOUNS = frozenset("town village city hamlet settlement suburb".split())
_AFTER_SETTLEMENT = frozenset("in near on outside north south east west northeast northwest southeast "
                              "southwest of about some close just held controlled where that which".split())


def _described_after(text: str, toks: list, j: int) -> bool:
    """'X, a town in Y', 'X, a small village near Z': the words after the name say it is a settlement
    (but not 'Harden, a town councillor')."""
    if j >= len(toks) or text[toks[j - 1].end:toks[j].start].strip() != "," or \
            toks[j].text.lower() not in ("a", "an", "the"):
        return False
    for k in range(j + 1, min(j + 4, len(toks))):
        word = toks[k].text.lower()
        if word in _SETTLEMENT_NOUNS:
            if k + 1 >= len(toks):
                return True
            gap = text[toks[k].end:toks[k + 1].start].strip()
            return bool(gap) or toks[k + 1].text.lower() in _AFTER_SETTLEMENT
        if toks[k].cap or text[toks[k - 1].end:toks[k].start].strip():
            return False
    return False


@dataclass(eq=False)
class Token:
    """A word of the text ("'s" cut off; a capitalised hyphenated word is split into its
    parts unless the whole is a gazetteer name)."""

    start: int
    end: int
    text: str
    cap: bool
    sent_start: bool
    label: str | None = None
    ent: int = -1  # index of its (cleaned) NER span, -1 outside any
    doubt: bool = False  # inside an NER span that was dropped as broken: judged as without NER


@dataclass(eq=False)
class Candidate:
    """A possible place mention: set up here, ``recog`` by ``toponyms``, ``qualifier`` and
    ``options`` (the gazetteer readings) by the resolution in ``geoparse``."""

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
    unlisted: bool = False  # a place by its cue or NER label that the gazetteer does not hold
    recog: float = 0.0  # recognition confidence (0 = not yet, -1 = never)
    aerial: bool = False  # "over X" / "above X": a cue only for a big place (drones shot down over Kyiv)
    qualifier: "Candidate | None" = None
    options: list = field(default_factory=list)


def is_big(p: Place) -> bool:
    """A country, a continent or a region made of countries."""
    return p.is_country or p.feature_code in ("CONT", "RGN")


class CandidateFinder:
    """Tokens and toponym candidates of a text. Thread-safe; holds no per-document state."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer

    def tokens(self, text: str, ents) -> list[Token]:
        """The words of ``text``, labelled with the cleaned NER spans of ``ents`` (if any)."""
        toks: list[Token] = []
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
                        toks.append(Token(s + off, s + off + len(part), part, part[0].isupper(),
                                         sent and off == 0))
                    off += len(part) + 1
                continue
            toks.append(Token(s, e, w, cap, sent))
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
            for k in range(1, len(toks) - 1):
                prev, t, nxt = toks[k - 1], toks[k], toks[k + 1]
                # "Deir ez-Zor" with only "Deir" tagged: an Arabic article and the word it joins
                # end the name they follow
                if t.ent < 0 <= prev.ent and t.start - prev.end == 1 and text[prev.end] == " " and \
                        _ARTICLE_PREFIX.match(text[t.start: nxt.end]) and nxt.start == t.end + 1 and nxt.cap and nxt.ent < 0:
                    t.label, t.ent = prev.label, prev.ent
                    nxt.label, nxt.ent = prev.label, prev.ent
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
                        if top and top[0][1] < 2 and is_big(top[0][0]):
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

    def _runs(self, toks: list[Token]):
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
                if p1 in _COMPASS_WORDS and p2 in _WEAK_PREV | _STRONG_PREV:
                    p1, p2 = p2, ""  # "in central Kherson": the cue before the compass word
        if _described_after(text, toks, j):
            strong, hint = True, "PPL"  # "Kafr Nabl, a town in the south of the province"
        elif j < len(toks) and not text[toks[j - 1].end:toks[j].start].strip():
            nx = toks[j].text.lower()
            if nx in TYPE_HINT:
                strong, hint = True, TYPE_HINT[nx]
            elif nx in _FACILITY or (j + 1 < len(toks) and toks[j + 1].text.lower() in _FACILITY
                                     and not toks[j].cap):
                weak = True  # "the Mariupol drama theatre", "the Kramatorsk railway station"
            elif nx in _WEAK_NEXT or (nx in ("has", "have", "had") and j + 1 < len(toks)
                                      and toks[j + 1].text.lower() in _WEAK_NEXT):
                weak = True  # "Kunduz fell to", "Kunduz has fallen to"
        if p1 == "of" and p2 in _OF_PREV:
            strong, hint = True, hint or _OF_PREV[p2]
        elif p1 in _STRONG_PREV:
            strong = True
        elif p1 in _WEAK_PREV and not the:
            weak = True
        if p1 in TITLES:
            strong = weak = False
        return strong, weak, hint

    def find(self, text: str, toks: list[Token], demonyms: list[str]) -> list[Candidate]:
        """The candidates of the text, in order; the country codes of demonyms go to ``demonyms``."""
        gaz = self.gaz
        cands: list[Candidate] = []
        for i0, j0 in self._runs(toks):
            label, in_ent = toks[i0].label, toks[i0].ent >= 0
            surface = text[toks[i0].start:toks[j0 - 1].end]
            if label not in ("PERSON", "ORG", "NORP") and j0 - i0 <= 3 and not gaz.is_name(surface) \
                    and _SETTLEMENT_OF.search(text[max(0, toks[i0].start - 40):toks[i0].start]):
                # "the village of Wolnica Dolna": one settlement, even if a part of its name is a place elsewhere
                c = Candidate(toks[i0].start, toks[j0 - 1].end, surface, fold(surface), label, i0, j0,
                              label is not None, True, False, "PPL")
                c.unlisted = True
                cands.append(c)
                continue
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
                    if j - i == 1 and (surface.lower() in STOP or (surface.isupper() and len(surface) <= 4)):
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
                c = Candidate(t.start, toks[j - 1].end, surface, fold(surface), label, i, j,
                          in_ent and self._whole(toks, i, j, i0, j0), strong, weak, hint)
                c.aerial = i > 0 and toks[i - 1].text.lower() in ("over", "above") and \
                    not text[toks[i - 1].end:t.start].strip()
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
            settlement = not found_any and label not in ("PERSON", "ORG", "NORP") and j0 - i0 <= 3 \
                and _SETTLEMENT_OF.search(text[max(0, toks[i0].start - 40):toks[i0].start])
            if (label in ("GPE", "LOC") or settlement) and not found_any:
                s, e = toks[i0].start, toks[j0 - 1].end
                while i0 < j0 and toks[i0].text.lower() in _CONNECT:
                    i0 += 1
                if i0 < j0 and toks[i0].text.lower() not in STOP:
                    s = toks[i0].start
                    c = Candidate(s, e, text[s:e], fold(text[s:e]), label, i0, j0, label is not None,
                                  bool(settlement), False, "PPL" if settlement else None)
                    c.unlisted = True
                    cands.append(c)
        return cands

    @staticmethod
    def _modifier(t: Token) -> bool:
        """A capitalised word that makes the name after it another place ("Haulover" Beach,
        "Pala" Mesa). Compass words do not: "North Dallas" is part of Dallas."""
        w = t.text.lower()
        if not t.cap or t.sent_start or w in _CONNECT or w in TYPE_HINT:
            return False
        return w not in STOP

    @staticmethod
    def _dotted(text: str, toks: list[Token], i: int) -> bool:
        """An AP-style state abbreviation right after "Town, " ("Wichita, Kan.", "Albany, N.Y.")."""
        t = toks[i]
        key = t.text.rstrip(".")
        if key not in _DOTTED or not (t.text.endswith(".") or text[t.end:t.end + 1] == "."):
            return False
        return i > 0 and toks[i - 1].cap and text[toks[i - 1].end:t.start] == ", "

    @staticmethod
    def _feature(text: str, toks: list[Token], c: Candidate) -> None:
        """Mark (and widen) a name that is part of a natural feature's name, and "the X"."""
        i, j = c.i, c.j
        if j < len(toks) and toks[j].cap and text[toks[j - 1].end:toks[j].start] == " " \
                and toks[j].text.lower() in FEATURE_AFTER:
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
    def _unknown_feature(text: str, toks: list[Token], i0: int, j0: int, label) -> Candidate | None:
        """A capitalised run that names a natural feature although the gazetteer lacks it:
        "Red Sea", "Indian Ocean", "Euphrates River", "Lake Urmia", "Bay of Bengal"."""
        while i0 < j0 and toks[i0].text.lower() == "the":
            i0 += 1
        if j0 - i0 < 2:
            return None
        first, last = toks[i0].text.lower(), toks[j0 - 1].text.lower()
        natural = FEATURE_AFTER - {"park", "reserve", "forest", "beach", "range", "coast", "harbour", "harbor"}
        if not (last in natural or first in _FEATURE_BEFORE
                or (first in _FEATURE_OF and toks[i0 + 1].text == "of")):
            return None
        s, e = toks[i0].start, toks[j0 - 1].end
        c = Candidate(s, e, text[s:e], fold(text[s:e]), label, i0, j0, True, True, False, None)
        c.feature = True
        return c

    @staticmethod
    def _whole(toks, i, j, i0, j0) -> bool:
        """The span covers the entity except leading 'the' and connectors."""
        while i0 < j0 and not toks[i0].cap:
            i0 += 1
        return i == i0 and j == j0
