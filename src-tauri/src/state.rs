//! What the app holds while it runs: the database path, reading connections and a
//! writing connection (WAL lets the watcher write on its own connection meanwhile), the
//! settings, the running watcher, the activity the UI shows and the filter choices last
//! read.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use demarche_ingest::FileOutcome;
use demarche_library::FilterChoices;
use demarche_store::Store;
use demarche_watch::{default_inbox_path, WatchConfig, WatchEvent, Watcher, INBOX_ENV};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter};

use crate::error::{CommandError, CommandResult};

/// The watcher's settings, stored in the database under `SETTINGS_KEY`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub watch_folders: Vec<String>,
    /// Poll every so many seconds instead of using change notifications.
    pub poll_seconds: Option<f64>,
    /// How long a file must stay unchanged before it is read.
    pub stability_ms: u64,
}

const SETTINGS_KEY: &str = "app.watch";

impl Settings {
    /// The stored settings, else the default inbox with notifications and 500 ms. With
    /// `DEMARCHE_INBOX` set, that folder is always watched (tests, portable installs).
    pub fn load(store: &Store) -> CommandResult<Settings> {
        let mut settings = store.setting::<Settings>(SETTINGS_KEY)?.unwrap_or_else(|| Settings {
            watch_folders: Vec::new(),
            poll_seconds: None,
            stability_ms: 500,
        });
        let inbox = default_inbox_path().display().to_string();
        let overridden = std::env::var_os(INBOX_ENV).is_some_and(|value| !value.is_empty());
        if (overridden || settings.watch_folders.is_empty()) && !settings.watch_folders.contains(&inbox) {
            settings.watch_folders.insert(0, inbox);
        }
        Ok(settings)
    }

    pub fn save(&self, store: &mut Store) -> CommandResult<()> {
        self.validate()?;
        store.set_setting(SETTINGS_KEY, self)?;
        Ok(())
    }

    pub fn validate(&self) -> CommandResult<()> {
        if let Some(seconds) = self.poll_seconds {
            if !(0.5..=3600.0).contains(&seconds) {
                return Err(CommandError::invalid(format!(
                    "a polling interval of {seconds} s is out of range (0.5 to 3600 s)"
                )));
            }
        }
        if !(50..=60_000).contains(&self.stability_ms) {
            return Err(CommandError::invalid(format!(
                "a stability delay of {} ms is out of range (50 to 60000 ms)",
                self.stability_ms
            )));
        }
        Ok(())
    }

    fn watch_config(&self) -> WatchConfig {
        let mut config = WatchConfig::new(self.watch_folders.iter().map(PathBuf::from).collect());
        config.stability = Duration::from_millis(self.stability_ms);
        config.poll_interval = self.poll_seconds.map(Duration::from_secs_f64);
        config
    }
}

/// One thing the watcher did, as the activity view and the `activity` event show it.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityEvent {
    pub at: String,
    /// scan_started, scan_finished, ingested, duplicate, moved, failed, changed, gone, warning
    pub kind: &'static str,
    pub path: String,
    pub message: String,
    pub statement_ids: Vec<i64>,
}

/// A catch-up or periodic scan in progress: how many files it queued, how many are done.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanProgress {
    pub root: String,
    pub scanning: bool,
    pub queued: usize,
    pub done: usize,
}

/// The activity view's state.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Activity {
    /// "watching", "stopped" or "error".
    pub state: String,
    pub error: Option<String>,
    pub folders: Vec<String>,
    pub polling: bool,
    pub progress: ScanProgress,
    pub recent: VecDeque<ActivityEvent>,
    pub warnings: Vec<String>,
    /// Files handled since launch, by outcome.
    pub ingested: usize,
    pub duplicates: usize,
    pub failed: usize,
}

const RECENT_EVENTS: usize = 300;

impl Activity {
    fn record(&mut self, event: &WatchEvent) -> ActivityEvent {
        let at = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let (kind, path, statement_ids) = match event {
            WatchEvent::ScanStarted { root } => {
                self.progress =
                    ScanProgress { root: root.display().to_string(), scanning: true, queued: 0, done: 0 };
                ("scan_started", root.display().to_string(), Vec::new())
            }
            WatchEvent::ScanFinished { root, queued, .. } => {
                self.progress.scanning = false;
                self.progress.queued += queued;
                ("scan_finished", root.display().to_string(), Vec::new())
            }
            WatchEvent::File(report) => {
                self.progress.done += 1;
                let path = report.path.display().to_string();
                match &report.outcome {
                    FileOutcome::Stored { new, duplicates, moved } => {
                        let kind = if !new.is_empty() {
                            self.ingested += 1;
                            "ingested"
                        } else if !moved.is_empty() {
                            "moved"
                        } else {
                            self.duplicates += 1;
                            "duplicate"
                        };
                        let ids = new.iter().chain(moved).chain(duplicates).copied().collect();
                        (kind, path, ids)
                    }
                    FileOutcome::Failed { .. } => {
                        self.failed += 1;
                        ("failed", path, Vec::new())
                    }
                    FileOutcome::Changed => ("changed", path, Vec::new()),
                }
            }
            WatchEvent::Gone { path, .. } => ("gone", path.display().to_string(), Vec::new()),
            WatchEvent::Warning(message) => {
                self.warnings.push(message.clone());
                if message.contains("polling") {
                    self.polling = true;
                }
                ("warning", String::new(), Vec::new())
            }
        };
        let event = ActivityEvent { at, kind, path, message: event.to_string(), statement_ids };
        self.recent.push_front(event.clone());
        self.recent.truncate(RECENT_EVENTS);
        event
    }
}

