"""Actor names as ACLED writes them.

"Afghan troops" -> "Military Forces of Afghanistan", "the insurgents" -> the
armed group the article is about (when there is exactly one), "residents" ->
"Civilians (Afghanistan)". Country names and demonyms come from the gazetteer;
the lists here are generic roles and widely known organisations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

# Non-state armed groups and organisations known by many names (alias -> name).
GROUPS = {
    "taliban": "Taliban", "islamic state": "Islamic State", "isis": "Islamic State",
    "isil": "Islamic State", "daesh": "Islamic State", "is": "Islamic State",
    "iskp": "Islamic State (Khorasan)", "is-k": "Islamic State (Khorasan)", "isis-k": "Islamic State (Khorasan)",
    "al-qaeda": "Al Qaeda", "al qaeda": "Al Qaeda", "al-qaida": "Al Qaeda", "aqap": "Al Qaeda in the Arabian Peninsula",
    "al-shabaab": "Al Shabaab", "al shabaab": "Al Shabaab", "shabaab": "Al Shabaab",
    "boko haram": "Boko Haram", "iswap": "Islamic State (West Africa)", "jnim": "JNIM",
    "hezbollah": "Hezbollah", "hamas": "Hamas", "islamic jihad": "Palestinian Islamic Jihad",
    "houthis": "Houthi Movement", "houthi": "Houthi Movement", "ansar allah": "Houthi Movement",
    "sdf": "SDF: Syrian Democratic Forces", "syrian democratic forces": "SDF: Syrian Democratic Forces",
    "ypg": "YPG: People's Protection Units", "pkk": "PKK: Kurdistan Workers Party",
    "hts": "HTS: Hayat Tahrir al Sham", "hayat tahrir al-sham": "HTS: Hayat Tahrir al Sham",
    "free syrian army": "Free Syrian Army", "syrian national army": "Syrian National Army",
    "wagner": "Wagner Group", "wagner group": "Wagner Group", "rsf": "Rapid Support Forces",
    "rapid support forces": "Rapid Support Forces", "m23": "M23: March 23 Movement",
    "adf": "ADF: Allied Democratic Forces", "farc": "FARC", "eln": "ELN: National Liberation Army",
    "tplf": "TPLF: Tigray People's Liberation Front", "fano": "Fano Militia",
    "arakan army": "Arakan Army", "kachin independence army": "Kachin Independence Army",
    "shining path": "Shining Path", "haqqani network": "Haqqani Network",
}
ORGANISATIONS = {
    "un": "United Nations", "united nations": "United Nations", "u.n.": "United Nations",
    "unhcr": "United Nations", "unama": "United Nations", "ocha": "United Nations",
    "un security council": "United Nations", "security council": "United Nations",
    "nato": "NATO", "eu": "European Union", "european union": "European Union",
    "african union": "African Union", "au": "African Union", "icrc": "International Committee of the Red Cross",
    "red cross": "International Committee of the Red Cross", "amnesty international": "Amnesty International",
    "human rights watch": "Human Rights Watch", "osce": "OSCE", "iaea": "IAEA", "who": "World Health Organization",
    "pentagon": "Military Forces of the United States", "kremlin": "Government of Russia",
}
# Which state organ a role word names.
MILITARY = {"army", "troops", "soldiers", "forces", "military", "armed forces", "marines", "paratroopers",
            "commandos", "servicemen", "soldier", "troop", "navy", "air force", "airforce", "defence",
            "defences", "defenses", "air defence", "air defense", "air defences", "air defenses",
            "defense", "general", "commander", "commanders", "units", "battalion", "brigade", "garrison",
            "security forces", "warplanes", "jets", "artillery", "gunships", "helicopters", "militaries",
            "missile", "missiles", "rocket", "rockets", "drone", "drones", "aircraft",
            "tank", "tanks", "warship", "warships", "shells", "shelling", "strike", "strikes", "airstrike",
            "airstrikes", "units", "unit", "regiment", "division", "ministry of defence", "defence ministry",
            "defense ministry", "general staff", "navy", "fleet", "security personnel", "military personnel",
            "sailors", "airmen", "conscripts"}
WEAPONS = {"warplanes", "jets", "artillery", "gunships", "helicopters", "missile", "missiles", "rocket", "rockets",
           "drone", "drones", "aircraft", "tank", "tanks", "warship", "warships", "shells", "shelling", "strike",
           "strikes", "airstrike", "airstrikes"}
POLICE = {"police", "policemen", "police officers", "gendarmes", "gendarmerie", "riot police", "policeman",
          "security service", "security services"}  # a state security service: ACLED's police forces
GOVERNMENT = {"government", "president", "prime minister", "minister", "ministry", "authorities",
              "officials", "official", "cabinet", "parliament", "administration", "regime", "state",
              "leader", "leaders", "spokesman", "spokeswoman", "spokesperson", "embassy", "diplomats",
              "negotiators", "foreign ministry", "governor", "mayor", "kabinet"}
INSURGENTS = {"insurgents", "insurgent", "militants", "militant", "rebels", "rebel", "fighters",
              "jihadists", "jihadist", "extremists", "guerrillas", "guerrilla", "terrorists", "group",
              "islamists", "separatists", "militia", "militias", "mujahideen"}
GUNMEN = {"gunmen", "gunman", "assailants", "attackers", "unknown gunmen", "armed men", "bandits", "bomber",
          "bombers", "unidentified men", "unknown men", "masked men", "militiamen", "militiaman", "kidnappers",
          "armed individuals", "armed individual", "armed man", "hooded men", "shooter", "shooters", "hitmen"}
CIVILIANS = {"civilians", "civilian", "residents", "villagers", "people", "children", "women", "families",
             "worker", "workers", "students", "farmers", "passengers", "shoppers", "pedestrians",
             "journalists", "journalist", "teachers", "doctors", "patients", "refugees", "prisoners",
             "inmates", "detainees", "migrants", "man", "woman", "boy", "girl", "men", "child",
             "vendor", "vendors", "trader", "traders", "shopkeeper", "shopkeepers", "herder", "herders",
             "fisherman", "fishermen", "motorist", "motorists", "villager", "resident", "student", "farmer"}
# Ethnic, sectarian and communal identities that name armed groups, not states (ACLED inter 4).
IDENTITY = {"kurdish", "kurd", "kurds", "arab", "sunni", "shia", "shiite", "shi'ite", "tribal", "tribesmen", "tuareg",
            "druze", "alawite", "pashtun", "hazara", "tajik", "uzbek", "yazidi", "christian", "fulani", "dogon",
            "amhara", "oromo", "tigrayan", "ethnic", "clan", "communal", "self-defence", "self-defense", "vigilante"}
PROTESTERS = {"protesters", "protestors", "demonstrators", "marchers", "activists", "strikers"}
RIOTERS = {"rioters", "mob", "looters"}


# Abbreviations of states that name them in news copy ("the US military", "UK troops").
STATE_ABBREVIATIONS = {"us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "america": "US",
                       "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB",
                       "uae": "AE", "u.a.e.": "AE", "drc": "CD", "car": None}


DEFINITE = ("United ", "Netherlands", "Philippines", "Central African", "Democratic Republic", "Republic of",
            "Gambia", "Bahamas", "Comoros", "Maldives", "Seychelles", "Solomon", "Marshall")


MULTINATIONAL = {"international", "foreign", "coalition", "multinational", "allied", "western", "peacekeeping",
                 "peacekeepers"}


@dataclass(frozen=True)
class ActorContext:
    """What the article tells about who is who."""

    country: str | None  # ISO2 of the article's dominant country
    main_group: str | None  # the one armed group the article is about, if exactly one
    country_name: Callable[[str], str | None]  # ISO2 -> display name
    demonym: Callable[[str], str | None]  # word -> ISO2
    country_code: Callable[[str], str | None]  # country name -> ISO2
    groups: tuple = ()  # armed groups the article names, most often named first


# "US-backed forces", "fighters backed by Iran": a proxy, not the backer's own military.
PROXY = re.compile(r"\b[\w.]+[-\s](?:backed|supported|sponsored|funded|allied|aligned)\b"
                   r"|\b(?:backed|supported|sponsored|funded|armed)\s+by\b", re.I)


STATE_PREFIXES = ("Military Forces of ", "Police Forces of ", "Government of ")


def state_name(actor: str | None) -> str | None:
    """'Military Forces of Russia' -> 'Russia': the state a state actor belongs to, else None."""
    for prefix in STATE_PREFIXES:
        if actor and actor.startswith(prefix):
            name = actor[len(prefix):]
            return name[4:] if name.startswith("the ") else name
    return None


def proxy_actor(ctx: ActorContext, exclude=()) -> str:
    """The armed group a proxy phrase stands for: the article's main armed group (not one
    the event is aimed at), else an unidentified armed group of the article's country."""
    for g in ([ctx.main_group] if ctx.main_group else []) + list(ctx.groups):
        if g and g not in exclude:
            return g
    name = ctx.country_name(ctx.country) if ctx.country else None
    return f"Unidentified Armed Group ({name})" if name else "Unidentified Armed Group"


