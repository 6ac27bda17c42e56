"""A quote suggestion, and the small text helpers the rules share."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from annotator.nlp.suggest.reported import Cue


@dataclass
class Suggestion:
    """A proposed quote: fragments (offsets into the text), kind, cue, speaker, confidence."""
    fragments: list[tuple[int, int]]
    kind: str = "direct"
    cue: tuple[int, int] | None = None
    mention: tuple[int, int] | None = None
    speaker: str | None = None
    speaker_kind: str | None = None
    role: str | None = None
    organisation: str | None = None
    confidence: float = 0.5
    how: list[str] = field(default_factory=list)   # which rules made it (for tests and tuning)
    cue_obj: Cue | None = field(default=None, repr=False)
    inherited: bool = field(default=False, repr=False)

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


class Paragraphs:
    """Paragraph numbers of offsets (a paragraph ends at one or more line breaks)."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer(r"(?:\r?\n)+", text)]

    def of(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1


def overlap(a0, a1, b0, b1) -> int:
    """Characters shared by [a0, a1) and [b0, b1)."""
    return max(0, min(a1, b1) - max(a0, b0))


HEADLINE_MAX_WORDS = 20
SENTENCE_END = tuple(".!?:;\"”’»)…")


def headline(text: str, pos: int) -> bool:
    """The line holding ``pos`` is a headline: a short line with more text after it that
    does not end like a sentence (``Minister calls for new talks``)."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    if end < 0 or not text[end:].strip():
        return False
    line = text[start:end].strip()
    return bool(line) and not line.endswith(SENTENCE_END) and \
        len(line.split()) <= HEADLINE_MAX_WORDS
