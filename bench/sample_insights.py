"""The sample project, coded: its 48 gold quotes with a topic and position each (coded by hand
for the README's Insights screenshots) and the speakers' roles and organisations.

    python bench/sample_insights.py OUT.quotebook            # build the project
    python bench/sample_insights.py OUT.quotebook --shots    # and write docs/insights.png,
                                                             # docs/network.png
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.editing.codebook import load_codebook  # noqa: E402
from annotator.corpus.importing import import_paths  # noqa: E402
from annotator.project import DEFAULT_CODEBOOK, SAMPLE_CORPUS  # noqa: E402
from annotator.editing.edits import add_quote  # noqa: E402
from annotator.editing.speakers import add_speaker, find_speaker  # noqa: E402
from annotator.store.db import ensure_layer, now, open_project  # noqa: E402

GOLD = ROOT / "tests" / "data" / "sample_gold.json"
# topic (S sanctions, C climate, N negotiations, I city) and position (its hotkey), per quote
CODES = ("N1 N1 N3 N3 N3 S1 S1 S1 S2 S2 C1 C1 C4 C1 C3 I1 I1 I4 I2 I2 -- I4 I3 I1 I1 I4 I3 I3 "
         "S1 S2 S3 S2 N1 C1 C4 C2 C3 N1 N1 N1 N1 N3 C1 C4 C4 C3 C3 C2").split()
TOPICS = {"S": "Sanctions and trade measures", "C": "Climate and energy policy",
          "N": "Cross-border negotiations", "I": "City infrastructure and services"}
WHO = {
    "Anna Kovacs": ("Foreign Minister", "Estmark government"),
    "Elias Brandt": ("Secretary of State", "Norland government"),
    "Kari Solberg": ("Energy Minister", "Norland government"),
    "Yevgeny Morozov": ("Trade Minister", "Valdoria government"),
    "Tomas Reyel": ("Deputy Foreign Minister", "Valdoria government"),
    "Valdorian Foreign Ministry": (None, "Valdoria government"),
    "unnamed Valdorian officials": (None, "Valdoria government"),
    "Hana Sorel": ("Prime Minister", "Kardenia government"),
    "Kardenian Trade Ministry": (None, "Kardenia government"),
    "unnamed senior Kardenian official": (None, "Kardenia government"),
    "Ilse Varga": ("Opposition leader", "Liberal Union"),
    "Daniel Okafor": ("Environment Secretary", "Bramwell summit"),
    "Marisol Tavares": ("Delegation head", "Azure Islands"),
    "Greta Lindqvist": ("Economist", "Bramwell Institute for Climate Studies"),
    "Ruth Adeyemi": ("Mayor", "Port Elsin council"),
    "Piotr Lasko": ("Councilor", "Port Elsin council"),
    "Port Elsin Harbor Authority": (None, "Port Elsin council"),
    "Sofia Lindgren": ("Deputy Mayor", "Bramwell council"),
    "Marek Duda": ("Opposition councilor", "Bramwell council"),
    "Bramwell City Finance Department": (None, "Bramwell council"),
    "Leila Mansour": ("Mayor", "Amrah city"),
    "Yousef Haddad": ("Spokesperson", "Coastal Water Authority"),
    "Noa Ben-David": ("Marine biologist", "Blue Coast Alliance"),
    "Coalition for Clean Rivers": (None, "Coalition for Clean Rivers"),
    "Jonas Brill": ("Chairman", "Southern Growers Union"),
    "Elsin Haulage Association": (None, "Elsin Haulage Association"),
    "Oskar Henning": ("Chief executive", "Tidewater Energy"),
    "Tidewater Energy": (None, "Tidewater Energy"),
    "Ingrid Aalto": ("Head", "Gulf Fishers Cooperative"),
    "Nadia Petrov": ("Head of digital services", "Transit authority"),
}


def build(path) -> None:
    db = open_project(path)
    import_paths(db, [SAMPLE_CORPUS])
    load_codebook(db, DEFAULT_CODEBOOK)
    ids = dict(db.execute("SELECT source, id FROM articles").fetchall())
    positions = {(t, h): (tid, pid) for t, name in TOPICS.items() for tid, pid, h in db.execute(
        "SELECT t.id, p.id, p.hotkey FROM positions p JOIN topics t ON t.id = p.topic_id "
        "WHERE t.name = ?", [name])}
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    quotes = [(art["id"], q) for art in gold["articles"] for q in art["quotes"]]
    for code, (source, q) in zip(CODES, quotes):
        role, org = WHO.get(q["speaker"], (None, None))
        speaker = find_speaker(db, q["speaker"]) or add_speaker(
            db, q["speaker"], kind=q["speaker_kind"], role=role, organisation=org)
        topic, position = positions.get((code[0], code[1:]), (None, None))
        add_quote(db, article_id=ids[source], layer="gold", fragments=q["fragments"],
                  kind=q["kind"], speaker_id=speaker, topic_id=topic, position_id=position,
                  speaker_span=(q["speaker_start"], q["speaker_end"]),
                  cue_span=(q["cue_start"], q["cue_end"]))
    gold_id = ensure_layer(db, "gold")
    with db.atomic():
        for aid in ids.values():
            db.execute("INSERT INTO article_status(article_id, layer_id, status, updated) "
                       "VALUES (?, ?, 'done', ?)", [aid, gold_id, now()])
    db.close()


def shots(path) -> None:
    """Render both views offscreen on the coded sample project into docs/."""
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication

    from ui.insights_panel import InsightsPanel
    from ui.network_view import NetworkView

    class Session(QObject):
        changed = Signal(object)

    app = QApplication.instance() or QApplication([])
    session = Session()
    session.db, session.analyst = open_project(path, create=False), "gold"
    docs = ROOT / "docs"
    panel = InsightsPanel(session)
    panel.resize(1100, 720)
    panel.show()
    panel.set_filters(layer="gold", topic="Climate and energy policy")
    _wait(app, panel)
    panel.matrix_view.clicked.emit(panel.matrix_view.model().index(0, 4))
    _wait(app, panel)
    panel.grab().save(str(docs / "insights.png"))
    panel.tabs.setCurrentIndex(1)
    panel.set_filters(topic="")
    _wait(app, panel)
    panel.grab().save(str(docs / "insights-time.png"))
    view = NetworkView(session)
    view.resize(1100, 720)
    view.show()
    view.set_filters(layer="gold")
    _wait(app, view)
    view.fit()
    view.node_clicked(next(n for n, a in view.graph["nodes"] if a["label"] == "Anna Kovacs"))
    _wait(app, view)
    view.grab().save(str(docs / "network.png"))
    print("wrote docs/insights.png, docs/insights-time.png, docs/network.png")


def _wait(app, widget) -> None:
    import time
    end = time.time() + 10
    app.processEvents()
    while widget.background.busy() and time.time() < end:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


if __name__ == "__main__":
    target = Path(sys.argv[1])
    if not target.exists():
        build(target)
    if "--shots" in sys.argv:
        shots(target)
