"""CSV injection: text cells a spreadsheet would run as a formula get a leading ' (OWASP);
numbers stay numbers; --raw-cells (and the dialog's checkbox) keeps every cell as it is."""
import csv
import io

import pytest

from annotator.cli import main as cli
from annotator.export.cells import safe_cell
from annotator.export.csv_rows import export_csv
from export_helpers import coded  # noqa: F401 (fixture)

FORMULAS = {"title": "=1+2", "outlet": "@SUM(A1)", "speaker": '=HYPERLINK("http://x")',
            "speaker_role": "+44 20 7946", "note": "-2+3", "topic": "\tTabbed",
            "position": "\rReturn"}


@pytest.fixture
def injected(coded):  # noqa: F811
    """The coded project with formula-like names on one gold quote (and values of -1)."""
    qid, aid, sid, tid, pid = coded.execute(
        "SELECT q.id, q.article_id, q.speaker_id, q.topic_id, q.position_id FROM quotes q "
        "JOIN layers l ON l.id = q.layer_id JOIN positions p ON p.id = q.position_id "
        "WHERE l.name = 'gold' AND q.speaker_id IS NOT NULL AND p.value = -1 "
        "ORDER BY q.id LIMIT 1").fetchone()
    f = FORMULAS
    coded.execute("UPDATE articles SET title = ?, outlet = ? WHERE id = ?",
                  [f["title"], f["outlet"], aid])
    coded.execute("UPDATE speakers SET name = ?, role = ? WHERE id = ?",
                  [f["speaker"], f["speaker_role"], sid])
    coded.execute("UPDATE quotes SET note = ? WHERE id = ?", [f["note"], qid])
    coded.execute("UPDATE topics SET name = ? WHERE id = ?", [f["topic"], tid])
    coded.execute("UPDATE positions SET label = ? WHERE id = ?", [f["position"], pid])
    coded.conn.commit()
    return coded, coded.execute("SELECT uuid FROM quotes WHERE id = ?", [qid]).fetchone()[0]


def read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_safe_cell_prefixes_only_text_that_starts_a_formula():
    for text in ("=1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    for value in (-1, -1.5, 0, None, "", "a=1", "'=1", " =1", "2026-01-01"):
        assert safe_cell(value) == value


def test_formula_cells_are_neutralised_and_numbers_stay_numbers(injected, tmp_path):
    db, uuid = injected
    export_csv(db, tmp_path / "out.csv")
    rows = read(tmp_path / "out.csv")
    row = next(r for r in rows if r["quote_id"] == uuid)
    for column, text in FORMULAS.items():
        assert row[column] == "'" + text, column
    assert row["position_value"] == "-1.0"  # a number in a numeric column: unchanged
    assert int(row["start"]) < int(row["end"])
    numeric = {"article_id", "start", "end", "speaker_start", "speaker_end", "cue_start",
               "cue_end", "position_value", "confidence"}
    for r in rows:
        for column, cell in r.items():
            if column not in numeric:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)


def test_raw_cells_keeps_them_as_they_are(injected, tmp_path):
    db, uuid = injected
    export_csv(db, tmp_path / "raw.csv", raw_cells=True)
    row = next(r for r in read(tmp_path / "raw.csv") if r["quote_id"] == uuid)
    for column, text in FORMULAS.items():
        assert row[column] == text, column


def test_the_command_line_neutralises_unless_raw_cells(injected, tmp_path, project_path):
    _, uuid = injected
    for flags, prefix in (([], "'"), (["--raw-cells"], "")):
        out = tmp_path / f"cli{len(flags)}.csv"
        assert cli.run(["export", "--project", str(project_path), "--format", "csv",
                        "--out", str(out), *flags]) == 0
        row = next(r for r in read(out) if r["quote_id"] == uuid)
        assert row["title"] == prefix + FORMULAS["title"]


def test_stats_by_csv_neutralises_names_unless_raw_cells(injected, project_path, capsys):
    args = ["stats", "--project", str(project_path), "--by", "speaker,position"]
    assert cli.run(args) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    row = next(r for r in table if r["speaker"].endswith(FORMULAS["speaker"])
               and r["position"].endswith(FORMULAS["position"]))
    assert (row["speaker"], row["role"], row["topic"], row["position"]) == tuple(
        "'" + FORMULAS[k] for k in ("speaker", "speaker_role", "topic", "position"))
    assert row["value"] == "-1.0" and int(row["count"]) >= 1
    assert cli.run(args + ["--raw-cells"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert any(r["speaker"] == FORMULAS["speaker"] for r in table)


def test_the_dialog_offers_raw_cells_for_csv_only(qtbot, injected, project_path, tmp_path):
    from ui.export_dialog import ExportDialog
    db, uuid = injected
    db.close()
    dialog = ExportDialog(project_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format.setCurrentIndex(dialog.format.findData("network"))
    assert not dialog.raw_cells.isVisible()
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert dialog.raw_cells.isVisible() and not dialog.raw_cells.isChecked()
    for checked, prefix in ((False, "'"), (True, "")):
        dialog.raw_cells.setChecked(checked)
        out = tmp_path / f"dialog{checked}.csv"
        dialog.path.setText(str(out))
        with qtbot.waitSignal(dialog.finished_export, timeout=60000) as blocker:
            dialog.export_button.click()
        assert blocker.args[0] is True, blocker.args
        row = next(r for r in read(out) if r["quote_id"] == uuid)
        assert row["note"] == prefix + FORMULAS["note"]
