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
def m005_article_status_by_layer(db: Database) -> None:
    """The desk's status filters read one layer's articles of one status in id order from
    this index alone (``annotator.editing.article_rows``)."""
    db.execute("CREATE INDEX idx_article_status_layer_article "
               "ON article_status(layer_id, status, article_id)")


SUMMARY_TRIGGERS = [
    # one row per counted thing, kept by the transactions that write the rows counted
    """CREATE TRIGGER _counts_article_ai AFTER INSERT ON articles BEGIN
        INSERT INTO _counts(key, n) VALUES ('articles', 1)
            ON CONFLICT(key) DO UPDATE SET n = n + 1;
        INSERT INTO _counts(key, n) SELECT 'analyzed', 1 WHERE new.analyzed_at IS NOT NULL
            ON CONFLICT(key) DO UPDATE SET n = n + 1;
        INSERT INTO _counts(key, n) SELECT 'model:' || new.analyzed_model, 1
            WHERE new.analyzed_model IS NOT NULL ON CONFLICT(key) DO UPDATE SET n = n + 1;
    END""",
    """CREATE TRIGGER _counts_article_ad AFTER DELETE ON articles BEGIN
        UPDATE _counts SET n = n - 1 WHERE key = 'articles'
            OR (key = 'analyzed' AND old.analyzed_at IS NOT NULL)
            OR key = 'model:' || old.analyzed_model;
    END""",
    """CREATE TRIGGER _counts_article_au AFTER UPDATE OF analyzed_at, analyzed_model ON articles
    BEGIN
        UPDATE _counts SET n = n - 1 WHERE (key = 'analyzed' AND old.analyzed_at IS NOT NULL)
            OR key = 'model:' || old.analyzed_model;
        INSERT INTO _counts(key, n) SELECT 'analyzed', 1 WHERE new.analyzed_at IS NOT NULL
            ON CONFLICT(key) DO UPDATE SET n = n + 1;
        INSERT INTO _counts(key, n) SELECT 'model:' || new.analyzed_model, 1
            WHERE new.analyzed_model IS NOT NULL ON CONFLICT(key) DO UPDATE SET n = n + 1;
    END""",
    """CREATE TRIGGER _counts_entity_ai AFTER INSERT ON entities WHEN new.removed = 0 BEGIN
        INSERT INTO _counts(key, n) VALUES ('entities:' || new.label, 1)
            ON CONFLICT(key) DO UPDATE SET n = n + 1;
    END""",
    """CREATE TRIGGER _counts_entity_ad AFTER DELETE ON entities WHEN old.removed = 0 BEGIN
        UPDATE _counts SET n = n - 1 WHERE key = 'entities:' || old.label;
    END""",
    """CREATE TRIGGER _counts_entity_au AFTER UPDATE OF label, removed ON entities BEGIN
        UPDATE _counts SET n = n - 1 WHERE old.removed = 0 AND key = 'entities:' || old.label;
        INSERT INTO _counts(key, n) SELECT 'entities:' || new.label, 1 WHERE new.removed = 0
            ON CONFLICT(key) DO UPDATE SET n = n + 1;
    END""",
    """CREATE TRIGGER _quote_counts_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO _quote_counts(layer_id, status, speaker_id, topic_id, position_id, n)
        VALUES (new.layer_id, new.status, coalesce(new.speaker_id, 0), coalesce(new.topic_id, 0),
                coalesce(new.position_id, 0), 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    END""",
    """CREATE TRIGGER _quote_counts_ad AFTER DELETE ON quotes BEGIN
        UPDATE _quote_counts SET n = n - 1 WHERE layer_id = old.layer_id
            AND status = old.status AND speaker_id = coalesce(old.speaker_id, 0)
            AND topic_id = coalesce(old.topic_id, 0) AND position_id = coalesce(old.position_id, 0);
    END""",
    """CREATE TRIGGER _quote_counts_au AFTER UPDATE OF layer_id, status, speaker_id, topic_id,
        position_id ON quotes BEGIN
        UPDATE _quote_counts SET n = n - 1 WHERE layer_id = old.layer_id
            AND status = old.status AND speaker_id = coalesce(old.speaker_id, 0)
            AND topic_id = coalesce(old.topic_id, 0) AND position_id = coalesce(old.position_id, 0);
        INSERT INTO _quote_counts(layer_id, status, speaker_id, topic_id, position_id, n)
        VALUES (new.layer_id, new.status, coalesce(new.speaker_id, 0), coalesce(new.topic_id, 0),
                coalesce(new.position_id, 0), 1)
        ON CONFLICT DO UPDATE SET n = n + 1;
    END""",
]


