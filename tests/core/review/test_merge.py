"""Merging another analyst's project: plan, apply, idempotence, rollback, conflicts, CLI."""
import pytest

from annotator.cli import main as cli
from annotator.review import merge_apply
from annotator.editing.codebook import codebook, load_codebook
from annotator.corpus.importing import import_paths
from annotator.review.merge import MergeError, apply_merge, plan_merge
from annotator.project import DEFAULT_CODEBOOK, SAMPLE_CORPUS
from annotator.editing.registry import CreateSpeaker, MergeSpeakers
from annotator.review.gold import AddComment
from annotator.editing.edits import SetArticleStatus, add_quote
from annotator.store.db import ensure_layer, now, open_project

TABLES = ("articles", "layers", "speakers", "speaker_aliases", "topics", "positions", "quotes",
          "quote_fragments", "article_status", "comments", "entities")


def dump(db):
    out = {}
    for t in TABLES:
        cols = "id, hash, title" if t == "articles" else "*"
        out[t] = db.execute(f"SELECT {cols} FROM {t} ORDER BY 1, 2").fetchall()
    return out


def speaker(db, name, **kw):
    cmd = CreateSpeaker(name=name, actor="t", **kw)
    cmd.apply(db)
    return cmd.speaker_id


def base(path):
    db = open_project(path)
    import_paths(db, [SAMPLE_CORPUS])
    load_codebook(db, DEFAULT_CODEBOOK)
    return db


@pytest.fixture
def projects(tmp_path):
    ours = base(tmp_path / "ours.quotebook")
    anna = speaker(ours, "Anna Kovacs", role="Minister", organisation="Finance")
    speaker(ours, "Tomas Reyel", organisation="Union", aliases=["Reyel"])
    speaker(ours, "Reyel Group", kind="organisation", aliases=["Reyel Grp"])
    ensure_layer(ours, "alice")
    add_quote(ours, article_id=1, layer="alice", fragments=[(10, 40)], speaker_id=anna)

    other = base(tmp_path / "other.quotebook")
    with other.atomic():
        other.execute("INSERT INTO articles(hash, text, title, imported_at) VALUES "
                      "('only-there', 'A text only the other project has.', 'Extra', ?)", [now()])
        other.execute("INSERT INTO entities(article_id, start, \"end\", label) VALUES "
                      "(11, 2, 6, 'ORG')")
    extra_id = 11
    o_anna = speaker(other, "Anna Kovacs", role="Minister", organisation="Finance",
                     aliases=["A. Kovacs"])
    o_tomas = speaker(other, "Tomas Reyel", organisation="Employers")  # contradicts ours
    o_j = speaker(other, "J. Reyel", aliases=["Reyel", "Reyel Grp"])   # names two of ours
    o_new = speaker(other, "Mira Holm")
    keep, gone = speaker(other, "Sergey Lavrov"), speaker(other, "Sergei Lavrov")
    MergeSpeakers(keep_id=keep, other_id=gone, actor="t").apply(other)
    topic = codebook(other)[0]
    ensure_layer(other, "bob")
    uids = [add_quote(other, article_id=1, layer="bob", fragments=[(10, 40)], speaker_id=o_anna,
                      topic_id=topic["id"], position_id=topic["positions"][0]["id"]),
            add_quote(other, article_id=2, layer="bob", fragments=[(5, 20), (30, 50)],
                      speaker_id=o_tomas),
            add_quote(other, article_id=2, layer="bob", fragments=[(60, 70)], speaker_id=o_j),
            add_quote(other, article_id=extra_id, layer="bob", fragments=[(0, 6)],
                      speaker_id=o_new),
            add_quote(other, article_id=3, layer="bob", fragments=[(1, 9)], speaker_id=keep)]
    bob = other.execute("SELECT id FROM layers WHERE name = 'bob'").fetchone()[0]
    SetArticleStatus(article_id=1, layer_id=bob, status="done", actor="bob").apply(other)
    root = AddComment(quote_uuid=uids[0], body="is this the minister?", actor="bob")
    root.apply(other)
    AddComment(parent_id=root.comment_id, body="yes", actor="bob").apply(other)
    other.execute("INSERT INTO topics(name) VALUES ('Housing')")
    other.close()
    yield ours, tmp_path / "other.quotebook", uids
    ours.close()


def test_plan_lists_counts_and_conflicts_and_writes_nothing(projects):
    ours, other, uids = projects
    before = dump(ours)
    plan = plan_merge(ours, other)
    assert dump(ours) == before
    c = plan.counts()
    assert (c["articles_new"], c["articles_matched"]) == (1, 10)
    assert (c["layers_new"], c["quotes_new"], c["quotes_already_here"]) == (1, 5, 0)
    assert c["speakers_new"] == 4          # Tomas (conflict), J. Reyel (conflict), Mira, Sergey
    assert c["speakers_matched"] == 1      # Anna Kovacs
    assert (c["topics_new"], c["comments_new"], c["statuses"]) == (1, 2, 1)
    assert c["entities_new"] == 1
    text = plan.summary()
    assert "Tomas Reyel" in text and "differs from" in text
    assert "name several speakers here" in text and "J. Reyel" in text
    assert plan.changes > 0


