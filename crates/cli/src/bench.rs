//! `demarche bench`: the whole-pipeline benchmark. Generates a corpus, measures every
//! stage against its target, and prints one Markdown table with the median and p95 of
//! each figure, the machine and its load: extraction throughput, ingest throughput and
//! peak memory, drop-to-visible latency through the real watcher, chart query and
//! render, full-text search, and database size. `--quick` is the small configuration CI
//! runs so the benchmark never rots; it asserts nothing about time.
//!
//! Throughputs report their slow tail as p95 (the rate beaten by 95 % of runs);
//! durations report their slow tail as p95 (the time 95 % of runs stay under).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context as _, Result};
use clap::{Args, ValueEnum};
use demarche_chart::{
    export, parse_date_bound, query, AccusationGrouping, Bucket, ChartKind, ChartSpec, DateBound, Filters,
    Format, MentionMeasure, Provenance, Ranking, RenderSize,
};
use demarche_corpus::Corpus;
use demarche_doc::FileInput;
use demarche_extract::{accusations, analyze, sentences, Context, MentionFinder};
use demarche_store::{FileFacts, NewStatement, Store};
use demarche_watch::{WatchConfig, WatchEvent, Watcher};
use sha2::{Digest, Sha256};

#[derive(Args)]
pub struct BenchArgs {
    /// The small, fast configuration for CI: a few dozen statements, two repetitions.
    #[arg(long)]
    quick: bool,
    /// Statements in the ingest corpus, written as files [default: 5000; --quick: 40].
    #[arg(long)]
    statements: Option<u64>,
    /// A prepared database for the chart and search benchmarks (see `demarche corpus
    /// --db`); without it they run on the database the ingest benchmark filled.
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
    /// How long the watcher waits for a file to be stable, as in `demarche watch`.
    #[arg(long, value_name = "MS", default_value_t = 500)]
    stability_ms: u64,
    /// The corpus seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Only these benchmarks (comma-separated); all by default.
    #[arg(long, value_delimiter = ',')]
    only: Vec<Stage>,
    /// Keep the generated files and databases in this folder instead of a temporary one.
    #[arg(long, value_name = "DIR")]
    work: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Stage {
    Extract,
    Ingest,
    Latency,
    Chart,
    Search,
}

/// How long one chart or search case may repeat: a slow case (seconds per query over a
/// million statements) is measured a few times, not twenty.
const TIME_BUDGET: Duration = Duration::from_secs(20);

/// How much work each benchmark does.
struct Plan {
    /// Statements analysed in memory by the extraction benchmark.
    extract_statements: u64,
    ingest_statements: u64,
    /// Repetitions of whole runs (extraction passes, ingest runs).
    runs: usize,
    drops: usize,
    /// Repetitions of each chart and search query.
    iterations: usize,
}

/// One line of the table.
struct Row {
    name: String,
    median: String,
    p95: String,
    target: String,
    verdict: &'static str,
    notes: String,
}

pub fn run(args: BenchArgs) -> Result<()> {
    let plan = if args.quick {
        Plan { extract_statements: 40, ingest_statements: 40, runs: 2, drops: 2, iterations: 2 }
    } else {
        Plan { extract_statements: 2000, ingest_statements: 5000, runs: 3, drops: 20, iterations: 20 }
    };
    let plan = Plan { ingest_statements: args.statements.unwrap_or(plan.ingest_statements), ..plan };
    let wanted = |stage| args.only.is_empty() || args.only.contains(&stage);
    let (work, temporary) = match &args.work {
        Some(work) => (work.clone(), false),
        None => (std::env::temp_dir().join(format!("demarche-bench-{}", std::process::id())), true),
    };
    std::fs::create_dir_all(&work).with_context(|| format!("cannot create {}", work.display()))?;
    let corpus = Corpus::new(args.seed);
    println!("{}", machine());
    let mut rows = Vec::new();
    if wanted(Stage::Extract) {
        let measured = extraction(&corpus, &plan)?;
        announce(&measured);
        rows.extend(measured);
    }
    let mut ingested_db = None;
    if wanted(Stage::Ingest) {
        let (ingest_rows, db) = ingest(&corpus, &plan, &work)?;
        announce(&ingest_rows);
        rows.extend(ingest_rows);
        ingested_db = Some(db);
    }
    if wanted(Stage::Latency) {
        let measured = latency(&corpus, &plan, &work, Duration::from_millis(args.stability_ms))?;
        announce(std::slice::from_ref(&measured));
        rows.push(measured);
    }
    let query_db = args.db.clone().or(ingested_db);
    if wanted(Stage::Chart) || wanted(Stage::Search) {
        let Some(db) = query_db else {
            bail!("the chart and search benchmarks need --db FILE or the ingest benchmark");
        };
        ensure!(db.exists(), "no database at {}", db.display());
        let store = Store::open(&db).with_context(|| format!("cannot use the database {}", db.display()))?;
        let statements: i64 = store.connection().query_row(
            "SELECT count(*) FROM statements WHERE superseded_at IS NULL",
            [],
            |row| row.get(0),
        )?;
        eprintln!("querying {} ({statements} statements)", db.display());
        let measured = stats(&store, statements)?;
        announce(&measured);
        rows.extend(measured);
        if wanted(Stage::Chart) {
            let measured = charts(&store, statements, &plan)?;
            rows.extend(measured);
        }
        if wanted(Stage::Search) {
            let measured = search(&store, statements, &plan)?;
            rows.extend(measured);
        }
        rows.push(database_size(&store, statements)?);
    }
    print_table(&rows);
    if temporary {
        // A leftover temporary folder is harmless; the figures are what matters.
        let _ = std::fs::remove_dir_all(&work);
    }
    Ok(())
}

/// Cores, CPU model and load average: every figure is read against them.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| {
            line.strip_prefix("model name").map(|rest| rest.trim_start_matches([' ', '\t', ':']))
        })
        .unwrap_or("unknown CPU");
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines().next().map(|line| line.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kib| kib.parse::<f64>().ok())
        .map_or_else(String::new, |kib| format!(", {:.0} GB RAM", kib / 1024.0 / 1024.0));
    format!("machine: {cores} cores, {model}{memory}; load average {} at start", load())
}

