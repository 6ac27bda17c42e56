"""Write chosen layers as a DNA 3 database (Discourse Network Analyzer, ``.dna``, SQLite).

The tables and ``SETTINGS`` version are DNA 3.0.7's, so DNA and rDNA open the file. Each layer
is a coder (password empty), each article a document, each quote one "DNA Statement" from the
first to the last character of its fragments (offsets in UTF-16 code units, as Java counts):
``person`` and ``organization`` from the speaker (an organisation speaking alone is the
organization), ``concept`` the topic, ``agreement`` 1 for a position of positive value, 0 for
a negative one; a speaker's role, aliases and notes are its entity's ``Type``, ``Alias`` and
``Notes`` attributes. What an import from DNA kept in ``meta.dna`` (other statement types, extra
variables, document ids and coders) is written back, so DNA -> Quotebook -> DNA keeps it.
The file is built beside the target and renamed into place (``atomic_file``).
"""
from __future__ import annotations

import base64
import errno
import hashlib
import sqlite3
import unicodedata
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from annotator.export.files import atomic_file
from annotator.export.jsonl import article_records
from annotator.offsets import JavaOffsets
from annotator.selection import Selection
from annotator.tasks import Task, ensure

VERSION, VERSION_DATE = "3.0.7", "2022-06-10"
LIMIT = 190  # DNA's short texts are shorter than 191 characters
QUOTE_TYPE = ("DNA Statement", (239, 208, 51),
              [("person", "short text"), ("organization", "short text"),
               ("concept", "short text"), ("agreement", "boolean")])
ATTRIBUTES = ("Type", "Alias", "Notes")
PERMISSIONS = ("AddDocuments", "EditDocuments", "DeleteDocuments", "ImportDocuments",
               "AddStatements", "EditStatements", "DeleteStatements", "EditAttributes",
               "EditRegex", "EditStatementTypes", "EditCoders", "EditCoderRelations",
               "ViewOthersDocuments", "EditOthersDocuments", "ViewOthersStatements",
               "EditOthersStatements")


def _rgb() -> str:
    return ", ".join(f"{c} INTEGER NOT NULL DEFAULT 0 CHECK ({c} BETWEEN 0 AND 255)"
                     for c in ("Red", "Green", "Blue"))


def _short(column: str, default: bool = True) -> str:
    return (f"{column} TEXT NOT NULL {'DEFAULT ' + repr('') if default else ''} "
            f"CHECK (LENGTH({column}) < 191)")


def _data(table: str, value: str, more: str = "") -> str:
    return (f"CREATE TABLE {table}(ID INTEGER PRIMARY KEY NOT NULL, StatementId INTEGER NOT "
            f"NULL, VariableId INTEGER NOT NULL, {value}, FOREIGN KEY(StatementId) REFERENCES "
            "STATEMENTS(ID) ON DELETE CASCADE, FOREIGN KEY(VariableId) REFERENCES "
            f"VARIABLES(ID) ON DELETE CASCADE{more}, UNIQUE (StatementId, VariableId))")


