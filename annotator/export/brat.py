"""brat standoff: a folder of ``NAME.txt`` (the article, character for character) and ``NAME.ann``.

- ``T`` lines: entities (their NER label), ``Quote``, ``Cue`` and ``Speaker`` (the mention).
  A quote's fragments are joined by ``;``; a fragment is also cut at line breaks, since a brat
  span never crosses one. Offsets are character (code point) offsets, as brat counts them.
- ``R`` lines: ``Speaker Arg1:quote Arg2:mention`` and ``Cue Arg1:quote Arg2:cue``.
- ``A`` lines on each quote: ``Kind``, ``Topic``, ``Position``, ``Layer``, ``Status`` (values
  with spaces and punctuation as ``_``, as brat attribute values are single words).
- ``#`` lines (``AnnotatorNotes``): a quote's note, and on a mention its canonical speaker
  as ``name (role, organisation)``.

``annotation.conf`` declares every type, relation and attribute value used.
"""
from __future__ import annotations

import re
from pathlib import Path

from sqlite_utils import Database

from annotator.corpus.brat import word
from annotator.export.files import atomic_folder, write_text
from annotator.selection import Selection
from annotator.tasks import Task, ensure
from annotator.export.jsonl import article_records

BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    return BREAKS.sub(" ", text).replace("\t", " ")


def brat_fragments(text: str, fragments) -> list[tuple[int, int]]:
    """The fragments, each cut at line breaks (breaks left out)."""
    out = []
    for start, end in fragments:
        pos = start
        for m in BREAKS.finditer(text, start, end):
            if m.start() > pos:
                out.append((pos, m.start()))
            pos = m.end()
        if pos < end:
            out.append((pos, end))
    return out


class _Ann:
    """The lines of one .ann file, numbering T, R, A and # ids."""

    def __init__(self, text: str):
        self.text, self.lines, self.n = text, [], {"T": 0, "R": 0, "A": 0, "#": 0}

    def _id(self, kind: str) -> str:
        self.n[kind] += 1
        return f"{kind}{self.n[kind]}"

    def t(self, label: str, fragments) -> str | None:
        frags = brat_fragments(self.text, fragments)
        if not frags:
            return None
        tid = self._id("T")
        offsets = ";".join(f"{s} {e}" for s, e in frags)
        shown = " ".join(one_line(self.text[s:e]) for s, e in frags)
        self.lines.append(f"{tid}\t{label} {offsets}\t{shown}")
        return tid

    def r(self, label: str, head: str, child: str) -> None:
        self.lines.append(f"{self._id('R')}\t{label} Arg1:{head} Arg2:{child}")

    def a(self, name: str, target: str, value) -> None:
        self.lines.append(f"{self._id('A')}\t{name} {target} {word(value)}")

    def note(self, target: str, text: str) -> None:
        self.lines.append(f"{self._id('#')}\tAnnotatorNotes {target}\t{one_line(text)}")


def ann_lines(record: dict) -> list[str]:
    """The .ann lines of one extended export record."""
    text = record["text"]
    ann = _Ann(text)
    for ent in record["entities"]:
        ann.t(word(ent["label"]), [(ent["start"], ent["end"])])
    for q in record["quotes"]:
        tq = ann.t("Quote", q["fragments"])
        if tq is None:
            continue
        speaker = q["speaker"] or {}
        if speaker.get("start") is not None:
            ts = ann.t("Speaker", [(speaker["start"], speaker["end"])])
            if ts:
                ann.r("Speaker", tq, ts)
                if speaker.get("name"):
                    about = ", ".join(speaker[k] for k in ("role", "organisation")
                                      if speaker.get(k))
                    ann.note(ts, speaker["name"] + (f" ({about})" if about else ""))
        cue = q["cue"] or {}
        if cue.get("start") is not None:
            tc = ann.t("Cue", [(cue["start"], cue["end"])])
            if tc:
                ann.r("Cue", tq, tc)
        ann.a("Kind", tq, q["kind"])
        for name, key in (("Topic", "topic"), ("Position", "position")):
            if q[key]:
                ann.a(name, tq, q[key])
        ann.a("Layer", tq, q["layer"])
        ann.a("Status", tq, q["status"])
        if q["note"]:
            ann.note(tq, q["note"])
    return ann.lines


def _conf(db: Database, labels: set[str]) -> str:
    def values(sql):
        return "|".join(sorted({word(r[0]) for r in db.execute(sql)})) or "_"
    return "\n".join([
        "[entities]", "Quote", "Speaker", "Cue", *sorted(labels), "",
        "[relations]", "Speaker\tArg1:Quote, Arg2:Speaker", "Cue\tArg1:Quote, Arg2:Cue",
        "<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>", "",
        "[events]", "",
        "[attributes]", "Kind\tArg:Quote, Value:direct|indirect|mixed",
        f"Topic\tArg:Quote, Value:{values('SELECT name FROM topics')}",
        f"Position\tArg:Quote, Value:{values('SELECT label FROM positions')}",
        f"Layer\tArg:Quote, Value:{values('SELECT name FROM layers')}",
        "Status\tArg:Quote, Value:suggested|accepted|rejected", ""])


def file_stem(record: dict, used: set[str]) -> str:
    """A safe, unique file name for an article: its source name, else its id."""
    stem = word(re.sub(r"\.(txt|text)$", "", record["meta"].get("source") or "",
                       flags=re.I)) if record["meta"].get("source") else ""
    stem = stem if stem and stem != "_" else record["id"][:16]
    if stem.lower() in used:
        stem = f"{stem}-{record['id'][:8]}"
    used.add(stem.lower())
    return stem


def export_brat(db: Database, out: str | Path, *, filters: Selection | None = None,
                task: Task | None = None) -> int:
    """Write the brat folder ``out`` for the chosen articles; return the article count.

    Without a status filter, rejected quotes are left out.
    """
    task = ensure(task)
    out = Path(out)
    rf = (filters or Selection()).with_default_statuses().resolve(db)
    total = rf.article_count()
    done, used, labels = 0, set(), set()
    with atomic_folder(out, fmt="brat") as tmp:
        for record in article_records(db, filters=rf, extended=True):
            stem = file_stem(record, used)
            labels.update(word(e["label"]) for e in record["entities"])
            write_text(tmp / f"{stem}.txt", record["text"])
            lines = ann_lines(record)
            write_text(tmp / f"{stem}.ann", "".join(line + "\n" for line in lines))
            done += 1
            task.check()
            if done % 100 == 0:
                task.progress(done, total, out.name)
        write_text(tmp / "annotation.conf", _conf(db, labels))
    task.progress(done, total, out.name)
    return done
