"""Direct quotes with their cues: the nearest cue of the quote's sentence, the colon form
(``X said: "..."`` and ``X scolded him: "..."``), dash credits (``"..." ― Name``), quotes
split by their cue (one quote, several fragments), and quotes with no cue of their own.

Also which marked spans count as direct quotes besides the quote-shaped ones: a short quote
that opens its sentence (``"I would," she said``) and the short tail of a split quote; and
which do not stand alone: a few words in lower case in mid-sentence, a title in capitals.
"""
from __future__ import annotations

import re

from annotator.nlp.suggest.quote_marks import QuoteSpan
from annotator.nlp.suggest.reported import COPULAS, DEFAULT_SPEECH_VERBS, Cue, subject_of
from annotator.nlp.suggest.mentions import doc_text, ents_in
from annotator.nlp.suggest.suggestion import Paragraphs, Suggestion

MAX_CUE_DISTANCE = 200
DASH_CREDIT = re.compile(r"[ \t\u00a0]*([―—–]|--)[ \t\u00a0]*([^\n―—–]{2,80}?)[ \t.]*(?=\n|$)")
OPENING = "\"“«„"
GOES_ON = frozenset({"go", "cite", "refer", "turn", "move", "contrast", "compare"})
WHOLE_SENTENCE = 8   # words of a quoted sentence that stands as a quote after a comma
SMALL_WORDS = ("a", "an", "the", "of", "and", "with", "in", "on", "for", "to")


def nearest_cue(q: QuoteSpan, cues: list[Cue], paras: Paragraphs, doc) -> Cue | None:
    """The closest cue in the quote's sentences and paragraph, outside the quote."""
    first = doc.char_span(q.start, q.start + 1, alignment_mode="expand")
    last = doc.char_span(max(q.start, q.end - 1), q.end, alignment_mode="expand")
    if first is None or last is None:
        return None
    lo, hi = first.sent.start_char, last.sent.end_char
    text = doc_text(doc)
    after = hi
    if last.sent.end < len(doc) and not text[q.end:last.sent.end_char].strip():
        after = doc[last.sent.end].sent.end_char   # '"...?" Vitter demanded.': the parse cut
    prev = doc[first.sent.start - 1].sent if first.sent.start > 0 else None
    if prev is not None and doc_text(doc)[prev.start_char:q.start].rstrip().endswith(":"):
        lo = prev.start_char
    p_lo, p_hi = paras.of(q.start), paras.of(max(q.start, q.end - 1))
    best, best_d = None, MAX_CUE_DISTANCE + 1
    for c in cues:
        if not (lo <= c.start < after) or q.start <= c.start < q.end:
            continue
        if c.start >= hi and any(m in text[c.end:after] for m in OPENING):
            continue     # that sentence's cue has a quote of its own: 'To which she said, "..."'
        if not (p_lo <= paras.of(c.start) <= p_hi):
            continue
        if c.start >= q.end and _under_clause(c, q.end):
            continue     # '"...," Blige sings to Clinton before asking her': sings, not asking
        d = q.start - c.end if c.end <= q.start else c.start - q.end
        if d < best_d:
            best, best_d = c, d
    return best


def _under_clause(c: Cue, after: int) -> bool:
    """The cue hangs on another verb with a subject of its own between ``after`` and the
    cue (``X sings ... before asking``, ``X left, saying``): that verb's clause is what
    follows the quote, not the cue."""
    tok = c.token
    while tok.head != tok and tok.dep_ != "conj":   # "X smiled and said": X said
        tok = tok.head
        if after <= tok.idx < c.start and tok.pos_ in ("VERB", "AUX") and \
                any(g.dep_ in ("nsubj", "nsubjpass") for g in tok.children):
            return True
    return False


def short_sentence(text: str, q: QuoteSpan) -> bool:
    """A short quote that opens its sentence and ends like speech: ``“I would,” she said``."""
    inner = text[q.start + 1:q.end - 1].strip()
    before = text[max(0, q.start - 3):q.start].strip()
    return q.closed and bool(inner) and inner[0].isupper() and inner[-1] in ",!?" and \
        (not before or before[-1] in ".!?:\n\"”")