SCHEMA = [
    "CREATE TABLE SETTINGS(Property TEXT PRIMARY KEY, Value TEXT NOT NULL)",
    "CREATE TABLE CODERS(ID INTEGER NOT NULL PRIMARY KEY, " + _short("Name", False) + ", "
    + _rgb() + ", Refresh INTEGER NOT NULL DEFAULT 0 CHECK (Refresh BETWEEN 0 AND 9999), "
    "FontSize INTEGER NOT NULL DEFAULT 14 CHECK (FontSize BETWEEN 1 AND 99), "
    + _short("Password", False) + ", PopupWidth INTEGER DEFAULT 300 CHECK (PopupWidth "
    "BETWEEN 100 AND 9999), ColorByCoder INTEGER NOT NULL DEFAULT 0 CHECK (ColorByCoder "
    "BETWEEN 0 AND 1), PopupDecoration INTEGER NOT NULL DEFAULT 0 CHECK (PopupDecoration "
    "BETWEEN 0 AND 1), PopupAutoComplete INTEGER NOT NULL DEFAULT 1 CHECK (PopupAutoComplete "
    "BETWEEN 0 AND 1), " + ", ".join(f"Permission{p} INTEGER NOT NULL DEFAULT 1 CHECK "
                                     f"(Permission{p} BETWEEN 0 AND 1)" for p in PERMISSIONS)
    + ")",
    "CREATE TABLE DOCUMENTS(ID INTEGER NOT NULL PRIMARY KEY, " + _short("Title", False)
    + ", Text TEXT NOT NULL, Coder INTEGER, " + _short("Author") + ", " + _short("Source")
    + ", " + _short("Section") + ", Notes TEXT NOT NULL DEFAULT '', " + _short("Type")
    + ", Date INTEGER NOT NULL, FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE)",
    "CREATE TABLE STATEMENTTYPES(ID INTEGER NOT NULL PRIMARY KEY, " + _short("Label", False)
    + ", " + _rgb() + ")",
    "CREATE TABLE VARIABLES(ID INTEGER NOT NULL PRIMARY KEY, " + _short("Variable", False)
    + ", DataType TEXT NOT NULL DEFAULT 'short text' CHECK (DataType IN ('boolean', "
    "'integer', 'long text', 'short text')), StatementTypeId INTEGER, FOREIGN "
    "KEY(StatementTypeId) REFERENCES STATEMENTTYPES(ID) ON DELETE CASCADE, "
    "UNIQUE (Variable, StatementTypeId))",
    "CREATE TABLE VARIABLELINKS(ID INTEGER NOT NULL PRIMARY KEY, SourceVariableId INTEGER, "
    "TargetVariableId INTEGER, CHECK (TargetVariableId != SourceVariableId), FOREIGN "
    "KEY(SourceVariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, FOREIGN "
    "KEY(TargetVariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE)",
    "CREATE TABLE REGEXES(Label TEXT PRIMARY KEY CHECK (LENGTH(Label) < 191), " + _rgb()
    + ")",
    "CREATE TABLE CODERRELATIONS(ID INTEGER NOT NULL PRIMARY KEY, Coder INTEGER CHECK "
    "(Coder > 0), OtherCoder INTEGER CHECK (OtherCoder > 0), " + ", ".join(
        f"{p} INTEGER NOT NULL DEFAULT 1 CHECK ({p} BETWEEN 0 AND 1)" for p in (
            "viewStatements", "editStatements", "viewDocuments", "editDocuments"))
    + ", CHECK (Coder != OtherCoder), FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE "
    "CASCADE, FOREIGN KEY(OtherCoder) REFERENCES CODERS(ID) ON DELETE CASCADE)",
    "CREATE TABLE STATEMENTS(ID INTEGER NOT NULL PRIMARY KEY, StatementTypeId INTEGER, "
    "DocumentId INTEGER, Start INTEGER NOT NULL CHECK (Start >= 0), Stop INTEGER NOT NULL "
    "CHECK (Stop >= 0), Coder INTEGER, CHECK (Start < Stop), FOREIGN KEY(StatementTypeId) "
    "REFERENCES STATEMENTTYPES(ID) ON DELETE CASCADE, FOREIGN KEY(Coder) REFERENCES "
    "CODERS(ID) ON DELETE CASCADE, FOREIGN KEY(DocumentId) REFERENCES DOCUMENTS(ID) "
    "ON DELETE CASCADE)",
    _data("DATABOOLEAN", "Value INTEGER NOT NULL DEFAULT 1"),
    _data("DATAINTEGER", "Value INTEGER NOT NULL DEFAULT 0"),
    "CREATE TABLE ENTITIES(ID INTEGER PRIMARY KEY NOT NULL, VariableId INTEGER NOT NULL, "
    + _short("Value") + ", Red INTEGER CHECK (Red BETWEEN 0 AND 255), Green INTEGER CHECK "
    "(Green BETWEEN 0 AND 255), Blue INTEGER CHECK (Blue BETWEEN 0 AND 255), ChildOf INTEGER "
    "CHECK (ChildOf > 0), UNIQUE (VariableId, Value), FOREIGN KEY(ChildOf) REFERENCES "
    "ENTITIES(ID) ON DELETE CASCADE, FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) "
    "ON DELETE CASCADE)",
    _data("DATASHORTTEXT", "Entity INTEGER NOT NULL",
          ", FOREIGN KEY(Entity) REFERENCES ENTITIES(ID) ON DELETE CASCADE"),
    _data("DATALONGTEXT", "Value TEXT DEFAULT ''"),
    "CREATE TABLE ATTRIBUTEVARIABLES(ID INTEGER PRIMARY KEY NOT NULL, VariableId INTEGER NOT "
    "NULL, " + _short("AttributeVariable", False) + ", UNIQUE (VariableId, AttributeVariable), "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE)",
    "CREATE TABLE ATTRIBUTEVALUES(ID INTEGER PRIMARY KEY NOT NULL, EntityId INTEGER NOT NULL, "
    "AttributeVariableId INTEGER NOT NULL, " + _short("AttributeValue") + ", UNIQUE "
    "(EntityId, AttributeVariableId), FOREIGN KEY(EntityId) REFERENCES ENTITIES(ID) ON DELETE "
    "CASCADE, FOREIGN KEY(AttributeVariableId) REFERENCES ATTRIBUTEVARIABLES(ID) ON DELETE "
    "CASCADE)",
]


