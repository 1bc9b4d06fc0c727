//! Fuzzes the reader chosen by the file name `fuzz.html`: any bytes are read or refused
//! with a reason, never a panic, the same way twice, with offsets that point into the text.
#![no_main]

libfuzzer_sys::fuzz_target!(init: demarche_faults::properties::only_escaping_panics_are_crashes(), |data: &[u8]| {
    let _ = demarche_faults::properties::check_read("fuzz.html", data);
});
