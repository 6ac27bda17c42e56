"""What the analysis keeps of one parsed article: plain data (no spaCy objects), the same
whether the parse ran in this process, in ``nlp.pipe`` worker processes or on a Dask worker,
so that one writer stores them all."""
from __future__ import annotations

from annotator.nlp.suggest import DEFAULT_SPEECH_VERBS, suggest_quotes
from annotator.nlp.suggestions_layer import as_rows


def doc_results(doc, speech_verbs: frozenset | None = DEFAULT_SPEECH_VERBS) -> dict:
    """What the analysis stores for one parsed article: its entities and its quote
    suggestions (plain dicts; ``speech_verbs=None`` skips the suggestions)."""
    quotes = [] if speech_verbs is None else \
        as_rows(suggest_quotes(doc, speech_verbs), len(doc.text), doc.text)
    return {"entities": [(e.start_char, e.end_char, e.label_) for e in doc.ents],
            "quotes": quotes}


def parse(nlp, items, lemmas: frozenset, *, batch_size: int = 32, n_process: int = 1):
    """``(article_id, results)`` of each ``(text, article_id)`` of ``items``, in order."""
    for doc, article_id in nlp.pipe(items, as_tuples=True, batch_size=batch_size,
                                    n_process=n_process):
        yield article_id, doc_results(doc, lemmas)
