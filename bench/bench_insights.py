"""Insights figures: a filter change redrawn with 100,000 quotes; the 500-speaker network.

    python bench/bench_insights.py [PROJECT]   # builds PROJECT (default /tmp) on first run
    python bench/bench_insights.py --scale [/work/scale-data/1m.quotebook]

``--scale``: the 1M-article project of ``bench/bench_scale.py`` (600,000 coded quotes), copied
with SQLite's backup to /tmp on first run and opened (so upgraded) there: each filter change
of the three tabs counted from the quotes in memory and by the SQL statement, against a
baseline in the same run (a bare SQLite count of the quotes by position).

A synthetic project: 20,000 articles of ~250 words over three years from 8 outlets, 500 speakers in 40
organisations, the default codebook, 100,000 gold quotes (each speaker leaning to one
position per topic) and 10,000 in an analyst's layer. Printed: the panel's time from a filter
change to the new numbers drawn (offscreen, worker thread and redraw included), the SQL alone,
and a baseline scan (counting the layer's quotes joined to their articles) in the same run;
then the network of 500 speakers: graph query, cold and warm layout, the view's refresh.
"""
from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.editing.codebook import load_codebook  # noqa: E402
from annotator.selection import Selection  # noqa: E402
from annotator.insights.counts import network_data, panel_data, prepare  # noqa: E402
from annotator.insights.layout import force_layout, movement  # noqa: E402
from annotator.project import DEFAULT_CODEBOOK  # noqa: E402
from annotator.store.db import ensure_layer, now, open_project  # noqa: E402

ARTICLES, SPEAKERS, QUOTES, ORGS = 20_000, 500, 100_000, 40
OUTLETS = [f"Outlet {c}" for c in "ABCDEFGH"]


