"""Text span helpers: snap a selection to whole tokens, guess a quote's kind."""
from __future__ import annotations

OPENING = "\"“«„‘'"
CLOSING = "\"”»“’'"
MARKS = set(OPENING) | set(CLOSING)


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch in "'’-_"


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words and trim outer white space; keep touching quote marks."""
    start, end = max(0, min(start, end)), min(len(text), max(start, end))
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    while start > 0 and _wordish(text[start - 1]) and _wordish(text[start]):
        start -= 1
    while end < len(text) and _wordish(text[end]) and _wordish(text[end - 1]):
        end += 1
    if start > 0 and text[start - 1] in OPENING and start < end and text[start] not in MARKS:
        start -= 1  # a quote selected without its opening mark
    if end < len(text) and text[end] in CLOSING and text[end - 1] not in MARKS:
        end += 1
    elif end + 1 < len(text) and text[end] in ",." and text[end + 1] in CLOSING:
        end += 2  # “... we will,” -> keep the comma and the mark
    return start, end


def guess_kind(text: str, start: int, end: int) -> str:
    """direct when the span is inside quote marks, mixed when it contains a quoted part,
    else indirect (reported speech)."""
    span = text[start:end].strip()
    if not span:
        return "indirect"
    if span[0] in OPENING and span[-1] in CLOSING + ",.":
        return "direct"
    if any(c in "“”«»\"" for c in span):
        return "mixed"
    return "indirect"


def find_mention(text: str, name: str, near: int, avoid=()) -> tuple[int, int] | None:
    """The occurrence of ``name`` (else of its last word) nearest to ``near``, outside the
    ``avoid`` spans (the quote's own fragments)."""
    for needle in (name, name.split()[-1] if name.split() else ""):
        if len(needle) < 2:
            continue
        best = None
        start = text.find(needle)
        while start >= 0:
            end = start + len(needle)
            bounded = (start == 0 or not text[start - 1].isalnum()) and \
                (end == len(text) or not text[end].isalnum())
            inside = any(s <= start < e for s, e in avoid)
            if bounded and not inside and (best is None or abs(start - near) < abs(best - near)):
                best = start
            start = text.find(needle, start + 1)
        if best is not None:
            return best, best + len(needle)
    return None
