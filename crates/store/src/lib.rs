//! The SQLite store: the single source of truth for statements, their mentions and
//! accusations, every file seen and every ingest outcome.
//!
//! Each statement is written in one transaction together with its mentions,
//! accusations, log entry and full-text entry, so a crash never leaves half a
//! statement; the ingest pipeline groups whole files into one transaction (`Batch`).
//! The database runs in WAL mode so the app can read while the watcher writes.

mod checkpoint;
mod corrections;
mod schema;
mod settings;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use demarche_doc::ReadStatement;
use demarche_extract::Analysis;
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;

pub use checkpoint::{CheckpointPolicy, CheckpointReport};
pub use corrections::{CorrectableStatement, CorrectedField, Correction};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open database {path}")]
    Open { path: String, source: rusqlite::Error },
    #[error("database {path} has schema version {found}, newer than this Démarche knows ({known}); update Démarche")]
    TooNew { path: String, found: i64, known: i64 },
    #[error("setting {key:?} cannot be read or written: {reason}")]
    Setting { key: String, reason: String },

    /// Another process held the database's write lock for longer than the busy timeout.
    #[error("the database is locked by another process (another Démarche, or a tool holding it open); gave up after waiting {} s", BUSY_TIMEOUT.as_secs())]
    Locked { source: rusqlite::Error },
    /// The disk holding the database is full; nothing was written.
    #[error("the disk holding the database is full; nothing was written (free some space and Démarche carries on; SQLite said: {source})")]
    DiskFull { source: rusqlite::Error },
    /// The background checkpointer could not be started.
    #[error("cannot start the checkpointer thread: {reason}")]
    Checkpointer { reason: String },
    #[error(transparent)]
    Sqlite(rusqlite::Error),
}

impl StoreError {
    /// Whether the same operation may succeed later without anything else changing:
    /// a lock that another process will release, or a disk that the user will clear.
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Locked { .. } | StoreError::DiskFull { .. })
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(source: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode;
        // In WAL mode a full disk often shows as a failure to grow the shared-memory
        // index (SQLITE_IOERR_SHMSIZE) rather than as SQLITE_FULL.
        const IOERR_SHMSIZE: i32 = rusqlite::ffi::SQLITE_IOERR_SHMSIZE;
        match &source {
            rusqlite::Error::SqliteFailure(error, _) => match error.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Locked { source },
                ErrorCode::DiskFull => StoreError::DiskFull { source },
                ErrorCode::SystemIoFailure if error.extended_code == IOERR_SHMSIZE => {
                    StoreError::DiskFull { source }
                }
                _ => StoreError::Sqlite(source),
            },
            _ => StoreError::Sqlite(source),
        }
    }
}

/// How long a write waits for another process to release the database.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The automatic checkpoint's threshold, in pages of log. Successive commits (a
/// statement, or a batch of files, each) rewrite the same index pages: checkpointing
/// every 16 MiB of log instead of every 4 MiB copies each such page back into the
/// database once instead of four times.
const AUTOCHECKPOINT_PAGES: i64 = 4000;

pub type Result<T> = std::result::Result<T, StoreError>;

/// The application identifier; the desktop app's data folder is named after it, so the
/// CLI and the app share one database by default.
pub const APP_IDENTIFIER: &str = "org.demarche.app";

/// The environment variable that overrides the database location.
pub const DATABASE_ENV: &str = "DEMARCHE_DB";

/// The default database: `DEMARCHE_DB` if set, else `demarche.sqlite3` in the platform's
/// application-data folder (on Linux `~/.local/share/org.demarche.app/`).
pub fn default_database_path() -> std::path::PathBuf {
    if let Some(path) = std::env::var_os(DATABASE_ENV).filter(|path| !path.is_empty()) {
        return path.into();
    }
    let base = dirs::data_dir().unwrap_or_else(|| std::env::temp_dir().join("demarche-data"));
    base.join(APP_IDENTIFIER).join("demarche.sqlite3")
}

/// What happened to a file, as recorded in the ingest log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A new statement (or a new version of one) was stored.
    Ok,
    /// The content was already stored; nothing new was written.
    Duplicate,
    /// The file could not be read; the reason says why.
    Failed,
    /// Known content turned up at a new path; the statement follows it.
    Moved,
    /// The file disappeared; its statements stay, marked "file gone".
    Gone,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Duplicate => "duplicate",
            Outcome::Failed => "failed",
            Outcome::Moved => "moved",
            Outcome::Gone => "gone",
        }
    }

    fn parse(value: &str) -> Outcome {
        match value {
            "ok" => Outcome::Ok,
            "duplicate" => Outcome::Duplicate,
            "moved" => Outcome::Moved,
            "gone" => Outcome::Gone,
            // The CHECK constraint admits nothing else.
            _ => Outcome::Failed,
        }
    }
}

