"""Read a DNA 3 database (Discourse Network Analyzer, ``.dna``) as native records.

The file is opened read-only through SQLite and never changed. Each document becomes a record
(title, text, date, author, ``Source`` as outlet; section, type, notes and DNA's own ids in
``meta``); each statement of a type with ``person``, ``organization``, ``concept`` and
``agreement`` becomes a quote in its coder's layer (speaker = the person with the organisation,
or the organisation alone; topic = concept; position by value, +1 agrees and -1 disagrees, so
an existing codebook topic keeps its own labels). Statements of other types, and variables a
quote has no place for, are kept in the article's ``meta.dna`` and counted in a warning. DNA
counts offsets in UTF-16 code units: they are converted here, at the boundary.
"""
from __future__ import annotations

import hashlib
import sqlite3
import uuid
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

from annotator.corpus.sources import Notes, Record, SkipFile, readable, unexpected
from annotator.offsets import JavaOffsets

QUOTE_VARIABLES = ("person", "organization", "concept", "agreement")
AGREE, DISAGREE = "Agree", "Disagree"
SUPPORTED_MAJOR = 3
NEEDED_TABLES = ("SETTINGS", "CODERS", "DOCUMENTS", "STATEMENTTYPES", "VARIABLES",
                 "STATEMENTS", "ENTITIES", "DATASHORTTEXT", "DATALONGTEXT", "DATAINTEGER",
                 "DATABOOLEAN")
NAMESPACE = uuid.UUID("6f1f6a52-2f55-4c39-9d7e-3b0c1e0d5a11")  # uuids of imported statements


def open_readonly(path: Path) -> sqlite3.Connection:
    """The DNA file opened read-only through SQLite (it is never written)."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    return sqlite3.connect(uri, uri=True)


def check_database(con: sqlite3.Connection, path: Path, notes: Notes) -> str:
    """The DNA version of an open file; raises ``SkipFile`` when it is not a DNA 3 database."""
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        raise SkipFile(_not_sqlite(path)) from None
    missing = [t for t in NEEDED_TABLES if t not in tables]
    if missing:
        raise SkipFile(f"an SQLite file but not a DNA 3 database (no table {missing[0]})")
    row = con.execute("SELECT Value FROM SETTINGS WHERE Property = 'version'").fetchone()
    version = str(row[0]) if row and row[0] is not None else ""
    try:
        major = int(version.split(".")[0])
    except ValueError:
        raise SkipFile(f"table SETTINGS: version {version!r} is not a DNA version") from None
    if major > SUPPORTED_MAJOR:
        raise SkipFile(f"table SETTINGS: written by DNA {version}; Quotebook reads DNA 3 "
                       "databases (3.0.x) and leaves newer ones untouched")
    if major < SUPPORTED_MAJOR:
        raise SkipFile(f"table SETTINGS: DNA version {version}; only DNA 3 databases are read")
    if not version.startswith("3.0"):
        notes.warn(readable(path), f"DNA {version} is newer than 3.0; read as DNA 3.0")
    return version


def _not_sqlite(path: Path) -> str:
    try:
        with open(path, "rb") as fh:  # the SQLite connection is closed by now
            head = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        head = b""
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return ("a DNA 2 file (XML), not a DNA 3 database; convert it to a DNA 3 database "
                "with DNA 3 first")
    return "not a DNA 3 database (not an SQLite file)"


def date_text(seconds) -> str | None:
    """DNA's Unix seconds as ISO text: the day alone at midnight UTC, else date and time."""
    if seconds is None:
        return None
    moment = datetime.fromtimestamp(int(seconds), tz=timezone.utc)
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def quote_kind(text: str) -> str:
    """A statement's quote kind from its text: within quote marks direct, with some mixed."""
    marks = "\"“”„«»"
    body = text.strip()
    if len(body) > 1 and body[0] in marks and body[-1] in marks:
        return "direct"
    return "mixed" if any(m in body for m in marks) else "indirect"


