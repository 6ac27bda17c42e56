"""The reviewer's commands (undo/redo, permissions), comments, and the article workflow."""
import pytest

from annotator.editing import desk
from annotator.review.alignment import align_article
from annotator.review.comments import article_comments, comments_for_layer, open_count
from annotator.editing.edits import SetArticleStatus, add_quote
from annotator.editing.permissions import can_write, check_write, reviewers, set_reviewers
from annotator.review.gold import (AcceptAgreed, AddComment, ResolveComment, TakeIntoGold,
                                    gold_layer)
from annotator.store.db import ensure_layer, now
from annotator.editing.workflow import article_ids, article_state, counts, review_queue


def dump(db):
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
            for t in ("quotes", "quote_fragments", "comments", "article_status")}


@pytest.fixture
def review(db):
    with db.atomic():
        arts = [db.execute("INSERT INTO articles(hash, text, imported_at) VALUES (?, ?, ?)",
                           [f"h{i}", "y" * 600, now()]).lastrowid for i in range(3)]
    a, b, g = ensure_layer(db, "alice"), ensure_layer(db, "bob"), gold_layer(db)
    quotes = {
        "a1": add_quote(db, article_id=arts[0], layer="alice", fragments=[(10, 50)]),
        "b1": add_quote(db, article_id=arts[0], layer="bob", fragments=[(10, 50)]),
        "a2": add_quote(db, article_id=arts[0], layer="alice", fragments=[(100, 160)]),
        "b2": add_quote(db, article_id=arts[0], layer="bob", fragments=[(104, 160)]),
        "a3": add_quote(db, article_id=arts[0], layer="alice", fragments=[(300, 340)]),
    }
    return db, arts, a, b, g, quotes


def test_take_into_gold_undo_redo(review):
    db, arts, a, b, g, q = review
    before = dump(db)
    unit = align_article(db, arts[0], [a, b])[1]
    assert unit.status == "boundaries"
    cmd = TakeIntoGold(quote_uuid=q["b2"], replaces=unit.uuids(), actor="rita",
                       reason="boundaries", comment="the quote starts at the mark")
    change = cmd.apply(db)
    assert change.articles == {arts[0]} and change.quote_uuid == cmd.uuid
    (gq,) = desk.article_quotes(db, arts[0], g)
    assert gq["uuid"] == cmd.uuid and gq["origin_uuid"] == q["b2"]
    assert gq["fragments"] == [(104, 160)] and gq["status"] == "accepted"
    (c,) = article_comments(db, arts[0])
    assert (c["quote_uuid"], c["reason"], c["author"]) == (cmd.uuid, "boundaries", "rita")
    after = dump(db)
    cmd.revert(db)
    assert dump(db) == before
    cmd.apply(db)
    assert dump(db) == after
    actions = [r[0] for r in db.execute("SELECT action FROM _events WHERE actor = 'rita'")]
    assert actions == ["take into gold", "undo take into gold", "redo take into gold"]


def test_take_another_version_replaces_the_gold_one(review):
    db, arts, a, b, g, q = review
    unit = align_article(db, arts[0], [a, b])[1]
    TakeIntoGold(quote_uuid=q["b2"], replaces=unit.uuids(), actor="rita").apply(db)
    edit = TakeIntoGold(quote_uuid=q["a2"], replaces=unit.uuids(), actor="rita",
                        fragments=[(100, 158)], kind="indirect")
    edit.apply(db)
    (gq,) = desk.article_quotes(db, arts[0], g)
    assert gq["origin_uuid"] == q["a2"] and gq["fragments"] == [(100, 158)]
    assert gq["kind"] == "indirect"
    edit.revert(db)
    (gq,) = desk.article_quotes(db, arts[0], g)
    assert gq["origin_uuid"] == q["b2"]


def test_accept_agreed_is_one_command(review):
    db, arts, a, b, g, q = review
    before = dump(db)
    cmd = AcceptAgreed(article_id=arts[0], layer_ids=[a, b], actor="rita")
    cmd.apply(db)
    assert cmd.count == 1
    (gq,) = desk.article_quotes(db, arts[0], g)
    assert gq["fragments"] == [(10, 50)] and gq["origin_uuid"] == q["a1"]
    again = AcceptAgreed(article_id=arts[0], layer_ids=[a, b, g], actor="rita")
    again.apply(db)
    assert again.count == 0                     # gold already holds that unit
    again.revert(db)
    cmd.revert(db)
    assert dump(db) == before


