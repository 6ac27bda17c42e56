"""Convert between Python string offsets (code points, as stored) and Qt's UTF-16 positions."""
from __future__ import annotations

from bisect import bisect_left


class Utf16Map:
    """Offset conversion for one text; cheap when the text has no character beyond the BMP."""

    def __init__(self, text: str):
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        # UTF-16 position of each astral character, to map back
        self._astral16 = [i + n for n, i in enumerate(self._astral)]

    def to_qt(self, index: int) -> int:
        """Code point offset -> UTF-16 offset."""
        return index + bisect_left(self._astral, index)

    def from_qt(self, pos: int) -> int:
        """UTF-16 offset -> code point offset (a position inside a surrogate pair rounds down)."""
        n = bisect_left(self._astral16, pos)
        if n and pos == self._astral16[n - 1] + 1:  # between the two halves of a pair
            return self._astral[n - 1]
        return pos - n


def utf16_length(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)

