//! The commands the window may call. Each is a thin adapter: it takes typed arguments,
//! calls the crates, and returns their answer or a `{code, message}` error. No command
//! takes a file-system path from the webview: paths come from the database (a stored
//! statement's file, a recorded failure, a configured folder) or from a native dialog
//! that the command itself opens.

use std::path::{Path, PathBuf};

use demarche_chart::{
    evidence, export, query, render_svg, Chart, ChartSpec, Evidence, Format, Geometry, Provenance,
    RenderSize, Selection,
};
use demarche_ingest::{correct_statement as correct, ingest_file, IngestOptions};
use demarche_library::{list, statement, FilterChoices, ListQuery, Page, StatementDetail};
use demarche_store::{CorrectedField, LogEntry, Totals};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::error::{CommandError, CommandResult};
use crate::state::{Activity, AppState, Settings};

/// The environment variable naming a folder that exports are saved into without a save
/// dialog: for kiosk set-ups and the end-to-end tests, which cannot drive a native dialog.
pub const EXPORT_DIR_ENV: &str = "DEMARCHE_EXPORT_DIR";

/// Runs a command's database work on a blocking thread of its own. Async commands share
/// the runtime's workers, one per core: on two cores two chart queries of a few hundred
/// milliseconds held both, and a view switch's quick list query waited behind them.
async fn blocking<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&AppState) -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(move || work(&app.state::<AppState>()))
        .await
        .map_err(|error| CommandError::new("internal", format!("the command stopped: {error}")))?
}

/// What the window shows first: the counts, from the cheap totals.
#[derive(Serialize)]
pub struct Overview {
    pub stats: Totals,
    pub database: String,
}

#[tauri::command]
pub async fn overview(app: AppHandle) -> CommandResult<Overview> {
    blocking(app, |state| {
        Ok(Overview { stats: state.reader()?.totals()?, database: state.database.display().to_string() })
    })
    .await
}

/// The values the filters offer, kept by the app until the data changes.
#[tauri::command]
pub async fn filter_choices(app: AppHandle) -> CommandResult<FilterChoices> {
    blocking(app, |state| state.filter_choices()).await
}

#[tauri::command]
pub async fn list_statements(app: AppHandle, query: ListQuery) -> CommandResult<Page> {
    blocking(app, move |state| Ok(list(state.reader()?.connection(), &query)?)).await
}

fn read_statement(state: &AppState, id: i64) -> CommandResult<StatementDetail> {
    statement(&*state.reader()?, id)?
        .ok_or_else(|| CommandError::not_found(format!("there is no statement #{id}")))
}

#[tauri::command]
pub async fn get_statement(app: AppHandle, id: i64) -> CommandResult<StatementDetail> {
    blocking(app, move |state| read_statement(state, id)).await
}

/// A corrected value; `None` clears the field.
#[derive(Deserialize)]
pub struct FieldChange {
    pub field: CorrectedField,
    pub value: Option<String>,
}

#[tauri::command]
pub async fn correct_statement(
    app: AppHandle,
    id: i64,
    changes: Vec<FieldChange>,
) -> CommandResult<StatementDetail> {
    let changes: Vec<_> = changes.into_iter().map(|change| (change.field, change.value)).collect();
    blocking(app, move |state| {
        correct(&mut state.writer(), id, &changes)?;
        state.data_changed();
        read_statement(state, id)
    })
    .await
}

/// A chart as the window shows it: the plotters SVG, the geometry that maps a click to a
/// bucket and series, and the numbers drawn.
#[derive(Serialize)]
pub struct DrawnChart {
    pub svg: String,
    pub geometry: Geometry,
    pub chart: Chart,
}

fn size(width: u32, height: u32) -> CommandResult<RenderSize> {
    let size = RenderSize { width, height, scale: 1.0 };
    size.check()?;
    Ok(size)
}

#[tauri::command]
pub async fn draw_chart(
    app: AppHandle,
    spec: ChartSpec,
    width: u32,
    height: u32,
) -> CommandResult<DrawnChart> {
    let size = size(width, height)?;
    blocking(app, move |state| {
        // The connection goes back before rendering, for the next command to use.
        let chart = query(state.reader()?.connection(), &spec)?;
        let (svg, geometry) = render_svg(&chart, size)?;
        Ok(DrawnChart { svg, geometry, chart })
    })
    .await
}

#[tauri::command]
pub async fn drill_down(app: AppHandle, spec: ChartSpec, selection: Selection) -> CommandResult<Evidence> {
    blocking(app, move |state| Ok(evidence(state.reader()?.connection(), &spec, &selection, 500)?)).await
}

