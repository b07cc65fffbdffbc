//! Shared helpers for the integration tests: where ferrossl and the test PKI are, C
//! programs compiled on demand, and real OpenSSL/GnuTLS peers on 127.0.0.1.
#![allow(dead_code)]

mod clients;
mod unbound;
#[allow(unused_imports)]
pub use clients::*;
#[allow(unused_imports)]
pub use unbound::unbound;

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn pki(name: &str) -> String {
    root()
        .join("tests/pki")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// The profile directory holding this test binary, where the build left `libssl.so.3`.
pub fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>")
        .to_path_buf();
    assert!(
        dir.join("libssl.so.3").exists(),
        "{}/libssl.so.3 is missing: build with cargo build --release first",
        dir.display()
    );
    dir
}

/// Which libssl a C program runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lib {
    System,
    Ferrossl,
    /// ferrossl through LD_PRELOAD instead of LD_LIBRARY_PATH.
    Preloaded,
}

/// Compiles a C file (against the system headers by default, or `include/`), once per test binary.
pub fn compile(source: &str, with_our_header: bool) -> PathBuf {
    if with_our_header {
        let include = root().join("include").to_string_lossy().into_owned();
        let libs = lib_dir().to_string_lossy().into_owned();
        compile_with(
            source,
            "ours",
            &["-I", &include, "-L", &libs, "-l:libssl.so.3"],
        )
    } else {
        compile_with(source, "sys", &["-lssl"])
    }
}

/// Compiles C sources (the first names the program) with extra compiler arguments, once
/// per test binary and `tag`; the program links libcrypto and pthreads.
pub fn compile_with(source: &str, tag: &str, extra: &[&str]) -> PathBuf {
    // Compiled once per test process (sources may have changed since the last run).
    static COMPILED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());
    let mut compiled = COMPILED.lock().unwrap_or_else(|e| e.into_inner());
    let src = root().join(source);
    let stem = src.file_stem().unwrap().to_string_lossy().into_owned();
    let out_dir = lib_dir().join("ctests");
    std::fs::create_dir_all(&out_dir).unwrap();
    let exe = out_dir.join(format!("{stem}-{tag}"));
    if compiled.contains(&exe) {
        return exe;
    }
    let mut cc = Command::new("cc");
    cc.args(["-Wall", "-O1", "-g", "-o"])
        .arg(&exe)
        .arg(&src)
        .arg("-I")
        .arg(root().join("c-examples"))
        .args(extra)
        .arg("-lcrypto")
        .arg("-lpthread");
    let out = cc.output().expect("cc runs");
    assert!(
        out.status.success(),
        "cc {source} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    compiled.push(exe.clone());
    exe
}

/// The scenarios of the differential probe (`tests/c/probe.c`) that need no peer.
pub const PROBE_SCENARIOS: &[&str] = &[
    "defaults",
    "tls13-rsa",
    "tls12-ecdsa",
    "verify",
    "bad-files",
    "hangup",
    "garbage",
    "write-retry",
    "verify-callback",
    "custom-bio",
    "moving-buffer",
    "cipher-strings",
    "restricted",
    "ctx-freed-early",
    "sessions",
    "auto-retry",
    "server-config",
    "server-sessions",
    "cert-cb",
    "ticket-keys",
    "two-certs",
    "error-queue",
    "handshake-details",
    "sigalgs",
];

/// The scenarios of the second-wave API probe (`tests/c/api_probe.c`).
pub const API_PROBE_SCENARIOS: &[&str] = &[
    "methods",
    "sessions",
    "callbacks",
    "cert-and-key",
    "dane",
    "bio-ssl",
    "ca-lists",
];

/// A command for a C program on the chosen libssl.
pub fn c_command(exe: &Path, lib: Lib) -> Command {
    let mut cmd = Command::new(exe);
    cmd.env_remove("LD_LIBRARY_PATH").env_remove("LD_PRELOAD");
    match lib {
        Lib::System => {}
        Lib::Ferrossl => {
            cmd.env("LD_LIBRARY_PATH", lib_dir());
        }
        Lib::Preloaded => {
            cmd.env("LD_PRELOAD", lib_dir().join("libssl.so.3"));
        }
    }
    cmd
}

