"""A project of synthetic coded articles, for the streaming tests and ``bench/bench_export.py``."""
from __future__ import annotations

import random
from pathlib import Path

VOCAB = ("minister said talks would resume sanctions council government officials told "
         "reporters statement agreement border trade policy election campaign voters senator "
         "according to the of and in a that on for with as was were by his her their").split()


def build(project: Path, n: int, words: int) -> None:
    """``n`` articles of about ``words`` words, published month after month through 2026, each
    with 8 entities and 3 gold quotes (speaker, cue, topic, position; one split in two
    fragments), written in one transaction."""
    from annotator.editing.codebook import load_codebook
    from annotator.editing.quotes import insert_quote
    from annotator.editing.speakers import insert_speaker
    from annotator.project import DEFAULT_CODEBOOK
    from annotator.store.db import ensure_layer, now, open_project
    db = open_project(project)
    load_codebook(db, DEFAULT_CODEBOOK)
    gold = ensure_layer(db, "gold")
    positions = db.execute("SELECT topic_id, id FROM positions").fetchall()
    rnd = random.Random(7)
    stamp = now()
    db.execute("BEGIN")
    speakers = [insert_speaker(db, f"Speaker {i}", role="Minister", organisation=f"Party {i % 7}",
                               created=stamp) for i in range(200)]
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
            insert_quote(db, {"uuid": f"q-{i}-{k}", "article_id": aid, "layer_id": gold,
                              "kind": "direct", "speaker_id": rnd.choice(speakers),
                              "speaker_start": mention, "speaker_end": mention + 7,
                              "cue_start": cue, "cue_end": cue + 4, "topic_id": topic,
                              "position_id": position, "status": "accepted",
                              "created": stamp, "updated": stamp}, frags)
    db.execute("COMMIT")
    db.close()
