"""Read articles from .txt, .jsonl and .csv files as a stream of records.

Every problem becomes a message naming the file (and line) in ``notes``; a bad record is
skipped and the good records of the same file still come through.
"""
from __future__ import annotations

import codecs
import csv
import io
import sys
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer

from annotator.corpus.fields import SURROGATE, as_text, bad_string
from annotator.corpus.json_record import BadRecord, parse_record

TXT_SUFFIXES = {".txt", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
DNA_SUFFIXES = {".dna"}  # read by corpus.dna
SUPPORTED = TXT_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | DNA_SUFFIXES
KNOWN_KEYS = ("title", "outlet", "author", "url", "published")
COLUMNS = ("text", "title", "outlet", "author", "url", "published", "filename", "source")
TEXT_COLUMNS = ("text", "body", "content", "article", "article_text", "full_text", "fulltext",
                "story", "maintext", "main_text")
ALIASES = {"date": "published", "publish_date": "published", "published_at": "published",
           "source_outlet": "outlet", "publication": "outlet", "headline": "title",
           "byline": "author", "link": "url"}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class SkipFile(Exception):
    """This whole file cannot be read; the message says why."""


@dataclass
class Record:
    text: str
    filename: str
    source_path: str
    line: int | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = None
    meta: dict = field(default_factory=dict)
    annotations: dict | None = None  # entities and quotes of a native Quotebook export
    registry: dict | None = None     # speakers, codebook and layers the annotations name


def readable(path) -> str:
    """A path as valid text: bytes of a file name that are not UTF-8 become U+FFFD."""
    text = str(path)
    if not SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return SURROGATE.sub("\ufffd", text)


def unexpected(exc: BaseException) -> str:
    """One line for an exception nobody foresaw (its type and message, no traceback)."""
    return f"cannot be read ({type(exc).__name__}: {readable(exc)}); skipped"


@dataclass
class Notes:
    """What the reader had to say: skipped records and warnings, each naming file and line."""
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def skip(self, where: str, why: str) -> None:
        self.skipped.append(readable(f"{where}: {why}"))

    def warn(self, where: str, why: str) -> None:
        self.warnings.append(readable(f"{where}: {why}"))


def first_line(text: str, limit: int = 300) -> str | None:
    """The first non-empty line, stripped (an article's title when it has none)."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:limit]
    return None


def detect(data: bytes) -> str | None:
    """The likely encoding of non-UTF-8 bytes; Windows-1252 when it is a candidate at all
    (the WHATWG default for Western text, which detectors often mistake for a neighbour)."""
    matches = charset_normalizer.from_bytes(data)
    if not matches:
        return None
    names = {m.encoding for m in matches}
    if names & {"cp1252", "latin_1", "iso8859_15"}:
        return "cp1252"
    return matches.best().encoding


def decode(data: bytes, where: str, notes: Notes) -> str:
    """Bytes to text: UTF-8 (BOM dropped), UTF-16 with BOM, else a detected encoding (noted)."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        notes.warn(where, "UTF-16 text, decoded as UTF-16")
        return data.decode("utf-16")
    if b"\x00" in data:
        raise SkipFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = detect(data)
    if encoding is None:
        raise SkipFile("binary file or unknown text encoding")
    notes.warn(where, f"not UTF-8; decoded as {encoding}")
    return data.decode(encoding, errors="replace")


def expand(paths) -> tuple[list[Path], list[str]]:
    """The supported files named by ``paths`` (folders searched recursively, sorted)."""
    files, problems = [], []
    for p in map(Path, paths):
        shown = readable(p)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED)
            if not found:
                problems.append(f"{shown}: no .txt, .jsonl or .csv files in this folder")
            files.extend(found)
        elif p.is_file():
            if p.suffix.lower() in SUPPORTED:
                files.append(p)
            else:
                problems.append(f"{shown}: not a .txt, .jsonl or .csv file; skipped")
        else:
            problems.append(f"{shown}: no such file or folder")
    return files, problems


