"""``annotator.Project``, the front door for scripts: a notebook session on a real project,
the README's Scripting block run as it is, and the errors a script meets."""
import json
import sqlite3

import pytest

from annotator import Project
from annotator.editing.edits import SetArticleStatus
from annotator.editing.permissions import set_reviewers
from annotator.project import SAMPLE_CORPUS, default_project_path
from annotator.selection import SelectionError
from annotator.store.backups import backup_paths
from annotator.store.db import ProjectError
from conftest import ROOT

SANCTIONS = "Sanctions and trade measures"
DUMPING = "a proportionate answer to years of dumping"
FIGHT = "We did not choose this fight."


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def sample_02(project) -> tuple[int, str]:
    """The id and text of the sample article on steel sanctions."""
    art = next(a for a in project.articles() if a["source"] == "sample-02")
    return art["id"], project.article(art["id"])["text"]


def readme_session() -> str:
    """The Python block of the README's Scripting section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Scripting\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_a_notebook_session(tmp_path):
    path = tmp_path / "corpus.quotebook"
    with Project.open(path, analyst="alice") as project:
        assert project.created and project.path == path and project.db.path == path
        report = project.import_files([SAMPLE_CORPUS], analyze=False)
        assert (report.imported, report.skipped, report.analysis) == (10, [], None)

        # articles as dict rows, with simple filters
        articles = project.articles()
        assert [a["source"] for a in articles] == [f"sample-{i:02d}" for i in range(1, 11)]
        assert set(articles[0]) >= {"id", "source", "title", "outlet", "author", "published",
                                    "url", "analyzed", "quotes", "statuses"}
        assert [a["source"] for a in project.articles(outlet="Harbor Wire")] == [
            "sample-02", "sample-05", "sample-10"]
        assert [a["source"] for a in project.articles(limit=2, offset=1)] == [
            "sample-02", "sample-03"]
        assert "sample-02" in [a["source"] for a in project.articles(search="aluminium")]
        assert project.articles(date_from="2026-12-01") == []

        # add and code a quote in the analyst's own layer
        article_id, text = sample_02(project)
        uid = project.add_quote(article_id, [span(text, DUMPING)], topic=SANCTIONS)
        change = project.code(uid, position="support", speaker="Yevgeny Morozov")
        assert change.articles == {article_id} and change.quote_uuid == uid
        (quote,) = project.quotes(layer="alice")
        assert quote["uuid"] == uid and quote["article_id"] == article_id
        assert quote["fragments"] == [list(span(text, DUMPING))]
        assert (quote["text"], quote["layer"], quote["kind"], quote["status"]) == (
            DUMPING, "alice", "direct", "accepted")
        assert (quote["speaker"], quote["topic"], quote["position"]) == (
            "Yevgeny Morozov", SANCTIONS, "Support")
        (morozov,) = project.speakers()
        assert (morozov["name"], morozov["quotes"]) == ("Yevgeny Morozov", 1)
        assert quote["speaker_id"] == morozov["id"]
        assert project.articles(layer="alice", quoted_only=True)[0]["id"] == article_id

        # undo and redo walk the project's own history; a new speaker goes with its step
        project.undo()
        (quote,) = project.quotes()
        assert (quote["speaker"], quote["position"], quote["topic"]) == (None, None, SANCTIONS)
        assert project.speakers() == []
        project.undo()
        assert project.quotes() == [] and project.undo() is None
        project.redo()
        project.redo()
        assert project.redo() is None
        (quote,) = project.quotes(speaker="yevgeny morozov")
        assert (quote["uuid"], quote["position"]) == (uid, "Support")

        # a core command, run as it is; a refusal changes nothing and keeps the history
        project.run(SetArticleStatus(article_id=article_id, layer_id=project.layers()[0]["id"],
                                     status="done", actor="alice"))
        assert project.article(article_id)["id"] == article_id
        assert project.articles(article_status="done")[0]["statuses"] == {"alice": "done"}
        with Project.open(path, analyst="bob") as bob:
            bob.add_quote(article_id, span(text, DUMPING), topic=SANCTIONS, position="Oppose",
                          speaker="Morozov")   # not an alias yet: a second speaker
        set_reviewers(project.db, ["rita"])
        with pytest.raises(PermissionError):
            project.take_into_gold(uid)
        with pytest.raises(PermissionError):
            project.add_quote(article_id, span(text, FIGHT), layer="bob")
        assert len(project.speakers()) == 2   # the refused steps created no speaker
        project.undo()
        assert project.articles(article_status="done") == []
        project.redo()

        # the gold quotes of a topic
        with Project.open(path, analyst="rita") as rita:
            gold_uuid = rita.take_into_gold(uid, reason="agreed")
        (gold,) = project.quotes(layer="gold", topic=SANCTIONS)
        assert (gold["uuid"], gold["origin_uuid"], gold["speaker"]) == (
            gold_uuid, uid, "Yevgeny Morozov")
        assert project.quotes(layer="gold", topic="Climate and energy policy") == []
        assert len(project.quotes(topic=SANCTIONS)) == 3
        assert len(project.quotes(article=article_id, status="accepted")) == 3

        # export jsonl and read it back
        result = project.export("jsonl", tmp_path / "gold.jsonl", layer="gold",
                                quoted_only=True)
        assert result.count == 1
        (record,) = [json.loads(line) for line in
                     (tmp_path / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
        assert record["meta"]["source"] == "sample-02"
        (exported,) = record["quotes"]
        assert (exported["id"], exported["text"], exported["speaker"]["name"],
                exported["position"], exported["layer"]) == (
            gold_uuid, DUMPING, "Yevgeny Morozov", "Support", "gold")

        # stats by speaker and position; the project's counts
        rows = project.stats(by="speaker,position", layer=["alice", "bob"])
        assert [(r["speaker"], r["position"], r["count"]) for r in rows] == [
            ("Morozov", "Oppose", 1), ("Yevgeny Morozov", "Support", 1)]
        assert project.stats(by=["layer"]) == [
            {"layer": "alice", "count": 1}, {"layer": "bob", "count": 1},
            {"layer": "gold", "count": 1}]
        counts = project.stats()
        assert counts["articles"] == 10 and counts["layers"]["gold"]["quotes"] == 1

        # agreement of two layers: the same span, other speaker and position
        result = project.agreement(["alice", "bob"])
        assert result["layers"] == ["alice", "bob"] and result["articles"] == 1
        assert result["overall"]["quote_f1"]["exact"] == 1.0
        assert result["overall"]["positions"]["percent"] == 0.0
        assert project.agreement("alice,gold")["overall"]["positions"]["percent"] == 100.0

    with sqlite3.connect(path) as conn:   # closed and sound
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def build_reviewed_project(path):
    """The sample corpus; alice and bob quote Morozov on sanctions; gold takes alice's."""
    with Project.open(path, analyst="alice") as alice:
        alice.import_files(SAMPLE_CORPUS, analyze=False)
        article_id, text = sample_02(alice)
        uid = alice.add_quote(article_id, span(text, DUMPING), topic=SANCTIONS)
        alice.add_quote(article_id, span(text, FIGHT), topic=SANCTIONS)
    with Project.open(path, analyst="bob") as bob:
        bob.add_quote(article_id, span(text, DUMPING), topic=SANCTIONS, position="Support")
    with Project.open(path, analyst="rita") as rita:
        rita.take_into_gold(uid)


