"""Curated input of the knowledge base, read by ``tools/build_kb.py``.

The shared reference table (``../shared/kb/sahel-entities.tsv``) is the first
source of ``ontology/kb.ttl``; this module holds everything curated on top of it:

    ALIAS_LANGUAGES   language tag of the table's aliases (others stay untagged:
                      acronyms, transliterations, names used in every language)
    TSV_CURATION      per table row (by English label): extra aliases, aliases
                      left out (with the reason), site kind, containment,
                      capital / armed forces / government of a country
    ADDITIONS         entities the table lacks but Sahel news needs
    RELATIONS         durable relations and the text they rest on

Rules kept here, and checked by the builder:
- No Wikidata ID is ever given in this file: IDs come only from table rows
  with ``verified = yes``.
- No coordinates are given in this file: geometries come only from the table.
- A relation from the table quotes its ``notes``/``evidence`` verbatim
  (``from_row`` names the row); other relations are basic geography or
  definitional structure and say so in their source.
- Aliases that are 1-2 letter tokens ("IS", "UN", "AU") or single ordinary
  lower-case words are left out: a gazetteer would match them in running text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ADDITIONS",
    "ALIAS_LANGUAGES",
    "CURATED_GEOGRAPHY",
    "CURATED_STRUCTURE",
    "RELATIONS",
    "TSV_CURATION",
    "Addition",
    "Curation",
    "Kind",
    "Label",
    "Predicate",
    "Relation",
]

Kind = Literal[
    "ArmedGroup",
    "StateForce",
    "State",
    "IntergovernmentalOrganization",
    "PrivateMilitaryCompany",
    "NewsOrganization",
    "Person",
    "Country",
    "City",
    "Region",
    "Site",
]

Predicate = Literal[
    "affiliatedWith",
    "leaderOf",
    "supportedBy",
    "alliedWith",
    "memberOf",
    "partOf",
    "locatedIn",
    "opposes",
    "successorOf",
]

CURATED_GEOGRAPHY = "osint-kg curated additions (tools/kb_additions.py): basic geography"
CURATED_STRUCTURE = (
    "osint-kg curated additions (tools/kb_additions.py): definitional structure "
    "(a national ministry is part of its government)"
)


@dataclass(frozen=True)
class Label:
    """A name with its language tag (None: acronym, transliteration, or language-neutral)."""

    text: str
    lang: str | None = None


def en(text: str) -> Label:
    return Label(text, "en")


def fr(text: str) -> Label:
    return Label(text, "fr")


def raw(text: str) -> Label:
    return Label(text)


@dataclass(frozen=True, kw_only=True)
class Curation:
    """What is curated about one entity beyond its labels in the table.

    ``located_in`` / ``capital_of`` / ``armed_forces_of`` / ``government_of``
    name other entities by their English preferred label.
    """

    aliases: tuple[Label, ...] = ()
    drop: tuple[tuple[str, str], ...] = ()  # (alias from the table, why it is left out)
    site_kind: str | None = None
    located_in: tuple[str, ...] = ()
    capital_of: str | None = None
    armed_forces_of: str | None = None
    government_of: str | None = None


@dataclass(frozen=True, kw_only=True)
class Addition(Curation):
    """An entity that is not a row of the table (and so never has a Wikidata ID)."""

    label_en: str
    kind: Kind
    label_fr: str | None = None


@dataclass(frozen=True)
class Relation:
    """A durable relation between two entities, named by English preferred label.

    ``source`` is copied verbatim from the ``notes`` or ``evidence`` of the table
    row ``from_row``, or is one of the CURATED_* statements when ``from_row`` is None.
    """

    subject: str
    predicate: Predicate
    object: str
    source: str
    from_row: str | None = None


# ---------------------------------------------------------------------------
# Language of the table's aliases. Arabic and Cyrillic script are tagged
# "ar"/"ru" by the builder; anything not listed here stays untagged.
# ---------------------------------------------------------------------------

_EN = [
    "Group to Support Islam and Muslims",
    "Support Group for Islam and Muslims",
    "al-Qaida in the Islamic Maghreb",
    "Al-Qaeda in the Lands of the Islamic Maghreb",
    "Organization of al-Qa'ida in the Land of the Islamic Maghreb",
    "Islamic State Sahel Province",
    "Islamic State in the Greater Sahara",
    "Islamic State of the Greater Sahel",
    "ISIS in the Greater Sahara",
    "Islamic State of Iraq and the Levant",
    "Islamic State of Iraq and Syria",
    "Macina Liberation Front",
    "Massina Liberation Front",
    "Macina Brigade",
    "The Sentinels",
    "PMC Wagner",
    "Wagner PMC",
    "Africa Corps",
    "Russian Africa Corps",
    "Permanent Strategic Framework for Peace, Security and Development",
    "Coordination for the Movements of Azawad",
    "Malian Army",
    "Armed and Security Forces of Mali",
    "Military Forces of Mali",
    "Malian gendarmerie",
    "Burkinabe Armed Forces",
    "Burkinabè army",
    "Military of Burkina Faso",
    "Military Forces of Burkina Faso",
    "Volunteers for the Defence of the Homeland",
    "Niger Armed Forces",
    "Nigerien Armed Forces",
    "Confederation of Sahel States",
    "G5 Sahel Joint Force",
    "Reuters news agency",
    "The Associated Press",
    "Colonel Assimi Goïta",
    "General Assimi Goïta",
    "General Oumar Diarra",
    "Captain Ibrahim Traoré",
    "General Tiani",
    "Colonel Sadio Camara",
    "Republic of Mali",
    "Bamako–Sénou International Airport",
    "Senou International Airport",
    "Republic of the Niger",
    "Sahel region",
    "Sahelian acacia savanna",
    "Western Africa",
    "People's Democratic Republic of Algeria",
    "French Republic",
    "Russian Federation",
    "tri-border area",
    "three-borders zone",
    "Azawad National Liberation Movement",
    "Movement for Unity and Jihad in West Africa",
    "Kidal region",
    "Tillaberi Region",
]
_FR = [
    "État islamique au Sahel",
    "Front de libération du Macina",
    "Les Sentinelles",
    "Cadre stratégique permanent pour la paix, la sécurité et le développement",
    "Gendarmerie nationale",
    "Armée nigérienne",
    "Confédération des États du Sahel",
    "Nations unies",
    "G5 du Sahel",
    "Général Tiani",
    "Poutine",
    "République du Mali",
    "République du Niger",
    "République française",
    "Fédération de Russie",
    "zone des trois frontières",
    "Azaouad",
]
ALIAS_LANGUAGES: dict[str, str] = {**{a: "en" for a in _EN}, **{a: "fr" for a in _FR}}


# ---------------------------------------------------------------------------
# Curation of the table's rows, keyed by their label_en.
# ---------------------------------------------------------------------------

_SHORT = "1-2 letter token: would match ordinary words in running text"

TSV_CURATION: dict[str, Curation] = {
    "al-Qaeda": Curation(drop=(("AQ", _SHORT),)),
    "Jama'at Nusrat al-Islam wal-Muslimin": Curation(aliases=(
        raw("Jama'at Nusrat al-Islam wal Muslimeen"), raw("Jamaat Nusrat al-Islam wal-Muslimeen"),
        raw("Jama'at Nusrat al-Islam wa al-Muslimin"), raw("Jama'at Nasr al-Islam wal Muslimin"),
    )),
    "Islamic State": Curation(drop=(("IS", _SHORT), ("EI", _SHORT))),
    "Economic Community of West African States": Curation(
        drop=(("ECOMOG (armed wing, historical)", "names a different body (the armed wing)"),),
    ),
    "African Union": Curation(drop=(("AU", _SHORT), ("UA", _SHORT))),
    "United Nations": Curation(aliases=(raw("UN"),)),  # two capitals: matched case-sensitively only
    "European Union": Curation(drop=(("EU", _SHORT), ("UE", _SHORT))),
    "Associated Press": Curation(drop=(("AP", _SHORT),)),
    "Abdoulaye Diop": Curation(
        drop=(("Abdoulaye Diop (Mali)", "a disambiguator, not a name used in text"),),
    ),
    "Burkina Faso": Curation(
        aliases=(en("Upper Volta"), fr("le Burkina")),
        drop=(("Upper Volta (historical)", "replaced by 'Upper Volta' without the annotation"),),
    ),
    "Sahel Region (Burkina Faso)": Curation(
        aliases=(en("Sahel Region of Burkina Faso"), en("Burkina Faso's Sahel Region")),
        drop=(("Sahel Region", "same folded form as 'Sahel region' of the Sahel (Q66065)"),),
        located_in=("Burkina Faso",),
    ),
    "Tillabéri Region": Curation(
        drop=(("Tillabéry", "same folded form as 'Tillabery' of the town of Tillabéri"),),
        located_in=("Niger",),
    ),
    "Malian Armed Forces": Curation(
        aliases=(en("Malian military"), en("Malian forces"), fr("armée malienne")),
        armed_forces_of="Mali",
    ),
    "Malian National Gendarmerie": Curation(aliases=(fr("gendarmerie malienne"),)),
    "Burkina Faso Armed Forces": Curation(
        aliases=(en("Burkinabe army"), fr("armée burkinabè")),
        armed_forces_of="Burkina Faso",
    ),
    "Armed Forces of Niger": Curation(
        aliases=(en("Nigerien army"), en("Nigerien military")),
        armed_forces_of="Niger",
    ),
    "Modibo Keita International Airport": Curation(
        aliases=(
            en("Bamako airport"),
            en("Bamako-Sénou International Airport"),
            en("Modibo Keita Sénou International Airport"),
            en("Bamako International Airport"),
            fr("aéroport de Bamako"),
        ),
        site_kind="airport",
        located_in=("Bamako",),
    ),
    "Bamako": Curation(capital_of="Mali", located_in=("Mali",)),
    "Ouagadougou": Curation(capital_of="Burkina Faso", located_in=("Burkina Faso",)),
    "Niamey": Curation(capital_of="Niger", located_in=("Niger",)),
    "Kati": Curation(located_in=("Koulikoro Region", "Mali")),
    "Timbuktu": Curation(located_in=("Mali",)),
    "Gao": Curation(located_in=("Gao Region", "Mali")),
    "Kidal": Curation(located_in=("Mali",)),
    "Mopti": Curation(located_in=("Mopti Region", "Mali")),
    "Ségou": Curation(located_in=("Ségou Region", "Mali")),
    "Ménaka": Curation(located_in=("Mali",)),
    "Tinzaouaten": Curation(located_in=("Mali",)),
    "Barsalogho": Curation(located_in=("Burkina Faso",)),
    "Tillabéri": Curation(located_in=("Tillabéri Region", "Niger")),
    "Kidal Region": Curation(located_in=("Mali",)),
    "Liptako-Gourma": Curation(aliases=(en("three-border area"), en("tri-border region"))),
}


# ---------------------------------------------------------------------------
# Entities the table lacks. No Wikidata IDs, no coordinates.
# ---------------------------------------------------------------------------


def _country(label_en: str, label_fr: str, *aliases: Label) -> Addition:
    return Addition(label_en=label_en, kind="Country", label_fr=label_fr, aliases=aliases)


def _city(label_en: str, *within: str, aliases: tuple[Label, ...] = ()) -> Addition:
    return Addition(label_en=label_en, kind="City", label_fr=label_en, aliases=aliases, located_in=within)


def _region(label_en: str, label_fr: str, country: str, *aliases: Label) -> Addition:
    return Addition(label_en=label_en, kind="Region", label_fr=label_fr, aliases=aliases, located_in=(country,))


ADDITIONS: tuple[Addition, ...] = (
    # -- governments and ministries (kg:State) ------------------------------
    Addition(
        label_en="Government of Mali",
        kind="State",
        label_fr="Gouvernement du Mali",
        government_of="Mali",
        aliases=(
            en("Malian government"),
            en("Malian junta"),
            en("military government of Mali"),
            en("Malian military government"),
            en("Malian military junta"),
            en("Malian transitional government"),
            en("transitional authorities"),
            en("Malian transitional authorities"),
            en("Malian authorities"),
            fr("gouvernement malien"),
            fr("junte malienne"),
            fr("autorités maliennes"),
        ),
    ),
    Addition(
        label_en="Government of Burkina Faso",
        kind="State",
        label_fr="Gouvernement du Burkina Faso",
        government_of="Burkina Faso",
        aliases=(
            en("Burkinabe government"),
            en("Burkinabè government"),
            en("Burkinabe junta"),
            en("military government of Burkina Faso"),
            en("Burkinabe military government"),
            en("Burkinabe transitional government"),
            en("Burkinabe authorities"),
            fr("gouvernement burkinabè"),
            fr("junte burkinabè"),
            fr("autorités burkinabè"),
            raw("MPSR"),
            en("Patriotic Movement for Safeguard and Restoration"),
            fr("Mouvement patriotique pour la sauvegarde et la restauration"),
        ),
    ),
    Addition(
        label_en="Government of Niger",
        kind="State",
        label_fr="Gouvernement du Niger",
        government_of="Niger",
        aliases=(
            en("Nigerien government"),
            en("Nigerien junta"),
            en("military government of Niger"),
            en("Nigerien military government"),
            en("Nigerien transitional government"),
            en("Nigerien authorities"),
            fr("gouvernement nigérien"),
            fr("junte nigérienne"),
            fr("autorités nigériennes"),
            raw("CNSP"),
            en("National Council for the Safeguard of the Homeland"),
            fr("Conseil national pour la sauvegarde de la patrie"),
        ),
    ),
    Addition(
        label_en="Government of France",
        kind="State",
        label_fr="Gouvernement français",
        government_of="France",
        aliases=(en("French government"), fr("gouvernement de la France")),
    ),
    Addition(
        label_en="Government of Russia",
        kind="State",
        label_fr="Gouvernement de la Russie",
        government_of="Russia",
        aliases=(en("Russian government"), raw("Kremlin"), fr("gouvernement russe")),
    ),
    Addition(
        label_en="Government of the United States",
        kind="State",
        label_fr="Gouvernement des États-Unis",
        government_of="United States",
        aliases=(en("United States government"), en("US government"), fr("gouvernement américain")),
    ),
    Addition(
        label_en="Ministry of Transport (Mali)",
        kind="State",
        aliases=(
            en("Malian Ministry of Transport"),
            en("Malian transport ministry"),
            fr("ministère malien des Transports"),
        ),
    ),
    Addition(
        label_en="Ministry of Security (Mali)",
        kind="State",
        label_fr="Ministère de la Sécurité et de la Protection civile",
        aliases=(
            en("Malian Ministry of Security"),
            en("Malian security ministry"),
            en("Ministry of Security and Civil Protection"),
            fr("ministère malien de la Sécurité"),
        ),
    ),
    Addition(
        label_en="Ministry of Defence (Mali)",
        kind="State",
        label_fr="Ministère de la Défense et des Anciens Combattants",
        aliases=(
            en("Malian Ministry of Defence"),
            en("Malian Ministry of Defense"),
            en("Malian defence ministry"),
            en("Malian defense ministry"),
            fr("ministère malien de la Défense"),
        ),
    ),
    Addition(
        label_en="Ministry of Foreign Affairs (Mali)",
        kind="State",
        aliases=(
            en("Malian Ministry of Foreign Affairs"),
            en("Malian foreign ministry"),
            fr("ministère malien des Affaires étrangères"),
        ),
    ),
    Addition(
        label_en="Ministry of Defence (Russia)",
        kind="State",
        label_fr="Ministère de la Défense de la Russie",
        aliases=(
            en("Russian Ministry of Defence"),
            en("Russian Ministry of Defense"),
            en("Russian defence ministry"),
            en("Russian defense ministry"),
            fr("ministère russe de la Défense"),
        ),
    ),
    # -- state forces --------------------------------------------------------
    Addition(
        label_en="Malian Air Force",
        kind="StateForce",
        label_fr="Armée de l'air du Mali",
        aliases=(fr("armée de l'air malienne"),),
    ),
    Addition(
        label_en="Malian National Guard",
        kind="StateForce",
        label_fr="Garde nationale du Mali",
        aliases=(en("National Guard of Mali"), fr("garde nationale malienne")),
    ),
    Addition(
        label_en="Malian National Police",
        kind="StateForce",
        label_fr="Police nationale du Mali",
        aliases=(en("Malian police"), fr("police malienne")),
    ),
    Addition(
        label_en="Burkina Faso National Gendarmerie",
        kind="StateForce",
        label_fr="Gendarmerie nationale du Burkina Faso",
        aliases=(en("Burkinabe gendarmerie"), fr("gendarmerie burkinabè")),
    ),
    Addition(
        label_en="Burkina Faso National Police",
        kind="StateForce",
        label_fr="Police nationale du Burkina Faso",
        aliases=(en("Burkinabe police"), fr("police burkinabè")),
    ),
    Addition(
        label_en="Niger National Gendarmerie",
        kind="StateForce",
        label_fr="Gendarmerie nationale du Niger",
        aliases=(en("Nigerien gendarmerie"), fr("gendarmerie nigérienne")),
    ),
    Addition(
        label_en="National Guard of Niger",
        kind="StateForce",
        label_fr="Garde nationale du Niger",
        aliases=(en("Nigerien National Guard"), fr("garde nationale nigérienne")),
    ),
    Addition(
        label_en="Niger National Police",
        kind="StateForce",
        label_fr="Police nationale du Niger",
        aliases=(en("Nigerien police"), fr("police nigérienne")),
    ),
    Addition(
        label_en="French Armed Forces",
        kind="StateForce",
        label_fr="Forces armées françaises",
        armed_forces_of="France",
        aliases=(
            en("French troops"),
            en("French army"),
            en("French forces"),
            en("French military"),
            fr("armée française"),
        ),
    ),
    Addition(
        label_en="Russian Armed Forces",
        kind="StateForce",
        label_fr="Forces armées de la fédération de Russie",
        armed_forces_of="Russia",
        aliases=(
            en("Armed Forces of the Russian Federation"),
            en("Russian military"),
            en("Russian army"),
            en("Russian troops"),
            fr("armée russe"),
        ),
    ),
    Addition(
        label_en="United States Armed Forces",
        kind="StateForce",
        label_fr="Forces armées des États-Unis",
        armed_forces_of="United States",
        aliases=(en("US military"), en("US troops"), en("American troops"), fr("armée américaine")),
    ),
    # -- armed groups --------------------------------------------------------
    Addition(
        label_en="Salafist Group for Preaching and Combat",
        kind="ArmedGroup",
        label_fr="Groupe salafiste pour la prédication et le combat",
        aliases=(raw("GSPC"),),
    ),
    Addition(
        label_en="Signed-in-Blood Battalion",
        kind="ArmedGroup",
        label_fr="Les Signataires par le sang",
    ),
    Addition(
        label_en="High Council for the Unity of Azawad",
        kind="ArmedGroup",
        label_fr="Haut Conseil pour l'unité de l'Azawad",
        aliases=(raw("HCUA"),),
    ),
    Addition(
        label_en="Azawad Liberation Front",
        kind="ArmedGroup",
        label_fr="Front de libération de l'Azawad",
        aliases=(raw("FLA"),),
    ),
    Addition(
        label_en="Imghad Tuareg Self-Defense Group and Allies",
        kind="ArmedGroup",
        label_fr="Groupe d'autodéfense touareg Imghad et alliés",
        aliases=(raw("GATIA"),),
    ),
    Addition(label_en="Dan Na Ambassagou", kind="ArmedGroup", label_fr="Dan Na Ambassagou"),
    Addition(label_en="Koglweogo", kind="ArmedGroup", label_fr="Koglweogo"),
    Addition(
        label_en="Boko Haram",
        kind="ArmedGroup",
        label_fr="Boko Haram",
        aliases=(raw("Jama'atu Ahlis Sunna Lidda'awati wal-Jihad"),),
    ),
    Addition(
        label_en="Islamic State West Africa Province",
        kind="ArmedGroup",
        label_fr="État islamique en Afrique de l'Ouest",
        aliases=(raw("ISWAP"),),
    ),
    # -- intergovernmental organisations --------------------------------------
    Addition(
        label_en="United Nations Security Council",
        kind="IntergovernmentalOrganization",
        label_fr="Conseil de sécurité des Nations unies",
        aliases=(raw("UNSC"), en("UN Security Council"), fr("Conseil de sécurité de l'ONU")),
    ),
    Addition(
        label_en="United Nations Office for West Africa and the Sahel",
        kind="IntergovernmentalOrganization",
        label_fr="Bureau des Nations unies pour l'Afrique de l'Ouest et le Sahel",
        aliases=(raw("UNOWAS"),),
    ),
    Addition(
        label_en="European Union Training Mission in Mali",
        kind="IntergovernmentalOrganization",
        label_fr="Mission de formation de l'Union européenne au Mali",
        aliases=(raw("EUTM Mali"),),
    ),
    # -- news organisations ------------------------------------------------------
    Addition(
        label_en="Malian State Television",
        kind="NewsOrganization",
        label_fr="Office de radiodiffusion télévision du Mali",
        aliases=(raw("ORTM"), en("Malian state broadcaster"), en("Malian state TV")),
    ),
    Addition(
        label_en="Radiodiffusion Télévision du Burkina",
        kind="NewsOrganization",
        label_fr="Radiodiffusion Télévision du Burkina",
        aliases=(raw("RTB"), en("Burkinabe state television")),
    ),
    Addition(
        label_en="Office de Radiodiffusion et Télévision du Niger",
        kind="NewsOrganization",
        label_fr="Office de Radiodiffusion et Télévision du Niger",
        aliases=(raw("ORTN"), en("Nigerien state television")),
    ),
    Addition(
        label_en="BBC",
        kind="NewsOrganization",
        aliases=(raw("BBC News"), en("British Broadcasting Corporation")),
    ),
    Addition(label_en="RFI", kind="NewsOrganization", label_fr="Radio France Internationale"),
    Addition(
        label_en="Al Jazeera",
        kind="NewsOrganization",
        label_fr="Al Jazeera",
        aliases=(raw("Al-Jazeera"), raw("Al Jazeera English"), Label("الجزيرة", "ar")),
    ),
    Addition(label_en="France 24", kind="NewsOrganization", label_fr="France 24", aliases=(raw("France24"),)),
    Addition(label_en="Jeune Afrique", kind="NewsOrganization", label_fr="Jeune Afrique"),
    Addition(label_en="Le Monde", kind="NewsOrganization", label_fr="Le Monde"),
    Addition(label_en="Deutsche Welle", kind="NewsOrganization", label_fr="Deutsche Welle"),
    Addition(label_en="Voice of America", kind="NewsOrganization", aliases=(raw("VOA"),)),
    Addition(label_en="Xinhua News Agency", kind="NewsOrganization", aliases=(raw("Xinhua"),)),
    # -- persons -------------------------------------------------------------------
    Addition(
        label_en="Adnan Abu Walid al-Sahrawi",
        kind="Person",
        aliases=(
            raw("Adnan Abu Walid al-Sahraoui"),
            raw("Adnan Abou Walid al-Sahraoui"),
            raw("Abu Walid al-Sahrawi"),
        ),
    ),
    Addition(
        label_en="Paul-Henri Sandaogo Damiba",
        kind="Person",
        aliases=(
            raw("Paul-Henri Damiba"),
            raw("Damiba"),
            en("Lieutenant-Colonel Paul-Henri Sandaogo Damiba"),
        ),
    ),
    Addition(
        label_en="Roch Marc Christian Kaboré",
        kind="Person",
        aliases=(raw("Roch Marc Christian Kabore"), raw("Roch Kaboré"), raw("Roch Kabore"), raw("Kaboré")),
    ),
    Addition(
        label_en="Ibrahim Boubacar Keïta",
        kind="Person",
        aliases=(raw("Ibrahim Boubacar Keita"), raw("IBK")),
    ),
    Addition(label_en="Bah N'Daw", kind="Person", aliases=(raw("Bah Ndaw"), raw("Ba N'Daou"))),
    Addition(label_en="Moctar Ouane", kind="Person", aliases=(raw("Moctar Ouané"),)),
    Addition(
        label_en="Abdoulaye Maïga",
        kind="Person",
        aliases=(raw("Abdoulaye Maiga"), en("General Abdoulaye Maïga")),
    ),
    Addition(label_en="Bola Tinubu", kind="Person", aliases=(raw("Bola Ahmed Tinubu"), raw("Tinubu"))),
    Addition(label_en="António Guterres", kind="Person", aliases=(raw("Antonio Guterres"), raw("Guterres"))),
    Addition(label_en="El-Ghassim Wane", kind="Person", aliases=(raw("El Ghassim Wane"),)),
    # -- countries -------------------------------------------------------------------
    _country("United States", "États-Unis", en("United States of America"), raw("USA")),
    _country("Nigeria", "Nigeria"),
    _country("Chad", "Tchad"),
    _country("Mauritania", "Mauritanie"),
    _country("Senegal", "Sénégal"),
    _country("Côte d'Ivoire", "Côte d'Ivoire", en("Ivory Coast"), raw("Cote d'Ivoire")),
    _country("Ghana", "Ghana"),
    _country("Togo", "Togo"),
    _country("Benin", "Bénin"),
    _country("Guinea", "Guinée"),
    _country("Libya", "Libye"),
    _country("Morocco", "Maroc"),
    _country("South Africa", "Afrique du Sud"),
    _country("Ukraine", "Ukraine"),
    _country("Turkey", "Turquie", raw("Türkiye")),
    # -- regions ---------------------------------------------------------------------
    _region("Timbuktu Region", "Région de Tombouctou", "Mali", en("Tombouctou Region")),
    _region("Gao Region", "Région de Gao", "Mali"),
    _region("Mopti Region", "Région de Mopti", "Mali"),
    _region("Ségou Region", "Région de Ségou", "Mali", en("Segou Region")),
    _region("Koulikoro Region", "Région de Koulikoro", "Mali"),
    _region("Centre-Nord Region", "Région du Centre-Nord", "Burkina Faso", en("Centre-Nord")),
    _region("Diffa Region", "Région de Diffa", "Niger"),
    _region("Tahoua Region", "Région de Tahoua", "Niger"),
    _region("Agadez Region", "Région d'Agadez", "Niger"),
    Addition(
        label_en="Sahara",
        kind="Region",
        label_fr="Sahara",
        aliases=(en("Sahara Desert"), fr("désert du Sahara")),
    ),
    # -- cities and towns -------------------------------------------------------------
    _city("Djibo", "Sahel Region (Burkina Faso)", "Burkina Faso"),
    _city("Solhan", "Sahel Region (Burkina Faso)", "Burkina Faso"),
    _city("Dori", "Sahel Region (Burkina Faso)", "Burkina Faso"),
    _city("Kaya", "Centre-Nord Region", "Burkina Faso"),
    _city("Fada N'Gourma", "Burkina Faso", aliases=(raw("Fada Ngourma"),)),
    _city("Diffa", "Diffa Region", "Niger"),
    _city("Agadez", "Agadez Region", "Niger"),
    _city("Tahoua", "Tahoua Region", "Niger"),
    _city("Inates", "Tillabéri Region", "Niger"),
    _city("Indelimane", "Mali"),
    _city("Boulkessi", "Mali"),
    _city("Nampala", "Mali"),
    _city("Léré", "Mali", aliases=(raw("Lere"),)),
    _city("Koulikoro", "Koulikoro Region", "Mali"),
    _city("Sévaré", "Mopti Region", "Mali", aliases=(raw("Sevare"),)),
    _city("Kayes", "Mali"),
    _city("Nioro du Sahel", "Mali"),
    # -- sites --------------------------------------------------------------------------
    Addition(
        label_en="Airbase 101",
        kind="Site",
        label_fr="Base aérienne 101",
        site_kind="military airport",
        located_in=("Bamako",),
        aliases=(en("Air Base 101"), raw("Camp 101")),
    ),
    Addition(
        label_en="Faladié Gendarmerie School",
        kind="Site",
        label_fr="École de gendarmerie de Faladié",
        site_kind="gendarmerie school",
        located_in=("Faladié", "Bamako"),
        aliases=(
            en("Faladie gendarmerie school"),
            en("gendarmerie school in Faladié"),
            fr("école de gendarmerie de Faladié"),
        ),
    ),
    Addition(
        label_en="Kati military camp",
        kind="Site",
        label_fr="Camp militaire de Kati",
        site_kind="military camp",
        located_in=("Kati",),
        aliases=(
            en("Kati camp"),
            en("Kati military base"),
            en("Soundiata Keita military camp"),
            fr("camp de Kati"),
            fr("camp Soundiata Keïta"),
        ),
    ),
    Addition(
        label_en="Radisson Blu Hotel, Bamako",
        kind="Site",
        label_fr="Hôtel Radisson Blu de Bamako",
        site_kind="hotel",
        located_in=("Bamako",),
        aliases=(en("Radisson Blu hotel"), raw("Radisson Blu"), fr("hôtel Radisson Blu")),
    ),
    Addition(
        label_en="Splendid Hotel",
        kind="Site",
        label_fr="Hôtel Splendid",
        site_kind="hotel",
        located_in=("Ouagadougou",),
        aliases=(en("Splendid Hotel Ouagadougou"),),
    ),
    Addition(
        label_en="Diori Hamani International Airport",
        kind="Site",
        label_fr="Aéroport international Diori-Hamani",
        site_kind="airport",
        located_in=("Niamey",),
        aliases=(en("Niamey airport"), en("Niamey International Airport"), fr("aéroport de Niamey")),
    ),
    Addition(
        label_en="Thomas Sankara International Airport Ouagadougou",
        kind="Site",
        label_fr="Aéroport international Thomas-Sankara de Ouagadougou",
        site_kind="airport",
        located_in=("Ouagadougou",),
        aliases=(
            en("Thomas Sankara International Airport"),
            en("Ouagadougou Airport"),
            en("Ouagadougou International Airport"),
            fr("aéroport de Ouagadougou"),
        ),
    ),
    Addition(
        label_en="Air Base 201",
        kind="Site",
        label_fr="Base aérienne 201",
        site_kind="military airport",
        located_in=("Agadez",),
        aliases=(en("Niger Air Base 201"), en("Agadez air base")),
    ),
)


# ---------------------------------------------------------------------------
# Durable relations. Quotes are verbatim from the named row of the table.
# ---------------------------------------------------------------------------

_JNIM = "Jama'at Nusrat al-Islam wal-Muslimin"
_ISSP = "Islamic State – Sahel Province"
_AQIM = "al-Qaeda in the Islamic Maghreb"
_CSP = "Strategic Framework for the Defence of the People of Azawad"
_MUJAO = "Movement for Oneness and Jihad in West Africa"
_MNLA = "National Movement for the Liberation of Azawad"
_AES = "Alliance of Sahel States"
_MINUSMA = "United Nations Multidimensional Integrated Stabilization Mission in Mali"

_JNIM_FORMED = (
    "Formed 2017-03-02 by merger of Ansar Dine, Macina Liberation Front (Katiba Macina), "
    "Al-Mourabitoun and the Saharan branch of AQIM; infobox 'Part of: al-Qaeda'; leader Iyad Ag Ghaly "
    "[https://en.wikipedia.org/wiki/Jama%27at_Nasr_al-Islam_wal_Muslimin (pages corpus)]."
)
_AQIM_ORIGIN = (
    "Infobox 'Part of: Al-Qaeda'; originated as Salafist Group for Preaching and Combat (GSPC) "
    "[Wikipedia mirrors in pages corpus, e.g. https://en.wikipedia-on-ipfs.org/wiki/Al-Qaeda_in_the_Islamic_Maghreb]."
)
_ISSP_FORMED = (
    "Formed May 2015 by Adnan Abu Walid al-Sahraoui; splinter of Al-Mourabitoun; associated with ISIL; "
    "attacks in Mali, Niger, Burkina Faso "
    "[EU list github:opensanctions/opensanctions/datasets/eu/journal_sanctions/data/consolidated/32002R0881.csv]."
)
_MOURABITOUN_FORMED = "Formed 2013-08 by merger of MUJAO and Signed-in-Blood Battalion (triad comment)."
_CSP_TINZAOUATEN = (
    "Wikidata P710 participant in Battle of Tinzaouaten (2024) against FAMa/Wagner "
    "[github:goncalojacob/atlas-causal/data/events/battle-of-tinzaouaten-2024.json]."
)
_AES_MEMBERS = "Members Mali, Burkina Faso, Niger."
_WEST_AFRICA = (
    "github:SpocWiki/_Standards/Earth/Continent/Africa/Africa~West/Mali.md + Africa~Central/Niger.md "
    "+ github:SpocWiki/Africa-Burkina_Faso/ReadMe.md (part_of 'West_Africa,4412')"
)
_KIDAL_REGION = "Contains Kidal and Tinzaouaten."
_SENOU = "Area of Bamako where the international airport lies."

RELATIONS: tuple[Relation, ...] = (
    # jihadist groups: affiliation, mergers, leaders
    Relation(_JNIM, "affiliatedWith", "al-Qaeda", _JNIM_FORMED, _JNIM),
    Relation(_JNIM, "successorOf", "Ansar Dine", _JNIM_FORMED, _JNIM),
    Relation(_JNIM, "successorOf", "Al-Mourabitoun", _JNIM_FORMED, _JNIM),
    Relation(
        "Katiba Macina",
        "partOf",
        _JNIM,
        "part_of JNIM (merger 2017) [https://en.wikipedia.org/wiki/Jama%27at_Nasr_al-Islam_wal_Muslimin (pages corpus)];",
        "Katiba Macina",
    ),
    Relation("Iyad Ag Ghaly", "leaderOf", _JNIM, _JNIM_FORMED, _JNIM),
    Relation(
        "Iyad Ag Ghaly",
        "leaderOf",
        "Ansar Dine",
        "Founder and leader: Iyad ag Ghali; EU-listed 20.3.2013 as 'Ansar Eddine' [EU list "
        "github:opensanctions/opensanctions/datasets/eu/journal_sanctions/data/consolidated/32002R0881.csv].",
        "Ansar Dine",
    ),
    Relation(
        "Ansarul Islam",
        "alliedWith",
        _JNIM,
        "Listed as ally of JNIM in JNIM infobox "
        "[https://en.wikipedia.org/wiki/Jama%27at_Nasr_al-Islam_wal_Muslimin (pages corpus)]",
        "Ansarul Islam",
    ),
    Relation(_AQIM, "affiliatedWith", "al-Qaeda", _AQIM_ORIGIN, _AQIM),
    Relation(_AQIM, "successorOf", "Salafist Group for Preaching and Combat", _AQIM_ORIGIN, _AQIM),
    Relation(_ISSP, "affiliatedWith", "Islamic State", "affiliated_with: Islamic State (Q2429253).", _ISSP),
    Relation("Adnan Abu Walid al-Sahrawi", "leaderOf", _ISSP, _ISSP_FORMED, _ISSP),
    Relation("Al-Mourabitoun", "successorOf", _MUJAO, _MOURABITOUN_FORMED, "Al-Mourabitoun"),
    Relation("Al-Mourabitoun", "successorOf", "Signed-in-Blood Battalion", _MOURABITOUN_FORMED, "Al-Mourabitoun"),
    # Azawad movements
    Relation(_MNLA, "memberOf", "Coordination of Azawad Movements", "Member of CMA (triad comment).", _MNLA),
    Relation(_CSP, "opposes", "Malian Armed Forces", _CSP_TINZAOUATEN, _CSP),
    Relation(_CSP, "opposes", "Wagner Group", _CSP_TINZAOUATEN, _CSP),
    # Russian forces
    Relation(
        "Yevgeny Prigozhin",
        "leaderOf",
        "Wagner Group",
        "Founder of the Wagner Group; deceased ('after the death of Yevgeny Prigozhin') [EU "
        "github:opensanctions/opensanctions/datasets/eu/journal_sanctions/data/consolidated/32024R2642.csv].",
        "Yevgeny Prigozhin",
    ),
    Relation(
        "Africa Corps (Russia)",
        "successorOf",
        "Wagner Group",
        "replaced Wagner in Mali June 2025 [EU "
        "github:opensanctions/opensanctions/datasets/eu/journal_sanctions/data/consolidated/32017R1770.csv].",
        "Africa Corps (Russia)",
    ),
    Relation(
        "Africa Corps (Russia)",
        "affiliatedWith",
        "Ministry of Defence (Russia)",
        "Placed under the Russian Ministry of Defence after Prigozhin's death and the Wagner restructuring; "
        "took over Russian military operations in Africa [EU "
        "github:opensanctions/opensanctions/datasets/eu/journal_sanctions/data/consolidated/32024R2642.csv];",
        "Africa Corps (Russia)",
    ),
    # state leaders and forces
    Relation(
        "Assimi Goïta",
        "leaderOf",
        "Government of Mali",
        "leader_of: Mali (President, in office since 2021-05-24; born 1983-11-09 per Peppercat/Wikidata).",
        "Assimi Goïta",
    ),
    Relation(
        "Ibrahim Traoré",
        "leaderOf",
        "Government of Burkina Faso",
        "leader_of: Burkina Faso (President since 2022-09-30; born 1988-03-14 per Peppercat/Wikidata).",
        "Ibrahim Traoré",
    ),
    Relation(
        "Abdourahamane Tiani",
        "leaderOf",
        "Government of Niger",
        "leader_of: Niger (President since 2023-07-26; born 1961 per Peppercat).",
        "Abdourahamane Tiani",
    ),
    Relation(
        "Emmanuel Macron",
        "leaderOf",
        "Government of France",
        "President of France (in office since 2017-05-14 per Peppercat).",
        "Emmanuel Macron",
    ),
    Relation("Vladimir Putin", "leaderOf", "Government of Russia", "President of Russia.", "Vladimir Putin"),
    Relation(
        "Sadio Camara",
        "leaderOf",
        "Ministry of Defence (Mali)",
        "Malian Minister of Defence since 2021-06-11, born 1979-03-22 (Peppercat);",
        "Sadio Camara",
    ),
    Relation(
        "Abdoulaye Diop",
        "leaderOf",
        "Ministry of Foreign Affairs (Mali)",
        "Malian Minister of Foreign Affairs, in office since 2021-06-11, born 1965-09-17 per Peppercat.",
        "Abdoulaye Diop",
    ),
    Relation(
        "Oumar Diarra",
        "leaderOf",
        "Malian Armed Forces",
        "Chief of General Staff of the Malian Armed Forces (per brief).",
        "Oumar Diarra",
    ),
    Relation(
        "Volunteers for the Defense of the Homeland",
        "supportedBy",
        "Government of Burkina Faso",
        "Burkina Faso state-backed civilian auxiliary force (type chosen: StateForce).",
        "Volunteers for the Defense of the Homeland",
    ),
    # organisations
    Relation("Mali", "memberOf", _AES, _AES_MEMBERS, _AES),
    Relation("Burkina Faso", "memberOf", _AES, _AES_MEMBERS, _AES),
    Relation("Niger", "memberOf", _AES, _AES_MEMBERS, _AES),
    Relation(
        "Mali",
        "memberOf",
        "United Nations",
        "github:SpocWiki/_Standards/Earth/Continent/Africa/Africa~West/Mali.md (member_of 'United_Nations,1065')",
        "United Nations",
    ),
    Relation(
        _MINUSMA,
        "partOf",
        "United Nations",
        "UN peacekeeping mission in Mali 2013-2023 (closure 31 Dec 2023 per several GitHub datasets; "
        "not Wikidata-verified).",
        _MINUSMA,
    ),
    Relation("Ministry of Transport (Mali)", "partOf", "Government of Mali", CURATED_STRUCTURE),
    Relation("Ministry of Security (Mali)", "partOf", "Government of Mali", CURATED_STRUCTURE),
    Relation("Ministry of Defence (Mali)", "partOf", "Government of Mali", CURATED_STRUCTURE),
    Relation("Ministry of Foreign Affairs (Mali)", "partOf", "Government of Mali", CURATED_STRUCTURE),
    Relation("Ministry of Defence (Russia)", "partOf", "Government of Russia", CURATED_STRUCTURE),
    # geography stated in the table
    Relation("Mali", "locatedIn", "West Africa", "part_of West Africa (Q4412) [SpocWiki Wikidata snapshot].", "Mali"),
    Relation("Burkina Faso", "locatedIn", "West Africa", _WEST_AFRICA, "West Africa"),
    Relation("Niger", "locatedIn", "West Africa", _WEST_AFRICA, "West Africa"),
    Relation("Kidal", "locatedIn", "Kidal Region", _KIDAL_REGION, "Kidal Region"),
    Relation("Tinzaouaten", "locatedIn", "Kidal Region", _KIDAL_REGION, "Kidal Region"),
    Relation("Timbuktu", "locatedIn", "Timbuktu Region", "In Timbuktu Region (Q339462);", "Timbuktu"),
    Relation("Faladié", "locatedIn", "Bamako", "Neighbourhood of Bamako (Commune VI).", "Faladié"),
    Relation("Sénou", "locatedIn", "Bamako", _SENOU, "Sénou"),
    Relation("Modibo Keita International Airport", "locatedIn", "Sénou", _SENOU, "Sénou"),
    Relation(
        "Barsalogho",
        "locatedIn",
        "Centre-Nord Region",
        "Town in Sanmatenga province, Centre-Nord region",
        "Barsalogho",
    ),
    Relation("Azawad", "locatedIn", "Mali", "Name used by Tuareg movements for northern Mali.", "Azawad"),
)
