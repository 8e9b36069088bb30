"""Extraction on articles written for these tests: linking, descriptions in context, events, claims,
figures and relations."""

from __future__ import annotations

from datetime import date

import pytest

from kg.ingest.readers import Document, Paragraph
from kg.model import Extraction
from kg.pipeline.prepare import ArticlePreparer
from kg.text.fold import name_key

pytestmark = pytest.mark.slow


def doc(text: str, published: date | None = date(2023, 8, 2), key: str = "t.txt") -> Document:
    paragraphs, offset = [], 0
    for line in text.strip().split("\n"):
        from kg.text.langid import detect_language

        paragraphs.append(Paragraph(line, offset, detect_language(line)))
        offset += len(line) + 1
    return Document(
        key=key,
        path=key,
        text="\n".join(p.text for p in paragraphs),
        paragraphs=paragraphs,
        content_hash="0" * 64,
        published=published,
    )


def labels(x: Extraction) -> dict[str, str]:
    return {name_key(e.label): e.type.value for e in x.entities.values()}


def label_of(x: Extraction, iri: str | None) -> str | None:
    return x.entities[iri].label if iri else None


NIGER = """Soldiers of Niger's army repelled an assault on their base in Tillabéri on Tuesday, the army said.
The jihadist group Islamic State in the Greater Sahara claimed responsibility for the attack on Wednesday.
According to the army, 17 soldiers were killed and 20 were wounded; the ministry of defence gave no figure for the attackers.
The junta, which took power in a 2023 coup, has since turned to Russia for military support.
The army's chief of staff, Moussa Salaou Barmou, visited the wounded in Niamey."""


@pytest.fixture(scope="module")
def niger(preparer: ArticlePreparer) -> Extraction:
    return preparer.extractor.extract(doc(NIGER))


def test_kb_entities_are_linked_with_types(niger: Extraction) -> None:
    found = labels(niger)
    assert found[name_key("Niger")] == "Country"
    assert found[name_key("Tillabéri")] == "City"
    assert found[name_key("Russia")] == "Country"
    issp = next(e for e in niger.entities.values() if e.type.value == "ArmedGroup")
    assert issp.linked and issp.wikidata == "Q36504631"


def test_descriptions_resolve_to_the_articles_country(niger: Extraction) -> None:
    army = next(e for e in niger.entities.values() if e.type.value == "StateForce")
    assert army.label == "Armed Forces of Niger"
    assert {"army"} <= {m.text for m in army.mentions}
    government = next(e for e in niger.entities.values() if e.type.value == "State" and "Niger" in e.label)
    assert "junta" in {m.text for m in government.mentions}


def test_open_world_person_is_flagged_unlinked(niger: Extraction) -> None:
    person = next(e for e in niger.entities.values() if e.label == "Moussa Salaou Barmou")
    assert person.type.value == "Person" and not person.linked and person.confidence < 0.9


def test_main_event_with_roles_date_and_figures(niger: Extraction) -> None:
    main = next(e for e in niger.events if e.type == "Attack" and not e.historical)
    assert (main.date, main.precision) == ("2023-08-01", "day")
    assert label_of(niger, main.place) == "Tillabéri"
    assert label_of(niger, main.country) == "Niger"
    assert [label_of(niger, c) for c in main.claimed_by] == ["Islamic State – Sahel Province"]
    figures = {(f.kind, f.count): label_of(niger, f.source) for f in main.figures}
    assert figures[("killed", 17)] == "Armed Forces of Niger"


def test_historical_coup_is_its_own_event(niger: Extraction) -> None:
    coups = [e for e in niger.events if e.type == "Coup"]
    assert [(c.date, c.precision, c.historical) for c in coups] == [("2023", "year", True)]


def test_relations(niger: Extraction) -> None:
    rels = {(label_of(niger, r.subject), r.predicate, label_of(niger, r.object)) for r in niger.relations}
    assert ("Government of Niger", "supportedBy", "Russia") in rels
    assert ("Moussa Salaou Barmou", "leaderOf", "Armed Forces of Niger") in rels