def test_apply_then_merge_again_changes_nothing(projects):
    ours, other, uids = projects
    apply_merge(ours, plan_merge(ours, other))
    names = [r[0] for r in ours.execute("SELECT name FROM speakers ORDER BY id")]
    assert names.count("Anna Kovacs") == 1 and names.count("Tomas Reyel") == 2
    assert "Mira Holm" in names and "Sergei Lavrov" not in names
    aliases = {r[0] for r in ours.execute(
        "SELECT alias FROM speaker_aliases a JOIN speakers s ON s.id = a.speaker_id "
        "WHERE s.name = 'Anna Kovacs'")}
    assert aliases == {"A. Kovacs"}
    rows = {r[0]: r[1:] for r in ours.execute(
        "SELECT q.uuid, s.name, a.hash, l.name FROM quotes q JOIN articles a ON "
        "a.id = q.article_id JOIN layers l ON l.id = q.layer_id LEFT JOIN speakers s ON "
        "s.id = q.speaker_id")}
    assert rows[uids[0]][0] == "Anna Kovacs" and rows[uids[0]][2] == "bob"
    assert rows[uids[3]][1] == "only-there" and rows[uids[4]][0] == "Sergey Lavrov"
    frags = ours.execute("SELECT f.start, f.\"end\" FROM quote_fragments f JOIN quotes q ON "
                         "q.id = f.quote_id WHERE q.uuid = ? ORDER BY f.ord", [uids[1]]).fetchall()
    assert frags == [(5, 20), (30, 50)]
    comments = ours.execute("SELECT body, parent_id IS NOT NULL FROM comments "
                            "ORDER BY id").fetchall()
    assert comments == [("is this the minister?", 0), ("yes", 1)]
    position = ours.execute("SELECT p.label FROM quotes q JOIN positions p ON "
                            "p.id = q.position_id WHERE q.uuid = ?", [uids[0]]).fetchone()
    assert position == ("Support",)
    after = dump(ours)
    again = plan_merge(ours, other)
    assert again.changes == 0 and again.counts()["quotes_already_here"] == 5
    assert again.conflicts == [] or all("several" not in c for c in again.conflicts)
    assert "nothing to merge" in again.summary()
    apply_merge(ours, again)
    assert dump(ours) == after
    assert ours.execute("SELECT count(*) FROM _events WHERE action = 'merge'").fetchone()[0] == 1


def test_a_failure_half_way_leaves_the_project_as_it_was(projects, monkeypatch):
    ours, other, uids = projects
    before = dump(ours)

    def broken(*args, **kwargs):
        raise RuntimeError("disk gone")
    monkeypatch.setattr(merge_apply, "_copy_quotes", broken)   # after articles and speakers
    with pytest.raises(RuntimeError, match="disk gone"):
        apply_merge(ours, plan_merge(ours, other))
    assert dump(ours) == before
    monkeypatch.undo()
    apply_merge(ours, plan_merge(ours, other))
    assert ours.execute("SELECT count(*) FROM quotes").fetchone()[0] == 6


def test_not_a_project_and_itself(projects, tmp_path):
    ours, other, uids = projects
    junk = tmp_path / "junk.quotebook"
    junk.write_bytes(b"not sqlite at all, not at all")
    with pytest.raises(MergeError, match="not a Quotebook project"):
        plan_merge(ours, junk)
    with pytest.raises(MergeError, match="no such project"):
        plan_merge(ours, tmp_path / "missing.quotebook")
    with pytest.raises(MergeError, match="this project itself"):
        plan_merge(ours, tmp_path / "ours.quotebook")


def test_layer_kind_conflict_leaves_its_work_out(projects, tmp_path):
    ours, other, uids = projects
    ours.execute("UPDATE layers SET kind = 'gold' WHERE name = 'alice'")
    ensure_layer(ours, "bob", "gold")
    plan = plan_merge(ours, other)
    assert any("layer 'bob' is analyst there and gold here" in c for c in plan.conflicts)
    assert plan.counts()["quotes_new"] == 0


def test_cli_merge_asks_or_needs_yes(projects, capsys):
    ours, other, uids = projects
    path = ours.execute("PRAGMA database_list").fetchone()[2]
    before = dump(ours)
    assert cli.run(["merge", str(other), "--project", path]) == 0
    out = capsys.readouterr().out
    assert "articles: 1 new" in out and "nothing written" in out
    assert dump(ours) == before
    assert cli.run(["merge", str(other), "--project", path, "--yes"]) == 0
    assert "merged: 1 article(s), 5 quote(s)" in capsys.readouterr().out
    assert cli.run(["merge", str(other), "--project", path, "--yes"]) == 0
    assert "nothing to merge" in capsys.readouterr().out
    assert cli.run(["merge", "/nonexistent.quotebook", "--project", path]) == 1


