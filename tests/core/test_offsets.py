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


def test_windows_line_breaks_and_a_leading_bom_follow_qt(qapp):
    """Qt's plain-text document counts "\\r\\n" as one position and drops a leading BOM."""
    from PySide6.QtWidgets import QPlainTextEdit
    view = QPlainTextEdit()
    for text in ["one\r\ntwo 🎉\r\n\r\nthree", "\ufeffBOM first\r\nline", "lone\rcr\nlf",
                 "x\u2028y\r\n🙂\u05d0\u0301z"]:
        view.setPlainText(text)
        doc = view.document()
        m = Utf16Map(text)
        units = [ord(doc.characterAt(i)) for i in range(doc.characterCount() - 1)]
        for i, ch in enumerate(text):
            if ch == "\ufeff" and i == 0 or (ch == "\n" and i and text[i - 1] == "\r"):
                continue
            q = m.to_qt(i)
            raw = ("\u2029" if ch in "\r\n" else ch).encode("utf-16-le")
            expected = [int.from_bytes(raw[k:k + 2], "little") for k in range(0, len(raw), 2)]
            assert units[q:q + len(expected)] == expected, (text, i, ch)
        assert m.to_qt(len(text)) == len(units)
        for i in range(len(text) + 1):
            back = m.from_qt(m.to_qt(i))
            assert m.to_qt(back) == m.to_qt(i) and back >= i


def test_java_offsets_count_utf16_units_and_keep_line_breaks():
    from annotator.offsets import JavaOffsets
    text = "a😀b\r\nc🇮🇱d"
    java = JavaOffsets(text)
    for i in range(len(text) + 1):
        units = len(text[:i].encode("utf-16-le")) // 2
        assert java.to_java(i) == units
        assert java.to_python(units) == i
    assert java.to_python(2) is None  # inside the surrogate pair of 😀
    assert java.to_python(len(text.encode("utf-16-le")) // 2 + 1) is None  # past the end
