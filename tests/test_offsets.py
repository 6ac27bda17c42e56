"""Code point offsets (stored) against Qt's UTF-16 positions."""
from annotator.offsets import Utf16Map, utf16_length

TEXTS = ["plain ascii", "emoji 🎉 and 💧 twice", "e\u0301 combining, عربى right-to-left",
         "🎉🎉🎉", "", "mixed 𝔘 math 🙂 and עברית"]


def test_round_trip_every_offset():
    for text in TEXTS:
        m = Utf16Map(text)
        for i in range(len(text) + 1):
            qt = m.to_qt(i)
            assert qt == len(text[:i].encode("utf-16-le")) // 2
            assert m.from_qt(qt) == i
        assert utf16_length(text) == len(text.encode("utf-16-le")) // 2


def test_inside_a_surrogate_pair_rounds_down():
    m = Utf16Map("a🎉b")
    assert m.from_qt(2) == 1  # between the two halves of 🎉
    assert m.from_qt(3) == 2
