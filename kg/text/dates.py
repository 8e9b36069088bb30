"""Dates in text: publication datelines, and event dates resolved against the publication date.

Every resolved date carries its precision (``day``, ``month`` or ``year``), so
"on Tuesday" in an article of Wednesday 18 September 2024 becomes 2024-09-17
(day), "in July 2023" 2023-07 (month) and "the 2015 siege" 2015 (year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import Enum

__all__ = ["DateMention", "Precision", "anchored", "find_date_mentions", "find_publication_date"]


class Precision(str, Enum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text, resolved."""

    start: int
    end: int
    text: str
    value: date
    precision: Precision
    relative: bool
    through: date | None = None  # the last day of a span ('dans la nuit de mardi à mercredi': mercredi)
    yearless: bool = False  # a day or month written without its year ('on April 11', 'en mars')
    offset: int | None = None  # days after the date told before it ('the next day': 1, 'la veille': -1)

    @property
    def iso(self) -> str:
        """The date written at its precision: 2024-09-17, 2024-09 or 2024."""
        if self.precision is Precision.DAY:
            return self.value.isoformat()
        if self.precision is Precision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return f"{self.value.year:04d}"


MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "lundi": 0,
    "mardi": 1,
    "mercredi": 2,
    "jeudi": 3,
    "vendredi": 4,
    "samedi": 5,
    "dimanche": 6,
}
_SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_ANY_WEEKDAY = r"(?:" + "|".join(WEEKDAYS) + r")"
_MONTH_NAME = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # a night across two dated days: 'dans la nuit du lundi 27 au mardi 28 août', 'the night of 27 to 28 August'
    (
        "night_dm",
        re.compile(
            rf"\b(?:nuit\s+(?:du|de)|night\s+(?:of|from))\s+(?:{_ANY_WEEKDAY}\s+)?(?P<day1>[0-3]?\d)(?:er|st|nd|rd|th)?"
            rf"(?:\s+(?P<month1>{_MONTH_NAME}))?\s+(?:au|à|to|into)\s+(?:{_ANY_WEEKDAY}\s+)?{_DAY}\s+{_MONTH}"
            rf"(?:\s+{_YEAR})?\b",
            re.IGNORECASE,
        ),
    ),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("numeric", re.compile(r"\b(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>(?:19|20)\d\d)\b")),
    ("dmy", re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{_DAY}\s+{_MONTH}\s*,?\s+{_YEAR}\b", re.IGNORECASE)),
    ("mdy", re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)),
    ("dm", re.compile(rf"\b(?:{_WEEKDAY},?\s+)?{_DAY}\s+{_MONTH}(?!\s*,?\s*(?:19|20)\d\d)\b", re.IGNORECASE)),
    ("md", re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*,?\s*(?:19|20)\d\d)(?!\d)", re.IGNORECASE)),
    ("my", re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.IGNORECASE)),
    # a month alone, after a preposition ("in July", "en juillet"); abbreviations and "may" are too ambiguous
    (
        "m",
        re.compile(
            r"\b(?:in|since|until|by|last|en|depuis|fin|début|mi-)\s+(?P<month>"
            + "|".join(sorted((m for m in MONTHS if len(m) > 3), key=len, reverse=True))
            + r")\b(?!\s+\d)",
            re.IGNORECASE,
        ),
    ),
    # a night across two days: 'dans la nuit de samedi à dimanche', 'overnight Saturday to Sunday',
    # 'the night of Saturday to Sunday'; dated by its first day, through the second
    (
        "night",
        re.compile(
            rf"\b(?:nuit\s+(?:du|de)|overnight(?:\s+from)?|night\s+(?:of|from))\s+{_WEEKDAY}"
            rf"(?:\s+[0-3]?\d)?\s+(?:au|à|to|into)\s+(?P<weekday2>{'|'.join(WEEKDAYS)})\b",
            re.IGNORECASE,
        ),
    ),
    (
        "weekend",
        re.compile(
            r"\b(?:(?:the|this|last|at the|over the)\s+weekend(?:['’]s)?|(?:ce|le)\s+week-end(?:\s+dernier)?)\b",
            re.IGNORECASE,
        ),
    ),
    ("weekday", re.compile(rf"\b{_WEEKDAY}(?:['’]s)?\b", re.IGNORECASE)),
    (
        "today",
        re.compile(
            r"\b(today|this morning|this afternoon|this evening|tonight|earlier today"
            r"|aujourd['’]hui|ce matin|cet après-midi|ce soir)\b",
            re.IGNORECASE,
        ),
    ),
    ("yesterday", re.compile(r"\b(yesterday|last night|hier)\b", re.IGNORECASE)),
    (
        "days_ago",
        re.compile(
            r"\b(?P<n>\d{1,2}|two|three|four|five|six|deux|trois|quatre|cinq|six)\s+days?\s+ago\b"
            r"|\bil y a\s+(?P<n_fr>\d{1,2}|deux|trois|quatre|cinq|six)\s+jours\b",
            re.IGNORECASE,
        ),
    ),
    ("last_week", re.compile(r"\b(last week|la semaine dernière|la semaine passée)\b", re.IGNORECASE)),
    ("this_month", re.compile(r"\b(earlier this month|this month|ce mois-ci|plus tôt ce mois)\b", re.IGNORECASE)),
    ("last_month", re.compile(r"\b(last month|le mois dernier)\b", re.IGNORECASE)),
    ("last_year", re.compile(r"\b(last year|l['’]an dernier|l['’]année dernière)\b", re.IGNORECASE)),
    ("year", re.compile(rf"\b{_YEAR}\b")),
]
# days counted from the date told just before: resolved by `anchored`, found only when asked for
_OFFSET = re.compile(
    r"\b(?:(?P<next>the (?:next|following) (?:day|morning|evening)|the day after|a day later|le lendemain)"
    r"|(?P<after2>le surlendemain)|(?P<before>the (?:day before|previous day|eve)|la veille)"
    r"|(?P<week>a week later|une semaine plus tard)"
    r"|(?P<n>\d{1,2}|two|three|four|five|six|deux|trois|quatre|cinq|six)\s+(?:days\s+later|jours\s+plus\s+tard))\b",
    re.IGNORECASE,
)

