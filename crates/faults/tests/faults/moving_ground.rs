//! Moving ground: files renamed, moved or deleted while the watcher reads them; the
//! watch folder deleted and re-created; names with spaces and non-Latin letters; the
//! system's limit on watched folders exhausted; an editor saving the same file again
//! and again.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use demarche_faults::corpus::Rng;

use crate::{count, wait_until, Helper, CURRENT};

fn texts_of(db: &Path, sql: &str) -> Vec<String> {
    let store = demarche_store::Store::open(db).unwrap();
    let mut query = store.connection().prepare(sql).unwrap();
    let rows = query.query_map([], |row| row.get(0)).unwrap();
    rows.collect::<Result<_, _>>().unwrap()
}

#[test]
fn files_renamed_moved_or_deleted_while_being_read_are_never_stored_half_or_twice() {
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("inbox");
    let elsewhere = work.path().join("elsewhere");
    fs::create_dir_all(inbox.join("archive")).unwrap();
    fs::create_dir_all(&elsewhere).unwrap();
    let db = work.path().join("demarche.sqlite3");
    let watcher = Helper::watch(&inbox, &db, 100);
    watcher.wait_for_line("scanned", Duration::from_secs(30));

    // Files large enough that reading and analysing them takes a while.
    let files = 120;
    let text = |index: usize| {
        format!(
            "File {index}: Chile and Peru signed the accord. {}",
            "The committee reviewed the report. ".repeat(6_000)
        )
    };
    let known: BTreeSet<String> = (0..files).map(text).collect();
    for index in 0..files {
        fs::write(inbox.join(format!("f{index}.txt")), text(index)).unwrap();
    }
    // Let the watcher start on them, then pull the ground from under it.
    std::thread::sleep(Duration::from_millis(400));
    let mut rng = Rng::new(7);
    let mut present = BTreeSet::new();
    for index in 0..files {
        let from = inbox.join(format!("f{index}.txt"));
        match index % 4 {
            0 => {
                fs::rename(&from, inbox.join(format!("renamed {index}.txt"))).unwrap();
                present.insert(format!("renamed {index}.txt"));
            }
            1 => {
                fs::rename(&from, inbox.join("archive").join(format!("f{index}.txt"))).unwrap();
                present.insert(format!("archive/f{index}.txt"));
            }
            2 => fs::remove_file(&from).unwrap(),
            _ => fs::rename(&from, elsewhere.join(format!("f{index}.txt"))).unwrap(),
        }
        std::thread::sleep(Duration::from_millis(rng.below(30)));
    }

    let root = fs::canonicalize(&inbox).unwrap();
    let expected: BTreeSet<String> =
        present.iter().map(|name| root.join(name).display().to_string()).collect();
    let db_ = db.clone();
    let expected_ = expected.clone();
    let settled =
        wait_until("every remaining file is stored at its path", Duration::from_secs(300), move || {
            let current: BTreeSet<String> =
                texts_of(&db_, "SELECT path FROM statements WHERE superseded_at IS NULL AND file_gone = 0")
                    .into_iter()
                    .collect();
            current == expected_
        });
    std::thread::sleep(Duration::from_secs(1));
    watcher.stop();
    let stored = texts_of(&db, "SELECT text FROM statement_texts");
    let failed = texts_of(&db, "SELECT reason FROM ingest_log WHERE outcome = 'failed'");
    println!(
        "moving ground: {files} files, {} kept; settled in {settled:?}; {} statements stored ({} of them gone), \
         {} failed reads: {:?}",
        expected.len(),
        stored.len(),
        count(&db, "SELECT count(*) FROM statements WHERE file_gone = 1"),
        failed.len(),
        failed.iter().collect::<BTreeSet<_>>()
    );
    assert!(stored.iter().all(|text| known.contains(text)), "a statement is a partial read");
    assert_eq!(count(&db, CURRENT), stored.len() as i64, "no statement stored twice");
    assert_eq!(
        texts_of(&db, "SELECT path FROM statements WHERE superseded_at IS NULL AND file_gone = 0").len(),
        expected.len()
    );
    crate::assert_integrity(&db);
}

