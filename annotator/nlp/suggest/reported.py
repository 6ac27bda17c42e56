"""Speech cues and what they introduce, found on the parse.

- A cue is a verb whose lemma is in the speech-verb list (the defaults below plus the project's
  ``speech_verbs`` setting), a speech noun with a possessor (``Trump's claim that``), the phrase
  ``according to X``, or the colon of a transcript turn (``PENCE: ...``).
- Its content is the clausal complement (``ccomp``), before or after the cue (``X said the plan
  failed``, ``The plan failed, X said``, ``The plan, X said, failed``), a ``that`` clause in
  the cue's prepositional phrase (``said in a statement that``), or, for verbs such as
  ``call``, ``describe``, ``urge``, the objects and complements after the verb (``called [the
  plan "a disaster"]``, ``urged [Congress to act]``). The complementiser (``that``) and closing
  punctuation stay outside the span.
- ``according to X``: the rest of its sentence is the content.
- The colon form (``X said: ...``): what follows the colon, to the end of the next sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from annotator.nlp.suggest.mentions import doc_ents, doc_text

DEFAULT_SPEECH_VERBS = frozenset("""
say tell add warn argue note insist urge emphasise emphasize claim explain state announce write
tweet confirm suggest respond reply testify allege concede contend deny maintain observe
promise recall stress reiterate vow pledge caution declare acknowledge admit comment predict
remark assert complain boast joke quip answer counter recount disclose reveal estimate report
ask call describe blast criticize criticise praise question mention agree echo charge accuse
condemn denounce slam dismiss demand exhort label proclaim rate tout characterize characterise
conclude laud hail blame mock chide scold lament retort shout yell chant plead threaten brag
muse recommend propose assure
""".split())
OBJECT_CONTENT = frozenset("""
ask call describe blast criticize criticise praise question mention echo charge accuse condemn
denounce slam dismiss demand exhort label proclaim rate tout urge promise pledge vow warn
tell predict deny acknowledge admit announce reiterate promise claim suggest stress emphasize
emphasise note confirm recall add
""".split())
SPEECH_NOUNS = frozenset("""
claim statement assertion remark warning prediction promise pledge argument suggestion
accusation allegation insistence contention admission announcement emphasis assurance complaint
boast vow threat explanation acknowledgment acknowledgement
""".split())
QUOTE_OPENERS = ("\"", "“", "'", "‘", "«", "„")
ISSUED_NOUNS = frozenset("""
statement release communique communiqué letter memo note message post tweet ad advertisement
video spot commercial email article report cover response reply answer story column editorial
op-ed headline poster sign banner notice filing document caption
""".split())
EVENT_NOUNS = frozenset("conference briefing interview speech rally hearing event appearance "
                        "meeting session statement address".split())
ISSUE_VERBS = frozenset("""
issue release put publish send post circulate distribute air run launch unveil tweet write
email fire do file pen print sign deliver submit give
""".split())
OBJECT_PREPS = frozenset({"for", "as", "of", "to", "over", "about", "with"})
OBJECT_DEPS = ("dobj", "xcomp", "oprd", "attr", "dative", "acomp")
OBJECT_INFINITIVE = frozenset({"urge", "ask", "call", "encourage", "implore", "warn", "tell"})
COPULAS = frozenset({"be", "have", "become", "seem", "title", "name", "dub", "know", "label"})
QUOTE_AFTER_COMMA = re.compile(r"[^,\"“”«»\n]{0,60}(,)\s*[\"“«„]")
TRIM = set(" \t\r\n,;:—–-")


@dataclass
class Cue:
    """A speech cue: the verb (or ``according to``) and where its content and subject are."""
    start: int
    end: int
    token: object                     # the cue's spaCy token (the verb, or ``according``)
    subject: object | None = None     # the token naming the speaker, when the parse has one
    content: tuple[int, int] | None = None
    form: str = "verb"                # verb, according_to, colon, noun, label or put_it


def speech_lemmas(extra: Iterable[str] = ()) -> frozenset:
    """The default speech verbs plus the project's own (lower-cased lemmas)."""
    return DEFAULT_SPEECH_VERBS | {w.strip().lower() for w in extra if w and w.strip()}


def is_speech_verb(token, lemmas: frozenset) -> bool:
    """A verb (not an adjective like ``so-called``) whose lemma is a speech verb."""
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


