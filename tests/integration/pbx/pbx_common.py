"""Shared pieces of the PBX black-box tests: tenant YAML, digest, a small scripted SIP phone,
sipp runs with message traces, and CDR reading.

The phone (`Phone`) is deliberately simple and synchronous: one socket (UDP, or one TCP
connection to the PBX that also carries requests towards the phone, like a phone behind NAT),
requests built by hand, answers read in order. It is used where sipp cannot do the job (a
SHA-256 digest, a TCP callee that keeps its registration flow, a caller that vanishes) and to
look at headers exactly.
"""

import hashlib
import contextlib
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "common"))

import sip_wire  # noqa: E402
from kolokol_harness import HarnessError, free_port  # noqa: E402,F401

SCENARIOS = os.path.join(HERE, "scenarios")
DOMAIN = "example.com"
PASSWORDS = {"1001": "secret-1001", "1002": "secret-1002", "1003": "secret-1003",
             "1004": "secret-1004"}
NAMES = {"1001": "Alice", "1002": "Bob", "1003": "Carol", "1004": "Dave"}

CALLER_SDP = (b"v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=kolokol-caller\r\n"
              b"c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 41000 RTP/AVP 0 8\r\n"
              b"a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n")
CALLEE_SDP = (b"v=0\r\no=callee 2 2 IN IP4 127.0.0.1\r\ns=kolokol-callee\r\n"
              b"c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 42000 RTP/AVP 0\r\n"
              b"a=rtpmap:0 PCMU/8000\r\n")


def sdp_audio(sdp):
    """(connection address, audio port, formats) of an SDP body with one audio stream."""
    text = sdp.decode("ascii", "replace")
    address = re.findall(r"^c=IN IP[46] (\S+)", text, re.M)
    media = re.search(r"^m=audio (\d+) \S+ ([\d ]+)", text, re.M)
    if not address or not media:
        return None, None, None
    return address[-1], int(media.group(1)), media.group(2).split()


def anchored_sdp_problem(original, relayed, low=10000, high=20000):
    """None when `relayed` is `original` pointed at the PBX's relay (the same codecs first, in
    order: an offer goes on with the codecs the PBX transcodes; a relay port in [low, high], an
    address of ours); else what differs."""
    address, port, formats = sdp_audio(relayed)
    _, original_port, original_formats = sdp_audio(original)
    if port is None:
        return "no audio stream"
    if formats[:len(original_formats)] != original_formats:
        return "formats %s do not start with %s" % (formats, original_formats)
    if port == original_port or not low <= port <= high or port % 2:
        return "port %d is not an even relay port in %d-%d" % (port, low, high)
    if address not in ("127.0.0.1", "::1"):
        return "address %s is not the PBX's" % address
    return None


# ---- configuration --------------------------------------------------------------------------
def pbx_yaml(*, extensions=("1001", "1002", "1003"), registrar=None, security=None, calls=None,
             demo_tenant=False, extra=""):
    """extra_yaml for the harness: tenant "acme" on example.com with the given extensions."""
    lines = ["demo_tenant: %s" % ("true" if demo_tenant else "false"), "tenants:",
             "  - name: acme", "    domains: [%s]" % DOMAIN, "    extensions:"]
    for number in extensions:
        lines.append('      - {number: "%s", name: "%s", password: "%s"}'
                     % (number, NAMES.get(number, "Ext " + number), PASSWORDS[number]))
    # qualify off by default: an OPTIONS arriving at a sipp UAS would be taken for a new call.
    registrar = dict({"qualify_interval": "0s"}, **(registrar or {}))
    for section, values in (("registrar", registrar), ("security", security), ("calls", calls)):
        if values:
            lines.append("%s:" % section)
            lines += ["  %s: %s" % (k, v) for k, v in values.items()]
    return "\n".join(lines) + "\n" + extra


# ---- digest (RFC 7616 with qop=auth, RFC 8760 SHA-256) --------------------------------------
def parse_challenge(value):
    scheme, _, rest = value.strip().partition(" ")
    params = {}
    for match in re.finditer(r'([A-Za-z-]+)\s*=\s*("([^"]*)"|[^,\s]+)', rest):
        params[match.group(1).lower()] = (match.group(3) if match.group(3) is not None
                                          else match.group(2))
    return scheme.lower(), params


