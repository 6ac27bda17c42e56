"""The command line: ``python main.py [COMMAND] ...``; no command opens the GUI."""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path

from annotator import __version__
from annotator.errors import user_message
from annotator.store.db import ProjectError, get_setting, set_setting
from annotator.tasks import Task
from annotator.vocab import ARTICLE_STATUSES, QUOTE_STATUSES

COMMANDS = ("import", "analyze", "export", "stats", "config", "agreement", "merge", "restore")
WRITERS = ("import", "analyze", "merge", "config")  # open the project for writing


def _parser() -> argparse.ArgumentParser:
    from annotator.export import FORMATS
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", metavar="FILE", default=argparse.SUPPRESS,
                        help="project file (default: the default project in your data folder)")
    model = argparse.ArgumentParser(add_help=False)
    model.add_argument("--model", metavar="NAME", default=argparse.SUPPRESS,
                       help="spaCy pipeline to use (package name or path)")

    p = argparse.ArgumentParser(
        prog="quotebook", description="Quotebook: find, code and export who said what in the news.",
        epilog="Without a command, the desktop app opens.")
    p.add_argument("--version", action="version", version=f"quotebook {__version__}")
    p.add_argument("--project", metavar="FILE", default=None, help="project file to open")
    p.add_argument("--analyst", metavar="NAME", default=None, help="work as this analyst (GUI)")
    p.add_argument("--model", metavar="NAME", default=None, help="spaCy pipeline to use")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    imp = sub.add_parser("import", parents=[common, model], help="import .txt/.jsonl/.csv files")
    imp.add_argument("paths", nargs="+", metavar="PATH", help="files or folders to import")
    imp.add_argument("--no-analyze", action="store_true", help="do not run the NLP analysis")
    imp.add_argument("--text-column", metavar="NAME", help="CSV column holding the text")

    ana = sub.add_parser("analyze", parents=[common, model],
                         help="analyse every article not analysed yet (resumable)")
    ana.add_argument("--batch-size", type=int, default=32, help="articles per batch (32)")
    ana.add_argument("--processes", type=int, default=1, help="spaCy processes (1)")

    exp = sub.add_parser(
        "export", parents=[common], help="export articles and annotations",
        description="Export the corpus and its annotations. Filters repeat to allow several "
                    "values. Without --status, every format but jsonl leaves rejected "
                    "quotes out.")
    exp.add_argument("--format", choices=list(FORMATS), default="jsonl",
                     help="jsonl (native, round trip), prodigy, spacy (.spacy DocBin), brat "
                          "(folder), csv (one row per quote), network (folder)")
    exp.add_argument("--out", metavar="PATH", required=True,
                     help="file to write (a folder for brat and network)")
    exp.add_argument("--layer", metavar="NAME", action="append", default=[],
                     help="only this layer's quotes (an analyst, gold or suggestions); "
                          "default: every layer")
    exp.add_argument("--status", metavar="STATUS", action="append", default=[],
                     choices=QUOTE_STATUSES,
                     help="only quotes with this status")
    exp.add_argument("--article-status", metavar="STATUS", action="append", default=[],
                     choices=ARTICLE_STATUSES,
                     help="only articles with this status (in the chosen layers)")
    exp.add_argument("--outlet", metavar="NAME", action="append", default=[],
                     help="only articles of this outlet")
    exp.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                     help="only articles published on or after this day")
    exp.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                     help="only articles published on or before this day")
    exp.add_argument("--topic", metavar="NAME", action="append", default=[],
                     help="only quotes on this topic")
    exp.add_argument("--quoted-only", action="store_true",
                     help="only articles with at least one chosen quote")
    exp.add_argument("--bom", action="store_true",
                     help="csv: start with a UTF-8 byte order mark (for Excel)")
    exp.add_argument("--raw-cells", action="store_true",
                     help="csv: keep text cells that start with = + - @ (a formula to a "
                          "spreadsheet) as they are, without the leading ' that neutralises "
                          "them")

    st = sub.add_parser(
        "stats", parents=[common], help="counts of the project, or quotes counted by a key",
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
    st.add_argument("--layer", metavar="NAME", action="append", default=[],
                    help="only this layer's quotes (an analyst, gold or suggestions)")
    st.add_argument("--topic", metavar="NAME", action="append", default=[],
                    help="only quotes on this topic")
    st.add_argument("--outlet", metavar="NAME", action="append", default=[],
                    help="only articles of this outlet")
    st.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                    help="only articles published on or after this day")
    st.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                    help="only articles published on or before this day")
    st.add_argument("--article-status", metavar="STATUS", action="append", default=[],
                    choices=ARTICLE_STATUSES,
                    help="only articles with this status (in the chosen layers)")

    cfg = sub.add_parser("config", parents=[common], help="show or change a project setting")
    cfg.add_argument("key", nargs="?", choices=["model", "speech-verbs", "reviewers"],
                     help="the setting: the spaCy pipeline, extra speech-verb lemmas for "
                          "quote suggestions (comma-separated, e.g. 'grumble,opine'), or the "
                          "reviewers who may write the gold layer (e.g. 'ana,ben')")
    cfg.add_argument("value", nargs="?", help="new value ('-' to clear)")
    from annotator.cli.review import add_parsers
    add_parsers(sub, common)  # agreement, merge

    rs = sub.add_parser(
        "restore", parents=[common], help="bring back an automatic backup of the project",
        description="Quotebook backs a project up beside it once a day when it is opened for "
                    "writing (the last three are kept). restore brings the newest back, or "
                    "the one given with --backup; the current file is first copied aside "
                    "(NAME.before-restore-STAMP.quotebook), never overwritten.")
    rs.add_argument("--list", action="store_true", help="list the backups, restore nothing")
    rs.add_argument("--backup", metavar="FILE", help="the backup to bring back")
    return p