def test_only_reviewers_write_gold(review):
    db, arts, a, b, g, q = review
    assert reviewers(db) == [] and can_write(db, "alice", g)   # nobody named: anyone reviews
    set_reviewers(db, ["rita", " "])
    assert reviewers(db) == ["rita"]
    assert not can_write(db, "alice", g) and can_write(db, "rita", g)
    before = dump(db)
    with pytest.raises(PermissionError, match="alice is not a reviewer: only rita"):
        TakeIntoGold(quote_uuid=q["a1"], actor="alice").apply(db)
    with pytest.raises(PermissionError):
        AcceptAgreed(article_id=arts[0], layer_ids=[a, b], actor="bob").apply(db)
    assert dump(db) == before
    set_reviewers(db, [])
    assert can_write(db, "alice", g)


def test_an_analyst_cannot_change_another_layer(review):
    db, arts, a, b, g, q = review
    assert can_write(db, "alice", a) and not can_write(db, "alice", b)
    assert can_write(db, "import", b) and can_write(db, "merge", b)
    with pytest.raises(PermissionError, match="alice cannot change bob's layer"):
        check_write(db, "alice", b)
    sugg = ensure_layer(db, "suggestions")
    assert not can_write(db, "alice", sugg) and can_write(db, "analysis", sugg)
    with pytest.raises(PermissionError, match="written by the analysis only"):
        check_write(db, "alice", sugg)


def test_comments_reply_resolve_and_what_analysts_see(review):
    db, arts, a, b, g, q = review
    unit = align_article(db, arts[0], [a, b])[1]
    take = TakeIntoGold(quote_uuid=q["b2"], replaces=unit.uuids(), actor="rita",
                        reason="boundaries", comment="starts at the mark")
    take.apply(db)
    (seen,) = comments_for_layer(db, a)           # on the gold quote over alice's quote
    assert seen["about_uuid"] == q["a2"] and seen["body"] == "starts at the mark"
    assert comments_for_layer(db, b)[0]["about_uuid"] == q["b2"]
    assert open_count(db, a) == 1
    before = dump(db)
    reply = AddComment(parent_id=seen["id"], body="ok, agreed", actor="alice")
    reply.apply(db)
    thread = comments_for_layer(db, a)
    assert [(c["author"], c["depth"]) for c in thread] == [("rita", 0), ("alice", 1)]
    assert thread[1]["quote_uuid"] == take.uuid
    own = AddComment(quote_uuid=q["a3"], body="check the speaker", actor="rita")
    own.apply(db)
    assert len(comments_for_layer(db, a, article_id=arts[0])) == 3
    resolve = ResolveComment(comment_id=seen["id"], actor="alice")
    resolve.apply(db)
    assert [c["body"] for c in comments_for_layer(db, a)] == ["check the speaker"]
    assert len(comments_for_layer(db, a, include_resolved=True)) == 3
    for cmd in (resolve, own, reply):
        cmd.revert(db)
    assert dump(db) == before
    with pytest.raises(ValueError, match="needs some text"):
        AddComment(article_id=arts[0], body="  ", actor="rita")
    note = AddComment(article_id=arts[0], body="whole article", actor="rita")
    note.apply(db)
    assert article_comments(db, arts[0])[-1]["quote_uuid"] is None


def test_workflow_reviewed_and_queue(review):
    db, arts, a, b, g, q = review
    add_quote(db, article_id=arts[1], layer="bob", fragments=[(5, 20)])
    assert review_queue(db) == []
    who = {a: "alice", b: "bob", g: "rita"}
    st = lambda art, layer, status: SetArticleStatus(  # noqa: E731
        article_id=art, layer_id=layer, status=status, actor=who[layer]).apply(db)
    st(arts[0], a, "done")
    assert review_queue(db) == []                    # bob has quotes there: assigned, not done
    st(arts[0], b, "done")
    st(arts[1], b, "done")
    st(arts[2], a, "skipped")                        # skipped: not assigned; nobody else
    queue = review_queue(db)
    assert [r["id"] for r in queue] == [arts[0], arts[1]]
    assert queue[0]["analysts"] == ["alice", "bob"] and queue[1]["analysts"] == ["bob"]
    state = article_state(db, arts[0])
    assert state["statuses"]["alice"] == "done" and state["statuses"]["gold"] == "todo"
    assert state["in_queue"] and not state["reviewed"]
    st(arts[0], g, "done")                           # the reviewer marks it reviewed
    assert article_state(db, arts[0])["reviewed"]
    assert [r["id"] for r in review_queue(db)] == [arts[1]]
    assert article_ids(db, reviewed=True) == [arts[0]]
    assert article_ids(db, layer_id=a, status="todo") == [arts[1]]
    assert article_ids(db, in_queue=True) == [arts[1]]
    assert counts(db) == {"reviewed": 1, "in_queue": 1, "done": {"alice": 1, "bob": 2}}
    with pytest.raises(ValueError):
        article_ids(db, status="done")


