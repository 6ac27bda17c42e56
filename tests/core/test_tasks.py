"""The job contract (``annotator.tasks``): a long job reports ``(done, total, note)``, looks
at its task's cancel flag between whole units, and returns a report with ``cancelled``."""
import json
import multiprocessing as mp
import threading

import pytest

from annotator.corpus.importing import import_paths
from annotator.export import FORMATS, export
from annotator.review.agreement import agreement
from annotator.tasks import Cancelled, Task, ensure
from annotator.editing.edits import add_quote
from export_helpers import coded  # noqa: F401 (fixture)


def shape(calls) -> bool:
    return bool(calls) and all(isinstance(d, int) and isinstance(t, int) and isinstance(n, str)
                               and 0 <= d for d, t, n in calls)


def test_task_progress_and_a_flag_set_from_another_thread():
    calls = []
    task = Task(progress=lambda *a: calls.append(a))
    task.progress(1, 2)
    task.progress(2, 2, "b")
    assert calls == [(1, 2, ""), (2, 2, "b")]
    assert not task.cancelled
    task.check()
    setter = threading.Thread(target=task.cancel)
    setter.start()
    setter.join()
    assert task.cancelled
    with pytest.raises(Cancelled):
        task.check()
    ensure(None).progress(1, 1)  # the default task reports nothing and is never cancelled
    assert not ensure(None).cancelled


def test_task_watches_a_process_event_or_a_callable():
    event = mp.get_context("spawn").Event()
    task = Task(cancel=event)
    assert not task.cancelled
    event.set()
    assert task.cancelled
    answers = iter([False, True])
    asked = Task(cancel=lambda: next(answers))
    assert not asked.cancelled and asked.cancelled
    later = Task(cancel=lambda: False)
    later.cancel()
    assert later.cancelled


def test_import_cancelled_mid_way_keeps_whole_articles(db, tmp_path):
    path = tmp_path / "many.jsonl"
    texts = [f"Article {i}: " + "word " * (i + 5) for i in range(25)]
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    calls, asked = [], []
    task = Task(progress=lambda *a: calls.append(a),
                cancel=lambda: asked.append(1) or len(asked) >= 12)
    report = import_paths(db, [path], task=task, batch_size=5)
    assert report.cancelled and report.imported == 12
    stored = [r[0] for r in db.execute("SELECT text FROM articles ORDER BY id")]
    assert stored == texts[:12]           # whole articles, in order, none cut
    assert shape(calls) and calls[-1][1] == path.stat().st_size
    again = import_paths(db, [path])      # running it again completes it
    assert again.imported == 13 and not again.cancelled


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_cancelled_mid_way_writes_nothing(coded, tmp_path, fmt):
    asked = []
    result = export(coded, fmt, tmp_path / "out",
                    task=Task(cancel=lambda: asked.append(1) or len(asked) >= 2))
    assert result.cancelled and result.count == 0 and "cancelled" in result.summary()
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if ".part" in p.name] == []
    calls = []
    done = export(coded, fmt, tmp_path / "out", task=Task(progress=lambda *a: calls.append(a)))
    assert not done.cancelled and done.count > 0 and shape(calls)


def test_agreement_cancelled_mid_way_says_so(coded):
    for layer in ("bob", "carol"):
        for aid in (1, 2, 3):
            add_quote(coded, article_id=aid, layer=layer, fragments=[(10, 60)])
    calls = []
    seen = Task(progress=lambda *a: calls.append(a))
    full = agreement(coded, ["bob", "carol"], task=seen)
    assert not full["cancelled"] and full["articles"] == 3 and shape(calls)
    asked = []
    cut = agreement(coded, ["bob", "carol"],
                    task=Task(cancel=lambda: asked.append(1) or len(asked) >= 2))
    assert cut["cancelled"] and cut["pairs"] == [] and len(asked) == 2


def test_analysis_cancelled_mid_way_keeps_whole_batches(db, nlp):
    from annotator.nlp.analysis import analyze, pending_count
    from annotator.project import SAMPLE_CORPUS
    import_paths(db, [SAMPLE_CORPUS])
    calls, asked = [], []
    report = analyze(db, batch_size=2, task=Task(progress=lambda *a: calls.append(a),
                                                 cancel=lambda: asked.append(1) or len(asked) >= 3))
    assert report.cancelled and report.analyzed == 3 and pending_count(db) == 7
    marked = db.execute("SELECT count(*) FROM articles WHERE analyzed_at IS NOT NULL "
                        "AND id IN (SELECT article_id FROM entities)").fetchone()[0]
    assert marked == 3                       # each analysed article with its entities
    assert shape(calls) and calls[-1][:2] == (3, 10)
