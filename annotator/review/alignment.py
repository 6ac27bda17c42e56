"""Quotes of several layers aligned into units, for review and agreement.

Two quotes of different layers are *candidates* when they share characters (the overlap of
their fragments) and the overlap is at least ``MIN_OVERLAP`` (half) of the shorter quote's
length. Candidates are joined greedily, largest overlap first (ties: larger overlap relative to
the union, then text order), into units holding at most one quote per layer: a quote is never
matched twice, and a unit of two quotes is not joined with a third quote of a layer it already
has. Every quote left alone is a unit of its own, missing in the other layers.

A unit's ``differences`` among its quotes: ``missing`` (a layer has no quote), ``boundaries``
(different fragments), ``speaker`` (different canonical speakers: ``merged_into`` followed to
the root; no speaker differs from any speaker), ``position`` (different topic or position).
``status`` is the most severe difference (missing > speaker > position > boundaries), or
``agree``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlite_utils import Database

MIN_OVERLAP = 0.5
SEVERITY = ("missing", "speaker", "position", "boundaries")

CANON_SQL = """WITH RECURSIVE canon(id, root) AS (
    SELECT id, id FROM speakers WHERE merged_into IS NULL
    UNION ALL SELECT s.id, c.root FROM speakers s JOIN canon c ON s.merged_into = c.id)
SELECT id, root FROM canon"""


@dataclass(slots=True)
class Unit:
    """Quotes of several layers that stand for the same quote in the text."""
    quotes: dict                     # layer_id -> quote dict, or None when the layer has none
    status: str = "agree"
    differences: list = field(default_factory=list)
    start: int = 0
    end: int = 0

    def present(self) -> list[dict]:
        return [q for q in self.quotes.values() if q is not None]

    def uuids(self) -> list[str]:
        return [q["uuid"] for q in self.present()]


def canonical_speakers(db: Database) -> dict[int, int]:
    """speaker id -> id of the speaker it was (transitively) merged into, or itself."""
    return dict(db.execute(CANON_SQL).fetchall())


def quote_length(q: dict) -> int:
    """Characters in the quote's fragments (cached in the dict as ``length``)."""
    n = q.get("length")
    if n is None:
        n = q["length"] = sum(e - s for s, e in q["fragments"])
    return n


def overlap(a: dict, b: dict) -> int:
    """Characters the two quotes' fragments share."""
    if a["start"] >= b["end"] or b["start"] >= a["end"]:
        return 0
    return _shared(a["fragments"], b["fragments"])


def _shared(fa, fb) -> int:
    if len(fa) == 1 and len(fb) == 1:
        (s1, e1), (s2, e2) = fa[0], fb[0]
        return max(0, min(e1, e2) - max(s1, s2))
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in fa for s2, e2 in fb)


def _differences(quotes: list[dict], n_layers: int) -> list[str]:
    """What differs among a unit's quotes, most severe first (``SEVERITY`` order)."""
    out = ["missing"] if len(quotes) < n_layers else []
    if len(quotes) == 2:                  # the common case, without generators
        a, b = quotes
        if a["canonical_speaker_id"] != b["canonical_speaker_id"]:
            out.append("speaker")
        if a["position_id"] != b["position_id"] or a["topic_id"] != b["topic_id"]:
            out.append("position")
        if a["fragments"] != b["fragments"]:
            out.append("boundaries")
    elif len(quotes) > 2:
        first, rest = quotes[0], quotes[1:]
        speaker = first["canonical_speaker_id"]
        if any(q["canonical_speaker_id"] != speaker for q in rest):
            out.append("speaker")
        topic, position = first["topic_id"], first["position_id"]
        if any(q["position_id"] != position or q["topic_id"] != topic for q in rest):
            out.append("position")
        frags = first["fragments"]
        if any(q["fragments"] != frags for q in rest):
            out.append("boundaries")
    return out