def subtree_span(token) -> tuple[int, int]:
    """Offsets of a clause without its leading complementiser."""
    toks = list(token.subtree)
    while toks and toks[0].head == token and (toks[0].dep_ == "mark" or (
            toks[0].dep_ == "advmod" and toks[0].lower_ == "that")):
        toks = toks[1:]
    if not toks:
        return token.idx, token.idx
    return toks[0].idx, toks[-1].idx + len(toks[-1])


def subject_of(verb):
    """The token that names who speaks for ``verb``: its subject (``who`` in a relative
    clause), or the subject of the verb it hangs on (``..., adding that``), or the noun a
    participle describes (``a letter saying``)."""
    seen = 0
    tok = verb
    while tok is not None and seen < 5:
        if seen and tok.dep_ == "ccomp" and tok.head.lemma_.lower() in DEFAULT_SPEECH_VERBS:
            tok = tok.head    # 'said that A "...," adding': who said, not A
        subjects = [c for c in tok.children if c.dep_ == "nsubj" or
                    (c.dep_ == "nsubjpass" and tok.lemma_ == "quote")]
        if subjects:   # the nearest: '"My reaction ...," the strategist said' has two
            subject = min(subjects, key=lambda c: abs(c.i - tok.i))
            if subject.lower_ in ("that", "which") and tok.dep_ == "relcl":
                return _issuer(tok.head) or subject    # "X released an ad that says"
            return subject
        for child in tok.children:
            if child.dep_ == "agent":  # "was told by X"
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
        if tok.dep_ in ("advcl", "conj", "xcomp", "pcomp", "prep") and tok.head != tok:
            tok = tok.head
        elif tok.dep_ in ("relcl", "acl") and tok.head != tok:
            return _issuer(tok.head) or tok.head
        else:
            return None
        seen += 1
    return None


def _issuer(noun):
    """Who put out the statement: the subject of ``X issued / released / put out a statement
    saying``, the speaker rather than the statement."""
    verb = noun.head
    if noun.lemma_.lower() in EVENT_NOUNS and noun.dep_ == "pobj" and verb.dep_ == "prep":
        return subject_of(verb.head)   # "X said at a news conference announcing that"
    if noun.lemma_.lower() in ISSUED_NOUNS and noun.dep_ in ("dobj", "nsubjpass") and \
            verb.lemma_.lower() in ISSUE_VERBS:
        return next((c for c in verb.children if c.dep_ == "nsubj"), None) or next(
            (g for c in verb.children if c.dep_ == "agent" for g in c.children
             if g.dep_ == "pobj"), None)
    return None


def _continued(tok, text: str) -> bool:
    """``continue`` with nothing but a comma or colon between it and a quote."""
    if tok.lemma_.lower() != "continue" or any(c.dep_ in ("xcomp", "dobj") for c in tok.children):
        return False
    after = text[tok.idx + len(tok):tok.idx + len(tok) + 4].lstrip()
    return after[:1] in (",", ":") and after[1:].lstrip()[:1] in QUOTE_OPENERS


def _put_it(tok, text: str) -> tuple[int, int] | None:
    """``as X puts it, "..."`` (or ``"...", as X put it``): the rest of the sentence, or the
    sentence before when no quote follows."""
    if tok.lemma_.lower() != "put" or not any(c.dep_ == "dobj" and c.lower_ == "it"
                                              for c in tok.children):
        return None
    mark = next((c for c in tok.children if c.dep_ == "mark" and c.lower_ == "as"), None)
    if mark is None:
        return None
    sent = tok.sent
    it = max(t.i for t in tok.subtree)
    after = tok.doc[it].idx + len(tok.doc[it])
    obj = next(c for c in tok.children if c.dep_ == "dobj" and c.lower_ == "it")
    quoted = QUOTE_AFTER_COMMA.match(text, obj.idx + 2, sent.end_char)   # '..., "the operator."'
    if text[sent.start_char:mark.idx].strip(" ,\"“”'‘’—–-") and not quoted:
        return trim_span(text, sent.start_char, mark.idx)
    return trim_span(text, quoted.end(1) if quoted else after, sent.end_char)


def balanced(text: str) -> bool:
    """No quote left open in ``text``."""
    return text.count('"') % 2 == 0 and text.count("“") <= text.count("”")


