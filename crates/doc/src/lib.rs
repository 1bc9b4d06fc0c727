//! Statements as read from files: format detection, text decoding, and metadata
//! (title, date, source, speaker, speaker's country, url), each value with where it
//! came from.
//!
//! Reading is pure: the caller hands over a file's name, bytes and modification time;
//! nothing here touches the file system, so every rule can be tested from a table.

mod dates;
mod decode;
mod docx;
mod front_matter;
mod html;
mod html_depth;
mod json;
mod meta;
mod pdf;
mod tokens;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

/// The file formats Démarche reads, chosen by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Text,
    Markdown,
    Html,
    Json,
    Pdf,
    Docx,
}

impl Format {
    /// The format for a file name, by its extension (case-insensitive).
    pub fn from_file_name(file_name: &str) -> Option<Format> {
        let extension = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match extension.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" => Format::Html,
            "json" => Format::Json,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Json => "json",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

/// The character encoding a text-based file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// Where a metadata value came from, so the user can judge and correct it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetaSource {
    /// The `---` block at the top of a `.txt`/`.md` file.
    FrontMatter,
    /// A field of a `.json` statement object.
    JsonField,
    /// The HTML `<title>` element.
    HtmlTitle,
    /// The first HTML `<h1>` element.
    HtmlHeading,
    /// The document properties of a `.docx` or `.pdf`, or the `<meta>`/`<link>` tags of
    /// an HTML page (`article:published_time`, `og:url`, canonical link, `og:site_name`,
    /// `author`).
    DocumentProperties,
    /// The first non-empty line of the text.
    FirstLine,
    /// An ISO date in the file name.
    FileName,
    /// A phrase in the statement text.
    Text,
    /// A day and month in the text, with the year taken from the file's modification time.
    TextWithoutYear,
    /// The file's modification time.
    FileModified,
    /// A user's correction in the app, kept across re-ingest.
    Correction,
}

impl MetaSource {
    pub fn as_str(self) -> &'static str {
        match self {
            MetaSource::FrontMatter => "front_matter",
            MetaSource::JsonField => "json_field",
            MetaSource::HtmlTitle => "html_title",
            MetaSource::HtmlHeading => "html_heading",
            MetaSource::DocumentProperties => "document_properties",
            MetaSource::FirstLine => "first_line",
            MetaSource::FileName => "file_name",
            MetaSource::Text => "text",
            MetaSource::TextWithoutYear => "text_without_year",
            MetaSource::FileModified => "file_modified",
            MetaSource::Correction => "correction",
        }
    }
}

/// A metadata value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sourced<T> {
    pub value: T,
    pub source: MetaSource,
}

impl<T> Sourced<T> {
    pub fn new(value: T, source: MetaSource) -> Sourced<T> {
        Sourced { value, source }
    }
}

/// What is known about a statement besides its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    pub title: Option<Sourced<String>>,
    pub date: Option<Sourced<NaiveDate>>,
    /// The outlet that published or relayed the statement ("Qazet.az", "Reuters").
    pub source: Option<Sourced<String>>,
    /// The person speaking ("Ilham Aliyev", "Mao Ning").
    pub speaker: Option<Sourced<String>>,
    /// The speaker's country as an ISO 3166-1 alpha-2 code.
    pub speaker_country: Option<Sourced<String>>,
    pub url: Option<Sourced<String>>,
}

/// One file as handed to the reader.
#[derive(Debug, Clone, Copy)]
pub struct FileInput<'a> {
    /// The file's name (not its path): it picks the format and may carry a date.
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    /// The file's modification time (UTC), for dates without a year and as a last resort.
    pub modified: Option<NaiveDateTime>,
}

/// One statement read from a file. A `.json` file holding an array yields several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadStatement {
    pub format: Format,
    /// The encoding the text was decoded from; `None` for PDF and DOCX.
    pub encoding: Option<Encoding>,
    /// The statement text exactly as read, front matter removed and line endings
    /// normalised to `\n`. For HTML, PDF and DOCX: the visible text, one paragraph per
    /// line (HTML and PDF keep a blank line between paragraphs or pages).
    pub text: String,
    pub meta: Metadata,
}

/// Why a file could not be read. The message is shown to the user as the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("unsupported file type {0:?} (Démarche reads .txt, .md, .html, .htm, .json, .pdf, .docx)")]
    UnsupportedFormat(String),
    #[error("empty file")]
    Empty,
    #[error("no text in the file")]
    NoText,
    #[error("binary content, not text")]
    Binary,
    #[error("no text layer (scanned PDF?)")]
    NoTextLayer,
    #[error("invalid PDF: {0}")]
    Pdf(String),
    #[error("invalid DOCX: {0}")]
    Docx(String),
    #[error("invalid JSON: {0}")]
    Json(String),
    #[error("invalid UTF-16: {0}")]
    Utf16(String),
}

