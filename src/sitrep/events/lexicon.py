"""The words the event rules look for: status, claim, report and place words, chrome patterns."""

from __future__ import annotations

import re

from ..taxonomy import MILITARY_NOUNS, TRIGGERS, inflect

CHROME = re.compile(
    r"(?<![\w-])(comment|comments|reply|subscribe|newsletter|cookie|cookies|sign up|log in|login|share this|"
    r"all rights reserved|advertisement|click here|read more|related|recent articles|follow us|"
    r"privacy policy|terms of use|email address|your name|posted in|tags?:|photo:|image:)(?![\w-])", re.I)


TERMINAL = tuple('.!?"”’)»')


WRAP_WIDTH = 45  # characters: the shortest line of a hard-wrapped paragraph but its last


NEG = {"not", "n't", "never", "no"}


HEDGE = {"may", "might", "could", "would", "should"}


FUTURE = {"will", "'ll", "shall", "wo"}


PLAN_VERBS = {"plan", "plans", "planned", "planning", "prepare", "prepares", "preparing", "prepared",
              "intend", "intends", "intended", "announce", "announced", "announces", "order",
              "ordered", "orders", "approve", "approved", "approves", "decide", "decided", "agree",
              "agreed", "expect", "expected", "set", "aim", "aims", "scheduled", "propose", "proposed"}


# a directive is not yet a deed: "instructed the Kurds to surrender a town", "urged them to attack"
DIRECTIVE_VERBS = {"instruct", "instructed", "instructs", "urge", "urged", "urges", "ask", "asked", "asks",
                   "tell", "told", "tells", "press", "pressed", "presses", "pressure", "pressured",
                   "persuade", "persuaded", "encourage", "encouraged", "encourages", "authorise", "authorised",
                   "authorize", "authorized", "invite", "invited", "invites", "want", "wanted", "wants"}
# what a court or a charge sheet says someone did: "accused of fighting for a militia",
# "jailed for attacking a police station" - a case about a deed, told for the case
LEGAL_WORDS = {"prosecution", "prosecuted", "prosecute", "charged", "charge", "charges", "convicted",
               "conviction", "jailed", "sentenced", "sentence", "imprisoned", "tried", "trial", "accused",
               "guilty", "indicted", "indictment", "acquitted", "cleared", "fined", "extradited",
               "extradition", "suspicion", "suspected", "investigated", "investigation"}
# what one spends fighting: a stretch of a life, not an event ("spent two years fighting");
# a day or a night of fighting is one event and stays
TIME_SPANS = {"week", "weeks", "month", "months", "year", "years", "decade", "decades", "time", "summer",
              "winter", "spring", "autumn", "life", "career", "youth"}
# adverbs of a past long gone: "were once arrested for a sit-in", "had previously claimed"
HISTORY_ADVERBS = {"once", "previously", "formerly"}

THREAT_VERBS = {"threaten", "threatened", "threatens", "threatening", "vow", "vowed", "vows",
                "warn", "warned", "warns", "pledge", "pledged", "promise", "promised"}


ATTEMPT_VERBS = {"try", "tried", "tries", "trying", "attempt", "attempted", "attempts", "attempting",
                 "foil", "foiled", "thwart", "thwarted", "repel", "repelled", "repulsed", "fail", "failed"}


CLAIM_VERBS = {"claim", "claimed", "claims", "claiming", "boast", "boasted"}


DENY_VERBS = {"deny", "denied", "denies", "denying", "reject", "rejected", "dismiss", "dismissed", "refute",
              "refuted"}


CONFIRM_VERBS = {"confirm", "confirmed", "confirms", "confirming", "acknowledge", "acknowledged", "acknowledging",
                 "acknowledges", "admit", "admitted", "admitting", "admits",
                 "verified", "verify"}


SAY_VERBS = {"say", "said", "says", "told", "tell", "tells", "report", "reported", "reports",
             "state", "stated", "announce", "announced", "insist", "insisted", "insisting", "add",
             "added", "explain", "explained", "according"}


EVENT_NOUNS = {"capture", "attack", "killing", "deaths", "death", "seizure", "fall", "takeover",
               "claim", "claims", "strike", "raid", "report", "reports", "withdrawal", "control"}


