"""A hostile middlebox between a real TLS client and a server on 127.0.0.1, for one
connection. It relays TLS records and misbehaves as told:

  relay             misbehave in no way (for clients that misbehave themselves)
  cut:DIR:N:after   forward the N-th record (1-based) sent in DIR, then hang up
  cut:DIR:N:mid     forward half of the N-th record sent in DIR, then hang up
  trickle:DIR:MS:K  forward DIR's first K bytes one at a time, MS milliseconds apart
  bad-finished:KEYLOG   re-seal the client's TLS 1.3 Finished (AES-128-GCM) with one
                        byte of its verify_data changed, using the client's key log
  data-after-close  (TLS 1.2) hold the client's first application-data record back and
                    send it after the client's close_notify

DIR is c2s (client to server) or s2c. "Hang up" closes the writing side towards both
ends and drains what is still coming, so the other ends see an end of file, never a
reset. Prints "listening on PORT" once ready. Standard library and `cryptography` only.

  hostile_proxy.py UPSTREAM_PORT MODE
"""

import hashlib
import hmac
import select
import socket
import sys
import time


def records(buf):
    """Splits complete records off the front of buf; returns (records, rest)."""
    out = []
    while len(buf) >= 5:
        n = 5 + int.from_bytes(buf[3:5], "big")
        if len(buf) < n:
            break
        out.append(buf[:n])
        buf = buf[n:]
    return out, buf


def hkdf_expand_label(secret, label, length):
    info = (
        length.to_bytes(2, "big")
        + bytes([len(b"tls13 " + label)])
        + b"tls13 "
        + label
        + b"\x00"
    )
    out, block, i = b"", b"", 1
    while len(out) < length:
        block = hmac.new(secret, block + info + bytes([i]), hashlib.sha256).digest()
        out += block
        i += 1
    return out[:length]


class BadFinished:
    """Rewrites the client's first encrypted handshake record (its Finished)."""

    def __init__(self, keylog):
        self.keylog = keylog
        self.client_random = None
        self.done = False

    def c2s(self, rec):
        if self.client_random is None and rec[0] == 22 and rec[5] == 1:
            self.client_random = rec[11:43]
        if self.done or rec[0] != 23:
            return rec
        self.done = True
        secret = None
        for _ in range(50):
            with open(self.keylog) as f:
                for line in f:
                    parts = line.split()
                    if (
                        len(parts) == 3
                        and parts[0] == "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
                        and bytes.fromhex(parts[1]) == self.client_random
                    ):
                        secret = bytes.fromhex(parts[2])
            if secret:
                break
            time.sleep(0.1)
        if secret is None:
            sys.exit("no client handshake secret in the key log")
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        key = hkdf_expand_label(secret, b"key", 16)
        iv = hkdf_expand_label(secret, b"iv", 12)  # sequence number 0
        aead = AESGCM(key)
        inner = bytearray(aead.decrypt(iv, rec[5:], rec[:5]))
        assert inner[0] == 20, "the first encrypted client record is not its Finished"
        inner[4] ^= 0x01  # the first byte of verify_data
        return rec[:5] + aead.encrypt(iv, bytes(inner), rec[:5])


class DataAfterClose:
    def __init__(self):
        self.held = None

    def c2s(self, rec):
        if rec[0] == 23 and self.held is None:
            self.held = rec
            return b""
        if rec[0] == 21 and self.held is not None:
            held, self.held = self.held, b""
            return rec + held
        return rec


def hang_up(socks):
    for s in socks:
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
    deadline = time.time() + 5
    open_socks = list(socks)
    while open_socks and time.time() < deadline:
        ready, _, _ = select.select(open_socks, [], [], 0.2)
        for s in ready:
            try:
                if not s.recv(65536):
                    open_socks.remove(s)
            except OSError:
                open_socks.remove(s)
    for s in socks:
        s.close()


def main():
    upstream_port, mode = int(sys.argv[1]), sys.argv[2]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(30)
    print("listening on", listener.getsockname()[1], flush=True)
    client, _ = listener.accept()
    server = socket.create_connection(("127.0.0.1", upstream_port), timeout=30)
    ends = {"c2s": (client, server), "s2c": (server, client)}
    pending = {"c2s": b"", "s2c": b""}
    count = {"c2s": 0, "s2c": 0}
    parts = mode.split(":")
    rewriter = None
    if parts[0] == "bad-finished":
        rewriter = BadFinished(parts[1])
    elif parts[0] == "data-after-close":
        rewriter = DataAfterClose()
    deadline = time.time() + 30
    closed = set()
    trickled = 0
    while len(closed) < 2 and time.time() < deadline:
        ready, _, _ = select.select([client, server], [], [], 0.2)
        for sock in ready:
            direction = "c2s" if sock is client else "s2c"
            src, dst = ends[direction]
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                closed.add(direction)
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                if len(closed) == 2:
                    break
                continue
            if parts[0] == "trickle" and parts[1] == direction and trickled < int(parts[3]):
                for i in range(len(data)):
                    dst.sendall(data[i : i + 1])
                    trickled += 1
                    if trickled < int(parts[3]):
                        time.sleep(int(parts[2]) / 1000)
                continue
            recs, pending[direction] = records(pending[direction] + data)
            for rec in recs:
                count[direction] += 1
                if parts[0] == "cut" and parts[1] == direction and count[direction] == int(parts[2]):
                    dst.sendall(rec if parts[3] == "after" else rec[: len(rec) // 2])
                    hang_up([client, server])
                    return
                if rewriter is not None and direction == "c2s":
                    rec = rewriter.c2s(rec)
                dst.sendall(rec)
    client.close()
    server.close()


if __name__ == "__main__":
    main()
