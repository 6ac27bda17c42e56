"""The project's vocabularies, one home for each: quote kinds and statuses, article statuses,
speaker kinds, layer kinds, merge proposal statuses.

The schema's CHECK constraints (``store/migrations.py``, never edited once shipped) hold the
same words; ``tests/core/test_vocab.py`` checks that they agree.
"""
from __future__ import annotations

QUOTE_KINDS = ("direct", "indirect", "mixed")
QUOTE_STATUSES = ("suggested", "accepted", "rejected")
ARTICLE_STATUSES = ("todo", "in_progress", "done", "skipped")
SPEAKER_KINDS = ("person", "organisation", "group", "unnamed")
LAYER_KINDS = ("analyst", "suggestions", "gold")
MERGE_PROPOSAL_STATUSES = ("proposed", "accepted", "rejected")
