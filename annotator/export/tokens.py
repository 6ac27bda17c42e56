"""Tokens whose boundaries fall on every annotation boundary, so spans stay exact.

spaCy and Prodigy address spans by token. The tokenizer of a blank English pipeline (the same
rules as ``en_core_web_sm``) splits the text; a token that an annotation starts or ends inside
is split there, and a space an annotation ends on becomes a token of its own. Every span of
the article then maps to whole tokens with its exact character offsets.
"""
from __future__ import annotations

from bisect import bisect_left
from functools import lru_cache

import numpy as np


@lru_cache(maxsize=1)
def blank_pipeline():
    """A blank English pipeline (tokenizer only), made once per process."""
    import spacy
    return spacy.blank("en")


def record_boundaries(record: dict) -> tuple[set[int], set[int]]:
    """The start and the end offsets of an export record's entities and quotes."""
    starts: set[int] = set()
    ends: set[int] = set()
    spans = [(e["start"], e["end"]) for e in record["entities"]]
    for q in record["quotes"]:
        spans.extend((s, e) for s, e in q["fragments"])
        spans.extend((part["start"], part["end"]) for part in (q.get("speaker"), q.get("cue"))
                     if part and part.get("start") is not None)
    for start, end in spans:
        starts.add(start)
        ends.add(end)
    return starts, ends


def aligned_tokens(text: str, starts, ends=()) -> list[tuple[int, int, bool]]:
    """``(start, end, space_after)`` of every token; each offset in ``starts`` begins a
    token and each in ``ends`` ends one (a space a span starts on or ends after is a token).

    The tokenizer's offsets come out as arrays; only the few tokens an annotation cuts into
    (or ends on the space after) are looked at one by one."""
    from spacy.attrs import IDX, LENGTH, SPACY
    doc = blank_pipeline().tokenizer(text)
    if not len(doc):
        return []
    starts, ends = set(starts), set(ends)
    cuts = sorted(c for c in starts | ends if 0 < c < len(text))
    arr = doc.to_array([IDX, LENGTH, SPACY])
    t_start, t_end, t_ws = arr[:, 0], arr[:, 0] + arr[:, 1], arr[:, 2].astype(bool)
    special = np.zeros(len(doc), bool)
    if cuts:
        c = np.array(cuts, dtype=t_start.dtype)
        k = np.searchsorted(t_start, c, side="right") - 1
        inside = (k >= 0) & (c > t_start[np.maximum(k, 0)]) & (c < t_end[np.maximum(k, 0)])
        special[k[inside]] = True
    if starts or ends:  # a space a span starts on or ends after is a token of its own
        begins, finishes = np.zeros(len(text) + 2, bool), np.zeros(len(text) + 2, bool)
        begins[[c for c in starts if 0 <= c <= len(text)]] = True
        finishes[[c for c in ends if 0 <= c <= len(text)]] = True
        special |= t_ws & (begins[t_end] | finishes[t_end + 1])
    plain = list(zip(t_start.tolist(), t_end.tolist(), t_ws.tolist()))
    if not special.any():
        return plain
    tokens: list[tuple[int, int, bool]] = []
    last = 0
    for n in np.flatnonzero(special).tolist():
        tokens.extend(plain[last:n])
        last = n + 1
        start, end, ws = plain[n]
        i = bisect_left(cuts, start + 1)
        while i < len(cuts) and cuts[i] < end:  # split a token an annotation cuts into
            tokens.append((start, cuts[i], False))
            start = cuts[i]
            i += 1
        if ws and (end in starts or end + 1 in ends):
            tokens.append((start, end, False))
            tokens.append((end, end + 1, False))
            continue
        tokens.append((start, end, ws))
    tokens.extend(plain[last:])
    return tokens


class TokenIndex:
    """Character offsets to token indices for one list of aligned tokens."""

    def __init__(self, tokens: list[tuple[int, int, bool]]):
        self.starts = [t[0] for t in tokens]
        self.ends = [t[1] for t in tokens]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """First and last token (inclusive) of ``[start, end)``; exact or ValueError."""
        i = bisect_left(self.starts, start)
        j = bisect_left(self.ends, end)
        if i >= len(self.starts) or self.starts[i] != start or j >= len(self.ends) \
                or self.ends[j] != end:
            raise ValueError(f"[{start}, {end}) is not on token boundaries")
        return i, j