/// Exports the chart on screen: asks where to save it (a native dialog opened here, so
/// the path never comes from the webview) and returns the path written, or `None` when
/// the user cancels.
#[tauri::command]
pub async fn export_chart(
    app: AppHandle,
    spec: ChartSpec,
    format: Format,
    width: u32,
    height: u32,
) -> CommandResult<Option<String>> {
    let size = size(width, height)?;
    let extension = match format {
        Format::Png => "png",
        Format::Svg => "svg",
        Format::Pdf => "pdf",
        Format::Csv => "csv",
    };
    let dialogs = app.clone();
    // The save dialog waits for the user: on a blocking thread, like the query.
    blocking(app, move |state| {
        let (bytes, name) = {
            let store = state.reader()?;
            let chart = query(store.connection(), &spec)?;
            let provenance = Provenance::collect(store.connection(), &chart)?;
            let exported = export(&chart, &provenance, format, size)?;
            (exported.bytes, format!("{}.{extension}", file_stem(&chart.title)))
        };
        let path = match std::env::var_os(EXPORT_DIR_ENV).filter(|dir| !dir.is_empty()) {
            Some(dir) => Some(PathBuf::from(dir).join(&name)),
            None => dialogs
                .dialog()
                .file()
                .set_title("Export chart")
                .set_file_name(&name)
                .add_filter(extension.to_uppercase(), &[extension])
                .blocking_save_file()
                .map(|path| path.into_path())
                .transpose()
                .map_err(|error| CommandError::new("dialog", error.to_string()))?,
        };
        let Some(path) = path else { return Ok(None) };
        std::fs::write(&path, bytes)
            .map_err(|error| CommandError::new("io", format!("cannot write {}: {error}", path.display())))?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

/// A file name from a chart title: letters, digits, spaces and dashes only.
fn file_stem(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() || c == ' ' || c == '-' { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if stem.is_empty() {
        "chart".to_string()
    } else {
        stem.chars().take(80).collect()
    }
}

#[tauri::command]
pub async fn get_settings(app: AppHandle) -> CommandResult<Settings> {
    blocking(app, |state| Settings::load(&*state.reader()?)).await
}

/// The settings the window may change directly; folders are added through a dialog.
#[derive(Deserialize)]
pub struct WatchOptions {
    pub poll_seconds: Option<f64>,
    pub stability_ms: u64,
}

#[tauri::command]
pub async fn save_settings(app: AppHandle, options: WatchOptions) -> CommandResult<Settings> {
    let handle = app.clone();
    blocking(app, move |state| {
        let mut settings = Settings::load(&*state.reader()?)?;
        settings.poll_seconds = options.poll_seconds;
        settings.stability_ms = options.stability_ms;
        settings.save(&mut state.writer())?;
        state.restart_watcher(&handle)?;
        Ok(settings)
    })
    .await
}

#[tauri::command]
pub async fn add_watch_folder(app: AppHandle) -> CommandResult<Settings> {
    let handle = app.clone();
    // The folder dialog waits for the user: on a blocking thread.
    blocking(app, move |state| {
        let picked = handle.dialog().file().set_title("Watch a folder").blocking_pick_folder();
        let Some(folder) = picked else { return Settings::load(&*state.reader()?) };
        let folder = folder.into_path().map_err(|error| CommandError::new("dialog", error.to_string()))?;
        let mut settings = Settings::load(&*state.reader()?)?;
        let folder = folder.display().to_string();
        if !settings.watch_folders.contains(&folder) {
            settings.watch_folders.push(folder);
            settings.save(&mut state.writer())?;
            state.restart_watcher(&handle)?;
        }
        Ok(settings)
    })
    .await
}

/// Stops watching a configured folder (named by the window, but only honoured when it
/// is one of the configured folders). Its statements stay.
#[tauri::command]
pub async fn remove_watch_folder(app: AppHandle, folder: String) -> CommandResult<Settings> {
    let handle = app.clone();
    blocking(app, move |state| {
        let mut settings = Settings::load(&*state.reader()?)?;
        if !settings.watch_folders.contains(&folder) {
            return Err(CommandError::invalid(format!("{folder} is not a watch folder")));
        }
        if settings.watch_folders.len() == 1 {
            return Err(CommandError::invalid("the last watch folder cannot be removed; add another first"));
        }
        settings.watch_folders.retain(|watched| watched != &folder);
        settings.save(&mut state.writer())?;
        state.restart_watcher(&handle)?;
        Ok(settings)
    })
    .await
}

/// The activity view: the watcher's state, scan progress, recent events and the files
/// that failed (from the database, so failures from earlier runs show too).
#[derive(Serialize)]
pub struct ActivityView {
    pub activity: Activity,
    pub failed: Vec<LogEntry>,
}

#[tauri::command]
pub async fn activity(app: AppHandle) -> CommandResult<ActivityView> {
    blocking(app, |state| {
        let failed = state.reader()?.failed_files(200)?;
        Ok(ActivityView { activity: state.activity().clone(), failed })
    })
    .await
}

/// Reads a failed file again. Only a path recorded as failed is accepted.
#[tauri::command]
pub async fn retry_file(app: AppHandle, path: String) -> CommandResult<String> {
    blocking(app, move |state| {
        let report = {
            let mut store = state.writer();
            let failed = store.failed_files(10_000)?;
            if !failed.iter().any(|entry| entry.path == path) {
                return Err(CommandError::invalid(format!("{path} is not a failed file")));
            }
            ingest_file(&mut store, Path::new(&path), &IngestOptions::default())?
        };
        state.data_changed();
        Ok(report.to_string())
    })
    .await
}

/// Shows a statement's file in the system file manager.
#[tauri::command]
pub async fn reveal_statement_file(app: AppHandle, id: i64) -> CommandResult<()> {
    let opener = app.clone();
    blocking(app, move |state| {
        let detail = read_statement(state, id)?;
        if detail.file_gone {
            return Err(CommandError::not_found(format!("{} is no longer there", detail.path)));
        }
        opener
            .opener()
            .reveal_item_in_dir(&detail.path)
            .map_err(|error| CommandError::new("opener", format!("cannot show {}: {error}", detail.path)))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_names_keep_letters_and_drop_path_characters() {
        let check = |title: &str, expect: &str| assert_eq!(file_stem(title), expect, "{title}");
        check("Mentions of Armenia, Azerbaijan", "Mentions of Armenia Azerbaijan");
        check("../../etc/passwd", "etc passwd");
        check("Accusations — by category", "Accusations by category");
        check("///", "chart");
        check("Émigrés in Zürich", "Émigrés in Zürich");
    }
}
