"""The article list of a corpus of several pages: rows read by id page by page, a search
shows its first page and reads on as the list scrolls, a filter typed with a deep row
selected never reads the search through to it."""
import json

import pytest

from annotator.corpus.importing import import_paths
from annotator.editing.article_rows import PAGE
from annotator.editing.edits import SetArticleStatus
from annotator.store.db import open_project

N = 3 * PAGE + 40


@pytest.fixture
def panel(qtbot, tmp_path):
    from ui.article_list import ArticleListPanel
    from ui.session import Session
    path = tmp_path / "pages.quotebook"
    src = tmp_path / "c.jsonl"
    src.write_text("".join(json.dumps({"id": f"a{i}", "title": f"Article {i}", "text":
                                       f"Article {i} about the {'harbour' if i % 2 else 'market'}."})
                           + "\n" for i in range(N)))
    db = open_project(path)
    import_paths(db, [src])
    session = Session(db, path, "tester")
    widget = ArticleListPanel(session)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    db.close()


def titles(panel, rows):
    return [panel.model.row(r)["title"] for r in rows]


def test_rows_at_page_boundaries_and_a_deep_jump(panel):
    assert panel.model.rowCount() == N
    assert titles(panel, [0, PAGE - 1, PAGE, 3 * PAGE, N - 1]) == [
        "Article 0", f"Article {PAGE - 1}", f"Article {PAGE}", f"Article {3 * PAGE}",
        f"Article {N - 1}"]
    assert panel.select(N - 5) and panel.current_row()["title"] == f"Article {N - 6}"
    assert panel.table.currentIndex().row() == N - 6


def test_a_search_shows_its_first_page_and_reads_more_on_scroll(qtbot, panel):
    matches = (N + 1) // 2  # "harbour": the odd articles
    panel.search_box.setText("harbour")
    qtbot.waitUntil(lambda: panel.model.rowCount() == PAGE)
    assert panel.model.canFetchMore()
    assert titles(panel, [0, PAGE - 1]) == ["Article 1", f"Article {2 * PAGE - 1}"]
    panel.table.scrollToBottom()  # Qt asks for more as the end comes into view
    qtbot.waitUntil(lambda: panel.model.rowCount() > PAGE)
    while panel.model.canFetchMore():
        panel.model.fetchMore()
    assert panel.model.rowCount() == matches
    assert titles(panel, [matches - 1]) == [f"Article {N - 1 if N % 2 == 0 else N - 2}"]


def test_a_search_typed_on_a_deep_row_starts_at_the_top_and_keeps_it_when_asked(qtbot, panel):
    deep = N - 1 if (N - 1) % 2 else N - 2   # an odd article: a "harbour" match
    deep_id = deep + 1
    assert panel.select(deep_id)
    panel.search_box.setText("harbour")
    qtbot.waitUntil(lambda: panel.model.search == "harbour")
    assert panel.model.rowCount() < (deep + 1) // 2 and panel.current_id() is None  # not read
    assert panel.table.verticalScrollBar().value() == 0                         # through
    assert panel.select(deep_id)   # asked for (another window reveals it): read up to it
    assert panel.current_row()["title"] == f"Article {deep}"
    assert panel.model.rowCount() == (deep + 1) // 2


def test_status_filters_list_from_the_index(qtbot, panel):
    session = panel.model.session
    for aid in (3, PAGE + 7, 3 * PAGE + 2):
        session.run(SetArticleStatus(article_id=aid, layer_id=session.layer_id, status="done",
                                     actor=session.analyst))
    panel.status_box.setCurrentIndex(panel.status_box.findData("done"))
    assert titles(panel, range(3)) == ["Article 2", f"Article {PAGE + 6}",
                                       f"Article {3 * PAGE + 1}"]
    assert panel.model.rowCount() == 3
    panel.status_box.setCurrentIndex(panel.status_box.findData("todo"))
    assert panel.model.rowCount() == N - 3
    assert titles(panel, [2, PAGE]) == ["Article 3", f"Article {PAGE + 1}"]  # ids 1, 2, 4, …