def test_the_readme_session_runs_as_written(tmp_path, monkeypatch, capsys):
    build_reviewed_project(tmp_path / "corpus.quotebook")
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_session(), "README.md (Scripting)", "exec"), {})
    out = capsys.readouterr().out
    assert f"None None {DUMPING}" in out  # the gold quote before it was coded
    assert "'speaker': 'Yevgeny Morozov'" in out and "'matched_exact': 1," in out
    with Project.open(tmp_path / "corpus.quotebook", create=False) as project:
        (gold,) = project.quotes(layer="gold")
        assert (gold["speaker"], gold["position"]) == ("Yevgeny Morozov", "Support")
    lines = (tmp_path / "gold-sanctions.jsonl").read_text(encoding="utf-8").splitlines()
    (record,) = map(json.loads, lines)
    assert [q["speaker"]["name"] for q in record["quotes"]] == ["Yevgeny Morozov"]


def test_the_default_project_and_the_daily_backup(tmp_path):
    with Project.open() as project:   # as the command line: created with the sample corpus
        assert project.path == default_project_path()
        assert len(project.articles()) == 10 and project.topics()
    path = tmp_path / "p.quotebook"
    with Project.open(path, analyst="alice") as project:   # new: nothing to back up yet
        project.import_files(SAMPLE_CORPUS, analyze=False)
    assert backup_paths(path) == []
    with Project.open(path, analyst="alice", backup=False) as project:
        project.set_status(1, "in_progress")
    assert backup_paths(path) == []
    with Project.open(path, analyst="alice") as project:
        project.quotes()                          # reading makes no backup
        assert backup_paths(path) == []
        project.set_status(1, "done")             # the first write does
        project.set_status(2, "done")
    (backup,) = backup_paths(path)
    with Project.open(backup, create=False) as copy:   # the project as it was before the edit
        assert copy.articles(article_status="in_progress")[0]["id"] == 1


