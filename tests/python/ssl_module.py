"""Python's ssl module doing real TLS on whichever libssl it was started with.

Run once on the system OpenSSL and once on ferrossl; the test suite compares the output.
Usage: ssl_module.py PKI_DIR
"""
import asyncio
import os
import socket
import ssl
import sys
import threading
import urllib.error
import urllib.request

PKI = sys.argv[1]


def pki(name):
    return os.path.join(PKI, name)


def server_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pki("server-rsa-chain.pem"), pki("server-rsa-key.pem"))
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    ecdsa = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ecdsa.load_cert_chain(pki("server-ecdsa.pem"), pki("server-ecdsa-key.pem"))
    ecdsa.set_alpn_protocols(["h2", "http/1.1"])

    def pick(sock, name, _ctx):
        print("server: SNI", name, flush=True)
        if name == "ecdsa.localhost":
            sock.context = ecdsa

    ctx.sni_callback = pick
    return ctx


SERVER_ERRORS = []


def serve(listener, ctx, count):
    for _ in range(count):
        conn, _ = listener.accept()
        try:
            with ctx.wrap_socket(conn, server_side=True) as tls:
                data = tls.recv(100)
                tls.sendall(b"echo " + data + b" via " + tls.version().encode())
        except (ssl.SSLError, OSError) as e:
            SERVER_ERRORS.append(f"server error: {type(e).__name__} {getattr(e, 'reason', e)}")


def client(port, hostname, alpn, ciphers=None, ca="ca.pem"):
    ctx = ssl.create_default_context(cafile=pki(ca))
    ctx.check_hostname = False
    if ciphers:
        ctx.set_ciphers(ciphers)
    ctx.set_alpn_protocols(alpn)
    with socket.create_connection(("127.0.0.1", port)) as s:
        with ctx.wrap_socket(s, server_hostname=hostname) as t:
            t.sendall(b"ping")
            reply = t.recv(100).decode()
            name = dict(x[0] for x in t.getpeercert()["subject"])["commonName"]
            print("client:", t.version(), t.cipher()[0], t.selected_alpn_protocol(), name, reply)


def socket_server_and_client():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    server = threading.Thread(target=serve, args=(listener, server_context(), 4))
    server.start()
    client(port, "localhost", ["http/1.1"])
    client(port, "ecdsa.localhost", ["h2", "http/1.1"])
    client(port, "localhost", ["x-none"], ciphers="ECDHE+CHACHA20")
    try:
        client(port, "localhost", ["h2"], ca="other-ca.pem")
    except ssl.SSLCertVerificationError as e:
        print("client: verification failed", e.verify_code, e.reason)
    server.join(10)
    listener.close()
    for line in SERVER_ERRORS:
        print(line)


def memory_bios():
    sctx = server_context()
    cctx = ssl.create_default_context(cafile=pki("ca.pem"))
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    client_obj = cctx.wrap_bio(c_in, c_out, server_hostname="localhost")
    server_obj = sctx.wrap_bio(s_in, s_out, server_side=True)
    done = [False, False]
    for _ in range(20):
        for i, (obj, out, peer_in) in enumerate([(client_obj, c_out, s_in), (server_obj, s_out, c_in)]):
            if not done[i]:
                try:
                    obj.do_handshake()
                    done[i] = True
                except ssl.SSLWantReadError:
                    pass
            peer_in.write(out.read())
        if all(done):
            break
    client_obj.write(b"over memory")
    s_in.write(c_out.read())
    print("memory BIO:", client_obj.version(), server_obj.read(100).decode())
    try:
        server_obj.read(100)
    except ssl.SSLWantReadError:
        print("memory BIO: server wants more")


async def asyncio_streams():
    sctx = server_context()

    async def handle(reader, writer):
        data = await reader.readline()
        writer.write(b"async " + data)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=sctx)
    port = server.sockets[0].getsockname()[1]
    cctx = ssl.create_default_context(cafile=pki("ca.pem"))
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=cctx, server_hostname="localhost")
    writer.write(b"hello\n")
    print("asyncio:", (await reader.readline()).decode().strip())
    writer.close()
    server.close()
    await server.wait_closed()


