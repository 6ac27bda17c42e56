"""Suggestions stored by the analysis: the layer, the registry, merge proposals, settings."""
import json
import subprocess
import sys

from annotator.store import migrations as mig
from annotator.corpus.importing import import_paths
from annotator.project import SAMPLE_CORPUS
from annotator.editing.edits import add_quote
from annotator.store.db import get_setting, set_setting
from annotator.nlp.speaker_matching import merge_proposals, similar_first_names, speaker_id_for
from conftest import ROOT, cli_env
from annotator.tasks import Task
from project_helpers import analyze_file


def write_articles(tmp_path, texts):
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps({"id": f"a{i}", "text": t}) + "\n"
                            for i, t in enumerate(texts)), encoding="utf-8")
    return path


def suggestion_rows(db, with_id=False):
    return db.execute(
        'SELECT q.article_id, q.start, q."end", q.kind, q.status, q.confidence, q.cue_start, '
        "q.cue_end, q.speaker_start, q.speaker_end, s.name, s.kind"
        + (", q.id" if with_id else "") + " FROM quotes q "
        "JOIN layers l ON l.id = q.layer_id LEFT JOIN speakers s ON s.id = q.speaker_id "
        "WHERE l.name = 'suggestions' ORDER BY q.article_id, q.start").fetchall()


def test_analysis_stores_suggestions_with_cue_speaker_and_confidence(db, project_path, nlp):
    import_paths(db, [SAMPLE_CORPUS])
    report = analyze_file(project_path)
    rows = suggestion_rows(db, with_id=True)
    assert report.quotes == len(rows) >= 40
    texts = dict(db.execute("SELECT id, text FROM articles").fetchall())
    assert {r[4] for r in rows} == {"suggested"}
    assert db.execute("SELECT kind FROM layers WHERE name = 'suggestions'").fetchone()[0] == \
        "suggestions"
    for aid, start, end, kind, _, conf, cs, ce, ss, se, name, skind, qid in rows:
        assert 0 < conf <= 1 and kind in ("direct", "indirect", "mixed")
        frags = db.execute('SELECT start, "end" FROM quote_fragments WHERE quote_id = ? '
                           "ORDER BY ord", [qid]).fetchall()
        assert frags[0][0] == start and frags[-1][1] == end
        assert texts[aid][cs:ce].strip() and not any(s < ce and cs < e for s, e in frags)
        if name is not None:
            assert texts[aid][ss:se].strip() and skind in ("person", "organisation", "unnamed",
                                                           "group")
    frags = db.execute("SELECT count(*) FROM quote_fragments f JOIN quotes q ON q.id = "
                       "f.quote_id").fetchone()[0]
    assert frags > len(rows)   # split quotes have two fragments
    assert {r[3] for r in rows} == {"direct", "indirect", "mixed"}
    assert {"organisation", "unnamed", "person"} <= {r[11] for r in rows}


def test_rerun_replaces_suggestions_and_keeps_analyst_work(db, project_path, nlp):
    import_paths(db, [SAMPLE_CORPUS])
    analyze_file(project_path)
    first = suggestion_rows(db)
    speakers = db.execute("SELECT count(*) FROM speakers").fetchone()[0]
    add_quote(db, article_id=1, layer="alice", fragments=[(0, 10)])
    db.execute("UPDATE articles SET analyzed_at = NULL")
    db.conn.commit()
    analyze_file(project_path)
    assert suggestion_rows(db) == first
    assert db.execute("SELECT count(*) FROM speakers").fetchone()[0] == speakers
    assert db.execute("SELECT count(*) FROM quotes q JOIN layers l ON l.id = q.layer_id "
                      "WHERE l.name = 'alice'").fetchone()[0] == 1


def test_rerun_does_not_propose_a_rejected_suggestion_again(db, project_path, nlp):
    import_paths(db, [SAMPLE_CORPUS])
    analyze_file(project_path)
    before = suggestion_rows(db)
    qid = db.execute("SELECT q.id FROM quotes q JOIN layers l ON l.id = q.layer_id WHERE "
                     "l.name = 'suggestions' ORDER BY q.article_id, q.start LIMIT 1").fetchone()[0]
    db.execute("UPDATE quotes SET status = 'rejected' WHERE id = ?", [qid])
    db.execute("UPDATE articles SET analyzed_at = NULL")
    db.conn.commit()
    analyze_file(project_path)
    after = suggestion_rows(db)
    assert len(after) == len(before)
    assert [r[4] for r in after].count("rejected") == 1
    assert [r[:4] for r in after] == [r[:4] for r in before]


