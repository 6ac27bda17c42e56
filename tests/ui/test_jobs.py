"""The one runner of long jobs (``ui/jobs.py``) with real jobs on real project files: progress
and the report come back on the UI thread, Cancel goes through the task, a failure is a
message, and ``finished`` comes last."""
import json
import threading

from annotator.corpus.importing import import_paths
from annotator.nlp.analysis import AnalysisReport
from annotator.project import SAMPLE_CORPUS
from annotator.tasks import Task
from ui.jobs import AnalysisJob, Job, ProgressWidget


def articles(path, n=20):
    path.write_text("".join(json.dumps({"text": f"Article {i} " + "word " * 40}) + "\n"
                            for i in range(n)), encoding="utf-8")
    return path


def record(job):
    seen = []
    job.progressed.connect(lambda *a: seen.append(("progress", a)))
    job.done.connect(lambda report: seen.append(("done", report)))
    job.failed.connect(lambda message: seen.append(("failed", message)))
    job.finished.connect(lambda: seen.append(("finished", None)))
    return seen


def test_a_job_runs_off_the_ui_thread_on_its_own_connection(qtbot, db, project_path, tmp_path):
    where = []

    def importing(conn, *, task, paths):
        where.append((threading.current_thread() is threading.main_thread(), conn is db))
        return import_paths(conn, paths, task=task)
    job = Job(importing, project_path, paths=[articles(tmp_path / "a.jsonl")])
    seen = record(job)
    with qtbot.waitSignal(job.finished, timeout=30000):
        job.start()
    assert where == [(False, False)] and not job.running()
    kinds = [kind for kind, _ in seen]
    assert kinds[-2:] == ["done", "finished"] and "progress" in kinds
    report = seen[-2][1]
    assert report.imported == 20 and not report.cancelled
    assert all(len(a) == 3 and isinstance(a[2], str) for kind, a in seen if kind == "progress")
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 20


def test_cancel_in_the_status_bar_stops_the_job_after_a_whole_batch(qtbot, db, project_path,
                                                                     tmp_path):
    def importing(conn, *, task, paths):
        def progress(done, total, note):   # hold after the first batch until Cancel
            task.progress(done, total, note)
            while not task.cancelled:
                threading.Event().wait(0.01)
        return import_paths(conn, paths, batch_size=5,
                            task=Task(progress=progress, cancel=lambda: task.cancelled))
    widget = ProgressWidget()
    qtbot.addWidget(widget)
    job = Job(importing, project_path, paths=[articles(tmp_path / "b.jsonl")])
    seen = record(job)
    widget.follow(job, "Importing {note}")
    job.progressed.connect(lambda *a: widget.cancel_button.click())
    with qtbot.waitSignal(job.finished, timeout=30000):
        job.start()
        assert widget.isVisible()
    report = next(value for kind, value in seen if kind == "done")
    assert report.cancelled and report.imported == 5
    assert widget.label.text() == "Importing b.jsonl" and not widget.isVisible()
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


def test_a_failure_is_one_line_and_nothing_escapes(qtbot, tmp_path):
    foreign = tmp_path / "notes.quotebook"
    foreign.write_text("not a database, some notes\n" * 100)
    job = Job(import_paths, foreign, paths=[])
    seen = record(job)
    with qtbot.waitSignal(job.finished, timeout=30000):
        job.start()
    (kind, message), last = seen
    assert kind == "failed" and last[0] == "finished"
    assert "\n" not in message and "notes.quotebook" in message
    assert foreign.read_text() == "not a database, some notes\n" * 100


def test_the_analysis_process_behind_the_same_interface(qtbot, db, project_path):
    import_paths(db, [SAMPLE_CORPUS])
    job = AnalysisJob(project_path)
    seen = record(job)
    with qtbot.waitSignal(job.finished, timeout=120000):
        job.start()
    kinds = [kind for kind, _ in seen]
    assert kinds[-2:] == ["done", "finished"] and "progress" in kinds
    report = seen[-2][1]
    assert isinstance(report, AnalysisReport) and report.analyzed == 10
    assert not report.cancelled and not job.running()