def encrypted_key():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_cert_chain(pki("client.pem"), pki("client-key-enc.pem"), password="secret")
    print("encrypted key: loaded")
    try:
        ctx.load_cert_chain(pki("client.pem"), pki("client-key-enc.pem"), password="wrong")
    except ssl.SSLError as e:
        print("encrypted key: wrong password refused")


def urllib_and_verification(port):
    ctx = ssl.create_default_context(cafile=pki("ca.pem"))
    body = urllib.request.urlopen(f"https://localhost:{port}/", context=ctx, timeout=10).read()
    print("urllib:", body.decode().split("\n")[0])
    try:
        urllib.request.urlopen(f"https://localhost:{port}/", context=ssl.create_default_context(cafile=pki("other-ca.pem")), timeout=10)
    except urllib.error.URLError as e:
        print("urllib wrong CA:", type(e.reason).__name__, e.reason.verify_code)
    with socket.create_connection(("127.0.0.1", port)) as s:
        try:
            ctx.wrap_socket(s, server_hostname="wrong.example")
        except ssl.SSLCertVerificationError as e:
            print("hostname mismatch:", e.verify_code, e.verify_message)


def sessions_and_key_log(port, key_log):
    ctx = ssl.create_default_context(cafile=pki("ca.pem"))
    ctx.keylog_filename = key_log
    session = None
    for attempt in range(2):
        with socket.create_connection(("127.0.0.1", port)) as s:
            with ctx.wrap_socket(s, server_hostname="localhost", session=session) as t:
                t.sendall(b"GET / HTTP/1.0\r\n\r\n")
                while t.recv(4096):
                    pass
                print("session attempt", attempt, "reused:", t.session_reused, "has session:", t.session is not None)
                session = t.session
                t.unwrap()
    with open(key_log) as f:
        labels = sorted({line.split()[0] for line in f if line.strip() and not line.startswith("#")})
    print("key log labels:", " ".join(labels))


def msg_callback_trace(port):
    """SSLContext._msg_callback (OpenSSL's message callback) sees the same handshake
    messages, in each direction, as on OpenSSL."""
    kinds = (ssl._TLSContentType.HANDSHAKE, ssl._TLSContentType.ALERT,
             ssl._TLSContentType.CHANGE_CIPHER_SPEC)
    for version in (ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_2):
        seen = {"read": [], "write": []}

        def record(conn, direction, _version, content_type, msg_type, _data):
            if content_type in kinds:
                seen[direction].append(getattr(msg_type, "name", str(msg_type)))

        ctx = ssl.create_default_context(cafile=pki("ca.pem"))
        ctx.maximum_version = version
        ctx._msg_callback = record
        with socket.create_connection(("127.0.0.1", port)) as sock:
            with ctx.wrap_socket(sock, server_hostname="localhost") as s:
                s.sendall(b"GET / HTTP/1.0\r\n\r\n")
                while s.recv(4096):
                    pass
        print(f"msg_callback {version.name} write:", " ".join(seen["write"]))
        print(f"msg_callback {version.name} read:", " ".join(seen["read"]))


def system_openssl_env():
    """The environment for a peer that must run on the system OpenSSL."""
    return {k: v for k, v in os.environ.items() if k not in ("LD_LIBRARY_PATH", "LD_PRELOAD")}


