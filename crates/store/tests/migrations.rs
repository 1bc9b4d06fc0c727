//! Migrations on real databases: every fixture in `tests/fixtures/`, made by an earlier
//! schema version, opens with the current code, migrates to the current
//! `user_version`, keeps every row and its full-text index (which FTS5's own check
//! compares with the stored texts), and passes SQLite's integrity check. A fixture is kept for every schema version before the current one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use demarche_doc::FileInput;
use demarche_extract::{analyze, Context};
use demarche_store::{CorrectedField, Correction, FileFacts, NewStatement, Outcome, Store};
use rusqlite::Connection;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn current_version() -> i64 {
    Store::open_in_memory().unwrap().schema_version().unwrap()
}

/// Every row of every table the fixture has, by the fixture's own columns, sorted;
/// the full-text index is checked through searches instead. From version 5 on, a
/// statement's text is in `statement_texts`, so the statements are read with it.
fn rows(conn: &Connection, tables: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, Vec<String>> {
    let texts_apart: bool = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'statement_texts'", [], |row| row.get(0))
        .unwrap();
    tables
        .iter()
        .map(|(table, columns)| {
            let quoted: Vec<String> = columns.iter().map(|column| format!("quote(\"{column}\")")).collect();
            let source = if table == "statements" && texts_apart {
                "(SELECT s.*, t.text FROM statements s JOIN statement_texts t ON t.statement_id = s.id)"
                    .to_string()
            } else {
                format!("\"{table}\"")
            };
            let sql = format!("SELECT {} FROM {source}", quoted.join(" || '|' || "));
            let mut query = conn.prepare(&sql).unwrap();
            let mut rows: Vec<String> =
                query.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
            rows.sort();
            (table.clone(), rows)
        })
        .collect()
}

fn tables(conn: &Connection) -> BTreeMap<String, Vec<String>> {
    let mut query = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'statements_fts%' ORDER BY name",
        )
        .unwrap();
    let names: Vec<String> = query.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
    names
        .into_iter()
        .map(|name| {
            let mut columns = conn.prepare(&format!("SELECT name FROM pragma_table_info('{name}')")).unwrap();
            let columns: Vec<String> =
                columns.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
            (name, columns)
        })
        .collect()
}

fn search(conn: &Connection, word: &str) -> Vec<i64> {
    let mut query = conn
        .prepare("SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?1 ORDER BY rowid")
        .unwrap();
    query.query_map([word], |row| row.get(0)).unwrap().map(Result::unwrap).collect()
}

/// The count tables version 4 added, each with the same rows recounted from the data
/// the fixture already held.
const BUILT_FROM_THE_DATA: &[(&str, &str)] = &[
    (
        "SELECT month, country, measure, count FROM monthly_counts",
        "SELECT substr(day, 1, 8) || '01', country, measure, sum(count) FROM daily_counts GROUP BY 1, 2, 3",
    ),
    (
        "SELECT day, accuser, accused, count FROM pair_counts",
        "SELECT s.date, a.accuser, a.accused, count(*) FROM accusations a JOIN statements s ON s.id = a.statement_id
         WHERE s.superseded_at IS NULL AND s.date IS NOT NULL GROUP BY 1, 2, 3",
    ),
    (
        "SELECT month, accuser, accused, count FROM monthly_pair_counts",
        "SELECT substr(s.date, 1, 8) || '01', a.accuser, a.accused, count(*)
         FROM accusations a JOIN statements s ON s.id = a.statement_id
         WHERE s.superseded_at IS NULL AND s.date IS NOT NULL GROUP BY 1, 2, 3",
    ),
];

