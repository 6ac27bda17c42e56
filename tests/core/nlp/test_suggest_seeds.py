"""The two seed articles (read from ../shared) through the app: all 15 quotes with the speaker
a reader would name, the Sergei/Sergey pair proposed for merging, and once an analyst merges
them one speaker everywhere, in these articles and in the next one analysed."""
import pytest

from annotator.corpus.importing import import_paths
from annotator.editing.registry import SettleMergeProposal
from annotator.nlp.speaker_matching import merge_proposals
from conftest import SEEDS
from project_helpers import analyze_file

# (seed file, how the quote's first fragment begins, the speaker a reader names)
EXPECTED = [
    ("000", "“It is imperative", "Mike Pompeo"),
    ("000", "it needed to make some concessions", "Russia’s and China’s representatives"),
    ("000", "it should offer Pyongyang", "Wang Yi"),
    ("000", "“A timely declaration", "Wang Yi"),
    ("000", "efforts by North Korea to dismantle", "Sergei Lavrov"),
    ("000", "“It is unacceptable", "Sergei Lavrov"),
    ("000", "the United States and North Korea were", "Mike Pompeo"),
    ("000", "he would be traveling", "Mike Pompeo"),
    ("004", "Tuesday he emphasized", "Mike Pompeo"),
    ("004", "the two countries agree", "Mike Pompeo"),
    ("004", "“I underscored", "Mike Pompeo"),
    ("004", "Russia is “promoting dialogue”", "Sergey Lavrov"),
    ("004", "North Korea expects concessions", "Sergey Lavrov"),
    ("004", "“Naturally we highlighted", "Sergey Lavrov"),
    ("004", "“We are positive", "Sergey Lavrov"),
]


def seed_quotes(db):
    rows = db.execute(
        "SELECT a.source, a.text, q.start, q.speaker_id, s.name, s.kind, q.id FROM quotes q "
        "JOIN articles a ON a.id = q.article_id JOIN layers l ON l.id = q.layer_id "
        "LEFT JOIN speakers s ON s.id = q.speaker_id WHERE l.name = 'suggestions' "
        "ORDER BY a.source, q.start").fetchall()
    return [(src.rsplit("/", 1)[-1][:3], text[start:], sid, name, kind, qid)
            for src, text, start, sid, name, kind, qid in rows]


@pytest.fixture
def seeds_project(db, project_path, nlp):
    import_paths(db, sorted(SEEDS.glob("*.txt")))
    analyze_file(project_path)
    return db


def test_every_seed_quote_has_the_speaker_a_reader_names(seeds_project):
    found = seed_quotes(seeds_project)
    assert len(found) == len(EXPECTED) == 15
    for (seed, begins, speaker), (fseed, text, _, name, _, _) in zip(EXPECTED, found):
        assert fseed == seed and text.startswith(begins), (seed, begins, text[:40])
        assert name == speaker, (begins, name)
    group = [kind for _, text, _, _, kind, _ in found if text.startswith("it needed")]
    assert group == ["group"]


def test_the_split_quote_said_of_the_need_is_one_quote(seeds_project):
    (qid,) = [qid for _, text, *_, qid in seed_quotes(seeds_project)
              if text.startswith("“It is imperative")]
    frags = seeds_project.execute("SELECT count(*) FROM quote_fragments WHERE quote_id = ?",
                                  [qid]).fetchone()[0]
    assert frags == 2


def test_sergei_and_sergey_proposed_then_merged_are_one_speaker(seeds_project, tmp_path,
                                                                project_path):
    db = seeds_project
    (proposal,) = [p for p in merge_proposals(db) if "Lavrov" in p["speaker"]]
    assert {proposal["speaker"], proposal["other"]} == {"Sergei Lavrov", "Sergey Lavrov"}
    SettleMergeProposal(proposal_id=proposal["id"], accept=True, actor="alice").apply(db)
    lavrov = {sid for _, _, sid, name, *_ in seed_quotes(db) if name and "Lavrov" in name}
    assert len(lavrov) == 1
    assert merge_proposals(db) == []
    later = tmp_path / "later.txt"
    later.write_text("Lavrov meets Pompeo again\n“We will meet again soon,” said Foreign "
                     "Minister Sergey Lavrov. Sergei Lavrov said the talks were useful.\n",
                     encoding="utf-8")
    import_paths(db, [later])
    analyze_file(project_path)
    after = seed_quotes(db)
    assert {sid for _, _, sid, name, *_ in after if name and "Lavrov" in name} == lavrov
    assert [sid for seed, _, sid, *_ in after if seed == "lat"] == [min(lavrov)] * 2
