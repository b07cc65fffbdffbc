//! The Debian package: built with cargo-deb (`packaging/build-deb`), checked by lintian,
//! unpacked into a scratch root and used from there (ferrossl-run with curl, a C program
//! built with pkg-config, ferrossl-service writing a drop-in), and in CI also installed
//! with dpkg and removed again.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::*;

fn multiarch() -> String {
    format!("{}-linux-gnu", std::env::consts::ARCH)
}

/// Builds the package once per test process and returns its path.
fn deb() -> PathBuf {
    static DEB: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    DEB.get_or_init(|| {
        let out = run_bounded(
            {
                let mut c = Command::new(root().join("packaging/build-deb"));
                c.current_dir(root());
                c
            },
            1200,
        );
        assert!(out.status.success(), "build-deb failed:\n{}", text(&out));
        let dir = root().join("target/debian");
        let deb = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("ferrossl_")
                    && p.extension().is_some_and(|e| e == "deb")
            })
            .expect("a ferrossl_*.deb");
        deb
    })
    .clone()
}

fn unpacked() -> (ScratchDir, PathBuf) {
    let scratch = ScratchDir::new("deb-root");
    let status = Command::new("dpkg-deb")
        .arg("-x")
        .arg(deb())
        .arg(&scratch.0)
        .status()
        .unwrap();
    assert!(status.success());
    let libdir = scratch.0.join("usr/lib").join(multiarch()).join("ferrossl");
    (scratch, libdir)
}

#[test]
fn package_has_the_expected_files_and_passes_lintian() {
    let out = Command::new("dpkg-deb")
        .arg("-c")
        .arg(deb())
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    let arch = multiarch();
    for path in [
        format!("./usr/lib/{arch}/ferrossl/libssl.so.3"),
        format!("./usr/lib/{arch}/pkgconfig/ferrossl.pc"),
        "./usr/include/ferrossl/openssl/ssl.h".into(),
        "./usr/bin/ferrossl-run".into(),
        "./usr/bin/ferrossl-service".into(),
        "./usr/share/man/man7/ferrossl.7.gz".into(),
        "./usr/share/man/man1/ferrossl-run.1.gz".into(),
    ] {
        assert!(listing.contains(&path), "{path} missing from:\n{listing}");
    }
    assert!(
        !listing.contains(&format!("./usr/lib/{arch}/libssl.so")),
        "must not touch the system libssl"
    );
    let info = String::from_utf8_lossy(
        &Command::new("dpkg-deb")
            .arg("-f")
            .arg(deb())
            .arg("Depends")
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(info.contains("libssl3"), "Depends: {info}");
    let lint = Command::new("lintian")
        .args(["--fail-on", "error"])
        .arg(deb())
        .output()
        .expect("lintian");
    assert!(
        lint.status.success(),
        "lintian:\n{}{}",
        String::from_utf8_lossy(&lint.stdout),
        String::from_utf8_lossy(&lint.stderr)
    );
}

#[test]
fn ferrossl_run_puts_curl_on_the_unpacked_library() {
    let (root_dir, libdir) = unpacked();
    let (srv, _dir) = nginx_server();
    let mut cmd = Command::new(root_dir.0.join("usr/bin/ferrossl-run"));
    cmd.env("FERROSSL_LIBDIR", &libdir)
        .env_remove("LD_LIBRARY_PATH");
    cmd.args([
        "-v",
        "curl",
        "-sS",
        "--cacert",
        &pki("ca.pem"),
        &format!("https://localhost:{}/", srv.port),
    ]);
    let out = text(&run_bounded(cmd, 30));
    assert!(out.contains("hello from nginx"), "{out}");
    assert!(
        out.contains(&format!("with libssl.so.3 from {}", libdir.display())),
        "{out}"
    );
}

#[test]
fn pkg_config_builds_a_program_that_runs_on_ferrossl() {
    let (root_dir, libdir) = unpacked();
    let pc_dir = root_dir
        .0
        .join("usr/lib")
        .join(multiarch())
        .join("pkgconfig");
    let flags = Command::new("pkg-config")
        .env("PKG_CONFIG_PATH", &pc_dir)
        .args(["--cflags", "--libs", "ferrossl"])
        .output()
        .unwrap();
    assert!(
        flags.status.success(),
        "{}",
        String::from_utf8_lossy(&flags.stderr)
    );
    let flags = String::from_utf8_lossy(&flags.stdout).into_owned();
    let exe = root_dir.0.join("memory_bio");
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "cc -I{} {} -o {} {}",
            root().join("c-examples").display(),
            root().join("c-examples/memory_bio.c").display(),
            exe.display(),
            flags.trim()
        ))
        .status()
        .unwrap();
    assert!(status.success(), "cc with {flags}");
    // cargo test puts target/ on LD_LIBRARY_PATH; the program must find ferrossl by itself.
    let ldd = Command::new("ldd")
        .env_remove("LD_LIBRARY_PATH")
        .arg(&exe)
        .output()
        .unwrap();
    let ldd = String::from_utf8_lossy(&ldd.stdout).into_owned();
    let resolved = ldd
        .lines()
        .find_map(|l| l.trim().strip_prefix("libssl.so.3 => "))
        .and_then(|rest| rest.split(" (").next())
        .map(|p| Path::new(p).canonicalize().unwrap());
    assert_eq!(
        resolved,
        Some(libdir.join("libssl.so.3").canonicalize().unwrap()),
        "{ldd}"
    );
    let mut run = Command::new(&exe);
    run.env_remove("LD_LIBRARY_PATH").args([
        pki("server-rsa.pem"),
        pki("server-rsa-key.pem"),
        pki("ca.pem"),
    ]);
    let out = text(&run_bounded(run, 20));
    assert!(out.contains("client got: pong"), "{out}");
}

