"""Put the rules together: one article's parse in, its quote suggestions out.

Order of work: quote marks (``quote_marks``) and speech cues with their content
(``reported``; a reporting verb conjoined to a cue is a cue of its own: ``conjoined``); a
cue whose content is mostly a direct quote is that quote's cue; reported
content holding a few quoted words is one mixed quote; reported speech inside other reported
speech is not a quote of its own; every other direct quote is placed by ``direct`` (nearest
cue, colon form, split quotes); quoted words left over become mixed quotes through the verb that
governs them. Speakers are then found in text order, so that a pronoun resolves to a speaker
named before it and a quote with no cue inherits the speaker of the quote before it; last,
each suggestion gets its confidence.
"""
from __future__ import annotations

import re

from annotator.nlp.suggest.conjoined import split_conjoined
from annotator.nlp.suggest.canonical import ArticleNames, canonical, organisation_of
from annotator.nlp.suggest.direct import (direct_items, fragment, name_in_sentence, short_sentence,
                                           split_tail)
from annotator.nlp.suggest.quote_marks import find_quote_spans
from annotator.nlp.suggest.governing import governing_cue
from annotator.nlp.suggest.reported import (DEFAULT_SPEECH_VERBS, Cue, find_cues, label_turns,
                       trim_span)
from annotator.nlp.suggest.mentions import (Known, Mention, doc_text, ents_in, forget, mention_of,
                       person_candidates, resolve_pronoun)
from annotator.nlp.suggest.roles import resolve_roles
from annotator.nlp.suggest.suggestion import Paragraphs, Suggestion, headline, overlap

INHERIT_PARAGRAPHS = 2
MIXED_MIN_WORDS = 3
NOT_SPEAKER_DEPS = ("pobj", "dobj", "poss", "dative", "npadvmod")  # "in an interview with CNN"


def _words_outside(text: str, start: int, end: int, quotes) -> int:
    """Words of [start, end) outside the given quotes."""
    pieces, pos = [], start
    for q in sorted(quotes, key=lambda q: q.start):
        pieces.append(text[pos:max(pos, q.start)])
        pos = max(pos, q.end)
    pieces.append(text[pos:end])
    return sum(len(re.findall(r"\w+", p)) for p in pieces)


def _whole(text: str, q, contents) -> bool:
    """The quote is all of a cue's content (``as X puts it, "..."``)."""
    return any(cs <= q.end and q.start <= ce and
               _words_outside(text, cs, ce, [q]) == 0 for cs, ce in contents)


def _attach_reported(cues, direct, spans, text):
    """Reported and mixed quotes from cue content; cues whose content is a direct quote."""
    items: list[Suggestion] = []
    cue_of: dict[int, Cue] = {}
    absorbed: set[int] = set()
    used_cues: set[int] = set()
    for c in cues:
        if c.content is None or c.content[1] - c.content[0] < 8:
            continue
        if c.subject is None and c.form == "verb" and c.token.tag_ in ("VBG", "VB"):
            continue    # "by asking prosecutors to...": no one is speaking here
        cs, ce = c.content
        if headline(text, c.start) and not any(overlap(s.start, s.end, cs, ce) for s in spans):
            continue    # a headline is not a quote unless it quotes
        line = text.rfind("\n", 0, c.start) + 1
        if cs < line <= c.start and not any(q.start < line < q.end for q in direct):
            # not into the line above (a headline the parse ran on), nor over the speaker
            # and the cue: what the cue introduces comes after it
            cs, ce = trim_span(text, c.end if c.end < ce else line, ce)
        brk = text.find("\n", cs, ce)
        if brk > 0 and not any(q.start < brk < q.end for q in direct):
            cs, ce = trim_span(text, cs, brk)   # content stays in its paragraph
        if ce - cs < 8:
            continue
        over = [i for i, q in enumerate(direct) if overlap(q.start, q.end, cs, ce)]
        torn = [i for i in over if direct[i].start < cs < direct[i].end]
        if torn:     # the parse cut a direct quote: the cue is that quote's
            cue_of.setdefault(torn[0], c)
            continue
        cover = sum(overlap(direct[i].start, direct[i].end, cs, ce) for i in over)
        if over and (cover >= 0.5 * (ce - cs) or c.form == "colon") and \
                _words_outside(text, cs, ce, [direct[i] for i in over]) < MIXED_MIN_WORDS:
            for i in over:
                if i not in cue_of or c.form == "colon":
                    cue_of[i] = c
            continue
        inner = [s for s in spans if overlap(s.start, s.end, cs, ce)]
        for i in over:
            q = direct[i]
            if q.start >= cs:
                absorbed.add(i)
                ce = max(ce, q.end)
        for s in inner:
            if s.start >= cs and s.end > ce and s.end - ce < 3:
                ce = s.end
            if s.start < cs < s.end and cs - s.start < 3:
                cs = s.start     # the opening mark belongs with its words
        kind = "mixed" if inner else "indirect"
        items.append(Suggestion([(cs, ce)], kind, (c.start, c.end), cue_obj=c,
                                how=[kind, c.form]))
        used_cues.add(id(c))
    items = [it for it in items if it.kind != "indirect" or not any(
        o is not it and o.start <= it.cue[0] < o.end for o in items)]   # speech in speech
    seen: set = set()
    items = [it for it in items if not (tuple(it.fragments) in seen or
                                        seen.add(tuple(it.fragments)))]  # two cues, one content
    return items, cue_of, absorbed, used_cues