def test_two_speakers_there_never_fold_into_one_here(tmp_path):
    from annotator.review.merge import apply_merge, plan_merge
    from annotator.project import SAMPLE_CORPUS
    from annotator.corpus.importing import import_paths
    from annotator.editing.edits import add_quote
    from annotator.editing.speakers import add_speaker
    from annotator.store.db import open_project
    ours = open_project(tmp_path / "ours.quotebook")
    import_paths(ours, [SAMPLE_CORPUS])
    add_speaker(ours, "John Smith")
    other = open_project(tmp_path / "other.quotebook")
    import_paths(other, [SAMPLE_CORPUS])
    senator = add_speaker(other, "John Smith", role="Senator")
    plumber = add_speaker(other, "John Smith", role="Plumber")
    add_quote(other, article_id=1, layer="bob", fragments=[(0, 5)], speaker_id=senator)
    add_quote(other, article_id=1, layer="bob", fragments=[(10, 15)], speaker_id=plumber)
    other.close()
    plan = plan_merge(ours, tmp_path / "other.quotebook")
    assert plan.counts()["speakers_matched"] == 1 and plan.counts()["speakers_new"] == 1
    assert any("both match" in c for c in plan.conflicts)
    apply_merge(ours, plan)
    speakers = ours.execute("SELECT DISTINCT speaker_id FROM quotes").fetchall()
    assert len(speakers) == 2  # the two quotes keep two speakers, never folded into one
    again = plan_merge(ours, tmp_path / "other.quotebook")
    assert again.quotes_new == 0  # merging twice brings no quote twice


def test_cancel_half_way_rolls_the_merge_back_and_says_so(projects):
    """The merge is one unit: a cancel between its steps keeps nothing of it."""
    from annotator.tasks import Task
    ours, other, uids = projects
    before = dump(ours)
    seen = []
    task = Task(progress=lambda done, total, note: seen.append((done, total, note)))
    task_cancel_at_quotes = Task(
        progress=lambda done, total, note: (seen.append((done, total, note)),
                                            note == "quotes" and task_cancel_at_quotes.cancel()))
    plan = plan_merge(ours, other)
    result = apply_merge(ours, plan, task=task_cancel_at_quotes)
    assert result.cancelled and result.other == plan.other
    assert [note for _d, _t, note in seen] == ["plan", "codebook and speakers", "articles",
                                               "entities", "quotes"]
    assert all(isinstance(d, int) and isinstance(t, int) and isinstance(n, str)
               for d, t, n in seen)
    assert dump(ours) == before
    assert ours.execute("SELECT count(*) FROM _events WHERE action = 'merge'").fetchone()[0] == 0
    seen.clear()
    done = apply_merge(ours, plan, task=task)
    assert not done.cancelled and seen[-1] == (merge_apply.STEPS, merge_apply.STEPS, "done")
    assert ours.execute("SELECT count(*) FROM quotes").fetchone()[0] == 6


def test_speaker_notes_come_in_and_ours_are_never_overwritten(projects):
    ours, other_path, uids = projects
    other = open_project(other_path)
    other.execute("UPDATE speakers SET notes = 'Minister since 2021' WHERE name = 'Anna Kovacs'")
    other.execute("UPDATE speakers SET notes = 'Met at the summit' WHERE name = 'Mira Holm'")
    other.conn.commit()
    other.close()
    ours.execute("UPDATE speakers SET notes = 'our notes' WHERE name = 'Anna Kovacs'")
    ours.conn.commit()
    plan = plan_merge(ours, other_path)
    assert plan.counts()["notes_new"] == 0
    assert "speaker 'Anna Kovacs': its notes there differ from ours; ours kept" in plan.conflicts
    ours.execute("UPDATE speakers SET notes = NULL WHERE name = 'Anna Kovacs'")
    ours.conn.commit()
    plan = plan_merge(ours, other_path)
    assert plan.counts()["notes_new"] == 1 and "1 speaker(s)' notes filled in" in plan.summary()
    apply_merge(ours, plan)
    notes = dict(ours.execute("SELECT name, notes FROM speakers WHERE notes IS NOT NULL"))
    assert notes == {"Anna Kovacs": "Minister since 2021", "Mira Holm": "Met at the summit"}
    assert plan_merge(ours, other_path).changes == 0  # merging again adds nothing


def test_a_project_from_before_speaker_notes_merges(projects):
    ours, other_path, uids = projects
    other = open_project(other_path)
    with other.atomic():
        other.execute("ALTER TABLE speakers DROP COLUMN notes")
        other.execute("DELETE FROM _sqlite_migrations WHERE name = 'm009_speaker_notes'")
    other.close()
    plan = apply_merge(ours, plan_merge(ours, other_path))
    assert plan.counts()["quotes_new"] == 5 and plan.counts()["notes_new"] == 0
    assert ours.execute("SELECT count(*) FROM speakers WHERE notes IS NOT NULL"
                        ).fetchone()[0] == 0
