"""The quotes' columns in memory, so an Insights filter change never rescans the corpus.

``QuoteCube`` holds, per quote, its layer, status, speaker, topic, position, article and the
article's outlet and published date (as codes, in numpy arrays: 36 bytes a quote).
It is read once per project file and process; after that each count first reads the quotes
that changed since (``_quote_changes``, filled by triggers in the transactions that change
quotes: migration ``m008``), so it is always the project's current state. A filter is then
boolean masks and ``bincount`` over the arrays: milliseconds for a million quotes, where
the same counts in SQL join every quote to its article.

``panel_counts`` gives the rows ``counts.panel_data`` builds its result from, the same rows
its SQL statement gives.
"""
from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import numpy as np
from sqlite_utils import Database

from annotator.selection import ResolvedSelection
from annotator.vocab import QUOTE_STATUSES

ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # the SQL's GLOB, at the start
FULL_RELOAD = 200_000  # more changes than this: read everything again
COLUMNS = """SELECT q.id, q.layer_id, q.status, coalesce(q.speaker_id, -1),
    coalesce(q.topic_id, -1), coalesce(q.position_id, -1), q.article_id, a.outlet, a.published
    FROM quotes q JOIN articles a ON a.id = q.article_id"""
STATUS = {s: i for i, s in enumerate(QUOTE_STATUSES)}


class Codes:
    """Values to small ints and back (``None`` is a value too)."""

    def __init__(self):
        self.values: list = []
        self.index: dict = {}

    def __call__(self, value) -> int:
        code = self.index.get(value)
        if code is None:
            code = self.index[value] = len(self.values)
            self.values.append(value)
        return code


class QuoteCube:
    """Every quote's columns as arrays (see the module); ``refresh(db)`` before reading."""

    def __init__(self):
        self.seq = None          # the last change read
        self.top = 0             # the highest quote id read
        self.lock = threading.RLock()  # held by a whole count, so nothing changes under it
        self.outlets, self.dates = Codes(), Codes()
        self.periods: dict[str, np.ndarray] = {}
        self.columns: dict[str, np.ndarray] = {}

    def refresh(self, db: Database) -> None:
        """Catch up with the project (in one read transaction: a consistent snapshot)."""
        with self.lock:
            began = not db.conn.in_transaction
            if began:
                db.conn.execute("BEGIN")
            try:
                last, first = db.execute(
                    "SELECT max(seq), min(seq) FROM _quote_changes").fetchone()
                last = last or 0
                top = db.execute("SELECT max(id) FROM quotes").fetchone()[0] or 0
                if self.seq is None or (first is not None and first > self.seq + 1) or \
                        last - self.seq > FULL_RELOAD or last < self.seq or \
                        (last == self.seq and top != self.top):  # another file (a restore)
                    self._load(db)
                elif last > self.seq:
                    self._apply(db, [r[0] for r in db.execute(
                        "SELECT DISTINCT quote_id FROM _quote_changes WHERE seq > ?",
                        [self.seq])])
                self.seq = last
                self.top = int(self.columns["id"].max(initial=0)) if len(self.columns["id"]) \
                    else 0
            finally:
                if began:
                    db.conn.execute("COMMIT")

    def _rows(self, rows) -> dict[str, np.ndarray]:
        cols = list(zip(*rows)) or [()] * 9
        out = {name: np.array(cols[i], dtype=np.int32) for i, name in enumerate(
            ("id", "layer", "status", "speaker", "topic", "position", "article"))
            if name != "status"}
        out["status"] = np.array([STATUS.get(s, -1) for s in cols[2]], dtype=np.int32)
        out["outlet"] = np.array([self.outlets(o) for o in cols[7]], dtype=np.int32)
        out["date"] = np.array([self.dates(d) for d in cols[8]], dtype=np.int32)
        return out

    def _load(self, db: Database) -> None:
        self.outlets, self.dates, self.periods = Codes(), Codes(), {}
        self.columns = self._rows(db.execute(COLUMNS + " ORDER BY q.id").fetchall())

    def _apply(self, db: Database, ids: list[int]) -> None:
        """Re-read the quotes ``ids``: changed ones replaced, deleted ones dropped, new ones
        added (kept in id order)."""
        rows = []
        for lo in range(0, len(ids), 5000):
            chunk = ids[lo:lo + 5000]
            rows += db.execute(COLUMNS + " WHERE q.id IN (SELECT value FROM json_each(?))",
                               [f"[{','.join(map(str, chunk))}]"]).fetchall()
        fresh = self._rows(rows)
        keep = ~np.isin(self.columns["id"], np.array(ids, dtype=np.int32))
        merged = {k: np.concatenate([v[keep], fresh[k]]) for k, v in self.columns.items()}
        order = np.argsort(merged["id"], kind="stable")
        self.columns = {k: v[order] for k, v in merged.items()}
        self.periods = {}

    def period_codes(self, db: Database, bucket_sql: str) -> tuple[np.ndarray, list]:
        """Each date code's period (``bucket_sql`` over ``a.published``, as SQLite computes
        it; -1 when undated) and the period names."""
        if bucket_sql not in self.periods or len(self.periods[bucket_sql][0]) < len(
                self.dates.values):
            values = self.dates.values
            sql = bucket_sql.replace("a.published", "value")
            names: Codes = Codes()
            codes = []
            for lo in range(0, len(values), 20000):
                chunk = values[lo:lo + 20000]
                for (period,) in db.execute(f"SELECT {sql} FROM json_each(?) ORDER BY key",
                                            [json.dumps(chunk)]):
                    codes.append(-1 if period is None else names(period))
            self.periods[bucket_sql] = (np.array(codes, dtype=np.int64), names.values)
        return self.periods[bucket_sql]


