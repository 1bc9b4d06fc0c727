//! The country_converter name lists from `../shared/eval/` (read in place, never copied):
//! every variant must resolve to its country, and the should-not-match names to none.

use std::path::Path;

use demarche_gazetteer::Gazetteer;

/// Variants the list maps to a country that Démarche deliberately does not resolve: the
/// Southern African Customs Union is an organisation of five states, not South Africa.
const DELIBERATE_EXCEPTIONS: &[&str] = &["Southern African Customs Union"];

fn eval_file(name: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval").join(name);
    std::fs::read_to_string(path).ok()
}

#[test]
fn every_test_variant_resolves_to_its_country() {
    let Some(list) = eval_file("coco_test_regex_misc.tsv") else {
        eprintln!("../shared/eval is not beside the project; skipping");
        return;
    };
    let gazetteer = Gazetteer::embedded();
    let mut failures = Vec::new();
    let mut total = 0;
    for line in list.lines().filter(|line| !line.starts_with('#')).skip(1) {
        let Some((expected_name, variant)) = line.split_once('\t') else { continue };
        total += 1;
        let found = gazetteer.resolve_name(variant);
        if DELIBERATE_EXCEPTIONS.contains(&variant) {
            assert_eq!(found, None, "{variant:?} is not a country");
            continue;
        }
        let expected = gazetteer.resolve_name(expected_name);
        if expected.is_none() || found != expected {
            failures.push(format!("{variant:?} → {found:?}, expected {expected_name:?} ({expected:?})"));
        }
    }
    let resolved = total - failures.len() - DELIBERATE_EXCEPTIONS.len();
    println!("{resolved} of {total} variants resolve to their country");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn should_not_match_names_resolve_to_nothing() {
    let Some(list) = eval_file("coco_should_not_match.txt") else { return };
    let gazetteer = Gazetteer::embedded();
    let wrong: Vec<String> = list
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .filter_map(|name| gazetteer.resolve_name(name).map(|code| format!("{name:?} → {code}")))
        .collect();
    assert!(wrong.is_empty(), "{wrong:?}");
}