/// Size and modification time of a file when it was read: what "unchanged" means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileFacts {
    pub size: u64,
    /// Modification time in nanoseconds since the Unix epoch.
    pub modified_ns: Option<i64>,
}

/// The last known state of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub path: String,
    pub facts: FileFacts,
    pub sha256: Option<String>,
    pub present: bool,
    pub last_outcome: Outcome,
    pub last_reason: Option<String>,
}

/// A stored statement as far as deduplication needs to know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    pub id: i64,
    pub path: String,
    pub item: i64,
    pub current: bool,
    pub file_gone: bool,
}

/// A statement ready to be stored.
#[derive(Debug, Clone, Copy)]
pub struct NewStatement<'a> {
    /// SHA-256 of the statement's content, hex: the identity used for deduplication.
    pub sha256: &'a str,
    pub path: &'a str,
    /// Position of the statement in its file (a JSON array holds several).
    pub item: usize,
    pub file: FileFacts,
    pub read: &'a ReadStatement,
    pub analysis: &'a Analysis,
}

/// The result of storing a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inserted {
    /// Stored under `id`; `superseded` lists earlier versions at the same path and item.
    New { id: i64, superseded: Vec<i64> },
    /// The same content is already stored.
    Duplicate { existing: StatementRef },
}

/// Counts over the whole database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Current statements (latest version of each).
    pub statements: i64,
    /// Every stored version, superseded ones included.
    pub statement_versions: i64,
    pub mentions: i64,
    pub accusations: i64,
    /// Files whose last attempt failed.
    pub failed_files: i64,
    /// Current statements whose file has disappeared.
    pub files_gone: i64,
    pub duplicates_reported: i64,
}

/// The counts the app keeps on screen: cheap at any size (`Store::totals`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Current statements (latest version of each).
    pub statements: i64,
    pub mentions: i64,
    pub accusations: i64,
    /// Files whose last attempt failed.
    pub failed_files: i64,
}

/// One line of the ingest log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    pub id: i64,
    pub at: String,
    pub path: String,
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub statement_id: Option<i64>,
}

/// A connection to a Démarche database.
pub struct Store {
    conn: Connection,
    /// The checkpointer of a bulk write, while one runs.
    checkpoints: Option<checkpoint::Background>,
}

