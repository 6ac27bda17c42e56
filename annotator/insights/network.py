"""The discourse network of the chosen quotes, from grouped counts, as plain data.

A statement is a quote with a speaker and a position (on its topic). Merged speakers count as
the speaker they were merged into. Three graphs, in the manner of Discourse Network Analyzer:

- ``two_mode``: speakers and concepts (a topic's position); an edge's ``weight`` is the number
  of the speaker's quotes that take that position.
- ``congruence``: speakers tied when both took the same position on a topic; ``weight`` is the
  number of topics on which they agree (each topic counts once, however many quotes).
- ``conflict``: speakers tied when they took positions whose values have opposite signs on a
  topic (e.g. 1 support, -1 oppose); ``weight`` is the number of such topics. Positions with
  no value or value 0 are never in conflict.

The window is the filter's date range (articles' published dates).

SQL groups the quotes into statements (speaker x position, with counts); the ties are then
sparse matrix products per topic (speakers x positions, scipy), never a self-join over
statements: a topic's pairs are found once, a pair's topics are a bit set, and the minimum
weight and the top-N heaviest are applied to arrays before any tie becomes a Python object.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sqlite_utils import Database

from annotator.selection import Selection, ResolvedSelection


@dataclass
class Graph:
    """Nodes ``(id, attributes)`` and undirected edges ``(source, target, attributes)``
    (a list, or ``Ties``: a sequence made on demand)."""
    name: str
    nodes: list[tuple[str, dict]] = field(default_factory=list)
    edges: list[tuple[str, str, dict]] = field(default_factory=list)
    attributes: dict = field(default_factory=dict)
    all_edges: int | None = None  # edges of at least the minimum weight, before the top-N


@dataclass
class Network:
    two_mode: Graph
    congruence: Graph
    conflict: Graph
    all_speakers: int = 0  # speakers with a statement, before the ``speakers`` cap

    def graphs(self) -> list[Graph]:
        return [self.two_mode, self.congruence, self.conflict]


CANON = """
WITH RECURSIVE canon(id, root) AS (
    SELECT id, id FROM speakers WHERE merged_into IS NULL
    UNION ALL SELECT s.id, c.root FROM speakers s JOIN canon c ON s.merged_into = c.id)"""
"""Every speaker id with ``root``, the speaker it counts as (merges followed)."""

STATEMENTS = CANON + """
SELECT c.root AS speaker, p.topic_id AS topic, p.id AS position, p.value AS value,
       count(*) AS n
FROM quotes q JOIN articles a ON a.id = q.article_id
JOIN canon c ON c.id = q.speaker_id
JOIN positions p ON p.id = q.position_id
WHERE {quote_where} AND {article_where} AND q.speaker_id IS NOT NULL
  AND q.position_id IS NOT NULL
