"""Definite role mentions (``the minister``, ``the Russian foreign minister``, ``the foreign
minister of China``, ``the company's chief executive``) resolved to the person they stand for.

- Anaphora: the one person the article named before with that role (and organisation or
  nationality, when the mention gives one): ``Russian Foreign Minister Sergey Lavrov ... the
  minister said`` → Sergey Lavrov.
- Cataphora: else the named speaker of the next quote, in the next sentence or paragraph,
  whose role is the same or unknown (the exchange goes on: ``The foreign minister of China
  said ...`` / ``"...," said Wang Yi.``).
- Two candidates or more: the unnamed speaker stays, with a lower confidence; none: the
  mention keeps its role and organisation so that the registry can answer
  (``annotator.nlp.speaker_matching``).
"""
from __future__ import annotations

from dataclasses import dataclass

from annotator.nlp.suggest.canonical import organisation_of
from annotator.nlp.suggest.mentions import TITLES

ROLE_NOUNS = TITLES | frozenset("""
executive ceo cfo coo founder owner manager spokesman spokeswoman envoy negotiator diplomat
lawmaker congressman congresswoman legislator strategist adviser advisor aide economist
analyst lawyer prosecutor sheriff superintendent principal coach captain commander
""".split()) - frozenset("mr mr. mrs mrs. ms ms. miss dr dr. sir dame lord lady".split())
DEFINITE = ("the", "this", "that")
CATAPHORA_PARAGRAPHS = 1


@dataclass
class Role:
    """What a definite role mention says: the role's words and the organisation, if any."""
    head: str                    # "minister"
    words: frozenset             # {"foreign", "minister"}
    role: str                    # "foreign minister"
    organisation: str | None     # "Russia"


def role_of(span) -> Role | None:
    """The role a definite noun phrase names (``The Russian foreign minister``), or None."""
    head = span.root
    if head.lower_ not in ROLE_NOUNS or head.tag_ not in ("NN", "NNP"):
        return None
    det = [t for t in head.children if t.dep_ == "det" and t.i < head.i]
    owner = [t for t in head.children if t.dep_ == "poss" and t.i < head.i]
    if not (owner or (det and det[0].lower_ in DEFINITE)):
        return None
    org, words = None, []
    for t in span:
        if t.i >= head.i or t.dep_ in ("det", "punct", "case") or t.tag_ == "POS":
            continue
        if t.ent_type_ in ("NORP", "GPE", "ORG") and not words:
            org = f"{org} {t.text}" if org else t.text
        elif t.dep_ != "poss" and not any(a.dep_ == "poss" for a in t.ancestors if a.i < head.i):
            words.append(t.lower_)
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"):
        obj = [g for g in prep.children if g.dep_ == "pobj"]
        if obj and obj[0].ent_type_ in ("GPE", "ORG", "NORP"):    # "of China"
            org = " ".join(t.text for t in obj[0].subtree if t.dep_ != "det")
    if owner and owner[0].ent_type_ in ("GPE", "ORG", "NORP"):    # "Russia's foreign minister"
        org = " ".join(t.text for t in owner[0].subtree if t.tag_ != "POS" and t.dep_ != "det")
    words.append(head.lower_)
    return Role(head.lower_, frozenset(words), " ".join(words), organisation_of(org))


def by_role_words(role: str | None, organisation: str | None) -> Role | None:
    """A Role from stored words (``foreign minister``, ``Latvia``), for the registry."""
    words = (role or "").lower().split(" of ")[0].split()
    if not words or words[-1] not in ROLE_NOUNS:
        return None
    return Role(words[-1], frozenset(words), " ".join(words), organisation_of(organisation))


def role_fits(want: Role, role: str | None, organisation: str | None) -> bool:
    """A person with that role and organisation may be the one ``want`` describes."""
    if not role:
        return False
    have = role.lower().split(" of ")[0].split()
    if not have or have[-1] != want.head or not want.words <= set(role.lower().split()):
        return False
    org = organisation_of(organisation)
    return not (want.organisation and org and not same_organisation(want.organisation, org))


def same_organisation(a: str, b: str) -> bool:
    """``Latvia`` and ``Latvian``, ``Russia`` and ``russia``: one organisation."""
    a, b = a.lower().strip(), b.lower().strip()
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def resolve_roles(items, doc, names, paras) -> None:
    """Give each definite role mention among ``items`` (suggestions in text order) the
    person it stands for; a quote that inherited the speaker follows."""
    for n, item in enumerate(items):
        if item.speaker_kind != "unnamed" or item.mention is None or item.inherited:
            continue
        span = doc.char_span(*item.mention, alignment_mode="expand")
        want = role_of(span) if span is not None else None
        if want is None:
            continue
        earlier = _earlier(want, item.mention[0], names, items[:n])
        if len(earlier) == 1:
            _resolve(item, *earlier.popitem(), want, "role_anaphora")
        elif len(earlier) > 1:
            item.how.append("role_ambiguous")
        else:
            nxt = _next_speaker(items, n, want, paras)
            if nxt is not None:
                _resolve(item, nxt.speaker, (nxt.role, nxt.organisation), want,
                         "role_cataphora")
        if item.speaker_kind == "unnamed":      # for the registry
            item.role, item.organisation = want.role, want.organisation
    prev = None
    for item in items:
        if item.inherited and prev is not None:
            item.speaker, item.speaker_kind = prev.speaker, prev.speaker_kind
            item.role, item.organisation = prev.role, prev.organisation
        prev = item


def _earlier(want: Role, pos: int, names, before) -> dict:
    """Named people before ``pos`` whose role fits: name -> (role, organisation)."""
    found = {}
    for name, ents in names.person_ents.items():
        if not any(e.start_char < pos for e in ents):
            continue
        role, org = names.title_of(name)
        if role_fits(want, role, organisation_of(org)):
            found[name] = (role, organisation_of(org))
    for it in before:
        if it.speaker_kind == "person" and it.speaker and it.speaker not in found and \
                role_fits(want, it.role, it.organisation):
            found[it.speaker] = (it.role, it.organisation)
    return found


def _next_speaker(items, n: int, want: Role, paras):
    """The next quote's named speaker, when it goes on with the exchange."""
    item = items[n]
    for nxt in items[n + 1:]:
        if nxt.start < item.end:
            continue
        if paras.of(nxt.start) - paras.of(item.end) > CATAPHORA_PARAGRAPHS:
            return None
        if nxt.speaker_kind != "person" or not nxt.speaker or "pronoun" in nxt.how or \
                nxt.inherited:
            return None
        if nxt.role and not role_fits(want, nxt.role, nxt.organisation):
            return None
        if want.organisation and nxt.organisation and \
                not same_organisation(want.organisation, nxt.organisation):
            return None
        return nxt
    return None


def _resolve(item, name: str, title: tuple, want: Role, how: str) -> None:
    item.speaker, item.speaker_kind = name, "person"
    role, org = title
    item.role = role or want.role.title()
    item.organisation = org or want.organisation
    item.how.append(how)
