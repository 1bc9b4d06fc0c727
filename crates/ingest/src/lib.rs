//! From a path on disk to statements in the store: read the file safely (size cap,
//! regular files only, re-checked after reading), parse it, extract, deduplicate by
//! content, follow moves, and record every outcome, failures included.
//!
//! This is the one ingest pipeline; the CLI and the folder watcher both call it.
//!
//! Reading, parsing and analysis run on reader threads, and one writer stores the
//! results in scan order, a batch of files per transaction (see `pipeline`). Parsing
//! and analysing a file runs under a time limit: a file that takes longer is recorded
//! as failed ("timed out") and the pipeline moves on to the next file. Threads cannot be
//! killed, so the runaway parser is left to finish on its own; its result is discarded.

mod correct;
mod ignore;
mod pipeline;

use std::fs::{self, File, Metadata};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, UNIX_EPOCH};

use chrono::{DateTime, NaiveDateTime};
use demarche_doc::{FileInput, ReadStatement};
use demarche_extract::{analyze, Context};
use demarche_store::{
    Batch, CheckpointPolicy, CheckpointReport, FileFacts, Inserted, NewStatement, Outcome, Store, StoreError,
};
use pipeline::{Job, Retry};
use sha2::{Digest, Sha256};

pub use correct::{correct_statement, CorrectionError};
pub use ignore::{is_ignored, is_ignored_name};
pub use pipeline::BATCH_STATEMENTS;

/// Limits that protect the pipeline from hostile or accidental input.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files larger than this are refused with the reason.
    pub max_file_size: u64,
    /// Parsing and analysing one file may take at most this long; a file that takes
    /// longer is recorded as failed, and the files after it are not held up.
    pub time_limit: Duration,
    /// When the run's checkpointer copies the write-ahead log back into the database
    /// (on its own thread and connection, see `demarche_store::CheckpointPolicy`).
    pub checkpoints: CheckpointPolicy,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            // Statements are a few kilobytes; 64 MiB leaves room for long PDF reports
            // while keeping a stray video or disk image out of memory.
            max_file_size: 64 * 1024 * 1024,
            // A 64 MiB text is read and analysed in a few seconds; a minute is only
            // exceeded by a file that makes a parser loop or crawl.
            time_limit: Duration::from_secs(60),
            checkpoints: CheckpointPolicy::default(),
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// The file was read; each of its statements was stored, found already stored, or
    /// followed from the path it was at before.
    Stored { new: Vec<i64>, duplicates: Vec<i64>, moved: Vec<i64> },
    /// The file could not be read; the failure is recorded with this reason.
    Failed { reason: String },
    /// The file changed while it was being read; nothing was stored. Read it again once
    /// it is stable.
    Changed,
}

/// One file and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    pub path: PathBuf,
    pub outcome: FileOutcome,
}

impl std::fmt::Display for FileReport {
    /// One log line per file outcome, as the CLI prints it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.path.display();
        match &self.outcome {
            FileOutcome::Stored { new, duplicates, moved } => {
                let mut parts = Vec::new();
                if !new.is_empty() {
                    parts.push(format!("ingested {}", statement_list(new)));
                }
                if !duplicates.is_empty() {
                    parts.push(format!("duplicate of {}", statement_list(duplicates)));
                }
                if !moved.is_empty() {
                    parts.push(format!("moved {}", statement_list(moved)));
                }
                if parts.is_empty() {
                    parts.push("no statements".to_string());
                }
                write!(f, "{path}: {}", parts.join(", "))
            }
            FileOutcome::Failed { reason } => write!(f, "{path}: failed: {reason}"),
            FileOutcome::Changed => write!(f, "{path}: changed while being read, will retry"),
        }
    }
}

fn statement_list(ids: &[i64]) -> String {
    let ids: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
    format!("statement {}", ids.join(", "))
}