def test_cancel_then_resume_gives_the_same_suggestions(tmp_path, nlp):
    from annotator.store.db import open_project
    results = []
    for name, cancel_after in (("full", None), ("resumed", 1)):
        path = tmp_path / f"{name}.quotebook"
        db = open_project(path)
        import_paths(db, [SAMPLE_CORPUS])
        if cancel_after:
            calls = []
            report = analyze_file(path, batch_size=3,
                                  task=Task(cancel=lambda: calls.append(1) or len(calls) >= 3))
            assert report.cancelled and 0 < report.analyzed < 10
            analyze_file(path, batch_size=3)
        else:
            analyze_file(path, batch_size=3)
        results.append([r[:4] + r[10:] for r in suggestion_rows(db)])
        db.close()
    assert results[0] == results[1] and results[0]


def test_canonical_speakers_across_articles(db, project_path, tmp_path, nlp):
    texts = ["Russian Foreign Minister Sergei Lavrov said the sanctions were illegal.",
             "Sergey Lavrov said Moscow would respond to the new sanctions within days.",
             "Secretary of State Mike Pompeo said the talks with Pyongyang would go on.",
             "Pompeo told reporters that the talks had been productive.",
             "Mike Pompeo said the sanctions would stay in place for now."]
    import_paths(db, [write_articles(tmp_path, texts)])
    analyze_file(project_path)
    rows = suggestion_rows(db)
    assert [r[10] for r in rows] == ["Sergei Lavrov", "Sergey Lavrov", "Mike Pompeo",
                                     "Mike Pompeo", "Mike Pompeo"]
    ids = db.execute("SELECT speaker_id FROM quotes ORDER BY article_id").fetchall()
    assert ids[0] != ids[1] and ids[2] == ids[3] == ids[4]   # never merged silently
    (proposal,) = merge_proposals(db)
    assert {proposal["speaker"], proposal["other"]} == {"Sergei Lavrov", "Sergey Lavrov"}
    role, org = db.execute("SELECT role, organisation FROM speakers WHERE name = ?",
                           ["Sergei Lavrov"]).fetchone()
    assert (role, org) == ("Foreign Minister", "Russia")
    assert db.execute("SELECT role FROM speakers WHERE name = 'Mike Pompeo'").fetchone()[0] == \
        "Secretary of State"


def test_merge_proposals_only_for_spellings_of_one_name(db):
    with db.atomic():
        a = speaker_id_for(db, "Yevgeny Morozov")
        b = speaker_id_for(db, "Evgeny Morozov")
        c = speaker_id_for(db, "Anna Morozov")
        d = speaker_id_for(db, "Yevgeny Morozov")
    assert a == d and len({a, b, c}) == 3
    assert [(p["speaker_id"], p["other_id"]) for p in merge_proposals(db)] == [(a, b)]
    assert similar_first_names("Sergei", "Sergey") and not similar_first_names("Mike", "Mark")
    assert not similar_first_names("Anna", "Yevgeny")


def test_merge_proposals_respect_middle_names_and_suffixes(db):
    with db.atomic():
        ids = {n: speaker_id_for(db, n) for n in (
            "George W. Bush", "George H.W. Bush", "Joseph R. Biden Jr.", "Joseph F. Dunford Jr.",
            "Donald Trump", "Donald J. Trump", "Donald Trump Jr.",
            "rampant xenophobe who pledged a Trump ban")}
    pairs = [{p["speaker"], p["other"]} for p in merge_proposals(db)]
    assert pairs == [{"Donald Trump", "Donald J. Trump"}]
    assert len(set(ids.values())) == 8


def test_surname_alone_is_the_one_registered_person(db):
    with db.atomic():
        pompeo = speaker_id_for(db, "Mike Pompeo")
        assert speaker_id_for(db, "Pompeo", role="Secretary of State") == pompeo
        speaker_id_for(db, "Anna Kovacs")
        speaker_id_for(db, "Lena Kovacs")
        ambiguous = speaker_id_for(db, "Kovacs")
    assert db.execute("SELECT name FROM speakers WHERE id = ?", [ambiguous]).fetchone()[0] == \
        "Kovacs"
    # an empty role is filled from a later mention, and the change is logged
    assert db.execute("SELECT role FROM speakers WHERE id = ?", [pompeo]).fetchone()[0] == \
        "Secretary of State"
    assert db.execute("SELECT count(*) FROM _events WHERE action = 'fill_speaker' AND target = ?",
                      [f"speaker:{pompeo}"]).fetchone()[0] == 1


def test_a_batch_cache_gives_what_one_lookup_per_mention_gives(db):
    """The writer's per-batch cache must not make the registry depend on where batches end
    (a cluster analysis compares row for row with a local one of another batch size)."""
    def resolve(cache):
        with db.atomic():
            rubio = speaker_id_for(db, "Marco Rubio", cache=cache)
            speaker_id_for(db, "Marco Rubio", role="Sen.", organisation="Florida", cache=cache)
            assert speaker_id_for(db, "Rubio", cache=cache) == rubio
            speaker_id_for(db, "Ann Rubio", cache=cache)
            other = speaker_id_for(db, "Rubio", cache=cache)  # two Rubios now: ambiguous
        row = db.execute("SELECT role, organisation FROM speakers WHERE id = ?", [rubio])
        return row.fetchone(), db.execute("SELECT name FROM speakers WHERE id = ?",
                                          [other]).fetchone()[0]
    assert resolve({}) == (("Sen.", "Florida"), "Rubio")


