"""Import: .txt, .jsonl and .csv, bad input named by file and line, duplicates, streaming."""
import json
import tracemalloc

import pytest

from annotator.corpus import sources
from annotator.tasks import Task
from annotator.corpus.importing import import_paths, text_hash
from conftest import SEEDS


def articles(db):
    return db.execute("SELECT text, title, outlet, author, url, published, filename, source, "
                      "meta, source_path FROM articles ORDER BY id").fetchall()


def test_txt_is_kept_character_for_character(db, tmp_path):
    raw = "\n\n  Headline here  \r\nBody with “curly” quotes, emoji 🎉 and עברית.\r\n\tEnd  \n"
    path = tmp_path / "a.txt"
    path.write_bytes(raw.encode("utf-8"))
    report = import_paths(db, [path])
    assert report.imported == 1 and not report.skipped
    text, title, *_ , filename, source, meta, source_path = articles(db)[0]
    assert text == raw  # no newline translation, no stripping
    assert title == "Headline here"
    assert (filename, source, source_path) == ("a.txt", "a.txt", str(path))


def test_seed_article_offsets_match_the_file(db):
    path = SEEDS / "000_ea8a4a46e2e3a1c2.txt"
    import_paths(db, [path])
    assert articles(db)[0][0] == path.read_bytes().decode("utf-8")


def test_utf8_bom_is_dropped(db, tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfTitle\nText")
    import_paths(db, [tmp_path / "bom.txt"])
    assert articles(db)[0][0] == "Title\nText"


def test_other_encoding_is_detected_and_reported(db, tmp_path):
    text = ("Le ministre a déclaré que la réunion était très importante pour l'économie "
            "française et européenne, à Genève comme à Bruxelles.\n") * 3
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    report = import_paths(db, [tmp_path / "latin.txt"])
    assert report.imported == 1
    assert articles(db)[0][0] == text
    assert any("latin.txt" in w and "not UTF-8" in w for w in report.warnings)


def test_binary_and_empty_files_are_skipped_by_name(db, tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n ")
    (tmp_path / "good.txt").write_text("A real article.\nWith text.")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    report = import_paths(db, [tmp_path, tmp_path / "notes.docx", tmp_path / "missing.txt"])
    assert report.imported == 1
    text = "\n".join(report.skipped)
    assert "image.txt: binary file" in text
    assert "empty.txt: empty file" in text and "blank.txt: empty file" in text
    assert "notes.docx: not a .txt, .jsonl or .csv file" in text
    assert "missing.txt: no such file or folder" in text


def test_jsonl_fields_meta_and_bad_lines(db, tmp_path):
    lines = [
        json.dumps({"id": "x1", "title": "T1", "text": "First text.", "outlet": "Wire",
                    "author": "A. Writer", "url": "https://example.org/1",
                    "published": "2026-01-02", "section": "world", "tags": ["a", "b"]}),
        "{not json",
        json.dumps({"title": "no text here"}),
        json.dumps({"text": "   "}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"text": "Second text.\nMore.", "date": "2026-02-03"}),
    ]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(db, [path])
    assert report.imported == 2
    rows = articles(db)
    text, title, outlet, author, url, published, filename, source, meta, _ = rows[0]
    assert (text, title, outlet, author, url, published, source) == (
        "First text.", "T1", "Wire", "A. Writer", "https://example.org/1", "2026-01-02", "x1")
    assert json.loads(meta) == {"section": "world", "tags": ["a", "b"]}
    assert filename == "c.jsonl"
    assert rows[1][1] == "Second text." and rows[1][5] == "2026-02-03"
    skipped = "\n".join(report.skipped)
    assert f"{path}:2: invalid JSON" in skipped
    assert f"{path}:3: record has no text" in skipped
    assert f"{path}:4: record has no text" in skipped
    assert f"{path}:5: not a JSON object" in skipped


def test_jsonl_with_a_bad_byte_line_keeps_the_good_ones(db, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"text": "ok one"}\n{"text": "caf\xe9 au lait"}\n'
                     b'{"text": "ok two"}\n')
    report = import_paths(db, [path])
    assert [r[0] for r in articles(db)] == ["ok one", "café au lait", "ok two"]
    assert any(f"{path}:2" in w and "not UTF-8" in w for w in report.warnings)


