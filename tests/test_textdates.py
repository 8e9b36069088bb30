"""Dates resolved against the publication date, with precision; publication datelines."""

from __future__ import annotations

from datetime import date

import pytest

from kg.text.dates import anchored, find_date_mentions, find_publication_date

WED = date(2024, 9, 18)


@pytest.mark.parametrize(
    "text, iso, precision",
    [
        ("On Tuesday, 17 September 2024, gunmen", "2024-09-17", "day"),
        ("on September 17, 2024", "2024-09-17", "day"),
        ("early Tuesday morning", "2024-09-17", "day"),
        ("Tuesday’s operation", "2024-09-17", "day"),
        ("on Wednesday", "2024-09-18", "day"),
        ("yesterday", "2024-09-17", "day"),
        ("By September 18, flights", "2024-09-18", "day"),
        ("on 22 July", "2024-07-22", "day"),
        ("on 25 December", "2023-12-25", "day"),
        ("in July 2023", "2023-07", "month"),
        ("le 17 septembre 2024", "2024-09-17", "day"),
        ("mardi matin", "2024-09-17", "day"),
        ("the 2015 hotel siege", "2015", "year"),
        ("last year", "2023", "year"),
        ("last month", "2024-08", "month"),
        ("le 12/05/2019 à Boulkessi", "2019-05-12", "day"),
        ("on 2019-12-10 at dawn", "2019-12-10", "day"),
        ("the camp was attacked in July", "2024-07", "month"),
        ("sanctions imposed last week", "2024-09-11", "day"),
        ("la semaine dernière", "2024-09-11", "day"),
        ("three days ago", "2024-09-15", "day"),
        ("il y a deux jours", "2024-09-16", "day"),
        ("earlier this month", "2024-09", "month"),
        ("dans la nuit de samedi à dimanche", "2024-09-14", "day"),
        ("the weekend massacre", "2024-09-14", "day"),
    ],
)
def test_resolution(text: str, iso: str, precision: str) -> None:
    found = find_date_mentions(text, WED)
    assert found, text
    assert (found[0].iso, found[0].precision.value) == (iso, precision)


def test_counts_are_not_years() -> None:
    assert find_date_mentions("some 2000 soldiers were deployed", WED) == []


def test_relative_dates_need_a_publication_date() -> None:
    assert find_date_mentions("on Tuesday", None) == []


@pytest.mark.parametrize(
    "page, expected",
    [
        ("Sahel Edition\nPosted On 17 September 2024\nBody text here.", "2024-09-17"),
        ("...\nSep. 18th, 2024\nHeadline\nBody.", "2024-09-18"),
        ("Niamey, 12 December 2019 — Soldiers were killed.", "2019-12-12"),
        ("Publié le 5 mars 2021\nTexte.", "2021-03-05"),
    ],
)
def test_publication_date(page: str, expected: str) -> None:
    found = find_publication_date(page)
    assert found is not None and found[0] == expected


def test_no_publication_date() -> None:
    assert find_publication_date("Gunmen attacked a post on Tuesday, the army said.") is None


def test_a_night_across_two_days_is_dated_by_its_first_and_runs_through_the_second() -> None:
    (night,) = find_date_mentions("dans la nuit de mardi à mercredi", WED)
    assert (night.iso, night.through) == ("2024-09-17", date(2024, 9, 18))
    (overnight,) = find_date_mentions("overnight Saturday to Sunday", WED)
    assert (overnight.iso, overnight.through) == ("2024-09-14", date(2024, 9, 15))


def test_a_weekday_pointing_back_is_no_date_of_its_own() -> None:
    """'ce samedi-là', 'on that Saturday' name the day just told; 'said that Tuesday's attack' is Tuesday."""
    assert find_date_mentions("Ce samedi-là, des hommes armés", WED) == []
    assert find_date_mentions("on that Saturday, gunmen", WED) == []
    assert [d.text for d in find_date_mentions("the group said that Tuesday's attack", WED)] == ["Tuesday's"]


def test_a_yearless_date_takes_the_year_of_the_full_date_before_it() -> None:
    anchor, later = find_date_mentions("On April 7, 2023, X was told to leave; Y answered on April 11.", WED)
    assert (later.iso, anchored(later, anchor, WED).iso) == ("2024-04-11", "2023-04-11")  # type: ignore[union-attr]
    (november,) = find_date_mentions("on 20 November 2022", WED)
    (january,) = find_date_mentions("on 2 January", WED)
    assert anchored(january, november, WED).iso == "2023-01-02"  # type: ignore[union-attr]  # the next January
    assert anchored(later, None, WED) is later


def test_an_offset_counts_days_from_the_date_told_before_it() -> None:
    (anchor,) = find_date_mentions("on 5 March 2023", WED)
    found = find_date_mentions("Six jours plus tard, puis le lendemain", WED, offsets=True)
    assert [d.offset for d in found] == [6, 1]
    assert [anchored(d, anchor, WED).iso for d in found] == ["2023-03-11", "2023-03-06"]  # type: ignore[union-attr]
    assert anchored(found[0], None, WED) is None  # no date to count from: no date at all
    assert find_date_mentions("the next day", WED) == []  # only when asked for


def test_a_night_between_two_dated_days() -> None:
    (night,) = find_date_mentions("dans la nuit du lundi 27 au mardi 28 août", WED)
    assert (night.iso, night.through, night.yearless) == ("2024-08-27", date(2024, 8, 28), True)
    (across,) = find_date_mentions("the night of 31 July to 1 August 2019", WED)
    assert (across.iso, across.through) == ("2019-07-31", date(2019, 8, 1))
