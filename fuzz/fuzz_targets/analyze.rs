//! Fuzzes the extractor: any text gives sentences, mentions and accusations whose
//! offsets select exactly their text, the same way twice, without a panic.
#![no_main]

libfuzzer_sys::fuzz_target!(init: demarche_faults::properties::only_escaping_panics_are_crashes(), |text: &str| {
    demarche_faults::properties::check_analysis(text, demarche_extract::Context::default());
});
