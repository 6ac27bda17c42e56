"""A full disk during import, analysis, an edit or an export: a clear message, the project
intact and resumable, no partial files. Runs on a small tmpfs, which needs root."""
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from annotator.editing.edits import AddQuote
from annotator.store.db import ensure_layer, open_project
from conftest import ROOT, cli_env

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="mounting a small tmpfs to fill needs root")


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def grow(mount, size="64m"):
    subprocess.run(["mount", "-o", f"remount,size={size}", str(mount)], check=True)


def fill(mount):
    """Take every free byte of ``mount``; returns the filler to delete."""
    filler = mount / "filler"
    with open(filler, "wb", buffering=0) as fh:
        for chunk in (65536, 4096, 512, 1):
            try:
                while True:
                    fh.write(b"\0" * chunk)
            except OSError:
                pass
    return filler


def cli(*args):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)],
                          capture_output=True, text=True, env=cli_env(), timeout=300)


def intact(path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def count(path, table="articles") -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def corpus(path, n, words=150):
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i}", "title": f"Article {i}",
                                 "text": f"Article {i} says: " + "the minister said so " * words})
                     + "\n")


def test_import_on_a_full_disk_then_resumed(small_disk, tmp_path):
    src = tmp_path / "corpus.jsonl"
    corpus(src, 1500)   # about 1.5 MB of text, more than the disk holds
    project = small_disk / "p.quotebook"
    out = cli("import", "--no-analyze", "--project", project, src)
    assert out.returncode == 1
    assert "disk is full" in out.stderr and "Traceback" not in out.stderr
    assert intact(project)
    kept = count(project)
    assert kept % 1000 == 0 and kept < 1500   # whole batches only
    assert not [p for p in small_disk.iterdir() if p.name.endswith(".part")]
    grow(small_disk)
    out = cli("import", "--no-analyze", "--project", project, src)
    assert out.returncode == 0, out.stderr
    assert count(project) == 1500 and intact(project)


@pytest.mark.slow
@pytest.mark.parametrize("room", [0, 40 * 1024], ids=["no-room-to-open", "room-to-open"])
def test_analysis_on_a_full_disk_then_resumed(small_disk, tmp_path, room):
    src = tmp_path / "corpus.jsonl"
    corpus(src, 40, words=20)
    project = small_disk / "p.quotebook"
    assert cli("import", "--no-analyze", "--project", project, src).returncode == 0
    filler = fill(small_disk)
    os.truncate(filler, max(0, filler.stat().st_size - room))
    out = cli("analyze", "--project", project, "--batch-size", "4")
    assert out.returncode == 1, out.stderr
    assert "disk is full" in out.stderr and "Traceback" not in out.stderr
    filler.unlink()
    assert intact(project)
    out = cli("analyze", "--project", project)
    assert out.returncode == 0, out.stderr
    conn = sqlite3.connect(project)
    assert conn.execute("SELECT count(*) FROM articles WHERE analyzed_at IS NULL").fetchone() \
        == (0,)
    dupes = conn.execute("SELECT count(*) FROM (SELECT 1 FROM entities GROUP BY article_id, "
                         "start, \"end\", label, layer_id HAVING count(*) > 1)").fetchone()[0]
    conn.close()
    assert dupes == 0 and intact(project)


def test_an_edit_on_a_full_disk_is_refused_whole(small_disk, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("“We will talk,” the minister said. " * 20)
    project = small_disk / "p.quotebook"
    assert cli("import", "--no-analyze", "--project", project, src).returncode == 0
    db = open_project(project, create=False)
    layer = ensure_layer(db, "alice")
    filler = fill(small_disk)
    edit = AddQuote(article_id=1, layer_id=layer, fragments=[(0, 14)], actor="alice",
                    note="x" * 200_000)
    with pytest.raises(sqlite3.OperationalError, match="full"):
        edit.apply(db)
    assert not db.conn.in_transaction
    assert db.execute("SELECT count(*) FROM quotes").fetchone()[0] == 0
    filler.unlink()
    edit.apply(db)
    assert db.execute("SELECT count(*) FROM quotes").fetchone()[0] == 1
    db.close()
    assert intact(project)


def test_export_on_a_full_disk_leaves_nothing(small_disk, tmp_path):
    src = tmp_path / "corpus.jsonl"
    corpus(src, 300, words=30)
    project = tmp_path / "p.quotebook"
    assert cli("import", "--no-analyze", "--project", project, src).returncode == 0
    for fmt, name in (("jsonl", "out.jsonl"), ("csv", "out.csv"), ("brat", "brat")):
        fill(small_disk)
        out = cli("export", "--project", project, "--format", fmt, "--out", small_disk / name)
        assert out.returncode == 1, fmt
        assert "Traceback" not in out.stderr and ("full" in out.stderr or "space" in out.stderr)
        assert sorted(p.name for p in small_disk.iterdir()) == ["filler"], fmt
        (small_disk / "filler").unlink()
