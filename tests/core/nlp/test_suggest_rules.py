"""Quote and speaker suggestion rules on small hand-made articles (real spaCy model).

Each rule of issue 4 has a case where it must fire and, where it matters, one where it must not.
"""
import pytest

from annotator.nlp.suggest import DEFAULT_SPEECH_VERBS, speech_lemmas, suggest_quotes


def run(nlp, text, extra=()):
    out = []
    for q in suggest_quotes(nlp(text), speech_lemmas(extra)):
        out.append({
            "fragments": [text[s:e] for s, e in q.fragments], "kind": q.kind,
            "cue": text[q.cue[0]:q.cue[1]] if q.cue else None,
            "mention": text[q.mention[0]:q.mention[1]] if q.mention else None,
            "speaker": q.speaker, "speaker_kind": q.speaker_kind, "role": q.role,
            "organisation": q.organisation, "confidence": q.confidence})
    return out


def only(nlp, text, extra=()):
    found = run(nlp, text, extra)
    assert len(found) == 1, found
    return found[0]


# -- 1. direct quotes --------------------------------------------------------------------------

@pytest.mark.parametrize("text, quote", [
    ("“We have waited long enough for this moment,” Anna Kovacs said on Monday.",
     "“We have waited long enough for this moment,”"),
    ('"We have waited long enough for this moment," Anna Kovacs said on Monday.',
     '"We have waited long enough for this moment,"'),
    ("«We have waited long enough for this moment», Anna Kovacs said on Monday.",
     "«We have waited long enough for this moment»"),
])
def test_direct_quote_with_each_kind_of_mark(nlp, text, quote):
    q = only(nlp, text)
    assert q["fragments"] == [quote] and q["kind"] == "direct"
    assert (q["cue"], q["mention"], q["speaker"]) == ("said", "Anna Kovacs", "Anna Kovacs")


def test_quote_over_two_paragraphs_is_one_quote(nlp):
    text = ("Yevgeny Morozov told reporters: “We did not choose this fight. Our mills have been "
            "undercut for years.\n\n“We will not apologise for defending them.”\n\nThe talks end.")
    q = only(nlp, text)
    assert q["fragments"] == [text[text.index("“We did"):text.index("\n\nThe talks")]]
    assert q["speaker"] == "Yevgeny Morozov" and q["cue"] == "told"


def test_nested_single_quotes_stay_inside_the_quote(nlp):
    text = "“He told me, ‘Don’t go there,’ and then he didn’t listen,” Maria Lopez said."
    q = only(nlp, text)
    assert q["fragments"] == ["“He told me, ‘Don’t go there,’ and then he didn’t listen,”"]
    assert q["speaker"] == "Maria Lopez"


def test_scare_quotes_and_titles_are_not_direct_quotes(nlp):
    text = ('The council met on Monday. Its "green" budget was discussed at length. '
            'Members later watched “The Lord of the Rings” together.')
    assert run(nlp, text) == []


def test_offsets_point_into_the_text_as_written(nlp):
    text = ("Intro 🎉 line.\n\n''This is about the people who breathe diesel every morning,'' "
            "said Ruth Adeyemi, 🚢 of the port.")
    q = only(nlp, text)
    assert q["fragments"] == ["''This is about the people who breathe diesel every morning,''"]
    assert q["mention"] == "Ruth Adeyemi" and q["cue"] == "said"


# -- 2. split and mixed quotes -----------------------------------------------------------------

def test_split_quote_is_one_quote_with_two_fragments(nlp):
    q = only(nlp, "“Nobody is pretending the hard questions have gone away,” Maria Lopez said. "
                  "“But we are finally talking about them in the same room.”")
    assert q["fragments"] == ["“Nobody is pretending the hard questions have gone away,”",
                              "“But we are finally talking about them in the same room.”"]
    assert q["speaker"] == "Maria Lopez" and q["kind"] == "direct"


def test_split_quote_with_a_short_tail(nlp):
    q = only(nlp, '"We are not going anywhere," Maria Lopez said, "not now."')
    assert q["fragments"] == ['"We are not going anywhere,"', '"not now."']


