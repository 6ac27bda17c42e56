"""Edit commands: each applies in one transaction, is logged, and undoes/redoes exactly."""
import pytest

from annotator.editing import desk
from annotator.editing.edits import (AcceptAllSuggestions, AddEntity, AddQuote, DecideSuggestion,
                             DeleteQuote, RelabelEntity, RemoveEntity, SetArticleStatus,
                             UpdateQuote, add_quote)
from annotator.corpus.importing import import_paths
from annotator.project import DEFAULT_CODEBOOK, SAMPLE_CORPUS
from annotator.editing.codebook import codebook, load_codebook
from annotator.editing.registry import (AddAlias, AddPosition, CreateSpeaker, DeletePosition,
                                      MergeSpeakers, UpdatePosition, UpdateSpeaker)
from annotator.editing.spans import guess_kind, snap_to_tokens
from annotator.store.db import ensure_layer


@pytest.fixture
def desk_db(db):
    import_paths(db, [SAMPLE_CORPUS])
    load_codebook(db, DEFAULT_CODEBOOK)
    return db


def dump(db):
    tables = ("quotes", "quote_fragments", "speakers", "speaker_aliases", "positions",
              "entities", "article_status")
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}


def test_add_quote_undo_redo_keeps_uuid(desk_db):
    db = desk_db
    alice = ensure_layer(db, "alice")
    start = dump(db)
    cmd = AddQuote(article_id=1, layer_id=alice, fragments=[(10, 20), (30, 40)], actor="alice")
    change = cmd.apply(db)
    assert change.articles == {1} and change.quote_uuid == cmd.uuid
    after = dump(db)
    (q,) = desk.article_quotes(db, 1, alice)
    assert q["uuid"] == cmd.uuid and q["fragments"] == [(10, 20), (30, 40)]
    cmd.revert(db)
    assert dump(db) == start
    cmd.apply(db)
    assert dump(db) == after
    events = db.execute("SELECT action, actor FROM _events WHERE target = ?",
                        [f"quote:{cmd.uuid}"]).fetchall()
    assert events == [("add quote", "alice"), ("undo add quote", "alice"),
                      ("redo add quote", "alice")]


def test_deleted_quote_comes_back_with_speaker_and_position(desk_db):
    db = desk_db
    alice = ensure_layer(db, "alice")
    spk = CreateSpeaker(name="Anna Kovacs", actor="alice")
    spk.apply(db)
    position = codebook(db)[0]["positions"][1]["id"]
    uid = add_quote(db, article_id=1, layer="alice", fragments=[(5, 25)], speaker_id=spk.speaker_id,
                    position_id=position, topic_id=codebook(db)[0]["id"])
    before = dump(db)
    delete = DeleteQuote(uuid=uid, actor="alice")
    delete.apply(db)
    assert desk.article_quotes(db, 1, alice) == []
    delete.revert(db)
    assert dump(db) == before
    (q,) = desk.article_quotes(db, 1, alice)
    assert (q["speaker"], q["position_id"]) == ("Anna Kovacs", position)


def test_update_quote_fields_and_fragments(desk_db):
    db = desk_db
    alice = ensure_layer(db, "alice")
    uid = add_quote(db, article_id=1, layer="alice", fragments=[(5, 25)])
    before = dump(db)
    cmd = UpdateQuote(uuid=uid, actor="alice", fragments=[(5, 25), (40, 60)], kind="mixed",
                      note="check")
    cmd.apply(db)
    (q,) = desk.article_quotes(db, 1, alice)
    assert q["fragments"] == [(5, 25), (40, 60)] and (q["start"], q["end"]) == (5, 60)
    assert (q["kind"], q["note"]) == ("mixed", "check")
    cmd.revert(db)
    assert dump(db) == before
    with pytest.raises(ValueError, match="outside the article"):
        UpdateQuote(uuid=uid, actor="alice", fragments=[(5, 10**6)]).apply(db)
    assert dump(db) == before  # a failed edit writes nothing
    with pytest.raises(ValueError, match="overlap"):
        AddQuote(article_id=1, layer_id=alice, fragments=[(1, 10), (5, 12)],
                 actor="alice").apply(db)