/// The one-minute load average (how many processes wanted a core).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".to_string())
}

/// Median and slow-tail p95 of durations, in milliseconds.
fn durations(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let at = |index: usize| times[index].as_secs_f64() * 1000.0;
    (at(times.len() / 2), at((times.len() * 95).div_ceil(100) - 1))
}

/// Median and slow-tail p95 of rates (the rate beaten by 95 % of runs).
fn rates(mut rates: Vec<f64>) -> (f64, f64) {
    rates.sort_by(|a, b| a.total_cmp(b));
    (rates[rates.len() / 2], rates[(rates.len() * 5) / 100])
}

fn context(country: &Option<String>) -> Context<'_> {
    Context { speaker_country: country.as_deref() }
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

/// Extraction throughput on one core: the whole of `analyze`, then each of its parts.
fn extraction(corpus: &Corpus, plan: &Plan) -> Result<Vec<Row>> {
    eprintln!("extraction: reading {} statements", plan.extract_statements);
    let mut texts = Vec::new();
    for index in 0..plan.extract_statements {
        let statement = corpus.statement(index);
        let input = FileInput { file_name: statement.file_name(), bytes: &statement.bytes, modified: None };
        let read = demarche_doc::read(&input)?.pop().context("a generated file holds one statement")?;
        let country = read.meta.speaker_country.map(|country| country.value);
        texts.push((read.text, country));
    }
    let megabytes = texts.iter().map(|(text, _)| text.len()).sum::<usize>() as f64 / 1e6;
    let finder = MentionFinder::embedded();
    let prepared: Vec<_> =
        texts.iter().map(|(text, _)| (sentences::split(text), finder.find(text))).collect();
    let load_before = load();
    let measure = |name: &str, target: Option<f64>, pass: &dyn Fn() -> usize| -> Row {
        pass();
        let (wall, cpu): (Vec<f64>, Vec<f64>) = (0..plan.runs.max(5))
            .map(|_| {
                let (started, cpu_started) = (Instant::now(), thread_cpu_time());
                std::hint::black_box(pass());
                let cpu = (thread_cpu_time() - cpu_started).as_secs_f64().max(1e-9);
                (megabytes / started.elapsed().as_secs_f64(), megabytes / cpu)
            })
            .unzip();
        let (median, p95) = rates(wall);
        let (cpu_median, _) = rates(cpu);
        Row {
            name: format!("extraction: {name}, MB/s, one core"),
            median: format!("{median:.1}"),
            p95: format!("{p95:.1}"),
            target: target.map_or_else(|| "—".to_string(), |target| format!("≥ {target:.0}")),
            verdict: target.map_or("—", |target| verdict(p95 >= target)),
            notes: format!("{cpu_median:.1} MB per CPU-second"),
        }
    };
    let mut rows = vec![
        measure("analyze (sentences + mentions + accusations)", Some(100.0), &|| {
            texts.iter().map(|(text, country)| analyze(text, context(country)).accusations.len()).sum()
        }),
        measure("sentences only", None, &|| texts.iter().map(|(text, _)| sentences::split(text).len()).sum()),
        measure("mentions only", None, &|| texts.iter().map(|(text, _)| finder.find(text).len()).sum()),
        measure("accusations only (sentences and mentions given)", None, &|| {
            texts
                .iter()
                .zip(&prepared)
                .map(|((text, country), (sentences, mentions))| {
                    accusations::detect(text, sentences, mentions, context(country)).len()
                })
                .sum()
        }),
    ];
    let found: usize = prepared.iter().map(|(_, mentions)| mentions.len()).sum();
    rows[0].notes = format!(
        "{}; {} statements, {megabytes:.1} MB of text, {found} mentions; load {load_before}→{}",
        rows[0].notes,
        texts.len(),
        load()
    );
    Ok(rows)
}