def test_blind_mode_and_reviewers_setting(review, project_path, capsys):
    from annotator.cli import main as cli
    from annotator.editing.permissions import visible_layers
    db, arts, a, b, g, q = review
    ensure_layer(db, "suggestions")
    names = lambda rows: [r["name"] for r in rows]  # noqa: E731
    assert names(visible_layers(db, "alice")) == ["alice", "bob", "gold", "suggestions"]
    assert names(visible_layers(db, "alice", blind=True)) == ["alice", "suggestions"]
    assert cli.run(["config", "reviewers", "rita, sam", "--project", str(project_path)]) == 0
    assert reviewers(db) == ["rita", "sam"]
    assert names(visible_layers(db, "rita", blind=True)) == ["alice", "bob", "gold",
                                                             "suggestions"]
    assert cli.run(["config", "reviewers", "--project", str(project_path)]) == 0
    assert capsys.readouterr().out.strip() == "rita, sam"
    assert cli.run(["config", "reviewers", "-", "--project", str(project_path)]) == 0
    assert reviewers(db) == []


def test_layers_with_work_on_an_article_and_the_corpus(review):
    from annotator.editing.workflow import layers_with_work
    db, arts, a, b, g, q = review
    ensure_layer(db, "rita")                          # the reviewer's own layer: empty
    ensure_layer(db, "suggestions")
    add_quote(db, article_id=arts[0], layer="suggestions", fragments=[(10, 50)])
    add_quote(db, article_id=arts[0], layer="gold", fragments=[(10, 50)])
    add_quote(db, article_id=arts[1], layer="eve", fragments=[(5, 20)], status="rejected")
    add_quote(db, article_id=arts[1], layer="fay", fragments=[(5, 20)])
    ensure_layer(db, "dan")
    st = lambda art, name, status: SetArticleStatus(  # noqa: E731
        article_id=art, layer_id=desk.layer_id(db, name), status=status, actor=name).apply(db)
    st(arts[2], "dan", "done")                        # done with no quote is work too
    st(arts[1], "fay", "skipped")                     # skipped: its quote there is no work
    st(arts[1], "rita", "todo")                       # a status row alone is no work
    names = lambda rows: [r["name"] for r in rows]  # noqa: E731
    assert names(layers_with_work(db)) == ["alice", "bob", "dan"]
    assert names(layers_with_work(db, article_id=arts[0])) == ["alice", "bob"]
    assert names(layers_with_work(db, article_id=arts[1])) == []
    assert names(layers_with_work(db, article_id=arts[2])) == ["dan"]
    assert names(layers_with_work(db, kinds=("analyst", "gold", "suggestions"))) == \
        ["alice", "bob", "dan", "gold", "suggestions"]
    assert layers_with_work(db)[0] == {"id": a, "name": "alice", "kind": "analyst"}
    st(arts[2], "rita", "in_progress")
    assert "rita" in names(layers_with_work(db))


def test_units_already_settled_in_gold(review):
    from annotator.review.gold import settled_units
    db, arts, a, b, g, q = review
    units = align_article(db, arts[0], [a, b])
    assert [u.status for u in units] == ["agree", "boundaries", "missing"]
    assert settled_units(db, arts[0], units) == [False, False, False]
    TakeIntoGold(quote_uuid=q["b2"], replaces=units[1].uuids(), actor="rita").apply(db)
    assert settled_units(db, arts[0], units) == [False, True, False]
    add_quote(db, article_id=arts[0], layer="gold", fragments=[(300, 340)])  # coded in gold
    assert settled_units(db, arts[0], units) == [False, True, True]
    AcceptAgreed(article_id=arts[0], layer_ids=[a, b], actor="rita").apply(db)
    assert settled_units(db, arts[0], align_article(db, arts[0], [a, b])) == [True] * 3
    assert settled_units(db, arts[1], []) == []