def _progress(desc: str, unit: str):
    """A tqdm bar on stderr when stderr is a terminal; returns (callback, close)."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm
    bar = tqdm(desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True)

    def update(done, total, note=""):
        bar.total = total
        bar.n = done
        bar.refresh()
    return update, bar.close


def _err(msg: str) -> None:
    print(f"quotebook: {msg}", file=sys.stderr)


def _import(project, args) -> int:
    update, close = _progress("import", "B")
    try:
        report = project.import_files(args.paths, analyze=False,
                                      text_column=args.text_column, task=Task(progress=update))
    finally:
        close()
    for line in report.warnings:
        _err(f"warning: {line}")
    for line in report.skipped:
        _err(f"skipped: {line}")
    for line in report.duplicates:
        _err(f"duplicate: {line}")
    print(report.summary())
    if report.imported == 0 and report.skipped:
        return 1
    if args.no_analyze:
        return 0
    return _analyze(project, args)


def _analyze(project, args) -> int:
    from annotator.nlp.pipeline import ModelMissing
    update, close = _progress("analyse", "article")
    try:
        report = project.analyze(model=args.model, batch_size=getattr(args, "batch_size", 32),
                                 processes=getattr(args, "processes", 1),
                                 task=Task(progress=update))
    except ModelMissing as exc:
        _err(str(exc))
        return 1
    finally:
        close()
    for line in report.warnings:
        _err(f"warning: {line}")
    print(report.summary())
    return 0


def _export(project, args) -> int:
    from annotator.export import ExportError
    update, close = _progress("export", "article")
    try:
        result = project.export(
            args.format, args.out, bom=args.bom, raw_cells=args.raw_cells,
            task=Task(progress=update),
            layer=args.layer, status=args.status, article_status=args.article_status,
            outlet=args.outlet, date_from=args.date_from, date_to=args.date_to,
            topic=args.topic, quoted_only=args.quoted_only)
    except ExportError as exc:
        _err(str(exc))
        return 1
    finally:
        close()
    print(result.summary())
    return 0


def _stats(project, args) -> int:
    from annotator.insights.stats import format_stats
    filtered = args.layer or args.topic or args.outlet or args.date_from or args.date_to \
        or args.article_status
    if not args.by:
        if filtered or args.format == "csv":
            _err("filters and --format csv need --by (e.g. --by speaker,position)")
            return 2
        stats = project.stats()
        print(json.dumps(stats, indent=1, ensure_ascii=False) if args.format == "json"
              else format_stats(stats))
        return 0
    if args.format == "text":
        _err("--by prints json or csv")
        return 2
    import csv
    from annotator.selection import SelectionError
    try:
        rows = project.stats(by=[k.strip() for k in args.by.split(",") if k.strip()],
                             layer=args.layer, topic=args.topic, outlet=args.outlet,
                             date_from=args.date_from, date_to=args.date_to,
                             article_status=args.article_status)
    except SelectionError as exc:
        _err(str(exc))
        return 1
    if args.format == "json":
        print(json.dumps(rows, indent=1, ensure_ascii=False))
    else:
        from annotator.export.cells import safe_cell
        from annotator.insights.counts import DIMENSIONS
        keys = [k.strip() for k in args.by.split(",") if k.strip()]
        # RFC 4180 rows, as the csv export: with "\n" alone a name holding "\r" went unquoted
        writer = csv.writer(sys.stdout, lineterminator="\r\n")
        writer.writerow([h for k in keys for h in DIMENSIONS[k][3]] + ["count"])
        writer.writerows(row.values() if args.raw_cells else map(safe_cell, row.values())
                         for row in rows)
    return 0


def _brings_codebook(args) -> bool:
    """Whether an import brings a codebook of its own (a native export's registry file)."""
    from annotator.corpus.sidecar import registry_path
    return args.command == "import" and any(
        registry_path(p).exists() for p in map(Path, args.paths) if p.suffix == ".jsonl")


def _restore(args) -> int:
    from annotator.store.backups import RestoreError, backup_paths, backup_time, restore
    from annotator.project import default_project_path
    path = Path(getattr(args, "project", None) or default_project_path()).expanduser()
    if args.list:
        found = backup_paths(path)
        if not found:
            print(f"no automatic backup of {path}")
        for p in found:
            print(f"{backup_time(p):%Y-%m-%d %H:%M:%S}  {p.stat().st_size / 2**20:8.1f} MiB  {p}")
        return 0
    try:
        source, aside = restore(path, args.backup)
    except RestoreError as exc:
        _err(str(exc))
        return 1
    print(f"restored {path} from {source}; the file as it was is kept as {aside}")
    return 0


def _daily_backup(project, new: bool) -> None:
    """The automatic backup when one is due (a new project has nothing to keep yet); a
    damaged project raises ``ProjectDamaged``, a backup that cannot be written is a warning."""
    if not new and (warning := project.daily_backup()):
        _err(f"warning: {warning}")


def run(argv=None, *, gui=None) -> int:
    """Run one command and return the exit code; without a command, call ``gui(**options)``
    (the desktop app, passed in by ``main.py`` so that the core never imports Qt)."""
    args = _parser().parse_args(argv)
    if args.command is None:
        if gui is None:
            _err("no command given (see --help)")
            return 2
        return gui(project=args.project, analyst=args.analyst, model=args.model)
    if args.command == "restore":
        return _restore(args)
    from annotator.project import Project
    new = args.project is None or not Path(args.project).expanduser().exists()
    try:   # the backup is made here, for the writing commands only
        project = Project.open(args.project, create=args.command == "import",
                               codebook=not _brings_codebook(args), backup=False)
    except (ProjectError, sqlite3.Error, OSError) as exc:   # e.g. seeding on a full disk
        _err(user_message(exc, args.project))
        return 1
    db, path = project.db, project.path
    try:
        if args.command in WRITERS and not (args.command == "config" and args.value is None):
            _daily_backup(project, new)
        if args.command == "import":
            return _import(project, args)
        if args.command == "analyze":
            return _analyze(project, args)
        if args.command == "export":
            return _export(project, args)
        if args.command == "stats":
            return _stats(project, args)
        if args.command == "agreement":
            from annotator.cli.review import agreement_command
            return agreement_command(project, args)
        if args.command == "merge":
            from annotator.cli.review import merge_command
            return merge_command(db, args)
        if args.command == "config" and args.key == "reviewers":
            from annotator.cli.review import config_reviewers
            return config_reviewers(db, args.value)
        if args.command == "config":
            from annotator.nlp.speaker_matching import SETTING, speech_verbs_setting
            if args.key is None:
                print(f"model = {get_setting(db, 'model') or '(default)'}")
                print(f"speech-verbs = {', '.join(speech_verbs_setting(db)) or '(default)'}")
            elif args.key == "speech-verbs":
                if args.value is None:
                    print(", ".join(speech_verbs_setting(db)) or "(default)")
                else:
                    verbs = [] if args.value == "-" else \
                        [v.strip().lower() for v in args.value.split(",") if v.strip()]
                    set_setting(db, SETTING, json.dumps(verbs) if verbs else None)
            elif args.value is None:
                print(get_setting(db, args.key) or "(default)")
            else:
                set_setting(db, args.key, None if args.value == "-" else args.value)
            return 0
    except KeyboardInterrupt:
        _err("interrupted; what was committed is kept (run the command again to resume)")
        return 130
    except ProjectError as exc:
        _err(str(exc))
        return 1
    except (sqlite3.Error, OSError) as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        _err(user_message(exc, path))
        return 1
    finally:
        project.close()
    return 2


def main(argv=None, *, gui=None) -> None:
    try:
        code = run(argv, gui=gui)
    except BrokenPipeError:  # the reader of our output (e.g. `head`) stopped early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except KeyboardInterrupt:
        _err("interrupted")
        code = 130
    except (sqlite3.Error, OSError) as exc:   # outside a project (e.g. restore, --list)
        _err(user_message(exc))
        code = 1
    sys.exit(code)
