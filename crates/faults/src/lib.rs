//! The reliability fault suite's shared parts: a generator of realistic statement
//! files, and the invariants every reader and extractor must keep on any input.
//!
//! The invariants are the bodies of the fuzz targets under `fuzz/`; the ordinary test
//! suite runs the fuzz corpora and every crash ever found through the same functions,
//! so a stable toolchain checks them too. The tests themselves are in `tests/faults/`.

pub mod corpus;
pub mod properties;
