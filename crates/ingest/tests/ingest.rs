//! Integration tests of the ingest pipeline on real files in temporary folders: the
//! sample statement, duplicates, versions, moves, and every kind of bad input.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use demarche_ingest::{ingest_paths, FileOutcome, IngestOptions, Summary};
use demarche_store::{Outcome, Store};

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/samples/2022-10-14_aliyev-cis-astana.txt")
}

fn ingest(store: &mut Store, paths: &[PathBuf]) -> Summary {
    ingest_paths(store, paths, &IngestOptions::default(), |_| {}).expect("ingest run completes")
}

#[test]
fn sample_is_stored_once_and_its_second_ingest_is_a_reported_duplicate() {
    let inbox = tempfile::tempdir().unwrap();
    fs::copy(sample(), inbox.path().join("2022-10-14_aliyev-cis-astana.txt")).unwrap();
    let mut store = Store::open_in_memory().unwrap();

    let first = ingest(&mut store, &[inbox.path().to_path_buf()]);
    assert_eq!((first.files, first.ingested, first.duplicates, first.failed.len()), (1, 1, 0, 0));
    let second = ingest(&mut store, &[inbox.path().to_path_buf()]);
    assert_eq!((second.files, second.ingested, second.duplicates), (1, 0, 1));
    assert_eq!(store.stats().unwrap().statements, 1);

    let (date, date_source, source, speaker, country): (String, String, String, String, String) = store
        .connection()
        .query_row("SELECT date, date_source, source, speaker, speaker_country FROM statements", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap();
    assert_eq!(
        (date.as_str(), date_source.as_str(), source.as_str(), speaker.as_str(), country.as_str()),
        ("2022-10-14", "file_name", "Qazet.az", "Ilham Aliyev", "AZ")
    );
}

#[test]
fn edited_file_becomes_a_new_version_and_a_moved_file_keeps_its_statement() {
    let inbox = tempfile::tempdir().unwrap();
    let path = inbox.path().join("note.txt");
    fs::write(&path, "France condemned the attack.\n").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    ingest(&mut store, std::slice::from_ref(&path));
    fs::write(&path, "France condemned the attack strongly.\n").unwrap();
    let edited = ingest(&mut store, std::slice::from_ref(&path));
    assert_eq!(edited.ingested, 1);
    let stats = store.stats().unwrap();
    assert_eq!((stats.statements, stats.statement_versions), (1, 2));

    let moved_to = inbox.path().join("archive");
    fs::create_dir(&moved_to).unwrap();
    fs::rename(&path, moved_to.join("note.txt")).unwrap();
    let moved = ingest(&mut store, std::slice::from_ref(&moved_to));
    assert_eq!((moved.moved, moved.ingested, moved.duplicates), (1, 0, 0));
    let stats = store.stats().unwrap();
    assert_eq!((stats.statements, stats.statement_versions), (1, 2));
}

#[test]
fn hidden_and_temporary_files_are_not_read() {
    let inbox = tempfile::tempdir().unwrap();
    for name in [".DS_Store", "speech.txt.part", "~$draft.docx", "Thumbs.db"] {
        fs::write(inbox.path().join(name), "x").unwrap();
    }
    fs::create_dir(inbox.path().join(".git")).unwrap();
    fs::write(inbox.path().join(".git/HEAD.txt"), "ref").unwrap();
    fs::write(inbox.path().join("real.txt"), "Moscow said so.").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let summary = ingest(&mut store, &[inbox.path().to_path_buf()]);
    assert_eq!((summary.files, summary.ingested), (1, 1));
}

/// A zip whose `word/document.xml` inflates to far more than any statement: a zip bomb.
fn docx_zip_bomb() -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut bytes);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("word/document.xml", options).unwrap();
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..200 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    bytes.into_inner()
}