class DnaFile:
    """The contents of one DNA database, read once: coders, types, values, entities."""

    def __init__(self, con: sqlite3.Connection, path: Path, notes: Notes):
        self.con, self.path, self.notes = con, path, notes
        self.where = readable(path)
        self.coders = {cid: name for cid, name in con.execute("SELECT ID, Name FROM CODERS")}
        self.types = {tid: (label, (r, g, b)) for tid, label, r, g, b in con.execute(
            "SELECT ID, Label, Red, Green, Blue FROM STATEMENTTYPES")}
        self.variables = {}  # id -> (type id, name, data type)
        for vid, name, dtype, tid in con.execute(
                "SELECT ID, Variable, DataType, StatementTypeId FROM VARIABLES ORDER BY ID"):
            self.variables[vid] = (tid, name, dtype)
        names = defaultdict(set)
        for tid, name, dtype in self.variables.values():
            names[tid].add(name)
        self.quote_types = {tid for tid in self.types if set(QUOTE_VARIABLES) <= names[tid]}
        self.entities = {eid: value for eid, value in con.execute("SELECT ID, Value FROM ENTITIES")}
        self.values: dict[int, dict] = defaultdict(dict)  # statement id -> {variable: value}
        for table in ("DATASHORTTEXT", "DATALONGTEXT", "DATAINTEGER", "DATABOOLEAN"):
            column = "Entity" if table == "DATASHORTTEXT" else "Value"
            for sid, vid, value in con.execute(
                    f"SELECT StatementId, VariableId, {column} FROM {table}"):
                if vid not in self.variables:
                    continue
                if table == "DATASHORTTEXT":
                    value = self.entities.get(value, "")
                self.values[sid][vid] = value

    def named(self, statement_id: int) -> dict:
        """A statement's values by variable name."""
        return {self.variables[vid][1]: value
                for vid, value in self.values.get(statement_id, {}).items()}

    def tables(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT name FROM sqlite_master")}

    def attributes(self) -> dict[tuple[str, str], dict]:
        """(variable name, entity value) -> {attribute: value} of the quote types' entities.

        Attributes of other statement types' entities are counted in a warning."""
        out: dict = defaultdict(dict)
        if not {"ATTRIBUTEVARIABLES", "ATTRIBUTEVALUES"} <= self.tables():
            return out
        other = 0
        for var_id, value, attribute, text in self.con.execute(
                "SELECT e.VariableId, e.Value, av.AttributeVariable, v.AttributeValue "
                "FROM ATTRIBUTEVALUES v JOIN ATTRIBUTEVARIABLES av ON av.ID = "
                "v.AttributeVariableId JOIN ENTITIES e ON e.ID = v.EntityId"):
            variable = self.variables.get(var_id)
            if text in (None, "") or variable is None:
                continue
            if variable[0] in self.quote_types and variable[1] in ("person", "organization"):
                out[(variable[1], value)][attribute] = text
            else:
                other += 1
        if other:
            self.notes.warn(self.where, f"table ATTRIBUTEVALUES: {other} attribute value(s) "
                            "of entities that are not speakers (concepts, other statement "
                            "types) are not kept")
        return out

    def report_unused(self) -> None:
        """Warn about what DNA keeps and a project has no place for (never dropped silently)."""
        tables = self.tables()
        parts = []
        for table, what in (("REGEXES", "highlighting rule(s)"),
                            ("CODERRELATIONS", "coder permission(s)"),
                            ("VARIABLELINKS", "variable link(s)")):
            if table in tables:
                n = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                if n:
                    parts.append(f"{n} {what} ({table})")
        n = self.con.execute("SELECT count(*) FROM ENTITIES WHERE ChildOf IS NOT NULL"
                             ).fetchone()[0] if "ChildOf" in {
            r[1] for r in self.con.execute("PRAGMA table_info(ENTITIES)")} else 0
        if n:
            parts.append(f"{n} entity parent link(s) (ENTITIES.ChildOf)")
        if parts:
            self.notes.warn(self.where, f"not kept (Quotebook has no place for them): "
                            f"{', '.join(parts)}")

    def registry(self, statements) -> dict:
        """The speakers (people and organisations speaking alone) with their entities'
        attributes (``Type`` the role, ``Alias`` the aliases, ``Notes`` the notes) and the
        coders' layers."""
        attributes = self.attributes()
        orgs: dict[str, Counter] = defaultdict(Counter)
        alone: set[str] = set()
        for sid, type_id, *_ in statements:
            if type_id not in self.quote_types:
                continue
            values = self.named(sid)
            person, org = values.get("person") or "", values.get("organization") or ""
            if person:
                orgs[person][org] += 1
            elif org:
                alone.add(org)
        speakers = []
        for kind, variable, names in (("person", "person", sorted(orgs)),
                                      ("organisation", "organization", sorted(alone))):
            for name in names:
                attrs = attributes.get((variable, name), {})
                org = orgs[name].most_common(1)[0][0] if kind == "person" else ""
                aliases = [a.strip() for a in (attrs.get("Alias") or "").split(";") if a.strip()]
                speakers.append({"id": None, "name": name, "role": attrs.get("Type") or None,
                                 "organisation": org or None, "kind": kind,
                                 "aliases": aliases, "merged_into": None,
                                 "notes": attrs.get("Notes") or None})
        layers = [{"name": name, "kind": "analyst"} for _, name in sorted(self.coders.items())]
        return {"topics": [], "speakers": speakers, "layers": layers}


def _statement(dna: DnaFile, row, text: str, offsets: JavaOffsets, digest_key: str,
               seen: Counter) -> tuple[str, dict] | None:
    """One statement as ("quote", quote) or ("other", kept statement); None when it is bad."""
    sid, type_id, _, start, stop, coder_id = row
    whole = all(isinstance(v, int) and v >= 0 for v in (start, stop))
    begin = offsets.to_python(start) if whole else None
    end = offsets.to_python(stop) if whole else None
    if begin is None or end is None or not 0 <= begin < end:
        dna.notes.skip(dna.where, f"table STATEMENTS, row ID {sid}: Start..Stop {start}..{stop} "
                                  f"is outside its document ({offsets.to_java(len(text))} UTF-16 "
                                  "units) or splits a character; not imported")
        return None
    coder = dna.coders.get(coder_id) or f"coder {coder_id}"
    values = dna.named(sid)
    if type_id not in dna.quote_types:
        label, colour = dna.types.get(type_id, (f"type {type_id}", (0, 0, 0)))
        return "other", {
            "type": label, "colour": list(colour), "coder": coder, "start": begin, "end": end,
            "values": [[dna.variables[vid][1], dna.variables[vid][2], value]
                       for vid, value in sorted(dna.values.get(sid, {}).items())]}
    person, org = values.get("person") or "", values.get("organization") or ""
    concept, agreement = values.get("concept") or "", values.get("agreement")
    key = (coder, begin, end)
    seen[key] += 1
    quote = {
        "id": str(uuid.uuid5(NAMESPACE, f"{digest_key}:{coder}:{begin}:{end}:{seen[key]}")),
        "layer": coder, "fragments": [[begin, end]], "kind": quote_kind(text[begin:end]),
        "status": "accepted", "topic": concept or None,
        "speaker": ({"name": person, "organisation": org or None, "kind": "person"} if person
                    else {"name": org, "kind": "organisation"} if org else None),
    }
    if concept and agreement is not None:
        quote["position"] = AGREE if agreement else DISAGREE
        quote["position_value"] = 1 if agreement else -1
    extra = [[dna.variables[vid][1], dna.variables[vid][2], value]
             for vid, value in sorted(dna.values.get(sid, {}).items())
             if dna.variables[vid][1] not in QUOTE_VARIABLES]
    return "quote", {**quote, "_extra": extra} if extra else quote


def _document(dna: DnaFile, rows, doc: tuple, others: Counter) -> Record:
    """The record of one document with its statements (bad statements noted and left out)."""
    doc_id, title, text, coder, author, source, section, doc_notes, doc_type, date = doc
    offsets, seen = JavaOffsets(text), Counter()
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()
    quotes, kept, values = [], [], {}
    for row in rows:
        result = _statement(dna, row, text, offsets, digest, seen)
        if result is None:
            continue
        if result[0] == "other":
            kept.append(result[1])
            others[result[1]["type"]] += 1
            continue
        quote = result[1]
        if "_extra" in quote:
            values[quote["id"]] = quote.pop("_extra")
        quotes.append(quote)
    meta = {key: value for key, value in (("section", section), ("type", doc_type),
                                          ("notes", doc_notes)) if value}
    meta["dna"] = {"id": doc_id, "coder": dna.coders.get(coder)}
    if kept:
        meta["dna"]["statements"] = kept
    if values:
        meta["dna"]["values"] = values
    rec = Record(text=text, filename=readable(dna.path.name), source_path=dna.where,
                 title=title or None, outlet=source or None, author=author or None,
                 published=date_text(date), meta=meta)
    rec.annotations = {"entities": [], "quotes": quotes}
    return rec


def read_dna(path: Path, notes: Notes, progress_bytes=None):
    """Records of a DNA 3 database, one per document; raises ``SkipFile`` for another file."""
    try:
        con = open_readonly(path)
    except sqlite3.Error as exc:
        raise SkipFile(f"cannot be opened ({exc})") from None
    try:
        check_database(con, path, notes)
        dna = DnaFile(con, path, notes)
        statements = con.execute("SELECT ID, StatementTypeId, DocumentId, Start, Stop, Coder "
                                 "FROM STATEMENTS ORDER BY DocumentId, Start, ID").fetchall()
        registry = dna.registry(statements)
        dna.report_unused()
        by_doc = defaultdict(list)
        for row in statements:
            by_doc[row[2]].append(row)
        known = {r[0] for r in con.execute("SELECT ID FROM DOCUMENTS")}
        for doc in sorted(set(by_doc) - known):
            notes.skip(dna.where, f"table STATEMENTS: {len(by_doc[doc])} statement(s) point to "
                                  f"document {doc}, which is not in table DOCUMENTS; not imported")
        others: Counter = Counter()
        extras = 0
        for (doc_id, title, text, coder, author, source, section, doc_notes, doc_type,
             date) in con.execute("SELECT ID, Title, Text, Coder, Author, Source, Section, "
                                  "Notes, Type, Date FROM DOCUMENTS ORDER BY ID"):
            where = f"{dna.where}: table DOCUMENTS, row ID {doc_id}"
            if not isinstance(text, str) or not text.strip():
                notes.skip(where, "the document has no text; skipped with its statements")
                continue
            try:
                rec = _document(dna, by_doc.get(doc_id, []), (
                    doc_id, title, text, coder, author, source, section, doc_notes, doc_type,
                    date), others)
            except Exception as exc:  # one bad document costs itself only
                notes.skip(where, unexpected(exc))
                continue
            extras += len(rec.meta["dna"].get("values", {}))
            rec.registry = registry
            yield rec
        if others:
            kinds = ", ".join(f"{n} of type {label!r}" for label, n in sorted(others.items()))
            notes.warn(dna.where, f"{sum(others.values())} statement(s) of other types "
                       f"({kinds}) are kept with their variables in the articles' metadata "
                       "(meta.dna.statements), not as quotes")
        if extras:
            notes.warn(dna.where, f"{extras} statement(s) have variables beyond person, "
                       "organization, concept and agreement; kept in meta.dna.values")
    except sqlite3.DatabaseError as exc:
        raise SkipFile(f"cannot be read as a DNA 3 database ({exc})") from None
    finally:
        con.close()
        if progress_bytes:
            progress_bytes(path.stat().st_size)


def read_dna_file(path: Path, notes: Notes, *, text_column=None, progress_bytes=None):
    """``read_dna`` as the importer calls a reader: a file that cannot be read is noted."""
    try:
        yield from read_dna(path, notes, progress_bytes)
    except SkipFile as exc:
        notes.skip(readable(path), f"{exc}; skipped")
    except OSError as exc:
        notes.skip(readable(path), f"cannot be read ({exc.strerror or exc}); skipped")
    except Exception as exc:  # anything unforeseen costs the rest of this file only
        notes.skip(readable(path), unexpected(exc))
