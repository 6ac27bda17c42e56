"""The main window: wires docks, menus, actions and background jobs to the core."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QHBoxLayout, QInputDialog, QLabel,
                               QMainWindow, QMenu, QMessageBox, QToolButton, QVBoxLayout,
                               QWidget)

from annotator.editing import desk
from annotator.nlp.analysis import pending_count
from annotator.corpus.articles import get_article
from annotator.corpus.importing import import_paths
from annotator.editing.codebook import codebook
from annotator.review.comments import open_count
from annotator.editing.registry import (AddAlias, CreateSpeaker, MergeSpeakers,
                                      SettleMergeProposal, UpdateSpeaker)

from .jobs import AnalysisJob, Job, ProgressWidget
from .annotation import Annotation
from .article_list import STATUS_LABELS, ArticleListPanel
from .article_view import LABEL_COLOURS, ArticleView
from .codebook_editor import CodebookEditor
from .plain import menu_text, show_message
from .quote_panel import QuotePanel
from .review import Review
from .review_panel import ReviewPanel
from .session import DATA_ERRORS, Session, attempt
from .shortcuts import KEYS, ShortcutsDialog
from .speaker_registry import SpeakerRegistry

ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "DATE", "EVENT", "FAC", "LAW",
                 "PRODUCT", "MONEY", "WORK_OF_ART")
LEGEND = ("PERSON", "ORG", "GPE", "NORP", "LOC", "DATE", "EVENT")
MAX_RECENT = 8


def recent_projects() -> list[str]:
    """The recently opened projects, newest first (QSettings gives a one-item list back as a
    plain string, which would otherwise be read as one letter a project)."""
    value = QSettings().value("recent", []) or []
    return [value] if isinstance(value, str) else [str(p) for p in value]


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
        self.article_header = QLabel()
        self.article_header.setObjectName("articleHeader")
        self.article_header.setWordWrap(True)
        self.article_header.setTextFormat(Qt.PlainText)
        font = self.article_header.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.article_header.setFont(font)
        self.article_meta = QLabel()
        self.article_meta.setTextFormat(Qt.PlainText)
        self.legend = self._legend()
        center = QWidget()
        col = QVBoxLayout(center)
        col.setContentsMargins(6, 6, 6, 0)
        col.addWidget(self.article_header)
        col.addWidget(self.article_meta)
        col.addWidget(self.legend)
        col.addWidget(self.article_view, 1)
        self.setCentralWidget(center)
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

        self.articles.articleChosen.connect(self.annotation.load)
        self.annotation.articleLoaded.connect(self._show_header)
        self.annotation.message.connect(lambda m: self.statusBar().showMessage(m, 5000))
        self.session.failed.connect(lambda m: self.statusBar().showMessage(f"Not done: {m}",
                                                                           8000))
        self.session.changed.connect(self._on_changed)
        self.registry.fieldEdited.connect(self._speaker_field)
        self.registry.aliasAdded.connect(lambda sid, a: attempt(
            self.session, lambda: AddAlias(speaker_id=sid, alias=a, actor=self.analyst)))
        self.registry.mergeRequested.connect(lambda keep, other: attempt(
            self.session, lambda: MergeSpeakers(keep_id=keep, other_id=other,
                                                actor=self.analyst)))
        self.registry.proposalSettled.connect(lambda pid, merge: self.session.run(
            SettleMergeProposal(proposal_id=pid, accept=merge, actor=self.analyst)))
        self.registry.speakerCreated.connect(lambda name: attempt(
            self.session, lambda: CreateSpeaker(name=name, actor=self.analyst)))
        self.article_view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.article_view.customContextMenuRequested.connect(self._text_menu)

        self._build_actions()
        from .insights_panel import install as install_insights
        install_insights(self)  # Insights and Discourse network docks (View menu)
        for dock in (self.insights_dock, self.network_dock):  # charts need room: own windows
            dock.setFloating(True)
            dock.resize(1100, 720)
        self.quote_panel.set_codebook(codebook(db))
        self._registry_dirty = True
        self.registry_dock.visibilityChanged.connect(lambda _v: self._refresh_registry())
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

    def _legend(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("entityLegend")
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.legend_buttons = {}
        for label in LEGEND:
            button = QToolButton()
            button.setText(label)
            button.setCheckable(True)
            button.setChecked(True)
            button.setToolTip(f"Show or hide {label} entities")
            button.setStyleSheet(
                f"QToolButton {{ background: {LABEL_COLOURS[label]}; color: #111; border: 1px "
                f"solid #adb5bd; border-radius: 3px; padding: 1px 6px; }} QToolButton:!checked "
                f"{{ background: transparent; color: #868e96; border-style: dashed; }}")
            button.toggled.connect(self._legend_changed)
            row.addWidget(button)
            self.legend_buttons[label] = button
        row.addStretch(1)
        bar.setToolTip("Entity labels: click to show or hide. Quotes: a filled span with a "
                       "solid underline is mine; a dashed orange underline is a suggestion.")
        return bar

    def _legend_changed(self) -> None:
        self.article_view.set_hidden_labels(
            {label for label, b in self.legend_buttons.items() if not b.isChecked()})

    def _action(self, menu, text, key_name=None, slot=None, *, key=None) -> QAction:
        """A menu action; a key without Ctrl or Alt (Q, 1, Del, Shift+A…) acts only where the
        analyst codes: the article and the quote list, never while a table or box has focus."""
        action = QAction(text, self)
        shortcut = key or (KEYS[key_name][0] if key_name else None)
        targets = [self]
        if shortcut:
            sequence = QKeySequence(shortcut)
            action.setShortcut(sequence)
            mods = sequence[0].keyboardModifiers()
            if not mods & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
                action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
                targets = [self.centralWidget(), self.quote_panel.list]
        if slot:
            action.triggered.connect(slot)
        menu.addAction(action)
        for widget in targets:
            widget.addAction(action)
        return action

    def _build_actions(self) -> None:
        a, bar = self.annotation, self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "&New project…", "new", self.new_project)
        self._action(file, "&Open project…", "open", self.open_project_dialog)
        self.recent_menu = file.addMenu("Open &recent")
        self._fill_recent()
        file.addSeparator()
        self._action(file, "&Import files…", "import", self.import_dialog)
        self._action(file, "&Export…", "export", self.export_dialog)
        self._action(file, "&Merge another project…", None, self.merge_dialog)
        self._action(file, "&Restore backup…", None, self.restore_dialog)
        file.addSeparator()
        self._action(file, "Switch &analyst…", None, self.switch_analyst)
        file.addSeparator()
        self._action(file, "&Quit", None, self.close, key="Ctrl+Q")

        edit = bar.addMenu("&Edit")
        stack = self.session.undo_stack
        for name, title, run, can_changed, text_changed in (
                ("undo", "&Undo", self.session.undo, stack.canUndoChanged, stack.undoTextChanged),
                ("redo", "&Redo", self.session.redo, stack.canRedoChanged, stack.redoTextChanged)):
            # the step is tried on disk first: a locked project leaves the stack where it is
            action = QAction(title, self)
            action.setShortcut(QKeySequence(KEYS[name][0]))
            action.setEnabled(False)  # the stack is empty
            action.triggered.connect(run)
            can_changed.connect(action.setEnabled)
            text_changed.connect(lambda text, a=action, t=title:
                                 a.setText(f"{t} {menu_text(text)}".strip()))
            edit.addAction(action)
            self.addAction(action)
        edit.addSeparator()
        self._action(edit, "&Tag selection as quote", "tag", a.tag)
        self._action(edit, "Add selection as &fragment", "fragment", a.add_fragment)
        self._action(edit, "Set &speaker", "speaker", self._focus_speaker)
        self._action(edit, "Pick speaker &mention in text", "pick", self._pick_mention)
        self._action(edit, "Next &topic", "topic", a.cycle_topic)
        self._action(edit, "Cycle &kind", "kind", a.cycle_kind)
        self._action(edit, "&Delete quote", None, a.delete, key="Delete")
        self._action(edit, "Next quote or suggestion", "next_item",
                     lambda: self.quote_panel.move(1))
        self._action(edit, "Previous quote or suggestion", "prev_item",
                     lambda: self.quote_panel.move(-1))
        self._action(edit, "Mark selection as &entity…", "entity", self._entity_menu)
        positions = edit.addMenu("Set &position")
        for key in "123456789":
            self._action(positions, f"Position {key}", None,
                         lambda _c=False, k=key: a.set_position_key(k), key=key)
        edit.addSeparator()
        self._action(edit, "&Codebook…", None, self.edit_codebook)

        sugg = bar.addMenu("&Suggestions")
        self._action(sugg, "&Accept", "accept", lambda: a.decide(True))
        self._action(sugg, "&Reject", "reject", lambda: a.decide(False))
        self._action(sugg, "&Next suggestion", "next",
                     lambda: self.quote_panel.move(1, suggestions_only=True))
        self._action(sugg, "Accept a&ll in this article", "accept_all", a.accept_all)

        art = bar.addMenu("&Article")
        self._action(art, "Mark &done and open the next", "done", self.mark_done)
        self._action(art, "Mark in &progress", None, lambda: a.set_status("in_progress"))
        self._action(art, "&Skip", None, lambda: a.set_status("skipped"))
        self._action(art, "&Next article", "next_article", lambda: self.step_article(1))
        self._action(art, "&Previous article", "prev_article", lambda: self.step_article(-1))
        self._action(art, "&Search…", "search", self._focus_search)

        view = bar.addMenu("&View")
        for dock in (self.article_dock, self.quote_dock, self.registry_dock, self.review_dock):
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        self.review_action = self._action(view, "&Review mode", "review", self.toggle_review)
        self.review_action.setCheckable(True)
        review_keys = view.addMenu("Review: take into gold")
        for n in range(1, 10):
            self._action(review_keys, f"Layer {n}'s version", None,
                         lambda _c=False, i=n - 1: self.review.take_index(i), key=f"Alt+{n}")
        self._action(review_keys, "Accept agreed units", "accept_agreed",
                     self.review.accept_agreed)
        self._action(view, "&Agreement report…", None, self.agreement_dialog)
        self.gold_action = self._action(view, "Edit the &gold layer (reviewers)", None,
                                        self.edit_gold)
        self.gold_action.setCheckable(True)
        self.layers_menu = view.addMenu("Other &layers over mine")
        self.layers_menu.aboutToShow.connect(self._fill_layers_menu)
        self.blind_action = self._action(view, "&Blind mode (hide other analysts and gold)", None,
                                         self._apply_overlay)
        self.blind_action.setCheckable(True)
        self.blind_action.setChecked(QSettings().value("blind", False, type=bool))
        self.view_menu = view

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", "help",
                     lambda: ShortcutsDialog(self).exec())
        self._action(help_menu, "&About Quotebook", None, lambda: QMessageBox.about(
            self, "Quotebook", "Quotebook: find, code and export who said what in the news."))

    # -- layers over mine ------------------------------------------------------------------
    def _fill_layers_menu(self) -> None:
        with self.session.guard():
            self.layers_menu.clear()
            shown = {layer["id"] for layer in self.annotation.overlay}
            for layer in desk.layers(self.db):
                if layer["id"] == self.session.layer_id:
                    continue
                action = self.layers_menu.addAction(
                    menu_text(f"{layer['name']} ({layer['kind']})"))
                action.setCheckable(True)
                action.setChecked(layer["id"] in shown)
                action.setEnabled(not (self.blind_action.isChecked() and
                                       layer["kind"] in ("analyst", "gold")))
                action.toggled.connect(lambda on, l=layer: self.show_layer(l["name"], on))
            if self.layers_menu.isEmpty():
                self.layers_menu.addAction("(no other layers yet)").setEnabled(False)

    def show_layer(self, name: str, on: bool = True) -> None:
        """Show (or hide) another layer's quotes over mine, by layer name."""
        with self.session.guard():
            overlay = [l for l in self.annotation.overlay if l["name"] != name]
            if on:
                overlay += [l for l in desk.layers(self.db) if l["name"] == name]
            self.annotation.overlay = overlay
            self._apply_overlay()

    def _apply_overlay(self) -> None:
        QSettings().setValue("blind", self.blind_action.isChecked())
        self.annotation.set_overlay(self.annotation.overlay, self.blind_action.isChecked())

    def edit_gold(self, on: bool) -> None:
        """Code the gold layer directly (a reviewer's own fixes), or go back to my layer."""
        try:
            self.session.work_in_gold(on)
        except DATA_ERRORS as exc:  # not a reviewer (PermissionError), or the project failed
            self.gold_action.setChecked(self.session.layer_id != self.session.own_layer_id)
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
                self.review_action.setChecked(False)
                return
            self.review_dock.show()
            self.review_dock.raise_()
            self.resizeDocks([self.review_dock], [280], Qt.Vertical)
            self.resizeDocks([self.article_dock, self.quote_dock], [300, 320], Qt.Horizontal)
        else:
            self.review.stop()
            self.review_dock.hide()

    def open_quote(self, article_id: int, uuid: str | None = None) -> None:
        """Open an article with a quote selected (from insights, review or search)."""
        with self.session.guard():
            if self.articles.select(article_id) is False:
                self.articles.search_box.clear()
                self.articles.status_box.setCurrentIndex(0)
                self.articles.model.search = self.articles.model.status = None
                self.articles.model.refresh()
                self.articles.select(article_id)
            if self.annotation.article_id != article_id:
                self.annotation.load(article_id)
            where = desk.quote_by_uuid(self.db, uuid) if uuid else None
            if where is None:
                return
            if where["layer_id"] not in (self.session.layer_id,
                                         self.session.suggestions_layer_id):
                layer = next(l for l in desk.layers(self.db) if l["id"] == where["layer_id"])
                self.show_layer(layer["name"])
            self.quote_panel.select_uuid(uuid)
            self.article_view.scroll_to(where["start"])
            self.article_view.select_span(where["start"], where["end"])

    # -- reacting to edits and outside changes ---------------------------------------------
    def _on_changed(self, change) -> None:
        with self.session.guard():
            self.articles.refresh()
            if change.tables & {"speakers", "speaker_aliases", "quotes",
                                "speaker_merge_proposals", "*"}:
                self._registry_dirty = True
                self._refresh_registry()
            if change.tables & {"topics", "positions", "*"}:
                current = self.quote_panel.current_topic()
                self.quote_panel.set_codebook(codebook(self.db))
                index = self.quote_panel.topic_box.findData(current)
                self.quote_panel.topic_box.setCurrentIndex(max(index, 0))
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

    def _refresh_registry(self) -> None:
        """The registry is re-read only while it is visible (it can hold thousands)."""
        with self.session.guard():
            if self._registry_dirty and not self.registry.visibleRegion().isEmpty():
                rows, proposals = desk.speakers_table(self.db), desk.open_merge_proposals(self.db)
                self._registry_dirty = False
                self.registry.set_speakers(rows, proposals)

    def _update_counts(self) -> None:
        with self.session.guard():
            s = desk.layer_counts(self.db, self.session.layer_id)
            total = desk.count_articles(self.db, layer_id=self.session.layer_id)
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
            art = get_article(self.db, article_id)
            self.article_header.setText(art["title"] or art["source"] or "")
            status = self.articles.model.row(self.articles.table.currentIndex().row()) or {}
            meta = " · ".join(x for x in (art["outlet"], (art["published"] or "")[:10],
                                          art["author"],
                                          STATUS_LABELS.get(status.get("status"), "")) if x)
            self.article_meta.setText(meta)

    # -- article navigation ----------------------------------------------------------------
    def current_article_id(self) -> int | None:
        return self.annotation.article_id

    def mark_done(self) -> None:
        with self.session.guard():
            current = self.annotation.article_id
            if current is None or not self.annotation.set_status("done"):
                return
            nxt = desk.next_article(self.db, self.session.layer_id, current)
            if nxt is None:
                self.statusBar().showMessage("Every article is done", 8000)
            elif not self.articles.select(nxt):
                self.articles.status_box.setCurrentIndex(0)
                self.articles.select(nxt)

    def step_article(self, step: int) -> None:
        table = self.articles.table
        row = table.currentIndex().row() + step
        if 0 <= row < self.articles.model.rowCount():
            table.selectRow(row)

    def _focus_search(self) -> None:
        self.article_dock.show()
        self.articles.search_box.setFocus()
        self.articles.search_box.selectAll()

    def _focus_speaker(self) -> None:
        self.quote_dock.show()
        self.quote_dock.raise_()
        self.quote_panel.speaker_edit.setFocus()
        self.quote_panel.speaker_edit.selectAll()

    def _pick_mention(self) -> None:
        self.article_view.picking = True
        self.statusBar().showMessage("Click the speaker's name in the text", 5000)

    def showEvent(self, ev) -> None:
        super().showEvent(ev)
        if not self._sized and not QSettings().value("windowState"):
            self._sized = True  # first run: a sensible split of 1280 pixels
            self.resizeDocks([self.article_dock, self.quote_dock], [440, 340], Qt.Horizontal)

    def keyPressEvent(self, ev) -> None:
        if ev.key() == Qt.Key_Escape:  # back to the text from any field
            self.article_view.setFocus()
            self.article_view.picking = False
            return
        super().keyPressEvent(ev)

    # -- entities --------------------------------------------------------------------------
    def _entity_menu(self) -> None:
        menu = QMenu(self)
        for label in ENTITY_LABELS:
            menu.addAction(label, lambda l=label: self.annotation.add_entity(l))
        menu.exec(self.article_view.mapToGlobal(self.article_view.cursorRect().bottomRight()))

    def _text_menu(self, pos) -> None:
        menu = QMenu(self)
        if self.article_view.selection_span():
            menu.addAction("Tag as quote (Q)", self.annotation.tag)
            menu.addAction("Add as fragment (Shift+Q)", self.annotation.add_fragment)
            add = menu.addMenu("Mark as entity")
            for label in ENTITY_LABELS:
                add.addAction(label, lambda l=label: self.annotation.add_entity(l))
        ents, _q, _s = self.article_view.spans_at(self.article_view.offset_at(pos))
        for ent in ents:
            name = self.annotation.text[ent["start"]:ent["end"]]
            relabel = menu.addMenu(menu_text(f"Relabel “{name}” ({ent['label']})"))
            for label in ENTITY_LABELS:
                relabel.addAction(label, lambda l=label, e=ent: self._relabel(e["id"], l))
            menu.addAction(menu_text(f"Remove entity “{name}”"),
                           lambda e=ent: self.annotation.remove_entity(e["id"]))
        if not menu.isEmpty():
            menu.exec(self.article_view.viewport().mapToGlobal(pos))

    def _relabel(self, entity_id: int, label: str) -> None:
        from annotator.editing.edits import RelabelEntity
        self.session.run(RelabelEntity(entity_id=entity_id, label=label, actor=self.analyst))

    def _speaker_field(self, speaker_id: int, field: str, value: str) -> None:
        if not attempt(self.session, lambda: UpdateSpeaker(
                speaker_id=speaker_id, actor=self.analyst,
                **{field: value or None if field != "name" else value})):
            self._registry_dirty = True
            self._refresh_registry()

    def edit_codebook(self) -> None:
        with self.session.guard():  # it reads the codebook first
            CodebookEditor(self.session, self).exec()

    # -- background jobs -------------------------------------------------------------------
    def start_analysis(self) -> None:
        """Analyse, in a worker process, whatever this project has not analysed yet."""
        with self.session.guard():
            pending = pending_count(self.db)
            if pending and not self.runner.running():
                self.progress.follow(self.runner, "Analysing", pending)
                self.runner.start()

    def _analysis_finished(self, ok: bool, message: str) -> None:
        self.progress.hide()
        self.refresh()
        if ok:
            self.statusBar().showMessage(message, 8000)
        else:
            show_message(self, QMessageBox.Warning, "Analysis", message)

    def import_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Import articles", str(Path.home()),
            "Articles (*.txt *.jsonl *.ndjson *.csv *.tsv);;All files (*)")
        if files:
            self.import_paths(files)

    def import_paths(self, paths) -> None:
        if self.import_job is not None and self.import_job.running():
            self.statusBar().showMessage("An import is already running", 5000)
            return
        self.import_job = Job(import_paths, self.project_path, paths=[str(p) for p in paths],
                              parent=self)
        self.import_job.done.connect(self._import_done)
        self.import_job.failed.connect(
            lambda m: show_message(self, QMessageBox.Warning, "Import", f"Import failed: {m}"))
        self.progress.follow(self.import_job, "Importing {note}")
        self.import_job.start()

    def _import_done(self, report) -> None:
        self.progress.hide()
        self.refresh()
        problems = report.skipped + report.duplicates + report.warnings
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

    def merge_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Merge another analyst's project",
                                              str(Path.home()),
                                              "Quotebook projects (*.quotebook);;All files (*)")
        if path:
            self.merge(path)

    def merge(self, path: str):
        """Plan the merge of ``path`` in the background, ask, then merge."""
        from .merge_runner import MergeFlow
        self._merge_flow = MergeFlow(self, path)
        return self._merge_flow

    def export_dialog(self) -> None:
        try:
            from .export_dialog import ExportDialog
        except ImportError:
            self.statusBar().showMessage("Export from the window is not available yet; use "
                                         "`python main.py export`", 8000)
            return
        ExportDialog(self.project_path, self).exec()

    def dragEnterEvent(self, ev) -> None:
        if ev.mimeData().hasUrls():
            ev.acceptProposedAction()

    def dropEvent(self, ev) -> None:
        paths = [u.toLocalFile() for u in ev.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_paths(paths)

    # -- projects, analyst, settings -------------------------------------------------------
    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", str(Path.home()),
                                              "Quotebook projects (*.quotebook)")
        if path:
            if not path.endswith(".quotebook"):
                path += ".quotebook"
            self.openProject.emit(path)

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", str(Path.home()),
                                              "Quotebook projects (*.quotebook);;All files (*)")
        if path:
            self.openProject.emit(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_projects():
            self.recent_menu.addAction(menu_text(path), lambda p=path: self.openProject.emit(p))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    def switch_analyst(self) -> None:
        name, ok = QInputDialog.getText(self, "Switch analyst", "Your name:", text=self.analyst)
        if ok and name.strip() and name.strip() != self.analyst:
            QSettings().setValue("analyst", name.strip())
            self.openProject.emit(str(self.project_path))

    def _restore_state(self) -> None:
        settings = QSettings()
        if settings.value("geometry"):
            self.restoreGeometry(settings.value("geometry"))
        if settings.value("windowState"):
            self.restoreState(settings.value("windowState"))
        recent = [str(self.project_path)] + [p for p in recent_projects()
                                             if p != str(self.project_path)]
        settings.setValue("recent", recent[:MAX_RECENT])

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
            panel._timer.stop()
        self.runner.cancel()   # the analysis stores its batch, then ends
        self.runner.wait()
        if self.import_job is not None and self.import_job.running():
            self.import_job.cancel()
            self.import_job.wait(10000)
        for job in (getattr(self, "daily_check", None), getattr(self, "restore_thread", None)):
            if job is not None:
                job.wait(None)   # a backup or restore is never cut off half-way
        super().closeEvent(event)
