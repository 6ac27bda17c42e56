"""Who speaks: the speaker's mention for a cue, and pronouns.

A mention is the person or organisation named in the cue's subject (or in its apposition:
``the chief negotiator, Tomas Reyel``), with the title before the name as role and a
nationality as organisation; else the subject's noun phrase (``a senior official``, ``A diplomat
who asked not to be named``: an unnamed source, or an organisation for ``the ministry``); else
a pronoun, resolved to the nearest compatible speaker before it, outside quote text.
Also a per-document cache of ``doc.text`` and ``doc.ents``, which spaCy rebuilds on every access.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f", "i": None, "we": None}
GROUP_PRONOUNS = {"they", "it", "them"}
PRONOUNS = set(PERSON_PRONOUNS) | GROUP_PRONOUNS
RELATIVES = ("who", "which", "that")
QUANTIFIERS = frozenset("""
some all many most one several others those both few each someone somebody anyone everyone
nobody none either neither
""".split())
ORG_NOUNS = frozenset("""
ministry government department office agency administration campaign committee council
company firm party commission authority court police army military spokesperson embassy
association union bank board bureau group organisation organization institute service
coalition cabinet parliament congress senate house kremlin pentagon newspaper network
""".split())
ENTITY_KINDS = {"PERSON": "person", "ORG": "organisation", "GPE": "organisation",
                "NORP": "group", "FAC": "organisation"}
TITLES = frozenset("""
mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sen sen. rep rep. gov gov. lt lt. gen gen. col
col. sgt sgt. capt capt. president vice secretary senator representative governor mayor
minister chancellor premier prime judge justice rev rev. sir dame lord lady sheikh king queen
prince princess pope ambassador commissioner speaker leader chairman chairwoman chair director
spokesman spokeswoman spokesperson candidate nominee councilor councillor councilman
councilwoman deputy mp attorney general professor officer chief
""".split())
NP_CUT = ("relcl", "acl", "appos", "advcl", "punct", "cc", "conj", "prep")


@dataclass
class Mention:
    """A speaker's mention in the text, and what it says about the speaker."""
    start: int
    end: int
    text: str
    kind: str                          # person, organisation, group, unnamed, pronoun
    name_start: int = 0                # the name inside the mention (entity), for canonical
    name_end: int = 0
    role: str | None = None
    organisation: str | None = None
    descriptor: str = ""               # head noun phrase of an unnamed source
    gender: str | None = None


_LOCAL = threading.local()   # per thread: the document being worked on, its entities and text


def _cached(doc) -> tuple:
    cache = getattr(_LOCAL, "cache", None)
    if cache is None or cache[0] is not doc:
        cache = _LOCAL.cache = (doc, list(doc.ents), doc.text)
    return cache


def forget(doc=None) -> None:
    """Drop the cached entities and text (at the end of an article)."""
    _LOCAL.cache = None


def doc_ents(doc) -> list:
    """``doc.ents`` computed once per document (spaCy rebuilds the list on every access)."""
    return _cached(doc)[1]


def doc_text(doc) -> str:
    """``doc.text``, joined once per document (spaCy joins the tokens on every access)."""
    return _cached(doc)[2]


def ents_in(doc, start: int, end: int) -> list:
    """The entities inside the character range [start, end)."""
    return [e for e in doc_ents(doc) if start <= e.start_char and e.end_char <= end]


def _entity_of(tok):
    doc = tok.doc
    if tok.ent_iob_ == "O":
        return None
    for ent in doc_ents(doc):
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _np_tokens(head):
    """The subject's noun phrase without relative clauses, appositions and the like."""
    cut = set()
    for child in head.children:
        if child.dep_ in NP_CUT and child.i > head.i:
            cut.update(t.i for t in child.subtree)
    # "Secretary of State Mike Pompeo": keep prepositions that come before the head
    return [t for t in head.subtree if t.i not in cut]


def _role_and_org(tokens) -> tuple[str | None, str | None]:
    """Title words before a name: 'Secretary of State' (role), 'Russian Foreign Minister'
    (organisation 'Russian', role 'Foreign Minister')."""
    org_parts, role_parts = [], []
    for t in tokens:
        if t.dep_ in ("det", "punct", "poss", "case") or t.tag_ == "POS" or t.like_num:
            continue
        if t.ent_type_ in ("NORP", "GPE", "ORG") and not role_parts:   # "RNC Chairman"
            org_parts.append(t.text)
        else:
            role_parts.append(t.text)
    while role_parts and role_parts[-1].lower() in ("of", "and", ",", "the"):
        role_parts.pop()
    role = " ".join(role_parts) or None
    if role and (not role[0].isupper() and len(role_parts) > 3):
        role = None
    return role, " ".join(org_parts) or None


