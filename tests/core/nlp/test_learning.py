"""Learning from corrections: the registry learns a corrected speaker, the next analysis uses
it, a re-analysis keeps every decision, ``analyze --redo`` re-suggests everything."""
import subprocess
import sys

from annotator.corpus.importing import import_paths
from annotator.editing.desk import pending_suggestions
from annotator.editing.edits import AddQuote, DecideSuggestion, UpdateQuote
from annotator.editing.registry import SettleMergeProposal
from annotator.editing.speakers import add_speaker, find_speaker
from annotator.nlp.speaker_matching import merge_proposals
from annotator.project import SAMPLE_CORPUS
from annotator.store.db import ensure_layer, get_setting
from annotator.tasks import Task
from conftest import ROOT, cli_env
from project_helpers import analyze_file
from test_suggest_store import write_articles

SERGEY = "Sergey Lavrov said Moscow would respond to the new sanctions within days."
LATER = "Sergey Lavrov said the talks with Washington would go on next week."


def suggestions(db, article_id=None):
    """(uuid, article, start, speaker name, mention text) of the suggestions layer."""
    return db.execute(
        "SELECT q.uuid, q.article_id, q.start, s.name, substr(a.text, q.speaker_start + 1, "
        "q.speaker_end - q.speaker_start) FROM quotes q JOIN layers l ON l.id = q.layer_id "
        "JOIN articles a ON a.id = q.article_id LEFT JOIN speakers s ON s.id = q.speaker_id "
        "WHERE l.name = 'suggestions' AND (? IS NULL OR q.article_id = ?) "
        "ORDER BY q.article_id, q.start", [article_id, article_id]).fetchall()


def aliases(db, speaker_id):
    return [r[0] for r in db.execute("SELECT alias FROM speaker_aliases WHERE speaker_id = ?",
                                     [speaker_id])]


def speaker(db, speaker_id):
    return db.execute("SELECT name, role, organisation FROM speakers WHERE id = ?",
                      [speaker_id]).fetchone()


def test_accepting_with_another_speaker_learns_the_mention_and_undo_forgets(
        db, project_path, tmp_path, nlp):
    import_paths(db, [write_articles(tmp_path, [SERGEY])])
    analyze_file(project_path)
    ((uid, _, _, name, mention),) = suggestions(db)
    assert (name, mention) == ("Sergey Lavrov", "Sergey Lavrov")
    sergei = add_speaker(db, "Sergei Lavrov")
    cmd = DecideSuggestion(suggestion_uuid=uid, layer_id=ensure_layer(db, "alice"),
                           actor="alice", speaker_id=sergei)
    cmd.apply(db)
    assert aliases(db, sergei) == ["Sergey Lavrov"]
    cmd.revert(db)   # one undo: the quote and what was learnt
    assert aliases(db, sergei) == []
    assert db.execute("SELECT count(*) FROM quotes WHERE origin_uuid = ?", [uid]).fetchone()[0] \
        == 0
    cmd.apply(db)    # redo learns again
    assert aliases(db, sergei) == ["Sergey Lavrov"]


def test_an_article_analysed_after_a_correction_gets_the_corrected_speaker(
        db, project_path, tmp_path, nlp):
    import_paths(db, [write_articles(tmp_path, [SERGEY])])
    analyze_file(project_path)
    ((uid, *_),) = suggestions(db)
    sergei = add_speaker(db, "Sergei Lavrov")
    DecideSuggestion(suggestion_uuid=uid, layer_id=ensure_layer(db, "alice"), actor="alice",
                     speaker_id=sergei).apply(db)
    later = tmp_path / "later"
    later.mkdir()
    import_paths(db, [write_articles(later, [LATER])])
    analyze_file(project_path)
    assert [r[3] for r in suggestions(db, 2)] == ["Sergei Lavrov"]
    assert [r[3] for r in suggestions(db, 1)] == ["Sergey Lavrov"]   # decided: untouched


def test_correcting_the_speaker_of_an_accepted_quote_learns_role_and_organisation(db, tmp_path):
    """A suggestion by role (an unnamed speaker with role and organisation) corrected to the
    named person: the person takes the role and organisation, no alias is learnt from a
    description; a quote typed by hand teaches nothing."""
    text = "\u201cWe will talk,\u201d the Chinese foreign minister said on Monday."
    import_paths(db, [write_articles(tmp_path, [text])])
    unnamed = add_speaker(db, "unnamed Chinese foreign minister", kind="unnamed",
                          role="foreign minister", organisation="China")
    wang = add_speaker(db, "Wang Yi")
    mention = (text.index("the Chinese"), text.index(" said"))
    suggestion = AddQuote(article_id=1, layer_id=ensure_layer(db, "suggestions"),
                          fragments=[(0, 16)], actor="analysis", status="suggested",
                          speaker_id=unnamed, speaker_start=mention[0], speaker_end=mention[1])
    suggestion.apply(db)
    alice = ensure_layer(db, "alice")
    accept = DecideSuggestion(suggestion_uuid=suggestion.uuid, layer_id=alice, actor="alice")
    accept.apply(db)
    assert speaker(db, wang) == ("Wang Yi", None, None)   # same speaker: nothing to learn
    fix = UpdateQuote(uuid=accept.uuid, actor="alice", speaker_id=wang)
    fix.apply(db)
    assert speaker(db, wang) == ("Wang Yi", "foreign minister", "China")
    assert aliases(db, wang) == []
    fix.revert(db)
    assert speaker(db, wang) == ("Wang Yi", None, None)
    typed = add_speaker(db, "Li Qiang")
    AddQuote(article_id=1, layer_id=alice, fragments=[(0, 16)], actor="alice",
             speaker_id=typed, speaker_start=mention[0], speaker_end=mention[1]).apply(db)
    assert speaker(db, typed) == ("Li Qiang", None, None)


