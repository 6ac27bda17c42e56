"""Search words found in the text as the article list's full-text search matched them."""
import pytest

from annotator.editing.search_hits import search_hits

TEXT = "Aluminium tariffs: Müller said ALUMINIUM prices, not aluminum, rose. Mullerton 🎉 alum"


def words(search):
    return [TEXT[s:e] for s, e in search_hits(TEXT, search)]


@pytest.mark.parametrize("search, found", [
    ("aluminium", ["Aluminium", "ALUMINIUM"]),
    ("alum", ["Aluminium", "ALUMINIUM", "aluminum", "alum"]),      # the last word: a prefix
    ("muller tariffs", ["tariffs", "Müller"]),                   # any order, accents folded
    ("mull tariffs", ["tariffs"]),                               # earlier words: whole words
    ("", []), ("  ,; ", []),
])
def test_hits(search, found):
    assert sorted(words(search)) == sorted(found)


def test_offsets_are_code_points_after_an_emoji():
    (span,) = [h for h in search_hits(TEXT, "alum") if h[0] > TEXT.index("🎉")]
    assert TEXT[span[0]:span[1]] == "alum"