/// Ingest from files on disk through the real `demarche ingest` (a child process, so
/// its peak memory is its own), then the same files split into their stages in process.
fn ingest(corpus: &Corpus, plan: &Plan, work: &Path) -> Result<(Vec<Row>, PathBuf)> {
    let folder = work.join("corpus");
    let count = plan.ingest_statements;
    if !folder.join(".complete").exists() || count_files(&folder) != count {
        let _ = std::fs::remove_dir_all(&folder);
        eprintln!("ingest: writing {count} statement files");
        let bytes = crate::corpus::write_files(corpus, 0..count, &folder)?;
        std::fs::write(folder.join(".complete"), format!("{count} files, {bytes} bytes\n"))?;
    }
    let executable = std::env::current_exe().context("cannot find the demarche executable")?;
    let db = work.join("ingest.sqlite3");
    let load_before = load();
    let mut seen = Vec::new();
    let mut per_cpu = Vec::new();
    for run in 0..plan.runs {
        remove_database(&db);
        eprintln!("ingest: run {} of {}", run + 1, plan.runs);
        let started = Instant::now();
        let cpu_started = children_cpu_time();
        let status = Command::new(&executable)
            .arg("ingest")
            .arg(&folder)
            .arg("--db")
            .arg(&db)
            .stdout(Stdio::null())
            .status()
            .context("cannot run demarche ingest")?;
        let elapsed = started.elapsed();
        ensure!(status.success(), "demarche ingest failed ({status})");
        seen.push(count as f64 / elapsed.as_secs_f64());
        per_cpu.push(count as f64 / (children_cpu_time() - cpu_started).as_secs_f64().max(1e-9));
    }
    let peak_rss_mb = children_peak_rss_kib() as f64 / 1024.0;
    let stored = Store::open(&db)?.stats()?;
    ensure!(
        stored.statements as u64 == count && stored.failed_files == 0,
        "ingest stored {} of {count} statements, {} files failed",
        stored.statements,
        stored.failed_files
    );
    let (median, p95) = rates(seen);
    let (cpu_median, cpu_p95) = rates(per_cpu);
    let mut rows = vec![
        Row {
            name: "ingest: files → SQLite, statements/s (`demarche ingest`, one writer)".into(),
            median: format!("{median:.0}"),
            p95: format!("{p95:.0}"),
            target: "≥ 5,000 on 2 cores".into(),
            verdict: verdict(p95 >= 5000.0),
            notes: format!(
                "{cpu_median:.0} / {cpu_p95:.0} per CPU-second (user + system, every thread); \
                 {count} files, {} runs; load {load_before}→{}",
                plan.runs,
                load()
            ),
        },
        Row {
            name: "ingest: peak RSS, MB".into(),
            median: format!("{peak_rss_mb:.0}"),
            p95: format!("{peak_rss_mb:.0}"),
            target: "< 300".into(),
            verdict: verdict(peak_rss_mb < 300.0),
            notes: "VmHWM of the `demarche ingest` process (getrusage of children)".into(),
        },
    ];
    rows.extend(ingest_stages(&folder, count, work)?);
    Ok((rows, db))
}

