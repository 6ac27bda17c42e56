"""Read brat standoff (``.txt`` + ``.ann``) as native records for ``importing.import_paths``.

Two layouts: ``NAME.txt`` beside ``NAME.ann`` (any folder depth; layer ``--layer`` or
``gold``; a quote of our own export keeps its ``Layer`` attribute unless ``--layer`` is
given), and PolNeAR's ``text/NAME.txt`` + ``attributions/NAME_ANNOTATOR.ann`` (each file in
the layer named by its suffix; with ``--layer``, the first file of an article in that layer).

- ``T`` lines whose label is an entity type become entities; PolNeAR's ``Source`` / ``Cue`` /
  ``Content`` spans tied by an ``E`` line become a quote (its fragments the content's ranges,
  the source its speaker's mention and name); our export's ``Quote`` with its ``R Speaker`` /
  ``R Cue`` relations, ``A`` attributes and ``#`` notes become the quote it was.
- A line that is malformed or points outside the text is skipped with file and line; the
  article keeps its other annotations. A ``.txt`` without ``.ann`` (or the reverse) is
  skipped with a message.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from annotator.corpus.sources import Record, SkipFile, decode, first_line, readable

# spaCy's English labels (OntoNotes), the ones our export writes
ENTITY_LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                 "WORK_OF_ART", "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY",
                 "QUANTITY", "ORDINAL", "CARDINAL", "MISC", "PER"}
POLNEAR_ROLES = {"Source", "Cue", "Content"}
OWN_TYPES = {"Quote", "Speaker", "Cue"}
IGNORED_TYPES = {"Attribution", "Attribution-no-source", "Discuss", "Discard"}
QUOTE_MARKS = "\"“”«»„‘’'"
OPEN_MARKS, CLOSE_MARKS = "\"“«„‘'", "\"”»’'"
SPACES = re.compile(r"\s+")
NOTE = re.compile(r"^(?P<name>.*?)(?: \((?P<about>[^()]*)\))?$")
NAMESPACE = uuid.UUID("5b6f3a52-0c1e-4d2b-9a57-6a0d3c0b7e11")
UNSAFE = re.compile(r"[^\w.-]+")


def word(value) -> str:
    """A brat type or attribute value: one word (``Neutral / unclear`` -> ``Neutral_unclear``)."""
    return UNSAFE.sub("_", str(value)).strip("_") or "_"


@dataclass
class Pair:
    """One article: its text file and its annotation files, each with its layer (None: the
    default, or the quote's own ``Layer`` attribute)."""
    text: Path
    anns: list[tuple[Path, str | None]] = field(default_factory=list)


def _annotator(ann: Path, stem: str) -> str | None:
    """The ANNOTATOR of ``attributions/NAME_ANNOTATOR.ann`` for the text ``NAME``."""
    base, _, suffix = ann.stem.rpartition("_")
    return suffix if base == stem and suffix else None


def _polnear(folder: Path, layer: str | None, problems: list[str]) -> list[Pair]:
    pairs, used = [], set()
    by_base: dict[str, list[Path]] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        by_base.setdefault(ann.stem.rpartition("_")[0], []).append(ann)
    for txt in sorted((folder / "text").glob("*.txt")):
        anns = [a for a in by_base.get(txt.stem, []) if _annotator(a, txt.stem)]
        if not anns:
            problems.append(f"{readable(txt)}: no attributions/{txt.stem}_ANNOTATOR.ann for "
                            "this text; skipped")
            continue
        used.update(anns)
        pairs.append(Pair(txt, [(a, layer if layer and i == 0 else _annotator(a, txt.stem))
                                for i, a in enumerate(anns)]))
    for ann in sorted((folder / "attributions").glob("*.ann")):
        if ann not in used:
            problems.append(f"{readable(ann)}: no text/NAME.txt for this annotation file; "
                            "skipped")
    return pairs


def _flat(txts: list[Path], anns: list[Path], layer: str | None,
          problems: list[str]) -> list[Pair]:
    ann_set, pairs = set(anns), []
    for txt in txts:
        ann = txt.with_suffix(".ann")
        if ann in ann_set:
            ann_set.discard(ann)
            pairs.append(Pair(txt, [(ann, layer)]))
        else:
            problems.append(f"{readable(txt)}: no {ann.name} beside it; skipped")
    for ann in sorted(ann_set):
        problems.append(f"{readable(ann)}: no {ann.with_suffix('.txt').name} beside it; skipped")
    return pairs


def find_pairs(paths, layer: str | None = None) -> tuple[list[Pair], list[str]]:
    """The articles named by ``paths`` (folders, .txt or .ann files) and the problems."""
    pairs, problems = [], []
    for p in map(Path, paths):
        if p.is_dir() and (p / "text").is_dir() and (p / "attributions").is_dir():
            pairs.extend(_polnear(p, layer, problems))
        elif p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file())
            txts = [f for f in files if f.suffix.lower() == ".txt"]
            anns = [f for f in files if f.suffix.lower() == ".ann"]
            if not txts and not anns:
                problems.append(f"{readable(p)}: no .txt and .ann files in this folder")
            pairs.extend(_flat(txts, anns, layer, problems))
        elif p.is_file() and p.suffix.lower() in (".txt", ".ann"):
            txt, ann = p.with_suffix(".txt"), p.with_suffix(".ann")
            pairs.extend(_flat([txt] if txt.is_file() else [], [ann] if ann.is_file() else [],
                               layer, problems))
        elif p.is_file():
            problems.append(f"{readable(p)}: not a brat .txt or .ann file; skipped")
        else:
            problems.append(f"{readable(p)}: no such file or folder")
    return pairs, problems