def _credit_speaker(item: Suggestion, doc, names, known) -> None:
    s, e = item.mention
    span = doc.char_span(s, e, alignment_mode="expand")
    ents = [x for x in ents_in(doc, span.start_char, span.end_char)
            if x.label_ in ("PERSON", "ORG")] if span is not None else []
    name = ents[0].text if ents else doc_text(doc)[s:e].split(",")[0].strip()
    kind = "organisation" if ents and ents[0].label_ == "ORG" else "person"
    item.speaker, item.speaker_kind = names.full_person(name) if kind == "person" else name, kind
    known.append(Known(s, kind, item.speaker, Mention(s, e, doc_text(doc)[s:e], kind, s, e)))


def _quoted_words(doc, spans, items, quoted) -> list[Suggestion]:
    """A few quoted words left alone (``called the plan "a disaster"``): a mixed quote over
    the complements of the verb that governs them, when it has a subject."""
    text = doc_text(doc)
    out: list[Suggestion] = []
    taken = [f for it in items for f in it.fragments]
    for q in spans:
        if any(overlap(q.start, q.end, s, e) for s, e in taken):
            continue
        if q.shape == "quote" and not fragment(text, q):
            continue
        c = governing_cue(doc, q.start, q.end, title=name_in_sentence(text, q))
        if c is None or any(s <= c.start < e for s, e in quoted) or \
                "\n" in text[min(c.start, q.start):max(c.end, q.start)]:
            continue      # the parse ran over a line break
        cs, ce = c.content
        ce = max(ce, q.end) if cs <= q.start < ce else ce    # with the closing mark
        cs = q.start if q.start < cs <= q.start + 2 else cs   # and the opening one
        cs, ce = trim_span(text, *_paragraph_of(text, q.start, cs, ce))
        out.append(Suggestion([(cs, ce)], "mixed", (c.start, c.end), cue_obj=c,
                              how=["mixed", "quoted_words"]))
        taken.append((cs, ce))
    return out