/// Lowers the CPU priority of the calling thread, once: the watcher calls back on its
/// own thread, and the threads it starts to read files inherit the priority. On two
/// cores a catch-up of thousands of files otherwise takes a full core from the window's
/// queries; in the background it still uses every cycle the window leaves idle.
fn background_priority() {
    thread_local! {
        static LOWERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if LOWERED.with(|lowered| lowered.replace(true)) {
        return;
    }
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; on Linux, `who` 0 with PRIO_PROCESS
    // names the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// A reading connection borrowed from the app's idle ones.
pub struct Reader<'a> {
    store: Option<Store>,
    state: &'a AppState,
}

impl std::ops::Deref for Reader<'_> {
    type Target = Store;

    fn deref(&self) -> &Store {
        self.store.as_ref().expect("a reader holds its store until dropped")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(store) = self.store.take() {
            let mut idle = lock(&self.state.readers);
            // A few idle connections cover every burst of commands the window sends.
            if idle.len() < 4 {
                idle.push(store);
            }
        }
    }
}

/// The app's shared state.
pub struct AppState {
    pub database: PathBuf,
    /// Idle connections for the commands that read (lists, statements, charts), so
    /// several can read at once while the watcher writes.
    readers: Mutex<Vec<Store>>,
    /// For the commands that write: corrections, settings, retries.
    writer: Mutex<Store>,
    watcher: Mutex<Option<Watcher>>,
    pub activity: Arc<Mutex<Activity>>,
    /// Bumped whenever statements or files change (the watcher, a correction, a retry).
    generation: Arc<AtomicU64>,
    /// The filter choices with the generation they were read at: they scan every
    /// source, speaker and category, and the window asks for them at every refresh.
    choices: Mutex<Option<(u64, FilterChoices)>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves the data as consistent as SQLite keeps it;
    // the next command may go on.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    pub fn open(database: &Path) -> CommandResult<AppState> {
        Ok(AppState {
            database: database.to_path_buf(),
            readers: Mutex::new(vec![Store::open(database)?]),
            writer: Mutex::new(Store::open(database)?),
            watcher: Mutex::new(None),
            activity: Arc::new(Mutex::new(Activity { state: "stopped".into(), ..Activity::default() })),
            generation: Arc::new(AtomicU64::new(0)),
            choices: Mutex::new(None),
        })
    }

    /// Notes that statements or files changed, so the filter choices are read again.
    pub fn data_changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The values the filters offer: read again only when the data changed since.
    pub fn filter_choices(&self) -> CommandResult<FilterChoices> {
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some((read_at, choices)) = &*lock(&self.choices) {
            if *read_at == generation {
                return Ok(choices.clone());
            }
        }
        let choices = demarche_library::filter_choices(self.reader()?.connection())?;
        *lock(&self.choices) = Some((generation, choices.clone()));
        Ok(choices)
    }

    /// A reading connection: an idle one, or a new one when all are busy. It goes back
    /// to the idle ones when dropped.
    pub fn reader(&self) -> CommandResult<Reader<'_>> {
        let idle = lock(&self.readers).pop();
        let store = match idle {
            Some(store) => store,
            None => Store::open(&self.database)?,
        };
        Ok(Reader { store: Some(store), state: self })
    }

    pub fn writer(&self) -> MutexGuard<'_, Store> {
        lock(&self.writer)
    }

    pub fn activity(&self) -> MutexGuard<'_, Activity> {
        lock(&self.activity)
    }

    /// (Re)starts the watcher on the stored settings; its events update the activity and
    /// reach the window as `activity` events. A folder that cannot be watched is an
    /// error shown in the activity view, not a crash.
    pub fn restart_watcher(&self, app: &AppHandle) -> CommandResult<()> {
        let mut running = lock(&self.watcher);
        if let Some(watcher) = running.take() {
            if let Err(error) = watcher.stop() {
                log::warn!("the previous watcher ended with an error: {error}");
            }
        }
        let settings = Settings::load(&*self.reader()?)?;
        for folder in &settings.watch_folders {
            // A missing folder is created, as the default inbox is: users delete and
            // re-create watch folders, and a missing one must not stop the others.
            let _ = std::fs::create_dir_all(folder);
        }
        {
            let mut activity = self.activity();
            activity.folders = settings.watch_folders.clone();
            activity.polling = settings.poll_seconds.is_some();
            activity.warnings.clear();
        }
        let activity = self.activity.clone();
        let generation = self.generation.clone();
        let emitter = app.clone();
        let store = Store::open(&self.database)?;
        let started = Watcher::start(store, settings.watch_config(), move |event| {
            background_priority();
            if matches!(event, WatchEvent::File(_) | WatchEvent::Gone { .. }) {
                generation.fetch_add(1, Ordering::SeqCst);
            }
            let shown = lock(&activity).record(&event);
            log::info!("{}", shown.message);
            if let Err(error) = emitter.emit("activity", &shown) {
                log::warn!("cannot send the activity event: {error}");
            }
        });
        let mut activity = self.activity();
        match started {
            Ok(watcher) => {
                *running = Some(watcher);
                activity.state = "watching".into();
                activity.error = None;
                Ok(())
            }
            Err(error) => {
                activity.state = "error".into();
                activity.error = Some(error.to_string());
                Err(error.into())
            }
        }
    }

    pub fn stop_watcher(&self) {
        if let Some(watcher) = lock(&self.watcher).take() {
            let _ = watcher.stop();
        }
    }
}
