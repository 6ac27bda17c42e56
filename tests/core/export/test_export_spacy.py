"""spaCy DocBin export, read back with spaCy: entities, span groups, quote data, exact offsets;
a folder of bounded shards that spaCy's training corpus reads."""
import spacy
from spacy.tokens import DocBin

from annotator.selection import Selection
from annotator.export.spacy_docbin import export_spacy
from annotator.export.tokens import aligned_tokens
from export_helpers import TRICKY, coded, gold_quotes  # noqa: F401 (fixture)


def load(folder):
    """Every Doc of the export's shards, in order."""
    vocab = spacy.blank("en").vocab
    return [doc for shard in sorted(folder.glob("*.spacy"))
            for doc in DocBin().from_disk(shard).get_docs(vocab)]


def test_docbin_holds_entities_quotes_speakers_and_cues(coded, tmp_path):
    out = tmp_path / "gold.spacy"
    n = export_spacy(coded, out, filters=Selection(layers=("gold",)))
    docs = load(out)
    assert n == len(docs) == 11
    texts = dict(coded.execute("SELECT hash, text FROM articles").fetchall())
    want = gold_quotes(coded)
    seen = set()
    for doc in docs:
        data = doc.user_data["quotebook"]
        assert doc.text == texts[data["article"]]  # character for character
        assert data["layer"] == "gold"
        entities = coded.execute(
            'SELECT e.start, e."end", e.label FROM entities e JOIN articles a ON '
            'a.id = e.article_id WHERE a.hash = ? ORDER BY e.start', [data["article"]]).fetchall()
        assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == entities
        by_id = {s.id_: s for s in doc.spans["quotes"]}
        for uid, span in by_id.items():
            q = want[uid]
            seen.add(uid)
            assert (span.start_char, span.end_char) == (q["fragments"][0][0],
                                                        q["fragments"][-1][1])
            assert span.label_ == q["kind"] and span.kb_id_ == q["speaker"]
            frags = [(s.start_char, s.end_char) for s in doc.spans["quote_fragments"]
                     if s.id_ == uid]
            assert frags == q["fragments"]
            (mention,) = [s for s in doc.spans["speakers"] if s.id_ == uid]
            assert (mention.start_char, mention.end_char) == q["speaker_span"]
            assert mention.text == q["text"][slice(*q["speaker_span"])]
            (cue,) = [s for s in doc.spans["cues"] if s.id_ == uid]
            assert (cue.start_char, cue.end_char) == q["cue_span"] and cue.label_ == "CUE"
            info = data["quotes"][uid]
            assert (info["speaker"], info["position"], info["kind"]) == (
                q["speaker"], q["position"], q["kind"])
    assert seen == set(want)


def test_emoji_and_right_to_left_spans_are_exact(coded, tmp_path):
    out = tmp_path / "gold.spacy"
    export_spacy(coded, out, filters=Selection(layers=("gold",), outlets=("Unicode Times",)))
    (doc,) = load(out)
    assert doc.text == TRICKY
    quotes = {s.label_: s for s in doc.spans["quotes"]}
    assert quotes["mixed"].text == "the talks were “useful 👍🏽”"
    assert [s.text for s in doc.spans["speakers"]] == ["מרים כהן", "أحمد ساري", "José"]
    assert quotes["indirect"].text == "noe\u0308l was fine"
    assert [e.text for e in doc.ents] == ["Tel Aviv", "מרים כהן", "أحمد ساري", "José"]
    info = doc.user_data["quotebook"]["quotes"][quotes["mixed"].id_]
    assert info["speaker_role"] == "Envoy" and info["position_value"] == -1


def test_tokens_split_where_an_annotation_cuts_a_word():
    text = "Hello world 🎉yes  end "
    starts, ends = {0, 3, 13, 11}, {3, 12, 21, len(text)}
    tokens = aligned_tokens(text, starts, ends)
    assert "".join(text[s:e] + (" " if ws else "") for s, e, ws in tokens) == text
    assert starts <= {s for s, _, _ in tokens} and ends <= {e for _, e, _ in tokens}
    # a span that starts after a space leaves the space as the previous token's whitespace
    assert aligned_tokens("said Anna", {5}, {9}) == [(0, 4, True), (5, 9, False)]


