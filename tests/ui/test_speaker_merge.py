"""Merging two speakers in the registry keeps what is known: a field both fill differently is
shown and the analyst's choice applied (the registry's merge and a merge proposal's "Merge"
alike); undo restores both speakers. Real widgets, a real project, the dialog driven directly."""
import pytest
from window_helpers import registry, session  # noqa: F401 (fixtures)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from annotator.editing import desk
from annotator.editing.edits import add_quote
from annotator.editing.speakers import add_speaker
from annotator.store.db import now


@pytest.fixture
def lavrovs(session):
    db = session.db
    sergei = add_speaker(db, "Sergei Lavrov", role="Minister", aliases=("Lavrov",))
    sergey = add_speaker(db, "Sergey Lavrov", role="Foreign Minister", organisation="Russia")
    aid = db.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()[0]
    for span, speaker in (((0, 20), sergei), ((40, 60), sergey)):
        add_quote(db, article_id=aid, layer="tester", fragments=[span], speaker_id=speaker)
    session.refresh_all()
    return sergei, sergey


def dump(db):
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
            for t in ("speakers", "speaker_aliases", "quotes", "speaker_merge_proposals")}


def answer_later(seen, pick_other=(), cancel=False):
    """Drive the choice dialog once it is open: note what it shows, pick the other speaker's
    value for ``pick_other``, then Merge (or Cancel)."""
    def answer():
        from ui.merge_choice import MergeChoiceDialog
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MergeChoiceDialog)
        seen.append({f: (a.text(), b.text()) for f, (a, b) in dialog.buttons.items()})
        for field in pick_other:
            dialog.buttons[field][1].click()
        box = dialog.button_box
        box.button(QDialogButtonBox.Cancel if cancel else QDialogButtonBox.Ok).click()
    QTimer.singleShot(0, answer)


def kept(db, speaker_id):
    return next(db.query("SELECT role, organisation, kind FROM speakers WHERE id = ?",
                         [speaker_id]))


def test_merge_with_a_conflict_asks_and_applies_the_choice(registry, session, lavrovs):
    sergei, sergey = lavrovs
    db = session.db
    before = dump(db)
    seen = []
    answer_later(seen, cancel=True)
    registry.mergeRequested.emit(sergei, sergey)
    assert seen == [{"role": ("Minister   (Sergei Lavrov)", "Foreign Minister   (Sergey Lavrov)")}]
    assert dump(db) == before and session.undo_stack.count() == 0  # cancelled: nothing merged
    answer_later(seen, pick_other=["role"])
    registry.mergeRequested.emit(sergei, sergey)
    assert len(seen) == 2
    assert kept(db, sergei) == {"role": "Foreign Minister", "organisation": "Russia",
                                "kind": "person"}
    assert [(r["name"], r["role"], r["quotes"]) for r in registry.rows] == [
        ("Sergei Lavrov", "Foreign Minister", 2)]
    assert "Sergey Lavrov" in registry.rows[0]["aliases"]
    assert session.undo()
    assert dump(db) == before and registry.model.rowCount() == 2


def test_merge_without_a_conflict_asks_nothing(registry, session, lavrovs):
    sergei, sergey = lavrovs
    session.db.execute("UPDATE speakers SET role = NULL WHERE id = ?", [sergei])
    session.db.conn.commit()
    registry.mergeRequested.emit(sergei, sergey)  # no dialog: it would block the test
    assert kept(session.db, sergei)["role"] == "Foreign Minister"


def test_proposal_merge_asks_the_same_way(registry, session, lavrovs):
    sergei, sergey = lavrovs
    db = session.db
    db.execute("INSERT INTO speaker_merge_proposals(speaker_id, other_id, reason, created) "
               "VALUES (?, ?, 'spelling', ?)", [sergei, sergey, now()])
    db.conn.commit()
    session.refresh_all()
    before = dump(db)
    assert registry.proposals.count() == 1
    seen = []
    answer_later(seen)  # keeps the kept speaker's own role
    next(b for b in registry.findChildren(QPushButton) if b.text() == "Merge").click()
    assert seen and "role" in seen[0]
    assert kept(db, sergei) == {"role": "Minister", "organisation": "Russia", "kind": "person"}
    assert desk.open_merge_proposals(db) == [] and registry.proposals.count() == 0
    assert session.undo()
    assert dump(db) == before and registry.proposals.count() == 1
