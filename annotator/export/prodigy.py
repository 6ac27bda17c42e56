"""Prodigy-style JSONL: one task per article and layer, spans and relations on exact tokens.

Each task has ``text``, ``tokens`` (``text``, ``start``, ``end``, ``id``, ``ws``), ``spans``
(entities with their NER label, quote fragments ``QUOTE``, speaker mentions ``SPEAKER``, cues
``CUE``; each with character and token offsets, ``token_end`` inclusive as in Prodigy),
``relations`` (``SPEAKER`` from a quote's first fragment to its speaker mention, ``CUE`` to its
cue, ``CONTINUES`` from a fragment to the next one of the same quote; ``head``/``child`` are the
last tokens of the two spans), ``meta``, ``_input_hash``, ``_task_hash``, ``answer`` and, when
the quotes are a layer's, ``_session_id``/``_annotator_id`` (the layer's name).
"""
from __future__ import annotations

import json
from itertools import count
from pathlib import Path

import orjson
from murmurhash.mrmr import hash as murmur
from sqlite_utils import Database

from annotator.selection import Selection, record_layers
from annotator.tasks import Task, ensure
from annotator.export.jsonl import article_records, write_atomically
from annotator.export.tokens import TokenIndex, record_boundaries, token_columns

META_KEYS = ("title", "outlet", "author", "published", "url", "source")


def _hash(text: str) -> int:
    return murmur(text)


def _span(index: TokenIndex, start: int, end: int, label: str, **extra) -> dict:
    first, last = index.span(start, end)
    return {"start": start, "end": end, "token_start": first, "token_end": last,
            "label": label, **extra}


def _relation(head: dict, child: dict, label: str) -> dict:
    keys = ("start", "end", "token_start", "token_end", "label")
    return {"head": head["token_end"], "child": child["token_end"], "label": label,
            "head_span": {k: head[k] for k in keys}, "child_span": {k: child[k] for k in keys}}


def hashed_json(input_hash: int, spans: list[dict], relations: list[dict]) -> str:
    """``json.dumps([input_hash, spans, relations], ensure_ascii=False, sort_keys=True)``,
    the text the task hash is of, three times as fast: ``orjson`` (which escapes strings as
    ``json`` does) with a space put after every ``,`` and ``:``. That is exact when no string
    holds a comma or a colon: the counts of both in the output are then the structure's
    own (a span is a flat dict; a relation, a dict of five keys with two of them spans of
    five); otherwise, or for what ``orjson`` refuses, ``json`` writes it."""
    try:
        text = orjson.dumps([input_hash, spans, relations], option=orjson.OPT_SORT_KEYS).decode()
    except TypeError:
        text = ""
    pairs = sum(map(len, spans)) + 15 * len(relations)
    commas = 2 + pairs - len(spans) + max(len(spans) - 1, 0) - 3 * len(relations) \
        + max(len(relations) - 1, 0)
    if text and text.count(":") == pairs and text.count(",") == commas:
        return text.replace(",", ", ").replace(":", ": ")
    return json.dumps([input_hash, spans, relations], ensure_ascii=False, sort_keys=True)


def tasks(record: dict, filters: Selection):
    """The Prodigy tasks of one extended export record (one per layer with quotes)."""
    text = record["text"]
    starts, ends, spaces = token_columns(text, *record_boundaries(record))
    index = TokenIndex(starts, ends)
    token_dicts = [{"text": text[s:e], "start": s, "end": e, "id": i, "ws": ws}
                   for s, e, i, ws in zip(starts, ends, count(), spaces)]
    entities = [_span(index, e["start"], e["end"], e["label"]) for e in record["entities"]]
    meta = {k: record["meta"].get(k) for k in META_KEYS if record["meta"].get(k) is not None}
    meta["article"] = record["id"]
    input_hash = _hash(json.dumps({"text": text}, ensure_ascii=False))
    for layer in record_layers(record, filters):
        spans, relations = list(entities), []
        for q in (q for q in record["quotes"] if q["layer"] == layer):
            speaker = q["speaker"] or {}
            about = {"quote_id": q["id"], "kind": q["kind"], "status": q["status"],
                     "speaker": speaker.get("name"), "topic": q["topic"],
                     "position": q["position"]}
            frags = [_span(index, s, e, "QUOTE", **about) for s, e in q["fragments"]]
            spans.extend(frags)
            relations.extend(_relation(a, b, "CONTINUES") for a, b in zip(frags, frags[1:]))
            if speaker.get("start") is not None:
                mention = _span(index, speaker["start"], speaker["end"], "SPEAKER",
                                quote_id=q["id"], speaker=speaker.get("name"),
                                speaker_id=speaker.get("id"),
                                role=speaker.get("role"),
                                organisation=speaker.get("organisation"))
                spans.append(mention)
                relations.append(_relation(frags[0], mention, "SPEAKER"))
            if q["cue"] and q["cue"].get("start") is not None:
                cue = _span(index, q["cue"]["start"], q["cue"]["end"], "CUE", quote_id=q["id"])
                spans.append(cue)
                relations.append(_relation(frags[0], cue, "CUE"))
        spans.sort(key=lambda s: (s["start"], s["end"], s["label"]))
        task = {"text": text, "tokens": token_dicts, "spans": spans, "relations": relations,
                "meta": dict(meta, layer=layer) if layer else dict(meta),
                "_input_hash": input_hash}
        task["_task_hash"] = _hash(hashed_json(input_hash, spans, relations))
        task["answer"] = "accept"
        if layer:
            task["_session_id"] = task["_annotator_id"] = layer
        yield task


def export_prodigy(db: Database, out: str | Path, *, filters: Selection | None = None,
                   task: Task | None = None) -> int:
    """Write the Prodigy JSONL of the chosen articles to ``out``; return the task count.

    Without a status filter, rejected quotes are left out.
    """
    task = ensure(task)
    filters = (filters or Selection()).with_default_statuses()
    rf = filters.resolve(db)
    total = rf.article_count()
    done = 0

    def lines():
        nonlocal done
        for record in article_records(db, filters=rf, extended=True):
            for item in tasks(record, filters):  # orjson: ten times json's speed here
                yield orjson.dumps(item, option=orjson.OPT_APPEND_NEWLINE)
            done += 1
            if done % 100 == 0:
                task.progress(done, total, Path(out).name)

    count = write_atomically(out, lines(), total=total, task=task, encoding=None)
    task.progress(done, total, Path(out).name)
    return count
