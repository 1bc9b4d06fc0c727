//! Démarche's desktop app: a Tauri shell over the crates. It opens the database,
//! prepares the default inbox on first run, starts the watcher in the background and
//! serves the window's commands (`commands`); every watcher outcome reaches the window
//! as an `activity` event. All logic lives in the crates; this binary only adapts them.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod error;
mod state;

use demarche_store::default_database_path;
use demarche_watch::{default_inbox_path, prepare_inbox};
use tauri::Manager;

use crate::state::AppState;

fn main() {
    let app = tauri::Builder::default()
        // A second launch focuses the running window instead of starting a second watcher.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_log::Builder::new().level(log::LevelFilter::Info).build())
        .plugin(tauri_plugin_window_state::Builder::new().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let database = default_database_path();
            let inbox = default_inbox_path();
            match prepare_inbox(&inbox) {
                Ok(true) => log::info!("created the inbox {} with the sample statements", inbox.display()),
                Ok(false) => {}
                Err(error) => log::warn!("cannot prepare the inbox {}: {error}", inbox.display()),
            }
            let state = AppState::open(&database).map_err(|error| {
                format!("cannot open the database {}: {}", database.display(), error.message)
            })?;
            log::info!("database {}", database.display());
            app.manage(state);
            let handle = app.handle().clone();
            // The watcher's catch-up scan runs on its own thread; the window opens at once.
            if let Err(error) = app.state::<AppState>().restart_watcher(&handle) {
                log::error!("the watcher did not start: {}", error.message);
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::overview,
            commands::filter_choices,
            commands::list_statements,
            commands::get_statement,
            commands::correct_statement,
            commands::draw_chart,
            commands::drill_down,
            commands::export_chart,
            commands::get_settings,
            commands::save_settings,
            commands::add_watch_folder,
            commands::remove_watch_folder,
            commands::activity,
            commands::retry_file,
            commands::reveal_statement_file,
        ])
        .build(tauri::generate_context!())
        .expect("the app's configuration and resources are built in");
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            handle.state::<AppState>().stop_watcher();
        }
    });
}
