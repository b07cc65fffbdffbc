"""A hostile TLS client for the conformance suite: each case connects to a server on
127.0.0.1, sends something the RFCs say a server must refuse (or must accept), and
reports what came back: the first alert (plaintext, or decrypted with the keys the
connection has), the server's hello, or a close without an alert. Standard library and
`cryptography` only (X25519, AES-128-GCM); no certificate is checked.

  hostile_client.py PORT CASE...     one line per case: "CASE: OUTCOME"
"""

import hashlib
import hmac
import socket
import struct
import sys

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HANDSHAKE, ALERT, CCS, APPDATA = 22, 21, 20, 23
ALERTS = {
    0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
    22: "record_overflow", 40: "handshake_failure", 42: "bad_certificate",
    47: "illegal_parameter", 50: "decode_error", 51: "decrypt_error",
    70: "protocol_version", 80: "internal_error", 109: "missing_extension",
    110: "unsupported_extension",
}
TIMEOUT = 5


def u8(n):
    return bytes([n])


def u16(n):
    return struct.pack(">H", n)


def u24(n):
    return struct.pack(">I", n)[1:]


def vec8(b):
    return u8(len(b)) + b


def vec16(b):
    return u16(len(b)) + b


def ext(t, body):
    return u16(t) + vec16(body)


def record(typ, body, version=0x0303):
    return u8(typ) + u16(version) + vec16(body)


def message(typ, body):
    return u8(typ) + u24(len(body)) + body


# Signature schemes: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256 and
# their SHA-384 forms.
SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501]


def client_hello(key_share=None, legacy_version=0x0303, tls13=True, sigalgs=SIGALGS,
                 extra=b"", point_formats=False, suites=None, groups=(0x001D, 0x0017)):
    """A ClientHello: TLS 1.3 (with an X25519 share unless key_share is False) or, with
    tls13=False, TLS 1.2 with ECDHE suites."""
    exts = ext(0x000A, vec16(b"".join(u16(g) for g in groups)))
    exts += ext(0x000D, vec16(b"".join(u16(s) for s in sigalgs)))
    if point_formats:
        exts += ext(0x000B, vec8(b"\x00"))
    if tls13:
        exts += ext(0x002B, vec8(u16(0x0304)))
        if key_share is not None:
            exts += ext(0x0033, vec16(u16(0x001D) + vec16(key_share)))
        suites = suites or [0x1301]
    else:
        suites = suites or [0xC02B, 0xC02F, 0xC02C, 0xC030]
    exts += extra
    body = u16(legacy_version) + b"\x11" * 32 + vec8(b"\x22" * 32)
    body += vec16(b"".join(u16(s) for s in suites)) + vec8(b"\x00") + vec16(exts)
    return message(1, body)


def new_share():
    """A fresh X25519 public key (the cases that never finish a handshake)."""
    return X25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def padding(n):
    """A padding extension (RFC 7685) of n bytes of body."""
    return ext(0x0015, b"\x00" * n)


def expand_label(secret, label, context, length):
    info = u16(length) + vec8(b"tls13 " + label) + vec8(context)
    out, block, i = b"", b"", 1
    while len(out) < length:
        block = hmac.new(secret, block + info + u8(i), hashlib.sha256).digest()
        out += block
        i += 1
    return out[:length]


def extract(salt, ikm):
    return hmac.new(salt, ikm, hashlib.sha256).digest()


