"""Numbered schema migrations of a project file (sqlite-utils ``Migrations``).

Add a migration by appending a function ``mNNN_what`` decorated with ``@migrations()``;
never edit one that has shipped. The schema version is the number of migrations applied.
"""
from sqlite_utils import Database, Migrations

migrations = Migrations("quotebook")

SCHEMA_001 = [
    # -- the corpus ---------------------------------------------------------------------------
    """CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,          -- sha1 of the text: the article's id across projects
        text TEXT NOT NULL,                 -- immutable once imported; every offset points into it
        title TEXT, outlet TEXT, author TEXT, url TEXT, published TEXT,
        filename TEXT,                      -- the file it came from
        source_path TEXT,                   -- full path of that file at import
        source TEXT,                        -- the article's own name: record id, else file name
        meta TEXT NOT NULL DEFAULT '{}',    -- JSON: any other keys of the source record
        imported_at TEXT NOT NULL,
        analyzed_at TEXT,                   -- NULL until the NLP analysis has stored its results
        analyzed_model TEXT                 -- "name version" of the pipeline that analysed it
    )""",
    "CREATE INDEX idx_articles_unanalyzed ON articles(id) WHERE analyzed_at IS NULL",
    "CREATE INDEX idx_articles_published ON articles(published)",
    "CREATE INDEX idx_articles_outlet ON articles(outlet)",
    "CREATE INDEX idx_articles_source ON articles(source)",
    """CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id')""",
    """CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    # -- whose work ---------------------------------------------------------------------------
    """CREATE TABLE layers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('analyst', 'suggestions', 'gold')),
        created TEXT NOT NULL
    )""",
    """CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL CHECK ("end" > start),
        label TEXT NOT NULL,
        layer_id INTEGER REFERENCES layers(id) ON DELETE CASCADE,  -- NULL: the NER model's
        removed INTEGER NOT NULL DEFAULT 0  -- an analyst struck out a model entity
    )""",
    "CREATE INDEX idx_entities_article ON entities(article_id, start)",
    "CREATE INDEX idx_entities_layer ON entities(layer_id)",
    # -- the speaker registry -----------------------------------------------------------------
    """CREATE TABLE speakers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,                 -- canonical name
        role TEXT, organisation TEXT,
        kind TEXT NOT NULL DEFAULT 'person'
            CHECK (kind IN ('person', 'organisation', 'group', 'unnamed')),
        merged_into INTEGER REFERENCES speakers(id),
        created TEXT NOT NULL
    )""",
    "CREATE INDEX idx_speakers_name ON speakers(name COLLATE NOCASE)",
    """CREATE TABLE speaker_aliases (
        speaker_id INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        alias TEXT NOT NULL,
        PRIMARY KEY (speaker_id, alias)
    )""",
    "CREATE INDEX idx_speaker_aliases_alias ON speaker_aliases(alias COLLATE NOCASE)",
    # -- the codebook -------------------------------------------------------------------------
    """CREATE TABLE topics (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        "order" INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE positions (
        id INTEGER PRIMARY KEY,
        topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        hotkey TEXT, colour TEXT,
        "order" INTEGER NOT NULL DEFAULT 0,
        UNIQUE (topic_id, label)
    )""",
    "CREATE INDEX idx_positions_topic ON positions(topic_id, \"order\")",
    # -- quotes -------------------------------------------------------------------------------
    """CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL,   -- first fragment start, last fragment end
        kind TEXT NOT NULL DEFAULT 'direct' CHECK (kind IN ('direct', 'indirect', 'mixed')),
        speaker_id INTEGER REFERENCES speakers(id) ON DELETE SET NULL,
        speaker_start INTEGER, speaker_end INTEGER,       -- the speaker's mention in the text
        cue_start INTEGER, cue_end INTEGER,
        topic_id INTEGER REFERENCES topics(id) ON DELETE SET NULL,
        position_id INTEGER REFERENCES positions(id) ON DELETE SET NULL,
        status TEXT NOT NULL DEFAULT 'accepted'
            CHECK (status IN ('suggested', 'accepted', 'rejected')),
        confidence REAL,
        note TEXT NOT NULL DEFAULT '',
        origin_uuid TEXT,                   -- the suggestion (or other quote) it was copied from
        created TEXT NOT NULL, updated TEXT NOT NULL
    )""",
    "CREATE INDEX idx_quotes_article_layer ON quotes(article_id, layer_id, start)",
    "CREATE INDEX idx_quotes_layer ON quotes(layer_id, status)",
    "CREATE INDEX idx_quotes_speaker ON quotes(speaker_id)",
    "CREATE INDEX idx_quotes_position ON quotes(topic_id, position_id)",
    "CREATE INDEX idx_quotes_origin ON quotes(origin_uuid)",
    """CREATE TABLE quote_fragments (
        quote_id INTEGER NOT NULL REFERENCES quotes(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        start INTEGER NOT NULL, "end" INTEGER NOT NULL CHECK ("end" > start),
        PRIMARY KEY (quote_id, ord)
    )""",
    # -- workflow and review ------------------------------------------------------------------
    """CREATE TABLE article_status (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        layer_id INTEGER NOT NULL REFERENCES layers(id) ON DELETE CASCADE,
        status TEXT NOT NULL DEFAULT 'todo'
            CHECK (status IN ('todo', 'in_progress', 'done', 'skipped')),
        updated TEXT NOT NULL,
        PRIMARY KEY (article_id, layer_id)
    )""",
    "CREATE INDEX idx_article_status_layer ON article_status(layer_id, status)",
    """CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        quote_uuid TEXT,
        parent_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,
        author TEXT NOT NULL,
        body TEXT NOT NULL,
        resolved INTEGER NOT NULL DEFAULT 0,
        created TEXT NOT NULL
    )""",
    "CREATE INDEX idx_comments_article ON comments(article_id)",
    "CREATE INDEX idx_comments_quote ON comments(quote_uuid)",
    # -- internal -----------------------------------------------------------------------------
    """CREATE TABLE _events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,                        -- e.g. "quote:<uuid>", "article:12", "import"
        before TEXT, after TEXT             -- JSON
    )""",
    "CREATE INDEX idx_events_target ON _events(target)",
    """CREATE TABLE _settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
]


