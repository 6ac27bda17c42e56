"""Direct and mixed quotes bounded where PolNeAR bounds them (issue 12, direct recall): a
sentence whose cue has a quote of its own, a participle that says something of its own, a
speaker the parse took into a clause after the cue; each on hand-made sentences, with cases
that must not fire (real model)."""
from spacy.tokens import Doc

from annotator.nlp.suggest.assemble import suggest_quotes
from test_suggest_rules import only, run


def test_a_next_sentence_quoting_for_its_own_cue_is_not_the_quote_before(nlp):
    found = run(nlp, 'Jane Roe changed her answer: "I was only joking about the tax." '
                     'To which Marta Kovacs said, "Then you still believe in it."')
    assert [q["fragments"] for q in found] == [['"I was only joking about the tax."'],
                                                ['"Then you still believe in it."']]
    assert found[1]["cue"] == "said" and found[1]["speaker"] == "Marta Kovacs"
    asked = run(nlp, '"Is this really the end of the road for the plan?" Tomas Reyel asked.')
    assert [(q["cue"], q["speaker"]) for q in asked] == [("asked", "Tomas Reyel")]


def test_scare_quote_is_not_joined_to_the_next_sentence_that_quotes(nlp):
    found = run(nlp, 'Latvia branded Estonia an "outlaw nation in the neighborhood." Russia '
                     'insisted that Riga "stop its dangerous escapades."')
    assert len(found) == 2
    assert found[0]["fragments"] == ['Estonia an "outlaw nation in the neighborhood."']
    assert found[0]["speaker"] == "Latvia" and found[1]["speaker"] == "Russia"


def test_a_participle_with_a_clause_of_its_own_is_another_quote(nlp):
    found = run(nlp, 'Marta Kovacs stressed that "the way forward is to work together," '
                     "suggesting that the council might vote on the plan in May.")
    assert [q["fragments"] for q in found] == [
        ['"the way forward is to work together,"'],
        ["the council might vote on the plan in May"]]
    assert [q["speaker"] for q in found] == ["Marta Kovacs", "Marta Kovacs"]


def test_adding_a_quote_is_said_by_the_speaker_not_by_whom_it_is_about(nlp):
    found = run(nlp, 'Tomas Reyel told Newsmax that the mayor "had a crazy policy on the flood '
                     'which was maniacal," adding, "He lost all of the city."')
    assert [q["fragments"] for q in found] == [
        ['"had a crazy policy on the flood which was maniacal,"'], ['"He lost all of the city."']]
    assert found[0]["speaker"] == found[1]["speaker"] == "Tomas Reyel"


def test_before_claiming_starts_another_quote(nlp):
    found = run(nlp, 'Jane Roe said the budget has "kept us afloat" on the radio before '
                     'claiming that the cuts are "hurting families."')
    assert len(found) == 2
    assert "claiming" not in found[0]["fragments"][0]
    assert found[1]["fragments"] == ['the cuts are "hurting families."']
    assert found[1]["speaker"] == "Jane Roe"


def test_calling_or_adding_by_stays_in_the_quote(nlp):
    found = run(nlp, 'Jane Roe said the council rejected her amendment to the budget, '
                     'calling it a "costly mistake."')
    assert found[0]["fragments"] == ['the council rejected her amendment to the budget, '
                                     'calling it a "costly mistake."']
    q = only(nlp, "Tomas Reyel said the developers had drawn the district by adding a few "
                  "poor streets to rich ones.")
    assert q["fragments"] == ["the developers had drawn the district by adding a few poor "
                              "streets to rich ones"]


def test_a_speaker_parsed_into_the_clause_after_the_cue(nlp):
    found = run(nlp, '"I am not going to say it was a mistake, so forget about it," said '
                     "retired surgeon Ben Carlsen, asked about his claims that he had been "
                     "offered a place at the academy.")
    assert found[0]["fragments"] == ['"I am not going to say it was a mistake, so forget '
                                     'about it,"']
    assert found[0]["speaker"] == "Ben Carlsen"


