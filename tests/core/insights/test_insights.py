"""Insights aggregates against hand counts, each filter, the click-through query, the CLI
(`stats --by`), and the force layout."""
import csv
import io
import json

import pytest

from annotator.cli import main as cli
from annotator.selection import SelectionError, Selection
from annotator.insights.counts import counts, panel_data, periods, quotes_behind
from annotator.insights.layout import force_layout, movement
from annotator.insights.network import discourse_network
from annotator.editing.edits import add_quote
from annotator.store.db import ensure_layer, now
from network_helpers import debate  # noqa: F401  (the hand-counted fixture)

GOLD = Selection(layers=("gold",))


def cells(data, names):
    """{(speaker name, position id): n} of the panel's matrix."""
    return {(r["name"], pid): n for r in data["matrix"]["rows"] for pid, n in r["counts"].items()}


# The debate fixture, gold layer, rejected left out (positions: topic * 10 + 1 support,
# 2 oppose, 3 neutral; Tariffs = 1, Climate = 2):
#   Jan: Ann Tariffs support x2, Bo Tariffs support
#   Feb: Cy Tariffs oppose, Ann Tariffs neutral, Ann Climate oppose, Cy Climate oppose
#   Mar: D. (merged into Dee) Tariffs oppose
HAND = {("Ann", 11): 2, ("Ann", 13): 1, ("Ann", 22): 1, ("Bo", 11): 1, ("Cy", 12): 1,
        ("Cy", 22): 1, ("Dee", 12): 1}


def test_matrix_time_and_tops_match_hand_counts(debate, db):
    data = panel_data(db, GOLD)
    assert cells(data, debate) == HAND
    rows = {r["name"]: r for r in data["matrix"]["rows"]}
    assert [r["name"] for r in data["matrix"]["rows"]] == ["Ann", "Cy", "Bo", "Dee"]
    assert rows["Ann"]["total"] == 4 and rows["Ann"]["role"] == "Minister"
    assert rows["Bo"]["organisation"] == "Opposition"
    assert data["matrix"]["max"] == 2
    assert [c["id"] for c in data["matrix"]["columns"]] == [11, 12, 13, 21, 22, 23]
    assert data["time"]["periods"] == ["2026-01", "2026-02", "2026-03"]
    assert {s["position_id"]: s["counts"] for s in data["time"]["series"]} == {
        11: [3, 0, 0], 12: [0, 1, 1], 13: [0, 1, 0], 22: [0, 2, 0]}
    top = data["top"]
    assert [(t["label"], t["count"]) for t in top["speakers"]] == [
        ("Ann", 4), ("Cy", 2), ("Bo", 1), ("Dee", 1)]
    assert [(t["label"], t["count"]) for t in top["outlets"]] == [("Wire", 8)]
    assert [(t["label"], t["count"]) for t in top["topics"]] == [("Tariffs", 6), ("Climate", 2)]
    assert data["totals"] == {"quotes": 8, "with_speaker": 8, "coded": 8, "undated": 0}


def test_matrix_alone_skips_the_articles(debate, db):
    full = panel_data(db, GOLD)
    for f in (GOLD, Selection(layers=("gold",), date_from="2026-02-01")):
        quick, whole = panel_data(db, f, over_time=False), panel_data(db, f)
        assert quick["matrix"] == whole["matrix"] and quick["time"] is None
        assert quick["top"]["speakers"] == whole["top"]["speakers"]
        assert quick["top"]["outlets"] is None and quick["totals"]["undated"] is None
        assert {k: v for k, v in quick["totals"].items() if k != "undated"} == \
            {k: v for k, v in whole["totals"].items() if k != "undated"}
    assert full["totals"]["quotes"] == 8


def test_matrix_is_the_networks_two_mode_weights(debate, db):
    for f in (GOLD, Selection(), Selection(layers=("gold",), topics=("Climate",))):
        net = discourse_network(db, f)
        two = {(s, t): a["weight"] for s, t, a in net.two_mode.edges}
        mine = {(f"s{r['id']}", f"c{pid}"): n for r in panel_data(db, f)["matrix"]["rows"]
                for pid, n in r["counts"].items()}
        assert mine == two


