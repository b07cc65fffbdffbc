"""pyOpenSSL (Debian's python3-openssl, on python3-cryptography's bindings to libssl.so.3)
doing real TLS on whichever libssl it was started with.

Run with /usr/bin/python3 once on the system OpenSSL and once on ferrossl; the test suite
compares the transcripts. The last line names the libssl the process mapped.
Usage: pyopenssl.py PKI_DIR
"""
import os
import socket
import sys
import threading

from OpenSSL import SSL, crypto

PKI = sys.argv[1]


def pki(name):
    return os.path.join(PKI, name)


def server_context(cert="server-rsa-chain.pem", key="server-rsa-key.pem"):
    ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    ctx.use_certificate_chain_file(pki(cert))
    ctx.use_privatekey_file(pki(key))
    ctx.check_privatekey()
    ctx.set_alpn_select_callback(lambda conn, offered: b"http/1.1" if b"http/1.1" in offered else offered[0])
    return ctx


def sni_server_context():
    """An RSA context whose servername callback moves 'ecdsa.test' to an ECDSA context."""
    rsa = server_context()
    ecdsa = server_context("server-ecdsa.pem", "server-ecdsa-key.pem")
    seen = []

    def pick(conn):
        name = conn.get_servername()
        seen.append(name)
        if name == b"ecdsa.test":
            conn.set_context(ecdsa)

    rsa.set_tlsext_servername_callback(pick)
    return rsa, seen


def client_context(ca="ca.pem", calls=None, max_version=None):
    ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
    ctx.load_verify_locations(pki(ca))
    if max_version is not None:
        ctx.set_max_proto_version(max_version)

    def verify(conn, cert, errnum, depth, ok):
        if calls is not None:
            calls.append(f"depth={depth} ok={ok} err={errnum} {cert.get_subject().CN}")
        return ok

    ctx.set_verify(SSL.VERIFY_PEER, verify)
    ctx.set_alpn_protos([b"h2", b"http/1.1"])
    return ctx


def why(e):
    """The reason OpenSSL's error queue gave, or the exception's own words."""
    first = e.args[0] if e.args else None
    if isinstance(first, list) and first:
        return first[0][2]
    return f"{type(e).__name__} {e.args}"


def describe(conn):
    peer = conn.get_peer_certificate()
    return (
        f"{conn.get_protocol_version_name()} {conn.get_cipher_name()} "
        f"alpn={conn.get_alpn_proto_negotiated().decode() or '(none)'} "
        f"peer={peer.get_subject().CN if peer else '(none)'}"
    )


def pump(a, b):
    """Moves what each memory-BIO connection wrote to the other; how many bytes moved."""
    moved = 0
    for src, dst in ((a, b), (b, a)):
        try:
            data = src.bio_read(65536)
        except SSL.WantReadError:
            continue
        dst.bio_write(data)
        moved += len(data)
    return moved


def step(conn):
    try:
        conn.do_handshake()
        return True
    except SSL.WantReadError:
        return False


def memory_bio_pair(server_ctx, client_ctx, name):
    server = SSL.Connection(server_ctx, None)
    server.set_accept_state()
    client = SSL.Connection(client_ctx, None)
    client.set_connect_state()
    client.set_tlsext_host_name(name)
    for _ in range(20):
        done = [step(client), step(server)]
        if pump(client, server) == 0 and all(done):
            break
    return server, client


def memory_bios():
    server_ctx, seen = sni_server_context()
    for name in (b"localhost", b"ecdsa.test"):
        calls = []
        server, client = memory_bio_pair(server_ctx, client_context(calls=calls), name)
        client.send(b"ping over memory BIOs")
        pump(client, server)
        got = server.recv(1024)
        print(f"memory BIO {name.decode()}: {describe(client)} server got {got!r}")
        print(f"  servername seen by server: {seen[-1].decode()}, verify callback: {calls}")
        print(f"  server side: {server.get_protocol_version_name()} sni={server.get_servername()}")
    # Verification failure: the client trusts another CA.
    calls = []
    try:
        memory_bio_pair(server_context(), client_context("other-ca.pem", calls), b"localhost")
        print("wrong CA: handshake succeeded")
    except SSL.Error as e:
        print(f"wrong CA: {why(e)}")
    print(f"  verify callback: {calls}")


def socket_server_and_client():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]
    ctx = server_context()
    ctx.load_verify_locations(pki("ca.pem"))
    ctx.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT, lambda *args: args[-1])
    results = []

    def serve():
        for _ in range(3):
            sock, _ = listener.accept()
            # Blocking sockets: pyOpenSSL reports a timeout as WantReadError. The test
            # suite bounds the whole run.
            conn = SSL.Connection(ctx, sock)
            conn.set_accept_state()
            try:
                conn.do_handshake()
                line = conn.recv(1024)
                conn.sendall(f"{describe(conn)} got {line.decode()}".encode())
                conn.shutdown()
            except SSL.Error as e:
                results.append(f"server refused: {why(e)}")
            finally:
                sock.close()

    thread = threading.Thread(target=serve)
    thread.start()
    for label, cert, max_version in (
        ("client certificate", True, None),
        ("TLS 1.2 limit", True, SSL.TLS1_2_VERSION),
        ("no client certificate", False, None),
    ):
        client_ctx = client_context(max_version=max_version)
        if cert:
            client_ctx.use_certificate_file(pki("client.pem"))
            client_ctx.use_privatekey_file(pki("client-key.pem"))
        sock = socket.create_connection(("127.0.0.1", port))
        conn = SSL.Connection(client_ctx, sock)
        conn.set_tlsext_host_name(b"localhost")
        conn.set_connect_state()
        try:
            conn.do_handshake()
            conn.sendall(b"hello")
            reply = conn.recv(1024).decode()
            print(f"socket {label}: client {describe(conn)}")
            print(f"  server said: {reply}")
        except SSL.Error as e:
            print(f"socket {label}: {why(e)}")
        finally:
            sock.close()
    thread.join(30)
    listener.close()
    for r in results:
        print(r)


memory_bios()
socket_server_and_client()
print(f"certificate loaded by crypto: {crypto.load_certificate(crypto.FILETYPE_PEM, open(pki('ca.pem'), 'rb').read()).get_subject().CN}")
with open("/proc/self/maps") as maps:
    paths = sorted({line.split()[-1] for line in maps if "libssl.so" in line or "libferrossl" in line})
print("libssl mapped:", " ".join(paths))
