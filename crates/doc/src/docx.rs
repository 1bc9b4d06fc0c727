//! Reads `.docx` files: the paragraphs of `word/document.xml` as lines, and the title
//! from `docProps/core.xml`.
//!
//! A DOCX is a zip archive, so it is read defensively: an entry that declares more than
//! 64 MiB, or a compression ratio over 1000:1, is refused before decompressing, and at
//! most 64 MiB is ever decompressed whatever the entry declares (`Read::take`), so a zip
//! bomb fails fast. The XML is read with quick-xml's event reader, which never expands
//! entities declared in a DOCTYPE: the DOCTYPE is ignored and references to entities
//! other than XML's five predefined ones are dropped, so "billion laughs" files cost
//! nothing.
//!
//! Text: each `w:p` paragraph is a line, `w:t` holds text, `w:tab` is a tab and
//! `w:br`/`w:cr` a line break (only inside runs, since `w:tab` also defines tab stops in
//! paragraph properties). The `mc:Fallback` copy of text boxes is skipped so their text
//! is not read twice; deleted text (`w:delText`) and field codes are not text.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;
use zip::ZipArchive;

use crate::{require_text, Extracted, MetaSource, Metadata, ReadError, Sourced};

/// The most bytes an XML part may decompress to.
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;

/// The highest declared uncompressed/compressed ratio accepted. Real documents compress
/// by 5–20 times; over 1000 is a bomb.
const MAX_RATIO: u64 = 1000;

const DOCUMENT: &str = "word/document.xml";
const CORE_PROPERTIES: &str = "docProps/core.xml";

/// Reads a DOCX file.
pub(crate) fn read(bytes: &[u8]) -> Result<Extracted, ReadError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| ReadError::Docx(format!("not a zip archive ({error})")))?;
    let document = read_part(&mut archive, DOCUMENT)?
        .ok_or_else(|| ReadError::Docx(format!("no {DOCUMENT} in the archive (not a Word document?)")))?;
    let text = require_text(document_text(&document)?)?;
    let mut stated = Metadata::default();
    // A broken properties part only loses the title; the statement is still readable.
    if let Ok(Some(core)) = read_part(&mut archive, CORE_PROPERTIES) {
        stated.title = core_title(&core).map(|title| Sourced::new(title, MetaSource::DocumentProperties));
    }
    Ok(Extracted { encoding: None, text, stated, author: None })
}

/// The decompressed bytes of the part `name`, `None` if the archive has no such part.
fn read_part(archive: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<Vec<u8>>, ReadError> {
    let mut entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(error) => return Err(ReadError::Docx(format!("cannot open {name}: {error}"))),
    };
    // Messages name the part by its file name ("document.xml"), as a user would.
    let name = name.rsplit('/').next().unwrap_or(name);
    let declared = entry.size();
    let compressed = entry.compressed_size();
    if declared > MAX_XML_BYTES {
        return Err(ReadError::Docx(format!(
            "{name} declares {declared} bytes, over the 64 MiB limit (zip bomb?)"
        )));
    }
    if declared > compressed.saturating_mul(MAX_RATIO) {
        return Err(ReadError::Docx(format!("{name} is compressed more than {MAX_RATIO}:1 (zip bomb?)")));
    }
    let mut data = Vec::new();
    (&mut entry)
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|error| ReadError::Docx(format!("cannot decompress {name}: {error}")))?;
    if data.len() as u64 > MAX_XML_BYTES {
        return Err(ReadError::Docx(format!("{name} expands beyond 64 MiB (zip bomb?)")));
    }
    Ok(Some(data))
}