def _name_entity(tok, tokens):
    """The person or organisation named in the subject's noun phrase (or in its apposition:
    'the chief negotiator, Tomas Reyel'); a nationality is a name only as the head."""
    ents = doc_ents(tok.doc)
    own = _entity_of(tok)
    if own is not None and own.label_ in ENTITY_KINDS and \
            (own.label_ in ("PERSON", "ORG", "FAC") or tok.pos_ == "PROPN"):
        return own, False
    if tok.pos_ == "NOUN":
        for child in tok.children:
            if child.dep_ == "appos":
                named = [e for e in ents if e.label_ == "PERSON" and e.start <= child.i < e.end]
                if named:
                    return named[-1], True
    owners = {t.i for c in tok.children if c.dep_ == "poss" for t in c.subtree}
    idx = {t.i for t in tokens} - owners    # "Kovacs's counterpart" is not Kovacs
    cands = [e for e in ents if e.label_ in ("PERSON", "ORG") and
             any(e.start <= i < e.end for i in idx)]
    if not cands:
        return None, False
    persons = [e for e in cands if e.label_ == "PERSON"]
    return (persons or cands)[-1], False


def _group(tok, tokens) -> Mention | None:
    """A coordinated or counted subject as one group: ``Russia's and China's
    representatives``, ``Jane Roe and Tomas Reyel``, ``the two leaders``."""
    text = doc_text(tok.doc)
    conj = [c for c in tok.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
    owners = [c for c in tok.children if c.dep_ == "poss"]
    counted = tok.tag_ == "NNS" and tok.lemma_.lower() not in ORG_NOUNS and any(
        c.dep_ == "nummod" or c.lower_ == "both" for c in tok.children if c.i < tok.i)
    if conj and any(c.dep_ == "cc" and c.lower_ in ("and", "&") for c in tok.children):
        last = max(c.right_edge.i for c in conj)
        span = [t for t in tok.doc[tok.left_edge.i:last + 1]]
    elif counted or (tok.tag_ == "NNS" and any(  # "Russia's and China's representatives"
            c.dep_ == "conj" for o in owners for c in o.children)):
        span = [t for t in tokens if t.i <= tok.i]
    elif tok.tag_ == "NNS" and owners and _shared_owner(tok) is not None:
        span = list(tok.doc[_shared_owner(tok):tok.i + 1])
    else:
        return None
    while span and (span[0].is_punct or span[0].dep_ == "cc"):
        span = span[1:]
    start, end = span[0].idx, span[-1].idx + len(span[-1])
    return Mention(start, end, text[start:end], "group", start, end,
                   descriptor=text[start:end])


def _quantifier(tok) -> Mention | None:
    """``some note that``, ``all agreed``, ``those close to him say``, ``one saying``, ``most
    of whom``: an unnamed source named by the whole phrase."""
    if tok.lower_ not in QUANTIFIERS and not (tok.pos_ == "NUM" and tok.like_num):
        return None     # "two of whom", "three said" count people too
    doc, text = tok.doc, doc_text(tok.doc)
    last = max([tok] + [t for c in tok.children if c.dep_ in ("prep", "amod") and c.i > tok.i
                        for t in c.subtree], key=lambda t: t.i)
    start, end = tok.idx, last.idx + len(last)
    return Mention(start, end, text[start:end], "unnamed", start, end,
                   descriptor=text[start:end])


def _shared_owner(tok) -> int | None:
    """Where ``Russia's and`` starts before ``China's representatives`` (a parse that
    leaves the first owner outside the noun phrase)."""
    doc, left = tok.doc, tok.left_edge.i
    if left >= 3 and doc[left - 1].lower_ in ("and", "&") and doc[left - 2].tag_ == "POS":
        return doc[left - 3].left_edge.i
    return None


def _has_letters(s: str) -> bool:
    return any(ch.isalpha() for ch in s)


def mention_of(tok, groups: bool = True) -> Mention | None:
    """The speaker's mention for the subject token ``tok`` of a cue (none for an emoji or
    a symbol: only words name a speaker); ``groups=False`` reads one name of a group."""
    m = _mention_of(tok, groups)
    return m if m is None or _has_letters(m.text) else None


def _mention_of(tok, groups: bool) -> Mention | None:
    doc = tok.doc
    text = doc_text(doc)
    if tok.lower_ in RELATIVES and tok.head.dep_ == "relcl" and tok.head.head != tok:
        m = mention_of(tok.head.head)     # "Kamin, who said": the mention is "who", the
        if m is not None and m.kind != "pronoun":   # speaker the noun it stands for
            m.start, m.end, m.text = tok.idx, tok.idx + len(tok), tok.text
        return m
    if tok.pos_ == "PRON" or tok.lower_ in PRONOUNS:
        low = tok.lower_
        if low not in PRONOUNS:
            return _quantifier(tok)
        return Mention(tok.idx, tok.idx + len(tok), tok.text, "pronoun", tok.idx,
                       tok.idx + len(tok), gender=PERSON_PRONOUNS.get(low))
    tokens = _np_tokens(tok)
    group = _group(tok, tokens) if groups else None
    if group is not None:
        return group
    ent, appos = _name_entity(tok, tokens)
    if ent is not None:
        kind = ENTITY_KINDS[ent.label_]
        name_start = ent.start
        while name_start < ent.end - 1 and doc[name_start].lower_ in TITLES:
            name_start += 1       # "Councilor Piotr Lasko": the title is a role
        titled = [t for t in ent.root.subtree if t.i < name_start] if appos else []
        if appos and titled:
            before = titled          # "the counterpart, Deputy Foreign Minister Tomas Reyel"
        elif appos:
            before = [t for t in tokens if t.i <= tok.i and not t.dep_ == "poss" and
                      t.head.dep_ != "poss"] + [t for t in doc[ent.start:name_start]]
        else:
            before = [t for t in tokens if t.i < ent.start] + list(doc[ent.start:name_start])
        before = [t for t in before if "\n" not in text[t.idx:ent.start_char]]  # same line
        role, org = _role_and_org(before) if kind == "person" else (None, None)
        return Mention(ent.start_char, ent.end_char, ent.text, kind, doc[name_start].idx,
                       ent.end_char, role=role, organisation=org)
    if tok.pos_ not in ("NOUN", "PROPN"):
        return _quantifier(tok)
    start = tok.left_edge.idx
    last = tok.right_edge
    end = last.idx + len(last)
    while end > start and text[end - 1] in " ,;:—–-":
        end -= 1
    mods = [t for t in tokens if t.i <= tok.i and t.dep_ not in ("det", "punct", "poss", "predet")
            and t.tag_ != "POS"]
    descriptor = " ".join(t.text for t in mods)
    kind = "organisation" if tok.lemma_.lower() in ORG_NOUNS else "unnamed"
    if tok.pos_ == "PROPN":   # a name the model did not tag: the proper nouns ending at the head
        kind = "organisation" if tok.lemma_.lower() in ORG_NOUNS else "person"
        first = tok
        while first.i > 0 and doc[first.i - 1].pos_ == "PROPN" and \
                doc[first.i - 1].head in (tok, first):
            first = doc[first.i - 1]
        start, end = first.idx, tok.idx + len(tok)
    return Mention(start, end, text[start:end], kind, tok.idx if kind == "unnamed" else start,
                   end, descriptor=descriptor)


@dataclass
class Known:
    """A speaker already found in the article, as a candidate for a later pronoun."""
    pos: int
    kind: str
    key: str          # canonical name within the article
    mention: Mention


def resolve_pronoun(mention: Mention, known: list[Known], genders: dict[str, str]) -> Known | None:
    """The nearest speaker before the pronoun that fits it: a person for he/she (of the same
    gender when that is known), an organisation or group for it/they."""
    low = mention.text.lower()
    if low in ("i", "we"):
        return None     # the writer (or the writer's side): not a speaker named in the text
    want_person = low in PERSON_PRONOUNS
    for cand in reversed(known):
        if cand.pos >= mention.start:
            continue
        if want_person and cand.kind != "person":
            continue
        if low == "it" and cand.kind not in ("organisation",):
            continue
        if low == "they" and cand.kind == "person":
            continue
        gender = genders.get(cand.key)
        if mention.gender and gender and gender != mention.gender:
            continue
        return cand
    if low == "they":
        for cand in reversed(known):
            if cand.pos < mention.start:
                return cand
    return None


def person_candidates(doc, quote_spans) -> list[Known]:
    """PERSON and organisation entities outside quote text, as pronoun candidates."""
    out = []
    inside = _inside(quote_spans)
    for ent in doc_ents(doc):
        if ent.label_ not in ("PERSON", "ORG") or inside(ent.start_char):
            continue
        kind = "person" if ent.label_ == "PERSON" else "organisation"
        m = Mention(ent.start_char, ent.end_char, ent.text, kind, ent.start_char, ent.end_char)
        out.append(Known(ent.start_char, kind, "", m))
    for tok in _org_subjects(doc):   # "The ministry published ... It said"
        if not inside(tok.idx):
            m = mention_of(tok)
            if m is not None:
                out.append(Known(m.start, m.kind, "", m))
    return out


def _org_subjects(doc):
    """Subjects that are organisation nouns (``the ministry``), read from the lemma and
    dependency columns rather than token by token."""
    import numpy  # here, with spaCy: importing this module must not load spaCy
    from spacy.attrs import DEP, LEMMA

    strings = doc.vocab.strings
    table = doc.to_array([LEMMA, DEP])
    if not len(table):
        return
    wanted = numpy.array([strings.add(w) for w in ORG_NOUNS], dtype="uint64")
    hits = numpy.isin(table[:, 0], wanted) & (table[:, 1] == strings.add("nsubj"))
    for i in numpy.flatnonzero(hits):
        yield doc[int(i)]


def _inside(spans):
    spans = sorted(spans)

    def check(pos: int) -> bool:
        return any(s <= pos < e for s, e in spans)
    return check