# -- one .ann file ------------------------------------------------------------------------
class BadLine(ValueError):
    pass


def _ranges(spec: str, length: int) -> list[tuple[int, int]]:
    out = []
    for part in spec.split(";"):
        bits = part.split()
        if len(bits) != 2 or not all(b.isdigit() for b in bits):
            raise BadLine(f"offsets {spec!r} are not 'START END[;START END...]'")
        s, e = int(bits[0]), int(bits[1])
        if not 0 <= s < e <= length:
            raise BadLine(f"span {s}-{e} is outside the text ({length} characters)")
        out.append((s, e))
    return out


def _same(shown: str, text: str, ranges) -> bool:
    """Whether a T line's text is the article's text at its offsets (spacing aside)."""
    def norm(s):
        return SPACES.sub("", s)
    return norm(shown) == norm("".join(text[s:e] for s, e in ranges))


@dataclass
class Ann:
    """The lines of one .ann file, parsed; ``problems`` are (line, reason) pairs."""
    spans: dict = field(default_factory=dict)       # T id -> (label, ranges, line)
    events: list = field(default_factory=list)      # (E id, {role: T id}, line)
    relations: list = field(default_factory=list)   # (label, arg1, arg2, line)
    attributes: dict = field(default_factory=dict)  # (target, name) -> value
    notes: dict = field(default_factory=dict)       # target -> note
    problems: list = field(default_factory=list)


def parse_ann(content: str, text: str) -> Ann:
    """Every line of an .ann file; a bad line becomes a problem, the others are kept."""
    ann = Ann()
    for lineno, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        try:
            _line(ann, line, text, lineno)
        except BadLine as exc:
            ann.problems.append((lineno, str(exc)))
    return ann


def _line(ann: Ann, line: str, text: str, lineno: int) -> None:
    parts = line.split("\t")
    ident, kind = parts[0], parts[0][:1]
    if kind not in ("T", "E", "R", "A", "M", "#", "N", "*"):
        raise BadLine(f"unknown annotation kind {ident!r}" if ident.strip() and len(parts) > 1
                      else "not a brat annotation line (ID<tab>TYPE ...)")
    if len(parts) < 2 or not parts[1].strip():
        raise BadLine("not a brat annotation line (ID<tab>TYPE ...)")
    head = parts[1].split()
    if kind == "T":
        label, _, spec = parts[1].partition(" ")
        if len(parts) < 3:
            raise BadLine("a T line needs ID<tab>TYPE START END<tab>TEXT")
        ranges = _ranges(spec, len(text))
        if not _same(parts[2], text, ranges):
            raise BadLine(f"text {parts[2][:40]!r} is not the article's text at {spec}")
        ann.spans[ident] = (label, sorted(ranges), lineno)
    elif kind == "E":
        roles = {}
        for arg in head:
            role, sep, target = arg.partition(":")
            if not sep or not target:
                raise BadLine(f"event argument {arg!r} is not ROLE:ID")
            roles[role] = target
        ann.events.append((ident, roles, lineno))
    elif kind == "R":
        args = dict(a.partition(":")[::2] for a in head[1:])
        if "Arg1" not in args or "Arg2" not in args:
            raise BadLine("a relation needs Arg1:ID and Arg2:ID")
        ann.relations.append((head[0], args["Arg1"], args["Arg2"], lineno))
    elif kind in ("A", "M"):
        if len(head) < 2:
            raise BadLine("an attribute needs NAME TARGET [VALUE]")
        ann.attributes[(head[1], head[0])] = head[2] if len(head) > 2 else True
    elif kind == "#":
        if len(head) < 2:
            raise BadLine("a note needs AnnotatorNotes TARGET<tab>TEXT")
        ann.notes[head[1]] = parts[2] if len(parts) > 2 else ""