def build(path: Path) -> None:
    rng = random.Random(7)
    db = open_project(path)
    load_codebook(db, DEFAULT_CODEBOOK)
    gold, alice = ensure_layer(db, "gold"), ensure_layer(db, "alice")
    stamp = now()
    text = "Somebody said something about the matter at hand, and others answered. " * 22
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO articles(id, hash, text, title, outlet, published, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(i, f"h{i}", text, f"Article {i}", rng.choice(OUTLETS),
              f"{2023 + i * 3 // ARTICLES}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
              stamp) for i in range(1, ARTICLES + 1)])
        db.conn.executemany(
            "INSERT INTO speakers(id, name, role, organisation, kind, created) "
            "VALUES (?, ?, ?, ?, 'person', ?)",
            [(i, f"Speaker {i:03d}", rng.choice(["Minister", "Mayor", "Analyst", None]),
              f"Organisation {i % ORGS:02d}", stamp) for i in range(1, SPEAKERS + 1)])
    topics = {}
    for tid, pid in db.execute('SELECT topic_id, id FROM positions ORDER BY "order"'):
        topics.setdefault(tid, []).append(pid)
    lean = {(s, t): rng.choice(ps) for s in range(1, SPEAKERS + 1) for t, ps in topics.items()}
    # each speaker speaks on one or two topics, mostly taking one position on each
    own = {s: rng.sample(list(topics), 1 + (rng.random() < 0.3)) for s in range(1, SPEAKERS + 1)}
    weights = [1 / (i ** 0.8) for i in range(1, SPEAKERS + 1)]  # a few speak a lot
    rows, frags = [], []
    for qid in range(1, QUOTES + 11_000):
        speaker = rng.choices(range(1, SPEAKERS + 1), weights)[0]
        topic = rng.choice(own[speaker])
        position = lean[(speaker, topic)] if rng.random() < 0.9 else rng.choice(topics[topic])
        start = rng.randrange(0, 200)
        layer = gold if qid <= QUOTES else alice
        rows.append((qid, f"u{qid}", rng.randint(1, ARTICLES), layer, start, start + 40,
                     speaker, topic, position, stamp, stamp))
        frags.append((qid, 0, start, start + 40))
    with db.atomic():
        db.conn.executemany(
            'INSERT INTO quotes(id, uuid, article_id, layer_id, start, "end", speaker_id, '
            "topic_id, position_id, created, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
        db.conn.executemany('INSERT INTO quote_fragments(quote_id, ord, start, "end") '
                            "VALUES (?, ?, ?, ?)", frags)
    db.execute("ANALYZE")
    db.close()


def best(fn, runs=5):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def bench_panel(path: Path) -> None:
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication

    from ui.insights_panel import InsightsPanel

    class Session(QObject):
        changed = Signal(object)

    app = QApplication.instance() or QApplication([])
    db = open_project(path, create=False)
    session = Session()
    session.db, session.analyst = db, "gold"
    baseline = best(lambda: db.execute(
        "SELECT count(*), count(DISTINCT a.outlet) FROM quotes q JOIN articles a ON "
        "a.id = q.article_id WHERE q.layer_id = (SELECT id FROM layers WHERE name = 'gold') "
        "AND q.status != 'rejected'").fetchone())
    sql = best(lambda: panel_data(db, Selection(layers=("gold",))))
    panel = InsightsPanel(session)
    panel.resize(1100, 720)
    panel.show()
    wait(app, panel)
    changes = [dict(topic="Climate and energy policy"), dict(topic=""),
               dict(outlet="Outlet C"), dict(outlet="", date_from="2024-01-01",
                                              date_to="2024-12-31"),
               dict(date_from="", date_to="", bucket="week"), dict(bucket="month"),
               dict(layer="alice"), dict(layer="gold"), dict(article_status="todo"),
               dict(article_status="")] * 2
    matrix_sql = best(lambda: panel_data(db, Selection(layers=("gold",)), over_time=False))
    print(f"100,000 gold quotes, {SPEAKERS} speakers, {ARTICLES:,} articles")
    print(f"  baseline scan (count the layer's quotes joined to articles): "
          f"{baseline[0] * 1000:6.0f} ms")
    print(f"  panel_data, every figure (SQL alone):                       "
          f"{sql[0] * 1000:6.0f} ms  (ratio {sql[0] / baseline[0]:.1f} to the scan)")
    print(f"  panel_data, the matrix alone (SQL alone):                   "
          f"{matrix_sql[0] * 1000:6.0f} ms  (ratio {matrix_sql[0] / baseline[0]:.1f})")
    for tab, name in ((0, "matrix tab"), (1, "over-time tab"), (2, "top tab")):
        panel.tabs.setCurrentIndex(tab)
        wait(app, panel)
        times = []
        for change in changes:
            t = time.perf_counter()
            panel.set_filters(**change)
            wait(app, panel)
            panel.repaint()  # the redraw, synchronously
            times.append(time.perf_counter() - t)
        print(f"  filter change -> panel redrawn, {name} ({len(times)} changes): median "
              f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
              f"(target 300)")
    panel.close()


def bench_network(path: Path) -> None:
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication

    from ui.network_view import NetworkView

    db = open_project(path, create=False)
    t = time.perf_counter()
    net = network_data(db, Selection(layers=("gold",)))
    query = time.perf_counter() - t
    nodes = [n for n, _ in net.congruence.nodes]
    edges = [(s, t, a["weight"]) for s, t, a in net.congruence.edges]
    t = time.perf_counter()
    cold = force_layout(nodes, edges)
    cold_t = time.perf_counter() - t
    t = time.perf_counter()
    warm = force_layout(nodes, edges[:-50], previous=cold)
    warm_t = time.perf_counter() - t
    xs = [abs(c) for p in cold.values() for c in p]
    print(f"network: {len(nodes)} speakers, {len(edges):,} congruence and "
          f"{len(net.conflict.edges):,} conflict ties")
    print(f"  graph query {query:.2f} s; layout cold {cold_t:.2f} s (target 2), warm "
          f"{warm_t:.2f} s; warm start moved nodes {movement(cold, warm):.2f} units "
          f"(drawing {2 * max(xs):.0f} units wide)")

    class Session(QObject):
        changed = Signal(object)
    app = QApplication.instance() or QApplication([])
    session = Session()
    session.db, session.analyst = db, "gold"
    view = NetworkView(session)
    view.resize(1100, 720)
    t = time.perf_counter()
    view.show()
    wait(app, view)
    first = time.perf_counter() - t
    view.weight_spin.setValue(2)
    t = time.perf_counter()
    wait(app, view)
    again = time.perf_counter() - t
    print(f"  view: first drawing {first:.2f} s, min. weight 2 redrawn {again:.2f} s "
          f"({len(view.graph['ties']):,} ties shown)")
    view.close()


def wait(app, widget) -> None:
    app.processEvents()
    while widget.background.busy():
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()


def bench_scale(source: Path) -> None:
    import sqlite3
    copy = Path("/tmp/bench_insights_scale.quotebook")
    if not copy.exists():
        t = time.perf_counter()
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dest = sqlite3.connect(str(copy))
        src.backup(dest)
        dest.close()
        src.close()
        print(f"copied {source} in {time.perf_counter() - t:.0f} s")
    db = open_project(copy, create=False)
    copy.with_name(copy.name + ".schema4.bak").unlink(missing_ok=True)
    prepare(db)
    outlet = db.execute("SELECT outlet FROM articles WHERE id = 1").fetchone()[0]
    topic = db.execute("SELECT name FROM topics ORDER BY id LIMIT 1").fetchone()[0]
    n = db.execute("SELECT count(*) FROM quotes").fetchone()[0]
    t = time.perf_counter()
    panel_data(db, Selection())
    print(f"{n:,} quotes; the columns read into memory once: {time.perf_counter() - t:.1f} s")
    baseline = best(lambda: db.execute("SELECT position_id, count(*) FROM quotes "
                                       "GROUP BY 1").fetchall(), runs=3)[0]
    print(f"  baseline (count the quotes by position, SQL): {baseline * 1000:.0f} ms")
    changes = [("no filter", Selection(), {}), ("topic", Selection(topics=(topic,)), {}),
               ("outlet", Selection(outlets=(outlet,)), {}),
               ("year 2024", Selection(date_from="2024-01-01", date_to="2024-12-31"), {}),
               ("week buckets", Selection(), {"bucket": "week"}),
               ("article status done", Selection(article_statuses=("done",)), {})]
    tabs = (("matrix", {"over_time": False}), ("over time", {"matrix": False}),
            ("top", {"over_time": False, "outlets": True}))
    for tab, shape in tabs:
        for in_memory in (True, False):
            times = [best(lambda: panel_data(db, f, in_memory=in_memory, **shape, **kw),
                          runs=2 if in_memory else 1)[0] for _name, f, kw in changes]
            print(f"  {tab:9s} tab, {'in memory' if in_memory else 'SQL      '}: "
                  + ", ".join(f"{name} {t * 1000:.0f}" for (name, _f, _k), t in
                              zip(changes, times))
                  + f" ms; max {max(times) * 1000:.0f} ms = x{max(times) / baseline:.2f} "
                  f"the baseline (target 300 ms)")
    db.execute("UPDATE quotes SET status = 'rejected' WHERE id IN (SELECT id FROM quotes "
               "ORDER BY id DESC LIMIT 100)")
    t = time.perf_counter()
    panel_data(db, Selection())
    caught = time.perf_counter() - t
    db.conn.rollback()
    print(f"  after 100 quotes edited: the next count, catching up included, "
          f"{caught * 1000:.0f} ms")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--scale"]:
        bench_scale(Path(sys.argv[2] if len(sys.argv) > 2 else
                         "/work/scale-data/1m.quotebook"))
        sys.exit()
    project = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench_insights.quotebook")
    if not project.exists():
        t = time.perf_counter()
        build(project)
        print(f"built {project} in {time.perf_counter() - t:.0f} s")
    bench_panel(project)
    bench_network(project)
