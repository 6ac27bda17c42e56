"""Tokens whose boundaries fall on every annotation boundary, so spans stay exact.

spaCy and Prodigy address spans by token. The tokenizer of a blank English pipeline (the same
rules as ``en_core_web_sm``) splits the text; a token that an annotation starts or ends inside
is split there, and a space an annotation ends on becomes a token of its own. Every span of
the article then maps to whole tokens with its exact character offsets.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import add


@lru_cache(maxsize=1)
def blank_pipeline():
    """A blank English pipeline (tokenizer only), made once per process."""
    import spacy
    return spacy.blank("en")


VOCAB_LIMIT = 200_000  # words the offsets tokenizer keeps before it starts afresh


@lru_cache(maxsize=1)
def _offsets_tokenizer():
    import spacy
    nlp = spacy.blank("en")
    nlp.vocab.lex_attr_getters = {}
    return nlp.tokenizer


def offsets_tokenizer():
    """The tokenizer of a blank English pipeline whose vocabulary computes no lexical
    attributes (norm, shape, affixes, ...): a word's first sight costs less, and token
    boundaries depend on the rules and special cases alone, never on those attributes.

    Its vocabulary and cache grow with every new word; past ``VOCAB_LIMIT`` words a new one
    is made (a tenth of a second), so a long export's memory stays bounded."""
    tokenizer = _offsets_tokenizer()
    if len(tokenizer.vocab) > VOCAB_LIMIT:
        _offsets_tokenizer.cache_clear()
        tokenizer = _offsets_tokenizer()
    return tokenizer


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
    token and each in ``ends`` ends one (a space a span starts on or ends after is a token)."""
    return list(zip(*token_columns(text, starts, ends)))


def token_columns(text: str, starts, ends=()) -> tuple[list[int], list[int], list[bool]]:
    """The starts, ends and space-after flags of ``aligned_tokens``, as three lists.

    The tokenizer's offsets come out as one array; each annotation offset finds its token by
    bisection, and only the few tokens an annotation cuts into (or ends on the space after)
    are looked at one by one."""
    from spacy.attrs import IDX, LENGTH, SPACY
    doc = offsets_tokenizer()(text)
    if not len(doc):
        return [], [], []
    t_start, length, t_ws = doc.to_array([IDX, LENGTH, SPACY]).T.tolist()
    t_end = list(map(add, t_start, length))
    starts, ends = set(starts), set(ends)
    cuts = sorted(c for c in starts | ends if 0 < c < len(text))
    special = set()
    for c in cuts:  # a token an annotation starts or ends inside
        k = bisect_right(t_start, c) - 1
        if k >= 0 and c < t_end[k] and c > t_start[k]:
            special.add(k)
    # a space a span starts on, or ends after, is a token of its own
    for c in {c for c in starts if 0 <= c <= len(text)} | \
             {c - 1 for c in ends if 0 <= c <= len(text)}:
        k = bisect_left(t_end, c)
        if k < len(t_end) and t_end[k] == c and t_ws[k]:
            special.add(k)
    t_ws = list(map(bool, t_ws))
    if not special:
        return t_start, t_end, t_ws
    o_start: list[int] = []
    o_end: list[int] = []
    o_ws: list[bool] = []
    last = 0
    for n in sorted(special):
        o_start += t_start[last:n]
        o_end += t_end[last:n]
        o_ws += t_ws[last:n]
        last = n + 1
        start, end, ws = t_start[n], t_end[n], t_ws[n]
        i = bisect_left(cuts, start + 1)
        while i < len(cuts) and cuts[i] < end:  # split a token an annotation cuts into
            o_start.append(start)
            o_end.append(cuts[i])
            o_ws.append(False)
            start = cuts[i]
            i += 1
        if ws and (end in starts or end + 1 in ends):  # and the space after it
            o_start += (start, end)
            o_end += (end, end + 1)
            o_ws += (False, False)
        else:
            o_start.append(start)
            o_end.append(end)
            o_ws.append(ws)
    return o_start + t_start[last:], o_end + t_end[last:], o_ws + t_ws[last:]


class TokenIndex:
    """Character offsets to token indices for the starts and ends of aligned tokens."""

    def __init__(self, starts: list[int], ends: list[int]):
        self.starts, self.ends = starts, ends

    def span(self, start: int, end: int) -> tuple[int, int]:
        """First and last token (inclusive) of ``[start, end)``; exact or ValueError."""
        i = bisect_left(self.starts, start)
        j = bisect_left(self.ends, end)
        if i >= len(self.starts) or self.starts[i] != start or j >= len(self.ends) \
                or self.ends[j] != end:
            raise ValueError(f"[{start}, {end}) is not on token boundaries")
        return i, j