fn count_files(folder: &Path) -> u64 {
    demarche_ingest::scan(folder).filter(|entry| entry.is_ok()).count() as u64
}

fn remove_database(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut path = db.as_os_str().to_owned();
        path.push(suffix);
        // A missing file is what is wanted.
        let _ = std::fs::remove_file(PathBuf::from(path));
    }
}

/// The largest resident set of any child process waited for so far, in KiB.
fn children_peak_rss_kib() -> i64 {
    // SAFETY: getrusage writes into the zeroed struct it is given and nothing else.
    unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) == 0 {
            usage.ru_maxrss
        } else {
            0
        }
    }
}

/// The CPU time (user + system) of the child processes waited for so far.
fn children_cpu_time() -> Duration {
    // SAFETY: getrusage writes into the zeroed struct it is given and nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time = |value: libc::timeval| Duration::new(value.tv_sec as u64, value.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Where ingest time goes, one core each: reading and analysing files, then storing
/// the analysed statements one transaction each (as ingest does) and in batches. Each
/// stage also reports its rate per second of this thread's CPU time, which a loaded
/// machine disturbs less than the wall clock.
fn ingest_stages(folder: &Path, count: u64, work: &Path) -> Result<Vec<Row>> {
    let load_before = load();
    let paths: Vec<PathBuf> = demarche_ingest::scan(folder).filter_map(|entry| entry.ok()).collect();
    let started = Instant::now();
    let cpu_started = thread_cpu_time();
    let mut analysed = Vec::with_capacity(paths.len());
    for path in &paths {
        let bytes = std::fs::read(path)?;
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let read = demarche_doc::read(&FileInput { file_name: &file_name, bytes: &bytes, modified: None })?
            .pop()
            .context("one statement per file")?;
        let speaker_country = read.meta.speaker_country.as_ref().map(|country| country.value.clone());
        let analysis = analyze(&read.text, Context { speaker_country: speaker_country.as_deref() });
        let sha: String = Sha256::digest(&bytes).iter().map(|byte| format!("{byte:02x}")).collect();
        analysed.push((sha, path.display().to_string(), bytes.len() as u64, read, analysis));
    }
    let parse_rate = (count as f64 / started.elapsed().as_secs_f64(), per_cpu_second(count, cpu_started));
    let statements: Vec<NewStatement> = analysed
        .iter()
        .map(|(sha, path, size, read, analysis)| NewStatement {
            sha256: sha,
            path,
            item: 0,
            file: FileFacts { size: *size, modified_ns: None },
            read,
            analysis,
        })
        .collect();
    let db = work.join("stages.sqlite3");
    remove_database(&db);
    let mut store = Store::open(&db)?;
    let (started, cpu_started) = (Instant::now(), thread_cpu_time());
    for statement in &statements {
        store.insert_statement(statement)?;
    }
    let store_rate = (count as f64 / started.elapsed().as_secs_f64(), per_cpu_second(count, cpu_started));
    drop(store);
    remove_database(&db);
    let mut store = Store::open(&db)?;
    let (started, cpu_started) = (Instant::now(), thread_cpu_time());
    for batch in statements.chunks(500) {
        store.insert_statements(batch)?;
    }
    let batch_rate = (count as f64 / started.elapsed().as_secs_f64(), per_cpu_second(count, cpu_started));
    drop(store);
    remove_database(&db);
    let load_after = load();
    let row = |name: &str, (rate, cpu_rate): (f64, f64)| Row {
        name: format!("ingest stage: {name}, statements/s, one core"),
        median: format!("{rate:.0}"),
        p95: "—".into(),
        target: "—".into(),
        verdict: "—",
        notes: format!(
            "{cpu_rate:.0} per CPU-second; one run, {count} statements; load {load_before}→{load_after}"
        ),
    };
    Ok(vec![
        row("read + parse + analyse", parse_rate),
        row("store, one transaction per statement", store_rate),
        row("store, 500 statements per transaction", batch_rate),
    ])
}

/// The CPU time this thread has used.
fn thread_cpu_time() -> Duration {
    // SAFETY: getrusage writes into the zeroed struct it is given and nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_THREAD, &mut usage);
        usage
    };
    let time = |value: libc::timeval| Duration::new(value.tv_sec as u64, value.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Statements per second of this thread's CPU time since `started`.
fn per_cpu_second(count: u64, started: Duration) -> f64 {
    count as f64 / (thread_cpu_time() - started).as_secs_f64().max(1e-9)
}

/// Drop-to-visible latency through the real watcher: a file is written under a hidden
/// name and renamed into the watched folder (the moment it is complete), and the clock
/// stops when the watcher reports it stored (committed) through its callback.
fn latency(corpus: &Corpus, plan: &Plan, work: &Path, stability: Duration) -> Result<Row> {
    let inbox = work.join("inbox");
    let _ = std::fs::remove_dir_all(&inbox);
    std::fs::create_dir_all(&inbox)?;
    let inbox = std::fs::canonicalize(&inbox)?;
    let db = work.join("latency.sqlite3");
    remove_database(&db);
    let (sender, events) = mpsc::channel();
    let mut config = WatchConfig::new(vec![inbox.clone()]);
    config.stability = stability;
    let watcher = Watcher::start(Store::open(&db)?, config, move |event| {
        // The benchmark may have stopped listening; then the event no longer matters.
        let _ = sender.send((Instant::now(), event));
    })?;
    let wait_for = |what: &dyn Fn(&WatchEvent) -> bool| -> Result<Instant> {
        loop {
            let (at, event) =
                events.recv_timeout(Duration::from_secs(30)).context("the watcher went quiet")?;
            if what(&event) {
                return Ok(at);
            }
        }
    };
    wait_for(&|event| matches!(event, WatchEvent::ScanFinished { .. }))?;
    let load_before = load();
    let mut times = Vec::new();
    for drop in 0..plan.drops as u64 {
        let statement = corpus.statement(10_000_000 + drop);
        let hidden = inbox.join(format!(".{}.partial", statement.file_name()));
        let path = inbox.join(statement.file_name());
        std::fs::write(&hidden, &statement.bytes)?;
        std::fs::rename(&hidden, &path)?;
        let complete = Instant::now();
        let stored = wait_for(&|event| match event {
            WatchEvent::File(report) => {
                report.path == path && matches!(report.outcome, demarche_ingest::FileOutcome::Stored { .. })
            }
            _ => false,
        })?;
        times.push(stored - complete);
        std::thread::sleep(Duration::from_millis(50));
    }
    watcher.stop()?;
    let (median, p95) = durations(times);
    let limit = 1000.0 + stability.as_secs_f64() * 1000.0;
    Ok(Row {
        name: "drop-to-visible latency (file complete → committed → event), ms".into(),
        median: format!("{median:.0}"),
        p95: format!("{p95:.0}"),
        target: format!("p95 < 1,000 + stability ({} ms)", stability.as_millis()),
        verdict: verdict(p95 < limit),
        notes: format!("{} drops into the real watcher (inotify); load {load_before}→{}", plan.drops, load()),
    })
}

/// Chart query + render, as the app and `demarche chart` do it.
fn charts(store: &Store, statements: i64, plan: &Plan) -> Result<Vec<Row>> {
    let conn = store.connection();
    let mentions = |bucket: Bucket, filters: Filters| {
        let mut spec = ChartSpec::new(ChartKind::Mentions(MentionMeasure::Count), filters);
        spec.bucket = Some(bucket);
        spec
    };
    let busiest_speaker: Option<String> = conn
        .query_row("SELECT speaker FROM statements WHERE speaker IS NOT NULL LIMIT 1", [], |row| row.get(0))
        .ok();
    let by_speaker = Filters { speaker: busiest_speaker, ..Filters::default() };
    let by_text = Filters { query: Some("ceasefire".into()), ..Filters::default() };
    let cases = [
        ("mentions, monthly, top 8, SVG", mentions(Bucket::Month, Filters::default()), Format::Svg),
        ("mentions, weekly, top 8, SVG", mentions(Bucket::Week, Filters::default()), Format::Svg),
        ("mentions, monthly, PNG 1200×700", mentions(Bucket::Month, Filters::default()), Format::Png),
        (
            "accusations by accused, monthly, SVG",
            {
                let mut spec =
                    ChartSpec::new(ChartKind::Accusations(AccusationGrouping::Accused), Filters::default());
                spec.bucket = Some(Bucket::Month);
                spec
            },
            Format::Svg,
        ),
        (
            "ranking, most mentioned, SVG",
            ChartSpec::new(ChartKind::Ranking(Ranking::Mentioned), Filters::default()),
            Format::Svg,
        ),
        (
            "who accuses whom (matrix), SVG",
            ChartSpec::new(ChartKind::Matrix, Filters::default()),
            Format::Svg,
        ),
        (
            "mentions, monthly, one speaker (base tables), SVG",
            mentions(Bucket::Month, by_speaker),
            Format::Svg,
        ),
        (
            "mentions, monthly, text \"ceasefire\" (FTS + base tables), SVG",
            mentions(Bucket::Month, by_text),
            Format::Svg,
        ),
    ];
    let mut rows = Vec::new();
    for (name, spec, format) in cases {
        let load_before = load();
        // Wall-clock and CPU time of one query + render.
        let draw = || -> Result<(Duration, Duration)> {
            let (started, cpu_started) = (Instant::now(), thread_cpu_time());
            let chart = query(conn, &spec)?;
            let provenance = Provenance::collect(conn, &chart)?;
            let bytes = export(&chart, &provenance, format, RenderSize::default())?.bytes;
            let elapsed = (started.elapsed(), thread_cpu_time() - cpu_started);
            ensure!(!bytes.is_empty(), "empty chart file");
            Ok(elapsed)
        };
        let (first, first_cpu) = draw()?;
        let mut times = Vec::new();
        let budget = Instant::now();
        // A case slower than the whole budget is reported from its one run.
        let slow = first > TIME_BUDGET;
        if slow {
            times.push((first, first_cpu));
        }
        while !slow && times.len() < plan.iterations && (times.len() < 3 || budget.elapsed() < TIME_BUDGET) {
            times.push(draw()?);
        }
        let times_len = times.len();
        let (cpu_median, _) = durations(times.iter().map(|(_, cpu)| *cpu).collect());
        let (median, p95) = durations(times.into_iter().map(|(wall, _)| wall).collect());
        rows.push(Row {
            name: format!("chart: {name}, ms"),
            median: format!("{median:.1}"),
            p95: format!("{p95:.1}"),
            target: "p95 < 100".into(),
            verdict: verdict(p95 < 100.0),
            notes: format!(
                "{cpu_median:.1} ms CPU; {statements} statements, {} runs; first run {:.0} ms; load {load_before}→{}",
                times_len,
                first.as_secs_f64() * 1000.0,
                load()
            ),
        });
        announce(&rows[rows.len() - 1..]);
    }
    Ok(rows)
}

/// Full-text search: first as the app runs it (the statement list filtered by text,
/// newest first, with its total, over all dates and over the last year of statements:
/// `demarche_library::list`, the `list_statements` command), then the raw queries
/// behind a search box: the best 50 matches with a snippet, the newest 50, and the
/// number of matches.
///
/// How the queries are written matters more than anything else at a million
/// statements: joining every match to its statement before ordering reads each matching
/// statement's row, text included (seconds, and 87 s for "newest 50" of a common word
/// when SQLite fetches rows by id). So the best matches are ranked inside the full-text
/// index first and only the 50 kept are joined, and the newest walk the current-date
/// index backwards, keeping the ids that match, until 50 are found.
fn search(store: &Store, statements: i64, plan: &Plan) -> Result<Vec<Row>> {
    let conn = store.connection();
    let terms = ["ceasefire", "\"human rights\"", "embassy AND shelling", "provocat*", "Bhutan", "Storm"];
    let matches: Vec<String> = terms
        .iter()
        .map(|term| {
            let count: i64 = conn
                .query_row(
                    "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?1",
                    [term],
                    |row| row.get(0),
                )
                .unwrap_or(-1);
            format!("{term} {count}")
        })
        .collect();
    let year_before: Option<String> = conn.query_row(
        "SELECT date(max(date), '-365 days') FROM statements INDEXED BY statements_current_date
         WHERE superseded_at IS NULL",
        [],
        |row| row.get(0),
    )?;
    let year_before = year_before.map(|day| parse_date_bound(&day, DateBound::Start)).transpose()?;
    let app_list = |from| {
        move |term: &str| -> Result<usize> {
            let query = demarche_library::ListQuery {
                filters: Filters { query: Some(term.to_string()), from, ..Filters::default() },
                limit: 50,
                ..demarche_library::ListQuery::default()
            };
            let page = demarche_library::list(conn, &query)?;
            Ok(page.rows.len() + page.total)
        }
    };
    let sql = |sql: &'static str| {
        let mut query = None;
        move |term: &str| -> Result<usize> {
            let query = match &mut query {
                Some(query) => query,
                None => query.insert(conn.prepare(sql)?),
            };
            Ok(query.query_map([term], |_| Ok(()))?.count())
        }
    };
    let mut kinds: Vec<(&str, Box<dyn FnMut(&str) -> Result<usize> + '_>)> = vec![
        ("in the app: statement list by text, newest 50 with the total", Box::new(app_list(None))),
        ("in the app: the same over the last year", Box::new(app_list(year_before))),
        (
            "best 50 by rank with snippets",
            Box::new(sql("SELECT s.id, s.date, s.title, f.snippet
             FROM (SELECT rowid AS id, rank, snippet(statements_fts, 1, '[', ']', '…', 12) AS snippet
                   FROM statements_fts WHERE statements_fts MATCH ?1 ORDER BY rank LIMIT 50) f
             JOIN statements s ON s.id = f.id WHERE s.superseded_at IS NULL ORDER BY f.rank")),
        ),
        (
            "newest 50",
            Box::new(sql("SELECT id, date, title FROM statements INDEXED BY statements_current_date
             WHERE superseded_at IS NULL
               AND id IN (SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?1)
             ORDER BY date DESC LIMIT 50")),
        ),
        (
            "count of matches",
            Box::new(sql("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?1")),
        ),
    ];
    let mut rows = Vec::new();
    for (name, run) in &mut kinds {
        let load_before = load();
        let mut times = Vec::new();
        let mut slowest = (Duration::ZERO, "");
        for term in terms {
            let budget = Instant::now();
            for iteration in 0..=plan.iterations {
                if iteration > 3 && budget.elapsed() > TIME_BUDGET / terms.len() as u32 {
                    break;
                }
                let started = Instant::now();
                let rows = run(term)?;
                let elapsed = started.elapsed();
                std::hint::black_box(rows);
                // The first run of each term warms the page cache; it is not counted.
                if iteration > 0 {
                    times.push(elapsed);
                    if elapsed > slowest.0 {
                        slowest = (elapsed, term);
                    }
                }
            }
        }
        let mut notes = format!(
            "{statements} statements, {} queries, {} runs; slowest {} ({:.0} ms); load {load_before}→{}",
            terms.len(),
            times.len(),
            slowest.1,
            slowest.0.as_secs_f64() * 1000.0,
            load()
        );
        if rows.is_empty() {
            let _ = write!(notes, "; matches: {}", matches.join(", "));
        }
        let (median, p95) = durations(times);
        rows.push(Row {
            name: format!("search: {name}, ms"),
            median: format!("{median:.1}"),
            p95: format!("{p95:.1}"),
            target: "p95 < 100".into(),
            verdict: verdict(p95 < 100.0),
            notes,
        });
        announce(&rows[rows.len() - 1..]);
    }
    Ok(rows)
}

/// The totals the app shows at launch and after every stored batch (`Store::totals`),
/// then the counts `demarche stats` shows, each timed once and first, so as cold as
/// the page cache allows.
fn stats(store: &Store, statements: i64) -> Result<Vec<Row>> {
    let timed = |name: &str, count: &dyn Fn() -> Result<()>| -> Result<Row> {
        let started = Instant::now();
        count()?;
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        Ok(Row {
            name: name.into(),
            median: format!("{elapsed:.0}"),
            p95: "—".into(),
            target: "—".into(),
            verdict: "—",
            notes: format!("{statements} statements, one run"),
        })
    };
    Ok(vec![
        timed("totals (the app's counts: statements, mentions, accusations, failed files), ms", &|| {
            store.totals().map(|_| ()).map_err(Into::into)
        })?,
        timed("stats (`demarche stats`: the totals, versions, files gone, duplicates), ms", &|| {
            store.stats().map(|_| ()).map_err(Into::into)
        })?,
    ])
}

/// The database's size per 1,000 current statements: its pages in use, committed
/// pages still in the write-ahead log included, free pages left out.
fn database_size(store: &Store, statements: i64) -> Result<Row> {
    let pragma = |name: &str| -> Result<u64> {
        Ok(store.connection().query_row(&format!("PRAGMA {name}"), [], |row| row.get::<_, i64>(0))? as u64)
    };
    let bytes = (pragma("page_count")? - pragma("freelist_count")?) * pragma("page_size")?;
    let per_thousand = bytes as f64 / statements.max(1) as f64 * 1000.0 / 1e6;
    Ok(Row {
        name: "database size per 1,000 statements, MB".into(),
        median: format!("{per_thousand:.2}"),
        p95: "—".into(),
        target: "—".into(),
        verdict: "—",
        notes: format!("{:.1} MB for {statements} statements", bytes as f64 / 1e6),
    })
}

/// Shows rows on stderr as they are measured, so a long run can be followed.
fn announce(rows: &[Row]) {
    for row in rows {
        eprintln!("  {}: median {}, p95 {} ({})", row.name, row.median, row.p95, row.notes);
    }
}

fn print_table(rows: &[Row]) {
    println!();
    println!("| benchmark | median | p95 | target | verdict | notes |");
    println!("| --- | ---: | ---: | --- | --- | --- |");
    for row in rows {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            row.name, row.median, row.p95, row.target, row.verdict, row.notes
        );
    }
    println!();
    println!("load average {} at the end", load());
}