def test_accept_reject_and_accept_all_suggestions(desk_db):
    db = desk_db
    alice = ensure_layer(db, "alice")
    sugg = ensure_layer(db, "suggestions")
    s1 = add_quote(db, article_id=1, layer="suggestions", fragments=[(5, 25)], status="suggested",
                   confidence=0.9)
    s2 = add_quote(db, article_id=1, layer="suggestions", fragments=[(30, 45)], status="suggested")
    s3 = add_quote(db, article_id=1, layer="suggestions", fragments=[(50, 70)], status="suggested")
    assert [q["uuid"] for q in desk.pending_suggestions(db, 1, alice, sugg)] == [s1, s2, s3]
    accept = DecideSuggestion(suggestion_uuid=s1, layer_id=alice, actor="alice")
    accept.apply(db)
    reject = DecideSuggestion(suggestion_uuid=s2, layer_id=alice, actor="alice", accept=False)
    reject.apply(db)
    assert [q["uuid"] for q in desk.pending_suggestions(db, 1, alice, sugg)] == [s3]
    (mine,) = desk.article_quotes(db, 1, alice)
    assert mine["origin_uuid"] == s1 and mine["confidence"] == 0.9 and mine["status"] == "accepted"
    assert len(desk.article_quotes(db, 1, alice, include_rejected=True)) == 2
    reject.revert(db)
    assert len(desk.pending_suggestions(db, 1, alice, sugg)) == 2
    everything = AcceptAllSuggestions(article_id=1, layer_id=alice, suggestions_layer_id=sugg,
                                      actor="alice")
    everything.apply(db)
    assert everything.count == 2
    assert desk.pending_suggestions(db, 1, alice, sugg) == []
    assert len(desk.article_quotes(db, 1, alice)) == 3
    everything.revert(db)
    assert len(desk.article_quotes(db, 1, alice)) == 1
    # the suggestions layer itself is never changed
    assert len(desk.article_quotes(db, 1, sugg)) == 3


def test_accept_a_suggestion_with_its_position_in_one_edit(desk_db):
    db = desk_db
    alice = ensure_layer(db, "alice")
    topic = codebook(db)[0]
    position = topic["positions"][0]
    s1 = add_quote(db, article_id=1, layer="suggestions", fragments=[(10, 25)],
                   status="suggested", confidence=0.9, cue_span=(0, 4), kind="indirect")
    before = dump(db)
    accept = DecideSuggestion(suggestion_uuid=s1, layer_id=alice, actor="alice",
                              topic_id=topic["id"], position_id=position["id"])
    accept.apply(db)
    (mine,) = desk.article_quotes(db, 1, alice)
    assert (mine["origin_uuid"], mine["status"], mine["kind"], mine["cue_start"]) == \
        (s1, "accepted", "indirect", 0)
    assert (mine["topic_id"], mine["position_id"]) == (topic["id"], position["id"])
    accept.revert(db)
    assert dump(db) == before
    with pytest.raises(ValueError):
        DecideSuggestion(suggestion_uuid=s1, layer_id=alice, actor="alice", accept=False,
                         position_id=position["id"])
    with pytest.raises(ValueError):
        DecideSuggestion(suggestion_uuid=s1, layer_id=alice, actor="alice", status="accepted")