/// Totals over one ingest run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub ingested: usize,
    pub duplicates: usize,
    pub moved: usize,
    /// Every file that failed, with its reason.
    pub failed: Vec<(PathBuf, String)>,
    /// What the run's checkpointer did.
    pub checkpoints: CheckpointReport,
}

impl Summary {
    pub fn add(&mut self, report: &FileReport) {
        self.files += 1;
        match &report.outcome {
            FileOutcome::Stored { new, duplicates, moved } => {
                self.ingested += new.len();
                self.duplicates += duplicates.len();
                self.moved += moved.len();
            }
            FileOutcome::Failed { reason } => self.failed.push((report.path.clone(), reason.clone())),
            FileOutcome::Changed => {}
        }
    }
}

/// The facts that tell whether a file changed: size and modification time.
pub fn file_facts(metadata: &Metadata) -> FileFacts {
    let modified_ns = metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .and_then(|since| i64::try_from(since.as_nanos()).ok());
    FileFacts { size: metadata.len(), modified_ns }
}

/// Reads one file into the store and records the outcome, all in one transaction. Only
/// a database failure is an error; anything wrong with the file itself is a recorded
/// `Failed` outcome.
pub fn ingest_file(
    store: &mut Store,
    path: &Path,
    options: &IngestOptions,
) -> Result<FileReport, StoreError> {
    let prepared = prepare(path, options);
    let mut batch = store.begin_batch()?;
    let (report, _) = store_prepared(&mut batch, prepared)?;
    batch.commit()?;
    Ok(report)
}

/// A file as a reader thread hands it to the writer: read and analysed, or why not.
/// Nothing in it has touched the store yet.
enum Prepared {
    /// The file's statements, with the size and modification time they were read under.
    Read { path: PathBuf, facts: FileFacts, file_sha: String, statements: Parsed },
    /// The file cannot be read; `key` is the path the failure is recorded under, which
    /// differs from the reported `path` only for a given path that cannot be resolved.
    Failed { path: PathBuf, key: String, facts: Option<FileFacts>, reason: String },
    /// The file changed while it was being read.
    Changed { path: PathBuf },
}

/// Reads, hashes, parses and analyses one file, touching no store: the work that runs
/// on the reader threads.
fn prepare(path: &Path, options: &IngestOptions) -> Prepared {
    let failed =
        |facts, reason| Prepared::Failed { path: path.to_path_buf(), key: path_key(path), facts, reason };
    let (bytes, facts) = match read_stable(path, options) {
        Ok(Some(read)) => read,
        Ok(None) => return Prepared::Changed { path: path.to_path_buf() },
        Err((facts, reason)) => return failed(facts, reason),
    };
    let file_sha = hex_sha256(&bytes);
    let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let modified = facts.modified_ns.map(|nanos| DateTime::from_timestamp_nanos(nanos).naive_utc());
    match parse_within(file_name, bytes, modified, options.time_limit) {
        Ok(statements) => Prepared::Read { path: path.to_path_buf(), facts, file_sha, statements },
        Err(reason) => failed(Some(facts), reason),
    }
}

/// `prepare`, reading a file that changed while being read again a few times before
/// giving up on it as failed.
fn prepare_with_retries(path: &Path, options: &IngestOptions) -> Prepared {
    const ATTEMPTS: u64 = 5;
    for attempt in 1..=ATTEMPTS {
        let prepared = prepare(path, options);
        if !matches!(prepared, Prepared::Changed { .. }) {
            return prepared;
        }
        std::thread::sleep(Duration::from_millis(200 * attempt));
    }
    let facts = fs::metadata(path).ok().map(|metadata| file_facts(&metadata));
    let reason = "file kept changing while being read".to_string();
    Prepared::Failed { path: path.to_path_buf(), key: path_key(path), facts, reason }
}

impl Prepared {
    /// How many statements storing this file writes, for sizing the writer's batches.
    fn statement_count(&self) -> usize {
        match self {
            Prepared::Read { statements, .. } => statements.len(),
            Prepared::Failed { .. } | Prepared::Changed { .. } => 0,
        }
    }
}

