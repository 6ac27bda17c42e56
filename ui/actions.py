"""The window's menus and their actions (shortcuts from ``shortcuts.KEYS``), the project
dialogs behind them, and the article text's context menu."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMenu, QMessageBox

from annotator.editing import desk

from .codebook_editor import CodebookEditor
from .plain import menu_text
from .shortcuts import KEYS, ShortcutsDialog

MAX_RECENT = 8


def recent_projects() -> list[str]:
    """The recently opened projects, newest first (QSettings gives a one-item list back as a
    plain string, which would otherwise be read as one letter a project)."""
    value = QSettings().value("recent", []) or []
    return [value] if isinstance(value, str) else [str(p) for p in value]


ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "DATE", "EVENT", "FAC", "LAW",
                 "PRODUCT", "MONEY", "WORK_OF_ART")


class Menus(QObject):
    """Builds ``window``'s menu bar (a MainWindow with its docks and children made); keeps
    the actions and menus that change with the project: review, gold, blind, layers, recent."""

    def __init__(self, window):
        super().__init__(window)
        self.window = w = window
        a, bar, session = w.annotation, w.menuBar(), w.session
        file = bar.addMenu("&File")
        self.action(file, "&New project…", "new", self.new_project)
        self.action(file, "&Open project…", "open", self.open_project)
        self.recent_menu = file.addMenu("Open &recent")
        self.fill_recent()
        file.addSeparator()
        self.action(file, "&Import files…", "import", self.import_files)
        self.action(file, "Import &brat folder…", None, self.import_brat)
        self.action(file, "&Export…", "export", w.export_dialog)
        self.action(file, "&Merge another project…", None, self.merge_project)
        self.action(file, "&Restore backup…", None, w.restore_dialog)
        file.addSeparator()
        self.action(file, "Switch &analyst…", None, self.switch_analyst)
        file.addSeparator()
        self.action(file, "&Quit", None, w.close, key="Ctrl+Q")

        edit = bar.addMenu("&Edit")
        stack = session.undo_stack
        for name, title, run, can_changed, text_changed in (
                ("undo", "&Undo", session.undo, stack.canUndoChanged, stack.undoTextChanged),
                ("redo", "&Redo", session.redo, stack.canRedoChanged, stack.redoTextChanged)):
            # the step is tried on disk first: a locked project leaves the stack where it is
            action = QAction(title, w)
            action.setShortcut(QKeySequence(KEYS[name][0]))
            action.setEnabled(False)  # the stack is empty
            action.triggered.connect(run)
            can_changed.connect(action.setEnabled)
            text_changed.connect(lambda text, a=action, t=title:
                                 a.setText(f"{t} {menu_text(text)}".strip()))
            edit.addAction(action)
            w.addAction(action)
        edit.addSeparator()
        self.action(edit, "&Tag selection as quote", "tag", a.tag)
        self.action(edit, "Add selection as &fragment", "fragment", a.add_fragment)
        self.action(edit, "Set &speaker", "speaker", self.focus_speaker)
        self.action(edit, "Pick speaker &mention in text", "pick", self.pick_mention)
        self.action(edit, "Next &topic", "topic", lambda: a.cycle_topic(1))
        self.action(edit, "Previous topic", "prev_topic", lambda: a.cycle_topic(-1))
        self.action(edit, "Cycle &kind", "kind", a.cycle_kind)
        self.action(edit, "&Delete quote", None, a.delete, key="Delete")
        self.action(edit, "Next quote or suggestion", "next_item", lambda: w.quote_panel.move(1))
        self.action(edit, "Previous quote or suggestion", "prev_item",
                    lambda: w.quote_panel.move(-1))
        self.action(edit, "Mark selection as &entity…", "entity", self.entity_menu)
        positions = edit.addMenu("Set &position")
        for key in "123456789":
            self.action(positions, f"Position {key}", None,
                        lambda _c=False, k=key: a.set_position_key(k), key=key)
        edit.addSeparator()
        self.action(edit, "&Codebook…", None, self.edit_codebook)

        sugg = bar.addMenu("&Suggestions")
        self.action(sugg, "&Accept", "accept", lambda: a.decide(True))
        self.action(sugg, "&Reject", "reject", lambda: a.decide(False))
        enter = self.action(sugg, "Accept &without a position", "accept_enter",
                            lambda: a.decide(True))
        enter.setShortcuts([QKeySequence(Qt.Key_Return), QKeySequence(Qt.Key_Enter)])
        enter.setEnabled(False)  # only on a suggestion: Enter stays Enter everywhere else
        w.quote_panel.suggestionCurrent.connect(enter.setEnabled)
        self.action(sugg, "&Next suggestion", "next", lambda: a.next_suggestion(1))
        self.action(sugg, "Accept a&ll in this article", "accept_all", a.accept_all)
        sugg.addSeparator()
        self.action(sugg, "Re-suggest all &articles (decisions kept)", None,
                    lambda: w.start_analysis(redo=True))

        art = bar.addMenu("&Article")
        self.action(art, "Mark &done and open the next", "done", w.mark_done)
        self.action(art, "Mark in &progress", None, lambda: a.set_status("in_progress"))
        self.action(art, "&Skip", None, lambda: a.set_status("skipped"))
        self.action(art, "Edit &details…", "details", w.edit_details)
        self.action(art, "&Next article", "next_article", lambda: w.articles.step(1))
        self.action(art, "&Previous article", "prev_article", lambda: w.articles.step(-1))
        self.action(art, "&Search…", "search", self.focus_search)
        self.action(art, "Next search &hit", "next_hit", lambda: w.search_hits.step(1))
        self.action(art, "Previous search hit", "prev_hit", lambda: w.search_hits.step(-1))

        view = bar.addMenu("&View")
        for dock in (w.article_dock, w.quote_dock, w.registry_dock, w.review_dock):
            view.addAction(dock.toggleViewAction())
        view.addSeparator()
        self.review_action = self.action(view, "&Review mode", "review", w.toggle_review)
        self.review_action.setCheckable(True)
        review_keys = view.addMenu("Review: take into gold")
        for n in range(1, 10):
            self.action(review_keys, f"Layer {n}'s version", None,
                        lambda _c=False, i=n - 1: w.review.take_index(i), key=f"Alt+{n}")
        self.action(review_keys, "Accept agreed units", "accept_agreed", w.review.accept_agreed)
        self.action(view, "&Agreement report…", None, w.agreement_dialog)
        self.gold_action = self.action(view, "Edit the &gold layer (reviewers)", None,
                                       w.edit_gold)
        self.gold_action.setCheckable(True)
        self.layers_menu = view.addMenu("Other &layers over mine")
        self.layers_menu.aboutToShow.connect(self.fill_layers_menu)
        self.blind_action = self.action(view, "&Blind mode (hide other analysts and gold)",
                                        None, self.apply_overlay)
        self.blind_action.setCheckable(True)
        self.blind_action.setChecked(QSettings().value("blind", False, type=bool))
        for dock in (w.insights_dock, w.network_dock):
            view.addAction(dock.toggleViewAction())

        help_menu = bar.addMenu("&Help")
        self.action(help_menu, "&Keyboard shortcuts", "help", lambda: ShortcutsDialog(w).exec())
        self.action(help_menu, "&About Quotebook", None, lambda: QMessageBox.about(
            w, "Quotebook", "Quotebook: find, code and export who said what in the news."))
        w.article_view.setContextMenuPolicy(Qt.CustomContextMenu)
        w.article_view.customContextMenuRequested.connect(self.text_menu)

    def action(self, menu, text, key_name=None, slot=None, *, key=None) -> QAction:
        """A menu action; a key without Ctrl or Alt (Q, 1, Del, Shift+A…) acts only where the
        analyst codes: the article and the quote list, never while a table or box has focus."""
        w = self.window
        action = QAction(text, w)
        shortcut = key or (KEYS[key_name][0] if key_name else None)
        targets = [w]
        if shortcut:
            sequence = QKeySequence(shortcut)
            action.setShortcut(sequence)
            mods = sequence[0].keyboardModifiers()
            if not mods & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
                action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
                targets = [w.centralWidget(), w.quote_panel.list]
        if slot:
            action.triggered.connect(slot)
        menu.addAction(action)
        for widget in targets:
            widget.addAction(action)
        return action

    # -- menus filled when shown -----------------------------------------------------------
    def fill_layers_menu(self) -> None:
        """Other layers to show over mine (analysts' and gold greyed in blind mode)."""
        w = self.window
        with w.session.guard():
            self.layers_menu.clear()
            shown = {layer["id"] for layer in w.annotation.overlay}
            for layer in desk.layers(w.db):
                if layer["id"] == w.session.layer_id:
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
        w = self.window
        with w.session.guard():
            overlay = [l for l in w.annotation.overlay if l["name"] != name]
            if on:
                overlay += [l for l in desk.layers(w.db) if l["name"] == name]
            w.annotation.overlay = overlay
            self.apply_overlay()

    def apply_overlay(self) -> None:
        """Blind mode as chosen in the View menu (remembered), over the layers shown."""
        blind = self.blind_action.isChecked()
        QSettings().setValue("blind", blind)
        self.window.annotation.set_overlay(self.window.annotation.overlay, blind)

    def fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in recent_projects():
            self.recent_menu.addAction(menu_text(path),
                                       lambda p=path: self.window.openProject.emit(p))
        self.recent_menu.setEnabled(not self.recent_menu.isEmpty())

    # -- projects and analyst --------------------------------------------------------------
    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "New project", str(Path.home()),
                                              "Quotebook projects (*.quotebook)")
        if path:
            if not path.endswith(".quotebook"):
                path += ".quotebook"
            self.window.openProject.emit(path)

    def open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open project", str(Path.home()),
                                              "Quotebook projects (*.quotebook);;All files (*)")
        if path:
            self.window.openProject.emit(path)

    def remember(self, path) -> None:
        """``path`` first in File > Open recent (of the windows opened from now on)."""
        settings = QSettings()
        recent = [str(path)] + [p for p in recent_projects() if p != str(path)]
        settings.setValue("recent", recent[:MAX_RECENT])

    def import_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self.window, "Import articles", str(Path.home()),
            "Articles (*.txt *.jsonl *.ndjson *.csv *.tsv *.dna);;All files (*)")
        if files:
            self.window.import_paths(files)

    def import_brat(self) -> None:
        """A folder of brat .txt + .ann files (or PolNeAR's text/ + attributions/)."""
        folder = QFileDialog.getExistingDirectory(self.window, "Import a brat folder",
                                                  str(Path.home()))
        if folder:
            self.window.import_paths([folder], format="brat")

    def merge_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Merge another analyst's project",
                                              str(Path.home()),
                                              "Quotebook projects (*.quotebook);;All files (*)")
        if path:
            self.window.merge(path)

    def switch_analyst(self) -> None:
        w = self.window
        name, ok = QInputDialog.getText(w, "Switch analyst", "Your name:", text=w.analyst)
        if ok and name.strip() and name.strip() != w.analyst:
            QSettings().setValue("analyst", name.strip())
            w.openProject.emit(str(w.project_path))

    def edit_codebook(self) -> None:
        with self.window.session.guard():  # it reads the codebook first
            CodebookEditor(self.window.session, self.window).exec()

    # -- where the keyboard goes -----------------------------------------------------------
    def focus_speaker(self) -> None:
        w = self.window
        w.quote_dock.show()
        w.quote_dock.raise_()
        w.quote_panel.focus_speaker()

    def pick_mention(self) -> None:
        self.window.article_view.picking = True
        self.window.statusBar().showMessage("Click the speaker's name in the text", 5000)

    def focus_search(self) -> None:
        self.window.article_dock.show()
        self.window.articles.focus_search()

    # -- entities --------------------------------------------------------------------------
    def entity_menu(self) -> None:
        w = self.window
        menu = QMenu(w)
        for label in ENTITY_LABELS:
            menu.addAction(label, lambda l=label: w.annotation.add_entity(l))
        menu.exec(w.article_view.mapToGlobal(w.article_view.cursorRect().bottomRight()))

    def text_menu(self, pos) -> None:
        """The article text's context menu: tag, add an entity, relabel or remove one."""
        w, view, annotation = self.window, self.window.article_view, self.window.annotation
        menu = QMenu(w)
        if view.selection_span():
            menu.addAction("Tag as quote (Q)", annotation.tag)
            menu.addAction("Add as fragment (Shift+Q)", annotation.add_fragment)
            add = menu.addMenu("Mark as entity")
            for label in ENTITY_LABELS:
                add.addAction(label, lambda l=label: annotation.add_entity(l))
        ents, _q, _s = view.spans_at(view.offset_at(pos))
        for ent in ents:
            name = annotation.text[ent["start"]:ent["end"]]
            relabel = menu.addMenu(menu_text(f"Relabel “{name}” ({ent['label']})"))
            for label in ENTITY_LABELS:
                relabel.addAction(label, lambda l=label, e=ent: annotation.relabel_entity(
                    e["id"], l))
            menu.addAction(menu_text(f"Remove entity “{name}”"),
                           lambda e=ent: annotation.remove_entity(e["id"]))
        if not menu.isEmpty():
            menu.exec(view.viewport().mapToGlobal(pos))