def test_csv_finds_the_text_column_and_quotes(db, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('headline,Body,date,extra\n'
                    '"A, title","He said: ""no"".\nSecond line.",2026-03-01,x\n'
                    'Empty,,2026-03-02,y\n', encoding="utf-8")
    report = import_paths(db, [path])
    assert report.imported == 1
    text, title, *_rest = articles(db)[0]
    assert text == 'He said: "no".\nSecond line.'
    assert title == "A, title"
    assert json.loads(articles(db)[0][8]) == {"extra": "x"}
    assert any(f"{path}:4: row has no text" in s for s in report.skipped)  # row 1 has 2 lines


def test_csv_text_column_option_and_missing_column(db, tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("id;story_body\n7;Semicolon separated text.\n", encoding="utf-8")
    report = import_paths(db, [path])
    assert report.imported == 0 and "no text column found" in report.skipped[0]
    assert "--text-column" in report.skipped[0]
    report = import_paths(db, [path], text_column="story_body")
    assert report.imported == 1
    assert articles(db)[0][0] == "Semicolon separated text."
    assert articles(db)[0][7] == "7"


def test_same_text_twice_is_one_article(db, tmp_path):
    (tmp_path / "one.txt").write_text("Same text.")
    (tmp_path / "two.txt").write_text("Same text.")
    report = import_paths(db, [tmp_path])
    assert report.imported == 1 and len(report.duplicates) == 1
    assert "two.txt" in report.duplicates[0] and "one.txt" in report.duplicates[0]
    report = import_paths(db, [tmp_path / "one.txt"])
    assert report.imported == 0 and len(report.duplicates) == 1
    assert db.execute("SELECT hash FROM articles").fetchone()[0] == text_hash("Same text.")


def test_interrupted_import_keeps_only_whole_committed_articles(db, tmp_path, monkeypatch):
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps({"text": f"Article number {i}."}) + "\n"
                            for i in range(25)))
    real = sources.read_file   # the reader import_paths uses (corpus.formats)

    def dies_midway(*args, **kwargs):
        for n, rec in enumerate(real(*args, **kwargs)):
            if n == 17:
                raise KeyboardInterrupt  # as if the user pressed Ctrl+C, or the process died
            yield rec
    monkeypatch.setattr(sources, "read_file", dies_midway)
    with pytest.raises(KeyboardInterrupt):
        import_paths(db, [path], batch_size=5)
    texts = [r[0] for r in articles(db)]
    assert texts == [f"Article number {i}." for i in range(15)]  # three whole batches
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    monkeypatch.setattr(sources, "read_file", real)
    report = import_paths(db, [path])  # running it again completes it
    assert report.imported == 10 and len(report.duplicates) == 15


def test_batches_grow_with_the_project(db, tmp_path, monkeypatch):
    """A transaction writes a share of the project's size (within bounds), so that the
    random text-hash index pages each commit rewrites stay a constant share per article."""
    from annotator.corpus import importing
    monkeypatch.setattr(importing, "BATCH_SHARE", 4)
    monkeypatch.setattr(importing, "BATCH_MIN", 2)

    def committed(path, n, most=6, text=10**9, length=0):
        path.write_text("".join(json.dumps({"text": f"{path.stem} {i:03d}.".ljust(length, "x")})
                                + "\n" for i in range(n)))
        after = []   # articles in the project after each batch's commit
        task = Task(lambda *_: after.append(db.execute(
            "SELECT count(*) FROM articles").fetchone()[0]))
        batches = importing.Batches(most, text)
        assert import_paths(db, [path], task=task, batches=batches).imported == n
        return sorted(set(after))
    # 2 while the project is under 12 articles, then a quarter of it, never over 6
    assert committed(tmp_path / "a.jsonl", 30) == [2, 4, 6, 8, 10, 12, 15, 18, 22, 27]
    assert committed(tmp_path / "b.jsonl", 20) == [36, 42, 48]   # then the last 2
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 50
    assert importing.batch_for(0, 6) == 2 and importing.batch_for(10**6, 6) == 6
    # the window's imports stop growing sooner: the analyst's edits wait for one batch
    assert committed(tmp_path / "c.jsonl", 10, most=3) == [53, 56, 59]
    assert importing.batch_for(10**6, 3) == 3 and importing.batch_for(0, 1) == 1
    # and a batch ends at its budget of text, however few its articles: 3 of 100 characters
    assert committed(tmp_path / "d.jsonl", 10, text=250, length=100) == [63, 66, 69]
    assert importing.WINDOW_BATCHES.articles < importing.BATCHES.articles
    assert importing.WINDOW_BATCHES.text < importing.BATCHES.text
    for bad in ((0, 10), (10, 0)):
        with pytest.raises(ValueError):
            importing.Batches(*bad)
    with pytest.raises(ValueError, match="batch_size"):
        import_paths(db, [tmp_path / "a.jsonl"], batch_size=0)


def test_cancel_keeps_what_was_read(db, tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps({"text": f"t{i}"}) + "\n" for i in range(10)))
    calls = []
    report = import_paths(db, [path], task=Task(cancel=lambda: calls.append(1) or len(calls) >= 4))
    assert report.cancelled and report.imported == 4
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 4


@pytest.mark.slow
def test_jsonl_import_streams(db, tmp_path):
    path = tmp_path / "stream.jsonl"
    body = "word " * 200
    with open(path, "w") as fh:
        for i in range(20000):
            fh.write(json.dumps({"id": i, "text": f"{i} {body}"}) + "\n")
    size = path.stat().st_size
    tracemalloc.start()
    report = import_paths(db, [path])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert report.imported == 20000
    assert peak < size / 4, f"peak {peak} bytes for a {size}-byte file"


def test_dates_not_in_iso_form_are_reported(db, tmp_path):
    path = tmp_path / "dates.csv"
    path.write_text("text,date\nOne article.,14/01/2026\nTwo article.,2026-01-15\n"
                    "Three article.,\"Jan 20, 2026\"\n", encoding="utf-8")
    report = import_paths(db, [path])
    assert report.imported == 3
    (warning,) = [w for w in report.warnings if "YYYY-MM-DD" in w]
    assert f"{path}:2" in warning and "2 published date(s)" in warning and "14/01/2026" in warning
