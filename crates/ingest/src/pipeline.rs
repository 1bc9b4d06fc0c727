//! The threads of an ingest run: a scanner that hands out files in order, reader
//! threads that read, hash, parse and analyse them, and one writer (the calling
//! thread, which owns the store) that stores the results in that same order, a batch
//! of files per transaction.
//!
//! Storing is the slow stage, and SQLite pays for every commit and for every
//! transaction's pass over the same index pages, so the writer groups files: a batch is
//! committed once it holds `BATCH_STATEMENTS` statements, once `BATCH_TIME` has passed
//! since it began (so a watcher's live drop shows up quickly even during a long
//! catch-up), or when no file is left. A file is reported only after its batch is
//! committed; a database error rolls the open batch back and ends the run, and its
//! files are neither stored nor reported.
//!
//! The writer stores files strictly in scan order, whichever reader finishes first, so
//! the outcome of a run does not depend on thread timing: of two copies of the same
//! content the first in scan order is stored and the second is its duplicate, even
//! within one batch (the batch's reads see its own writes). The number and total size
//! of files between the scanner and the writer is bounded (`Window`), so memory stays
//! flat whatever the corpus and however long one slow file holds the writer up.
//!
//! The writer does not checkpoint the write-ahead log itself: a checkpointer thread
//! does it on its own connection during the run, and once more at its end (see
//! `demarche_store::Store::start_background_checkpoints`).

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError};
use demarche_store::{CheckpointReport, Store, StoreError};

use crate::{prepare, prepare_with_retries, store_prepared, FileReport, IngestOptions, Prepared};

/// One file for the pipeline, in scan order.
pub(crate) enum Job {
    /// A file to read.
    Read(PathBuf),
    /// A path that could not even be listed or resolved: its failure is recorded in
    /// its place in the order. `key` is the path the failure is recorded under.
    Failed { path: PathBuf, key: String, reason: String },
}

/// What a reader does with a file that changed while being read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Retry {
    /// Read it again a few times, then record it as failed (a one-off ingest).
    WhileChanging,
    /// Report it as changed (the watcher waits for it to settle again).
    Never,
}

/// A batch is committed once it holds this many statements. Larger batches store
/// faster, but every statement of a batch waits for its commit; a few hundred is where
/// the gain per statement levels off.
pub const BATCH_STATEMENTS: usize = 256;

/// A batch is committed at the latest this long after it began, however few files it
/// holds, so a file is visible well within the watcher's one-second target.
const BATCH_TIME: Duration = Duration::from_millis(200);

/// At most this many files are between the scanner and the writer at once.
const IN_FLIGHT_FILES: usize = 64;

/// At most this many bytes of files (by their size on disk) are between the scanner
/// and the writer at once, unless a single file is larger: then it goes alone. This
/// keeps a run of large files from holding several of them in memory together.
const IN_FLIGHT_BYTES: u64 = 32 * 1024 * 1024;

/// Runs the pipeline over `jobs`, calling `on_report` for each in order once its batch
/// is committed, and returns what the run's checkpointer did. Only a database failure
/// is an error, the checkpointer's included.
pub(crate) fn run<J>(
    store: &mut Store,
    jobs: J,
    options: &IngestOptions,
    retry: Retry,
    mut on_report: impl FnMut(FileReport),
) -> Result<CheckpointReport, StoreError>
where
    J: Iterator<Item = Job> + Send,
{
    let readers = reader_count(jobs.size_hint().1);
    let window = Window::default();
    // The log is copied back into the database on another thread while the writer
    // stores; its failures come back through the writer's next batch or at the end.
    store.start_background_checkpoints(options.checkpoints)?;
    let written = std::thread::scope(|scope| {
        let window = &window;
        // A reader always has its next file waiting; more would only sit in the queue.
        let (job_sender, job_receiver) = crossbeam_channel::bounded::<(u64, Job, u64)>(readers);
        // Unbounded, but never holds more than the window lets through.
        let (prepared_sender, prepared_receiver) = crossbeam_channel::unbounded();
        std::thread::Builder::new()
            .name("demarche-scan".into())
            .spawn_scoped(scope, move || {
                for (sequence, job) in (0u64..).zip(jobs) {
                    let weight = weight(&job, options);
                    if !window.acquire(weight) || job_sender.send((sequence, job, weight)).is_err() {
                        return;
                    }
                }
            })
            .expect("a thread can be started for the scan");
        for _ in 0..readers {
            let (jobs, prepared_sender) = (job_receiver.clone(), prepared_sender.clone());
            std::thread::Builder::new()
                .name("demarche-read".into())
                .spawn_scoped(scope, move || {
                    for (sequence, job, weight) in jobs {
                        let prepared = match job {
                            Job::Read(path) => match retry {
                                Retry::WhileChanging => prepare_with_retries(&path, options),
                                Retry::Never => prepare(&path, options),
                            },
                            Job::Failed { path, key, reason } => {
                                Prepared::Failed { path, key, facts: None, reason }
                            }
                        };
                        // The writer is gone only when it stopped on a database error.
                        if prepared_sender.send((sequence, prepared, weight)).is_err() {
                            return;
                        }
                    }
                })
                .expect("a thread can be started for reading");
        }
        drop((job_receiver, prepared_sender));
        let written = write(store, prepared_receiver, window, &mut on_report);
        if written.is_err() {
            // Wake the scanner so it stops handing out files; the readers stop when
            // their next result finds the writer gone.
            window.close();
        }
        written
    });
    // A write error ends the run first; the checkpointer's own failure, if any, is
    // the same disk's and adds nothing to it.
    let checkpointed = store.stop_background_checkpoints();
    written?;
    Ok(checkpointed?.unwrap_or_default())
}