def openssl_server_peer():
    """A real OpenSSL s_server (libssl variables cleared), for urllib and sessions."""
    import subprocess
    import time
    env = system_openssl_env()
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    proc = subprocess.Popen(
        ["openssl", "s_server", "-accept", f"127.0.0.1:{port}", "-cert", pki("server-rsa.pem"),
         "-key", pki("server-rsa-key.pem"), "-www", "-quiet"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            break
        except OSError:
            time.sleep(0.05)
    return proc, port


def python_server_for_openssl_client():
    """Our Python server answers the real openssl s_client."""
    import subprocess
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    server = threading.Thread(target=serve, args=(listener, server_context(), 1))
    server.start()
    env = system_openssl_env()
    out = subprocess.run(
        ["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-CAfile", pki("ca.pem"),
         "-servername", "localhost", "-alpn", "h2", "-quiet", "-verify_return_error"],
        input=b"hello", env=env, capture_output=True, timeout=20)
    server.join(10)
    listener.close()
    print("openssl s_client got:", out.stdout.decode().strip())


CHANNEL_BINDING_PEER = r"""
import socket, ssl, sys
pki, role, version, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4] if len(sys.argv) > 4 else 0)
if role == "server":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pki + "/server-rsa.pem", pki + "/server-rsa-key.pem")
    ctx.maximum_version = ssl.TLSVersion[version]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(20)
    print(listener.getsockname()[1], flush=True)
    conn, _ = listener.accept()
    with ctx.wrap_socket(conn, server_side=True) as t:
        t.sendall(t.get_channel_binding("tls-unique").hex().encode() + b"\n")
        t.recv(1)
else:
    ctx = ssl.create_default_context(cafile=pki + "/ca.pem")
    ctx.maximum_version = ssl.TLSVersion[version]
    with ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=20),
                         server_hostname="localhost") as t:
        print(t.get_channel_binding("tls-unique").hex(), flush=True)
"""


def channel_bindings():
    """tls-unique (the first Finished message) as this process sees it agrees with what a
    peer on the system OpenSSL sees, with this process as client and as server."""
    import subprocess
    env = system_openssl_env()
    for version in ("TLSv1_3", "TLSv1_2"):
        peer = subprocess.Popen([sys.executable, "-c", CHANNEL_BINDING_PEER, PKI, "server", version],
                                env=env, stdout=subprocess.PIPE)
        try:
            port = int(peer.stdout.readline())
            ctx = ssl.create_default_context(cafile=pki("ca.pem"))
            ctx.maximum_version = ssl.TLSVersion[version]
            with ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=20),
                                 server_hostname="localhost") as t:
                ours = t.get_channel_binding("tls-unique")
                theirs = bytes.fromhex(t.makefile("rb").readline().decode().strip())
                t.sendall(b"x")
        finally:
            peer.wait(20)
        print(f"tls-unique {version} as client: {len(ours)} bytes, agrees {ours == theirs}")

        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(20)
        peer = subprocess.Popen([sys.executable, "-c", CHANNEL_BINDING_PEER, PKI, "client", version,
                                 str(listener.getsockname()[1])], env=env, stdout=subprocess.PIPE)
        try:
            ctx = server_context()
            ctx.maximum_version = ssl.TLSVersion[version]
            conn, _ = listener.accept()
            with ctx.wrap_socket(conn, server_side=True) as t:
                ours = t.get_channel_binding("tls-unique")
            theirs = bytes.fromhex(peer.stdout.readline().decode().strip())
        finally:
            peer.wait(20)
            listener.close()
        print(f"tls-unique {version} as server: {len(ours)} bytes, agrees {ours == theirs}")


socket_server_and_client()
python_server_for_openssl_client()
channel_bindings()
peer, peer_port = openssl_server_peer()
try:
    urllib_and_verification(peer_port)
    sessions_and_key_log(peer_port, os.path.join(os.environ.get("TMPDIR", "/tmp"), f"keys-{os.getpid()}.log"))
    msg_callback_trace(peer_port)
finally:
    peer.terminate()
    peer.wait()
memory_bios()
asyncio.run(asyncio_streams())
encrypted_key()
with open("/proc/self/maps") as maps:
    paths = sorted({line.split()[-1] for line in maps if "libssl.so" in line or "libferrossl" in line})
print("libssl mapped:", " ".join(paths))
