//! The layering `ARCHITECTURE.md` promises, checked on the sources: every core folder
//! forbids `unsafe`, no core module names the FFI or declares a C function, and no source
//! file grows past the size a reader can take in.

use std::fs;
use std::path::{Path, PathBuf};

/// The folders of `src/` allowed `unsafe` and C types.
const EDGE: [&str; 2] = ["ffi", "libcrypto"];
/// Past this, a file is split by concern.
const MAX_LINES: usize = 800;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level folders of `src/` that make up the core.
fn core_folders() -> Vec<PathBuf> {
    let mut folders: Vec<PathBuf> = fs::read_dir(src())
        .expect("read src")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .filter(|p| !EDGE.iter().any(|edge| p.ends_with(edge)))
        .collect();
    folders.sort();
    folders
}

#[test]
fn every_core_folder_forbids_unsafe() {
    let folders = core_folders();
    assert!(
        folders.len() >= 8,
        "expected the core's folders, found {folders:?}"
    );
    for folder in folders {
        let root = folder.join("mod.rs");
        let text = fs::read_to_string(&root).unwrap_or_default();
        assert!(
            text.contains("#![forbid(unsafe_code)]"),
            "{} lacks #![forbid(unsafe_code)]",
            root.display()
        );
    }
}

#[test]
fn the_core_never_reaches_into_the_ffi_or_c() {
    let mut files = Vec::new();
    for folder in core_folders() {
        rust_files(&folder, &mut files);
    }
    assert!(!files.is_empty());
    for file in files {
        let text = fs::read_to_string(&file).expect("read source");
        for banned in ["crate::ffi", "extern \"C\"", "unsafe "] {
            assert!(
                !text.contains(banned),
                "{} contains `{banned}`: the core stays free of the FFI and of C",
                file.display()
            );
        }
    }
}

#[test]
fn no_source_file_needs_scrolling() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for file in files {
        let lines = fs::read_to_string(&file)
            .expect("read source")
            .lines()
            .count();
        assert!(
            lines <= MAX_LINES,
            "{} has {lines} lines: split it by concern (at most {MAX_LINES})",
            file.display()
        );
    }
}