def test_speech_verbs_setting_from_the_command_line(project_path, tmp_path, nlp):
    from annotator.store.db import open_project
    from annotator.nlp.speaker_matching import speech_verbs_setting
    db = open_project(project_path)
    import_paths(db, [write_articles(tmp_path, [
        "The farmers grumble that the tariffs are unfair to small producers."])])
    db.close()
    analyze_file(project_path)
    base = [sys.executable, str(ROOT / "main.py"), "config", "--project", str(project_path)]
    out = subprocess.run(base + ["speech-verbs", "grumble, Gripe"], env=cli_env(),
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    shown = subprocess.run(base + ["speech-verbs"], env=cli_env(), capture_output=True, text=True)
    assert shown.stdout.strip() == "grumble, gripe"
    db = open_project(project_path)
    try:
        assert suggestion_rows(db) == []            # analysed before the setting
        assert json.loads(get_setting(db, "speech_verbs")) == ["grumble", "gripe"]
        db.execute("UPDATE articles SET analyzed_at = NULL")
        db.conn.commit()
        analyze_file(project_path)
        ((_, _, _, kind, *_rest, name, skind),) = suggestion_rows(db)
        assert (kind, name, skind) == ("indirect", "unnamed farmers", "unnamed")
    finally:
        db.close()
    subprocess.run(base + ["speech-verbs", "-"], env=cli_env(), check=True)
    db = open_project(project_path)
    try:
        assert get_setting(db, "speech_verbs") is None
        set_setting(db, "speech_verbs", "not json, opine")   # a hand-edited value still reads
        assert speech_verbs_setting(db) == ["not json", "opine"]
    finally:
        db.close()


def test_merge_proposal_table_is_a_numbered_migration():
    assert mig.known()[:3] == ["m001_initial", "m002_position_value",
                               "m003_speaker_merge_proposals"]


def test_rows_keep_only_fragments_the_schema_accepts():
    from annotator.nlp.suggestions_layer import as_rows
    from annotator.nlp.suggest.suggestion import Suggestion
    rows = as_rows([Suggestion([(30, 40), (5, 10), (8, 12), (50, 50)], cue=(12, 15),
                               mention=(90, 120)),
                    Suggestion([(60, 60)])], 100)
    assert len(rows) == 1
    assert rows[0]["fragments"] == [(5, 12), (30, 40)]
    assert rows[0]["cue"] == (12, 15) and rows[0]["mention"] is None


def test_two_processes_give_the_same_suggestions(tmp_path, nlp):
    """spaCy parses in worker processes; the rules run on the Docs they send back."""
    from annotator.store.db import open_project
    results = []
    for n_process in (1, 2):
        path = tmp_path / f"p{n_process}.quotebook"
        db = open_project(path)
        import_paths(db, [SAMPLE_CORPUS])
        db.close()
        report = analyze_file(path, n_process=n_process, batch_size=4)
        assert report.analyzed == 10
        db = open_project(path)
        results.append(suggestion_rows(db))
        db.close()
    assert results[0] == results[1] and len(results[0]) >= 40


def _role_article(db, tmp_path, project_path, text):
    import_paths(db, [write_articles(tmp_path, [text])])
    analyze_file(project_path)
    return suggestion_rows(db)


def test_unnamed_role_is_the_one_registered_person_with_that_role(db, project_path, tmp_path,
                                                                  nlp):
    from annotator.editing.speakers import add_speaker
    ozols = add_speaker(db, "Karlis Ozols", role="Foreign Minister", organisation="Latvia")
    add_speaker(db, "Aino Virtanen", role="Foreign Minister", organisation="Finland")
    add_speaker(db, "Ilze Berzina", role="Health Minister", organisation="Latvia")
    (row,) = _role_article(db, tmp_path, project_path,
                           "The Latvian foreign minister said the offer should be signed soon.")
    assert row[10] == "Karlis Ozols"
    assert db.execute("SELECT speaker_id FROM quotes").fetchone()[0] == ozols


def test_unnamed_role_with_two_registered_candidates_stays_unnamed(db, project_path, tmp_path,
                                                                   nlp):
    from annotator.editing.speakers import add_speaker
    add_speaker(db, "Karlis Ozols", role="Foreign Minister", organisation="Latvia")
    add_speaker(db, "Aino Virtanen", role="Foreign Minister", organisation="Finland")
    (row,) = _role_article(db, tmp_path, project_path,
                           "The foreign minister said the offer should be signed soon.")
    assert row[10] == "unnamed foreign minister" and row[11] == "unnamed"
