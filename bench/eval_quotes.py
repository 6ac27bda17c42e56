"""Quote suggestions measured against PolNeAR with the shared scorer, through the app.

    python bench/eval_quotes.py [--split dev|train|both] [--limit N] [--train-limit 120]
                                [--missed]

For each split: imports the texts (read from ../shared, never copied) into a temporary
project, analyses them, exports the ``suggestions`` layer as native JSONL and prints the
figures of ``../shared/tools/score_quotes.py`` (loose = 30% overlap, strict = 80%). The rules
were tuned on ``dev``; the ``train`` slice (every 7th article) checks they were not overfitted.
``--missed`` also prints each direct gold quote the suggestions miss (to the terminal only),
with the suggestions over it and the gold quote the scorer paired each of them with.
"""
from __future__ import annotations

import argparse
import importlib.util
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


ERROR_CLASSES = ("no speaker", "pronoun", "unnamed", "wrong name")


def _scorer():
    """The shared scorer as a module (its gold reader, matching and speaker test)."""
    spec = importlib.util.spec_from_file_location("score_quotes", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _articles(sc, gold: Path, predictions: Path):
    """(article, predicted quotes, gold quotes, text) of each predicted article with gold."""
    gq_all = sc.load_gold_polnear(gold)
    for raw in predictions.read_text(encoding="utf-8").splitlines():
        rec = json.loads(raw)
        stem = sc.pred_key(rec, set(gq_all))
        if stem is not None:
            yield stem, rec.get("quotes") or [], gq_all[stem], rec.get("text") or ""


def speaker_errors(gold: Path, predictions: Path) -> dict:
    """The scorer's wrong speakers (over loose matches) by class: no speaker, a pronoun left
    as the mention, an unnamed source, a wrong name."""
    sc = _scorer()
    counts = dict.fromkeys(ERROR_CLASSES, 0)
    for stem, pq, gq, text in _articles(sc, gold, predictions):
        for i, j in loose_pairs(sc, gq, pq).items():
            g = gq[j]
            if not (g["speech"] and g["speaker"]):
                continue
            p = pq[i]
            name, ss, se = sc.speaker_of(p)
            if _speaker_right(sc, g, name, ss, se):
                continue
            mention = text[ss:se].strip().lower() if ss is not None and se is not None else ""
            counts["no speaker" if not name else "pronoun" if mention in sc.PRONOUNS else
                   "unnamed" if str(name).startswith("unnamed") else "wrong name"] += 1
    return counts


def loose_pairs(sc, gq: list, pq: list) -> dict:
    """The scorer's one-to-one loose pairing, greedy by overlap: prediction -> gold index."""
    pairs = sorted(((sc.overlap(g["ranges"], p["start"], p["end"]), i, j)
                    for i, p in enumerate(pq) for j, g in enumerate(gq)
                    if sc.overlap(g["ranges"], p["start"], p["end"]) /
                    (sum(e - s for s, e in g["ranges"]) or 1) >= 0.3), reverse=True)
    paired, used_g = {}, set()
    for _, i, j in pairs:
        if i in paired or j in used_g:
            continue
        paired[i] = j
        used_g.add(j)
    return paired


def missed_direct(gold: Path, predictions: Path) -> list[str]:
    """One block per direct gold quote (speech) the suggestions miss at 30%: the gold text,
    cue and source, and each suggestion over it with the gold it was paired with instead."""
    sc = _scorer()
    out = []
    for stem, pq, gq, text in _articles(sc, gold, predictions):
        paired = loose_pairs(sc, gq, pq)
        taken = set(paired.values())
        for j, g in enumerate(gq):
            if not (g["speech"] and g["direct"]) or j in taken:
                continue
            quote = " | ".join(text[s:e] for s, e in g["ranges"])
            lines = [f"{stem} {g['ranges']} cue={g['cue']!r} source={g['speaker']!r}",
                     f"  gold: {quote}"]
            for i, p in enumerate(pq):
                if sc.overlap(g["ranges"], p["start"], p["end"]) > 0:
                    other = gq[paired[i]] if i in paired else None
                    with_ = ("unpaired" if other is None else "paired with " + (
                        "speech" if other["speech"] else "non-speech") +
                        f" {other['ranges']} cue={other['cue']!r}")
                    lines.append(f"  sugg [{p['start']}, {p['end']}] {p.get('kind')} {with_}: "
                                 f"{text[p['start']:p['end']]}")
            out.append("\n".join(lines))
    return out


def _speaker_right(sc, g, name, ss, se) -> bool:
    """The scorer's speaker test for one matched pair."""
    if ss is not None and se is not None and g["speaker_ranges"] and \
            sc.overlap(g["speaker_ranges"], ss, se) > 0:
        return True
    gw = [w for w in sc.words(g["speaker"]) if w not in sc.PRONOUNS]
    pw = sc.words(name)
    if not (gw and pw):
        return False

    def norm(w):
        return w.replace("’", "'").replace("sergey", "sergei")
    return norm(gw[-1].split("'")[0]) == norm(pw[-1].split("'")[0]) or \
        norm(pw[-1]) in map(norm, gw)


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
        scores["speaker_errors"] = speaker_errors(gold, out)
        scores["missed_direct"] = missed_direct(gold, out)
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
    ap.add_argument("--missed", action="store_true",
                    help="also print each direct quote missed, with the suggestions over it")
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
            print("  speaker errors: " + ", ".join(
                f"{k} {v}" for k, v in scores["speaker_errors"].items()), flush=True)
        if args.missed:
            print(f"  {len(scores['missed_direct'])} direct quotes missed:")
            print("\n".join(scores["missed_direct"]), flush=True)


if __name__ == "__main__":
    main()
