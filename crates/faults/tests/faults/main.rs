//! The reliability fault suite: bursts, slow writers, crashes, moving files, hostile
//! files, a locked or full database, old schemas, fuzz corpora and injection attempts.
//! Each test breaks the pipeline on purpose and checks that nothing is lost, nothing is
//! doubled, nothing crashes and every failure is recorded with its reason.
//!
//! CI runs smaller but real variants; `DEMARCHE_FAULTS_FULL=1` runs the sizes of the
//! issue (10,000-file burst, five kills during a 5,000-file ingest). Every test prints
//! its figures (counts, time, peak memory) with `--nocapture`.

mod burst;
mod crash;
mod database;
mod fuzz_corpus;
mod hostile;
mod moving_ground;
mod security;
mod slow_writer;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use demarche_store::Store;

/// Whether to run the full sizes of the issue rather than the CI sizes.
pub fn full() -> bool {
    std::env::var_os("DEMARCHE_FAULTS_FULL").is_some_and(|value| !value.is_empty() && value != "0")
}

/// `small` in CI, `large` with `DEMARCHE_FAULTS_FULL=1`.
pub fn size(small: usize, large: usize) -> usize {
    if full() {
        large
    } else {
        small
    }
}

/// Counts with one SQL query on a fresh connection, as another reader would.
pub fn count(db: &Path, sql: &str) -> i64 {
    let store = Store::open(db).expect("database opens");
    store.connection().query_row(sql, [], |row| row.get(0)).expect("count query runs")
}

pub const CURRENT: &str = "SELECT count(*) FROM statements WHERE superseded_at IS NULL";

/// Waits until `done` holds, checking every 50 ms; panics with `what` after `limit`.
pub fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "{what}: not done after {limit:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    started.elapsed()
}

/// Everything a user can see in a database, independent of row ids and timestamps:
/// statements by content hash, their mentions and accusations, daily counts, and the
/// state of every file. Two databases with equal snapshots hold the same data.
pub fn snapshot(db: &Path) -> BTreeMap<&'static str, Vec<String>> {
    let store = Store::open(db).expect("database opens");
    let queries = [
        (
            "statements",
            "SELECT quote(sha256)||quote(path)||quote(item)||quote(format)||quote(encoding)||quote(title)
                    ||quote(date)||quote(source)||quote(speaker)||quote(speaker_country)||quote(url)||quote(text)
                    ||quote(superseded_at IS NULL)||quote(file_gone)
             FROM statements JOIN statement_texts ON statement_id = id",
        ),
        (
            "mentions",
            "SELECT quote(s.sha256)||quote(m.start)||quote(m.end)||quote(m.text)||quote(m.country)||quote(m.kind)
                    ||quote(m.sentence_start)||quote(m.sentence_end)
             FROM mentions m JOIN statements s ON s.id = m.statement_id",
        ),
        (
            "accusations",
            "SELECT quote(s.sha256)||quote(a.start)||quote(a.end)||quote(a.sentence)||quote(a.accuser)
                    ||quote(a.accused)||quote(a.cue)
                    ||quote((SELECT group_concat(category) FROM (SELECT category FROM accusation_categories
                             WHERE accusation_id = a.id ORDER BY category)))
             FROM accusations a JOIN statements s ON s.id = a.statement_id",
        ),
        ("daily_counts", "SELECT quote(day)||quote(country)||quote(measure)||quote(count) FROM daily_counts"),
        ("files", "SELECT quote(path)||quote(size)||quote(sha256)||quote(state) FROM files"),
    ];
    queries
        .into_iter()
        .map(|(table, sql)| {
            let mut query = store.connection().prepare(sql).expect("snapshot query prepares");
            let mut rows: Vec<String> =
                query.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
            rows.sort();
            (table, rows)
        })
        .collect()
}

/// Asserts two snapshots are equal, naming the first table and row that differ.
pub fn assert_same_data(found: &BTreeMap<&str, Vec<String>>, expected: &BTreeMap<&str, Vec<String>>) {
    for (table, rows) in expected {
        let found = &found[table];
        if found != rows {
            let missing = rows.iter().find(|row| !found.contains(row));
            let extra = found.iter().find(|row| !rows.contains(row));
            panic!(
                "{table}: {} rows, expected {}; first missing {missing:?}; first extra {extra:?}",
                found.len(),
                rows.len()
            );
        }
    }
}

/// Asserts SQLite's own consistency check passes.
pub fn assert_integrity(db: &Path) {
    let store = Store::open(db).expect("database opens");
    assert_eq!(store.integrity_check().unwrap(), Ok(()), "integrity_check of {}", db.display());
}

/// The helper process (`demarche-faults-helper`) with its output collected line by line.
pub struct Helper {
    child: Child,
    stdin: Option<ChildStdin>,
    pub lines: Arc<Mutex<Vec<String>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Helper {
    pub fn command() -> Command {
        Command::new(env!("CARGO_BIN_EXE_demarche-faults-helper"))
    }

    pub fn spawn(mut command: Command) -> Helper {
        command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit());
        let mut child = command.spawn().expect("helper starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&lines);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Helper { child, stdin, lines, reader: Some(reader) }
    }

    /// Starts a watcher process on `dir` with the database `db`.
    pub fn watch(dir: &Path, db: &Path, stability_ms: u64) -> Helper {
        let mut command = Helper::command();
        command.arg("watch").arg(dir).arg(db).arg(stability_ms.to_string());
        Helper::spawn(command)
    }

    pub fn has_line(&self, needle: &str) -> bool {
        self.lines.lock().unwrap().iter().any(|line| line.contains(needle))
    }

    pub fn wait_for_line(&self, needle: &str, limit: Duration) {
        let lines = Arc::clone(&self.lines);
        wait_until(&format!("helper line {needle:?}"), limit, || {
            lines.lock().unwrap().iter().any(|line| line.contains(needle))
        });
    }

    /// Kills the process with SIGKILL: no clean-up, no flushing, mid-transaction.
    pub fn kill_9(mut self) {
        self.child.kill().expect("SIGKILL delivered");
        self.child.wait().expect("killed helper reaped");
        self.reader.take().map(|reader| reader.join());
    }

    /// Closes the helper's input so it stops cleanly; returns its output.
    pub fn stop(mut self) -> Vec<String> {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.flush();
        }
        let status = self.child.wait().expect("helper ends");
        self.reader.take().map(|reader| reader.join());
        let lines = self.lines.lock().unwrap().clone();
        assert!(status.success(), "helper failed ({status}); output: {lines:?}");
        lines
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        // A test that panicked leaves no helper running behind it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The peak resident memory a stopped watcher helper reported, in MiB.
pub fn peak_rss_mib(lines: &[String]) -> f64 {
    let kib: f64 = lines
        .iter()
        .find_map(|line| line.strip_prefix("peak-rss-kib "))
        .and_then(|value| value.parse().ok())
        .expect("helper reports its peak memory");
    kib / 1024.0
}

/// Writes generated statements `range` into `dir`; returns their paths.
pub fn write_statements(dir: &Path, range: std::ops::Range<usize>) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    range
        .map(|index| {
            let (name, bytes) = demarche_faults::corpus::statement(index);
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        })
        .collect()
}