def test_a_that_clause_the_parse_hangs_as_an_adverbial_is_the_content(nlp):
    """The model's parse of a news sentence of this shape, put on words of our own: ``that``
    as an adverb and the clause as an ``advcl`` of the speech verb."""
    words = ["Reyel", "tweeted", "in", "the", "early", "morning", "hours", "that", "Ozols",
             "was", "“", "disgusting", "”", "and", "“", "a", "con", "”", "."]
    arcs = [(1, "nsubj"), (1, "ROOT"), (1, "prep"), (6, "det"), (5, "amod"), (6, "compound"),
            (2, "pobj"), (9, "advmod"), (9, "nsubj"), (1, "advcl"), (11, "punct"),
            (9, "acomp"), (11, "punct"), (9, "cc"), (16, "punct"), (16, "det"), (9, "conj"),
            (16, "punct"), (1, "punct")]
    spaces = [w not in ("“",) and nxt not in ("”", ".") for w, nxt in zip(words, words[1:])]
    parsed = nlp(Doc(nlp.vocab, words=words, spaces=spaces + [False]).text)
    doc = Doc(nlp.vocab, words=words, spaces=spaces + [False],
              heads=[h for h, _ in arcs], deps=[d for _, d in arcs],
              pos=[t.pos_ for t in parsed], tags=[t.tag_ for t in parsed],
              lemmas=[t.lemma_ for t in parsed],
              ents=["B-PERSON"] + ["O"] * 7 + ["B-PERSON"] + ["O"] * 10)
    found = suggest_quotes(doc)
    assert [q.kind for q in found] == ["mixed"]
    assert [doc.text[s:e] for s, e in found[0].fragments] == [
        "Ozols was “disgusting” and “a con”"]
    assert doc.text[slice(*found[0].cue)] == "tweeted" and found[0].speaker == "Reyel"


def test_a_clause_that_another_speech_verb_said_is_not_this_verbs(nlp):
    found = run(nlp, "While he acknowledged money was a major reason he felt tired serving "
                     "under Obama, Ham also noted several “intangibles” left him disillusioned.")
    noted = [q for q in found if q["cue"] == "noted"]
    assert [q["fragments"] for q in noted] == [
        ["several “intangibles” left him disillusioned"]]


def test_as_x_put_it_then_the_quote(nlp):
    found = run(nlp, "Her two diplomas have not spared her from being seen, as the Riga Times "
                     "put it in a long portrait, “the fixer.”")
    assert [(q["fragments"], q["cue"]) for q in found] == [(["“the fixer.”"], "put")]
    assert found[0]["kind"] == "direct"


def test_quoted_words_after_a_verb_with_their_opening_mark(nlp):
    found = run(nlp, "In the box for the diagnosis, a doctor had typed “chronic fatigue.”")
    assert [q["fragments"][0] for q in found][-1] == "“chronic fatigue.”"
    assert found[-1]["cue"] == "typed"


def test_a_conjoined_reporting_verb_starts_a_quote_of_its_own(nlp):
    found = run(nlp, 'Jane Roe wrote overnight that the mayor was “reckless” and “a fraud” and '
                     'encouraged voters to “look closely” at the budget.')
    assert [q["fragments"] for q in found] == [
        ['the mayor was “reckless” and “a fraud”'],
        ['voters to “look closely” at the budget']]
    assert [q["speaker"] for q in found] == ["Jane Roe", "Jane Roe"]   # not the mayor
    warned = run(nlp, "Tomas Reyel said the plan was a disaster and warned that it would fail.")
    assert [q["fragments"] for q in warned] == [["the plan was a disaster"],
                                                ["it would fail"]]
    assert [q["cue"] for q in warned] == ["said", "warned"]


def test_a_conjoined_verb_of_the_content_stays_in_it(nlp):
    found = run(nlp, "Jane Roe said the council met on Monday and approved the budget.")
    assert [q["fragments"] for q in found] == [
        ["the council met on Monday and approved the budget"]]


def test_a_quote_before_another_clause_is_not_that_clause_cues(nlp):
    found = run(nlp, '“Keep your promises to the city,” Jane Roe sings to the mayor before '
                     'asking him, “Where do we go from here?”')
    assert [q["fragments"] for q in found] == [['“Keep your promises to the city,”'],
                                                ['“Where do we go from here?”']]
    assert found[1]["cue"] == "asking" and found[0]["cue"] != "asking"
    split = run(nlp, '“We will not give up,” Jane Roe said before the vote. “Not now.”')
    assert [q["fragments"] for q in split] == [['“We will not give up,”', '“Not now.”']]