def split_tail(text: str, q: QuoteSpan) -> bool:
    """A few words closing a split quote: ``"...," she said, "not now."``."""
    inner = text[q.start + 1:q.end - 1].rstrip()
    return q.closed and text[:q.start].rstrip().endswith(",") and inner[-1:] in ".!?…"


def name_in_sentence(text: str, q: QuoteSpan) -> bool:
    """A title or name in capitals in the middle of a sentence: ``on “Shark Tank.”``."""
    before = text[max(0, q.start - 3):q.start].strip()
    if not before or before[-1] in ".!?:\n\"”'’":
        return False
    words = re.findall(r"[^\W_]+", text[q.start:q.end])
    caps = [w for w in words if w.lower() not in SMALL_WORDS]
    return len(words) <= 8 and all(w[0].isupper() for w in caps)


def fragment(text: str, q: QuoteSpan) -> bool:
    """A quote that starts in lower case in the middle of a sentence (a few quoted words)."""
    first = next((ch for ch in text[q.start + 1:q.end] if ch.isalpha()), "")
    if not first or first.isupper():
        return False
    if _whole_sentence(text, q) and text[:q.start].rstrip().endswith(","):
        return False     # 'because to her, “there’s nothing more ... right.”': a sentence
    before = text[max(0, q.start - 3):q.start].strip()
    return bool(before) and before[-1] not in ".!?:\n\"”’»"


def _whole_sentence(text: str, q: QuoteSpan) -> bool:
    """``WHOLE_SENTENCE`` words or more, ending as a sentence ends inside the marks."""
    inner = text[q.start + 1:q.end].rstrip(" \"”’'»")
    return inner[-1:] in (".", "!", "?") and len(re.findall(r"\w+", inner)) >= WHOLE_SENTENCE


def quoted_predicate(doc, q: QuoteSpan) -> bool:
    """A quoted sentence whose subject stands just before the marks (``lawyers from
    representing cases if they “participated personally and ... employee.”``): a quote,
    though it starts in lower case in mid-sentence."""
    if not _whole_sentence(doc_text(doc), q):
        return False
    before = doc.char_span(0, q.start, alignment_mode="contract")
    if before is None or not len(before):
        return False
    subject = before[-1]
    return subject.dep_ in ("nsubj", "nsubjpass") and q.start < subject.head.idx < q.end


def _colon_verb(doc, q: QuoteSpan) -> Cue | None:
    """``X scolded him: "..."``: a quote after a colon takes the verb before the colon as its
    cue, speech verb or not, when that verb has a subject."""
    text = doc_text(doc)
    before = text[max(0, q.start - 3):q.start].rstrip()
    if not before.endswith(":"):
        return None
    colon = text.rfind(":", 0, q.start)
    span = doc.char_span(colon, colon + 1, alignment_mode="expand")
    if span is None:
        return None
    sent = span[0].sent
    verbs = [t for t in sent if t.pos_ == "VERB" and t.idx < colon and
             t.lemma_ not in COPULAS and subject_of(t) is not None]
    if not verbs:
        return None
    verb = min(verbs, key=lambda t: (t.dep_ != "ROOT", colon - t.idx))
    return Cue(verb.idx, verb.idx + len(verb), verb, subject_of(verb), None, "colon")


def _dash_credit(text: str, q: QuoteSpan):
    """``“...” ― Name`` at the end of a paragraph: the dash is the cue, the name the speaker."""
    m = DASH_CREDIT.match(text, q.end)
    if not m:
        return None
    return m.start(1), m.end(1), m.start(2), m.end(2)


def _same_attribution(cue: Cue, first: Cue) -> bool:
    """A verb with no subject of its own under the first fragment's cue (``"A," X said of
    the need to maintain pressure. "B."``): part of that attribution, not a new speaker."""
    return first.token.is_ancestor(cue.token) and not any(
        c.dep_ in ("nsubj", "nsubjpass") for c in cue.token.children)


def _goes_on(cue: Cue, stop: int) -> bool:
    """After the cue, before ``stop``, a participle or verb of its own that does something
    more than speak (``"A," Sanders said, going on to contrast X with Y. "B."``, ``said,
    citing precedent``, ``explaining why``): what follows is another statement."""
    return any(t.pos_ == "VERB" and t.dep_ in ("advcl", "conj", "xcomp") and
               cue.token.i < t.i and t.idx < stop and _another_statement(t)
               for t in cue.token.children)


