"""Speakers an analyst would name (issue 12): role mentions, groups, statements, the patterns
of the issue, each on small hand-made sentences with cases that must not fire (real model)."""
import pytest

from test_suggest_rules import only, run


# -- role mentions -----------------------------------------------------------------------------

def test_role_mention_resolves_to_the_one_person_named_before_with_that_role(nlp):
    text = ("Finnish Foreign Minister Aino Virtanen met her hosts in Riga on Monday.\n"
            "“We agreed on far more than we expected,” the minister said after the talks.")
    q = only(nlp, text)
    assert q["speaker"] == "Aino Virtanen" and q["speaker_kind"] == "person"
    assert q["mention"] == "the minister"
    assert q["role"] == "Foreign Minister" and q["organisation"] == "Finnish"


def test_role_mention_with_two_candidates_keeps_the_unnamed_speaker_lower(nlp):
    text = ("Health Minister Aino Virtanen and Finance Minister Pekka Laine met on Monday.\n"
            "“We agreed on far more than we expected,” the minister said after the talks.")
    q = only(nlp, text)
    assert q["speaker_kind"] == "unnamed" and q["speaker"] == "unnamed minister"
    single = only(nlp, "“We agreed on far more than we expected,” the minister said.")
    assert q["confidence"] < single["confidence"]


def test_role_mention_of_another_nationality_is_not_that_person(nlp):
    text = ("Finnish Foreign Minister Aino Virtanen met her hosts in Riga on Monday.\n"
            "The Latvian foreign minister said the talks had gone well for both sides.")
    q = only(nlp, text)
    assert q["speaker_kind"] == "unnamed" and q["organisation"] == "Latvian"
    assert q["role"] == "foreign minister"


def test_role_mention_resolves_to_the_next_speaker_going_on_with_the_exchange(nlp):
    text = ("The foreign minister of Latvia welcomed the offer and said it should be signed "
            "before the summer.\n"
            "“A signature in June would help everyone,” said Karlis Ozols.")
    first, second = run(nlp, text)
    assert first["speaker"] == second["speaker"] == "Karlis Ozols"
    assert first["mention"] == "The foreign minister of Latvia"
    assert first["role"] == "Foreign Minister" and first["organisation"] == "Latvia"


def test_cataphora_does_not_cross_to_a_speaker_of_another_role(nlp):
    text = ("The foreign minister of Latvia said the offer should be signed before summer.\n"
            "“A signature in June would help everyone,” Mayor Karlis Ozols said.")
    first, second = run(nlp, text)
    assert first["speaker_kind"] == "unnamed" and second["speaker"] == "Karlis Ozols"


def test_a_plain_noun_is_not_a_role(nlp):
    q = only(nlp, "A Latvian farmer said the offer should be signed before summer.")
    assert q["speaker_kind"] == "unnamed" and q["role"] is None


# -- groups and statements ---------------------------------------------------------------------

@pytest.mark.parametrize("text, mention", [
    ("Russia's and China's representatives said the sanctions should be eased.",
     "Russia's and China's representatives"),
    ("The two leaders said they would meet again in the spring.", "The two leaders"),
    ("Jane Roe and Tomas Reyel said the deal was dead.", "Jane Roe and Tomas Reyel"),
])
def test_a_coordinated_or_counted_subject_is_one_group(nlp, text, mention):
    q = only(nlp, text)
    assert q["speaker_kind"] == "group" and q["mention"] == mention


def test_a_single_subject_is_no_group(nlp):
    q = only(nlp, "The leaders of the union said they would meet again in the spring.")
    assert q["speaker_kind"] != "group"


@pytest.mark.parametrize("text, speaker", [
    ("The Harbor Authority issued a statement saying the port would stay closed until Monday.",
     "Harbor Authority"),
    ("Greenpeace released a statement saying the spill was far worse than reported.",
     "Greenpeace"),
    ("The union put out a statement calling the offer an insult to its members.", "union"),
])
def test_who_issues_a_statement_speaks(nlp, text, speaker):
    q = only(nlp, text)
    assert q["speaker"] == speaker and "statement" not in q["mention"]


def test_a_statement_read_out_by_someone_else_is_not_issued(nlp):
    q = only(nlp, "Reporters read a statement saying the port would stay closed until Monday.")
    assert q["speaker"] != "Reporters"


