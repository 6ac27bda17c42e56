"""A coded project for the export tests: the sample corpus with gold quotes and positions, an
analyst layer, suggestions, article statuses, and an extra article with emoji, right-to-left
names, combining marks, a line break, commas and double quotes inside a split quote."""
from __future__ import annotations

import json
from pathlib import Path

from annotator.editing.codebook import load_codebook
from annotator.corpus.importing import import_paths
from annotator.project import DEFAULT_CODEBOOK, SAMPLE_CORPUS
from annotator.editing.edits import add_quote
from annotator.editing.speakers import add_speaker, find_speaker
from annotator.store.db import ensure_layer, now

TRICKY = ("🎉 Parade in Tel Aviv\n\n“We will not give up 🇮🇱, not now,” said מרים כהן, the "
          "mayor’s spokeswoman. “The city, and its people, say \"yes\"\nto peace.”\n\n"
          "Said أحمد ساري: the talks were “useful 👍🏽” 😀. Café owner José said noe\u0308l was "
          "fine.\n")


def span(text: str, part: str, after: int = 0) -> tuple[int, int]:
    start = text.index(part, after)
    return start, start + len(part)


def position(db, topic_order: int, value: float) -> tuple[int, int]:
    """(topic id, position id) of the position with ``value`` on the n-th topic."""
    return db.execute(
        'SELECT p.topic_id, p.id FROM positions p WHERE p.topic_id = (SELECT id FROM topics '
        'ORDER BY "order", id LIMIT 1 OFFSET ?) AND p.value = ? ORDER BY p."order" LIMIT 1',
        [topic_order, value]).fetchone()


