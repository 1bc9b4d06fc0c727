//! Statements as read from files: format detection, text decoding, and metadata
//! (title, date, source, speaker, speaker's country, url), each value with where it
//! came from.
//!
//! Reading is pure: the caller hands over a file's name, bytes and modification time;
//! nothing here touches the file system, so every rule can be tested from a table.

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
    /// The document properties of a `.docx` or `.pdf`.
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
    /// The statement text exactly as read, front matter removed.
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
pub fn read(input: &FileInput) -> Result<Vec<ReadStatement>, ReadError> {
    todo!("reader: {}", input.file_name)
}
