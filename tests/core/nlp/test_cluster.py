"""Analysis on a real Dask ``LocalCluster`` of two worker processes: the stored result is the
local analysis's, row for row, through a dead worker, a cancel and a kill -9 of the writer."""
import os
import signal
import subprocess
import sys
import time

import distributed
import pytest

from annotator.corpus.importing import import_paths
from annotator.nlp.analysis import pending_count
from annotator.store.db import open_project
from annotator.tasks import Task
from conftest import POLNEAR_TRAIN, ROOT, cli_env
from project_helpers import analyze_file

N_ARTICLES = 20


@pytest.fixture(scope="module")
def cluster():
    """One cluster for the module (each start costs seconds), with a client to watch it."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local, \
            distributed.Client(local) as client:
        yield local, client


@pytest.fixture(scope="module")
def texts(tmp_path_factory):
    return sorted(POLNEAR_TRAIN.glob("*.txt"))[:N_ARTICLES]


@pytest.fixture(scope="module")
def local_rows(tmp_path_factory, texts):
    """What a local analysis of the same articles stores."""
    path = tmp_path_factory.mktemp("local") / "local.quotebook"
    db = open_project(path)
    import_paths(db, texts)
    analyze_file(path, batch_size=8)
    rows = stored(db)
    db.close()
    return rows


def stored(db) -> dict:
    """Everything the analysis writes, without its timestamps and random uuids."""
    q = lambda sql: db.execute(sql).fetchall()  # noqa: E731
    return {
        "articles": q("SELECT id, analyzed_model, analyzed_at IS NOT NULL FROM articles "
                      "ORDER BY id"),
        "entities": q('SELECT id, article_id, start, "end", label, layer_id FROM entities '
                      "ORDER BY id"),
        "quotes": q('SELECT q.id, article_id, layer_id, start, "end", kind, speaker_id, '
                    "speaker_start, speaker_end, cue_start, cue_end, status, confidence, "
                    "(SELECT group_concat(f.start || '-' || f.\"end\", ',') FROM "
                    "(SELECT * FROM quote_fragments WHERE quote_id = q.id ORDER BY ord) f) "
                    "FROM quotes q ORDER BY q.id"),
        "speakers": q("SELECT id, name, role, organisation, kind, merged_into FROM speakers "
                      "ORDER BY id"),
        "proposals": q("SELECT speaker_id, other_id, reason, status FROM "
                       "speaker_merge_proposals ORDER BY id"),
    }


def new_project(path, texts):
    db = open_project(path)
    import_paths(db, texts)
    return db


def assert_same(db, local_rows):
    rows = stored(db)
    assert len(rows["entities"]) > 1000 and len(rows["quotes"]) > 150  # a real corpus
    for table, expected in local_rows.items():
        assert rows[table] == expected, f"{table} differ from the local analysis"


def test_cluster_analysis_equals_local_though_a_worker_dies(cluster, texts, local_rows,
                                                            tmp_path):
    """A worker killed with batches in hand: they are redone elsewhere, written once."""
    local, client = cluster
    path = tmp_path / "cluster.quotebook"
    db = new_project(path, texts)
    killed = []

    def kill_a_busy_worker(done, total, note):
        if done and not killed:   # the first batch is written, others are on the workers
            busy = [w for w, keys in client.processing().items() if keys]
            assert busy, "no batch was in flight"
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    report = analyze_file(path, scheduler=local.scheduler_address, batch_size=4,
                          task=Task(progress=kill_a_busy_worker))
    assert killed and report.analyzed == N_ARTICLES and not report.cancelled
    assert pending_count(db) == 0
    assert_same(db, local_rows)
    db.close()


def test_cluster_cancel_then_resume_equals_local(cluster, texts, local_rows, tmp_path):
    local, client = cluster
    path = tmp_path / "cancel.quotebook"
    db = new_project(path, texts)
    calls = []
    report = analyze_file(path, scheduler=local.scheduler_address, batch_size=2,
                          task=Task(cancel=lambda: calls.append(1) or len(calls) >= 3))
    assert report.cancelled and report.analyzed == 3  # as a local cancel: the article in hand
    assert pending_count(db) == N_ARTICLES - 3
    deadline = time.time() + 30   # the batches still out were cancelled, not left running
    while any(client.processing().values()) and time.time() < deadline:
        time.sleep(0.1)
    assert not any(client.processing().values())
    analyze_file(path, scheduler=local.scheduler_address, batch_size=8)
    assert_same(db, local_rows)
    db.close()


@pytest.mark.slow
def test_cli_kill_9_during_cluster_analysis_then_resume(cluster, texts, local_rows, tmp_path):
    """``analyze --scheduler`` killed -9 mid-run, resumed with ``--local-cluster 2``."""
    local, _ = cluster
    path = tmp_path / "kill.quotebook"
    new_project(path, texts).close()
    cli = [sys.executable, str(ROOT / "main.py"), "analyze", "--project", str(path)]
    proc = subprocess.Popen([*cli, "--scheduler", local.scheduler_address, "--batch-size", "2"],
                            env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = open_project(path)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None and \
            N_ARTICLES - pending_count(db) < 6:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 6 <= N_ARTICLES - pending_count(db) < N_ARTICLES, "the kill should land mid-run"
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    result = subprocess.run([*cli, "--local-cluster", "2"], env=cli_env(), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert pending_count(db) == 0
    assert_same(db, local_rows)
    db.close()


def test_batches_in_flight_are_bounded(cluster, texts):
    """The texts are read no further ahead than the batches allowed out: memory stays flat."""
    from annotator.nlp.cluster import connect
    from annotator.nlp.suggest import speech_lemmas
    local, _ = cluster
    pulled = []

    def items():
        for n, path in enumerate(texts):
            pulled.append(n)
            yield path.read_text(encoding="utf-8-sig")[:400], n

    with connect(local.scheduler_address) as remote:
        assert remote.in_flight == 4  # two per worker thread
        got = []
        for article_id, result in remote.results(items(), speech_lemmas(), batch_size=2):
            assert len(pulled) - len(got) <= 4 * 2
            got.append(article_id)
            assert set(result) == {"entities", "quotes"}
    assert got == list(range(N_ARTICLES))  # in order, each once


@pytest.mark.parametrize("where", [["--scheduler", "tcp://127.0.0.1:9"],
                                   ["--local-cluster", "-1"]])
def test_unreachable_scheduler_or_no_worker_is_one_line(tmp_path, where):
    path = tmp_path / "p.quotebook"
    new_project(path, sorted(POLNEAR_TRAIN.glob("*.txt"))[:2]).close()
    env = {**cli_env(), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "analyze", "--project",
                             str(path), *where], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and where[1] in result.stderr, result.stderr
    db = open_project(path)
    assert pending_count(db) == 2   # nothing written
    db.close()
