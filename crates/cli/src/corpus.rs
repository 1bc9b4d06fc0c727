//! `demarche corpus`: a synthetic corpus of statements for benchmarks, written as files
//! into a folder, or loaded straight into a database.
//!
//! Loading into a database is the one way a statement reaches the store other than
//! through the ingest pipeline, and it exists only to prepare large benchmark databases
//! (a million statements) in minutes rather than hours: each generated file is read
//! by `demarche-doc` and analysed by `demarche-extract` exactly as ingest would, then
//! stored through `demarche-store` in batches. Its statements carry the paths
//! `corpus/seed-S/YEAR/…`, which no watch folder contains.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Instant;

use anyhow::{Context as _, Result};
use clap::Args;
use demarche_corpus::Corpus;
use demarche_doc::{FileInput, ReadStatement};
use demarche_extract::{analyze, Analysis, Context};
use demarche_store::{FileFacts, NewStatement, Store};
use sha2::{Digest, Sha256};

#[derive(Args)]
pub struct CorpusArgs {
    /// How many statements.
    #[arg(long)]
    count: u64,
    /// The corpus's seed: the same seed gives the same statements.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The number of the first statement (to extend a corpus).
    #[arg(long, default_value_t = 0)]
    first: u64,
    /// Write the statements as files into this folder (YEAR/DATE_NUMBER.EXT).
    #[arg(long, value_name = "DIR", required_unless_present = "db", conflicts_with = "db")]
    out: Option<PathBuf>,
    /// Load the statements straight into this database instead (read and analysed as
    /// ingest would, stored in batches): how benchmark databases of a million
    /// statements are prepared.
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
}

pub fn run(args: CorpusArgs) -> Result<()> {
    let corpus = Corpus::new(args.seed);
    let range = args.first..args.first + args.count;
    let started = Instant::now();
    match (&args.out, &args.db) {
        (Some(out), _) => {
            let bytes = write_files(&corpus, range, out)?;
            println!(
                "wrote {} statements ({:.1} MB) to {} in {:.1} s",
                args.count,
                bytes as f64 / 1e6,
                out.display(),
                started.elapsed().as_secs_f64()
            );
        }
        (None, Some(db)) => {
            let mut store =
                Store::open(db).with_context(|| format!("cannot use the database {}", db.display()))?;
            load(&corpus, args.seed, range, &mut store, |done| {
                let seconds = started.elapsed().as_secs_f64();
                eprintln!("{done} statements loaded, {:.0}/s", done as f64 / seconds);
            })?;
            println!(
                "loaded {} statements into {} in {:.1} s",
                args.count,
                db.display(),
                started.elapsed().as_secs_f64()
            );
        }
        (None, None) => unreachable!("clap requires --out or --db"),
    }
    Ok(())
}

/// Writes statements `range` under `out`; returns the bytes written.
pub fn write_files(corpus: &Corpus, range: std::ops::Range<u64>, out: &Path) -> Result<u64> {
    let mut written = 0;
    for index in range {
        let statement = corpus.statement(index);
        let path = out.join(&statement.relative_path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, &statement.bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        written += statement.bytes.len() as u64;
    }
    Ok(written)
}

/// A generated statement, read and analysed, ready to be stored.
struct Analysed {
    sha256: String,
    path: String,
    size: u64,
    read: ReadStatement,
    analysis: Analysis,
}

/// How many statements are committed together.
const BATCH: usize = 500;

/// Generates, reads and analyses statements `range` on every core but one, and stores
/// them on this thread in batches. `progress` hears the count after every 20 batches.
pub fn load(
    corpus: &Corpus,
    seed: u64,
    range: std::ops::Range<u64>,
    store: &mut Store,
    mut progress: impl FnMut(u64),
) -> Result<()> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).saturating_sub(1).max(1) as u64;
    std::thread::scope(|scope| -> Result<()> {
        let receivers: Vec<mpsc::Receiver<Result<Analysed>>> = (0..workers)
            .map(|worker| {
                let (sender, receiver) = mpsc::sync_channel(BATCH);
                let range = range.clone();
                scope.spawn(move || {
                    // Worker w takes statements w, w + workers, …, so the writer can take
                    // them back in order, round robin.
                    for index in range.skip(worker as usize).step_by(workers as usize) {
                        if sender.send(analysed(corpus, seed, index)).is_err() {
                            return;
                        }
                    }
                });
                receiver
            })
            .collect();
        let mut batch = Vec::with_capacity(BATCH);
        let mut done = 0;
        for offset in 0..range.end - range.start {
            let received =
                receivers[(offset % workers) as usize].recv().context("a corpus worker stopped")?;
            batch.push(received?);
            if batch.len() == BATCH || offset + 1 == range.end - range.start {
                store_batch(store, &batch)?;
                done += batch.len() as u64;
                batch.clear();
                if done % (20 * BATCH as u64) == 0 {
                    progress(done);
                }
            }
        }
        Ok(())
    })
}

fn analysed(corpus: &Corpus, seed: u64, index: u64) -> Result<Analysed> {
    let statement = corpus.statement(index);
    let input = FileInput { file_name: statement.file_name(), bytes: &statement.bytes, modified: None };
    let mut read = demarche_doc::read(&input)
        .with_context(|| format!("generated statement {} cannot be read", statement.relative_path))?;
    let read = read.pop().context("a generated file holds one statement")?;
    let speaker_country = read.meta.speaker_country.as_ref().map(|country| country.value.as_str());
    let analysis = analyze(&read.text, Context { speaker_country });
    let sha256 = Sha256::digest(&statement.bytes).iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(Analysed {
        sha256,
        path: format!("corpus/seed-{seed}/{}", statement.relative_path),
        size: statement.bytes.len() as u64,
        read,
        analysis,
    })
}

fn store_batch(store: &mut Store, batch: &[Analysed]) -> Result<()> {
    let statements: Vec<NewStatement> = batch
        .iter()
        .map(|analysed| NewStatement {
            sha256: &analysed.sha256,
            path: &analysed.path,
            item: 0,
            file: FileFacts { size: analysed.size, modified_ns: None },
            read: &analysed.read,
            analysis: &analysed.analysis,
        })
        .collect();
    store.insert_statements(&statements)?;
    Ok(())
}
