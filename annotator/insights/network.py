"""The discourse network of the chosen quotes, computed in SQL, as plain data.

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
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from annotator.selection import Selection, ResolvedSelection


@dataclass
class Graph:
    """Nodes ``(id, attributes)`` and undirected edges ``(source, target, attributes)``."""
    name: str
    nodes: list[tuple[str, dict]] = field(default_factory=list)
    edges: list[tuple[str, str, dict]] = field(default_factory=list)
    attributes: dict = field(default_factory=dict)


@dataclass
class Network:
    two_mode: Graph
    congruence: Graph
    conflict: Graph

    def graphs(self) -> list[Graph]:
        return [self.two_mode, self.congruence, self.conflict]


CANON = """
WITH RECURSIVE canon(id, root) AS (
    SELECT id, id FROM speakers WHERE merged_into IS NULL
    UNION ALL SELECT s.id, c.root FROM speakers s JOIN canon c ON s.merged_into = c.id)"""
"""Every speaker id with ``root``, the speaker it counts as (merges followed)."""

STATEMENTS = CANON + """,
st AS (
    SELECT c.root AS speaker, p.topic_id AS topic, p.id AS position, p.value AS value,
           count(*) AS n
    FROM quotes q JOIN articles a ON a.id = q.article_id
    JOIN canon c ON c.id = q.speaker_id
    JOIN positions p ON p.id = q.position_id
    WHERE {quote_where} AND {article_where}
    GROUP BY c.root, p.id)
"""

PAIRS = """
SELECT x.s1, x.s2, count(*), group_concat(t.name, '; ')
FROM (SELECT DISTINCT a.speaker AS s1, b.speaker AS s2, a.topic AS topic
      FROM st a JOIN st b ON a.topic = b.topic AND a.speaker < b.speaker AND {condition}
      ORDER BY a.topic) x
JOIN topics t ON t.id = x.topic
GROUP BY x.s1, x.s2 ORDER BY x.s1, x.s2"""


def speaker_node(sid: int) -> str:
    return f"s{sid}"


def concept_node(pid: int) -> str:
    return f"c{pid}"


def discourse_network(db: Database, filters: Selection | ResolvedSelection | None = None
                      ) -> Network:
    """The three graphs of the quotes the filter chooses (rejected quotes left out unless
    the filter names statuses)."""
    if not isinstance(filters, ResolvedSelection):
        filters = (filters or Selection()).with_default_statuses().resolve(db)
    a_where, params = filters.article_where("a")
    head = STATEMENTS.format(quote_where=filters.quote_where("q"), article_where=a_where)
    window_from, window_to = filters.window
    meta = {"window_start": window_from or "", "window_end": window_to or "",
            "layers": ", ".join(filters.spec.layers) or "all"}

    speakers = {}
    for sid, name, role, org, kind, n in db.execute(
            head + "SELECT s.id, s.name, s.role, s.organisation, s.kind, sum(st.n) "
                   "FROM st JOIN speakers s ON s.id = st.speaker GROUP BY s.id ORDER BY s.id",
            params):
        speakers[sid] = {"label": name, "type": "speaker", "role": role or "",
                         "organisation": org or "", "kind": kind, "quotes": n}
    concepts = {}
    edges = []
    for sid, pid, topic, label, value, n in db.execute(
            head + "SELECT st.speaker, st.position, t.name, p.label, st.value, st.n "
                   "FROM st JOIN positions p ON p.id = st.position "
                   "JOIN topics t ON t.id = st.topic ORDER BY st.speaker, t.\"order\", "
                   "t.id, p.\"order\", p.id", params):
        concepts.setdefault(pid, {"label": f"{topic}: {label}", "type": "concept",
                                  "topic": topic, "position": label,
                                  "value": value, "quotes": 0})
        concepts[pid]["quotes"] += n
        edges.append((speaker_node(sid), concept_node(pid),
                      {"weight": n, "topic": topic, "position": label}))
    speaker_nodes = [(speaker_node(sid), attrs) for sid, attrs in speakers.items()]
    two_mode = Graph("two_mode", speaker_nodes +
                     [(concept_node(pid), attrs) for pid, attrs in concepts.items()],
                     edges, dict(meta, kind="speaker-concept"))

    def one_mode(name: str, condition: str) -> Graph:
        ties = [(speaker_node(s1), speaker_node(s2), {"weight": n, "topics": topics})
                for s1, s2, n, topics in db.execute(
                    head + PAIRS.format(condition=condition), params)]
        return Graph(name, list(speaker_nodes), ties, dict(meta, kind=name))

    return Network(two_mode,
                   one_mode("congruence", "a.position = b.position"),
                   one_mode("conflict", "a.value * b.value < 0"))
