"""The vocabularies in ``annotator/vocab.py`` are the words the schema's CHECK constraints allow."""
import re

from annotator import vocab

EXPECTED = {("layers", "kind"): vocab.LAYER_KINDS,
            ("speakers", "kind"): vocab.SPEAKER_KINDS,
            ("quotes", "kind"): vocab.QUOTE_KINDS,
            ("quotes", "status"): vocab.QUOTE_STATUSES,
            ("article_status", "status"): vocab.ARTICLE_STATUSES,
            ("speaker_merge_proposals", "status"): vocab.MERGE_PROPOSAL_STATUSES}


def checks(db) -> dict:
    """{(table, column): the words of its ``CHECK (column IN (...))``}, read from sqlite_master."""
    found = {}
    for table, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                                 "AND sql LIKE '%CHECK%'"):
        for column, words in re.findall(r"CHECK \((\w+) IN \(([^)]*)\)\)", sql):
            found[(table, column)] = tuple(re.findall(r"'([^']*)'", words))
    return found


def test_vocab_matches_the_schema_checks(db):
    assert checks(db) == EXPECTED
