"""The discourse network: computed ties checked by hand, files read back with networkx."""
import csv
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from network_helpers import debate  # noqa: F401 (the fixture)

from annotator.selection import Selection
from annotator.export import export
from annotator.corpus.importing import import_paths
from annotator.insights.network import discourse_network
from annotator.editing.edits import add_quote
from annotator.editing.speakers import add_speaker


def ties(graph, names):
    label = {f"s{v}": k for k, v in names.items()}
    return {tuple(sorted((label[s], label[t]))): a["weight"] for s, t, a in graph.edges}


def test_congruence_conflict_and_two_mode_counts(debate, db):
    net = discourse_network(db, Selection(layers=("gold",)))
    assert ties(net.congruence, debate) == {("Ann", "Bo"): 1, ("Ann", "Cy"): 1,
                                            ("Cy", "Dee"): 1}
    assert ties(net.conflict, debate) == {("Ann", "Cy"): 1, ("Ann", "Dee"): 1,
                                          ("Bo", "Cy"): 1, ("Bo", "Dee"): 1}
    two = {(s, t): a["weight"] for s, t, a in net.two_mode.edges}
    assert two[(f"s{debate['Ann']}", "c11")] == 2 and two[(f"s{debate['Dee']}", "c12")] == 1
    nodes = dict(net.two_mode.nodes)
    assert nodes[f"s{debate['Ann']}"]["role"] == "Minister"
    assert nodes[f"s{debate['Ann']}"]["quotes"] == 4
    assert nodes["c11"]["label"] == "Tariffs: Support" and nodes["c11"]["quotes"] == 3
    # the rejected quote counts only when asked for
    net = discourse_network(db, Selection(layers=("gold",), statuses=("rejected",)))
    assert [a["weight"] for _, _, a in net.two_mode.edges] == [1]


def test_date_window_and_topic_filter(debate, db):
    net = discourse_network(db, Selection(layers=("gold",), date_from="2026-02-01",
                                             date_to="2026-02-28"))
    assert ties(net.congruence, debate) == {("Ann", "Cy"): 1}
    assert not net.conflict.edges  # neutral (0) against oppose is no conflict
    assert net.conflict.attributes["window_start"] == "2026-02-01"
    assert net.conflict.attributes["window_end"] == "2026-02-28"
    net = discourse_network(db, Selection(layers=("gold",), topics=("Climate",)))
    assert ties(net.congruence, debate) == {("Ann", "Cy"): 1} and not net.conflict.edges


