//! Statement text is untrusted: it never becomes SQL and never becomes script. Every
//! SQL statement in the crates binds its values as parameters, and an exported SVG
//! carries hostile titles, sources and queries as escaped text, never as markup.

use std::fs;
use std::path::{Path, PathBuf};

use demarche_chart::{
    export, query, ChartKind, ChartSpec, Filters, Format, MentionMeasure, Provenance, RenderSize,
};
use demarche_ingest::{ingest_paths, IngestOptions};
use demarche_store::Store;

const SCRIPT: &str = "<script>alert('x')</script>";
const INJECTION: &str = "x'); DROP TABLE statements; --";

fn rust_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(folder).unwrap().map(Result::unwrap) {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

/// The SQL keywords that mark a string as a statement.
fn is_sql(text: &str) -> bool {
    ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", " WHERE ", "PRAGMA "]
        .iter()
        .any(|keyword| text.contains(keyword))
}

/// Every `format!` that builds SQL in the library crates, with what it interpolates.
/// Interpolating is allowed only for fragments of SQL written in the code (named in
/// `ALLOWED`); values from users or files always go through `?` parameters.
#[test]
fn every_sql_statement_binds_its_values_as_parameters() {
    const ALLOWED: &[&str] = &[
        // crates/store and crates/chart: the count tables' names, key columns and period
        // column (`day` or `month`), all constants chosen in the code.
        "period",
        // crates/chart evidence: constant column lists.
        "select",
        // crates/chart: the WHERE clause assembled from constant conditions whose values
        // are bound (`Conditions::bind`), and constant column and table expressions.
        "clauses.join",
        "conditions.sql",
        "day",
        "key",
        "value",
        "tables",
        "group_by",
        "IN_LIST",
        // crates/chart evidence and crates/library: the same bound conditions
        // (`statement_filter`, `Conditions::sql`), a fixed sort expression and direction.
        "where_sql",
        "condition",
        "order",
        "sort",
        "direction",
        // crates/store corrections: column names from `CorrectedField::columns`, fixed
        // text; the lookup condition is a constant with bound values.
        "column",
        "source_column",
        // crates/cli bench and store tests: names of constant queries and of the tables
        // compared row for row.
        "name",
        "table",
    ];
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for crate_dir in fs::read_dir(root.join("crates")).unwrap().map(Result::unwrap) {
        let src = crate_dir.path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    if root.join("src-tauri/src").is_dir() {
        rust_files(&root.join("src-tauri/src"), &mut files);
    }
    let mut checked = 0;
    let mut offences = Vec::new();
    for file in &files {
        let source = fs::read_to_string(file).unwrap();
        for (at, _) in source.match_indices("format!(") {
            let call = &source[at..source.len().min(at + 400)];
            let Some(literal) = call.split('"').nth(1) else { continue };
            if !is_sql(literal) {
                continue;
            }
            checked += 1;
            let mut rest = literal;
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').map_or(rest.len(), |close| open + close);
                let name = rest[open + 1..close].split(':').next().unwrap_or("");
                let argument_named_inline = !name.is_empty();
                if argument_named_inline && !ALLOWED.contains(&name) {
                    offences.push(format!("{}: interpolates {{{name}}} into SQL", file.display()));
                }
                rest = &rest[(close + 1).min(rest.len())..];
            }
            if literal.contains("{}") {
                let arguments = &call[call.find(literal).unwrap() + literal.len()..];
                let arguments = arguments.split(')').next().unwrap_or("");
                if !ALLOWED.iter().any(|allowed| arguments.contains(allowed)) {
                    offences.push(format!("{}: positional argument into SQL: {arguments}", file.display()));
                }
            }
        }
    }
    println!("SQL built with format!: {checked} places checked in {} files", files.len());
    assert!(checked > 0);
    assert!(offences.is_empty(), "{offences:#?}");
}

#[test]
fn hostile_names_and_texts_are_stored_verbatim_and_leave_the_schema_alone() {
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join(INJECTION.replace('/', "_"));
    fs::create_dir(&inbox).unwrap();
    let text = format!("---\ntitle: {INJECTION}\nsource: {SCRIPT}\nspeaker: Robert'); DROP TABLE mentions;--\n---\n{INJECTION} Iran accused Israel of {SCRIPT}.");
    fs::write(inbox.join(format!("{INJECTION}.md")), &text).unwrap();
    let mut store = Store::open(&work.path().join("demarche.sqlite3")).unwrap();
    let summary =
        ingest_paths(&mut store, std::slice::from_ref(&inbox), &IngestOptions::default(), |_| {}).unwrap();
    assert_eq!(summary.ingested, 1);
    let (title, source, stored_text): (String, String, String) = store
        .connection()
        .query_row("SELECT s.title, s.source, t.text FROM statements s JOIN statement_texts t ON t.statement_id = s.id", [], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .unwrap();
    assert_eq!((title.as_str(), source.as_str()), (INJECTION, SCRIPT));
    assert!(stored_text.starts_with(INJECTION));
    let stats = store.stats().unwrap();
    assert_eq!((stats.statements, stats.mentions > 0), (1, true), "tables intact: {stats:?}");
    assert_eq!(store.integrity_check().unwrap(), Ok(()));
}

#[test]
fn an_exported_svg_carries_hostile_text_as_text_never_as_script() {
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("inbox");
    fs::create_dir(&inbox).unwrap();
    for (index, country) in ["Iran", "Israel", "France"].iter().enumerate() {
        let text = format!(
            "---\ntitle: {SCRIPT}\ndate: 2023-0{}-10\nsource: {SCRIPT}\nspeaker: {SCRIPT}\n---\n{country} accused Chile of {SCRIPT} and <img src=x onerror=alert(1)>.",
            index + 1
        );
        fs::write(inbox.join(format!("{index}.md")), text).unwrap();
    }
    let mut store = Store::open(&work.path().join("demarche.sqlite3")).unwrap();
    ingest_paths(&mut store, &[inbox], &IngestOptions::default(), |_| {}).unwrap();
    let conn = store.connection();
    let hostile_filters =
        Filters { source: Some(SCRIPT.into()), speaker: Some(SCRIPT.into()), ..Filters::default() };
    let mut exported = Vec::new();
    for (kind, filters) in [
        (ChartKind::Mentions(MentionMeasure::Count), Filters::default()),
        (ChartKind::Mentions(MentionMeasure::Count), hostile_filters.clone()),
        (ChartKind::Matrix, hostile_filters),
    ] {
        let mut spec = ChartSpec::new(kind, filters);
        spec.title = Some(format!("{SCRIPT}]]><script>alert(2)</script><![CDATA["));
        let chart = query(conn, &spec).unwrap();
        let mut provenance = Provenance::collect(conn, &chart).unwrap();
        provenance.filters = format!("{} {SCRIPT} javascript:alert(3)", provenance.filters);
        let svg = export(&chart, &provenance, Format::Svg, RenderSize::default()).unwrap().bytes;
        exported.push(String::from_utf8(svg).expect("SVG is text"));
    }
    for svg in &exported {
        let lower = svg.to_lowercase();
        assert!(!lower.contains("<script"), "a script element in the SVG");
        assert!(!lower.contains("<img"), "an img element in the SVG");
        assert!(!lower.contains("<foreignobject"), "foreign HTML in the SVG");
        assert!(!lower.contains("href=\"javascript:"), "a javascript: link");
        let handler = lower.match_indices(" on").any(|(at, _)| {
            let name: String = lower[at + 1..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
            lower[at + 1 + name.len()..].starts_with('=') && name.len() > 2
        });
        assert!(!handler, "an event-handler attribute in the SVG");
    }
    assert!(exported.iter().any(|svg| svg.contains("&lt;script&gt;")), "the hostile title is there, escaped");
}
