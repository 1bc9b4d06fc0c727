//! The database under pressure: locked by another process (waited for, then a clear
//! error, and the watcher retries), and a full disk (a clear error, no corruption, the
//! ingest resumes when space returns). Migration from earlier schemas is tested next to
//! the schema, in `crates/store/tests/migrations.rs`, with fixture databases.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use demarche_ingest::{ingest_paths, IngestOptions};
use demarche_store::{CheckpointPolicy, Store, StoreError};
use demarche_watch::{WatchConfig, WatchEvent, Watcher};

use crate::{assert_integrity, count, wait_until, write_statements, Helper, CURRENT};

/// Another process holding the database's write lock for `seconds`.
fn hold_lock(db: &Path, seconds: u64) -> Helper {
    let mut command = Helper::command();
    command.arg("hold-lock").arg(db).arg(seconds.to_string());
    let holder = Helper::spawn(command);
    holder.wait_for_line("locked", Duration::from_secs(20));
    holder
}

/// Another process reading the database for `seconds`: a read transaction that keeps
/// checkpoints from copying back the log written after it began.
fn hold_read(db: &Path, seconds: u64) -> Helper {
    let mut command = Helper::command();
    command.arg("hold-read").arg(db).arg(seconds.to_string());
    let holder = Helper::spawn(command);
    holder.wait_for_line("locked", Duration::from_secs(20));
    holder
}

/// Checkpoints after every commit, and the writer waiting for one after every batch.
const EAGER_CHECKPOINTS: CheckpointPolicy = CheckpointPolicy { start_pages: 1, limit_pages: 2 };

fn ingest(db: &Path, paths: &[PathBuf]) -> Result<demarche_ingest::Summary, StoreError> {
    let mut store = Store::open(db)?;
    ingest_paths(&mut store, paths, &IngestOptions::default(), |_| {})
}

#[test]
fn a_database_locked_by_another_process_is_waited_for_then_refused_with_a_clear_error() {
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("demarche.sqlite3");
    let files = write_statements(&work.path().join("inbox"), 0..3);
    ingest(&db, &files[..1]).unwrap();

    // A lock held for a moment is waited for: the write goes through when it is released.
    let holder = hold_lock(&db, 3);
    let started = Instant::now();
    let summary = ingest(&db, &files[1..2]).expect("waits for the lock");
    let waited = started.elapsed();
    holder.stop();
    assert_eq!(summary.ingested, 1);
    // The run's checkpointer opened its own connection while the lock was held, and
    // copied the log back once the write went through.
    assert_eq!(summary.checkpoints.checkpoints, 1, "{:?}", summary.checkpoints);
    assert!(summary.checkpoints.pages_copied > 0, "{:?}", summary.checkpoints);
    assert!(waited >= Duration::from_secs(2), "{waited:?}");

    // A lock held longer than the busy timeout is a clear, typed error.
    let holder = hold_lock(&db, 30);
    let started = Instant::now();
    let error = ingest(&db, &files[2..3]).expect_err("refused while locked");
    let gave_up = started.elapsed();
    holder.stop();
    println!("locked database: a 3 s lock was waited for ({waited:?}); a 30 s lock gave up after {gave_up:?}: {error}");
    assert!(matches!(error, StoreError::Locked { .. }), "{error:?}");
    assert!(error.is_transient());
    assert!(error.to_string().contains("locked by another process"), "{error}");

    // Once released, the same ingest succeeds, and nothing was half-written.
    assert_eq!(ingest(&db, &files[2..3]).unwrap().ingested, 1);
    assert_eq!(count(&db, CURRENT), 3);
    assert_integrity(&db);
}

#[test]
fn a_reader_holding_the_log_leaves_checkpoints_partial_and_the_run_still_finishes() {
    let work = tempfile::tempdir().unwrap();
    let db = work.path().join("demarche.sqlite3");
    // Enough files for several batches, so the writer meets the limit between them.
    let files = write_statements(&work.path().join("inbox"), 0..600);
    ingest(&db, &files[..1]).unwrap();

    // The reader's snapshot predates everything this run writes, so no checkpoint can
    // copy the run's log back; the writer waits for each one and goes on.
    let reader = hold_read(&db, 60);
    let options = IngestOptions { checkpoints: EAGER_CHECKPOINTS, ..IngestOptions::default() };
    let mut store = Store::open(&db).unwrap();
    let summary = ingest_paths(&mut store, &files[1..], &options, |_| {}).expect("not held up by a reader");
    reader.stop();
    let report = summary.checkpoints;
    println!("a reader holding the log: {} files stored, checkpointer {report:?}", summary.ingested);
    assert_eq!(summary.files, 599);
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert!(report.partial > 0 && report.limit_reached > 0, "{report:?}");

    // Once the reader has gone, the next run's checkpoints copy the whole log back.
    let summary = ingest_paths(&mut store, &files, &options, |_| {}).unwrap();
    assert_eq!(summary.files, 600);
    assert!(summary.checkpoints.pages_copied > 0, "{:?}", summary.checkpoints);
    let (_, log, copied): (i64, i64, i64) = store
        .connection()
        .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .unwrap();
    assert_eq!(log, copied, "nothing left in the log");
    assert_eq!(summary.ingested, 0);
    assert_integrity(&db);
}