def test_mali_is_never_a_person(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(doc("Mali said on Monday that Mali would not return to ECOWAS."))
    assert labels(x)[name_key("Mali")] == "Country"
    assert all(e.type.value != "Person" for e in x.entities.values())


def test_accents_and_spelling_variants_link(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(
        doc(
            "Fighters attacked the Faladie gendarmerie school in Bamako, "
            "and Jama'at Nusrat al-Islam wal Muslimin later claimed the raid."
        )
    )
    found = labels(x)
    assert found[name_key("Faladié Gendarmerie School")] == "Site"
    assert found[name_key("Jama'at Nusrat al-Islam wal-Muslimin")] == "ArmedGroup"


def test_french_paragraph_goes_through_the_french_pipeline(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(
        doc("Le GSIM a revendiqué l'attaque contre le camp militaire de Kati, selon un communiqué publié mardi.")
    )
    group = next(e for e in x.entities.values() if e.type.value == "ArmedGroup")
    assert group.mentions[0].language == "fr"
    assert any(e.type == "Attack" for e in x.events)


def test_appositive_affiliation(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(doc("The al-Qaeda-linked group JNIM said it had killed ten soldiers near Mopti."))
    rels = {(label_of(x, r.subject), r.predicate, label_of(x, r.object)) for r in x.relations}
    assert ("Jama'at Nusrat al-Islam wal-Muslimin", "affiliatedWith", "al-Qaeda") in rels


FRENCH_FLASH = """Au moins douze soldats ont été tués dimanche dans une embuscade tendue par des jihadistes près de Djibo, dans le nord du Burkina Faso, a annoncé l'armée lundi.
L'attaque a été revendiquée par le Groupe de soutien à l'islam et aux musulmans (GSIM), affilié à Al-Qaïda.
Selon une source locale, une vingtaine d'assaillants ont également été tués."""


def test_french_flash(preparer: ArticlePreparer) -> None:
    """A French wire flash: the event, its date, who claimed it, who gave each figure, the affiliation."""
    x = preparer.extractor.extract(doc(FRENCH_FLASH, published=date(2024, 3, 4)))
    [event] = [e for e in x.events if not e.historical]
    assert (event.type, event.date, label_of(x, event.place)) == ("Ambush", "2024-03-03", "Djibo")
    assert [label_of(x, c) for c in event.claimed_by] == ["Jama'at Nusrat al-Islam wal-Muslimin"]
    figures = {(f.kind, f.count): (label_of(x, f.source), f.source_text) for f in event.figures}
    assert figures[("killed", 12)][0] == "Burkina Faso Armed Forces"
    assert figures[("killed", 20)] == (None, "une source locale")
    rels = {(label_of(x, r.subject), r.predicate, label_of(x, r.object)) for r in x.relations}
    assert ("Jama'at Nusrat al-Islam wal-Muslimin", "affiliatedWith", "al-Qaeda") in rels


SITES = """Gunmen stormed the Boulkessi military camp on Sunday, killing nine soldiers, the army said.
FLASH - Gunmen storm hotel in the centre of the town
Les assaillants ont ensuite attaqué le camp militaire de Djibo dans la nuit de lundi à mardi.
A second group attacked the Hotel Byblos in Sévaré on Wednesday."""


def test_named_sites_are_extracted_and_attached(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(doc(SITES, published=date(2023, 8, 4)))
    sites = {e.label for e in x.entities.values() if e.type.value == "Site"}
    assert {"Boulkessi military camp", "camp militaire de Djibo", "Hotel Byblos"} <= sites
    assert not any("FLASH" in site for site in sites)
    by_site = {label_of(x, s): e for e in x.events for s in e.sites}
    assert label_of(x, by_site["Hotel Byblos"].place) == "Sévaré"
    assert by_site["camp militaire de Djibo"].date == "2023-07-31"
    assert label_of(x, by_site["camp militaire de Djibo"].place) == "Djibo"


DECISIONS = """Niger's military government on Thursday closed its border with Benin and expelled the French ambassador.
Mardi, le gouvernement burkinabè a annoncé la suspension de la radio RFI et l'expulsion de deux journalistes."""


def test_coordinated_decisions_share_their_decider_and_the_announcement_date(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(doc(DECISIONS, published=date(2023, 8, 4)))
    expulsions = sorted((e.date, [label_of(x, p) for p in e.perpetrators]) for e in x.events if e.type == "Expulsion")
    assert expulsions == [("2023-08-01", ["Government of Burkina Faso"]), ("2023-08-03", ["Government of Niger"])]


TITLES = """Mali's defence minister, Sadio Camara, visited the troops in Gao on Monday.
Abdoulaye Maïga, the government spokesman, read a statement on state television.
Le ministre des Affaires étrangères, Abdoulaye Diop, a dénoncé une ingérence.
Captain Ibrahim Traoré, the president of the transition, received a delegation in Ouagadougou.
Its spokesman, Mohamed Elmaouloud Ramadane, denied the report.
The former prime minister, Moussa Mara, was arrested.
The junta expelled Olivier Salgado, the mission's spokesman."""


def test_government_titles_make_members_and_leaders(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(doc(TITLES, published=date(2024, 3, 11)))
    found = {
        (label_of(x, r.subject), r.predicate, label_of(x, r.object))
        for r in x.relations
        if x.entities[r.subject].type.value == "Person"
    }
    assert found == {
        ("Sadio Camara", "memberOf", "Government of Mali"),
        ("Abdoulaye Maïga", "memberOf", "Government of Mali"),
        ("Abdoulaye Diop", "memberOf", "Government of Mali"),
        ("Ibrahim Traoré", "leaderOf", "Government of Burkina Faso"),
    }
    assert "Government of Mali" in {e.label for e in x.entities.values()}  # named by the titles, exported


FOREIGN_TITLES = """Le président ghanéen Nana Akufo-Addo a reçu la délégation à Accra.
The French government sent its foreign minister, Jean-Marc Ayrault, to Bamako.
Israeli Prime Minister Benjamin Netanyahu called the Malian president.
Le ministre de la Défense, Diarran Koné, a annoncé la mort de onze soldats."""


def test_a_title_names_the_country_it_stands_beside_and_makes_a_person(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(doc(FOREIGN_TITLES, published=date(2016, 3, 15)))
    found = {(label_of(x, r.subject), r.predicate, label_of(x, r.object)) for r in x.relations}
    assert ("Nana Akufo-Addo", "leaderOf", "Ghana") in found
    assert ("Jean-Marc Ayrault", "memberOf", "Government of France") in found
    # a nationality the KB has no country for is not read as the article's country
    assert not {r for r in found if r[0] == "Benjamin Netanyahu"}
    # the French NER takes 'Diarran Koné' for a place; the title beside it makes a person
    assert {e.type.value for e in x.entities.values() if e.label == "Diarran Koné"} == {"Person"}


WIRE = """NIAMEY, Aug 3 (Sahel Wire) - Gunmen overran an army post at Ménaka on Sunday, killing 12 soldiers, a security source speaking from Tahoua said on Monday.
The death toll later rose to 17, the defence ministry said.
Niger has been fighting an insurgency since 2015."""


def test_dateline_and_source_places_are_not_the_event_place(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(doc(WIRE, published=date(2023, 8, 3)))
    violent = [e for e in x.events if e.type in {"Attack", "Clash", "Ambush"}]
    assert [(label_of(x, e.place), e.date) for e in violent] == [("Ménaka", "2023-07-30")]
    assert {f.count for f in violent[0].figures} == {12, 17}


EXITS = """Mali, Burkina Faso and Niger said on Sunday they were leaving ECOWAS with immediate effect.
Jeudi, la junte malienne a mis fin à l'accord de paix d'Alger.
The bloc had suspended all three countries after their coups.
Les assaillants ont pris pour cible le poste de Kpinkankandi, dans le nord du Togo."""


def test_leaving_an_organisation_is_a_withdrawal_and_suspending_a_state_a_sanction(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(doc(EXITS, published=date(2024, 1, 29)))
    assert sorted((e.type, e.date) for e in x.events if e.type == "Withdrawal") == [
        ("Withdrawal", "2024-01-25"),
        ("Withdrawal", "2024-01-28"),
    ]
    assert "Closure" not in {e.type for e in x.events}
    assert "Kpinkankandi" in {e.label for e in x.entities.values() if e.type.value == "City"}


TIMELINE_ENTRIES = """SEPT. 16 - Soldiers of the presidential guard storm the Kosyam palace in Ouagadougou.
SEPT. 18 - The African Union suspends Burkina Faso from the pan-African body.
At least 20 people were killed in the ambush, a security source in Ouagadougou said, on the road to the Montreal-based company's mine."""


def test_timeline_entries_date_their_paragraph_and_sources_do_not_place_events(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(doc(TIMELINE_ENTRIES, published=date(2015, 10, 2)))
    found = sorted((e.type, e.date) for e in x.events)
    assert ("Attack", "2015-09-16") in found and ("Sanction", "2015-09-18") in found
    assert "Montreal" not in {label_of(x, e.place) for e in x.events}
    figure = next(f for e in x.events for f in e.figures if f.count == 20)
    assert figure.source is None and figure.source_text == "a security source in Ouagadougou"


def test_local_officials_lead_their_place(preparer: ArticlePreparer) -> None:
    text = (
        "Selon le gouverneur de la région de l'Est, le colonel Saïdou Sanou, l'embuscade a fait 37 morts.\n"
        "The mayor of Djibo, Oumarou Dicko, was killed in an ambush."
    )
    x = preparer.extractor.extract(doc(text, published=date(2019, 11, 8)))
    found = {(label_of(x, r.subject), r.predicate) for r in x.relations if r.predicate == "leaderOf"}
    assert found == {("Saïdou Sanou", "leaderOf"), ("Oumarou Dicko", "leaderOf")}
    assert {label_of(x, r.object) for r in x.relations if r.predicate == "leaderOf"} >= {"Djibo"}


NIGHT = """Huit soldats ont été tués dans l'attaque d'un poste de l'armée dans la nuit de mardi à mercredi, a annoncé le gouvernement.
C'est la première fois que Lomé reconnaît des pertes dans une attaque jihadiste.
Selon le communiqué lu mercredi, les assaillants ont pris pour cible le poste de Kpinkankandi."""
YIRGOU = """Yirgou : le bilan passe à 46 morts.
KAYA - Les violences ont endeuillé Yirgou, un village du Centre-Nord. Selon le ministre, les tueries ont fait 46 morts."""


def test_one_attack_through_a_night_is_one_event_placed_where_it_happened(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(doc(NIGHT, published=date(2022, 5, 12)))
    attacks = [e for e in x.events if e.type == "Attack"]
    assert [(e.date, label_of(x, e.place)) for e in attacks] == [("2022-05-10", "Kpinkankandi")]
    y = preparer.extractor.extract(doc(YIRGOU, published=date(2019, 1, 5)))
    massacre = next(e for e in y.events if e.type == "Massacre")
    assert label_of(y, massacre.place) == "Yirgou"  # the paragraph's town, not its dateline


def test_forces_and_blamed_groups_are_perpetrators(preparer: ArticlePreparer) -> None:
    text = (
        "The army stormed the Naaba Koom II barracks in Ouagadougou on Tuesday.\n"
        "Gunmen killed 30 villagers in Yirgou on Sunday; witnesses blamed the killings on Ansarul Islam."
    )
    x = preparer.extractor.extract(doc(text, published=date(2015, 9, 30)))
    perps = {label_of(x, e.place): {label_of(x, p) for p in e.perpetrators} for e in x.events}
    assert perps["Ouagadougou"] == {"Burkina Faso Armed Forces"}
    assert "Ansarul Islam" in perps["Yirgou"]


def test_a_lower_case_spelling_of_an_entity_matches_even_when_its_label_is_capitalised(
    preparer: ArticlePreparer,
) -> None:
    from kg.extract.gazetteer import Gazetteer

    gazetteer = Gazetteer(preparer.extractor.kb)
    found = {m.iri.rsplit("/", 1)[-1] for m in gazetteer.find("Paris a annoncé la fin de l'opération Barkhane.")}
    assert "barkhane-force" in found


def test_names_the_ner_cut_short_are_whole_and_a_figure_source_is_never_its_own_clause(
    preparer: ArticlePreparer,
) -> None:
    text = (
        "The defence minister, General Ibrahim Dahirou Dembélé, visited the village.\n"
        "Gunmen killed at least 95 people in an overnight raid on the village of Sobane Da, the government said."
    )
    x = preparer.extractor.extract(doc(text, published=date(2019, 6, 10)))
    assert "Ibrahim Dahirou Dembélé" in {e.label for e in x.entities.values() if e.type.value == "Person"}
    figure = next(f for e in x.events for f in e.figures if f.count == 95)
    assert figure.source_text is None or "95" not in figure.source_text


def test_a_timeline_entry_that_opens_with_a_span_is_dated_by_its_first_day() -> None:
    from kg.extract.events import _timeline_entry

    published = date(2012, 7, 5)
    assert _timeline_entry("18-24 January - Rebels lay siege to the camp.", published).iso == "2012-01-18"
    assert _timeline_entry("30 March to 1 April - The rebels take the north.", published).iso == "2012-03-30"
    assert _timeline_entry("The rebels took Gao on 31 March.", published) is None
    assert _timeline_entry("Le 6 avril : le MNLA proclame l'indépendance.", published).iso == "2012-04-06"
    assert _timeline_entry("On 6 April: the MNLA proclaims independence.", published).iso == "2012-04-06"
    assert _timeline_entry("On 6 April the MNLA proclaimed independence.", published) is None


ENTRIES_WITHOUT_EVENT_WORDS = """TIMELINE: A year of politics in Niger
4 March - The assembly votes a new electoral code in Niamey.
9 June - Parliament is adjourned until the autumn.
2 August - Gunmen attack a police post near Tillabéri.
10 August - The prime minister names a new cabinet."""

HEADINGS = """Key dates
4 March 2021 — Niamey
The assembly votes a new electoral code after a long night session.
2 August 2021 — Tillabéri
Gunmen attack a police post on the outskirts of the town.
9 September 2021 — Zinder
The governor receives the chiefs of the region."""


def test_a_timeline_entry_that_names_no_event_word_is_an_event_of_its_date(preparer: ArticlePreparer) -> None:
    x = preparer.extractor.extract(doc(ENTRIES_WITHOUT_EVENT_WORDS, published=date(2021, 12, 30)))
    found = sorted((e.type, e.date) for e in x.events)
    assert found == [
        ("Attack", "2021-08-02"),
        ("Other", "2021-03-04"),
        ("Other", "2021-06-09"),
        ("Other", "2021-08-10"),
    ]
    entry = next(e for e in x.events if e.date == "2021-03-04")
    assert label_of(x, entry.place) == "Niamey" and entry.rule == "timeline-entry"
    # one dated paragraph is not a timeline
    single = preparer.extractor.extract(doc("9 June - Parliament is adjourned.", published=date(2021, 12, 30)))
    assert single.events == []


def test_a_timeline_heading_whose_paragraphs_name_no_event_word_is_an_event_of_its_date_and_place(
    preparer: ArticlePreparer,
) -> None:
    x = preparer.extractor.extract(doc(HEADINGS, published=date(2021, 12, 30)))
    found = sorted((e.type, e.date, label_of(x, e.place)) for e in x.events)
    assert found == [
        ("Attack", "2021-08-02", "Tillabéri"),
        ("Other", "2021-03-04", "Niamey"),
        ("Other", "2021-09-09", "Zinder"),
    ]


def test_an_indefinite_group_that_says_it_was_behind_an_attack_is_the_articles_group(preparer: ArticlePreparer) -> None:
    text = (
        "JNIM fighters have attacked the army for years.\n"
        "An al-Qaeda-linked jihadist group said on Saturday that it was behind Friday's attack on the Kati camp."
    )
    x = preparer.extractor.extract(doc(text, published=date(2022, 7, 23)))
    assert {(label_of(x, r.subject), r.predicate, label_of(x, r.object)) for r in x.relations} >= {
        ("Jama'at Nusrat al-Islam wal-Muslimin", "affiliatedWith", "al-Qaeda")
    }


def test_the_town_an_attack_verb_struck_places_the_story_and_the_sahel_places_nothing(
    preparer: ArticlePreparer,
) -> None:
    text = (
        "NIAMEY, Jan 4 — Gunmen killed about 100 civilians in two villages of western Niger on Saturday, "
        "the prime minister said, one of the bloodiest assaults the Sahel has known.\n"
        "The attackers struck Ménaka and a nearby village around midday."
    )
    x = preparer.extractor.extract(doc(text, published=date(2021, 1, 4)))
    violent = [e for e in x.events if e.type in {"Attack", "Massacre"}]
    assert [(label_of(x, e.place), e.date) for e in violent] == [("Ménaka", "2021-01-02")]


def test_places_lie_in_the_wider_place_named_right_after_them(preparer: ArticlePreparer) -> None:
    text = (
        "Gunmen overran a post at Inata in northern Burkina Faso on Sunday.\n"
        "Les assaillants ont attaqué le camp militaire de Djibo."
    )
    x = preparer.extractor.extract(doc(text, published=date(2021, 11, 15)))
    found = {(label_of(x, r.subject), label_of(x, r.object)) for r in x.relations if r.predicate == "locatedIn"}
    assert {("Inata", "Burkina Faso"), ("camp militaire de Djibo", "Djibo")} <= found


def test_a_digit_that_is_not_decimal_is_not_a_figure(preparer: ArticlePreparer) -> None:
    # Regression (found by the ingest fuzzer): '¹' passes str.isdigit() but int() refuses it.
    text = "Gunmen attacked an army post near ¹ Gao on Monday, killing 4 soldiers, the army said."
    extraction = preparer.extractor.extract(doc(text))
    figures = [f.count for event in extraction.events for f in event.figures]
    assert 4 in figures
    assert all(isinstance(n, int) for n in figures)


def test_condemnations_are_placed_in_the_country_and_split_by_speaker(preparer: ArticlePreparer) -> None:
    text = (
        "Gunmen attacked the town of Djibo on Saturday, killing nine soldiers.\n"
        "President Roch Marc Christian Kaboré condemned the attack on Sunday. "
        "UN Secretary-General António Guterres condemned the attack on Sunday."
    )
    x = preparer.extractor.extract(doc(text, published=date(2019, 11, 12)))
    condemnations = [e for e in x.events if e.type == "Condemnation"]
    assert {(e.date, label_of(x, e.place)) for e in condemnations} == {("2019-11-10", "Burkina Faso")}
    assert sorted(e.ordinal for e in condemnations) == [1, 2]  # two speakers, two events, two IRIs
    assert {label_of(x, p) for e in condemnations for p in e.perpetrators} >= {"António Guterres"}


def test_an_event_asked_for_is_a_statement_not_the_event(preparer: ArticlePreparer) -> None:
    text = "On Tuesday the commission recommended that the Presidential Security Regiment be disbanded in Burkina Faso."
    x = preparer.extractor.extract(doc(text, published=date(2015, 9, 17)))
    assert [e.type for e in x.events] == ["Statement"]


def test_a_killing_with_its_own_date_and_place_is_an_incident_of_its_own(preparer: ArticlePreparer) -> None:
    text = (
        "Gunmen attacked an army post in Djibo on Sunday, killing twelve soldiers.\n"
        "On 3 March, some 40 villagers were killed in Arbinda."
    )
    x = preparer.extractor.extract(doc(text, published=date(2023, 8, 8)))
    violent = sorted((e.date, label_of(x, e.place)) for e in x.events if e.type == "Attack")
    assert violent == [("2023-03-03", "Arbinda"), ("2023-08-06", "Djibo")]


def test_a_site_named_with_at_and_an_ordered_departure(preparer: ArticlePreparer) -> None:
    text = (
        "Militants overran the camp at Boulkessi on Monday.\n"
        "On Friday the junta gave the French ambassador 48 hours to leave the country."
    )
    x = preparer.extractor.extract(doc(text, published=date(2019, 10, 5)))
    attack = next(e for e in x.events if e.type == "Attack")
    assert [label_of(x, s) for s in attack.sites] == ["camp at Boulkessi"]
    assert label_of(x, attack.place) == "Boulkessi"
    assert [(e.type, e.date) for e in x.events if e.type == "Expulsion"] == [("Expulsion", "2019-10-04")]


def test_an_event_word_inside_a_hyphenated_word_reports_no_event(preparer: ArticlePreparer) -> None:
    text = (
        "Chad's battle-hardened army has long been courted by Paris.\n"
        "Thousands marched against the anti-coup law in Niamey on Sunday."
    )
    x = preparer.extractor.extract(doc(text, published=date(2023, 8, 1)))
    assert [e.type for e in x.events] == ["Other"]  # the protest, neither a battle nor a coup


def test_a_verb_and_its_particle_set_apart_and_forces_leaving_a_town(preparer: ArticlePreparer) -> None:
    text = (
        "Belgian instructors handed the training camp in Koulikoro over to the Malian army on 3 May.\n"
        "The last French helicopters left Gao on 12 May, weeks after the defence minister had left Gao."
    )
    x = preparer.extractor.extract(doc(text, published=date(2022, 6, 1)))
    withdrawals = sorted((e.date, label_of(x, e.place)) for e in x.events if e.type == "Withdrawal")
    assert withdrawals == [("2022-05-03", "Koulikoro"), ("2022-05-12", "Gao")]


def test_an_ambassador_ordered_out_is_expelled_from_the_country_named(preparer: ArticlePreparer) -> None:
    text = (
        "On 2 February 2021, Bamako gave Denmark's ambassador, Jens Holm, 72 hours to leave.\n"
        "Copenhagen answered on 9 February by ordering Mali's chargé d'affaires out of Denmark."
    )
    x = preparer.extractor.extract(doc(text, published=date(2022, 1, 20)))
    expulsions = sorted((e.date, label_of(x, e.place)) for e in x.events if e.type == "Expulsion")
    assert expulsions == [("2021-02-02", "Mali"), ("2021-02-09", "Denmark")]


def test_a_figure_of_speech_closes_nothing(preparer: ArticlePreparer) -> None:
    text = "The handover closed a chapter that had opened in 1961, the ministry said on Monday."
    x = preparer.extractor.extract(doc(text, published=date(2022, 8, 16)))
    assert [e.type for e in x.events if e.type == "Closure"] == []


def test_a_car_bomb_is_a_bombing_and_a_death_sentence_no_condemnation(preparer: ArticlePreparer) -> None:
    text = (
        "Le 4 mars, une voiture piégée a explosé devant la mairie de Ménaka, tuant trois civils.\n"
        "Son commanditaire présumé, condamné à mort en 2019, est toujours en fuite."
    )
    x = preparer.extractor.extract(doc(text, published=date(2022, 3, 10)))
    assert [(e.type, e.date) for e in x.events] == [("Bombing", "2022-03-04")]


def test_a_night_between_two_dated_days_a_wave_of_attacks_and_a_retreat(preparer: ArticlePreparer) -> None:
    text = (
        "Retour sur une série d'attaques dans la province.\n"
        "Dans la nuit du jeudi 2 au vendredi 3 août, des hommes armés ont attaqué la gendarmerie de Sebba "
        "puis ont mis le feu à la mairie avant de se retirer."
    )
    x = preparer.extractor.extract(doc(text, published=date(2018, 8, 20)))
    assert [(e.type, e.date, label_of(x, e.place)) for e in x.events] == [("Attack", "2018-08-02", "Sebba")]


def test_a_name_a_settlement_word_places_is_a_town(preparer: ArticlePreparer) -> None:
    text = (
        "Des assaillants ont fait irruption le 15 septembre dans une concession de Tiboulga, un village de la "
        "commune de Pama, et ont abattu deux hommes."
    )
    x = preparer.extractor.extract(doc(text, published=date(2018, 9, 17)))
    assert labels(x)[name_key("Tiboulga")] == "City"
    assert [(e.date, label_of(x, e.place)) for e in x.events] == [("2018-09-15", "Tiboulga")]


def test_coordinated_towns_are_one_incident_each_and_a_road_between_two_is_one(preparer: ArticlePreparer) -> None:
    text = (
        "On 3 May, gunmen attacked the gendarmerie posts of Tessit and Ansongo.\n"
        "On 9 May, a roadside bomb hit a bus on the road between Gossi and Hombori."
    )
    x = preparer.extractor.extract(doc(text, published=date(2021, 5, 20)))
    found = sorted((e.date, label_of(x, e.place)) for e in x.events)
    assert found == [("2021-05-03", "Ansongo"), ("2021-05-03", "Tessit"), ("2021-05-09", "Gossi")]


def test_violent_events_of_one_day_and_place_are_one_node(preparer: ArticlePreparer) -> None:
    """Their IRI is minted from the type family, date and place: two records would make one node with two
    types, which the SHACL gate refuses."""
    text = (
        "On 3 May, gunmen attacked the gendarmerie posts of Tessit and Ansongo.\n"
        "In Tessit, a suicide bombing on 3 May killed four soldiers, the army said."
    )
    x = preparer.extractor.extract(doc(text, published=date(2021, 5, 20)))
    types: dict[tuple[str | None, str | None], set[str]] = {}
    for e in x.events:
        types.setdefault((e.date, label_of(x, e.place)), set()).add(e.type)
    assert types == {("2021-05-03", "Tessit"): {"Attack"}, ("2021-05-03", "Ansongo"): {"Attack"}}