def _next_attribution(comps, verb, start: int, text: str) -> int | None:
    """Where a speech verb of its own inside the content starts another attribution:
    ``stressed that "...," suggesting that ...``, ``said X before claiming that Y``, ``said
    it was X and warned Y``: a conjunct verb, or a participle that says a clause or a quote of
    its own (not ``..., calling it "a mess"``), with no subject of its own, outside quote marks."""
    for tok in sorted((t for c in comps for t in c.subtree), key=lambda t: t.i):
        if tok.i <= verb.i or tok in comps or tok.pos_ != "VERB" or \
                tok.lemma_.lower() not in DEFAULT_SPEECH_VERBS:
            continue
        says = any(g.dep_ == "ccomp" for g in tok.children) or \
            text[tok.idx + len(tok):tok.idx + len(tok) + 3].lstrip(" ,:")[:1] in QUOTE_OPENERS
        if not ((tok.dep_ == "conj" and tok.head in comps) or says and (
                (tok.dep_ == "advcl" and tok.tag_ == "VBG" and text[max(
                    0, tok.left_edge.idx - 6):tok.left_edge.idx].rstrip(" \"”’'").endswith(",")) or
                (tok.dep_ == "pcomp" and tok.head.lower_ in ("before", "after")))):
            continue
        if any(g.dep_ in ("nsubj", "nsubjpass") or (g.dep_ == "mark" and g.lower_ in (
                "that", "if", "whether")) for g in tok.children):
            continue
        if not balanced(text[start:tok.idx]):
            continue
        cc = [g for g in tok.head.children if g.dep_ == "cc" and g.i < tok.i] \
            if tok.dep_ == "conj" else []
        first = tok.head if tok.dep_ == "pcomp" else tok     # "before claiming"
        return min([first.left_edge.idx] + [g.idx for g in cc[-1:]])
    return None


def _that_clause(c, verb) -> bool:
    """A clause after the verb that opens with ``that`` whatever the parse called it
    (``tweeted in the early hours that X was "a con"``: an ``advcl`` to the model)."""
    return c.dep_ == "advcl" and c.i > verb.i and c.left_edge.lower_ == "that" and \
        c.left_edge.i > verb.i


def _complements(verb) -> list:
    """The verb's clausal complements; one before it that holds another speech verb with
    a subject is that verb's (``While he acknowledged A, Ham noted B``: Ham noted B)."""
    comps = [c for c in verb.children if c.dep_ == "ccomp" or _that_clause(c, verb)]
    return [c for c in comps if c.i > verb.i or not any(
        t.i < c.i and t.pos_ == "VERB" and t.lemma_.lower() in DEFAULT_SPEECH_VERBS and
        any(g.dep_ == "nsubj" for g in t.children) for t in c.subtree)]


def content_of(verb, text: str) -> tuple[int, int] | None:
    comps = _complements(verb)
    before = [c for c in comps if c.i < verb.i]
    if before and len(before) < len(comps) and \
            not any(c.dep_ == "nsubj" for c in verb.children) and \
            any(m in text[max(0, before[0].left_edge.idx - 1):before[0].left_edge.idx + 1]
                for m in QUOTE_OPENERS):
        # a quote, then the parse took the speaker into a clause after the verb ('"...,"
        # said X, asked about Y'): the content is the quote
        comps = before
    if comps:
        start, end = subtree_span(comps[0])
        for extra in comps[1:]:
            s2, e2 = subtree_span(extra)
            start, end = min(start, s2), max(end, e2)
        if start > verb.idx and text[end:end + 2].strip() == ":":
            end = max(end, verb.sent.end_char)   # "that three things happen: A, B and C"
        cut = _next_attribution(comps, verb, start, text)
        if cut is not None and cut > start:
            end = min(end, cut)
        return trim_span(text, start, end)
    for prep in verb.children:   # "said in a statement that ..."
        if prep.dep_ == "prep" and prep.i > verb.i:
            for pobj in prep.children:
                for clause in pobj.children:
                    if clause.dep_ in ("acl", "ccomp", "relcl") and any(
                            m.dep_ == "mark" and m.lower_ == "that" for m in clause.children):
                        return trim_span(text, *subtree_span(clause))
    if verb.lemma_.lower() in OBJECT_CONTENT:
        if verb.lemma_.lower() in OBJECT_INFINITIVE and any(
                c.dep_ == "xcomp" for c in verb.children) and not any(
                c.dep_ in ("dobj", "dative", "prep") for c in verb.children if c.i > verb.i):
            return None    # "asked not to be named": a request about the speaker
        return object_content(verb, text)
    return None


