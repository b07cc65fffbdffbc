#!/usr/bin/env bash
# The main job: real programs doing TLS through ferrossl on loopback, each handshake drawn.
#
# 1. Debian's curl fetches a page from Python's http.server over TLS. Both run unmodified
#    on ferrossl (LD_LIBRARY_PATH) with FERROSSL_TRACE pointing at a directory, so that
#    ferrossl draws every handshake they make: the client's and the server's sequence
#    diagrams are printed below, and SVG versions are written beside them. First with
#    TLS 1.3, then with TLS 1.2.
# 2. The unmodified C example client (compiled against the system's OpenSSL headers) on
#    ferrossl against the system's real `openssl s_server`, printing what was negotiated.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
lib="$PWD/target/release"
pki="$PWD/tests/pki"
bin="$lib/demo"
trace="$PWD/target/demo-trace"
mkdir -p "$bin"
rm -rf "$trace"
mkdir -p "$trace"
cc -O1 -Ic-examples c-examples/client.c -o "$bin/client" -lssl -lcrypto
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; }

port=$(free_port)
ready="$trace/.ready"
# Python's own http.server behind its ssl module (bounded to 60 s; stopped at the end).
LD_LIBRARY_PATH="$lib" FERROSSL_TRACE="$trace" timeout 60 python3 -c '
import http.server, ssl, sys
port, cert, key, ready = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
ctx.set_alpn_protocols(["http/1.1"])
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass
srv = http.server.HTTPServer(("127.0.0.1", port), Quiet)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
open(ready, "w").close()
srv.serve_forever()
' "$port" "$pki/server-rsa.pem" "$pki/server-rsa-key.pem" "$ready" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -e "$ready" ] && break; sleep 0.1; done

for tls in 1.3 1.2; do
    echo "== curl (Debian's, unmodified) on ferrossl -> Python http.server on ferrossl, TLS $tls"
    LD_LIBRARY_PATH="$lib" FERROSSL_TRACE="$trace" curl -s --http1.1 --max-time 10 \
        --tlsv"$tls" --tls-max "$tls" --cacert "$pki/ca.pem" \
        -o /dev/null -w 'HTTP %{http_code}, %{size_download} bytes\n' "https://localhost:$port/README.md"
    sleep 0.2
    for side in client server; do
        f=$(ls "$trace"/*-"$side".txt | head -1)
        echo "-- $side's diagram ($f, and ${f%.txt}.svg):"
        cat "$f"
    done
    mkdir -p "$trace/tls$tls"
    mv "$trace"/*.txt "$trace"/*.svg "$trace/tls$tls/"
done
kill "$server" 2>/dev/null || true
echo "== diagrams written:" "$trace"/tls*/*

port=$(free_port)
env -u LD_LIBRARY_PATH -u LD_PRELOAD openssl s_server -accept "127.0.0.1:$port" \
    -cert "$pki/server-rsa.pem" -key "$pki/server-rsa-key.pem" -alpn h2,http/1.1 -www \
    >/dev/null 2>&1 &
s_server=$!
trap 'kill $server $s_server 2>/dev/null || true' EXIT
wait_port "$port"
echo "== example client on ferrossl ($(readlink -f "$lib/libssl.so.3")) -> openssl s_server on 127.0.0.1:$port"
LD_LIBRARY_PATH="$lib" timeout 20 "$bin/client" 127.0.0.1 "$port" -CAfile "$pki/ca.pem" \
    -servername localhost -alpn h2,http/1.1 | sed -n '1,7p'
echo "== libssl the client loaded:"
LD_LIBRARY_PATH="$lib" ldd "$bin/client" | grep libssl
