"""A small DNA 3 database built from ../shared/formats/dna3-schema.md, for import tests.

Written here with its own table definitions (not the exporter's), so the import and export
are each checked against the documented layout: two documents (one with emoji, so UTF-16
offsets differ from Python's), three coders, the "DNA Statement" type and a second type
"Annotation" with a long text and an integer variable, entity attributes.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

TABLES = """
CREATE TABLE SETTINGS(Property TEXT PRIMARY KEY, Value TEXT NOT NULL);
CREATE TABLE CODERS(ID INTEGER PRIMARY KEY, Name TEXT NOT NULL, Red INTEGER, Green INTEGER,
  Blue INTEGER, Refresh INTEGER, FontSize INTEGER, Password TEXT NOT NULL, PopupWidth INTEGER,
  ColorByCoder INTEGER, PopupDecoration INTEGER, PopupAutoComplete INTEGER);
CREATE TABLE CODERRELATIONS(ID INTEGER PRIMARY KEY, Coder INTEGER, OtherCoder INTEGER,
  viewStatements INTEGER, editStatements INTEGER, viewDocuments INTEGER, editDocuments INTEGER);
CREATE TABLE DOCUMENTS(ID INTEGER PRIMARY KEY, Title TEXT NOT NULL, Text TEXT NOT NULL,
  Coder INTEGER, Author TEXT, Source TEXT, Section TEXT, Notes TEXT, Type TEXT DEFAULT '',
  Date INTEGER NOT NULL);
CREATE TABLE STATEMENTTYPES(ID INTEGER PRIMARY KEY, Label TEXT, Red INTEGER, Green INTEGER,
  Blue INTEGER);
CREATE TABLE VARIABLES(ID INTEGER PRIMARY KEY, Variable TEXT, DataType TEXT,
  StatementTypeId INTEGER, UNIQUE (Variable, StatementTypeId));
CREATE TABLE VARIABLELINKS(ID INTEGER PRIMARY KEY, SourceVariableId INTEGER,
  TargetVariableId INTEGER);
CREATE TABLE REGEXES(Label TEXT PRIMARY KEY, Red INTEGER, Green INTEGER, Blue INTEGER);
CREATE TABLE STATEMENTS(ID INTEGER PRIMARY KEY, StatementTypeId INTEGER, DocumentId INTEGER,
  Start INTEGER, Stop INTEGER, Coder INTEGER);
CREATE TABLE ENTITIES(ID INTEGER PRIMARY KEY, VariableId INTEGER, Value TEXT, Red INTEGER,
  Green INTEGER, Blue INTEGER, ChildOf INTEGER, UNIQUE (VariableId, Value));
CREATE TABLE DATASHORTTEXT(ID INTEGER PRIMARY KEY, StatementId INTEGER, VariableId INTEGER,
  Entity INTEGER);
CREATE TABLE DATALONGTEXT(ID INTEGER PRIMARY KEY, StatementId INTEGER, VariableId INTEGER,
  Value TEXT);
CREATE TABLE DATAINTEGER(ID INTEGER PRIMARY KEY, StatementId INTEGER, VariableId INTEGER,
  Value INTEGER);
CREATE TABLE DATABOOLEAN(ID INTEGER PRIMARY KEY, StatementId INTEGER, VariableId INTEGER,
  Value INTEGER);
CREATE TABLE ATTRIBUTEVARIABLES(ID INTEGER PRIMARY KEY, VariableId INTEGER,
  AttributeVariable TEXT);
CREATE TABLE ATTRIBUTEVALUES(ID INTEGER PRIMARY KEY, EntityId INTEGER,
  AttributeVariableId INTEGER, AttributeValue TEXT);
