"""Language of a paragraph: English or French, from spaCy's stop-word lists.

The corpus is English with embedded French (posts, quotes) or wholly French;
counting each language's function words is fast, deterministic and needs no
model download.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["detect_language"]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@lru_cache(maxsize=1)
def _stop_words() -> tuple[frozenset[str], frozenset[str]]:
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.fr.stop_words import STOP_WORDS as FR

    shared = EN & FR
    return frozenset(EN - shared), frozenset(FR - shared)


def detect_language(text: str, default: str = "en") -> str:
    """``"fr"`` when French function words outnumber English ones, else ``"en"``."""
    english, french = _stop_words()
    en = fr = 0
    for word in _WORD.findall(text.casefold()):
        head = re.split(r"['’]", word)[0]
        if word in english:
            en += 1
        elif word in french or (head in {"l", "d", "qu", "n", "j", "s", "c"} and word != head):
            fr += 1
    if en == fr:
        return default
    return "fr" if fr > en else "en"
