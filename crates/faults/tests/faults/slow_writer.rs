//! Slow writer: a 20 MB file written in 1 MB chunks over 10 s into the watch folder is
//! read once, complete, never half-written.

use std::fs;
use std::io::Write;
use std::time::{Duration, Instant};

use crate::{count, wait_until, Helper, CURRENT};

#[test]
fn a_20_mb_file_written_in_1_mb_chunks_over_10_s_is_read_once_and_complete() {
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("inbox");
    fs::create_dir(&inbox).unwrap();
    let db = work.path().join("demarche.sqlite3");
    let watcher = Helper::watch(&inbox, &db, 500);
    watcher.wait_for_line("scanned", Duration::from_secs(30));

    // Twenty different megabytes, so a partial read would be a different statement.
    // Mostly plain prose, so the test measures reading, not the extractor's speed.
    let chunk = |index: usize| -> Vec<u8> {
        let prose = "The committee reviewed the annual report on transport and customs cooperation.\n";
        let text = format!(
            "Part {index}: Norway said talks with Sweden would resume.\n{}",
            prose.repeat(1024 * 1024 / prose.len() + 1)
        );
        text.into_bytes()[..1024 * 1024].to_vec()
    };
    let path = inbox.join("2023-03-01_long-report.txt");
    let mut file = fs::File::create(&path).unwrap();
    let started = Instant::now();
    for index in 0..20 {
        file.write_all(&chunk(index)).unwrap();
        file.flush().unwrap();
        // Chunks at an even pace, 20 in 10 s: every pause as long as the quiet period.
        let next = Duration::from_millis(500) * (index as u32 + 1);
        std::thread::sleep(next.saturating_sub(started.elapsed()));
    }
    drop(file);
    let wrote = started.elapsed();
    let db_ = db.clone();
    wait_until("the file is stored", Duration::from_secs(300), move || count(&db_, CURRENT) == 1);
    let stored = started.elapsed();
    // Give a late second read the chance to happen before checking it did not.
    std::thread::sleep(Duration::from_secs(2));
    let lines = watcher.stop();
    let length = count(&db, "SELECT length(text) FROM statement_texts");
    let log = count(&db, "SELECT count(*) FROM ingest_log");
    println!(
        "slow writer: 20 MiB written in {wrote:?}, stored {:?} after the last chunk; {log} log entries; \
         text {length} characters; watcher output {} lines",
        stored - wrote,
        lines.len()
    );
    assert_eq!(count(&db, "SELECT count(*) FROM statements"), 1, "one version: never read half-written");
    assert_eq!(log, 1, "read once");
    assert_eq!(length, 20 * 1024 * 1024, "complete: the text is the whole file");
}
