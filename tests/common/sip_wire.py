"""Just enough SIP on the wire for black-box tests: build requests, read responses.

This is deliberately tolerant and small: it reads what a daemon sends back (responses are
well-formed if the daemon is correct) and pulls a few header values out of the RFC 4475 torture
messages. It is not a SIP parser and must not be used to judge the daemon's parsing.
"""

import random
import re
import socket
import ssl
import time

COMPACT_FORMS = {
    "i": "call-id",
    "m": "contact",
    "e": "content-encoding",
    "l": "content-length",
    "c": "content-type",
    "f": "from",
    "s": "subject",
    "k": "supported",
    "t": "to",
    "v": "via",
}


def new_token(prefix=""):
    return prefix + "%016x" % random.getrandbits(64)


def new_branch():
    return "z9hG4bK" + new_token()


class SipMessage:
    """A received message: start line, headers (lower-case full names, in order), body."""

    def __init__(self, raw):
        self.raw = raw
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("utf-8", "replace").split("\r\n")
        self.start_line = lines[0]
        self.headers = []
        for line in lines[1:]:
            if line[:1] in (" ", "\t") and self.headers:
                name, value = self.headers[-1]
                self.headers[-1] = (name, value + " " + line.strip())
                continue
            name, sep, value = line.partition(":")
            if not sep:
                continue
            name = name.strip().lower()
            self.headers.append((COMPACT_FORMS.get(name, name), value.strip()))

    @property
    def is_response(self):
        return self.start_line.startswith("SIP/2.0 ")

    @property
    def status(self):
        if not self.is_response:
            return None
        parts = self.start_line.split(" ", 2)
        try:
            return int(parts[1])
        except (IndexError, ValueError):
            return None

    @property
    def method(self):
        return None if self.is_response else self.start_line.split(" ", 1)[0]

    def all(self, name):
        name = COMPACT_FORMS.get(name.lower(), name.lower())
        return [v for n, v in self.headers if n == name]

    def get(self, name, default=None):
        values = self.all(name)
        return values[0] if values else default

    def call_id(self):
        return normalize(self.get("call-id", ""))

    def cseq(self):
        """(number, METHOD) or (None, None)."""
        match = re.match(r"\s*(\d+)\s+(\S+)", self.get("cseq", ""))
        return (int(match.group(1)), match.group(2)) if match else (None, None)

    def top_via_branch(self):
        via = self.get("via", "")
        match = re.search(r";\s*branch\s*=\s*([^;,\s]+)", via, re.I)
        return match.group(1) if match else None

    def __repr__(self):
        return "<%s>" % self.start_line


def normalize(value):
    return re.sub(r"\s+", "", value or "")


def parse(raw):
    return SipMessage(raw)


def request(method, uri, *, transport="UDP", local=("127.0.0.1", 5060), call_id=None,
            cseq=1, branch=None, extra_headers=(), body=b"", to_uri=None, from_uri=None):
    """A well-formed request, as bytes."""
    host, port = local
    to_uri = to_uri or uri
    from_uri = from_uri or "sip:tester@%s" % host
    lines = [
        "%s %s SIP/2.0" % (method, uri),
        "Via: SIP/2.0/%s %s:%d;branch=%s;rport" % (transport, host, port, branch or new_branch()),
        "Max-Forwards: 70",
        "From: <%s>;tag=%s" % (from_uri, new_token()),
        "To: <%s>" % to_uri,
        "Call-ID: %s" % (call_id or new_token("cid-")),
        "CSeq: %d %s" % (cseq, method),
        *extra_headers,
        "Content-Length: %d" % len(body),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def ack_for(request_line_uri, response):
    """The ACK for a non-2xx final answer to an INVITE (RFC 3261 17.1.1.3), from the response."""
    number, _ = response.cseq()
    lines = [
        "ACK %s SIP/2.0" % request_line_uri,
        "Via: %s" % response.get("via", ""),
        "Max-Forwards: 70",
        "From: %s" % response.get("from", ""),
        "To: %s" % response.get("to", ""),
        "Call-ID: %s" % response.get("call-id", ""),
        "CSeq: %s ACK" % (number if number is not None else 1),
        "Content-Length: 0",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class StreamReader:
    """Splits a SIP byte stream into messages by Content-Length (RFC 3261 18.3)."""

    def __init__(self):
        self.buffer = b""

    def feed(self, data):
        self.buffer += data
        messages = []
        while True:
            stripped = self.buffer.lstrip(b"\r\n")  # keep-alive CRLFs between messages
            end = stripped.find(b"\r\n\r\n")
            if end < 0:
                self.buffer = stripped
                return messages
            head = stripped[:end]
            match = re.search(rb"(?im)^(?:content-length|l)[ \t]*:[ \t]*(\d+)", head)
            length = int(match.group(1)) if match else 0
            total = end + 4 + length
            if len(stripped) < total:
                self.buffer = stripped
                return messages
            messages.append(SipMessage(stripped[:total]))
            self.buffer = stripped[total:]


class UdpPeer:
    """A UDP socket bound to a loopback address that sends requests and collects answers."""

    def __init__(self, bind=("127.0.0.1", 0)):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(bind)
        self.address = self.sock.getsockname()

    def send(self, data, target):
        self.sock.sendto(data, target)

    def receive(self, timeout):
        """One message or None."""
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data, _ = self.sock.recvfrom(65535)
            return SipMessage(data)
        except (socket.timeout, BlockingIOError):
            return None

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class StreamPeer:
    """A TCP (or TLS) connection that sends bytes and reads framed SIP messages."""

    def __init__(self, target=None, *, tls=False, timeout=5.0, sock=None):
        raw = sock if sock is not None else socket.create_connection(target, timeout=timeout)
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # the daemon's self-signed certificate
            raw = context.wrap_socket(raw)
        self.sock = raw
        self.address = raw.getsockname()
        self.reader = StreamReader()
        self.pending = []
        self.closed_by_peer = False

    def send(self, data):
        self.sock.sendall(data)

    def receive(self, timeout):
        """One message, or None on timeout or when the peer closed the connection."""
        deadline = time.monotonic() + timeout
        while not self.pending:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.closed_by_peer:
                return None
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return None
            except (ConnectionResetError, ssl.SSLError, OSError):
                data = b""
            if not data:
                self.closed_by_peer = True
                return None
            self.pending.extend(self.reader.feed(data))
        return self.pending.pop(0)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def final_response(peer, timeout, *, call_id=None, method=None):
    """Reads until a final (>= 200) response that matches call_id/method; returns (final, all)."""
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        message = peer.receive(deadline - time.monotonic())
        if message is None:
            return None, seen
        if call_id is not None and message.call_id() != normalize(call_id):
            continue
        if method is not None and message.cseq()[1] != method:
            continue
        seen.append(message)
        if message.status is not None and message.status >= 200:
            return message, seen
