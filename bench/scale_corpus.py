"""The synthetic corpus of ``bench_scale.py``: a project of N articles built fast.

Articles of ~245 words from 40 outlets over 3 years (2023-2025), 0.6 coded quotes per article
by 2,000 speakers in the analyst layer ``coder``, some articles done, in progress or skipped,
and ten topics: ``Sanctions`` is dense (any speaker, any position: the conflict worst case),
the nine others sparse (each speaker keeps to a home topic and mostly one position). One word,
``sanctions``, is in about 42% of the texts (the issue's common word: 416k hits at 1M).

The project is created through ``open_project`` (every migration), then filled with bulk
inserts through SQLite on its own connection (journal off while building, WAL again after),
with the FTS index written by the project's own trigger. Also writes the same kind of
articles as JSONL for the import measurement.
"""
from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.store.db import open_project  # noqa: E402

OUTLETS = [f"{a} {b}" for a in ("Daily", "Evening", "Morning", "National", "Metro")
           for b in ("Herald", "Post", "Times", "Courier", "Ledger", "Star", "Wire", "Globe")]
TOPICS = ["Sanctions", "Trade", "Health", "Climate", "Migration", "Budget", "Defence",
          "Education", "Housing", "Energy"]
POSITIONS = [("support", 1.0), ("neutral", 0.0), ("oppose", -1.0)]
COMMON = ("the of and to in a that for on with as was by at from is it said has have be "
          "are were will would after before minister government officials told reporters "
          "talks council statement agreement border policy election campaign voters senator "
          "according week year new people plan report state public").split()
COMMON_WORD = "sanctions"
N_SPEAKERS = 2000
LAYER = "coder"


def _vocab(rnd: random.Random, n: int = 4000) -> list[str]:
    syll = ["ka", "lo", "ri", "men", "tas", "vor", "el", "an", "dur", "pi", "sto", "ne", "gra",
            "fel", "mo", "tri", "sa", "ber", "un", "co"]
    words = set()
    while len(words) < n:
        words.add("".join(rnd.choice(syll) for _ in range(rnd.randint(2, 4))))
    return sorted(words)


def _sentences(rnd: random.Random, n: int = 40_000) -> list[str]:
    """A pool of ~12-word sentences; 2.65% hold the common word (~42% of 20-sentence texts)."""
    vocab = _vocab(rnd)
    out = []
    for _ in range(n):
        words = [rnd.choice(COMMON) if rnd.random() < 0.55 else rnd.choice(vocab)
                 for _ in range(rnd.randint(10, 14))]
        if rnd.random() < 0.0265:
            words[rnd.randrange(len(words))] = COMMON_WORD
        out.append(" ".join(words).capitalize() + ".")
    return out


def articles(n: int, *, seed: int = 1, start: int = 0):
    """(title, text, outlet, published, source) of articles ``start`` .. ``start + n - 1``."""
    rnd = random.Random(seed * 1_000_003 + start)
    pool = _sentences(random.Random(seed))
    days = 3 * 365
    for i in range(start, start + n):
        body = " ".join(rnd.choices(pool, k=20))
        title = f"Report {i}: " + pool[rnd.randrange(len(pool))][:60]
        day = time.strftime("%Y-%m-%d", time.gmtime(1672531200 + 86400 * rnd.randrange(days)))
        yield title, f"{title}\n\n{body} Ref {i}.", OUTLETS[rnd.randrange(40)], day, f"syn-{i}"


def write_jsonl(path: Path, n: int, *, seed: int = 1, start: int = 0) -> int:
    with open(path, "w", encoding="utf-8") as fh:
        for title, text, outlet, day, source in articles(n, seed=seed, start=start):
            fh.write(json.dumps({"id": source, "title": title, "outlet": outlet,
                                 "published": day, "text": text}) + "\n")
    return path.stat().st_size


def _codebook(con: sqlite3.Connection) -> list[list[int]]:
    """Topics with their positions: ids of each topic's positions."""
    out = []
    for order, name in enumerate(TOPICS):
        tid = con.execute('INSERT INTO topics(name, "order") VALUES (?, ?)',
                          [name, order]).lastrowid
        out.append([con.execute('INSERT INTO positions(topic_id, label, "order", value) '
                                'VALUES (?, ?, ?, ?)', [tid, label, k, value]).lastrowid
                    for k, (label, value) in enumerate(POSITIONS)])
    return out


