//! The `demarche` command-line contract, exercised through the real binary: what other
//! tools and checks rely on must keep working.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/samples")
}

fn demarche(args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_demarche"))
        .args(args)
        .env("DEMARCHE_DB", db)
        .output()
        .expect("demarche runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stats(db: &Path) -> serde_json::Value {
    let output = demarche(&["stats", "--json"], db);
    assert!(output.status.success());
    serde_json::from_str(&stdout(&output)).unwrap()
}

#[test]
fn ingesting_the_samples_twice_stores_one_statement_and_reports_a_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/demarche.sqlite3");
    let samples = samples();
    let first = demarche(&["ingest", samples.to_str().unwrap()], &db);
    assert!(first.status.success(), "{first:?}");
    assert!(stdout(&first).contains("1 files: 1 statements ingested, 0 duplicates"), "{}", stdout(&first));
    assert_eq!(stats(&db)["statements"], 1);

    let second = demarche(&["ingest", samples.to_str().unwrap()], &db);
    assert!(second.status.success());
    assert!(stdout(&second).contains("duplicate of statement #1"), "{}", stdout(&second));
    assert!(stdout(&second).contains("0 statements ingested, 1 duplicates"), "{}", stdout(&second));
    let stats = stats(&db);
    assert_eq!((stats["statements"].as_i64(), stats["duplicates_reported"].as_i64()), (Some(1), Some(1)));
}

#[test]
fn failed_files_do_not_fail_the_run_but_are_listed_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demarche.sqlite3");
    std::fs::write(dir.path().join("empty.txt"), "").unwrap();
    let output = demarche(&["ingest", dir.path().join("empty.txt").to_str().unwrap()], &db);
    assert!(output.status.success(), "a completed run exits 0");
    assert!(stdout(&output).contains("empty.txt: failed: empty file"), "{}", stdout(&output));
    assert_eq!(stats(&db)["failed_files"], 1);
    let log = demarche(&["log", "--failed", "--json"], &db);
    let entry: serde_json::Value = serde_json::from_str(stdout(&log).lines().next().unwrap()).unwrap();
    assert_eq!((entry["outcome"].as_str(), entry["reason"].as_str()), (Some("failed"), Some("empty file")));
}

#[test]
fn an_unusable_database_is_a_fatal_error_with_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_database = dir.path().join("notes.txt");
    std::fs::write(&not_a_database, "this is not SQLite, just some text long enough to be a header.....")
        .unwrap();
    let output = demarche(&["ingest", samples().to_str().unwrap()], &not_a_database);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("notes.txt"), "names the database: {stderr}");
}

#[test]
fn extract_prints_the_contract_fields_as_one_json_line_per_statement() {
    let dir = tempfile::tempdir().unwrap();
    let sample = samples().join("2022-10-14_aliyev-cis-astana.txt");
    let output =
        demarche(&["extract", sample.to_str().unwrap(), "--json"], &dir.path().join("unused.sqlite3"));
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    assert_eq!(text.lines().count(), 1);
    let record: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    for field in [
        "path",
        "title",
        "date",
        "date_source",
        "source",
        "speaker",
        "speaker_country",
        "text",
        "mentions",
        "accusations",
    ] {
        assert!(record.get(field).is_some(), "{field} in {record}");
    }
    assert_eq!(record["date"], "2022-10-14");
    assert_eq!(record["date_source"], "file_name");
    assert_eq!(record["source"], "Qazet.az");
    assert_eq!(record["speaker"], "Ilham Aliyev");
    assert_eq!(record["speaker_country"], "AZ");
    assert_eq!(record["text"].as_str().unwrap(), std::fs::read_to_string(&sample).unwrap());
    assert!(!dir.path().join("unused.sqlite3").exists(), "extract touches no database");
}

#[test]
fn extract_reports_unreadable_files_on_stderr_and_exits_nonzero() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let output = demarche(&["extract", empty.to_str().unwrap(), "--json"], &dir.path().join("db.sqlite3"));
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("empty.txt: empty file"));
}

#[test]
fn chart_exports_follow_the_extension_and_carry_the_series() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demarche.sqlite3");
    assert!(demarche(&["ingest", samples().to_str().unwrap()], &db).status.success());
    for extension in ["svg", "csv", "png", "pdf"] {
        let out = dir.path().join(format!("mentions.{extension}"));
        let args =
            ["chart", "mentions", "--from", "2022-10", "--to", "2022-10", "--out", out.to_str().unwrap()];
        let output = demarche(&args, &db);
        assert!(output.status.success(), "{extension}: {output:?}");
        let bytes = std::fs::read(&out).unwrap();
        match extension {
            "svg" | "csv" => assert!(String::from_utf8_lossy(&bytes).contains("Azerbaijan"), "{extension}"),
            "png" => assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n")),
            _ => assert!(bytes.starts_with(b"%PDF-")),
        }
    }
    let unknown = demarche(&["chart", "mentions", "--out", dir.path().join("x.gif").to_str().unwrap()], &db);
    assert!(!unknown.status.success(), "an unknown extension is refused");
}

