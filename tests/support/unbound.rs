//! unbound in the foreground with its configuration in a scratch directory: the DNS
//! servers of the DNS-over-TLS and DANE tests.

use std::path::Path;

use super::{lib_env, Lib, Peer};

/// Starts `unbound -d` on `lib` listening on 127.0.0.1 at `port` (TCP, which it is waited
/// for, and UDP), with `server` added to its `server:` clause and `tail` after it.
pub fn unbound(lib: Lib, dir: &Path, port: u16, server: &str, tail: &str) -> Peer {
    let d = dir.display();
    let conf = format!(
        "server:
  interface: 127.0.0.1@{port}
  do-daemonize: no
  username: \"\"
  chroot: \"\"
  directory: \"{d}\"
  pidfile: \"{d}/unbound.pid\"
  use-syslog: no
  logfile: \"\"
  do-ip6: no
  access-control: 127.0.0.0/8 allow
{server}
{tail}
remote-control:
  control-enable: no
"
    );
    let path = dir.join("unbound.conf");
    std::fs::write(&path, conf).unwrap();
    let args = vec![
        "-d".to_owned(),
        "-c".to_owned(),
        path.to_string_lossy().into_owned(),
    ];
    Peer::server_with_env("unbound", &args, port, &lib_env(lib))
}
