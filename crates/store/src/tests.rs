//! Unit tests of the store: schema, deduplication, versions, moves, gone files, logs.

use super::*;
use demarche_doc::{Encoding, Format, MetaSource, Metadata, Sourced};
use demarche_extract::{Accusation, Mention, MentionKind};

fn read(text: &str) -> ReadStatement {
    ReadStatement {
        format: Format::Text,
        encoding: Some(Encoding::Utf8),
        text: text.to_string(),
        meta: Metadata {
            title: Some(Sourced::new("A title".to_string(), MetaSource::FirstLine)),
            ..Metadata::default()
        },
    }
}

fn analysis() -> Analysis {
    Analysis {
        mentions: vec![Mention {
            start: 0,
            end: 7,
            text: "Armenia".into(),
            country: "AM".into(),
            kind: MentionKind::Name,
            sentence_start: 0,
            sentence_end: 31,
        }],
        accusations: vec![Accusation {
            start: 0,
            end: 30,
            sentence: "Armenia committed provocations.".into(),
            accuser: "AZ".into(),
            accused: "AM".into(),
            categories: vec!["provocation".into()],
            cue: "committed provocations".into(),
        }],
    }
}

const FACTS: FileFacts = FileFacts { size: 10, modified_ns: Some(1_665_705_600_000_000_000) };

fn insert(store: &mut Store, sha: &str, path: &str, item: usize, text: &str) -> Inserted {
    let read = read(text);
    let analysis = analysis();
    let statement = NewStatement { sha256: sha, path, item, file: FACTS, read: &read, analysis: &analysis };
    store.insert_statement(&statement).expect("insert")
}

fn new_id(inserted: Inserted) -> i64 {
    match inserted {
        Inserted::New { id, .. } => id,
        Inserted::Duplicate { existing } => panic!("unexpected duplicate of #{}", existing.id),
    }
}

#[test]
fn fresh_database_has_every_migration_and_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.sqlite3");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::MIGRATIONS.len() as i64);
    let mode: String = store.connection().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = store.connection().query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    drop(store);
    // Reopening applies nothing twice.
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), schema::MIGRATIONS.len() as i64);
}

#[test]
fn newer_schema_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.sqlite3");
    Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let error = Store::open(&path).err().expect("refused");
    assert!(error.to_string().contains("schema version 99"), "{error}");
}

#[test]
fn statement_is_stored_with_its_analysis_and_logged() {
    let mut store = Store::open_in_memory().unwrap();
    let id = new_id(insert(&mut store, "aa", "/in/a.txt", 0, "Armenia committed provocations."));
    let stats = store.stats().unwrap();
    assert_eq!((stats.statements, stats.mentions, stats.accusations), (1, 1, 1));
    let category: String =
        store.connection().query_row("SELECT category FROM accusation_categories", [], |r| r.get(0)).unwrap();
    assert_eq!(category, "provocation");
    let log = store.ingest_log(10, false).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].outcome, log[0].statement_id), (Outcome::Ok, Some(id)));
}

#[test]
fn same_content_twice_is_a_reported_duplicate_not_a_second_row() {
    let mut store = Store::open_in_memory().unwrap();
    let id = new_id(insert(&mut store, "aa", "/in/a.txt", 0, "text"));
    let again = insert(&mut store, "aa", "/in/copy.txt", 0, "text");
    assert!(matches!(again, Inserted::Duplicate { existing } if existing.id == id));
    let stats = store.stats().unwrap();
    assert_eq!((stats.statements, stats.duplicates_reported), (1, 1));
    let log = store.ingest_log(1, false).unwrap();
    assert_eq!(
        log[0].reason.as_deref(),
        Some(format!("same content as statement #{id} (/in/a.txt)").as_str())
    );
}

#[test]
fn changed_file_supersedes_the_old_version_which_stays_queryable() {
    let mut store = Store::open_in_memory().unwrap();
    let old = new_id(insert(&mut store, "v1", "/in/a.txt", 0, "first"));
    let Inserted::New { id: new, superseded } = insert(&mut store, "v2", "/in/a.txt", 0, "second") else {
        panic!("expected a new version");
    };
    assert_eq!(superseded, vec![old]);
    let stats = store.stats().unwrap();
    assert_eq!((stats.statements, stats.statement_versions), (1, 2));
    let by: Option<i64> = store
        .connection()
        .query_row("SELECT superseded_by FROM statements WHERE id = ?1", [old], |r| r.get(0))
        .unwrap();
    assert_eq!(by, Some(new));
    // The old text is still found by full-text search.
    let hits: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'first'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(hits, 1);
}