/// The library commands give what the app shows: the list, one statement, the
/// sentences behind a chart's number, and corrections that re-analyse the statement.
#[test]
fn list_show_evidence_and_correct_work_headless() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demarche.sqlite3");
    let samples = samples();
    assert!(demarche(&["ingest", samples.to_str().unwrap()], &db).status.success());
    let json = |args: &[&str]| -> serde_json::Value {
        let output = demarche(args, &db);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_str(&stdout(&output)).unwrap()
    };

    let page = json(&["list", "--json", "--query", "Astana"]);
    assert_eq!(page["total"], 1);
    let id = page["rows"][0]["id"].as_i64().unwrap();
    assert_eq!(json(&["list", "--json", "--query", "Reykjavik"])["total"], 0);

    let detail = json(&["show", &id.to_string(), "--json"]);
    let accused: Vec<&str> =
        detail["accusations"].as_array().unwrap().iter().map(|a| a["accused"].as_str().unwrap()).collect();
    assert!(accused.contains(&"AM"), "{accused:?}");
    let armenia = accused.iter().filter(|code| **code == "AM").count();

    // The matrix cell AZ → AM opens to exactly the sentences accusing Armenia.
    let cell = json(&["evidence", "matrix", "--row", "AZ", "--key", "AM", "--json"]);
    assert_eq!(cell["total"], armenia);
    let sentence = cell["items"][0]["sentence"].as_str().unwrap();
    let text = detail["text"].as_str().unwrap();
    assert!(text.contains(sentence));

    // Correcting the speaker's country makes it the accuser of the speaker's own words.
    let output = demarche(&["correct", &id.to_string(), "--speaker-country", "KZ"], &db);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let corrected = json(&["show", &id.to_string(), "--json"]);
    let field = corrected["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "speaker_country")
        .unwrap()
        .clone();
    assert_eq!((field["value"].as_str(), field["source"].as_str()), (Some("KZ"), Some("correction")));
    let accusers: Vec<&str> =
        corrected["accusations"].as_array().unwrap().iter().map(|a| a["accuser"].as_str().unwrap()).collect();
    assert!(accusers.contains(&"KZ") && !accusers.contains(&"AZ"), "{accusers:?}");
    assert_eq!(json(&["evidence", "matrix", "--row", "AZ", "--key", "AM", "--json"])["total"], 0);

    let refused = demarche(&["correct", &id.to_string(), "--date", "14 October"], &db);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn the_size_cap_and_time_limit_are_options_and_refusals_name_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demarche.sqlite3");
    let big = dir.path().join("big.txt");
    std::fs::write(&big, "Japan protested. ".repeat(2 * 1024 * 1024 / 17 + 1)).unwrap();
    let capped = demarche(&["ingest", "--max-size-mib", "1", big.to_str().unwrap()], &db);
    assert!(capped.status.success(), "{capped:?}");
    assert!(
        stdout(&capped).contains("failed: file is 2.0 MiB, over the 1.0 MiB size limit"),
        "{}",
        stdout(&capped)
    );

    let rushed = demarche(&["ingest", "--time-limit", "0.001", big.to_str().unwrap()], &db);
    assert!(
        stdout(&rushed).contains("timed out: reading and analysing took longer than the 1 ms limit"),
        "{}",
        stdout(&rushed)
    );
    let refused = demarche(&["ingest", "--time-limit", "0", big.to_str().unwrap()], &db);
    assert_eq!(refused.status.code(), Some(2));
}

/// CI runs the benchmark's small configuration so it never rots; what it measures is
/// printed, never asserted.
#[test]
fn bench_quick_runs_every_benchmark_and_prints_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    let output =
        demarche(&["bench", "--quick", "--work", work.to_str().unwrap()], &dir.path().join("unused.sqlite3"));
    assert!(output.status.success(), "{output:?}");
    let table = stdout(&output);
    assert!(table.starts_with("machine: "), "{table}");
    for row in [
        "| extraction: analyze",
        "| ingest: files → SQLite",
        "| ingest: peak RSS",
        "| ingest stage: store, 500 statements per transaction",
        "| drop-to-visible latency",
        "| chart: mentions, monthly, PNG",
        "| search: best 50 by rank",
        "| database size per 1,000 statements",
    ] {
        assert!(table.contains(row), "{row} in\n{table}");
    }
}

#[test]
fn corpus_files_are_read_by_ingest_and_loading_gives_the_same_statements() {
    let dir = tempfile::tempdir().unwrap();
    let (files, ingested, loaded) =
        (dir.path().join("corpus"), dir.path().join("ingested.sqlite3"), dir.path().join("loaded.sqlite3"));
    let write =
        demarche(&["corpus", "--count", "12", "--seed", "5", "--out", files.to_str().unwrap()], &ingested);
    assert!(write.status.success(), "{write:?}");
    let ingest = demarche(&["ingest", files.to_str().unwrap()], &ingested);
    assert!(stdout(&ingest).contains("12 files: 12 statements ingested, 0 duplicates, 0 moved, 0 failed"));
    let load =
        demarche(&["corpus", "--count", "12", "--seed", "5", "--db", loaded.to_str().unwrap()], &loaded);
    assert!(load.status.success(), "{load:?}");
    let (ingested, loaded) = (stats(&ingested), stats(&loaded));
    for count in ["statements", "mentions", "accusations"] {
        assert_eq!(ingested[count], loaded[count], "{count}");
    }
}

#[test]
fn eval_probes_prints_the_scores_and_names_a_malformed_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demarche.sqlite3");
    let probes = dir.path().join("probes.tsv");
    std::fs::write(&probes, "# two sentences\nPE\tPE>BO\tBolivia shelled our border villages.\n-\t-\tPeru and Bolivia signed a trade deal.\n").unwrap();
    let output = demarche(&["eval", "probes", probes.to_str().unwrap()], &db);
    assert!(output.status.success(), "{output:?}");
    let report = stdout(&output);
    assert!(report.contains("probes, 2 sentences"), "{report}");
    assert!(
        report.contains("(sentence, accused)  P 1.000  R 1.000  F1 1.000  (tp 1, fp 0, fn 0)"),
        "{report}"
    );

    std::fs::write(&probes, "PE\tBO\tBolivia lied.\n").unwrap();
    let output = demarche(&["eval", "probes", probes.to_str().unwrap()], &db);
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("line 1") && error.contains("not ACCUSER>ACCUSED"), "{error}");
}