def _kind(text: str) -> str:
    """direct (the content is a quotation), mixed (quoted words in it) or indirect."""
    core = text.strip().rstrip(".,;:!?—– ").strip()
    if len(core) > 1 and core[0] in OPEN_MARKS and core[-1] in CLOSE_MARKS + ".,!?":
        return "direct"
    return "mixed" if any(c in core for c in "\"“”«»„") else "indirect"


class Names:
    """brat's one-word attribute values back to the project's names (``Neutral_unclear`` ->
    ``Neutral / unclear``), else the value as written."""

    def __init__(self, db=None):
        self.topics, self.positions, self.layers = {}, {}, {}
        if db is None:
            return
        for (name,) in db.execute("SELECT name FROM topics"):
            self.topics.setdefault(word(name), name)
        for topic, label in db.execute("SELECT t.name, p.label FROM positions p "
                                       "JOIN topics t ON t.id = p.topic_id"):
            self.positions.setdefault((topic, word(label)), label)
        for (name,) in db.execute("SELECT name FROM layers"):
            self.layers.setdefault(word(name), name)

    def topic(self, value):
        return self.topics.get(value, value) if isinstance(value, str) else None

    def position(self, topic, value):
        return self.positions.get((topic, value), value) if isinstance(value, str) else None

    def layer(self, value):
        return self.layers.get(value, value) if isinstance(value, str) else None


def _span_text(text: str, ranges) -> str:
    return " ".join(text[s:e] for s, e in ranges)


def _polnear_quotes(ann: Ann, text: str, layer: str, key: str) -> list[dict]:
    quotes = []
    for ident, roles, lineno in ann.events:
        content = ann.spans.get(roles.get("Content"))
        if content is None:
            ann.problems.append((lineno, f"attribution {ident} has no usable Content span; "
                                         "skipped"))
            continue
        missing = [r for r in ("Source", "Cue") if r in roles and roles[r] not in ann.spans]
        if missing:
            ann.problems.append((lineno, f"{', '.join(missing)} {roles[missing[0]]} is not a "
                                         "span of this file; left out"))
        source = ann.spans.get(roles.get("Source"))
        cue = ann.spans.get(roles.get("Cue"))
        quote = {"id": str(uuid.uuid5(NAMESPACE, f"{key}:{ident}")), "layer": layer,
                 "fragments": [list(r) for r in content[1]],
                 "kind": _kind(_span_text(text, content[1])), "status": "accepted"}
        if source:
            s, e = source[1][0]
            quote["speaker"] = {"name": SPACES.sub(" ", text[s:e]).strip(), "start": s, "end": e}
        if cue:
            quote["cue"] = {"start": cue[1][0][0], "end": cue[1][0][1]}
        quotes.append(quote)
    return quotes


def _own_quotes(ann: Ann, text: str, layer: str | None, names: Names, key: str) -> list[dict]:
    links = {}
    for label, arg1, arg2, lineno in ann.relations:
        if label in ("Speaker", "Cue") and arg1 in ann.spans and arg2 in ann.spans:
            links[(arg1, label)] = arg2
        else:
            ann.problems.append((lineno, f"relation {label} {arg1} {arg2} is not Speaker or Cue "
                                         "between spans of this file; left out"))
    quotes = []
    for ident, (label, ranges, _) in ann.spans.items():
        if label != "Quote":
            continue
        attr = lambda name: ann.attributes.get((ident, name))  # noqa: E731
        topic = names.topic(attr("Topic"))
        quote = {"id": str(uuid.uuid5(NAMESPACE, f"{key}:{ident}")),
                 "layer": layer or names.layer(attr("Layer")) or "gold",
                 "fragments": [list(r) for r in _joined(text, ranges)],
                 "kind": attr("Kind") or _kind(_span_text(text, ranges)),
                 "status": attr("Status") or "accepted", "topic": topic,
                 "position": names.position(topic, attr("Position")),
                 "note": ann.notes.get(ident) or ""}
        mention = links.get((ident, "Speaker"))
        if mention:
            quote["speaker"] = _speaker(text, ann.spans[mention][1][0], ann.notes.get(mention))
        cue = links.get((ident, "Cue"))
        if cue:
            start, end = ann.spans[cue][1][0]
            quote["cue"] = {"start": start, "end": end}
        quotes.append(quote)
    return quotes