def test_two_quotes_with_their_own_cues_are_not_merged(nlp):
    found = run(nlp, "“The deal is done,” Anna Kovacs said. “It is not,” Tomas Reyel replied.")
    assert [q["speaker"] for q in found] == ["Anna Kovacs", "Tomas Reyel"]


def test_quoted_words_inside_reported_speech_are_one_mixed_quote(nlp):
    text = ("Anna Kovacs said the measures were “a proportionate answer to years of dumping” "
            "and would be presented to parliament.")
    q = only(nlp, text)
    assert q["kind"] == "mixed"
    assert q["fragments"] == [text[text.index("the measures"):-1]]


# -- 3. reported speech ------------------------------------------------------------------------

@pytest.mark.parametrize("verb", ["said", "warned", "argued", "insisted", "noted", "added"])
def test_reported_speech_after_a_speech_verb(nlp, verb):
    text = f"Ilse Varga {verb} that the sanctions would raise costs for carmakers."
    q = only(nlp, text)
    assert q["kind"] == "indirect" and q["cue"] == verb
    assert q["fragments"] == ["the sanctions would raise costs for carmakers"]
    assert q["speaker"] == "Ilse Varga"


def test_told_with_an_object_and_inverted_order(nlp):
    q = only(nlp, "Oskar Henning told investors the firm had reserved factory capacity.")
    assert q["fragments"] == ["the firm had reserved factory capacity"] and q["cue"] == "told"
    q = only(nlp, "The firm had already reserved factory capacity, Oskar Henning said.")
    assert q["fragments"] == ["The firm had already reserved factory capacity"]
    assert q["speaker"] == "Oskar Henning"


def test_according_to(nlp):
    q = only(nlp, "According to Greta Lindqvist, the fund would need at least 4 billion euros.")
    assert q["cue"] == "According to" and q["speaker"] == "Greta Lindqvist"
    assert q["fragments"] == ["the fund would need at least 4 billion euros"]


def test_colon_form_keeps_its_cue(nlp):
    q = only(nlp, "Daniel Okafor said: “We came close, but close does not build sea walls.”")
    assert q["kind"] == "direct" and q["cue"] == "said" and q["speaker"] == "Daniel Okafor"


def test_said_in_a_statement_that(nlp):
    q = only(nlp, "The Kardenian Trade Ministry said in a statement that the proposed sanctions "
                  "violated regional trade rules.")
    assert q["fragments"] == ["the proposed sanctions violated regional trade rules"]
    assert (q["speaker"], q["speaker_kind"]) == ("Kardenian Trade Ministry", "organisation")


def test_speech_noun_with_a_that_clause(nlp):
    q = only(nlp, "Politifact checked Donald Trump's claim that there have been thousands of "
                  "shootings in Chicago this year.")
    assert (q["cue"], q["speaker"]) == ("claim", "Donald Trump")
    assert q["fragments"] == ["there have been thousands of shootings in Chicago this year"]


def test_quoted_words_through_a_verb_that_is_not_a_speech_verb(nlp):
    q = only(nlp, "Senator Harry Reid has been pounding Donald Trump as a “con artist” for weeks.")
    assert q["kind"] == "mixed" and q["speaker"] == "Harry Reid"
    assert q["fragments"] == ["Donald Trump as a “con artist” for weeks"]


def test_colon_form_with_the_words_in_the_next_paragraph(nlp):
    q = only(nlp, "Rush Limbaugh added:\n\nAnd from a supposed front-runner, this reeks of the "
                  "greatest fear I have ever seen.\n\nThe debate is on Monday.")
    assert q["fragments"] == ["And from a supposed front-runner, this reeks of the greatest "
                              "fear I have ever seen"]
    assert (q["cue"], q["speaker"]) == ("added", "Rush Limbaugh")


def test_colon_after_any_verb_with_a_subject(nlp):
    q = only(nlp, "Democratic Sen. Claire McCaskill scolded him: “The scientific community is "
                  "almost monolithic against you.”")
    assert (q["cue"], q["speaker"], q["organisation"]) == ("scolded", "Claire McCaskill",
                                                          "Democratic Party")


