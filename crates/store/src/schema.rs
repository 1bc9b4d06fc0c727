//! The database schema as an ordered list of migrations.
//!
//! `PRAGMA user_version` holds how many migrations a database has applied; opening a
//! database applies the rest, each in its own transaction. Migrations are append-only:
//! a released migration is never edited, because databases in the field have run it.

/// Every migration, oldest first. Index `i` brings a database from version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    V1_INITIAL,
    V2_CORRECTIONS_AND_SETTINGS,
    V3_FULL_TEXT_BY_BATCH,
    V4_COUNTS_IN_PLACE_BY_MONTH_AND_PAIR,
    V5_TEXT_IN_ITS_OWN_TABLE,
];

const V1_INITIAL: &str = r#"
-- Every file Démarche has looked at, with what happened to it last. It lets the catch-up
-- scan skip files it has already handled and tells "file gone" from "never seen".
CREATE TABLE files (
    path          TEXT PRIMARY KEY,
    size          INTEGER NOT NULL,
    modified_ns   INTEGER,
    sha256        TEXT,
    state         TEXT NOT NULL CHECK (state IN ('present', 'gone')),
    last_outcome  TEXT NOT NULL CHECK (last_outcome IN ('ok', 'duplicate', 'failed', 'moved', 'gone')),
    last_reason   TEXT,
    updated_at    TEXT NOT NULL
);

-- One row per version of a statement. A statement is current while superseded_at is NULL;
-- a changed file at the same path adds a new row and supersedes the old one, which stays.
CREATE TABLE statements (
    id                      INTEGER PRIMARY KEY,
    sha256                  TEXT NOT NULL UNIQUE,
    path                    TEXT NOT NULL,
    item                    INTEGER NOT NULL DEFAULT 0,
    format                  TEXT NOT NULL,
    encoding                TEXT,
    title                   TEXT,
    title_source            TEXT,
    date                    TEXT,
    date_source             TEXT,
    source                  TEXT,
    source_source           TEXT,
    speaker                 TEXT,
    speaker_source          TEXT,
    speaker_country         TEXT,
    speaker_country_source  TEXT,
    url                     TEXT,
    url_source              TEXT,
    text                    TEXT NOT NULL,
    file_size               INTEGER NOT NULL,
    file_modified           TEXT,
    ingested_at             TEXT NOT NULL,
    superseded_at           TEXT,
    superseded_by           INTEGER REFERENCES statements (id),
    file_gone               INTEGER NOT NULL DEFAULT 0 CHECK (file_gone IN (0, 1))
);
CREATE INDEX statements_path ON statements (path, item);
CREATE INDEX statements_current_date ON statements (date) WHERE superseded_at IS NULL;

CREATE TABLE mentions (
    id            INTEGER PRIMARY KEY,
    statement_id  INTEGER NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
    start         INTEGER NOT NULL,
    end           INTEGER NOT NULL,
    text            TEXT NOT NULL,
    country         TEXT NOT NULL,
    kind            TEXT NOT NULL,
    sentence_start  INTEGER NOT NULL,
    sentence_end    INTEGER NOT NULL
);
CREATE INDEX mentions_statement ON mentions (statement_id);
CREATE INDEX mentions_country ON mentions (country);

CREATE TABLE accusations (
    id            INTEGER PRIMARY KEY,
    statement_id  INTEGER NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
    start         INTEGER NOT NULL,
    end           INTEGER NOT NULL,
    sentence      TEXT NOT NULL,
    accuser       TEXT NOT NULL,
    accused       TEXT NOT NULL,
    cue           TEXT NOT NULL
);
CREATE INDEX accusations_statement ON accusations (statement_id);
CREATE INDEX accusations_accused ON accusations (accused);

CREATE TABLE accusation_categories (
    accusation_id  INTEGER NOT NULL REFERENCES accusations (id) ON DELETE CASCADE,
    category       TEXT NOT NULL,
    PRIMARY KEY (accusation_id, category)
) WITHOUT ROWID;

-- Counts per day and country over current statements, kept in step with them in the same
-- transaction, so charts over years of statements read a few thousand rows. Measures:
-- mentions (of the country), statements (mentioning it; country '*' counts all
-- statements of the day), accused and accuser (accusations against and by it).
CREATE TABLE daily_counts (
    day      TEXT NOT NULL,
    country  TEXT NOT NULL,
    measure  TEXT NOT NULL CHECK (measure IN ('mentions', 'statements', 'accused', 'accuser')),
    count    INTEGER NOT NULL,
    PRIMARY KEY (day, country, measure)
) WITHOUT ROWID;
-- Charts read one measure, for a few countries or all of them, over a range of days.
CREATE INDEX daily_counts_measure ON daily_counts (measure, country, day, count);

-- Every outcome for every file seen, in order: the audit trail behind the activity view.
CREATE TABLE ingest_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT NOT NULL,
    path          TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('ok', 'duplicate', 'failed', 'moved', 'gone')),
    reason        TEXT,
    statement_id  INTEGER REFERENCES statements (id)
);
CREATE INDEX ingest_log_path ON ingest_log (path);

