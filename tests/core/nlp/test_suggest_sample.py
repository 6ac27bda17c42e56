"""Suggestions on the bundled sample corpus against its 48 gold quotes, through the app:
import, analyse, export the ``suggestions`` layer, score with the shared scorer."""
import json
import subprocess
import sys

import pytest

from annotator.export.jsonl import export_jsonl
from annotator.corpus.importing import import_paths
from annotator.project import SAMPLE_CORPUS
from annotator.nlp.speaker_matching import merge_proposals
from conftest import ROOT, SHARED
from project_helpers import analyze_file

GOLD = ROOT / "tests" / "data" / "sample_gold.json"


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def analysed(tmp_path_factory, nlp):
    from annotator.store.db import open_project
    path = tmp_path_factory.mktemp("sample") / "sample.quotebook"
    db = open_project(path)
    import_paths(db, [SAMPLE_CORPUS])
    db.close()
    analyze_file(path)
    db = open_project(path)
    out = path.with_suffix(".jsonl")
    export_jsonl(db, out, layer="suggestions")
    yield db, out
    db.close()


def test_scores_on_the_sample_gold(analysed):
    _, out = analysed
    run = subprocess.run([sys.executable, str(SHARED / "tools" / "score_quotes.py"), str(GOLD),
                          str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    scores = json.loads(run.stdout)
    assert scores["articles_predicted"] == 10
    assert scores["loose"]["f1"] >= 0.95 and scores["strict"]["f1"] >= 0.93
    assert scores["loose"]["direct_recall"] == 1.0
    assert scores["speaker_accuracy"] >= 0.95


def _match(gold_quote, predicted):
    def cover(p):
        return max(0, min(p["end"], gold_quote["end"]) - max(p["start"], gold_quote["start"]))
    best = max(predicted, key=cover, default=None)
    if best is None or cover(best) < 0.8 * (gold_quote["end"] - gold_quote["start"]):
        return None
    return best


@pytest.mark.parametrize("feature", [
    "direct", "split", "multi_paragraph", "mixed", "reported", "colon_form", "according_to",
    "straight_quotes", "emoji", "rtl_name", "pronoun_speaker", "surname_later",
    "organisation_speaker", "unnamed_source"])
def test_each_gold_feature_is_found_with_kind_and_speaker(analysed, feature):
    _, out = analysed
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    by_source = {r["meta"]["source"]: r for r in read(out)}
    checked = kinds = speakers = 0
    for art in gold:
        rec = by_source[art["id"]]
        for q in art["quotes"]:
            if feature not in q["features"]:
                continue
            checked += 1
            p = _match(q, rec["quotes"])
            assert p is not None, (feature, q["text"])
            kinds += p["kind"] == q["kind"]
            if feature == "split":
                assert p["fragments"] == q["fragments"]
            sp = p["speaker"] or {}
            speakers += (sp.get("name") == q["speaker"] or
                         (sp.get("start"), sp.get("end")) == (q["speaker_start"],
                                                              q["speaker_end"]))
    assert checked and kinds == checked
    assert speakers >= checked - 1 if checked > 2 else speakers == checked


def test_two_spellings_are_proposed_for_merging(analysed):
    db, _ = analysed
    pairs = [{p["speaker"], p["other"]} for p in merge_proposals(db)]
    assert {"Yevgeny Morozov", "Evgeny Morozov"} in pairs
    assert db.execute("SELECT count(*) FROM speakers WHERE name IN "
                      "('Yevgeny Morozov', 'Evgeny Morozov') AND merged_into IS NULL"
                      ).fetchone()[0] == 2


def test_sample_suggestions_have_no_quote_outside_the_gold(analysed):
    _, out = analysed
    gold = {a["id"]: a["quotes"] for a in json.loads(GOLD.read_text(encoding="utf-8"))
            ["articles"]}
    extra = [(r["meta"]["source"], q["text"]) for r in read(out) for q in r["quotes"]
             if not any(min(q["end"], g["end"]) > max(q["start"], g["start"])
                        for g in gold[r["meta"]["source"]])]
    assert extra == []
