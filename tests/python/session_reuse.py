"""Python's ssl module reusing a client session (`wrap_socket(..., session=)`) against a
real `openssl s_server -www` (the system OpenSSL, started here), over TLS 1.3 and 1.2: the
first connection reads the whole page and closes as Python closes (no close_notify of its
own), then its session is offered three times.

Run with /usr/bin/python3 once on the system OpenSSL and once on ferrossl; the test suite
compares the transcripts. The last line names the libssl the process mapped.
Usage: session_reuse.py PKI_DIR
"""
import os
import socket
import ssl
import subprocess
import sys
import time

PKI = sys.argv[1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port):
    env = {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "LD_PRELOAD")}
    server = subprocess.Popen(
        ["openssl", "s_server", "-quiet", "-accept", f"127.0.0.1:{port}", "-www",
         "-cert", os.path.join(PKI, "server-ecdsa.pem"),
         "-key", os.path.join(PKI, "server-ecdsa-key.pem")],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.05)
    server.kill()
    raise SystemExit("s_server did not start")


def fetch(ctx, port, session=None):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="localhost", session=session) as s:
            s.sendall(b"GET / HTTP/1.0\r\n\r\n")
            page = b""
            for _ in range(1000):
                chunk = s.recv(65536)
                if not chunk:
                    break
                page += chunk
            return s.session, s.session_reused, page.startswith(b"HTTP/1.0 200")


def main():
    port = free_port()
    server = start_server(port)
    try:
        for name, version in (("TLSv1.3", ssl.TLSVersion.TLSv1_3), ("TLSv1.2", ssl.TLSVersion.TLSv1_2)):
            ctx = ssl.create_default_context(cafile=os.path.join(PKI, "ca.pem"))
            ctx.minimum_version = ctx.maximum_version = version
            session, reused, ok = fetch(ctx, port)
            print(f"{name} first: reused {reused}, page {ok}, ticket {session.has_ticket}, "
                  f"lifetime hint {session.ticket_lifetime_hint}")
            for i in range(3):
                later, reused, ok = fetch(ctx, port, session)
                print(f"{name} again {i + 1}: reused {reused}, page {ok}")
    finally:
        server.kill()
        server.wait()


main()
with open("/proc/self/maps") as maps:
    paths = sorted({line.split()[-1] for line in maps if "libssl.so" in line or "libferrossl" in line})
print("libssl mapped:", " ".join(paths))
