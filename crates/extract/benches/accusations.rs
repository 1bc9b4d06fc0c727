//! Accusation throughput on one core: `cargo bench -p demarche-extract --bench accusations`.
//!
//! Measures what a statement costs the detector: sentence segmentation and accusation
//! detection (mentions found beforehand), then the whole of `analyze` for reference. The corpus is generated from
//! the gazetteer and fixed sentence templates (accusations, appeals, denials, quotes,
//! neutral news) with a fixed seed, so every run measures the same text. Prints the
//! median and p95 of repeated runs. `DEMARCHE_BENCH_BYTES` sets a smaller corpus.

use std::time::Instant;

use demarche_extract::{accusations, analyze, sentences, Context, Mention, MentionFinder};
use demarche_gazetteer::{Gazetteer, Kind};

/// A small deterministic generator (64-bit LCG), enough to vary the corpus.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % below
    }
}

const TEMPLATES: &[&str] = &[
    "The foreign minister of {} met his counterpart on Tuesday to discuss the situation on the border.",
    "Officials said the talks would continue next week, although no date has yet been set for them.",
    "The ministry accused {} of violating the ceasefire agreement signed last year.",
    "\"The attack on the village was carried out by the armed forces of {},\" the spokesman said.",
    "We call on {} to fulfil its international obligations and to stop the provocations.",
    "{} denied the allegations made by its neighbour and called them baseless.",
    "According to the statement, the delegation will travel to {} before the end of the month.",
    "These acts of vandalism against the embassy are absolutely unacceptable.",
    "If {} attacks again, the response will be swift, the president warned.",
    "Protesters gathered outside the embassy of {} in the capital on Sunday evening.",
    "The agreement covers cooperation in transport, education, culture and public health.",
    "{}'s provocations on the border turned out to be part of a wider plan.",
];

fn corpus(target_bytes: usize) -> String {
    let countries: Vec<&str> = Gazetteer::embedded()
        .entries()
        .iter()
        .filter(|entry| matches!(entry.kind, Kind::Name | Kind::Alias))
        .map(|entry| entry.phrase.as_str())
        .collect();
    let mut random = Lcg(42);
    let mut text = String::with_capacity(target_bytes + 256);
    while text.len() < target_bytes {
        let template = TEMPLATES[random.next(TEMPLATES.len())];
        text.push_str(&template.replace("{}", countries[random.next(countries.len())]));
        text.push(if random.next(6) == 0 { '\n' } else { ' ' });
    }
    text
}

fn main() {
    // Statements are analysed one by one; so is the corpus, in statement-sized pieces.
    // DEMARCHE_BENCH_BYTES shrinks the corpus (the same text's beginning) for runs under
    // callgrind, whose instruction counts do not depend on the machine's load.
    let bytes = std::env::var("DEMARCHE_BENCH_BYTES").ok().and_then(|value| value.parse().ok());
    let text = corpus(bytes.unwrap_or(8 * 1024 * 1024));
    let statements: Vec<&str> = text.split_inclusive('\n').collect();
    let megabytes = text.len() as f64 / 1e6;
    let context = Context { speaker_country: Some("AZ") };
    // Mentions have their own benchmark (`mentions`); here they are found once, outside
    // the timed loop.
    let finder = MentionFinder::embedded();
    let mentions: Vec<Vec<Mention>> = statements.iter().map(|statement| finder.find(statement)).collect();
    let detect_all = || -> usize {
        statements
            .iter()
            .zip(&mentions)
            .map(|(statement, mentions)| {
                let sentences = sentences::split(statement);
                accusations::detect(statement, &sentences, mentions, context).len()
            })
            .sum()
    };
    let analyze_all = || -> usize {
        statements.iter().map(|statement| analyze(statement, context).accusations.len()).sum()
    };
    let accusations = detect_all();
    assert_eq!(analyze_all(), accusations);
    let (median, p95) = rates(megabytes, || assert_eq!(detect_all(), accusations));
    println!(
        "segmentation + accusation detection: {megabytes:.1} MB, {} statements, {accusations} accusations; median {median:.0} MB/s, p95 {p95:.0} MB/s (one core)",
        statements.len(),
    );
    let (median, p95) = rates(megabytes, || assert_eq!(analyze_all(), accusations));
    println!("whole analyze (with mention finding): median {median:.0} MB/s, p95 {p95:.0} MB/s (one core)");
}

/// Median and p95 throughput of repeated runs of `run` over `megabytes` of text. The
/// p95 of a throughput is its slow tail: the rate beaten by 95 % of runs.
fn rates(megabytes: f64, run: impl Fn()) -> (f64, f64) {
    let mut rates: Vec<f64> = (0..9)
        .map(|_| {
            let started = Instant::now();
            run();
            megabytes / started.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(|a, b| a.total_cmp(b));
    (rates[rates.len() / 2], rates[rates.len() / 20])
}