-- Full-text index over title and text; external content, kept in step by triggers.
CREATE VIRTUAL TABLE statements_fts USING fts5 (
    title, text,
    content = 'statements', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
    INSERT INTO statements_fts (statements_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER statements_fts_update AFTER UPDATE OF title, text ON statements BEGIN
    INSERT INTO statements_fts (statements_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO statements_fts (rowid, title, text) VALUES (new.id, new.title, new.text);
END;
"#;

const V2_CORRECTIONS_AND_SETTINGS: &str = r#"
-- A user's correction of a statement's date, speaker or speaker country. Keyed by the
-- content hash, so it follows the statement when its file moves; the ingest pipeline
-- carries it over to a new version of the statement at the same path and item. `value`
-- NULL clears the field; `original` is what was read from the file, for undoing.
CREATE TABLE corrections (
    sha256        TEXT NOT NULL,
    field         TEXT NOT NULL CHECK (field IN ('date', 'speaker', 'speaker_country')),
    value         TEXT,
    original      TEXT,
    original_source TEXT,
    corrected_at  TEXT NOT NULL,
    PRIMARY KEY (sha256, field)
) WITHOUT ROWID;

-- Settings of the app (watch folders, polling, stability delay) as JSON values, so the
-- database stays the one place that holds state.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;

-- The statement list sorts by ingest time; the filters list sources and speakers.
CREATE INDEX statements_current_ingested ON statements (ingested_at) WHERE superseded_at IS NULL;
CREATE INDEX statements_current_source ON statements (source COLLATE NOCASE) WHERE superseded_at IS NULL;
CREATE INDEX statements_current_speaker ON statements (speaker COLLATE NOCASE) WHERE superseded_at IS NULL;
"#;

const V3_FULL_TEXT_BY_BATCH: &str = r#"
-- New statements enter the full-text index once per batch, from the store's writer
-- (`Batch::commit`), instead of one by one from a trigger: a trigger makes every
-- statement insert open a savepoint, FTS5 writes its pending terms out as a new segment
-- at every savepoint, and merging those one-statement segments was a fifth of the cost
-- of storing a statement. The delete and update triggers stay: they are rare, and a
-- statement is always indexed by the time anything could change or remove it.
DROP TRIGGER statements_fts_insert;
"#;

const V4_COUNTS_IN_PLACE_BY_MONTH_AND_PAIR: &str = r#"
-- The daily counts keyed by (measure, country, day): an increment rewrites the count in
-- its row. Version 1 kept the count inside the key of its chart index, so every increment
-- deleted and re-inserted an index entry as well as updating the row. Charts read one
-- measure for some countries over a range of days, which is this key; the day-first
-- index serves the few days at the edges of a range that the monthly counts cannot.
CREATE TABLE daily_counts_v4 (
    measure  TEXT NOT NULL CHECK (measure IN ('mentions', 'statements', 'accused', 'accuser')),
    country  TEXT NOT NULL,
    day      TEXT NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (measure, country, day)
) WITHOUT ROWID;
INSERT INTO daily_counts_v4 (measure, country, day, count)
    SELECT measure, country, day, count FROM daily_counts WHERE count != 0 ORDER BY measure, country, day;
DROP TABLE daily_counts;
ALTER TABLE daily_counts_v4 RENAME TO daily_counts;
CREATE INDEX daily_counts_day ON daily_counts (measure, day);

-- The same counts per calendar month (`month` is the month's first day, 'YYYY-MM-01'),
-- kept in step in the same transactions: ranking ten years of countries reads about
-- thirty times fewer rows, and monthly, quarterly and yearly buckets are sums of months.
CREATE TABLE monthly_counts (
    measure  TEXT NOT NULL CHECK (measure IN ('mentions', 'statements', 'accused', 'accuser')),
    country  TEXT NOT NULL,
    month    TEXT NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (measure, country, month)
) WITHOUT ROWID;
INSERT INTO monthly_counts (measure, country, month, count)
    SELECT measure, country, substr(day, 1, length(day) - 2) || '01', sum(count) FROM daily_counts
    GROUP BY 1, 2, 3 HAVING sum(count) != 0;

-- Accusations per accuser and accused over current statements, per day and per month,
-- for the "who accuses whom" matrix, which otherwise joins every accusation to its
-- statement. The monthly table is keyed pair first (a matrix sums every month of each
-- pair); the daily one day first (it answers only the days at the edges of a range).
CREATE TABLE pair_counts (
    day      TEXT NOT NULL,
    accuser  TEXT NOT NULL,
    accused  TEXT NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (day, accuser, accused)
) WITHOUT ROWID;
CREATE TABLE monthly_pair_counts (
    accuser  TEXT NOT NULL,
    accused  TEXT NOT NULL,
    month    TEXT NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (accuser, accused, month)
) WITHOUT ROWID;

-- Speaker and source filters: a covering index range instead of a statement row per
-- candidate. A statement's row holds its text before `superseded_at`, so reading that
-- column from the row costs the text's overflow pages (minutes at a million
-- statements). `superseded_at` is a column of the index, not only its condition,
-- because SQLite counts a column named in the query as needed from the row unless the
-- index holds it. They replace version 2's one-column indexes, which they extend.
CREATE INDEX statements_current_speaker_date
    ON statements (speaker COLLATE NOCASE, date, superseded_at) WHERE superseded_at IS NULL;
CREATE INDEX statements_current_source_date
    ON statements (source COLLATE NOCASE, date, superseded_at) WHERE superseded_at IS NULL;
DROP INDEX statements_current_speaker;
DROP INDEX statements_current_source;

-- The pairs of the current statements, read through the new speaker index: it holds
-- every current statement with its date, so no statement row (and no text) is read.
INSERT INTO pair_counts (day, accuser, accused, count)
    SELECT s.date, a.accuser, a.accused, count(*)
    FROM statements s INDEXED BY statements_current_speaker_date
    JOIN accusations a ON a.statement_id = s.id
    WHERE s.superseded_at IS NULL AND s.date IS NOT NULL
    GROUP BY 1, 2, 3;
INSERT INTO monthly_pair_counts (accuser, accused, month, count)
    SELECT accuser, accused, substr(day, 1, length(day) - 2) || '01', sum(count) FROM pair_counts
    GROUP BY 1, 2, 3;
"#;

const V5_TEXT_IN_ITS_OWN_TABLE: &str = r#"
-- A statement's text in its own table, keyed by the statement's id. In the statement's
-- row the text (4 KB on average) spilled into overflow pages, and every column after it
-- (`superseded_at`, `file_gone`, ...) could only be read by walking them: the duplicate
-- check of every stored statement, and every query that looks a statement up by id (a
-- text-filtered chart, the statement list) read the text's pages too. The rows left are
-- a few hundred bytes, about ten to a page.
CREATE TABLE statement_texts (
    statement_id  INTEGER PRIMARY KEY REFERENCES statements (id) ON DELETE CASCADE,
    text          TEXT NOT NULL
);
INSERT INTO statement_texts (statement_id, text) SELECT id, text FROM statements ORDER BY id;

-- The full-text index reads its content from a view joining the two tables. Its terms
-- do not change, so the index built so far is moved to the new table as it is (FTS5's
-- shadow tables hold the same records whatever the content table is called) instead of
-- tokenising every statement again.
DROP TRIGGER statements_fts_delete;
DROP TRIGGER statements_fts_update;
ALTER TABLE statements_fts RENAME TO statements_fts_v4;
ALTER TABLE statements DROP COLUMN text;
CREATE VIEW statements_fts_content (id, title, text) AS
    SELECT s.id, s.title, t.text FROM statements s JOIN statement_texts t ON t.statement_id = s.id;
CREATE VIRTUAL TABLE statements_fts USING fts5 (
    title, text,
    content = 'statements_fts_content', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
DELETE FROM statements_fts_data;
INSERT INTO statements_fts_data SELECT * FROM statements_fts_v4_data;
DELETE FROM statements_fts_idx;
INSERT INTO statements_fts_idx SELECT * FROM statements_fts_v4_idx;
DELETE FROM statements_fts_docsize;
INSERT INTO statements_fts_docsize SELECT * FROM statements_fts_v4_docsize;
DELETE FROM statements_fts_config;
INSERT INTO statements_fts_config SELECT * FROM statements_fts_v4_config;
DROP TABLE statements_fts_v4;

-- New statements still enter the index once per batch (`Batch::commit`); a removed
-- statement, a changed title or a changed text leave it here. The removal runs before
-- the row goes, while the text it cascades to is still there.
CREATE TRIGGER statements_fts_delete BEFORE DELETE ON statements BEGIN
    INSERT INTO statements_fts (statements_fts, rowid, title, text)
        SELECT 'delete', old.id, old.title, text FROM statement_texts WHERE statement_id = old.id;
END;
CREATE TRIGGER statements_fts_update_title AFTER UPDATE OF title ON statements BEGIN
    INSERT INTO statements_fts (statements_fts, rowid, title, text)
        SELECT 'delete', old.id, old.title, text FROM statement_texts WHERE statement_id = old.id;
    INSERT INTO statements_fts (rowid, title, text)
        SELECT new.id, new.title, text FROM statement_texts WHERE statement_id = new.id;
END;
CREATE TRIGGER statements_fts_update_text AFTER UPDATE OF text ON statement_texts BEGIN
    INSERT INTO statements_fts (statements_fts, rowid, title, text)
        SELECT 'delete', old.statement_id, title, old.text FROM statements WHERE id = old.statement_id;
    INSERT INTO statements_fts (rowid, title, text)
        SELECT new.statement_id, title, new.text FROM statements WHERE id = new.statement_id;
END;

-- A statement's mentions with their countries, in one index range: what the count
-- upkeep reads for every statement it adds or removes, and what a chart filtered by
-- statement (text, speaker, source) sums per matching statement, without reading the
-- mention rows. It extends version 1's index on `statement_id` alone.
CREATE INDEX mentions_statement_country ON mentions (statement_id, country);
DROP INDEX mentions_statement;
"#;