def _joined(text: str, ranges) -> list[tuple[int, int]]:
    """Our export cuts a fragment at line breaks: ranges with only line breaks between them
    are one fragment again."""
    out: list[list[int]] = []
    for s, e in ranges:
        if out and not text[out[-1][1]:s].strip("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
            out[-1][1] = e
        else:
            out.append([s, e])
    return [tuple(r) for r in out]


def _speaker(text: str, mention, note: str | None) -> dict:
    """A mention with its canonical speaker from the note ``name (role, organisation)``;
    without a note, the mention alone."""
    s, e = mention
    if not note:
        return {"id": None, "name": text[s:e], "start": s, "end": e}
    m = NOTE.match(note.strip())
    about = [a.strip() for a in (m["about"] or "").split(", ")] if m["about"] else []
    return {"name": m["name"], "start": s, "end": e,
            "role": about[0] if about else None,
            "organisation": about[1] if len(about) > 1 else None}


def annotations(text: str, anns: list[tuple[Path, str | None]], notes, names: Names,
                default: str = "gold") -> dict:
    """The native annotations (entities, quotes) of one article's annotation files."""
    entities, quotes, seen = [], [], set()
    for path, layer in anns:
        where = readable(path)
        try:
            content = decode(path.read_bytes(), where, notes)
        except SkipFile as exc:
            notes.skip(where, f"{exc}; skipped")
            continue
        ann = parse_ann(content, text)
        types = {label for label, _, _ in ann.spans.values()}
        key = f"{text}\0{path.name}"
        if types & POLNEAR_ROLES - {"Cue"} or ann.events:
            quotes += _polnear_quotes(ann, text, layer or default, key)
        if "Quote" in types:
            quotes += _own_quotes(ann, text, layer, names, key)
        other = set()
        for label, ranges, _ in ann.spans.values():
            if label in ENTITY_LABELS:
                if (ranges[0], label) not in seen:
                    seen.add((ranges[0], label))
                    entities.append({"start": ranges[0][0], "end": ranges[-1][1], "label": label})
            elif label not in OWN_TYPES | POLNEAR_ROLES:
                other.add(label)
        for lineno, why in sorted(ann.problems):
            notes.skip(f"{where}:{lineno}", why if why.endswith(("skipped", "left out"))
                       else f"{why}; skipped")
        unused = sorted(other - IGNORED_TYPES)
        if unused:
            notes.warn(where, f"span types not imported (not an entity type, quote or "
                              f"attribution): {', '.join(unused)}")
    return {"entities": entities, "quotes": quotes}


class BratSource:
    """``import_paths``'s view of brat input: ``expand`` lists the articles' text files and
    ``read`` gives each one's native record."""

    def __init__(self, layer: str | None = None, db=None):
        self.layer, self.pairs, self.names = layer, {}, Names(db)

    def expand(self, paths) -> tuple[list[Path], list[str]]:
        pairs, problems = find_pairs(paths, self.layer)
        self.pairs = {p.text: p for p in pairs}
        return [p.text for p in pairs], problems

    def read(self, path: Path, notes, *, text_column=None, progress_bytes=None):
        pair = self.pairs[path]
        try:
            text = decode(path.read_bytes(), readable(path), notes)
        except SkipFile as exc:
            notes.skip(readable(path), f"{exc}; skipped")
            return
        if progress_bytes:
            progress_bytes(path.stat().st_size)
        if not text.strip():
            notes.skip(readable(path), "empty file; skipped")
            return
        rec = Record(text=text, filename=readable(path.name), source_path=readable(path),
                     source=readable(path.name), title=first_line(text))
        rec.annotations = annotations(text, pair.anns, notes, self.names,
                                      default=self.layer or "gold")
        yield rec
