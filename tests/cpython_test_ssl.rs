//! CPython's own `test_ssl` (the suite of the `python3` on PATH, CPython 3.11) run on the
//! system OpenSSL and on ferrossl: every case that passes on OpenSSL passes on ferrossl,
//! except the ones listed here with the reason.

mod support;

use std::collections::BTreeMap;
use std::process::Command;

use support::*;

/// Cases that pass on OpenSSL and not on ferrossl (`Class.case`), and why.
const EXPECTED_DIFFERENCES: &[(&str, &str)] = &[
    // No finite-field DHE suite: `set_ciphers("kEDH")` selects nothing, as on an OpenSSL
    // built without DHE ("No cipher can be selected").
    ("ThreadedTests.test_dh_params", "no DHE cipher suites"),
];

/// `python3` with libssl cleared or set to ferrossl.
fn python(lib: Lib) -> Command {
    let mut cmd = Command::new("python3");
    cmd.env_remove("LD_LIBRARY_PATH").env_remove("LD_PRELOAD");
    if lib == Lib::Ferrossl {
        cmd.env("LD_LIBRARY_PATH", lib_dir());
    }
    cmd
}

/// Each case's outcome (`ok`, `failure`, `error`, `skipped`), from the suite's JUnit report.
fn outcomes(lib: Lib) -> BTreeMap<String, String> {
    let scratch = ScratchDir::new("test-ssl");
    let report = scratch.0.join(format!("{lib:?}.xml"));
    let mut cmd = python(lib);
    cmd.current_dir(&scratch.0)
        .args(["-m", "test", "test_ssl", "--junit-xml"])
        .arg(&report);
    let out = text(&run_bounded(cmd, 600));
    let xml = std::fs::read_to_string(&report).unwrap_or_else(|e| panic!("{e}: {out}"));
    let mut cases = BTreeMap::new();
    for case in xml.split("<testcase ").skip(1) {
        let name = case
            .split("name=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|full| full.strip_prefix("test.test_ssl."))
            .unwrap()
            .to_owned();
        // The case's own element: up to its end tag, or to the end of a self-closed one.
        let body = match case.find("/>") {
            Some(i) if !case[..i].contains('>') => "",
            _ => case.split("</testcase>").next().unwrap_or(""),
        };
        let outcome = ["failure", "error", "skipped"]
            .into_iter()
            .find(|t| body.contains(&format!("<{t}")))
            .unwrap_or("ok");
        cases.insert(name, outcome.to_owned());
    }
    assert!(cases.len() > 150, "test_ssl did not run:\n{out}");
    cases
}

#[test]
fn cpython_test_ssl_passes_as_on_openssl() {
    // The interpreter maps ferrossl under the environment the suite runs in.
    let mut probe = python(Lib::Ferrossl);
    probe.args([
        "-c",
        "import ssl; print(any('libferrossl' in l for l in open('/proc/self/maps')))",
    ]);
    assert_eq!(text(&run_bounded(probe, 30)).trim(), "True");

    let system = outcomes(Lib::System);
    let ours = outcomes(Lib::Ferrossl);
    let passed = |m: &BTreeMap<String, String>| m.values().filter(|o| *o == "ok").count();
    println!(
        "test_ssl: {} of {} cases pass on OpenSSL, {} on ferrossl",
        passed(&system),
        system.len(),
        passed(&ours)
    );
    let mut unexpected = Vec::new();
    for (name, outcome) in &system {
        let ours_outcome = ours.get(name).map_or("missing", String::as_str);
        let allowed = EXPECTED_DIFFERENCES.iter().any(|(n, _)| n == name);
        if outcome == "ok" && ours_outcome != "ok" && !allowed {
            unexpected.push(format!("{name}: {ours_outcome}"));
        }
    }
    assert!(unexpected.is_empty(), "{unexpected:#?}");
    // The listed differences are still differences (a fixed one leaves the list).
    for (name, why) in EXPECTED_DIFFERENCES {
        assert_eq!(system.get(*name).map(String::as_str), Some("ok"), "{name}");
        assert_ne!(
            ours.get(*name).map(String::as_str),
            Some("ok"),
            "{name} ({why}) passes now"
        );
    }
}
