//! Integration tests of the watcher on real temporary folders with real notifications:
//! files appear in the database without fixed sleeps, partial writes are never read,
//! files dropped while the watcher was stopped are ingested exactly once.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use demarche_store::Store;
use demarche_watch::{WatchConfig, WatchEvent, Watcher};

const SAMPLE: &str = "../../data/samples/2022-10-14_aliyev-cis-astana.txt";

struct Fixture {
    _dir: tempfile::TempDir,
    inbox: PathBuf,
    db: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox ünïcode");
        fs::create_dir(&inbox).unwrap();
        let db = dir.path().join("demarche.sqlite3");
        Fixture { inbox: fs::canonicalize(inbox).unwrap(), db, _dir: dir }
    }

    fn start(&self, configure: impl FnOnce(&mut WatchConfig)) -> (Watcher, Arc<Mutex<Vec<WatchEvent>>>) {
        let mut config = WatchConfig::new(vec![self.inbox.clone()]);
        configure(&mut config);
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&events);
        let store = Store::open(&self.db).unwrap();
        let watcher = Watcher::start(store, config, move |event| sink.lock().unwrap().push(event)).unwrap();
        (watcher, events)
    }

    fn count(&self, sql: &str) -> i64 {
        let store = Store::open(&self.db).unwrap();
        store.connection().query_row(sql, [], |row| row.get(0)).unwrap()
    }

    /// Polls the database until `sql` counts `expected`, or fails after `limit`.
    fn wait_for(&self, sql: &str, expected: i64, limit: Duration) -> Duration {
        let started = Instant::now();
        loop {
            let found = self.count(sql);
            if found == expected {
                return started.elapsed();
            }
            assert!(started.elapsed() < limit, "{sql}: still {found}, expected {expected} after {limit:?}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn sample_bytes() -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE)).unwrap()
}

const CURRENT: &str = "SELECT count(*) FROM statements WHERE superseded_at IS NULL";

#[test]
fn a_copied_file_appears_in_the_database_within_two_seconds() {
    let fixture = Fixture::new();
    let (watcher, events) = fixture.start(|_| {});
    fixture.wait_for("SELECT count(*) FROM ingest_log", 0, Duration::from_secs(1));
    fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE), fixture.inbox.join("2022-10-14_speech.txt"))
        .unwrap();
    let latency = fixture.wait_for(CURRENT, 1, Duration::from_secs(2));
    println!("drop-to-database latency: {latency:?} (stability delay 500 ms)");
    watcher.stop().unwrap();
    let events = events.lock().unwrap();
    assert!(events
        .iter()
        .any(|event| matches!(event, WatchEvent::File(report) if report.to_string().contains("ingested"))));
}

#[test]
fn a_file_written_in_chunks_is_read_once_and_complete() {
    let fixture = Fixture::new();
    let (watcher, _) = fixture.start(|config| config.stability = Duration::from_millis(400));
    let content = sample_bytes();
    let path = fixture.inbox.join("slow.txt");
    let mut file = fs::File::create(&path).unwrap();
    for chunk in content.chunks(content.len() / 5 + 1) {
        file.write_all(chunk).unwrap();
        file.flush().unwrap();
        // Pauses shorter than the quiet period: the file is never stable mid-write.
        std::thread::sleep(Duration::from_millis(150));
    }
    drop(file);
    fixture.wait_for(CURRENT, 1, Duration::from_secs(5));
    watcher.stop().unwrap();
    assert_eq!(fixture.count("SELECT count(*) FROM statements"), 1, "no partial version was stored");
    let stored_chars = fixture.count("SELECT length(text) FROM statement_texts");
    assert_eq!(stored_chars as usize, String::from_utf8(content).unwrap().chars().count(), "the whole text");
    assert_eq!(fixture.count("SELECT count(*) FROM ingest_log WHERE outcome = 'failed'"), 0);
}