def test_files_read_back_with_networkx(debate, db, tmp_path):
    out = tmp_path / "net"
    result = export(db, "network", out, filters=Selection(layers=("gold",)))
    assert result.count == 4
    want = discourse_network(db, Selection(layers=("gold",)))
    for graph in want.graphs():
        expected = {frozenset((s, t)): a["weight"] for s, t, a in graph.edges}
        for reader, suffix in ((nx.read_graphml, "graphml"), (nx.read_gexf, "gexf")):
            g = reader(out / f"{graph.name}.{suffix}")
            assert not g.is_directed()
            assert {frozenset(e): d["weight"] for *e, d in g.edges(data=True)} == expected
            assert set(g.nodes) == {n for n, _ in graph.nodes}
            ann = f"s{debate['Ann']}"
            data = g.nodes[ann]
            assert data.get("label") == "Ann" and data["role"] == "Minister"
            assert data["organisation"] == "Government" and data["quotes"] == 4
        with open(out / f"{graph.name}_edges.csv", newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        assert {frozenset((r["Source"], r["Target"])): int(r["Weight"]) for r in rows} == \
            expected
    g = nx.read_graphml(out / "congruence.graphml")
    assert g.edges[f"s{debate['Ann']}", f"s{debate['Bo']}"]["topics"] == "Tariffs"
    two = nx.read_gexf(out / "two_mode.gexf")
    assert two.nodes["c12"]["value"] == -1.0 and two.nodes["c12"]["type"] == "concept"
    with open(out / "nodes.csv", newline="", encoding="utf-8") as fh:
        nodes = {r["Id"]: r for r in csv.DictReader(fh)}
    assert nodes[f"s{debate['Bo']}"]["organisation"] == "Opposition"


def test_gexf_is_gephis_1_2_shape(debate, db, tmp_path):
    out = tmp_path / "net"
    export(db, "network", out, filters=Selection(layers=("gold",)))
    ns = {"g": "http://www.gexf.net/1.2draft"}
    root = ET.parse(out / "two_mode.gexf").getroot()
    assert root.tag == "{http://www.gexf.net/1.2draft}gexf" and root.get("version") == "1.2"
    assert root.find("g:meta/g:creator", ns).text == "Quotebook"
    assert "layers=gold; kind=speaker-concept" in root.find("g:meta/g:description", ns).text
    graph = root.find("g:graph", ns)
    assert (graph.get("mode"), graph.get("defaultedgetype")) == ("static", "undirected")
    types = {(a.get("title"), a.get("type"))
             for decl in graph.findall("g:attributes", ns) for a in decl}
    assert {("quotes", "long"), ("value", "double"), ("role", "string")} <= types
    edge = graph.find("g:edges/g:edge", ns)
    assert float(edge.get("weight")) >= 1 and edge.get("source").startswith("s")


def test_names_with_markup_characters_read_back(debate, db, tmp_path):
    db.execute("UPDATE speakers SET name = ? WHERE id = ?", ['Ann & "Co" <x>\nTwo', debate["Ann"]])
    db.execute("UPDATE topics SET name = 'Tariffs & <\"duties\">' WHERE id = 1")
    db.conn.commit()
    out = tmp_path / "net"
    export(db, "network", out, filters=Selection(layers=("gold",)))
    ann, bo = f"s{debate['Ann']}", f"s{debate['Bo']}"
    for reader, suffix in ((nx.read_graphml, "graphml"), (nx.read_gexf, "gexf")):
        g = reader(out / f"congruence.{suffix}")
        assert g.nodes[ann]["label"] == 'Ann & "Co" <x>\nTwo'
        assert g.edges[ann, bo]["topics"] == 'Tariffs & <"duties">'


@pytest.fixture
def crowd(db):
    """300 speakers on one topic, each quoted once for or against it: 45,000 ties."""
    from annotator.editing.quotes import insert_quote
    from annotator.editing.speakers import insert_speaker
    from annotator.store.db import ensure_layer, now
    stamp, layer = now(), ensure_layer(db, "gold")
    with db.atomic():
        article = db.execute("INSERT INTO articles(hash, text, imported_at) VALUES ('h', ?, ?)",
                             ["x" * 100, stamp]).lastrowid
        db.execute("INSERT INTO topics(id, name) VALUES (1, 'Tariffs')")
        db.execute("INSERT INTO positions(id, topic_id, label, value) VALUES "
                   "(1, 1, 'Support', 1), (2, 1, 'Oppose', -1)")
        for i in range(300):
            sid = insert_speaker(db, f"Speaker {i}", created=stamp)
            insert_quote(db, {"uuid": f"q{i}", "article_id": article, "layer_id": layer,
                              "speaker_id": sid, "topic_id": 1, "position_id": 1 + i % 2,
                              "created": stamp, "updated": stamp}, [(1, 5)])
    return db


@pytest.mark.slow
def test_the_export_streams_its_ties(crowd, tmp_path):
    """Memory stays far below the size of the files: the ties are written as they are made."""
    import tracemalloc
    tracemalloc.start()
    result = export(crowd, "network", tmp_path / "net")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.count == 300
    with open(tmp_path / "net" / "congruence_edges.csv", encoding="utf-8") as fh:
        assert sum(1 for _ in fh) == 1 + 2 * 150 * 149 // 2
    with open(tmp_path / "net" / "conflict_edges.csv", encoding="utf-8") as fh:
        assert sum(1 for _ in fh) == 1 + 150 * 150
    written = sum(p.stat().st_size for p in (tmp_path / "net").iterdir())
    assert peak < written / 2, (peak, written)  # as text and graph objects: several times


def test_cli_minimum_weight_leaves_light_ties_out(debate, db, project_path, tmp_path):
    from annotator.cli.main import run
    out = tmp_path / "net"
    assert run(["export", "--project", str(project_path), "--format", "network", "--layer",
                "gold", "--min-weight", "2", "--out", str(out)]) == 0
    two = nx.read_graphml(out / "two_mode.graphml")
    assert [(s, t, d["weight"]) for s, t, d in two.edges(data=True)] == \
        [(f"s{debate['Ann']}", "c11", 2)]
    assert nx.read_gexf(out / "congruence.gexf").number_of_edges() == 0
    assert two.number_of_nodes() == len(nx.read_graphml(out / "conflict.graphml").nodes) + 4