def challenges(response):
    """[(algorithm, params)] of the Digest challenges of a 401 or 407, in header order."""
    name = "www-authenticate" if response.status == 401 else "proxy-authenticate"
    result = []
    for value in response.all(name):
        scheme, params = parse_challenge(value)
        if scheme == "digest":
            result.append((params.get("algorithm", "MD5").upper(), params))
    return result


def _hash(algorithm, text):
    function = hashlib.sha256 if algorithm.upper().startswith("SHA-256") else hashlib.md5
    return function(text.encode()).hexdigest()


def authorization(params, algorithm, user, password, method, uri, cnonce=None, nc=1):
    """The value of an Authorization / Proxy-Authorization header answering `params`."""
    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    cnonce = cnonce or sip_wire.new_token()
    ha1 = _hash(algorithm, "%s:%s:%s" % (user, realm, password))
    ha2 = _hash(algorithm, "%s:%s" % (method, uri))
    nc_text = "%08x" % nc
    response = _hash(algorithm, "%s:%s:%s:%s:auth:%s" % (ha1, nonce, nc_text, cnonce, ha2))
    value = ('Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s", '
             'algorithm=%s, cnonce="%s", qop=auth, nc=%s'
             % (user, realm, nonce, uri, response, algorithm, cnonce, nc_text))
    if "opaque" in params:
        value += ', opaque="%s"' % params["opaque"]
    return value