def build(path: Path, n: int, *, seed: int = 1, log=print) -> None:
    """Create the project at ``path`` with ``n`` articles (see the module's docstring)."""
    t0 = time.perf_counter()
    open_project(path).close()  # the schema, through every migration
    con = sqlite3.connect(str(path), isolation_level=None)
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    con.execute("PRAGMA cache_size = -262144")
    con.execute("PRAGMA foreign_keys = OFF")
    rnd = random.Random(seed)
    stamp = "2026-01-01T00:00:00.000+00:00"
    con.execute("BEGIN")
    layer = con.execute("INSERT INTO layers(name, kind, created) VALUES (?, 'analyst', ?)",
                        [LAYER, stamp]).lastrowid
    positions = _codebook(con)
    first = ["Anna", "Boris", "Chen", "Dana", "Emil", "Fatima", "Georg", "Hana", "Ivan", "Julia",
             "Kofi", "Lena", "Marek", "Nadia", "Omar", "Petra", "Quinn", "Rosa", "Sven", "Tara"]
    speakers = []
    for k in range(N_SPEAKERS):
        name = f"{first[k % 20]} {_vocab(random.Random(k), 1)[0].capitalize()}{k}"
        speakers.append(con.execute(
            "INSERT INTO speakers(name, role, organisation, kind, created) "
            "VALUES (?, ?, ?, 'person', ?)",
            [name, rnd.choice(["Minister", "Senator", "Spokesperson", ""]),
             rnd.choice(OUTLETS[:10]), stamp]).lastrowid)
    home = [(rnd.randrange(1, len(TOPICS)), rnd.randrange(3)) for _ in speakers]
    weights = [1 / (k + 10) for k in range(N_SPEAKERS)]  # a few speak a lot
    con.execute("COMMIT")
    chunk, qid, done = 10_000, 0, 0
    rows, quotes, frags, statuses = [], [], [], []
    for aid, (title, text, outlet, day, source) in enumerate(articles(n, seed=seed), 1):
        rows.append((aid, hashlib.sha1(text.encode()).hexdigest(), text, title, outlet, day,
                     source, stamp))
        r = rnd.random()
        for _ in range(0 if r < 0.55 else 1 if r < 0.85 else 2):
            qid += 1
            s = rnd.choices(range(N_SPEAKERS), weights)[0]
            if rnd.random() < 0.3:  # the dense topic: any position
                topic, pos = 0, rnd.randrange(3)
            else:
                topic, pos = home[s][0], home[s][1] if rnd.random() < 0.9 else rnd.randrange(3)
            start = rnd.randrange(len(title) + 2, len(text) - 120)
            coded = rnd.random() < 0.9
            quotes.append((qid, f"syn-q{qid}", aid, layer, start, start + 100,
                           speakers[s], topic + 1, positions[topic][pos] if coded else None,
                           stamp, stamp))
            frags.append((qid, 0, start, start + 100))
        r = rnd.random()
        if r < 0.15:
            statuses.append((aid, layer, "done" if r < 0.10 else "in_progress" if r < 0.13
                             else "skipped", stamp))
        if len(rows) >= chunk:
            _flush(con, rows, quotes, frags, statuses)
            done += chunk
            if done % 100_000 == 0:
                log(f"  built {done} articles in {time.perf_counter() - t0:.0f} s")
    _flush(con, rows, quotes, frags, statuses)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("ANALYZE")
    con.close()
    open_project(path).close()
    log(f"built {n} articles, {qid} quotes in {time.perf_counter() - t0:.0f} s: {path}")


def _flush(con, rows, quotes, frags, statuses) -> None:
    con.execute("BEGIN")
    con.executemany("INSERT INTO articles(id, hash, text, title, outlet, published, source, "
                    "meta, imported_at, analyzed_at, analyzed_model) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, '{}', ?, '2026-01-01', 'synthetic')", rows)
    con.executemany('INSERT INTO quotes(id, uuid, article_id, layer_id, start, "end", kind, '
                    "speaker_id, topic_id, position_id, status, created, updated) "
                    "VALUES (?, ?, ?, ?, ?, ?, 'direct', ?, ?, ?, 'accepted', ?, ?)", quotes)
    con.executemany('INSERT INTO quote_fragments(quote_id, ord, start, "end") '
                    "VALUES (?, ?, ?, ?)", frags)
    con.executemany("INSERT INTO article_status(article_id, layer_id, status, updated) "
                    "VALUES (?, ?, ?, ?)", statuses)
    con.execute("COMMIT")
    for bucket in (rows, quotes, frags, statuses):
        bucket.clear()


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description="build a synthetic project")
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if Path(a.out).exists():
        sys.exit(f"{a.out}: exists")
    build(Path(a.out), a.articles)