#[test]
fn shrinking_file_supersedes_the_items_it_no_longer_holds() {
    let mut store = Store::open_in_memory().unwrap();
    for (item, sha) in ["i0", "i1", "i2"].iter().enumerate() {
        insert(&mut store, sha, "/in/batch.json", item, sha);
    }
    assert_eq!(store.supersede_items_from("/in/batch.json", 1).unwrap(), 2);
    assert_eq!(store.stats().unwrap().statements, 1);
}

#[test]
fn moved_statement_follows_its_file() {
    let mut store = Store::open_in_memory().unwrap();
    let id = new_id(insert(&mut store, "aa", "/in/a.txt", 0, "text"));
    store.move_statement(id, "/in/sub/b.txt", 0).unwrap();
    let found = store.find_by_sha("aa").unwrap().unwrap();
    assert_eq!(found.path, "/in/sub/b.txt");
    assert_eq!(store.ingest_log(1, false).unwrap()[0].reason.as_deref(), Some("moved from /in/a.txt"));
}

#[test]
fn gone_files_keep_their_statements_and_folders_mark_everything_under_them() {
    let mut store = Store::open_in_memory().unwrap();
    for (sha, path) in [("a", "/in/x/a.txt"), ("b", "/in/x/b.txt"), ("c", "/in/xy.txt")] {
        insert(&mut store, sha, path, 0, sha);
        store.record_file(path, FACTS, Some(sha), Outcome::Ok, None).unwrap();
    }
    assert_eq!(store.mark_gone("/in/x").unwrap(), 2, "the sibling /in/xy.txt is not under /in/x");
    let stats = store.stats().unwrap();
    assert_eq!((stats.statements, stats.files_gone), (3, 2));
    assert!(!store.file_record("/in/x/a.txt").unwrap().unwrap().present);
    assert_eq!(store.present_files_under("/in").unwrap(), vec!["/in/xy.txt".to_string()]);
    // Marking again finds nothing new.
    assert_eq!(store.mark_gone("/in/x").unwrap(), 0);
}

#[test]
fn failures_are_logged_with_reason_and_counted_per_file() {
    let mut store = Store::open_in_memory().unwrap();
    store.record_failure("/in/bad.pdf", Some(FACTS), "no text layer (scanned PDF?)").unwrap();
    store.record_failure("/in/bad.pdf", Some(FACTS), "no text layer (scanned PDF?)").unwrap();
    assert_eq!(store.stats().unwrap().failed_files, 1);
    let failures = store.ingest_log(10, true).unwrap();
    assert_eq!(failures.len(), 2);
    assert_eq!(failures[0].reason.as_deref(), Some("no text layer (scanned PDF?)"));
    let record = store.file_record("/in/bad.pdf").unwrap().unwrap();
    assert_eq!((record.last_outcome, record.facts), (Outcome::Failed, FACTS));
}

#[test]
fn integrity_check_passes_on_a_used_database() {
    let mut store = Store::open_in_memory().unwrap();
    insert(&mut store, "aa", "/in/a.txt", 0, "text");
    assert_eq!(store.integrity_check().unwrap(), Ok(()));
}

#[test]
fn daily_counts_follow_current_statements() {
    let mut store = Store::open_in_memory().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2022, 10, 14).unwrap();
    let analysis = analysis();
    for (sha, text) in [("v1", "first"), ("v2", "second")] {
        let mut read = read(text);
        read.meta.date = Some(Sourced::new(day, MetaSource::FileName));
        let statement = NewStatement {
            sha256: sha,
            path: "/in/a.txt",
            item: 0,
            file: FACTS,
            read: &read,
            analysis: &analysis,
        };
        store.insert_statement(&statement).unwrap();
    }
    let counts = |store: &Store| -> Vec<(String, String, String, i64)> {
        let sql = "SELECT day, country, measure, count FROM daily_counts ORDER BY measure, country";
        let mut query = store.connection().prepare(sql).unwrap();
        let rows = query.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap();
        rows.map(|row| row.unwrap()).collect()
    };
    let row = |country: &str, measure: &str| {
        ("2022-10-14".to_string(), country.to_string(), measure.to_string(), 1)
    };
    // Two versions were stored, but only the current one counts.
    assert_eq!(
        counts(&store),
        vec![
            row("AM", "accused"),
            row("AZ", "accuser"),
            row("AM", "mentions"),
            row("*", "statements"),
            row("AM", "statements"),
        ]
    );
    store.supersede_items_from("/in/a.txt", 0).unwrap();
    assert!(counts(&store).is_empty());
}

