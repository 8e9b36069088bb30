"""Domain lexicons of the extractor, English and French.

These are rules about how conflict news is written, not facts about any event:
words that trigger events, descriptions that refer to an entity of a known
role ("the junta" → the government of the country the article is about),
cue words of casualty figures, attribution and relations.
"""

from __future__ import annotations

__all__ = [
    "CASUALTY_CUES",
    "DEMONYMS",
    "DESCRIPTORS",
    "ETHNIC_GROUPS",
    "EVENT_TRIGGERS",
    "AGREEMENT_NOUNS",
    "FORMER",
    "GENERIC_MODIFIERS",
    "GOVERNMENT_TITLES",
    "NUMBER_WORDS",
    "ORGANISATION_EXITS",
    "REPORTING_VERBS",
    "ROLE_TYPES",
    "SITE_NOUNS",
    "STANDALONE_OTHER",
    "TARGET_VERBS",
]

# lemma (lower case) -> event type; multi-word triggers are matched on lower-cased text
EVENT_TRIGGERS: dict[str, dict[str, str]] = {
    "en": {
        "attack": "Attack", "assault": "Attack", "raid": "Attack", "offensive": "Attack",
        "storm": "Attack", "siege": "Attack", "incursion": "Attack", "infiltration": "Attack",
        "ambush": "Ambush",
        "bombing": "Bombing", "airstrike": "Bombing", "air strike": "Bombing", "drone strike": "Bombing",
        "suicide bombing": "Bombing", "car bomb": "Bombing", "ied": "Bombing", "shelling": "Bombing",
        "clash": "Clash", "fighting": "Clash", "battle": "Clash", "firefight": "Clash", "skirmish": "Clash",
        "hostage crisis": "HostageTaking", "hostage-taking": "HostageTaking", "kidnapping": "HostageTaking",
        "abduction": "HostageTaking", "kidnap": "HostageTaking", "abduct": "HostageTaking",
        "massacre": "Massacre", "slaughter": "Massacre",
        "coup": "Coup", "putsch": "Coup", "coup d'état": "Coup", "coup d'etat": "Coup",
        "seize power": "Coup", "take power": "Coup", "overthrow": "Coup", "topple": "Coup", "oust": "Coup",
        "closure": "Closure", "shut down": "Closure", "close": "Closure", "suspend": "Closure",
        "reopen": "Reopening", "reopening": "Reopening", "resume": "Reopening", "lift": "Reopening",
        "condemn": "Condemnation", "condemnation": "Condemnation",
        "sanction": "Sanction", "impose sanction": "Sanction",
        "withdrawal": "Withdrawal", "withdraw": "Withdrawal", "pull out": "Withdrawal",
        "expel": "Expulsion", "expulsion": "Expulsion",
        "leave": "Withdrawal", "quit": "Withdrawal", "exit": "Withdrawal", "terminate": "Withdrawal",
        "overrun": "Attack", "target": "Attack", "killing": "Attack",
        "hand over": "Withdrawal", "handover": "Withdrawal",
        "protest": "Other", "demonstration": "Other", "riot": "Other", "dissolve": "Other",
        "dissolution": "Other", "disband": "Other",
        "merger": "Other", "merge": "Other", "formation": "Other", "form": "Other", "found": "Other",
        "create": "Other", "creation": "Other",
    },
    "fr": {
        "attaque": "Attack", "attaquer": "Attack", "assaut": "Attack", "attentat": "Attack", "raid": "Attack",
        "offensive": "Attack", "incursion": "Attack", "cibler": "Attack", "prendre pour cible": "Attack",
        # the small model lemmatises 'cible' badly ('cibl'): the inflected phrases as written
        "pris pour cible": "Attack", "prend pour cible": "Attack", "prennent pour cible": "Attack",
        "ciblé": "Attack", "ciblée": "Attack", "ciblés": "Attack", "ciblées": "Attack",
        "embuscade": "Ambush",
        "bombardement": "Bombing", "frappe": "Bombing", "explosion": "Bombing", "attentat-suicide": "Bombing",
        "affrontement": "Clash", "combat": "Clash", "accrochage": "Clash",
        "prise d'otages": "HostageTaking", "enlèvement": "HostageTaking", "enlever": "HostageTaking",
        "massacre": "Massacre", "tuerie": "Massacre",
        "coup d'état": "Coup", "putsch": "Coup", "renverser": "Coup", "prendre le pouvoir": "Coup",
        "fermeture": "Closure", "fermer": "Closure",
        "réouverture": "Reopening", "rouvrir": "Reopening", "reprise": "Reopening",
        "condamner": "Condemnation", "condamnation": "Condemnation",
        "sanction": "Sanction",
        "retrait": "Withdrawal", "retirer": "Withdrawal", "quitter": "Withdrawal", "sortie": "Withdrawal",
        "sortir": "Withdrawal", "mettre fin": "Withdrawal", "rétrocéder": "Withdrawal", "rétrocession": "Withdrawal",
        "manifestation": "Other", "manifester": "Other", "émeute": "Other", "dissoudre": "Other",
        "dissolution": "Other",
        "expulsion": "Expulsion", "expulser": "Expulsion",
        "fusion": "Other", "créer": "Other", "création": "Other", "fonder": "Other", "former": "Other",
    },
}