/// Runs a command to completion, killing it after `secs`.
pub fn run_bounded(cmd: Command, secs: u64) -> Output {
    run_bounded_with_input(cmd, "", secs)
}

/// Runs a command with `input` on its standard input, killing it after `secs`.
pub fn run_bounded_with_input(mut cmd: Command, input: &str, secs: u64) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    {
        use std::io::Write;
        // Dropping stdin after writing closes it, as a finished pipe would.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
    }
    let (tx, rx) = mpsc::channel();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t1 = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let t2 = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let pid = child.id();
    std::thread::spawn(move || {
        if rx.recv_timeout(Duration::from_secs(secs)).is_err() {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
    });
    let status = child.wait().expect("wait");
    let _ = tx.send(());
    Output {
        status,
        stdout: t1.join().unwrap(),
        stderr: t2.join().unwrap(),
    }
}

pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A free port on 127.0.0.1 (bound and released; peers then bind it).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A peer process (real OpenSSL or GnuTLS) that is killed when dropped.
pub struct Peer {
    child: Child,
    pub port: u16,
    lines: mpsc::Receiver<String>,
}

impl Peer {
    /// Starts `program args...` with libssl variables cleared, and waits until it listens.
    pub fn server(program: &str, args: &[String], port: u16) -> Peer {
        Self::server_with_env(program, args, port, &[])
    }

    /// As [`Peer::server`], with extra environment variables (`LD_LIBRARY_PATH` to run
    /// the server on ferrossl, `FERROSSL_TRACE`).
    pub fn server_with_env(
        program: &str,
        args: &[String],
        port: u16,
        env: &[(&str, String)],
    ) -> Peer {
        Self::server_with_env_in(program, args, port, env, Path::new("."))
    }

    /// As `server_with_env`, started in the directory `cwd`.
    pub fn server_with_env_in(
        program: &str,
        args: &[String],
        port: u16,
        env: &[(&str, String)],
        cwd: &Path,
    ) -> Peer {
        let peer = Self::spawn_in(program, args, port, env, cwd);
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return peer;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("{program} did not start listening on {port}");
    }

    /// Starts `program args...` with libssl variables cleared and `env` added, without
    /// waiting for a TCP port (a UDP server says when it is ready on its output).
    pub fn spawn(program: &str, args: &[String], env: &[(&str, String)]) -> Peer {
        Self::spawn_in(program, args, 0, env, Path::new("."))
    }

    fn spawn_in(
        program: &str,
        args: &[String],
        port: u16,
        env: &[(&str, String)],
        cwd: &Path,
    ) -> Peer {
        let mut child = Command::new(program)
            .current_dir(cwd)
            .args(args)
            .env_remove("LD_LIBRARY_PATH")
            .env_remove("LD_PRELOAD")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        let (tx, rx) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Peer {
            child,
            port,
            lines: rx,
        }
    }

