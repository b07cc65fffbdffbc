"""Which group a TLS 1.3 server picks for a ClientHello that lists X25519 before
X25519MLKEM768 but carries shares of both: the server chooses, so its own preference
shows. The hello is a real one (sent by a client on ferrossl with its default groups,
captured here), with its supported_groups list reordered; the server's ServerHello is read
and its key_share group printed. No handshake is finished.

Usage: group_preference.py CAPTURE_PORT SERVER_PORT
  (a client must connect to 127.0.0.1:CAPTURE_PORT once; the server listens on SERVER_PORT)
"""
import socket
import struct
import sys

X25519, HYBRID = 0x001D, 0x11EC


def read_record(sock):
    head = b""
    while len(head) < 5:
        chunk = sock.recv(5 - len(head))
        if not chunk:
            raise SystemExit("connection closed before a record arrived")
        head += chunk
    length = struct.unpack("!H", head[3:5])[0]
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            raise SystemExit("connection closed inside a record")
        body += chunk
    return head, body


def extensions(data):
    """(type, offset of the body, body) of each extension in an extension block."""
    out, i = [], 0
    while i + 4 <= len(data):
        t, n = struct.unpack("!HH", data[i:i + 4])
        out.append((t, i + 4, data[i + 4:i + 4 + n]))
        i += 4 + n
    return out


def hello_extensions_offset(body, server):
    """Where a hello's extension block (after its 2-byte length) starts in `body`."""
    i = 4 + 2 + 32
    i += 1 + body[i]
    if server:
        i += 2 + 1
    else:
        i += 2 + struct.unpack("!H", body[i:i + 2])[0]
        i += 1 + body[i]
    return i + 2


def capture_client_hello(port):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(1)
    print("listening", flush=True)
    listener.settimeout(20)
    conn, _ = listener.accept()
    conn.settimeout(10)
    head, body = read_record(conn)
    conn.close()
    listener.close()
    return head, bytearray(body)


def main():
    capture_port, server_port = int(sys.argv[1]), int(sys.argv[2])
    head, body = capture_client_hello(capture_port)
    start = hello_extensions_offset(body, server=False)
    shares = []
    for t, at, ext in extensions(bytes(body[start:])):
        if t == 0x000A:
            groups = [struct.unpack("!H", ext[k:k + 2])[0] for k in range(2, len(ext), 2)]
            print("client groups:", " ".join(f"{g:04x}" for g in groups))
            reordered = [X25519] + [g for g in groups if g != X25519]
            at += start
            body[at + 2:at + len(ext)] = b"".join(struct.pack("!H", g) for g in reordered)
            print("sent groups:", " ".join(f"{g:04x}" for g in reordered))
        if t == 0x0033:
            k = 2
            while k + 4 <= len(ext):
                g, n = struct.unpack("!HH", ext[k:k + 4])
                shares.append(g)
                k += 4 + n
    print("client shares:", " ".join(f"{g:04x}" for g in shares))
    with socket.create_connection(("127.0.0.1", server_port), timeout=10) as s:
        s.sendall(head + bytes(body))
        rhead, rbody = read_record(s)
    if rhead[0] != 0x16 or rbody[0] != 0x02:
        raise SystemExit(f"no ServerHello: record {rhead.hex()} {rbody[:8].hex()}")
    retry = rbody[6:38] == bytes.fromhex(
        "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C")
    start = hello_extensions_offset(rbody, server=True)
    for t, _, ext in extensions(rbody[start:]):
        if t == 0x0033:
            kind = "HelloRetryRequest" if retry else "ServerHello"
            print(f"{kind} group: {struct.unpack('!H', ext[:2])[0]:04x}", flush=True)


if __name__ == "__main__":
    main()
