"""Convert between Python string offsets (code points, as stored) and Qt's positions.

Qt counts UTF-16 code units (a character beyond the BMP, such as an emoji, is two), and a
plain-text document also turns each Windows line break "\\r\\n" into one paragraph separator
and drops a byte order mark at the very start. ``Utf16Map`` accounts for all three, so a
position in the view always names the same character as the stored offset.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate


class Utf16Map:
    """Offset conversion for one text; the identity (and free) for plain BMP text."""

    def __init__(self, text: str):
        self.length = len(text)
        events = []  # (index, delta): the delta applies to every offset after ``index``
        if text.startswith("\ufeff"):
            events.append((0, -1))
        if any(ord(ch) > 0xFFFF for ch in text):
            events += [(i, 1) for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        if "\r\n" in text:
            start = text.find("\r\n")
            while start >= 0:
                events.append((start + 1, -1))  # the "\n" of "\r\n" has no position in Qt
                start = text.find("\r\n", start + 2)
        events.sort()
        self._index = [i for i, _ in events]
        self._delta = [0, *accumulate(d for _, d in events)]

    def to_qt(self, index: int) -> int:
        """Code point offset -> Qt position."""
        if not self._index:
            return index
        return index + self._delta[bisect_left(self._index, index)]

    def from_qt(self, pos: int) -> int:
        """Qt position -> code point offset: the last offset at or before ``pos`` (a position
        inside a surrogate pair rounds down; one at a line start is after the "\\r\\n")."""
        if not self._index:
            return pos
        return last_at_or_before(self.to_qt, pos, self.length)


def utf16_length(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def last_at_or_before(to_units, units: int, length: int) -> int:
    """The largest code point offset ``i`` in ``0..length`` with ``to_units(i) <= units`` (0
    when none): ``to_units`` is a non-decreasing offset map."""
    return max(0, bisect_right(range(length + 1), units, key=to_units) - 1)


class JavaOffsets:
    """Offsets in UTF-16 code units (Java ``String`` indices, as DNA stores them) <-> Python
    code point offsets, for one text. Unlike ``Utf16Map`` nothing is dropped: "\\r\\n" is two."""

    def __init__(self, text: str):
        self.length = len(text)
        self._wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def to_java(self, index: int) -> int:
        """Code point offset -> UTF-16 offset."""
        return index + bisect_left(self._wide, index)

    def to_python(self, unit: int) -> int | None:
        """UTF-16 offset -> code point offset; None inside a surrogate pair or past the end."""
        lo = last_at_or_before(self.to_java, unit, self.length)
        return lo if self.to_java(lo) == unit else None
