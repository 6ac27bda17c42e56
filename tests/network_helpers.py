"""The hand-counted debate: a small coded project whose discourse network and insights counts
the tests know by heart (used by the export, insights and window tests)."""
import json

import pytest

from annotator.corpus.importing import import_paths
from annotator.editing.edits import add_quote
from annotator.editing.speakers import add_speaker


@pytest.fixture
def debate(db, tmp_path):
    """Four speakers on two topics (values 1 support, -1 oppose, 0 neutral), three months."""
    lines = [{"id": f"d{m}", "text": f"Debate article {m}. " + "x" * 60, "outlet": "Wire",
              "published": f"2026-0{m}-15"} for m in (1, 2, 3)]
    (tmp_path / "d.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    import_paths(db, [tmp_path / "d.jsonl"])
    for tid, name in ((1, "Tariffs"), (2, "Climate")):
        db.execute("INSERT INTO topics(id, name) VALUES (?, ?)", [tid, name])
        for pid, label, value in ((1, "Support", 1), (2, "Oppose", -1), (3, "Neutral", 0)):
            db.execute("INSERT INTO positions(id, topic_id, label, value) VALUES (?, ?, ?, ?)",
                       [tid * 10 + pid, tid, label, value])
    db.conn.commit()
    ann = add_speaker(db, "Ann", role="Minister", organisation="Government")
    bo = add_speaker(db, "Bo", role="Senator", organisation="Opposition")
    cy = add_speaker(db, "Cy", kind="organisation")
    dee = add_speaker(db, "Dee")
    dee2 = add_speaker(db, "D.")
    db.execute("UPDATE speakers SET merged_into = ? WHERE id = ?", [dee, dee2])
    db.conn.commit()
    n = [0]

    def say(article, speaker, topic, pos, layer="gold", status="accepted"):
        n[0] += 2
        add_quote(db, article_id=article, layer=layer, fragments=[(n[0], n[0] + 1)],
                  speaker_id=speaker, topic_id=topic, position_id=topic * 10 + pos,
                  status=status)
    say(1, ann, 1, 1)
    say(1, ann, 1, 1)
    say(1, bo, 1, 1)
    say(2, cy, 1, 2)
    say(2, ann, 1, 3)
    say(2, ann, 2, 2)
    say(2, cy, 2, 2)
    say(3, dee2, 1, 2)           # counts as Dee, the speaker D. was merged into
    say(3, bo, 2, 1, status="rejected")
    say(3, cy, 2, 1, layer="alice")
    return {"Ann": ann, "Bo": bo, "Cy": cy, "Dee": dee}