# Withdrawal words that are a withdrawal only from an organisation or an agreement ("left ECOWAS",
# "terminated the peace agreement", "a mis fin à l'accord"), not from a place or a meeting
ORGANISATION_EXITS = {"leave", "quit", "exit", "terminate", "quitter", "sortie", "sortir", "mettre fin"}
AGREEMENT_NOUNS = {"agreement", "accord", "accords", "treaty", "traité", "pact", "pacte", "cooperation",
                   "coopération", "convention", "partnership", "partenariat"}

# 'Other' triggers that are events by themselves (the rest, 'formed', 'merger', only when they form a group):
# protests, riots, dissolutions
STANDALONE_OTHER = {"protest", "demonstration", "riot", "dissolve", "dissolution", "disband", "manifestation",
                    "manifester", "émeute", "dissoudre"}

# Triggers that only refer back to an event already reported ("the operation").
COREF_TRIGGERS = {"operation", "opération", "incident", "violence", "event"}

# Modifiers that make a violent noun generic ("numerous attacks"), not a report of one event.
GENERIC_MODIFIERS = {
    "numerous", "many", "several", "such", "other", "frequent", "daily", "near-daily", "repeated", "rare",
    "regular", "any", "future", "further", "more", "similar", "multiple", "countless", "deadly",
    "nombreux", "nombreuses", "plusieurs", "autres", "fréquentes", "fréquents",
}

# Verbs whose object is a target of a violent event.
TARGET_VERBS = {"target", "attack", "raid", "hit", "strike", "storm", "infiltrate", "assault", "overrun", "cible",
                "viser", "attaquer", "cibler", "frapper"}

# Words before a place that make it a landmark, not the event's location.
LANDMARK_PREPOSITIONS = {"near", "outside", "beside", "around", "close", "toward", "towards",
                         "près", "proche", "autour"}

REPORTING_VERBS = {
    "say", "tell", "report", "announce", "confirm", "state", "claim", "air", "broadcast", "show", "add",
    "declare", "publish", "release", "quote", "put", "estimate", "give", "cite", "count",
    "dire", "déclarer", "annoncer", "affirmer", "confirmer", "indiquer", "rapporter", "revendiquer", "selon",
}

# cue lemma or word -> casualty kind
CASUALTY_CUES: dict[str, str] = {
    "kill": "killed", "killed": "killed", "dead": "killed", "death": "killed", "die": "killed", "body": "killed",
    "corpse": "killed", "fatality": "killed", "life": "killed", "slain": "killed", "execute": "killed",
    "wound": "injured", "wounded": "injured", "injure": "injured", "injured": "injured", "injury": "injured",
    "hurt": "injured",
    "prisoner": "captured", "capture": "captured", "captured": "captured", "arrest": "captured",
    "detain": "captured", "detainee": "captured",
    "hostage": "hostages", "kidnap": "hostages", "abduct": "hostages",
    "missing": "missing", "disappear": "missing",
    "mort": "killed", "tuer": "killed", "tué": "killed", "décès": "killed", "victime": "killed",
    "blessé": "injured", "blesser": "injured", "blessure": "injured",
    "capturer": "captured", "prisonnier": "captured", "arrêter": "captured",
    "otage": "hostages", "enlever": "hostages", "disparu": "missing",
}

NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "cent": 100, "une dizaine": 10, "une vingtaine": 20,
}

QUALIFIERS = {"at least": "at least", "more than": "more than", "over": "more than", "about": "about",
              "around": "about", "approximately": "about", "roughly": "about", "nearly": "about",
              "some": "about", "up to": "up to", "au moins": "at least", "plus de": "more than",
              "environ": "about", "près de": "about"}

# Descriptions that refer to an entity by its role; resolved in the article's context.
# role -> phrases (lower case, matched on token text)
DESCRIPTORS: dict[str, list[str]] = {
    "armed_forces": [
        "army", "military", "armed forces", "security forces", "defence and security forces",
        "defense and security forces", "armed and security forces",
        "armée", "forces armées", "forces de sécurité", "forces de défense et de sécurité", "militaires",
    ],
    "government": [
        "government", "junta", "military government", "military junta", "authorities",
        "military authorities", "transitional government", "transitional authorities", "military leaders",
        "military rulers", "regime", "autocratic junta",
        "gouvernement", "junte", "autorités", "autorités de transition",
    ],
    "armed_group": [
        "group", "jihadist group", "militant group", "islamist group", "terrorist group", "armed group",
        "insurgent group", "extremist group", "terrorist organization", "terrorist organisation",
        "jihadist organization", "jihadists", "groupe", "groupe jihadiste", "groupe djihadiste",
        "groupe terroriste", "groupe armé",
    ],
    "airport": ["airport", "international airport", "civilian airport", "aéroport", "aéroport international"],
    "military_airport": ["military airport", "air base", "airbase", "air force base", "military airbase",
                         "base aérienne", "aéroport militaire"],
    "military_school": [
        "gendarmerie school", "military police school", "military police training school",
        "gendarmerie training facility", "gendarmerie training school", "gendarmerie academy",
        "military training school", "military training center", "military training centre",
        "training centre", "training center", "military police base", "gendarmerie school",
        "école de gendarmerie", "école de la gendarmerie",
    ],
    "state_media": ["state television", "state tv", "state broadcaster", "state media", "télévision nationale",
                    "télévision d'état"],
    "capital": ["capital", "capitale"],
}

# role -> which KB relation or site kinds resolve it
SITE_KINDS: dict[str, tuple[str, ...]] = {
    "airport": ("airport",),
    "military_airport": ("military airport", "air base"),
    "military_school": ("gendarmerie school", "military school", "military academy"),
}

# head nouns of named sites ("the Boulkessi military camp", "le camp militaire de Djibo") -> site kind
SITE_NOUNS: dict[str, dict[str, str]] = {
    "en": {
        "camp": "camp", "base": "base", "airbase": "base", "barracks": "camp", "detachment": "post",
        "garrison": "camp", "post": "post",
        "outpost": "post", "checkpoint": "post", "hotel": "hotel", "embassy": "embassy", "consulate": "embassy",
        "palace": "palace", "market": "market", "mine": "mine", "airport": "airport", "school": "school",
        "academy": "school", "prison": "prison", "jail": "prison", "mosque": "mosque", "church": "church",
        "bridge": "bridge", "dam": "dam", "headquarters": "headquarters", "hospital": "hospital",
        "restaurant": "restaurant", "cafe": "restaurant", "station": "station", "stadium": "stadium",
        "university": "school", "compound": "camp", "plant": "plant", "mausoleum": "shrine", "shrine": "shrine",
        "square": "square", "governorate": "headquarters", "nunciature": "embassy", "cathedral": "church",
        "refinery": "plant",
    },
    "fr": {
        "camp": "camp", "base": "base", "caserne": "camp", "garnison": "camp", "poste": "post",
        "détachement": "post",
        "hôtel": "hotel", "hotel": "hotel", "ambassade": "embassy", "consulat": "embassy", "palais": "palace",
        "marché": "market", "mine": "mine", "aéroport": "airport", "école": "school", "prison": "prison",
        "mosquée": "mosque", "église": "church", "pont": "bridge", "barrage": "dam", "hôpital": "hospital",
        "restaurant": "restaurant", "gare": "station", "stade": "stadium", "université": "school",
        "état-major": "headquarters", "mausolée": "shrine", "gouvernorat": "headquarters",
        "nonciature": "embassy", "cathédrale": "church", "raffinerie": "plant",
    },
}