    /// Sends the peer process a signal (`kill -SIG pid`).
    pub fn signal(&self, sig: &str) {
        let _ = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.child.id().to_string())
            .status();
    }

    /// Stops the peer with `sig` and waits (at most `secs`) for it to exit: for servers
    /// with child processes, which a plain kill of the parent would leave running.
    pub fn stop(&mut self, sig: &str, secs: u64) {
        self.signal(sig);
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        while std::time::Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The peer process's id (to find its children).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the peer process has ferrossl mapped (rather than the system libssl).
    /// Waits (up to 5 s) until it maps one of them: Apache unloads its modules, and with
    /// them libssl, between its two configuration passes, after it already listens.
    pub fn runs_on_ferrossl(&self) -> bool {
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        loop {
            let maps = std::fs::read_to_string(format!("/proc/{}/maps", self.child.id()))
                .unwrap_or_default();
            let ferrossl = maps.contains("libferrossl");
            let system = maps.lines().any(|l| l.ends_with("/libssl.so.3"));
            if ferrossl || system || std::time::Instant::now() >= deadline {
                return ferrossl && !system;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Writes `text` to the peer's standard input (`openssl s_server`'s commands, what
    /// `s_client` sends).
    pub fn send(&mut self, text: &str) {
        use std::io::Write;
        if let Some(stdin) = self.child.stdin.as_mut() {
            let _ = stdin.write_all(text.as_bytes());
            let _ = stdin.flush();
        }
    }

    /// Everything the peer printed so far (waiting up to `secs` for `want` to appear).
    pub fn output_until(&self, want: &str, secs: u64) -> String {
        let mut all = String::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(secs);
        while std::time::Instant::now() < deadline {
            match self.lines.recv_timeout(Duration::from_millis(100)) {
                Ok(l) => {
                    all.push_str(&l);
                    all.push('\n');
                    if all.contains(want) {
                        break;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(_) => break,
            }
        }
        all
    }
}

impl Drop for Peer {
    /// TERM first, so that a server with child processes (nginx's master) stops them too,
    /// also when a test panics; KILL after 2 s.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            self.stop("TERM", 2);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `openssl s_server` (real OpenSSL) on 127.0.0.1 with the given extra arguments.
pub fn openssl_server(cert: &str, key: &str, extra: &[&str]) -> Peer {
    s_server_with(Lib::System, cert, key, extra, &[], Path::new("."))
}

/// `openssl s_server` with the test CA's RSA server certificate on `lib` (checked), on
/// 127.0.0.1, with `extra` arguments (`-www`), `env` added, started in `cwd`.
pub fn s_server_on(lib: Lib, extra: &[&str], env: &[(&str, String)], cwd: &Path) -> Peer {
    s_server_with(lib, "server-rsa.pem", "server-rsa-key.pem", extra, env, cwd)
}

/// `openssl s_server` with `cert` and `key` on `lib` (checked), as [`s_server_on`].
pub fn s_server_with(
    lib: Lib,
    cert: &str,
    key: &str,
    extra: &[&str],
    env: &[(&str, String)],
    cwd: &Path,
) -> Peer {
    let port = free_port();
    let mut args: Vec<String> = vec![
        "s_server".into(),
        "-accept".into(),
        format!("127.0.0.1:{port}"),
        "-cert".into(),
        pki(cert),
        "-key".into(),
        pki(key),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let mut all = lib_env(lib);
    all.extend(env.iter().cloned());
    let server = Peer::server_with_env_in("openssl", &args, port, &all, cwd);
    assert_eq!(
        server.runs_on_ferrossl(),
        lib == Lib::Ferrossl,
        "s_server on {lib:?}"
    );
    server
}

/// A scratch directory under the profile directory, removed when dropped.
pub struct ScratchDir(pub PathBuf);

impl ScratchDir {
    pub fn new(tag: &str) -> ScratchDir {
        let dir =
            lib_dir()
                .join("scratch")
                .join(format!("{tag}-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).unwrap();
        ScratchDir(dir)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// nginx on the system OpenSSL, serving `index.html` over TLS (HTTP/1.1 and h2) on 127.0.0.1.
pub fn nginx_server() -> (Peer, ScratchDir) {
    nginx_on(Lib::System, "", "", &[])
}

/// nginx on `lib` (the system OpenSSL, or ferrossl through `LD_LIBRARY_PATH`), serving
/// `html/` over TLS (HTTP/1.1 and h2) on 127.0.0.1 with the RSA chain; `server_extra` is
/// added to its `server` block and `http_extra` to its `http` block (with `{dir}` and
/// `{port}` replaced by its directory and port), and `env` to its environment.
pub fn nginx_on(
    lib: Lib,
    server_extra: &str,
    http_extra: &str,
    env: &[(&str, String)],
) -> (Peer, ScratchDir) {
    nginx_start(lib, server_extra, http_extra, env, false)
}

/// nginx as `nginx_on` starts it, but with a master process and one worker (as deployed:
/// SIGHUP makes the master read its configuration again and start new workers).
pub fn nginx_with_master(lib: Lib, server_extra: &str) -> (Peer, ScratchDir) {
    nginx_start(lib, server_extra, "", &[], true)
}

fn nginx_start(
    lib: Lib,
    server_extra: &str,
    http_extra: &str,
    env: &[(&str, String)],
    master: bool,
) -> (Peer, ScratchDir) {
    let dir = ScratchDir::new("nginx");
    let d = dir.0.display();
    std::fs::create_dir_all(dir.0.join("html")).unwrap();
    std::fs::write(dir.0.join("html/index.html"), "hello from nginx\n").unwrap();
    let port = free_port();
    let fill = |s: &str| {
        s.replace("{dir}", &d.to_string())
            .replace("{port}", &port.to_string())
    };
    let (server_extra, http_extra) = (fill(server_extra), fill(http_extra));
    let conf = format!(
        "daemon off; master_process {master}; worker_processes 1; pid {d}/nginx.pid; error_log {d}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  server {{
    listen 127.0.0.1:{port} ssl http2;
    ssl_certificate {cert}; ssl_certificate_key {key};
    root {d}/html;
    {server_extra}
  }}
  {http_extra}
}}
",
        cert = pki("server-rsa-chain.pem"),
        key = pki("server-rsa-key.pem"),
        master = if master { "on" } else { "off" },
    );
    std::fs::write(dir.0.join("nginx.conf"), conf).unwrap();
    let args: Vec<String> = vec![
        "-c".into(),
        dir.0.join("nginx.conf").to_string_lossy().into_owned(),
        "-p".into(),
        dir.0.to_string_lossy().into_owned(),
        "-e".into(),
        dir.0.join("error.log").to_string_lossy().into_owned(),
    ];
    let mut env: Vec<(&str, String)> = env.to_vec();
    match lib {
        Lib::System => {}
        Lib::Ferrossl => env.push(("LD_LIBRARY_PATH", lib_dir().to_string_lossy().into_owned())),
        Lib::Preloaded => env.push((
            "LD_PRELOAD",
            lib_dir().join("libssl.so.3").to_string_lossy().into_owned(),
        )),
    }
    (Peer::server_with_env("nginx", &args, port, &env), dir)
}

/// A command for an installed program, on ferrossl.
pub fn program_on_ferrossl(program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_remove("LD_PRELOAD")
        .env("LD_LIBRARY_PATH", lib_dir());
    cmd
}

/// A command for an installed program on `lib` (the system OpenSSL: both libssl
/// variables cleared).
pub fn program_on(program: &str, lib: Lib) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_remove("LD_LIBRARY_PATH").env_remove("LD_PRELOAD");
    if lib != Lib::System {
        cmd.env("LD_LIBRARY_PATH", lib_dir());
    }
    cmd
}

/// Asserts that `text` (what a run on the system OpenSSL printed) says each of `wants`,
/// so that a comparison with ferrossl's run compares what the test is about.
pub fn assert_says_all(text: &str, wants: &[&str]) {
    for want in wants {
        assert!(text.contains(want), "{want}: {text}");
    }
}

/// Asserts that ferrossl's transcript is the system's, line for line.
pub fn assert_same_lines(system: &[String], ours: &[String], what: &str) {
    for (s, o) in system.iter().zip(ours) {
        assert_eq!(o, s, "{what}");
    }
    assert_eq!(ours.len(), system.len(), "{what}: {ours:?}");
}

/// The environment that puts a server started by [`Peer`] on `lib`.
pub fn lib_env(lib: Lib) -> Vec<(&'static str, String)> {
    match lib {
        Lib::System => vec![],
        _ => vec![("LD_LIBRARY_PATH", lib_dir().to_string_lossy().into_owned())],
    }
}

/// A program that picks its own port and reports it first ("listening on PORT": the C
/// examples and test servers), so no other test's listener can take its connections.
/// Killed after `secs` at the latest (also when the test fails before `finish`).
pub struct ReportingServer {
    child: Child,
    pub port: u16,
    stdout: BufReader<ChildStdout>,
    done: mpsc::Sender<()>,
}

impl ReportingServer {
    /// Starts `cmd` (its output is piped here) and reads its port.
    pub fn spawn(mut cmd: Command, secs: u64) -> ReportingServer {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let pid = child.id().to_string();
        let (done, stop) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            // Ok only when finish() says so; a timeout or a dropped server kills it.
            if stop.recv_timeout(Duration::from_secs(secs)).is_err() {
                let _ = Command::new("kill").args(["-9", &pid]).status();
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        let port = first
            .trim()
            .strip_prefix("listening on ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"));
        ReportingServer {
            child,
            port,
            stdout,
            done,
        }
    }

    /// Waits for it to exit: its status, and what it printed after the first line on
    /// standard output, then on standard error.
    pub fn finish(mut self) -> (ExitStatus, String) {
        let mut stderr = self.child.stderr.take().unwrap();
        let errors = std::thread::spawn(move || {
            let mut e = String::new();
            let _ = stderr.read_to_string(&mut e);
            e
        });
        let mut rest = String::new();
        let _ = self.stdout.read_to_string(&mut rest);
        let status = self.child.wait().expect("wait");
        let _ = self.done.send(());
        (status, rest + &errors.join().unwrap())
    }
}

/// Runs a script (`interpreter script PKI_DIR`) on the chosen libssl and returns what it
/// printed; scripts end with a line `libssl mapped: PATH` naming the libssl the process
/// mapped.
pub fn run_script(interpreter: &str, script: &str, lib: Lib, secs: u64) -> String {
    run_script_with_libs(interpreter, script, lib, secs, &[])
}

/// As [`run_script`], for an interpreter whose own libraries are in `libs` (searched
/// after ferrossl's directory).
pub fn run_script_with_libs(
    interpreter: &str,
    script: &str,
    lib: Lib,
    secs: u64,
    libs: &[&Path],
) -> String {
    let mut cmd = Command::new(interpreter);
    cmd.env_remove("LD_LIBRARY_PATH")
        .env_remove("LD_PRELOAD")
        .env("PYTHONUNBUFFERED", "1");
    let ours = lib_dir();
    let search: Vec<&Path> = (lib == Lib::Ferrossl)
        .then_some(ours.as_path())
        .into_iter()
        .chain(libs.iter().copied())
        .collect();
    if !search.is_empty() {
        cmd.env("LD_LIBRARY_PATH", std::env::join_paths(search).unwrap());
    }
    cmd.arg(root().join(script)).arg(root().join("tests/pki"));
    let out = run_bounded(cmd, secs);
    assert!(
        out.status.success(),
        "{script} on {lib:?} failed:\n{}",
        text(&out)
    );
    text(&out)
}

/// A script's transcript, and the libssl the process mapped (its last line).
pub fn transcript(out: &str) -> (&str, &str) {
    let body = out.trim_end();
    let (rest, last) = body.rsplit_once('\n').unwrap_or(("", body));
    (rest, last.strip_prefix("libssl mapped: ").unwrap_or(""))
}

/// Runs a script on the system OpenSSL and on ferrossl: both transcripts (the system's
/// must contain `expect`), after checking which libssl each process mapped.
pub fn same_script_transcript(interpreter: &str, script: &str, expect: &str) -> (String, String) {
    same_script_transcript_with_libs(interpreter, script, expect, &[])
}

/// As [`same_script_transcript`], for an interpreter whose own libraries are in `libs`.
pub fn same_script_transcript_with_libs(
    interpreter: &str,
    script: &str,
    expect: &str,
    libs: &[&Path],
) -> (String, String) {
    let system_out = run_script_with_libs(interpreter, script, Lib::System, 120, libs);
    let ours_out = run_script_with_libs(interpreter, script, Lib::Ferrossl, 120, libs);
    let (system, system_lib) = transcript(&system_out);
    let (ours, ours_lib) = transcript(&ours_out);
    assert!(system.contains(expect), "{system_out}");
    assert_eq!(system_lib, "/usr/lib/x86_64-linux-gnu/libssl.so.3");
    assert!(
        ours_lib.contains(&*lib_dir().to_string_lossy()),
        "{interpreter} did not load ferrossl: {ours_lib}"
    );
    (system.to_owned(), ours.to_owned())
}
