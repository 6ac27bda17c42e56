"""The review commands of the command line: ``agreement`` and ``merge``."""
from __future__ import annotations

import sys
from pathlib import Path


def add_parsers(sub, common) -> None:
    """Add the ``agreement`` and ``merge`` sub-commands to ``cli``'s parser."""
    ag = sub.add_parser(
        "agreement", parents=[common], help="agreement between layers (F1, alpha, kappa)",
        description="Inter-annotator agreement between two or more layers: per pair, over all "
                    "layers and per article (see README, 'Review and agreement').")
    ag.add_argument("--layers", metavar="A,B[,C]", required=True,
                    help="comma-separated layer names (analysts, gold, suggestions)")
    ag.add_argument("--format", choices=["table", "json", "csv"], default="table")
    ag.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    ag.add_argument("--article", metavar="ID", type=int, action="append", default=None,
                    help="only this article (repeat for several); default: every article "
                         "each layer has worked on")
    ag.add_argument("--min-overlap", type=float, default=None, metavar="SHARE",
                    help="overlap matching: share of the shorter quote (default 0.5)")
    ag.add_argument("--no-articles", action="store_true",
                    help="leave the per-article rows out")

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


def _err(msg: str) -> None:
    print(f"quotebook: {msg}", file=sys.stderr)


def _write(text: str, out: str | None, *, raw: bool = False) -> None:
    """To stdout, or to ``out`` through a temporary file renamed into place (``raw``: keep
    the text's own line ends, as CSV needs)."""
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    target = Path(out)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="" if raw else None) as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)  # never a half-written file left behind
        raise


def agreement_command(project, args) -> int:
    from annotator.review.report import to_csv, to_json, to_table
    from annotator.review.alignment import MIN_OVERLAP
    names = [n.strip() for n in args.layers.split(",") if n.strip()]
    share = MIN_OVERLAP if args.min_overlap is None else args.min_overlap
    if not 0 < share <= 1:
        _err("--min-overlap must be above 0 and at most 1")
        return 2
    try:
        result = project.agreement(names, articles=args.article, min_overlap=share,
                                   per_article=not args.no_articles)
    except ValueError as exc:
        _err(str(exc))
        return 1
    text = {"table": to_table, "json": to_json, "csv": to_csv}[args.format](result)
    try:
        _write(text, args.out, raw=args.format == "csv")
    except OSError as exc:
        _err(f"{args.out}: cannot write ({exc.strerror or exc})")
        return 1
    if args.out:
        print(f"wrote agreement of {', '.join(names)} over {result['articles']} article(s) "
              f"to {args.out}", file=sys.stderr)
    return 0


def merge_command(db, args) -> int:
    from annotator.review.merge import MergeError, apply_merge, plan_merge
    try:
        plan = plan_merge(db, args.other)
    except MergeError as exc:
        _err(str(exc))
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
        done = apply_merge(db, plan)
    except MergeError as exc:
        _err(str(exc))
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