#[test]
fn a_deleted_and_re_created_watch_folder_is_watched_again() {
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("inbox");
    fs::create_dir(&inbox).unwrap();
    let db = work.path().join("demarche.sqlite3");
    fs::write(inbox.join("first.txt"), "Ghana welcomed the agreement.").unwrap();
    let watcher = Helper::watch(&inbox, &db, 200);
    let db_ = db.clone();
    wait_until("first file stored", Duration::from_secs(20), move || count(&db_, CURRENT) == 1);

    fs::remove_dir_all(&inbox).unwrap();
    watcher.wait_for_line("is missing; waiting for it to come back", Duration::from_secs(10));
    let db_ = db.clone();
    wait_until("the file is marked gone", Duration::from_secs(10), move || {
        count(&db_, "SELECT count(*) FROM statements WHERE file_gone = 1") == 1
    });

    fs::create_dir(&inbox).unwrap();
    let back = Instant::now();
    watcher.wait_for_line("is back; watching it again", Duration::from_secs(10));
    fs::write(inbox.join("second.txt"), "Togo welcomed the agreement too.").unwrap();
    fs::create_dir(inbox.join("new folder")).unwrap();
    fs::write(inbox.join("new folder").join("third.txt"), "Benin said nothing.").unwrap();
    fs::write(inbox.join("first.txt"), "Ghana welcomed the agreement.").unwrap();
    let db_ = db.clone();
    wait_until("new files stored, the old one present again", Duration::from_secs(10), move || {
        count(&db_, CURRENT) == 3 && count(&db_, "SELECT count(*) FROM statements WHERE file_gone = 1") == 0
    });
    let latency = back.elapsed();
    let lines = watcher.stop();
    println!("watch folder deleted and re-created: new files stored {latency:?} after it came back");
    assert!(!lines.iter().any(|line| line.contains("failed")), "{lines:?}");
}

#[test]
fn paths_with_spaces_and_non_latin_letters_are_stored_as_they_are() {
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("Входящие заявления");
    let names = [
        "Заявление МИД 2023-03-01.txt",
        "بيان وزارة الخارجية.md",
        "外交部 发言人 答记者问.html",
        "déclaration  deux  espaces.txt",
        "הודעה לעיתונות.txt",
        "ملف/مجلد فرعي/κείμενο δήλωσης.txt",
    ];
    let db = work.path().join("demarche.sqlite3");
    fs::create_dir_all(&inbox).unwrap();
    let watcher = Helper::watch(&inbox, &db, 200);
    watcher.wait_for_line("scanned", Duration::from_secs(30));
    for (index, name) in names.iter().enumerate() {
        let path = inbox.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, format!("Statement {index}: Egypt and Sudan met in Cairo.")).unwrap();
    }
    let db_ = db.clone();
    wait_until("all stored", Duration::from_secs(20), move || count(&db_, CURRENT) == names.len() as i64);
    watcher.stop();
    let root = fs::canonicalize(&inbox).unwrap();
    let stored: BTreeSet<String> = texts_of(&db, "SELECT path FROM statements").into_iter().collect();
    let expected: BTreeSet<String> = names.iter().map(|name| root.join(name).display().to_string()).collect();
    assert_eq!(stored, expected);
}

/// Whether this machine lets an unprivileged user namespace set its own limits.
fn user_namespaces_work() -> bool {
    Command::new("unshare")
        .args(["-U", "-r", "sh", "-c", "echo 100 > /proc/sys/user/max_inotify_watches"])
        .status()
        .is_ok_and(|status| status.success())
}

/// A watcher process that may hold at most `limit` inotify watches. The limit is set in
/// a user namespace of its own, so nothing else on the machine is affected.
fn watch_with_inotify_limit(inbox: &Path, db: &Path, limit: usize) -> Helper {
    let mut command = Command::new("unshare");
    command
        .args(["-U", "-r", "sh", "-c"])
        .arg(format!("echo {limit} > /proc/sys/user/max_inotify_watches && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_demarche-faults-helper"))
        .arg("watch")
        .arg(inbox)
        .arg(db)
        .arg("200");
    Helper::spawn(command)
}