# ---- a scripted phone ----------------------------------------------------------------------
class Phone:
    """One SIP user agent on one socket. UDP: bound to (host, port). TCP: one connection to the
    PBX from (host, port), which stays the phone's flow."""

    def __init__(self, pbx, user, password=None, *, transport="udp", host="127.0.0.1", port=0,
                 domain=DOMAIN):
        self.pbx, self.user, self.domain, self.transport = pbx, user, domain, transport
        self.password = password if password is not None else PASSWORDS.get(user)
        if transport == "udp":
            self.peer = sip_wire.UdpPeer((host, port))
        else:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
            sock.settimeout(5.0)
            sock.connect(pbx)
            self.peer = sip_wire.StreamPeer(sock=sock)
        self.address = self.peer.address
        self.inbox = []
        self.log = []  # ("in"|"out", SipMessage)
        self.reg_call_id = sip_wire.new_token("reg-")
        self.reg_cseq = 0
        self.handled = {}  # (call-id, cseq, branch) of requests answered -> the answer
        self.seen = set()  # (call-id, cseq, branch) of requests received

    # ---- wire
    @property
    def via_transport(self):
        return self.transport.upper()

    def contact_uri(self):
        uri = "sip:%s@%s:%d" % (self.user, self.address[0], self.address[1])
        return uri + (";transport=tcp" if self.transport == "tcp" else "")

    def send(self, data):
        self.log.append(("out", sip_wire.SipMessage(data)))
        if self.transport == "udp":
            self.peer.send(data, self.pbx)
        else:
            self.peer.send(data)

    def _read(self, timeout):
        message = self.peer.receive(timeout)
        if message is not None:
            self.log.append(("in", message))
        return message

    def next(self, timeout, match=lambda m: True):
        """The first message (from the inbox, then the wire) for which match() is true."""
        for index, message in enumerate(self.inbox):
            if match(message):
                return self.inbox.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            message = self._read(remaining)
            if message is None:
                if self.transport == "tcp" and self.peer.closed_by_peer:
                    return None
                continue
            if not message.is_response and self._retransmission(message):
                continue
            if match(message):
                return message
            self.inbox.append(message)

    def _retransmission(self, request):
        """True for a request seen before (it is answered again with what we sent, if any)."""
        if request.method == "ACK":
            return False
        key = (request.call_id(), request.cseq(), request.top_via_branch())
        if key in self.seen:
            if self.handled.get(key) is not None:
                self.send(self.handled[key])
            return True
        self.seen.add(key)
        return False

    def build(self, method, uri, *, call_id, cseq, from_tag, to_uri, to_tag=None, branch=None,
              headers=(), body=b"", from_uri=None, cseq_method=None,
              content_type="application/sdp"):
        host, port = self.address
        from_uri = from_uri or "sip:%s@%s" % (self.user, self.domain)
        lines = ["%s %s SIP/2.0" % (method, uri),
                 "Via: SIP/2.0/%s %s:%d;branch=%s;rport" % (self.via_transport, host, port,
                                                            branch or sip_wire.new_branch()),
                 "Max-Forwards: 70",
                 "From: <%s>;tag=%s" % (from_uri, from_tag),
                 "To: <%s>%s" % (to_uri, ";tag=" + to_tag if to_tag else ""),
                 "Call-ID: %s" % call_id,
                 "CSeq: %d %s" % (cseq, cseq_method or method),
                 *headers]
        if body:
            lines.append("Content-Type: %s" % content_type)
        lines.append("Content-Length: %d" % len(body))
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body

    def respond(self, request, status, reason, *, to_tag=None, body=b"", headers=(),
                content_type="application/sdp"):
        lines = ["SIP/2.0 %d %s" % (status, reason)]
        lines += ["Via: %s" % v for v in request.all("via")]
        to = request.get("to", "")
        if to_tag and ";tag=" not in to.replace(" ", ""):
            to += ";tag=" + to_tag
        lines += ["From: %s" % request.get("from", ""), "To: %s" % to,
                  "Call-ID: %s" % request.get("call-id", ""), "CSeq: %s" % request.get("cseq", "")]
        if request.method == "INVITE" and status < 300:
            lines.append("Contact: <%s>" % self.contact_uri())
        lines += list(headers)
        if body:
            lines.append("Content-Type: %s" % content_type)
        lines.append("Content-Length: %d" % len(body))
        data = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        self.handled[(request.call_id(), request.cseq(), request.top_via_branch())] = data
        self.send(data)
        return data

    def close(self):
        self.peer.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- registration
    def register(self, *, expires=600, contact=None, algorithm="SHA-256", password=None,
                 user=None, timeout=3.0, extra=()):
        """REGISTER, answer the 401 with `algorithm`; returns (final answer, the 401 or None).
        contact: None = this phone's address, "*" = wildcard, "" = none (a query), else a URI."""
        user = user or self.user
        password = self.password if password is None else password
        uri = "sip:%s" % self.domain
        aor = "sip:%s@%s" % (user, self.domain)
        if contact is None:
            headers = ["Contact: <%s>" % self.contact_uri()]
        elif contact == "*":
            headers = ["Contact: *"]
        elif contact == "":
            headers = []  # a query: the answer lists the current bindings (RFC 3261 10.2.3)
        else:
            headers = ["Contact: <%s>" % contact]
        headers += ["Expires: %d" % expires] if expires is not None else []
        headers += list(extra)
        tag = sip_wire.new_token()
        challenge = None
        auth_header = None
        for _ in range(2):
            self.reg_cseq += 1
            message = self.build("REGISTER", uri, call_id=self.reg_call_id, cseq=self.reg_cseq,
                                 from_tag=tag, to_uri=aor, from_uri=aor,
                                 headers=headers + ([auth_header] if auth_header else []))
            self.send(message)
            answer = self.final_for(self.reg_call_id, self.reg_cseq, "REGISTER", timeout)
            if answer is None or answer.status != 401 or auth_header is not None:
                return answer, challenge
            challenge = answer
            offered = dict(challenges(answer))
            if algorithm not in offered:
                raise HarnessError("401 offers no %s challenge: %s" % (algorithm,
                                                                        list(offered)))
            auth_header = "Authorization: " + authorization(offered[algorithm], algorithm, user,
                                                            password, "REGISTER", uri)
        return answer, challenge

    def final_for(self, call_id, cseq, method, timeout):
        def matches(m):
            return (m.is_response and m.call_id() == sip_wire.normalize(call_id)
                    and m.cseq() == (cseq, method) and m.status >= 200)
        return self.next(timeout, matches)

    # ---- calls
    def call(self, number, **kwargs):
        return OutgoingCall(self, number, **kwargs)

    def wait_invite(self, timeout):
        request = self.next(timeout, lambda m: m.method == "INVITE")
        return IncomingCall(self, request) if request is not None else None

    def serve(self, seconds, calls=()):
        """Answers in-dialog requests for `seconds`: re-INVITE/UPDATE 200 (SDP for INVITE),
        OPTIONS 200, BYE 200. Returns the requests seen."""
        seen, deadline = [], time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return seen
            message = self.next(remaining, lambda m: not m.is_response)
            if message is None:
                continue
            seen.append(message)
            if message.method in ("INVITE",):
                self.respond(message, 200, "OK", body=CALLEE_SDP)
            elif message.method in ("UPDATE", "OPTIONS", "BYE", "INFO", "NOTIFY"):
                self.respond(message, 200, "OK")


