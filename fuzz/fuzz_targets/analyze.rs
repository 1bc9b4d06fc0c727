//! Fuzzes the extractor: any text gives sentences, mentions and accusations whose
//! offsets select exactly their text, the same way twice, without a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|text: &str| {
    demarche_faults::properties::check_analysis(text, demarche_extract::Context::default());
});
