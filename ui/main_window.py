"""The main window: wires the article list, the article view and the status bar."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QLabel, QMainWindow, QMessageBox, QSplitter, QTableView,
                               QHeaderView, QAbstractItemView)

from annotator.analysis import pending_count
from annotator.articles import article_entities, get_article
from annotator.stats import project_stats

from .analysis_runner import AnalysisRunner, ProgressWidget
from .article_list import ArticleListModel
from .article_view import ArticleView


class MainWindow(QMainWindow):
    def __init__(self, db, project_path: Path, *, analyst: str = "", model: str | None = None):
        super().__init__()
        self.db = db
        self.project_path = Path(project_path)
        self.analyst = analyst
        self.setWindowTitle(f"Quotebook — {self.project_path.name}")
        self.resize(1280, 800)

        self.articles = ArticleListModel(db, self)
        self.article_list = QTableView()
        self.article_list.setObjectName("articleList")
        self.article_list.setAccessibleName("Articles")
        self.article_list.setModel(self.articles)
        self.article_list.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.article_list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.article_list.verticalHeader().hide()
        self.article_list.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.article_list.setWordWrap(False)
        self.article_list.selectionModel().currentRowChanged.connect(self._on_row)

        self.article_view = ArticleView()
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.article_list)
        splitter.addWidget(self.article_view)
        splitter.setSizes([480, 800])
        self.setCentralWidget(splitter)

        self.counts = QLabel()
        self.progress = ProgressWidget()
        self.statusBar().addWidget(self.counts, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.runner = AnalysisRunner(self.project_path, model=model, parent=self)
        self.runner.progressed.connect(self.progress.show_progress)
        self.runner.batch_stored.connect(self._refresh)
        self.runner.finished.connect(self._analysis_finished)
        self.progress.cancel_button.clicked.connect(self.runner.cancel)
        self._update_counts()
        if self.articles.rowCount():
            self.article_list.selectRow(0)

    def start_analysis(self) -> None:
        """Analyse, in a worker process, whatever this project has not analysed yet."""
        if pending_count(self.db):
            self.progress.show_progress(0, pending_count(self.db), "Analysing")
            self.runner.start()

    def current_article_id(self) -> int | None:
        index = self.article_list.currentIndex()
        return self.articles.data(index, Qt.UserRole) if index.isValid() else None

    def _on_row(self, current, _previous) -> None:
        article_id = self.articles.data(current, Qt.UserRole)
        if article_id is None:
            return
        article = get_article(self.db, article_id)
        self.article_view.show_article(article["text"], article_entities(self.db, article_id))

    def _refresh(self) -> None:
        current = self.current_article_id()
        row = self.article_list.currentIndex().row()
        self.articles.refresh()
        if current is not None and row >= 0:
            self.article_list.selectRow(row)
        self._update_counts()

    def _update_counts(self) -> None:
        s = project_stats(self.db)
        who = f"Analyst: {self.analyst}" if self.analyst else "No analyst set"
        self.counts.setText(f"{s['articles']} articles · {s['analyzed']} analysed · "
                            f"{s['entities']} entities · {who}")

    def _analysis_finished(self, ok: bool, message: str) -> None:
        self.progress.hide()
        self._refresh()
        if ok:
            self.statusBar().showMessage(message, 8000)
        else:
            QMessageBox.warning(self, "Analysis", message)

    def closeEvent(self, event) -> None:
        self.runner.shutdown()
        super().closeEvent(event)