# titles that tie a named person to a government: "the defence minister, X", "X, the government spokesman",
# "le ministre des Affaires étrangères, X" -> memberOf; "X, the president of the transition" -> leaderOf
GOVERNMENT_TITLES: dict[str, str] = {
    "minister": "memberOf", "ministers": "memberOf", "spokesman": "memberOf", "spokeswoman": "memberOf",
    "spokesperson": "memberOf", "ministre": "memberOf", "porte-parole": "memberOf",
    "secretary of state": "memberOf", "secrétaire d'état": "memberOf", "prime minister": "memberOf",
    "premier ministre": "memberOf",
    "president of the transition": "leaderOf", "transitional president": "leaderOf", "interim president": "leaderOf",
    "head of the junta": "leaderOf", "leader of the junta": "leaderOf", "junta leader": "leaderOf",
    "head of state": "leaderOf", "président de la transition": "leaderOf", "chef de la junte": "leaderOf",
    "chef de l'état": "leaderOf", "président de la république": "leaderOf",
}
# words that make a title a past one: "the former minister X" held it once
FORMER = {"former", "ex", "ex-", "then", "late", "ancien", "ancienne", "défunt", "feu"}

ROLE_TYPES: dict[str, str] = {
    "armed_forces": "StateForce", "government": "State", "armed_group": "ArmedGroup",
    "airport": "Site", "military_airport": "Site", "military_school": "Site",
    "state_media": "NewsOrganization", "capital": "City",
}

# adjective -> country label in the KB
DEMONYMS: dict[str, str] = {
    "malian": "Mali", "nigerien": "Niger", "burkinabe": "Burkina Faso", "burkinabè": "Burkina Faso",
    "french": "France", "russian": "Russia", "algerian": "Algeria", "nigerian": "Nigeria",
    "chadian": "Chad", "mauritanian": "Mauritania", "american": "United States",
    "malien": "Mali", "malienne": "Mali", "maliennes": "Mali", "maliens": "Mali",
    "nigérien": "Niger", "nigérienne": "Niger", "nigériennes": "Niger", "nigériens": "Niger",
    "burkinabé": "Burkina Faso", "burkinabés": "Burkina Faso", "français": "France", "française": "France",
    "russe": "Russia", "russes": "Russia",
    "togolese": "Togo", "togolais": "Togo", "togolaise": "Togo", "togolaises": "Togo",
    "beninese": "Benin", "béninois": "Benin", "béninoise": "Benin", "béninoises": "Benin",
    "ivorian": "Côte d'Ivoire", "ivoirien": "Côte d'Ivoire", "ivoirienne": "Côte d'Ivoire",
    "ivoiriens": "Côte d'Ivoire", "ivoiriennes": "Côte d'Ivoire",
    "ghanaian": "Ghana", "ghanéen": "Ghana", "ghanéenne": "Ghana",
    "senegalese": "Senegal", "sénégalais": "Senegal", "sénégalaise": "Senegal",
    "guinean": "Guinea", "guinéen": "Guinea", "guinéenne": "Guinea",
    "tchadien": "Chad", "tchadienne": "Chad", "tchadiens": "Chad",
    "mauritanien": "Mauritania", "mauritanienne": "Mauritania", "algérien": "Algeria", "algérienne": "Algeria",
    "nigérian": "Nigeria", "nigériane": "Nigeria", "libyan": "Libya", "libyen": "Libya",
    "moroccan": "Morocco", "marocain": "Morocco", "cameroonian": "Cameroon", "camerounais": "Cameroon",
    "british": "United Kingdom", "britannique": "United Kingdom", "german": "Germany", "allemand": "Germany",
    "allemande": "Germany", "turkish": "Turkey", "turc": "Turkey", "turque": "Turkey", "chinese": "China",
    "chinois": "China", "chinoise": "China", "ukrainian": "Ukraine", "ukrainien": "Ukraine",
    "américain": "United States", "américaine": "United States", "américains": "United States",
}

# peoples of the region: spaCy often tags them as places
ETHNIC_GROUPS = {"tuareg", "tuaregs", "touareg", "touaregs", "fulani", "peul", "peuls", "fula", "dogon", "bambara",
                 "songhai", "songhay", "arab", "arabs", "hausa", "haoussa", "mossi", "bozo", "kel tamasheq", "tamasheq"}
