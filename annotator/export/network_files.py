"""Write the discourse network: GraphML, GEXF (Gephi) and CSV node and edge lists.

The folder holds, for each graph (``two_mode``, ``congruence``, ``conflict``),
``NAME.graphml``, ``NAME.gexf`` and ``NAME_edges.csv`` (``Source``, ``Target``, ``Type``,
``Weight`` and the edge's attributes, as Gephi's spreadsheet import expects), plus
``nodes.csv`` with every speaker and concept and their attributes.
"""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from sqlite_utils import Database

from annotator.export.files import atomic_folder, write_text
from annotator.selection import Selection
from annotator.tasks import Task, ensure
from annotator.insights.network import Graph, Network, discourse_network
from annotator.store.db import now


def _type(values) -> str:
    values = [v for v in values if v is not None]
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    if values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _keys(items) -> dict[str, str]:
    """Attribute name -> type over every item's attributes, in first-seen order."""
    names: dict[str, list] = {}
    for attrs in items:
        for key, value in attrs.items():
            names.setdefault(key, []).append(value)
    return {k: _type(v) for k, v in names.items()}


def _nx(graph: Graph, **graph_attributes) -> nx.Graph:
    """The graph for networkx's writers: one Python type per attribute (ints, floats or
    text, as ``_keys`` finds), None values left out."""
    convert = {"int": int, "double": float, "string": str}

    def typed(attrs: dict, keys: dict) -> dict:
        return {k: convert[keys[k]](v) for k, v in attrs.items() if v is not None}
    node_keys = _keys(a for _, a in graph.nodes)
    edge_keys = _keys(a for _, _, a in graph.edges)
    g = nx.Graph(**graph_attributes)
    g.add_nodes_from((nid, typed(attrs, node_keys)) for nid, attrs in graph.nodes)
    g.add_edges_from((s, t, typed(attrs, edge_keys)) for s, t, attrs in graph.edges)
    return g


XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def graphml(graph: Graph) -> str:
    """The graph as GraphML (undirected, typed ``key`` declarations), written by networkx."""
    g = _nx(graph, id=graph.name, **{k: v for k, v in graph.attributes.items() if v is not None})
    return XML_HEAD + "\n".join(nx.generate_graphml(g)) + "\n"


def gexf(graph: Graph) -> str:
    """The graph as GEXF 1.2 (what Gephi reads), written by networkx; ``weight`` is the edge's
    weight, the graph's attributes are the ``meta`` description."""
    writer = GEXFWriter(version="1.2draft")
    meta = writer.xml.find("meta")
    meta.set("lastmodifieddate", now()[:10])
    meta.find("creator").text = "Quotebook"
    ET.SubElement(meta, "description").text = "; ".join(
        f"{k}={v}" for k, v in graph.attributes.items())
    writer.add_graph(_nx(graph, name=graph.name))
    return XML_HEAD + str(writer) + "\n"


def _csv(header: list[str], rows) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def edges_csv(graph: Graph) -> str:
    """``Source, Target, Type, Weight`` and the edges' other attributes."""
    extra = [k for k in _keys(a for _, _, a in graph.edges) if k != "weight"]
    return _csv(["Source", "Target", "Type", "Weight", *extra],
                ([s, t, "Undirected", a.get("weight", 1), *(a.get(k) for k in extra)]
                 for s, t, a in graph.edges))


def nodes_csv(graph: Graph) -> str:
    """``Id, Label`` and the nodes' other attributes."""
    extra = [k for k in _keys(a for _, a in graph.nodes) if k != "label"]
    return _csv(["Id", "Label", *extra],
                ([nid, a.get("label", nid), *(a.get(k) for k in extra)]
                 for nid, a in graph.nodes))


def write_network(network: Network, folder: Path) -> list[str]:
    """Write every file of ``network`` into ``folder``; return the file names."""
    names = []
    for graph in network.graphs():
        for name, text in ((f"{graph.name}.graphml", graphml(graph)),
                           (f"{graph.name}.gexf", gexf(graph)),
                           (f"{graph.name}_edges.csv", edges_csv(graph))):
            write_text(folder / name, text)
            names.append(name)
    write_text(folder / "nodes.csv", nodes_csv(network.two_mode))
    return names + ["nodes.csv"]


def export_network(db: Database, out: str | Path, *, filters: Selection | None = None,
                   task: Task | None = None) -> Network:
    """Compute the discourse network of the chosen quotes and write the folder ``out``."""
    task = ensure(task)
    out = Path(out)
    rf = (filters or Selection()).with_default_statuses().resolve(db)
    with atomic_folder(out, fmt="network") as tmp:
        task.progress(0, 2, out.name)
        task.check()
        network = discourse_network(db, rf)
        task.check()
        task.progress(1, 2, out.name)
        write_network(network, tmp)
    task.progress(2, 2, out.name)
    return network