_PUBLISHED_LINE = re.compile(
    r"^\s*(?:posted|published|updated|publié|mis à jour)\s*(?:on|le)?\s*:?\s*(?P<rest>.+)$", re.IGNORECASE
)
_DATELINE = re.compile(r"^\s*[A-ZÀ-Ý][\w' -]{1,40},\s*(?P<rest>.{6,40}?)\s*[—–-]{1,2}\s")


def _build(kind: str, m: re.Match[str], published: date | None) -> tuple[date, Precision, bool] | None:
    groups = m.groupdict()
    today = published
    try:
        if kind == "night_dm":
            return _night(groups, today)
        if kind in {"dmy", "mdy"}:
            return date(int(groups["year"]), MONTHS[groups["month"].lower()], int(groups["day"])), Precision.DAY, False
        if kind in {"iso", "numeric"}:  # numeric dates are day/month/year, as the region's press writes them
            return date(int(groups["year"]), int(groups["month"]), int(groups["day"])), Precision.DAY, False
        if kind in {"dm", "md"} and today is not None:
            value = date(today.year, MONTHS[groups["month"].lower()], int(groups["day"]))
            if value > today + timedelta(days=1):
                value = value.replace(year=today.year - 1)
            return value, Precision.DAY, True
        if kind == "my":
            return date(int(groups["year"]), MONTHS[groups["month"].lower()], 1), Precision.MONTH, False
        if kind == "m" and today is not None:
            month = MONTHS[groups["month"].lower()]
            year = today.year if month <= today.month else today.year - 1
            return date(year, month, 1), Precision.MONTH, True
    except ValueError:
        return None
    if kind == "year":
        return date(int(groups["year"]), 1, 1), Precision.YEAR, False
    if today is None:
        return None
    if kind in {"weekday", "night"}:
        back = (today.weekday() - WEEKDAYS[groups["weekday"].lower()]) % 7
        if kind == "night" and back == 0:
            back = 7  # the night into today began yesterday at the latest: a week back if it names today
        return today - timedelta(days=back), Precision.DAY, True
    if kind == "weekend":  # the last Saturday before the publication day, through the Sunday
        back = (today.weekday() - 5) % 7 or 7
        return today - timedelta(days=back), Precision.DAY, True
    if kind == "today":
        return today, Precision.DAY, True
    if kind == "yesterday":
        return today - timedelta(days=1), Precision.DAY, True
    if kind == "days_ago":
        word = (groups.get("n") or groups.get("n_fr") or "").lower()
        return today - timedelta(days=int(word) if word.isdigit() else _SMALL_NUMBERS[word]), Precision.DAY, True
    if kind == "last_week":  # the day a week before: right at month precision, and often at day precision
        return today - timedelta(days=7), Precision.DAY, True
    if kind == "this_month":
        return today.replace(day=1), Precision.MONTH, True
    if kind == "last_month":
        first = today.replace(day=1) - timedelta(days=1)
        return first.replace(day=1), Precision.MONTH, True
    if kind == "last_year":
        return date(today.year - 1, 1, 1), Precision.YEAR, True
    return None


