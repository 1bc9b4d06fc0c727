//! A process for the fault suite to kill, starve or lock out: `watch` runs the same
//! watcher as `demarche watch` and prints every event; `hold-lock` holds the database's
//! write lock like another program would. Tests start it, signal it and read its output.
//!
//! `demarche-faults-helper watch DIR DB [STABILITY_MS]` watches until its standard input
//! closes, then prints `peak-rss-kib N` (the process's high-water mark of resident memory).
//! `demarche-faults-helper hold-lock DB SECONDS` takes the write lock, prints `locked`,
//! and releases it after SECONDS or when its standard input closes, whichever is first.
//! `demarche-faults-helper hold-read DB SECONDS` does the same with a read transaction,
//! which keeps checkpoints from copying back the log written after it began.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use demarche_store::Store;
use demarche_watch::{WatchConfig, Watcher};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["watch", dir, db] => watch(dir, db, 500),
        ["watch", dir, db, stability] => match stability.parse() {
            Ok(stability) => watch(dir, db, stability),
            Err(error) => Err(format!("stability {stability:?}: {error}")),
        },
        ["hold-lock", db, seconds] => match seconds.parse() {
            Ok(seconds) => hold(db, seconds, "BEGIN EXCLUSIVE"),
            Err(error) => Err(format!("seconds {seconds:?}: {error}")),
        },
        ["hold-read", db, seconds] => match seconds.parse() {
            // A deferred transaction takes its read snapshot at its first read.
            Ok(seconds) => hold(db, seconds, "BEGIN; SELECT count(*) FROM statements"),
            Err(error) => Err(format!("seconds {seconds:?}: {error}")),
        },
        _ => Err("usage: demarche-faults-helper watch DIR DB [STABILITY_MS] | hold-lock DB SECONDS | hold-read DB SECONDS"
            .into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("demarche-faults-helper: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Returns when standard input reaches its end: the parent closed it or died.
fn wait_for_stdin_to_close() {
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        if line.is_err() {
            break;
        }
    }
}

fn watch(dir: &str, db: &str, stability_ms: u64) -> Result<(), String> {
    let store = Store::open(&PathBuf::from(db)).map_err(|error| error.to_string())?;
    let mut config = WatchConfig::new(vec![PathBuf::from(dir)]);
    config.stability = Duration::from_millis(stability_ms);
    let watcher = Watcher::start(store, config, |event| {
        let mut out = std::io::stdout().lock();
        // The parent may stop reading; the watcher carries on regardless.
        let _ = writeln!(out, "{event}").and_then(|()| out.flush());
    })
    .map_err(|error| error.to_string())?;
    wait_for_stdin_to_close();
    watcher.stop().map_err(|error| error.to_string())?;
    println!("peak-rss-kib {}", peak_rss_kib().unwrap_or(0));
    Ok(())
}

fn hold(db: &str, seconds: u64, begin: &str) -> Result<(), String> {
    let store = Store::open(&PathBuf::from(db)).map_err(|error| error.to_string())?;
    store.connection().execute_batch(begin).map_err(|error| error.to_string())?;
    println!("locked");
    let _ = std::io::stdout().flush();
    let (closed, stdin_closed) = mpsc::channel();
    std::thread::spawn(move || {
        wait_for_stdin_to_close();
        let _ = closed.send(());
    });
    let _ = stdin_closed.recv_timeout(Duration::from_secs(seconds));
    store.connection().execute_batch("COMMIT").map_err(|error| error.to_string())?;
    println!("released");
    Ok(())
}

/// The peak resident set size of this process, from `/proc/self/status` (`VmHWM`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
