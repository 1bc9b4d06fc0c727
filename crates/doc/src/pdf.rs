//! Reads `.pdf` files: the text layer (via pdf-extract) and the title from the document
//! information dictionary.
//!
//! pdf-extract can panic on malformed files, so the whole read runs under
//! `catch_unwind` and a panic becomes an ordinary [`ReadError::Pdf`]. It also follows
//! a page's `/Parent` chain to inherit resources without noticing loops, so a page
//! whose parents loop back is refused before extraction, instead of spinning forever. A PDF whose text
//! layer is empty (a scan) is [`ReadError::NoTextLayer`]. The extracted text is tidied:
//! trailing spaces dropped, no more than one blank line in a row, none at either end.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pdf_extract::{decode_text_string, Document, Object, ObjectId, OutputError, PlainTextOutput};

use crate::{Extracted, MetaSource, Metadata, ReadError, Sourced};

/// Reads a PDF file.
pub(crate) fn read(bytes: &[u8]) -> Result<Extracted, ReadError> {
    let (text, title) = match catch_unwind(AssertUnwindSafe(|| extract(bytes))) {
        Ok(result) => result?,
        Err(panic) => {
            let detail = panic
                .downcast_ref::<&str>()
                .map(|message| message.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown cause".to_string());
            return Err(ReadError::Pdf(format!("the PDF reader failed on this file ({detail})")));
        }
    };
    if text.is_empty() {
        return Err(ReadError::NoTextLayer);
    }
    let stated = Metadata {
        title: title.map(|title| Sourced::new(title, MetaSource::DocumentProperties)),
        ..Metadata::default()
    };
    Ok(Extracted { encoding: None, text, stated, author: None })
}

/// The raw text layer and the document title, if it has one.
fn extract(bytes: &[u8]) -> Result<(String, Option<String>), ReadError> {
    let mut document = Document::load_mem(bytes).map_err(|error| pdf_error(error.into()))?;
    if document.is_encrypted() {
        // Many PDFs are encrypted only to restrict printing or copying, with an empty
        // user password; those can still be read.
        document.decrypt("").map_err(|error| pdf_error(error.into()))?;
    }
    let title = info_title(&document);
    let page_ids = document.get_pages();
    if page_ids.values().any(|&page| parents_loop(&document, page)) {
        return Err(ReadError::Pdf("the page tree loops back on itself (a reference cycle)".to_string()));
    }
    // Page by page, so that pages are kept apart by a blank line: the extractor itself
    // runs one page's last line into the next page's first.
    let mut pages = Vec::new();
    for page_number in page_ids.into_keys() {
        let mut page = String::new();
        pdf_extract::output_doc_page(&document, &mut PlainTextOutput::new(&mut page), page_number)
            .map_err(pdf_error)?;
        pages.push(tidy(&page));
    }
    pages.retain(|page| !page.is_empty());
    Ok((pages.join("\n\n"), title))
}

fn pdf_error(error: OutputError) -> ReadError {
    match error {
        // lopdf's own message, without pdf-extract's "PDF error: " in front.
        OutputError::PdfError(error) => ReadError::Pdf(error.to_string()),
        other => ReadError::Pdf(other.to_string()),
    }
}

/// Whether following `/Parent` from `page` ever comes back to an object already seen.
fn parents_loop(document: &Document, page: ObjectId) -> bool {
    let mut seen = std::collections::HashSet::from([page]);
    let mut current = page;
    while let Ok(parent) =
        document.get_dictionary(current).and_then(|node| node.get(b"Parent")).and_then(Object::as_reference)
    {
        if !seen.insert(parent) {
            return true;
        }
        current = parent;
    }
    false
}

/// The `/Title` of the document information dictionary, when it is a non-empty string.
fn info_title(document: &Document) -> Option<String> {
    let info = document.trailer.get(b"Info").ok()?;
    let (_, info) = document.dereference(info).ok()?;
    let title = info.as_dict().ok()?.get(b"Title").ok()?;
    let (_, title) = document.dereference(title).ok()?;
    if !matches!(title, Object::String(..)) {
        return None;
    }
    let title = decode_text_string(title).ok()?;
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

/// The extracted text with trailing spaces, surplus blank lines and leading or trailing
/// blank lines removed; pdf-extract emits many of them around pages and text blocks.
fn tidy(raw: &str) -> String {
    let raw = crate::decode::normalise_newlines(raw);
    let mut text = String::with_capacity(raw.len());
    let mut blank_run = 0;
    for line in raw.lines().map(str::trim_end) {
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if blank_run > 0 && !text.is_empty() {
            text.push('\n');
        }
        blank_run = 0;
        text.push_str(line);
        text.push('\n');
    }
    text.truncate(text.trim_end().len());
    text
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A PDF with one page per entry of `pages` (each a content stream, or `None` for a
    /// page without one), the Helvetica font, and an information dictionary with
    /// `title`. Offsets in the cross-reference table are computed, so the file is valid.
    pub(crate) fn build_pdf(pages: &[Option<&str>], title: Option<&str>) -> Vec<u8> {
        let mut objects: Vec<String> = Vec::new();
        let page_count = pages.len();
        // Objects: 1 catalog, 2 page tree, 3 font, 4 info, then per page: page, contents.
        let kids: Vec<String> = (0..page_count).map(|index| format!("{} 0 R", 5 + index * 2)).collect();
        objects.push("<< /Type /Catalog /Pages 2 0 R >>".to_string());
        objects.push(format!("<< /Type /Pages /Kids [{}] /Count {page_count} >>", kids.join(" ")));
        objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string());
        objects.push(match title {
            Some(title) => format!("<< /Title ({title}) /Producer (test) >>"),
            None => "<< /Producer (test) >>".to_string(),
        });
        for (index, content) in pages.iter().enumerate() {
            let contents = match content {
                Some(_) => format!(" /Contents {} 0 R", 6 + index * 2),
                None => String::new(),
            };
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>{contents} >>"
            ));
            let stream = content.unwrap_or("");
            objects.push(format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len() + 1));
        }
        let mut pdf = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        for (index, object) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend(format!("{} 0 obj\n{object}\nendobj\n", index + 1).bytes());
        }
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for offset in offsets {
            pdf.extend(format!("{offset:010} 00000 n \n").bytes());
        }
        pdf.extend(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R /Info 4 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .bytes(),
        );
        pdf
    }

    const PAGE_ONE: &str =
        "BT /F1 18 Tf 72 700 Td (The President of Azerbaijan spoke.) Tj 0 -20 Td (Second line here.) Tj ET";
    const PAGE_TWO: &str = "BT /F1 18 Tf 72 700 Td (Page two text.) Tj ET";

    #[test]
    fn text_layer_and_title() {
        let extracted = read(&build_pdf(&[Some(PAGE_ONE), Some(PAGE_TWO)], Some("Statement title")))
            .expect("readable PDF");
        assert_eq!(extracted.text, "The President of Azerbaijan spoke.\nSecond line here.\n\nPage two text.");
        assert_eq!(
            extracted.stated.title,
            Some(Sourced::new("Statement title".to_string(), MetaSource::DocumentProperties))
        );
        assert_eq!(extracted.encoding, None);
    }

    #[test]
    fn no_title_in_properties() {
        let extracted = read(&build_pdf(&[Some(PAGE_TWO)], None)).expect("readable PDF");
        assert_eq!((extracted.text.as_str(), extracted.stated.title), ("Page two text.", None));
        let extracted = read(&build_pdf(&[Some(PAGE_TWO)], Some("  "))).expect("readable PDF");
        assert_eq!(extracted.stated.title, None);
    }

    #[test]
    fn no_text_layer() {
        assert_eq!(read(&build_pdf(&[None], Some("Scan"))).err(), Some(ReadError::NoTextLayer));
        assert_eq!(read(&build_pdf(&[Some("0 0 m 100 100 l S")], None)).err(), Some(ReadError::NoTextLayer));
        assert_eq!(ReadError::NoTextLayer.to_string(), "no text layer (scanned PDF?)");
    }

    #[test]
    fn broken_files_are_errors_not_panics() {
        let pdf = build_pdf(&[Some(PAGE_ONE)], None);
        for cut in [pdf.len() / 2, 20, 9] {
            let result = read(&pdf[..cut]);
            assert!(matches!(result, Err(ReadError::Pdf(_))), "cut at {cut}: {result:?}");
        }
        assert_eq!(
            read(&pdf[..pdf.len() / 2]).err(),
            Some(ReadError::Pdf("failed parsing cross reference table: invalid start value".into()))
        );
        assert!(matches!(read(b"%PDF-1.4\ngarbage garbage"), Err(ReadError::Pdf(_))));
        assert!(matches!(read(b"not a pdf at all"), Err(ReadError::Pdf(_))));
    }

    #[test]
    fn extractor_panics_become_errors() {
        // Operators without their operands, or a font the page does not have, make
        // pdf-extract panic; the panic must come back as an ordinary error.
        for content in
            ["BT Tf ET", "BT (x) Tj ET", "BT /F9 12 Tf (x) Tj ET", "BT /F1 12 Tf 1 2 Td Td (x) Tj ET"]
        {
            let result = read(&build_pdf(&[Some(content)], None));
            let Err(ReadError::Pdf(reason)) = &result else { panic!("{content}: {result:?}") };
            assert!(reason.starts_with("the PDF reader failed on this file ("), "{content}: {reason}");
        }
    }

    #[test]
    fn tidy_text() {
        let check = |raw: &str, expected: &str| assert_eq!(tidy(raw), expected, "{raw:?}");
        check("\n\n  a  \n\n\n\nb\r\nc\n\n", "  a\n\nb\nc");
        check(" \n \n", "");
    }
}