def test_transcript_turns_and_dash_credits(nlp):
    text = ("The debate transcript reads as follows:\n\n"
            "WALLACE: Let's start with the news of the day and what it means.\n\n"
            "PENCE: Well, look, this is serious business and the people know it.\n\n"
            "CORRECTION: An earlier version of this story misspelled a name.\n\n"
            "“I just hope this campaign gives people the anger to go out and vote.” ― Jorge "
            "Falcon")
    found = run(nlp, text)
    assert [(q["speaker"], q["cue"]) for q in found] == [
        ("Wallace", ":"), ("Pence", ":"), ("Jorge Falcon", "―")]
    assert found[1]["fragments"] == ["Well, look, this is serious business and the people "
                                     "know it"]


def test_speech_inside_reported_speech_is_not_a_second_quote(nlp):
    q = only(nlp, "Opposition councilor Marek Duda said the timetable was unrealistic and that "
                  "the council had not explained how it would pay for the work.")
    assert q["cue"] == "said" and q["speaker"] == "Marek Duda"
    assert q["role"] == "Opposition councilor"


def test_reported_speech_stays_below_a_headline(nlp):
    text = ("Pompeo calls for sanctions in talks with Russia\n"
            "Secretary of State Mike Pompeo said Tuesday he emphasized the need to keep the "
            "sanctions on North Korea.")
    found = run(nlp, text)
    assert all("\n" not in f for q in found for f in q["fragments"])
    said = [q for q in found if q["cue"] == "said"]
    assert said and said[0]["fragments"][0].startswith(("Tuesday he", "he emphasized"))
    assert said[0]["speaker"] == "Mike Pompeo" and said[0]["role"] == "Secretary of State"


def test_verbs_that_are_not_speech_do_not_fire(nlp):
    assert run(nlp, "Smith believes that the plan will fail because of its costs.") == []
    assert run(nlp, "The farmers expect that the tariffs will hurt small producers.") == []


def test_speech_verb_list_is_extended_by_the_project(nlp):
    text = "The farmers grumble that the tariffs are unfair to small producers."
    assert "grumble" not in DEFAULT_SPEECH_VERBS
    assert run(nlp, text) == []
    q = only(nlp, text, extra=["Grumble"])
    assert q["cue"] == "grumble" and q["fragments"] == ["the tariffs are unfair to small producers"]


def test_cue_words_inside_a_quote_are_not_cues(nlp):
    q = only(nlp, "“I said no to them, and I told them why,” the mayor said.")
    assert q["fragments"] == ["“I said no to them, and I told them why,”"]
    assert q["cue"] == "said" and q["mention"] == "the mayor"


# -- 4. speakers -------------------------------------------------------------------------------

def test_a_following_quote_without_cue_inherits_the_speaker(nlp):
    text = ("Jonas Brill said the farmers were angry about the tariffs.\n\n"
            "“We are paying for a steel dispute we had no part in,” he added.\n\n"
            "“Nobody asked us about any of this before the vote.”")
    found = run(nlp, text)
    assert [q["kind"] for q in found] == ["indirect", "direct", "direct"]
    assert [q["speaker"] for q in found] == ["Jonas Brill"] * 3
    assert found[2]["cue"] is None and found[2]["confidence"] < found[1]["confidence"]


def test_a_cueless_quote_with_no_quote_before_has_no_speaker(nlp):
    found = run(nlp, "The report was published on Monday.\n\n“Nobody asked us about any of this "
                     "before the vote.”")
    assert len(found) == 1 and found[0]["speaker"] is None


def test_pronoun_resolved_to_the_nearest_compatible_speaker(nlp):
    text = ("Ruth Adeyemi spoke to the port council on Tuesday.\n\n"
            "She said the charge would be reviewed after a year.")
    q = only(nlp, text)
    assert (q["mention"], q["speaker"], q["speaker_kind"]) == ("She", "Ruth Adeyemi", "person")