def _candidates(by_layer: dict, layer_ids, min_overlap: float) -> tuple[list, list]:
    """The quotes in text order, and the candidate pairs (i, j), best first."""
    items = [(q["start"], q["end"], lid, q) for lid in layer_ids for q in by_layer.get(lid, ())]
    items.sort(key=lambda t: (t[0], t[1]))
    lengths = [quote_length(t[3]) for t in items]
    candidates = []
    for i, (s1, e1, l1, q1) in enumerate(items):
        for j in range(i + 1, len(items)):
            s2, e2, l2, q2 = items[j]
            if s2 >= e1:
                break
            if l1 == l2:
                continue
            shared = _shared(q1["fragments"], q2["fragments"])
            if shared and shared >= min_overlap * min(lengths[i], lengths[j]):
                union = lengths[i] + lengths[j] - shared
                candidates.append((-shared, -shared / union, i, j))
    candidates.sort()
    return items, candidates


def _units(items: list, candidates: list, layer_ids: list) -> list[Unit]:
    """Join the candidates of ``layer_ids`` greedily into units (see the module docstring)."""
    keep = set(layer_ids)
    groups = {i: {t[2]: i} for i, t in enumerate(items) if t[2] in keep}
    parent = {i: i for i in groups}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    for _, _, i, j in candidates:
        if i not in parent or j not in parent:
            continue
        ri, rj = root(i), root(j)
        if ri == rj or groups[ri].keys() & groups[rj].keys():
            continue
        if rj < ri:
            ri, rj = rj, ri
        parent[rj] = ri
        groups[ri].update(groups.pop(rj))
    units, n_layers = [], len(layer_ids)
    for first in sorted(groups):          # a group's key is its first quote in text order
        members = sorted(groups[first].values())
        quotes = dict.fromkeys(layer_ids)
        present, end = [], 0
        for k in members:
            _s, e, lid, q = items[k]
            quotes[lid] = q
            present.append(q)
            end = e if e > end else end
        diffs = _differences(present, n_layers)
        units.append(Unit(quotes=quotes, status=diffs[0] if diffs else "agree",
                          differences=diffs, start=items[first][0], end=end))
    return units


def align_quotes(by_layer: dict, layer_ids, *, min_overlap: float = MIN_OVERLAP) -> list[Unit]:
    """Align ``by_layer`` {layer_id: [quote dicts]} (each with ``fragments`` as a list of
    (start, end) tuples, ``start``, ``end``, ``canonical_speaker_id``, ``topic_id``,
    ``position_id``) into units sorted by text position."""
    layer_ids = list(layer_ids)
    items, candidates = _candidates(by_layer, layer_ids, min_overlap)
    return _units(items, candidates, layer_ids)


def align_subsets(by_layer: dict, layer_ids, subsets, *,
                  min_overlap: float = MIN_OVERLAP) -> list[list[Unit]]:
    """``align_quotes`` for each subset of ``layer_ids`` (e.g. every pair and all of them),
    finding the overlapping quotes once; each result equals ``align_quotes`` of the subset."""
    items, candidates = _candidates(by_layer, list(layer_ids), min_overlap)
    return [_units(items, candidates, list(sub)) for sub in subsets]


def align_article(db: Database, article_id: int, layer_ids, *,
                  min_overlap: float = MIN_OVERLAP, canon: dict | None = None) -> list[Unit]:
    """The quotes (not rejected) of ``layer_ids`` in one article, aligned into units.

    Each quote dict is the one ``desk.article_quotes`` gives, plus ``layer_id`` and
    ``canonical_speaker_id``.
    """
    from annotator.editing.desk import article_quotes
    canon = canonical_speakers(db) if canon is None else canon
    by_layer = {}
    for lid in layer_ids:
        quotes = article_quotes(db, article_id, lid)
        for q in quotes:
            q["layer_id"] = lid
            q["canonical_speaker_id"] = canon.get(q["speaker_id"], q["speaker_id"])
        by_layer[lid] = quotes
    return align_quotes(by_layer, layer_ids, min_overlap=min_overlap)


def status_counts(units) -> dict:
    """Number of units of each status."""
    counts = Counter(u.status for u in units)
    return {s: counts.get(s, 0) for s in ("agree", *SEVERITY)}
