//! Which files in a watch folder are never statements: partial downloads, editor and
//! office lock files, operating-system litter, and anything hidden.

use std::path::Path;

/// Suffixes of files that are still being written by a browser, a sync client or an
/// editor; the finished file arrives later under its real name.
const TEMPORARY_SUFFIXES: &[&str] =
    &[".part", ".crdownload", ".download", ".tmp", ".temp", ".swp", ".partial", "~"];

/// Files that operating systems create in every folder.
const SYSTEM_FILES: &[&str] = &["thumbs.db", "desktop.ini", "ehthumbs.db"];

/// Whether a file or folder name marks something Démarche must not read. Hidden names
/// (`.DS_Store`, `._resource-forks`, `.git`) and Office lock files (`~$report.docx`) are
/// included.
pub fn is_ignored_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    name.starts_with('.')
        || name.starts_with("~$")
        || SYSTEM_FILES.contains(&lower.as_str())
        || TEMPORARY_SUFFIXES.iter().any(|suffix| lower.ends_with(suffix))
}

/// Whether `path` is ignored because it, or a folder between `root` and it, has an
/// ignored name. Paths outside `root` are judged by their file name alone.
pub fn is_ignored(root: &Path, path: &Path) -> bool {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let names: Vec<_> = match path.strip_prefix(root) {
        Ok(_) => relative.components().collect(),
        Err(_) => path.file_name().map(|name| vec![std::path::Component::Normal(name)]).unwrap_or_default(),
    };
    names.iter().any(|component| match component {
        std::path::Component::Normal(name) => is_ignored_name(&name.to_string_lossy()),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let check = |name: &str, ignored: bool| assert_eq!(is_ignored_name(name), ignored, "{name}");
        for name in [
            "report.pdf.part",
            "page.html.crdownload",
            "a.TMP",
            "~$speech.docx",
            "._speech.txt",
            ".DS_Store",
            "Thumbs.db",
            "desktop.ini",
            ".hidden.txt",
            "notes.txt~",
            ".speech.txt.swp",
        ] {
            check(name, true);
        }
        for name in
            ["speech.txt", "2022-10-14_aliyev.txt", "Press release.docx", "tmp.txt", "partial results.md"]
        {
            check(name, false);
        }
    }

    #[test]
    fn hidden_folders_hide_their_contents_but_the_root_itself_may_be_anywhere() {
        let root = Path::new("/home/u/.config/inbox");
        assert!(!is_ignored(root, Path::new("/home/u/.config/inbox/a.txt")));
        assert!(is_ignored(root, Path::new("/home/u/.config/inbox/.git/a.txt")));
        assert!(is_ignored(root, Path::new("/home/u/.config/inbox/sub/~$a.docx")));
        assert!(!is_ignored(root, Path::new("/elsewhere/b.txt")));
    }
}