def _night(groups: dict[str, str], today: date | None) -> tuple[date, Precision, bool] | None:
    """The first day of 'la nuit du 31 juillet au 1er août' / 'du 27 au 28 août' (a day later than the second
    is in the month before), in the year written, else the latest such day not after publication."""
    month = MONTHS[groups["month"].lower().rstrip(".")]
    day1, day2 = int(groups["day1"]), int(groups["day"])
    first_month = MONTHS[groups["month1"].lower().rstrip(".")] if groups.get("month1") else month
    if not groups.get("month1") and day1 > day2:
        first_month = month - 1 or 12
    if groups.get("year"):
        year = int(groups["year"]) - (first_month > month)
        return date(year, first_month, day1), Precision.DAY, False
    if today is None:
        return None
    value = date(today.year - (first_month > month), first_month, day1)
    if value > today:
        value = value.replace(year=value.year - 1)
    return value, Precision.DAY, True


def find_date_mentions(text: str, published: date | None, *, offsets: bool = False) -> list[DateMention]:
    """Date expressions in ``text``, longest first where they overlap, in text order. With ``offsets``, also
    the days counted from a date told before ('the next day'), valued as the publication date until
    `anchored` resolves them."""
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    if offsets and published is not None:
        for m in _OFFSET.finditer(text):
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), m.group(0), published, Precision.DAY, True, offset=_days(m)))
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if kind == "year" and _looks_like_count(text, m.start(), m.end()):
                continue
            if kind == "weekday" and _anaphoric(text, m.start(), m.end()):
                continue
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            built = _build(kind, m, published)
            if built is None:
                continue
            taken.append((m.start(), m.end()))
            through = built[0] + timedelta(days=1) if kind in {"night", "night_dm", "weekend"} else None
            yearless = kind in {"dm", "md", "m"} or (kind == "night_dm" and not m.group("year"))
            found.append(DateMention(m.start(), m.end(), m.group(0), *built, through=through, yearless=yearless))
    return sorted(found, key=lambda d: d.start)


def _days(m: re.Match[str]) -> int:
    """The days an offset counts: 'the next day' 1, 'la veille' -1, 'six days later' 6."""
    if m.group("next"):
        return 1
    if m.group("after2"):
        return 2
    if m.group("before"):
        return -1
    if m.group("week"):
        return 7
    word = m.group("n").lower()
    return int(word) if word.isdigit() else _SMALL_NUMBERS[word]


def anchored(mention: DateMention, anchor: DateMention | None, published: date | None) -> DateMention | None:
    """A mention read from the date told just before it (the anchor).

    An offset counts its days from the anchor ('On March 5, … Six days later' is March 11), and is None with
    no anchor of day precision. A yearless date takes the anchor's year: 'On April 7, 2023, X … Y answered on
    April 11' is 2023-04-11, the first April 11 on or after the anchor, unless that is later than the
    publication date (then the mention stays as resolved from the publication date)."""
    if mention.offset is not None:
        if anchor is None or anchor.precision is not Precision.DAY:
            return None
        value = anchor.value + timedelta(days=mention.offset)
        return replace(mention, value=value) if published is None or value <= published else None
    if not mention.yearless or anchor is None or anchor.yearless or anchor.precision is Precision.YEAR:
        return mention
    try:
        value = mention.value.replace(year=anchor.value.year)
        if value < anchor.value.replace(day=1) if mention.precision is Precision.MONTH else value < anchor.value:
            value = value.replace(year=anchor.value.year + 1)
    except ValueError:  # 29 February
        return mention
    if value == mention.value or (published is not None and value > published + timedelta(days=1)):
        return mention
    through = mention.through + (value - mention.value) if mention.through is not None else None
    return replace(mention, value=value, through=through)


def _anaphoric(text: str, start: int, end: int) -> bool:
    """'on that Saturday', 'ce samedi-là': the day of the event just told, not a day counted from publication
    ('claimed that Tuesday's attack' is not one)."""
    return text[end : end + 3] in {"-là", "-la"} or bool(
        re.search(r"\b(on that|that same|the same)\s+$", text[:start], re.IGNORECASE)
    )


def _looks_like_count(text: str, start: int, end: int) -> bool:
    """'2000 soldiers' is a number, not a year."""
    after = text[end : end + 12].lower()
    return bool(re.match(r"\s+(people|soldiers|troops|men|fighters|civilians|km|kilomet|personnes|soldats)", after))


def find_publication_date(raw: str) -> tuple[str, str] | None:
    """A publication date written in the page ("Posted On …", a dateline, a date line), with its basis."""
    lines = [line for line in raw.splitlines() if line.strip()][:12]
    for line in lines:
        for regex, label in ((_PUBLISHED_LINE, "'{}' in the text"), (_DATELINE, "dateline '{}'")):
            m = regex.match(line)
            if m:
                dates = [d for d in find_date_mentions(m.group("rest"), None) if d.precision is Precision.DAY]
                if dates:
                    return dates[0].value.isoformat(), label.format(line.strip()[:60])
        stripped = line.strip()
        dates = find_date_mentions(stripped, None)
        if dates and dates[0].precision is Precision.DAY and len(dates[0].text) >= len(stripped) - 3:
            return dates[0].value.isoformat(), f"date line '{stripped}' in the text"
    return None