KIND_OF_WORD = {
    "killed": "killed", "kill": "killed", "killing": "killed", "dead": "killed", "died": "killed",
    "deaths": "killed", "death": "killed", "bodies": "killed", "lives": "killed", "fatalities": "killed",
    "executed": "killed", "slain": "killed", "shot": "killed", "massacred": "killed", "perished": "killed",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "injuring": "injured", "wounding": "injured",
    "arrested": "arrested", "detained": "arrested", "arrests": "arrested", "detaining": "arrested",
    "arresting": "arrested", "rounded": "arrested",
    "released": "released", "releasing": "released", "freed": "released", "freeing": "released",
    "fled": "displaced", "displaced": "displaced", "flee": "displaced", "fleeing": "displaced",
    "refugees": "displaced", "evacuated": "displaced", "homeless": "displaced",
    "kidnapped": "abducted", "abducted": "abducted", "hostages": "abducted", "missing": "missing",
    "captured": "captured", "surrendered": "captured",
}


TROOP_WORDS = MILITARY_NOUNS | {"soldier", "troop", "fighters"}


RELEASED_THINGS = {"video", "videos", "statement", "statements", "report", "footage", "images", "photos",
                   "photographs", "pictures", "figures", "data", "details", "names", "list", "recording",
                   "recordings", "audio", "documents", "document", "results", "findings", "transcript", "letter",
                   "funds", "budget", "version", "album", "film", "book", "plan", "guidelines", "toll"}


FLAG_PREPS = {"in", "over", "on", "at", "above", "atop", "to"}  # "fixed a flag to a sign at the town's entrance"


FLAG_WORDS = {"flag", "flags", "banner", "banners", "standard"}


# Verbs that report a done event by its noun ("announced the capture of X", "confirmed the city's fall").
REPORT_VERBS = {"announce", "announced", "announces", "announcing", "confirm", "confirmed", "confirms",
                "report", "reported", "reports", "celebrate", "celebrated", "mark", "marked", "hail", "hailed"}


# "north-west of X", "off the coast of X": X is a reference point, not where it happened.
DIRECTION_WORDS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                   "north-east", "north-west", "south-east", "south-west", "coast", "kilometres", "kilometers",
                   "km", "miles", "mile", "kilometre", "kilometer"}


# verbs whose subject suffered the event: "four officers died in an attack"
VICTIM_VERBS = frozenset("""die dies died dying perish perished drown drowned succumb succumbed
    suffer suffered""".split())
BE_FORMS = {"be", "is", "are", "was", "were", "been", "being", "remain", "remained", "remains", "lie", "lies", "lay"}


BACKGROUND_WORDS = {"since", "ago", "earlier", "previously"}


RESPONSIBILITY = re.compile(
    r"\b(?:claim(?:ed|s|ing)?|admit(?:ted|s|ting)?|assum(?:ed|es|ing)|accept(?:ed|s|ing)?|t(?:ook|akes?|aking))"
    r"\s+(?:full\s+|the\s+|sole\s+)?(?:responsibility|credit|authorship)\b"
    r"|\bclaims?\s+of\s+responsibility\b|\bresponsibility\s+(?:was|has\s+been|had\s+been)\s+claimed\b", re.I)


NEG_BEFORE = re.compile(r"\b(?:no|not|nobody|none|yet\s+to|n't|never)\b[^.]*$", re.I)


HYPOTHETICAL_HEADS = {"threat", "threats", "risk", "fear", "fears", "danger", "possibility", "prospect",
                      "aftermath", "wake", "anniversary", "memory", "memories", "history", "plan", "plans",
                      "idea", "talk", "talks", "rumours", "rumors", "warning", "warnings", "preparation"}

# "barriers as a precaution against car bombs", "nets to guard against drones": what is feared, not done
PROTECTIVE_HEADS = {"measure", "measures", "precaution", "precautions", "protection", "defence", "defences",
                    "defense", "defenses", "shield", "shields", "barrier", "barriers", "guard", "guarding",
                    "protect", "protects", "protecting", "safeguard", "safeguards", "insurance", "deterrent",
                    "vigilance", "warned", "warn", "warns", "warning", "nets", "netting"}


def _noun_lookup():
    from ..taxonomy import TRIGGERS
    out: dict[str, list] = {}
    for category, (verbs, nouns) in TRIGGERS.items():
        for n in nouns:
            out.setdefault(n, []).append((category, (verbs, nouns)))
    return out


_NOUN_LOOKUP = _noun_lookup()


def _verb_lookup() -> dict[str, str]:
    out: dict[str, str] = {}
    for category, (verbs, _) in TRIGGERS.items():
        for verb in verbs:
            for form in inflect(verb):
                out.setdefault(form, category)
    return out


