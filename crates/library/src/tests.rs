//! The library over statements ingested from real files: filters as the charts read
//! them, sorting, paging, full-text search, one statement's detail, filter choices.

use std::fs;

use demarche_ingest::{ingest_paths, IngestOptions};

use super::*;

/// (file name, text): dated by file name, speakers and sources by front matter.
const FILES: &[(&str, &str)] = &[
    ("2023-01-05 az.txt", "---\nsource: MFA Azerbaijan\nspeaker: Spokesperson\nspeaker_country: AZ\n---\nArmenia shelled our positions near Lachin.\n"),
    ("2023-02-10 am.txt", "---\nsource: MFA Armenia\nspeaker_country: AM\n---\nAzerbaijan violated the ceasefire. France and Russia were informed.\n"),
    ("2023-03-15 fr.txt", "---\nsource: Elysée\n---\nFrance welcomes the talks in Brussels.\n"),
    ("note.txt", "A note about the weather in Paris.\n"),
];

fn library() -> (tempfile::TempDir, Store) {
    let inbox = tempfile::tempdir().unwrap();
    for (name, text) in FILES {
        fs::write(inbox.path().join(name), text).unwrap();
    }
    // The note has no date of its own: it is dated by its modification time.
    let noon = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_654_084_800); // 2022-06-01
    fs::File::options().write(true).open(inbox.path().join("note.txt")).unwrap().set_modified(noon).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    ingest_paths(&mut store, &[inbox.path().to_path_buf()], &IngestOptions::default(), |_| {}).unwrap();
    (inbox, store)
}

fn dates(page: &Page) -> Vec<String> {
    page.rows.iter().map(|row| row.date.clone().unwrap_or_default()).collect()
}

#[test]
fn lists_filter_like_the_charts_sort_and_page() {
    let (_inbox, store) = library();
    let conn = store.connection();
    let check = |filters: Filters, sort: SortColumn, descending: bool, expect: &[&str]| {
        let page =
            list(conn, &ListQuery { filters: filters.clone(), sort, descending, ..ListQuery::default() })
                .unwrap();
        assert_eq!(dates(&page), expect, "{filters:?} {sort:?}");
        assert_eq!(page.total, expect.len());
    };
    let all = Filters::default();
    check(all.clone(), SortColumn::Date, true, &["2023-03-15", "2023-02-10", "2023-01-05", "2022-06-01"]);
    check(all.clone(), SortColumn::Date, false, &["2022-06-01", "2023-01-05", "2023-02-10", "2023-03-15"]);
    // Paris names France too: the note mentions it.
    check(
        Filters { countries: vec!["fr".into()], ..all.clone() },
        SortColumn::Date,
        true,
        &["2023-03-15", "2023-02-10", "2022-06-01"],
    );
    check(Filters { accusers: vec!["AZ".into()], ..all.clone() }, SortColumn::Date, true, &["2023-01-05"]);
    check(
        Filters { source: Some("mfa armenia".into()), ..all.clone() },
        SortColumn::Date,
        true,
        &["2023-02-10"],
    );
    check(
        Filters { query: Some("ceasefire OR weather".into()), ..all.clone() },
        SortColumn::Date,
        true,
        &["2023-02-10", "2022-06-01"],
    );
    let from = "2023-02-01".parse().ok();
    check(Filters { from, ..all.clone() }, SortColumn::Date, true, &["2023-03-15", "2023-02-10"]);
    // Three mentions, then two each (ties newest-ingested first), then one.
    check(all.clone(), SortColumn::Mentions, true, &["2023-02-10", "2023-03-15", "2023-01-05", "2022-06-01"]);

    let second = list(conn, &ListQuery { offset: 1, limit: 2, ..ListQuery::default() }).unwrap();
    assert_eq!((second.total, dates(&second)), (4, vec!["2023-02-10".to_string(), "2023-01-05".to_string()]));

    let bad = list(
        conn,
        &ListQuery { filters: Filters { query: Some("\"unclosed".into()), ..all }, ..ListQuery::default() },
    );
    assert!(bad.unwrap_err().to_string().contains("unclosed"), "a bad text query names itself");
}

