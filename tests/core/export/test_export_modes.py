"""Exported files and folders follow the process umask, like any file a user saves."""
import os
import stat

import pytest

from annotator.export.files import current_umask
from annotator.export import FORMATS, export
from annotator.corpus.sidecar import registry_path
from export_helpers import coded  # noqa: F401 (fixture)


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(params=[0o022, 0o027], ids=["umask022", "umask027"])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def test_the_umask_is_read_without_changing_it(umask):
    assert current_umask() == umask
    assert os.umask(umask) == umask  # unchanged by the reading


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_an_export_gets_the_mode_of_a_saved_file(coded, tmp_path, umask, fmt):  # noqa: F811
    files, folders = 0o666 & ~umask, 0o777 & ~umask
    out = tmp_path / f"out{FORMATS[fmt][1]}"
    for _ in range(2):  # a new export, then one that replaces it
        export(coded, fmt, out)
        if FORMATS[fmt][0] == "folder":
            assert mode(out) == folders
            inside = list(out.rglob("*"))
            assert inside and {mode(p) for p in inside} == {files}
        else:
            assert mode(out) == files
            if fmt == "jsonl":
                assert mode(registry_path(out)) == files
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".part", ".old"))]
