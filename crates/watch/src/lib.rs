//! The watch folder: a background thread that notices files arriving in one or more
//! folders and hands each one, once it has stopped changing, to the ingest pipeline.
//!
//! File-system events only say "look here": what is read is decided by a catch-up scan
//! at start, by stability checks (size and modification time unchanged over a quiet
//! period), and by periodic rescans, so missed or coalesced events never lose a file.
//! Démarche never modifies, moves or deletes the files it watches.
//!
//! The watcher outlives trouble around it: a watch folder that is deleted is waited
//! for and watched again when it comes back; when the system's limit on watched folders
//! runs out, it warns and polls instead; a database that is locked by another process
//! or on a full disk is a warning, and the files wait in the queue until it can be
//! written again.

mod inbox;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{select, Receiver, Sender};
use demarche_ingest::{file_facts, ingest_files, is_ignored, path_key, scan, FileReport, IngestOptions};
use demarche_store::{FileFacts, Store, StoreError};
use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{Event, EventKind, RecursiveMode, Watcher as _};

pub use inbox::{default_inbox_path, prepare_inbox, INBOX_ENV};

/// How the watcher behaves.
#[derive(Debug, Clone)]
pub struct WatchConfig {
    pub roots: Vec<PathBuf>,
    /// How long a file's size and modification time must stay unchanged before it is read.
    pub stability: Duration,
    /// Poll the folders at this interval instead of relying on change notifications:
    /// for network shares, where notifications do not arrive.
    pub poll_interval: Option<Duration>,
    /// How often to rescan every folder in full, as a safety net for missed events.
    pub rescan_interval: Duration,
    pub ingest: IngestOptions,
}

impl WatchConfig {
    pub fn new(roots: Vec<PathBuf>) -> WatchConfig {
        WatchConfig {
            roots,
            stability: Duration::from_millis(500),
            poll_interval: None,
            rescan_interval: Duration::from_secs(300),
            ingest: IngestOptions::default(),
        }
    }
}

/// Something the watcher did, for the log or the app's activity view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchEvent {
    /// A full scan of a folder began (at start, after missed events, or on the timer).
    ScanStarted { root: PathBuf },
    /// A full scan ended: `files` candidates seen, `queued` of them new or changed.
    ScanFinished { root: PathBuf, files: usize, queued: usize },
    /// A file was read (or failed).
    File(FileReport),
    /// A file or folder disappeared; `files` files' statements are now marked "file gone".
    Gone { path: PathBuf, files: usize },
    /// Something the user should know that does not stop the watcher.
    Warning(String),
}

