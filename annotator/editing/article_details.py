"""An article's details (title, outlet, author, date, url), edited as an undoable command.

The text is never edited: every offset points into it. Only the changed details are kept for
undo and written to the event log, not the whole row. Any analyst may correct them (they are
the corpus's, not a layer's), as anyone may fix a model's entity.
"""
from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from annotator.editing.commands import Change, Command

DETAILS = ("title", "outlet", "author", "published", "url")
LABELS = {"title": "title", "outlet": "outlet", "author": "author", "published": "date",
          "url": "url"}


def check_details(fields: dict) -> dict:
    """``fields`` stripped (an empty one becomes NULL); a date must be YYYY-MM-DD.

    Raises ValueError naming the field.
    """
    out = {}
    for key, value in fields.items():
        if key not in DETAILS:
            raise ValueError(f"{key}: not an article detail (one of {', '.join(DETAILS)})")
        value = (value or "").strip() or None
        if key == "published" and value is not None:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"date: {value!r} is not a date in YYYY-MM-DD form") from None
        out[key] = value
    return out


def article_details(db: Database, article_id: int) -> dict:
    """The article's details; ValueError when there is no such article."""
    row = next(db.query(f"SELECT {', '.join(DETAILS)} FROM articles WHERE id = ?",
                        [article_id]), None)
    if row is None:
        raise ValueError(f"no article {article_id}")
    return row


class EditArticleDetails(Command):
    """Set some of an article's details; undo puts the earlier values back."""

    label = "edit article details"

    def __init__(self, *, article_id: int, actor: str, **fields):
        super().__init__(actor=actor)
        self.article_id = article_id
        self.fields = check_details(fields)
        if not self.fields:
            raise ValueError("no article detail to change")
        self.old: dict | None = None

    def target(self):
        return f"article:{self.article_id}"

    def _write(self, db: Database, values: dict) -> None:
        sets = ", ".join(f"{k} = ?" for k in values)
        db.execute(f"UPDATE articles SET {sets} WHERE id = ?", [*values.values(),
                                                               self.article_id])

    def _rows(self, values: dict) -> dict:
        return {"articles": {(self.article_id,): {"id": self.article_id, **values}}}

    def _change(self) -> Change:
        return Change(articles={self.article_id}, tables={"articles"})

    def apply(self, db: Database) -> Change:
        redo = self.old is not None
        with db.atomic():
            current = article_details(db, self.article_id)
            if not redo:
                self.old = {k: current[k] for k in self.fields}
            self._write(db, self.fields)
            self._log(db, "redo" if redo else "", self._rows(self.old), self._rows(self.fields))
        return self._change()

    def revert(self, db: Database) -> Change:
        with db.atomic():
            self._write(db, self.old)
            self._log(db, "undo", self._rows(self.fields), self._rows(self.old))
        return self._change()
