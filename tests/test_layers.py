"""The core never imports Qt; the UI never writes SQL."""
import ast
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


def test_ui_writes_no_sql():
    for path in (ROOT / "ui").rglob("*.py"):
        text = path.read_text(encoding="utf-8").upper()
        for word in ("INSERT INTO", "UPDATE ", "DELETE FROM", "SELECT "):
            assert word not in text, f"{path} has SQL ({word.strip()})"
