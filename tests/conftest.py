"""Shared fixtures: temporary projects, the one loaded spaCy pipeline, paths to shared data."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "data" / "seeds"
POLNEAR_TRAIN = SHARED / "data" / "polnear" / "train" / "text"
sys.path.insert(0, str(ROOT))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def private_data_home(tmp_path_factory, monkeypatch):
    """Every test gets its own user data folder, so the default project is never the user's."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    return home


@pytest.fixture
def project_path(tmp_path):
    return tmp_path / "test.quotebook"


@pytest.fixture
def db(project_path):
    from annotator.store.db import open_project
    database = open_project(project_path)
    yield database
    database.close()


@pytest.fixture(scope="session")
def nlp():
    """The real English pipeline, loaded once per test session."""
    from annotator.nlp import pipeline as nlp_mod
    return nlp_mod.load()


def cli_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    return env
