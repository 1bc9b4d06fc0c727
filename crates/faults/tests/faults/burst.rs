//! Burst: thousands of files copied into the watch folder at once, then a whole folder
//! tree moved in, while a watcher process runs. Exactly one statement per distinct
//! content, every duplicate reported, memory bounded.

use std::fs;
use std::time::{Duration, Instant};

use crate::{count, peak_rss_mib, size, wait_until, write_statements, Helper, CURRENT};

#[test]
fn a_burst_of_files_and_a_tree_moved_in_give_one_statement_per_distinct_content() {
    let burst = size(2_000, 10_000);
    let tree = size(400, 2_000);
    // One file in ten is a copy of another file's content under a different name.
    let copies = burst / 10;
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("inbox");
    fs::create_dir(&inbox).unwrap();
    let db = work.path().join("demarche.sqlite3");
    let watcher = Helper::watch(&inbox, &db, 500);
    watcher.wait_for_line("scanned", Duration::from_secs(30));

    let started = Instant::now();
    let distinct = burst - copies;
    write_statements(&inbox, 0..distinct);
    for index in 0..copies {
        let (name, bytes) = demarche_faults::corpus::statement(index * 7 % distinct);
        fs::write(inbox.join(format!("copy-{index}-{name}")), bytes).unwrap();
    }
    let written = started.elapsed();
    println!("burst: {burst} files written in {written:?}");
    // The tree is built outside the watch folder, then moved in with one rename.
    let staging = work.path().join("staging");
    for part in 0..tree / 100 {
        let first = distinct + part * 100;
        write_statements(&staging.join(format!("dossier {part}")).join("annexes"), first..first + 100);
    }
    let tree_distinct = tree / 100 * 100;
    fs::rename(&staging, inbox.join("moved-in tree")).unwrap();

    let expected = (distinct + tree_distinct) as i64;
    let files = (burst + tree_distinct) as i64;
    let db_ = db.clone();
    let took = wait_until("every file handled", Duration::from_secs(1800), move || {
        count(&db_, "SELECT count(*) FROM files") == files
    });
    let stats = (
        count(&db, CURRENT),
        count(&db, "SELECT count(*) FROM statements"),
        count(&db, "SELECT count(*) FROM ingest_log WHERE outcome = 'duplicate'"),
        count(&db, "SELECT count(*) FROM ingest_log WHERE outcome = 'failed'"),
        count(&db, "SELECT count(*) FROM ingest_log WHERE outcome = 'ok'"),
    );
    let lines = watcher.stop();
    let rss = peak_rss_mib(&lines);
    let mentions = count(&db, "SELECT count(*) FROM mentions");
    let accusations = count(&db, "SELECT count(*) FROM accusations");
    println!(
        "burst: {files} files ({burst} at once incl. {copies} copies, {tree_distinct} moved in as a tree) \
         handled in {took:?}: {} statements ({} versions), {} duplicates reported, {} failed, {} ok log entries, \
         {mentions} mentions, {accusations} accusations; watcher peak RSS {rss:.1} MiB",
        stats.0, stats.1, stats.2, stats.3, stats.4
    );
    let warnings: Vec<&String> = lines.iter().filter(|line| line.starts_with("warning")).collect();
    println!("burst: watcher warnings: {warnings:?}");
    assert_eq!(
        stats,
        (expected, expected, copies as i64, 0, expected),
        "statements, versions, duplicates, failed, ok"
    );
    assert!(accusations > 0 && mentions >= 3 * expected);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM (SELECT sha256 FROM statements GROUP BY sha256 HAVING count(*) > 1)"
        ),
        0
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM statements WHERE path LIKE '%/moved-in tree/dossier %/annexes/%'"),
        tree_distinct as i64
    );
    crate::assert_integrity(&db);
    // Memory is bounded: the watcher holds a queue of paths, never the files' contents.
    assert!(rss < 300.0, "peak RSS {rss:.1} MiB");
}
