"""Submits one message to an SMTP server on 127.0.0.1 over STARTTLS, verifying it with
the test CA (Python's smtplib on the system OpenSSL), and says what TLS it got.

Usage: submit.py PORT CA_FILE [RECIPIENT...]
"""
import smtplib
import ssl
import sys

port, ca = int(sys.argv[1]), sys.argv[2]
recipients = sys.argv[3:] or ["bob@remote.test"]
context = ssl.create_default_context(cafile=ca)
with smtplib.SMTP("127.0.0.1", port, local_hostname="client.ferrossl.test", timeout=20) as s:
    s.starttls(context=context)
    print("submitted over", s.sock.version(), s.sock.cipher()[0])
    refused = s.sendmail("alice@ferrossl.test", recipients, "Subject: hi\r\n\r\nhello over TLS\r\n")
    print("refused recipients:", refused)