/// Stores a prepared file inside `batch`: its statements (new, duplicate, moved or
/// reinstated), corrections carried over, the supersession of items it no longer
/// holds, and its file record; or the recorded failure. Returns the report and how
/// many statements the file held.
fn store_prepared(batch: &mut Batch, prepared: Prepared) -> Result<(FileReport, usize), StoreError> {
    let count = prepared.statement_count();
    let (path, facts, file_sha, statements) = match prepared {
        Prepared::Read { path, facts, file_sha, statements } => (path, facts, file_sha, statements),
        Prepared::Failed { path, key, facts, reason } => {
            batch.record_failure(&key, facts, &reason)?;
            return Ok((FileReport { path, outcome: FileOutcome::Failed { reason } }, count));
        }
        Prepared::Changed { path } => return Ok((FileReport { path, outcome: FileOutcome::Changed }, count)),
    };
    let key = path_key(&path);
    let (mut new, mut duplicates, mut moved) = (Vec::new(), Vec::new(), Vec::new());
    for (item, (read, analysis)) in statements.iter().enumerate() {
        // A file with one statement is identified by its bytes, so two copies of a file
        // are duplicates whatever their names; the items of a JSON array by what was read.
        let sha = if statements.len() == 1 { file_sha.clone() } else { item_sha256(read) };
        if let Some(existing) = batch.find_by_sha(&sha)? {
            if existing.path != key && !Path::new(&existing.path).exists() {
                batch.move_statement(existing.id, &key, item)?;
                moved.push(existing.id);
                continue;
            }
            if existing.path == key && existing.item == item as i64 && !existing.current {
                // The file went back to an earlier content (an undo, a restored backup):
                // that version is the current one again.
                batch.reinstate_statement(existing.id)?;
                new.push(existing.id);
                continue;
            }
        }
        // A statement the user corrected keeps its corrections when read again.
        let inherited = correct::inherited(batch, &sha, &key, item)?;
        let corrected;
        let (read, analysis) = if inherited.is_empty() {
            (read, analysis)
        } else {
            corrected = correct::reapply(read, analysis, &inherited);
            batch.save_corrections(&sha, &corrected.2)?;
            (&corrected.0, &corrected.1)
        };
        let statement = NewStatement { sha256: &sha, path: &key, item, file: facts, read, analysis };
        match batch.insert_statement(&statement)? {
            Inserted::New { id, .. } => new.push(id),
            Inserted::Duplicate { existing } => duplicates.push(existing.id),
        }
    }
    batch.supersede_items_from(&key, statements.len())?;
    let outcome = if new.is_empty() && moved.is_empty() { Outcome::Duplicate } else { Outcome::Ok };
    batch.record_file(&key, facts, Some(&file_sha), outcome, None)?;
    Ok((FileReport { path, outcome: FileOutcome::Stored { new, duplicates, moved } }, count))
}

/// Reads and analyses one file without storing anything: what `demarche extract` shows.
/// The same limits and checks as ingest apply; the error is the reason shown to the user.
pub fn analyze_file(path: &Path, options: &IngestOptions) -> Result<Parsed, String> {
    let (bytes, facts) = match read_stable(path, options) {
        Ok(Some(read)) => read,
        Ok(None) => return Err("file changed while being read".to_string()),
        Err((_, reason)) => return Err(reason),
    };
    let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let modified = facts.modified_ns.map(|nanos| DateTime::from_timestamp_nanos(nanos).naive_utc());
    parse_within(file_name, bytes, modified, options.time_limit)
}