/// One reader per core (at least one), and no more than there are files.
fn reader_count(files: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    cores.min(files.unwrap_or(usize::MAX)).max(1)
}

/// How much of the in-flight budget a job takes: its file's size, as far as it will
/// be read.
fn weight(job: &Job, options: &IngestOptions) -> u64 {
    match job {
        Job::Read(path) => fs::metadata(path).map_or(0, |metadata| metadata.len().min(options.max_file_size)),
        Job::Failed { .. } => 0,
    }
}

/// A prepared file with its place in the order and its weight in the window.
type Numbered = (u64, Prepared, u64);

/// The writer: stores prepared files in order, in batches, and reports them after
/// each commit.
fn write(
    store: &mut Store,
    prepared: Receiver<Numbered>,
    window: &Window,
    on_report: &mut impl FnMut(FileReport),
) -> Result<(), StoreError> {
    let mut in_order = InOrder { receiver: prepared, early: BTreeMap::new(), next: 0 };
    while let Next::File(first, weight) = in_order.next(None) {
        let started = Instant::now();
        let mut batch = store.begin_batch()?;
        let mut reports = Vec::new();
        let (report, mut statements) = store_prepared(&mut batch, first)?;
        window.release(weight);
        reports.push(report);
        while statements < BATCH_STATEMENTS {
            let Next::File(file, weight) = in_order.next(Some(started + BATCH_TIME)) else { break };
            let (report, count) = store_prepared(&mut batch, file)?;
            window.release(weight);
            reports.push(report);
            statements += count;
        }
        batch.commit()?;
        reports.into_iter().for_each(&mut *on_report);
    }
    Ok(())
}

/// Prepared files put back into scan order.
struct InOrder {
    receiver: Receiver<Numbered>,
    /// Files that arrived before the one the writer needs next.
    early: BTreeMap<u64, (Prepared, u64)>,
    next: u64,
}

enum Next {
    File(Prepared, u64),
    /// The deadline passed before the next file in order arrived.
    Later,
    /// Every file has been handed over.
    End,
}

impl InOrder {
    /// The next file in scan order, waiting for it until `deadline` if one is given.
    fn next(&mut self, deadline: Option<Instant>) -> Next {
        loop {
            if let Some((prepared, weight)) = self.early.remove(&self.next) {
                self.next += 1;
                return Next::File(prepared, weight);
            }
            let received = match deadline {
                Some(deadline) => self.receiver.recv_deadline(deadline),
                None => self.receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
            };
            match received {
                Ok((sequence, prepared, weight)) => {
                    self.early.insert(sequence, (prepared, weight));
                }
                Err(RecvTimeoutError::Timeout) => return Next::Later,
                // Every reader has finished, so every file has arrived: a gap in the
                // order would mean a reader died, and the scope re-raises its panic.
                Err(RecvTimeoutError::Disconnected) => return Next::End,
            }
        }
    }
}

/// The files between the scanner and the writer, and the bound on them.
#[derive(Default)]
struct Window {
    state: Mutex<InFlight>,
    changed: Condvar,
}

#[derive(Default)]
struct InFlight {
    files: usize,
    bytes: u64,
    /// The writer stopped: no more files are handed out.
    closed: bool,
}

impl Window {
    /// Waits until a file of `bytes` fits in the window and counts it in; `false` once
    /// the window is closed.
    fn acquire(&self, bytes: u64) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while !state.closed
            && state.files > 0
            && (state.files >= IN_FLIGHT_FILES || state.bytes + bytes > IN_FLIGHT_BYTES)
        {
            state = self.changed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        if state.closed {
            return false;
        }
        state.files += 1;
        state.bytes += bytes;
        true
    }

    /// Counts a stored file out of the window.
    fn release(&self, bytes: u64) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.files -= 1;
        state.bytes -= bytes;
        self.changed.notify_one();
    }

    fn close(&self) {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).closed = true;
        self.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files arriving from the readers in `arrivals` order come out in scan order; a
    /// deadline passing while the next one is missing is `Later`, and the end comes
    /// only once every reader has gone.
    fn check(arrivals: &[u64], expect: &[u64]) {
        let (sender, receiver) = crossbeam_channel::unbounded();
        for &sequence in arrivals {
            let failed = Prepared::Failed {
                path: PathBuf::from(format!("{sequence}")),
                key: String::new(),
                facts: None,
                reason: String::new(),
            };
            sender.send((sequence, failed, 0)).unwrap();
        }
        let mut in_order = InOrder { receiver, early: BTreeMap::new(), next: 0 };
        let mut seen = Vec::new();
        while let Next::File(Prepared::Failed { path, .. }, _) = in_order.next(Some(Instant::now())) {
            seen.push(path.to_string_lossy().parse::<u64>().unwrap());
        }
        assert_eq!(seen, expect, "arrivals {arrivals:?}");
        drop(sender);
        assert!(matches!(in_order.next(None), Next::End), "arrivals {arrivals:?}");
    }

    #[test]
    fn files_are_handed_to_the_writer_in_scan_order() {
        check(&[0, 1, 2], &[0, 1, 2]);
        check(&[2, 0, 1], &[0, 1, 2]);
        check(&[1, 3, 2, 0], &[0, 1, 2, 3]);
        // The writer waits for file 0, whatever follows it.
        check(&[1, 2, 3], &[]);
        check(&[0, 2, 3], &[0]);
    }
}
