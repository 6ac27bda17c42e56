"""Canonical speakers within one article: one name per person or organisation.

- Titles and possessives are dropped (``Mr. Pompeo's`` → ``Pompeo``); a surname alone takes
  the full name it had earlier (or later) in the article (``Pompeo`` → ``Mike Pompeo``).
- An organisation named by part of its name takes the full name (``Harbor Authority`` →
  ``Port Elsin Harbor Authority``); a leading ``the`` is dropped.
- An unnamed source is named by its description (``a senior official`` → ``unnamed senior
  official``); a demonym becomes the country in an organisation field.
"""
from __future__ import annotations

import re

from annotator.nlp.suggest.mentions import ORG_NOUNS, TITLES, Mention, doc_ents, mention_of

DEMONYMS = {"russian": "Russia", "american": "United States", "british": "United Kingdom",
            "chinese": "China", "french": "France", "german": "Germany", "ukrainian":
            "Ukraine", "iranian": "Iran", "israeli": "Israel", "japanese": "Japan",
            "mexican": "Mexico", "syrian": "Syria", "turkish": "Turkey", "indian": "India",
            "canadian": "Canada", "north korean": "North Korea", "south korean": "South Korea",
            "saudi": "Saudi Arabia", "italian": "Italy", "spanish": "Spain", "polish": "Poland",
            "egyptian": "Egypt", "iraqi": "Iraq", "afghan": "Afghanistan", "cuban": "Cuba",
            "pakistani": "Pakistan", "brazilian": "Brazil", "australian": "Australia",
            "democratic": "Democratic Party", "republican": "Republican Party"}
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
SPACES = re.compile(r"\s+")


def clean_person(name: str) -> str:
    """A person's name without titles, initial ``the``, possessive and extra spaces."""
    words = SPACES.sub(" ", name).strip().split(" ")
    words = [POSSESSIVE.sub("", w) if i == len(words) - 1 else w for i, w in enumerate(words)]
    while len(words) > 1 and (words[0].lower() in TITLES or words[0].lower() == "the"):
        words = words[1:]
    return " ".join(w for w in words if w).strip(" ,.;:")


def clean_org(name: str) -> str:
    """An organisation's name without an initial ``the`` and a possessive."""
    words = SPACES.sub(" ", name).strip().split(" ")
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    words[-1] = POSSESSIVE.sub("", words[-1])
    return " ".join(words).strip(" ,.;:")


def organisation_of(org: str | None) -> str | None:
    """'Russian' → 'Russia'; other organisations as written."""
    if not org:
        return None
    return DEMONYMS.get(org.lower(), org)


def surname(name: str) -> str:
    """The last word of a name, lower-cased."""
    parts = name.split()
    return parts[-1].lower() if parts else ""


class ArticleNames:
    """The people and organisations named in one article, to canonicalise mentions."""

    def __init__(self, doc):
        self.persons: list[str] = []
        self.orgs: list[str] = []
        self.person_words: set[str] = set()
        self._by_surname: dict[str, list[str]] | None = None
        self.person_ents: dict[str, list] = {}   # name -> its entities, for title_of
        for ent in doc_ents(doc):
            if ent.label_ == "PERSON":
                name = clean_person(ent.text)
                if name:
                    self.persons.append(name)
                    self.person_words.update(w.lower() for w in name.split())
                    self.person_ents.setdefault(name, []).append(ent)
            elif ent.label_ in ("ORG", "FAC"):
                self.orgs.append(clean_org(ent.text))
                words = clean_person(ent.text).split()
                if 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words) and \
                        not any(w.lower() in ORG_NOUNS for w in words):
                    self.persons.append(" ".join(words))   # a person tagged as organisation

    def full_person(self, name: str) -> str:
        """The longest name in the article that ends like ``name`` (the surname rule)."""
        if not name:
            return name
        if self._by_surname is None:
            self._by_surname = {}
            for cand in self.persons:
                self._by_surname.setdefault(surname(cand), []).append(cand)
        best = name
        for cand in self._by_surname.get(surname(name), ()):
            if len(cand.split()) > len(best.split()) and cand.lower().endswith(name.lower()):
                best = cand
        return best

    def title_of(self, name: str) -> tuple:
        """(role, organisation) that the article gives the person ``name`` somewhere
        (``U.S. Secretary of State Mike Pompeo`` for a later ``Pompeo said``)."""
        for ent in self.person_ents.get(name, ()):
            m = mention_of(ent.root, groups=False)
            if m is not None and (m.role or m.organisation):
                return m.role, m.organisation
        return None, None

    def full_org(self, name: str) -> str:
        """The longest organisation of the article whose name ends with ``name``."""
        best = name
        for cand in self.orgs:
            if len(cand) > len(best) and cand.lower().endswith(" " + name.lower()):
                best = cand
        return best

    def looks_like_person(self, name: str) -> bool:
        """An ORG entity that is one of the article's people (``Trump said``)."""
        words = name.split()
        return bool(words) and len(words) <= 3 and all(w.lower() in self.person_words
                                                       for w in words)


def canonical(mention: Mention, names: ArticleNames, text: str) -> tuple[str, str]:
    """(canonical name, kind) of a non-pronoun mention."""
    raw = text[mention.name_start:mention.name_end] or mention.text
    kind = mention.kind
    if kind == "organisation" and names.looks_like_person(clean_person(raw)):
        kind = "person"
    if kind == "person":
        return names.full_person(clean_person(raw)), kind
    if kind in ("organisation", "group"):
        return names.full_org(clean_org(raw)), kind
    descriptor = mention.descriptor or raw
    return f"unnamed {descriptor}".strip(), "unnamed"