#[test]
fn settings_round_trip_as_json_and_a_malformed_value_names_its_key() {
    let mut store = Store::open_in_memory().unwrap();
    assert_eq!(store.setting::<Vec<String>>("watch_folders").unwrap(), None);
    store.set_setting("watch_folders", &vec!["/a b/c", "/d"]).unwrap();
    store.set_setting("stability_ms", &750u64).unwrap();
    assert_eq!(store.setting::<Vec<String>>("watch_folders").unwrap().unwrap(), ["/a b/c", "/d"]);
    assert_eq!(store.setting::<u64>("stability_ms").unwrap(), Some(750));
    let error = store.setting::<u64>("watch_folders").unwrap_err().to_string();
    assert!(error.contains("watch_folders"), "{error}");
}

#[test]
fn a_batch_stores_each_statement_as_one_insert_would_and_reports_duplicates_within_it() {
    let (first, second) = (read("first"), read("second"));
    let analysis = analysis();
    let statement =
        |sha, path, read| NewStatement { sha256: sha, path, item: 0, file: FACTS, read, analysis: &analysis };
    let batch = [
        statement("b1", "/in/a.txt", &first),
        statement("b2", "/in/b.txt", &second),
        statement("b1", "/in/c.txt", &first),
    ];
    let mut store = Store::open_in_memory().unwrap();
    let inserted = store.insert_statements(&batch).unwrap();
    assert!(matches!(inserted[..], [Inserted::New { .. }, Inserted::New { .. }, Inserted::Duplicate { .. }]));
    let stats = store.stats().unwrap();
    assert_eq!(
        (stats.statements, stats.mentions, stats.accusations, stats.duplicates_reported),
        (2, 2, 2, 1)
    );
    assert_eq!(store.ingest_log(10, false).unwrap().len(), 3);
}

/// Every count table, recomputed from the current statements' rows: what each must
/// hold after any sequence of writes. Rows as (period, key, key, count), sorted.
const RECOUNTS: &[(&str, &str)] = &[
    (
        "SELECT day, country, measure, count FROM daily_counts ORDER BY 1, 2, 3",
        "WITH current AS (SELECT id, date FROM statements WHERE superseded_at IS NULL AND date IS NOT NULL)
         SELECT day, country, measure, sum(n) FROM (
             SELECT c.date AS day, m.country, 'mentions' AS measure, count(*) AS n
                 FROM mentions m JOIN current c ON c.id = m.statement_id GROUP BY 1, 2
             UNION ALL SELECT c.date, m.country, 'statements', count(DISTINCT c.id)
                 FROM mentions m JOIN current c ON c.id = m.statement_id GROUP BY 1, 2
             UNION ALL SELECT date, '*', 'statements', count(*) FROM current GROUP BY 1
             UNION ALL SELECT c.date, a.accused, 'accused', count(*)
                 FROM accusations a JOIN current c ON c.id = a.statement_id GROUP BY 1, 2
             UNION ALL SELECT c.date, a.accuser, 'accuser', count(*)
                 FROM accusations a JOIN current c ON c.id = a.statement_id GROUP BY 1, 2
         ) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    ),
    (
        "SELECT month, country, measure, count FROM monthly_counts ORDER BY 1, 2, 3",
        "SELECT substr(day, 1, 8) || '01', country, measure, sum(count) FROM daily_counts
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    ),
    (
        "SELECT day, accuser, accused, count FROM pair_counts ORDER BY 1, 2, 3",
        "SELECT s.date, a.accuser, a.accused, count(*) FROM accusations a JOIN statements s ON s.id = a.statement_id
         WHERE s.superseded_at IS NULL AND s.date IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    ),
    (
        "SELECT month, accuser, accused, count FROM monthly_pair_counts ORDER BY 1, 2, 3",
        "SELECT substr(s.date, 1, 8) || '01', a.accuser, a.accused, count(*)
         FROM accusations a JOIN statements s ON s.id = a.statement_id
         WHERE s.superseded_at IS NULL AND s.date IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    ),
];

