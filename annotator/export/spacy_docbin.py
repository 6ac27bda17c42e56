"""spaCy ``DocBin`` shards: a folder of ``.spacy`` files, one Doc per article and layer,
spans on exact tokens.

The folder holds ``part-00000.spacy``, ``part-00001.spacy``... of at most ``SHARD_DOCS`` Docs
(and about ``SHARD_CHARS`` characters) each, each written as soon as it is full, so memory stays
the same however many articles are exported; ``spacy train`` and ``spacy.training.Corpus``
read every ``.spacy`` file of a folder.

- ``doc.ents``: the entities (where an analyst's entity overlaps another, the longer one wins,
  as ``spacy.util.filter_spans`` decides).
- ``doc.spans["quotes"]``: each quote from its first to its last character, labelled with its
  kind (direct, indirect, mixed); ``span.kb_id_`` is the canonical speaker, ``span.id_`` the
  quote's uuid. ``doc.spans["quote_fragments"]``: each fragment, same label and ids.
- ``doc.spans["speakers"]``: speaker mentions (label ``SPEAKER``, ``kb_id_`` the canonical
  speaker, ``id_`` the quote's uuid); ``doc.spans["cues"]``: cues (label ``CUE``).
- ``doc.user_data["quotebook"]``: the article's id, meta and layer, and for each quote uuid its
  speaker (name, role, organisation, kind), topic, position and its value, status, note.

Read a shard back with ``DocBin().from_disk(path).get_docs(nlp.vocab)``.
"""
from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from annotator.export.files import atomic_folder
from annotator.export.files import ExportError
from annotator.selection import Selection, record_layers
from annotator.tasks import Task, ensure
from annotator.export.jsonl import article_records
from annotator.export.tokens import aligned_tokens, blank_pipeline, record_boundaries

META_KEYS = ("title", "outlet", "author", "published", "url", "source")
# what a tokenised Doc without tags holds (the default also keeps empty tags, lemmas, heads)
ATTRS = ("ORTH", "SPACY", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID")
SHARD_DOCS = 1000        # Docs in one shard at most
SHARD_CHARS = 8_000_000  # ... and about this many characters of text


def docs(record: dict, filters: Selection, vocab):
    """The Docs of one extended export record (one per layer with quotes)."""
    from spacy.tokens import Doc
    from spacy.util import filter_spans
    text = record["text"]
    tokens = aligned_tokens(text, *record_boundaries(record))
    words = [text[s:e] for s, e, _ in tokens]
    spaces = [ws for _, _, ws in tokens]
    meta = {k: record["meta"].get(k) for k in META_KEYS}
    for layer in record_layers(record, filters):
        doc = Doc(vocab, words=words, spaces=spaces)
        doc.ents = filter_spans([doc.char_span(e["start"], e["end"], label=e["label"])
                                 for e in record["entities"]])
        groups = {"quotes": [], "quote_fragments": [], "speakers": [], "cues": []}
        about = {}
        for q in (q for q in record["quotes"] if q["layer"] == layer):
            speaker = q["speaker"] or {}
            name = speaker.get("name") or ""
            groups["quotes"].append(doc.char_span(q["start"], q["end"], label=q["kind"],
                                                  kb_id=name, span_id=q["id"]))
            groups["quote_fragments"].extend(
                doc.char_span(s, e, label=q["kind"], kb_id=name, span_id=q["id"])
                for s, e in q["fragments"])
            if speaker.get("start") is not None:
                groups["speakers"].append(doc.char_span(
                    speaker["start"], speaker["end"], label="SPEAKER", kb_id=name,
                    span_id=q["id"]))
            if q["cue"] and q["cue"].get("start") is not None:
                groups["cues"].append(doc.char_span(q["cue"]["start"], q["cue"]["end"],
                                                    label="CUE", span_id=q["id"]))
            about[q["id"]] = {
                "kind": q["kind"], "fragments": q["fragments"], "speaker": speaker.get("name"),
                "speaker_role": speaker.get("role"),
                "speaker_organisation": speaker.get("organisation"),
                "speaker_kind": speaker.get("kind"), "topic": q["topic"],
                "position": q["position"], "position_value": q.get("position_value"),
                "status": q["status"], "confidence": q["confidence"], "note": q["note"]}
        for key, spans in groups.items():
            if any(s is None for s in spans):  # cannot happen with aligned tokens
                raise ExportError(f"article {record['id']}: a span is off the token grid")
            doc.spans[key] = spans
        doc.user_data["quotebook"] = {"article": record["id"], "layer": layer, "meta": meta,
                                      "quotes": about}
        yield doc


def shard_name(n: int) -> str:
    return f"part-{n:05d}.spacy"


def export_spacy(db: Database, out: str | Path, *, filters: Selection | None = None,
                 task: Task | None = None) -> int:
    """Write the chosen articles as a folder ``out`` of DocBin shards; return the number of
    Docs. Without a status filter, rejected quotes are left out."""
    task = ensure(task)
    from spacy.tokens import DocBin
    out = Path(out)
    filters = (filters or Selection()).with_default_statuses()
    rf = filters.resolve(db)
    total = rf.article_count()
    vocab = blank_pipeline().vocab
    with atomic_folder(out, fmt="spacy") as tmp:
        docbin, chars, shards, count, done = None, 0, 0, 0, 0

        def flush():
            nonlocal docbin, chars, shards
            if docbin is not None and len(docbin):
                docbin.to_disk(tmp / shard_name(shards))
                shards += 1
            docbin, chars = DocBin(attrs=ATTRS, store_user_data=True), 0
        flush()
        for record in article_records(db, filters=rf, extended=True):
            for doc in docs(record, filters, vocab):
                if len(docbin) >= SHARD_DOCS or chars >= SHARD_CHARS:
                    flush()
                docbin.add(doc)
                chars += len(doc.text)
                count += 1
            done += 1
            task.check()
            if done % 100 == 0:
                task.progress(done, total, out.name)
        flush()
    task.progress(done, total, out.name)
    return count
