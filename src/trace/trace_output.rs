//! `FERROSSL_TRACE`: the diagram of every handshake, for any program, without changing it.
//!
//! `FERROSSL_TRACE=stderr` prints each connection's text diagram to stderr when its
//! handshake ends (completed or failed); `FERROSSL_TRACE=<directory>` writes
//! `<pid>-<n>-<client|server>.txt` and `.svg` there instead.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use super::sequence_diagram::{self, DiagramInput};

/// Where diagrams go.
#[derive(Debug)]
pub enum Destination {
    Stderr,
    Directory(PathBuf),
}

static DEST: OnceLock<Option<Destination>> = OnceLock::new();

/// Reads `FERROSSL_TRACE` when the library is loaded, before the program runs: servers
/// such as nginx rewrite their environment before they accept connections.
#[ctor::ctor]
fn read_at_load() {
    let _ = destination();
}

/// The process's `FERROSSL_TRACE` setting, read once.
pub fn destination() -> Option<&'static Destination> {
    DEST.get_or_init(|| {
        let v = std::env::var_os("FERROSSL_TRACE")?;
        if v.is_empty() {
            return None;
        }
        Some(if v == "stderr" {
            Destination::Stderr
        } else {
            Destination::Directory(PathBuf::from(v))
        })
    })
    .as_ref()
}

/// A number for the next traced connection of this process (1, 2, ...).
pub fn next_connection_number() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Writes the diagram of connection `n` where `FERROSSL_TRACE` says. Failures to write
/// are reported on stderr once per connection and never disturb the connection.
pub fn emit(input: &DiagramInput, n: u64, to_stderr_too: bool) {
    let Some(dest) = destination() else { return };
    match dest {
        Destination::Stderr => {
            if to_stderr_too {
                let text = sequence_diagram::text(input);
                let _ = std::io::stderr().lock().write_all(text.as_bytes());
            }
        }
        Destination::Directory(dir) => {
            let side = if input.server { "server" } else { "client" };
            let stem = format!("{}-{n}-{side}", std::process::id());
            let written = std::fs::create_dir_all(dir)
                .and_then(|_| {
                    std::fs::write(
                        dir.join(format!("{stem}.txt")),
                        sequence_diagram::text(input),
                    )
                })
                .and_then(|_| {
                    std::fs::write(
                        dir.join(format!("{stem}.svg")),
                        sequence_diagram::svg(input),
                    )
                });
            if let Err(e) = written {
                eprintln!(
                    "ferrossl: FERROSSL_TRACE: cannot write {}: {e}",
                    dir.display()
                );
            }
        }
    }
}