def test_quoted_words_take_no_cue_from_the_paragraph_before(nlp):
    found = run(nlp, 'Jane Roe told the crowd, “I just want to know, where do we go from here?”'
                     '\n\n“Harbor Lights (41 Days)” was written by the band after the storm of 1999.')
    assert [q["fragments"] for q in found] == [
        ['“I just want to know, where do we go from here?”']]


def test_a_reporting_clause_that_goes_on_ends_the_split_quote(nlp):
    found = run(nlp, '"We are looking at the needs of the people," Jane Roe said, going on to '
                     'contrast the two budgets. "So I would say to the voters: look at the issues."')
    assert [q["fragments"] for q in found] == [
        ['"We are looking at the needs of the people,"'],
        ['"So I would say to the voters: look at the issues."']]
    assert [q["speaker"] for q in found] == ["Jane Roe", "Jane Roe"]
    smiling = run(nlp, '"We will not give up," Jane Roe said, smiling. "Not now, not ever."')
    assert [q["fragments"] for q in smiling] == [['"We will not give up,"',
                                                  '"Not now, not ever."']]


def test_a_quoted_sentence_after_a_comma_is_a_quote_few_quoted_words_are_not(nlp):
    found = run(nlp, "She gives credit to the volunteers because to her, “there’s nothing more "
                     "important to saving the harbor than telling the story right.”")
    assert [q["fragments"] for q in found] == [[
        "“there’s nothing more important to saving the harbor than telling the story right.”"]]
    rule = only(nlp, "The rules prohibit lawyers from representing cases if they “participated "
                     "personally and substantially as a public officer or employee.”")
    assert rule["fragments"] == ["“participated personally and substantially as a public "
                                 "officer or employee.”"] and rule["kind"] == "direct"
    few = run(nlp, "The volunteers came back, “slowly but surely,” to the old harbor.")
    assert all(q["kind"] != "direct" for q in few)


def test_quoted_words_end_before_a_relative_clause_after_them(nlp):
    found = run(nlp, "The two mayors introduced the “Clean Harbor Act,” which not only came "
                     "with new fines but also closed the old port.")
    assert [q["fragments"] for q in found] == [["the “Clean Harbor Act,”"]]
    assert found[0]["speaker"] == "two mayors"


def test_a_speaker_between_commas_in_a_sentence_parsed_around_the_cue(nlp):
    text = ("These workers, Marta Kovacs explained earlier in the committee hearing, were "
            "“well-paid,” making between $30,000 and $60,000 a year.")
    q = only(nlp, text)
    assert q["fragments"] == [text[:-1]] and q["speaker"] == "Marta Kovacs"
    assert run(nlp, "Earlier, Marta Kovacs explained the plan to reporters and left.") == []
    week = only(nlp, "Last week, Marta Kovacs explained, the council was “in no hurry at all.”")
    assert week["fragments"] == ["the council was “in no hurry at all.”"]


def test_reviewed_cases_where_the_new_rules_must_not_fire(nlp):
    smiled = only(nlp, '"This is a historic day for our city," Mayor Jane Roe smiled and said.')
    assert smiled["cue"] == "said" and smiled["speaker"] == "Jane Roe"
    shaking = run(nlp, '"We did not start this war," Tomas Reyel said, shaking his head. '
                       '"But we will end it."')
    assert [q["fragments"] for q in shaking] == [['"We did not start this war,"',
                                                  '"But we will end it."']]
    treaty = run(nlp, 'The treaty commits both sides to "refrain from the threat or use of force '
                      'against the territorial integrity of any state."')
    assert all(q["kind"] != "direct" for q in treaty)
    assert run(nlp, "Last week, Marta Kovacs explained the plan to reporters, took questions "
                    "and left.") == []
    governor = only(nlp, "Senator Maria Lopez said the governor vetoed the bill and encouraged "
                         "lawmakers to try again next year.")
    assert governor["fragments"] == ["the governor vetoed the bill and encouraged lawmakers "
                                     "to try again next year"]
    them = only(nlp, "Senator Maria Lopez said the plan was a disaster and encouraged them.")
    assert them["fragments"] == ["the plan was a disaster and encouraged them"]