def group_name(text: str) -> str | None:
    t = re.sub(r"^(the|a|an)\s+", "", text.lower().strip(" '’\"“”")).strip()
    t = re.sub(r"['’]s$", "", t)
    if t in GROUPS:
        return GROUPS[t]
    return None


# The head words of a movement's own name, and what may end it: "the Islamic Movement of X",
# "the X Liberation Army", "the National Resistance Front" (but "the Afghan National Army" is a state's)
MOVEMENT_HEADS = {"movement", "front", "party", "liberation", "mujahideen", "emirate", "resistance"}
MOVEMENT_ENDS = MOVEMENT_HEADS | {"army", "forces", "brigade", "brigades", "battalion", "battalions"}
_LINKS = ("of", "the", "for", "and", "al", "el")
_NAME_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:of|the|for|and|al|el|[A-Z][\w'’-]*))*")


def named_movement(phrase: str) -> str | None:
    """The name of an armed or political movement as the text writes it, when it is not one of the
    known groups: a run of capitalised words that ends in, or whose head "of" follows, a
    movement's head word. A movement named after a country is not that country's state."""
    for m in _NAME_RUN.finditer(phrase):
        toks = m.group(0).split()
        while toks and toks[-1] in _LINKS:
            toks.pop()
        if toks and toks[0] == "The":
            toks = toks[1:]
        if len(toks) < 2:
            continue
        low = [t.lower().strip("'’") for t in toks]
        heads = [i for i, w in enumerate(low) if w in MOVEMENT_HEADS]
        if heads and (low[-1] in MOVEMENT_ENDS or any(i + 1 < len(low) and low[i + 1] == "of" for i in heads)):
            return " ".join(toks)
    return None


def find_groups(text: str) -> list[str]:
    """Armed groups named anywhere in ``text`` (by alias), in order of appearance."""
    found = []
    for m in _GROUP_RE.finditer(text):
        alias = m.group(0)
        if alias.lower() == "is" and not alias.isupper():
            continue  # the verb, not the group
        name = GROUPS[alias.lower()]
        found.append(name)
    return found


_GROUP_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(k) for k in GROUPS), key=len, reverse=True)) + r")\b", re.I
)