def test_merge_speakers_moves_quotes_and_undoes(desk_db):
    db = desk_db
    a = CreateSpeaker(name="Sergey Lavrov", actor="alice", role="Foreign Minister")
    b = CreateSpeaker(name="Sergei Lavrov", actor="alice", aliases=["Lavrov"])
    a.apply(db), b.apply(db)
    q1 = add_quote(db, article_id=1, layer="alice", fragments=[(5, 25)], speaker_id=a.speaker_id)
    q2 = add_quote(db, article_id=2, layer="alice", fragments=[(5, 25)], speaker_id=b.speaker_id)
    before = dump(db)
    merge = MergeSpeakers(keep_id=a.speaker_id, other_id=b.speaker_id, actor="alice")
    assert merge.apply(db).articles == {2}
    table = desk.speakers_table(db)
    assert [(s["name"], s["quotes"]) for s in table] == [("Sergey Lavrov", 2)]
    assert set(table[0]["aliases"].split("; ")) == {"Sergei Lavrov", "Lavrov"}
    speakers = {q["uuid"]: q["speaker"] for art in (1, 2)
                for q in desk.article_quotes(db, art, ensure_layer(db, "alice"))}
    assert speakers == {q1: "Sergey Lavrov", q2: "Sergey Lavrov"}
    merge.revert(db)
    assert dump(db) == before
    with pytest.raises(ValueError):
        MergeSpeakers(keep_id=a.speaker_id, other_id=a.speaker_id, actor="x")


def test_rename_and_alias(desk_db):
    db = desk_db
    s = CreateSpeaker(name="Pompeo", actor="alice")
    s.apply(db)
    UpdateSpeaker(speaker_id=s.speaker_id, name="Mike Pompeo", role="Secretary of State",
                  actor="alice").apply(db)
    AddAlias(speaker_id=s.speaker_id, alias="Pompeo", actor="alice").apply(db)
    (row,) = desk.speakers_table(db)
    assert (row["name"], row["role"], row["aliases"]) == ("Mike Pompeo", "Secretary of State",
                                                          "Pompeo")
    assert "Pompeo" in desk.speaker_names(db)


def test_speaker_notes_are_one_undoable_edit(desk_db):
    db = desk_db
    s = CreateSpeaker(name="Mike Pompeo", actor="alice", notes="  CIA director until 2018 ")
    s.apply(db)
    assert desk.speakers_table(db)[0]["notes"] == "CIA director until 2018"
    before = dump(db)
    edit = UpdateSpeaker(speaker_id=s.speaker_id, notes="Secretary of State\nfrom 2018",
                         actor="alice")
    edit.apply(db)
    assert desk.speakers_table(db)[0]["notes"] == "Secretary of State\nfrom 2018"
    edit.revert(db)
    assert dump(db) == before
    UpdateSpeaker(speaker_id=s.speaker_id, notes="  ", actor="alice").apply(db)
    assert db.execute("SELECT notes FROM speakers").fetchone() == (None,)


def test_codebook_edits_and_hotkey_clash(desk_db):
    db = desk_db
    topic = codebook(db)[0]
    add = AddPosition(topic_id=topic["id"], label="Mixed", hotkey="9", colour="#66a61e",
                      value=0.25, actor="alice")
    add.apply(db)
    assert codebook(db)[0]["positions"][-1]["label"] == "Mixed"
    with pytest.raises(ValueError, match="already used"):
        UpdatePosition(position_id=add.position_id, hotkey="1", actor="alice").apply(db)
    pos = topic["positions"][0]["id"]
    uid = add_quote(db, article_id=1, layer="alice", fragments=[(0, 4)], position_id=pos)
    before = dump(db)
    delete = DeletePosition(position_id=pos, actor="alice")
    delete.apply(db)
    alice = ensure_layer(db, "alice")
    assert desk.article_quotes(db, 1, alice)[0]["position_id"] is None
    delete.revert(db)
    assert dump(db) == before
    delete.apply(db)  # redo
    assert desk.article_quotes(db, 1, alice)[0]["uuid"] == uid
    assert desk.article_quotes(db, 1, alice)[0]["position_id"] is None


