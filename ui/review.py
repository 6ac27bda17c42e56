"""Review mode's controller: aligns the open article's layers, shows the units and comments,
and runs the reviewer's decisions (into gold) and comments as undoable core commands."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.editing import desk
from annotator.review.alignment import align_article, status_counts
from annotator.review.comments import article_comments, comments_for_layer
from annotator.editing.edits import SetArticleStatus
from annotator.editing.workflow import layers_with_work
from annotator.review.gold import AcceptAgreed, AddComment, ResolveComment, TakeIntoGold, \
    gold_layer, settled_units


class Review(QObject):
    message = Signal(str)

    def __init__(self, session, annotation, panel, parent=None):
        super().__init__(parent)
        self.session, self.annotation, self.panel = session, annotation, panel
        self.compared: list[int] = []
        self.by_hand = False   # the reviewer chose the layers: they stay from article to article
        self.active = False
        panel.unitChosen.connect(self._unit_chosen)
        panel.takeRequested.connect(self.take)
        panel.acceptAgreedRequested.connect(self.accept_agreed)
        panel.reviewedRequested.connect(self.mark_reviewed)
        panel.layersChanged.connect(self.set_compared)
        panel.commentPosted.connect(self.comment)
        panel.commentResolved.connect(self.resolve)
        annotation.articleLoaded.connect(lambda _a: self.refresh())
        session.changed.connect(self._changed)

    def _changed(self, _change) -> None:
        if self.active or self.panel.isVisible():  # hidden: the next article load will do
            self.refresh()

    @property
    def db(self):
        return self.session.db

    def start(self) -> bool:
        """Enter review mode: compare the analyst layers with work on the article (unless
        chosen by hand before). False, said through the session, when the project cannot be
        read."""
        with self.session.guard():
            self.active = True
            self._saved = (list(self.annotation.overlay), self.annotation.blind)
            self._choose_layers(force=True)
            self.refresh()
            return True
        return False

    def stop(self) -> None:
        """Leave review mode: the layers shown and blind mode are as before it."""
        self.active = False
        overlay, blind = getattr(self, "_saved", ([], self.annotation.blind))
        self.annotation.set_overlay(overlay, blind)

    def set_compared(self, layer_ids: list[int]) -> None:
        """The reviewer's own choice of layers (kept for the next articles)."""
        with self.session.guard():
            self.compared, self.by_hand = list(layer_ids), True
            self._choose_layers(force=True)
            self.refresh()

    def _choose_layers(self, force: bool = False) -> None:
        """Unless chosen by hand, compare the analyst layers with work on the open article
        (``workflow.layers_with_work``: never a reviewer's own empty layer); the choices are
        every layer but gold. The article view shows them when they change."""
        article = self.annotation.article_id
        compared = self.compared
        if not self.by_hand:
            compared = [] if article is None else \
                [layer["id"] for layer in layers_with_work(self.db, article_id=article)]
        choices = [layer for layer in desk.layers(self.db) if layer["kind"] != "gold"]
        self.panel.set_layer_choices(choices, set(compared))
        if force or compared != self.compared:
            self.compared = compared
            self._overlay()

    def _overlay(self) -> None:
        """Show the compared layers and gold over my layer in the article view."""
        shown = [layer for layer in desk.layers(self.db)
                 if layer["id"] in self.compared or layer["kind"] == "gold"]
        self.annotation.set_overlay(shown, False)

    def refresh(self) -> None:
        with self.session.guard():
            article = self.annotation.article_id
            if article is None:
                return
            if self.active:   # the reviewer sees every comment of the article
                self.panel.set_comments(article_comments(self.db, article))
            else:             # an analyst sees the open comments about their own quotes
                mine = comments_for_layer(self.db, self.session.layer_id, article_id=article)
                self.panel.set_comments(mine)
                if mine and not self.panel.isVisible():
                    self.message.emit(f"{len(mine)} comment(s) on your quotes here: "
                                      "View > Review and comments")
                return
            self._choose_layers()
            layers = [layer for layer in desk.layers(self.db) if layer["id"] in self.compared]
            units = align_article(self.db, article, [layer["id"] for layer in layers])
            note = ""
            if not self.by_hand and len(layers) < 2:
                note = (f"only {layers[0]['name']} has worked on this article"
                        if layers else "no analyst has worked on this article yet")
            self.panel.set_units(self.annotation.text, layers, units, status_counts(units),
                                 settled=settled_units(self.db, article, units), note=note)

    def _unit_chosen(self, unit) -> None:
        if unit is not None:
            self.annotation.view.scroll_to(unit.start)
            self.annotation.view.select_span(unit.start, unit.end)

    def take(self, unit, layer_id: int) -> bool:
        reason, comment = self.panel.reason_and_comment()
        quote = unit.quotes[layer_id]
        ok = self.session.run(TakeIntoGold(quote_uuid=quote["uuid"], replaces=unit.uuids(),
                                           reason=reason, comment=comment,
                                           actor=self.session.analyst))
        if ok:
            self.panel.clear_comment()
            name = next((layer["name"] for layer in self.panel.layers
                         if layer["id"] == layer_id), "")
            self.message.emit(f"Took {name}'s version into gold")
        return ok

    def take_index(self, index: int) -> None:
        if not self.panel.take(index):
            self.message.emit("Select a unit, then Alt+N takes the N-th layer's version")

    def accept_agreed(self) -> bool:
        article = self.annotation.article_id
        if article is None:
            return False
        cmd = AcceptAgreed(article_id=article, layer_ids=self.compared,
                           actor=self.session.analyst)
        ok = self.session.run(cmd)
        if ok:
            self.message.emit(f"Accepted {cmd.count} agreed unit(s) into gold")
        return ok

    def mark_reviewed(self) -> bool:
        article = self.annotation.article_id
        if article is None:
            return False
        with self.session.guard():  # the gold layer is looked up (made when missing) first
            ok = self.session.run(SetArticleStatus(article_id=article,
                                                   layer_id=gold_layer(self.db), status="done",
                                                   actor=self.session.analyst))
            if ok:
                self.message.emit("Marked reviewed (gold: done); Ctrl+Z undoes it")
            return ok
        return False

    def comment(self, parent_id, text: str) -> bool:
        unit = self.panel.unit()
        quote_uuid = None
        if parent_id is None and unit is not None:
            quote_uuid = unit.present()[0]["uuid"]
        return self.session.run(AddComment(
            body=text, actor=self.session.analyst, parent_id=parent_id, quote_uuid=quote_uuid,
            article_id=None if (parent_id or quote_uuid) else self.annotation.article_id))

    def resolve(self, comment_id: int) -> bool:
        return self.session.run(ResolveComment(comment_id=comment_id,
                                               actor=self.session.analyst))