/// The text of `word/document.xml`: one line per paragraph, at most one blank line in a
/// row, none at either end.
fn document_text(xml: &[u8]) -> Result<String, ReadError> {
    let mut reader = Reader::from_reader(xml);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut in_text = false;
    let mut runs = 0usize;
    let mut fallback = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|error| ReadError::Docx(format!("{DOCUMENT} is not well-formed XML: {error}")))?;
        match event {
            Event::Start(element) => match element.local_name().as_ref() {
                b"t" if fallback == 0 => in_text = true,
                b"r" => runs += 1,
                b"Fallback" => fallback += 1,
                _ => {}
            },
            Event::End(element) => match element.local_name().as_ref() {
                b"t" => in_text = false,
                b"r" => runs = runs.saturating_sub(1),
                b"Fallback" => fallback = fallback.saturating_sub(1),
                b"p" if fallback == 0 => lines.push(std::mem::take(&mut line)),
                _ => {}
            },
            Event::Empty(element) if fallback == 0 => match element.local_name().as_ref() {
                b"tab" if runs > 0 => line.push('\t'),
                b"br" | b"cr" if runs > 0 => line.push('\n'),
                b"noBreakHyphen" if runs > 0 => line.push('-'),
                b"p" => lines.push(String::new()),
                _ => {}
            },
            Event::Text(text) if in_text => line.push_str(&text.xml10_content().map_err(xml_error)?),
            Event::CData(text) if in_text => line.push_str(&text.xml10_content().map_err(xml_error)?),
            Event::GeneralRef(reference) if in_text => {
                if let Some(resolved) = resolve_reference(&reference)? {
                    line.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(join_lines(&lines))
}

fn xml_error(error: impl std::fmt::Display) -> ReadError {
    ReadError::Docx(format!("bad text in the XML: {error}"))
}

/// A character reference or one of XML's predefined entities; any other entity (one a
/// DOCTYPE might declare) is dropped unexpanded.
fn resolve_reference(reference: &BytesRef) -> Result<Option<String>, ReadError> {
    if let Some(c) = reference.resolve_char_ref().map_err(xml_error)? {
        return Ok(Some(c.to_string()));
    }
    let name = reference.decode().map_err(xml_error)?;
    Ok(quick_xml::escape::resolve_xml_entity(&name).map(str::to_string))
}

/// Paragraph lines joined, blank runs collapsed to one blank line, trimmed at both ends.
fn join_lines(lines: &[String]) -> String {
    let mut text = String::new();
    let mut blank = false;
    for line in lines {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank = !text.is_empty();
            continue;
        }
        if blank {
            text.push('\n');
            blank = false;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.truncate(text.trim_end().len());
    text
}

/// The `dc:title` of `docProps/core.xml`, whitespace collapsed, if not empty.
fn core_title(xml: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(xml);
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(element) if element.name().as_ref() == b"dc:title" => in_title = true,
            Event::End(element) if element.name().as_ref() == b"dc:title" => break,
            Event::Text(text) if in_title => title.push_str(&text.xml10_content().ok()?),
            Event::GeneralRef(reference) if in_title => title.push_str(&resolve_reference(&reference).ok()??),
            Event::Eof => break,
            _ => {}
        }
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;
    use std::time::{Duration, Instant};

    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, ZipWriter};

    use super::*;

    /// A zip archive of `(name, content)` parts, deflated.
    pub(crate) fn build_zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .compression_level(Some(9));
        for (name, content) in parts {
            writer.start_file(*name, options).expect("zip entry");
            writer.write_all(content).expect("zip write");
        }
        writer.finish().expect("zip finish").into_inner()
    }

    /// `word/document.xml` with the given body XML.
    pub(crate) fn document_xml(body: &str) -> Vec<u8> {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
             xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>{body}</w:body></w:document>"
        )
        .into_bytes()
    }

    fn core_xml(title: &str) -> Vec<u8> {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><cp:coreProperties \
             xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{title}</dc:title><dc:creator>x</dc:creator></cp:coreProperties>"
        )
        .into_bytes()
    }

    fn check(body: &str, expected: Result<&str, ReadError>) {
        let docx = build_zip(&[(DOCUMENT, &document_xml(body))]);
        assert_eq!(read(&docx).map(|extracted| extracted.text), expected.map(str::to_string), "{body}");
    }

    #[test]
    fn paragraphs_runs_tabs_and_breaks() {
        check(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>\
             <w:r><w:t>First</w:t></w:r><w:r><w:t xml:space=\"preserve\"> paragraph</w:t></w:r></w:p>\
             <w:p><w:r><w:t>A</w:t><w:tab/><w:t>B</w:t><w:br/><w:t>C &amp; D &#8212; &#x41;</w:t></w:r></w:p>\
             <w:p/><w:p></w:p><w:p/>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>\
             <w:p><w:r><w:delText>deleted</w:delText><w:instrText>PAGE</w:instrText><w:t>kept</w:t></w:r></w:p>",
            Ok("First paragraph\nA\tB\nC & D — A\n\ncell\nkept"),
        );
    }

    #[test]
    fn text_boxes_are_read_once() {
        check(
            "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>\
             <w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict>\
             <w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback>\
             </mc:AlternateContent></w:r><w:r><w:t>outside</w:t></w:r></w:p>",
            Ok("boxed\noutside"),
        );
    }

    #[test]
    fn title_from_core_properties() {
        let docx = build_zip(&[
            (DOCUMENT, &document_xml("<w:p><w:r><w:t>Body</w:t></w:r></w:p>")),
            (CORE_PROPERTIES, &core_xml(" Statement  &amp; reply ")),
        ]);
        let extracted = read(&docx).expect("readable DOCX");
        assert_eq!(
            extracted.stated.title,
            Some(Sourced::new("Statement & reply".to_string(), MetaSource::DocumentProperties))
        );
        assert_eq!(extracted.encoding, None);
        let untitled = build_zip(&[
            (DOCUMENT, &document_xml("<w:p><w:r><w:t>Body</w:t></w:r></w:p>")),
            (CORE_PROPERTIES, &core_xml("")),
        ]);
        assert_eq!(read(&untitled).expect("readable DOCX").stated.title, None);
    }

    #[test]
    fn broken_documents() {
        assert_eq!(
            read(b"PK\x03\x04 not really a zip").err(),
            Some(ReadError::Docx("not a zip archive (invalid Zip archive: Could not find EOCD)".into()))
        );
        assert_eq!(
            read(&build_zip(&[("word/other.xml", b"<x/>")])).err(),
            Some(ReadError::Docx("no word/document.xml in the archive (not a Word document?)".into()))
        );
        check("<w:p><w:r><w:t>unclosed</w:r></w:p>", Err(ReadError::Docx(
            "word/document.xml is not well-formed XML: ill-formed document: expected `</w:t>`, but `</w:r>` was found".into(),
        )));
        check("<w:p></w:p>", Err(ReadError::NoText));
    }

    #[test]
    fn entity_declarations_are_not_expanded() {
        let mut doctype = String::from("<!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for level in 1..10 {
            let previous = if level == 1 { "lol".to_string() } else { format!("lol{}", level - 1) };
            doctype.push_str(&format!("<!ENTITY lol{level} \"{}\">", format!("&{previous};").repeat(10)));
        }
        doctype.push(']');
        doctype.push('>');
        let xml = format!(
            "<?xml version=\"1.0\"?>{doctype}<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
             <w:body><w:p><w:r><w:t>Laughs: &lol9; end</w:t></w:r></w:p></w:body></w:document>"
        );
        let started = Instant::now();
        let extracted = read(&build_zip(&[(DOCUMENT, xml.as_bytes())])).expect("readable DOCX");
        assert_eq!(extracted.text, "Laughs:  end");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    /// Rewrites the declared uncompressed size of every entry (local header and central
    /// directory), as a zip bomb would to slip past a ratio check.
    fn declare_size(mut zip: Vec<u8>, size: u32) -> Vec<u8> {
        for index in 0..zip.len().saturating_sub(4) {
            let offset = match &zip[index..index + 4] {
                b"PK\x03\x04" => 22,
                b"PK\x01\x02" => 24,
                _ => continue,
            };
            zip[index + offset..index + offset + 4].copy_from_slice(&size.to_le_bytes());
        }
        zip
    }

    #[test]
    fn zip_bombs_fail_fast() {
        let zeros = vec![0u8; 200 * 1024 * 1024];
        let started = Instant::now();
        let bomb = build_zip(&[(DOCUMENT, &zeros)]);
        drop(zeros);
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        let started_reading = Instant::now();
        assert_eq!(
            read(&bomb).err(),
            Some(ReadError::Docx(
                "document.xml declares 209715200 bytes, over the 64 MiB limit (zip bomb?)".into()
            ))
        );
        // Declaring a modest size does not help: the ratio gives it away.
        let ratio_bomb = build_zip(&[(DOCUMENT, &vec![b' '; 2 * 1024 * 1024])]);
        assert_eq!(
            read(&ratio_bomb).err(),
            Some(ReadError::Docx("document.xml is compressed more than 1000:1 (zip bomb?)".into()))
        );
        // Lying about the size does not help either: decompression stops at 64 MiB.
        let liar = declare_size(bomb, 100_000);
        assert_eq!(
            read(&liar).err(),
            Some(ReadError::Docx("document.xml expands beyond 64 MiB (zip bomb?)".into()))
        );
        assert!(started_reading.elapsed() < Duration::from_secs(30), "{:?}", started_reading.elapsed());
        assert!(started.elapsed() < Duration::from_secs(120), "{:?}", started.elapsed());
    }
}
