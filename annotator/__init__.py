"""Quotebook core: project storage, import, analysis and export. Never imports Qt."""

__version__ = "0.1.0"
