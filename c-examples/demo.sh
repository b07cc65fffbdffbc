#!/usr/bin/env bash
# The main job: real TLS connections through ferrossl on loopback.
# Builds ferrossl, starts the system's `openssl s_server` (real OpenSSL) on 127.0.0.1,
# and runs the unmodified blocking client example, compiled against the system's
# OpenSSL headers, on ferrossl via LD_LIBRARY_PATH; it prints what was negotiated. Then
# Debian's own curl does the same on ferrossl.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
lib="$PWD/target/release"
pki="$PWD/tests/pki"
bin="$lib/demo"
mkdir -p "$bin"
cc -O1 -Ic-examples c-examples/client.c -o "$bin/client" -lssl -lcrypto

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
env -u LD_LIBRARY_PATH -u LD_PRELOAD openssl s_server -accept "127.0.0.1:$port" \
    -cert "$pki/server-rsa.pem" -key "$pki/server-rsa-key.pem" -alpn h2,http/1.1 -www \
    >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

echo "== client on ferrossl ($(readlink -f "$lib/libssl.so.3")) -> openssl s_server on 127.0.0.1:$port"
LD_LIBRARY_PATH="$lib" timeout 20 "$bin/client" 127.0.0.1 "$port" -CAfile "$pki/ca.pem" \
    -servername localhost -alpn h2,http/1.1 | sed -n '1,7p'
echo "== libssl the client loaded:"
LD_LIBRARY_PATH="$lib" ldd "$bin/client" | grep libssl
if command -v curl >/dev/null; then
    echo "== curl (Debian's, unmodified) on ferrossl, same server:"
    LD_LIBRARY_PATH="$lib" curl -sv --http1.1 --max-time 10 --cacert "$pki/ca.pem" "https://localhost:$port/" -o /dev/null 2>&1 |
        grep -E "SSL connection|ALPN|subject:|verify ok" || true
fi
