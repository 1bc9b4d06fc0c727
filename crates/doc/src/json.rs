//! Reads `.json` files: one statement object, or an array of them.
//!
//! Each object needs its text in `text` (or `body`); `title`, `date`, `source`,
//! `speaker`, `url` and `speaker_country` (an ISO code or a country's name) are used when
//! present as non-empty strings, other fields are ignored. A file is read whole or not
//! at all: if any item lacks its text the file fails with the item's number (counted from
//! 1, as a person would), since a half-imported batch is harder to fix than a rejected one.
//! Line endings in the text are normalised to `\n` as in plain-text files.

use serde_json::{Map, Value};

use crate::decode::{decode, normalise_newlines};
use crate::meta::state;
use crate::{Extracted, MetaSource, Metadata, ReadError};

/// The fields read from each object besides the text.
const FIELDS: &[&str] = &["title", "date", "source", "speaker", "url", "speaker_country"];

/// Reads a JSON file into one statement per object, in order.
pub(crate) fn read(bytes: &[u8]) -> Result<Vec<Extracted>, ReadError> {
    let (source, encoding) = decode(bytes)?;
    let value: Value = serde_json::from_str(&source).map_err(|error| ReadError::Json(error.to_string()))?;
    let items = match value {
        Value::Object(object) => vec![Value::Object(object)],
        Value::Array(items) if items.is_empty() => {
            return Err(ReadError::Json("the array holds no statements".into()))
        }
        Value::Array(items) => items,
        _ => return Err(ReadError::Json("expected a statement object or an array of them".into())),
    };
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let number = index + 1;
            let object =
                item.as_object().ok_or_else(|| ReadError::Json(format!("item {number} is not an object")))?;
            let text = statement_text(object, number)?;
            let mut stated = Metadata::default();
            for key in FIELDS {
                if let Some(Value::String(value)) = object.get(*key) {
                    state(&mut stated, key, value, MetaSource::JsonField);
                }
            }
            Ok(Extracted { encoding: Some(encoding), text, stated, author: None })
        })
        .collect()
}

/// The text of item `number`: its `text` field, else its `body`.
fn statement_text(object: &Map<String, Value>, number: usize) -> Result<String, ReadError> {
    let (field, value) = ["text", "body"]
        .iter()
        .find_map(|field| object.get(*field).map(|value| (field, value)))
        .ok_or_else(|| ReadError::Json(format!("item {number} has no \"text\" or \"body\" field")))?;
    let text = value
        .as_str()
        .ok_or_else(|| ReadError::Json(format!("item {number}: \"{field}\" is not a string")))?;
    if text.trim().is_empty() {
        return Err(ReadError::Json(format!("item {number}: \"{field}\" is empty")));
    }
    Ok(normalise_newlines(text))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::{Encoding, Sourced};

    fn field(value: &str) -> Option<Sourced<String>> {
        Some(Sourced::new(value.to_string(), MetaSource::JsonField))
    }

    fn check(input: &str, expected: Result<Vec<(&str, Metadata)>, ReadError>) {
        let read = read(input.as_bytes())
            .map(|items| items.into_iter().map(|item| (item.text, item.stated)).collect::<Vec<_>>());
        let expected = expected
            .map(|items| items.into_iter().map(|(text, meta)| (text.to_string(), meta)).collect::<Vec<_>>());
        assert_eq!(read, expected, "{input}");
    }

    #[test]
    fn one_object() {
        check(
            r#"{"title": "On the attack", "text": "We condemn it.\r\nFully.", "date": "October 14, 2022",
                "source": "Qazet.az", "speaker": "Ilham Aliyev", "speaker_country": "Azerbaijan",
                "url": "https://example.org/1", "tags": ["x"], "extra": 5}"#,
            Ok(vec![(
                "We condemn it.\nFully.",
                Metadata {
                    title: field("On the attack"),
                    date: Some(Sourced::new(
                        NaiveDate::from_ymd_opt(2022, 10, 14).expect("date"),
                        MetaSource::JsonField,
                    )),
                    source: field("Qazet.az"),
                    speaker: field("Ilham Aliyev"),
                    speaker_country: field("AZ"),
                    url: field("https://example.org/1"),
                },
            )]),
        );
    }

    #[test]
    fn array_of_objects_in_order() {
        check(
            r#"[{"text": "first", "speaker_country": "cn"}, {"body": "second", "date": "2022-10-14T10:00:00Z"},
                {"text": "third", "title": 7, "date": "not a date", "speaker_country": "Atlantis"}]"#,
            Ok(vec![
                ("first", Metadata { speaker_country: field("CN"), ..Metadata::default() }),
                (
                    "second",
                    Metadata {
                        date: Some(Sourced::new(
                            NaiveDate::from_ymd_opt(2022, 10, 14).expect("date"),
                            MetaSource::JsonField,
                        )),
                        ..Metadata::default()
                    },
                ),
                ("third", Metadata::default()),
            ]),
        );
    }

    #[test]
    fn bad_items_fail_the_whole_file() {
        let error = |message: &str| Err(ReadError::Json(message.to_string()));
        check(r#"[{"text": "ok"}, {"title": "no text"}]"#, error("item 2 has no \"text\" or \"body\" field"));
        check(r#"{"title": "no text"}"#, error("item 1 has no \"text\" or \"body\" field"));
        check(r#"[{"text": "ok"}, "just a string"]"#, error("item 2 is not an object"));
        check(r#"[{"text": ["a"]}]"#, error("item 1: \"text\" is not a string"));
        check(r#"[{"body": "  \n "}]"#, error("item 1: \"body\" is empty"));
        check("[]", error("the array holds no statements"));
        check("\"text\"", error("expected a statement object or an array of them"));
    }

    #[test]
    fn invalid_json() {
        check(
            "{\"text\": \"unterminated",
            Err(ReadError::Json("EOF while parsing a string at line 1 column 22".into())),
        );
        check("not json", Err(ReadError::Json("expected ident at line 1 column 2".into())));
        // Nesting deeper than serde_json's limit is an error, not a stack overflow.
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(
            read(deep.as_bytes()).err(),
            Some(ReadError::Json("recursion limit exceeded at line 1 column 128".into()))
        );
    }

    #[test]
    fn encodings_apply() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in r#"{"text": "Ölkə"}"#.encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let items = read(&bytes).expect("readable JSON");
        assert_eq!((items[0].text.as_str(), items[0].encoding), ("Ölkə", Some(Encoding::Utf16Le)));
        assert_eq!(read(b"").err(), Some(ReadError::Empty));
    }
}
