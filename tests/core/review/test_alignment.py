"""Quotes of several layers aligned into units: overlap, one against two, missing, severity."""
import pytest

from annotator.review.alignment import align_article, status_counts
from annotator.editing.edits import add_quote
from annotator.editing.registry import CreateSpeaker, MergeSpeakers
from annotator.store.db import ensure_layer, now

TEXT = "x" * 1000


def article(db, text=TEXT, key="a1"):
    with db.atomic():
        return db.execute("INSERT INTO articles(hash, text, imported_at) VALUES (?, ?, ?)",
                          [key, text, now()]).lastrowid


def speaker(db, name):
    cmd = CreateSpeaker(name=name, actor="t")
    cmd.apply(db)
    return cmd.speaker_id


@pytest.fixture
def setup(db):
    art = article(db)
    return db, art, ensure_layer(db, "alice"), ensure_layer(db, "bob")


def quote(db, art, layer, *frags, **kw):
    return add_quote(db, article_id=art, layer=layer, fragments=list(frags), **kw)


def test_identical_quotes_agree(setup):
    db, art, a, b = setup
    s = speaker(db, "Anna")
    qa = quote(db, art, "alice", (10, 50), speaker_id=s)
    qb = quote(db, art, "bob", (10, 50), speaker_id=s)
    (unit,) = align_article(db, art, [a, b])
    assert unit.status == "agree" and unit.differences == []
    assert unit.quotes[a]["uuid"] == qa and unit.quotes[b]["uuid"] == qb
    assert (unit.start, unit.end) == (10, 50)
    assert unit.quotes[a]["fragments"] == [(10, 50)] and unit.quotes[a]["layer_id"] == a


def test_partial_overlap_is_one_unit_with_boundaries(setup):
    db, art, a, b = setup
    quote(db, art, "alice", (10, 50))
    quote(db, art, "bob", (20, 70))          # 30 shared of the shorter 40: 75 %
    (unit,) = align_article(db, art, [a, b])
    assert unit.status == "boundaries" and (unit.start, unit.end) == (10, 70)


def test_overlap_below_threshold_is_two_missing_units(setup):
    db, art, a, b = setup
    quote(db, art, "alice", (10, 50))
    quote(db, art, "bob", (40, 100))         # 10 shared of the shorter 40: 25 %
    units = align_article(db, art, [a, b])
    assert [u.status for u in units] == ["missing", "missing"]
    assert [u.start for u in units] == [10, 40]            # sorted by text position
    (unit,) = align_article(db, art, [a, b], min_overlap=0.2)
    assert unit.status == "boundaries"


def test_default_threshold_is_half_of_the_shorter_quote(setup):
    db, art, a, b = setup
    quote(db, art, "alice", (10, 50))
    quote(db, art, "bob", (30, 100))         # 20 shared of the shorter 40: exactly half
    assert [u.status for u in align_article(db, art, [a, b])] == ["boundaries"]
    other = article(db, key="a2")
    quote(db, other, "alice", (10, 50))
    quote(db, other, "bob", (31, 100))       # 19 of 40: just under half
    assert [u.status for u in align_article(db, other, [a, b])] == ["missing", "missing"]


def test_one_quote_against_two(setup):
    db, art, a, b = setup
    long = quote(db, art, "alice", (10, 200))
    small = quote(db, art, "bob", (10, 60))
    big = quote(db, art, "bob", (80, 200))   # the larger overlap wins; a quote matches once
    units = align_article(db, art, [a, b])
    assert len(units) == 2
    matched = next(u for u in units if u.quotes[a] is not None)
    assert matched.quotes[a]["uuid"] == long and matched.quotes[b]["uuid"] == big
    assert matched.status == "boundaries"
    alone = next(u for u in units if u.quotes[a] is None)
    assert alone.quotes[b]["uuid"] == small and alone.status == "missing"
    assert units[0].start <= units[1].start


def test_missing_quote_in_one_layer(setup):
    db, art, a, b = setup
    quote(db, art, "alice", (10, 50))
    quote(db, art, "bob", (10, 50))
    only = quote(db, art, "alice", (300, 400))
    units = align_article(db, art, [a, b])
    assert [u.status for u in units] == ["agree", "missing"]
    assert units[1].quotes[b] is None and units[1].uuids() == [only]
    assert status_counts(units)["missing"] == 1


def test_fragments_count_not_the_gap(setup):
    db, art, a, b = setup
    quote(db, art, "alice", (10, 40), (60, 90))   # split by "he said" in 40..60
    quote(db, art, "bob", (40, 60))               # only the cue: shares nothing
    assert [u.status for u in align_article(db, art, [a, b])] == ["missing", "missing"]
    quote(db, art, "bob", (10, 90))
    units = align_article(db, art, [a, b])
    assert [u.status for u in units] == ["boundaries", "missing"]


