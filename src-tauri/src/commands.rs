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
use demarche_library::{filter_choices, list, statement, FilterChoices, ListQuery, Page, StatementDetail};
use demarche_store::{CorrectedField, LogEntry, Stats};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::error::{CommandError, CommandResult};
use crate::state::{Activity, AppState, Settings};

/// The environment variable naming a folder that exports are saved into without a save
/// dialog: for kiosk set-ups and the end-to-end tests, which cannot drive a native dialog.
pub const EXPORT_DIR_ENV: &str = "DEMARCHE_EXPORT_DIR";

/// What the dashboard needs first: counts and the values the filters offer.
#[derive(Serialize)]
pub struct Overview {
    pub stats: Stats,
    pub choices: FilterChoices,
    pub database: String,
}

#[tauri::command]
pub async fn overview(state: State<'_, AppState>) -> CommandResult<Overview> {
    let store = state.reader()?;
    Ok(Overview {
        stats: store.stats()?,
        choices: filter_choices(store.connection())?,
        database: state.database.display().to_string(),
    })
}

#[tauri::command]
pub async fn list_statements(state: State<'_, AppState>, query: ListQuery) -> CommandResult<Page> {
    Ok(list(state.reader()?.connection(), &query)?)
}

#[tauri::command]
pub async fn get_statement(state: State<'_, AppState>, id: i64) -> CommandResult<StatementDetail> {
    statement(&*state.reader()?, id)?
        .ok_or_else(|| CommandError::not_found(format!("there is no statement #{id}")))
}

/// A corrected value; `None` clears the field.
#[derive(Deserialize)]
pub struct FieldChange {
    pub field: CorrectedField,
    pub value: Option<String>,
}

#[tauri::command]
pub async fn correct_statement(
    state: State<'_, AppState>,
    id: i64,
    changes: Vec<FieldChange>,
) -> CommandResult<StatementDetail> {
    let changes: Vec<_> = changes.into_iter().map(|change| (change.field, change.value)).collect();
    correct(&mut state.writer(), id, &changes)?;
    get_statement(state, id).await
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
    state: State<'_, AppState>,
    spec: ChartSpec,
    width: u32,
    height: u32,
) -> CommandResult<DrawnChart> {
    let size = size(width, height)?;
    let chart = query(state.reader()?.connection(), &spec)?;
    let (svg, geometry) = render_svg(&chart, size)?;
    Ok(DrawnChart { svg, geometry, chart })
}

#[tauri::command]
pub async fn drill_down(
    state: State<'_, AppState>,
    spec: ChartSpec,
    selection: Selection,
) -> CommandResult<Evidence> {
    Ok(evidence(state.reader()?.connection(), &spec, &selection, 500)?)
}

/// Exports the chart on screen: asks where to save it (a native dialog opened here, so
/// the path never comes from the webview) and returns the path written, or `None` when
/// the user cancels.
#[tauri::command]
pub async fn export_chart(
    app: AppHandle,
    state: State<'_, AppState>,
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
    let (bytes, name) = {
        let store = state.reader()?;
        let chart = query(store.connection(), &spec)?;
        let provenance = Provenance::collect(store.connection(), &chart)?;
        let exported = export(&chart, &provenance, format, size)?;
        (exported.bytes, format!("{}.{extension}", file_stem(&chart.title)))
    };
    let path = match std::env::var_os(EXPORT_DIR_ENV).filter(|dir| !dir.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir).join(&name)),
        None => app
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
pub async fn get_settings(state: State<'_, AppState>) -> CommandResult<Settings> {
    Settings::load(&*state.reader()?)
}

/// The settings the window may change directly; folders are added through a dialog.
#[derive(Deserialize)]
pub struct WatchOptions {
    pub poll_seconds: Option<f64>,
    pub stability_ms: u64,
}

#[tauri::command]
pub async fn save_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    options: WatchOptions,
) -> CommandResult<Settings> {
    let mut settings = Settings::load(&*state.reader()?)?;
    settings.poll_seconds = options.poll_seconds;
    settings.stability_ms = options.stability_ms;
    settings.save(&mut state.writer())?;
    state.restart_watcher(&app)?;
    Ok(settings)
}

#[tauri::command]
pub async fn add_watch_folder(app: AppHandle, state: State<'_, AppState>) -> CommandResult<Settings> {
    let picked = app.dialog().file().set_title("Watch a folder").blocking_pick_folder();
    let Some(folder) = picked else { return Settings::load(&*state.reader()?) };
    let folder = folder.into_path().map_err(|error| CommandError::new("dialog", error.to_string()))?;
    let mut settings = Settings::load(&*state.reader()?)?;
    let folder = folder.display().to_string();
    if !settings.watch_folders.contains(&folder) {
        settings.watch_folders.push(folder);
        settings.save(&mut state.writer())?;
        state.restart_watcher(&app)?;
    }
    Ok(settings)
}

/// Stops watching a configured folder (named by the window, but only honoured when it
/// is one of the configured folders). Its statements stay.
#[tauri::command]
pub async fn remove_watch_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    folder: String,
) -> CommandResult<Settings> {
    let mut settings = Settings::load(&*state.reader()?)?;
    if !settings.watch_folders.contains(&folder) {
        return Err(CommandError::invalid(format!("{folder} is not a watch folder")));
    }
    if settings.watch_folders.len() == 1 {
        return Err(CommandError::invalid("the last watch folder cannot be removed; add another first"));
    }
    settings.watch_folders.retain(|watched| watched != &folder);
    settings.save(&mut state.writer())?;
    state.restart_watcher(&app)?;
    Ok(settings)
}

/// The activity view: the watcher's state, scan progress, recent events and the files
/// that failed (from the database, so failures from earlier runs show too).
#[derive(Serialize)]
pub struct ActivityView {
    pub activity: Activity,
    pub failed: Vec<LogEntry>,
}

#[tauri::command]
pub async fn activity(state: State<'_, AppState>) -> CommandResult<ActivityView> {
    let failed = state.reader()?.failed_files(200)?;
    Ok(ActivityView { activity: state.activity().clone(), failed })
}

/// Reads a failed file again. Only a path recorded as failed is accepted.
#[tauri::command]
pub async fn retry_file(state: State<'_, AppState>, path: String) -> CommandResult<String> {
    let mut store = state.writer();
    let failed = store.failed_files(10_000)?;
    if !failed.iter().any(|entry| entry.path == path) {
        return Err(CommandError::invalid(format!("{path} is not a failed file")));
    }
    let report = ingest_file(&mut store, Path::new(&path), &IngestOptions::default())?;
    Ok(report.to_string())
}

/// Shows a statement's file in the system file manager.
#[tauri::command]
pub async fn reveal_statement_file(app: AppHandle, state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    let detail = get_statement(state, id).await?;
    if detail.file_gone {
        return Err(CommandError::not_found(format!("{} is no longer there", detail.path)));
    }
    app.opener()
        .reveal_item_in_dir(&detail.path)
        .map_err(|error| CommandError::new("opener", format!("cannot show {}: {error}", detail.path)))
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
