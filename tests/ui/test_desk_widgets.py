"""The desk's widgets one at a time, with a real session on the sample project and qtbot:
the article list, the article view and the speaker registry with its controller."""
from PySide6.QtWidgets import QPushButton

from annotator.corpus.articles import get_article
from annotator.editing import desk
from annotator.editing.edits import SetArticleStatus
from annotator.editing.edits import add_quote
from annotator.editing.speakers import add_speaker
from window_helpers import registry, session  # noqa: F401 (fixtures)


def article(db, source):
    return db.execute("SELECT id FROM articles WHERE source = ?", [source]).fetchone()[0]


def my_quotes(session, aid):
    return desk.article_quotes(session.db, aid, session.layer_id)


def test_search_status_filter_and_reveal(qtbot, session):
    from ui.article_list import ArticleListPanel
    panel = ArticleListPanel(session)
    qtbot.addWidget(panel)
    panel.show()
    panel.search_box.setText("desalination")
    qtbot.waitUntil(lambda: panel.model.rowCount() < 10)
    assert panel.model.rowCount() >= 1
    panel.search_box.clear()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 10)
    first, second = panel.model.row(0)["id"], panel.model.row(1)["id"]
    assert session.run(SetArticleStatus(article_id=first, layer_id=session.layer_id,
                                        status="done", actor=session.analyst))
    panel.status_box.setCurrentIndex(panel.status_box.findData("done"))
    assert panel.model.rowCount() == 1
    with qtbot.waitSignal(panel.articleChosen, timeout=2000) as chosen:
        assert panel.reveal(second)  # hidden by the status filter: the filter is cleared
    assert chosen.args == [second] and panel.status_box.currentIndex() == 0
    assert panel.model.rowCount() == 10 and panel.current_row()["id"] == second
    panel.step(-1)
    assert panel.current_id() == first and panel.current_row()["status"] == "done"


def test_html_like_text_shows_literally(qtbot, session):
    from ui.article_view import ArticleView
    aid = article(session.db, "sample-05")
    text = get_article(session.db, aid)["text"]
    assert "<b>" in text
    view = ArticleView()
    qtbot.addWidget(view)
    view.show_article(text, desk.entity_rows(session.db, aid), my_quotes(session, aid), [])
    assert view.toPlainText() == text


def test_merge_speakers_in_the_registry(registry, session):
    aid = article(session.db, "sample-02")
    yevgeny = add_speaker(session.db, "Yevgeny Morozov")
    evgeny = add_speaker(session.db, "Evgeny Morozov")
    for span, speaker in (((0, 20), yevgeny), ((40, 60), evgeny)):
        add_quote(session.db, article_id=aid, layer="tester", fragments=[span],
                  speaker_id=speaker)
    session.refresh_all()
    assert registry.model.rowCount() == 2
    registry.mergeRequested.emit(yevgeny, evgeny)
    assert {q["speaker"] for q in my_quotes(session, aid)} == {"Yevgeny Morozov"}
    assert registry.model.rowCount() == 1
    assert "Evgeny Morozov" in registry.rows[0]["aliases"]
    assert session.undo()
    assert registry.model.rowCount() == 2
    assert {q["speaker"] for q in my_quotes(session, aid)} == {"Yevgeny Morozov",
                                                                "Evgeny Morozov"}


def test_registry_inline_rename(registry, session):
    aid = article(session.db, "sample-01")
    kovacs = add_speaker(session.db, "Kovacs")
    add_quote(session.db, article_id=aid, layer="tester", fragments=[(0, 20)],
              speaker_id=kovacs)
    session.refresh_all()
    registry.proxy.setData(registry.proxy.index(0, 0), "Anna Kovacs")
    assert [r["name"] for r in desk.speakers_table(session.db)] == ["Anna Kovacs"]
    assert my_quotes(session, aid)[0]["speaker"] == "Anna Kovacs"
    assert registry.rows[0]["name"] == "Anna Kovacs"  # re-read after the edit


def test_registry_offers_merge_proposals(registry, session):
    from annotator.store.db import now
    a = add_speaker(session.db, "Sergey Lavrov")
    b = add_speaker(session.db, "Sergei Lavrov")
    session.db.execute("INSERT INTO speaker_merge_proposals(speaker_id, other_id, reason, "
                       "created) VALUES (?, ?, 'spelling', ?)", [a, b, now()])
    session.db.conn.commit()
    session.refresh_all()
    assert registry.proposals.count() == 1
    assert "Sergey Lavrov" in registry.proposals.item(0).text()
    merge = next(b for b in registry.findChildren(QPushButton) if b.text() == "Merge")
    merge.click()
    assert [r["name"] for r in desk.speakers_table(session.db)] == ["Sergey Lavrov"]
    assert registry.proposals.count() == 0
    session.undo_stack.undo()
    assert registry.proposals.count() == 1
