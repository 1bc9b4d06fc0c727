use demarche_doc::{read, FileInput, MetaSource};
use demarche_extract::{analyze, Context};

use super::*;

#[test]
fn a_statement_is_a_function_of_seed_and_index() {
    let (one, again, other_seed) = (Corpus::new(7), Corpus::new(7), Corpus::new(8));
    for index in [0, 1, 999_999] {
        assert_eq!(one.statement(index), again.statement(index));
        assert_ne!(one.statement(index).bytes, other_seed.statement(index).bytes);
    }
    assert_ne!(one.statement(0).bytes, one.statement(1).bytes);
}

#[test]
fn statements_are_three_to_six_kilobytes_over_ten_years_in_every_format() {
    let corpus = Corpus::new(1);
    let statements: Vec<Statement> = (0..400).map(|index| corpus.statement(index)).collect();
    for statement in &statements {
        let size = statement.bytes.len();
        assert!((2500..=7000).contains(&size), "{} is {size} bytes", statement.relative_path);
    }
    let years: std::collections::BTreeSet<i32> = statements.iter().map(|s| s.date.year()).collect();
    assert_eq!(years.len(), 10, "{years:?}");
    for format in [Format::Markdown, Format::Text, Format::Json, Format::Html] {
        assert!(statements.iter().any(|s| s.format == format), "{format:?}");
    }
}

/// Each format is read with the metadata it states, and the text holds mentions and,
/// for about a third of the statements, accusations.
#[test]
fn statements_read_with_their_metadata_and_carry_mentions_and_accusations() {
    let corpus = Corpus::new(3);
    let (mut with_accusations, mut mentions, count) = (0, 0, 120);
    for index in 0..count {
        let statement = corpus.statement(index);
        let input = FileInput { file_name: statement.file_name(), bytes: &statement.bytes, modified: None };
        let read = read(&input).unwrap_or_else(|error| panic!("{}: {error}", statement.relative_path));
        assert_eq!(read.len(), 1);
        let meta = &read[0].meta;
        let date = meta.date.as_ref().expect("a date");
        assert_eq!(date.value, statement.date, "{}", statement.relative_path);
        let expected_source = match statement.format {
            Format::Markdown | Format::Text => MetaSource::FrontMatter,
            Format::Json => MetaSource::JsonField,
            Format::Html => MetaSource::DocumentProperties,
        };
        assert_eq!(date.source, expected_source, "{}", statement.relative_path);
        assert!(meta.title.is_some() && meta.source.is_some() && meta.speaker.is_some());
        let speaker_country = meta.speaker_country.as_ref().map(|c| c.value.as_str());
        let analysis = analyze(&read[0].text, Context { speaker_country });
        mentions += analysis.mentions.len();
        with_accusations += usize::from(!analysis.accusations.is_empty());
    }
    let per_statement = mentions as f64 / count as f64;
    assert!((15.0..70.0).contains(&per_statement), "{per_statement} mentions per statement");
    let share = with_accusations as f64 / count as f64;
    eprintln!("{per_statement:.1} mentions per statement, {share:.2} of statements accuse");
    assert!((0.2..0.7).contains(&share), "{share} of statements accuse");
}