def normalise(phrase: str, ctx: ActorContext, *, military_default: bool = False,
              country_hint: str | None = None, exclude=()) -> str | None:
    """Map a noun phrase naming an actor to its ACLED-style name (None if it names none)."""
    p = re.sub(r"\s+", " ", phrase.strip(" ,.;:'’\"“”")).strip()
    if not p:
        return None
    low = p.lower()
    low = re.sub(r"^(the|a|an|some|many|several|hundreds of|dozens of|thousands of)\s+", "", low)
    low = re.sub(r"\b\d[\d,.]*\b", "", low).strip()
    g = group_name(low)
    if g:
        return g
    for name in find_groups(p):
        return name
    if PROXY.search(p):
        # codebook: actor1 is the named actor that acted; a state's backing makes it an associate
        return proxy_actor(ctx, exclude)
    if low in ORGANISATIONS and not (low == "who" and p != "WHO"):  # the pronoun is no organisation
        return ORGANISATIONS[low]
    named = named_movement(p)
    if named:
        return named
    words = re.findall(r"[a-z][a-z.\-']*", low)
    # The state the phrase names: a demonym or country name in it, or the hint.
    cc = None
    for i, w in enumerate(words):
        cc = STATE_ABBREVIATIONS.get(w) or (ctx.demonym(w) or ctx.country_code(w) if len(w) > 3 else None)
        if not cc and i + 1 < len(words):
            cc = ctx.country_code(f"{w} {words[i + 1]}")
        if not cc and i + 2 < len(words):
            cc = ctx.country_code(f"{w} {words[i + 1]} {words[i + 2]}")
        if cc:
            break
    # a country's name is written with a capital: "a man" is no Isle of Man, "turkey" no Turkey
    whole_cc = STATE_ABBREVIATIONS.get(low) or (ctx.country_code(low) if p[:1].isupper() or " " in p.strip()
                                                and any(c.isupper() for c in p) else None)
    state = whole_cc or cc or country_hint or ctx.country
    name = ctx.country_name(state) if state else None
    the_name = f"the {name}" if name and name.startswith(DEFINITE) else name
    roles = set(words) | {" ".join(words[i:i + 2]) for i in range(len(words) - 1)}
    if whole_cc:
        return f"{'Military Forces' if military_default else 'Government'} of {the_name}"
    if roles & POLICE:
        return f"Police Forces of {the_name}" if name else "Police Forces"
    if roles & MILITARY and not (roles - WEAPONS) & (MILITARY | GOVERNMENT | POLICE) and not (
            whole_cc or cc or country_hint):
        return None  # "a missile struck": a weapon with no side named tells no one's forces
    if roles & MILITARY and roles & MULTINATIONAL:
        return "Multinational Forces"
    if roles & MILITARY:
        if roles & INSURGENTS or "opposition" in roles or "rebel" in roles or (roles & IDENTITY and not cc):
            # "Kurdish forces", "tribal fighters": an identity militia, not the state's army
            return ctx.main_group or (f"Unidentified Armed Group ({name})" if name else "Unidentified Armed Group")
        return f"Military Forces of {the_name}" if name else "Military Forces"
    if roles & PROTESTERS:
        return f"Protesters ({name})" if name else "Protesters"
    if roles & RIOTERS:
        return f"Rioters ({name})" if name else "Rioters"
    if roles & GOVERNMENT:
        return f"Government of {the_name}" if name else "Government"
    if roles & INSURGENTS:
        return ctx.main_group or (f"Unidentified Armed Group ({name})" if name else "Unidentified Armed Group")
    if roles & GUNMEN:
        return f"Unidentified Armed Group ({name})" if name else "Unidentified Armed Group"
    if roles & CIVILIANS:
        return f"Civilians ({name})" if name else "Civilians"
    if cc and len(words) == 1:  # a bare demonym: "the Afghans"
        return f"Government of {the_name}"
    return None
