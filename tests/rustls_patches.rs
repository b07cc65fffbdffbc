//! ferrossl's rustls is the published crate plus the patches in `patches/rustls/`, and
//! nothing else: `tools/vendor-rustls` run into a scratch directory gives exactly the
//! committed `vendor/rustls/`; cargo builds that tree (`[patch.crates-io]`, also for the
//! fuzz targets); each patch is one commit with a message and the rustls unit tests it
//! adds, and those tests pass.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::*;

fn patches() -> Vec<PathBuf> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(root().join("patches/rustls"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "patch"))
        .collect();
    all.sort();
    all
}

/// Every file below `dir`, relative to it.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn vendored_rustls_is_the_published_crate_and_the_patches() {
    let scratch = ScratchDir::new("vendor-rustls");
    let out = scratch.0.join("rustls");
    let mut cmd = Command::new(root().join("tools/vendor-rustls"));
    cmd.arg(&out);
    let run = run_bounded(cmd, 300);
    assert!(run.status.success(), "{}", text(&run));
    let committed = root().join("vendor/rustls");
    let (ours, made) = (files_below(&committed), files_below(&out));
    assert_eq!(
        ours, made,
        "the files of vendor/rustls/ differ from the regenerated tree"
    );
    for f in &ours {
        assert!(
            std::fs::read(committed.join(f)).unwrap() == std::fs::read(out.join(f)).unwrap(),
            "vendor/rustls/{} differs from the published crate with the patches applied",
            f.display()
        );
    }
}

#[test]
fn cargo_builds_the_vendored_tree() {
    for manifest in ["Cargo.toml", "fuzz/Cargo.toml"] {
        let toml = std::fs::read_to_string(root().join(manifest)).unwrap();
        assert!(toml.contains("[patch.crates-io]"), "{manifest}");
        assert!(toml.contains("vendor/rustls\" }"), "{manifest}");
    }
    // The lock file names rustls without a registry source: the path dependency.
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let entry = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"rustls\"\n"))
        .unwrap();
    assert!(!entry.contains("source ="), "{entry}");
    let upstream = std::fs::read_to_string(root().join("patches/rustls/UPSTREAM")).unwrap();
    assert!(entry.contains(&format!(
        "version = \"{}\"",
        upstream
            .lines()
            .find_map(|l| l.strip_prefix("version "))
            .unwrap()
    )));
}

/// The names of the `#[test]` functions a patch adds.
fn tests_added_by(patch: &str) -> Vec<String> {
    let lines: Vec<&str> = patch.lines().collect();
    let mut names = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.trim() == "+    #[test]" || l.trim() == "+#[test]" {
            let name = lines[i + 1..]
                .iter()
                .take(3)
                .find_map(|l| l.split("fn ").nth(1))
                .and_then(|rest| rest.split('(').next());
            names.extend(name.map(str::to_owned));
        }
    }
    names
}

#[test]
fn each_patch_is_one_explained_commit_whose_tests_pass() {
    let all = patches();
    assert!(!all.is_empty());
    let mut names = Vec::new();
    for p in &all {
        let patch = std::fs::read_to_string(p).unwrap();
        let file = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            file.len() > 5 && file[..4].bytes().all(|b| b.is_ascii_digit()),
            "{file}"
        );
        assert_eq!(
            patch.matches("\nSubject: [PATCH]").count(),
            1,
            "{file}: one commit"
        );
        let message = patch.split("\n---\n").next().unwrap();
        assert!(
            message.lines().count() >= 8,
            "{file}: the commit message explains it"
        );
        let added = tests_added_by(&patch);
        assert!(!added.is_empty(), "{file} adds no test");
        names.extend(added);
    }
    // The published crate's unit tests read files of rustls' repository that it does not
    // ship (test-ca/, testdata/); empty stand-ins let the crate's tests compile, and only
    // the patches' own tests run.
    let scratch = ScratchDir::new("rustls-tests");
    let tree = scratch.0.join("crate/rustls");
    let mut cp = Command::new("cp");
    cp.arg("-a").arg(root().join("vendor/rustls")).arg(&tree);
    std::fs::create_dir_all(tree.parent().unwrap()).unwrap();
    assert!(run_bounded(cp, 60).status.success());
    for f in files_below(&tree.join("src")) {
        let source = tree.join("src").join(&f);
        let text = std::fs::read_to_string(&source).unwrap_or_default();
        for piece in text.split("include_bytes!(\"").skip(1) {
            let rel = piece.split('"').next().unwrap();
            let target = source.parent().unwrap().join(rel);
            if !target.exists() {
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(&target, b"").unwrap();
            }
        }
    }
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .current_dir(&tree)
        .args(["test", "--lib", "--quiet", "--target-dir"])
        .arg(root().join("target/rustls-tests"))
        .arg("--")
        .arg("--exact");
    // Test paths vary with the provider module they sit in: match by the last part.
    let list = {
        let mut c = Command::new(env!("CARGO"));
        c.current_dir(&tree)
            .args(["test", "--lib", "--quiet", "--target-dir"])
            .arg(root().join("target/rustls-tests"))
            .args(["--", "--list"]);
        text(&run_bounded(c, 1200))
    };
    let mut full = Vec::new();
    for name in &names {
        let found: Vec<&str> = list
            .lines()
            .filter_map(|l| l.strip_suffix(": test"))
            .filter(|t| t.rsplit("::").next() == Some(name.as_str()))
            .collect();
        assert!(
            !found.is_empty(),
            "{name} is not among rustls' tests:\n{list}"
        );
        full.extend(found.iter().map(|s| s.to_string()));
    }
    cargo.args(&full);
    let out = run_bounded(cargo, 1200);
    let report = text(&out);
    assert!(out.status.success(), "{report}");
    assert!(
        report.contains(&format!("{} passed", full.len())),
        "every patch test ran: {report}"
    );
}
