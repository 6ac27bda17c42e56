"""Write the discourse network: GraphML, GEXF (Gephi) and CSV node and edge lists.

The folder holds, for each graph (``two_mode``, ``congruence``, ``conflict``),
``NAME.graphml``, ``NAME.gexf`` and ``NAME_edges.csv`` (``Source``, ``Target``, ``Type``,
``Weight`` and the edge's attributes, as Gephi's spreadsheet import expects), plus
``nodes.csv`` with every speaker and concept and their attributes.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from xml.sax.saxutils import escape

from sqlite_utils import Database

from annotator.export.files import atomic_folder
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


def edge_keys(graph: Graph) -> dict[str, str]:
    """The edges' attribute types: declared by ``Ties``, else found over a list's edges."""
    return dict(getattr(graph.edges, "types", None) or _keys(a for _, _, a in graph.edges))


XML_TYPES = {"int": "long", "double": "double", "string": "string"}
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
CONVERT = {"int": int, "double": float, "string": str}


def attr(value) -> str:
    """``value`` escaped for a double-quoted XML attribute (line breaks and tabs kept)."""
    return escape(str(value), ATTR_ENTITIES)


ATTR_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


class _Xml:
    """A streaming XML writer, one element a line (names and text escaped by the standard
    library's ``saxutils``): nothing of the graph is held beyond the line being written."""

    def __init__(self, fh):
        self.fh = fh
        self.depth = 0

    @staticmethod
    def _attrs(attrs: dict | None) -> str:
        return "".join(f' {k}="{attr(v)}"' for k, v in (attrs or {}).items())

    def open(self, tag: str, attrs: dict | None = None, close: bool = False) -> None:
        self.fh.write(f"{'  ' * self.depth}<{tag}{self._attrs(attrs)}{' /' if close else ''}>\n")
        if not close:
            self.depth += 1

    def text(self, tag: str, attrs: dict, text: str) -> None:
        self.fh.write(f"{'  ' * self.depth}<{tag}{self._attrs(attrs)}>{escape(text)}</{tag}>\n")

    def close(self, tag: str) -> None:
        self.depth -= 1
        self.fh.write(f"{'  ' * self.depth}</{tag}>\n")


def _data_lines(keys: dict, ids: dict, scope: str, indent: str, form: str):
    """Per attribute: a function from its value to its escaped line (``form`` names the
    key ``{key}`` and the value ``{value}``)."""
    lines = {}
    for name, kind in keys.items():
        head, tail = form.format(key=ids[scope, name], value="\0").split("\0")
        convert = CONVERT[kind]
        if kind == "string":
            def line(v, head=indent + head, tail=tail,
                     esc=attr if "=" in form.split("{value}")[0] else escape):
                return head + esc(str(v)) + tail
        else:
            def line(v, head=indent + head, tail=tail, convert=convert, kind=kind):
                v = convert(v)
                return head + (repr(v) if kind == "double" else str(v)) + tail
        lines[name] = line
    return lines


def write_graphml(graph: Graph, fh) -> None:
    """The graph as GraphML (undirected, typed ``key`` declarations), streamed to ``fh``."""
    node_keys = _keys(a for _, a in graph.nodes)
    edge_types = edge_keys(graph)
    graph_attrs = {k: v for k, v in graph.attributes.items() if v is not None}
    ids: dict[tuple, str] = {}
    xml = _Xml(fh)
    fh.write(XML_HEAD)
    xml.open("graphml", {"xmlns": "http://graphml.graphdrawing.org/xmlns",
                         "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                         "xsi:schemaLocation": "http://graphml.graphdrawing.org/xmlns "
                         "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"})
    for scope, keys in (("graph", {k: _type([v]) for k, v in graph_attrs.items()}),
                        ("node", node_keys), ("edge", edge_types)):
        for name, kind in keys.items():
            ids[scope, name] = key = f"d{len(ids)}"
            xml.open("key", {"id": key, "for": scope, "attr.name": name,
                             "attr.type": XML_TYPES[kind]}, close=True)
    xml.open("graph", {"edgedefault": "undirected", "id": graph.name})
    for name, value in graph_attrs.items():
        xml.text("data", {"key": ids["graph", name]}, str(value))
    form = '<data key="{key}">{value}</data>\n'
    for items, keys, scope, head in (
            (((f'<node id="{attr(n)}"', a) for n, a in graph.nodes), node_keys, "node",
             "node"),
            (((f'<edge source="{attr(s)}" target="{attr(t)}"', a)
              for s, t, a in graph.edges), edge_types, "edge", "edge")):
        lines = _data_lines(keys, ids, scope, "      ", form)
        for start, attrs in items:
            body = "".join(lines[k](v) for k, v in attrs.items() if v is not None)
            fh.write(f"    {start}>\n{body}    </{head}>\n" if body else f"    {start} />\n")
    xml.close("graph")
    xml.close("graphml")


def write_gexf(graph: Graph, fh) -> None:
    """The graph as GEXF 1.2 (what Gephi reads), streamed to ``fh``; ``weight`` is the edge's
    weight, the graph's attributes are the ``meta`` description."""
    node_keys = {k: v for k, v in _keys(a for _, a in graph.nodes).items() if k != "label"}
    edge_types = {k: v for k, v in edge_keys(graph).items() if k != "weight"}
    ids = {("edge", k): str(i) for i, k in enumerate(edge_types)}
    ids.update({("node", k): str(len(ids) + i) for i, k in enumerate(node_keys)})
    xml = _Xml(fh)
    fh.write(XML_HEAD)
    xml.open("gexf", {"xmlns": "http://www.gexf.net/1.2draft",
                      "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
                      "xsi:schemaLocation": "http://www.gexf.net/1.2draft "
                      "http://www.gexf.net/1.2draft/gexf.xsd", "version": "1.2"})
    xml.open("meta", {"lastmodifieddate": now()[:10]})
    xml.text("creator", {}, "Quotebook")
    xml.text("description", {}, "; ".join(f"{k}={v}" for k, v in graph.attributes.items()))
    xml.close("meta")
    xml.open("graph", {"defaultedgetype": "undirected", "mode": "static", "name": graph.name})
    for scope, keys in (("edge", edge_types), ("node", node_keys)):
        if keys:
            xml.open("attributes", {"mode": "static", "class": scope})
            for name, kind in keys.items():
                xml.open("attribute", {"id": ids[scope, name], "title": name,
                                       "type": XML_TYPES[kind]}, close=True)
            xml.close("attributes")
    form = '<attvalue for="{key}" value="{value}" />\n'

    def weighted(s, t, i, a):
        w = a.get("weight")
        return (f'<edge source="{attr(s)}" target="{attr(t)}" id="{i}"' +
                ("" if w is None else f' weight="{w}"'))
    for tag, items, keys, scope in (
            ("nodes", ((f'<node id="{attr(n)}" label="{attr(a.get("label", n))}"',
                        a) for n, a in graph.nodes), node_keys, "node"),
            ("edges", ((weighted(s, t, i, a), a) for i, (s, t, a) in enumerate(graph.edges)),
             edge_types, "edge")):
        xml.open(tag)
        lines = _data_lines(keys, ids, scope, "          ", form)
        end = tag[:-1]
        for start, attrs in items:
            body = "".join(lines[k](v) for k, v in attrs.items() if v is not None and k in keys)
            fh.write(f"      {start}>\n        <attvalues>\n{body}        </attvalues>\n"
                     f"      </{end}>\n" if body else f"      {start} />\n")
        xml.close(tag)
    xml.close("graph")
    xml.close("gexf")


def _to_text(write, graph: Graph) -> str:
    buf = io.StringIO()
    write(graph, buf)
    return buf.getvalue()


def graphml(graph: Graph) -> str:
    """The graph as GraphML text (``write_graphml``)."""
    return _to_text(write_graphml, graph)


def gexf(graph: Graph) -> str:
    """The graph as GEXF text (``write_gexf``)."""
    return _to_text(write_gexf, graph)


def _write_csv(fh, header: list[str], rows) -> None:
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)