#[test]
fn files_dropped_while_stopped_are_ingested_once_on_restart() {
    let fixture = Fixture::new();
    let (watcher, _) = fixture.start(|_| {});
    watcher.stop().unwrap();
    fs::write(fixture.inbox.join("while-closed.txt"), "Russia accused Ukraine of shelling the plant.")
        .unwrap();
    fs::create_dir(fixture.inbox.join("sub")).unwrap();
    fs::write(fixture.inbox.join("sub/also.md"), "# Note\nChina condemned the visit.").unwrap();

    let (watcher, _) = fixture.start(|_| {});
    fixture.wait_for(CURRENT, 2, Duration::from_secs(5));
    watcher.stop().unwrap();

    // A second restart finds nothing new: nothing is read twice, nothing logged again.
    let log_before = fixture.count("SELECT count(*) FROM ingest_log");
    let (watcher, events) = fixture.start(|_| {});
    let finished = Instant::now();
    while !events.lock().unwrap().iter().any(|event| matches!(event, WatchEvent::ScanFinished { .. })) {
        assert!(finished.elapsed() < Duration::from_secs(5), "catch-up scan finishes");
        std::thread::sleep(Duration::from_millis(20));
    }
    watcher.stop().unwrap();
    assert_eq!(fixture.count(CURRENT), 2);
    assert_eq!(fixture.count("SELECT count(*) FROM ingest_log"), log_before);
    let events = events.lock().unwrap();
    assert!(
        events.contains(&WatchEvent::ScanFinished { root: fixture.inbox.clone(), files: 2, queued: 0 }),
        "{events:?}"
    );
}

#[test]
fn renames_are_followed_deletions_keep_statements_and_temp_names_are_ignored() {
    let fixture = Fixture::new();
    let (watcher, _) = fixture.start(|config| config.stability = Duration::from_millis(200));
    // A browser-style download: written under a temporary name, then renamed.
    let partial = fixture.inbox.join("statement.txt.part");
    fs::write(&partial, "Iran accused Israel of sabotage at the site.").unwrap();
    fs::rename(&partial, fixture.inbox.join("statement.txt")).unwrap();
    fixture.wait_for(CURRENT, 1, Duration::from_secs(5));

    fs::create_dir(fixture.inbox.join("archive")).unwrap();
    fs::rename(fixture.inbox.join("statement.txt"), fixture.inbox.join("archive/statement.txt")).unwrap();
    fixture.wait_for("SELECT count(*) FROM ingest_log WHERE outcome = 'moved'", 1, Duration::from_secs(5));
    let path_sql =
        "SELECT count(*) FROM statements WHERE path LIKE '%/archive/statement.txt' AND file_gone = 0";
    assert_eq!(fixture.count(path_sql), 1);

    fs::remove_file(fixture.inbox.join("archive/statement.txt")).unwrap();
    fixture.wait_for("SELECT count(*) FROM statements WHERE file_gone = 1", 1, Duration::from_secs(5));
    watcher.stop().unwrap();
    assert_eq!(fixture.count(CURRENT), 1, "a deleted file keeps its statement");
    assert_eq!(fixture.count("SELECT count(*) FROM files WHERE path LIKE '%.part'"), 0);
}

#[test]
fn polling_mode_finds_new_files_without_notifications() {
    let fixture = Fixture::new();
    let (watcher, _) = fixture.start(|config| {
        config.poll_interval = Some(Duration::from_millis(100));
        config.stability = Duration::from_millis(200);
    });
    fs::write(fixture.inbox.join("polled.txt"), "Japan protested the missile launch.").unwrap();
    fixture.wait_for(CURRENT, 1, Duration::from_secs(5));
    watcher.stop().unwrap();
}

#[test]
fn a_missing_watch_folder_is_a_clear_error() {
    let store = Store::open_in_memory().unwrap();
    let config = WatchConfig::new(vec![PathBuf::from("/nonexistent/demarche-inbox")]);
    let error = Watcher::start(store, config, |_| {}).err().expect("refused");
    assert!(error.to_string().contains("/nonexistent/demarche-inbox"), "{error}");
}