def test_a_settled_merge_gives_the_kept_speaker_to_later_articles(
        db, project_path, tmp_path, nlp):
    import_paths(db, [write_articles(tmp_path, [
        "Russian Foreign Minister Sergei Lavrov said the sanctions were illegal.", SERGEY])])
    analyze_file(project_path)
    (proposal,) = merge_proposals(db)
    SettleMergeProposal(proposal_id=proposal["id"], accept=True, actor="alice").apply(db)
    later = tmp_path / "later"
    later.mkdir()
    import_paths(db, [write_articles(later, [LATER])])
    analyze_file(project_path)
    assert [r[3] for r in suggestions(db, 3)] == ["Sergei Lavrov"]


def _decide_three(db):
    """Accept one suggestion, reject one, accept one with another speaker (alice)."""
    alice = ensure_layer(db, "alice")
    rows = suggestions(db)
    other = add_speaker(db, "Jane Roe")
    DecideSuggestion(suggestion_uuid=rows[0][0], layer_id=alice, actor="alice").apply(db)
    DecideSuggestion(suggestion_uuid=rows[1][0], layer_id=alice, actor="alice",
                     accept=False).apply(db)
    DecideSuggestion(suggestion_uuid=rows[2][0], layer_id=alice, actor="alice",
                     speaker_id=other).apply(db)
    return alice


def alice_quotes(db, alice):
    return db.execute("SELECT * FROM quotes WHERE layer_id = ? ORDER BY id", [alice]).fetchall()


def pending(db, alice):
    sug = ensure_layer(db, "suggestions")
    return [q["uuid"] for a in range(1, 11) for q in pending_suggestions(db, a, alice, sug)]


def _analysed_and_decided(db, project_path):
    """The sample analysed and three suggestions decided: alice's layer, her quotes and how
    many suggestions are pending for her."""
    import_paths(db, [SAMPLE_CORPUS])
    analyze_file(project_path)
    alice = _decide_three(db)
    return alice, alice_quotes(db, alice), len(pending(db, alice))


def test_reanalysis_keeps_every_decision(db, project_path, nlp):
    alice, decided, before = _analysed_and_decided(db, project_path)
    db.execute("UPDATE articles SET analyzed_at = NULL")
    db.conn.commit()
    analyze_file(project_path)
    assert alice_quotes(db, alice) == decided   # never touched
    origins = [r[0] for r in db.execute(
        "SELECT count(*) FROM quotes s JOIN quotes d ON d.origin_uuid = s.uuid "
        "WHERE d.layer_id = ?", [alice])]
    assert origins == [3]                        # the suggestions they came from are kept
    assert len(pending(db, alice)) == before     # none proposed again


def test_redo_resuggests_every_article_and_resumes_after_cancel(db, project_path, nlp):
    alice, decided, before = _analysed_and_decided(db, project_path)
    assert analyze_file(project_path).analyzed == 0   # nothing pending without --redo
    calls = []
    report = analyze_file(project_path, redo=True, batch_size=3,
                          task=Task(cancel=lambda: calls.append(1) or len(calls) >= 2))
    assert report.cancelled and report.pending_before == 10 and 0 < report.analyzed < 10
    assert get_setting(db, "redo_since")
    rest = analyze_file(project_path, redo=True, batch_size=3)
    assert rest.pending_before == 10 - report.analyzed and not rest.cancelled
    assert get_setting(db, "redo_since") is None
    assert alice_quotes(db, alice) == decided and len(pending(db, alice)) == before


def test_cli_analyze_redo_uses_what_was_learnt(db, project_path, tmp_path, nlp):
    import_paths(db, [write_articles(tmp_path, [SERGEY, LATER])])
    analyze_file(project_path)
    uid = suggestions(db, 1)[0][0]
    sergei = add_speaker(db, "Sergei Lavrov")
    DecideSuggestion(suggestion_uuid=uid, layer_id=ensure_layer(db, "alice"), actor="alice",
                     speaker_id=sergei).apply(db)
    assert [r[3] for r in suggestions(db, 2)] == ["Sergey Lavrov"]
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "analyze", "--redo",
                          "--project", str(project_path)], capture_output=True, text=True,
                         env=cli_env(), timeout=300)
    assert out.returncode == 0, out.stderr
    assert "analysed 2 of 2" in out.stdout
    assert [r[3] for r in suggestions(db, 2)] == ["Sergei Lavrov"]
    assert find_speaker(db, "Sergey Lavrov") is not None