_VERB_LOOKUP = _verb_lookup()


MONTH_WORDS = {"march", "may"}


# a weapon named on its own is an event only as what was fired or what hit: "fired missiles",
# "rockets struck the city"; "the remains of a rocket", "the weapon was a missile" are not
ARTILLERY_NOUNS = {"rocket", "rockets", "missile", "missiles", "mortar", "mortars", "artillery", "drone", "drones",
                   "shell"}  # a shell that hit; "a shell company" fires nothing
FIRE_VERBS = {"fire", "fired", "fires", "firing", "launch", "launched", "launches", "launching", "hit", "hits",
              "hitting", "strike", "struck", "strikes", "slam", "slammed", "land", "landed", "rain", "rained",
              "fall", "fell", "shoot", "shot", "lob", "lobbed", "use", "used", "target", "targeted", "destroy",
              "destroyed", "kill", "killed", "pound", "pounded", "damage", "damaged", "explode", "exploded",
              "drop", "dropped", "drops", "dropping"}
# what went off when something "exploded": "a truck packed with dynamite exploded" is a bombing, "anger
# exploded" or "a gas cylinder exploded" is not (a shell or a grenade that exploded is told by its own noun)
BOMB_WORDS = {"bomb", "bombs", "explosive", "explosives", "dynamite"}  # "a bomb attack": the means named on the deed
EXPLOSIVE_WORDS = BOMB_WORDS | {"device", "devices", "ied", "ieds", "mine", "mines", "landmine", "landmines", "tnt",
                                "booby-trapped", "vbied", "semtex"}
REFLEXIVES = {"himself", "herself", "themselves", "itself"}
HAPPEN_VERBS = {"occurred", "occurs", "happened", "happens", "took", "takes", "unfolded", "erupted", "broke"}
# "the shelling of the town continued on Tuesday": a new day of what was told, reported as news
GO_ON_VERBS = {"continued", "continues", "resumed", "resumes", "intensified", "intensifies", "raged", "rages",
               "persisted", "persists"}


# Verbs that report an event by its noun: "staged a protest", "held a rally", "carried out an attack".
LIGHT_VERBS = {"stage", "staged", "stages", "staging", "hold", "held", "holds", "holding", "organise",
               "organised", "organize", "organized", "organising", "organizing", "launch", "launched",
               "launching", "join", "joined", "joining", "lead", "led", "leading", "carry", "carried",
               "carrying", "conduct", "conducted", "conducting", "mount", "mounted", "start", "started",
               "begin", "began", "continue", "continued", "took", "take", "taking", "observe", "observed",
               "call", "called", "calling", "announce", "announced", "went", "go", "going", "kept"}


# what a crowd sets up or holds "in protest": "set up a protest camp", "held a protest march"
PROTEST_GATHERINGS = {"camp", "camps", "march", "marches", "rally", "rallies", "vigil", "vigils", "sit-in",
                      "picket", "pickets", "caravan", "convoy", "tent", "tents", "encampment"}
SET_UP_VERBS = {"set", "sets", "setting", "pitched", "pitch", "erected", "erect", "formed", "form"}


CROWD_WORDS = {"people", "residents", "members", "workers", "supporters", "students", "activists", "farmers",
               "drivers", "traders", "vendors", "teachers", "employees", "citizens", "villagers", "locals",
               "women", "youths", "youth", "crowd", "crowds", "relatives", "families", "parents", "pensioners",
               "nurses", "doctors", "lawyers", "miners", "fishermen", "merchants", "shopkeepers", "retirees",
               "veterans", "unionists", "inhabitants", "community", "followers", "supporter", "hundreds",
               "thousands", "dozens", "scores", "group", "groups", "union", "unions", "staff", "truckers",
               "motorists", "transporters", "taxi", "farmworkers", "labourers", "laborers", "owners"}


MOB_WORDS = {"mob", "mobs", "rioters", "youths", "gang", "vigilantes", "prisoners", "inmates", "supporters",
             "fans", "locals", "villagers", "residents", "students", "crowd", "crowds"}


INTERVENE_VERBS = {"dispersed", "disperse", "dispersing", "arrested", "arresting", "detained", "detaining",
                   "beat", "beaten", "beating", "intervened", "intervene", "pushed", "removed", "evicted",
                   "cleared", "charged", "kettled", "blocked", "stopped", "prevented", "baton-charged", "lathi-charged",
                   "broke", "broken", "assaulted", "injured", "wounded", "clubbed", "fired", "shot", "scattered"}