def test_entities_add_relabel_remove(desk_db):
    db = desk_db
    alice = ensure_layer(db, "alice")
    db.execute("INSERT INTO entities(article_id, start, \"end\", label) VALUES (1, 0, 7, 'GPE')")
    db.conn.commit()
    model_entity = desk.entity_rows(db, 1)[0]["id"]
    add = AddEntity(article_id=1, start=10, end=20, label="PERSON", layer_id=alice, actor="alice")
    add.apply(db)
    RelabelEntity(entity_id=model_entity, label="ORG", actor="alice").apply(db)
    assert [(e["start"], e["label"]) for e in desk.entity_rows(db, 1)] == [(0, "ORG"),
                                                                         (10, "PERSON")]
    remove_model = RemoveEntity(entity_id=model_entity, actor="alice")
    remove_model.apply(db)
    RemoveEntity(entity_id=add.entity_id, actor="alice").apply(db)
    assert desk.entity_rows(db, 1) == []
    assert db.execute("SELECT removed FROM entities WHERE id = ?", [model_entity]).fetchone() == (1,)
    remove_model.revert(db)
    assert [e["label"] for e in desk.entity_rows(db, 1)] == ["ORG"]


def test_article_status_next_article_and_list(desk_db):
    db = desk_db
    alice = ensure_layer(db, "alice")
    SetArticleStatus(article_id=1, layer_id=alice, status="done", actor="alice").apply(db)
    SetArticleStatus(article_id=2, layer_id=alice, status="skipped", actor="alice").apply(db)
    assert desk.next_article(db, alice, 1) == 3
    assert desk.next_article(db, alice, 10) == 3  # wraps around
    assert desk.count_articles(db, layer_id=alice, status="done") == 1
    assert desk.count_articles(db, layer_id=alice, status="todo") == 8
    rows = desk.list_articles(db, layer_id=alice, limit=3)
    assert [r["status"] for r in rows] == ["done", "skipped", "todo"]
    # full-text search over title and text
    hits = desk.list_articles(db, layer_id=alice, search="desalination")
    assert hits and all("desalination" in db.execute(
        "SELECT lower(title || text) FROM articles WHERE id = ?", [r["id"]]).fetchone()[0]
        for r in hits)
    assert desk.count_articles(db, layer_id=alice, search="zzzqqq") == 0
    assert desk.count_articles(db, layer_id=alice, search='"; DROP TABLE zzqq') == 0


def test_snap_and_kind():
    text = 'Kovacs said: “We will win this,” she added. Trade fell sharply.'
    s, e = snap_to_tokens(text, text.index("We") + 1, text.index("this") + 2)
    assert text[s:e] == "“We will win this,”"
    assert guess_kind(text, s, e) == "direct"
    s, e = snap_to_tokens(text, text.index("rade"), text.index("sharply") + 3)
    assert text[s:e] == "Trade fell sharply"
    assert guess_kind(text, s, e) == "indirect"
    assert guess_kind('said the plan was “dead on arrival” and', 0, 38) == "mixed"


def test_find_mention_prefers_nearest_outside_the_quote():
    from annotator.editing.spans import find_mention
    text = "Anna Kovacs spoke. “Kovacs is wrong,” said Kovacs. Later Kovacs left."
    quote = (text.index("“"), text.index("”") + 1)
    s, e = find_mention(text, "Kovacs", quote[1], avoid=[quote])
    assert text[s:e] == "Kovacs" and s == text.index("said Kovacs") + 5
    assert find_mention(text, "Anna Kovacs", 40) == (0, 11)
    assert find_mention(text, "Maria Kovacs", 60)[0] == text.index("Later Kovacs") + 6
    assert find_mention(text, "Nobody", 3) is None