def test_rejected_quotes_are_left_out_unless_asked_for(coded, tmp_path):
    export_spacy(coded, tmp_path / "a.spacy", filters=Selection(layers=("alice",)))
    assert sum(len(d.spans["quotes"]) for d in load(tmp_path / "a.spacy")) == 1
    export_spacy(coded, tmp_path / "r.spacy",
                 filters=Selection(layers=("alice",), statuses=("rejected",)))
    (doc,) = [d for d in load(tmp_path / "r.spacy") if len(d.spans["quotes"])]
    assert doc.user_data["quotebook"]["quotes"][doc.spans["quotes"][0].id_]["status"] == \
        "rejected"


def test_any_span_lands_on_token_boundaries():
    import random
    from annotator.export.tokens import TokenIndex
    rnd = random.Random(6)
    for _ in range(200):
        spans = []
        for _ in range(rnd.randint(1, 6)):
            start = rnd.randrange(len(TRICKY) - 1)
            spans.append((start, rnd.randint(start + 1, min(len(TRICKY), start + 30))))
        tokens = aligned_tokens(TRICKY, {s for s, _ in spans}, {e for _, e in spans})
        assert "".join(TRICKY[s:e] + (" " if ws else "") for s, e, ws in tokens) == TRICKY
        index = TokenIndex([t[0] for t in tokens], [t[1] for t in tokens])
        for start, end in spans:
            first, last = index.span(start, end)
            assert (tokens[first][0], tokens[last][1]) == (start, end)


def test_shards_are_bounded_and_spacy_train_reads_the_folder(coded, tmp_path, monkeypatch):
    from spacy.training import Corpus
    from annotator.export import spacy_docbin
    whole = load_export(coded, tmp_path / "whole")
    monkeypatch.setattr(spacy_docbin, "SHARD_DOCS", 4)
    out = tmp_path / "train"
    assert export_spacy(coded, out, filters=Selection(layers=("gold",))) == 11
    shards = sorted(out.glob("*.spacy"))
    assert [p.name for p in shards] == ["part-00000.spacy", "part-00001.spacy",
                                       "part-00002.spacy"]
    assert [len(DocBin().from_disk(p)) for p in shards] == [4, 4, 3]
    docs = load(out)
    assert [(d.text, d.user_data["quotebook"]) for d in docs] == \
        [(d.text, d.user_data["quotebook"]) for d in whole]
    examples = list(Corpus(out)(spacy.blank("en")))  # what `spacy train` reads
    assert sorted(e.reference.text for e in examples) == sorted(d.text for d in docs)
    monkeypatch.setattr(spacy_docbin, "SHARD_DOCS", 1000)
    monkeypatch.setattr(spacy_docbin, "SHARD_CHARS", 1)  # one Doc a shard by size
    assert export_spacy(coded, out, filters=Selection(layers=("gold",))) == 11
    assert len(list(out.glob("*.spacy"))) == 11


def load_export(db, out):
    export_spacy(db, out, filters=Selection(layers=("gold",)))
    return load(out)


def test_a_shard_is_on_disk_before_the_next_one_fills(coded, tmp_path, monkeypatch):
    """Memory stays flat: no DocBin ever holds more than a shard, and each full shard is
    written (and dropped) before the next one takes a Doc."""
    from annotator.export import spacy_docbin
    monkeypatch.setattr(spacy_docbin, "SHARD_DOCS", 3)
    out = tmp_path / "docs"
    seen, made = [], []
    real_add = DocBin.add

    def add(self, doc):
        if not any(b is self for b in made):
            made.append(self)
        written = [p for p in tmp_path.glob(".docs.*.part/*.spacy")]
        seen.append((next(k for k, b in enumerate(made) if b is self), len(self), len(written)))
        real_add(self, doc)
    monkeypatch.setattr(DocBin, "add", add)
    assert export_spacy(coded, out, filters=Selection(layers=("gold",))) == 11
    bins = list(dict.fromkeys(b for b, _n, _w in seen))
    assert len(bins) == 4 and max(n for _b, n, _w in seen) == 2  # at most 3 Docs held
    for k, b in enumerate(bins):  # the k-th DocBin starts with k shards on disk
        assert [w for bb, n, w in seen if bb == b and n == 0] == [k]
