"""Export: articles/s and peak memory for 10,000 coded articles (native JSONL and the others).

    python bench/bench_export.py [--articles 10000] [--words 250] [--formats jsonl,csv,...]

Builds a project of synthetic articles, each with 8 entities and 3 coded quotes (speaker,
cue, topic, position; one split in two fragments). Each measurement runs in a fresh child
process that reports its time and peak resident memory:

- baseline: a plain loop that reads every article row and writes ``json.dumps`` of its text and
  metadata (the least any JSONL export must do), so the ratio shows what entities, quotes and
  the filter cost;
- the native JSONL export of every article, and of a quarter of them (a date filter), to show
  that memory does not grow with the corpus;
- then each other format asked for.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
mode, project, out, date_to = sys.argv[1:5]
from annotator.store.db import open_project
db = open_project(project, create=False)
start = time.perf_counter()
if mode == "baseline":
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for row in db.execute("SELECT hash, text, title, outlet, published FROM articles "
                              "ORDER BY id"):
            fh.write(json.dumps({{"id": row[0], "text": row[1], "meta": {{
                "title": row[2], "outlet": row[3], "published": row[4]}}}},
                ensure_ascii=False) + "\n")
            n += 1
else:
    from annotator.selection import Selection
    from annotator.export import export
    filters = Selection(date_to=date_to or None)
    export(db, mode, out, filters=filters)
    n = filters.resolve(db).article_count()
elapsed = time.perf_counter() - start
print(json.dumps({{"n": n, "seconds": elapsed,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

VOCAB = ("minister said talks would resume sanctions council government officials told "
         "reporters statement agreement border trade policy election campaign voters senator "
         "according to the of and in a that on for with as was were by his her their").split()


def build(project: Path, n: int, words: int) -> None:
    """A project of ``n`` synthetic coded articles (written directly, in one transaction)."""
    from annotator.editing.codebook import load_codebook
    from annotator.project import DEFAULT_CODEBOOK
    from annotator.store.db import ensure_layer, now, open_project
    db = open_project(project)
    load_codebook(db, DEFAULT_CODEBOOK)
    gold = ensure_layer(db, "gold")
    positions = db.execute("SELECT topic_id, id FROM positions").fetchall()
    rnd = random.Random(7)
    stamp = now()
    db.execute("BEGIN")
    speakers = [db.execute("INSERT INTO speakers(name, role, organisation, created) "
                           "VALUES (?, ?, ?, ?)", [f"Speaker {i}", "Minister", f"Party {i % 7}",
                                                   stamp]).lastrowid for i in range(200)]
    for i in range(n):
        body = " ".join(rnd.choice(VOCAB) for _ in range(words))
        text = f"Article {i}. “{body[:400]},” Speaker {i % 200} said. {body[400:]}."
        day = f"2026-{1 + (i * 12) // n:02d}-{1 + i % 28:02d}"
        aid = db.execute(
            "INSERT INTO articles(hash, text, title, outlet, published, filename, source, "
            "imported_at) VALUES (?, ?, ?, 'Bench Wire', ?, 'bench.jsonl', ?, ?)",
            [f"{i:040x}", text, f"Synthetic article {i}", day, f"syn-{i}", stamp]).lastrowid
        db.conn.executemany('INSERT INTO entities(article_id, start, "end", label) '
                            "VALUES (?, ?, ?, 'ORG')",
                            [(aid, 20 + 50 * k, 26 + 50 * k) for k in range(8)])
        q_end = text.index("”") + 1
        mention = text.index("Speaker", q_end)
        cue = text.index("said", mention)
        for k, frags in enumerate([[(11, 60), (70, q_end)], [(100, 180)], [(200, 260)]]):
            topic, position = rnd.choice(positions)
            qid = db.execute(
                'INSERT INTO quotes(uuid, article_id, layer_id, start, "end", kind, speaker_id, '
                "speaker_start, speaker_end, cue_start, cue_end, topic_id, position_id, status, "
                "created, updated) VALUES (?, ?, ?, ?, ?, 'direct', ?, ?, ?, ?, ?, ?, ?, "
                "'accepted', ?, ?)",
                [f"q-{i}-{k}", aid, gold, frags[0][0], frags[-1][1], rnd.choice(speakers),
                 mention, mention + 7, cue, cue + 4, topic, position, stamp, stamp]).lastrowid
            db.conn.executemany('INSERT INTO quote_fragments(quote_id, ord, start, "end") '
                                "VALUES (?, ?, ?, ?)",
                                [(qid, o, s, e) for o, (s, e) in enumerate(frags)])
    db.execute("COMMIT")
    db.close()


def child(mode: str, project: Path, out: Path, date_to: str = "") -> dict:
    res = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), mode,
                          str(project), str(out), date_to], capture_output=True, text=True)
    if res.returncode:
        raise SystemExit(res.stderr)
    return json.loads(res.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--words", type=int, default=250)
    ap.add_argument("--formats", default="prodigy,spacy,brat,csv,network",
                    help="other formats to time after jsonl (comma-separated, or '')")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        project = tmp / "bench.quotebook"
        t0 = time.perf_counter()
        build(project, args.articles, args.words)
        print(f"{args.articles} synthetic articles of ~{args.words} words, 8 entities and 3 "
              f"coded quotes each (built in {time.perf_counter() - t0:.0f} s)")
        base = child("baseline", project, tmp / "base.jsonl")
        full = child("jsonl", project, tmp / "full.jsonl")
        quarter = child("jsonl", project, tmp / "quarter.jsonl", date_to="2026-03-31")
        size = (tmp / "full.jsonl").stat().st_size / 2**20
        print(f"baseline (rows -> json.dumps):  {base['n'] / base['seconds']:8.0f} articles/s, "
              f"peak {base['peak_mb']:.0f} MiB")
        print(f"jsonl export, all:             {full['n'] / full['seconds']:8.0f} articles/s "
              f"(target >= 2000), peak {full['peak_mb']:.0f} MiB, {full['seconds']:.2f} s, "
              f"{size:.0f} MiB written")
        print(f"jsonl export, a quarter:       {quarter['n'] / quarter['seconds']:8.0f} "
              f"articles/s ({quarter['n']} articles), peak {quarter['peak_mb']:.0f} MiB")
        print(f"ratio jsonl/baseline speed:    {base['seconds'] / full['seconds']:8.3f}")
        print(f"peak memory all/quarter:       {full['peak_mb'] / quarter['peak_mb']:8.3f}")
        for fmt in filter(None, args.formats.split(",")):
            res = child(fmt, project, tmp / f"out-{fmt}")
            print(f"{fmt + ' export, all:':31s}{res['n'] / res['seconds']:8.0f} articles/s, "
                  f"peak {res['peak_mb']:.0f} MiB, {res['seconds']:.2f} s")


if __name__ == "__main__":
    main()