def read_txt(path: Path, notes: Notes):
    """One record: the file's whole content, character for character (only a BOM dropped)."""
    text = decode(path.read_bytes(), str(path), notes)
    if not text.strip():
        raise SkipFile("empty file")
    yield Record(text=text, filename=readable(path.name), source_path=readable(path),
                 source=readable(path.name), title=first_line(text))


def _fill(rec: Record, data: dict) -> Record:
    for key, value in data.items():
        key_l = ALIASES.get(key.lower(), key.lower())
        if key_l in KNOWN_KEYS and getattr(rec, key_l) is None and value not in (None, ""):
            setattr(rec, key_l, as_text(value))
        elif key_l == "id" and value not in (None, ""):
            rec.source = as_text(value)
        else:
            rec.meta[key] = value
    if rec.title is None:
        rec.title = first_line(rec.text)
    return rec


def is_native(data: dict) -> bool:
    """A record of Quotebook's own JSONL export (``meta``, ``entities`` and ``quotes``)."""
    return (isinstance(data.get("meta"), dict) and isinstance(data.get("entities"), list)
            and isinstance(data.get("quotes"), list))


def _native(rec: Record, data: dict) -> Record:
    """The article of a native record as it was exported; its annotations kept aside."""
    meta = dict(data["meta"])
    for key in KNOWN_KEYS:
        value = meta.pop(key, None)
        setattr(rec, key, None if value in (None, "") else as_text(value))
    filename = meta.pop("filename", None)
    rec.filename = as_text(filename) if filename not in (None, "") else rec.filename
    source = meta.pop("source", None)
    rec.source = as_text(source) if source not in (None, "") else None
    rec.meta = meta
    rec.annotations = {key: value for key, value in data.items() if key != "meta"}
    return rec


def column_problem(rec: Record) -> str | None:
    """Why a column of ``rec`` cannot be stored as text SQLite reads back whole, or None."""
    for name in COLUMNS:
        value = getattr(rec, name)
        if value is None:
            continue
        if "\x00" in value:
            return f"'{name}' contains a NUL character, which SQLite text cannot hold"
        why = bad_string(value)
        if why:
            return f"'{name}' {why}"
    return None


def _jsonl_record(line: str, names: tuple[str, str], lineno: int, prodigy=None) -> Record:
    """The record of one JSON line; raises ``BadRecord`` with the reason it cannot be one.
    With ``prodigy`` (a ``prodigy.Tasks``), a Prodigy task (every line when it is ``forced``)
    comes with its spans as native annotations."""
    data = parse_record(line)
    if not isinstance(data, dict):
        raise BadRecord("not a JSON object")
    if prodigy is not None and (prodigy.forced or not is_native(data) and prodigy.is_task(data)):
        prodigy.check(data)
    else:
        prodigy = None
    text = data.pop("text", None)
    if not isinstance(text, str) or not text.strip():
        raise BadRecord("record has no text (the 'text' field is missing or empty)")
    rec = Record(text=text, filename=names[0], source_path=names[1], line=lineno)
    if prodigy is not None:
        return prodigy.record(rec, data)
    return _native(rec, data) if is_native(data) else _fill(rec, data)


def read_jsonl(path: Path, notes: Notes, progress_bytes=None, prodigy=None):
    """Records of a JSON Lines file, read line by line (never the whole file at once);
    with ``prodigy`` (a ``prodigy.Tasks``), every line is a Prodigy task."""
    fallback, names = None, (readable(path.name), readable(path))
    with open(path, "rb") as fh:
        for lineno, raw in enumerate(fh, 1):
            if progress_bytes:
                progress_bytes(len(raw))
            if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            if not raw.strip():
                continue
            where = f"{names[1]}:{lineno}"
            try:
                line = raw.decode(fallback or "utf-8")
            except UnicodeDecodeError:
                encoding = None if b"\x00" in raw else detect(raw)
                if encoding is None:
                    notes.skip(where, "binary data, not text")
                    continue
                fallback = encoding
                notes.warn(where, f"not UTF-8; decoded as {fallback} from here on")
                line = raw.decode(fallback, errors="replace")
            rec = _checked(lambda: _jsonl_record(line, names, lineno, prodigy), where, notes)
            if rec is not None:
                yield rec


