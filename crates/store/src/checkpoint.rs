//! Checkpoints off the writer's thread: while a bulk write runs (an ingest run), a
//! checkpointer thread on its own connection copies the write-ahead log back into the
//! database, so the writer's commits no longer pay for it.
//!
//! SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on
//! the writer's connection: a sixth of the ingest writer's time went there. Here the
//! writer's automatic checkpoint is switched off and a WAL hook on its connection tells
//! the checkpointer how long the log is after every commit; past `CheckpointPolicy::start_pages`
//! the checkpointer runs a PASSIVE checkpoint (which never waits for, nor blocks, the
//! writer or any reader), and a final one when the run ends.
//!
//! Two promises keep this safe. The log cannot grow without bound when the checkpointer
//! falls behind: past `limit_pages` the writer waits, before its next transaction, for
//! a checkpoint to finish. And nothing is swallowed: a checkpoint that fails (a full
//! disk, a broken file) is kept, returned by the writer's next `begin_batch` and by
//! `Store::stop_background_checkpoints`, as the same typed `StoreError` a write would
//! give; a checkpoint that could not take the checkpoint lock (another process is
//! checkpointing) is no failure, and is counted in the report.

use std::ffi::{c_char, c_int, c_void};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use rusqlite::{ffi, Connection};

use crate::{StoreError, BUSY_TIMEOUT};

/// When the checkpointer copies the log back, and when the writer waits for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckpointPolicy {
    /// A checkpoint starts once the log holds this many pages after a commit.
    pub start_pages: u32,
    /// The writer waits for a checkpoint before its next transaction once the log holds
    /// this many pages: the bound on the log when the checkpointer falls behind.
    pub limit_pages: u32,
}

impl Default for CheckpointPolicy {
    /// 16 MiB of 4 KiB pages, as the automatic checkpoint was set before (successive
    /// batches rewrite the same index pages, so checkpointing less often copies each of
    /// them back fewer times), and a bound four times that.
    fn default() -> CheckpointPolicy {
        CheckpointPolicy { start_pages: 4000, limit_pages: 16_000 }
    }
}

/// What the checkpointer did over a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CheckpointReport {
    /// Checkpoints run, the final one included.
    pub checkpoints: u64,
    /// Checkpoints that could not start because another connection was checkpointing.
    pub busy: u64,
    /// Checkpoints that left part of the log in place because a reader still used it.
    pub partial: u64,
    /// Pages copied back into the database.
    pub pages_copied: u64,
    /// Times the log had reached the limit before a write: the writer waited for a
    /// checkpoint of everything it had committed, unless one had already finished.
    pub limit_reached: u64,
}

/// What the writer's WAL hook and the checkpointer share.
pub(crate) struct Shared {
    policy: CheckpointPolicy,
    state: Mutex<State>,
    /// Wakes the checkpointer: the log grew past the start, the writer waits, or stop.
    wake: Condvar,
    /// Wakes the writer: a checkpoint finished, or the checkpointer ended.
    done: Condvar,
}

#[derive(Default)]
struct State {
    /// Pages in the log after the writer's last commit.
    log_pages: u32,
    /// Commits seen by the hook; a checkpoint is due only after a new one.
    commits: u64,
    /// The commits the last finished checkpoint started after (whatever its outcome).
    checkpointed_through: u64,
    /// The writer waits for a checkpoint of everything it has committed.
    wanted: bool,
    stop: bool,
    /// The checkpointer thread has ended.
    ended: bool,
    /// The first checkpoint failure not yet handed to the writer.
    error: Option<StoreError>,
    report: CheckpointReport,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The running checkpointer, owned by the writer's `Store`.
pub(crate) struct Background {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// The writer's WAL hook: SQLite calls it after every commit with the log's length.
///
/// # Safety
/// `context` is the `Shared` of a `Background` that unregisters this hook before it is
/// dropped (`Background::stop`), so it is valid whenever SQLite calls.
unsafe extern "C" fn on_commit(
    context: *mut c_void,
    _: *mut ffi::sqlite3,
    _: *const c_char,
    pages: c_int,
) -> c_int {
    let shared = &*(context as *const Shared);
    let mut state = shared.lock();
    state.log_pages = pages.max(0) as u32;
    state.commits += 1;
    if state.log_pages >= shared.policy.start_pages {
        shared.wake.notify_one();
    }
    ffi::SQLITE_OK
}

impl Background {
    /// Starts a checkpointer for the database of `writer`, whose automatic checkpoint
    /// is switched off until `stop`.
    pub(crate) fn start(writer: &Connection, policy: CheckpointPolicy) -> Result<Background, StoreError> {
        let path = writer.path().filter(|path| !path.is_empty()).map(str::to_owned);
        let Some(path) = path else {
            // An in-memory database has no log to copy back.
            return Ok(Background::idle(policy));
        };
        let open_error = |source| StoreError::Open { path: path.clone(), source };
        let connection = Connection::open(&path).map_err(open_error)?;
        // PASSIVE checkpoints never wait on a lock, but opening may read the schema
        // while another process holds the database.
        connection.busy_timeout(BUSY_TIMEOUT)?;
        let shared = Arc::new(Shared {
            policy,
            state: Mutex::new(State::default()),
            wake: Condvar::new(),
            done: Condvar::new(),
        });
        // Switching the automatic checkpoint off replaces the connection's WAL hook, so
        // it comes first and ours is registered after it.
        writer.pragma_update(None, "wal_autocheckpoint", 0)?;
        // SAFETY: the hook's context stays valid until `stop` unregisters the hook
        // (see `on_commit`); the handle is only used to register the hook.
        unsafe {
            ffi::sqlite3_wal_hook(writer.handle(), Some(on_commit), Arc::as_ptr(&shared) as *mut c_void);
        }
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("demarche-checkpoint".into())
            .spawn(move || checkpointer(&connection, &thread_shared))
            .map_err(|error| {
                // Without its thread the hook must go, and the automatic checkpoint return.
                unhook(writer);
                StoreError::Checkpointer { reason: error.to_string() }
            })?;
        Ok(Background { shared, thread: Some(thread) })
    }

