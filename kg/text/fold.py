"""Accent and case folding: the one place text is reduced for comparison.

>>> fold("Ségou")
'segou'
>>> name_key("The Groupe de soutien à l’islam")
'groupe de soutien a l islam'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "name_key", "strip_accents"]

_APOSTROPHES = str.maketrans({"\u2019": "'", "`": "'"})
_POSSESSIVE = re.compile(r"'s\b")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LEADING_ARTICLE = re.compile(r"^(the|a|an|l|la|le|les) ")


def strip_accents(text: str) -> str:
    """``text`` without its combining marks (compatibility decomposition first: é → e, ﬁ → fi)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold(text: str) -> str:
    """``text`` without accents or case: what the gazetteer matches tokens on and IRI slugs start from."""
    return strip_accents(text).casefold()


def name_key(text: str | None) -> str:
    """A name reduced for comparison: no case, accents, quotes, possessive 's, punctuation or leading article."""
    if not text:
        return ""
    lowered = strip_accents(text).translate(_APOSTROPHES).casefold()
    words = _NON_ALNUM.sub(" ", _POSSESSIVE.sub("", lowered)).strip()
    return _LEADING_ARTICLE.sub("", words)
