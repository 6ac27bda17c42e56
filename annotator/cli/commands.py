"""The corpus commands: ``import``, ``analyze``, ``export``, ``stats``, ``config``, ``restore``.

Each takes the open ``annotator.Project`` and the parsed arguments and returns the exit code
(``restore`` takes the arguments only: it works on the file, never opens it)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from annotator.cli.output import err, names, progress, warn_all
from annotator.store.db import get_setting, set_setting
from annotator.tasks import Task


def import_files(project, args) -> int:
    update, close = progress("import", "B")
    try:
        report = project.import_files(args.paths, analyze=False, text_column=args.text_column,
                                      format=args.format, layer=args.layer,
                                      task=Task(progress=update))
    finally:
        close()
    for kind, line in report.problems():
        err(f"{kind}: {line}")
    print(report.summary())
    if report.imported == 0 and report.skipped:
        return 1
    if args.no_analyze:
        return 0
    return analyze(project, args)


def analyze(project, args) -> int:
    from annotator.nlp.cluster import ClusterError
    from annotator.nlp.pipeline import ModelMissing
    update, close = progress("analyse", "article")
    try:
        report = project.analyze(model=args.model, batch_size=getattr(args, "batch_size", 32),
                                 processes=getattr(args, "processes", 1),
                                 redo=getattr(args, "redo", False),
                                 scheduler=getattr(args, "scheduler", None),
                                 local_cluster=getattr(args, "local_cluster", 0),
                                 task=Task(progress=update))
    except (ModelMissing, ClusterError) as exc:
        err(str(exc))
        return 1
    finally:
        close()
    warn_all("warning", report.warnings)
    print(report.summary())
    return 0


def export(project, args) -> int:
    from annotator.export import ExportError
    update, close = progress("export", "article")
    try:
        result = project.export(
            args.format, args.out, bom=args.bom, raw_cells=args.raw_cells,
            min_weight=args.min_weight, task=Task(progress=update),
            layer=args.layer, status=args.status, article_status=args.article_status,
            outlet=args.outlet, date_from=args.date_from, date_to=args.date_to,
            topic=args.topic, quoted_only=args.quoted_only)
    except ExportError as exc:
        err(str(exc))
        return 1
    finally:
        close()
    print(result.summary())
    return 0


def stats(project, args) -> int:
    from annotator.insights.stats import format_stats
    filtered = args.layer or args.topic or args.outlet or args.date_from or args.date_to \
        or args.article_status
    if not args.by:
        if filtered or args.format == "csv":
            err("filters and --format csv need --by (e.g. --by speaker,position)")
            return 2
        counts = project.stats()
        print(json.dumps(counts, indent=1, ensure_ascii=False) if args.format == "json"
              else format_stats(counts))
        return 0
    if args.format == "text":
        err("--by prints json or csv")
        return 2
    import csv
    from annotator.selection import SelectionError
    keys = names(args.by)
    try:
        rows = project.stats(by=keys, layer=args.layer, topic=args.topic, outlet=args.outlet,
                             date_from=args.date_from, date_to=args.date_to,
                             article_status=args.article_status)
    except SelectionError as exc:
        err(str(exc))
        return 1
    if args.format == "json":  # one row a line: json's C encoder (indent= is pure Python)
        print("[" + ",".join("\n " + json.dumps(r, ensure_ascii=False) for r in rows)
              + ("\n]" if rows else "]"))
    else:
        from annotator.export.cells import safe_cell
        from annotator.insights.counts import DIMENSIONS
        # RFC 4180 rows, as the csv export: with "\n" alone a name holding "\r" went unquoted
        writer = csv.writer(sys.stdout, lineterminator="\r\n")
        writer.writerow([h for k in keys for h in DIMENSIONS[k][3]] + ["count"])
        writer.writerows(row.values() if args.raw_cells else map(safe_cell, row.values())
                         for row in rows)
    return 0


def config_writes(args) -> bool:
    """``config`` writes (and so makes the daily backup) only when given a value."""
    return args.value is not None


def config(project, args) -> int:
    db = project.db
    if args.key == "reviewers":
        from annotator.cli.review import config_reviewers
        return config_reviewers(db, args.value)
    from annotator.nlp.speaker_matching import SETTING, speech_verbs_setting
    if args.key is None:
        print(f"model = {get_setting(db, 'model') or '(default)'}")
        print(f"speech-verbs = {', '.join(speech_verbs_setting(db)) or '(default)'}")
    elif args.key == "speech-verbs":
        if args.value is None:
            print(", ".join(speech_verbs_setting(db)) or "(default)")
        else:
            verbs = [] if args.value == "-" else [v.lower() for v in names(args.value)]
            set_setting(db, SETTING, json.dumps(verbs) if verbs else None)
    elif args.value is None:
        print(get_setting(db, args.key) or "(default)")
    else:
        set_setting(db, args.key, None if args.value == "-" else args.value)
    return 0


def restore(args) -> int:
    from annotator.project import default_project_path
    from annotator.store.backups import RestoreError, backup_paths, backup_time
    from annotator.store.backups import restore as restore_backup
    path = Path(getattr(args, "project", None) or default_project_path()).expanduser()
    if args.list:
        found = backup_paths(path)
        if not found:
            print(f"no automatic backup of {path}")
        for p in found:
            print(f"{backup_time(p):%Y-%m-%d %H:%M:%S}  {p.stat().st_size / 2**20:8.1f} MiB  {p}")
        return 0
    try:
        source, aside = restore_backup(path, args.backup)
    except RestoreError as exc:
        err(str(exc))
        return 1
    print(f"restored {path} from {source}; the file as it was is kept as {aside}")
    return 0
