"""Quoted words that no speech cue introduces: the verb whose object holds them, as a cue
with that object as content (a mixed quote: ``pounding Trump as a "con artist"``), or the verb
whose clausal complement holds them (``a report found that [... "the drug trade"]``)."""
from __future__ import annotations

from annotator.nlp.suggest.mentions import doc_text
from annotator.nlp.suggest.reported import COPULAS, Cue, subject_of, subtree_span, trim_span


def governing_cue(doc, start: int, end: int, title: bool = False) -> Cue | None:
    """The verb whose object holds the quoted words at [start, end), as a cue with that
    object as content (a mixed quote), when the verb has a subject outside the quote. The
    marks may hang apart from the words they quote, except around a title in capitals
    (``watched “The Lord of the Rings”`` is no quote; ``typed “acute insomnia.”`` is one)."""
    opened = doc_text(doc)[start:end]
    begin = start if title else start + len(opened) - len(opened.lstrip(" \"“‘'«„"))
    inner = start + len(opened.rstrip(" \"”’'».,;:!?"))  # '...activities."'
    for stop in (end, inner):    # the closing mark may hang on another clause's verb
        cue = _governing(doc, start, stop, begin, inner, end)
        if cue is not None:
            return cue
    return None


def _governing(doc, start: int, stop: int, begin: int, inner: int, end: int) -> Cue | None:
    span = doc.char_span(start, max(stop, start + 1), alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    for _ in range(8):   # up to the first verb before the quote that is not a copula
        if tok.pos_ in ("VERB", "AUX") and tok.idx < start and tok.lemma_ not in COPULAS:
            break
        if tok.head == tok:
            return None
        tok = tok.head
    else:
        return None
    if tok.pos_ not in ("VERB", "AUX") or tok.idx >= start or tok.lemma_ in COPULAS:
        return None
    right = [c for c in tok.children if c.i > tok.i and c.dep_ not in (
        "punct", "cc", "conj", "advcl", "mark", "npadvmod")]
    holder = next((c for c in right if c.left_edge.idx <= begin and
                   inner <= c.right_edge.idx + len(c.right_edge)), None)
    if holder is None or not right:
        return None
    first = min(c.left_edge.idx for c in right if c.i <= holder.i)
    tail = [c for c in right if c.i >= holder.i and (c is holder or c.dep_ == "prep")]
    last = max(c.right_edge for c in tail)
    text = doc_text(doc)
    aside = next((t.left_edge for t in doc[holder.i:last.i + 1] if t.dep_ == "relcl" and
                  t.left_edge.idx >= end and "," in text[inner:t.left_edge.idx]), None)
    if aside is not None:    # 'the “War On Drugs,” which ...': the quote ends before
        last = doc[aside.i - 1]
    content = trim_span(text, first, last.idx + len(last))
    outer = _attributing(tok, start)
    if outer is not None:
        return outer
    subject = subject_of(tok)
    if subject is None:
        return None
    return Cue(tok.idx, tok.idx + len(tok), tok, subject, (content[0], max(content[1], end)))


def _attributing(tok, start: int) -> Cue | None:
    """The verb whose clausal complement holds ``tok`` (``a report found that [... "the drug
    trade"]``), with a subject of its own before the quote: that clause is the quote."""
    for anc in [tok] + list(tok.ancestors):
        head = anc.head
        if anc.dep_ == "ccomp" and head.pos_ in ("VERB", "AUX") and head.idx < start and \
                head.i < anc.left_edge.i and head.lemma_ not in COPULAS:
            subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
            if subject is None:
                return None
            cs, ce = subtree_span(anc)
            mark = next((c for c in anc.children if c.dep_ == "mark" and c.lower_ == "that"),
                        None)
            if mark is not None and mark.i == anc.left_edge.i:
                cs = mark.idx + len(mark)
            return Cue(head.idx, head.idx + len(head), head, subject,
                       trim_span(doc_text(tok.doc), cs, ce))
    return None
