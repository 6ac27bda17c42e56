"""The review commands: ``agreement``, ``merge`` and ``config reviewers``."""
from __future__ import annotations

import sys

from annotator.cli.output import err, names, write


def agreement(project, args) -> int:
    from annotator.review.report import to_csv, to_json, to_table
    from annotator.review.alignment import MIN_OVERLAP
    if args.layers is None:
        layers = _layers_with_work(project.db)
        if layers is None:
            return 2
    else:
        layers = names(args.layers)
    share = MIN_OVERLAP if args.min_overlap is None else args.min_overlap
    if not 0 < share <= 1:
        err("--min-overlap must be above 0 and at most 1")
        return 2
    try:
        result = project.agreement(layers, articles=args.article, min_overlap=share,
                                   per_article=not args.no_articles)
    except ValueError as exc:
        err(str(exc))
        return 1
    text = {"table": to_table, "json": to_json, "csv": to_csv}[args.format](result)
    try:
        write(text, args.out, raw=args.format == "csv")
    except OSError as exc:
        err(f"{args.out}: cannot write ({exc.strerror or exc})")
        return 1
    if args.out:
        print(f"wrote agreement of {', '.join(layers)} over {result['articles']} article(s) "
              f"to {args.out}", file=sys.stderr)
    return 0


def _layers_with_work(db) -> list[str] | None:
    """The analyst layers with work (said on stderr), or None when fewer than two (said)."""
    from annotator.review.agreement import layers_to_compare
    try:
        layers = layers_to_compare(db)
    except ValueError as exc:
        err(str(exc).replace("(name the layers, e.g. ", "(name the layers with --layers, "
                             "e.g. --layers "))
        return None
    print(f"comparing {', '.join(layers)} (every analyst layer with work)", file=sys.stderr)
    return layers


def merge(project, args) -> int:
    from annotator.review.merge import MergeError, apply_merge, plan_merge
    try:
        plan = plan_merge(project.db, args.other)
    except MergeError as exc:
        err(str(exc))
        return 1
    print(plan.summary())
    if not plan.changes or args.dry_run:
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            print("no terminal to confirm: nothing written (pass --yes to merge)")
            return 0
        answer = input("Merge? [y/N] ").strip().lower()
        if answer not in ("y", "yes"):
            print("nothing written")
            return 0
    try:
        done = apply_merge(project.db, plan)
    except MergeError as exc:
        err(str(exc))
        return 1
    c = done.counts()
    print(f"merged: {c['articles_new']} article(s), {c['quotes_new']} quote(s), "
          f"{c['speakers_new']} speaker(s), {c['statuses']} status(es), "
          f"{c['comments_new']} comment(s)")
    return 0


def config_reviewers(db, value: str | None) -> int:
    """``config reviewers [LIST | -]``: show or set who may write the gold layer."""
    from annotator.editing.permissions import reviewers, set_reviewers
    if value is None:
        print(", ".join(reviewers(db)) or "(anyone: no reviewers named)")
    else:
        set_reviewers(db, [] if value == "-" else value.split(","))
    return 0