def test_suggestion_covered_by_my_own_quote_is_not_pending(desk_db):
    db = desk_db
    alice, sugg = ensure_layer(db, "alice"), ensure_layer(db, "suggestions")
    add_quote(db, article_id=1, layer="suggestions", fragments=[(10, 30)], status="suggested")
    add_quote(db, article_id=1, layer="suggestions", fragments=[(100, 130)], status="suggested")
    add_quote(db, article_id=1, layer="alice", fragments=[(8, 26)])  # tagged by hand
    assert [q["start"] for q in desk.pending_suggestions(db, 1, alice, sugg)] == [100]


def test_an_analyst_cannot_change_another_analysts_layer(desk_db):
    db = desk_db
    bob = ensure_layer(db, "bob")
    uid = add_quote(db, article_id=1, layer="bob", fragments=[(5, 25)])
    before = dump(db)
    for cmd in (AddQuote(article_id=1, layer_id=bob, fragments=[(30, 40)], actor="alice"),
                UpdateQuote(uuid=uid, actor="alice", note="mine now"),
                DeleteQuote(uuid=uid, actor="alice"),
                SetArticleStatus(article_id=1, layer_id=bob, status="done", actor="alice")):
        with pytest.raises(PermissionError, match="alice cannot change bob's layer"):
            cmd.apply(db)
    assert dump(db) == before
    sugg = ensure_layer(db, "suggestions")
    with pytest.raises(PermissionError, match="suggestions"):
        AddQuote(article_id=1, layer_id=sugg, fragments=[(0, 4)], actor="alice").apply(db)
    DeleteQuote(uuid=uid, actor="bob").apply(db)  # the owner may


def test_article_list_filters_by_review_workflow(desk_db):
    db = desk_db
    alice, bob = ensure_layer(db, "alice"), ensure_layer(db, "bob")
    gold = ensure_layer(db, "gold")
    for layer, actor in ((alice, "alice"), (bob, "bob")):
        SetArticleStatus(article_id=1, layer_id=layer, status="done", actor=actor).apply(db)
    SetArticleStatus(article_id=2, layer_id=alice, status="done", actor="alice").apply(db)
    SetArticleStatus(article_id=2, layer_id=bob, status="in_progress", actor="bob").apply(db)
    SetArticleStatus(article_id=3, layer_id=alice, status="done", actor="alice").apply(db)
    SetArticleStatus(article_id=3, layer_id=gold, status="done", actor="alice").apply(db)
    ids = lambda status: [r["id"] for r in desk.list_articles(db, layer_id=alice, status=status)]  # noqa
    assert ids("queue") == [1]
    assert ids("reviewed") == [3]
    assert 3 not in ids("not_reviewed") and len(ids("not_reviewed")) == 9
    assert desk.count_articles(db, layer_id=alice, status="queue") == 1
    assert desk.article_position(db, 1, layer_id=alice, status="queue") == 0


def test_accept_all_skips_suggestions_i_already_tagged(desk_db):
    db = desk_db
    alice, sugg = ensure_layer(db, "alice"), ensure_layer(db, "suggestions")
    add_quote(db, article_id=1, layer="suggestions", fragments=[(10, 30)], status="suggested")
    add_quote(db, article_id=1, layer="suggestions", fragments=[(50, 70)], status="suggested")
    add_quote(db, article_id=1, layer="alice", fragments=[(10, 30)])
    cmd = AcceptAllSuggestions(article_id=1, layer_id=alice, suggestions_layer_id=sugg,
                               actor="alice")
    cmd.apply(db)
    assert cmd.count == 1
    assert sorted(q["start"] for q in desk.article_quotes(db, 1, alice)) == [10, 50]