fn assert_counts_equal_a_recount(store: &Store, after: &str) {
    let rows = |sql: &str| -> Vec<(String, String, String, i64)> {
        let mut query = store.connection().prepare(sql).unwrap();
        let rows = query.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))).unwrap();
        rows.map(|row| row.unwrap()).collect()
    };
    for (table, recount) in RECOUNTS {
        let kept = rows(table);
        assert_eq!(kept, rows(recount), "after {after}: {table}");
        assert!(!kept.iter().any(|(_, _, _, count)| *count == 0), "after {after}: no zero counts in {table}");
    }
}

/// The count tables are kept in step statement by statement; after inserts, new
/// versions, an undo to an earlier version, corrections (a date moved to another month,
/// a changed analysis), a file holding fewer statements, and a rolled-back batch, each
/// must equal the counts recomputed from the current statements' rows.
#[test]
fn count_tables_equal_a_recount_of_the_current_statements_after_every_kind_of_change() {
    let mention = |country: &str| Mention {
        start: 0,
        end: 1,
        text: country.into(),
        country: country.into(),
        kind: MentionKind::Name,
        sentence_start: 0,
        sentence_end: 1,
    };
    let accusation = |accuser: &str, accused: &str| Accusation {
        start: 0,
        end: 1,
        sentence: "s".into(),
        accuser: accuser.into(),
        accused: accused.into(),
        categories: vec![],
        cue: "accused".into(),
    };
    let analysis = |mentions: &[&str], accusations: &[(&str, &str)]| Analysis {
        mentions: mentions.iter().map(|country| mention(country)).collect(),
        accusations: accusations.iter().map(|(accuser, accused)| accusation(accuser, accused)).collect(),
    };
    let day = |month, d| {
        Some(Sourced::new(chrono::NaiveDate::from_ymd_opt(2022, month, d).unwrap(), MetaSource::FileName))
    };
    let cases = [
        ("s1", "/in/a.txt", day(10, 14), analysis(&["AM", "AZ", "AM", "FR"], &[("AZ", "AM"), ("XX", "AM")])),
        ("s2", "/in/b.txt", day(10, 14), analysis(&["AM"], &[])),
        ("s3", "/in/c.txt", day(10, 15), analysis(&["RU", "UA", "RU"], &[("UA", "RU"), ("UA", "RU")])),
        ("s4", "/in/d.txt", None, analysis(&["US"], &[("US", "IR")])),
        // A new version of a.txt on another day: the first version's counts go away.
        ("s5", "/in/a.txt", day(10, 16), analysis(&["AZ"], &[("AM", "AZ")])),
        ("s6", "/in/e.txt", day(10, 31), analysis(&["AZ", "AM"], &[("AZ", "AM")])),
        ("s7", "/in/f.txt", day(11, 1), analysis(&["AZ"], &[("AZ", "AM"), ("AM", "AZ")])),
    ];
    let mut store = Store::open_in_memory().unwrap();
    let mut ids = std::collections::HashMap::new();
    for (sha, path, date, analysis) in &cases {
        let mut read = read(sha);
        read.meta.date = date.clone();
        let statement = NewStatement { sha256: sha, path, item: 0, file: FACTS, read: &read, analysis };
        ids.insert(*sha, new_id(store.insert_statement(&statement).unwrap()));
        assert_counts_equal_a_recount(&store, &format!("inserting {sha}"));
    }
    let stats = store.stats().unwrap();
    assert_eq!((stats.mentions, stats.accusations), (9, 7));

    // The file went back to its first content: s1 counts again, s5 no longer.
    store.reinstate_statement(ids["s1"]).unwrap();
    assert_counts_equal_a_recount(&store, "reinstating s1");

    // A correction moves s6 into November and re-analyses it.
    let correction = |value: &str, original: &str| Correction {
        field: CorrectedField::Date,
        value: Some(value.into()),
        original: Some(original.into()),
        original_source: Some("file_name".into()),
        corrected_at: String::new(),
    };
    let corrected = analysis(&["FR"], &[("FR", "AZ")]);
    store.apply_corrections(ids["s6"], &[correction("2022-11-02", "2022-10-31")], &corrected).unwrap();
    assert_counts_equal_a_recount(&store, "correcting the date of s6");
    // A correction of a superseded version changes nothing that counts.
    store.apply_corrections(ids["s5"], &[correction("2022-12-01", "2022-10-16")], &corrected).unwrap();
    assert_counts_equal_a_recount(&store, "correcting superseded s5");
    // Undoing the correction restores the original date.
    store.apply_corrections(ids["s6"], &[correction("2022-10-31", "2022-10-31")], &corrected).unwrap();
    assert_counts_equal_a_recount(&store, "undoing the correction of s6");

    // A file that now holds no statement at item 0, and one gone from disk (which
    // keeps its statements current, flagged).
    store.supersede_items_from("/in/c.txt", 0).unwrap();
    assert_counts_equal_a_recount(&store, "superseding c.txt");
    store.record_file("/in/f.txt", FACTS, Some("s7"), Outcome::Ok, None).unwrap();
    assert_eq!(store.mark_gone("/in/f.txt").unwrap(), 1);
    assert_counts_equal_a_recount(&store, "f.txt gone");

    // One batch holding a statement, its replacement and an undo to it: the batch
    // writes its summed changes at commit.
    let (first, second) = (analysis(&["JP", "CN"], &[("JP", "CN")]), analysis(&["CN"], &[("CN", "JP")]));
    let (mut early, mut late) = (read("h1"), read("h2"));
    (early.meta.date, late.meta.date) = (day(12, 30), day(1, 2));
    let mut batch = store.begin_batch().unwrap();
    let version = |sha, read, analysis| NewStatement {
        sha256: sha,
        path: "/in/h.txt",
        item: 0,
        file: FACTS,
        read,
        analysis,
    };
    let Inserted::New { id: h1, .. } = batch.insert_statement(&version("h1", &early, &first)).unwrap() else {
        panic!("new")
    };
    batch.insert_statement(&version("h2", &late, &second)).unwrap();
    batch.reinstate_statement(h1).unwrap();
    batch.insert_statement(&version("h3", &late, &second)).unwrap();
    batch.commit().unwrap();
    assert_counts_equal_a_recount(&store, "a batch of versions of one file");

    // A batch dropped before its commit leaves no count behind.
    let lost = analysis(&["JP"], &[("JP", "CN")]);
    let mut read = read("lost");
    read.meta.date = day(12, 24);
    let mut batch = store.begin_batch().unwrap();
    let statement =
        NewStatement { sha256: "s9", path: "/in/g.txt", item: 0, file: FACTS, read: &read, analysis: &lost };
    batch.insert_statement(&statement).unwrap();
    drop(batch);
    assert_counts_equal_a_recount(&store, "a rolled-back batch");

    // The totals read from the daily counts (plus the dateless statements) are the
    // counts of the current statements' rows.
    let joined = |table: &str| -> i64 {
        let sql = format!(
            "SELECT count(*) FROM {table} x JOIN statements s ON s.id = x.statement_id WHERE s.superseded_at IS NULL"
        );
        store.connection().query_row(&sql, [], |row| row.get(0)).unwrap()
    };
    let stats = store.stats().unwrap();
    assert_eq!((stats.mentions, stats.accusations), (joined("mentions"), joined("accusations")));
    assert_eq!((stats.mentions, stats.accusations), (9, 7));
    // Charts count the current statements the same way (`Provenance::collect`).
    let statements: i64 = store
        .connection()
        .query_row(
            "SELECT (SELECT sum(count) FROM daily_counts WHERE measure = 'statements' AND country = '*')
                  + (SELECT count(*) FROM statements WHERE superseded_at IS NULL AND date IS NULL)",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(statements, stats.statements);
}

/// The chart filters on speaker and source, and the count upkeep, read indexes only:
/// at a million statements a row per candidate statement (or per mention) is millions
/// of page reads.
#[test]
fn filters_and_count_upkeep_read_indexes_not_statement_rows() {
    let store = Store::open_in_memory().unwrap();
    let plan = |sql: &str| -> String {
        let mut query = store.connection().prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = query.query_map([], |row| row.get::<_, String>(3)).unwrap();
        rows.map(|row| row.unwrap()).collect::<Vec<_>>().join("; ")
    };
    let check = |sql: &str, expect: &str| {
        let plan = plan(sql);
        assert!(plan.contains(expect), "{sql}\nplan: {plan}\nexpected: {expect}");
    };
    check(
        "SELECT m.country, count(*) FROM mentions m JOIN statements s ON s.id = m.statement_id
         WHERE s.superseded_at IS NULL AND s.date IS NOT NULL AND s.date >= '2020-01-01' AND s.date <= '2021-01-01'
         AND s.speaker = 'Petra Lind' COLLATE NOCASE GROUP BY m.country",
        "SEARCH s USING COVERING INDEX statements_current_speaker_date (speaker=? AND date>? AND date<?)",
    );
    check(
        "SELECT min(s.date), max(s.date) FROM statements s
         WHERE s.superseded_at IS NULL AND s.date IS NOT NULL AND s.source = 'Kremlin' COLLATE NOCASE",
        "SEARCH s USING COVERING INDEX statements_current_source_date (source=?",
    );
    check(
        "SELECT country, count(*) FROM mentions WHERE statement_id = 7 GROUP BY country",
        "SEARCH mentions USING COVERING INDEX mentions_statement_country (statement_id=?)",
    );
    check(
        "DELETE FROM daily_counts WHERE count = 0 AND (measure, country, day) IN
         (SELECT value ->> 0, value ->> 1, '2022-10-14' FROM json_each('[]'))",
        "USING PRIMARY KEY (measure=? AND country=? AND day=?)",
    );
    check(
        "SELECT day, country, count FROM daily_counts WHERE measure = 'mentions' AND country != '*'
         AND day >= '2020-01-01' AND day <= '2020-01-20'",
        "USING INDEX daily_counts_day (measure=? AND day>? AND day<?)",
    );
}

/// The full-text index is fed once per batch: what it finds must equal what an index
/// rebuilt from the statements finds, and FTS5's own check against the statements must
/// pass, after single inserts, batches with duplicates, new versions and a rolled-back
/// batch.
#[test]
fn full_text_index_fed_per_batch_finds_what_a_rebuilt_index_finds() {
    let mut store = Store::open_in_memory().unwrap();
    insert(&mut store, "s1", "/in/a.txt", 0, "Armenia rejected the ceasefire proposal");
    let (texts, analysis) =
        (["ceasefire talks resumed", "embassy shelling condemned", "ceasefire talks resumed"], analysis());
    let reads: Vec<ReadStatement> = texts.iter().map(|text| read(text)).collect();
    let mut batch = store.begin_batch().unwrap();
    for (index, (sha, path)) in
        [("s2", "/in/b.txt"), ("s3", "/in/c.txt"), ("s2", "/in/d.txt")].iter().enumerate()
    {
        let statement = NewStatement {
            sha256: sha,
            path,
            item: 0,
            file: FACTS,
            read: &reads[index],
            analysis: &analysis,
        };
        batch.insert_statement(&statement).unwrap();
    }
    batch.commit().unwrap();
    let mut rolled_back = store.begin_batch().unwrap();
    let lost = read("rolled back shelling");
    let statement = NewStatement {
        sha256: "s9",
        path: "/in/e.txt",
        item: 0,
        file: FACTS,
        read: &lost,
        analysis: &analysis,
    };
    rolled_back.insert_statement(&statement).unwrap();
    drop(rolled_back);
    insert(&mut store, "s4", "/in/a.txt", 0, "Armenia accepted the ceasefire proposal");

    let queries =
        ["ceasefire", "shelling", "Armenia AND proposal", "title", "rolled", "accepted OR rejected"];
    let search = |store: &Store| -> Vec<Vec<i64>> {
        let conn = store.connection();
        let mut query = conn
            .prepare("SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?1 ORDER BY rowid")
            .unwrap();
        queries
            .iter()
            .map(|q| query.query_map([q], |row| row.get(0)).unwrap().map(|row| row.unwrap()).collect())
            .collect()
    };
    let fed = search(&store);
    assert_eq!(fed, vec![vec![1, 2, 4], vec![3], vec![1, 4], vec![1, 2, 3, 4], vec![], vec![1, 4]]);
    let check = "INSERT INTO statements_fts (statements_fts, rank) VALUES ('integrity-check', 1)";
    store.connection().execute(check, []).expect("the index matches the statements");
    store.connection().execute("INSERT INTO statements_fts (statements_fts) VALUES ('rebuild')", []).unwrap();
    assert_eq!(search(&store), fed);
}

/// The text lives in its own table (schema version 5), and the full-text index reads it
/// through a view: a changed title, a changed text and a removed statement must leave
/// the index as a rebuild from the stored texts would.
#[test]
fn full_text_index_follows_a_changed_title_a_changed_text_and_a_removed_statement() {
    let mut store = Store::open_in_memory().unwrap();
    let first = new_id(insert(&mut store, "s1", "/in/a.txt", 0, "Armenia rejected the ceasefire proposal"));
    let second = new_id(insert(&mut store, "s2", "/in/b.txt", 0, "embassy shelling condemned"));
    let third = new_id(insert(&mut store, "s3", "/in/c.txt", 0, "ceasefire talks resumed"));
    let conn = store.connection();
    conn.execute("UPDATE statements SET title = 'Truce' WHERE id = ?1", [first]).unwrap();
    conn.execute("UPDATE statement_texts SET text = 'embassy reopened' WHERE statement_id = ?1", [second])
        .unwrap();
    conn.execute("DELETE FROM ingest_log WHERE statement_id = ?1", [third]).unwrap();
    conn.execute("DELETE FROM statements WHERE id = ?1", [third]).unwrap();
    let texts: i64 = conn.query_row("SELECT count(*) FROM statement_texts", [], |row| row.get(0)).unwrap();
    assert_eq!(texts, 2, "the removed statement's text went with it");

    let search = |query: &str| -> Vec<i64> {
        let mut statement = conn
            .prepare("SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?1 ORDER BY rowid")
            .unwrap();
        statement.query_map([query], |row| row.get(0)).unwrap().map(|row| row.unwrap()).collect()
    };
    let check = [
        ("truce", vec![first]),
        ("ceasefire", vec![first]),
        ("shelling", vec![]),
        ("reopened", vec![second]),
    ];
    for (query, expect) in &check {
        assert_eq!(&search(query), expect, "{query}");
    }
    let integrity = "INSERT INTO statements_fts (statements_fts, rank) VALUES ('integrity-check', 1)";
    conn.execute(integrity, []).expect("the index matches the stored texts");
    conn.execute("INSERT INTO statements_fts (statements_fts) VALUES ('rebuild')", []).unwrap();
    for (query, expect) in &check {
        assert_eq!(&search(query), expect, "{query}, rebuilt");
    }
}

/// Writes `batches` batches of `per_batch` statements each (a few KB of text apiece)
/// through `begin_batch`, with a background checkpointer under `policy`, and returns
/// its report, the largest log seen by the hook after a commit, and the autocheckpoint
/// setting during and after the run.
fn checkpointed_run(
    policy: CheckpointPolicy,
    batches: usize,
    per_batch: usize,
) -> (CheckpointReport, i64, i64) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("db.sqlite3")).unwrap();
    store.start_background_checkpoints(policy).unwrap();
    let during: i64 = store.connection().query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
    let text = "Armenia committed provocations. ".repeat(100);
    let (read, analysis) = (read(&text), analysis());
    for batch_number in 0..batches {
        let mut batch = store.begin_batch().unwrap();
        for item in 0..per_batch {
            let sha = format!("{batch_number}-{item}");
            let path = format!("/inbox/{batch_number}-{item}.txt");
            let statement = NewStatement {
                sha256: &sha,
                path: &path,
                item: 0,
                file: FACTS,
                read: &read,
                analysis: &analysis,
            };
            batch.insert_statement(&statement).unwrap();
        }
        batch.commit().unwrap();
    }
    let report = store.stop_background_checkpoints().unwrap().expect("a checkpointer ran");
    let after: i64 = store.connection().query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0)).unwrap();
    assert_eq!(store.stats().unwrap().statements, (batches * per_batch) as i64);
    assert_eq!(store.integrity_check().unwrap(), Ok(()));
    (report, during, after)
}

