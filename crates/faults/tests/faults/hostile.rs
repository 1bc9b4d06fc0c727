//! Hostile files: each is either read correctly or recorded as failed with a reason,
//! within the time limit, without a panic, and the good file next to them is stored.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use demarche_ingest::{ingest_paths, FileOutcome, IngestOptions};
use demarche_store::Store;

/// A PDF made of the given objects (numbered from 1, object 1 the catalog), with a
/// correct cross-reference table so the reader gets as far as the objects themselves.
pub fn pdf(objects: &[&str]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
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
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).bytes(),
    );
    pdf
}

const PAGE_TEXT: &str =
    "<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 700 Td (Japan protested.) Tj ET\nendstream";

/// PDFs whose references go round in circles.
pub fn pdf_cycles() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        // The page tree lists itself among its own kids.
        ("cycle-kids.pdf", pdf(&["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])),
        // Two page-tree nodes are each other's kid.
        (
            "cycle-two-nodes.pdf",
            pdf(&[
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>",
            ]),
        ),
        // A page whose resources are itself and whose contents are a reference to a
        // reference to the first one.
        (
            "cycle-contents.pdf",
            pdf(&[
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /Resources 3 0 R /Contents 4 0 R >>",
                "5 0 R",
                "4 0 R",
            ]),
        ),
        // A page that inherits its resources from a parent chain that loops.
        (
            "cycle-parents.pdf",
            pdf(&[
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 4 0 R >>",
                "<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
                "<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
                PAGE_TEXT,
            ]),
        ),
        // A font that is its own descendant.
        (
            "cycle-font.pdf",
            pdf(&[
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
                "<< /Type /Font /Subtype /Type0 /BaseFont /X /DescendantFonts [4 0 R] /Encoding /Identity-H >>",
                PAGE_TEXT,
            ]),
        ),
    ]
}

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut bytes);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    bytes.into_inner()
}

fn document_xml(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    )
}

/// "Billion laughs": ten levels of entities, each ten times the one below.
pub fn docx_entity_expansion() -> Vec<u8> {
    let mut doctype = String::from("<!DOCTYPE w:document [<!ENTITY lol \"lol\">");
    for level in 1..=10 {
        let below = if level == 1 { "lol".to_string() } else { format!("lol{}", level - 1) };
        doctype.push_str(&format!("<!ENTITY lol{level} \"{}\">", format!("&{below};").repeat(10)));
    }
    doctype.push_str("]>");
    let xml = document_xml("<w:p><w:r><w:t>France warned Iran. &lol10;</w:t></w:r></w:p>").replacen(
        "?>",
        &format!("?>{doctype}"),
        1,
    );
    zip(&[("word/document.xml", xml.as_bytes())])
}

/// A DOCX whose document inflates from about 50 KB to 50 MB, under the entry size limit
/// but over the compression ratio a real document has.
pub fn docx_zip_bomb() -> Vec<u8> {
    let mut xml = document_xml("<w:p><w:r><w:t>Chile</w:t></w:r></w:p>").into_bytes();
    xml.resize(xml.len() + 50 * 1024 * 1024, b' ');
    zip(&[("word/document.xml", &xml)])
}