def test_redo_never_overwrites_a_row_another_writer_took(desk_db, project_path):
    """Redo re-creates the quote under a new id (uuid unchanged); undo and redo go on."""
    from annotator.store.db import open_project
    db = desk_db
    alice = ensure_layer(db, "alice")
    cmd = AddQuote(article_id=1, layer_id=alice, fragments=[(10, 20)], actor="alice")
    cmd.apply(db)
    cmd.revert(db)
    other = open_project(project_path)
    ann = add_quote(other, article_id=1, layer="ann", fragments=[(30, 40)])
    other.close()
    taken = db.execute("SELECT id FROM quotes WHERE uuid = ?", [ann]).fetchone()[0]
    cmd.apply(db)  # redo: the quote's old id now belongs to ann's quote
    assert db.execute("SELECT layer_id FROM quotes WHERE uuid = ?", [ann]).fetchone()[0] == \
        ensure_layer(db, "ann")
    mine = desk.article_quotes(db, 1, alice)
    assert [(q["uuid"], q["start"], q["end"]) for q in mine] == [(cmd.uuid, 10, 20)]
    new_id = db.execute("SELECT id FROM quotes WHERE uuid = ?", [cmd.uuid]).fetchone()[0]
    assert new_id != taken
    assert db.execute("SELECT start, \"end\" FROM quote_fragments WHERE quote_id = ?",
                      [new_id]).fetchall() == [(10, 20)]
    cmd.revert(db)
    assert desk.article_quotes(db, 1, alice) == []
    assert db.execute("SELECT count(*) FROM quote_fragments").fetchone()[0] == 1  # ann's
    cmd.apply(db)
    assert [q["uuid"] for q in desk.article_quotes(db, 1, alice)] == [cmd.uuid]


def test_entities_of_another_analyst_are_protected(desk_db):
    db = desk_db
    ann = ensure_layer(db, "ann")
    add = AddEntity(article_id=1, start=0, end=5, label="ORG", layer_id=ann, actor="ann")
    add.apply(db)
    for cmd in (RelabelEntity(entity_id=add.entity_id, label="GPE", actor="bob"),
                RemoveEntity(entity_id=add.entity_id, actor="bob"),
                AddEntity(article_id=1, start=6, end=9, label="ORG", layer_id=ann, actor="bob")):
        with pytest.raises(PermissionError):
            cmd.apply(db)
    assert [(e["label"]) for e in desk.entity_rows(db, 1)] == ["ORG"]


def test_merge_proposals_are_settled_and_undone(desk_db):
    from annotator.editing.registry import SettleMergeProposal
    from annotator.store.db import now
    db = desk_db
    a = CreateSpeaker(name="Sergey Lavrov", actor="alice")
    b = CreateSpeaker(name="Sergei Lavrov", actor="alice")
    c = CreateSpeaker(name="Yevgeny Morozov", actor="alice")
    d = CreateSpeaker(name="Evgeny Morozov", actor="alice")
    for cmd in (a, b, c, d):
        cmd.apply(db)
    for keep, other in ((a, b), (c, d)):
        db.execute("INSERT INTO speaker_merge_proposals(speaker_id, other_id, reason, created) "
                   "VALUES (?, ?, 'spelling', ?)", [keep.speaker_id, other.speaker_id, now()])
    db.conn.commit()
    add_quote(db, article_id=1, layer="alice", fragments=[(0, 9)], speaker_id=b.speaker_id)
    first, second = desk.open_merge_proposals(db)
    before = dump(db)
    merge = SettleMergeProposal(proposal_id=first["id"], accept=True, actor="alice")
    merge.apply(db)
    SettleMergeProposal(proposal_id=second["id"], accept=False, actor="alice").apply(db)
    assert desk.open_merge_proposals(db) == []
    names = {s["name"] for s in desk.speakers_table(db)}
    assert names == {"Sergey Lavrov", "Yevgeny Morozov", "Evgeny Morozov"}
    assert desk.article_quotes(db, 1, ensure_layer(db, "alice"))[0]["speaker"] == "Sergey Lavrov"
    merge.revert(db)
    assert {p["speaker"] for p in desk.open_merge_proposals(db)} == {"Sergey Lavrov"}
    assert len(desk.speakers_table(db)) == 4
    assert dump(db)["quotes"] == before["quotes"]
