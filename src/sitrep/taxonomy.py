"""ACLED's event taxonomy, PLOVER's, and the words that signal each.

The trigger lexicon is written from ACLED's codebook definitions and PLOVER's
manual, not learned from any evaluation set. Verbs are listed by base form;
inflections are generated (irregular forms listed beside them).
"""

from __future__ import annotations

import re

ACLED_SUB_TYPES: dict[str, str] = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Chemical weapon": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Peaceful protest": "Protests",
    "Protest with intervention": "Protests",
    "Excessive force against protesters": "Protests",
    "Violent demonstration": "Riots",
    "Mob violence": "Riots",
    "Agreement": "Strategic developments",
    "Arrests": "Strategic developments",
    "Change to group/activity": "Strategic developments",
    "Disrupted weapons use": "Strategic developments",
    "Headquarters or base established": "Strategic developments",
    "Looting/property destruction": "Strategic developments",
    "Non-violent transfer of territory": "Strategic developments",
    "Other": "Strategic developments",
    "Sexual violence": "Violence against civilians",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
}
TERRITORY_TYPES = frozenset(
    {"Government regains territory", "Non-state actor overtakes territory", "Non-violent transfer of territory"}
)
# PLOVER code a sub-event type takes when no political code applies.
PLOVER_OF_SUB = {
    "Armed clash": "FIGHT", "Government regains territory": "FIGHT",
    "Non-state actor overtakes territory": "FIGHT", "Chemical weapon": "FIGHT",
    "Air/drone strike": "FIGHT", "Suicide bomb": "ASSAULT",
    "Shelling/artillery/missile attack": "FIGHT", "Remote explosive/landmine/IED": "ASSAULT",
    "Grenade": "ASSAULT", "Peaceful protest": "PROTEST", "Protest with intervention": "PROTEST",
    "Excessive force against protesters": "COERCE", "Violent demonstration": "PROTEST",
    "Mob violence": "ASSAULT", "Agreement": "AGREE", "Arrests": "COERCE",
    "Change to group/activity": None, "Disrupted weapons use": "COERCE",
    "Headquarters or base established": "MOBILIZE", "Looting/property destruction": "ASSAULT",
    "Non-violent transfer of territory": "RETREAT", "Other": None, "Sexual violence": "ASSAULT",
    "Attack": "ASSAULT", "Abduction/forced disappearance": "ASSAULT",
}

IRREGULAR = {
    "take": ["took", "taken", "takes", "taking"], "enter": ["entered", "enters", "entering"], "fall": ["fell", "fallen", "falls", "falling"],
    "shoot": ["shot", "shoots", "shooting"], "overrun": ["overran", "overruns", "overrunning"],
    "retake": ["retook", "retaken", "retakes", "retaking"], "win": ["won", "wins", "winning"],
    "strike": ["struck", "strikes", "striking", "stricken"], "blow": ["blew", "blown", "blows"],
    "withdraw": ["withdrew", "withdrawn", "withdraws", "withdrawing"], "flee": ["fled", "flees", "fleeing"],
    "send": ["sent", "sends", "sending"], "hold": ["held", "holds", "holding"],
    "set": ["sets", "setting"], "lead": ["led", "leads", "leading"], "seek": ["sought"],
    "drive": ["drove", "driven", "drives"], "beat": ["beaten", "beats", "beating"],
    "slay": ["slew", "slain"], "sign": ["signs", "signed", "signing"], "hit": ["hits", "hitting"],
    "rid": ["rids"], "overthrow": ["overthrew", "overthrown"], "steal": ["stole", "stolen"],
    "burn": ["burnt", "burned", "burns", "burning"], "spread": ["spreads"],
    "storm": ["stormed", "storms", "storming"], "free": ["freed", "frees", "freeing"],
    "lay": ["laid"], "leave": ["left", "leaves", "leaving"], "hang": ["hung", "hangs", "hanging"], "repel": ["repelled", "repels", "repelling"], "expel": ["expelled", "expels", "expelling"],
    "patrol": ["patrolled", "patrols", "patrolling"], "fight": ["fought", "fights", "fighting"], "seize": ["seized", "seizes", "seizing"],
}


# Verbs of two or more syllables stressed on the last one double their final consonant.
STRESSED_LAST = {"kidnap", "patrol", "control", "compel", "admit", "commit", "occur", "refer", "rebel", "repel",
                 "propel", "expel", "abet", "permit", "omit", "submit", "equip", "deter", "incur", "embed",
                 "regret", "outgun", "outrun", "handicap"}


