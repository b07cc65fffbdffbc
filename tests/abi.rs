//! The built library is a drop-in libssl.so.3: its SONAME, its symbol versions, the set
//! of names it exports, and that programs pick it up through LD_LIBRARY_PATH, LD_PRELOAD
//! and linking against `include/`, without the system libssl ever being loaded.

mod support;

use std::collections::BTreeSet;
use std::process::Command;

use support::*;

const SYSTEM_LIBSSL: &str = "/usr/lib/x86_64-linux-gnu/libssl.so.3";

/// (name, version) of every function a shared object defines and exports.
fn exports(path: &str) -> Vec<(String, String)> {
    let out = Command::new("objdump")
        .args(["-T", path])
        .output()
        .expect("objdump (binutils)");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains(" DF ") && !l.contains("*UND*"))
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let name = f.last()?.to_string();
            let version = f.get(f.len().checked_sub(2)?)?.to_string();
            Some((name, version))
        })
        .collect()
}

fn ours() -> String {
    lib_dir().join("libssl.so.3").to_string_lossy().into_owned()
}

#[test]
fn soname_is_libssl_so_3() {
    let out = Command::new("readelf")
        .args(["-d", &ours()])
        .output()
        .unwrap();
    let dynamic = String::from_utf8_lossy(&out.stdout);
    assert!(
        dynamic.contains("Library soname: [libssl.so.3]"),
        "{dynamic}"
    );
    assert!(
        dynamic.contains("Shared library: [libcrypto.so.3]"),
        "{dynamic}"
    );
    assert!(
        !dynamic.contains("Shared library: [libssl.so.3]"),
        "must not depend on the system libssl"
    );
}

#[test]
fn every_export_is_a_libssl_function_versioned_like_openssl() {
    let system: BTreeSet<String> = exports(SYSTEM_LIBSSL).into_iter().map(|(n, _)| n).collect();
    assert!(
        system.len() > 400,
        "the system libssl export list looks wrong"
    );
    let ours = exports(&ours());
    assert!(ours.len() >= 100, "only {} exports", ours.len());
    for (name, version) in &ours {
        if name.starts_with("ferrossl_") {
            assert_eq!(version, "FERROSSL_0.1", "{name}");
            continue;
        }
        assert_eq!(version, "OPENSSL_3.0.0", "{name}");
        assert!(
            system.contains(name),
            "{name} is not a libssl function (a Rust or aws-lc internal leaked?)"
        );
    }
}

fn mapped_libssl(lib: Lib) -> String {
    let exe = compile("tests/c/which_libssl.c", false);
    let out = run_bounded(c_command(&exe, lib), 10);
    assert!(out.status.success(), "{}", text(&out));
    text(&out)
}

#[test]
fn ld_library_path_and_ld_preload_replace_the_system_libssl() {
    let system = mapped_libssl(Lib::System);
    assert!(system.contains(SYSTEM_LIBSSL), "{system}");
    for lib in [Lib::Ferrossl, Lib::Preloaded] {
        let out = mapped_libssl(lib);
        assert!(out.contains("SSL_CTX_new: ok"), "{out}");
        assert!(
            out.contains(&lib_dir().to_string_lossy().to_string()),
            "{lib:?}: {out}"
        );
        assert!(
            !out.contains(SYSTEM_LIBSSL),
            "{lib:?} still loaded the system libssl: {out}"
        );
    }
}

#[test]
fn preloaded_client_does_tls_against_openssl() {
    let srv = openssl_server("server-rsa.pem", "server-rsa-key.pem", &["-www"]);
    let exe = compile("c-examples/client.c", false);
    let mut cmd = c_command(&exe, Lib::Preloaded);
    cmd.args([
        "127.0.0.1",
        &srv.port.to_string(),
        "-CAfile",
        &pki("ca.pem"),
        "-servername",
        "localhost",
    ]);
    let out = text(&run_bounded(cmd, 20));
    assert!(
        out.contains("verify result: 0 (ok)") && out.contains("HTTP/1.0 200 ok"),
        "{out}"
    );
}

#[test]
fn examples_build_against_the_generated_header() {
    for example in [
        "c-examples/client.c",
        "c-examples/server.c",
        "c-examples/nonblocking_client.c",
        "c-examples/memory_bio.c",
    ] {
        compile(example, true);
    }
    let exe = compile("c-examples/memory_bio.c", true);
    let mut cmd = c_command(&exe, Lib::Ferrossl);
    cmd.args([
        pki("server-ecdsa.pem"),
        pki("server-ecdsa-key.pem"),
        pki("ca.pem"),
    ]);
    let out = text(&run_bounded(cmd, 20));
    assert!(out.contains("client got: pong"), "{out}");
}

#[test]
fn exports_everything_the_listed_programs_import() {
    let ours: BTreeSet<String> = exports(&ours()).into_iter().map(|(n, _)| n).collect();
    let dir = root().join("tests/app-symbols");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let list = std::fs::read_to_string(&path).unwrap();
        let missing: Vec<&str> = list
            .lines()
            .map(str::trim)
            .filter(|n| !n.is_empty() && !ours.contains(*n))
            .collect();
        assert!(
            missing.is_empty(),
            "{} imports functions ferrossl lacks: {missing:?}",
            path.display()
        );
        checked += 1;
    }
    // Nine client programs, five servers (nginx, haproxy, stunnel, lighttpd, the mosquitto
    // broker), and the union of every surveyed program's imports (the `openssl` tool's too).
    assert_eq!(checked, 15, "expected fifteen program lists");
}

/// Every function the system's libssl.so.3 exports, ferrossl exports too (OpenSSL 3.0's
/// 518), so no program linked against libssl.so.3 fails to load for want of one.
#[test]
fn exports_every_function_of_the_system_libssl() {
    let system: BTreeSet<String> = exports(SYSTEM_LIBSSL).into_iter().map(|(n, _)| n).collect();
    let ours: BTreeSet<String> = exports(&ours()).into_iter().map(|(n, _)| n).collect();
    let missing: Vec<&String> = system.difference(&ours).collect();
    assert!(missing.is_empty(), "not exported: {missing:?}");
    assert!(
        system.len() >= 518,
        "the system exports only {}",
        system.len()
    );
}

/// The libssl imports of the 158 ELF files of Debian 12 that link libssl.so.3 (servers,
/// mail, language runtimes, VPN, DNS, Wi-Fi, databases), each resolved by ferrossl.
#[test]
fn every_surveyed_debian_program_finds_its_imports() {
    let ours: BTreeSet<String> = exports(&ours()).into_iter().map(|(n, _)| n).collect();
    let dir = root().join("tests/app-symbols/debian-bookworm");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let list = std::fs::read_to_string(&path).unwrap();
        let missing: Vec<&str> = list
            .lines()
            .filter_map(|l| l.trim().split('@').next())
            .filter(|n| !n.is_empty() && !ours.contains(*n))
            .collect();
        if !missing.is_empty() {
            failures.push(format!("{}: {missing:?}", path.display()));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(checked, 158, "expected the 158 surveyed ELF files");
}