def password_digest(password: str, salt: bytes) -> str:
    """A password as DNA keeps it: jasypt's ``StrongPasswordEncryptor`` (SHA-256 of salt and
    UTF-8 password, digested 100,000 times in all; base64 of salt + digest)."""
    digest = hashlib.sha256(salt + unicodedata.normalize("NFC", password).encode()).digest()
    for _ in range(100_000 - 1):
        digest = hashlib.sha256(digest).digest()
    return base64.b64encode(salt + digest).decode("ascii")


def unix_seconds(published: str | None) -> int:
    """An article's published text as DNA's Unix seconds (midnight UTC for a day; 0 if none)."""
    if not published:
        return 0
    text = published.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.fromisoformat(text[:10])
        except ValueError:
            return 0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())




class _Writer:
    """The rows of one DNA database being written: ids handed out as rows are added."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con
        self.coders: dict[str, int] = {}
        self.types: dict[str, int] = {}
        self.variables: dict[tuple[int, str], tuple[int, str]] = {}  # (type, name) -> id, dtype
        self.entities: dict[tuple[int, str], int] = {}
        self.attribute_vars: dict[tuple[int, str], int] = {}
        self.cut: set[str] = set()  # texts longer than DNA allows, cut to LIMIT characters

    def cut_text(self, text: str | None) -> str:
        """``text`` as a DNA short text: at most LIMIT characters (a longer one is noted)."""
        text = text or ""
        if len(text) > LIMIT:
            self.cut.add(text)
        return text[:LIMIT]

    def coder(self, name: str) -> int:
        if name not in self.coders:
            salt = hashlib.sha256(name.encode()).digest()[:16]  # the same file each time
            self.coders[name] = self.con.execute(
                "INSERT INTO CODERS(Name, Password) VALUES (?, ?)",
                [self.cut_text(name), password_digest("", salt)]).lastrowid
        return self.coders[name]

    def statement_type(self, label: str, colour, variables) -> int:
        if label not in self.types:
            tid = self.con.execute("INSERT INTO STATEMENTTYPES(Label, Red, Green, Blue) VALUES "
                                   "(?, ?, ?, ?)", [self.cut_text(label), *colour]).lastrowid
            self.types[label] = tid
        tid = self.types[label]
        for name, dtype in variables:
            if (tid, name) not in self.variables:
                vid = self.con.execute("INSERT INTO VARIABLES(Variable, DataType, "
                                       "StatementTypeId) VALUES (?, ?, ?)",
                                       [name, dtype, tid]).lastrowid
                self.variables[(tid, name)] = (vid, dtype)
                if dtype == "short text":
                    for attribute in ATTRIBUTES:
                        self.attribute_vars[(vid, attribute)] = self.con.execute(
                            "INSERT INTO ATTRIBUTEVARIABLES(VariableId, AttributeVariable) "
                            "VALUES (?, ?)", [vid, attribute]).lastrowid
        return tid

    def entity(self, vid: int, value: str, attributes: dict | None = None) -> int:
        value = self.cut_text(value)
        if (vid, value) not in self.entities:
            eid = self.con.execute("INSERT INTO ENTITIES(VariableId, Value) VALUES (?, ?)",
                                   [vid, value]).lastrowid
            self.entities[(vid, value)] = eid
            for attribute, text in (attributes or {}).items():
                if text and (vid, attribute) in self.attribute_vars:
                    self.con.execute("INSERT INTO ATTRIBUTEVALUES(EntityId, "
                                     "AttributeVariableId, AttributeValue) VALUES (?, ?, ?)",
                                     [eid, self.attribute_vars[(vid, attribute)],
                                      self.cut_text(text)])
        return self.entities[(vid, value)]

    def statement(self, tid: int, doc: int, start: int, stop: int, coder: str, values) -> None:
        sid = self.con.execute("INSERT INTO STATEMENTS(StatementTypeId, DocumentId, Start, "
                               "Stop, Coder) VALUES (?, ?, ?, ?, ?)",
                               [tid, doc, start, stop, self.coder(coder)]).lastrowid
        for name, value, attributes in values:
            vid, dtype = self.variables[(tid, name)]
            if dtype == "short text":
                self.con.execute("INSERT INTO DATASHORTTEXT(StatementId, VariableId, Entity) "
                                 "VALUES (?, ?, ?)",
                                 [sid, vid, self.entity(vid, value or "", attributes)])
            else:
                table = {"long text": "DATALONGTEXT", "integer": "DATAINTEGER",
                         "boolean": "DATABOOLEAN"}[dtype]
                self.con.execute(f"INSERT INTO {table}(StatementId, VariableId, Value) "
                                 "VALUES (?, ?, ?)", [sid, vid, value])


def _speaker_attributes(db: Database) -> dict[str, dict]:
    """Each speaker's Type (role), Alias (aliases joined by "; ") and Notes, by name."""
    aliases: dict[int, list] = {}
    for sid, alias in db.execute("SELECT speaker_id, alias FROM speaker_aliases "
                                 "ORDER BY speaker_id, alias"):
        aliases.setdefault(sid, []).append(alias)
    return {name: {"Type": role, "Alias": "; ".join(aliases.get(sid, [])), "Notes": notes}
            for sid, name, role, notes in db.execute(
                "SELECT id, name, role, notes FROM speakers ORDER BY merged_into IS NULL, id")}


