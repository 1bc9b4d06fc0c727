//! What must hold for any input, however hostile: the bodies of the fuzz targets.
//!
//! A reader either reads a file or says why not; it never panics, and reading the same
//! bytes twice gives the same statements. The extractor's offsets always point into the
//! text: a mention's text is exactly the characters at its offsets, inside its sentence,
//! and an accusation's sentence is exactly the characters at its offsets. A violation
//! panics with the reason, which is what a fuzzer reports as a crash.

use demarche_doc::{FileInput, ReadError, ReadStatement};
use demarche_extract::{analyze, sentences, Analysis, Context};

/// Lets panics that a reader catches stay caught under a fuzzer.
///
/// The PDF reader catches pdf-extract's panics on malformed files on purpose and turns
/// them into errors. libFuzzer's panic hook aborts on every panic, caught or not, so a
/// fuzz target calls this once at start-up: only a panic that escapes a reader is then
/// a crash (libfuzzer-sys aborts on those by itself). The hook is silent because caught
/// panics are routine here; replay a crash input through the stable corpus test
/// (`fuzz/regressions/`) to see its message.
pub fn only_escaping_panics_are_crashes() {
    std::panic::set_hook(Box::new(|_| {}));
}

/// One file name per reader, for feeding raw bytes to a chosen reader.
pub const READER_FILE_NAMES: &[&str] =
    &["fuzz.txt", "fuzz.md", "fuzz.html", "fuzz.json", "fuzz.pdf", "fuzz.docx"];

/// Reads `bytes` as the file `file_name`, checks the reader's and the extractor's
/// invariants on the result, and returns the statements read or the reader's reason.
pub fn check_read(file_name: &str, bytes: &[u8]) -> Result<Vec<ReadStatement>, ReadError> {
    let input = FileInput { file_name, bytes, modified: None };
    let first = demarche_doc::read(&input);
    let again = demarche_doc::read(&input);
    assert_eq!(first, again, "{file_name}: reading the same bytes twice gave different results");
    let statements = first?;
    assert!(!statements.is_empty(), "{file_name}: read succeeded with no statement");
    for statement in &statements {
        assert!(!statement.text.trim().is_empty(), "{file_name}: a statement without text was read");
        let speaker_country = statement.meta.speaker_country.as_ref().map(|country| country.value.as_str());
        check_analysis(&statement.text, Context { speaker_country });
    }
    Ok(statements)
}

/// Analyses `text` and checks every offset of the result; returns the analysis.
pub fn check_analysis(text: &str, context: Context) -> Analysis {
    let analysis = analyze(text, context);
    assert_eq!(analysis, analyze(text, context), "analysing the same text twice gave different results");
    let chars: Vec<char> = text.chars().collect();
    let span = |start: usize, end: usize, what: &str| -> String {
        assert!(
            start < end && end <= chars.len(),
            "{what} offsets {start}..{end} outside the text of {} characters",
            chars.len()
        );
        chars[start..end].iter().collect()
    };
    let mut previous_end = 0;
    for sentence in sentences::split(text) {
        assert!(sentence.start >= previous_end, "sentences overlap or go backwards at {}", sentence.start);
        previous_end = sentence.end;
        let by_chars = span(sentence.start, sentence.end, "sentence");
        assert_eq!(
            text.get(sentence.byte_start..sentence.byte_end),
            Some(by_chars.as_str()),
            "a sentence's byte offsets and character offsets disagree"
        );
    }
    for mention in &analysis.mentions {
        assert_eq!(
            span(mention.start, mention.end, "mention"),
            mention.text,
            "a mention's text is not at its offsets"
        );
        assert!(
            mention.sentence_start <= mention.start && mention.start < mention.sentence_end,
            "mention {:?} at {} is not inside its sentence {}..{}",
            mention.text,
            mention.start,
            mention.sentence_start,
            mention.sentence_end
        );
        span(mention.sentence_start, mention.sentence_end, "mention sentence");
    }
    for accusation in &analysis.accusations {
        assert_eq!(
            span(accusation.start, accusation.end, "accusation"),
            accusation.sentence,
            "an accusation's sentence is not at its offsets"
        );
        assert!(
            !accusation.accused.is_empty() && !accusation.accuser.is_empty(),
            "an accusation without parties"
        );
    }
    analysis
}