    fn idle(policy: CheckpointPolicy) -> Background {
        let state = State { ended: true, ..State::default() };
        let shared = Shared { policy, state: Mutex::new(state), wake: Condvar::new(), done: Condvar::new() };
        Background { shared: Arc::new(shared), thread: None }
    }

    /// Before the writer's next transaction: the checkpointer's failure, if one
    /// happened, or a wait for a checkpoint if the log has reached the limit.
    pub(crate) fn before_write(&self) -> Result<(), StoreError> {
        let shared = &*self.shared;
        let mut state = shared.lock();
        if let Some(error) = state.error.take() {
            return Err(error);
        }
        if state.ended || state.log_pages < shared.policy.limit_pages {
            return Ok(());
        }
        // A checkpoint already under way may have started before the last commit; only
        // one that started after it can copy the whole log back and let it start over.
        state.report.limit_reached += 1;
        let committed = state.commits;
        if state.checkpointed_through >= committed {
            return Ok(());
        }
        state.wanted = true;
        shared.wake.notify_one();
        while state.checkpointed_through < committed && !state.ended {
            state = shared.done.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
        match state.error.take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Stops the checkpointer after a final checkpoint, gives the writer's connection
    /// its automatic checkpoint back, and reports what was done or the first failure
    /// not yet reported.
    pub(crate) fn stop(mut self, writer: &Connection) -> Result<CheckpointReport, StoreError> {
        if let Some(thread) = self.thread.take() {
            self.shared.lock().stop = true;
            self.shared.wake.notify_one();
            // The thread catches nothing that could panic but a bug; its panic is ours.
            if let Err(panic) = thread.join() {
                unhook(writer);
                std::panic::resume_unwind(panic);
            }
        }
        unhook(writer);
        let mut state = self.shared.lock();
        match state.error.take() {
            Some(error) => Err(error),
            None => Ok(state.report),
        }
    }
}

/// Removes the checkpointer's hook from `writer` and restores its automatic checkpoint
/// (which registers SQLite's own hook in its place).
fn unhook(writer: &Connection) {
    // SAFETY: unregistering takes no context.
    unsafe {
        ffi::sqlite3_wal_hook(writer.handle(), None, std::ptr::null_mut());
    }
    // Only fails on a closed connection, where there is nothing left to restore.
    let _ = writer.pragma_update(None, "wal_autocheckpoint", crate::AUTOCHECKPOINT_PAGES);
}

/// The checkpointer thread: a checkpoint whenever the log is past the start after a
/// new commit or the writer waits for one, and a final one when told to stop.
fn checkpointer(connection: &Connection, shared: &Shared) {
    let mut state = shared.lock();
    loop {
        let checkpointed_commits = state.checkpointed_through;
        let due = state.wanted
            || (state.commits != checkpointed_commits && state.log_pages >= shared.policy.start_pages);
        let last = state.stop;
        if !due && !last {
            state = shared.wake.wait(state).unwrap_or_else(PoisonError::into_inner);
            continue;
        }
        let commits = state.commits;
        state.wanted = false;
        let worth_it = due || commits != checkpointed_commits;
        drop(state);
        let outcome = if worth_it { Some(checkpoint(connection)) } else { None };
        state = shared.lock();
        state.checkpointed_through = commits;
        if let Some(outcome) = outcome {
            let report = &mut state.report;
            report.checkpoints += 1;
            match outcome {
                Ok(Checkpoint::Busy) => report.busy += 1,
                Ok(Checkpoint::Done { log, copied }) => {
                    report.pages_copied += copied as u64;
                    if copied < log {
                        report.partial += 1;
                    }
                }
                Err(error) => {
                    // The first failure is the one to tell; later ones repeat it.
                    state.error.get_or_insert(error);
                }
            }
        }
        shared.done.notify_all();
        if last {
            break;
        }
    }
    state.ended = true;
    shared.done.notify_all();
}

enum Checkpoint {
    /// Another connection held the checkpoint lock.
    Busy,
    /// `copied` of the `log`'s pages are now in the database.
    Done { log: i64, copied: i64 },
}

fn checkpoint(connection: &Connection) -> Result<Checkpoint, StoreError> {
    let (busy, log, copied): (i64, i64, i64) =
        connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    Ok(if busy != 0 { Checkpoint::Busy } else { Checkpoint::Done { log, copied: copied.max(0) } })
}
