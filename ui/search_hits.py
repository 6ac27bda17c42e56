"""The article list's search words marked in the open article, F3 / Shift+F3 from one hit
to the next (``annotator.editing.search_hits`` finds them as the list matched them)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from annotator.editing.search_hits import search_hits


class SearchHits(QObject):
    """Keeps ``view``'s hits in step with ``search_box`` and the article shown."""

    message = Signal(str)

    def __init__(self, view, search_box, parent=None):
        super().__init__(parent)
        self.view, self.search_box = view, search_box
        search_box.textChanged.connect(self.update)

    def update(self, *_args) -> None:
        """Mark the hits of the article now shown; the first one is current."""
        hits = search_hits(self.view.text, self.search_box.text())
        self.view.show_hits(hits, 0 if hits else -1)

    def step(self, step: int) -> None:
        """The next (``step`` 1) or previous (-1) hit, round the article."""
        hits = self.view.hits
        if not hits:
            self.message.emit("No search hits in this article (Ctrl+F: search articles)")
            return
        current = (self.view.hit + step) % len(hits)
        self.view.show_hits(hits, current)
        self.message.emit(f"Search hit {current + 1} of {len(hits)}")