def object_content(verb, text: str, min_tokens: int = 3) -> tuple[int, int] | None:
    """What a verb says about its object: ``called [the plan "a disaster"]``, ``urged
    [Congress to act]``, ``called for [new talks]``: its objects and complements after it."""
    parts = [c for c in verb.children if c.i > verb.i and (
        c.dep_ in OBJECT_DEPS or (c.dep_ == "prep" and c.lower_ in ("for", "on", "as")
                                  and (c.i == verb.i + 1 or c.lower_ == "as")))]
    if not parts:
        return None
    if any(p.dep_ in ("dobj", "dative") for p in parts):  # "blasted X for Y", "likened X to Y"
        parts += [c for c in verb.children if c.i > parts[0].i and c.dep_ == "prep" and
                  c.lower_ in OBJECT_PREPS and c not in parts]
    if verb.lemma_.lower() == "tell" and len(parts) > 1 and parts[0].dep_ in ("dobj", "dative"):
        parts = parts[1:]        # "told reporters [the firm had ...]": not the listeners
    first = min(p.left_edge.i for p in parts)
    last = max(p.right_edge.i for p in parts)
    if verb.lemma_.lower() == "call" and parts[0].dep_ == "prep":
        first = parts[0].i + 1
    if last - first + 1 < min_tokens:
        return None
    doc = verb.doc
    return trim_span(text, doc[first].idx, doc[last].idx + len(doc[last]))


def _colon_content(doc, verb, text: str) -> tuple[int, int] | None:
    """What follows ``X said:``: up to the end of the next sentence (or paragraph)."""
    sent = verb.sent
    after = [t for t in sent if t.i > verb.i]
    colon = next((t for t in after if t.text == ":"), None)
    if colon is None or any(t.pos_ == "VERB" and t.dep_ == "conj" and t.head == verb and
                            t.i < colon.i for t in after):
        return None    # "said X and added: ...": the colon belongs to the other verb
    start = colon.idx + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    if not text[start:end].strip():     # "Limbaugh added:" and the next paragraph
        start = end
        while start < len(text) and text[start].isspace():
            start += 1
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


LABEL = re.compile(r"^[ \t\u00a0]*[\"“']?[ \t]*([A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,3})"
                   r":[ \t]+(\S[^\n]{10,})$", re.MULTILINE)
NOT_LABELS = frozenset("""
clarification correction update note watch read related photo video source warning
disclaimer breaking addendum
""".split()) | {"editor's note", "editors' note", "editor’s note", "see also"}


def label_turns(doc) -> list[Cue]:
    """``NAME: what they said`` at the start of a paragraph (a transcript turn, or a headline
    like ``Pence: Trump was mocking``): the colon is the cue and the name the speaker, when
    it is written in capitals or is a person or organisation the model recognises."""
    out = []
    text = doc_text(doc)
    name_words = {w.lower() for e in doc_ents(doc) if e.label_ in ("PERSON", "ORG")
                  for w in e.text.split()}
    for m in LABEL.finditer(text):
        label = m.group(1)
        span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is None:
            continue
        named = all(w.lower() in name_words for w in label.split())   # "Pence: ..." headline
        if not (label.isupper() and len(label) > 2) and not named or \
                label.lower().rstrip("s") in NOT_LABELS:
            continue
        colon = m.end(1)
        content = trim_span(text, colon + 1, m.end(2))
        if content[0] < content[1] and content[0] - m.start(1) > 0:
            tok = span.root
            out.append(Cue(colon, colon + 1, tok, tok, content, "label"))
    return out


def parataxis_content(verb, text: str) -> tuple[int, int] | None:
    """``The plan, he said, will fail`` / ``It will fail, he said``: the clause the cue
    interrupts or follows (its head's subtree without the cue's own)."""
    if verb.dep_ not in ("parataxis",) or verb.head is verb:
        return None
    head = verb.head
    toks = [t for t in head.subtree if not (verb.left_edge.i <= t.i <= verb.right_edge.i)]
    if len(toks) < 4:
        return None
    return trim_span(text, toks[0].idx, toks[-1].idx + len(toks[-1]))


