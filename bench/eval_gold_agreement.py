"""The suggestions' quality on a gold layer imported from brat, next to the shared scorer.

    python bench/eval_gold_agreement.py [--limit N] [--json]

In one run, on PolNeAR ``dev`` (read from ../shared, never copied): imports the texts with
their attributions as the ``gold`` layer (``import --format brat --layer gold``: the first
annotator's file of each article, the file the shared scorer reads), analyses them (the
``suggestions`` layer), then prints the in-app agreement report of ``suggestions`` against
``gold`` (``quotebook agreement --layers gold,suggestions``, at 30%, 50% (the default) and 80%
overlap) and the figures of ``../shared/tools/score_quotes.py`` for the same suggestions.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from annotator import Project  # noqa: E402
from eval_quotes import POLNEAR, gold_folder, line, pick, score  # noqa: E402


def run(limit: int | None) -> dict:
    files = pick("dev", limit, 1)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        gold = gold_folder(tmp, "dev", files) if limit else POLNEAR / "dev"
        project = Project.open(tmp / "gold.quotebook")
        started = time.perf_counter()
        report = project.import_files([gold], format="brat", layer="gold")
        gold_quotes = project.db.execute("SELECT count(*) FROM quotes q JOIN layers l ON "
                                         "l.id = q.layer_id WHERE l.name = 'gold'").fetchone()[0]
        result = {"articles": report.imported, "gold_quotes": gold_quotes,
                  "skipped": report.skipped, "analysis": report.analysis.summary()}
        result["seconds"] = round(time.perf_counter() - started, 1)
        every = [r[0] for r in project.db.execute("SELECT id FROM articles")]
        for share in (0.3, 0.5, 0.8):   # over every article, as the scorer
            agr = project.agreement(["gold", "suggestions"], articles=every, min_overlap=share,
                                    per_article=False)
            result[f"agreement_{share}"] = agr["pairs"][0]
        out = tmp / "suggestions.jsonl"
        project.export("jsonl", out, layer=["suggestions"])
        project.close()
        result["scorer"] = score(gold, out)
    return result


def show(result: dict) -> None:
    print(f"{result['articles']} articles, {result['gold_quotes']} gold quotes "
          f"({len(result['skipped'])} attribution(s) skipped); {result['analysis']}")
    for share in (0.3, 0.5, 0.8):
        pair = result[f"agreement_{share}"]
        f1, sp = pair["quote_f1"], pair["speakers"]
        print(f"agreement gold,suggestions at {share:.0%} of the shorter quote: "
              f"P {f1['precision']:.3f} R {f1['recall']:.3f} F1 {f1['overlap']:.3f} "
              f"(exact {f1['exact']:.3f}); alpha_U {pair['unitizing_alpha']:.3f}; speaker "
              f"{sp['percent']:.1f}% of {sp['units']} units")
    print(line("shared scorer", result["scorer"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N dev articles")
    ap.add_argument("--json", action="store_true", help="print every figure as JSON")
    args = ap.parse_args()
    result = run(args.limit)
    if args.json:
        print(json.dumps(result, indent=1, default=str))
    else:
        show(result)


if __name__ == "__main__":
    main()