_CUBES: dict[str, QuoteCube] = {}
_CUBES_LOCK = threading.Lock()


def cube_of(path: Path) -> QuoteCube:
    """The process's cube of the project at ``path`` (``refresh`` it before reading)."""
    with _CUBES_LOCK:
        return _CUBES.setdefault(str(path), QuoteCube())


def _date_mask(values: list, f: ResolvedSelection) -> np.ndarray:
    ok = []
    for d in values:
        good = isinstance(d, str) and ISO_DAY.match(d) is not None
        if good and f.date_from:
            good = d >= f.date_from
        if good and f.day_after_to:
            good = d < f.day_after_to
        ok.append(good)
    return np.array(ok, dtype=bool)


def _article_mask(db: Database, f: ResolvedSelection, articles: np.ndarray) -> np.ndarray:
    """Which quotes' articles have one of the chosen article statuses (as
    ``Selection.article_where`` says: in the chosen layers, else any analyst or gold layer;
    no status row is ``todo``)."""
    if f.layer_ids:
        layers = list(f.layer_ids)
    else:
        layers = [r[0] for r in db.execute(
            "SELECT id FROM layers WHERE kind IN ('analyst', 'gold')")]
    if not layers:
        return np.zeros(len(articles), bool)
    wanted = set(f.spec.article_statuses)
    rows = db.execute(f"SELECT article_id, status FROM article_status WHERE layer_id IN "
                      f"({','.join(map(str, layers))})").fetchall()
    if "todo" not in wanted:
        chosen = np.array(sorted({a for a, s in rows if s in wanted}), dtype=np.int64)
        return np.isin(articles, chosen)
    # a missing row is todo: left out only when every layer has a status not wanted
    other = np.array([a for a, s in rows if s not in wanted], dtype=np.int64)
    ids, n = np.unique(other, return_counts=True)
    return ~np.isin(articles, ids[n >= len(layers)])


