"""The command line: ``python main.py [COMMAND] ...``; no command opens the GUI.

``run`` opens the project once, makes the daily backup for the commands that write, and
turns every error into one line and an exit code; ``parser`` says which handler runs."""
from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from annotator.cli.output import err
from annotator.cli.parser import build_parser
from annotator.errors import user_message
from annotator.store.db import ProjectError


def _brings_codebook(paths) -> bool:
    """Whether an import brings a codebook of its own (a native export's registry file)."""
    from annotator.corpus.sidecar import registry_path
    return any(registry_path(p).exists() for p in map(Path, paths) if p.suffix == ".jsonl")


def _daily_backup(project, new: bool) -> None:
    """The automatic backup when one is due (a new project has nothing to keep yet); a
    damaged project raises ``ProjectDamaged``, a backup that cannot be written is a warning."""
    if not new and (warning := project.daily_backup()):
        err(f"warning: {warning}")


def run(argv=None, *, gui=None) -> int:
    """Run one command and return the exit code; without a command, call ``gui(**options)``
    (the desktop app, passed in by ``main.py`` so that the core never imports Qt)."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        if gui is None:
            err("no command given (see --help)")
            return 2
        return gui(project=args.project, analyst=args.analyst, model=args.model)
    if not args.opens:
        return args.func(args)
    from annotator.project import Project
    new = args.project is None or not Path(args.project).expanduser().exists()
    try:   # the backup is made here, for the writing commands only
        project = Project.open(args.project, create=args.creates,
                               codebook=not (args.creates and _brings_codebook(args.paths)),
                               backup=False)
    except (ProjectError, sqlite3.Error, OSError) as exc:   # e.g. seeding on a full disk
        err(user_message(exc, args.project))
        return 1
    try:
        if args.writes(args) if callable(args.writes) else args.writes:
            _daily_backup(project, new)
        return args.func(project, args)
    except KeyboardInterrupt:
        err("interrupted; what was committed is kept (run the command again to resume)")
        return 130
    except ProjectError as exc:
        err(str(exc))
        return 1
    except (sqlite3.Error, OSError) as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        err(user_message(exc, project.path))
        return 1
    finally:
        project.close()


def main(argv=None, *, gui=None) -> None:
    try:
        code = run(argv, gui=gui)
    except BrokenPipeError:  # the reader of our output (e.g. `head`) stopped early
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    except KeyboardInterrupt:
        err("interrupted")
        code = 130
    except (sqlite3.Error, OSError) as exc:   # outside a project (e.g. restore, --list)
        err(user_message(exc))
        code = 1
    sys.exit(code)