#[test]
fn bad_input_is_recorded_as_failed_with_a_reason_and_the_run_goes_on() {
    let inbox = tempfile::tempdir().unwrap();
    let dir = inbox.path();
    let write = |name: &str, bytes: &[u8]| fs::write(dir.join(name), bytes).unwrap();
    write("junk.txt", &(0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect::<Vec<_>>());
    write("empty.txt", b"");
    write(
        "truncated.pdf",
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa",
    );
    write("bomb.docx", &docx_zip_bomb());
    write("photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    fs::File::create(dir.join("huge.txt")).unwrap().set_len(200 * 1024 * 1024).unwrap();
    std::os::unix::fs::symlink("loop.txt", dir.join("loop.txt")).unwrap();
    fs::create_dir(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("sub/back")).unwrap();
    let fifo = std::process::Command::new("mkfifo").arg(dir.join("pipe.txt")).status().unwrap();
    assert!(fifo.success());
    write("good.txt", "Armenia committed provocations, the ministry said.".as_bytes());

    let mut store = Store::open_in_memory().unwrap();
    let summary = ingest(&mut store, &[dir.to_path_buf()]);
    assert_eq!(summary.ingested, 1, "the good file is stored: {summary:?}");

    let reason = |name: &str| -> String {
        let path = fs::canonicalize(dir).unwrap().join(name);
        summary
            .failed
            .iter()
            .find(|(failed, _)| failed == &path)
            .map(|(_, reason)| reason.clone())
            .unwrap_or_else(|| panic!("{name} is not among the failures: {:?}", summary.failed))
    };
    let expectations = [
        ("junk.txt", "binary"),
        ("empty.txt", "empty"),
        ("truncated.pdf", "PDF"),
        ("bomb.docx", "zip bomb"),
        ("photo.png", "unsupported file type"),
        ("huge.txt", "over the 64.0 MiB size limit"),
        ("loop.txt", "symbolic link loop"),
        ("sub/back", "symbolic link loop"),
        ("pipe.txt", "not a regular file"),
    ];
    for (name, expected) in expectations {
        let reason = reason(name);
        assert!(reason.contains(expected), "{name}: {reason:?} should mention {expected:?}");
    }
    // Every failure is in the log with its reason, and counted once per file.
    assert_eq!(store.ingest_log(100, true).unwrap().len(), expectations.len());
    assert!(store.ingest_log(100, true).unwrap().iter().all(|entry| entry.reason.is_some()));
    assert_eq!(store.stats().unwrap().failed_files, expectations.len() as i64);
}

#[test]
fn unreadable_file_fails_with_permission_reason_when_permissions_apply() {
    use std::os::unix::fs::PermissionsExt;
    let inbox = tempfile::tempdir().unwrap();
    let path = inbox.path().join("secret.txt");
    fs::write(&path, "Iran accused Israel.").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o000)).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let summary = ingest(&mut store, std::slice::from_ref(&path));
    if fs::read(&path).is_ok() {
        // A privileged user (root in CI) reads it anyway: then it must simply be stored.
        assert_eq!(summary.ingested, 1);
    } else {
        assert_eq!(summary.failed.len(), 1);
        assert!(summary.failed[0].1.contains("permission denied"), "{:?}", summary.failed);
    }
}

#[test]
fn a_missing_path_is_a_failure_not_a_crash() {
    let mut store = Store::open_in_memory().unwrap();
    let summary = ingest(&mut store, &[PathBuf::from("/nonexistent/demarche/file.txt")]);
    assert_eq!(summary.failed.len(), 1);
    assert!(summary.failed[0].1.contains("disappeared") || summary.failed[0].1.contains("cannot"));
    let log = store.ingest_log(1, true).unwrap();
    assert_eq!(log[0].outcome, Outcome::Failed);
}

#[test]
fn report_lines_name_the_file_and_what_happened() {
    let inbox = tempfile::tempdir().unwrap();
    fs::write(inbox.path().join("a.txt"), "Baku said so.").unwrap();
    fs::write(inbox.path().join("b.txt"), "Baku said so.").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let mut lines = Vec::new();
    ingest_paths(&mut store, &[inbox.path().to_path_buf()], &IngestOptions::default(), |report| {
        lines.push(report.to_string());
        assert!(!matches!(report.outcome, FileOutcome::Changed));
    })
    .unwrap();
    assert!(lines[0].ends_with("a.txt: ingested statement #1"), "{lines:?}");
    assert!(lines[1].ends_with("b.txt: duplicate of statement #1"), "{lines:?}");
}

