//! Crash: the watcher process is killed with SIGKILL at random moments while it ingests
//! a folder, restarted, killed again; at the end the database equals a clean ingest of
//! the same files: same statements, mentions, accusations and daily counts, no
//! duplicates, and SQLite's integrity check passes.

use std::fs;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use demarche_faults::corpus::{statement, Rng};
use demarche_ingest::{ingest_paths, IngestOptions, BATCH_STATEMENTS};
use demarche_store::Store;

use crate::{assert_integrity, assert_same_data, count, size, snapshot, wait_until, Helper, CURRENT};

#[test]
fn killing_the_watcher_at_random_moments_leaves_the_database_a_clean_ingest_would() {
    // Enough files that every kill point leaves whole batches of the pipeline to come:
    // a batch commits up to `BATCH_STATEMENTS` at once, so a smaller run can jump from
    // the kill point straight to the end.
    let files = size(3_000, 5_000);
    let kills = size(3, 5);
    let seed = std::env::var("DEMARCHE_FAULTS_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos() as u64);
    println!("crash: seed {seed} (DEMARCHE_FAULTS_SEED={seed} repeats this run)");
    let mut rng = Rng::new(seed);

    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("inbox");
    fs::create_dir_all(inbox.join("sub folder")).unwrap();
    // Mostly single statements, one file in twenty a copy of another, and one in fifty
    // a JSON array of three statements, so a kill can fall between a file's statements.
    for index in 0..files {
        let folder = if index % 3 == 0 { inbox.join("sub folder") } else { inbox.clone() };
        let (name, bytes) = if index % 20 == 19 {
            let (name, bytes) = statement(index / 2);
            (format!("copy-{name}"), bytes)
        } else if index % 50 == 7 {
            let items: Vec<String> = (0..3)
                .map(|item| {
                    let (_, bytes) = statement(1_000_000 + index * 3 + item);
                    format!("{{\"text\": {:?}}}", String::from_utf8_lossy(&bytes))
                })
                .collect();
            (format!("batch-{index}.json"), format!("[{}]", items.join(",")).into_bytes())
        } else {
            statement(index)
        };
        fs::write(folder.join(name), bytes).unwrap();
    }

    let clean = work.path().join("clean.sqlite3");
    let started = Instant::now();
    let summary = ingest_paths(
        &mut Store::open(&clean).unwrap(),
        std::slice::from_ref(&inbox),
        &IngestOptions::default(),
        |_| {},
    )
    .unwrap();
    let clean_time = started.elapsed();
    let expected = count(&clean, CURRENT);
    println!(
        "crash: clean ingest of {files} files: {} statements, {} duplicates, {} failed in {clean_time:?}",
        summary.ingested,
        summary.duplicates,
        summary.failed.len()
    );
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);

    let db = work.path().join("crashed.sqlite3");
    // The first kill falls at a random moment of the start-up (opening the database,
    // the catch-up scan); the others when a random share of what is left is stored,
    // plus a few random milliseconds, so they land inside transactions as often as not.
    let mut landed_mid_ingest = 0;
    for kill in 1..=kills {
        let before = if db.exists() { count(&db, "SELECT count(*) FROM statements") } else { 0 };
        let watcher = Helper::watch(&inbox, &db, 200);
        let started = Instant::now();
        if kill == 1 {
            std::thread::sleep(Duration::from_millis(50 + rng.below(500)));
        } else {
            // At least two batches after the kill point, so the batch that crosses it
            // is not the last one and the kill falls before the ingest ends.
            let last_target = expected - 2 * BATCH_STATEMENTS as i64 - 1;
            let target = (before
                + ((expected - before) as f64 * (0.1 + 0.6 * rng.below(1000) as f64 / 1000.0)) as i64)
                .min(last_target)
                .max(before + 1);
            let db_ = db.clone();
            wait_until("the watcher reaches the kill point", Duration::from_secs(600), move || {
                count(&db_, "SELECT count(*) FROM statements") >= target
            });
            std::thread::sleep(Duration::from_millis(rng.below(20)));
        }
        let at = started.elapsed();
        watcher.kill_9();
        let stored = count(&db, "SELECT count(*) FROM statements");
        if stored > before && stored < expected {
            landed_mid_ingest += 1;
        }
        println!("crash: kill {kill} after {at:?}: {stored} of {expected} statements stored");
    }
    println!("crash: {landed_mid_ingest} of {kills} kills landed in the middle of the ingest");
    assert!(landed_mid_ingest >= kills - 1, "the kills did not land in the middle of the ingest");

    let watcher = Helper::watch(&inbox, &db, 200);
    let total_files = count(&clean, "SELECT count(*) FROM files");
    let db_ = db.clone();
    let finished = wait_until("the restarted watcher finishes", Duration::from_secs(1800), move || {
        count(&db_, "SELECT count(*) FROM files") == total_files && count(&db_, CURRENT) == expected
    });
    watcher.stop();
    println!("crash: final restart finished in {finished:?}");
    assert_integrity(&db);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM (SELECT sha256 FROM statements GROUP BY sha256 HAVING count(*) > 1)"
        ),
        0
    );
    let (found, wanted) = (snapshot(&db), snapshot(&clean));
    assert_same_data(&found, &wanted);
    println!(
        "crash: after {kills} kills the database equals the clean one: {} statements, {} mentions, {} accusations, \
         {} daily counts, {} files",
        wanted["statements"].len(),
        wanted["mentions"].len(),
        wanted["accusations"].len(),
        wanted["daily_counts"].len(),
        wanted["files"].len()
    );
    assert!(!wanted["accusations"].is_empty());
}
