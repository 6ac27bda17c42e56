"""The network's ties from grouped counts equal the pair self-join over statements they
replaced, on a random project (merged speakers, several positions a topic, unvalued
positions, more topics than one bit-set word); the minimum weight, top-N and speaker cap."""
import random

import pytest

from annotator.editing.quotes import insert_quote
from annotator.editing.speakers import insert_speaker
from annotator.insights.network import CANON, discourse_network
from annotator.selection import Selection
from annotator.store.db import ensure_layer, now

# The statement query and the pair self-join of the first version, kept as the reference.
REFERENCE = CANON + """,
st AS (
    SELECT c.root AS speaker, p.topic_id AS topic, p.id AS position, p.value AS value
    FROM quotes q JOIN canon c ON c.id = q.speaker_id JOIN positions p ON p.id = q.position_id
    WHERE q.status != 'rejected' GROUP BY c.root, p.id)
SELECT x.s1, x.s2, count(*), group_concat(t.name, '; ')
FROM (SELECT DISTINCT a.speaker AS s1, b.speaker AS s2, a.topic AS topic
      FROM st a JOIN st b ON a.topic = b.topic AND a.speaker < b.speaker AND {condition}
      ORDER BY a.topic) x
JOIN topics t ON t.id = x.topic
GROUP BY x.s1, x.s2 ORDER BY x.s1, x.s2"""
CONDITIONS = {"congruence": "a.position = b.position", "conflict": "a.value * b.value < 0"}


@pytest.fixture
def random_project(db):
    """40 speakers (5 merged into others) on 70 topics of four positions (values 1, -1, 0
    and none), 900 quotes, some rejected."""
    rnd = random.Random(3)
    stamp = now()
    layer = ensure_layer(db, "gold")
    with db.atomic():
        article = db.execute("INSERT INTO articles(hash, text, imported_at) VALUES "
                             "('h', ?, ?)", ["x" * 200, stamp]).lastrowid
        positions = []
        for t in range(1, 71):
            db.execute('INSERT INTO topics(id, name, "order") VALUES (?, ?, ?)',
                       [t, f"Topic {t:02d}", 70 - t])
            for k, value in enumerate((1, -1, 0, None)):
                pid = db.execute("INSERT INTO positions(topic_id, label, value) "
                                 "VALUES (?, ?, ?)", [t, f"P{k}", value]).lastrowid
                positions.append((t, pid))
        speakers = [insert_speaker(db, f"S{i}", created=stamp) for i in range(40)]
        for i, sid in enumerate(speakers[:5]):
            db.execute("UPDATE speakers SET merged_into = ? WHERE id = ?",
                       [speakers[10 + i], sid])
        # most speakers talk about a few popular topics, so ties weigh 1 to several
        popular = positions[:16] + positions[-12:]
        for n in range(900):
            topic, pid = rnd.choice(popular if rnd.random() < 0.8 else positions)
            insert_quote(db, {"uuid": f"q{n}", "article_id": article, "layer_id": layer,
                              "speaker_id": rnd.choice(speakers), "topic_id": topic,
                              "position_id": pid,
                              "status": "rejected" if rnd.random() < 0.1 else "accepted",
                              "created": stamp, "updated": stamp}, [(n % 150, n % 150 + 5)])
    return db


def as_rows(graph):
    return [(int(s[1:]), int(t[1:]), a["weight"], a["topics"]) for s, t, a in graph.edges]


def test_ties_equal_the_pair_self_join(random_project):
    db = random_project
    net = discourse_network(db, Selection())
    for kind in ("congruence", "conflict"):
        want = [tuple(r) for r in db.execute(REFERENCE.format(condition=CONDITIONS[kind]))]
        got = as_rows(getattr(net, kind))
        assert got == want
        assert len(want) > 100 and max(r[2] for r in want) >= 3
        assert any(r[3].count(";") >= 2 for r in want)
    numbers = {int(name.split()[1]) for *_x, a in net.congruence.edges
               for name in a["topics"].split("; ")}
    assert max(numbers) > 62, "topics past the first bit-set word"


def test_minimum_weight_and_top_are_applied_before_the_ties_are_made(random_project):
    db = random_project
    full = discourse_network(db, Selection())
    heavy = discourse_network(db, Selection(), min_weight=2)
    for kind in ("congruence", "conflict"):
        everything = as_rows(getattr(full, kind))
        assert as_rows(getattr(heavy, kind)) == [r for r in everything if r[2] >= 2]
        assert getattr(heavy, kind).all_edges == sum(r[2] >= 2 for r in everything)
    top = discourse_network(db, Selection(), top=25)
    for kind in ("congruence", "conflict"):
        everything = as_rows(getattr(full, kind))
        heaviest = sorted(everything, key=lambda r: (-r[2], r[0], r[1]))[:25]
        assert as_rows(getattr(top, kind)) == sorted(heaviest)
    two = [(s, t, a["weight"]) for s, t, a in full.two_mode.edges]
    assert [(s, t, a["weight"]) for s, t, a in top.two_mode.edges] == \
        [e for e in two if e in sorted(two, key=lambda e: -e[2])[:25]]


def test_speaker_cap_keeps_the_most_quoted(random_project):
    db = random_project
    full = discourse_network(db, Selection())
    quotes = {n: a["quotes"] for n, a in full.congruence.nodes}
    few = discourse_network(db, Selection(), speakers=8)
    kept = {n for n, _ in few.congruence.nodes}
    assert few.all_speakers == len(quotes) > 8
    assert kept == set(sorted(quotes, key=lambda n: (-quotes[n], int(n[1:])))[:8])
    for kind in ("congruence", "conflict"):
        assert as_rows(getattr(few, kind)) == [
            r for r in as_rows(getattr(full, kind)) if f"s{r[0]}" in kept and f"s{r[1]}" in kept]
    assert {s for s, _t, _a in few.two_mode.edges} <= kept
