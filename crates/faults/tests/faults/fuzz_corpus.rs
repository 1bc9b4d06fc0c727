//! The fuzz targets' seed corpora and every crash a fuzzer ever found, run through the
//! same checks as the fuzz targets (`demarche_faults::properties`) on the stable
//! toolchain, so CI without nightly still guards every reader and the extractor.

use std::fs;
use std::path::Path;

use demarche_extract::Context;
use demarche_faults::properties::{check_analysis, check_read, READER_FILE_NAMES};

/// The fuzz targets: each reader by the file name that selects it, and the extractor.
const TARGETS: &[(&str, Option<&str>)] = &[
    ("read_text", Some("fuzz.txt")),
    ("read_markdown", Some("fuzz.md")),
    ("read_html", Some("fuzz.html")),
    ("read_json", Some("fuzz.json")),
    ("read_pdf", Some("fuzz.pdf")),
    ("read_docx", Some("fuzz.docx")),
    ("analyze", None),
];

#[test]
fn every_seed_and_every_crash_found_keeps_the_invariants() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    assert_eq!(TARGETS.iter().filter(|(_, name)| name.is_some()).count(), READER_FILE_NAMES.len());
    let mut total = 0;
    for (target, file_name) in TARGETS {
        let mut inputs = 0;
        for folder in ["corpus", "regressions"] {
            let folder = fuzz.join(folder).join(target);
            let Ok(entries) = fs::read_dir(&folder) else { continue };
            for entry in entries.map(Result::unwrap) {
                let bytes = fs::read(entry.path()).unwrap();
                let name = entry.path().display().to_string();
                let outcome = std::panic::catch_unwind(|| match file_name {
                    Some(file_name) => {
                        let _ = check_read(file_name, &bytes);
                    }
                    None => {
                        check_analysis(&String::from_utf8_lossy(&bytes), Context::default());
                    }
                });
                assert!(outcome.is_ok(), "{target}: {name} breaks an invariant");
                inputs += 1;
            }
        }
        println!("fuzz corpus: {target}: {inputs} inputs");
        assert!(inputs > 0, "{target} has no seed inputs");
        total += inputs;
    }
    println!("fuzz corpus: {total} inputs in all");
}
