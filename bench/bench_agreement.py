"""Agreement over 1,000 articles with three layers of 20 quotes each (target: under 2 s).

    python bench/bench_agreement.py [--articles 1000] [--layers 3] [--quotes 20]

Builds a synthetic project in a temporary folder (each layer copies a base set of quotes and
moves some boundaries, drops some quotes, changes some speakers and positions), then times
``agreement`` with per-article figures, best of 3, against a baseline measured in the same run:
reading the same quote and fragment rows with two plain queries.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.review.agreement import agreement  # noqa: E402
from annotator.editing.codebook import load_codebook  # noqa: E402
from annotator.project import DEFAULT_CODEBOOK  # noqa: E402
from annotator.store.db import ensure_layer, now, open_project  # noqa: E402


def build(db, n_articles: int, n_layers: int, n_quotes: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    load_codebook(db, DEFAULT_CODEBOOK)
    positions = [r[0:2] for r in db.execute("SELECT id, topic_id FROM positions")]
    stamp = now()
    speakers = []
    with db.atomic():
        for i in range(200):
            speakers.append(db.execute("INSERT INTO speakers(name, created) VALUES (?, ?)",
                                       [f"Speaker {i}", stamp]).lastrowid)
        names = [f"analyst{i + 1}" for i in range(n_layers)]
        layers = [ensure_layer(db, n) for n in names]
        quotes, frags = [], []
        qid = 0
        for a in range(n_articles):
            text = " ".join(f"word{rnd.randrange(1000)}" for _ in range(n_quotes * 60))
            art = db.execute("INSERT INTO articles(hash, text, imported_at) VALUES (?, ?, ?)",
                             [f"h{a}", text, stamp]).lastrowid
            step = len(text) // n_quotes
            for k in range(n_quotes):
                s, e = k * step + 10, k * step + step // 2
                spk, (pos, topic) = rnd.choice(speakers), rnd.choice(positions)
                for lid in layers:
                    if rnd.random() < 0.05:
                        continue          # missing in this layer
                    ds, de = (rnd.randint(-5, 5), rnd.randint(-5, 5)) if rnd.random() < 0.2 \
                        else (0, 0)
                    sp = rnd.choice(speakers) if rnd.random() < 0.1 else spk
                    p, t = rnd.choice(positions) if rnd.random() < 0.15 else (pos, topic)
                    qid += 1
                    quotes.append((qid, str(uuid.uuid4()), art, lid, s + ds, e + de, sp, t, p,
                                   stamp, stamp))
                    frags.append((qid, 0, s + ds, e + de))
        db.conn.executemany(
            'INSERT INTO quotes(id, uuid, article_id, layer_id, start, "end", speaker_id, '
            "topic_id, position_id, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            quotes)
        db.conn.executemany('INSERT INTO quote_fragments(quote_id, ord, start, "end") '
                            "VALUES (?, ?, ?, ?)", frags)
    return names


def baseline(db) -> None:
    db.execute("SELECT id, uuid, article_id, layer_id, kind, speaker_id, topic_id, position_id, "
               'start, "end" FROM quotes ORDER BY article_id, start').fetchall()
    db.execute('SELECT quote_id, start, "end" FROM quote_fragments ORDER BY quote_id, ord'
               ).fetchall()


def best(fn, rounds=3) -> float:
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--quotes", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_project(Path(tmp) / "bench.quotebook")
        t = time.perf_counter()
        names = build(db, args.articles, args.layers, args.quotes)
        print(f"built {args.articles} articles x {args.layers} layers x {args.quotes} quotes "
              f"in {time.perf_counter() - t:.1f} s")
        base = best(lambda: baseline(db))
        full = best(lambda: agreement(db, names))
        pairs_only = best(lambda: agreement(db, names, per_article=False))
        result = agreement(db, names)
        o = result["overall"]
        print(f"baseline (read quote and fragment rows): {base:.3f} s")
        print(f"agreement, with per-article figures:   {full:.3f} s "
              f"(ratio {full / base:.1f}; target < 2 s)")
        print(f"agreement, without per-article figures: {pairs_only:.3f} s")
        print(f"overall: units {o['units']}, F1 overlap {o['quote_f1']['overlap']:.3f}, "
              f"exact {o['quote_f1']['exact']:.3f}, alpha_U {o['unitizing_alpha']:.3f}, "
              f"speaker alpha {o['speakers']['alpha']:.3f}, "
              f"position alpha {o['positions']['alpha']:.3f}")
        db.close()


if __name__ == "__main__":
    main()