def write_edges_csv(graph: Graph, fh) -> None:
    """``Source, Target, Type, Weight`` and the edges' other attributes."""
    extra = [k for k in edge_keys(graph) if k != "weight"]
    _write_csv(fh, ["Source", "Target", "Type", "Weight", *extra],
               ([s, t, "Undirected", a.get("weight", 1), *(a.get(k) for k in extra)]
                for s, t, a in graph.edges))


def write_nodes_csv(graph: Graph, fh) -> None:
    """``Id, Label`` and the nodes' other attributes."""
    extra = [k for k in _keys(a for _, a in graph.nodes) if k != "label"]
    _write_csv(fh, ["Id", "Label", *extra],
               ([nid, a.get("label", nid), *(a.get(k) for k in extra)]
                for nid, a in graph.nodes))


def open_text(path: Path):
    """One file of the folder, for writing (exact text: no newline translation)."""
    return open(path, "w", encoding="utf-8", newline="")


def write_network(network: Network, folder: Path, task: Task | None = None) -> list[str]:
    """Write every file of ``network`` into ``folder``, each streamed from the graph (the
    ties are made one at a time as they are written); return the file names."""
    task = ensure(task)
    names = []
    for graph in network.graphs():
        for name, write in ((f"{graph.name}.graphml", write_graphml),
                            (f"{graph.name}.gexf", write_gexf),
                            (f"{graph.name}_edges.csv", write_edges_csv)):
            task.check()
            with open_text(folder / name) as fh:
                write(graph, fh)
            names.append(name)
    with open_text(folder / "nodes.csv") as fh:
        write_nodes_csv(network.two_mode, fh)
    return names + ["nodes.csv"]


def export_network(db: Database, out: str | Path, *, filters: Selection | None = None,
                   min_weight: int = 1, task: Task | None = None) -> Network:
    """Compute the discourse network of the chosen quotes (ties and edges lighter than
    ``min_weight`` left out) and write the folder ``out``."""
    task = ensure(task)
    out = Path(out)
    rf = (filters or Selection()).with_default_statuses().resolve(db)
    with atomic_folder(out, fmt="network") as tmp:
        task.progress(0, 2, out.name)
        task.check()
        network = discourse_network(db, rf, min_weight=min_weight)
        task.check()
        task.progress(1, 2, out.name)
        write_network(network, tmp, task)
    task.progress(2, 2, out.name)
    return network
