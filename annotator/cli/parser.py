"""The command line's parser: each sub-command sets its handler (``func``), whether it writes
(``writes``: True, or a predicate of the arguments; the daily backup is made first), whether
it may create the project (``creates``) and whether it opens it at all (``opens``)."""
from __future__ import annotations

import argparse

from annotator import __version__
from annotator.cli import commands, review
from annotator.vocab import ARTICLE_STATUSES, QUOTE_STATUSES


LAYER_HELP = "only this layer's quotes (an analyst, gold or suggestions)"


def _shared() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The parent parsers of ``--project`` (every command) and ``--model``."""
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--project", metavar="FILE", default=argparse.SUPPRESS,
                         help="project file (default: the default project in your data folder)")
    model = argparse.ArgumentParser(add_help=False)
    model.add_argument("--model", metavar="NAME", default=argparse.SUPPRESS,
                       help="spaCy pipeline to use (package name or path)")
    return project, model


def _filters(layer_help: str) -> argparse.ArgumentParser:
    """The parent parser of the filters ``export`` and ``stats`` share (``Selection``'s)."""
    f = argparse.ArgumentParser(add_help=False)
    f.add_argument("--layer", metavar="NAME", action="append", default=[], help=layer_help)
    f.add_argument("--topic", metavar="NAME", action="append", default=[],
                   help="only quotes on this topic")
    f.add_argument("--outlet", metavar="NAME", action="append", default=[],
                   help="only articles of this outlet")
    f.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                   help="only articles published on or after this day")
    f.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                   help="only articles published on or before this day")
    f.add_argument("--article-status", metavar="STATUS", action="append", default=[],
                   choices=ARTICLE_STATUSES,
                   help="only articles with this status (in the chosen layers)")
    return f


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; ``args.func(project, args)`` runs the chosen command."""
    from annotator.export import FORMATS
    common, model = _shared()

    p = argparse.ArgumentParser(
        prog="quotebook", description="Quotebook: find, code and export who said what in the news.",
        epilog="Without a command, the desktop app opens.")
    p.add_argument("--version", action="version", version=f"quotebook {__version__}")
    p.add_argument("--project", metavar="FILE", default=None, help="project file to open")
    p.add_argument("--analyst", metavar="NAME", default=None, help="work as this analyst (GUI)")
    p.add_argument("--model", metavar="NAME", default=None, help="spaCy pipeline to use")
    p.set_defaults(func=None, opens=True, writes=False, creates=False)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    imp = sub.add_parser("import", parents=[common, model], help="import .txt/.jsonl/.csv files")
    imp.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to import")
    imp.add_argument("--no-analyze", action="store_true", help="do not run the NLP analysis")
    imp.add_argument("--text-column", metavar="NAME", help="CSV column holding the text")
    imp.add_argument("--format", choices=["brat", "prodigy"], default=None,
                     help="brat: folders of .txt + .ann (also PolNeAR's text/ + attributions/); "
                          "prodigy: every .jsonl line is a Prodigy task (else recognised by "
                          "its spans)")
    imp.add_argument("--layer", metavar="NAME", default=None,
                     help="layer of the imported brat or Prodigy annotations (default gold; "
                          "PolNeAR: each annotator's suffix, the first file into NAME)")
    imp.set_defaults(func=commands.import_files, writes=True, creates=True)

    ana = sub.add_parser("analyze", parents=[common, model],
                         help="analyse every article not analysed yet (resumable)")
    ana.add_argument("--batch-size", type=int, default=32, help="articles per batch (32)")
    ana.add_argument("--processes", type=int, default=1, help="spaCy processes (1)")
    ana.add_argument("--redo", action="store_true",
                     help="re-suggest every article, analysed ones too, with what the speaker "
                          "registry now knows (analysts' decisions are kept; resumable)")
    where = ana.add_mutually_exclusive_group()  # the parse on a Dask cluster (README "Analysis")
    where.add_argument("--scheduler", metavar="tcp://HOST:8786",
                       help="parse on the workers of this Dask scheduler")
    where.add_argument("--local-cluster", metavar="N", type=int, default=0,
                       help="parse on a local Dask cluster of N worker processes")
    ana.set_defaults(func=commands.analyze, writes=True)

    exp = sub.add_parser(
        "export", parents=[common, _filters(LAYER_HELP + "; default: every layer")],
        help="export articles and annotations",
        description="Export the corpus and its annotations. Filters repeat to allow several "
                    "values. Without --status, every format but jsonl leaves rejected "
                    "quotes out.")
    exp.add_argument("--format", choices=list(FORMATS), default="jsonl",
                     help="jsonl (native, round trip), prodigy, spacy (folder of .spacy "
                          "DocBin shards), brat (folder), csv (one row per quote), network "
                          "(folder)")
    exp.add_argument("--out", metavar="PATH", required=True,
                     help="file to write (a folder for spacy, brat and network)")
    exp.add_argument("--status", metavar="STATUS", action="append", default=[],
                     choices=QUOTE_STATUSES,
                     help="only quotes with this status")
    exp.add_argument("--quoted-only", action="store_true",
                     help="only articles with at least one chosen quote")
    exp.add_argument("--bom", action="store_true",
                     help="csv: start with a UTF-8 byte order mark (for Excel)")
    exp.add_argument("--raw-cells", action="store_true",
                     help="csv: keep text cells that start with = + - @ (a formula to a "
                          "spreadsheet) as they are, without the leading ' that neutralises "
                          "them")
    exp.add_argument("--min-weight", type=int, default=1, metavar="N",
                     help="network: leave out ties (and speaker-position edges) lighter "
                          "than N")
    exp.set_defaults(func=commands.export)

    st = sub.add_parser(
        "stats", parents=[common, _filters(LAYER_HELP)],
        help="counts of the project, or quotes counted by a key",
        description="Without --by: the project's counts. With --by: the chosen quotes counted "
                    "by speaker, position, topic, outlet, layer, status, week, month or year "
                    "(--by speaker,position gives the Insights panel's matrix). Rejected "
                    "quotes are left out.")
    st.add_argument("--format", choices=["text", "json", "csv"], default=None,
                    help="text or json (project counts); json or csv (--by; default csv)")
    st.add_argument("--by", metavar="KEYS", help="comma-separated, e.g. speaker,position")
    st.add_argument("--raw-cells", action="store_true",
                    help="csv: keep names that start with = + - @ as they are (by default "
                         "they get a leading ' so a spreadsheet never runs them)")
    st.set_defaults(func=commands.stats)

    cfg = sub.add_parser("config", parents=[common], help="show or change a project setting")
    cfg.add_argument("key", nargs="?", choices=["model", "speech-verbs", "reviewers"],
                     help="the setting: the spaCy pipeline, extra speech-verb lemmas for "
                          "quote suggestions (comma-separated, e.g. 'grumble,opine'), or the "
                          "reviewers who may write the gold layer (e.g. 'ana,ben')")
    cfg.add_argument("value", nargs="?", help="new value ('-' to clear)")
    cfg.set_defaults(func=commands.config, writes=commands.config_writes)

    ag = sub.add_parser(
        "agreement", parents=[common], help="agreement between layers (F1, alpha, kappa)",
        description="Inter-annotator agreement between two or more layers: per pair, over all "
                    "layers and per article (see README, 'Review and agreement').")
    ag.add_argument("--layers", metavar="A,B[,C]",
                    help="comma-separated layer names (analysts, gold, suggestions); default: "
                         "every analyst layer with work (a quote, or an article in progress "
                         "or done)")
    ag.add_argument("--format", choices=["table", "json", "csv"], default="table")
    ag.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    ag.add_argument("--article", metavar="ID", type=int, action="append", default=None,
                    help="only this article (repeat for several); default: every article "
                         "each layer has worked on")
    ag.add_argument("--min-overlap", type=float, default=None, metavar="SHARE",
                    help="overlap matching: share of the shorter quote (default 0.5)")
    ag.add_argument("--no-articles", action="store_true",
                    help="leave the per-article rows out")
    ag.set_defaults(func=review.agreement)

    mg = sub.add_parser(
        "merge", parents=[common], help="merge another analyst's project into this one",
        description="Bring another project's articles (by text hash), layers, speakers, "
                    "codebook, quotes, statuses and comments into this project. Prints the "
                    "plan first and asks to go on; without a terminal it only prints the plan "
                    "unless --yes is given. Merging twice changes nothing; a failure leaves "
                    "the project as it was.")
    mg.add_argument("other", metavar="OTHER", help="the other project file")
    mg.add_argument("--yes", "-y", action="store_true", help="merge without asking")
    mg.add_argument("--dry-run", action="store_true", help="print the plan, write nothing")
    mg.set_defaults(func=review.merge, writes=True)

    rs = sub.add_parser(
        "restore", parents=[common], help="bring back an automatic backup of the project",
        description="Quotebook backs a project up beside it once a day when it is opened for "
                    "writing (the last three are kept). restore brings the newest back, or "
                    "the one given with --backup; the current file is first copied aside "
                    "(NAME.before-restore-STAMP.quotebook), never overwritten.")
    rs.add_argument("--list", action="store_true", help="list the backups, restore nothing")
    rs.add_argument("--backup", metavar="FILE", help="the backup to bring back")
    rs.set_defaults(func=commands.restore, opens=False)  # works on the file, never opens it
    return p