impl std::fmt::Display for WatchEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WatchEvent::ScanStarted { root } => write!(f, "scanning {}", root.display()),
            WatchEvent::ScanFinished { root, files, queued } => {
                write!(f, "scanned {}: {files} files, {queued} new or changed", root.display())
            }
            WatchEvent::File(report) => write!(f, "{report}"),
            WatchEvent::Gone { path, files } => {
                write!(f, "{}: gone ({files} files marked)", path.display())
            }
            WatchEvent::Warning(message) => write!(f, "warning: {message}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("watch folder {path} is not usable: {reason}")]
    Root { path: PathBuf, reason: String },
    #[error("cannot watch {path}")]
    Notify { path: PathBuf, source: notify::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the watcher thread stopped unexpectedly")]
    Panicked,
}

/// A running watcher. Dropping it stops the thread; `stop` also reports how it ended.
pub struct Watcher {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<Result<(), WatchError>>>,
}

impl Watcher {
    /// Starts watching. The folders are checked and their watches installed before this
    /// returns; the catch-up scan and all reading happen on the background thread.
    pub fn start(
        store: Store,
        config: WatchConfig,
        on_event: impl FnMut(WatchEvent) + Send + 'static,
    ) -> Result<Watcher, WatchError> {
        if config.roots.is_empty() {
            return Err(WatchError::Root { path: PathBuf::new(), reason: "no watch folder given".into() });
        }
        let roots = config
            .roots
            .iter()
            .map(|root| {
                fs::canonicalize(root)
                    .map_err(|error| WatchError::Root { path: root.clone(), reason: error.to_string() })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (event_sender, events) = crossbeam_channel::unbounded();
        let mut warnings = Vec::new();
        let backend = install_backend(&roots, config.poll_interval, event_sender.clone(), &mut warnings)?;
        let (stop, stopped) = crossbeam_channel::bounded(1);
        let mut state = State {
            store,
            config: WatchConfig { roots, ..config },
            pending: BTreeMap::new(),
            on_event: Box::new(on_event),
            backend: Some(backend),
            event_sender,
            missing_roots: BTreeSet::new(),
            store_trouble: None,
        };
        let thread = std::thread::Builder::new()
            .name("demarche-watch".into())
            .spawn(move || {
                for warning in warnings {
                    (state.on_event)(WatchEvent::Warning(warning));
                }
                state.run(&events, &stopped)
            })
            .map_err(|error| WatchError::Root { path: PathBuf::new(), reason: error.to_string() })?;
        Ok(Watcher { stop: Some(stop), thread: Some(thread) })
    }

    /// Stops the watcher, waits for the file being read to finish, and reports whether
    /// the watcher ran without a fatal error.
    pub fn stop(mut self) -> Result<(), WatchError> {
        self.shut_down()
    }

    /// Waits until the watcher ends on its own (it only does on a fatal error).
    pub fn join(mut self) -> Result<(), WatchError> {
        let thread = self.thread.take().expect("a watcher is joined once");
        thread.join().map_err(|_| WatchError::Panicked)?
    }

    fn shut_down(&mut self) -> Result<(), WatchError> {
        if let Some(stop) = self.stop.take() {
            // The thread may have ended already; then there is no one to tell.
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(thread) => thread.join().map_err(|_| WatchError::Panicked)?,
            None => Ok(()),
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        // Errors were the caller's to collect through `stop`; dropping only ends the thread.
        let _ = self.shut_down();
    }
}

/// The source of file-system events: native notifications, or polling. It is only
/// held, never called (except to replace it): dropping it ends the notifications.
struct Backend {
    _watcher: Box<dyn notify::Watcher + Send>,
    /// Native notifications, which report when a writer closes a file; polling does not.
    native: bool,
}

type EventSender = Sender<notify::Result<Event>>;

fn install_backend(
    roots: &[PathBuf],
    poll_interval: Option<Duration>,
    events: EventSender,
    warnings: &mut Vec<String>,
) -> Result<Backend, WatchError> {
    if let Some(interval) = poll_interval {
        return poll_backend(roots, interval, events);
    }
    let sender = events.clone();
    let handler = move |event| {
        // The receiver is gone only when the watcher is shutting down.
        let _ = sender.send(event);
    };
    let mut native = notify::RecommendedWatcher::new(handler, notify::Config::default())
        .map_err(|source| WatchError::Notify { path: roots[0].clone(), source })?;
    for root in roots {
        match native.watch(root, RecursiveMode::Recursive) {
            Ok(()) => {}
            Err(error) if matches!(error.kind, notify::ErrorKind::MaxFilesWatch) => {
                warnings.push(watch_limit_warning(&error));
                return poll_backend(roots, FALLBACK_POLL, events);
            }
            Err(source) => return Err(WatchError::Notify { path: root.clone(), source }),
        }
    }
    Ok(Backend { _watcher: Box::new(native), native: true })
}

/// How often to poll when notifications are not available.
const FALLBACK_POLL: Duration = Duration::from_secs(2);

fn watch_limit_warning(error: &notify::Error) -> String {
    format!(
        "the system's limit on watched folders is exhausted ({error}); polling every {} s instead \
         (raise fs.inotify.max_user_watches to restore instant notifications)",
        FALLBACK_POLL.as_secs()
    )
}

fn poll_backend(roots: &[PathBuf], interval: Duration, events: EventSender) -> Result<Backend, WatchError> {
    let handler = move |event| {
        let _ = events.send(event);
    };
    let config = notify::Config::default().with_poll_interval(interval);
    let mut poll = notify::PollWatcher::new(handler, config)
        .map_err(|source| WatchError::Notify { path: roots[0].clone(), source })?;
    for root in roots {
        poll.watch(root, RecursiveMode::Recursive)
            .map_err(|source| WatchError::Notify { path: root.clone(), source })?;
    }
    Ok(Backend { _watcher: Box::new(poll), native: false })
}

/// A file waiting to become stable.
struct Pending {
    facts: Option<FileFacts>,
    changed_at: Instant,
    /// The longest pause between two changes of this file while it waited, by its
    /// modification times. A writer that pauses (a slow download, a scanner writing
    /// page by page) is given twice its longest pause, so a pause is not taken for
    /// the end of the write.
    longest_pause: Duration,
    /// A change notification arrived and the writer has not closed the file since (only
    /// change notifications tell; polling never sets it). A file still open for writing
    /// waits the longest quiet period, however long its writer pauses.
    writing: bool,
}

/// The longest quiet period a slow writer can earn; a file stable for this long is
/// read whatever its writer did before.
const MAX_QUIET: Duration = Duration::from_secs(30);

impl Pending {
    fn quiet_period(&self, stability: Duration) -> Duration {
        if self.writing {
            return stability.max(MAX_QUIET);
        }
        stability.max((self.longest_pause * 2).min(MAX_QUIET))
    }
}

/// The database could not be written for a passing reason (locked, disk full): what it
/// was, and when to try again.
struct StoreTrouble {
    message: String,
    retry_at: Instant,
}

/// How long to wait before writing again after the database was locked or full.
const STORE_RETRY: Duration = Duration::from_secs(2);

struct State {
    store: Store,
    config: WatchConfig,
    pending: BTreeMap<PathBuf, Pending>,
    on_event: Box<dyn FnMut(WatchEvent) + Send>,
    /// Held only to keep the notifications coming; replaced when falling back to
    /// polling or when a watch folder comes back.
    backend: Option<Backend>,
    event_sender: EventSender,
    /// Watch folders that have disappeared; checked every tick until they come back.
    missing_roots: BTreeSet<PathBuf>,
    store_trouble: Option<StoreTrouble>,
}

impl State {
    fn run(
        &mut self,
        events: &Receiver<notify::Result<Event>>,
        stopped: &Receiver<()>,
    ) -> Result<(), WatchError> {
        let mut rescan_due = true;
        let mut next_rescan = Instant::now();
        // Checking pending files a few times per quiet period keeps the delay between
        // "stable" and "read" small without busy-waiting.
        let tick = (self.config.stability / 4).clamp(Duration::from_millis(20), Duration::from_millis(250));
        loop {
            if rescan_due || Instant::now() >= next_rescan {
                // A scan cut short by a locked or full database is done again later.
                rescan_due = !self.tolerate(|state| state.rescan_all())?;
                next_rescan = Instant::now() + self.config.rescan_interval;
            }
            select! {
                recv(stopped) -> _ => return Ok(()),
                recv(events) -> event => match event {
                    Ok(event) => rescan_due |= !self.tolerate(|state| state.handle(event))?,
                    Err(_) => return Ok(()),
                },
                default(tick) => {}
            }
            // Drain what else has arrived so a burst is handled in one pass.
            while let Ok(event) = events.try_recv() {
                rescan_due |= !self.tolerate(|state| state.handle(event))?;
            }
            if stopped.try_recv().is_ok() {
                return Ok(());
            }
            rescan_due |= !self.tolerate(|state| state.check_roots())?;
            self.tolerate(|state| state.ingest_stable())?;
        }
    }

    /// Runs one step of the loop. A locked or full database does not stop the watcher:
    /// it is reported once, writing pauses for a moment, and `Ok(false)` tells the
    /// caller the step was cut short. Other errors are fatal.
    fn tolerate(
        &mut self,
        step: impl FnOnce(&mut State) -> Result<(), WatchError>,
    ) -> Result<bool, WatchError> {
        if self.store_trouble.as_ref().is_some_and(|trouble| Instant::now() < trouble.retry_at) {
            return Ok(false);
        }
        match step(self) {
            // Only a stored file shows the database can be written again (see
            // `ingest_stable`); other steps may not have written at all.
            Ok(()) => Ok(true),
            Err(WatchError::Store(error)) if error.is_transient() => {
                let message = error.to_string();
                let repeated = self.store_trouble.as_ref().is_some_and(|trouble| trouble.message == message);
                if !repeated {
                    self.emit(WatchEvent::Warning(format!(
                        "{message}; files wait in the queue and are retried every {} s",
                        STORE_RETRY.as_secs()
                    )));
                }
                self.store_trouble = Some(StoreTrouble { message, retry_at: Instant::now() + STORE_RETRY });
                Ok(false)
            }
            Err(error) => Err(error),
        }
    }

    /// Notices watch folders that disappeared or came back. A folder that comes back is
    /// a new folder to the operating system, so it is watched afresh and scanned.
    fn check_roots(&mut self) -> Result<(), WatchError> {
        let mut returned = false;
        for root in self.config.roots.clone() {
            let present = root.is_dir();
            if present && self.missing_roots.remove(&root) {
                self.emit(WatchEvent::Warning(format!(
                    "watch folder {} is back; watching it again",
                    root.display()
                )));
                returned = true;
            } else if !present && !self.missing_roots.contains(&root) {
                self.emit(WatchEvent::Warning(format!(
                    "watch folder {} is missing; waiting for it to come back",
                    root.display()
                )));
                self.missing_roots.insert(root.clone());
                self.forget_if_gone(&root)?;
            }
        }
        if returned {
            self.reinstall_backend();
            for root in self.config.roots.clone() {
                if !self.missing_roots.contains(&root) {
                    self.scan_root(root)?;
                }
            }
        }
        Ok(())
    }

    /// Replaces the event source, watching the folders that exist now. Native
    /// notifications are used again if they were before and can be installed.
    fn reinstall_backend(&mut self) {
        // The old source is dropped first so its watches are released before new ones
        // are counted against the system's limit.
        let polling = self.config.poll_interval;
        self.backend = None;
        let roots: Vec<PathBuf> =
            self.config.roots.iter().filter(|root| !self.missing_roots.contains(*root)).cloned().collect();
        let mut warnings = Vec::new();
        match install_backend(&roots, polling, self.event_sender.clone(), &mut warnings) {
            Ok(backend) => self.backend = Some(backend),
            Err(error) => {
                warnings.push(format!("cannot watch the folders again ({error}); polling instead"));
                self.fall_back_to_polling(&roots, &mut warnings);
            }
        }
        for warning in warnings {
            self.emit(WatchEvent::Warning(warning));
        }
    }

    fn fall_back_to_polling(&mut self, roots: &[PathBuf], warnings: &mut Vec<String>) {
        self.backend = None;
        // Polling reports no closes: files seen open for writing settle by stability alone.
        for pending in self.pending.values_mut() {
            pending.writing = false;
        }
        match poll_backend(roots, FALLBACK_POLL, self.event_sender.clone()) {
            Ok(backend) => self.backend = Some(backend),
            Err(error) => warnings.push(format!(
                "cannot poll the folders either ({error}); only the rescan every {} s will find new files",
                self.config.rescan_interval.as_secs()
            )),
        }
    }

    fn emit(&mut self, event: WatchEvent) {
        (self.on_event)(event);
    }

    fn root_of(&self, path: &Path) -> Option<&Path> {
        self.config.roots.iter().map(PathBuf::as_path).find(|root| path.starts_with(root))
    }

    fn ignored(&self, path: &Path) -> bool {
        match self.root_of(path) {
            Some(root) => path != root && is_ignored(root, path),
            None => true,
        }
    }

    fn handle(&mut self, event: notify::Result<Event>) -> Result<(), WatchError> {
        let event = match event {
            Ok(event) => event,
            Err(error) if matches!(error.kind, notify::ErrorKind::MaxFilesWatch) => {
                // A folder created since the start could not be watched: notifications
                // would miss its files, so every folder is polled from now on.
                let mut warnings = vec![watch_limit_warning(&error)];
                let roots: Vec<PathBuf> = self
                    .config
                    .roots
                    .iter()
                    .filter(|root| !self.missing_roots.contains(*root))
                    .cloned()
                    .collect();
                self.fall_back_to_polling(&roots, &mut warnings);
                for warning in warnings {
                    self.emit(WatchEvent::Warning(warning));
                }
                return self.rescan_all();
            }
            Err(error) => {
                self.emit(WatchEvent::Warning(format!(
                    "file notifications reported an error ({error}); rescanning"
                )));
                return self.rescan_all();
            }
        };
        if event.need_rescan() {
            self.emit(WatchEvent::Warning("file notifications may have missed events; rescanning".into()));
            return self.rescan_all();
        }
        match event.kind {
            EventKind::Remove(_) | EventKind::Modify(ModifyKind::Name(RenameMode::From)) => {
                for path in &event.paths {
                    self.forget_if_gone(path)?;
                }
            }
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => {
                if let [from, to] = &event.paths[..] {
                    self.forget_if_gone(from)?;
                    self.notice(to)?;
                }
            }
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => {
                for path in &event.paths {
                    if let Some(pending) = self.pending.get_mut(path) {
                        pending.writing = false;
                    }
                }
            }
            EventKind::Access(_) => {}
            kind => {
                // Only native notifications report the close that ends a write.
                let native = self.backend.as_ref().is_some_and(|backend| backend.native);
                let written =
                    native && matches!(kind, EventKind::Create(_) | EventKind::Modify(ModifyKind::Data(_)));
                for path in &event.paths {
                    self.notice(path)?;
                    if written {
                        if let Some(pending) = self.pending.get_mut(path) {
                            pending.writing = true;
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Queues a file to be read once stable; a folder that appeared is scanned whole,
    /// since events for files moved in with it may never come.
    fn notice(&mut self, path: &Path) -> Result<(), WatchError> {
        if self.ignored(path) {
            return Ok(());
        }
        if path.is_dir() {
            self.scan_folder(path)?;
        } else if path.exists() || path.symlink_metadata().is_ok() {
            self.queue(path.to_path_buf(), None);
        } else {
            self.forget_if_gone(path)?;
        }
        Ok(())
    }

    fn queue(&mut self, path: PathBuf, facts: Option<FileFacts>) {
        self.pending.entry(path).or_insert(Pending {
            facts,
            changed_at: Instant::now(),
            longest_pause: Duration::ZERO,
            writing: false,
        });
    }

    fn forget_if_gone(&mut self, path: &Path) -> Result<(), WatchError> {
        if path.exists() {
            return Ok(());
        }
        self.pending.retain(|pending, _| !pending.starts_with(path));
        let files = self.store.mark_gone(&path_key(path))?;
        if files > 0 {
            self.emit(WatchEvent::Gone { path: path.to_path_buf(), files });
        }
        Ok(())
    }

    fn rescan_all(&mut self) -> Result<(), WatchError> {
        self.check_roots()?;
        for root in self.config.roots.clone() {
            if !self.missing_roots.contains(&root) {
                self.scan_root(root)?;
            }
        }
        Ok(())
    }

    fn scan_root(&mut self, root: PathBuf) -> Result<(), WatchError> {
        self.emit(WatchEvent::ScanStarted { root: root.clone() });
        let (files, queued) = self.scan_folder(&root)?;
        self.mark_missing_under(&root)?;
        self.emit(WatchEvent::ScanFinished { root, files, queued });
        Ok(())
    }

    /// Queues every file under `folder` that is new or changed since it was last read;
    /// returns (files seen, files queued).
    fn scan_folder(&mut self, folder: &Path) -> Result<(usize, usize), WatchError> {
        let (mut files, mut queued) = (0, 0);
        for entry in scan(folder) {
            files += 1;
            match entry {
                Ok(path) => {
                    let facts = fs::metadata(&path).ok().map(|metadata| file_facts(&metadata));
                    let known = self.store.file_record(&path_key(&path))?;
                    let unchanged = matches!((&known, facts), (Some(record), Some(facts))
                        if record.present && record.facts == facts);
                    if !unchanged && !self.pending.contains_key(&path) {
                        self.queue(path, facts);
                        queued += 1;
                    }
                }
                Err((path, reason)) => {
                    let key = path_key(&path);
                    let already = self
                        .store
                        .file_record(&key)?
                        .is_some_and(|record| record.last_reason.as_deref() == Some(reason.as_str()));
                    if !already {
                        self.store.record_failure(&key, None, &reason)?;
                        let outcome = demarche_ingest::FileOutcome::Failed { reason };
                        self.emit(WatchEvent::File(FileReport { path, outcome }));
                    }
                }
            }
        }
        Ok((files, queued))
    }

    /// Marks as gone the files the store believes present under `root` that are not.
    fn mark_missing_under(&mut self, root: &Path) -> Result<(), WatchError> {
        for path in self.store.present_files_under(&path_key(root))? {
            let path = PathBuf::from(path);
            if !path.exists() {
                self.forget_if_gone(&path)?;
            }
        }
        Ok(())
    }

    /// Reads every pending file whose size and modification time have not changed for
    /// the quiet period.
    fn ingest_stable(&mut self) -> Result<(), WatchError> {
        let now = Instant::now();
        let mut ready = Vec::new();
        let mut vanished = Vec::new();
        for (path, pending) in self.pending.iter_mut() {
            let facts = match fs::metadata(path) {
                Ok(metadata) => Some(file_facts(&metadata)),
                Err(error)
                    if error.kind() == std::io::ErrorKind::NotFound && path.symlink_metadata().is_err() =>
                {
                    vanished.push(path.clone());
                    continue;
                }
                // Unreadable metadata (a link loop, say) does not settle; let the
                // pipeline record why the file cannot be read.
                Err(_) => None,
            };
            if facts != pending.facts {
                // The writer's own pause, from the modification times: how busy this
                // loop was in between does not count.
                if let (Some(before), Some(after)) =
                    (pending.facts.and_then(|f| f.modified_ns), facts.and_then(|f| f.modified_ns))
                {
                    let pause = Duration::from_nanos(after.saturating_sub(before).max(0) as u64);
                    pending.longest_pause = pending.longest_pause.max(pause);
                }
                pending.facts = facts;
                pending.changed_at = now;
            } else if now.duration_since(pending.changed_at) >= pending.quiet_period(self.config.stability) {
                ready.push(path.clone());
            }
        }
        for path in vanished {
            self.pending.remove(&path);
        }
        if ready.is_empty() {
            return Ok(());
        }
        // The ready files go through the ingest pipeline together: read in parallel,
        // stored in batches, each reported once its batch is committed. Should the
        // database refuse a batch, its files stay pending and are read again later.
        let State { store, config, pending, on_event, store_trouble, .. } = self;
        ingest_files(store, &ready, &config.ingest, |report| {
            if report.outcome == demarche_ingest::FileOutcome::Changed {
                if let Some(pending) = pending.get_mut(&report.path) {
                    pending.changed_at = Instant::now();
                }
                return;
            }
            pending.remove(&report.path);
            if let Some(trouble) = store_trouble.take() {
                on_event(WatchEvent::Warning(format!(
                    "the database can be written again (it was: {})",
                    trouble.message
                )));
            }
            on_event(WatchEvent::File(report));
        })?;
        Ok(())
    }
}
