//! The default watch folder: where a new user's statements go, created on first run
//! and seeded with the sample statements so the first look shows a working dashboard.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The environment variable that overrides the default watch folder.
pub const INBOX_ENV: &str = "DEMARCHE_INBOX";

/// Sample statements shipped with Démarche (see `data/samples/`).
const SAMPLES: &[(&str, &[u8])] = &[(
    "2022-10-14_aliyev-cis-astana.txt",
    include_bytes!("../../../data/samples/2022-10-14_aliyev-cis-astana.txt"),
)];

/// `DEMARCHE_INBOX` if set, else a "Démarche Inbox" folder in the user's documents folder
/// (the home folder when the platform names none).
pub fn default_inbox_path() -> PathBuf {
    if let Some(path) = std::env::var_os(INBOX_ENV).filter(|path| !path.is_empty()) {
        return path.into();
    }
    let documents = dirs::document_dir().or_else(dirs::home_dir).unwrap_or_else(std::env::temp_dir);
    documents.join("Démarche Inbox")
}

/// Creates the watch folder if it does not exist yet and then seeds it with the sample
/// statements. An existing folder is left exactly as it is. Returns whether it seeded.
pub fn prepare_inbox(path: &Path) -> io::Result<bool> {
    if path.exists() {
        return Ok(false);
    }
    fs::create_dir_all(path)?;
    for (name, bytes) in SAMPLES {
        fs::write(path.join(name), bytes)?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_inbox_is_seeded_and_an_existing_one_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        assert!(prepare_inbox(&inbox).unwrap());
        assert!(inbox.join(SAMPLES[0].0).is_file());
        fs::remove_file(inbox.join(SAMPLES[0].0)).unwrap();
        assert!(!prepare_inbox(&inbox).unwrap(), "a user's deletion is respected");
        assert_eq!(fs::read_dir(&inbox).unwrap().count(), 0);
    }
}