INTERVENE_NOUNS = ("tear gas", "teargas", "water cannon", "rubber bullet", "stun grenade", "pepper spray",
                   "warning shots", "batons", "baton charge", "lathi", "sound grenade", "pellet", "arrests")


RIOT_WORDS = ("stones", "rocks", "molotov", "petrol bomb", "vandalis", "vandaliz", "vandalism", "torched",
              "pelted", "ransacked", "smashed", "looted", "set fire", "set on fire", "on fire", "set ablaze",
              "burning tire", "burning tyre", "burnt tire", "burnt tyre", "burned tire", "burned tyre",
              "tires on fire", "tyres on fire", "barricade", "hurled", "threw", "damaged", "clashed", "clashes",
              "violent", "attacked police", "attacked the police", "scuffle", "scuffled", "brawl", "fights")


LETHAL = ("live ammunition", "live rounds", "live bullets", "shot dead", "opened fire on")


STRIKE_CUES = {"climate", "general", "hunger", "labour", "labor", "workers", "worker", "nationwide", "national",
               "indefinite", "warning", "transport", "teachers", "doctors", "nurses", "drivers", "union", "unions",
               "sit-down", "solidarity", "day-long", "one-day", "two-day", "three-day", "24-hour", "48-hour"}


PROXY_WORDS = {"backed", "supported", "sponsored", "funded", "allied", "aligned"}


DESTINATION_PREPS = {"across", "to", "towards", "toward", "into", "behind", "beyond", "over", "onto"}


LOCATIVE = {"in", "into", "to", "at", "near", "across", "inside", "throughout", "from", "within", "around",
            "outside", "towards", "toward", "over", "on"}


DURATION = re.compile(r"^(?:for\s+)?(?:nearly|about|almost|around|some|more than|over|at least|up to|the)?\s*"
                      r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|"
                      r"a few|few|many)?\s*(?:\w+-)?(?:hours?|days?|weeks?|months?|years?|decades?)(?:-long)?$", re.I)


VAGUE_DETERMINERS = {"several": 3, "multiple": 2, "numerous": 3, "few": 3, "some": 2, "two-dozen": 24}


PERSON_NOUNS = {"leader", "facilitator", "commander", "insurgent", "militant", "suspect", "man", "woman", "boy",
                "girl", "child", "individual", "person", "civilian", "soldier", "policeman", "officer", "fighter",
                "member", "official", "driver", "resident", "villager", "student", "teacher", "journalist",
                "farmer", "worker", "trader", "guard", "rebel", "gunman", "bomber", "militiaman", "chief", "elder",
                "cleric", "scholar", "doctor", "judge", "lawyer", "activist", "protester", "demonstrator",
                "emir", "operative", "financier", "smuggler", "maker", "expert", "associate", "courier",
                "terrorist", "subversive", "guerrilla", "extremist", "attacker", "assailant", "kidnapper",
                "policewoman", "mayor", "governor", "councillor", "councilor", "businessman", "employee",
                "nurse", "passenger", "pilot", "sergeant", "captain", "lieutenant", "colonel", "general",
                "major", "priest", "imam", "contractor", "engineer", "volunteer", "reporter", "photographer",
                "medic", "paramedic", "shepherd", "fisherman", "herder", "tribesman", "monk", "nun",
                "pastor", "refugee", "migrant", "pilgrim", "worshipper", "sniper", "marine", "corporal",
                "chairman", "chairwoman", "candidate", "president", "minister", "senator", "lawmaker",
                "politician", "deputy", "prosecutor", "magistrate", "ambassador", "diplomat", "envoy",
                "spokesman", "spokeswoman", "bishop", "archbishop", "rabbi", "headman", "warlord", "tourist",
                "father", "mother", "son", "daughter", "wife", "husband", "brother", "sister"}


FORCE_WORDS = {"personnel", "policeman", "policemen", "officer", "officers", "guard", "guards", "militiamen",
               "militiaman", "commander", "commanders", "combatants", "fighter", "fighters", "troops",
               "gendarme", "gendarmes", "sniper", "recruits", "cadets", "members", "member"}


HARM_KINDS = ("killed", "injured", "abducted")