#[test]
fn one_statement_carries_its_evidence_and_where_each_value_came_from() {
    let (_inbox, store) = library();
    let id: i64 = store
        .connection()
        .query_row("SELECT id FROM statements WHERE date = '2023-01-05'", [], |row| row.get(0))
        .unwrap();
    let detail = statement(&store, id).unwrap().unwrap();
    let field = |name: &str| detail.fields.iter().find(|field| field.name == name).unwrap().clone();
    assert_eq!(field("date").value.as_deref(), Some("2023-01-05"));
    assert_eq!(field("date").source.as_deref(), Some("file_name"));
    assert_eq!(field("source").source.as_deref(), Some("front_matter"));
    let spans: Vec<(String, String)> = detail
        .mentions
        .iter()
        .map(|m| {
            (
                detail.text.chars().skip(m.start as usize).take((m.end - m.start) as usize).collect(),
                m.country.clone(),
            )
        })
        .collect();
    assert_eq!(spans, [("Armenia".to_string(), "AM".to_string()), ("Lachin".to_string(), "AZ".to_string())]);
    let accusation = &detail.accusations[0];
    assert_eq!((accusation.accuser.as_str(), accusation.accused.as_str()), ("AZ", "AM"));
    assert_eq!(accusation.accused_name, "Armenia");
    assert_eq!(detail.versions.len(), 1);
    assert!(statement(&store, 9999).unwrap().is_none());
}

#[test]
fn filter_choices_count_current_statements() {
    let (_inbox, store) = library();
    let choices = filter_choices(store.connection()).unwrap();
    let values = |list: &[Choice]| list.iter().map(|c| (c.value.clone(), c.count)).collect::<Vec<_>>();
    assert_eq!(values(&choices.accusers), [("AM".to_string(), 1), ("AZ".to_string(), 1)]);
    assert!(values(&choices.countries).contains(&("FR".to_string(), 3)), "{:?}", choices.countries);
    assert_eq!(choices.sources.len(), 3);
    assert_eq!(
        (choices.first_date.as_deref(), choices.last_date.as_deref()),
        (Some("2022-06-01"), Some("2023-03-15"))
    );
}

/// Every way of answering a list (text matches looked up by id or met through the date
/// index; totals counted or taken from the kept counts) gives the page and total that
/// counting rows gives, before and after a statement is superseded by a new version.
#[test]
fn every_way_of_answering_a_list_gives_the_same_page_and_total() {
    let (inbox, mut store) = library();
    let queries = [None, Some("ceasefire OR weather"), Some("france OR armenia"), Some("nothingmatches")];
    let sorts = [(SortColumn::Date, true), (SortColumn::Date, false), (SortColumn::Title, false)];
    let check = |store: &Store, versions: &str| {
        let conn = store.connection();
        for query in queries {
            for (sort, descending) in sorts {
                for date_range in [false, true] {
                    let filters = Filters {
                        query: query.map(str::to_string),
                        from: date_range.then(|| "2023-01-01".parse().unwrap()),
                        ..Filters::default()
                    };
                    let list_query =
                        ListQuery { filters: filters.clone(), sort, descending, ..ListQuery::default() };
                    let (condition, params) = statement_filter(conn, &filters).unwrap();
                    let counted: i64 = conn
                        .query_row(
                            &format!("SELECT count(*) FROM statements s WHERE s.superseded_at IS NULL AND {condition}"),
                            rusqlite::params_from_iter(params.iter()),
                            |row| row.get(0),
                        )
                        .unwrap();
                    let looked_up = list_looking_up(conn, &list_query, i64::MAX).unwrap();
                    let through_index = list_looking_up(conn, &list_query, 0).unwrap();
                    let context =
                        format!("{versions}: {query:?} {sort:?} descending {descending} range {date_range}");
                    assert_eq!(looked_up.total as i64, counted, "{context}");
                    assert_eq!(through_index, looked_up, "{context}");
                    assert!(!looked_up.rows.is_empty() || counted == 0, "{context}");
                }
            }
        }
    };
    check(&store, "one version each");
    // A new version of a file: the old one stays, superseded, in the full-text index.
    fs::write(
        inbox.path().join("2023-02-10 am.txt"),
        "Azerbaijan broke the ceasefire again, said Armenia.\n",
    )
    .unwrap();
    ingest_paths(&mut store, &[inbox.path().to_path_buf()], &IngestOptions::default(), |_| {}).unwrap();
    let versions: i64 =
        store.connection().query_row("SELECT count(*) FROM statements", [], |row| row.get(0)).unwrap();
    assert_eq!(versions, 5);
    check(&store, "a superseded version");
}
