//! Mention-finding throughput on one core: `cargo bench -p demarche-extract`.
//!
//! The corpus is generated from the gazetteer and fixed sentence templates with a fixed
//! seed, so every run measures the same text. Prints the median and p95 of repeated runs.

use std::time::Instant;

use demarche_extract::MentionFinder;
use demarche_gazetteer::Gazetteer;

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
    "According to the statement, the delegation will travel to {} before the end of the month.",
    "Analysts expect the decision to affect trade, energy prices and the wider regional economy.",
    "The spokesperson told reporters that the government remained committed to dialogue.",
    "Protesters gathered outside the embassy of {} in the capital on Sunday evening.",
    "The agreement covers cooperation in transport, education, culture and public health.",
];

fn corpus(target_bytes: usize) -> String {
    let phrases: Vec<&str> =
        Gazetteer::embedded().entries().iter().map(|entry| entry.phrase.as_str()).collect();
    let mut random = Lcg(42);
    let mut text = String::with_capacity(target_bytes + 256);
    while text.len() < target_bytes {
        let template = TEMPLATES[random.next(TEMPLATES.len())];
        text.push_str(&template.replace("{}", phrases[random.next(phrases.len())]));
        text.push(if random.next(6) == 0 { '\n' } else { ' ' });
    }
    text
}

fn main() {
    let finder = MentionFinder::embedded();
    let text = corpus(8 * 1024 * 1024);
    let megabytes = text.len() as f64 / 1e6;
    let mentions = finder.find(&text).len();
    let mut rates: Vec<f64> = (0..15)
        .map(|_| {
            let started = Instant::now();
            let found = finder.find(&text);
            assert_eq!(found.len(), mentions);
            megabytes / started.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(|a, b| a.total_cmp(b));
    // The p95 of a throughput is its slow tail: the rate beaten by 95 % of runs.
    let p95 = rates[rates.len() / 20];
    println!(
        "mention finding: {megabytes:.1} MB, {mentions} mentions; median {:.0} MB/s, p95 {p95:.0} MB/s (one core)",
        rates[rates.len() / 2]
    );
}