class Keys:
    """One direction's AES-128-GCM record protection."""

    def __init__(self, secret):
        self.secret = secret
        self.aead = AESGCM(expand_label(secret, b"key", b"", 16))
        self.iv = expand_label(secret, b"iv", b"", 12)
        self.seq = 0

    def nonce(self):
        n = bytes(a ^ b for a, b in zip(self.iv, self.seq.to_bytes(12, "big")))
        self.seq += 1
        return n

    def seal(self, inner, typ=None):
        """A record carrying `inner` plus content type `typ` (none if typ is None)."""
        plain = inner + (u8(typ) if typ is not None else b"")
        header = u8(APPDATA) + u16(0x0303) + u16(len(plain) + 16)
        return header + self.aead.encrypt(self.nonce(), plain, header)

    def open(self, rec):
        plain = self.aead.decrypt(self.nonce(), rec[5:], rec[:5]).rstrip(b"\x00")
        return plain[-1], plain[:-1]


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self.buf = b""
        self.read_keys = None
        self.write_keys = None

    def send(self, data):
        self.sock.sendall(data)

    def record(self):
        """The next record, or None at the end of the stream (or a timeout)."""
        while len(self.buf) < 5 or len(self.buf) < 5 + int.from_bytes(self.buf[3:5], "big"):
            try:
                chunk = self.sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                return None
            if not chunk:
                return None
            self.buf += chunk
        n = 5 + int.from_bytes(self.buf[3:5], "big")
        rec, self.buf = self.buf[:n], self.buf[n:]
        return rec

    def outcome(self):
        """What the server answers: its first alert, its hello, or a close."""
        while True:
            rec = self.record()
            if rec is None:
                return "closed without alert"
            typ, body = rec[0], rec[5:]
            if typ == APPDATA and self.read_keys:
                try:
                    typ, body = self.read_keys.open(rec)
                except Exception:
                    return "undecryptable record"
            if typ == ALERT:
                return "alert " + ALERTS.get(body[1], str(body[1]))
            if typ == HANDSHAKE and body[:1] == b"\x02":
                return "server hello"
            # Anything else (a ticket, a ChangeCipherSpec): keep reading.


def handshake(port, extra=b""):
    """A full TLS 1.3 handshake; the connection with application keys in place."""
    c = Conn(port)
    key = X25519PrivateKey.generate()
    pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    ch = client_hello(pub, extra=extra)
    c.send(record(HANDSHAKE, ch, 0x0301))
    transcript = ch
    rec = c.record()
    assert rec and rec[0] == HANDSHAKE and rec[5] == 2, "no ServerHello"
    sh = rec[5:]
    transcript += sh
    exts = sh[4 + 2 + 32 + 1 + sh[4 + 2 + 32] + 3 + 2:]
    share = None
    while exts:
        t, n = int.from_bytes(exts[:2], "big"), int.from_bytes(exts[2:4], "big")
        if t == 0x0033:
            share = exts[4 + 4:4 + n]
        exts = exts[4 + n:]
    shared = key.exchange(X25519PublicKey.from_public_bytes(share))
    empty = hashlib.sha256(b"").digest()
    early = extract(b"\x00" * 32, b"\x00" * 32)
    hs = extract(expand_label(early, b"derived", empty, 32), shared)
    th = hashlib.sha256(transcript).digest()
    c_hs = expand_label(hs, b"c hs traffic", th, 32)
    s_hs = expand_label(hs, b"s hs traffic", th, 32)
    c.read_keys = Keys(s_hs)
    msgs = b""
    while True:
        rec = c.record()
        assert rec, "the server's flight ended early"
        if rec[0] == CCS:
            continue
        typ, body = c.read_keys.open(rec)
        assert typ == HANDSHAKE, "unexpected record in the server's flight"
        msgs += body
        # Split complete messages; stop after Finished (20).
        done = False
        while len(msgs) >= 4 and len(msgs) >= 4 + int.from_bytes(msgs[1:4], "big"):
            n = 4 + int.from_bytes(msgs[1:4], "big")
            m, msgs = msgs[:n], msgs[n:]
            transcript += m
            done = m[0] == 20
        if done:
            break
    th = hashlib.sha256(transcript).digest()
    master = extract(expand_label(hs, b"derived", empty, 32), b"\x00" * 32)
    c_ap = expand_label(master, b"c ap traffic", th, 32)
    s_ap = expand_label(master, b"s ap traffic", th, 32)
    finished_key = expand_label(c_hs, b"finished", b"", 32)
    fin = message(20, hmac.new(finished_key, th, hashlib.sha256).digest())
    c.send(record(CCS, b"\x01") + Keys(c_hs).seal(fin, HANDSHAKE))
    c.read_keys = Keys(s_ap)
    c.write_keys = Keys(c_ap)
    return c


def plain_case(port, data):
    c = Conn(port)
    c.send(data)
    return c.outcome()


def case_not_client_hello(port):
    # A ServerHello-typed first message.
    return plain_case(port, record(HANDSHAKE, message(2, b"\x03\x03" + b"\x00" * 38)))