fn start_watcher(inbox: &Path, db: &Path) -> (Watcher, Arc<Mutex<Vec<String>>>) {
    let mut config = WatchConfig::new(vec![inbox.to_path_buf()]);
    config.stability = Duration::from_millis(200);
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&events);
    let watcher = Watcher::start(Store::open(db).unwrap(), config, move |event: WatchEvent| {
        sink.lock().unwrap().push(event.to_string())
    })
    .unwrap();
    (watcher, events)
}

fn said(events: &Arc<Mutex<Vec<String>>>, needle: &str) -> bool {
    events.lock().unwrap().iter().any(|event| event.contains(needle))
}

#[test]
fn the_watcher_warns_about_a_locked_database_and_stores_the_file_once_it_is_released() {
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("inbox");
    fs::create_dir(&inbox).unwrap();
    let db = work.path().join("demarche.sqlite3");
    let (watcher, events) = start_watcher(&inbox, &db);
    let events_ = Arc::clone(&events);
    wait_until("catch-up scan", Duration::from_secs(10), move || said(&events_, "scanned"));

    let holder = hold_lock(&db, 14);
    let locked_at = Instant::now();
    write_statements(&inbox, 0..2);
    let events_ = Arc::clone(&events);
    wait_until("a warning about the lock", Duration::from_secs(30), move || {
        said(&events_, "locked by another process")
    });
    assert_eq!(count(&db, CURRENT), 0);
    holder.stop();
    let db_ = db.clone();
    wait_until("files stored after the lock is released", Duration::from_secs(30), move || {
        count(&db_, CURRENT) == 2
    });
    let stored_after = locked_at.elapsed();
    watcher.stop().expect("the watcher kept running");
    let events = events.lock().unwrap();
    println!("locked database under the watcher: files stored {stored_after:?} after the lock was taken (held 14 s)");
    let warnings: Vec<&String> =
        events.iter().filter(|event| event.starts_with("warning: the database is locked")).collect();
    assert_eq!(warnings.len(), 1, "warned once: {warnings:#?}");
    assert!(events.iter().any(|event| event.contains("can be written again")), "{events:?}");
    assert_integrity(&db);
}

#[test]
fn a_checkpoint_that_finds_the_disk_full_is_reported_and_nothing_is_lost() {
    let work = tempfile::tempdir().unwrap();
    // Room for the log of the 30 single-file commits below (about 4 MB) and for the
    // database a checkpoint makes of them (a few hundred KB), which must fit once the
    // filler is gone.
    let disk = match SmallDisk::mount(&work.path().join("small disk"), "5m") {
        Ok(disk) => disk,
        Err(reason) => {
            println!(
                "SKIPPED: cannot mount a small tmpfs to fill up ({reason}); run as root to include this test"
            );
            return;
        }
    };
    let db = disk.path.join("demarche.sqlite3");
    let files = write_statements(&work.path().join("inbox"), 0..30);
    // Commits go to the log while there is room; the checkpointer is told to wait for
    // the end, so its one checkpoint comes after the disk has filled up and needs the
    // database to grow by every page written.
    let mut store = Store::open(&db).unwrap();
    let never = CheckpointPolicy { start_pages: u32::MAX, limit_pages: u32::MAX };
    store.start_background_checkpoints(never).unwrap();
    for file in &files {
        demarche_ingest::ingest_file(&mut store, file, &IngestOptions::default()).unwrap();
    }
    let stored = count(&db, CURRENT);
    let filler = disk.fill();
    let error = store.stop_background_checkpoints().expect_err("the checkpoint cannot grow the database");
    println!("disk full under the checkpointer: {error}");
    assert!(matches!(error, StoreError::DiskFull { .. }), "{error:?}");
    assert!(error.is_transient());
    // Everything committed is still there, in the log.
    assert_eq!(count(&db, CURRENT), stored);

    // Space returns: the next run's checkpoints copy the log back, nothing was lost.
    fs::remove_file(&filler).unwrap();
    let options = IngestOptions { checkpoints: EAGER_CHECKPOINTS, ..IngestOptions::default() };
    let summary = ingest_paths(&mut store, &files, &options, |_| {}).unwrap();
    assert_eq!((summary.files, summary.ingested), (30, 0), "nothing new: {summary:?}");
    assert!(summary.checkpoints.pages_copied > 0, "{:?}", summary.checkpoints);
    drop(store);
    assert_eq!(count(&db, CURRENT), stored);
    assert_integrity(&db);
}