#[test]
fn invalid_utf8_text_is_not_lost_but_read_as_windows_1252_and_recorded_so() {
    let inbox = tempfile::tempdir().unwrap();
    // "Café" and curly quotes as a Windows editor saves them: not valid UTF-8.
    fs::write(inbox.path().join("legacy.txt"), b"Caf\xe9 talks: \x93Baku and Yerevan agreed.\x94\n").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let summary = ingest(&mut store, &[inbox.path().to_path_buf()]);
    assert_eq!((summary.ingested, summary.failed.len()), (1, 0));
    let (encoding, text): (String, String) = store
        .connection()
        .query_row(
            "SELECT s.encoding, t.text FROM statements s JOIN statement_texts t ON t.statement_id = s.id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(encoding, "windows-1252");
    assert_eq!(text, "Café talks: \u{201C}Baku and Yerevan agreed.\u{201D}\n");
}

/// The date, accuser and daily accuser count of the statement at `path`'s current version.
fn corrected_view(store: &Store) -> (Option<String>, Option<String>, Option<String>, Vec<String>, i64) {
    let conn = store.connection();
    let (id, date, date_source, country): (i64, Option<String>, Option<String>, Option<String>) = conn
        .query_row(
            "SELECT id, date, date_source, speaker_country FROM statements WHERE superseded_at IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let mut accusers = conn.prepare("SELECT accuser FROM accusations WHERE statement_id = ?1").unwrap();
    let accusers =
        accusers.query_map([id], |r| r.get(0)).unwrap().collect::<Result<Vec<String>, _>>().unwrap();
    let counted: i64 = conn
        .query_row(
            "SELECT coalesce(sum(count), 0) FROM daily_counts WHERE measure = 'accuser' AND country = 'FR' AND day = ?1",
            [date.clone().unwrap_or_default()],
            |r| r.get(0),
        )
        .unwrap();
    (date, date_source, country, accusers, counted)
}

#[test]
fn corrections_reanalyse_the_statement_and_survive_a_new_version_of_the_file() {
    use demarche_ingest::{correct_statement, CorrectionError};
    use demarche_store::CorrectedField;

    let inbox = tempfile::tempdir().unwrap();
    let path = inbox.path().join("2021-03-04 remarks.txt");
    fs::write(&path, "---\nspeaker_country: AZ\n---\nArmenia shelled our villages.\n").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    ingest(&mut store, std::slice::from_ref(&path));
    let (date, _, country, accusers, _) = corrected_view(&store);
    assert_eq!(
        (date.as_deref(), country.as_deref(), accusers),
        (Some("2021-03-04"), Some("AZ"), vec!["AZ".to_string()])
    );

    let id: i64 = store.connection().query_row("SELECT id FROM statements", [], |r| r.get(0)).unwrap();
    let changes = [
        (CorrectedField::Date, Some("2021-03-05".to_string())),
        (CorrectedField::SpeakerCountry, Some("fr".to_string())),
    ];
    correct_statement(&mut store, id, &changes).unwrap();
    let view = corrected_view(&store);
    assert_eq!(
        view,
        (Some("2021-03-05".into()), Some("correction".into()), Some("FR".into()), vec!["FR".to_string()], 1)
    );
    let old_day: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM daily_counts WHERE day = '2021-03-04'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(old_day, 0, "counts moved with the corrected date");

    // A new version of the file inherits the corrections, re-based on what it says.
    fs::write(&path, "---\nspeaker_country: AZ\n---\nArmenia shelled our towns.\n").unwrap();
    ingest(&mut store, std::slice::from_ref(&path));
    assert_eq!(corrected_view(&store), view);
    assert_eq!(store.stats().unwrap().statement_versions, 2);

    // Bad values are refused with the reason; nothing changes.
    let bad = correct_statement(&mut store, id, &[(CorrectedField::Date, Some("5 March".into()))]);
    assert!(matches!(bad, Err(CorrectionError::InvalidDate { .. })), "{bad:?}");
    let bad = correct_statement(&mut store, id, &[(CorrectedField::SpeakerCountry, Some("QQ".into()))]);
    assert!(matches!(bad, Err(CorrectionError::UnknownCountry { .. })), "{bad:?}");

    // Correcting back to what the file says restores its source and forgets the correction.
    let current: i64 = store
        .connection()
        .query_row("SELECT id FROM statements WHERE superseded_at IS NULL", [], |r| r.get(0))
        .unwrap();
    correct_statement(&mut store, current, &[(CorrectedField::Date, Some("2021-03-04".into()))]).unwrap();
    let (date, source, ..) = corrected_view(&store);
    assert_eq!((date.as_deref(), source.as_deref()), (Some("2021-03-04"), Some("file_name")));
    let remaining: Vec<CorrectedField> = {
        let sha: String = store
            .connection()
            .query_row("SELECT sha256 FROM statements WHERE id = ?1", [current], |r| r.get(0))
            .unwrap();
        store.corrections(&sha).unwrap().into_iter().map(|c| c.field).collect()
    };
    assert_eq!(remaining, [CorrectedField::SpeakerCountry]);
}

#[test]
fn a_file_over_the_time_limit_fails_as_timed_out_and_the_next_file_is_read() {
    let inbox = tempfile::tempdir().unwrap();
    let dir = inbox.path();
    // Eight megabytes of sentences naming countries: far more than a millisecond's work.
    let slow = "Armenia accused Azerbaijan of shelling villages near the border. ".repeat(128 * 1024);
    fs::write(dir.join("a-slow.txt"), &slow).unwrap();
    fs::copy(sample(), dir.join("b-sample.txt")).unwrap();

    let mut store = Store::open_in_memory().unwrap();
    let tight = IngestOptions { time_limit: std::time::Duration::from_millis(1), ..IngestOptions::default() };
    let started = std::time::Instant::now();
    let summary = ingest_paths(&mut store, &[dir.join("a-slow.txt")], &tight, |_| {}).unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "no waiting for the worker");
    assert_eq!(summary.failed.len(), 1, "{summary:?}");
    assert_eq!(summary.failed[0].1, "timed out: reading and analysing took longer than the 1 ms limit");

    let summary = ingest(&mut store, &[dir.join("b-sample.txt")]);
    assert_eq!((summary.ingested, summary.failed.len()), (1, 0), "{summary:?}");
    let failed = store.ingest_log(10, true).unwrap();
    assert_eq!(failed.len(), 1);
    assert!(
        failed[0].path.ends_with("a-slow.txt") && failed[0].reason.as_deref().unwrap().contains("timed out")
    );
}

#[test]
fn a_file_that_goes_back_to_an_earlier_content_makes_that_version_current_again() {
    let inbox = tempfile::tempdir().unwrap();
    let path = inbox.path().join("2023-05-02_note.txt");
    let mut store = Store::open_in_memory().unwrap();
    let current_text = |store: &Store| -> String {
        store
            .connection()
            .query_row("SELECT t.text FROM statements s JOIN statement_texts t ON t.statement_id = s.id WHERE s.superseded_at IS NULL", [], |row| row.get(0))
            .unwrap()
    };
    let mentions_of = |store: &Store, country: &str| -> i64 {
        store
            .connection()
            .query_row(
                "SELECT coalesce(sum(count), 0) FROM daily_counts WHERE measure = 'mentions' AND country = ?1",
                [country],
                |row| row.get(0),
            )
            .unwrap()
    };
    for (text, expected_versions) in
        [("France condemned it.", 1), ("Japan condemned it.", 2), ("France condemned it.", 2)]
    {
        fs::write(&path, text).unwrap();
        let summary = ingest(&mut store, std::slice::from_ref(&path));
        assert_eq!((summary.ingested, summary.duplicates), (1, 0), "{text}");
        let stats = store.stats().unwrap();
        assert_eq!((stats.statements, stats.statement_versions), (1, expected_versions), "{text}");
        assert_eq!(current_text(&store), text);
    }
    assert_eq!(
        (mentions_of(&store, "FR"), mentions_of(&store, "JP")),
        (1, 0),
        "daily counts follow the undo"
    );
    let restored = &store.ingest_log(1, false).unwrap()[0];
    assert_eq!(restored.outcome, Outcome::Ok);
    assert!(restored.reason.as_deref().unwrap().contains("went back to an earlier content"));
}

/// Ingests the files `given` (name, content), written in that order into a fresh
/// folder, in one run, and checks the report line of each file (the folder's path cut
/// off) and the statements stored. Every case fits in one of the writer's batches, so
/// these are the outcomes within a single transaction.
fn check_one_run(given: &[(&str, &str)], expect: &[&str], stored: i64) {
    let inbox = tempfile::tempdir().unwrap();
    for (name, content) in given {
        fs::write(inbox.path().join(name), content).unwrap();
    }
    let root = fs::canonicalize(inbox.path()).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let mut lines = Vec::new();
    ingest_paths(&mut store, std::slice::from_ref(&root), &IngestOptions::default(), |report| {
        lines.push(report.to_string().replacen(&format!("{}/", root.display()), "", 1));
    })
    .unwrap();
    assert_eq!(lines, expect, "{given:?}");
    assert_eq!(store.stats().unwrap().statement_versions, stored, "{given:?}");
    // Every file ends in the log and in the files table, whatever its outcome.
    let logged: i64 = store
        .connection()
        .query_row("SELECT count(DISTINCT path) FROM ingest_log", [], |row| row.get(0))
        .unwrap();
    assert_eq!(logged, given.len() as i64, "{given:?}");
}

#[test]
fn within_one_batch_copies_are_duplicates_and_a_failure_does_not_stop_the_others() {
    let json_pair = r#"[{"text": "Chile answered Peru."}, {"text": "Japan protested the launch."}]"#;
    check_one_run(
        &[("a.txt", "Baku said so."), ("b.txt", "Baku said so."), ("c.txt", "Baku said so.")],
        &[
            "a.txt: ingested statement #1",
            "b.txt: duplicate of statement #1",
            "c.txt: duplicate of statement #1",
        ],
        1,
    );
    check_one_run(
        &[("a.txt", "France condemned the attack."), ("b.png", "not a picture"), ("c.txt", "Kenya welcomed the talks.")],
        &[
            "a.txt: ingested statement #1",
            "b.png: failed: unsupported file type \"png\" (Démarche reads .txt, .md, .html, .htm, .json, .pdf, .docx)",
            "c.txt: ingested statement #2",
        ],
        2,
    );
    check_one_run(
        &[("a.txt", ""), ("b.txt", "Chile answered Peru."), ("c.txt", "")],
        &["a.txt: failed: empty file", "b.txt: ingested statement #1", "c.txt: failed: empty file"],
        1,
    );
    // The items of a JSON array are identified by what was read, so the same pair in a
    // second file is two duplicates, found among the batch's own writes.
    check_one_run(
        &[("a.json", json_pair), ("b.json", json_pair)],
        &["a.json: ingested statement #1, #2", "b.json: duplicate of statement #1, #2"],
        2,
    );
}

#[test]
fn a_run_over_several_batches_reports_every_file_in_scan_order() {
    // More files than one batch holds; every third file is a copy of one read earlier
    // (about half as far into the run, so in this batch or an earlier one), and one file
    // in the middle cannot be read.
    let inbox = tempfile::tempdir().unwrap();
    let count = 700;
    let original = |i: usize| (i - 2) / 2 / 3 * 3;
    for i in 0..count {
        let content = match i {
            349 => String::new(),
            _ if i % 3 == 2 => format!("Statement {}: Chile answered Peru.", original(i)),
            _ => format!("Statement {i}: Chile answered Peru."),
        };
        fs::write(inbox.path().join(format!("{i:04}.txt")), content).unwrap();
    }
    let mut store = Store::open_in_memory().unwrap();
    let mut reports = Vec::new();
    let summary =
        ingest_paths(&mut store, &[inbox.path().to_path_buf()], &IngestOptions::default(), |report| {
            reports.push(report.clone());
        })
        .unwrap();
    let names: Vec<String> = reports
        .iter()
        .map(|report| report.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let expected: Vec<String> = (0..count).map(|i| format!("{i:04}.txt")).collect();
    assert_eq!(names, expected, "one report per file, in scan order");
    let copies = (0..count).filter(|i| i % 3 == 2).count();
    assert_eq!(summary.failed.len(), 1, "{:?}", summary.failed);
    assert!(summary.failed[0].0.ends_with("0349.txt"));
    assert_eq!((summary.files, summary.duplicates), (count, copies));
    assert_eq!(summary.ingested, count - copies - 1);
    // A copy is reported as a duplicate of the very statement its original became.
    for (i, report) in reports.iter().enumerate().filter(|(i, _)| i % 3 == 2) {
        let FileOutcome::Stored { new: stored, .. } = &reports[original(i)].outcome else {
            panic!("{report:?}")
        };
        assert_eq!(
            report.outcome,
            FileOutcome::Stored { new: vec![], duplicates: stored.clone(), moved: vec![] }
        );
    }
    assert_eq!(store.stats().unwrap().statements, summary.ingested as i64);
}
