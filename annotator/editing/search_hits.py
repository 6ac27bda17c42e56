"""Where the article list's search words occur in an article's text, as the list matched
them (``desk._fts_query``, SQLite FTS5's unicode61 tokenizer): whole words, any case, any
accents, the last word as a prefix. Offsets are code points, like every span."""
from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"\w+")


def fold(word: str) -> str:
    """Lower case without accents (``Müller`` -> ``muller``)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_hits(text: str, search: str | None) -> list[tuple[int, int]]:
    """Every word of ``text`` that one of the search's words matches, in text order."""
    words = [fold(w) for w in WORD.findall(search or "")]
    if not words:
        return []
    whole, prefix = set(words[:-1]), words[-1]
    return [m.span() for m in WORD.finditer(text)
            if (f := fold(m.group())) in whole or f.startswith(prefix)]