class OutgoingCall:
    """An INVITE from a phone through the PBX: 407, ACK, INVITE with Proxy-Authorization."""

    def __init__(self, phone, number, *, sdp=CALLER_SDP, password=None, algorithm="SHA-256",
                 authenticate=True, user=None, host=None, extra=()):
        self.phone, self.number = phone, number
        self.host = host or "%s:%d" % phone.pbx
        self.uri = "sip:%s@%s" % (number, self.host)
        self.call_id = sip_wire.new_token("call-")
        self.tag = sip_wire.new_token()
        self.cseq = 0
        self.sdp, self.algorithm, self.extra = sdp, algorithm, list(extra)
        self.user = user or phone.user
        self.password = phone.password if password is None else password
        self.responses = []
        self.final = None
        self.challenge = None
        self.remote_tag = None
        self.remote_target = None
        self.route = []
        self.branch = None
        self._send_invite(None)
        if authenticate:
            answer = self.wait_final(5.0)
            if answer is not None and answer.status == 407:
                self.challenge = answer
                offered = dict(challenges(answer))
                if algorithm in offered:
                    self.final = None
                    self._send_invite("Proxy-Authorization: " + authorization(
                        offered[algorithm], algorithm, self.user, self.password, "INVITE",
                        self.uri))

    def _send_invite(self, auth_header):
        self.cseq += 1
        self.invite_cseq = self.cseq
        self.branch = sip_wire.new_branch()
        headers = ["Contact: <%s>" % self.phone.contact_uri()] + self.extra
        if auth_header:
            headers.append(auth_header)
        self.phone.send(self.phone.build("INVITE", self.uri, call_id=self.call_id, cseq=self.cseq,
                                         from_tag=self.tag, to_uri="sip:%s@%s" % (self.number,
                                                                                  self.host),
                                         branch=self.branch, headers=headers, body=self.sdp))

    def _mine(self, message):
        return message.is_response and message.call_id() == sip_wire.normalize(self.call_id)

    def _to_tag(self, response):
        match = re.search(r";\s*tag=([^;>\s]+)", response.get("to", ""))
        return match.group(1) if match else None

    def _ack(self, response):
        number = response.cseq()[0]
        if response.status < 300:
            branch, uri = sip_wire.new_branch(), self.remote_target or self.uri
            headers = ["Route: %s" % r for r in self.route]
        else:
            branch, uri, headers = self.branch, self.uri, []
        self.phone.send(self.phone.build("ACK", uri, call_id=self.call_id, cseq=number,
                                         from_tag=self.tag, to_uri="sip:%s@%s" % (self.number,
                                                                                  self.host),
                                         to_tag=self._to_tag(response), branch=branch,
                                         headers=headers))

    def wait(self, timeout, statuses=()):
        """The next answer to the current INVITE whose status is in `statuses`, or its final
        answer (ACKed; a 2xx sets up the dialog). None on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.phone.next(max(0.0, deadline - time.monotonic()), self._mine)
            if message is None:
                return None
            number, method = message.cseq()
            if method != "INVITE":
                self.responses.append(message)
                continue
            if number != self.invite_cseq:
                if message.status >= 200:
                    self._ack(message)  # retransmitted final of the first INVITE
                continue
            self.responses.append(message)
            if message.status >= 200:
                if message.status < 300:
                    self.remote_tag = self._to_tag(message)
                    contact = message.get("contact", "")
                    match = re.search(r"<([^>]+)>", contact)
                    self.remote_target = match.group(1) if match else contact.split(";")[0]
                    self.route = list(reversed(message.all("record-route")))
                already = self.final is not None and self.final.status == message.status
                self.final = message
                self._ack(message)
                if not already or message.status in statuses:
                    return message
                continue
            if message.status in statuses:
                return message

    def wait_final(self, timeout):
        return self.wait(timeout)

    def statuses(self):
        return [m.status for m in self.responses if m.cseq() == (self.invite_cseq, "INVITE")]

    def cancel(self, timeout=3.0):
        self.phone.send(self.phone.build("CANCEL", self.uri, call_id=self.call_id,
                                         cseq=self.invite_cseq,
                                         from_tag=self.tag, to_uri="sip:%s@%s" % (self.number,
                                                                                  self.host),
                                         branch=self.branch))
        return self.phone.final_for(self.call_id, self.invite_cseq, "CANCEL", timeout)

    def info(self, body, content_type, timeout=3.0):
        """An INFO in the dialog (key presses as application/dtmf-relay); its final answer."""
        self.cseq += 1
        self.phone.send(self.phone.build(
            "INFO", self.remote_target, call_id=self.call_id, cseq=self.cseq, from_tag=self.tag,
            to_uri="sip:%s@%s" % (self.number, self.host), to_tag=self.remote_tag,
            headers=["Route: %s" % r for r in self.route], body=body, content_type=content_type))
        return self.phone.final_for(self.call_id, self.cseq, "INFO", timeout)

    def bye(self, timeout=3.0):
        self.cseq += 1
        self.phone.send(self.phone.build(
            "BYE", self.remote_target, call_id=self.call_id, cseq=self.cseq, from_tag=self.tag,
            to_uri="sip:%s@%s" % (self.number, self.host), to_tag=self.remote_tag,
            headers=["Route: %s" % r for r in self.route]))
        return self.phone.final_for(self.call_id, self.cseq, "BYE", timeout)

    def wait_bye(self, timeout):
        request = self.phone.next(timeout, lambda m: m.method == "BYE" and
                                  m.call_id() == sip_wire.normalize(self.call_id))
        if request is not None:
            self.phone.respond(request, 200, "OK")
        return request


class IncomingCall:
    def __init__(self, phone, invite):
        self.phone, self.invite = phone, invite
        self.tag = sip_wire.new_token()
        self.cseq = 100

    def respond(self, status, reason, body=b""):
        return self.phone.respond(self.invite, status, reason, to_tag=self.tag, body=body)

    def wait_request(self, method, timeout):
        call_id = self.invite.call_id()
        request = self.phone.next(timeout, lambda m: m.method == method and
                                  m.call_id() == call_id)
        if request is not None and method not in ("ACK",):
            self.phone.respond(request, 200, "OK")
        return request

    def bye(self, timeout=3.0):
        contact = self.invite.get("contact", "")
        match = re.search(r"<([^>]+)>", contact)
        target = match.group(1) if match else contact
        from_match = re.search(r"<([^>]+)>", self.invite.get("from", ""))
        to_match = re.search(r"<([^>]+)>", self.invite.get("to", ""))
        remote_tag = re.search(r";\s*tag=([^;>\s]+)", self.invite.get("from", "")).group(1)
        self.cseq += 1
        self.phone.send(self.phone.build(
            "BYE", target, call_id=self.invite.get("call-id"), cseq=self.cseq, from_tag=self.tag,
            from_uri=to_match.group(1), to_uri=from_match.group(1), to_tag=remote_tag))
        return self.phone.final_for(self.invite.get("call-id"), self.cseq, "BYE", timeout)


# ---- the PBX's challenge order and what sipp can answer -------------------------------------
def challenge_order(daemon, method="REGISTER", transport="udp", domain=DOMAIN):
    """The algorithms of the PBX's challenge to an unauthenticated request, in order."""
    with Phone(daemon.sip(transport), "1001", transport=transport, domain=domain) as phone:
        if method == "REGISTER":
            tag = sip_wire.new_token()
            phone.send(phone.build("REGISTER", "sip:%s" % domain, call_id=phone.reg_call_id,
                                   cseq=1, from_tag=tag, to_uri="sip:1001@%s" % domain,
                                   from_uri="sip:1001@%s" % domain,
                                   headers=["Contact: <%s>" % phone.contact_uri(),
                                            "Expires: 60"]))
            answer = phone.final_for(phone.reg_call_id, 1, "REGISTER", 3.0)
        else:
            call = phone.call("1002", authenticate=False)
            answer = call.wait_final(3.0)
        return [a for a, _ in challenges(answer)] if answer is not None else None