# -- patterns ----------------------------------------------------------------------------------

def test_as_x_puts_it(nlp):
    q = only(nlp, 'As Marta Kovacs puts it, "nobody reads the small print until it bites."')
    assert q["kind"] == "direct" and q["speaker"] == "Marta Kovacs"
    assert q["fragments"] == ['"nobody reads the small print until it bites."']


def test_putting_something_else_is_no_cue(nlp):
    assert run(nlp, "Marta Kovacs put it on the table before the vote on Monday.") == []


def test_x_sighed_colon(nlp):
    q = only(nlp, 'Tomas Reyel sighed: "We have been here before, and it never ends well."')
    assert q["kind"] == "direct" and q["speaker"] == "Tomas Reyel"


def test_said_adding_that(nlp):
    found = run(nlp, "The plan will cost more than expected, Marta Kovacs said, adding that "
                     "the council would vote on it in May.")
    assert [q["speaker"] for q in found] == ["Marta Kovacs", "Marta Kovacs"]
    assert found[1]["fragments"] == ["the council would vote on it in May"]


def test_called_a_person_something(nlp):
    q = only(nlp, 'Senator Piotr Lasko called the mayor "a man with no plan at all."')
    assert q["speaker"] == "Piotr Lasko" and q["role"] == "Senator"


def test_mixed_quote_after_a_title_and_a_name(nlp):
    q = only(nlp, 'RNC Chairman Jane Roe said the turnout was "remarkable" for a midterm year.')
    assert q["kind"] == "mixed" and q["speaker"] == "Jane Roe"
    assert q["role"] == "Chairman" and q["organisation"] == "RNC"


def test_a_headline_is_no_quote(nlp):
    found = run(nlp, "Minister calls for new talks\n"
                     "The minister called for new talks on the border on Tuesday.")
    assert [q["fragments"] for q in found] == [["new talks on the border"]]


def test_a_headline_that_quotes_is_a_quote(nlp):
    found = run(nlp, 'Mayor says "we will rebuild" after the flood\n'
                     "The mayor spoke to reporters on Tuesday.")
    assert len(found) == 1 and found[0]["fragments"][0].startswith('"we will rebuild"')


def test_a_last_line_without_full_stop_is_no_headline(nlp):
    q = only(nlp, "The minister called for new talks on the border on Tuesday")
    assert q["fragments"] == ["new talks on the border"]


@pytest.mark.parametrize("text", [
    '"We will not give up," Jane Roe said of the plan. "We have only started."',
    '"We will not give up," said Jane Roe. "We have only started."',
    '"We will not give up," Jane Roe said of the need to keep going. "We have only started."',
])
def test_split_quote_with_or_without_what_it_was_said_of(nlp, text):
    q = only(nlp, text)
    assert q["fragments"] == ['"We will not give up,"', '"We have only started."']
    assert q["speaker"] == "Jane Roe"


def test_a_new_speaker_between_two_quotes_splits_them(nlp):
    found = run(nlp, '"We will not give up," Jane Roe said. Her rival Tomas Reyel said: '
                     '"We have only started."')
    assert [q["speaker"] for q in found] == ["Jane Roe", "Tomas Reyel"]


@pytest.mark.parametrize("symbol", ["🙂", "★", "#"])
def test_emoji_or_symbol_is_never_a_speaker(nlp, symbol):
    q = only(nlp, f"{symbol} said the plan was good for everyone in town.")
    assert q["speaker"] is None


# -- PolNeAR error classes, on sentences of our own ----------------------------------------------

def test_a_cue_in_the_sentence_after_a_question_is_the_quotes_cue(nlp):
    found = run(nlp, "“Every time you say that,” Tester said.\n\n“Why is this not proof that the "
                     "bank is too big to manage?” Vitter demanded.\n\nThe hearing went on.")
    assert [q["speaker"] for q in found] == ["Tester", "Vitter"]
    assert "inherited" not in str(found) and found[1]["cue"] == "demanded"


def test_she_continued(nlp):
    found = run(nlp, "“It is not something she says often,” Maria Lopez said.\n\n"
                     "She continued, “When the cameras leave, the promises leave too.”")
    assert [q["speaker"] for q in found] == ["Maria Lopez", "Maria Lopez"]
    assert found[1]["cue"] == "continued" and found[1]["mention"] == "She"