/// The key a file is stored under: its path as text. Paths that are not valid Unicode
/// are kept readable with replacement characters.
pub fn path_key(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Each statement of a file with its analysis.
pub type Parsed = Vec<(ReadStatement, demarche_extract::Analysis)>;

/// How much stack a parse worker gets: as much as a main thread, since the readers
/// recurse over nested documents (bounded, but deeper than a default thread allows).
const WORKER_STACK: usize = 8 * 1024 * 1024;

/// Parses and analyses a file's bytes on a worker thread, giving up after `limit`.
fn parse_within(
    file_name: String,
    bytes: Vec<u8>,
    modified: Option<NaiveDateTime>,
    limit: Duration,
) -> Result<Parsed, String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::Builder::new()
        .name("demarche-parse".into())
        .stack_size(WORKER_STACK)
        .spawn(move || {
            // After a time-out nobody listens any more; the result is dropped.
            let _ = sender.send(parse(&file_name, &bytes, modified));
        })
        .map_err(|error| format!("cannot start a reader thread: {error}"))?;
    match receiver.recv_timeout(limit) {
        Ok(result) => result,
        Err(RecvTimeoutError::Timeout) => Err(format!(
            "timed out: reading and analysing took longer than the {} limit",
            human_duration(limit)
        )),
        Err(RecvTimeoutError::Disconnected) => Err("the reader stopped without a result".to_string()),
    }
}

fn human_duration(duration: Duration) -> String {
    if duration >= Duration::from_secs(1) {
        format!("{} s", duration.as_secs_f64())
    } else {
        format!("{} ms", duration.as_millis())
    }
}

/// Parses and analyses a file's bytes. A panic in a parser (third-party PDF code, say)
/// becomes a failure of this one file instead of taking the whole app down.
fn parse(file_name: &str, bytes: &[u8], modified: Option<NaiveDateTime>) -> Result<Parsed, String> {
    let input = FileInput { file_name, bytes, modified };
    let result = catch_unwind(AssertUnwindSafe(|| {
        demarche_doc::read(&input).map(|statements| {
            statements
                .into_iter()
                .map(|read| {
                    let speaker_country = read.meta.speaker_country.as_ref().map(|c| c.value.as_str());
                    let analysis = analyze(&read.text, Context { speaker_country });
                    (read, analysis)
                })
                .collect()
        })
    }));
    match result {
        Ok(Ok(statements)) => Ok(statements),
        Ok(Err(error)) => Err(error.to_string()),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".to_string());
            Err(format!("the reader crashed on this file ({message})"))
        }
    }
}

/// A file's bytes with the size and modification time they were read under.
type StableRead = (Vec<u8>, FileFacts);

/// Why a file could not be read, with its size and modification time when known.
type ReadFailure = (Option<FileFacts>, String);

/// Reads a regular file whole, refusing it when over the size cap, and re-checks its
/// size and modification time afterwards. `Ok(None)` means it changed during the read.
fn read_stable(path: &Path, options: &IngestOptions) -> Result<Option<StableRead>, ReadFailure> {
    let describe = |error: std::io::Error| describe_io_error(&error);
    let before = fs::metadata(path).map_err(|error| (None, describe(error)))?;
    let facts = file_facts(&before);
    if !before.is_file() {
        let reason = if before.is_dir() {
            "a folder, not a file"
        } else {
            "not a regular file (a device, pipe or socket)"
        };
        return Err((Some(facts), reason.to_string()));
    }
    let too_large = |size: u64| {
        format!("file is {}, over the {} size limit", human_size(size), human_size(options.max_file_size))
    };
    if facts.size > options.max_file_size {
        return Err((Some(facts), too_large(facts.size)));
    }
    let mut bytes = Vec::with_capacity(facts.size as usize);
    File::open(path)
        .and_then(|file| file.take(options.max_file_size + 1).read_to_end(&mut bytes))
        .map_err(|error| (Some(facts), describe(error)))?;
    if bytes.len() as u64 > options.max_file_size {
        return Err((Some(facts), too_large(bytes.len() as u64)));
    }
    let after = fs::metadata(path).map_err(|error| (Some(facts), describe(error)))?;
    if file_facts(&after) != facts || bytes.len() as u64 != facts.size {
        return Ok(None);
    }
    Ok(Some((bytes, facts)))
}