def export_dna(db: Database, out: str | Path, *, filters: Selection | None = None,
               task: Task | None = None) -> tuple[int, int, int]:
    """Write the chosen articles and quotes to ``out`` as a DNA 3 database.

    Returns (statements written, quotes without an agree or disagree position, written with
    DNA's default agreement 1, texts cut to DNA's 190 characters).
    """
    task = ensure(task)
    filters = (filters or Selection()).with_default_statuses()
    if not filters.layers:  # the machine's suggestions only when asked for
        filters = replace(filters, layers=tuple(r[0] for r in db.execute(
            "SELECT name FROM layers WHERE kind != 'suggestions' ORDER BY id")))
    rf = filters.resolve(db)
    total = rf.article_count()
    attributes = _speaker_attributes(db)
    count = undecided = cut = 0
    with atomic_file(out) as tmp:
        Path(tmp).unlink()  # SQLite creates the file itself
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA foreign_keys = ON")
            with con:
                for statement in SCHEMA:
                    con.execute(statement)
                con.executemany("INSERT INTO SETTINGS(Property, Value) VALUES (?, ?)",
                                [("version", VERSION), ("date", VERSION_DATE)])
                w = _Writer(con)
                for name in rf.spec.layers:
                    w.coder(name)
                quote_type = w.statement_type(*QUOTE_TYPE)
                used_ids: set[int] = set()
                for done, rec in enumerate(article_records(db, filters=rf, extended=True), 1):
                    count, undecided = _document(w, rec, quote_type, used_ids, attributes,
                                                 rf.spec.layers, count, undecided)
                    if done % 200 == 0:
                        task.progress(done, total, Path(out).name)
                    task.check()
                if not w.coders:
                    w.coder("Admin")
                cut = len(w.cut)
        except sqlite3.Error as exc:  # atomic_file reports it and removes the file
            full = getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
            raise OSError(errno.ENOSPC if full else errno.EIO,
                          "No space left on device" if full else f"SQLite: {exc}") from exc
        finally:
            con.close()
    task.progress(total, total, Path(out).name)
    return count, undecided, cut


