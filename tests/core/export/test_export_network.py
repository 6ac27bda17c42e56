"""The discourse network: computed ties checked by hand, files read back with networkx."""
import csv
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from annotator.selection import Selection
from annotator.export import export
from annotator.corpus.importing import import_paths
from annotator.insights.network import discourse_network
from annotator.editing.edits import add_quote
from annotator.editing.speakers import add_speaker


@pytest.fixture
def debate(db, tmp_path):
    """Four speakers on two topics (values 1 support, -1 oppose, 0 neutral), three months."""
    lines = [{"id": f"d{m}", "text": f"Debate article {m}. " + "x" * 60, "outlet": "Wire",
              "published": f"2026-0{m}-15"} for m in (1, 2, 3)]
    (tmp_path / "d.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    import_paths(db, [tmp_path / "d.jsonl"])
    for tid, name in ((1, "Tariffs"), (2, "Climate")):
        db.execute("INSERT INTO topics(id, name) VALUES (?, ?)", [tid, name])
        for pid, label, value in ((1, "Support", 1), (2, "Oppose", -1), (3, "Neutral", 0)):
            db.execute("INSERT INTO positions(id, topic_id, label, value) VALUES (?, ?, ?, ?)",
                       [tid * 10 + pid, tid, label, value])
    db.conn.commit()
    ann = add_speaker(db, "Ann", role="Minister", organisation="Government")
    bo = add_speaker(db, "Bo", role="Senator", organisation="Opposition")
    cy = add_speaker(db, "Cy", kind="organisation")
    dee = add_speaker(db, "Dee")
    dee2 = add_speaker(db, "D.")
    db.execute("UPDATE speakers SET merged_into = ? WHERE id = ?", [dee, dee2])
    db.conn.commit()
    n = [0]

    def say(article, speaker, topic, pos, layer="gold", status="accepted"):
        n[0] += 2
        add_quote(db, article_id=article, layer=layer, fragments=[(n[0], n[0] + 1)],
                  speaker_id=speaker, topic_id=topic, position_id=topic * 10 + pos,
                  status=status)
    say(1, ann, 1, 1)
    say(1, ann, 1, 1)
    say(1, bo, 1, 1)
    say(2, cy, 1, 2)
    say(2, ann, 1, 3)
    say(2, ann, 2, 2)
    say(2, cy, 2, 2)
    say(3, dee2, 1, 2)           # counts as Dee, the speaker D. was merged into
    say(3, bo, 2, 1, status="rejected")
    say(3, cy, 2, 1, layer="alice")
    return {"Ann": ann, "Bo": bo, "Cy": cy, "Dee": dee}


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