@migrations()
def m006_summary_counts(db: Database) -> None:
    """Counts kept by triggers in the transactions that write what they count, so that the
    article list, ``stats`` and ``stats --by`` never rescan the corpus
    (``annotator.insights.summary``): ``_counts`` (articles, analysed, per model, entities per
    label) and ``_quote_counts`` (quotes per layer, status, speaker, topic and position; 0
    stands for none). Filled from the rows already there."""
    db.execute("CREATE TABLE _counts (key TEXT PRIMARY KEY, n INTEGER NOT NULL)")
    db.execute("""CREATE TABLE _quote_counts (
        layer_id INTEGER NOT NULL, status TEXT NOT NULL, speaker_id INTEGER NOT NULL,
        topic_id INTEGER NOT NULL, position_id INTEGER NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (layer_id, status, speaker_id, topic_id, position_id)) WITHOUT ROWID""")
    db.execute("INSERT INTO _counts(key, n) SELECT 'articles', count(*) FROM articles")
    db.execute("INSERT INTO _counts(key, n) SELECT 'analyzed', (SELECT count(*) FROM articles)"
               " - (SELECT count(*) FROM articles WHERE analyzed_at IS NULL)")
    db.execute("INSERT INTO _counts(key, n) SELECT 'model:' || analyzed_model, count(*) "
               "FROM articles WHERE analyzed_model IS NOT NULL GROUP BY analyzed_model")
    db.execute("INSERT INTO _counts(key, n) SELECT 'entities:' || label, count(*) "
               "FROM entities WHERE removed = 0 GROUP BY label")
    db.execute("INSERT INTO _quote_counts SELECT layer_id, status, coalesce(speaker_id, 0), "
               "coalesce(topic_id, 0), coalesce(position_id, 0), count(*) FROM quotes "
               "GROUP BY 1, 2, 3, 4, 5")
    for statement in SUMMARY_TRIGGERS:
        db.execute(statement)


@migrations()
def m007_fts_deferred(db: Database) -> None:
    """The FTS index of a batch of imported articles is written once at the end of the
    batch's transaction (``annotator.corpus.importing``), not row by row: while
    ``_fts_deferred`` holds a row (only ever inside that transaction) the insert trigger
    leaves the index alone."""
    db.execute("CREATE TABLE _fts_deferred (after_id INTEGER NOT NULL)")
    db.execute("DROP TRIGGER articles_ai")
    db.execute("""CREATE TRIGGER articles_ai AFTER INSERT ON articles
        WHEN NOT EXISTS (SELECT 1 FROM _fts_deferred) BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""")


@migrations()
def m008_quote_changes(db: Database) -> None:
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


@migrations()
def m009_speaker_notes(db: Database) -> None:
    """Free-text notes on a registry speaker (who they are, sources, coding decisions): a
    DNA entity's ``Notes`` attribute comes in here and goes back out (``corpus.dna``,
    ``export.dna``); NULL for none."""
    db.execute("ALTER TABLE speakers ADD COLUMN notes TEXT")


@migrations()
def m010_fts_merge_policy(db: Database) -> None:
    """FTS5 merges the index's segments 16 of a level at a time instead of 4 (``automerge``;
    ``crisismerge`` above it, so merges stay incremental): an article's postings are
    rewritten about half as often as the index grows, and an import into a large project no
    longer spends its merge budget on the old, large segments (issue 14: at 1,000,000
    articles that doubled the time of some imports). Searches read a few more segments."""
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('automerge', 16)")
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('crisismerge', 64)")


FTS_HASH_SIZE = 32 * 2**20   # m011


@migrations()
def m011_fts_batch_segments(db: Database) -> None:
    """FTS5 keeps up to 32 MiB of new postings in memory before it writes them as a segment
    (``hashsize``, 1 MiB by default): an import's batch becomes one segment instead of tens
    of small ones that the merges then rewrite (issue 14: a fifth of FTS time at 1,000,000
    articles). The memory is held only while one transaction writes that much to the index:
    an import's batch (at most 32 Mi characters of text) or a merge's new articles; FTS5
    counts the postings' bytes, so the process may grow by up to ~3x that for rare terms."""
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('hashsize', ?)",
               [FTS_HASH_SIZE])


def known() -> list[str]:
    """Names of every migration this version knows, in order: those ``Migrations.pending``
    (its public API) finds for an empty database."""
    return [m.name for m in migrations.pending(Database(memory=True))]