def _document(w: _Writer, rec: dict, quote_type: int, used_ids: set, attributes: dict,
              layers: tuple, count: int, undecided: int) -> tuple[int, int]:
    meta, text = rec["meta"], rec["text"]
    dna = meta.get("dna") if isinstance(meta.get("dna"), dict) else {}
    quotes = rec["quotes"]
    owner = dna.get("coder") or (quotes[0]["layer"] if quotes else None) or "Admin"
    doc_id = dna.get("id") if isinstance(dna.get("id"), int) and dna["id"] not in used_ids \
        else None
    doc_id = w.con.execute(
        "INSERT INTO DOCUMENTS(ID, Title, Text, Coder, Author, Source, Section, Notes, Type, "
        "Date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [doc_id, w.cut_text(meta.get("title")), text, w.coder(owner),
         w.cut_text(meta.get("author")), w.cut_text(meta.get("outlet")),
         w.cut_text(meta.get("section")), str(meta.get("notes") or ""),
         w.cut_text(meta.get("type")), unix_seconds(meta.get("published"))]).lastrowid
    used_ids.add(doc_id)
    java = JavaOffsets(text)
    extra = dna.get("values") if isinstance(dna.get("values"), dict) else {}
    for q in quotes:
        frags = q["fragments"]
        if not frags:
            continue
        speaker = q.get("speaker") or {}
        name = speaker.get("name") if speaker.get("id") is not None else None
        org_alone = speaker.get("kind") == "organisation" and not speaker.get("organisation")
        person = "" if org_alone else (name or "")
        organization = (name or "") if org_alone else (speaker.get("organisation") or "")
        value = q.get("position_value")
        if not (q.get("topic") and value):
            undecided += 1
        values = [("person", person, attributes.get(person)),
                  ("organization", organization, attributes.get(organization)
                   if org_alone else None),
                  ("concept", q.get("topic") or "", None),
                  ("agreement", 0 if value is not None and value < 0 else 1, None)]
        more = extra.get(q["id"]) or []
        if more:
            w.statement_type(QUOTE_TYPE[0], QUOTE_TYPE[1], [(n, t) for n, t, _ in more])
        w.statement(quote_type, doc_id, java.to_java(frags[0][0]), java.to_java(frags[-1][1]),
                    q["layer"], values + [(n, v, None) for n, _, v in more])
        count += 1
    for st in dna.get("statements") or []:
        if st.get("coder") not in layers:  # kept with a layer that was not chosen
            continue
        tid = w.statement_type(st["type"], st.get("colour") or (0, 0, 0),
                               [(n, t) for n, t, _ in st["values"]])
        w.statement(tid, doc_id, java.to_java(st["start"]), java.to_java(st["end"]),
                    st["coder"], [(n, v, None) for n, _, v in st["values"]])
        count += 1
    return count, undecided
