"""Direct quotes found from quote marks alone (no parse): curly, straight and guillemets.

The scan never rewrites the text: every span is a pair of offsets into it, marks included.
Rules:

- ``“…”``, ``„…“``/``„…”``, ``«…»`` (and ``»…«``) pair by family; a straight ``"`` opens when it
  stands before a word (start, space or bracket before it) and closes otherwise, so straight
  marks pair sensibly even when a closing one is followed by a letter.
- A quote left open at the end of a paragraph continues when the next paragraph opens with a
  mark (the news convention for quotes of several paragraphs); otherwise it ends there.
- Single quotes inside a double quote are nested quotes and are ignored, so an apostrophe
  (``don’t``, ``Clinton’s``) never ends anything. An article with no double marks at all uses
  single quotes as its outer marks; then ``’`` between two letters is an apostrophe.
- Scare quotes (a few words, no sentence punctuation) and titles (a few capitalised words) are
  flagged, so that they are not proposed as quotes on their own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE = {"“": "”\"", "„": "“”", "«": "»", "»": "«", '"': '"”'}
SINGLE = {"‘": "’", "‚": "‘’", "‹": "›", "'": "'"}
OPEN_BEFORE = " \t\n\r([{—–-/\u00a0"
SENTENCE_END = re.compile(r"[.!?…,;:](?:[\"”’'»]*)\s*$")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "in", "on", "for", "to", "at", "by", "with",
               "from", "as", "vs", "de", "la", "le", "is"}
SCARE_MAX_WORDS = 3
TITLE_MAX_WORDS = 8


@dataclass
class QuoteSpan:
    """One pair of marks: ``start``/``end`` include the marks; ``closed`` is false when the
    quote ran to the end of its paragraph without a closing mark."""
    start: int
    end: int
    closed: bool = True
    paragraphs: int = 1
    words: int = 0
    shape: str = "quote"  # "quote", "scare" or "title"

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - (1 if self.closed else 0)


def _opens(text: str, i: int) -> bool:
    """Whether the straight mark at ``i`` stands before a word (an opening mark)."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before in OPEN_BEFORE or before in DOUBLE or before in SINGLE) and not after.isspace()


def _starts_paragraph(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t\u00a0":
        j -= 1
    return j < 0 or text[j] == "\n"


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _next_paragraph_opens(text: str, i: int, marks: dict) -> int | None:
    """Offset of the mark that opens the paragraph after the line break at ``i``, if any."""
    j = i
    n = len(text)
    while j < n and text[j] in " \t\r\n\u00a0":
        j += 1
    if j < n and text[j] in marks:
        return j
    return None


def _paragraph_end(text: str, i: int) -> int:
    """End of the text before the line break at ``i`` without trailing spaces."""
    while i > 0 and text[i - 1] in " \t\r\u00a0":
        i -= 1
    return i


def _scan(text: str, marks: dict, single: bool) -> list[QuoteSpan]:
    """One pass over the text pairing opening and closing marks (``marks``: opener ->
    closers), paragraph by paragraph."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    closers = ""
    paragraphs = 1
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if open_at is None:
            if c in marks:
                if c in "\"'" and not _opens(text, i):
                    i += 1
                    continue
                if single and c == "’":
                    i += 1
                    continue
                if c == "»" and not _opens(text, i):
                    i += 1
                    continue
                open_at, closers, paragraphs = i, marks[c], 1
            elif c == "”" and not single and (_opens(text, i) or _starts_paragraph(text, i)):
                open_at, closers, paragraphs = i, "”\"", 1  # a closing mark typed as opener
        elif c == "\n":
            nxt = _next_paragraph_opens(text, i, marks)
            if nxt is not None and text[nxt] not in "»":
                paragraphs += 1  # the quote goes on in the next paragraph
                i = nxt + 1
                continue
            spans.append(QuoteSpan(open_at, _paragraph_end(text, i), closed=False,
                                   paragraphs=paragraphs))
            open_at = None
        elif c in closers and not (single and _is_apostrophe(text, i)):
            spans.append(QuoteSpan(open_at, i + 1, paragraphs=paragraphs))
            open_at = None
        elif c in marks and c not in closers and c != '"' and c != "'" and c != "»":
            # a new opening mark of the same family before any closing one: the previous
            # quote was never closed; it ends here and a new one starts
            spans.append(QuoteSpan(open_at, _paragraph_end(text, i), closed=False,
                                   paragraphs=paragraphs))
            open_at, closers, paragraphs = i, marks[c], 1
        i += 1
    if open_at is not None:
        spans.append(QuoteSpan(open_at, _paragraph_end(text, n), closed=False,
                               paragraphs=paragraphs))
    return [s for s in spans if s.end - s.start > 2]


def _shape(text: str, span: QuoteSpan) -> tuple[str, int]:
    s, e = span.inner
    inner = text[s:e].strip()
    words = WORD.findall(inner)
    if not words:
        return "scare", 0
    punctuated = bool(SENTENCE_END.search(inner)) or bool(re.search(r"[.!?;:]\s", inner))
    sentence = bool(re.search(r"[.!?…]\W*$", inner)) or bool(re.search(r"[.!?;:]\s", inner))
    if span.paragraphs > 1 or (punctuated and len(words) > SCARE_MAX_WORDS):
        return "quote", len(words)
    if len(words) <= SCARE_MAX_WORDS and not (sentence and words[0][0].isupper()):
        return "scare", len(words)
    if punctuated:
        return "quote", len(words)
    capitalised = [w for w in words if w.lower() not in SMALL_WORDS]
    if len(words) <= TITLE_MAX_WORDS and capitalised and \
            all(w[0].isupper() or w[0].isdigit() for w in capitalised) and words[0][0].isupper():
        return "title", len(words)
    return "quote", len(words)


def _double_apostrophes(text: str) -> str:
    """The text with ``''`` and ```` ` ` ```` (typewriter double quotes) seen as one straight
    mark and a filler, so that offsets stay those of the text."""
    if "''" not in text and "``" not in text:
        return text
    return text.replace("''", '"\x01').replace("``", '"\x01')


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every pair of quote marks in ``text`` with its shape, in text order."""
    view = _double_apostrophes(text)
    has_double = any(m in view for m in "“”„«»\"")
    spans = _scan(view, DOUBLE, single=False) if has_double else _scan(view, SINGLE, single=True)
    for span in spans:
        if span.closed and view[span.end:span.end + 1] == "\x01":
            span.end += 1
    for span in spans:
        span.shape, span.words = _shape(text, span)
    return spans
