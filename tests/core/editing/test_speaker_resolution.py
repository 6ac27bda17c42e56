"""A typed or clicked name to the registry's speaker (annotator.editing.speakers): exact names
and aliases, a surname, a spelling variant; two possible speakers are never picked silently."""
import pytest

from annotator.editing.edits import add_quote
from annotator.editing.speakers import (add_speaker, resolve_mention, resolve_speaker,
                                        speaker_choices)


@pytest.fixture
def reg(db):
    ids = {
        "pompeo": add_speaker(db, "Mike Pompeo", role="Secretary of State",
                              organisation="United States", aliases=("Michael R. Pompeo",)),
        "lavrov": add_speaker(db, "Sergey Lavrov", role="Foreign Minister",
                              organisation="Russia"),
        "wang_yi": add_speaker(db, "Wang Yi", role="Foreign Minister", organisation="China"),
        "wang_wei": add_speaker(db, "Li Wang", role="Spokesman", organisation="Xinhua"),
        "yi_wang": add_speaker(db, "Yi Wang", role="Economist", organisation="Tsinghua"),
        "kremlin": add_speaker(db, "Kremlin", kind="organisation"),
    }
    return db, ids


def test_exact_name_case_insensitive(reg):
    db, ids = reg
    res = resolve_speaker(db, "  mike   POMPEO ")
    assert res.speaker["id"] == ids["pompeo"] and res.how == "exact" and not res.candidates
    assert resolve_speaker(db, "kremlin").speaker["id"] == ids["kremlin"]


def test_alias(reg):
    db, ids = reg
    res = resolve_speaker(db, "michael r. pompeo")
    assert (res.speaker["id"], res.how) == (ids["pompeo"], "alias")


def test_unique_surname(reg):
    db, ids = reg
    res = resolve_speaker(db, "Pompeo")
    assert (res.speaker["name"], res.how) == ("Mike Pompeo", "surname")
    assert resolve_speaker(db, "lavrov").speaker["id"] == ids["lavrov"]


def test_ambiguous_surname_is_no_silent_pick(reg):
    db, ids = reg
    res = resolve_speaker(db, "Wang")      # Li Wang and Yi Wang
    assert res.speaker is None
    assert {c["id"] for c in res.candidates} == {ids["wang_wei"], ids["yi_wang"]}


def test_spelling_variant(reg):
    db, ids = reg
    res = resolve_speaker(db, "Sergei Lavrov")
    assert (res.speaker["id"], res.how) == (ids["lavrov"], "spelling")
    assert resolve_speaker(db, "Mike Pompeo Jr.").speaker is None    # another person
    assert resolve_speaker(db, "Anna Kovacs").speaker is None
    assert resolve_speaker(db, "Anna Kovacs").candidates == []


def test_the_articles_full_name_comes_first(reg):
    db, ids = reg
    add_speaker(db, "Jane Pompeo")              # two Pompeos in the registry
    assert resolve_speaker(db, "Pompeo").speaker is None
    res = resolve_speaker(db, "Pompeo", article_names=["Secretary Mike Pompeo", "Mike Pompeo"])
    assert res.speaker["id"] == ids["pompeo"]


def test_choices_show_role_and_organisation_and_offer_a_new_speaker(reg):
    db, ids = reg
    choices = speaker_choices(db, "Wang")
    labels = [c["label"] for c in choices]
    assert "Wang Yi \u2014 Foreign Minister, China" in labels
    assert "Yi Wang \u2014 Economist, Tsinghua" in labels
    assert labels[-1] == "New speaker: Wang" and choices[-1]["speaker_id"] is None
    assert all(c["name"] in ("Wang Yi", "Li Wang", "Yi Wang", "Wang") for c in choices)
    # the resolved speaker first; a registered name offers no new one of the same name
    assert speaker_choices(db, "Sergei Lavrov")[0]["speaker_id"] == ids["lavrov"]
    assert not any(c["speaker_id"] is None for c in speaker_choices(db, "mike pompeo"))
    assert speaker_choices(db, "  ") == []
    # the one registered speaker meant is the default (highlighted); ambiguous: none is
    assert speaker_choices(db, "Pompeo")[0] | {"default": True} == \
        speaker_choices(db, "Pompeo")[0]
    assert speaker_choices(db, "Pompeo")[0]["speaker_id"] == ids["pompeo"]
    assert speaker_choices(db, "Lavr")[0].get("default") and \
        speaker_choices(db, "Lavr")[0]["name"] == "Sergey Lavrov"
    assert not any(c.get("default") for c in speaker_choices(db, "Wang"))
    assert not any(c.get("default") for c in speaker_choices(db, "Anna Kovacs"))


def test_choices_offer_the_articles_names_as_new_speakers(reg):
    db, ids = reg
    choices = speaker_choices(db, "Kov", article_names=["Anna Kovacs", "Mike Pompeo"])
    assert [c["label"] for c in choices] == ["New speaker: Anna Kovacs (in this article)",
                                             "New speaker: Kov"]
    assert choices[0]["name"] == "Anna Kovacs" and choices[0]["speaker_id"] is None


def test_a_clicked_mention_resolves_as_the_suggestions_do(reg):
    db, ids = reg
    text = "Secretary of State Mike Pompeo spoke. Pompeo said it was fine. Kovacs agreed."
    db.execute("INSERT INTO articles(hash, text, imported_at) VALUES ('h', ?, 'now')", [text])
    aid = db.execute("SELECT id FROM articles").fetchone()[0]
    pompeo = text.index("Pompeo said")
    assert resolve_mention(db, aid, pompeo, pompeo + 6).speaker["id"] == ids["pompeo"]
    # a suggestion's canonical speaker for this very mention comes first
    kovacs = text.index("Kovacs")
    other = add_speaker(db, "Anna Kovacs")
    add_quote(db, article_id=aid, layer="suggestions", fragments=[(0, 10)],
              speaker_id=other, speaker_span=(kovacs, kovacs + 6), status="suggested")
    res = resolve_mention(db, aid, kovacs, kovacs + 6)
    assert (res.speaker["id"], res.how) == (other, "article")