#[test]
fn a_background_checkpointer_copies_the_log_back_and_the_limit_reached_at_the_limit() {
    // (policy, batches, statements per batch, expect checkpoints, expect the writer to wait)
    let cases = [
        // The default policy: a small run never reaches the start, only the final one runs.
        (CheckpointPolicy::default(), 3, 5, 1..=1, false),
        // A checkpoint after commits (one may cover several), and a limit every batch
        // reaches: at most one checkpoint for each commit, one the writer waits for
        // before each batch, and the final one.
        (CheckpointPolicy { start_pages: 1, limit_pages: 2 }, 6, 5, 2..=13, true),
        // A checkpoint after commits, a limit no batch reaches.
        (CheckpointPolicy { start_pages: 1, limit_pages: 1_000_000 }, 6, 5, 1..=7, false),
    ];
    for (policy, batches, per_batch, checkpoints, waits) in cases {
        let (report, during, after) = checkpointed_run(policy, batches, per_batch);
        assert!(checkpoints.contains(&report.checkpoints), "{policy:?}: {report:?}");
        assert!(report.pages_copied > 0, "{policy:?}: {report:?}");
        assert_eq!(report.limit_reached > 0, waits, "{policy:?}: {report:?}");
        assert_eq!(report.busy, 0, "{policy:?}: {report:?}");
        // The writer's own checkpoint is off while the checkpointer runs, and back after.
        assert_eq!((during, after), (0, AUTOCHECKPOINT_PAGES), "{policy:?}");
    }
}