GROUP BY c.root, p.id"""
STATEMENTS_NO_ARTICLES = STATEMENTS.replace(
    "FROM quotes q JOIN articles a ON a.id = q.article_id", "FROM quotes q")


def speaker_node(sid: int) -> str:
    return f"s{sid}"


def concept_node(pid: int) -> str:
    return f"c{pid}"


class Ties:
    """The ties of a one-mode graph as arrays (speaker ids ``s1 < s2``, ``weight``, and the
    bit set of their ``topics``), ordered by speakers; yields ``(source, target,
    {"weight", "topics"})`` only when read, so a million ties cost arrays, not objects."""

    types = {"weight": "int", "topics": "string"}

    def __init__(self, s1, s2, weight, masks, topic_names: list[str]):
        self.s1, self.s2, self.weight = s1, s2, weight
        self.masks = masks                  # one int64 array per 62 topics
        self.topic_names = topic_names
        self._names: dict[tuple, str] = {}

    def __len__(self) -> int:
        return len(self.s1)

    def _topics(self, i: int) -> str:
        key = tuple(int(m[i]) for m in self.masks)
        text = self._names.get(key)
        if text is None:
            names = [self.topic_names[chunk * BITS + b]
                     for chunk, m in enumerate(key) for b in range(BITS) if m >> b & 1]
            text = self._names[key] = "; ".join(names)
        return text

    def __getitem__(self, i: int) -> tuple[str, str, dict]:
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        return (speaker_node(int(self.s1[i])), speaker_node(int(self.s2[i])),
                {"weight": int(self.weight[i]), "topics": self._topics(i)})

    def __iter__(self):
        step = 65536  # converted a slice at a time: memory stays flat, the loop stays fast
        for lo in range(0, len(self), step):
            masks = list(zip(*(m[lo:lo + step].tolist() for m in self.masks)))
            for j, (a, b, w) in enumerate(zip(self.s1[lo:lo + step].tolist(),
                                              self.s2[lo:lo + step].tolist(),
                                              self.weight[lo:lo + step].tolist())):
                text = self._names.get(masks[j])
                if text is None:
                    text = self._topics(lo + j)
                yield f"s{a}", f"s{b}", {"weight": w, "topics": text}


BITS = 62  # topics per bit-set word


def statements(db: Database, filters: ResolvedSelection) -> list[tuple]:
    """``(speaker, topic, position, value, n)``: the chosen quotes grouped by (canonical)
    speaker and position."""
    a_where, params = filters.article_where("a")
    sql = STATEMENTS if a_where != "1" else STATEMENTS_NO_ARTICLES
    return db.execute(sql.format(quote_where=filters.quote_where("q"), article_where=a_where),
                      params).fetchall()


def _pairs(rows: np.ndarray, cols: np.ndarray, size: int):
    """The upper triangle (row < col) of the 0/1 product of a speakers x columns incidence
    matrix with its transpose: the speaker pairs sharing a column."""
    inc = sparse.csr_matrix((np.ones(len(rows), np.int32), (rows, cols)),
                            shape=(size, int(cols.max()) + 1 if len(cols) else 1))
    prod = sparse.triu(inc @ inc.T, k=1, format="csr")
    prod.data[:] = 1
    return prod


def _cross(left: np.ndarray, right: np.ndarray, size: int):
    """Every pair of one speaker of ``left`` and one of ``right`` (each pair once, row < col)."""
    a = sparse.csr_matrix((np.ones(len(left), np.int32), (left, np.zeros(len(left), int))),
                          shape=(size, 1))
    b = sparse.csr_matrix((np.ones(len(right), np.int32), (right, np.zeros(len(right), int))),
                          shape=(size, 1))
    prod = a @ b.T
    prod = sparse.triu(prod + prod.T, k=1, format="csr")
    prod.data[:] = 1
    return prod


def ties(st: list[tuple], kind: str, *, min_weight: int = 1, top: int | None = None,
         topic_names: dict[int, str]) -> tuple[Ties, int]:
    """The ``congruence`` or ``conflict`` ties of statements ``st`` (see ``statements``), the
    lightest left out (``min_weight``) and at most the ``top`` heaviest kept (the lower
    speaker pair first among equals); and how many ties had the minimum weight."""
    speakers = np.array(sorted({r[0] for r in st}), dtype=np.int64)
    size = len(speakers)
    topic_ids = sorted({r[1] for r in st})
    by_topic: dict[int, list] = {}
    for r in st:
        by_topic.setdefault(r[1], []).append(r)
    weight = sparse.csr_matrix((size, size), dtype=np.int32)
    masks = [sparse.csr_matrix((size, size), dtype=np.int64)
             for _ in range(max(1, (len(topic_ids) + BITS - 1) // BITS))]
    for t, tid in enumerate(topic_ids):
        rows = by_topic[tid]
        who = np.searchsorted(speakers, np.array([r[0] for r in rows], dtype=np.int64))
        if kind == "congruence":
            pos = np.array([r[2] for r in rows], dtype=np.int64)
            _, col = np.unique(pos, return_inverse=True)
            pairs = _pairs(who, col.ravel(), size)
        else:
            value = np.array([r[3] if r[3] is not None else 0 for r in rows], dtype=float)
            pairs = _cross(np.unique(who[value > 0]), np.unique(who[value < 0]), size)
        if not pairs.nnz:
            continue
        weight = weight + pairs
        masks[t // BITS] = masks[t // BITS] + pairs.astype(np.int64) * (1 << (t % BITS))
    weight = weight.tocoo()
    order = np.lexsort((weight.col, weight.row))
    s1, s2, w = weight.row[order], weight.col[order], weight.data[order]
    keys = s1.astype(np.int64) * max(size, 1) + s2
    mask_values = []
    for m in masks:  # each word's bits, aligned with the weights' pairs
        m = m.tocoo()
        aligned = np.zeros(len(keys), np.int64)
        aligned[np.searchsorted(keys, m.row.astype(np.int64) * max(size, 1) + m.col)] = m.data
        mask_values.append(aligned)
    keep = w >= min_weight
    before = int(keep.sum())
    if top is not None and before > top:
        idx = np.flatnonzero(keep)
        heaviest = idx[np.lexsort((idx, -w[idx]))[:top]]   # weight, then pair order
        keep = np.zeros(len(w), bool)
        keep[heaviest] = True
    names = [topic_names[tid] for tid in topic_ids]
    return Ties(speakers[s1[keep]], speakers[s2[keep]], w[keep],
                [m[keep] for m in mask_values], names), before


def discourse_network(db: Database, filters: Selection | ResolvedSelection | None = None, *,
                      min_weight: int = 1, top: int | None = None,
                      speakers: int | None = None) -> Network:
    """The three graphs of the quotes the filter chooses (rejected quotes left out unless
    the filter names statuses). ``min_weight`` leaves out lighter ties and two-mode edges;
    ``top`` keeps the heaviest ties of each graph; ``speakers`` keeps only the most quoted
    speakers (for a drawing: nodes and ties of the others are never made)."""
    if not isinstance(filters, ResolvedSelection):
        filters = (filters or Selection()).with_default_statuses().resolve(db)
    st = statements(db, filters)
    window_from, window_to = filters.window
    meta = {"window_start": window_from or "", "window_end": window_to or "",
            "layers": ", ".join(filters.spec.layers) or "all"}
    totals: dict[int, int] = {}
    for sid, _t, _p, _v, n in st:
        totals[sid] = totals.get(sid, 0) + n
    if speakers is not None and len(totals) > speakers:
        chosen = set(sorted(totals, key=lambda s: (-totals[s], s))[:speakers])
        st = [r for r in st if r[0] in chosen]
    info = {sid: (name, role, org, kind) for sid, name, role, org, kind in db.execute(
        "SELECT id, name, role, organisation, kind FROM speakers WHERE id IN "
        "(SELECT value FROM json_each(?))", [f"[{','.join(str(s) for s in totals)}]"])}
    speaker_nodes = []
    for sid in sorted({r[0] for r in st}):
        name, role, org, kind = info[sid]
        speaker_nodes.append((speaker_node(sid), {
            "label": name, "type": "speaker", "role": role or "", "organisation": org or "",
            "kind": kind, "quotes": totals[sid]}))
    positions = {pid: (tid, tname, torder, label, porder) for pid, tid, tname, torder, label,
                 porder in db.execute('SELECT p.id, t.id, t.name, t."order", p.label, '
                                      'p."order" FROM positions p JOIN topics t '
                                      "ON t.id = p.topic_id")}
    concepts: dict[int, dict] = {}
    for _sid, _t, pid, value, n in st:
        _tid, topic, _to, label, _po = positions[pid]
        concept = concepts.setdefault(pid, {"label": f"{topic}: {label}", "type": "concept",
                                            "topic": topic, "position": label,
                                            "value": value, "quotes": 0})
        concept["quotes"] += n

    def order(pid):
        tid, _name, torder, _label, porder = positions[pid]
        return torder, tid, porder, pid
    edges = [(speaker_node(sid), concept_node(pid),
              {"weight": n, "topic": positions[pid][1], "position": positions[pid][3]})
             for sid, _t, pid, _v, n in sorted(st, key=lambda r: (r[0], order(r[2])))]
    if min_weight > 1:
        edges = [e for e in edges if e[2]["weight"] >= min_weight]
    two_all = len(edges)
    if top is not None and len(edges) > top:
        keep = set(sorted(range(len(edges)), key=lambda i: -edges[i][2]["weight"])[:top])
        edges = [e for i, e in enumerate(edges) if i in keep]
    two_mode = Graph("two_mode", speaker_nodes +
                     [(concept_node(pid), concepts[pid]) for pid in sorted(concepts, key=order)],
                     edges, dict(meta, kind="speaker-concept"), two_all)
    names = {tid: tname for tid, tname, *_ in positions.values()}

    def one_mode(kind: str) -> Graph:
        found, before = ties(st, kind, min_weight=min_weight, top=top, topic_names=names)
        return Graph(kind, list(speaker_nodes), found, dict(meta, kind=kind), before)

    return Network(two_mode, one_mode("congruence"), one_mode("conflict"), len(totals))
