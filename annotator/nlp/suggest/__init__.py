"""Quote and speaker suggestions: rules over one article's spaCy parse (no Qt, no database).

``suggest_quotes(doc, lemmas)`` returns ``Suggestion`` objects with offsets into ``doc.text``;
``registry`` turns their canonical speakers into rows of the project's speaker registry.
"""
from annotator.nlp.suggest.assemble import Suggestion, suggest_quotes
from annotator.nlp.suggest.reported import DEFAULT_SPEECH_VERBS, speech_lemmas

__all__ = ["Suggestion", "suggest_quotes", "DEFAULT_SPEECH_VERBS", "speech_lemmas"]