def inflect(verb: str) -> set[str]:
    """Base form plus -s, -ed, -ing forms (and listed irregular ones); a phrasal verb ("blow up")
    inflects its verb."""
    if " " in verb:
        head, rest = verb.split(" ", 1)
        return {f"{form} {rest}" for form in inflect(head)}
    forms = {verb}
    if verb in IRREGULAR:
        forms.update(IRREGULAR[verb])
    if verb.endswith("e"):
        forms |= {verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    else:
        double = len(verb) > 2 and verb[-1] in "bdgmnprt" and verb[-2] in "aeiou" and verb[-3] not in "aeiou" \
            and (len(re.findall(r"[aeiouy]+", verb)) == 1 or verb in STRESSED_LAST)  # "gathered", not "gatherred"
        stem = verb + verb[-1] if double and verb not in ("open", "visit", "target") else verb
        forms |= {verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s"), stem + "ed", stem + "ing"}
    return forms


# Trigger words: (verb base forms, nouns) -> category. Categories are resolved
# to sub-event types by the event rules (actors and context decide some).
FIRED_AT = ["opened fire", "open fire", "opens fire", "opening fire", "fired on", "fired at", "fired upon",
            "fires on", "fire on", "firing on", "firing at", "shot at", "shooting at"]

# "gunmen exchanged fire with the police": both sides fired, a clash
EXCHANGED_FIRE = [f"{v} {n}" for v in ("exchanged", "exchange", "exchanges", "exchanging", "traded", "trade",
                                       "trades", "trading") for n in ("fire", "gunfire", "shots")]

# "an exchange of gunfire left two dead": the noun of the same
EXCHANGES_OF_FIRE = [f"{v} of {n}" for v in ("exchange", "exchanges") for n in ("fire", "gunfire", "shots")]

# "the patrol came under fire": the subject is the target
UNDER_FIRE = [f"{v} under {n}" for v in ("came", "come", "comes", "coming") for n in ("fire", "attack")]

LOST_LIVES = [f"{v} {p} {n}" for v in ("lost", "lose", "losing") for p, n in (
    ("their", "lives"), ("his", "life"), ("her", "life"), ("their", "life"))]

TRIGGERS: dict[str, tuple[list[str], list[str]]] = {
    # territory
    "capture": (["seize", "capture", "overrun", "conquer", "storm", "occupy"],
                ["capture", "seizure", "conquest", "takeover", "fall", "occupation"]),
    "recapture": (["recapture", "retake", "regain", "liberate", "reclaim"],
                  ["recapture", "liberation"]),
    "take": (["take", "enter"], []),  # needs "control" or a place object
    "fall": (["fall"], []),  # place subject: "X fell to / under ..."
    # "raised the flag over X": taking control (the flag must be the object: checked by the rules)
    "flag": (["raise", "hoist", "plant", "unfurl", "hang", "fix"], []),
    # "X-backed forces drove the militants out of X", "ousted the group from X": taking X
    "oust": (["oust", "expel", "drive", "push", "clear", "rid"], ["ouster", "ousting", "expulsion"]),
    "withdraw": (["withdraw", "retreat", "pull", "abandon", "leave", "regroup"],  # "regroup": an army's word for it
                 ["withdrawal", "retreat", "pullout", "exit", "regrouping"]),
    "surround": (["surround", "encircle", "besiege", "blockade"], ["siege", "encirclement", "blockade"]),
    # violence
    "clash": (["clash", "fight", "battle", "ambush", "engage", "repel", "repulse", "skirmish"],
              ["clash", "clashes", "fighting", "battle", "firefight", "gunfight", "ambush", "skirmish",
               "shoot-out", "shoot-outs", "shootout", "shootouts", "gun battle", "gun battles", "gunbattle",
               "firefights", "gunfights", *EXCHANGES_OF_FIRE, *EXCHANGED_FIRE]),
    "attack": (["attack", "raid", "assault", "target", "stab", "torture", "flog"],
               ["attack", "raid", "massacre", "ambush",
                "beat up", "beaten up", "beating up", "beats up", "was beaten", "were beaten", "been beaten",
                "beaten to death", "beat to death",
                                                         # shooting at someone (the rules want a target)
                                                         *FIRED_AT, *UNDER_FIRE]),
    "kill": (["kill", "shoot", "execute", "massacre", "murder", "slay", "behead", "lynch", "assassinate"],
             ["killing", "killings", "execution", "assassination", "murder", "shooting",
              # "three officers lost their lives": the subject is who died
              *LOST_LIVES]),
    "airstrike": (["bomb"], ["airstrike", "air strike", "air strikes", "airstrikes", "air raid", "air raids",
                             "drone strike", "drone strikes", "drone attack", "bombing", "bombardment",
                             "warplanes", "helicopter gunship",
                             "drone", "drones"]),  # what a drone did: the rules want a verb of striking
    "shelling": (["shell", "bombard", "pound"],
                 ["shelling", "artillery", "mortar", "mortars", "rocket", "rockets", "missile", "missiles",
                  "shell", "shells", "barrage", "strike", "strikes", "artillery fire", "mortar fire", "rocket fire",
                  "tank fire", "shellfire", "mortar round", "mortar rounds", "mortar shell", "mortar shells",
                  "artillery round", "artillery rounds", "artillery shell", "artillery shells", "tank shell",
                  "tank shells"]),
    # "a truck packed with dynamite exploded", "guerrillas blew up two pylons": the rules want what exploded
    "ied": (["detonate", "explode", "blow up", "dynamite"],
            ["ied", "roadside bomb", "car bomb", "landmine", "mine", "explosive device", "explosion", "blast", "bomb",
             "vbied", "improvised explosive device", "dynamite charge", "dynamite charges", "explosive charge",
             "explosive charges", "dynamite attack"]),
    "suicide": ([], ["suicide bomber", "suicide bombing", "suicide attack", "suicide vest", "suicide car bomb"]),
    "grenade": ([], ["grenade", "grenades"]),
    "chemical": ([], ["chemical attack", "chemical weapon", "chemical weapons", "chlorine", "sarin", "chlorine gas",
                      "poison gas", "sarin gas", "nerve gas",
                      "nerve agent", "gas attack", "toxic gas", "mustard gas"]),
    "abduct": (["abduct", "kidnap", "disappear", "hostage"], ["abduction", "kidnapping", "hostage-taking"]),
    "sexual": (["rape", "assault sexually"], ["rape", "sexual violence", "sexual assault", "gang rape"]),
    # protest and riot
    "protest": (["protest", "demonstrate", "rally", "picket", "march"],
                ["protest", "protests", "demonstration", "demonstrations", "rally", "rallies", "sit-in",
                 "march", "marches", "vigil", "hunger strike", "general strike", "walkout", "picket",
                 "took to the streets", "take to the streets", "taken to the streets", "taking to the streets",
                 "went on strike", "go on strike", "gone on strike", "going on strike", "are on strike",
                 "were on strike", "staged a strike", "held a strike"]),
    # forces breaking up a crowd ("police fired tear gas at protesters", "broke up a rally"): a protest
    # with an intervention, once the rules find the crowd
    "disperse": (["disperse"], ["tear gas", "teargas", "water cannon", "water cannons", "rubber bullets",
                                "broke up", "break up", "breaking up", "broken up"]),
    # need a crowd of ordinary people as subject (checked by the rules): "residents gathered outside ..."
    "gather": (["gather", "assemble", "converge", "congregate"], []),
    # "drivers blocked the highway": a protest when people (not forces) block a road
    "block": (["block", "barricade"], ["roadblock", "roadblocks"]),
    "riot": (["riot", "vandalise", "vandalize"], ["riot", "riots", "rioting", "unrest", "mob"]),
    # strategic developments
    "arrest": (["arrest", "detain", "apprehend", "round", "capture alive"],
               ["arrest", "arrests", "detention", "detentions", "crackdown"]),
    "release": (["release", "free"], ["release", "prisoner exchange", "prisoner swap"]),
    "agreement": (["sign", "agree", "broker"], ["agreement", "ceasefire", "truce", "deal", "accord",
                                                  "peace deal", "peace agreement"]),
    "destroy": (["destroy", "burn", "torch", "raze", "demolish", "loot", "plunder", "ransack", "set fire"],
                ["looting", "arson"]),
    "defuse": (["defuse", "dismantle", "intercept", "foil", "thwart"], ["seizure of weapons", "arms cache"]),
    "base": (["establish", "set up"], []),  # object must be a base: checked by the rules
    # political (PLOVER only)
    "deploy": (["deploy", "dispatch", "send", "mobilise", "mobilize", "reinforce", "mass"],
               ["deployment", "dispatch", "reinforcements", "mobilisation", "mobilization", "troop buildup"]),
    "offer": (["offer", "propose"], ["offer", "proposal", "proposition"]),
    "reject": (["reject", "refuse", "rebuff", "dismiss", "decline"], ["rejection", "refusal"]),
    "request": (["urge", "demand", "appeal", "call"], ["call", "appeal", "demand", "plea"]),
    "threaten": (["threaten", "warn", "vow"], ["ultimatum"]),
    "talks": (["negotiate"], []),
    "sanction": (["sanction", "expel", "ban", "impose"], ["sanctions", "embargo"]),
    "accuse": (["accuse", "condemn", "blame", "denounce", "criticise", "criticize"], ["condemnation"]),
    "aid": ([], ["humanitarian aid", "aid convoy", "aid delivery", "food aid"]),
}

# Plural nouns of violent and strategic triggers ("two bomb attacks were carried out", "explosions
# rocked the city"); mass nouns and -ing forms but a few stay as they are. The rules and the
# detector still tell one event from an aggregate ("attacks have killed 500 since 2011").
PLURAL_CATEGORIES = ("clash", "attack", "kill", "airstrike", "shelling", "ied", "suicide", "grenade", "abduct",
                     "sexual", "riot", "arrest", "destroy", "defuse", "capture", "recapture")
_PLURAL_ING = {"bombing", "shooting", "kidnapping", "beheading", "lynching", "abduction"}
_MASS = {"artillery", "arson", "unrest", "rioting", "looting", "fighting", "shelling", "bombardment", "fall",
         "occupation", "liberation", "conquest", "crackdown", "detention",
         # plurals mostly of something else: "gold mines", "drug seizures"
         "mine", "seizure", "capture", "takeover", "recapture"}


def _plural(noun: str) -> str | None:
    if " " in noun or noun in _MASS or noun.endswith("s") or (noun.endswith("ing") and noun not in _PLURAL_ING):
        return None
    if noun.endswith(("x", "sh", "ch")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _add_plurals() -> None:
    for category in PLURAL_CATEGORIES:
        nouns = TRIGGERS[category][1]
        nouns.extend(p for p in (_plural(n) for n in list(nouns)) if p and p not in nouns)


_add_plurals()

PLOVER_OF_CATEGORY = {
    "deploy": "MOBILIZE", "offer": "AGREE", "reject": "REJECT", "request": "REQUEST",
    "threaten": "THREATEN", "talks": "CONSULT", "sanction": "SANCTION", "accuse": "ACCUSE",
    "aid": "AID", "withdraw": "RETREAT", "surround": "MOBILIZE", "release": "CONCEDE",
}

# Words after a verb that turn it into a trigger only in context ("call for", "take control").
PHRASAL = {"call": {"for", "on"}, "pull": {"out", "back"}, "round": {"up"}, "set": {"up", "fire"}}

MILITARY_NOUNS = {"troops", "soldiers", "forces", "army", "military", "marines", "paratroopers",
                  "personnel", "servicemen", "commandos", "units", "battalion", "battalions",
                  "brigade", "brigades", "contingent", "sailors", "airmen", "warships", "jets"}
# Units of area: "retook 2,000 square kilometres" is a running total, not one place changing hands.
AREA_UNITS = {"kilometres", "kilometers", "km", "miles", "hectares", "acres", "square", "sq", "km2"}
PLACE_NOUNS = {"city", "town", "village", "capital", "prison", "jail", "base", "airport", "district",
               "province", "region", "border", "crossing", "port", "bridge", "headquarters",
               "outpost", "checkpoint", "hill", "airbase", "garrison", "compound", "neighbourhood",
               "neighborhood", "suburb", "territory", "stronghold", "island", "dam", "mine",
               "oilfield", "centre", "center", "settlement", "camp", "valley", "prefecture", "municipality",
               "enclave", "pocket"}


def build_index() -> dict[str, tuple[str, str]]:
    """word form -> (category, "verb"|"noun")."""
    index: dict[str, tuple[str, str]] = {}
    for category, (verbs, nouns) in TRIGGERS.items():
        for noun in nouns:
            index.setdefault(noun, (category, "noun"))
        for verb in verbs:
            for form in inflect(verb):
                index.setdefault(form, (category, "verb"))
    return index


TRIGGER_INDEX = build_index()
MULTIWORD = sorted((k for k in TRIGGER_INDEX if " " in k or "-" in k), key=len, reverse=True)