def test_errors(tmp_path):
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    before = foreign.read_bytes()
    with pytest.raises(ProjectError, match="not a Quotebook project"):
        Project.open(foreign)
    assert foreign.read_bytes() == before

    missing = tmp_path / "none.quotebook"
    with pytest.raises(ProjectError, match="no such project"):
        Project.open(missing, create=False)
    assert not missing.exists()

    path = tmp_path / "p.quotebook"
    with pytest.raises(ValueError, match="reserved"):
        Project.open(path, analyst="gold")
    assert not path.exists()
    with Project.open(path) as project:
        project.import_files(SAMPLE_CORPUS, analyze=False)
        with pytest.raises(ValueError, match="analyst="):
            project.add_quote(1, (0, 10))
        with pytest.raises(SelectionError, match="no topic 'Fishing'"):
            project.quotes(topic="Fishing")
        with pytest.raises(SelectionError, match="no layer 'carol'"):
            project.articles(layer="carol")
        with pytest.raises(TypeError, match="unknown filter"):
            project.export("jsonl", tmp_path / "o.jsonl", speaker="x")
        with pytest.raises(ValueError, match="by="):
            project.stats(layer="x")
    with Project.open(path, analyst="alice") as project:
        with pytest.raises(ValueError, match="no position 'Maybe'"):
            project.add_quote(1, (0, 10), topic=SANCTIONS, position="Maybe")
        with pytest.raises(ValueError, match="outside the article"):
            project.add_quote(1, (0, 10**6), speaker="Nobody Yet")
        assert project.quotes() == [] and project.speakers() == []   # nothing half done
        assert project.undo() is None


def test_import_with_analysis(tmp_path, nlp):
    note = tmp_path / "note.txt"
    note.write_text("Talks resume\n\n“We will be back at the table in March,” Foreign Minister "
                    "Anna Kovacs said in Halvorsen on Tuesday.\n", encoding="utf-8")
    with Project.open(tmp_path / "p.quotebook", analyst="alice") as project:
        report = project.import_files(note)
        assert report.imported == 1 and report.analysis.analyzed == 1
        (article,) = project.articles()
        assert article["analyzed"] and article["title"] == "Talks resume"
        labels = {e["label"] for e in project.article(article["id"])["entities"]}
        assert "PERSON" in labels
        assert project.quotes(layer="suggestions")[0]["status"] == "suggested"
        assert project.analyze().analyzed == 0   # nothing left to analyse


def test_edit_article_details(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("A note without a date.\n", encoding="utf-8")
    with Project.open(tmp_path / "p.quotebook", analyst="alice") as project:
        project.import_files([note], analyze=False)
        (article,) = project.articles()
        assert (article["outlet"], article["published"]) == (None, None)
        change = project.edit_article(article["id"], outlet="Harbor Wire",
                                      published="2026-02-03")
        assert change.articles == {article["id"]}
        assert [a["id"] for a in project.articles(date_from="2026-02-01")] == [article["id"]]
        with pytest.raises(ValueError, match="date: 'Feb 3' is not a date"):
            project.edit_article(article["id"], published="Feb 3")
        project.undo()
        assert project.articles()[0]["outlet"] is None
