"""Prodigy JSONL export: task keys, tokens that rebuild the text, spans and relations exact."""
import json

import spacy
from spacy.tokens import Doc

from annotator.selection import Selection
from annotator.export.prodigy import export_prodigy
from export_helpers import TRICKY, coded, gold_quotes  # noqa: F401 (fixture)


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_tasks_have_prodigy_keys_and_exact_offsets(coded, tmp_path):
    out = tmp_path / "gold.jsonl"
    n = export_prodigy(coded, out, filters=Selection(layers=("gold",)))
    tasks = read(out)
    assert n == len(tasks) == 11
    want = gold_quotes(coded)
    vocab = spacy.blank("en").vocab
    seen = set()
    for task in tasks:
        assert {"text", "tokens", "spans", "relations", "meta", "_input_hash", "_task_hash",
                "answer"} <= set(task)
        assert isinstance(task["_input_hash"], int) and isinstance(task["_task_hash"], int)
        assert task["answer"] == "accept" and task["_session_id"] == "gold"
        text, tokens = task["text"], task["tokens"]
        assert [t["id"] for t in tokens] == list(range(len(tokens)))
        assert "".join(t["text"] + (" " if t["ws"] else "") for t in tokens) == text
        doc = Doc(vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])
        for span in task["spans"]:
            assert text[span["start"]:span["end"]]
            assert tokens[span["token_start"]]["start"] == span["start"]
            assert tokens[span["token_end"]]["end"] == span["end"]
            # spaCy reads the same token offsets for the same characters
            sp = doc.char_span(span["start"], span["end"])
            assert (sp.start, sp.end - 1) == (span["token_start"], span["token_end"])
        by_quote = {}
        for span in task["spans"]:
            if span["label"] == "QUOTE":
                by_quote.setdefault(span["quote_id"], []).append((span["start"], span["end"]))
        for rel in task["relations"]:
            assert rel["head"] == rel["head_span"]["token_end"]
            assert rel["child"] == rel["child_span"]["token_end"]
        for uid, frags in by_quote.items():
            seen.add(uid)
            q = want[uid]
            assert frags == q["fragments"] and text == q["text"]
            (rel,) = [r for r in task["relations"] if r["label"] == "SPEAKER" and
                      (r["head_span"]["start"], r["head_span"]["end"]) == frags[0]]
            assert (rel["child_span"]["start"], rel["child_span"]["end"]) == q["speaker_span"]
            (cue,) = [r for r in task["relations"] if r["label"] == "CUE" and
                      (r["head_span"]["start"], r["head_span"]["end"]) == frags[0]]
            assert (cue["child_span"]["start"], cue["child_span"]["end"]) == q["cue_span"]
            assert len([r for r in task["relations"] if r["label"] == "CONTINUES" and
                        r["head_span"]["start"] in {f[0] for f in frags}]) == len(frags) - 1
    assert seen == set(want)


def test_emoji_and_right_to_left_text(coded, tmp_path):
    out = tmp_path / "t.jsonl"
    export_prodigy(coded, out, filters=Selection(layers=("gold",), outlets=("Unicode Times",)))
    (task,) = read(out)
    assert task["text"] == TRICKY and task["meta"]["source"] == "tricky"
    texts = {s["label"]: [] for s in task["spans"]}
    for s in task["spans"]:
        texts[s["label"]].append(TRICKY[s["start"]:s["end"]])
    assert texts["SPEAKER"] == ["מרים כהן", "أحمد ساري", "José"]
    assert "“useful 👍🏽”" in texts["QUOTE"][2] and "noe\u0308l was fine" in texts["QUOTE"]
    assert "“We will not give up 🇮🇱, not now,”" in texts["QUOTE"]


def test_one_task_per_layer_and_hashes(coded, tmp_path):
    out = tmp_path / "all.jsonl"
    export_prodigy(coded, out, filters=Selection(outlets=("Northern Ledger",)))
    tasks = read(out)
    first = [t for t in tasks if t["meta"]["source"] == "sample-01"]
    assert sorted(t["_session_id"] for t in first) == ["alice", "gold"]
    assert first[0]["_input_hash"] == first[1]["_input_hash"]
    assert first[0]["_task_hash"] != first[1]["_task_hash"]
    again = tmp_path / "again.jsonl"
    export_prodigy(coded, again, filters=Selection(outlets=("Northern Ledger",)))
    assert again.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
