"""People's names compared: two spellings of one first name, a name's parts (pure functions,
shared by the suggestions' speaker matching and the desk's speaker resolution)."""
from __future__ import annotations

import unicodedata


def fold(word: str) -> str:
    """Lower case without accents (``Sérgei`` → ``sergei``)."""
    word = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in word if not unicodedata.combining(c))


def distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def similar_first_names(a: str, b: str) -> bool:
    """Two spellings of one first name (not two different names)."""
    a, b = fold(a).rstrip("."), fold(b).rstrip(".")
    if a == b:
        return True
    if min(len(a), len(b)) < 3:
        return False
    return distance(a, b) <= max(1, min(len(a), len(b)) // 3)


SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def name_parts(name: str) -> tuple[str, list[str], str, str] | None:
    """(first, middles, last, suffix) of a person's name (suffix: ``jr`` or ``""``); None when
    ``name`` does not look like a name (one word, a phrase in lower case, a comma)."""
    words = name.split()
    suffix = ""
    while words and words[-1].lower() in SUFFIXES:
        suffix = words.pop().lower().rstrip(".") + suffix
    if not 2 <= len(words) <= 4 or "," in name or not all(w[0].isupper() for w in words):
        return None
    return words[0], words[1:-1], words[-1], suffix


def middles_agree(a: list[str], b: list[str]) -> bool:
    """``H.W.`` and ``W.`` are two people; a middle name on one side only is no evidence."""
    if not a or not b:
        return True
    x, y = fold(a[0]).rstrip("."), fold(b[0]).rstrip(".")
    return x.startswith(y) or y.startswith(x)


def same_person_spelling(name: str, other: str) -> bool:
    """``other`` may be another spelling of ``name``: same surname, first names spelt alike,
    middle names that do not contradict each other, the same suffix."""
    mine, theirs = name_parts(name), name_parts(other)
    if mine is None or theirs is None or other.lower() == name.lower():
        return False
    first, middles, last, suffix = mine
    return fold(theirs[2]) == fold(last) and similar_first_names(theirs[0], first) and \
        middles_agree(theirs[1], middles) and theirs[3] == suffix  # Trump is not Trump Jr.