def test_each_filter(debate, db):
    db.execute("UPDATE articles SET outlet = 'Post' WHERE source = 'd3'")
    gold = ensure_layer(db, "gold")
    db.execute("INSERT INTO article_status(article_id, layer_id, status, updated) "
               "VALUES (1, ?, 'done', ?)", [gold, now()])
    db.conn.commit()

    def hand(**kw):
        return cells(panel_data(db, Selection(**kw)), debate)
    assert hand(layers=("gold",), topics=("Climate",)) == {("Ann", 22): 1, ("Cy", 22): 1}
    climate = panel_data(db, Selection(layers=("gold",), topics=("Climate",)))
    assert [c["id"] for c in climate["matrix"]["columns"]] == [21, 22, 23]
    assert hand(layers=("gold",), outlets=("Post",)) == {("Dee", 12): 1}
    assert hand(layers=("gold",), date_from="2026-02-01", date_to="2026-02-28") == {
        ("Ann", 13): 1, ("Ann", 22): 1, ("Cy", 12): 1, ("Cy", 22): 1}
    assert hand(layers=("gold",), date_to="2026-01-15") == {("Ann", 11): 2, ("Bo", 11): 1}
    assert hand(layers=("gold",), article_statuses=("done",)) == {("Ann", 11): 2,
                                                                  ("Bo", 11): 1}
    assert hand(layers=("alice",)) == {("Cy", 21): 1}
    assert hand(layers=("gold",), statuses=("rejected",)) == {("Bo", 21): 1}
    assert hand() == {**HAND, ("Cy", 21): 1}  # every layer
    with pytest.raises(SelectionError, match="no topic 'Tax'"):
        panel_data(db, Selection(topics=("Tax",)))


def test_buckets_fill_gaps_and_count_undated(debate, db):
    assert periods("2026-01", "2026-04", "month") == ["2026-01", "2026-02", "2026-03",
                                                      "2026-04"]
    assert periods("2025", "2027", "year") == ["2025", "2026", "2027"]
    assert periods("2025-12-29", "2026-01-12", "week") == ["2025-12-29", "2026-01-05",
                                                           "2026-01-12"]
    week = panel_data(db, GOLD, bucket="week")["time"]
    assert week["periods"][0] == "2026-01-12"  # the Monday of Thursday 15 January
    assert len(week["periods"]) == 9 and sum(sum(s["counts"]) for s in week["series"]) == 8
    year = panel_data(db, GOLD, bucket="year")["time"]
    assert year["periods"] == ["2026"]
    db.execute("UPDATE articles SET published = NULL WHERE source = 'd3'")
    db.conn.commit()
    data = panel_data(db, GOLD)
    assert data["totals"]["undated"] == 1 and data["time"]["periods"] == ["2026-01", "2026-02"]
    with pytest.raises(SelectionError, match="bucket"):
        panel_data(db, GOLD, bucket="day")


def test_quotes_behind_a_number(debate, db):
    dee = quotes_behind(db, GOLD, speaker=debate["Dee"])
    assert dee["total"] == 1 and dee["quotes"][0]["speaker"] == "Dee"  # via merged D.
    assert dee["quotes"][0]["article_id"] == 3
    uuid = dee["quotes"][0]["uuid"]
    assert db.execute("SELECT article_id FROM quotes WHERE uuid = ?", [uuid]).fetchone()[0] == 3
    cell = quotes_behind(db, GOLD, speaker=debate["Ann"], position=11)
    assert cell["total"] == 2 and {q["position"] for q in cell["quotes"]} == {"Support"}
    for q in cell["quotes"]:  # the quoted characters themselves
        text, s, e = db.execute('SELECT a.text, q.start, q."end" FROM quotes q JOIN articles a '
                                "ON a.id = q.article_id WHERE q.uuid = ?", [q["uuid"]]).fetchone()
        assert q["text"] == text[s:e] and len(q["text"]) == 1
    assert quotes_behind(db, GOLD, position=22, period="2026-02")["total"] == 2
    assert quotes_behind(db, GOLD, outlet="Wire")["total"] == 8
    assert quotes_behind(db, GOLD, topic=2)["total"] == 2
    assert quotes_behind(db, GOLD, speaker=debate["Ann"], coded=True)["total"] == 4
    few = quotes_behind(db, GOLD, outlet="Wire", limit=3)
    assert few["total"] == 8 and len(few["quotes"]) == 3