def _checked(make, where: str, notes: Notes) -> Record | None:
    """The record ``make()`` builds, or None once it is noted as skipped: a bad record, a
    field SQLite cannot take, or anything unforeseen (it costs this record only)."""
    try:
        rec = make()
        problem = column_problem(rec)
    except BadRecord as exc:
        notes.skip(where, f"{exc}; skipped")
        return None
    except Exception as exc:
        notes.skip(where, unexpected(exc))
        return None
    if problem:
        notes.skip(where, f"{problem}; skipped")
        return None
    return rec


def _csv_encoding(path: Path, notes: Notes) -> str:
    with open(path, "rb") as fh:
        head = fh.read(1 << 20)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in head:
        raise SkipFile("binary file (contains NUL bytes)")
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut by the 1 MiB sample
            return "utf-8"
    encoding = detect(head)
    if encoding is None:
        raise SkipFile("binary file or unknown text encoding")
    notes.warn(str(path), f"not UTF-8; decoded as {encoding}")
    return encoding


def read_csv(path: Path, notes: Notes, text_column: str | None = None, progress_bytes=None):
    """Records of a CSV (or TSV) file with a header row; streamed row by row."""
    encoding = _csv_encoding(path, notes)
    with open(path, "rb") as raw:
        fh = io.TextIOWrapper(raw, encoding=encoding, newline="")
        sample = fh.read(65536)
        fh.seek(0)
        if path.suffix.lower() == ".tsv":
            dialect = csv.excel_tab
        else:
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
        reader = csv.DictReader(fh, dialect=dialect)
        columns = reader.fieldnames or []
        lower = {c.lower().strip(): c for c in columns if c}
        if text_column:
            column = text_column if text_column in columns else lower.get(text_column.lower())
            if column is None:
                raise SkipFile(f"no column '{text_column}' (columns: {', '.join(columns)})")
        else:
            column = next((lower[n] for n in TEXT_COLUMNS if n in lower), None)
            if column is None:
                raise SkipFile("no text column found (looked for "
                               f"{', '.join(TEXT_COLUMNS)}; columns: {', '.join(columns)}); "
                               "name it with --text-column")
        last = 0
        line_end = reader.line_num
        try:
            for row in reader:
                if progress_bytes:
                    pos = raw.tell()
                    progress_bytes(pos - last)
                    last = pos
                line, line_end = line_end + 1, reader.line_num  # a row may span lines
                where = f"{readable(path)}:{line}"
                text = row.pop(column, None)
                row.pop(None, None)  # cells beyond the header
                if not isinstance(text, str) or not text.strip():
                    notes.skip(where, f"row has no text (column '{column}' is empty)")
                    continue
                data = {k: v for k, v in row.items() if k}
                rec = _checked(lambda: _fill(Record(text=text, filename=readable(path.name),
                                                    source_path=readable(path), line=line),
                                             data), where, notes)
                if rec is not None:
                    yield rec
        except UnicodeDecodeError:
            notes.skip(f"{path}:{reader.line_num}",
                       f"cannot be decoded as {encoding}; the rest of the file is skipped")
        except csv.Error as exc:
            notes.skip(f"{path}:{reader.line_num}", f"malformed CSV ({exc}); "
                       "the rest of the file is skipped")


def read_file(path: Path, notes: Notes, *, text_column=None, progress_bytes=None,
              prodigy=None):
    """Records of one file of any supported kind; a file that cannot be read is noted.
    ``prodigy``: how JSONL lines that are Prodigy tasks are read (``read_jsonl``)."""
    suffix = path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            yield from read_jsonl(path, notes, progress_bytes, prodigy)
            return
        if suffix in CSV_SUFFIXES:
            yield from read_csv(path, notes, text_column, progress_bytes)
            return
        yield from read_txt(path, notes)
    except SkipFile as exc:
        notes.skip(str(path), f"{exc}; skipped")
    except OSError as exc:
        notes.skip(str(path), f"cannot be read ({exc.strerror or exc}); skipped")
    except Exception as exc:  # anything unforeseen costs this file only
        notes.skip(str(path), unexpected(exc))
    if suffix in TXT_SUFFIXES and progress_bytes:
        progress_bytes(path.stat().st_size if path.exists() else 0)