def test_speaker_compared_canonically(setup):
    db, art, a, b = setup
    lavrov, sergei = speaker(db, "Sergey Lavrov"), speaker(db, "Sergei Lavrov")
    quote(db, art, "alice", (10, 50), speaker_id=lavrov)
    quote(db, art, "bob", (10, 50), speaker_id=sergei)
    assert align_article(db, art, [a, b])[0].status == "speaker"
    MergeSpeakers(keep_id=lavrov, other_id=sergei, actor="t").apply(db)
    db.execute("UPDATE quotes SET speaker_id = ? WHERE layer_id = ?", [sergei, b])  # old id
    (unit,) = align_article(db, art, [a, b])
    assert unit.status == "agree"
    assert unit.quotes[b]["canonical_speaker_id"] == lavrov


def test_severity_and_all_differences_listed(setup):
    db, art, a, b = setup
    s1, s2 = speaker(db, "Anna"), speaker(db, "Ben")
    topic = db.execute("INSERT INTO topics(name) VALUES ('T')").lastrowid
    p1 = db.execute("INSERT INTO positions(topic_id, label) VALUES (?, 'yes')", [topic]).lastrowid
    p2 = db.execute("INSERT INTO positions(topic_id, label) VALUES (?, 'no')", [topic]).lastrowid
    quote(db, art, "alice", (10, 50), speaker_id=s1, topic_id=topic, position_id=p1)
    quote(db, art, "bob", (12, 50), speaker_id=s2, topic_id=topic, position_id=p2)
    (unit,) = align_article(db, art, [a, b])
    assert unit.status == "speaker"
    assert unit.differences == ["speaker", "position", "boundaries"]
    quote(db, art, "alice", (100, 150), topic_id=topic, position_id=p1)
    quote(db, art, "bob", (100, 150), topic_id=topic, position_id=p2)
    assert align_article(db, art, [a, b])[1].status == "position"


def test_three_layers_and_missing_in_one(setup):
    db, art, a, b = setup
    c = ensure_layer(db, "carol")
    quote(db, art, "alice", (10, 50))
    quote(db, art, "bob", (10, 52))
    quote(db, art, "carol", (11, 50))
    quote(db, art, "alice", (200, 250))
    quote(db, art, "carol", (200, 250))
    units = align_article(db, art, [a, b, c])
    assert [u.status for u in units] == ["boundaries", "missing"]
    assert all(q is not None for q in units[0].quotes.values())
    assert units[1].quotes[b] is None and units[1].differences == ["missing"]


def test_same_layer_quotes_never_join(setup):
    db, art, a, b = setup
    quote(db, art, "alice", (10, 50))
    quote(db, art, "alice", (30, 80))
    units = align_article(db, art, [a, b])
    assert len(units) == 2 and all(u.status == "missing" for u in units)


def test_rejected_quotes_are_left_out(setup):
    db, art, a, b = setup
    quote(db, art, "alice", (10, 50))
    quote(db, art, "bob", (10, 50), status="rejected")
    assert [u.status for u in align_article(db, art, [a, b])] == ["missing"]


def test_align_subsets_equals_aligning_each_subset():
    import random
    from annotator.review.alignment import align_quotes, align_subsets
    rnd = random.Random(5)
    by_layer = {}
    for lid in (1, 2, 3):
        quotes, pos = [], 0
        while pos < 900:
            s = pos + rnd.randint(0, 30)
            frags = [(s, s + rnd.randint(5, 60))]
            if rnd.random() < 0.3:
                frags.append((frags[0][1] + 10, frags[0][1] + rnd.randint(15, 50)))
            quotes.append({"uuid": f"{lid}-{s}", "start": frags[0][0], "end": frags[-1][1],
                           "fragments": frags, "canonical_speaker_id": rnd.randint(1, 3),
                           "topic_id": 1, "position_id": rnd.randint(1, 2)})
            pos = frags[-1][1] + rnd.randint(-20, 40)
        by_layer[lid] = quotes
    subsets = [(1, 2), (1, 3), (2, 3), (1, 2, 3)]
    together = align_subsets(by_layer, [1, 2, 3], subsets)
    for sub, units in zip(subsets, together):
        alone = align_quotes(by_layer, sub)
        key = lambda us: [(u.status, u.differences, u.start, u.end,  # noqa: E731
                           [q and q["uuid"] for q in u.quotes.values()]) for u in us]
        assert key(units) == key(alone)
        used = [q["uuid"] for u in units for q in u.present()]
        assert len(used) == len(set(used)) == sum(len(by_layer[lid]) for lid in sub)