def add_tricky_article(db, path) -> int:
    """Import the tricky article; code three gold quotes on it; return its id."""
    path.write_text(json.dumps({"id": "tricky", "title": "Tricky", "outlet": "Unicode Times",
                                "published": "2026-10-01", "text": TRICKY},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    import_paths(db, [path])
    aid = db.execute("SELECT id FROM articles WHERE source = 'tricky'").fetchone()[0]
    t = TRICKY
    miriam = add_speaker(db, "Miriam Cohen", role="Spokeswoman", organisation="City of Tel Aviv",
                         aliases=("מרים כהן",))
    ahmed = add_speaker(db, "Ahmed Sari", role="Envoy", organisation="Arab League")
    jose = add_speaker(db, "José Ruiz", kind="person")
    stamp = now()
    db.conn.executemany('INSERT INTO entities(article_id, start, "end", label) VALUES (?,?,?,?)',
                        [(aid, *span(t, "Tel Aviv"), "GPE"), (aid, *span(t, "מרים כהן"), "PERSON"),
                         (aid, *span(t, "أحمد ساري"), "PERSON"), (aid, *span(t, "José"), "PERSON")])
    db.execute("UPDATE articles SET analyzed_at = ? WHERE id = ?", [stamp, aid])
    db.conn.commit()
    f1 = span(t, "“We will not give up 🇮🇱, not now,”")
    f2 = span(t, "“The city, and its people, say \"yes\"\nto peace.”")
    support, oppose, neutral = (position(db, 0, v) for v in (1, -1, 0))
    add_quote(db, article_id=aid, layer="gold", fragments=[f2, f1], kind="direct",
              speaker_id=miriam, speaker_span=span(t, "מרים כהן"), cue_span=span(t, "said"),
              topic_id=support[0], position_id=support[1], note="split, line break, \"quotes\"")
    add_quote(db, article_id=aid, layer="gold", fragments=[span(t, "the talks were “useful 👍🏽”")],
              kind="mixed", speaker_id=ahmed, speaker_span=span(t, "أحمد ساري"),
              cue_span=span(t, "Said"), topic_id=oppose[0], position_id=oppose[1])
    add_quote(db, article_id=aid, layer="gold", fragments=[span(t, "noe\u0308l was fine")],
              kind="indirect", speaker_id=jose, speaker_span=span(t, "José"),
              cue_span=span(t, "said", t.index("José")), topic_id=neutral[0],
              position_id=neutral[1])
    return aid


def coded_project(db, tmp_path):
    """Fill ``db``: sample corpus, default codebook, gold quotes coded, analyst work."""
    import_paths(db, [SAMPLE_CORPUS])
    load_codebook(db, DEFAULT_CODEBOOK)
    load_gold_layer(db)
    topics = db.execute('SELECT p.topic_id, p.id FROM positions p JOIN topics t ON '
                        't.id = p.topic_id WHERE p.value IS NOT NULL ORDER BY t."order", t.id, '
                        'p."order" LIMIT 6').fetchall()
    for i, (qid,) in enumerate(db.execute("SELECT id FROM quotes ORDER BY id").fetchall()):
        topic_id, position_id = topics[i % len(topics)]
        db.execute("UPDATE quotes SET topic_id = ?, position_id = ? WHERE id = ?",
                   [topic_id, position_id, qid])
    db.conn.commit()
    tricky = add_tricky_article(db, tmp_path / "tricky.jsonl")
    kov = db.execute("SELECT id FROM speakers WHERE name = 'Anna Kovacs'").fetchone()[0]
    db.execute("UPDATE speakers SET role = 'Foreign Minister', organisation = 'Estmark' "
               "WHERE id = ?", [kov])
    db.execute("INSERT INTO speaker_aliases(speaker_id, alias) VALUES (?, 'Kovacs')", [kov])
    merged = add_speaker(db, "A. Kovacs")
    db.execute("UPDATE speakers SET merged_into = ? WHERE id = ?", [kov, merged])
    db.conn.commit()
    support = position(db, 0, 1)
    add_quote(db, article_id=1, layer="alice", fragments=[(213, 311)], speaker_id=merged,
              speaker_span=(329, 340), topic_id=support[0], position_id=support[1])
    add_quote(db, article_id=2, layer="alice", fragments=[(0, 20)], status="rejected")
    add_quote(db, article_id=3, layer="suggestions", fragments=[(0, 30)], status="suggested",
              confidence=0.42)
    alice, gold = ensure_layer(db, "alice"), ensure_layer(db, "gold")
    with db.atomic():
        for aid, layer, status in [(1, alice, "done"), (2, alice, "in_progress"),
                                   (1, gold, "done"), (tricky, gold, "done")]:
            db.execute("INSERT INTO article_status(article_id, layer_id, status, updated) "
                       "VALUES (?, ?, ?, ?)", [aid, layer, status, now()])
    return {"tricky": tricky, "kovacs": kov, "merged": merged}


import pytest  # noqa: E402


@pytest.fixture
def coded(db, tmp_path):
    """The coded project (import this fixture into a test module)."""
    coded_project(db, tmp_path)
    return db


def gold_quotes(db) -> dict:
    """{quote uuid: (article text, fragments, speaker span, cue span, speaker, position)}."""
    out = {}
    for uid, text, qid, ss, se, cs, ce, speaker, position, kind in db.execute(
            "SELECT q.uuid, a.text, q.id, q.speaker_start, q.speaker_end, q.cue_start, "
            "q.cue_end, s.name, p.label, q.kind FROM quotes q JOIN articles a "
            "ON a.id = q.article_id JOIN layers l ON l.id = q.layer_id "
            "LEFT JOIN speakers s ON s.id = q.speaker_id "
            "LEFT JOIN positions p ON p.id = q.position_id WHERE l.name = 'gold'").fetchall():
        frags = [tuple(r) for r in db.execute('SELECT start, "end" FROM quote_fragments '
                                              "WHERE quote_id = ? ORDER BY ord", [qid])]
        out[uid] = {"text": text, "fragments": frags, "speaker_span": (ss, se),
                    "cue_span": (cs, ce), "speaker": speaker, "position": position,
                    "kind": kind}
    return out


GOLD = Path(__file__).parent / "data" / "sample_gold.json"


def load_gold_layer(db, layer="gold"):
    """Store the sample corpus's gold quotes as a layer; return {source: [gold quotes]}."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    ids = dict(db.execute("SELECT source, id FROM articles").fetchall())
    for art in gold["articles"]:
        for q in art["quotes"]:
            speaker = find_speaker(db, q["speaker"]) or add_speaker(
                db, q["speaker"], kind=q["speaker_kind"])
            add_quote(db, article_id=ids[art["id"]], layer=layer, fragments=q["fragments"],
                      kind=q["kind"], speaker_id=speaker,
                      speaker_span=(q["speaker_start"], q["speaker_end"]),
                      cue_span=(q["cue_start"], q["cue_end"]))
    return {a["id"]: a["quotes"] for a in gold["articles"]}
