//! Benchmark: query + render of a mentions chart over 1,000,000 generated statements.
//!
//! The database is built directly with SQL, as the store would leave it: 1,000,000
//! current statement rows spread over ten years (2015–2024, about 274 a day), and the
//! `daily_counts` aggregates those statements would produce (each statement mentions
//! two to five countries drawn from a skewed distribution over 60 codes; the
//! `statements` measure counts statements per country and `*`; one statement in four
//! carries an accusation). Mention and accusation rows themselves are not generated:
//! an unfiltered mentions chart reads only the aggregates, and the provenance reads
//! only the statement count.
//!
//! Timed, per iteration: the query (top 8 countries over the whole range, monthly and
//! weekly buckets) and drawing to SVG; and separately the same as a 1× PNG. Prints the
//! median and the 95th percentile.

use std::time::{Duration, Instant};

use demarche_chart::{
    export, query, Bucket, ChartKind, ChartSpec, Filters, Format, MentionMeasure, Provenance, RenderSize,
};
use rusqlite::{params, Connection};

const STATEMENTS: u64 = 1_000_000;
const DAYS: u64 = 3653;
const ITERATIONS: usize = 40;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn codes() -> Vec<String> {
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut codes = vec!["AM", "AZ", "RU", "TR", "IR", "FR", "US", "GE", "UA", "CN", "UN", "EU"]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>();
    let mut index = 0;
    while codes.len() < 60 {
        let code = format!("{}{}", letters[(index / 26) % 26] as char, letters[index % 26] as char);
        if !codes.contains(&code) {
            codes.push(code);
        }
        index += 1;
    }
    codes
}

fn build(conn: &mut Connection) {
    let codes = codes();
    let start = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut statement = tx
            .prepare(
                "INSERT INTO statements (id, sha256, path, format, date, file_size, ingested_at)
                 VALUES (?1, ?2, ?3, 'text', ?4, 0, '2025-01-01T00:00:00Z')",
            )
            .unwrap();
        let mut count = tx
            .prepare(
                "INSERT INTO daily_counts (day, country, measure, count) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (day, country, measure) DO UPDATE SET count = count + excluded.count",
            )
            .unwrap();
        let mut random = Lcg(42);
        let mut id = 0u64;
        for offset in 0..DAYS {
            let day = (start + chrono::Days::new(offset)).to_string();
            let today = STATEMENTS * (offset + 1) / DAYS - STATEMENTS * offset / DAYS;
            let mut mentions = vec![0i64; codes.len()];
            let mut mentioning = vec![0i64; codes.len()];
            let mut accused = vec![0i64; codes.len()];
            for _ in 0..today {
                id += 1;
                statement
                    .execute(params![id as i64, format!("{id:064x}"), format!("/bench/{id}.txt"), day])
                    .unwrap();
                let mut seen = [false; 60];
                for _ in 0..2 + random.next() % 4 {
                    // Squaring a uniform draw skews towards the first codes.
                    let uniform = (random.next() % 1000) as f64 / 1000.0;
                    let country = ((uniform * uniform) * codes.len() as f64) as usize;
                    mentions[country] += 1;
                    if !seen[country] {
                        seen[country] = true;
                        mentioning[country] += 1;
                    }
                }
                if random.next() % 4 == 0 {
                    accused[(random.next() % 20) as usize] += 1;
                }
            }
            count.execute(params![day, "*", "statements", today as i64]).unwrap();
            for (index, code) in codes.iter().enumerate() {
                for (measure, value) in [
                    ("mentions", mentions[index]),
                    ("statements", mentioning[index]),
                    ("accused", accused[index]),
                ] {
                    if value > 0 {
                        count.execute(params![day, code, measure, value]).unwrap();
                    }
                }
            }
        }
    }
    tx.commit().unwrap();
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95).div_ceil(100) - 1];
    println!("{name:<44} median {:>7.1} ms   p95 {:>7.1} ms", ms(median), ms(p95));
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite3");
    let store = demarche_store::Store::open(&path).unwrap();
    drop(store);
    let mut conn = Connection::open(&path).unwrap();
    // The bench database is thrown away. Its statements are inserted directly, so the
    // full-text index (fed by the store's writer, not by a trigger) stays empty: it
    // plays no part in what is timed.
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;").unwrap();
    let started = Instant::now();
    build(&mut conn);
    drop(conn);
    let store = demarche_store::Store::open(&path).unwrap();
    let conn = store.connection();
    let rows: i64 = conn.query_row("SELECT count(*) FROM daily_counts", [], |row| row.get(0)).unwrap();
    println!(
        "built {STATEMENTS} statements, {rows} daily_counts rows over {DAYS} days in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let size = RenderSize::default();
    for (name, bucket, format) in [
        ("mentions, monthly, query + SVG", Bucket::Month, Format::Svg),
        ("mentions, weekly, query + SVG", Bucket::Week, Format::Svg),
        ("mentions, monthly, query + PNG 1200×700", Bucket::Month, Format::Png),
    ] {
        let mut spec = ChartSpec::new(ChartKind::Mentions(MentionMeasure::Count), Filters::default());
        spec.bucket = Some(bucket);
        let mut times = Vec::with_capacity(ITERATIONS);
        for _ in 0..ITERATIONS {
            let began = Instant::now();
            let chart = query(conn, &spec).unwrap();
            let provenance = Provenance::collect(conn, &chart).unwrap();
            let bytes = export(&chart, &provenance, format, size).unwrap().bytes;
            times.push(began.elapsed());
            assert!(!bytes.is_empty() && !chart.is_empty());
        }
        report(name, times);
    }
}
