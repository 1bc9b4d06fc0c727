//! `demarche`: everything Démarche does with data, headless. The desktop app calls the
//! same crates; this binary is their command-line face and a stable contract for
//! scripts and checks.

mod bench;
mod chart;
mod corpus;
mod library;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::{Args, Parser, Subcommand};
use demarche_ingest::{analyze_file, ingest_paths, IngestOptions};
use demarche_store::{default_database_path, Store};
use demarche_watch::{default_inbox_path, prepare_inbox, WatchConfig, Watcher};
use serde::Serialize;

#[derive(Parser)]
#[command(
    name = "demarche",
    version,
    about = "Monitor official statements: countries mentioned, accusations made."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest files and folders once and print a summary.
    Ingest {
        /// Files or folders (searched recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        database: DatabaseArg,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Scan a folder, then watch it and ingest what arrives, until interrupted.
    Watch {
        /// Folders to watch; the default inbox (created and seeded on first use) if none.
        dirs: Vec<PathBuf>,
        #[command(flatten)]
        database: DatabaseArg,
        /// Poll every SECONDS instead of relying on change notifications (network shares).
        #[arg(long, value_name = "SECONDS")]
        poll: Option<f64>,
        /// How long a file must stay unchanged before it is read.
        #[arg(long, value_name = "MS", default_value_t = 500)]
        stability_ms: u64,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Read files and print what Démarche extracts, as JSON lines; no database.
    Extract {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print JSON (one object per statement, one per line). The only output format.
        #[arg(long, required = true)]
        json: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Counts of statements, mentions, accusations and failed files.
    Stats {
        #[command(flatten)]
        database: DatabaseArg,
        #[arg(long)]
        json: bool,
    },
    /// Measure accuracy against a gold set: precision, recall, F1 and the worst errors.
    Eval {
        #[command(subcommand)]
        gold: EvalCommand,
    },
    /// Draw a chart (mentions, accusations, ranking, matrix) into a PNG, SVG, PDF or CSV file.
    Chart(Box<chart::ChartArgs>),
    /// The sentences behind a number on a chart: a bucket (--period-start/--period-end),
    /// a series, bar or column (--key), a matrix row (--row).
    Evidence(Box<library::EvidenceArgs>),
    /// List current statements under the chart filters, sorted and paged.
    List(Box<library::ListArgs>),
    /// One statement: metadata with where each value came from, mentions, accusations.
    Show(library::ShowArgs),
    /// Correct a statement's date, speaker or speaker country (kept across re-ingest).
    Correct(library::CorrectArgs),

    /// Generate a synthetic corpus of statements, as files or straight into a database.
    Corpus(corpus::CorpusArgs),
    /// Measure every stage against its target and print a table (see docs/performance.md).
    Bench(bench::BenchArgs),
    /// The ingest log, newest first: every file outcome with its reason.
    Log {
        #[command(flatten)]
        database: DatabaseArg,
        /// Only failures.
        #[arg(long)]
        failed: bool,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Country mentions: a news toponym set (mention and document F1) or a statements
    /// set (strict and broad F1, count error).
    Countries { file: PathBuf },
    /// Accusations: (sentence, accused) precision, recall and F1, accuser and category
    /// accuracy, and the count error per document and accused country.
    Accusations { file: PathBuf },
    /// Accusation probes: single sentences the project wrote, with the expected
    /// (accuser, accused) pairs (data/probes/*.tsv): precision, recall, F1 and accuser
    /// accuracy, and every sentence got wrong.
    Probes { file: PathBuf },
}

#[derive(Args)]
pub(crate) struct DatabaseArg {
    /// The database file [default: the app's database; env DEMARCHE_DB].
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
}

impl DatabaseArg {
    fn path(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(default_database_path)
    }

    pub(crate) fn open(&self) -> Result<Store> {
        let path = self.path();
        Store::open(&path).with_context(|| format!("cannot use the database {}", path.display()))
    }
}

/// The limits that keep hostile or accidental files from exhausting memory or time.
#[derive(Args)]
struct LimitArgs {
    /// Refuse files larger than this many MiB, recording the reason [default: 64].
    #[arg(long, value_name = "MIB")]
    max_size_mib: Option<u64>,
    /// Give up on a file whose reading and analysis takes longer than this, recording
    /// it as timed out; other files go on [default: 60].
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
}

impl LimitArgs {
    fn options(&self) -> Result<IngestOptions> {
        let mut options = IngestOptions::default();
        if let Some(mib) = self.max_size_mib {
            anyhow::ensure!(mib > 0, "--max-size-mib needs a positive number of MiB");
            options.max_file_size = mib.saturating_mul(1024 * 1024);
        }
        if let Some(seconds) = self.time_limit {
            anyhow::ensure!(
                seconds > 0.0 && seconds.is_finite(),
                "--time-limit needs a positive number of seconds"
            );
            options.time_limit = Duration::from_secs_f64(seconds);
        }
        Ok(options)
    }
}

fn main() -> ExitCode {
    restore_default_sigpipe();
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("demarche: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Lets `demarche … | head` end quietly when the reader goes away, as command-line
/// tools do, instead of failing on the closed pipe.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default before any other thread
    // exists has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn run(command: Command) -> Result<ExitCode> {
    match command {
        Command::Ingest { paths, database, limits } => ingest(&paths, &database, limits.options()?),
        Command::Watch { dirs, database, poll, stability_ms, limits } => {
            watch(dirs, &database, poll, stability_ms, limits.options()?)
        }
        Command::Extract { files, json: _, limits } => extract(&files, &limits.options()?),
        Command::Stats { database, json } => stats(&database, json),
        Command::Log { database, failed, limit, json } => log(&database, failed, limit, json),
        Command::Chart(args) => chart::run(*args),
        Command::Evidence(args) => library::run_evidence(*args),
        Command::List(args) => library::run_list(*args),
        Command::Show(args) => library::run_show(args),
        Command::Correct(args) => library::run_correct(args),

        Command::Corpus(args) => corpus::run(args).map(|()| ExitCode::SUCCESS),
        Command::Bench(args) => bench::run(args).map(|()| ExitCode::SUCCESS),
        Command::Eval { gold: EvalCommand::Countries { file } } => {
            print!("{}", demarche_eval::evaluate_countries(&file)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { gold: EvalCommand::Accusations { file } } => {
            print!("{}", demarche_eval::evaluate_accusations(&file)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval { gold: EvalCommand::Probes { file } } => {
            print!("{}", demarche_eval::evaluate_probes(&file)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn ingest(paths: &[PathBuf], database: &DatabaseArg, options: IngestOptions) -> Result<ExitCode> {
    let mut store = database.open()?;
    let summary = ingest_paths(&mut store, paths, &options, |report| println!("{report}"))?;
    println!(
        "{} files: {} statements ingested, {} duplicates, {} moved, {} failed",
        summary.files,
        summary.ingested,
        summary.duplicates,
        summary.moved,
        summary.failed.len()
    );
    for (path, reason) in &summary.failed {
        println!("  failed: {}: {reason}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn watch(
    dirs: Vec<PathBuf>,
    database: &DatabaseArg,
    poll: Option<f64>,
    stability_ms: u64,
    options: IngestOptions,
) -> Result<ExitCode> {
    let dirs = if dirs.is_empty() {
        let inbox = default_inbox_path();
        if prepare_inbox(&inbox).with_context(|| format!("cannot create the inbox {}", inbox.display()))? {
            println!("created the inbox {} with the sample statements", inbox.display());
        }
        vec![inbox]
    } else {
        dirs
    };
    let store = database.open()?;
    println!("database {}", database.path().display());
    let mut config = WatchConfig::new(dirs.clone());
    config.stability = Duration::from_millis(stability_ms);
    config.ingest = options;
    if let Some(seconds) = poll {
        anyhow::ensure!(seconds > 0.0 && seconds.is_finite(), "--poll needs a positive number of seconds");
        config.poll_interval = Some(Duration::from_secs_f64(seconds));
    }
    let (stop_sender, stop) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        // A second signal while stopping finds the receiver gone; nothing more to do.
        let _ = stop_sender.send(());
    })
    .context("cannot install the signal handler")?;
    let (ended_sender, ended) = std::sync::mpsc::channel::<()>();
    let watcher = Watcher::start(store, config, move |event| {
        println!("{event}");
        // Keep the handle alive in the closure so `ended` disconnects when the watcher
        // thread ends on its own.
        let _ = &ended_sender;
    })?;
    for dir in &dirs {
        println!("watching {} (Ctrl-C to stop)", dir.display());
    }
    loop {
        if stop.recv_timeout(Duration::from_millis(200)).is_ok() {
            println!("stopping");
            watcher.stop()?;
            return Ok(ExitCode::SUCCESS);
        }
        if matches!(ended.try_recv(), Err(std::sync::mpsc::TryRecvError::Disconnected)) {
            watcher.join()?;
            anyhow::bail!("the watcher stopped");
        }
    }
}

/// The `demarche extract --json` record: the contract other tools read.
#[derive(Serialize)]
struct ExtractRecord<'a> {
    path: String,
    title: Option<&'a str>,
    date: Option<String>,
    date_source: Option<&'static str>,
    source: Option<&'a str>,
    speaker: Option<&'a str>,
    speaker_country: Option<&'a str>,
    text: &'a str,
    mentions: &'a [demarche_extract::Mention],
    accusations: &'a [demarche_extract::Accusation],
}

fn extract(files: &[PathBuf], options: &IngestOptions) -> Result<ExitCode> {
    let mut failed = false;
    for file in files {
        match analyze_file(file, options) {
            Ok(statements) => {
                for (read, analysis) in &statements {
                    let meta = &read.meta;
                    let record = ExtractRecord {
                        path: display_path(file),
                        title: value(&meta.title),
                        date: meta.date.as_ref().map(|date| date.value.to_string()),
                        date_source: meta.date.as_ref().map(|date| date.source.as_str()),
                        source: value(&meta.source),
                        speaker: value(&meta.speaker),
                        speaker_country: value(&meta.speaker_country),
                        text: &read.text,
                        mentions: &analysis.mentions,
                        accusations: &analysis.accusations,
                    };
                    println!("{}", serde_json::to_string(&record)?);
                }
            }
            Err(reason) => {
                eprintln!("{}: {reason}", file.display());
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn value(field: &Option<demarche_doc::Sourced<String>>) -> Option<&str> {
    field.as_ref().map(|field| field.value.as_str())
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn stats(database: &DatabaseArg, json: bool) -> Result<ExitCode> {
    let store = database.open()?;
    let stats = store.stats()?;
    if json {
        println!("{}", serde_json::to_string(&stats)?);
    } else {
        println!("database             {}", database.path().display());
        println!("statements           {}", stats.statements);
        println!("statement versions   {}", stats.statement_versions);
        println!("mentions             {}", stats.mentions);
        println!("accusations          {}", stats.accusations);
        println!("failed files         {}", stats.failed_files);
        println!("files gone           {}", stats.files_gone);
        println!("duplicates reported  {}", stats.duplicates_reported);
    }
    Ok(ExitCode::SUCCESS)
}

fn log(database: &DatabaseArg, failed: bool, limit: usize, json: bool) -> Result<ExitCode> {
    let store = database.open()?;
    for entry in store.ingest_log(limit, failed)? {
        if json {
            println!("{}", serde_json::to_string(&entry)?);
        } else {
            let reason = entry.reason.map(|reason| format!(": {reason}")).unwrap_or_default();
            println!("{}  {:<9}  {}{reason}", entry.at, entry.outcome.as_str(), entry.path);
        }
    }
    Ok(ExitCode::SUCCESS)
}
