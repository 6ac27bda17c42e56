"""Merging two speakers keeps what is known: the kept speaker takes the other's role,
organisation, kind and aliases where its own are empty; two different values are chosen by the
analyst, never dropped; undo restores both speakers exactly. Merge proposals merge alike."""
import pytest

from annotator.corpus.importing import import_paths
from annotator.editing import desk
from annotator.editing.edits import add_quote
from annotator.editing.registry import (MergeConflict, MergeSpeakers, SettleMergeProposal,
                                        merge_conflicts)
from annotator.editing.speakers import add_speaker
from annotator.project import SAMPLE_CORPUS
from annotator.store.db import now


@pytest.fixture
def lavrovs(db):
    import_paths(db, [SAMPLE_CORPUS])
    sergei = add_speaker(db, "Sergei Lavrov", aliases=("Lavrov",))
    sergey = add_speaker(db, "Sergey Lavrov", role="Foreign Minister", organisation="Russia",
                         aliases=("S. Lavrov", "Mr Lavrov"))
    add_quote(db, article_id=1, layer="alice", fragments=[(5, 25)], speaker_id=sergei)
    add_quote(db, article_id=2, layer="alice", fragments=[(5, 25)], speaker_id=sergey)
    return db, sergei, sergey


def dump(db):
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
            for t in ("speakers", "speaker_aliases", "quotes", "speaker_merge_proposals")}


def speaker(db, speaker_id):
    return next(db.query("SELECT name, role, organisation, kind, merged_into FROM speakers "
                         "WHERE id = ?", [speaker_id]))


def aliases(db, speaker_id):
    return {r[0] for r in db.execute("SELECT alias FROM speaker_aliases WHERE speaker_id = ?",
                                     [speaker_id])}


def test_empty_fields_are_filled_and_aliases_carried(lavrovs):
    db, sergei, sergey = lavrovs
    before = dump(db)
    merge = MergeSpeakers(keep_id=sergei, other_id=sergey, actor="alice")
    merge.apply(db)
    kept = speaker(db, sergei)
    assert (kept["role"], kept["organisation"], kept["kind"]) == ("Foreign Minister", "Russia",
                                                                  "person")
    assert aliases(db, sergei) == {"Lavrov", "Sergey Lavrov", "S. Lavrov", "Mr Lavrov"}
    assert aliases(db, sergey) == set() and speaker(db, sergey)["merged_into"] == sergei
    assert {r[0] for r in db.execute("SELECT speaker_id FROM quotes")} == {sergei}
    (row,) = desk.speakers_table(db)
    assert (row["name"], row["role"], row["organisation"], row["quotes"]) == (
        "Sergei Lavrov", "Foreign Minister", "Russia", 2)
    merge.revert(db)
    assert dump(db) == before  # ids, fields, aliases and the quotes' speakers
    merge.apply(db)  # redo
    assert speaker(db, sergei)["role"] == "Foreign Minister"
    merge.revert(db)
    assert dump(db) == before


def test_own_values_stay_and_an_alias_is_not_its_own_name(lavrovs):
    db, sergei, sergey = lavrovs
    db.execute("UPDATE speakers SET role = 'foreign minister ' WHERE id = ?", [sergei])
    db.execute("INSERT INTO speaker_aliases VALUES (?, 'sergei lavrov')", [sergey])
    db.conn.commit()
    assert merge_conflicts(db, sergei, sergey) == {}  # the same role, spelt otherwise
    MergeSpeakers(keep_id=sergei, other_id=sergey, actor="alice").apply(db)
    kept = speaker(db, sergei)
    assert (kept["role"], kept["organisation"]) == ("foreign minister ", "Russia")
    assert "sergei lavrov" not in aliases(db, sergei)


def test_a_conflict_is_refused_without_a_choice(lavrovs):
    db, sergei, sergey = lavrovs
    db.execute("UPDATE speakers SET role = 'Minister', kind = 'group' WHERE id = ?", [sergei])
    db.conn.commit()
    before = dump(db)
    assert merge_conflicts(db, sergei, sergey) == {"role": ("Minister", "Foreign Minister"),
                                                   "kind": ("group", "person")}
    with pytest.raises(MergeConflict) as refused:
        MergeSpeakers(keep_id=sergei, other_id=sergey, actor="alice").apply(db)
    text = str(refused.value)
    for word in ("role", "Minister", "Foreign Minister", "kind", "group", "person"):
        assert word in text
    assert isinstance(refused.value, ValueError)
    with pytest.raises(MergeConflict, match="kind"):  # one field chosen, one still open
        MergeSpeakers(keep_id=sergei, other_id=sergey, actor="alice",
                      role="Foreign Minister").apply(db)
    assert dump(db) == before  # nothing written


