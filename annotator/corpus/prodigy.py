"""Read Prodigy JSONL tasks as native records (our Prodigy export, Prodigy's ``spans`` and
``ner`` task files).

A line is a Prodigy task when it has a ``text`` and a ``spans`` list, or ``tokens`` with an
``answer`` or ``_input_hash`` (and is not a native Quotebook record); ``--format prodigy``
reads every line as one. Tasks answered ``reject`` or ``ignore`` are skipped and counted.
``QUOTE`` spans become quotes (grouped by ``quote_id``, else joined by ``CONTINUES``
relations), ``SPEAKER`` and ``CUE`` spans their speaker mention and cue (by ``quote_id``, else
by the ``SPEAKER`` / ``CUE`` relation from a fragment); every other span is an entity. The
layer: ``--layer``, else the task's ``meta.layer`` (our export), else ``gold``.
"""
from __future__ import annotations

import uuid

from annotator.corpus.fields import is_whole
from annotator.corpus.json_record import BadRecord
from annotator.corpus.sources import KNOWN_KEYS, Record, as_text, first_line

QUOTE_LABELS = {"QUOTE", "SPEAKER", "CUE"}
NAMESPACE = uuid.UUID("0e3f3c2a-7d4e-4a8b-9c61-2f5b8e9d1a44")


class Tasks:
    """Turns Prodigy tasks into records; ``forced``: every line is a task (``--format``)."""

    def __init__(self, layer: str | None = None, forced: bool = False):
        self.layer, self.forced = layer, forced

    @staticmethod
    def is_task(data: dict) -> bool:
        """Whether a JSON record looks like a Prodigy task."""
        return isinstance(data.get("spans"), list) or (
            isinstance(data.get("tokens"), list) and ("answer" in data or "_input_hash" in data))

    def check(self, data: dict) -> None:
        """Raise ``BadRecord`` for a task that is not imported: its answer, no text, bad spans."""
        answer = data.get("answer", "accept")
        if answer in ("reject", "ignore"):
            raise BadRecord(f"task answered {answer!r}")
        text = data.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadRecord("task has no text (the 'text' field is missing or empty)")
        spans = data.get("spans") or []
        if not isinstance(spans, list):
            raise BadRecord("'spans' must be a list")
        for i, span in enumerate(spans):
            if not isinstance(span, dict) or not (
                    is_whole(span.get("start")) and is_whole(span.get("end"))
                    and 0 <= span["start"] < span["end"] <= len(text)):
                raise BadRecord(f"spans[{i}] is outside the text ({len(text)} characters) or "
                                "has no 'start' and 'end'")
            if not isinstance(span.get("label"), str) or not span["label"].strip():
                raise BadRecord(f"spans[{i}] has no 'label'")

    def record(self, rec: Record, data: dict) -> Record:
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        for key in KNOWN_KEYS:
            if meta.get(key) not in (None, ""):
                setattr(rec, key, as_text(meta[key]))
        rec.source = as_text(meta["source"]) if meta.get("source") not in (None, "") else None
        rec.meta = {k: v for k, v in meta.items()
                    if k not in (*KNOWN_KEYS, "source", "layer", "article")}
        if rec.title is None:
            rec.title = first_line(rec.text)
        layer = self.layer or (meta.get("layer") if isinstance(meta.get("layer"), str)
                               else None) or "gold"
        rec.annotations = annotations(rec.text, data, layer)
        return rec


def _key(span: dict) -> tuple[int, int]:
    return span["start"], span["end"]


def annotations(text: str, data: dict, layer: str) -> dict:
    """The native entities and quotes of one task's spans and relations."""
    spans = data.get("spans") or []
    entities = [{"start": s["start"], "end": s["end"], "label": s["label"]}
                for s in spans if s["label"] not in QUOTE_LABELS]
    by_offsets = {(_key(s), s["label"]): s for s in spans}
    links: dict[tuple, dict] = {}   # (fragment offsets, SPEAKER|CUE|CONTINUES) -> span
    for rel in data.get("relations") or []:
        if not isinstance(rel, dict):
            continue
        head, child = rel.get("head_span") or {}, rel.get("child_span") or {}
        try:
            h = by_offsets.get(((head["start"], head["end"]), "QUOTE"))
            c = by_offsets.get(((child["start"], child["end"]), child.get("label")))
        except (KeyError, TypeError):
            continue
        if h is not None and c is not None:
            links[(_key(h), rel.get("label"))] = c
    quotes: dict[str, list[dict]] = {}
    continued = {_key(c) for (_, label), c in links.items() if label == "CONTINUES"}
    for s in spans:
        if s["label"] != "QUOTE":
            continue
        if s.get("quote_id"):
            quotes.setdefault(str(s["quote_id"]), []).append(s)
        elif _key(s) not in continued:
            chain, cur = [s], s
            while (_key(cur), "CONTINUES") in links:
                cur = links[(_key(cur), "CONTINUES")]
                chain.append(cur)
            quotes[str(uuid.uuid5(NAMESPACE, f"{text}\0{layer}\0{_key(s)}"))] = chain
    mentions, cues = ({str(s["quote_id"]): s for s in spans
                       if s["label"] == label and s.get("quote_id")} for label in ("SPEAKER", "CUE"))
    out = []
    for qid, frags in quotes.items():
        frags.sort(key=_key)
        first = frags[0]
        mention = mentions.get(qid) or links.get((_key(first), "SPEAKER"))
        cue = cues.get(qid) or links.get((_key(first), "CUE"))
        quote = {"id": qid, "layer": layer, "fragments": [list(_key(f)) for f in frags],
                 "kind": first.get("kind") or "direct",
                 "status": first.get("status") or "accepted",
                 "topic": first.get("topic"), "position": first.get("position")}
        if mention:
            name = mention.get("speaker") or first.get("speaker")
            quote["speaker"] = {"name": name or text[mention["start"]:mention["end"]],
                                "start": mention["start"], "end": mention["end"],
                                "role": mention.get("role"),
                                "organisation": mention.get("organisation")}
            if "speaker_id" in mention and mention["speaker_id"] is None:
                quote["speaker"]["id"] = None   # our export: the mention alone
        elif first.get("speaker"):
            quote["speaker"] = {"name": first["speaker"]}
        if cue:
            quote["cue"] = {"start": cue["start"], "end": cue["end"]}
        out.append(quote)
    return {"entities": entities, "quotes": out}
