"""Speech cues and reported speech found on the parse.

- A cue is a verb whose lemma is in the speech-verb list (the defaults below plus the project's
  ``speech_verbs`` setting), or the phrase ``according to X``.
- Reported speech is the clausal complement (``ccomp``) of a cue, before or after it
  (``X said the plan failed``, ``The plan failed, X said``); ``urge``/``ask``/``call on`` take
  an object and an infinitive (``urged Congress to act``). The complementiser (``that``) and
  closing punctuation stay outside the span.
- ``according to X``: the rest of its sentence is the content.
- The colon form (``X said: ...``) is a cue whose sentence ends with a colon: the content is
  what follows, up to the end of the next sentence or paragraph.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

DEFAULT_SPEECH_VERBS = frozenset("""
say tell add warn argue note insist urge emphasise emphasize claim explain state announce write
tweet confirm suggest respond reply testify allege concede contend deny maintain observe
promise recall stress reiterate vow pledge caution declare acknowledge admit comment predict
remark assert complain boast joke quip answer counter recount disclose reveal estimate
""".split())
OBJECT_INFINITIVE = frozenset({"urge", "ask", "call", "encourage", "implore", "warn", "tell"})
SUBJECT_DEPS = ("nsubj", "nsubjpass")
TRIM = set(" \t\r\n,;:—–-")


@dataclass
class Cue:
    """A speech cue: the verb (or ``according to``) and where its content and subject are."""
    start: int
    end: int
    token: object                     # the cue's spaCy token (the verb, or ``according``)
    subject: object | None = None     # the token naming the speaker, when the parse has one
    content: tuple[int, int] | None = None
    form: str = "verb"                # "verb", "according_to" or "colon"


def speech_lemmas(extra: Iterable[str] = ()) -> frozenset:
    """The default speech verbs plus the project's own (lower-cased lemmas)."""
    return DEFAULT_SPEECH_VERBS | {w.strip().lower() for w in extra if w and w.strip()}


def is_speech_verb(token, lemmas: frozenset) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in lemmas and \
        token.dep_ not in ("amod", "compound", "auxpass")


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding spaces and clause punctuation (a final period too,
    unless it closes a quote)."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and (text[end - 1] in TRIM or
                           (text[end - 1] == "." and end >= 2 and text[end - 2] not in "\"”’'»")):
        end -= 1
    return start, end


def _subtree_span(token, skip=()) -> tuple[int, int]:
    toks = [t for t in token.subtree if not any(t.i >= s.left_edge.i and t.i <= s.right_edge.i
                                                 for s in skip)]
    while toks and toks[0].dep_ == "mark" and toks[0].head == token:
        toks = toks[1:]
    if not toks:
        return token.idx, token.idx
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def _subject(verb):
    """The token that names who speaks for ``verb``: its subject, or the subject of the verb
    it hangs on (``..., adding that``), or the noun a relative clause describes."""
    seen = 0
    tok = verb
    while tok is not None and seen < 4:
        for child in tok.children:
            if child.dep_ in SUBJECT_DEPS and not (child.dep_ == "nsubjpass" and tok.lemma_ != "quote"):
                if child.lower_ in ("who", "which", "that") and tok.dep_ == "relcl":
                    return tok.head
                return child
            if child.dep_ == "agent":  # "was told by X"
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        if tok.dep_ in ("advcl", "conj", "xcomp", "pcomp") and tok.head is not tok:
            tok = tok.head
        elif tok.dep_ in ("relcl", "acl") and tok.head is not tok:
            return tok.head
        else:
            return None
        seen += 1
    return None


def _content(verb, text: str) -> tuple[int, int] | None:
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if comps:
        start, end = _subtree_span(comps[0])
        for extra in comps[1:]:
            s2, e2 = _subtree_span(extra)
            start, end = min(start, s2), max(end, e2)
        return trim_span(text, start, end)
    if verb.lemma_.lower() in OBJECT_INFINITIVE:
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        inf = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if obj is not None and inf is not None and obj.i < inf.i:
            return trim_span(text, obj.left_edge.idx,
                             inf.right_edge.idx + len(inf.right_edge))
    return None


def _colon_content(doc, verb, text: str) -> tuple[int, int] | None:
    """What follows ``X said:``: up to the end of the next sentence (or paragraph)."""
    sent = verb.sent
    after = [t for t in sent if t.i > verb.i]
    colon = next((t for t in after if t.text == ":"), None)
    if colon is None or any(t.pos_ == "VERB" and t.dep_ != "ccomp" and t.i < colon.i and
                            t.head == verb and t.dep_ == "conj" for t in after):
        return None
    start = colon.idx + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    rest = doc.char_span(start, end, alignment_mode="expand")
    if rest is not None:
        sents = list(rest.sents)
        if sents:
            first_end = sents[0].end_char
            if first_end <= start + 2 and len(sents) > 1:
                first_end = sents[1].end_char
            end = min(end, first_end)
    return trim_span(text, start, end)


def find_cues(doc, lemmas: frozenset) -> list[Cue]:
    """Every speech cue of ``doc`` with its subject and content, in text order."""
    text = doc.text
    cues: list[Cue] = []
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            phrase_end = (pobj.right_edge if pobj is not None else to)
            sent = tok.sent
            if tok.i == sent.start or (tok.i - 1 >= sent.start and doc[tok.i - 1].is_punct
                                       and tok.i - 1 == sent.start):
                content = trim_span(text, phrase_end.idx + len(phrase_end), sent.end_char)
            else:
                content = trim_span(text, sent.start_char, tok.idx)
            if content[1] - content[0] < 12:
                content = None
            cues.append(Cue(tok.idx, to.idx + len(to), tok, pobj, content, "according_to"))
            continue
        if not is_speech_verb(tok, lemmas):
            continue
        prt = next((c for c in tok.children if c.dep_ == "prt"), None)
        end = (prt.idx + len(prt)) if prt is not None and prt.i == tok.i + 1 else \
            tok.idx + len(tok)
        content = _content(tok, text)
        form = "verb"
        nxt = doc[tok.i + 1:tok.i + 6]
        if any(t.text == ":" for t in nxt) and \
                (content is None or content[0] > next(t.idx for t in nxt if t.text == ":")):
            colon = _colon_content(doc, tok, text)
            if colon is not None and colon[1] - colon[0] > 10:
                content, form = colon, "colon"
        cues.append(Cue(tok.idx, end, tok, _subject(tok), content, form))
    return cues
