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

from sqlite_utils import Database

from annotator.export.files import ExportError, atomic_folder, write_text
from annotator.selection import Selection
from annotator.export.jsonl import Cancel, Progress
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


def _text(value, kind: str) -> str:
    if kind == "double":
        return repr(float(value))
    return str(value)


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def graphml(graph: Graph) -> str:
    """The graph as GraphML (undirected, typed ``key`` declarations)."""
    root = ET.Element("graphml", xmlns="http://graphml.graphdrawing.org/xmlns")
    node_keys = _keys(a for _, a in graph.nodes)
    edge_keys = _keys(a for _, _, a in graph.edges)
    ids = {}
    for scope, keys in (("graph", _keys([graph.attributes])), ("node", node_keys),
                        ("edge", edge_keys)):
        for name, kind in keys.items():
            ids[scope, name] = kid = f"{scope[0]}_{name}"
            ET.SubElement(root, "key", {"id": kid, "for": scope, "attr.name": name,
                                        "attr.type": kind})
    g = ET.SubElement(root, "graph", id=graph.name, edgedefault="undirected")

    def data(parent, scope, attrs, keys):
        for name, value in attrs.items():
            if value is not None:
                ET.SubElement(parent, "data", key=ids[scope, name]).text = _text(value,
                                                                                 keys[name])
    data(g, "graph", graph.attributes, _keys([graph.attributes]))
    for nid, attrs in graph.nodes:
        data(ET.SubElement(g, "node", id=nid), "node", attrs, node_keys)
    for i, (source, target, attrs) in enumerate(graph.edges):
        data(ET.SubElement(g, "edge", id=f"e{i}", source=source, target=target), "edge",
             attrs, edge_keys)
    return _xml(root)


GEXF_TYPES = {"int": "integer", "double": "double", "string": "string"}


def gexf(graph: Graph) -> str:
    """The graph as GEXF 1.2 (what Gephi reads); ``weight`` is the edge's weight."""
    root = ET.Element("gexf", {"xmlns": "http://www.gexf.net/1.2draft", "version": "1.2"})
    meta = ET.SubElement(root, "meta", lastmodifieddate=now()[:10])
    ET.SubElement(meta, "creator").text = "Quotebook"
    ET.SubElement(meta, "description").text = "; ".join(
        f"{k}={v}" for k, v in graph.attributes.items())
    g = ET.SubElement(root, "graph", mode="static", defaultedgetype="undirected")
    node_keys = {k: v for k, v in _keys(a for _, a in graph.nodes).items() if k != "label"}
    edge_keys = {k: v for k, v in _keys(a for _, _, a in graph.edges).items() if k != "weight"}
    for cls, keys in (("node", node_keys), ("edge", edge_keys)):
        decl = ET.SubElement(g, "attributes", {"class": cls})
        for i, (name, kind) in enumerate(keys.items()):
            ET.SubElement(decl, "attribute", id=f"{cls[0]}{i}", title=name,
                          type=GEXF_TYPES[kind])

    def values(parent, attrs, keys, cls):
        box = ET.SubElement(parent, "attvalues")
        for i, (name, kind) in enumerate(keys.items()):
            if attrs.get(name) is not None:
                ET.SubElement(box, "attvalue", {"for": f"{cls[0]}{i}",
                                                "value": _text(attrs[name], kind)})
    nodes = ET.SubElement(g, "nodes")
    for nid, attrs in graph.nodes:
        values(ET.SubElement(nodes, "node", id=nid, label=str(attrs.get("label", nid))),
               attrs, node_keys, "node")
    edges = ET.SubElement(g, "edges")
    for i, (source, target, attrs) in enumerate(graph.edges):
        edge = ET.SubElement(edges, "edge", id=str(i), source=source, target=target,
                             weight=repr(float(attrs.get("weight", 1))))
        values(edge, attrs, edge_keys, "edge")
    return _xml(root)


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
                   progress: Progress | None = None, cancel: Cancel | None = None) -> Network:
    """Compute the discourse network of the chosen quotes and write the folder ``out``."""
    out = Path(out)
    rf = (filters or Selection()).with_default_statuses().resolve(db)
    with atomic_folder(out, fmt="network") as tmp:
        if progress:
            progress(0, 2, out.name)
        network = discourse_network(db, rf)
        if cancel and cancel():
            raise ExportError(f"{out}: export cancelled; nothing written")
        if progress:
            progress(1, 2, out.name)
        write_network(network, tmp)
    if progress:
        progress(2, 2, out.name)
    return network