@migrations()
def m001_initial(db: Database) -> None:
    """The data model of DESIGN.md: every table, even those later features fill."""
    for statement in SCHEMA_001:
        db.execute(statement)


@migrations()
def m002_position_value(db: Database) -> None:
    """A position's value on its topic's scale (e.g. -1 oppose, 0 neutral, 1 support).

    Positions whose values have opposite signs are in conflict (the discourse network); a topic
    whose positions all have a value is ordered (ordinal agreement).
    """
    db.execute("ALTER TABLE positions ADD COLUMN value REAL")


@migrations()
def m003_speaker_merge_proposals(db: Database) -> None:
    """Pairs of registry speakers that may be one person (``Sergei``/``Sergey Lavrov``):
    proposed by the quote suggestions, settled by an analyst, never merged silently."""
    db.execute("""CREATE TABLE speaker_merge_proposals (
        id INTEGER PRIMARY KEY,
        speaker_id INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        other_id INTEGER NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
        reason TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'proposed'
            CHECK (status IN ('proposed', 'accepted', 'rejected')),
        created TEXT NOT NULL,
        UNIQUE (speaker_id, other_id)
    )""")
    db.execute("CREATE INDEX idx_merge_proposals_status ON speaker_merge_proposals(status)")


@migrations()
def m004_comment_reason(db: Database) -> None:
    """Why a reviewer settled a quote as they did (e.g. ``boundaries``, ``speaker``), kept
    with the comment that explains it (``annotator.review_edits``)."""
    db.execute("ALTER TABLE comments ADD COLUMN reason TEXT")


@migrations()
def m007_quote_changes(db: Database) -> None:
    """A log of the quotes that changed (inserted, edited, deleted, or their article's outlet
    or date edited), written by triggers in the transaction that changes them: the Insights
    counts keep the quotes' columns in memory and re-read only these
    (``annotator.insights.cube``). The log keeps its last 100,000 entries or so."""
    db.execute("CREATE TABLE _quote_changes (seq INTEGER PRIMARY KEY, quote_id INTEGER NOT NULL)")
    for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
        db.execute(f"""CREATE TRIGGER quotes_changed_{event.lower()} AFTER {event} ON quotes
            BEGIN INSERT INTO _quote_changes(quote_id) VALUES ({row}.id); END""")
    db.execute("""CREATE TRIGGER articles_placed AFTER UPDATE OF outlet, published ON articles
        BEGIN INSERT INTO _quote_changes(quote_id)
              SELECT id FROM quotes WHERE article_id = new.id; END""")
    db.execute("""CREATE TRIGGER quote_changes_pruned AFTER INSERT ON _quote_changes
        WHEN new.seq % 10000 = 0
        BEGIN DELETE FROM _quote_changes WHERE seq <= new.seq - 100000; END""")


def known() -> list[str]:
    """Names of every migration this version knows, in order: those ``Migrations.pending``
    (its public API) finds for an empty database."""
    return [m.name for m in migrations.pending(Database(memory=True))]