/// Reads the statements in one file.
///
/// The format comes from the file name's extension; each format's reader yields the
/// text and whatever metadata the file states outright, and `meta::complete` infers
/// the rest (file-name date, dates and names in the text, modification time).
pub fn read(input: &FileInput) -> Result<Vec<ReadStatement>, ReadError> {
    let format = Format::from_file_name(input.file_name).ok_or_else(|| {
        let extension = input.file_name.rsplit_once('.').map_or("", |(_, extension)| extension);
        ReadError::UnsupportedFormat(extension.to_string())
    })?;
    if input.bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    let extracted = match format {
        Format::Text | Format::Markdown => vec![read_plain(input.bytes)?],
        Format::Html => vec![html::read(input.bytes)?],
        Format::Json => json::read(input.bytes)?,
        Format::Pdf => vec![pdf::read(input.bytes)?],
        Format::Docx => vec![docx::read(input.bytes)?],
    };
    Ok(extracted
        .into_iter()
        .map(|extracted| {
            let meta = meta::complete(&extracted, format, input);
            ReadStatement { format, encoding: extracted.encoding, text: extracted.text, meta }
        })
        .collect())
}

/// Reads a `.txt` or `.md` file: decoded text with its front matter taken off.
fn read_plain(bytes: &[u8]) -> Result<Extracted, ReadError> {
    let (decoded, encoding) = decode::decode(bytes)?;
    let (stated, text) = front_matter::split(&decoded);
    let text = require_text(text.to_string())?;
    Ok(Extracted { encoding: Some(encoding), text, stated, author: None })
}

/// Passes on text that has something besides whitespace in it.
fn require_text(text: String) -> Result<String, ReadError> {
    if text.trim().is_empty() {
        Err(ReadError::NoText)
    } else {
        Ok(text)
    }
}