"""

TEXT_1 = ("😀 Minister Anna Berg said the carbon tax must rise. 🚀🚀 Greenpeace rejected "
          "the plan outright.\nOthers said nothing.")
TEXT_2 = "Anna Berg told reporters: \"Sanctions will stay.\" The opposition disagreed."
SPANS = {  # statement id -> (document, text, first words of the span, coder, values)
    1: (1, TEXT_1, "Minister Anna Berg said the carbon tax must rise.", 2,
        {"person": "Anna Berg", "organization": "Finance Ministry", "concept": "Carbon tax",
         "agreement": 1}),
    2: (1, TEXT_1, "Greenpeace rejected the plan outright.", 3,
        {"person": "", "organization": "Greenpeace", "concept": "Carbon tax", "agreement": 0}),
    3: (1, TEXT_1, "Others said nothing.", 2, {"note": "check this 😀", "weight": 3}),
    4: (2, TEXT_2, "\"Sanctions will stay.\"", 3,
        {"person": "Anna Berg", "organization": "Finance Ministry",
         "concept": "Sanctions and trade measures", "agreement": 1}),
}


def java(text: str, index: int) -> int:
    """A Python offset as Java counts it (UTF-16 code units)."""
    return len(text[:index].encode("utf-16-le")) // 2


def java_span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return java(text, start), java(text, start + len(words))


def build_dna(path: Path, *, version: str = "3.0.7") -> Path:
    """Write the sample DNA 3 database to ``path``."""
    con = sqlite3.connect(path)
    con.executescript(TABLES)
    con.executemany("INSERT INTO SETTINGS VALUES (?, ?)", [("version", version),
                                                          ("date", "2022-06-10")])
    for cid, name in ((1, "Admin"), (2, "alice"), (3, "bob")):
        con.execute("INSERT INTO CODERS(ID, Name, Password) VALUES (?, ?, 'x')", [cid, name])
    con.execute("INSERT INTO DOCUMENTS VALUES (1, 'Tax row 😀', ?, 1, 'Jo Writer', 'Daily Post', "
                "'Politics', 'second print', 'news', 1600000000)", [TEXT_1])
    con.execute("INSERT INTO DOCUMENTS VALUES (2, 'Sanctions', ?, 2, '', 'Evening Star', '', "
                "'', '', 1577836800)", [TEXT_2])
    con.execute("INSERT INTO STATEMENTTYPES VALUES (1, 'DNA Statement', 239, 208, 51)")
    con.execute("INSERT INTO STATEMENTTYPES VALUES (3, 'Annotation', 211, 211, 211)")
    variables = {"person": (1, "short text", 1), "organization": (2, "short text", 1),
                 "concept": (3, "short text", 1), "agreement": (4, "boolean", 1),
                 "note": (5, "long text", 3), "weight": (6, "integer", 3)}
    for name, (vid, dtype, tid) in variables.items():
        con.execute("INSERT INTO VARIABLES VALUES (?, ?, ?, ?)", [vid, name, dtype, tid])
    for vid in (1, 2, 3):
        for k, attribute in enumerate(("Type", "Alias", "Notes")):
            con.execute("INSERT INTO ATTRIBUTEVARIABLES VALUES (?, ?, ?)",
                        [vid * 10 + k, vid, attribute])
    entities: dict = {}

    def entity(vid: int, value: str) -> int:
        if (vid, value) not in entities:
            entities[(vid, value)] = con.execute(
                "INSERT INTO ENTITIES(VariableId, Value) VALUES (?, ?)", [vid, value]).lastrowid
        return entities[(vid, value)]

    for sid, (doc, text, words, coder, values) in SPANS.items():
        tid = 1 if "person" in values else 3
        start, stop = java_span(text, words)
        con.execute("INSERT INTO STATEMENTS VALUES (?, ?, ?, ?, ?, ?)",
                    [sid, tid, doc, start, stop, coder])
        for name, value in values.items():
            vid, dtype, _ = variables[name]
            if dtype == "short text":
                con.execute("INSERT INTO DATASHORTTEXT(StatementId, VariableId, Entity) "
                            "VALUES (?, ?, ?)", [sid, vid, entity(vid, value)])
            else:
                table = {"long text": "DATALONGTEXT", "integer": "DATAINTEGER",
                         "boolean": "DATABOOLEAN"}[dtype]
                con.execute(f"INSERT INTO {table}(StatementId, VariableId, Value) "
                            "VALUES (?, ?, ?)", [sid, vid, value])
    berg = entity(1, "Anna Berg")
    for attribute_id, value in ((10, "Minister"), (11, "A. Berg"), (12, "since 2019")):
        con.execute("INSERT INTO ATTRIBUTEVALUES(EntityId, AttributeVariableId, "
                    "AttributeValue) VALUES (?, ?, ?)", [berg, attribute_id, value])
    concept = entity(3, "Carbon tax")
    con.execute("INSERT INTO ATTRIBUTEVALUES(EntityId, AttributeVariableId, AttributeValue) "
                "VALUES (?, 30, 'policy')", [concept])
    con.execute("INSERT INTO REGEXES VALUES ('tax', 255, 0, 0)")
    con.commit()
    con.close()
    return path
