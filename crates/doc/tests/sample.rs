//! Reads the shipped sample statement end to end through the public API.

use chrono::{NaiveDate, NaiveDateTime};
use demarche_doc::{read, Encoding, FileInput, Format, MetaSource, Sourced};

#[test]
fn aliyev_cis_astana_sample() {
    let file_name = "2022-10-14_aliyev-cis-astana.txt";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/samples").join(file_name);
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let modified = NaiveDateTime::parse_from_str("2023-03-01 12:00:00", "%Y-%m-%d %H:%M:%S").expect("time");
    let statements =
        read(&FileInput { file_name, bytes: &bytes, modified: Some(modified) }).expect("readable sample");
    assert_eq!(statements.len(), 1);
    let statement = &statements[0];
    assert_eq!(statement.format, Format::Text);
    assert_eq!(statement.encoding, Some(Encoding::Utf8));
    assert_eq!(statement.text, String::from_utf8(bytes.clone()).expect("UTF-8 sample"));
    let text = |value: &str| Some(Sourced::new(value.to_string(), MetaSource::Text));
    let first_line = statement.text.lines().next().expect("a first line").trim().to_string();
    assert_eq!(statement.meta.title, Some(Sourced::new(first_line, MetaSource::FirstLine)));
    assert_eq!(
        statement.meta.date,
        Some(Sourced::new(NaiveDate::from_ymd_opt(2022, 10, 14).expect("date"), MetaSource::FileName))
    );
    assert_eq!(statement.meta.source, text("Qazet.az"));
    assert_eq!(statement.meta.speaker, text("Ilham Aliyev"));
    assert_eq!(statement.meta.speaker_country, text("AZ"));
    assert_eq!(statement.meta.url, None);
}

#[test]
fn sample_without_date_in_its_name_takes_the_year_from_the_modification_time() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/samples/2022-10-14_aliyev-cis-astana.txt");
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let modified = NaiveDateTime::parse_from_str("2022-10-20 08:00:00", "%Y-%m-%d %H:%M:%S").expect("time");
    let statements = read(&FileInput { file_name: "aliyev.txt", bytes: &bytes, modified: Some(modified) })
        .expect("readable sample");
    assert_eq!(
        statements[0].meta.date,
        Some(Sourced::new(NaiveDate::from_ymd_opt(2022, 10, 14).expect("date"), MetaSource::TextWithoutYear))
    );
}