def test_counts_by_other_keys(debate, db):
    assert counts(db, GOLD, by=["outlet", "month"]) == [
        {"outlet": "Wire", "month": "2026-02", "count": 4},
        {"outlet": "Wire", "month": "2026-01", "count": 3},
        {"outlet": "Wire", "month": "2026-03", "count": 1}]
    assert counts(db, Selection(), by=["layer"]) == [{"layer": "gold", "count": 8},
                                                       {"layer": "alice", "count": 1}]
    with pytest.raises(SelectionError, match="--by"):
        counts(db, GOLD, by=["speaker", "mood"])


def test_cli_stats_by_prints_the_matrix(debate, db, project_path, capsys):
    add_quote(db, article_id=1, layer="gold", fragments=[(40, 41)], speaker_id=debate["Bo"])
    args = ["stats", "--project", str(project_path), "--by", "speaker,position",
            "--layer", "gold"]
    assert cli.run(args + ["--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    got = {(r["speaker"], r["topic"], r["position"]): r["count"] for r in rows}
    names = {11: ("Tariffs", "Support"), 12: ("Tariffs", "Oppose"),
             13: ("Tariffs", "Neutral"), 22: ("Climate", "Oppose")}
    assert got == {(s, *names[p]): n for (s, p), n in HAND.items()}
    assert rows[0] == {"speaker": "Ann", "role": "Minister", "organisation": "Government",
                       "topic": "Tariffs", "position": "Support", "value": 1.0, "count": 2}
    assert cli.run(args + ["--topic", "Climate"]) == 0  # csv by default
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["speaker"], r["position"], r["count"]) for r in table] == [
        ("Ann", "Oppose", "1"), ("Cy", "Oppose", "1")]
    assert list(table[0]) == ["speaker", "role", "organisation", "topic", "position", "value",
                              "count"]
    assert cli.run(["stats", "--project", str(project_path), "--by", "speaker,nope"]) == 1
    assert "--by takes" in capsys.readouterr().err
    assert cli.run(["stats", "--project", str(project_path), "--layer", "gold"]) == 2
    assert cli.run(["stats", "--project", str(project_path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["topics"] == 2  # the summary, as before


def ring(n):
    return [f"n{i}" for i in range(n)], [(f"n{i}", f"n{(i + 1) % n}", 1) for i in range(n)]


def test_layout_is_seeded_and_stays_put():
    nodes, edges = ring(40)
    first = force_layout(nodes, edges)
    assert force_layout(nodes, edges) == first
    fresh = movement(first, force_layout(nodes, edges, seed=99))  # another picture
    width = max(x for x, _y in first.values()) - min(x for x, _y in first.values())
    assert fresh > width / 4
    # a refresh with one more node moves the others little, and the new one sits by its tie
    again = force_layout(nodes + ["new"], edges + [("new", "n3", 1)], previous=first)
    assert movement(first, again) < min(fresh / 3, width / 8)
    x, y = again["new"]
    nx, ny = again["n3"]
    assert ((x - nx) ** 2 + (y - ny) ** 2) ** 0.5 < 3.0
    assert force_layout([], []) == {}
    assert force_layout(["a"], []) .keys() == {"a"}


def test_layout_keeps_ties_short_and_strangers_apart():
    nodes = [f"a{i}" for i in range(6)] + [f"b{i}" for i in range(6)]
    edges = [(f"{g}{i}", f"{g}{j}", 2) for g in "ab" for i in range(6) for j in range(i)]
    pos = force_layout(nodes, edges)

    def dist(u, v):
        return ((pos[u][0] - pos[v][0]) ** 2 + (pos[u][1] - pos[v][1]) ** 2) ** 0.5
    inside = max(dist(f"a{i}", f"a{j}") for i in range(6) for j in range(i))
    between = min(dist(f"a{i}", f"b{j}") for i in range(6) for j in range(6))
    assert inside < between * 3 and min(dist("a0", "a1"), dist("b0", "b1")) > 0.2
    centre_a = sum(pos[f"a{i}"][0] for i in range(6)) / 6, sum(pos[f"a{i}"][1]
                                                                 for i in range(6)) / 6
    centre_b = sum(pos[f"b{i}"][0] for i in range(6)) / 6, sum(pos[f"b{i}"][1]
                                                                 for i in range(6)) / 6
    gap = ((centre_a[0] - centre_b[0]) ** 2 + (centre_a[1] - centre_b[1]) ** 2) ** 0.5
    assert gap > inside  # two groups drawn as two groups


def test_dates_that_are_not_iso_count_as_undated(tmp_path):
    from annotator.insights import counts as insights
    from annotator.corpus.importing import import_paths
    from annotator.editing.edits import add_quote
    from annotator.store.db import open_project
    db = open_project(tmp_path / "d.quotebook")
    (tmp_path / "a.jsonl").write_text(
        '{"id": "y", "text": "Year only text.", "published": "2020"}\n'
        '{"id": "d", "text": "Day first text.", "published": "14/01/2026"}\n'
        '{"id": "i", "text": "Iso date text.", "published": "2026-01-15"}\n')
    import_paths(db, [tmp_path / "a.jsonl"])
    for aid in (1, 2, 3):
        add_quote(db, article_id=aid, layer="gold", fragments=[(0, 4)])
    for bucket in ("week", "month", "year"):
        got = insights.BUCKETS[bucket]
        rows = db.execute(f"SELECT {got} FROM articles a ORDER BY a.id").fetchall()
        assert rows[0][0] is None and rows[1][0] is None and rows[2][0] is not None


def test_time_only_pass_gives_the_same_time_series_and_totals(tmp_path):
    from annotator.insights import counts as insights
    from annotator.editing.codebook import codebook, load_codebook
    from annotator.corpus.importing import import_paths
    from annotator.project import DEFAULT_CODEBOOK, SAMPLE_CORPUS
    from annotator.editing.edits import add_quote
    from annotator.editing.speakers import add_speaker
    from annotator.store.db import open_project
    db = open_project(tmp_path / "t.quotebook")
    import_paths(db, [SAMPLE_CORPUS])
    load_codebook(db, DEFAULT_CODEBOOK)
    topic = codebook(db)[0]
    who = add_speaker(db, "Anna Kovacs")
    for aid in range(1, 11):
        add_quote(db, article_id=aid, layer="gold", fragments=[(0, 5)],
                  speaker_id=who if aid % 2 else None, topic_id=topic["id"],
                  position_id=topic["positions"][aid % 2]["id"] if aid % 3 else None)
    both = insights.panel_data(db, insights.Selection(layers=("gold",)))
    time_only = insights.panel_data(db, insights.Selection(layers=("gold",)), matrix=False)
    assert time_only["matrix"] is None and time_only["top"]["speakers"] is None
    assert time_only["time"] == both["time"]
    assert time_only["totals"] == both["totals"]
    assert time_only["top"]["outlets"] == both["top"]["outlets"]
    with pytest.raises(ValueError):
        insights.panel_data(db, over_time=False, matrix=False)


def test_the_matrix_counts_every_quote_and_shows_only_coded_topics(debate, db):
    """A speaker's Total is the Top tab's count: quotes without a position are a column of
    their own; only topics with a coded quote in the view get columns."""
    for n in range(3):  # Ann speaks three more times, on no topic and with no position yet
        add_quote(db, article_id=1, layer="gold", fragments=[(40 + 2 * n, 41 + 2 * n)],
                  speaker_id=debate["Ann"])
    db.execute("DELETE FROM quotes WHERE topic_id = 2")  # nothing coded on Climate any more
    db.conn.commit()
    data = panel_data(db, GOLD)
    rows = {r["name"]: r for r in data["matrix"]["rows"]}
    top = {t["label"]: t["count"] for t in data["top"]["speakers"]}
    assert {name: r["total"] for name, r in rows.items()} == top == {
        "Ann": 6, "Cy": 1, "Bo": 1, "Dee": 1}
    assert rows["Ann"]["counts"] == {11: 2, 13: 1, None: 3}
    assert [c["id"] for c in data["matrix"]["columns"]] == [11, 12, 13, None]
    assert data["matrix"]["columns"][-1]["label"] == "(no position)"
    assert data["matrix"]["max"] == 2  # shading follows the positions only
    climate = panel_data(db, Selection(layers=("gold",), topics=("Climate",)))
    assert [c["id"] for c in climate["matrix"]["columns"]] == [21, 22, 23]  # chosen: all
    behind = quotes_behind(db, GOLD, speaker=debate["Ann"], uncoded=True)
    assert behind["total"] == 3 and {q["position"] for q in behind["quotes"]} == {""}
