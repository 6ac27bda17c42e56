"""The front door: ``Project`` for scripts, notebooks, the command line and the window; also
where projects live (the default project and its seeding).

    from annotator import Project
    with Project.open("corpus.quotebook", analyst="alice") as project:
        for q in project.quotes(layer="gold", topic="Sanctions and trade measures"):
            print(q["speaker"], q["position"], q["text"])

Reads return plain dict rows; edits go through the same undoable core commands as the window
(``run``, ``undo``, ``redo``); long jobs (import, analysis, export) take the core's
a ``task`` (``annotator.tasks.Task``: progress and cancel).
"""
from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import platformdirs
from sqlite_utils import Database

from annotator.editing.codebook import load_codebook
from annotator.corpus.importing import import_paths
from annotator.store.db import open_project
from annotator.tasks import Task

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SAMPLE_CORPUS = RESOURCES / "sample" / "articles.jsonl"
DEFAULT_CODEBOOK = RESOURCES / "codebook.json"


def default_project_path() -> Path:
    """The default project in the user's data folder (it may not exist yet)."""
    return platformdirs.user_data_path("Quotebook", appauthor=False) / "default.quotebook"


def is_empty(db: Database) -> bool:
    return not db.execute("SELECT EXISTS(SELECT 1 FROM articles) OR "
                          "EXISTS(SELECT 1 FROM topics)").fetchone()[0]


def seed(db: Database) -> None:
    """Fill a new project with the sample corpus and the default codebook."""
    import_paths(db, [SAMPLE_CORPUS], actor="seed")
    load_codebook(db, DEFAULT_CODEBOOK)


def _open(path, create: bool, codebook: bool) -> tuple[Database, Path, bool]:
    """``open_or_default``, also saying whether the project was new (no file, or empty)."""
    if path is not None:
        path = Path(path).expanduser()
        new = not path.exists() or path.stat().st_size == 0
        db = open_project(path, create=create)
        if new and codebook:
            load_codebook(db, DEFAULT_CODEBOOK)
        return db, path, new
    target = default_project_path()
    new = not target.exists()
    db = open_project(target)
    if new or is_empty(db):
        seed(db)
    return db, target, new


def open_or_default(path: str | Path | None, *, create: bool = True,
                    codebook: bool = True) -> tuple[Database, Path]:
    """Open ``path``, or the default project (created and seeded on first use).

    A new project named by ``path`` starts with no articles and, unless ``codebook`` is false
    (an import that brings its own codebook), the default codebook.
    """
    db, path, _ = _open(path, create, codebook)
    return db, path


# the keyword filters of ``quotes``, ``articles``, ``export`` and ``stats`` -> Selection
FILTERS = {"layer": "layers", "status": "statuses", "article_status": "article_statuses",
           "outlet": "outlets", "topic": "topics", "date_from": "date_from",
           "date_to": "date_to", "quoted_only": "quoted_only"}
_UNSET = object()  # "not given" (None clears a field)


def selection(**filters):
    """An ``Selection`` from keyword filters: ``layer``, ``status`` (of quotes),
    ``article_status``, ``outlet``, ``topic`` (a name or a list of names), ``date_from``,
    ``date_to`` ('YYYY-MM-DD') and ``quoted_only``."""
    from annotator.selection import Selection
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise TypeError(f"unknown filter(s): {', '.join(sorted(unknown))} "
                        f"(filters: {', '.join(FILTERS)})")
    return Selection(**{FILTERS[k]: v for k, v in filters.items() if v is not None})


def _analyst(name: str | None) -> str | None:
    """An analyst's name, checked: not blank, not a layer's or the machine's."""
    from annotator.editing.permissions import SYSTEM_ACTORS
    if name is None:
        return None
    if not name.strip() or name.strip().lower() in ("suggestions", "gold", *SYSTEM_ACTORS):
        raise ValueError(f"{name!r} is not an analyst's name (reserved or blank)")
    return name.strip()


