"""Agreement coefficients against the ``krippendorff`` package and published or hand-made
answers; the agreement report of a project; the CLI."""
import csv
import io
import json
import math
import random

import krippendorff  # the reference implementation (test extra in pyproject.toml)
import numpy as np
import pytest

from annotator.cli import main as cli
from annotator.review import coefficients as co
from annotator.tasks import Task
from annotator.review.agreement import agreement
from annotator.review.report import to_csv, to_table
from annotator.editing.edits import add_quote
from annotator.editing.registry import CreateSpeaker
from annotator.store.db import ensure_layer, now
from annotator.store.db import open_project

WIKI = [[None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
        [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
        [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4]]


def units_of(matrix):
    """coders x units -> per-unit value lists."""
    return [list(col) for col in zip(*matrix)]


def reference(matrix, level, domain=None):
    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    return krippendorff.alpha(reliability_data=data, level_of_measurement=level,
                              value_domain=domain)


# -- Krippendorff's alpha -----------------------------------------------------------------------

def test_alpha_wikipedia_example():
    units = units_of(WIKI)
    assert co.krippendorff_alpha(units, "nominal") == pytest.approx(0.691358, abs=1e-6)
    assert co.krippendorff_alpha(units, "interval") == pytest.approx(0.810845, abs=1e-6)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
@pytest.mark.parametrize("seed", range(12))
def test_alpha_matches_krippendorff_package(level, seed):
    rnd = random.Random(seed)
    coders, n_units = rnd.randint(2, 4), rnd.randint(5, 40)
    values = list(range(1, rnd.randint(2, 6) + 1))
    matrix = [[None if rnd.random() < 0.2 else rnd.choice(values) for _ in range(n_units)]
              for _ in range(coders)]
    for j in range(n_units):                  # some agreement, so alpha is not just noise
        if rnd.random() < 0.5:
            v = rnd.choice(values)
            for row in matrix:
                if row[j] is not None:
                    row[j] = v
    ours = co.krippendorff_alpha(units_of(matrix), level)
    ref = reference(matrix, level)
    if ours is None:
        assert math.isnan(ref) or ref == pytest.approx(1.0)
    else:
        assert ours == pytest.approx(ref, abs=1e-9)


def test_ordinal_alpha_with_an_explicit_order():
    matrix = [[-1, 0, 0.5, 1, 1, -1, 0], [-1, 0.5, 0.5, 1, 0, 0, 0]]
    order = [-1, 0, 0.5, 1]
    assert co.krippendorff_alpha(units_of(matrix), "ordinal", order) == pytest.approx(
        reference(matrix, "ordinal", order), abs=1e-9)


def test_alpha_undefined_without_variation_or_pairs():
    assert co.krippendorff_alpha([[1, 1], [1, 1]]) is None   # no expected disagreement
    assert co.krippendorff_alpha([[1, None], [2]]) is None    # nothing pairable
    assert co.krippendorff_alpha([[1, 1], [2, 2]]) == 1.0


# -- Cohen's kappa ------------------------------------------------------------------------------

def test_cohen_kappa_by_hand():
    # 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: po = .7, pe = .5*.6 + .5*.4 = .5
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert co.cohen_kappa(pairs) == pytest.approx(0.4)
    assert co.cohen_kappa([("a", "a"), ("b", "b")]) == pytest.approx(1.0)
    assert co.cohen_kappa([("a", "a"), ("a", "a")]) is None


def test_weighted_kappa_by_hand():
    # weights |rank difference| / 2: observed (0 + .5 + 0 + .5) / 4 = .25;
    # expected: marginals A {0: 2, 1: 1, 2: 1}, B {0: 1, 1: 3} -> 6 / 16 = .375
    pairs = [(0, 0), (0, 1), (1, 1), (2, 1)]
    assert co.cohen_kappa(pairs, order=[0, 1, 2]) == pytest.approx(1 / 3)


def test_kappa_and_alpha_agree_in_the_limit():
    rnd = random.Random(3)
    pairs = [(rnd.choice("abc"), rnd.choice("abc")) for _ in range(4000)]
    pairs += [(v, v) for v, _ in pairs[:3000]]
    alpha = co.krippendorff_alpha([list(p) for p in pairs])
    assert co.cohen_kappa(pairs) == pytest.approx(alpha, abs=0.01)


# -- unitizing alpha ----------------------------------------------------------------------------

def test_unitizing_alpha_krippendorff_2004_example():
    """Krippendorff (2004: 254): two observers, continuum 150..450, categories c and k."""
    c0, c1 = [(225, 295), (370, 400)], [(220, 300), (355, 375), (400, 420)]
    d_o, d_e = co.unitizing_parts([c0, c1], 300, 150)
    assert d_o == pytest.approx(0.0144, abs=1e-4)
    assert d_e == pytest.approx(0.0532, abs=1e-4)
    assert co.unitizing_alpha([c0, c1], 300, 150) == pytest.approx(0.7286, abs=1e-4)
    k = [(180, 240), (300, 350)]
    assert co.unitizing_parts([k, k], 300, 150)[1] == pytest.approx(0.0490, abs=1e-4)
    assert co.unitizing_alpha([k, k], 300, 150) == 1.0


def test_unit_distances_krippendorff_2004():
    assert co.unit_distance(225, 70, True, 220, 80, True) == 50
    assert co.unit_distance(370, 30, True, 355, 20, True) == 850
    assert co.unit_distance(400, 50, False, 400, 20, True) == 400
    assert co.unit_distance(5, 6, True, 5, 6, True) == 0


def brute_observed(coders, length):
    """D_o over every pair of sections of every pair of coders (no sweep)."""
    segs = [co.segments(u, 0, length) for u in coders]
    total = sum(co.unit_distance(*a, *b) for i, sa in enumerate(segs)
                for j, sb in enumerate(segs) if i != j for a in sa for b in sb)
    r = len(coders)
    return total / (r * (r - 1) * length * length)


@pytest.mark.parametrize("seed", range(8))
def test_unitizing_observed_sweep_equals_brute_force(seed):
    rnd = random.Random(seed)
    length = 400
    coders = []
    for _ in range(rnd.randint(2, 4)):
        pos, units = 0, []
        while pos < length - 20:
            s = pos + rnd.randint(1, 40)
            e = min(length, s + rnd.randint(1, 60))
            if s < e:
                units.append((s, e))
            pos = e
        coders.append(units)
    assert co.unitizing_parts(coders, length)[0] == pytest.approx(brute_observed(coders, length))
    assert co.unitizing_alpha(coders, length) <= 1.0


def test_unitizing_alpha_falls_as_boundaries_move():
    base = [(10, 60), (100, 160), (200, 260)]
    values = [co.unitizing_alpha([base, [(s + d, e + d) for s, e in base]], 300)
              for d in (0, 3, 10, 25)]
    assert values[0] == 1.0 and values == sorted(values, reverse=True)


def test_f1():
    assert co.f1(3, 4, 4) == pytest.approx(0.75)
    assert co.f1(0, 0, 0) is None


# -- agreement of a project ---------------------------------------------------------------------

@pytest.fixture
def coded(db):
    """Two articles, three analysts; the positions of topic T are ordered (-1, 0, 1)."""
    with db.atomic():
        arts = [db.execute("INSERT INTO articles(hash, text, imported_at) VALUES (?, ?, ?)",
                           [f"h{i}", "x" * 500, now()]).lastrowid for i in range(2)]
        topic = db.execute("INSERT INTO topics(name) VALUES ('T')").lastrowid
        pos = {v: db.execute("INSERT INTO positions(topic_id, label, value) VALUES (?, ?, ?)",
                             [topic, f"p{v}", v]).lastrowid for v in (-1, 0, 1)}
    spk = {}
    for name in "ABC":
        cmd = CreateSpeaker(name=name, actor="t")
        cmd.apply(db)
        spk[name] = cmd.speaker_id
    layers = {n: ensure_layer(db, n) for n in ("alice", "bob", "carol")}

    def q(layer, art, s, e, who, value):
        add_quote(db, article_id=arts[art], layer=layer, fragments=[(s, e)],
                  speaker_id=spk[who] if who else None, topic_id=topic,
                  position_id=pos[value] if value is not None else None)
    # article 0: unit 1 agrees; unit 2 boundaries + position; unit 3 only alice
    q("alice", 0, 10, 50, "A", 1), q("bob", 0, 10, 50, "A", 1), q("carol", 0, 10, 50, "A", 1)
    q("alice", 0, 100, 150, "B", -1), q("bob", 0, 105, 150, "B", 0)
    q("carol", 0, 100, 150, "B", -1)
    q("alice", 0, 300, 350, "C", 0)
    # article 1: speaker differs, one position missing
    q("alice", 1, 20, 80, "A", 0), q("bob", 1, 20, 80, "B", 0), q("carol", 1, 20, 80, "A", None)
    q("bob", 1, 200, 260, "C", 1), q("carol", 1, 200, 260, "C", 1)
    return db, arts, spk, pos, layers


def test_pair_figures(coded):
    db, arts, spk, pos, _ = coded
    r = agreement(db, ["alice", "bob"])
    assert r["articles"] == 2
    (pair,) = r["pairs"]
    assert pair["quotes"] == {"alice": 4, "bob": 4}
    f1 = pair["quote_f1"]
    assert (f1["matched_exact"], f1["matched_overlap"]) == (2, 3)
    assert f1["exact"] == pytest.approx(2 * 2 / 8) and f1["overlap"] == pytest.approx(2 * 3 / 8)
    assert (pair["units"], pair["matched"], pair["unmatched"]) == (5, 3, 2)
    assert pair["statuses"] == {"agree": 1, "missing": 2, "speaker": 1, "position": 1,
                                "boundaries": 0}
    # speakers on the 3 matched units: (A, A), (B, B), (A, B)
    sp = pair["speakers"]
    assert sp["units"] == 3 and sp["percent"] == pytest.approx(200 / 3)
    ref = reference([[spk["A"], spk["B"], spk["A"]], [spk["A"], spk["B"], spk["B"]]], "nominal")
    assert sp["alpha"] == pytest.approx(ref)
    # positions: (1, 1), (-1, 0), (0, 0)
    po = pair["positions"]
    assert po["units"] == 3 and po["percent"] == pytest.approx(200 / 3)
    assert po["kappa"] == pytest.approx(co.cohen_kappa([(1, 1), (-1, 0), (0, 0)]))
    assert sum(map(sum, po["confusion"]["matrix"])) == 3
    topic = po["by_topic"]["T"]
    assert topic["level"] == "ordinal"
    assert topic["alpha"] == pytest.approx(
        reference([[1, -1, 0], [1, 0, 0]], "ordinal", [-1, 0, 1]))
    assert topic["weighted_kappa"] == pytest.approx(
        co.cohen_kappa([(1, 1), (-1, 0), (0, 0)], order=[-1, 0, 1]))


def test_confusion_matrix_rows_are_the_first_layer(coded):
    db, *_ = coded
    po = agreement(db, ["alice", "bob"])["pairs"][0]["positions"]
    labels, m = po["confusion"]["labels"], po["confusion"]["matrix"]
    cell = lambda a, b: m[labels.index(f"T: p{a}")][labels.index(f"T: p{b}")]  # noqa: E731
    assert (cell(1, 1), cell(-1, 0), cell(0, 0), cell(0, -1)) == (1, 1, 1, 0)


def test_three_layers_overall_and_per_article(coded):
    db, arts, spk, pos, _ = coded
    r = agreement(db, ["alice", "bob", "carol"])
    assert len(r["pairs"]) == 3
    o = r["overall"]
    assert o["layers"] == ["alice", "bob", "carol"] and o["units"] == 5
    assert o["matched"] == 3 and o["statuses"]["missing"] == 2
    # speakers over units with 2+ quotes: (A,A,A), (B,B,B), (A,B,A), (C,C)
    rows = [[spk["A"]] * 3, [spk["B"]] * 3, [spk["A"], spk["B"], spk["A"]],
            [None, spk["C"], spk["C"]]]
    assert o["speakers"]["alpha"] == pytest.approx(reference(list(map(list, zip(*rows))),
                                                             "nominal"))
    assert "kappa" not in o["positions"] and "coincidences" in o["positions"]
    assert o["positions"]["by_topic"]["T"]["alpha"] == pytest.approx(reference(
        [[1, -1, 0, None], [1, 0, 0, 1], [1, -1, None, 1]], "ordinal", [-1, 0, 1]))
    # micro F1 over the pairs: exact alice-bob 2, alice-carol 3, bob-carol 3 of 8+8+8 quotes
    assert o["quote_f1"]["matched_exact"] == 2 + 3 + 3
    assert o["quote_f1"]["exact"] == pytest.approx(2 * 8 / 24)
    per = {row["article_id"]: row for row in r["per_article"]}
    assert per[arts[0]]["units"] == 3 and per[arts[0]]["statuses"]["agree"] == 1
    assert per[arts[1]]["speaker_percent"] == pytest.approx(50.0)
    assert 0 < per[arts[0]]["unitizing_alpha"] < 1


def test_scope_articles_and_errors(coded):
    db, arts, *_ = coded
    assert agreement(db, ["alice", "bob"], articles=[arts[1]])["articles"] == 1
    db.execute("INSERT INTO article_status(article_id, layer_id, status, updated) VALUES "
               "(?, (SELECT id FROM layers WHERE name = 'bob'), 'skipped', ?)", [arts[1], now()])
    assert agreement(db, ["alice", "bob"])["articles"] == 1
    with pytest.raises(ValueError, match="no layer named 'zoe'"):
        agreement(db, ["alice", "zoe"])
    with pytest.raises(ValueError, match="at least two"):
        agreement(db, ["alice"])


def test_table_and_csv(coded):
    db, *_ = coded
    r = agreement(db, ["alice", "bob", "carol"])
    table = to_table(r)
    assert "alice vs bob:" in table and "all layers:" in table and "alpha_U" in table
    rows = list(csv.DictReader(io.StringIO(to_csv(r))))
    assert [row["scope"] for row in rows[:4]] == ["pair", "pair", "pair", "all"]
    assert rows[3]["layers"] == "alice+bob+carol" and rows[-1]["scope"].startswith("article:")
    assert float(rows[0]["f1_overlap"]) == pytest.approx(r["pairs"][0]["quote_f1"]["overlap"])


def test_cli_agreement(coded, project_path, tmp_path, capsys):
    db, *_ = coded
    db.close()
    assert cli.run(["agreement", "--project", str(project_path), "--layers", "alice,bob",
                    "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pairs"][0]["quote_f1"]["matched_overlap"] == 3
    out = tmp_path / "agreement.csv"
    assert cli.run(["agreement", "--project", str(project_path), "--layers", "alice,bob,carol",
                    "--format", "csv", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"scope,layers") and b"\r\n" in out.read_bytes()
    assert cli.run(["agreement", "--project", str(project_path), "--layers", "alice,zoe"]) == 1
    assert "no layer named 'zoe'" in capsys.readouterr().err
    assert cli.run(["agreement", "--project", str(project_path), "--layers", "alice,bob"]) == 0
    assert "alice vs bob:" in capsys.readouterr().out


def test_progress_and_cancel(coded):
    db, *_ = coded
    calls = []
    result = agreement(db, ["alice", "bob"], task=Task(
        progress=lambda done, total, note: calls.append((done, total))))
    assert calls[-1] == (2, 2) and result["cancelled"] is False
    cancelled = agreement(db, ["alice", "bob"], task=Task(cancel=lambda: True))
    assert cancelled["cancelled"] is True and cancelled["pairs"] == []


def test_cli_agreement_without_layers_compares_every_analyst_layer_with_work(
        coded, project_path, capsys):
    db, arts, *_ = coded
    ensure_layer(db, "rita")                      # a reviewer's own layer: no work, left out
    add_quote(db, article_id=arts[0], layer="gold", fragments=[(10, 50)])
    add_quote(db, article_id=arts[0], layer="suggestions", fragments=[(10, 50)])
    db.close()
    assert cli.run(["agreement", "--project", str(project_path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["layers"] == ["alice", "bob", "carol"] and data["articles"] == 2
    assert "alice, bob, carol" in captured.err   # says which layers it compared
    one = open_project(project_path)
    one.execute("DELETE FROM quotes WHERE layer_id IN (SELECT id FROM layers "
                "WHERE name IN ('bob', 'carol'))")
    one.conn.commit()
    one.close()
    assert cli.run(["agreement", "--project", str(project_path)]) == 2
    err = capsys.readouterr().err
    assert "only alice has work" in err and "--layers" in err


def test_project_agreement_without_layers(coded, project_path):
    from annotator.project import Project
    db, *_ = coded
    ensure_layer(db, "rita")                      # a reviewer's own empty layer: left out
    db.close()
    with Project.open(project_path, create=False) as project:
        assert project.agreement()["layers"] == ["alice", "bob", "carol"]
        project.db.execute("DELETE FROM quotes WHERE layer_id IN (SELECT id FROM layers "
                           "WHERE name IN ('bob', 'carol'))")
        with pytest.raises(ValueError, match="only alice has work"):
            project.agreement()