def case_interleaved(port):
    ch = client_hello(new_share())
    half = len(ch) // 2
    return plain_case(port, record(HANDSHAKE, ch[:half]) + record(APPDATA, b"\x00" * 20)
                      + record(HANDSHAKE, ch[half:]))


def case_legacy_version_0300(port):
    share = new_share()
    return plain_case(port, record(HANDSHAKE, client_hello(share, legacy_version=0x0300)))


def case_plaintext_overflow(port):
    share = new_share()
    ch = client_hello(share)
    # Padded so that the one record holding it carries 2^14 + 1 bytes.
    ch = client_hello(share, extra=padding(16385 - len(ch) - 4))
    return plain_case(port, record(HANDSHAKE, ch))


def case_big_client_hello(port):
    # 40 KiB over three records: large, and valid.
    share = new_share()
    ch = client_hello(share, extra=padding(40000))
    return plain_case(port, b"".join(record(HANDSHAKE, ch[i:i + 16384])
                                     for i in range(0, len(ch), 16384)))


def case_missing_key_share(port):
    return plain_case(port, record(HANDSHAKE, client_hello(None)))


def case_tls12_ecdsa_sha384_only(port):
    return plain_case(port, record(HANDSHAKE, client_hello(
        tls13=False, sigalgs=[0x0503], suites=[0xC02B, 0xC02C])))


def case_tls12_no_usable_sigalg(port):
    # ed448 only.
    return plain_case(port, record(HANDSHAKE, client_hello(tls13=False, sigalgs=[0x0808])))


def case_tls12_point_formats(port):
    c = Conn(port)
    c.send(record(HANDSHAKE, client_hello(tls13=False, point_formats=True)))
    rec = c.record()
    if not rec or rec[0] != HANDSHAKE or rec[5] != 2:
        return "no server hello"
    sh = rec[5:]
    body = sh[4:4 + int.from_bytes(sh[1:4], "big")]
    at = 2 + 32 + 1 + body[34] + 2 + 1
    exts = body[at + 2:]
    types = []
    while len(exts) >= 4:
        types.append(int.from_bytes(exts[:2], "big"))
        exts = exts[4 + int.from_bytes(exts[2:4], "big"):]
    return "ec_point_formats %s" % ("echoed" if 0x000B in types else "not echoed")


def after_handshake(port, send):
    c = handshake(port)
    c.send(send(c.write_keys))
    return c.outcome()


def case_inner_type_missing(port):
    return after_handshake(port, lambda k: k.seal(b"\x00" * 8))


def case_ciphertext_overflow(port):
    return after_handshake(port, lambda k: u8(APPDATA) + u16(0x0303) + u16(16384 + 256 + 1)
                           + b"\x00" * (16384 + 256 + 1))


def case_inner_plaintext_overflow(port):
    return after_handshake(port, lambda k: k.seal(b"A" * 16385, APPDATA))


def case_keyupdate_bad_request(port):
    return after_handshake(port, lambda k: k.seal(message(24, b"\x02"), HANDSHAKE))


def case_keyupdate_bad_length(port):
    return after_handshake(port, lambda k: k.seal(message(24, b"\x00\x00"), HANDSHAKE))


def case_keyupdate_split(port):
    # A KeyUpdate split over two records, the second of another type.
    return after_handshake(port, lambda k: k.seal(message(24, b"\x00")[:2], HANDSHAKE)
                           + k.seal(b"hello", APPDATA))


def case_valid_client(port):
    c = handshake(port)
    c.send(c.write_keys.seal(b"GET / HTTP/1.0\r\n\r\n", APPDATA))
    while True:
        rec = c.record()
        if rec is None:
            return "closed without alert"
        typ, body = c.read_keys.open(rec)
        if typ == APPDATA:
            return "application data"
        if typ == ALERT:
            return "alert " + ALERTS.get(body[1], str(body[1]))


def main():
    port = int(sys.argv[1])
    for name in sys.argv[2:]:
        try:
            outcome = globals()["case_" + name.replace("-", "_")](port)
        except AssertionError as e:
            outcome = "client failed: %s" % e
        print("%s: %s" % (name, outcome), flush=True)


if __name__ == "__main__":
    main()