class Project:
    """An open project: its connection (``db``), its file (``path``) and, for edits, the
    analyst who makes them (``analyst``; their layer is the default one). One connection:
    use a ``Project`` in the thread that opened it (open another one per thread)."""

    def __init__(self, db, path: Path, *, analyst: str | None = None, created: bool = False,
                 backup: bool = True):
        self.db, self.path, self.created = db, Path(path), created
        self.analyst = _analyst(analyst)
        self._backup_due = backup and not created
        self._undo: list[list] = []   # steps: the core commands of each, in order applied
        self._redo: list[list] = []

    @classmethod
    def open(cls, path: str | Path | None = None, *, create: bool = True,
             analyst: str | None = None, codebook: bool = True,
             backup: bool = True) -> "Project":
        """Open the project at ``path`` (None: the default project, created with the sample
        corpus on first use, as the command line does; ``create`` applies to a named path).

        A new project starts with the default codebook (unless ``codebook`` is false). With
        ``create`` false a missing file is an error. ``analyst`` names who edits (needed for
        edits). With ``backup``, the first edit or import makes the daily automatic backup
        as the command line's writing commands do. Raises ``ProjectError`` for a missing
        project, another application's file or a newer project (nothing is written to it).
        """
        analyst = _analyst(analyst)   # before anything is created
        db, path, new = _open(path, create, codebook)
        return cls(db, path, analyst=analyst, created=new, backup=backup)

    def close(self) -> None:
        """Close the connection (the history of edits goes with it)."""
        self.db.close()
        self._undo.clear()
        self._redo.clear()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Project {self.path} analyst={self.analyst!r}>"

    # -- data safety -------------------------------------------------------------------------
    def daily_backup(self) -> str | None:
        """The automatic backup when one is due today, else SQLite's ``quick_check``; raises
        ``ProjectDamaged`` for a damaged project, returns a warning when the backup could not
        be written."""
        from annotator.errors import ProjectDamaged, user_message
        from annotator.store.backups import damaged_message, due, make_backup, quick_check
        self._backup_due = False
        if due(self.path):
            try:
                make_backup(self.db, self.path)
            except (sqlite3.Error, OSError) as exc:
                return f"automatic backup not made: {user_message(exc, self.path)}"
        elif problem := quick_check(self.db):   # 0.4 s for 100,000 articles
            self.db.damaged = problem
            raise ProjectDamaged(damaged_message(self.path, problem))
        return None

    def _writing(self) -> None:
        if self._backup_due:
            warning = self.daily_backup()
            if warning:
                warnings.warn(warning, RuntimeWarning, stacklevel=3)

    # -- long jobs ---------------------------------------------------------------------------
    def import_files(self, paths, analyze: bool = True, *, text_column: str | None = None,
                     format: str | None = None, layer: str | None = None,
                     model: str | None = None, task: Task | None = None):
        """Import files and folders (.txt, .jsonl, .csv; ``format`` brat or prodigy into
        ``layer``; see README, Import); then, with
        ``analyze``, the NLP analysis. Returns the ``ImportReport``, whose ``analysis`` is the
        ``AnalysisReport`` (None without ``analyze``, or when the import was cancelled)."""
        self._writing()
        if isinstance(paths, (str, Path)):
            paths = [paths]
        report = import_paths(self.db, list(paths), text_column=text_column, format=format,
                              layer=layer, task=task)
        if analyze and not report.cancelled:
            report.analysis = self.analyze(model=model, task=task)
        return report

    def analyze(self, *, model: str | None = None, batch_size: int = 32, processes: int = 1,
                scheduler: str | None = None, local_cluster: int = 0,
                task: Task | None = None, redo: bool = False):
        """NER and quote suggestions for every article not analysed yet (resumable; ``redo``:
        every article, with what the registry has learnt, analysts' decisions kept); returns
        the ``AnalysisReport``. The parse runs here, or on the Dask ``scheduler``
        (``tcp://HOST:8786``), or on a ``local_cluster`` of that many worker processes.
        Raises ``ModelMissing`` when the pipeline is not installed, ``ClusterError`` when the
        cluster cannot be reached or loses a batch."""
        from annotator.nlp.analysis import analyze
        self._writing()
        return analyze(self.db, model=model, batch_size=batch_size, n_process=processes,
                       scheduler=scheduler, local_cluster=local_cluster, task=task, redo=redo)

    def export(self, format: str, out, *, bom: bool = False, raw_cells: bool = False,
               min_weight: int = 1, task: Task | None = None, **filters):
        """Export in ``format`` (jsonl, prodigy, spacy, brat, csv, network) to ``out``, with
        the filters of ``selection``; returns the ``ExportResult`` (``count``, ``out``).
        Raises ``ExportError`` naming a bad filter or what could not be written."""
        from annotator.export import export
        return export(self.db, format, out, filters=selection(**filters), bom=bom,
                      raw_cells=raw_cells, min_weight=min_weight, task=task)

    # -- reads -------------------------------------------------------------------------------
    def articles(self, *, search: str | None = None, limit: int | None = None,
                 offset: int = 0, **filters) -> list[dict]:
        """Articles in import order: id, source, title, outlet, author, url, published,
        analyzed, quotes (how many the quote filters choose) and statuses ({layer: status}).
        ``search``: words of the title or text (full-text); filters as ``selection``."""
        f = selection(**filters).resolve(self.db)
        where, params = f.article_where("a")
        if search:
            from annotator.editing.desk import _fts_query
            where += " AND a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            params.append(_fts_query(search))
        rows = list(self.db.query(
            "SELECT a.id, a.source, a.title, a.outlet, a.author, a.url, a.published, "
            "a.analyzed_at IS NOT NULL AS analyzed, "
            f"(SELECT count(*) FROM quotes q WHERE q.article_id = a.id AND {f.quote_where('q')})"
            f" AS quotes FROM articles a WHERE {where} ORDER BY a.id LIMIT ? OFFSET ?",
            [*params, -1 if limit is None else limit, offset]))
        statuses: dict = {}
        if rows:
            for r in self.db.query(
                    "SELECT st.article_id, l.name, st.status FROM article_status st JOIN layers l "
                    "ON l.id = st.layer_id WHERE st.article_id BETWEEN ? AND ? ORDER BY l.name",
                    [rows[0]["id"], rows[-1]["id"]]):
                statuses.setdefault(r["article_id"], {})[r["name"]] = r["status"]
        for row in rows:
            row["analyzed"] = bool(row["analyzed"])
            row["statuses"] = statuses.get(row["id"], {})
        return rows

    def article(self, article_id: int) -> dict:
        """One article with its ``text`` (offsets of quotes point into it) and entities."""
        from annotator.corpus.articles import article_entities, get_article
        row = get_article(self.db, article_id)
        if row is None:
            raise ValueError(f"no article {article_id}")
        return dict(row, entities=article_entities(self.db, article_id))

    def quotes(self, layer=None, topic=None, speaker=None, status=None, article=None, *,
               limit: int | None = None, **filters) -> list[dict]:
        """Quotes in text order, article by article: uuid, article_id, layer, fragments
        ([[start, end], ...]), start, end, text (first fragment's start to last's end), kind,
        status, speaker, speaker_id, topic, position, position_value, note, confidence,
        origin_uuid, created, updated. Every status unless ``status`` is given; ``speaker`` is
        a name (or alias) or an id; ``article`` an id; other filters as ``selection``."""
        f = selection(layer=layer, topic=topic, status=status, **filters).resolve(self.db)
        where, params = f.article_where("a")
        where += f" AND {f.quote_where('q')}"
        if speaker is not None:
            where += " AND q.speaker_id = ?"
            params.append(self._speaker_id(speaker, create=False))
        if article is not None:
            where += " AND q.article_id = ?"
            params.append(int(article))
        rows = list(self.db.query(
            "SELECT q.id, q.uuid, q.article_id, l.name AS layer, q.start, q.\"end\", "
            "substr(a.text, q.start + 1, q.\"end\" - q.start) AS text, q.kind, q.status, "
            "s.name AS speaker, q.speaker_id, t.name AS topic, p.label AS position, "
            "p.value AS position_value, q.note, q.confidence, q.origin_uuid, q.created, "
            "q.updated FROM quotes q JOIN articles a ON a.id = q.article_id "
            "JOIN layers l ON l.id = q.layer_id LEFT JOIN speakers s ON s.id = q.speaker_id "
            "LEFT JOIN topics t ON t.id = q.topic_id "
            "LEFT JOIN positions p ON p.id = q.position_id "
            f"WHERE {where} ORDER BY q.article_id, q.start, q.id LIMIT ?",
            [*params, -1 if limit is None else limit]))
        frags: dict = {}
        for i in range(0, len(rows), 500):
            ids = ",".join(str(r["id"]) for r in rows[i:i + 500])
            for qid, s, e in self.db.execute(
                    f'SELECT quote_id, start, "end" FROM quote_fragments WHERE quote_id IN '
                    f"({ids}) ORDER BY quote_id, ord"):
                frags.setdefault(qid, []).append([s, e])
        for row in rows:
            row["fragments"] = frags.get(row.pop("id"), [])
        return rows

    def speakers(self) -> list[dict]:
        """The speaker registry: id, name, role, organisation, kind, aliases, quotes."""
        from annotator.editing.desk import speakers_table
        return speakers_table(self.db)

    def topics(self) -> list[dict]:
        """The codebook: topics in order, each with its ``positions``."""
        from annotator.editing.codebook import codebook
        return codebook(self.db)

    def layers(self) -> list[dict]:
        """Every layer (id, name, kind): analysts', then gold and suggestions."""
        from annotator.editing.desk import layers
        return layers(self.db)

    def stats(self, by=None, **filters):
        """Without ``by``: the project's counts (a dict). With ``by`` (e.g. "speaker,position"
        or a list of speaker, position, topic, outlet, layer, status, week, month, year): the
        chosen quotes counted, one dict row per group, rejected quotes left out unless
        ``status`` says otherwise."""
        if by is None:
            if any(v not in (None, (), [], "", False) for v in filters.values()):
                raise ValueError("filters need by= (e.g. by='speaker,position')")
            from annotator.insights.stats import project_stats
            return project_stats(self.db)
        from annotator.insights.counts import counts
        keys = [k.strip() for k in by.split(",") if k.strip()] if isinstance(by, str) else by
        return counts(self.db, selection(**filters), by=keys)

    def agreement(self, layers=None, *, articles=None, min_overlap: float | None = None,
                  per_article: bool = True) -> dict:
        """Agreement of two or more layers (names, or "a,b"; default: every analyst layer
        with work, ValueError when fewer than two): F1, alpha, kappa per pair, overall and
        per article (see README, Review and agreement)."""
        from annotator.review.agreement import agreement, layers_to_compare
        from annotator.review.alignment import MIN_OVERLAP
        if layers is None:
            layers = layers_to_compare(self.db)
        elif isinstance(layers, str):
            layers = [n.strip() for n in layers.split(",") if n.strip()]
        return agreement(self.db, layers, articles=articles, per_article=per_article,
                         min_overlap=MIN_OVERLAP if min_overlap is None else min_overlap)

    # -- edits -------------------------------------------------------------------------------
    def run(self, *commands):
        """Apply core commands (``annotator.editing``, ``annotator.review.gold``) as one
        undoable step; return the ``Change`` of the last. A refused or failed command raises,
        and what the step had done is undone."""
        if not commands:
            raise ValueError("run needs a command")
        return self._step(list(commands[:-1]), lambda: commands[-1])[1]

    def undo(self):
        """Undo the last step of this project's history; its ``Change``, or None."""
        return self._move(self._undo, self._redo, undo=True)

    def redo(self):
        """Redo the last undone step; its ``Change``, or None."""
        return self._move(self._redo, self._undo, undo=False)

    def _move(self, source: list, target: list, *, undo: bool):
        if not source:
            return None
        step = source[-1]
        order = list(reversed(step)) if undo else step
        done, change = [], None
        try:
            for command in order:
                change = command.revert(self.db) if undo else command.apply(self.db)
                done.append(command)
        except BaseException:
            for command in reversed(done):   # all or nothing, as in the window
                command.apply(self.db) if undo else command.revert(self.db)
            raise
        target.append(source.pop())
        return change

    def _actor(self) -> str:
        if self.analyst is None:
            raise ValueError("name the analyst to edit: Project.open(..., analyst='NAME')")
        return self.analyst

    def _layer_id(self, layer: str | None) -> int:
        from annotator.store.db import ensure_layer
        name = layer or self._actor()
        if name in (self.analyst, "gold"):
            return ensure_layer(self.db, name)
        row = self.db.execute("SELECT id FROM layers WHERE name = ?", [name]).fetchone()
        if row is None:
            raise ValueError(f"no layer '{name}' in this project")
        return row[0]

    def _topic_id(self, topic) -> int:
        if isinstance(topic, int):
            row = self.db.execute("SELECT id FROM topics WHERE id = ?", [topic]).fetchone()
        else:
            row = self.db.execute("SELECT id FROM topics WHERE name = ? COLLATE NOCASE "
                                  "ORDER BY name = ? DESC", [topic, topic]).fetchone()
        if row is None:
            names = "; ".join(t["name"] for t in self.topics())
            raise ValueError(f"no topic {topic!r} in the codebook (topics: {names})")
        return row[0]

    def _position_id(self, topic_id: int, position) -> int:
        column = "id" if isinstance(position, int) else "label"
        row = self.db.execute(f"SELECT id FROM positions WHERE topic_id = ? AND {column} = ? "
                              "COLLATE NOCASE", [topic_id, position]).fetchone()
        if row is None:
            labels = [r[0] for r in self.db.execute(
                'SELECT label FROM positions WHERE topic_id = ? ORDER BY "order"', [topic_id])]
            raise ValueError(f"no position {position!r} in that topic "
                             f"(positions: {', '.join(labels)})")
        return row[0]

    def _speaker_id(self, speaker, *, create: bool, commands: list | None = None):
        """The id of a speaker named (or alias) or given by id; a new name becomes a
        ``CreateSpeaker`` in ``commands`` when ``create`` (its id is known once run)."""
        from annotator.editing.speakers import find_speaker
        if isinstance(speaker, int):
            if self.db.execute("SELECT 1 FROM speakers WHERE id = ?", [speaker]).fetchone():
                return speaker
            raise ValueError(f"no speaker {speaker}")
        found = find_speaker(self.db, speaker.strip())
        if found is not None:
            return found
        if not create:
            raise ValueError(f"no speaker named {speaker!r}")
        from annotator.editing.registry import CreateSpeaker
        commands.append(CreateSpeaker(name=speaker, actor=self._actor()))
        return commands[-1]

    def _coded(self, fields: dict, commands: list, *, quote: dict | None, topic, position,
               speaker) -> None:
        """Put topic, position and speaker (names or ids) into ``fields`` as ids."""
        if topic is not _UNSET:
            fields["topic_id"] = None if topic is None else self._topic_id(topic)
            if position is _UNSET and (quote is None or quote["topic_id"] != fields["topic_id"]):
                fields["position_id"] = None   # another topic: its old position no longer fits
        if position is not _UNSET:
            topic_id = fields.get("topic_id", quote and quote["topic_id"])
            if position is not None and topic_id is None:
                raise ValueError("a position belongs to a topic: give topic= too")
            fields["position_id"] = None if position is None else \
                self._position_id(topic_id, position)
        if speaker is not _UNSET:
            fields["speaker_id"] = None if speaker is None else \
                self._speaker_id(speaker, create=True, commands=commands)
            if "speaker_start" not in fields:
                fields["speaker_start"] = fields["speaker_end"] = None

    def _step(self, commands: list, build):
        """Apply ``commands``, then ``build()`` (made once they ran: a new speaker's id is
        known then), as one step of the history; (that last command, its ``Change``)."""
        self._writing()
        done = []
        try:
            for command in commands:
                command.apply(self.db)
                done.append(command)
            final = build()
            change = final.apply(self.db)
        except BaseException:
            for command in reversed(done):
                command.revert(self.db)
            raise
        self._undo.append(done + [final])
        self._redo.clear()
        return final, change

    @staticmethod
    def _ids(fields: dict) -> dict:
        """``fields`` with a speaker created in the same step replaced by its id."""
        from annotator.editing.registry import CreateSpeaker
        return {k: v.speaker_id if isinstance(v, CreateSpeaker) else v
                for k, v in fields.items()}

    def add_quote(self, article_id: int, fragments, *, layer: str | None = None,
                  kind: str = "direct", status: str = "accepted", speaker=None,
                  speaker_mention=None, cue=None, topic=None, position=None,
                  note: str = "") -> str:
        """Add a quote (``fragments``: [(start, end), ...] or one (start, end)) to ``layer``
        (default: the analyst's own; "gold" for a reviewer), coded at once if asked; a new
        speaker name creates the speaker. One undoable step; returns the quote's uuid."""
        from annotator.editing.edits import AddQuote
        if len(fragments) == 2 and all(isinstance(v, int) for v in fragments):
            fragments = [fragments]
        actor = self._actor()
        layer_id = self._layer_id(layer)
        commands: list = []
        fields: dict = {}
        if speaker_mention is not None:
            fields["speaker_start"], fields["speaker_end"] = speaker_mention
        if cue is not None:
            fields["cue_start"], fields["cue_end"] = cue
        self._coded(fields, commands, quote=None,
                    topic=_UNSET if topic is None else topic,
                    position=_UNSET if position is None else position,
                    speaker=_UNSET if speaker is None else speaker)
        final, _ = self._step(commands, lambda: AddQuote(
            article_id=article_id, layer_id=layer_id, fragments=fragments, actor=actor,
            kind=kind, status=status, note=note, **self._ids(fields)))
        return final.uuid

    def code(self, quote_uuid: str, *, topic=_UNSET, position=_UNSET, speaker=_UNSET,
             speaker_mention=_UNSET, kind=_UNSET, note=_UNSET, status=_UNSET,
             fragments=_UNSET):
        """Code a quote: topic and position (names or ids; a position alone stays in the
        quote's topic), speaker (a name, alias or id; a new name creates the speaker; None
        clears), kind, note, status or fragments. One undoable step; returns its ``Change``."""
        from annotator.editing.edits import UpdateQuote
        row = self.db.execute("SELECT topic_id FROM quotes WHERE uuid = ?",
                              [quote_uuid]).fetchone()
        if row is None:
            raise ValueError(f"no quote {quote_uuid}")
        actor = self._actor()
        commands: list = []
        fields = {k: v for k, v in dict(kind=kind, note=note, status=status).items()
                  if v is not _UNSET}
        if speaker_mention is not _UNSET:
            fields["speaker_start"], fields["speaker_end"] = speaker_mention or (None, None)
        self._coded(fields, commands, quote={"topic_id": row[0]}, topic=topic,
                    position=position, speaker=speaker)
        if not fields and fragments is _UNSET:
            raise ValueError("nothing to code: give topic=, position=, speaker=...")
        _, change = self._step(commands, lambda: UpdateQuote(
            uuid=quote_uuid, actor=actor, fragments=None if fragments is _UNSET else fragments,
            **self._ids(fields)))
        return change

    def delete_quote(self, quote_uuid: str):
        """Delete a quote of a layer the analyst may write; returns the ``Change``."""
        from annotator.editing.edits import DeleteQuote
        return self.run(DeleteQuote(uuid=quote_uuid, actor=self._actor()))

    def take_into_gold(self, quote_uuid: str, *, reason: str = "", comment: str = "") -> str:
        """Copy a quote of any layer into the gold layer (a reviewer's edit); returns the
        gold quote's uuid."""
        from annotator.review.gold import TakeIntoGold
        command = TakeIntoGold(quote_uuid=quote_uuid, actor=self._actor(), reason=reason,
                               comment=comment)
        self.run(command)
        return command.uuid

    def set_status(self, article_id: int, status: str, *, layer: str | None = None):
        """Mark an article todo, in_progress, done or skipped in a layer (default: the
        analyst's); returns the ``Change``."""
        from annotator.editing.edits import SetArticleStatus
        return self.run(SetArticleStatus(article_id=article_id, layer_id=self._layer_id(layer),
                                         status=status, actor=self._actor()))

    def edit_article(self, article_id: int, **details):
        """Set an article's title, outlet, author, published (YYYY-MM-DD) or url; undoable,
        logged; returns the ``Change``. A wrong field raises ValueError naming it."""
        from annotator.editing.article_details import EditArticleDetails
        return self.run(EditArticleDetails(article_id=article_id, actor=self._actor(),
                                           **details))
