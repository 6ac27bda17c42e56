"""Reporting verbs conjoined to a cue: ``X tweeted that A was "a con" and encouraged B``,
``said A and warned that B``. The parse puts the second verb inside the first one's content;
here it ends that content and becomes a cue of its own, with the first cue's speaker."""
from __future__ import annotations

from annotator.nlp.suggest.mentions import ORG_NOUNS, PRONOUNS
from annotator.nlp.suggest.reported import (OBJECT_INFINITIVE, QUOTE_OPENERS, Cue, balanced,
                                             content_of, object_content, trim_span)
from annotator.nlp.suggest.roles import ROLE_NOUNS

ACTORS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _conjoined(cue: Cue, lemmas: frozenset, text: str):
    """The first verb in the cue's content that goes on the cue's own report rather than
    the content (``tweeted that A was "a con" and encouraged B``, ``said A and warned that
    B``): a speech verb (or ``encourage``, ``urge`` ...) in the cue's tense after ``and`` /
    ``but``, with no subject or complementiser of its own, outside quote marks; with its
    ``and``."""
    cs, ce = cue.content
    verb = cue.token
    reporting = lemmas | OBJECT_INFINITIVE
    for tok in verb.sent:
        if not (cs <= tok.idx < ce) or tok.pos_ != "VERB" or _tense(tok) != _tense(verb) or \
                tok.dep_ not in ("conj", "ccomp") or tok.lemma_.lower() not in reporting:
            continue
        if any(g.dep_ in ("nsubj", "nsubjpass", "mark") for g in tok.children):
            continue
        if tok.dep_ == "conj" and _could_speak(tok.head) and \
                not any(m in text[cs:tok.idx] for m in QUOTE_OPENERS):
            continue   # "said the governor vetoed the bill and encouraged lawmakers": hers
        cc = next((t for t in tok.doc[max(tok.sent.start, tok.i - 3):tok.i]
                   if t.dep_ == "cc" and t.lower_ in ("and", "but") and t.idx > cs), None)
        if cc is not None and balanced(text[cs:cc.idx]):
            return tok, cc
    return None


def _could_speak(head) -> bool:
    """The clause the verb is conjoined to has a subject that may be the one who goes on (a
    name, a pronoun, a role or an organisation noun)."""
    subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is not None and (
        subject.ent_type_ in ACTORS or subject.lower_ in PRONOUNS or
        subject.lemma_.lower() in ROLE_NOUNS | ORG_NOUNS)


def _tense(verb) -> str:
    """The verb's tag, past forms as one (the tagger takes one for the other)."""
    return "VBD" if verb.tag_ == "VBN" else verb.tag_


def split_conjoined(cues: list[Cue], lemmas: frozenset, text: str) -> list[Cue]:
    """Each conjoined reporting verb (``_conjoined``) cut out of the content before it, as a
    cue of its own with the first cue's speaker (the parse often gives it the content's
    subject: ``Machado ... encouraged``). The cues are changed in place; returned in text
    order with the new ones."""
    by_token = {c.token.i: c for c in cues if c.form == "verb"}
    for cue in list(cues):
        if cue.content is None or cue.form != "verb" or cue.content[0] < cue.end:
            continue
        found = _conjoined(cue, lemmas, text)
        if found is None:
            continue
        verb, cc = found
        other = by_token.get(verb.i)
        if other is None:
            content = content_of(verb, text) or object_content(verb, text)
            if content is None:
                continue      # nothing of its own to say: the content stays whole
            other = Cue(verb.idx, verb.idx + len(verb), verb, None, content)
            cues.append(other)
            by_token[verb.i] = other
        cue.content = trim_span(text, cue.content[0], cc.idx)
        other.subject = cue.subject
    return sorted(cues, key=lambda c: c.start)
