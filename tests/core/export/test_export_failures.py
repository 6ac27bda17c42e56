"""A failed export (disk full, permission denied, cancel) reports the error and leaves nothing
half-written: no partial file or folder, no temporary leftovers, an earlier export untouched."""
import errno
import os
import tempfile

import pytest
from spacy.tokens import DocBin

from annotator.tasks import Task
from annotator.export import brat as export_brat
from annotator.export import dna as export_dna
from annotator.export import jsonl as export_jsonl
from annotator.export import network_files
from annotator.export import ExportError
from annotator.export import FORMATS, export
from export_helpers import coded  # noqa: F401 (fixture)

FILE_FORMATS = [f for f, (kind, _, _) in FORMATS.items() if kind == "file"]
FOLDER_FORMATS = [f for f, (kind, _, _) in FORMATS.items() if kind == "folder"]


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


class FullDisk:
    """Stands in for ``os`` in export_jsonl: files it opens fill up after a few writes."""

    def __init__(self, writes):
        self.writes = writes

    def __getattr__(self, name):
        return getattr(os, name)

    def fdopen(self, *args, **kwargs):
        fh = os.fdopen(*args, **kwargs)
        real, left = fh.write, [self.writes]

        def write(data):
            left[0] -= 1
            if left[0] < 0:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(data)
        fh.write = write
        return fh


def fill_the_disk(monkeypatch, fmt):
    """Make the disk fill up part-way through writing ``fmt``."""
    if fmt in ("jsonl", "prodigy", "csv"):
        monkeypatch.setattr(export_jsonl, "os", FullDisk(writes=3))
    elif fmt == "dna":  # SQLite itself finds the file full after a few pages
        connect = export_dna.sqlite3.connect

        def small(*args, **kwargs):
            con = connect(*args, **kwargs)
            con.execute("PRAGMA max_page_count = 12")
            return con
        monkeypatch.setattr(export_dna.sqlite3, "connect", small)
    elif fmt == "spacy":
        def half(self, path):
            with open(path, "wb") as fh:
                fh.write(b"half a docbin")
            disk_full()
        monkeypatch.setattr(DocBin, "to_disk", half)
    elif fmt == "network":
        real, count = network_files.open_text, [0]

        def open_text(path):
            count[0] += 1
            if count[0] > 3:
                disk_full()
            return real(path)
        monkeypatch.setattr(network_files, "open_text", open_text)
    else:
        module = export_brat
        real, count = module.write_text, [0]

        def write_text(path, text):
            count[0] += 1
            if count[0] > 3:
                disk_full()
            real(path, text)
        monkeypatch.setattr(module, "write_text", write_text)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_disk_full_leaves_the_earlier_export(coded, tmp_path, monkeypatch, fmt):
    out = tmp_path / "out"
    export(coded, fmt, out)
    before = sorted(p.name for p in out.iterdir()) if out.is_dir() else out.read_bytes()
    fill_the_disk(monkeypatch, fmt)
    with pytest.raises(ExportError, match=r"out: write failed \(No space left on device\); "
                                          "nothing written"):
        export(coded, fmt, out)
    after = sorted(p.name for p in out.iterdir()) if out.is_dir() else out.read_bytes()
    assert after == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_disk_full_on_a_new_export_leaves_nothing(coded, tmp_path, monkeypatch, fmt):
    fill_the_disk(monkeypatch, fmt)
    with pytest.raises(ExportError, match="No space left on device"):
        export(coded, fmt, tmp_path / "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test.quotebook",
                                                          "test.quotebook-shm",
                                                          "test.quotebook-wal", "tricky.jsonl"]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_permission_denied_is_reported(coded, tmp_path, monkeypatch, fmt):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(tempfile, "mkstemp", denied)
    monkeypatch.setattr(tempfile, "mkdtemp", denied)
    with pytest.raises(ExportError, match=r"out: cannot write there \(Permission denied\)"):
        export(coded, fmt, tmp_path / "out")
    assert not (tmp_path / "out").exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_cancel_leaves_nothing(coded, tmp_path, fmt):
    calls = []

    def cancel():
        calls.append(1)
        return True
    result = export(coded, fmt, tmp_path / "out", task=Task(cancel=cancel))
    assert result.cancelled and "cancelled; nothing written" in result.summary()
    assert calls and not (tmp_path / "out").exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_a_folder_is_no_file_name(coded, tmp_path, fmt):
    (tmp_path / "dir").mkdir()
    with pytest.raises(ExportError, match="is a folder; give a file name"):
        export(coded, fmt, tmp_path / "dir")


@pytest.mark.parametrize("fmt", FOLDER_FORMATS)
def test_a_file_is_no_folder(coded, tmp_path, fmt):
    (tmp_path / "file").write_text("mine")
    with pytest.raises(ExportError, match="not an earlier Quotebook export"):
        export(coded, fmt, tmp_path / "file")
    assert (tmp_path / "file").read_text() == "mine"


def test_unknown_format_is_named(coded, tmp_path):
    with pytest.raises(ExportError, match="unknown format 'xml' .formats: jsonl, prodigy"):
        export(coded, "xml", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_exporting_onto_the_project_itself_is_refused(tmp_path):
    from annotator.export import ExportError
    from annotator.export import export
    from annotator.corpus.importing import import_paths
    from annotator.project import SAMPLE_CORPUS
    from annotator.store.db import open_project
    path = tmp_path / "p.quotebook"
    db = open_project(path)
    import_paths(db, [SAMPLE_CORPUS])
    for fmt in ("csv", "jsonl"):
        with pytest.raises(ExportError, match="is the project itself"):
            export(db, fmt, path)
    db.close()
    assert open_project(path).execute("SELECT count(*) FROM articles").fetchone()[0] == 10


KILLED = r"""
import sys
sys.path.insert(0, sys.argv[1])
from annotator.export import export
from annotator.store.db import open_project
from annotator.tasks import Task

def stuck():  # asked between records: say so, then wait to be killed
    print("writing", flush=True)
    sys.stdin.read()
    return False
export(open_project(sys.argv[2], create=False), sys.argv[3], sys.argv[4], task=Task(cancel=stuck))
"""


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["prodigy", "spacy"])
def test_a_killed_exports_leftovers_go_with_the_next_export(coded, project_path, tmp_path, fmt):
    """kill -9 in the middle of writing leaves its temporary; the next export to the same
    place removes it, and leaves alone the temporary of an export still writing (locked)."""
    import fcntl
    import signal
    import subprocess
    import sys
    from conftest import ROOT
    out = tmp_path / "out"
    child = subprocess.Popen([sys.executable, "-c", KILLED, str(ROOT), str(project_path), fmt,
                              str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout.readline() == "writing\n"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    stale = leftovers(tmp_path)
    assert len(stale) == 1 and stale[0].startswith(".out.") and stale[0].endswith(".part")
    busy = tmp_path / ".out.abcd1234.part"  # another export, still writing
    busy.write_text("")
    with open(busy) as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        export(coded, fmt, out)
        assert leftovers(tmp_path) == [busy.name]
    assert out.exists()
    export(coded, fmt, out)  # now unlocked: the writer of it is gone
    assert leftovers(tmp_path) == []