def _paragraph_of(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    """[lo, hi) cut to the paragraph holding ``pos`` (a parse may run over a line break)."""
    start = text.rfind("\n", lo, pos) + 1 or lo
    end = text.find("\n", pos, hi)
    return max(lo, start), (hi if end < 0 else end)


def _other_paragraph(doc, start: int, end: int, cue: int) -> bool:
    """The mention and the cue are on two sides of a line break (a header the parse ran on:
    ``(all times Eastern Daylight Time):`` / ``Donald Trump has delivered ...``)."""
    text = doc_text(doc)
    return "\n" in text[min(end, cue):max(start, cue)]


def _label_speaker(item: Suggestion, doc, names, known) -> None:
    """``PENCE: ...``: the label is the mention (a name in capitals is title-cased)."""
    c = item.cue_obj
    s, e = c.token.idx, c.start
    span = doc.char_span(s, e, alignment_mode="expand")
    raw = doc_text(doc)[span.start_char:e].strip() if span is not None else c.token.text
    item.mention = (e - len(raw), e)
    name = raw.title() if raw.isupper() else raw
    ent = [x for x in (ents_in(doc, span.start_char, span.end_char) if span is not None
                       else []) if x.label_ == "ORG"]
    kind = "organisation" if ent and not names.looks_like_person(name) else "person"
    item.speaker = names.full_person(name) if kind == "person" else name
    item.speaker_kind = kind
    known.append(Known(item.mention[0], kind, item.speaker,
                       Mention(item.mention[0], e, raw, kind, item.mention[0], e)))


def _title(m: Mention, key: str, kind: str, names) -> tuple:
    """(role, organisation) from the mention, else from where the article names the person."""
    role, org = (m.role, m.organisation) if m.role or m.organisation else \
        names.title_of(key) if kind == "person" else (None, None)
    return role, organisation_of(org)


def _speaker(item: Suggestion, doc, names, known, genders, quoted) -> None:
    """The speaker of one suggestion: mention, canonical name, kind, role, organisation."""
    c = item.cue_obj
    m: Mention | None = None
    if item.mention is not None and ("dash_credit" in item.how or "name_colon" in item.how):
        _credit_speaker(item, doc, names, known)
        return
    if "label" in item.how:
        _label_speaker(item, doc, names, known)
        return
    if c is not None and c.subject is not None:
        m = mention_of(c.subject)
        if m is not None and (any(s <= m.start < e for s, e in quoted) or
                              _other_paragraph(doc, m.start, m.end, c.start)):
            m = None
    if c is not None and m is None:
        sent = c.token.sent
        lo, hi = _paragraph_of(doc_text(doc), c.start, sent.start_char, sent.end_char)
        ents = [e for e in ents_in(doc, lo, hi)
                if e.label_ in ("PERSON", "ORG") and e.root.dep_ not in NOT_SPEAKER_DEPS
                and not any(s <= e.start_char < e2 for s, e2 in quoted)
                and not any(fs <= e.start_char < fe for fs, fe in item.fragments)]
        text = doc_text(doc)
        adjacent = [e for e in ents_in(doc, lo, c.start)
                    if e.label_ in ("PERSON", "ORG") and not text[e.end_char:c.start].strip()]
        if adjacent:     # "Mike Pompeo said": the name just before the cue, whatever the parse
            ents = adjacent
        if ents:
            ent = min(ents, key=lambda e: abs(e.start_char - c.start))
            m = mention_of(ent.root)
            if m is not None:
                item.how.append("nearest_mention")
    if m is None:
        return
    key, kind = None, m.kind
    if m.kind == "pronoun":
        ref = resolve_pronoun(m, known, genders)
        item.how.append("pronoun")
        if ref is None:
            item.mention = (m.start, m.end)
            return
        key, kind = ref.key, ref.kind
        if m.gender and kind == "person":
            genders.setdefault(key, m.gender)
        item.role, item.organisation = _title(ref.mention, key, kind, names)
    else:
        key, kind = canonical(m, names, doc_text(doc))
        item.role, item.organisation = _title(m, key, kind, names)
    item.mention = (m.start, m.end)
    item.speaker, item.speaker_kind = key, kind
    if m.kind != "pronoun":
        known.append(Known(m.start, kind, key, m))


def _confidence(item: Suggestion) -> float:
    score = {"direct": 0.9, "mixed": 0.8, "indirect": 0.7}[item.kind]
    if item.cue is None:
        score -= 0.25 if item.inherited else 0.45
    if item.speaker is None:
        score -= 0.25
    if "pronoun" in item.how:
        score -= 0.05
    if "nearest_mention" in item.how:
        score -= 0.1
    if item.speaker_kind == "unnamed":
        score -= 0.05
    if "role_ambiguous" in item.how:
        score -= 0.1
    if "role_cataphora" in item.how:
        score -= 0.05
    if "name_in_sentence" in item.how:
        score -= 0.3
    if "quoted_words" in item.how:
        score -= 0.2
    if item.cue_obj is not None and item.cue_obj.form == "according_to":
        score -= 0.05
    return round(max(0.05, min(0.99, score)), 2)


def suggest_quotes(doc, lemmas: frozenset = DEFAULT_SPEECH_VERBS) -> list[Suggestion]:
    """Every quote suggestion for the parsed article ``doc``, in text order."""
    try:
        return _suggest(doc, lemmas)
    finally:
        forget(doc)


def _suggest(doc, lemmas: frozenset) -> list[Suggestion]:
    text = doc_text(doc)
    spans = find_quote_spans(text)
    turns = label_turns(doc)
    all_cues = split_conjoined(find_cues(doc, lemmas), lemmas, text)
    put_it = [c.content for c in all_cues if c.form == "put_it"]
    direct = [s for s in spans if (s.shape == "quote" or split_tail(text, s) or
                                   short_sentence(text, s) or _whole(text, s, put_it)) and not any(
        s.start <= t.start and t.content[0] < s.end for t in turns)]
    quoted = [(s.start, s.end) for s in direct] + [t.content for t in turns]
    cues = [c for c in all_cues if not any(s <= c.start < e for s, e in quoted)]
    paras = Paragraphs(text)
    items, cue_of, absorbed, used = _attach_reported(cues, direct, spans, text)
    items += [Suggestion([t.content], "direct", (t.start, t.end), cue_obj=t,
                         how=["direct", "label"]) for t in turns]
    items += direct_items(doc, direct, cues, cue_of, absorbed, used, paras)
    items += _quoted_words(doc, spans, items, quoted)
    items.sort(key=lambda it: it.start)
    names = ArticleNames(doc)
    known = sorted(person_candidates(doc, quoted), key=lambda k: k.pos)
    for k in known:
        k.key, k.kind = canonical(k.mention, names, text)
    genders: dict[str, str] = {}
    prev = None
    for item in items:
        _speaker(item, doc, names, known, genders, quoted)
        known.sort(key=lambda k: k.pos)
        if item.cue is None and prev is not None and prev.speaker and \
                paras.of(item.start) - paras.of(prev.end) <= INHERIT_PARAGRAPHS:
            item.speaker, item.speaker_kind = prev.speaker, prev.speaker_kind
            item.mention, item.role, item.organisation = prev.mention, prev.role, prev.organisation
            item.inherited = True
            item.how.append("inherited")
        prev = item
    resolve_roles(items, doc, names, paras)
    for item in items:
        item.confidence = _confidence(item)
    return items