def interrupting_content(verb, text: str) -> tuple[int, int] | None:
    """``These employees, Stumpf explained, were "well-paid"`` parsed with the cue as the
    sentence's root: a noun before the speaker's comma, a verb with no subject of its own
    after the cue's comma; the whole sentence is the quote (as ``parataxis_content``)."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.i < verb.i), None)
    if verb.dep_ != "ROOT" or subject is None or any(
            c.i > verb.i and c.dep_ in ("dobj", "dative", "attr", "oprd") for c in verb.children):
        return None     # "Last week, X explained the plan to reporters, took questions"
    doc, sent = verb.doc, verb.sent
    start = subject.left_edge.i
    if start - sent.start < 2 or doc[start - 1].text != "," or not any(
            c.i < start and c.dep_ in ("npadvmod", "nsubj", "dobj") and
            c.pos_ in ("NOUN", "PROPN", "PRON") for c in verb.children):
        return None
    rest = next((c for c in verb.children if c.i > verb.i and c.pos_ in ("VERB", "AUX") and
                 c.dep_ in ("conj", "ccomp", "parataxis") and c.left_edge.i > verb.i + 1 and
                 doc[c.left_edge.i - 1].text == ","
                 and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)), None)
    if rest is None:
        return None
    return trim_span(text, sent.start_char, sent.end_char)


def _noun_cue(noun, text: str) -> Cue | None:
    """``Trump's claim that ...``: a speech noun with a ``that`` clause and a possessor."""
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i and
                   any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if clause is None or owner is None:
        return None
    start, end = subtree_span(clause)
    return Cue(noun.idx, noun.idx + len(noun), noun, owner, trim_span(text, start, end), "noun")


def _candidates(doc, lemmas: frozenset):
    """The tokens that may be cues, picked from the lemma and lower-case columns (creating a
    spaCy token for each of an article's words costs more than all the rules)."""
    import numpy  # here, with spaCy: importing this module must not load spaCy
    from spacy.attrs import LEMMA, LOWER

    strings = doc.vocab.strings
    wanted = numpy.array([strings.add(w) for w in lemmas | SPEECH_NOUNS | {"put", "continue"}],
                         dtype="uint64")
    table = doc.to_array([LEMMA, LOWER])
    if not len(table):
        return
    hits = numpy.isin(table[:, 0], wanted) | (table[:, 1] == strings.add("according"))
    for i in numpy.flatnonzero(hits):
        yield doc[int(i)]


def find_cues(doc, lemmas: frozenset) -> list[Cue]:
    """Every speech cue of ``doc`` with its subject and content, in text order."""
    text = doc_text(doc)
    cues: list[Cue] = []
    for tok in _candidates(doc, lemmas):
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            to = doc[tok.i + 1]
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            phrase_end = (pobj.right_edge if pobj is not None else to)
            comma = next((t for t in doc[to.i + 1:min(len(doc), to.i + 12)]
                          if t.text == "," or t.is_sent_end), None)
            if comma is not None and comma.i > to.i + 1 and comma.i <= phrase_end.i:
                phrase_end = doc[comma.i - 1]     # the source ends at the comma
                pobj = doc[to.i + 1:comma.i].root
            sent = tok.sent
            after = phrase_end.i + 1
            if after < len(doc) and doc[after].text == "," and (
                    tok.i <= sent.start + 2 or tok.text[0].isupper()):
                content = trim_span(text, phrase_end.idx + len(phrase_end), sent.end_char)
            else:
                content = trim_span(text, sent.start_char, tok.idx)
            if content[1] - content[0] < 12:
                content = None
            cues.append(Cue(tok.idx, to.idx + len(to), tok, pobj, content, "according_to"))
            continue
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in SPEECH_NOUNS:
            cue = _noun_cue(tok, text)
            if cue is not None:
                cues.append(cue)
            continue
        put = _put_it(tok, text) if tok.lemma_ == "put" else None
        if put is not None:
            cues.append(Cue(tok.idx, tok.idx + len(tok), tok, subject_of(tok), put, "put_it"))
            continue
        if _continued(tok, text):     # 'She continued, "..."'
            cues.append(Cue(tok.idx, tok.idx + len(tok), tok, subject_of(tok), None))
            continue
        if not is_speech_verb(tok, lemmas):
            continue
        prt = next((c for c in tok.children if c.dep_ == "prt"), None)
        end = (prt.idx + len(prt)) if prt is not None and prt.i == tok.i + 1 else \
            tok.idx + len(tok)
        content = content_of(tok, text) or parataxis_content(tok, text) or \
            interrupting_content(tok, text)
        form = "verb"
        nxt = doc[tok.i + 1:tok.i + 6]
        if any(t.text == ":" for t in nxt) and \
                (content is None or content[0] > next(t.idx for t in nxt if t.text == ":")):
            colon = _colon_content(doc, tok, text)
            if colon is not None and colon[1] - colon[0] > 10:
                content, form = colon, "colon"
        cues.append(Cue(tok.idx, end, tok, subject_of(tok), content, form))
    return cues