def test_pronoun_skips_an_organisation_and_quote_text(nlp):
    text = ("Ruth Adeyemi met the Elsin Haulage Association. “Piotr Lasko is wrong about this "
            "charge,” she said. The association said it would challenge the decision in court.")
    found = run(nlp, text)
    assert found[0]["speaker"] == "Ruth Adeyemi"     # not Piotr Lasko: he is inside the quote
    assert found[1]["speaker_kind"] == "organisation"


def test_it_goes_to_an_organisation_never_to_a_person(nlp):
    q = only(nlp, "The ministry published its figures on Monday.\n\n"
                  "It said the deficit had narrowed to 2 percent.")
    assert (q["mention"], q["speaker"], q["speaker_kind"]) == ("It", "ministry", "organisation")
    q = only(nlp, "Anna Kovacs met reporters on Monday.\n\n"
                  "It said the deficit had narrowed to 2 percent.")
    assert q["mention"] == "It" and q["speaker"] is None


def test_a_cue_without_content_does_not_fire(nlp):
    assert run(nlp, "He said so on Tuesday. The minister told reporters nothing.") == []


def test_relative_pronoun_is_the_mention_and_its_noun_the_speaker(nlp):
    q = only(nlp, "The plan was criticised by David Kamin, who emphasized that the proposals "
                  "would simplify returns for small businesses.")
    assert (q["mention"], q["speaker"], q["cue"]) == ("who", "David Kamin", "emphasized")


def test_the_subject_inside_the_quote_is_not_the_speaker(nlp):
    q = only(nlp, "“My reaction, that was outrageous,” Obama's former campaign strategist said "
                  "in an interview with CNN.")
    assert q["mention"] == "Obama's former campaign strategist"
    assert q["speaker_kind"] == "unnamed"


def test_organisation_speaker_is_kept_as_such(nlp):
    q = only(nlp, "The Kremlin said it would respond to the new sanctions within days.")
    assert (q["speaker"], q["speaker_kind"], q["mention"]) == ("Kremlin", "organisation",
                                                              "Kremlin")


def test_unnamed_source_is_kept_as_such(nlp):
    q = only(nlp, "A senior official said the two sides had already begun informal talks.")
    assert q["speaker_kind"] == "unnamed" and q["speaker"] == "unnamed senior official"
    assert q["mention"] == "A senior official"


# -- 5. canonical speakers (within an article; across articles: test_suggest_store) ------------

def test_surname_after_full_name_is_the_same_speaker(nlp):
    q = only(nlp, "Mike Pompeo arrived in Seoul on Monday. Pompeo told reporters that the "
                  "talks had been productive.")
    assert (q["mention"], q["speaker"]) == ("Pompeo", "Mike Pompeo")


def test_role_from_the_title(nlp):
    q = only(nlp, "Secretary of State Mike Pompeo said the talks were over.")
    assert (q["speaker"], q["role"], q["organisation"]) == ("Mike Pompeo", "Secretary of State",
                                                            None)


def test_role_and_organisation_from_the_title(nlp):
    q = only(nlp, "Russian Foreign Minister Sergey Lavrov told reporters that Moscow would "
                  "respond to the sanctions.")
    assert (q["speaker"], q["role"], q["organisation"]) == ("Sergey Lavrov", "Foreign Minister",
                                                            "Russia")


def test_name_in_apposition_not_the_possessor(nlp):
    q = only(nlp, "Kovacs's counterpart, Deputy Foreign Minister Tomas Reyel, said: “This "
                  "agreement is not the end of our disagreements.”")
    assert q["speaker"] == "Tomas Reyel" and q["role"] == "Deputy Foreign Minister"


# -- 6. confidence -----------------------------------------------------------------------------

def test_confidence_orders_suggestions(nlp):
    text = ("“We will build the bridge,” Anna Kovacs said.\n\n"
            "The report was published on Monday.\n\nIt runs to 300 pages.\n\n"
            "Its cost is not known.\n\n"
            "“Nobody asked us about any of this before the vote.”")
    named, orphan = run(nlp, text)
    assert 0 < orphan["confidence"] < named["confidence"] <= 1
    assert orphan["speaker"] is None     # too far from the quote before to inherit its speaker