#[test]
fn an_exhausted_inotify_watch_limit_gives_a_warning_and_polling_instead() {
    if !user_namespaces_work() {
        println!("SKIPPED: this machine does not allow user namespaces (unshare -U), so the inotify limit cannot be lowered for one process");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("inbox");
    for folder in 0..30 {
        fs::create_dir_all(inbox.join(format!("folder {folder}"))).unwrap();
    }

    // At start: 31 folders, room for 10 watches.
    let db = work.path().join("start.sqlite3");
    let watcher = watch_with_inotify_limit(&inbox, &db, 10);
    watcher.wait_for_line("limit on watched folders is exhausted", Duration::from_secs(20));
    fs::write(inbox.join("folder 29").join("late.txt"), "Fiji protested.").unwrap();
    let db_ = db.clone();
    let found =
        wait_until("file found by polling", Duration::from_secs(20), move || count(&db_, CURRENT) == 1);
    watcher.stop();
    println!("inotify limit exhausted at start: warning given, file found by polling after {found:?}");

    // Later: room for the 31 folders at start, not for 20 created afterwards.
    let db = work.path().join("later.sqlite3");
    let watcher = watch_with_inotify_limit(&inbox, &db, 40);
    watcher.wait_for_line("scanned", Duration::from_secs(20));
    assert!(!watcher.has_line("exhausted"));
    for folder in 30..50 {
        let folder = inbox.join(format!("folder {folder}"));
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("new.txt"), format!("{} protested.", folder.display())).unwrap();
    }
    watcher.wait_for_line("limit on watched folders is exhausted", Duration::from_secs(20));
    for folder in 50..55 {
        let folder = inbox.join(format!("folder {folder}"));
        fs::create_dir(&folder).unwrap();
        fs::write(folder.join("newer.txt"), format!("{} protested again.", folder.display())).unwrap();
    }
    let db_ = db.clone();
    // The 20 files in new folders, 5 more after the fall-back, and the one from before.
    let found =
        wait_until("every new file found", Duration::from_secs(30), move || count(&db_, CURRENT) == 26);
    watcher.stop();
    println!("inotify limit exhausted later: warning given, 25 new files (and the earlier one) stored after {found:?}");
}

#[test]
fn editor_style_saves_give_one_statement_per_distinct_content() {
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("inbox");
    fs::create_dir(&inbox).unwrap();
    let db = work.path().join("demarche.sqlite3");
    let watcher = Helper::watch(&inbox, &db, 200);
    watcher.wait_for_line("scanned", Duration::from_secs(30));
    let path = inbox.join("notes.txt");
    let versions = |db: &Path| count(db, "SELECT count(*) FROM statements WHERE path LIKE '%/notes.txt'");
    let current = |db: &Path| {
        texts_of(db, "SELECT t.text FROM statements s JOIN statement_texts t ON t.statement_id = s.id WHERE s.superseded_at IS NULL")[0].clone()
    };
    let settle = |db: &Path, expected_versions: i64, text: &str| {
        let (db, text) = (db.to_path_buf(), text.to_string());
        wait_until(&format!("version {expected_versions}"), Duration::from_secs(20), move || {
            versions(&db) == expected_versions && count(&db, CURRENT) == 1 && current(&db) == text
        });
    };
    let (v1, v2, v3) = (
        "Draft: Nepal thanked India.",
        "Draft: Nepal thanked India and China.",
        "Final: Nepal thanked China.",
    );

    fs::write(&path, v1).unwrap();
    settle(&db, 1, v1);
    // Saving without changes, over and over, faster than the quiet period and slower.
    for pause in [10, 10, 10, 300, 300] {
        fs::write(&path, v1).unwrap();
        std::thread::sleep(Duration::from_millis(pause));
    }
    // vim: a test file, a backup, then the new content written in place.
    fs::write(inbox.join("4913"), "").unwrap();
    fs::remove_file(inbox.join("4913")).unwrap();
    fs::copy(&path, inbox.join("notes.txt~")).unwrap();
    fs::write(&path, v2).unwrap();
    fs::remove_file(inbox.join("notes.txt~")).unwrap();
    settle(&db, 2, v2);
    // gedit and most IDEs: a hidden temporary file renamed over the original.
    let temporary = inbox.join(".goutputstream-X1Y2Z3");
    fs::write(&temporary, v3).unwrap();
    fs::rename(&temporary, &path).unwrap();
    // Then quick keystroke saves that end where they began.
    for text in [v2, v3, v2, v3] {
        fs::write(&path, text).unwrap();
    }
    settle(&db, 3, v3);
    // Undo all the way back: the first version is current again, not a fourth copy.
    fs::write(&path, v1).unwrap();
    settle(&db, 3, v1);
    std::thread::sleep(Duration::from_secs(1));
    watcher.stop();
    let paths = texts_of(&db, "SELECT DISTINCT path FROM files");
    println!(
        "editor saves: {} versions for 3 distinct contents, files seen {paths:?}, log {:?}",
        versions(&db),
        texts_of(&db, "SELECT outcome || ' ' || coalesce(reason, '') FROM ingest_log ORDER BY id")
    );
    assert_eq!(versions(&db), 3);
    assert_eq!(current(&db), v1);
    assert!(paths.iter().all(|path| path.ends_with("/notes.txt") || path.ends_with("/4913")), "{paths:?}");
}
