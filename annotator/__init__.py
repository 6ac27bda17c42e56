"""Quotebook core: project storage, import, analysis and export. Never imports Qt.

``from annotator import Project`` is the front door for scripts (see ``annotator.project``).
"""

__version__ = "0.1.0"
__all__ = ["Project", "__version__"]


def __getattr__(name: str):
    if name == "Project":   # imported on first use: ``annotator.store`` alone stays light
        from annotator.project import Project
        return Project
    raise AttributeError(f"module 'annotator' has no attribute {name!r}")