#[test]
fn the_log_stays_bounded_while_the_writer_outpaces_the_checkpointer() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let policy = CheckpointPolicy { start_pages: 50, limit_pages: 200 };
    store.start_background_checkpoints(policy).unwrap();
    let text = "Armenia committed provocations. ".repeat(100);
    let (read, analysis) = (read(&text), analysis());
    let mut largest_log = 0;
    for number in 0..400 {
        let mut batch = store.begin_batch().unwrap();
        let (sha, path) = (format!("{number}"), format!("/inbox/{number}.txt"));
        let statement = NewStatement {
            sha256: &sha,
            path: &path,
            item: 0,
            file: FACTS,
            read: &read,
            analysis: &analysis,
        };
        batch.insert_statement(&statement).unwrap();
        batch.commit().unwrap();
        let wal = std::fs::metadata(dir.path().join("db.sqlite3-wal")).map_or(0, |m| m.len());
        largest_log = largest_log.max(wal);
    }
    let report = store.stop_background_checkpoints().unwrap().unwrap();
    // The log restarts from its beginning after a complete checkpoint, so its file is
    // as long as the longest log: the limit and one transaction past it at most.
    let page = 4096 + 24;
    assert!(largest_log <= (policy.limit_pages as u64 + 100) * page, "{largest_log} bytes; {report:?}");
    assert!(report.checkpoints >= 2, "{report:?}");
}