def _another_statement(verb) -> bool:
    """``going on to``, ``citing``, ``referring to``, a speech verb with an object or a clause
    (``adding that``), any verb with a clause (``explaining why ...``); not a gesture or a
    manner (``shaking his head``, ``declining to give details``)."""
    deps = {g.dep_ for g in verb.children}
    lemma = verb.lemma_.lower()
    return "ccomp" in deps or (lemma in GOES_ON and bool(deps & {"dobj", "xcomp", "prep"})) or \
        (lemma in DEFAULT_SPEECH_VERBS and bool(deps & {"dobj"}))


def _name_colon(doc, q: QuoteSpan):
    """``More from Jones: "..."``, ``- Mark Blumenthal and Jon Cohen: "..."``: people named
    just before the colon that opens the quote (the colon is the cue, the names the speaker)."""
    text = doc_text(doc)
    colon = len(text[:q.start].rstrip()) - 1
    if colon < 0 or text[colon] != ":":
        return None
    names = [e for e in ents_in(doc, max(0, colon - 80), colon)
             if e.label_ == "PERSON" and not text[e.end_char:colon].strip()]
    if not names:
        return None
    start = names[0].start_char
    for e in reversed(ents_in(doc, max(0, start - 40), start)):    # "A and B:"
        if e.label_ == "PERSON" and text[e.end_char:start].strip() in ("and", "&"):
            start = e.start_char
    before = text[max(0, start - 6):start].rstrip(" \t\u00a0")
    if before and not (before[-1] in "-—–―\n" or before.lower().endswith("from")):
        return None     # "Trump told Jones:": the name is who was told
    return colon, colon + 1, start, names[0].end_char


def direct_items(doc, direct, cues, cue_of, absorbed, used_cues,
                 paras: Paragraphs) -> list[Suggestion]:
    """A suggestion for every direct quote not taken into reported speech, with its cue
    (found by the reported-speech pass in ``cue_of``, else the nearest one)."""
    text = doc_text(doc)
    free = [c for c in cues if id(c) not in used_cues]
    items: list[Suggestion] = []
    for i, q in enumerate(direct):
        if i in absorbed:
            continue
        c = cue_of.get(i) or nearest_cue(q, free, paras, doc)
        named = _name_colon(doc, q)
        if c is not None and named is not None and c.end <= named[2]:
            c = None      # "Pollsters agree - Carl Bialik: "...": Bialik, not the pollsters
        how = ["direct"] + (["colon"] if c is not None and c.form == "colon" else [])
        if q.paragraphs > 1:
            how.append("multi_paragraph")
        if c is None and named is None:
            c = _colon_verb(doc, q)
        credit = _dash_credit(text, q) if c is None else None
        named = named if c is None and credit is None else None
        if credit is not None or named is not None:
            items.append(Suggestion([(q.start, q.end)], "direct", (credit or named)[:2],
                                    mention=(credit or named)[2:],
                                    how=how + ["dash_credit" if credit else "name_colon"]))
            continue
        prev = items[-1] if items else None
        if c is None and prev is not None and prev.kind == "direct" and \
                (prev.cue_obj is not None and prev.cue_obj.start >= prev.start) and \
                not _goes_on(prev.cue_obj, q.start) and \
                paras.of(prev.end) == paras.of(q.start) and not any(
                    prev.end <= x.start < q.start and x is not prev.cue_obj and
                    not _same_attribution(x, prev.cue_obj) for x in cues):
            prev.fragments.append((q.start, q.end))   # "...," she said. "..."
            if "split" not in prev.how:
                prev.how.append("split")
            continue
        if c is not None and prev is not None and c is prev.cue_obj and \
                paras.of(prev.end) == paras.of(q.start) and prev.end <= c.start < q.start:
            prev.fragments.append((q.start, q.end))   # "...," she said, "..."
            if "split" not in prev.how:
                prev.how.append("split")
            continue
        if c is None and fragment(text, q) and not quoted_predicate(doc, q):
            continue
        if c is None and name_in_sentence(text, q):
            how.append("name_in_sentence")     # likely a title: kept, with a low confidence
        items.append(Suggestion([(q.start, q.end)], "direct",
                                (c.start, c.end) if c else None, cue_obj=c, how=how))
    return items
