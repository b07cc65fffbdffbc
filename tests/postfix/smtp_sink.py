"""An SMTP server on 127.0.0.1 with STARTTLS (Python's ssl on the system OpenSSL) that
takes a few sessions and prints, for each, the TLS the client negotiated and the
Received headers of the message it delivered. The first line says where it listens.

Usage: smtp_sink.py PKI_DIR SESSIONS
"""
import os
import socket
import ssl
import sys

PKI, SESSIONS = sys.argv[1], int(sys.argv[2])
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(os.path.join(PKI, "server-rsa-chain.pem"), os.path.join(PKI, "server-rsa-key.pem"))

listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(4)
listener.settimeout(60)
print(f"listening on {listener.getsockname()[1]}", flush=True)


def lines(sock):
    buf = b""
    while True:
        while b"\r\n" not in buf:
            data = sock.recv(65536)
            if not data:
                return
            buf += data
        line, buf = buf.split(b"\r\n", 1)
        yield line.decode(errors="replace")


def session(sock):
    sock.settimeout(30)
    sock.sendall(b"220 sink.ferrossl.test ESMTP\r\n")
    tls = None
    reader = lines(sock)
    for line in reader:
        verb = line.split(" ", 1)[0].upper()
        if verb in ("EHLO", "HELO"):
            extensions = "" if tls else "250-STARTTLS\r\n"
            sock.sendall(f"250-sink.ferrossl.test\r\n{extensions}250 8BITMIME\r\n".encode())
        elif verb == "STARTTLS" and not tls:
            sock.sendall(b"220 ready\r\n")
            sock = context.wrap_socket(sock, server_side=True)
            tls = f"{sock.version()} {sock.cipher()[0]}"
            reader = lines(sock)
            return session_after_tls(sock, reader, tls)
        elif verb == "QUIT":
            sock.sendall(b"221 bye\r\n")
            return "no TLS"
        else:
            sock.sendall(b"250 ok\r\n")
    return "closed"


def session_after_tls(sock, reader, tls):
    received = []
    for line in reader:
        verb = line.split(" ", 1)[0].upper()
        if verb in ("EHLO", "HELO"):
            sock.sendall(b"250-sink.ferrossl.test\r\n250 8BITMIME\r\n")
        elif verb == "DATA":
            sock.sendall(b"354 go on\r\n")
            header = []
            for body in reader:
                if body == ".":
                    break
                header.append(body)
            # Received headers, unfolded.
            unfolded = []
            for h in header:
                if h[:1] in (" ", "\t") and unfolded:
                    unfolded[-1] += " " + h.strip()
                elif h == "":
                    break
                else:
                    unfolded.append(h)
            received = [h for h in unfolded if h.lower().startswith("received:")]
            sock.sendall(b"250 queued\r\n")
        elif verb == "QUIT":
            sock.sendall(b"221 bye\r\n")
            break
        else:
            sock.sendall(b"250 ok\r\n")
    return f"{tls}\n" + "\n".join(received)


for _ in range(SESSIONS):
    try:
        conn, _ = listener.accept()
    except socket.timeout:
        break
    try:
        print("session:", session(conn), flush=True)
    except (OSError, ssl.SSLError) as e:
        print("session failed:", type(e).__name__, flush=True)
    finally:
        conn.close()