WEAPON_NOUNS = {"missile", "missiles", "drone", "drones", "rocket", "rockets", "shell", "shells", "bomb", "bombs",
                "aircraft", "plane", "planes", "jet", "jets", "helicopter", "helicopters", "tank", "tanks",
                "vehicle", "vehicles", "warplane", "warplanes", "projectile", "projectiles", "mortar", "mortars",
                "munitions", "uavs", "uav", "weapons", "guns", "boats", "ships", "warships"}


FOLDABLE = {"withdraw", "release"}


# When one sentence reports several violent triggers at one place, it is one event:
# the most specific type wins ("a missile struck ..., killing 50" is shelling, not also an attack).
VIOLENT_PRIORITY = ["Disrupted weapons use", "Non-state actor overtakes territory", "Government regains territory",
                    "Non-violent transfer of territory", "Chemical weapon", "Suicide bomb", "Air/drone strike",
                    "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade",
                    "Excessive force against protesters", "Sexual violence", "Abduction/forced disappearance",
                    "Attack", "Armed clash", "Looting/property destruction"]


# a report with no place of its own goes on with the story told at most this many sentences before
STORY_SENTENCES = 4
LEAD_STEP, LEAD_SPAN = 0.02, 5  # confidence lost per later reporting sentence, up to 5 sentences


TERRITORIAL = {"capture", "recapture", "withdraw"}
# words that open a clause of time: "killed a week after the town was taken"
TIME_MARKS = {"after", "before", "since", "until", "till"}


# Verbs by which a state's forces take people in (an arrest, not an abduction: "kidnapped" stays one)
STATE_TAKING = frozenset("""capture captured captures capturing seize seized seizes seizing nab nabbed
    apprehend apprehended detain detained""".split())
TAKEN = {"capture", "recapture"}  # a change of control needs a place of its own (or one "the town" points back to)


# "announced the capture of X" reports a done event; "announced the deployment / withdrawal" a plan
DONE_WHEN_ANNOUNCED = {"capture", "recapture", "clash", "attack", "kill", "airstrike", "shelling", "ied",
                       "suicide", "grenade", "chemical", "abduct", "arrest", "destroy", "release"}


POLITICAL = {"deploy", "request", "offer", "reject", "threaten", "talks", "sanction", "accuse", "aid"}

MONITOR_VERBS = frozenset("""track tracks tracked tracking monitor monitors monitored monitoring document documents
    documented documenting record records recorded recording count counts counted counting""".split())
AGREEMENT_NOUNS = frozenset("""agreement agreements deal deals accord accords treaty treaties ceasefire truce
    pact memorandum protocol armistice""".split())
DEMAND_VERBS = frozenset("""demand demanded demanding demands urge urged urging seek sought seeking
    call called calling for""".split())
REGION_NOUNS = frozenset("region province oblast governorate state district".split())
CONTROL_VERBS = frozenset("control controls controlled hold holds held occupy occupies occupied".split())

# who speaks for a state without naming it ("the ministry said", "the military said")
STATE_VOICES = frozenset("""ministry military army government command kremlin minister spokesman spokeswoman
    spokesperson officials staff presidency office""".split())

#: Words naming the victims of a strike or bomb as civilians ("killed 12 civilians", "hit a market full of shoppers").
CIVILIAN_VICTIMS = frozenset("""civilian civilians resident residents villager villagers child children woman women
    people shoppers worshippers patients family families passengers students pupils farmers""".split())


# the head words of an armed or political movement's name: a place inside such a name ("the
# Liberation Front of X", "the X Workers' Party") is whom the group claims, not where it acted
GROUP_NAME_HEADS = frozenset("""movement front party army armies brigade brigades battalion battalions
    mujahideen mujahidin militia militias liberation resistance emirate""".split())

# an accord or a court named after a city ("the X statute", "the X agreements"): not a scene
NAMED_AFTER_HEADS = frozenset("""statute statutes treaty treaties convention conventions accord accords agreement
    agreements protocol protocols declaration""".split())

# verbs whose bare participle after a noun tells what was done to it ("soldiers killed in an ambush")
PASSIVE_VICTIM_VERBS = frozenset("killed wounded injured abducted kidnapped executed shot ambushed targeted".split())
# what is done for people, not to them ("helped to evacuate civilians", "made way for civilians to leave")
RESCUE_WORDS = frozenset("""evacuate evacuated evacuating evacuates help helped helping helps protect protected
    protecting protects rescue rescued rescuing escort escorted escorting assist assisted assisting shelter
    sheltered sheltering guard guarded guarding feed fed feeding treat treated treating way""".split())