fn describe_io_error(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "file disappeared before it could be read".to_string(),
        ErrorKind::PermissionDenied => "permission denied: Démarche may not read this file".to_string(),
        _ if error.raw_os_error() == Some(40) => "symbolic link loop (too many levels of links)".to_string(),
        _ => format!("cannot read file: {error}"),
    }
}

fn human_size(bytes: u64) -> String {
    const MIB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The identity of one statement among several in a file: its text and metadata, so the
/// same item in two files is a duplicate and a changed item is a new version.
fn item_sha256(read: &ReadStatement) -> String {
    let canonical = serde_json::to_vec(read).unwrap_or_else(|_| read.text.clone().into_bytes());
    hex_sha256(&canonical)
}

/// Every candidate statement file under `root` (or `root` itself when it is a file),
/// in a stable order, skipping ignored names. Entries that cannot be listed (a symlink
/// loop, an unreadable folder) come back as errors with their path and reason.
pub fn scan(root: &Path) -> impl Iterator<Item = Result<PathBuf, (PathBuf, String)>> {
    let root = root.to_path_buf();
    let filter_root = root.clone();
    walkdir::WalkDir::new(&root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |entry| entry.depth() == 0 || !is_ignored(&filter_root, entry.path()))
        .filter_map(move |entry| match entry {
            Ok(entry) if entry.file_type().is_dir() => None,
            Ok(entry) => Some(Ok(entry.into_path())),
            Err(error) => {
                let path = error.path().unwrap_or(&root).to_path_buf();
                let reason = if error.loop_ancestor().is_some() {
                    "symbolic link loop (a folder links back to its own ancestor)".to_string()
                } else {
                    error.io_error().map(describe_io_error).unwrap_or_else(|| error.to_string())
                };
                Some(Err((path, reason)))
            }
        })
}

/// Ingests files and folders once, calling `on_report` for every file in scan order,
/// and returns the totals. A file that keeps changing while being read is retried a few
/// times, then recorded as failed.
///
/// Files are read and analysed on reader threads and stored by this thread in batches
/// (see `pipeline`); a file is reported once its batch is committed. On a database
/// error the batch being written is rolled back, its files are not reported, and the
/// error is returned: the files of committed batches stay stored and reported.
pub fn ingest_paths(
    store: &mut Store,
    paths: &[PathBuf],
    options: &IngestOptions,
    mut on_report: impl FnMut(&FileReport),
) -> Result<Summary, StoreError> {
    let jobs = paths.iter().flat_map(|given| -> Box<dyn Iterator<Item = Job> + Send> {
        match fs::canonicalize(given) {
            Ok(root) => Box::new(scan(&root).map(|entry| match entry {
                Ok(path) => Job::Read(path),
                Err((path, reason)) => Job::Failed { key: path_key(&path), path, reason },
            })),
            Err(error) => {
                let absolute = std::path::absolute(given).unwrap_or_else(|_| given.clone());
                let reason = describe_io_error(&error);
                Box::new(std::iter::once(Job::Failed {
                    path: given.clone(),
                    key: path_key(&absolute),
                    reason,
                }))
            }
        }
    });
    let mut summary = Summary::default();
    let checkpoints = pipeline::run(store, jobs, options, Retry::WhileChanging, |report| {
        on_report(&report);
        summary.add(&report);
    })?;
    summary.checkpoints = checkpoints;
    Ok(summary)
}

/// Ingests the given files, as the watcher does once they are stable, calling
/// `on_report` for every file in the given order once it is committed. A file that
/// changed while being read is reported as `Changed` and not retried: the watcher waits
/// for it to settle again. Files are read on reader threads and stored in batches, as
/// `ingest_paths` does.
pub fn ingest_files(
    store: &mut Store,
    paths: &[PathBuf],
    options: &IngestOptions,
    on_report: impl FnMut(FileReport),
) -> Result<(), StoreError> {
    let jobs = paths.iter().map(|path| Job::Read(path.clone()));
    pipeline::run(store, jobs, options, Retry::Never, on_report).map(|_| ())
}