impl Drop for Store {
    fn drop(&mut self) {
        // A run that ended without stopping its checkpointer (a panic on the way) still
        // unhooks it before the connection goes; its report has nobody to go to.
        if let Some(background) = self.checkpoints.take() {
            let _ = background.stop(&self.conn);
        }
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        let open_error = |source| StoreError::Open { path: path.display().to_string(), source };
        if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
            // A missing folder is created; if that fails, opening reports the real reason.
            let _ = std::fs::create_dir_all(parent);
        }
        let conn = Connection::open(path).map_err(open_error)?;
        Store::configure(conn, &path.display().to_string())
    }

    /// A private database in memory, for tests and for one-off work.
    pub fn open_in_memory() -> Result<Store> {
        Store::configure(Connection::open_in_memory()?, ":memory:")
    }

    fn configure(conn: Connection, label: &str) -> Result<Store> {
        // Another process (the app, a CLI run) may hold the write lock for a moment;
        // waiting is better than failing.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Each statement touches pages all over the mention, count and full-text indexes;
        // SQLite's default 2 MiB page cache makes most of those touches disk reads once
        // the database outgrows it. 64 MiB keeps the hot index pages of a million
        // statements in memory and stays well inside the app's memory budget.
        conn.pragma_update(None, "cache_size", -64 * 1024)?;
        conn.pragma_update(None, "wal_autocheckpoint", AUTOCHECKPOINT_PAGES)?;
        // Every write and every chart reuses a handful of statements; keep them compiled.
        conn.set_prepared_statement_cache_capacity(64);
        let mut store = Store { conn, checkpoints: None };
        store.migrate(label)?;
        Ok(store)
    }

    fn migrate(&mut self, label: &str) -> Result<()> {
        let known = schema::MIGRATIONS.len() as i64;
        let found = self.schema_version()?;
        if found > known {
            return Err(StoreError::TooNew { path: label.to_string(), found, known });
        }
        for (index, migration) in schema::MIGRATIONS.iter().enumerate().skip(found as usize) {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process opening the same database may have applied this migration
            // while this one waited for the write lock.
            let applied: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
            if applied <= index as i64 {
                tx.execute_batch(migration)?;
                tx.pragma_update(None, "user_version", index as i64 + 1)?;
            }
            tx.commit()?;
        }
        Ok(())
    }

    /// How many migrations this database has applied.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    /// The underlying connection, for read-only queries of other crates (charts, search).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// The statement stored with this content hash, if any.
    pub fn find_by_sha(&self, sha256: &str) -> Result<Option<StatementRef>> {
        find_by_sha(&self.conn, sha256)
    }

    /// Hands checkpoints to a thread of their own, on its own connection, until
    /// `stop_background_checkpoints`: what a bulk writer (an ingest run) does so its
    /// commits do not copy the log back themselves (see `checkpoint`). A checkpointer
    /// already running is kept.
    pub fn start_background_checkpoints(&mut self, policy: CheckpointPolicy) -> Result<()> {
        if self.checkpoints.is_none() {
            self.checkpoints = Some(checkpoint::Background::start(&self.conn, policy)?);
        }
        Ok(())
    }

    /// Runs a final checkpoint, stops the checkpointer and gives this connection its
    /// automatic checkpoint back. Reports what the checkpointer did, or its first
    /// failure that no `begin_batch` has returned yet. `None` if none was running.
    pub fn stop_background_checkpoints(&mut self) -> Result<Option<CheckpointReport>> {
        match self.checkpoints.take() {
            Some(background) => Ok(Some(background.stop(&self.conn)?)),
            None => Ok(None),
        }
    }

    /// Opens a batch: the writes of the ingest pipeline grouped into one transaction,
    /// committed together by `Batch::commit` or rolled back together when dropped.
    /// With a checkpointer running, its failure (a full disk) is returned here, and
    /// the batch waits for it if the log has reached its limit.
    pub fn begin_batch(&mut self) -> Result<Batch<'_>> {
        if let Some(background) = &self.checkpoints {
            background.before_write()?;
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(Batch { tx, unindexed: None, counts: PendingCounts::default() })
    }

    /// Stores a statement with its analysis in one transaction, superseding the current
    /// version at the same path and item, and logs the outcome. Content already stored
    /// is reported as a duplicate and logged as such.
    pub fn insert_statement(&mut self, statement: &NewStatement) -> Result<Inserted> {
        let mut batch = self.begin_batch()?;
        let inserted = batch.insert_statement(statement)?;
        batch.commit()?;
        Ok(inserted)
    }

    /// Stores several statements as `insert_statement` does, one after the other, in a
    /// single transaction: all of them or none. Committing once per batch instead of once
    /// per statement is what bulk loads (a prepared benchmark database) need to go fast.
    pub fn insert_statements(&mut self, statements: &[NewStatement]) -> Result<Vec<Inserted>> {
        let mut batch = self.begin_batch()?;
        let inserted =
            statements.iter().map(|statement| batch.insert_statement(statement)).collect::<Result<_>>()?;
        batch.commit()?;
        Ok(inserted)
    }

    /// Supersedes the current statements of `path` from item `first_item` on: the file
    /// now holds fewer statements than before.
    pub fn supersede_items_from(&mut self, path: &str, first_item: usize) -> Result<usize> {
        let mut batch = self.begin_batch()?;
        let superseded = batch.supersede_items_from(path, first_item)?;
        batch.commit()?;
        Ok(superseded)
    }

    /// Makes an earlier version current again, because its file went back to that
    /// content (an undo, a restored backup). The version current until now is
    /// superseded by it, and the count tables follow.
    pub fn reinstate_statement(&mut self, id: i64) -> Result<()> {
        let mut batch = self.begin_batch()?;
        batch.reinstate_statement(id)?;
        batch.commit()
    }

    /// Points a statement at the new path its content turned up at, and logs the move.
    pub fn move_statement(&mut self, id: i64, new_path: &str, item: usize) -> Result<()> {
        let mut batch = self.begin_batch()?;
        batch.move_statement(id, new_path, item)?;
        batch.commit()
    }

    /// Records what happened to a whole file, so later scans can tell it was handled.
    pub fn record_file(
        &mut self,
        path: &str,
        facts: FileFacts,
        sha256: Option<&str>,
        outcome: Outcome,
        reason: Option<&str>,
    ) -> Result<()> {
        upsert_file(&self.conn, path, facts, sha256, outcome, reason, &now())
    }

    /// Records a file that could not be read: a failed log entry with the reason, and the
    /// file's state, in one transaction.
    pub fn record_failure(&mut self, path: &str, facts: Option<FileFacts>, reason: &str) -> Result<()> {
        let mut batch = self.begin_batch()?;
        batch.record_failure(path, facts, reason)?;
        batch.commit()
    }

    /// Marks the file at `path`, or every file under the folder `path`, as gone: their
    /// statements stay, flagged "file gone". Returns how many files were marked.
    pub fn mark_gone(&mut self, path: &str) -> Result<usize> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let now = now();
        let prefix = format!("{}/", path.trim_end_matches('/'));
        let gone: Vec<String> = {
            let mut query = tx.prepare(
                "SELECT path FROM files WHERE state = 'present'
                 AND (path = ?1 OR (path >= ?2 AND path < ?2 || x'ff'))",
            )?;
            let rows = query.query_map(params![path, prefix], |row| row.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for file in &gone {
            tx.execute(
                "UPDATE files SET state = 'gone', last_outcome = 'gone', last_reason = NULL, updated_at = ?2
                 WHERE path = ?1",
                params![file, now],
            )?;
            tx.execute(
                "UPDATE statements SET file_gone = 1 WHERE path = ?1 AND superseded_at IS NULL",
                [file],
            )?;
            log(&tx, &now, file, Outcome::Gone, None, None)?;
        }
        tx.commit()?;
        Ok(gone.len())
    }

    /// The last known state of the file at `path`.
    pub fn file_record(&self, path: &str) -> Result<Option<FileRecord>> {
        let record = self
            .conn
            .prepare_cached(
                "SELECT path, size, modified_ns, sha256, state, last_outcome, last_reason
                 FROM files WHERE path = ?1",
            )?
            .query_row([path], |row| {
                Ok(FileRecord {
                    path: row.get(0)?,
                    facts: FileFacts { size: row.get::<_, i64>(1)? as u64, modified_ns: row.get(2)? },
                    sha256: row.get(3)?,
                    present: row.get::<_, String>(4)? == "present",
                    last_outcome: Outcome::parse(&row.get::<_, String>(5)?),
                    last_reason: row.get(6)?,
                })
            })
            .optional()?;
        Ok(record)
    }

    /// Paths of the files known to be present under the folder `root`.
    pub fn present_files_under(&self, root: &str) -> Result<Vec<String>> {
        let prefix = format!("{}/", root.trim_end_matches('/'));
        let mut query = self.conn.prepare(
            "SELECT path FROM files WHERE state = 'present' AND path >= ?1 AND path < ?1 || x'ff' ORDER BY path",
        )?;
        let rows = query.query_map([prefix], |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The counts the app keeps on screen (the dashboard's totals), read without
    /// scanning statements or the log: at a million statements the app asks for them at
    /// launch and after every batch the watcher stores, so each is an index range or a
    /// sum of the daily counts.
    pub fn totals(&self) -> Result<Totals> {
        let count = |sql: &str| -> Result<i64> {
            Ok(self.conn.prepare_cached(sql)?.query_row([], |row| row.get(0))?)
        };
        // The monthly counts already count the current statements with a date, and sum
        // their mentions and accusations; only the few without a date are counted row
        // by row (an index range). Joining every mention to its statement instead took
        // minutes at a million statements, reading each statement's row past its text.
        Ok(Totals {
            statements: count(
                "SELECT (SELECT coalesce(sum(count), 0) FROM monthly_counts WHERE measure = 'statements' AND country = '*')
                      + (SELECT count(*) FROM statements WHERE superseded_at IS NULL AND date IS NULL)",
            )?,
            mentions: count(
                "SELECT (SELECT coalesce(sum(count), 0) FROM monthly_counts WHERE measure = 'mentions')
                      + (SELECT count(*) FROM mentions WHERE statement_id IN
                            (SELECT id FROM statements WHERE superseded_at IS NULL AND date IS NULL))",
            )?,
            accusations: count(
                "SELECT (SELECT coalesce(sum(count), 0) FROM monthly_counts WHERE measure = 'accused')
                      + (SELECT count(*) FROM accusations WHERE statement_id IN
                            (SELECT id FROM statements WHERE superseded_at IS NULL AND date IS NULL))",
            )?,
            // No index serves this (a scan of the files' table); see docs/performance.md.
            failed_files: count("SELECT count(*) FROM files WHERE last_outcome = 'failed'")?,
        })
    }

    /// Counts over the whole database: the totals, and the counts only `demarche stats`
    /// shows, which scan the statements and the log.
    pub fn stats(&self) -> Result<Stats> {
        let count = |sql: &str| -> Result<i64> { Ok(self.conn.query_row(sql, [], |row| row.get(0))?) };
        let totals = self.totals()?;
        Ok(Stats {
            statements: totals.statements,
            statement_versions: count("SELECT count(*) FROM statements")?,
            mentions: totals.mentions,
            accusations: totals.accusations,
            failed_files: totals.failed_files,
            // Only the statements of files marked gone can be flagged, so those are the
            // rows to look at, not every statement.
            files_gone: count(
                "SELECT count(*) FROM files f CROSS JOIN statements s ON s.path = f.path
                 WHERE f.state = 'gone' AND s.superseded_at IS NULL AND s.file_gone = 1",
            )?,
            duplicates_reported: count("SELECT count(*) FROM ingest_log WHERE outcome = 'duplicate'")?,
        })
    }

    /// The newest `limit` entries of the ingest log, newest first; only failures if asked.
    pub fn ingest_log(&self, limit: usize, only_failed: bool) -> Result<Vec<LogEntry>> {
        let mut query = self.conn.prepare(
            "SELECT id, at, path, outcome, reason, statement_id FROM ingest_log
             WHERE (?1 = 0 OR outcome = 'failed') ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = query.query_map(params![only_failed as i64, limit as i64], |row| {
            Ok(LogEntry {
                id: row.get(0)?,
                at: row.get(1)?,
                path: row.get(2)?,
                outcome: Outcome::parse(&row.get::<_, String>(3)?),
                reason: row.get(4)?,
                statement_id: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The files whose latest outcome is a failure and that are still there, newest
    /// first, with the reason: what the activity view offers to retry.
    pub fn failed_files(&self, limit: usize) -> Result<Vec<LogEntry>> {
        let mut query = self.conn.prepare_cached(
            "SELECT rowid, updated_at, path, last_reason FROM files
             WHERE last_outcome = 'failed' AND state = 'present' ORDER BY updated_at DESC, path LIMIT ?1",
        )?;
        let rows = query.query_map([limit as i64], |row| {
            Ok(LogEntry {
                id: row.get(0)?,
                at: row.get(1)?,
                path: row.get(2)?,
                outcome: Outcome::Failed,
                reason: row.get(3)?,
                statement_id: None,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Runs SQLite's own consistency check; `Ok(())` when it reports "ok".
    pub fn integrity_check(&self) -> Result<std::result::Result<(), String>> {
        let report: String = self.conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
        Ok(if report == "ok" { Ok(()) } else { Err(report) })
    }
}

/// Writes grouped into one transaction: what the ingest pipeline's writer stores for
/// a run of files. Every write of a file (its statements, supersessions, moves,
/// corrections, file record and log entries) goes into the same batch, so a crash
/// leaves either the whole batch or none of it, never half a statement. Reads through
/// the batch see its own uncommitted writes: a second copy of content stored earlier in
/// the same batch is found as a duplicate.
pub struct Batch<'a> {
    tx: Transaction<'a>,
    /// The first and last id of the statements this batch added, which the full-text
    /// index does not hold yet.
    unindexed: Option<(i64, i64)>,
    /// The batch's changes to the count tables, written at commit.
    counts: PendingCounts,
}

impl Batch<'_> {
    /// Adds the batch's new statements to the full-text index, in one statement, and
    /// makes every write of the batch durable at once.
    ///
    /// One insert for the whole batch lets FTS5 write one segment per batch instead of
    /// one per statement (see the schema's version 3). New ids are allocated upwards
    /// and the batch holds the write lock, so every statement between the first and
    /// the last new id is one this batch added. No statement is deleted or has its
    /// title or text changed between being added and being indexed (nothing in the
    /// store does either to a statement it has just added), which the delete and
    /// update triggers rely on.
    pub fn commit(mut self) -> Result<()> {
        self.counts.write(&self.tx)?;
        if let Some((first, last)) = self.unindexed {
            self.tx
                .prepare_cached(
                    "INSERT INTO statements_fts (rowid, title, text)
                     SELECT s.id, s.title, t.text FROM statements s JOIN statement_texts t ON t.statement_id = s.id
                     WHERE s.id BETWEEN ?1 AND ?2",
                )?
                .execute([first, last])?;
        }
        self.tx.commit()?;
        Ok(())
    }

    /// The statement stored with this content hash, if any, this batch's own included.
    pub fn find_by_sha(&self, sha256: &str) -> Result<Option<StatementRef>> {
        find_by_sha(&self.tx, sha256)
    }

    /// Stores a statement as `Store::insert_statement` does, inside the batch.
    pub fn insert_statement(&mut self, statement: &NewStatement) -> Result<Inserted> {
        let inserted = insert_statement(&self.tx, statement, &now(), &mut self.counts)?;
        if let Inserted::New { id, .. } = &inserted {
            let id = *id;
            self.unindexed = Some(match self.unindexed {
                Some((first, last)) => (first.min(id), last.max(id)),
                None => (id, id),
            });
        }
        Ok(inserted)
    }

    /// Supersedes the current statements of `path` from item `first_item` on, as
    /// `Store::supersede_items_from` does.
    pub fn supersede_items_from(&mut self, path: &str, first_item: usize) -> Result<usize> {
        Ok(supersede(&self.tx, path, first_item as i64, i64::MAX, 0, &now(), &mut self.counts)?.len())
    }

    /// Makes an earlier version current again, as `Store::reinstate_statement` does.
    pub fn reinstate_statement(&mut self, id: i64) -> Result<()> {
        let tx = &self.tx;
        let (path, item, current): (String, i64, bool) = tx.query_row(
            "SELECT path, item, superseded_at IS NULL FROM statements WHERE id = ?1",
            [id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        if current {
            return Ok(());
        }
        let now = now();
        supersede(tx, &path, item, item, id, &now, &mut self.counts)?;
        tx.execute(
            "UPDATE statements SET superseded_at = NULL, superseded_by = NULL, file_gone = 0 WHERE id = ?1",
            [id],
        )?;
        adjust_counts(tx, id, 1, &mut self.counts)?;
        let reason = format!("the file went back to an earlier content, statement #{id}");
        log(tx, &now, &path, Outcome::Ok, Some(&reason), Some(id))
    }

    /// Points a statement at the new path its content turned up at, and logs the move.
    pub fn move_statement(&mut self, id: i64, new_path: &str, item: usize) -> Result<()> {
        let tx = &self.tx;
        let old_path: String =
            tx.query_row("SELECT path FROM statements WHERE id = ?1", [id], |row| row.get(0))?;
        tx.execute(
            "UPDATE statements SET path = ?2, item = ?3, file_gone = 0 WHERE id = ?1",
            params![id, new_path, item as i64],
        )?;
        let reason = format!("moved from {old_path}");
        log(tx, &now(), new_path, Outcome::Moved, Some(&reason), Some(id))
    }

    /// Records what happened to a whole file, so later scans can tell it was handled.
    pub fn record_file(
        &mut self,
        path: &str,
        facts: FileFacts,
        sha256: Option<&str>,
        outcome: Outcome,
        reason: Option<&str>,
    ) -> Result<()> {
        upsert_file(&self.tx, path, facts, sha256, outcome, reason, &now())
    }

    /// Records a file that could not be read: a failed log entry with the reason, and the
    /// file's state.
    pub fn record_failure(&mut self, path: &str, facts: Option<FileFacts>, reason: &str) -> Result<()> {
        let now = now();
        log(&self.tx, &now, path, Outcome::Failed, Some(reason), None)?;
        let facts = facts.unwrap_or(FileFacts { size: 0, modified_ns: None });
        upsert_file(&self.tx, path, facts, None, Outcome::Failed, Some(reason), &now)
    }
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn find_by_sha(conn: &Connection, sha256: &str) -> Result<Option<StatementRef>> {
    let found = conn
        .prepare_cached(
            "SELECT id, path, item, superseded_at IS NULL, file_gone FROM statements WHERE sha256 = ?1",
        )?
        .query_row([sha256], |row| {
            Ok(StatementRef {
                id: row.get(0)?,
                path: row.get(1)?,
                item: row.get(2)?,
                current: row.get(3)?,
                file_gone: row.get(4)?,
            })
        })
        .optional()?;
    Ok(found)
}

/// Stores one statement with its analysis and log entry inside `tx`, or reports the
/// statement already stored with the same content.
fn insert_statement(
    tx: &Transaction,
    statement: &NewStatement,
    now: &str,
    counts: &mut PendingCounts,
) -> Result<Inserted> {
    if let Some(existing) = find_by_sha(tx, statement.sha256)? {
        let reason = format!("same content as statement #{} ({})", existing.id, existing.path);
        if existing.file_gone && existing.path == statement.path {
            tx.execute("UPDATE statements SET file_gone = 0 WHERE id = ?1", [existing.id])?;
        }
        log(tx, now, statement.path, Outcome::Duplicate, Some(&reason), Some(existing.id))?;
        return Ok(Inserted::Duplicate { existing });
    }
    let id = insert_statement_row(tx, statement, now)?;
    let superseded =
        supersede(tx, statement.path, statement.item as i64, statement.item as i64, id, now, counts)?;
    insert_analysis(tx, id, statement.analysis)?;
    adjust_counts(tx, id, 1, counts)?;
    log(tx, now, statement.path, Outcome::Ok, None, Some(id))?;
    Ok(Inserted::New { id, superseded })
}

fn insert_statement_row(tx: &Transaction, statement: &NewStatement, now: &str) -> Result<i64> {
    let read = statement.read;
    let meta = &read.meta;
    let value = |field: &Option<demarche_doc::Sourced<String>>| field.as_ref().map(|f| f.value.clone());
    let source = |field: &Option<demarche_doc::Sourced<String>>| field.as_ref().map(|f| f.source.as_str());
    tx.prepare_cached(
        "INSERT INTO statements (
            sha256, path, item, format, encoding,
            title, title_source, date, date_source, source, source_source,
            speaker, speaker_source, speaker_country, speaker_country_source, url, url_source,
            file_size, file_modified, ingested_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
    )?
    .execute(params![
        statement.sha256,
        statement.path,
        statement.item as i64,
        read.format.as_str(),
        read.encoding.map(|encoding| encoding.as_str()),
        value(&meta.title),
        source(&meta.title),
        meta.date.as_ref().map(|date| date.value.to_string()),
        meta.date.as_ref().map(|date| date.source.as_str()),
        value(&meta.source),
        source(&meta.source),
        value(&meta.speaker),
        source(&meta.speaker),
        value(&meta.speaker_country),
        source(&meta.speaker_country),
        value(&meta.url),
        source(&meta.url),
        statement.file.size as i64,
        statement.file.modified_ns.and_then(format_modified),
        now,
    ])?;
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO statement_texts (statement_id, text) VALUES (?1, ?2)")?
        .execute(params![id, read.text])?;
    Ok(id)
}

fn format_modified(nanos: i64) -> Option<String> {
    let time = chrono::DateTime::from_timestamp_nanos(nanos);
    Some(time.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// Supersedes the current statements of `path` with items in `first..=last`, except
/// `replacement` itself, and points them at `replacement` when it is a statement id.
fn supersede(
    tx: &Transaction,
    path: &str,
    first: i64,
    last: i64,
    replacement: i64,
    now: &str,
    counts: &mut PendingCounts,
) -> Result<Vec<i64>> {
    let ids: Vec<i64> = {
        let mut query = tx.prepare_cached(
            "SELECT id FROM statements WHERE path = ?1 AND item BETWEEN ?2 AND ?3
             AND superseded_at IS NULL AND id != ?4",
        )?;
        let rows = query.query_map(params![path, first, last, replacement], |row| row.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let superseded_by = (replacement != 0).then_some(replacement);
    for id in &ids {
        tx.execute(
            "UPDATE statements SET superseded_at = ?2, superseded_by = ?3 WHERE id = ?1",
            params![id, now, superseded_by],
        )?;
        adjust_counts(tx, *id, -1, counts)?;
    }
    Ok(ids)
}

/// The four count tables: name, period column, and the two key columns before it.
const COUNT_TABLES: [(&str, &str, &str); 4] = [
    ("daily_counts", "day", "measure, country"),
    ("monthly_counts", "month", "measure, country"),
    ("pair_counts", "day", "accuser, accused"),
    ("monthly_pair_counts", "month", "accuser, accused"),
];

/// Changes to the count tables not yet written, summed per row: (table index in
/// `COUNT_TABLES`, first key, second key, period) → change.
///
/// A batch writes each changed row once, at commit, instead of once per statement:
/// the statements of one batch mostly share their days, months and countries, and a
/// new version that replaces one of the same batch cancels out. Nothing reads the
/// count tables between the writes of a batch and its commit (the batch holds the
/// store), and a batch rolled back never wrote them.
#[derive(Debug, Default)]
pub(crate) struct PendingCounts(BTreeMap<(usize, String, String, String), i64>);

impl PendingCounts {
    fn add(&mut self, table: usize, first: &str, second: &str, period: &str, change: i64) {
        *self.0.entry((table, first.to_string(), second.to_string(), period.to_string())).or_default() +=
            change;
    }

    /// Writes the summed changes, one upsert per table over a JSON list of rows in key
    /// order, and deletes the rows that dropped to zero; then forgets them.
    pub(crate) fn write(&mut self, tx: &Transaction) -> Result<()> {
        for (index, (table, period, key)) in COUNT_TABLES.into_iter().enumerate() {
            let rows: Vec<(&str, &str, &str, i64)> = self
                .0
                .iter()
                .filter(|((at, ..), change)| *at == index && **change != 0)
                .map(|((_, first, second, when), change)| {
                    (first.as_str(), second.as_str(), when.as_str(), *change)
                })
                .collect();
            if rows.is_empty() {
                continue;
            }
            // `WHERE true` tells SQLite's parser that ON CONFLICT belongs to the INSERT.
            let upsert = format!(
                "INSERT INTO {table} ({key}, {period}, count)
                 SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?1) WHERE true
                 ON CONFLICT DO UPDATE SET count = count + excluded.count"
            );
            tx.prepare_cached(&upsert)?.execute([json(&rows)?])?;
            // Only a row that went down can have reached zero.
            let lowered: Vec<&(&str, &str, &str, i64)> = rows.iter().filter(|row| row.3 < 0).collect();
            if !lowered.is_empty() {
                let delete = format!(
                    "DELETE FROM {table} WHERE count = 0 AND ({key}, {period}) IN
                     (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?1))"
                );
                tx.prepare_cached(&delete)?.execute([json(&lowered)?])?;
            }
        }
        self.0.clear();
        Ok(())
    }
}

/// Adds (`sign` 1) or removes (`sign` -1) one statement's contribution to the count
/// tables, as changes in `counts` written before the transaction commits:
/// `daily_counts` and `monthly_counts` (mentions, mentioning statements, all
/// statements as country `*`, accusations against and by each country) and
/// `pair_counts` and `monthly_pair_counts` (accusations per accuser and accused).
/// Statements without a date count nowhere. Every path that changes what counts (a new
/// statement, a superseded or reinstated version, a correction) goes through here, so
/// the four tables always agree with the current statements and with each other. The
/// contribution is read now (a correction changes the date and the analysis between
/// the removal and the addition); only the writing waits.
pub(crate) fn adjust_counts(
    tx: &Transaction,
    statement_id: i64,
    sign: i64,
    counts: &mut PendingCounts,
) -> Result<()> {
    let day: Option<String> = tx
        .prepare_cached("SELECT date FROM statements WHERE id = ?1")?
        .query_row([statement_id], |row| row.get(0))?;
    let Some(day) = day else { return Ok(()) };
    let month = month_of(&day);
    let countries = |counts: &mut PendingCounts, measure: &str, country: &str, count: i64| {
        counts.add(0, measure, country, &day, sign * count);
        counts.add(1, measure, country, &month, sign * count);
    };
    countries(counts, "statements", "*", 1);
    {
        let mut mentions = tx.prepare_cached(
            "SELECT country, count(*) FROM mentions WHERE statement_id = ?1 GROUP BY country",
        )?;
        let rows = mentions.query_map([statement_id], |row| Ok((row.get::<_, String>(0)?, row.get(1)?)))?;
        for row in rows {
            let (country, count) = row?;
            countries(counts, "statements", &country, 1);
            countries(counts, "mentions", &country, count);
        }
    }
    let mut accusations = tx.prepare_cached(
        "SELECT accuser, accused, count(*) FROM accusations WHERE statement_id = ?1 GROUP BY accuser, accused",
    )?;
    let rows = accusations.query_map([statement_id], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get::<_, i64>(2)?))
    })?;
    for row in rows {
        let (accuser, accused, count) = row?;
        countries(counts, "accused", &accused, count);
        countries(counts, "accuser", &accuser, count);
        counts.add(2, &accuser, &accused, &day, sign * count);
        counts.add(3, &accuser, &accused, &month, sign * count);
    }
    Ok(())
}

/// The first day of the month of `day` ('2024-03-17' → '2024-03-01'), the key of the
/// monthly tables. Dates are stored as ISO days, so this is the migration's SQL
/// expression `substr(day, 1, length(day) - 2) || '01'`.
fn month_of(day: &str) -> String {
    format!("{}01", &day[..day.len().saturating_sub(2)])
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|error| StoreError::Sqlite(rusqlite::Error::ToSqlConversionFailure(Box::new(error))))
}

fn insert_analysis(tx: &Transaction, statement_id: i64, analysis: &Analysis) -> Result<()> {
    let mut mention = tx.prepare_cached(
        "INSERT INTO mentions (statement_id, start, end, text, country, kind, sentence_start, sentence_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for m in &analysis.mentions {
        mention.execute(params![
            statement_id,
            m.start as i64,
            m.end as i64,
            m.text,
            m.country,
            m.kind.as_str(),
            m.sentence_start as i64,
            m.sentence_end as i64
        ])?;
    }
    let mut accusation = tx.prepare_cached(
        "INSERT INTO accusations (statement_id, start, end, sentence, accuser, accused, cue)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut category = tx.prepare_cached(
        "INSERT OR IGNORE INTO accusation_categories (accusation_id, category) VALUES (?1, ?2)",
    )?;
    for a in &analysis.accusations {
        accusation.execute(params![
            statement_id,
            a.start as i64,
            a.end as i64,
            a.sentence,
            a.accuser,
            a.accused,
            a.cue
        ])?;
        let accusation_id = tx.last_insert_rowid();
        for name in &a.categories {
            category.execute(params![accusation_id, name])?;
        }
    }
    Ok(())
}

fn log(
    conn: &Connection,
    at: &str,
    path: &str,
    outcome: Outcome,
    reason: Option<&str>,
    statement: Option<i64>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ingest_log (at, path, outcome, reason, statement_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![at, path, outcome.as_str(), reason, statement])?;
    Ok(())
}

fn upsert_file(
    conn: &Connection,
    path: &str,
    facts: FileFacts,
    sha256: Option<&str>,
    outcome: Outcome,
    reason: Option<&str>,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO files (path, size, modified_ns, sha256, state, last_outcome, last_reason, updated_at)
         VALUES (?1, ?2, ?3, ?4, 'present', ?5, ?6, ?7)
         ON CONFLICT (path) DO UPDATE SET size = excluded.size, modified_ns = excluded.modified_ns,
             sha256 = excluded.sha256, state = 'present', last_outcome = excluded.last_outcome,
             last_reason = excluded.last_reason, updated_at = excluded.updated_at",
    )?
    .execute(params![
        path,
        facts.size as i64,
        facts.modified_ns,
        sha256,
        outcome.as_str(),
        reason,
        now
    ])?;
    Ok(())
}

#[cfg(test)]
mod tests;