/// A size-limited file system mounted for one test, unmounted when dropped.
struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    /// Mounts a `size`-byte tmpfs at `path`, or says why it cannot.
    fn mount(path: &Path, size: &str) -> Result<SmallDisk, String> {
        fs::create_dir_all(path).map_err(|error| error.to_string())?;
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "demarche-fault-tmpfs"])
            .arg(path)
            .output()
            .map_err(|error| format!("cannot run mount: {error}"))?;
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).trim().to_string());
        }
        Ok(SmallDisk { path: path.to_path_buf() })
    }

    /// Fills the disk to the last byte with a file; returns its path.
    fn fill(&self) -> PathBuf {
        let filler = self.path.join("filler");
        let mut file = fs::File::create(&filler).unwrap();
        for chunk in [64 * 1024, 4096, 512, 1] {
            let block = vec![0u8; chunk];
            while file.write_all(&block).is_ok() {}
        }
        // Written bytes that did not fit may be buffered; nothing is, with a plain File.
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazily, so a connection still closing cannot keep the mount busy.
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

#[test]
fn a_full_disk_is_a_clear_error_without_corruption_and_ingest_resumes_when_space_returns() {
    let work = tempfile::tempdir().unwrap();
    let disk = match SmallDisk::mount(&work.path().join("small disk"), "4m") {
        Ok(disk) => disk,
        Err(reason) => {
            println!(
                "SKIPPED: cannot mount a small tmpfs to fill up ({reason}); run as root to include this test"
            );
            return;
        }
    };
    let db = disk.path.join("demarche.sqlite3");
    let oneoff = write_statements(&work.path().join("one-off"), 0..40);
    let inbox = work.path().join("inbox");
    fs::create_dir(&inbox).unwrap();
    let mut store = Store::open(&db).unwrap();
    ingest_paths(&mut store, &oneoff[..10], &IngestOptions::default(), |_| {}).unwrap();
    let before = crate::snapshot(&db);
    let (watcher, events) = start_watcher(&inbox, &db);
    let events_ = Arc::clone(&events);
    wait_until("catch-up scan", Duration::from_secs(10), move || said(&events_, "scanned"));

    // A one-off ingest: the run stops with a clear error.
    let filler = disk.fill();
    let error =
        ingest_paths(&mut store, &oneoff[10..], &IngestOptions::default(), |_| {}).expect_err("disk full");
    println!("disk full: {error}");
    assert!(matches!(error, StoreError::DiskFull { .. }), "{error:?}");
    assert!(error.to_string().contains("disk holding the database is full"));
    // Opening the database anew fails the same clear way while the disk is full.
    match Store::open(&db) {
        Ok(_) => println!("disk full: opening the database again still works (reading needs no space)"),
        Err(error) => println!("disk full: opening the database again: {error}"),
    }

    // The watcher: a warning, the files wait, and are stored once space returns.
    write_statements(&inbox, 100..120);
    let events_ = Arc::clone(&events);
    wait_until("a warning about the full disk", Duration::from_secs(30), move || {
        said(&events_, "disk holding the database is full")
    });
    fs::remove_file(&filler).unwrap();
    let freed = Instant::now();
    let db_ = db.clone();
    wait_until("the watched files stored after space returned", Duration::from_secs(60), move || {
        count(&db_, "SELECT count(*) FROM statements WHERE path LIKE '%/inbox/%'") == 20
    });
    let resumed = freed.elapsed();
    watcher.stop().expect("the watcher kept running");
    assert_integrity(&db);
    let after = crate::snapshot(&db);
    assert!(
        before["statements"].iter().all(|row| after["statements"].contains(row)),
        "earlier statements kept"
    );
    // The one-off run, run again, stores what it could not: nothing twice.
    drop(store);
    let mut store = Store::open(&db).unwrap();
    ingest_paths(&mut store, &oneoff, &IngestOptions::default(), |_| {}).unwrap();
    assert_eq!(count(&db, CURRENT), 60);
    assert_eq!(count(&db, "SELECT count(*) FROM statements"), 60, "nothing stored twice");
    assert_integrity(&db);
    println!(
        "disk full: the watcher warned and stored its 20 files \
         {resumed:?} after space returned; the one-off run resumed; 60 statements, integrity ok"
    );
}