def sipp_answers(order):
    """sipp 3.6.1 reads `algorithm=` from the first challenge only and aborts (exit 255,
    "createAuthHeader: authentication must use MD5 or AKAv1-MD5") on anything but MD5."""
    return bool(order) and order[0] == "MD5"


# ---- sipp -----------------------------------------------------------------------------------
def sipp_binary():
    return shutil.which("sipp")


def scenario(workdir, name, **substitutions):
    """Copies scenarios/<name> into workdir with @KEY@ replaced; returns the copy's path."""
    with open(os.path.join(SCENARIOS, name)) as source:
        text = source.read()
    for key, value in substitutions.items():
        text = text.replace("@%s@" % key.upper(), str(value))
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise HarnessError("scenario %s: no value for %s" % (name, left))
    path = os.path.join(workdir, "%s-%s" % (sip_wire.new_token()[:6], name))
    with open(path, "w") as out:
        out.write(text)
    return path


class SippRun:
    """One sipp process with its message trace. start() returns at once; wait() collects."""

    def __init__(self, workdir, label, scenario_path, *, target=None, local_ip="127.0.0.1",
                 port=0, transport="u1", calls=1, args=(), timeout_s=30):
        self.label = label
        self.trace = os.path.join(workdir, "%s-messages.log" % label)
        self.errors = os.path.join(workdir, "%s-errors.log" % label)
        self.port = port
        self.command = [sipp_binary()] + (["%s:%d" % target] if target else []) + [
            "-sf", scenario_path, "-t", transport, "-i", local_ip, "-p", str(port),
            "-m", str(calls), "-nostdin", "-trace_msg", "-message_file", self.trace,
            "-trace_err", "-error_file", self.errors, "-timeout", "%ds" % timeout_s,
            "-timeout_error", "-max_recv_loops", "1000", *[str(a) for a in args]]
        self.timeout_s = timeout_s
        self.workdir = workdir
        self.process = None
        self.returncode = None
        self.stdout = ""

    def start(self):
        self.out_path = os.path.join(self.workdir, "%s-stdout.log" % self.label)
        self.out = open(self.out_path, "wb")
        self.process = subprocess.Popen(self.command, cwd=self.workdir, stdout=self.out,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self

    def wait(self, timeout=None):
        try:
            self.returncode = self.process.wait(timeout if timeout is not None
                                                else self.timeout_s + 15)
        except subprocess.TimeoutExpired:
            self.kill()
            self.returncode = "killed (still running)"
        self.out.close()
        with open(self.out_path, "rb") as out:
            self.stdout = out.read().decode("utf-8", "replace")
        return self

    def run(self):
        return self.start().wait()

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    @property
    def ok(self):
        return self.returncode == 0

    def messages(self):
        """[(direction "sent"|"received", text)] from the -trace_msg file."""
        try:
            with open(self.trace, "rb") as trace:
                text = trace.read().decode("utf-8", "replace")
        except OSError:
            return []
        result = []
        for block in re.split(r"(?m)^-{20,}.*$", text):
            block = block.strip("\r\n")
            if not block:
                continue
            first, _, rest = block.partition("\n")
            direction = "sent" if " sent" in first else "received" if "received" in first \
                else "?"
            result.append((direction, rest.strip("\r\n")))
        return result

    def first_lines(self):
        return ["%s %s" % ("->" if d == "sent" else "<-", t.splitlines()[0] if t else "")
                for d, t in self.messages()]

    def error_text(self):
        try:
            with open(self.errors, "rb") as errors:
                return errors.read().decode("utf-8", "replace").strip()
        except OSError:
            return ""

    def describe(self):
        return "%s rc=%s\n  trace: %s\n  errors: %s\n  stdout tail: %s" % (
            self.label, self.returncode, " | ".join(self.first_lines()),
            self.error_text()[-800:], " / ".join(self.stdout.strip().splitlines()[-4:]))


def header_values(text, name):
    values = []
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == name.lower():
            values.append(value.strip())
    return values


def wait_bound(port, kind="udp", host="127.0.0.1", timeout=5.0):
    """Waits until something holds host:port (a sipp that started listening)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        probe = socket.socket(socket.AF_INET,
                              socket.SOCK_DGRAM if kind == "udp" else socket.SOCK_STREAM)
        try:
            probe.bind((host, port))
        except OSError:
            return True
        finally:
            probe.close()
        time.sleep(0.05)
    return False


# ---- CDRs -----------------------------------------------------------------------------------
def cdr_from_api(daemon):
    """Records from GET /api/v1/cdr with the admin token, or None when that is not there."""
    token_path = os.path.join(daemon.data_dir, "admin-token")
    if not os.path.exists(token_path):
        return None
    with open(token_path) as token_file:
        token = token_file.read().strip()
    request = urllib.request.Request("http://127.0.0.1:%d/api/v1/cdr?limit=500" % daemon.http_port,
                                     headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(request, timeout=3) as response:
            body = json.loads(response.read().decode())
    except (urllib.error.URLError, OSError, ValueError):
        return None
    if isinstance(body, dict):
        for key in ("records", "items", "data", "cdr", "calls"):
            if isinstance(body.get(key), list):
                return body[key]
        return None
    return body if isinstance(body, list) else None


def cdr_from_sqlite(daemon):
    path = os.path.join(daemon.data_dir, "kolokol.db")
    if not os.path.exists(path):
        return []
    connection = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=5)
    try:
        cursor = connection.execute("SELECT * FROM call_records ORDER BY rowid")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]
    except sqlite3.Error:
        return []
    finally:
        connection.close()


def cdr_rows(daemon, source="sqlite"):
    if source == "api":
        return cdr_from_api(daemon)
    return cdr_from_sqlite(daemon)


def wait_cdrs(daemon, count, timeout=8.0, source="sqlite"):
    """Polls until at least `count` records exist; returns what is there then."""
    deadline = time.monotonic() + timeout
    while True:
        rows = cdr_rows(daemon, source) or []
        if len(rows) >= count or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


@contextlib.contextmanager
def workdir(prefix):
    """A temporary directory for a test's scenarios and message traces, removed afterwards
    unless KOLOKOL_KEEP_TEST_DIRS is set."""
    path = tempfile.mkdtemp(prefix=prefix)
    try:
        yield path
    finally:
        if not os.environ.get("KOLOKOL_KEEP_TEST_DIRS"):
            shutil.rmtree(path, ignore_errors=True)


def missing(*tools):
    """True (after printing the skip reason) when one of the programs is not installed."""
    absent = [tool for tool in tools if shutil.which(tool) is None]
    if absent:
        print("%s not installed: skipped" % " and ".join(absent))
    return bool(absent)


def sipp_register(workdir, label, target, user, password, *, transport="u1", local_ip="127.0.0.1",
                  port=0, expires=600, domain=DOMAIN, name="register.xml", calls=1, rate=None,
                  status_regexp="^SIP/2.0 403", extra=(), timeout_s=20, background=False):
    """sipp registers `user` (register.xml) or expects a refusal (register_refused.xml)."""
    path = scenario(workdir, name, status_regexp=status_regexp)
    args = ["-key", "aor_user", user, "-key", "expires", expires, "-key", "domain", domain,
            "-au", user, "-ap", password]
    if rate:
        args += ["-r", rate, "-l", max(10, int(rate))]
    run = SippRun(workdir, label, path, target=target, local_ip=local_ip, port=port,
                  transport=transport, calls=calls, args=args + list(extra), timeout_s=timeout_s)
    return run.start() if background else run.run()


def sipp_caller(workdir, label, target, number, scenario_name, *, caller="1001", password=None,
                transport="u1", domain=DOMAIN, timeout_s=30, **substitutions):
    """sipp as the calling phone: INVITE, 407, ACK, INVITE with Proxy-Authorization, then the
    rest of `scenario_name`. Returns the SippRun, not started."""
    path = scenario(workdir, scenario_name, **substitutions)
    password = PASSWORDS[caller] if password is None else password
    args = ["-s", number, "-key", "caller", caller, "-key", "domain", domain, "-au", caller,
            "-ap", password, "-auth_uri", "%s@%s:%d" % (number, target[0], target[1])]
    return SippRun(workdir, label, path, target=target, transport=transport, args=args,
                   timeout_s=timeout_s)


def sipp_callee(workdir, label, port, scenario_name, *, transport="u1", timeout_s=30,
                **substitutions):
    """sipp in server mode on 127.0.0.1:port for one call. Returns the SippRun, started, once
    its port is bound."""
    path = scenario(workdir, scenario_name, **substitutions)
    run = SippRun(workdir, label, path, port=port, transport=transport, timeout_s=timeout_s)
    run.start()
    if not wait_bound(port, "udp" if transport == "u1" else "tcp"):
        raise HarnessError("sipp callee did not bind port %d:\n%s" % (port, run.describe()))
    return run


def contacts_of(response):
    """[(uri, expires or None)] listed in a REGISTER answer's Contact headers."""
    result = []
    for value in response.all("contact"):
        for match in re.finditer(r"<([^>]*)>([^,]*)", value):
            expires = re.search(r";\s*expires\s*=\s*(\d+)", match.group(2), re.I)
            result.append((match.group(1), int(expires.group(1)) if expires else None))
    return result


def reason(response):
    """The reason phrase of a response ("" for None)."""
    if response is None or response.start_line.count(" ") < 2:
        return ""
    return response.start_line.split(" ", 2)[2]
