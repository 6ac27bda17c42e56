"""One entry point for every export format, for the command line and the export dialog."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from annotator.export.files import ExportError
from annotator.selection import Selection, SelectionError
from annotator.tasks import Cancelled, Task, ensure

# format -> (what it writes, suggested suffix, description)
FORMATS = {
    "jsonl": ("file", ".jsonl", "Quotebook JSONL (round trip, plus NAME.registry.json)"),
    "prodigy": ("file", ".jsonl", "Prodigy JSONL (spans, relations, tokens)"),
    "spacy": ("folder", "", "spaCy DocBin shards (a folder of .spacy files)"),
    "brat": ("folder", "", "brat standoff folder (.txt + .ann)"),
    "csv": ("file", ".csv", "CSV, one row per quote"),
    "network": ("folder", "", "Discourse network (GraphML, GEXF, CSV edge lists)"),
    "dna": ("file", ".dna", "DNA 3 database (Discourse Network Analyzer, rDNA)"),
}


@dataclass
class ExportResult:
    format: str
    out: Path
    count: int
    what: str
    cancelled: bool = False

    def summary(self) -> str:
        if self.cancelled:
            return f"{self.out}: export cancelled; nothing written"
        return f"exported {self.count} {self.what} to {self.out}"


def export(db: Database, fmt: str, out: str | Path, *, filters: Selection | None = None,
           bom: bool = False, raw_cells: bool = False, min_weight: int = 1,
           task: Task | None = None) -> ExportResult:
    """Export in ``fmt`` to ``out`` (a file or a folder, as the format needs): a long job
    (``annotator.tasks``); a cancelled one returns ``cancelled=True`` with nothing written.

    ``bom`` and ``raw_cells`` (keep cells that start like a formula as they are) are for csv;
    ``min_weight`` (leave out lighter ties and edges) for network.

    Raises ``ExportError`` with the reason (a bad selection too); nothing is left
    half-written at ``out``.
    """
    out = Path(out)
    try:
        return _export(db, fmt, out, filters, bom, raw_cells, min_weight, ensure(task))
    except Cancelled:
        return ExportResult(fmt, out, 0, "", cancelled=True)
    except SelectionError as exc:
        raise ExportError(str(exc)) from exc


def _export(db, fmt, out: Path, filters, bom, raw_cells, min_weight, task) -> ExportResult:
    project = db.execute("PRAGMA database_list").fetchone()[2]
    if project and out.resolve() == Path(project).resolve():
        raise ExportError(f"{out}: is the project itself; choose another file")
    kw = dict(filters=filters, task=task)
    if fmt == "jsonl":
        from annotator.export.jsonl import export_jsonl
        return ExportResult(fmt, out, export_jsonl(db, out, **kw), "article(s)")
    if fmt == "prodigy":
        from annotator.export.prodigy import export_prodigy
        return ExportResult(fmt, out, export_prodigy(db, out, **kw), "task(s)")
    if fmt == "spacy":
        from annotator.export.spacy_docbin import export_spacy
        return ExportResult(fmt, out, export_spacy(db, out, **kw), "doc(s)")
    if fmt == "brat":
        from annotator.export.brat import export_brat
        return ExportResult(fmt, out, export_brat(db, out, **kw), "article(s)")
    if fmt == "csv":
        from annotator.export.csv_rows import export_csv
        count = export_csv(db, out, bom=bom, raw_cells=raw_cells, **kw)
        return ExportResult(fmt, out, count, "quote(s)")
    if fmt == "network":
        from annotator.export.network_files import export_network
        network = export_network(db, out, min_weight=min_weight, **kw)
        speakers = sum(1 for _, a in network.two_mode.nodes if a["type"] == "speaker")
        edges = sum(len(g.edges) for g in network.graphs())
        return ExportResult(fmt, out, speakers, f"speaker(s) ({edges} edges in 3 graphs)")
    if fmt == "dna":
        from annotator.export.dna import export_dna
        count, undecided, cut = export_dna(db, out, **kw)
        notes = ([f"{undecided} without agree/disagree: agreement 1"] if undecided else []) + \
            ([f"{cut} name(s), title(s) or note(s) cut to DNA's 190 characters"] if cut else [])
        note = f" ({'; '.join(notes)})" if notes else ""
        return ExportResult(fmt, out, count, f"statement(s){note}")
    raise ExportError(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