/// A DOCX nested inside a DOCX inside a DOCX: only the outer one is ever opened.
fn docx_nested() -> Vec<u8> {
    let inner =
        zip(&[("word/document.xml", document_xml("<w:p><w:r><w:t>inner</w:t></w:r></w:p>").as_bytes())]);
    let middle = zip(&[("word/document.xml", &inner)]);
    zip(&[("word/document.xml", &middle)])
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

/// What a hostile file must come to.
enum Expect {
    /// Stored, with exactly this text.
    Text(&'static str),
    /// Stored, whatever the text (checked by the offset invariants).
    Stored,
    /// Recorded as failed with a reason containing this.
    Failed(&'static str),
    /// Either outcome is correct; the point is no panic, no hang, a reason if failed.
    Either,
}

#[test]
fn hostile_files_are_read_or_recorded_as_failed_with_a_reason_within_the_time_limit() {
    let inbox = tempfile::tempdir().unwrap();
    let dir = inbox.path();
    // Prose without a full stop: a country every hundred bytes or so.
    let ten_mb_line =
        "the delegation of Armenia met officials to discuss the transit corridor and customs rules; "
            .repeat(10 * 1024 * 1024 / 90);
    let deep_html = format!(
        "{}<p>Peru recalled its ambassador.</p>{}",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let deep_unclosed = format!("<title>x</title>{}Bolivia answered.", "<b><i>".repeat(200_000));
    let deep_json = format!("{}\"x\"{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_json_object = format!("{}{}", "{\"text\":".repeat(50_000), "1}".repeat(50_000));
    let mut files: Vec<(String, Vec<u8>, Expect)> = vec![
        ("over-cap.txt".into(), vec![b'a'; 2 * 1024 * 1024], Expect::Failed("over the 1.0 MiB size limit")),
        ("deep.html".into(), deep_html.into_bytes(), Expect::Either),
        ("deep-unclosed.html".into(), deep_unclosed.into_bytes(), Expect::Either),
        ("deep.json".into(), deep_json.into_bytes(), Expect::Either),
        ("deep-object.json".into(), deep_json_object.into_bytes(), Expect::Either),
        ("entities.docx".into(), docx_entity_expansion(), Expect::Either),
        ("bomb.docx".into(), docx_zip_bomb(), Expect::Failed("zip bomb")),
        ("nested.docx".into(), docx_nested(), Expect::Failed("DOCX")),
        (
            "invalid-utf8.txt".into(),
            b"Caf\xe9 talks: Norway \xff\xfe mediated.".to_vec(),
            Expect::Text("Café talks: Norway ÿþ mediated."),
        ),
        ("odd-utf16.txt".into(), b"\xFF\xFEA\x00B".to_vec(), Expect::Failed("UTF-16")),
        (
            "lone-surrogate.txt".into(),
            [&utf16le("Chad")[..], &[0x00, 0xD8, b'!', 0x00]].concat(),
            Expect::Either,
        ),
        ("nul-bytes.txt".into(), b"Kenya\0 accused\0 Somalia of incursions.\0".to_vec(), Expect::Either),
        ("all-nul.txt".into(), vec![0; 4096], Expect::Failed("binary")),
        ("ten-mb-line.txt".into(), ten_mb_line.into_bytes(), Expect::Stored),
        (
            "rtl.txt".into(),
            "وزارة الخارجية: Israel اتهمت إيران. משרד החוץ: Iran accused Israel of aggression.".into(),
            Expect::Text("وزارة الخارجية: Israel اتهمت إيران. משרד החוץ: Iran accused Israel of aggression."),
        ),
        (
            "emoji.md".into(),
            "🇺🇦🔥 Ukraine accused 🇷🇺 Russia of shelling 👨‍👩‍👧 homes in Kharkiv. ✅".into(),
            Expect::Text("🇺🇦🔥 Ukraine accused 🇷🇺 Russia of shelling 👨‍👩‍👧 homes in Kharkiv. ✅"),
        ),
        (
            "utf16-mixed.txt".into(),
            utf16le("Греция и Türkiye: Greece accused Turkey of airspace violations."),
            Expect::Text("Греция и Türkiye: Greece accused Turkey of airspace violations."),
        ),
        (
            "good.txt".into(),
            b"Japan protested the missile launch by North Korea.".to_vec(),
            Expect::Text("Japan protested the missile launch by North Korea."),
        ),
    ];
    for (name, bytes) in pdf_cycles() {
        let expect =
            if name == "cycle-parents.pdf" { Expect::Failed("loops back on itself") } else { Expect::Either };
        files.push((name.into(), bytes, expect));
    }
    for (name, bytes, _) in &files {
        fs::write(dir.join(name), bytes).unwrap();
    }

    let db = dir.join("db").join("demarche.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let options = IngestOptions { max_file_size: 1024 * 1024 * 12, ..IngestOptions::default() };
    let started = Instant::now();
    let mut reports = Vec::new();
    for (name, _, _) in &files {
        let options = if name == "over-cap.txt" {
            IngestOptions { max_file_size: 1024 * 1024, ..options.clone() }
        } else {
            options.clone()
        };
        let file_started = Instant::now();
        let summary =
            ingest_paths(&mut store, &[dir.join(name)], &options, |report| reports.push(report.clone()))
                .expect("the database stays usable");
        println!("{name}: {:?} in {:?}", reports.last().map(|r| &r.outcome), file_started.elapsed());
        assert_eq!(summary.files, 1);
    }
    println!("{} hostile files in {:?}", files.len(), started.elapsed());

    for ((name, _, expect), report) in files.iter().zip(&reports) {
        assert!(report.path.ends_with(name));
        let stored_text = || -> String {
            store
                .connection()
                .query_row("SELECT t.text FROM statements s JOIN statement_texts t ON t.statement_id = s.id WHERE s.path LIKE '%/' || ?1", [name], |row| row.get(0))
                .unwrap_or_else(|error| panic!("{name}: not stored ({error}); {:?}", report.outcome))
        };
        match (expect, &report.outcome) {
            (Expect::Text(text), FileOutcome::Stored { .. }) => assert_eq!(&stored_text(), text, "{name}"),
            (Expect::Stored, FileOutcome::Stored { .. }) => assert!(!stored_text().is_empty()),
            (Expect::Failed(reason), FileOutcome::Failed { reason: found }) => {
                assert!(found.contains(reason), "{name}: {found:?} should say {reason:?}")
            }
            (Expect::Either, FileOutcome::Stored { .. }) => assert!(!stored_text().is_empty()),
            (Expect::Either, FileOutcome::Failed { reason }) => assert!(!reason.is_empty()),
            (_, outcome) => panic!("{name}: unexpected outcome {outcome:?}"),
        }
        assert!(
            !matches!(&report.outcome, FileOutcome::Failed { reason } if reason.contains("crashed") || reason.contains("timed out")),
            "{name}: {:?}",
            report.outcome
        );
    }
    assert_stored_offsets_point_into_the_text(&store);
    let failed = store.ingest_log(1000, true).unwrap();
    let failed_files =
        reports.iter().filter(|report| matches!(report.outcome, FileOutcome::Failed { .. })).count();
    assert_eq!(failed.len(), failed_files, "every failure is in the log once");
    assert!(failed.iter().all(|entry| entry.reason.as_deref().is_some_and(|reason| !reason.is_empty())));
    assert_eq!(store.integrity_check().unwrap(), Ok(()));
}

/// Every stored mention's and accusation's offsets select exactly its text in the
/// statement as stored: what the app highlights as evidence.
pub fn assert_stored_offsets_point_into_the_text(store: &Store) {
    let conn = store.connection();
    let mut statements = conn.prepare("SELECT statement_id, text FROM statement_texts").unwrap();
    let statements = statements
        .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let mut evidence = conn
        .prepare(
            "SELECT start, end, text FROM mentions WHERE statement_id = ?1
             UNION ALL SELECT start, end, sentence FROM accusations WHERE statement_id = ?1",
        )
        .unwrap();
    let mut checked = 0;
    for (id, text) in statements {
        let chars: Vec<char> = text.chars().collect();
        let rows = evidence
            .query_map([id], |row| {
                Ok((row.get::<_, i64>(0)? as usize, row.get::<_, i64>(1)? as usize, row.get::<_, String>(2)?))
            })
            .unwrap();
        for row in rows {
            let (start, end, expected) = row.unwrap();
            assert!(start < end && end <= chars.len(), "statement {id}: offsets {start}..{end}");
            assert_eq!(chars[start..end].iter().collect::<String>(), expected, "statement {id}");
            checked += 1;
        }
    }
    assert!(checked > 0, "some mentions were stored");
}

#[test]
fn the_size_cap_defaults_to_64_mib_and_a_larger_file_is_refused_with_the_reason() {
    let inbox = tempfile::tempdir().unwrap();
    let path = inbox.path().join("disk-image.txt");
    fs::File::create(&path).unwrap().set_len(64 * 1024 * 1024 + 1).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let summary =
        ingest_paths(&mut store, std::slice::from_ref(&path), &IngestOptions::default(), |_| {}).unwrap();
    assert_eq!(summary.failed.len(), 1);
    assert_eq!(summary.failed[0].1, "file is 64.0 MiB, over the 64.0 MiB size limit");
    assert!(Path::new(&path).exists(), "the refused file is left alone");
}