def _tally(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct non-negative ``keys`` and how often each occurs (a ``bincount`` when they
    are small numbers, as ids are; else sorting)."""
    if not len(keys):
        return keys, keys
    if keys.max() < 20_000_000:
        counts = np.bincount(keys)
        found = np.flatnonzero(counts)
        return found, counts[found]
    return np.unique(keys, return_counts=True)


def _pairs(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct pairs of ``a`` and ``b`` (non-negative) with their counts."""
    width = int(b.max(initial=0)) + 1
    keys, n = _tally(a.astype(np.int64) * width + b)
    return keys // width, keys % width, n


def _top(keys: np.ndarray, counts: np.ndarray, top: int, order_key=None) -> list[tuple]:
    """The ``top`` keys by count (most first, then by key)."""
    pairs = [(k, int(c)) for k, c in zip(keys.tolist(), counts.tolist()) if c > 0]
    pairs.sort(key=lambda p: (-p[1], order_key(p[0]) if order_key else p[0]))
    return pairs[:top]


def panel_counts(db: Database, f: ResolvedSelection, cube: QuoteCube, *, bucket_sql: str,
                 top: int, over_time: bool, matrix: bool, outlets: bool) -> list[tuple]:
    """The rows of ``counts._statement``'s query (``kind, a, b, n``), from the cube."""
    c = cube.columns
    mask = np.isin(c["status"], [STATUS[s] for s in f.spec.statuses]) if f.spec.statuses \
        else np.ones(len(c["id"]), bool)
    if f.layer_ids:
        mask &= np.isin(c["layer"], f.layer_ids)
    if f.topic_ids:
        mask &= np.isin(c["topic"], f.topic_ids)
    if f.spec.outlets:
        codes = [cube.outlets.index[o] for o in f.spec.outlets if o in cube.outlets.index]
        mask &= np.isin(c["outlet"], codes)
    if f.date_from or f.day_after_to:
        mask &= _date_mask(cube.dates.values, f)[c["date"]]
    if f.spec.article_statuses:
        mask &= _article_mask(db, f, c["article"])
    speaker, position, topic = c["speaker"][mask], c["position"][mask], c["topic"][mask]
    rows: list[tuple] = []
    spoken, coded = speaker >= 0, position >= 0
    if matrix:
        root = dict(db.execute("WITH RECURSIVE canon(id, root) AS (SELECT id, id FROM speakers "
                               "WHERE merged_into IS NULL UNION ALL SELECT s.id, c.root FROM "
                               "speakers s JOIN canon c ON s.merged_into = c.id) "
                               "SELECT id, root FROM canon").fetchall())
        canon = np.array([root.get(s, s) for s in range(int(speaker.max(initial=0)) + 1)],
                         dtype=np.int64) if len(speaker) else np.zeros(1, np.int64)
        who = np.where(spoken, canon[np.maximum(speaker, 0)], -1)
        shifted = position[spoken] + 1  # 0: no position (the matrix's last column)
        rows += [("cell", s, p - 1 if p else None, k) for s, p, k in zip(
            *(x.tolist() for x in _pairs(who[spoken], shifted)))]
        rows += [("speaker", k, None, n) for k, n in _top(*_tally(who[spoken]), top)]
        rows += [("topic", k, None, n) for k, n in _top(*_tally(topic[topic >= 0]), top)]
    rows.append(("total", int(mask.sum()), int(spoken.sum()), int(coded.sum())))
    if over_time or outlets:
        names = [o or "" for o in cube.outlets.values]
        by_name: dict[str, int] = {}
        for code, n in zip(*(x.tolist() for x in _tally(c["outlet"][mask]))):
            by_name[names[code]] = by_name.get(names[code], 0) + n
        tops = sorted(by_name.items(), key=lambda p: (-p[1], p[0]))[:top]
        rows += [("outlet", name, None, n) for name, n in tops]
    if over_time:
        period_of, period_names = cube.period_codes(db, bucket_sql)
        period = period_of[c["date"][mask]]
        dated = period >= 0
        sel = dated & coded
        rows += [("time", p, period_names[t], k) for p, t, k in zip(
            *(x.tolist() for x in _pairs(position[sel], period[sel])))]
        rows.append(("undated", int((~dated).sum()), None, None))
    return rows
