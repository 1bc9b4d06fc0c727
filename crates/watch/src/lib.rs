//! The watch folder: a background thread that notices files arriving in one or more
//! folders and hands each one, once it has stopped changing, to the ingest pipeline.
//!
//! File-system events only say "look here": what is read is decided by a catch-up scan
//! at start, by stability checks (size and modification time unchanged over a quiet
//! period), and by periodic rescans, so missed or coalesced events never lose a file.
//! Démarche never modifies, moves or deletes the files it watches.

mod inbox;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{select, Receiver, Sender};
use demarche_ingest::{file_facts, ingest_file, is_ignored, path_key, scan, FileReport, IngestOptions};
use demarche_store::{FileFacts, Store, StoreError};
use notify::event::{ModifyKind, RenameMode};
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
        let backend = install_backend(&roots, config.poll_interval, event_sender, &mut warnings)?;
        let (stop, stopped) = crossbeam_channel::bounded(1);
        let mut state = State {
            store,
            config: WatchConfig { roots, ..config },
            pending: BTreeMap::new(),
            on_event: Box::new(on_event),
        };
        let thread = std::thread::Builder::new()
            .name("demarche-watch".into())
            .spawn(move || {
                for warning in warnings {
                    (state.on_event)(WatchEvent::Warning(warning));
                }
                let result = state.run(&events, &stopped);
                drop(backend);
                result
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
/// held, never called: dropping it ends the notifications.
type Backend = Box<dyn notify::Watcher + Send>;

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
                warnings.push(format!(
                        "the system's limit on watched folders is exhausted ({error}); polling every 2 s instead \
                         (raise fs.inotify.max_user_watches to restore instant notifications)"
                    ));
                return poll_backend(roots, Duration::from_secs(2), events);
            }
            Err(source) => return Err(WatchError::Notify { path: root.clone(), source }),
        }
    }
    Ok(Box::new(native))
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
    Ok(Box::new(poll))
}

/// A file waiting to become stable.
struct Pending {
    facts: Option<FileFacts>,
    changed_at: Instant,
}

struct State {
    store: Store,
    config: WatchConfig,
    pending: BTreeMap<PathBuf, Pending>,
    on_event: Box<dyn FnMut(WatchEvent) + Send>,
}

impl State {
    fn run(
        &mut self,
        events: &Receiver<notify::Result<Event>>,
        stopped: &Receiver<()>,
    ) -> Result<(), WatchError> {
        self.rescan_all()?;
        let mut next_rescan = Instant::now() + self.config.rescan_interval;
        // Checking pending files a few times per quiet period keeps the delay between
        // "stable" and "read" small without busy-waiting.
        let tick = (self.config.stability / 4).clamp(Duration::from_millis(20), Duration::from_millis(250));
        loop {
            select! {
                recv(stopped) -> _ => return Ok(()),
                recv(events) -> event => match event {
                    Ok(event) => self.handle(event)?,
                    Err(_) => return Ok(()),
                },
                default(tick) => {}
            }
            // Drain what else has arrived so a burst is handled in one pass.
            while let Ok(event) = events.try_recv() {
                self.handle(event)?;
            }
            if stopped.try_recv().is_ok() {
                return Ok(());
            }
            self.ingest_stable()?;
            if Instant::now() >= next_rescan {
                self.rescan_all()?;
                next_rescan = Instant::now() + self.config.rescan_interval;
            }
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
            EventKind::Access(_) => {}
            _ => {
                for path in &event.paths {
                    self.notice(path)?;
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
        self.pending.entry(path).or_insert(Pending { facts, changed_at: Instant::now() });
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
        for root in self.config.roots.clone() {
            if !root.is_dir() {
                let message =
                    format!("watch folder {} is missing; waiting for it to come back", root.display());
                self.emit(WatchEvent::Warning(message));
                continue;
            }
            self.emit(WatchEvent::ScanStarted { root: root.clone() });
            let (files, queued) = self.scan_folder(&root)?;
            self.mark_missing_under(&root)?;
            self.emit(WatchEvent::ScanFinished { root, files, queued });
        }
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
                pending.facts = facts;
                pending.changed_at = now;
            } else if now.duration_since(pending.changed_at) >= self.config.stability {
                ready.push(path.clone());
            }
        }
        for path in vanished {
            self.pending.remove(&path);
        }
        for path in ready {
            let report = ingest_file(&mut self.store, &path, &self.config.ingest)?;
            if report.outcome == demarche_ingest::FileOutcome::Changed {
                if let Some(pending) = self.pending.get_mut(&path) {
                    pending.changed_at = Instant::now();
                }
                continue;
            }
            self.pending.remove(&path);
            self.emit(WatchEvent::File(report));
        }
        Ok(())
    }
}