#[test]
fn ferrossl_service_writes_and_removes_a_drop_in() {
    let (root_dir, libdir) = unpacked();
    let units = ScratchDir::new("units");
    let service = |action: &str| {
        let out = Command::new(root_dir.0.join("usr/bin/ferrossl-service"))
            .env("FERROSSL_SYSTEMD_DIR", &units.0)
            .env("FERROSSL_LIBDIR", &libdir)
            .args([action, "nginx"])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let drop_in = units.0.join("nginx.service.d/ferrossl.conf");
    service("enable");
    let content = std::fs::read_to_string(&drop_in).unwrap();
    assert!(
        content.contains("[Service]")
            && content.contains(&format!("Environment=LD_LIBRARY_PATH={}", libdir.display())),
        "{content}"
    );
    assert_eq!(service("status").trim(), "nginx.service: ferrossl");
    service("disable");
    assert!(!drop_in.exists() && !units.0.join("nginx.service.d").exists());
    assert_eq!(service("status").trim(), "nginx.service: system libssl");
}

/// In CI (root, a throwaway machine): dpkg -i, use the installed files, dpkg -r.
#[test]
fn installs_and_removes_cleanly_in_ci() {
    if std::env::var_os("CI").is_none()
        || !Path::new("/usr/bin/dpkg").exists()
        || current_uid() != 0
    {
        eprintln!("not in CI as root: installation is checked with dpkg -x only");
        return;
    }
    dpkg(&["-i", &deb().to_string_lossy()]);
    let files = String::from_utf8_lossy(
        &Command::new("dpkg")
            .args(["-L", "ferrossl"])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    let (srv, _dir) = nginx_server();
    let mut cmd = Command::new("ferrossl-run");
    cmd.env_remove("LD_LIBRARY_PATH").args([
        "curl",
        "-sS",
        "--cacert",
        &pki("ca.pem"),
        &format!("https://localhost:{}/", srv.port),
    ]);
    let out = text(&run_bounded(cmd, 30));
    dpkg(&["-r", "ferrossl"]);
    assert!(out.contains("hello from nginx"), "{out}");
    for f in files
        .lines()
        .filter(|f| f.contains("ferrossl") && !f.ends_with("/doc"))
    {
        assert!(
            !Path::new(f).exists() || Path::new(f).is_dir() && f.ends_with("/include"),
            "{f} left behind"
        );
    }
    assert!(
        Path::new(&format!("/usr/lib/{}/libssl.so.3", multiarch())).exists(),
        "the system libssl is gone"
    );
}

/// Runs dpkg, waiting (at most a minute) while another package operation holds its lock.
fn dpkg(args: &[&str]) {
    for _ in 0..60 {
        let out = Command::new("dpkg").args(args).output().unwrap();
        if out.status.success() {
            return;
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("lock"), "dpkg {args:?} failed:\n{err}");
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    panic!("dpkg {args:?}: the dpkg lock stayed busy");
}

fn current_uid() -> u32 {
    let out = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(1)
}
