"""What chooses articles and quotes: one ``Selection`` that builds the SQL of every export,
the insights, the discourse network and ``stats``.

Article filters (outlet, date range, article status) choose the articles; quote filters (layer,
status, topic) choose the quotes of those articles. ``quoted_only`` keeps only the articles
that have at least one chosen quote. Names are checked against the project, so a typo is an
error and never a silently empty export.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from annotator.vocab import ARTICLE_STATUSES, QUOTE_STATUSES

TRAINING_STATUSES = ("suggested", "accepted")  # default of the derived formats


class SelectionError(Exception):
    """A selection naming what the project does not have (a layer, a topic, an outlet), a
    word outside the vocabulary, or a malformed date."""


def _tuple(value) -> tuple:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(v for v in value if v not in (None, ""))


def _date(value: str | None, what: str) -> _dt.date | None:
    if value in (None, ""):
        return None
    try:
        return _dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise SelectionError(f"{what} {value!r} is not a date (YYYY-MM-DD)") from None


@dataclass(frozen=True)
class Selection:
    """What an export, the insights or stats choose; every field empty means everything."""
    layers: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    article_statuses: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    topics: tuple[str, ...] = ()
    quoted_only: bool = False

    def __post_init__(self):
        for name in ("layers", "statuses", "article_statuses", "outlets", "topics"):
            object.__setattr__(self, name, _tuple(getattr(self, name)))

    def with_default_statuses(self, statuses=TRAINING_STATUSES) -> "Selection":
        """This selection, with ``statuses`` when it names none (rejected quotes left out)."""
        return self if self.statuses else replace(self, statuses=tuple(statuses))

    def resolve(self, db: Database) -> "ResolvedSelection":
        """Check every name against the project; raise ``SelectionError`` naming the bad one."""
        return ResolvedSelection(self, db)


def _id_of(db, table: str, what: str, name: str, where: str, sep: str, order: str) -> int:
    """The id of ``name`` in ``table``; a ``SelectionError`` listing the known names if none."""
    row = db.execute(f"SELECT id FROM {table} WHERE name = ?", [name]).fetchone()
    if row is None:
        names = _known(db, f"SELECT name FROM {table} ORDER BY {order}")
        raise SelectionError(f"no {what} '{name}' {where} "
                             f"({table}: {sep.join(names) or 'none yet'})")
    return row[0]


def _known(db: Database, sql: str) -> list:
    return [r[0] for r in db.execute(sql).fetchall()]


@dataclass
class ResolvedSelection:
    """A selection checked against one project: ids instead of names, ready-made SQL."""
    spec: Selection
    db: Database
    layer_ids: list[int] = field(default_factory=list)
    topic_ids: list[int] = field(default_factory=list)
    day_after_to: str | None = None

    def __post_init__(self):
        spec, db = self.spec, self.db
        self.layer_ids += [_id_of(db, "layers", "layer", name, "in this project", ", ",
                                  "name") for name in spec.layers]
        self.topic_ids += [_id_of(db, "topics", "topic", name, "in the codebook", "; ",
                                  '"order", id') for name in spec.topics]
        for status in spec.statuses:
            if status not in QUOTE_STATUSES:
                raise SelectionError(f"quote status must be one of {', '.join(QUOTE_STATUSES)}, "
                                  f"not {status!r}")
        for status in spec.article_statuses:
            if status not in ARTICLE_STATUSES:
                raise SelectionError("article status must be one of "
                                  f"{', '.join(ARTICLE_STATUSES)}, not {status!r}")
        for outlet in spec.outlets:
            if not db.execute("SELECT 1 FROM articles WHERE outlet = ? LIMIT 1",
                              [outlet]).fetchone():
                raise SelectionError(f"no article from outlet '{outlet}' in this project")
        start = _date(spec.date_from, "from date")
        end = _date(spec.date_to, "to date")
        if start and end and start > end:
            raise SelectionError(f"the date range is empty ({start} is after {end})")
        self.date_from = start.isoformat() if start else None
        self.day_after_to = (end + _dt.timedelta(days=1)).isoformat() if end else None

    # -- SQL fragments: ``a`` is the article alias, ``q`` the quote alias -------------------
    def quote_where(self, alias: str = "q") -> str:
        """SQL condition on quotes (every value is a checked id or a known word)."""
        parts = ["1"]
        if self.layer_ids:
            parts.append(f"{alias}.layer_id IN ({','.join(map(str, self.layer_ids))})")
        if self.spec.statuses:
            parts.append(f"{alias}.status IN ({','.join(repr(s) for s in self.spec.statuses)})")
        if self.topic_ids:
            parts.append(f"{alias}.topic_id IN ({','.join(map(str, self.topic_ids))})")
        return " AND ".join(parts)

    def entity_where(self, alias: str = "e") -> str:
        """The NER model's entities plus those analysts of the chosen layers added."""
        if not self.layer_ids:
            return f"{alias}.removed = 0 AND {alias}.layer_id IS NULL"
        return (f"{alias}.removed = 0 AND ({alias}.layer_id IS NULL OR {alias}.layer_id IN "
                f"({','.join(map(str, self.layer_ids))}))")

    def article_where(self, alias: str = "a") -> tuple[str, list]:
        """SQL condition on articles and its parameters."""
        parts, params = ["1"], []
        spec = self.spec
        if spec.outlets:
            parts.append(f"{alias}.outlet IN ({','.join('?' * len(spec.outlets))})")
            params.extend(spec.outlets)
        if self.date_from or self.day_after_to:  # a date range leaves out undated articles
            parts.append(f"{alias}.published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'")
        if self.date_from:
            parts.append(f"{alias}.published >= ?")
            params.append(self.date_from)
        if self.day_after_to:
            parts.append(f"{alias}.published < ?")
            params.append(self.day_after_to)
        if spec.article_statuses:
            layers = (f"l.id IN ({','.join(map(str, self.layer_ids))})" if self.layer_ids
                      else "l.kind IN ('analyst', 'gold')")
            wanted = ",".join(repr(s) for s in spec.article_statuses)
            parts.append(
                f"EXISTS (SELECT 1 FROM layers l LEFT JOIN article_status st "
                f"ON st.article_id = {alias}.id AND st.layer_id = l.id "
                f"WHERE {layers} AND coalesce(st.status, 'todo') IN ({wanted}))")
        if spec.quoted_only:
            parts.append(f"EXISTS (SELECT 1 FROM quotes q WHERE q.article_id = {alias}.id "
                         f"AND {self.quote_where('q')})")
        return " AND ".join(parts), params

    def article_count(self) -> int:
        where, params = self.article_where("a")
        return self.db.execute(f"SELECT count(*) FROM articles a WHERE {where}",
                               params).fetchone()[0]

    @property
    def window(self) -> tuple[str | None, str | None]:
        """The date window as given (first and last day), for reports and graph metadata."""
        end = None
        if self.day_after_to:
            end = (_dt.date.fromisoformat(self.day_after_to) - _dt.timedelta(days=1)).isoformat()
        return self.date_from, end


def record_layers(record: dict, filters: Selection) -> list[str | None]:
    """The layers one export record is split into (one Doc or task each): those of its
    quotes; without quotes, the one chosen layer, else None."""
    present = sorted({q["layer"] for q in record["quotes"]})
    if present:
        return present
    return [filters.layers[0]] if len(filters.layers) == 1 else [None]


def filter_choices(db: Database) -> dict:
    """What a user can filter by in this project (for the export dialog)."""
    dates = next(db.query(  # lone min() and max() subqueries: each read from the index
        "SELECT (SELECT min(published) FROM articles WHERE published != '') AS first, "
        "(SELECT max(published) FROM articles WHERE published != '') AS last"))
    return {
        "layers": _known(db, "SELECT name FROM layers ORDER BY kind != 'gold', name"),
        "outlets": _known(db, "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL "
                              "AND outlet != '' ORDER BY outlet"),
        "topics": _known(db, 'SELECT name FROM topics ORDER BY "order", id'),
        "statuses": list(QUOTE_STATUSES),
        "article_statuses": list(ARTICLE_STATUSES),
        "first_date": (dates["first"] or "")[:10] or None,
        "last_date": (dates["last"] or "")[:10] or None,
    }
