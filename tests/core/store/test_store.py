"""The project file: schema, pragmas, refusal of foreign files, upgrades with a backup."""
import sqlite3

import pytest
from sqlite_utils import Database

from annotator.store import migrations as mig
from annotator.store.db import (APPLICATION_ID, ProjectError, ensure_layer, get_setting,
                             open_project, set_setting)

TABLES = {"articles", "entities", "layers", "speakers", "speaker_aliases", "topics", "positions",
          "quotes", "quote_fragments", "article_status", "comments", "_events", "_settings",
          "articles_fts"}


def test_new_project_has_every_table_and_pragma(db, project_path):
    assert TABLES <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(mig.known())
    assert project_path.exists()


def test_indexes_cover_the_lookups(db):
    plan = lambda sql: " ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql))  # noqa
    assert "idx_entities_article" in plan("SELECT * FROM entities WHERE article_id = 1")
    assert "idx_quotes_article_layer" in plan(
        "SELECT * FROM quotes WHERE article_id = 1 AND layer_id = 2")
    assert "idx_quotes_speaker" in plan("SELECT * FROM quotes WHERE speaker_id = 3")
    assert "idx_speaker_aliases_alias" in plan(
        "SELECT * FROM speaker_aliases WHERE alias = 'x' COLLATE NOCASE")
    assert "idx_articles_unanalyzed" in plan(
        "SELECT id FROM articles WHERE analyzed_at IS NULL AND id > 5 ORDER BY id")
    assert "idx_article_status_layer" in plan(
        "SELECT * FROM article_status WHERE layer_id = 1 AND status = 'done'")


def test_foreign_keys_are_enforced(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO entities(article_id, start, \"end\", label) VALUES (99, 0, 1, 'X')")


def test_reopen_keeps_data_and_settings(project_path):
    db = open_project(project_path)
    set_setting(db, "model", "en_core_web_md")
    layer = ensure_layer(db, "alice")
    assert ensure_layer(db, "alice") == layer
    assert ensure_layer(db, "gold") != layer
    db.close()
    db = open_project(project_path)
    assert get_setting(db, "model") == "en_core_web_md"
    kinds = dict(db.execute("SELECT name, kind FROM layers").fetchall())
    assert kinds == {"alice": "analyst", "gold": "gold"}
    db.close()


def test_text_file_is_not_a_project(tmp_path):
    bad = tmp_path / "notes.quotebook"
    bad.write_text("hello, not a database")
    with pytest.raises(ProjectError, match="not a Quotebook project"):
        open_project(bad)
    assert bad.read_text() == "hello, not a database"


def test_other_sqlite_database_is_not_a_project(tmp_path):
    other = tmp_path / "other.db"
    Database(other)["things"].insert({"a": 1})
    with pytest.raises(ProjectError, match="not a Quotebook project"):
        open_project(other)


def test_missing_project_without_create(tmp_path):
    with pytest.raises(ProjectError, match="no such project"):
        open_project(tmp_path / "nope.quotebook", create=False)


def test_folder_is_not_a_project(tmp_path):
    with pytest.raises(ProjectError, match="folder"):
        open_project(tmp_path)


def test_newer_project_is_refused(project_path):
    db = open_project(project_path)
    db["_sqlite_migrations"].insert({"migration_set": "quotebook", "name": "m999_future",
                                     "applied_at": "2030-01-01"})
    db.close()
    with pytest.raises(ProjectError, match="newer version"):
        open_project(project_path)


def test_older_project_is_backed_up_then_upgraded(project_path, monkeypatch):
    db = open_project(project_path)
    db.execute("INSERT INTO topics(name) VALUES ('kept')")
    db.conn.commit()
    db.close()

    def m900_test_column(database):
        database.execute("ALTER TABLE topics ADD COLUMN extra TEXT")

    monkeypatch.setattr(mig.migrations, "_migrations", list(mig.migrations._migrations))
    mig.migrations()(m900_test_column)
    db = open_project(project_path)
    assert "extra" in db["topics"].columns_dict
    assert db.execute("SELECT name FROM topics").fetchall() == [("kept",)]
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(mig.known())
    db.close()
    backup = project_path.with_name(f"{project_path.name}.schema{len(mig.known()) - 1}.bak")
    assert backup.exists()
    old = Database(backup)
    assert "extra" not in old["topics"].columns_dict
    assert old.execute("SELECT name FROM topics").fetchall() == [("kept",)]


def test_codebook_loads_with_values_and_rejects_bad_fields(db, tmp_path):
    from annotator.editing.codebook import CodebookError, codebook, load_codebook
    from annotator.project import DEFAULT_CODEBOOK
    load_codebook(db, DEFAULT_CODEBOOK)
    topics = codebook(db)
    assert topics and all(len(t["positions"]) >= 2 for t in topics)
    values = {p["label"]: p["value"] for p in topics[0]["positions"]}
    assert values["Support"] == 1 and values["Oppose"] == -1
    assert load_codebook(db, DEFAULT_CODEBOOK) == 0  # loading twice adds nothing
    bad = tmp_path / "bad.json"
    for content, message in [
            ("{", "bad.json:1: invalid JSON"),
            ('{"topics": []}', "needs a non-empty list 'topics'"),
            ('{"topics": [{"name": "T", "positions": [{"label": "a", "hotkey": "1"}, '
             '{"label": "b", "hotkey": "1"}]}]}', r"topics\[0\].positions\[1\]: 'hotkey'"),
            ('{"topics": [{"name": "T", "positions": [{"label": "a", "colour": "red"}]}]}',
             "'colour' must look like"),
            ('{"topics": [{"name": "T", "positions": [{"label": "a", "value": "high"}]}]}',
             "'value' must be a number")]:
        bad.write_text(content)
        with pytest.raises(CodebookError, match=message):
            load_codebook(db, bad)


def test_a_project_before_speaker_notes_upgrades_keeping_its_speakers(project_path):
    from annotator.editing.speakers import add_speaker
    db = open_project(project_path)
    add_speaker(db, "Anna Berg", role="Minister", aliases=("A. Berg",))
    # the project as a version before m009 left it: no notes column, the migration not applied
    with db.atomic():
        db.execute("ALTER TABLE speakers DROP COLUMN notes")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_speaker_notes'")
    db.execute(f"PRAGMA user_version = {len(mig.known()) - 1}")
    db.close()
    db = open_project(project_path)
    try:
        assert "m009_speaker_notes" in mig.known()
        assert db.execute("SELECT name, role, notes FROM speakers").fetchall() == [
            ("Anna Berg", "Minister", None)]
        assert db.execute("SELECT alias FROM speaker_aliases").fetchall() == [("A. Berg",)]
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(mig.known())
        assert project_path.with_name(
            f"{project_path.name}.schema{len(mig.known()) - 1}.bak").exists()
    finally:
        db.close()
