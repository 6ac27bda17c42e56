"""Quote suggestions measured against PolNeAR with the shared scorer, through the app.

    python bench/eval_quotes.py [--split dev|train|both] [--limit N] [--train-limit 120]

For each split: imports the texts (read from ../shared, never copied) into a temporary
project, analyses them, exports the ``suggestions`` layer as native JSONL and prints the
figures of ``../shared/tools/score_quotes.py`` (loose = 30% overlap, strict = 80%). The rules
were tuned on ``dev``; the ``train`` slice (every 7th article) checks they were not overfitted.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.nlp.analysis import analyze  # noqa: E402
from annotator.export.jsonl import export_jsonl  # noqa: E402
from annotator.corpus.importing import import_paths  # noqa: E402
from annotator.store.db import open_project  # noqa: E402

POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
SCORER = ROOT.parent / "shared" / "tools" / "score_quotes.py"


def pick(split: str, limit: int | None, step: int) -> list[Path]:
    """Every ``step``-th text of the split, at most ``limit``."""
    files = sorted((POLNEAR / split / "text").glob("*.txt"))[::step]
    return files[:limit] if limit else files


def gold_folder(tmp: Path, split: str, files: list[Path]) -> Path:
    """A gold folder of links to just these articles (the scorer reads a whole folder)."""
    folder = tmp / f"gold-{split}"
    (folder / "text").mkdir(parents=True)
    (folder / "attributions").mkdir()
    for f in files:
        os.symlink(f, folder / "text" / f.name)
        for ann in (POLNEAR / split / "attributions").glob(f.stem + "_*.ann"):
            os.symlink(ann, folder / "attributions" / ann.name)
    return folder


def score(gold: Path, predictions: Path) -> dict:
    """The shared scorer's figures for a JSONL of predictions."""
    run = subprocess.run([sys.executable, str(SCORER), str(gold), str(predictions)],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def evaluate(split: str, files: list[Path], processes: int, thresholds=()) -> dict:
    """Import, analyse, export and score ``files``; also at each confidence threshold."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = tmp / "eval.quotebook"
        db = open_project(path)
        import_paths(db, files)
        started = time.perf_counter()
        report = analyze(db, n_process=processes)
        seconds = time.perf_counter() - started
        out = tmp / "suggestions.jsonl"
        export_jsonl(db, out, layer="suggestions")
        kinds = dict(db.execute("SELECT kind, count(*) FROM quotes GROUP BY kind").fetchall())
        proposals = db.execute("SELECT count(*) FROM speaker_merge_proposals").fetchone()[0]
        db.close()
        gold = gold_folder(tmp, split, files) if len(files) < len(
            list((POLNEAR / split / "text").glob("*.txt"))) else POLNEAR / split
        scores = score(gold, out)
        for threshold in thresholds:
            kept = tmp / f"min{threshold}.jsonl"
            with open(out, encoding="utf-8") as src, open(kept, "w", encoding="utf-8") as dst:
                for raw in src:
                    rec = json.loads(raw)
                    rec["quotes"] = [q for q in rec["quotes"] if q["confidence"] >= threshold]
                    dst.write(json.dumps(rec, ensure_ascii=False) + "\n")
            scores[f"min_confidence_{threshold}"] = score(gold, kept)
        scores["suggestions"] = report.quotes
        scores["kinds"] = kinds
        scores["merge_proposals"] = proposals
        scores["analysis_seconds"] = round(seconds, 1)
        return scores


def line(name: str, s: dict) -> str:
    """One line of figures."""
    lo, st = s["loose"], s["strict"]
    return (f"{name:<14} articles {s['articles_predicted']:>3}  loose P/R/F1 {lo['precision']:.3f}"
            f"/{lo['recall']:.3f}/{lo['f1']:.3f}  strict P/R/F1 {st['precision']:.3f}/"
            f"{st['recall']:.3f}/{st['f1']:.3f}  direct recall {lo['direct_recall']:.3f} "
            f"(strict {st['direct_recall']:.3f})  speaker accuracy {s['speaker_accuracy']:.3f} "
            f"(n={s['speaker_n']})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["dev", "train", "both"], default="both")
    ap.add_argument("--limit", type=int, default=None, help="at most N dev articles")
    ap.add_argument("--train-limit", type=int, default=120, help="train slice size (120)")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--min-confidence", type=float, nargs="*", default=[0.3, 0.5],
                    help="also score only the suggestions at or above these confidences")
    ap.add_argument("--json", action="store_true", help="print the scorer's full figures")
    args = ap.parse_args()
    runs = []
    if args.split in ("dev", "both"):
        runs.append(("dev", pick("dev", args.limit, 1)))
    if args.split in ("train", "both"):
        runs.append(("train-slice", pick("train", args.train_limit, 7)))
    for name, files in runs:
        scores = evaluate("dev" if name == "dev" else "train", files, args.processes,
                          args.min_confidence)
        print(json.dumps(scores, indent=1) if args.json else line(name, scores), flush=True)
        if not args.json:
            for t in args.min_confidence:
                print(line(f"  conf>={t}", scores[f"min_confidence_{t}"]), flush=True)


if __name__ == "__main__":
    main()
