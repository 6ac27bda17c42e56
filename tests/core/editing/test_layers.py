"""The core never imports Qt; the UI never writes SQL."""
import ast
import re
import subprocess
import sys

from conftest import ROOT


def imported_modules(folder):
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield path, [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                yield path, [node.module]


def test_annotator_imports_no_qt_statically():
    for path, names in imported_modules("annotator"):
        for name in names:
            assert not name.startswith(("PySide6", "shiboken6", "ui")), f"{path} imports {name}"


def test_annotator_imports_no_qt_at_run_time():
    code = ("import pkgutil, importlib, sys, annotator\n"
            "for m in pkgutil.iter_modules(annotator.__path__):\n"
            "    importlib.import_module('annotator.' + m.name)\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
            "assert not bad, bad\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


SQL = re.compile(r"\b(INSERT\s+(OR\s+\w+\s+)?INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|"
                 r"SELECT\s+.+?\s+FROM|PRAGMA)\b", re.IGNORECASE)


def test_ui_writes_no_sql():
    for path in (ROOT / "ui").rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not SQL.search(line), f"{path}:{n} has SQL: {line.strip()}"
    assert SQL.search('db.execute("SELECT id FROM quotes")')  # the check itself works
    assert not SQL.search('"Select two speakers: the second is merged"')
