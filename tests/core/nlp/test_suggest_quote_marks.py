"""Direct quotes from quote marks alone: pairing, paragraphs, nesting, scare quotes, titles."""
import pytest

from annotator.nlp.suggest.quote_marks import find_quote_spans


def spans(text, shape=None):
    return [text[s.start:s.end] for s in find_quote_spans(text)
            if shape is None or s.shape == shape]


@pytest.mark.parametrize("text, expected", [
    ("“We will win this fight,” she said.", "“We will win this fight,”"),
    ('"We will win this fight," she said.', '"We will win this fight,"'),
    ("«Nous ne céderons jamais, jamais,» a-t-il dit.", "«Nous ne céderons jamais, jamais,»"),
    ("„Wir werden das schaffen, sagte sie.“ Dann ging sie.",
     "„Wir werden das schaffen, sagte sie.“"),
    ("He said, ``We are done with this, all of it.'' Then he left.",
     "``We are done with this, all of it.''"),
])
def test_each_family_of_marks_pairs(text, expected):
    assert spans(text, "quote") == [expected]


def test_straight_marks_pair_sensibly_with_several_quotes():
    text = 'He called it "a farce" twice. "We are not going anywhere," she said, "not now."'
    assert spans(text) == ['"a farce"', '"We are not going anywhere,"', '"not now."']
    # the short tail of a split quote is told apart later, by its cue (test_suggest_rules)
    assert spans(text, "quote") == ['"We are not going anywhere,"']


def test_a_quote_over_several_paragraphs_is_one_span():
    text = ("“The first paragraph ends without a closing mark.\n\n"
            "“The second one goes on and closes here,” he said.\n\nAfter.")
    (span,) = find_quote_spans(text)
    assert text[span.start:span.end] == text[:text.index("he said") - 1]
    assert span.paragraphs == 2 and span.closed and span.shape == "quote"


def test_an_open_paragraph_not_continued_ends_at_the_paragraph():
    text = "“An open quote that nobody closes in this paragraph.\n\nThe next paragraph."
    (span,) = find_quote_spans(text)
    assert text[span.start:span.end] == "“An open quote that nobody closes in this paragraph."
    assert not span.closed


def test_nested_single_quotes_and_apostrophes_do_not_end_the_quote():
    text = "“He told me, ‘Don’t go there,’ and then he didn’t listen,” she said. Bob’s too."
    assert spans(text) == ["“He told me, ‘Don’t go there,’ and then he didn’t listen,”"]


def test_single_quotes_as_outer_marks_skip_apostrophes():
    text = "It’s the ‘best’ day, and ‘we won’t stop until it’s done,’ she said."
    assert spans(text, "quote") == ["‘we won’t stop until it’s done,’"]
    assert spans(text, "scare") == ["‘best’"]


def test_scare_quotes_and_titles_are_not_quotes():
    text = ('Critics called the plan "reckless" and read "The Art of the Deal" again. '
            'Analysts use the term “soft landing” often.')
    shapes = {text[s.start:s.end]: s.shape for s in find_quote_spans(text)}
    assert shapes == {'"reckless"': "scare", '"The Art of the Deal"': "title",
                      "“soft landing”": "scare"}


def test_a_short_full_sentence_is_a_quote():
    assert spans("“It is over.” The crowd went home.", "quote") == ["“It is over.”"]


def test_offsets_point_into_the_unchanged_text():
    text = "Intro 🎉 text. “Clean water for every home 💧 in Amrah, every day,” she wrote."
    (span,) = find_quote_spans(text)
    assert text[span.start] == "“" and text[span.end - 1] == "”"
    assert text[span.start:span.end] == "“Clean water for every home 💧 in Amrah, every day,”"


def test_a_closing_mark_typed_at_a_paragraph_start_opens():
    text = "Intro.\n\n” What I learned from these families is simple,” he said."
    assert spans(text, "quote") == ["” What I learned from these families is simple,”"]


def test_no_marks_no_quotes():
    assert find_quote_spans("The minister said the talks would resume next week.") == []
