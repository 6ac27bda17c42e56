"""The main window: only wires the desk's widgets (as docks), the menus (``actions``) and
the background jobs to the session."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox

from annotator.editing import desk
from annotator.editing.article_rows import article_total
from annotator.nlp.analysis import pending_count
from annotator.corpus.articles import get_article
from annotator.corpus.importing import WINDOW_BATCHES, import_paths
from annotator.editing.codebook import codebook
from annotator.review.comments import open_count
from annotator.editing.article_details import article_details
from annotator.editing.workflow import layer_status

from .actions import Menus
from .jobs import AnalysisJob, Job, ProgressWidget
from .annotation import Annotation
from .article_details_dialog import ArticleDetailsDialog
from .article_list import STATUS_LABELS, ArticleListPanel
from .article_pane import ArticlePane
from .article_view import ArticleView
from .insights_panel import InsightsPanel
from .network_view import NetworkView
from .plain import show_message
from .quote_panel import QuotePanel
from .review import Review
from .review_panel import ReviewPanel
from .search_hits import SearchHits
from .session import DATA_ERRORS, Session
from .speaker_desk import SpeakerDesk
from .speaker_registry import SpeakerRegistry


class MainWindow(QMainWindow):
    openProject = Signal(str)   # the app opens another project in a new window

    def __init__(self, db, project_path: Path, *, analyst: str, model: str | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.session = Session(db, project_path, analyst, self)
        self.db = db
        self.project_path = Path(project_path)
        self.analyst = self.session.analyst
        self.setWindowTitle(f"Quotebook — {self.project_path.name} — {self.analyst}")
        self.setAcceptDrops(True)
        self.resize(1280, 800)

        self.articles = ArticleListPanel(self.session)
        self.article_view = ArticleView()
        self.quote_panel = QuotePanel()
        self.registry = SpeakerRegistry()
        self.annotation = Annotation(self.session, self.article_view, self.quote_panel, self)
        self.article_pane = ArticlePane(self.article_view)
        self.article_pane.editDetails.connect(self.edit_details)
        self.search_hits = SearchHits(self.article_view, self.articles.search_box, self)
        self.annotation.articleLoaded.connect(self.search_hits.update)
        self.search_hits.message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self.setCentralWidget(self.article_pane)
        self.article_dock = self._dock("Articles", "articlesDock", self.articles,
                                       Qt.LeftDockWidgetArea)
        self.quote_dock = self._dock("Quotes", "quotesDock", self.quote_panel,
                                     Qt.RightDockWidgetArea)
        self.registry_dock = self._dock("Speakers", "speakersDock", self.registry,
                                        Qt.RightDockWidgetArea)
        self.tabifyDockWidget(self.quote_dock, self.registry_dock)
        self.review_panel = ReviewPanel()
        self.review = Review(self.session, self.annotation, self.review_panel, self)
        self.setCorner(Qt.BottomLeftCorner, Qt.LeftDockWidgetArea)
        self.setCorner(Qt.BottomRightCorner, Qt.RightDockWidgetArea)
        self.review_dock = self._dock("Review and comments", "reviewDock", self.review_panel,
                                      Qt.BottomDockWidgetArea)
        self.review_dock.hide()
        self.review.message.connect(lambda m: self.statusBar().showMessage(m, 6000))
        self.quote_dock.raise_()
        self.article_dock.setMinimumWidth(240)
        self.quote_dock.setMinimumWidth(280)
        self._sized = False
        self._width, self._shares = 0, {}  # the side panels' share of the window's width
        for dock in (self.article_dock, self.quote_dock):
            dock.installEventFilter(self)
        self.insights_panel = InsightsPanel(self.session)
        self.network_view = NetworkView(self.session)
        self.insights_dock = self._dock("Insights", "insightsDock", self.insights_panel,
                                        Qt.BottomDockWidgetArea)
        self.network_dock = self._dock("Discourse network", "networkDock", self.network_view,
                                       Qt.BottomDockWidgetArea)
        for dock in (self.insights_dock, self.network_dock):  # charts need room: own windows
            dock.widget().openQuote.connect(self.open_quote)
            dock.hide()
            dock.setFloating(True)
            dock.resize(1100, 720)

        self.counts = QLabel()
        self.counts.setTextFormat(Qt.PlainText)  # the analyst's name
        self.counts.setObjectName("statusCounts")
        self.progress = ProgressWidget()
        self.statusBar().addWidget(self.counts, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.runner = AnalysisJob(self.project_path, model=model, parent=self)
        self._refresh_soon = QTimer(self, singleShot=True, interval=1000)
        self._refresh_soon.timeout.connect(self.refresh)
        self.runner.progressed.connect(lambda done, _t, _n: done and self.schedule_refresh())
        self.runner.done.connect(lambda r: self._analysis_finished(
            True, f"Analysed {r.analyzed} article(s)" + (" (cancelled)" if r.cancelled else "")))
        self.runner.failed.connect(lambda message: self._analysis_finished(False, message))
        self.import_job: Job | None = None

        self.speakers = SpeakerDesk(self.session, self.registry, self)
        self.articles.articleChosen.connect(self.annotation.load)
        self.annotation.articleLoaded.connect(self._show_header)
        self.annotation.message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self.session.failed.connect(lambda m: self.statusBar().showMessage(f"Not done: {m}",
                                                                           8000))
        self.session.changed.connect(self._on_changed)
        self.menus = Menus(self)
        self.quote_panel.set_codebook(codebook(db))
        self.registry_dock.visibilityChanged.connect(lambda _v: self.speakers.refresh())
        self._update_counts()
        self._data_version = desk.data_version(db)
        self.watch = QTimer(self, interval=1000)
        self.watch.timeout.connect(self._check_outside_changes)
        self.watch.start()
        self.layout().activate()  # forget the minimum size of docks added and then hidden
        self.resize(1280, 800)
        self._restore_state()
        if self.articles.model.rowCount():
            first = desk.next_article(db, self.session.layer_id, 0) or \
                self.articles.model.row(0)["id"]
            self.articles.select(first)

    # -- construction ----------------------------------------------------------------------
    def _dock(self, title, name, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # -- modes -----------------------------------------------------------------------------
    def edit_gold(self, on: bool) -> None:
        """Code the gold layer directly (a reviewer's own fixes), or go back to my layer."""
        try:
            self.session.work_in_gold(on)
        except DATA_ERRORS as exc:  # not a reviewer (PermissionError), or the project failed
            self.menus.gold_action.setChecked(self.session.layer_id != self.session.own_layer_id)
            self.statusBar().showMessage(self.session.explain(exc), 8000)
            return
        where = "the gold layer" if on else "my layer"
        self.setWindowTitle(f"Quotebook — {self.project_path.name} — {self.analyst}"
                            + (" — editing gold" if on else ""))
        self.statusBar().showMessage(f"Editing {where}", 5000)

    def toggle_review(self, on: bool) -> None:
        """Review mode: the Review dock with the article's layers aligned."""
        if on:
            if not self.review.start():  # the project could not be read (said in the bar)
                self.menus.review_action.setChecked(False)
                return
            self.review_dock.show()
            self.review_dock.raise_()
            # room for the units without crowding the text out, whatever the window's size
            self.resizeDocks([self.review_dock], [min(280, self.height() // 3)], Qt.Vertical)
        else:
            self.review.stop()
            self.review_dock.hide()

    def open_quote(self, article_id: int, uuid: str | None = None) -> None:
        """Open an article with a quote selected (from insights, review or search)."""
        with self.session.guard():
            self.articles.reveal(article_id)
            if self.annotation.article_id != article_id:
                self.annotation.load(article_id)
            where = desk.quote_by_uuid(self.db, uuid) if uuid else None
            if where is None:
                return
            if where["layer_id"] not in (self.session.layer_id,
                                         self.session.suggestions_layer_id):
                layer = next(l for l in desk.layers(self.db) if l["id"] == where["layer_id"])
                self.menus.show_layer(layer["name"])
            self.quote_panel.select_uuid(uuid)
            self.article_view.scroll_to(where["start"])
            self.article_view.select_span(where["start"], where["end"])

    # -- reacting to edits and outside changes ---------------------------------------------
    def _on_changed(self, change) -> None:
        with self.session.guard():
            self.articles.refresh()
            current = self.annotation.article_id
            if current is not None and (current in change.articles or "*" in change.tables
                                        or "articles" in change.tables):
                self._show_header(current)
            if change.tables & {"topics", "positions", "*"}:
                self.quote_panel.set_codebook(codebook(self.db))
            if change.tables & {"comments", "*"}:
                self._open_comments = None  # counted again below
            self._update_counts()
            self._data_version = desk.data_version(self.db)

    def _check_outside_changes(self) -> None:
        with self.session.guard():
            version = desk.data_version(self.db)
            if version != self._data_version:  # another process (CLI, window) committed
                self._data_version = version
                self.schedule_refresh()

    def schedule_refresh(self) -> None:
        """Refresh once within a second, however many batches or outside commits arrive."""
        if not self._refresh_soon.isActive():
            self._refresh_soon.start()

    def refresh(self) -> None:
        self.session.refresh_all()

    def _update_counts(self) -> None:
        with self.session.guard():
            s = desk.layer_counts(self.db, self.session.layer_id)
            total = article_total(self.db)
            pending = pending_count(self.db)
            analysis = f"{pending} to analyse" if pending else "all analysed"
            if getattr(self, "_open_comments", None) is None:
                self._open_comments = open_count(self.db, self.session.layer_id)
            comments = self._open_comments
            note = f" · {comments} open comment(s) on my quotes" if comments else ""
            self.counts.setText(f"Analyst: {self.analyst} · {total} articles ({analysis}) · "
                                f"my quotes: {s['quotes']} · done: {s['done']}/{total}{note}")

    def _show_header(self, article_id: int) -> None:
        with self.session.guard():
            status = layer_status(self.db, article_id, self.session.layer_id)
            self.article_pane.show_article(get_article(self.db, article_id),
                                           STATUS_LABELS.get(status, ""))

    def edit_details(self) -> None:
        """The open article's details in a dialog; saved as one undoable edit."""
        article_id = self.annotation.article_id
        if article_id is None:
            return
        with self.session.guard():
            ArticleDetailsDialog(self.session, article_id, article_details(self.db, article_id),
                                 self).exec()
        self.article_view.setFocus()  # back to the text, where the coding keys work

    # -- article navigation ----------------------------------------------------------------
    def mark_done(self) -> None:
        with self.session.guard():
            current = self.annotation.article_id
            if current is None or not self.annotation.set_status("done"):
                return
            nxt = desk.next_article(self.db, self.session.layer_id, current)
            if nxt is None:
                self.statusBar().showMessage("Every article is done", 8000)
            else:
                self.articles.reveal(nxt, clear_search=False)

    def showEvent(self, ev) -> None:
        super().showEvent(ev)
        if not self._sized and not QSettings().value("windowState"):
            self._sized = True  # first run: a sensible split of 1280 pixels
            self.resizeDocks([self.article_dock, self.quote_dock], [440, 340], Qt.Horizontal)

    def resizeEvent(self, ev) -> None:
        """The side panels keep their share of the width (as last set by the analyst): a
        wider window widens them too, not only the text."""
        super().resizeEvent(ev)
        self._width = ev.size().width()
        docks = [d for d in (self.article_dock, self.quote_dock)
                 if d in self._shares and d.isVisible() and not d.isFloating()]
        if docks and ev.oldSize().width() > 0:
            self.resizeDocks(docks, [round(self._shares[d] * self._width) for d in docks],
                             Qt.Horizontal)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Resize and watched in (self.article_dock, self.quote_dock) \
                and self.width() == self._width and not watched.isFloating():
            self._shares[watched] = event.size().width() / max(1, self._width)  # dragged
        return super().eventFilter(watched, event)

    def keyPressEvent(self, ev) -> None:
        if ev.key() == Qt.Key_Escape:  # back to the text from any field
            self.article_view.setFocus()
            self.article_view.picking = False
            return
        super().keyPressEvent(ev)

    # -- background jobs -------------------------------------------------------------------
    def start_analysis(self, *, redo: bool = False) -> None:
        """Analyse, in a worker process, whatever this project has not analysed yet
        (``redo``: re-suggest every article with what the registry has learnt)."""
        with self.session.guard():
            pending = pending_count(self.db, redo)
            if pending and not self.runner.running():
                self.progress.follow(self.runner, "Re-suggesting" if redo else "Analysing",
                                     pending)
                self.runner.start(redo=redo)

    def _analysis_finished(self, ok: bool, message: str) -> None:
        self.progress.hide()
        self.refresh()
        if ok:
            self.statusBar().showMessage(message, 8000)
        else:
            show_message(self, QMessageBox.Warning, "Analysis", message)

    def import_paths(self, paths, format: str | None = None) -> None:
        if self.import_job is not None and self.import_job.running():
            self.statusBar().showMessage("An import is already running", 5000)
            return
        self.import_job = Job(import_paths, self.project_path, paths=[str(p) for p in paths],
                              format=format, batches=WINDOW_BATCHES, parent=self)
        self.import_job.done.connect(self._import_done)
        self.import_job.failed.connect(
            lambda m: show_message(self, QMessageBox.Warning, "Import", f"Import failed: {m}"))
        self.progress.follow(self.import_job, "Importing {note}")
        self.import_job.start()

    def _import_done(self, report) -> None:
        self.progress.hide()
        self.refresh()
        problems = [f"{kind}: {line}" for kind, line in report.problems()]
        if problems:
            show_message(self, QMessageBox.Information, "Import", report.summary(),
                         detail="\n".join(problems))
        else:
            self.statusBar().showMessage(report.summary(), 8000)
        self.start_analysis()

    def start_daily_check(self) -> None:
        """Check the project for damage and make the daily backup, in a worker thread."""
        from .backup_jobs import daily_check
        self.daily_check = daily_check(self.project_path, self)
        self.daily_check.done.connect(
            lambda result: self._daily_checked(str(result.backup or ""), result.damaged or ""))
        self.daily_check.failed.connect(lambda m: self.statusBar().showMessage(m, 10000))
        self.daily_check.start()

    def _daily_checked(self, backup: str, damaged: str) -> None:
        self.daily_result = (backup, damaged)
        if damaged:
            self.db.damaged = damaged   # no edit is written to it from now on
            self._plain_box(QMessageBox.Critical, "Project damaged", damaged)
        elif backup:
            self.statusBar().showMessage(f"Daily backup made: {Path(backup).name}", 6000)

    def _plain_box(self, icon, title: str, text: str) -> None:
        show_message(self, icon, title, text)

    def restore_dialog(self) -> None:
        """File > Restore backup: choose one, then bring it back in a worker thread."""
        from .backup_jobs import choose_backup
        source = choose_backup(self, self.project_path)
        if source is not None:
            self.restore_backup(source)

    def restore_backup(self, source):
        from .backup_jobs import restore_job
        self.restore_thread = restore_job(self.project_path, source, self)
        self.restore_thread.done.connect(lambda paths: self._restored(*paths))
        self.restore_thread.failed.connect(
            lambda m: (self.progress.hide(), self._plain_box(QMessageBox.Warning,
                                                             "Restore backup", m)))
        self.progress.follow(self.restore_thread, "Restoring")
        self.restore_thread.start()
        return self.restore_thread

    def _restored(self, source: str, aside: str) -> None:
        self.progress.hide()
        self.db.damaged = None
        self.session.undo_stack.clear()   # the history was of the project before
        self.session.refresh_all()
        self.refresh()
        self.statusBar().showMessage(f"Restored {Path(source).name}; the project as it was "
                                     f"is kept as {Path(aside).name}", 10000)
        self.start_analysis()   # what the backup had not analysed yet

    def agreement_dialog(self):
        from .agreement_dialog import AgreementDialog
        with self.session.guard():  # it reads the layers first
            dialog = AgreementDialog(self.session, self)
            dialog.show()
            return dialog

    def merge(self, path: str):
        """Plan the merge of ``path`` in the background, ask, then merge."""
        from .merge_runner import MergeFlow
        self._merge_flow = MergeFlow(self, path)
        return self._merge_flow

    def export_dialog(self) -> None:
        from .export_dialog import ExportDialog
        ExportDialog(self.project_path, self).exec()

    def dragEnterEvent(self, ev) -> None:
        if ev.mimeData().hasUrls():
            ev.acceptProposedAction()

    def dropEvent(self, ev) -> None:
        paths = [u.toLocalFile() for u in ev.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_paths(paths)

    # -- settings --------------------------------------------------------------------------
    def _restore_state(self) -> None:
        settings = QSettings()
        if settings.value("geometry"):
            self.restoreGeometry(settings.value("geometry"))
        if settings.value("windowState"):
            self.restoreState(settings.value("windowState"))
        self.menus.remember(self.project_path)

    def closeEvent(self, event) -> None:
        settings = QSettings()
        settings.setValue("geometry", self.saveGeometry())
        settings.setValue("windowState", self.saveState())
        self.watch.stop()
        self._refresh_soon.stop()
        self.session.blockSignals(True)  # nothing redraws from a project being closed
        for dock in (self.insights_dock, self.network_dock):  # own windows: close with us
            dock.hide()
        for panel in (self.insights_panel, self.network_view):
            panel.stop()
        self.runner.cancel()   # the analysis stores its batch, then ends
        self.runner.wait()
        if self.import_job is not None and self.import_job.running():
            self.import_job.cancel()
            self.import_job.wait(10000)
        for job in (getattr(self, "daily_check", None), getattr(self, "restore_thread", None)):
            if job is not None:
                job.wait(None)   # a backup or restore is never cut off half-way
        super().closeEvent(event)