def test_continued_to_do_something_is_no_cue(nlp):
    assert run(nlp, "She continued to work on the report until late at night.") == []


@pytest.mark.parametrize("text, mention", [
    ("Some note that the plan has failed twice already.", "Some"),
    ("Those close to him say that he would have to consider another candidate.",
     "Those close to him"),
    ("Family members, many of whom say the claims are unfounded, met on Monday.",
     "many of whom"),
    ("Two of the delegates said they would vote against the rules.", "Two of the delegates"),
])
def test_a_quantifier_subject_is_an_unnamed_source(nlp, text, mention):
    q = only(nlp, text)
    assert q["mention"] == mention and q["speaker_kind"] == "unnamed"


def test_who_spoke_at_a_news_conference_speaks(nlp):
    q = only(nlp, "Attorney General Loretta Lynch spoke at a news conference announcing that "
                  "her department was suing the state.")
    assert q["speaker"] == "Loretta Lynch"


def test_quoted_words_in_a_clause_belong_to_the_verb_that_attributes_it(nlp):
    q = only(nlp, "A Government Accountability Office report found that the agency could not "
                  'be sure the money was not coming from "the drug trade."')
    assert q["kind"] == "mixed" and q["cue"] == "found"
    assert q["fragments"][0].startswith("the agency could not be sure")
    q = only(nlp, "An audit office report released last year found that the agency could not "
                  "be sure that the money was not coming from \"fraud, smuggling or other "
                  "criminal activities.\"\n\nOfficials declined to comment.")
    assert q["cue"] == "found" and q["fragments"][0].endswith('criminal activities."')


def test_said_x_and_warned_y_are_two_quotes_but_said_x_and_that_y_explained_is_one(nlp):
    found = run(nlp, 'China said it was "resolutely opposed" to the test and warned North Korea '
                     "to refrain from further actions.")
    assert [q["cue"] for q in found] == ["said", "warned"]
    one = only(nlp, "Marek Duda said the timetable was unrealistic and that the council had "
                    "not explained how it would pay.")
    assert one["cue"] == "said"


def test_who_released_the_ad_that_says_speaks(nlp):
    q = only(nlp, "Greenpeace released a new ad that says the spill was far worse than reported.")
    assert q["speaker"] == "Greenpeace"
    other = only(nlp, "Reporters found a letter that said the port would close.")
    assert other["speaker"] != "Reporters"


def test_people_named_before_the_colon_of_a_quote_speak(nlp):
    q = only(nlp, "POLLS NOT WRONG, JUST TOO EARLY - Mark Blumenthal and Jon Cohen: “Although the "
                  "polls failed to predict the win, it is not because they were wrong.”")
    assert q["speaker"] == "Mark Blumenthal" and q["mention"] == "Mark Blumenthal and Jon Cohen"
    assert q["cue"] == ":"
    rules = only(nlp, "The rules are simple: “Nobody leaves before the vote is counted.”")
    assert rules["speaker"] is None


@pytest.mark.parametrize("text, speaker", [
    ('The RNC emailed a news article reporting that "Clinton is showing flashes of frustration."',
     "RNC"),
    ("Later that day, Jane Roe fired back a response saying she would not support the plan.",
     "Jane Roe"),
])
def test_who_sends_the_document_that_says_speaks(nlp, text, speaker):
    assert only(nlp, text)["speaker"] == speaker


@pytest.mark.parametrize("text, speaker", [
    ("Pollsters agree - Carl Bialik: “One of the biggest lessons was a simple one about turnout.”",
     "Carl Bialik"),
    ("What that means - More from Carl Bialik: “The partisanship of the state is a start.”",
     "Carl Bialik"),
    ("Trump told Carl Bialik: “One of the biggest lessons was a simple one about turnout.”",
     "Trump"),
])
def test_a_name_after_a_dash_before_the_colon_speaks_but_not_who_was_told(nlp, text, speaker):
    assert only(nlp, text)["speaker"] == speaker


def test_a_header_line_the_parse_ran_on_is_no_speaker(nlp):
    found = run(nlp, "The Latest on campaign 2016 (all times Eastern Daylight Time):\n\n9:34 p.m."
                     "\n\nDonald Trump has delivered an impassioned defense of “New York values,” "
                     "saying the city embodied the “bravery, heart and soul of America.”")
    assert found and {q["speaker"] for q in found} == {"Donald Trump"}
