//! Builds the app's context and declares its commands, so each one gets an
//! `allow-<command>` permission and the window's capability can list exactly those.

const COMMANDS: &[&str] = &[
    "overview",
    "filter_choices",
    "list_statements",
    "get_statement",
    "correct_statement",
    "draw_chart",
    "drill_down",
    "export_chart",
    "get_settings",
    "save_settings",
    "add_watch_folder",
    "remove_watch_folder",
    "activity",
    "retry_file",
    "reveal_statement_file",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("the Tauri configuration is valid");
}