#[test]
fn a_database_in_memory_has_no_checkpointer_to_run() {
    let mut store = Store::open_in_memory().unwrap();
    store.start_background_checkpoints(CheckpointPolicy::default()).unwrap();
    insert(&mut store, "a", "/a.txt", 0, "Armenia committed provocations.");
    assert_eq!(store.stop_background_checkpoints().unwrap(), Some(CheckpointReport::default()));
    assert_eq!(store.stop_background_checkpoints().unwrap(), None);
}

/// The totals, read from the daily counts and index ranges, are the counts of the rows
/// themselves, with and without dates, after a new version and a failed file.
#[test]
fn totals_are_the_counts_of_the_rows() {
    let mut store = Store::open_in_memory().unwrap();
    let check = |store: &Store, label: &str| {
        let rows = |sql: &str| -> i64 { store.connection().query_row(sql, [], |row| row.get(0)).unwrap() };
        let expect = Totals {
            statements: rows("SELECT count(*) FROM statements WHERE superseded_at IS NULL"),
            mentions: rows(
                "SELECT count(*) FROM mentions WHERE statement_id IN
                    (SELECT id FROM statements WHERE superseded_at IS NULL)",
            ),
            accusations: rows(
                "SELECT count(*) FROM accusations WHERE statement_id IN
                    (SELECT id FROM statements WHERE superseded_at IS NULL)",
            ),
            failed_files: rows("SELECT count(*) FROM files WHERE last_outcome = 'failed'"),
        };
        assert_eq!(store.totals().unwrap(), expect, "{label}");
    };
    let insert_on = |store: &mut Store, sha: &str, path: &str, day: Option<u32>| {
        let mut read = read("Armenia committed provocations.");
        read.meta.date = day.map(|day| {
            Sourced::new(chrono::NaiveDate::from_ymd_opt(2022, 10, day).unwrap(), MetaSource::FileName)
        });
        let analysis = analysis();
        let statement =
            NewStatement { sha256: sha, path, item: 0, file: FACTS, read: &read, analysis: &analysis };
        store.insert_statement(&statement).unwrap();
    };
    check(&store, "empty");
    insert_on(&mut store, "a", "/a.txt", Some(1));
    check(&store, "one dated");
    insert_on(&mut store, "b", "/b.txt", None);
    check(&store, "one dated, one without a date");
    insert_on(&mut store, "c", "/a.txt", Some(2));
    check(&store, "a new version of the dated one");
    insert_on(&mut store, "d", "/b.txt", Some(3));
    check(&store, "the one without a date dated by its new version");
    store.record_failure("/broken.pdf", None, "not a PDF").unwrap();
    check(&store, "a failed file");
    assert_eq!(store.totals().unwrap().statements, 2);
}