/// The rows of `sql`, each as its columns quoted and joined, sorted.
fn sorted(conn: &Connection, sql: &str) -> Vec<String> {
    let mut query = conn.prepare(sql).unwrap();
    let columns = query.column_count();
    let mut rows: Vec<String> = query
        .query_map([], |row| {
            let values: rusqlite::Result<Vec<String>> = (0..columns)
                .map(|index| row.get::<_, rusqlite::types::Value>(index).map(|value| format!("{value:?}")))
                .collect();
            Ok(values?.join("|"))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows.sort();
    rows
}

#[test]
fn every_fixture_database_migrates_to_the_current_schema_keeping_all_data() {
    let current = current_version();
    for version in 1..current {
        assert!(
            fixtures().join(format!("v{version}.sqlite3")).exists(),
            "no fixture database for schema version {version}"
        );
    }
    let mut checked = 0;
    for entry in std::fs::read_dir(fixtures()).unwrap().map(Result::unwrap) {
        let fixture = entry.path();
        if !fixture.extension().is_some_and(|extension| extension == "sqlite3") {
            continue;
        }
        let work = tempfile::tempdir().unwrap();
        let db = work.path().join("copy.sqlite3");
        std::fs::copy(&fixture, &db).unwrap();
        let (found, before, tables, searches) = {
            let conn = Connection::open(&db).unwrap();
            let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
            let tables = tables(&conn);
            let searches: Vec<Vec<i64>> =
                ["Astana", "ceasefire", "Japan"].iter().map(|word| search(&conn, word)).collect();
            (found, rows(&conn, &tables), tables, searches)
        };
        assert!(
            before.values().map(Vec::len).sum::<usize>() > 20,
            "{}: the fixture holds data",
            fixture.display()
        );

        let store = Store::open(&db).unwrap();
        assert_eq!(store.schema_version().unwrap(), current, "{}: migrated from {found}", fixture.display());
        assert_eq!(store.integrity_check().unwrap(), Ok(()));
        let after = rows(store.connection(), &tables);
        assert_eq!(after, before, "{}: every row kept", fixture.display());
        let searches_after: Vec<Vec<i64>> =
            ["Astana", "ceasefire", "Japan"].iter().map(|word| search(store.connection(), word)).collect();
        assert_eq!(searches_after, searches, "{}: the full-text index kept", fixture.display());
        let check = "INSERT INTO statements_fts (statements_fts, rank) VALUES ('integrity-check', 1)";
        store.connection().execute(check, []).expect("the full-text index matches the statements' texts");
        assert!(store.stats().unwrap().statements > 0);
        for (built, recount) in BUILT_FROM_THE_DATA {
            let (built, recount) = (sorted(store.connection(), built), sorted(store.connection(), recount));
            assert!(!built.is_empty(), "{}: {built:?} holds the fixture's counts", fixture.display());
            assert_eq!(built, recount, "{}: built from the data", fixture.display());
        }
        drop(store);
        assert_eq!(
            Store::open(&db).unwrap().schema_version().unwrap(),
            current,
            "opening again changes nothing"
        );
        println!(
            "{}: version {found} → {current}, {} tables kept row for row",
            fixture.display(),
            tables.len()
        );
        checked += 1;
    }
    assert!(checked > 0, "no fixture databases");
}

/// Writes `tests/fixtures/v1.sqlite3`. It must run on a checkout whose schema is at
/// version 1 (main at 285dfa3, where v1.sqlite3 was made); it refuses to
/// write a fixture of any other version. Run with
/// `cargo test -p demarche-store --test migrations -- --ignored make_v1_fixture`.
#[test]
#[ignore = "writes the fixture; run by hand on a schema-version-1 checkout"]
fn make_v1_fixture() {
    write_fixture(1);
}

/// Writes `tests/fixtures/v2.sqlite3`: the same statements as version 1's, plus a
/// correction and a setting, the tables version 2 added. It must run on a checkout
/// whose schema is at version 2 (main at 94290c7, where v2.sqlite3 was made). Run with
/// `cargo test -p demarche-store --test migrations -- --ignored make_v2_fixture`.
#[test]
#[ignore = "writes the fixture; run by hand on a schema-version-2 checkout"]
fn make_v2_fixture() {
    write_fixture(2);
}

/// Writes `tests/fixtures/v3.sqlite3`: the same content as version 2's, written by the
/// version-3 store (new statements enter the full-text index per batch). It must run on
/// a checkout whose schema is at version 3 (main at 7450f21, where v3.sqlite3 was made).
/// Run with `cargo test -p demarche-store --test migrations -- --ignored make_v3_fixture`.
#[test]
#[ignore = "writes the fixture; run by hand on a schema-version-3 checkout"]
fn make_v3_fixture() {
    write_fixture(3);
}

/// Writes `tests/fixtures/v4.sqlite3`: the same content as version 3's, written by the
/// version-4 store (counts in place, monthly and pair counts). It must run on a checkout
/// whose schema is at version 4 (main at a96f588, where v4.sqlite3 was made). Run with
/// `cargo test -p demarche-store --test migrations -- --ignored make_v4_fixture`.
#[test]
#[ignore = "writes the fixture; run by hand on a schema-version-4 checkout"]
fn make_v4_fixture() {
    write_fixture(4);
}

fn write_fixture(version: i64) {
    let path = fixtures().join(format!("v{version}.sqlite3"));
    let _ = std::fs::remove_file(&path);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), version, "this checkout is not at schema version {version}");
    let modified = NaiveDateTime::parse_from_str("2023-07-20 09:00", "%Y-%m-%d %H:%M").ok();
    let facts = FileFacts { size: 100, modified_ns: Some(1_689_843_600_000_000_000) };
    let sample = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/samples/2022-10-14_aliyev-cis-astana.txt"),
    )
    .unwrap();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("/inbox/2022-10-14_aliyev-cis-astana.txt", sample),
        ("/inbox/note.md", b"---\ntitle: Note\ndate: 2021-05-01\n---\nArmenia accused Azerbaijan of violating the ceasefire.".to_vec()),
        ("/inbox/note.md", b"---\ntitle: Note\ndate: 2021-05-01\n---\nArmenia accused Azerbaijan of violating the ceasefire again.".to_vec()),
        ("/inbox/batch.json", br#"[{"text": "Japan protested the missile launch.", "date": "2020-01-02"}, {"text": "Chile answered Peru.", "speaker_country": "CL"}]"#.to_vec()),
        ("/inbox/copy of note.md", b"---\ntitle: Note\ndate: 2021-05-01\n---\nArmenia accused Azerbaijan of violating the ceasefire again.".to_vec()),
        ("/inbox/old/moved.txt", "Ukraine accused Russia of shelling Kharkiv. Émigrés in Türkiye watched.".as_bytes().to_vec()),
        ("/inbox/gone.txt", b"Kenya welcomed the talks.".to_vec()),
    ];
    // Stand-in content hashes: one per file and item, the copy sharing its original's.
    let sha = |file: usize, item: usize| format!("{:064x}", if file == 4 { 20 } else { file * 10 + item });
    for (index, (path, bytes)) in files.iter().enumerate() {
        let name = path.rsplit('/').next().unwrap();
        let read = demarche_doc::read(&FileInput { file_name: name, bytes, modified }).unwrap();
        for (item, statement) in read.iter().enumerate() {
            let speaker_country =
                statement.meta.speaker_country.as_ref().map(|country| country.value.as_str());
            let analysis = analyze(&statement.text, Context { speaker_country });
            let sha = sha(index, item);
            store
                .insert_statement(&NewStatement {
                    sha256: &sha,
                    path,
                    item,
                    file: facts,
                    read: statement,
                    analysis: &analysis,
                })
                .unwrap();
        }
        store.record_file(path, facts, Some(&sha(index, 0)), Outcome::Ok, None).unwrap();
    }
    let moved = store.find_by_sha(&sha(5, 0)).unwrap().expect("stored");
    store.move_statement(moved.id, "/inbox/new/moved.txt", 0).unwrap();
    store.record_failure("/inbox/broken.pdf", Some(facts), "invalid PDF: couldn't parse input").unwrap();
    store.record_failure("/inbox/photo.png", None, "unsupported file type \"png\"").unwrap();
    store.mark_gone("/inbox/gone.txt").unwrap();
    if version >= 2 {
        let note = store.find_by_sha(&sha(2, 0)).unwrap().expect("stored");
        let text = store.correctable(note.id).unwrap().expect("stored").text;
        let correction = Correction {
            field: CorrectedField::SpeakerCountry,
            value: Some("AM".into()),
            original: None,
            original_source: None,
            corrected_at: String::new(),
        };
        let analysis = analyze(&text, Context { speaker_country: Some("AM") });
        store.apply_corrections(note.id, &[correction], &analysis).unwrap();
        store.set_setting("stability_ms", &750u64).unwrap();
    }
    // One self-contained file: no WAL beside it.
    store
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
        .unwrap();
    let stats = store.stats().unwrap();
    println!("wrote {}: {stats:?}", path.display());
}