def test_a_conflict_is_applied_with_the_choice_and_undone_exactly(lavrovs):
    db, sergei, sergey = lavrovs
    db.execute("UPDATE speakers SET role = 'Minister', organisation = 'Russian government' "
               "WHERE id = ?", [sergei])
    db.conn.commit()
    before = dump(db)
    merge = MergeSpeakers(keep_id=sergei, other_id=sergey, actor="alice",
                          role="Foreign Minister", organisation="Russian government")
    merge.apply(db)
    kept = speaker(db, sergei)
    assert (kept["role"], kept["organisation"]) == ("Foreign Minister", "Russian government")
    merge.revert(db)
    assert dump(db) == before
    with pytest.raises(ValueError, match="kind"):
        MergeSpeakers(keep_id=sergei, other_id=sergey, actor="alice", kind="robot")
    with pytest.raises(ValueError, match="role"):
        MergeSpeakers(keep_id=sergei, other_id=sergey, actor="alice", role="  ")


def propose(db, keep: int, other: int) -> int:
    """A spelling merge proposal of ``keep`` and ``other``, committed; its id."""
    pid = db.execute("INSERT INTO speaker_merge_proposals(speaker_id, other_id, reason, created) "
                     "VALUES (?, ?, 'spelling', ?)", [keep, other, now()]).lastrowid
    db.conn.commit()
    return pid


def test_a_merge_proposal_merges_alike(lavrovs):
    db, sergei, sergey = lavrovs
    db.execute("UPDATE speakers SET role = 'Minister' WHERE id = ?", [sergei])
    pid = propose(db, sergei, sergey)
    before = dump(db)
    with pytest.raises(MergeConflict, match="role"):
        SettleMergeProposal(proposal_id=pid, accept=True, actor="alice").apply(db)
    assert dump(db) == before
    settle = SettleMergeProposal(proposal_id=pid, accept=True, actor="alice",
                                 role="Foreign Minister")
    settle.apply(db)
    kept = speaker(db, sergei)
    assert (kept["role"], kept["organisation"]) == ("Foreign Minister", "Russia")
    assert "Sergey Lavrov" in aliases(db, sergei) and desk.open_merge_proposals(db) == []
    settle.revert(db)
    assert dump(db) == before


def test_a_kind_is_chosen_and_a_merged_speaker_is_not_merged_again(lavrovs):
    db, sergei, sergey = lavrovs
    db.execute("UPDATE speakers SET kind = 'group' WHERE id = ?", [sergey])
    db.conn.commit()
    MergeSpeakers(keep_id=sergei, other_id=sergey, actor="alice", kind="group").apply(db)
    assert speaker(db, sergei)["kind"] == "group"
    third = add_speaker(db, "S. V. Lavrov")
    before = dump(db)
    with pytest.raises(ValueError, match="merged already"):
        MergeSpeakers(keep_id=third, other_id=sergey, actor="alice").apply(db)
    assert dump(db) == before


def notes(db, speaker_id):
    return db.execute("SELECT notes FROM speakers WHERE id = ?", [speaker_id]).fetchone()[0]


def test_notes_follow_the_merge_and_are_never_dropped(lavrovs):
    db, sergei, sergey = lavrovs
    db.execute("UPDATE speakers SET notes = 'Foreign minister since 2004' WHERE id = ?",
               [sergey])
    db.conn.commit()
    before = dump(db)
    merge = MergeSpeakers(keep_id=sergei, other_id=sergey, actor="alice")
    merge.apply(db)
    assert notes(db, sergei) == "Foreign minister since 2004"  # the kept one had none
    merge.revert(db)
    assert dump(db) == before
    # both have notes: the kept speaker's own first, then the other's (no conflict to choose)
    db.execute("UPDATE speakers SET notes = 'Spelt Sergei in AP copy' WHERE id = ?", [sergei])
    db.conn.commit()
    assert merge_conflicts(db, sergei, sergey) == {}
    before = dump(db)
    merge = MergeSpeakers(keep_id=sergei, other_id=sergey, actor="alice")
    merge.apply(db)
    assert notes(db, sergei) == "Spelt Sergei in AP copy\n\nForeign minister since 2004"
    merge.revert(db)
    assert dump(db) == before
    # the same notes once, not twice
    db.execute("UPDATE speakers SET notes = 'Foreign minister since 2004' WHERE id = ?",
               [sergei])
    db.conn.commit()
    MergeSpeakers(keep_id=sergei, other_id=sergey, actor="alice").apply(db)
    assert notes(db, sergei) == "Foreign minister since 2004"


def test_a_merge_proposal_carries_the_notes(lavrovs):
    db, sergei, sergey = lavrovs
    db.execute("UPDATE speakers SET notes = 'see the ministry site' WHERE id = ?", [sergey])
    pid = propose(db, sergei, sergey)
    SettleMergeProposal(proposal_id=pid, accept=True, actor="alice").apply(db)
    assert notes(db, sergei) == "see the ministry site"