/// What a format's reader found in a file, before inference fills in the rest.
#[derive(Debug)]
struct Extracted {
    encoding: Option<Encoding>,
    text: String,
    /// Metadata the file states outright (front matter, JSON fields, HTML tags,
    /// document properties); it wins over anything inferred.
    stated: Metadata,
    /// An HTML `author` tag: often the journalist rather than the speaker, so it is only
    /// used when the text names no speaker.
    author: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(file_name: &'a str, bytes: &'a [u8]) -> FileInput<'a> {
        let modified = NaiveDateTime::parse_from_str("2023-07-20 09:00", "%Y-%m-%d %H:%M").ok();
        FileInput { file_name, bytes, modified }
    }

    fn check(file_name: &str, bytes: &[u8], expected: Result<(&str, Option<Encoding>), ReadError>) {
        let read = read(&input(file_name, bytes));
        let first = read.map(|statements| (statements[0].text.clone(), statements[0].encoding));
        assert_eq!(first, expected.map(|(text, encoding)| (text.to_string(), encoding)), "{file_name}");
    }

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid test date")
    }

    #[test]
    fn formats_by_extension() {
        check("a.txt", b"plain text", Ok(("plain text", Some(Encoding::Utf8))));
        check("A.TXT", b"plain text", Ok(("plain text", Some(Encoding::Utf8))));
        check(
            "a.md",
            b"# Title\n\n*kept* as written",
            Ok(("# Title\n\n*kept* as written", Some(Encoding::Utf8))),
        );
        check("a.htm", b"<p>para</p>", Ok(("para", Some(Encoding::Utf8))));
        check("a.json", br#"{"text": "json text"}"#, Ok(("json text", Some(Encoding::Utf8))));
        check(
            "a.pdf",
            &pdf::tests::build_pdf(&[Some("BT /F1 12 Tf 72 700 Td (pdf text) Tj ET")], None),
            Ok(("pdf text", None)),
        );
        let docx = docx::tests::build_zip(&[(
            "word/document.xml",
            &docx::tests::document_xml("<w:p><w:r><w:t>docx text</w:t></w:r></w:p>"),
        )]);
        check("a.docx", &docx, Ok(("docx text", None)));
    }

    #[test]
    fn unreadable_files() {
        check("a.rtf", b"{\\rtf1}", Err(ReadError::UnsupportedFormat("rtf".into())));
        check("README", b"text", Err(ReadError::UnsupportedFormat(String::new())));
        check("a.txt", b"", Err(ReadError::Empty));
        check("a.pdf", b"", Err(ReadError::Empty));
        check("a.txt", b" \n\t\r\n ", Err(ReadError::NoText));
        check("a.txt", b"---\ntitle: only a header\n---\n\n", Err(ReadError::NoText));
        check("a.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00", Err(ReadError::Binary));
        check("a.md", &[0x1B, 0x02, 0x03, 0x04, b'x', 0x05], Err(ReadError::Binary));
        check(
            "a.txt",
            b"\xFF\xFEa",
            Err(ReadError::Utf16("odd number of bytes (1) after the byte-order mark".into())),
        );
        check(
            "a.pdf",
            b"%PDF-1.4 truncated",
            Err(ReadError::Pdf("couldn't parse input: invalid file header".into())),
        );
        check(
            "a.docx",
            b"plain text, not a zip",
            Err(ReadError::Docx("not a zip archive (invalid Zip archive: Could not find EOCD)".into())),
        );
        check("a.json", b"{", Err(ReadError::Json("EOF while parsing an object at line 1 column 1".into())));
    }

    #[test]
    fn front_matter_wins_over_inference() {
        let text = "---\ndate: 2021-05-01\ntitle: Stated title\nsource: Stated Outlet\nspeaker: Stated Speaker\nspeaker_country: FR\nurl: https://example.org/x\n---\n\nChinese Foreign Ministry spokesperson Mao Ning said on 3 March 2022, Xinhua reports.";
        let statements = read(&input("2022-10-14_x.md", text.as_bytes())).expect("readable");
        let stated = |value: &str| Some(Sourced::new(value.to_string(), MetaSource::FrontMatter));
        assert_eq!(
            statements[0].meta,
            Metadata {
                title: stated("Stated title"),
                date: Some(Sourced::new(date(2021, 5, 1), MetaSource::FrontMatter)),
                source: stated("Stated Outlet"),
                speaker: stated("Stated Speaker"),
                speaker_country: stated("FR"),
                url: stated("https://example.org/x"),
            }
        );
        assert_eq!(
            statements[0].text,
            "Chinese Foreign Ministry spokesperson Mao Ning said on 3 March 2022, Xinhua reports."
        );
    }

    #[test]
    fn inference_fills_what_is_not_stated() {
        let text = "---\ntitle: Stated title\n---\nChinese Foreign Ministry spokesperson Mao Ning said on 3 March 2022, Xinhua reports.";
        let statements = read(&input("x.txt", text.as_bytes())).expect("readable");
        let inferred = |value: &str| Some(Sourced::new(value.to_string(), MetaSource::Text));
        assert_eq!(
            statements[0].meta,
            Metadata {
                title: Some(Sourced::new("Stated title".to_string(), MetaSource::FrontMatter)),
                date: Some(Sourced::new(date(2022, 3, 3), MetaSource::Text)),
                source: inferred("Xinhua"),
                speaker: inferred("Mao Ning"),
                speaker_country: inferred("CN"),
                url: None,
            }
        );
    }

    #[test]
    fn markdown_heading_is_the_title() {
        let statements = read(&input("x.md", b"## The statement ##\nBody")).expect("readable");
        assert_eq!(
            statements[0].meta.title,
            Some(Sourced::new("The statement".to_string(), MetaSource::FirstLine))
        );
        let statements = read(&input("x.txt", b"## The statement ##\nBody")).expect("readable");
        assert_eq!(
            statements[0].meta.title,
            Some(Sourced::new("## The statement ##".to_string(), MetaSource::FirstLine))
        );
    }

    #[test]
    fn json_array_items_are_completed_one_by_one() {
        let json = br#"[{"text": "Baku, July 13, AZERTAC\nPresident Ilham Aliyev spoke."},
                        {"body": "Nothing to infer here.", "title": "Second", "date": "2020-01-02"}]"#;
        let statements = read(&input("batch.json", json)).expect("readable");
        assert_eq!(statements.len(), 2);
        let first = &statements[0].meta;
        assert_eq!(first.date, Some(Sourced::new(date(2023, 7, 13), MetaSource::TextWithoutYear)));
        assert_eq!(first.source, Some(Sourced::new("AZERTAC".to_string(), MetaSource::Text)));
        assert_eq!(first.speaker, Some(Sourced::new("Ilham Aliyev".to_string(), MetaSource::Text)));
        assert_eq!(
            first.title,
            Some(Sourced::new("Baku, July 13, AZERTAC".to_string(), MetaSource::FirstLine))
        );
        let second = &statements[1].meta;
        assert_eq!(second.title, Some(Sourced::new("Second".to_string(), MetaSource::JsonField)));
        assert_eq!(second.date, Some(Sourced::new(date(2020, 1, 2), MetaSource::JsonField)));
        assert_eq!(second.speaker, None);
    }

    #[test]
    fn html_author_is_a_speaker_of_last_resort() {
        let page = b"<meta name=author content='Press Office'><p>The talks ended.</p>";
        let statements = read(&input("x.html", page)).expect("readable");
        assert_eq!(
            statements[0].meta.speaker,
            Some(Sourced::new("Press Office".to_string(), MetaSource::DocumentProperties))
        );
        let page = b"<meta name=author content='Press Office'><p>President Ilham Aliyev spoke.</p>";
        let statements = read(&input("x.html", page)).expect("readable");
        assert_eq!(
            statements[0].meta.speaker,
            Some(Sourced::new("Ilham Aliyev".to_string(), MetaSource::Text))
        );
    }

    #[test]
    fn modification_date_is_the_last_resort() {
        let statements = read(&input("x.txt", b"No date at all.")).expect("readable");
        assert_eq!(statements[0].meta.date, Some(Sourced::new(date(2023, 7, 20), MetaSource::FileModified)));
        let statements = read(&FileInput { file_name: "x.txt", bytes: b"No date at all.", modified: None })
            .expect("readable");
        assert_eq!(statements[0].meta.date, None);
    }
}
