#!/usr/bin/env python3
"""Anchored media through the PBX, black-box, with real RTP.

Scripted phones (1001 calls 1002) with their own RTP sockets:
- the PBX rewrites both SDPs to its relay; 50 PCMU packets each way arrive unchanged at the other
  phone and only through the relay; four packets left out of the caller's stream show up as 4
  lost in the call record, which also says the call was anchored and how many packets each
  leg sent;
- a callee whose packets come from another port than its SDP said (NAT) still gets the caller's
  media: the relay answers where media really comes from;
- a stranger's packet to the relay port in the middle of the caller's stream is not forwarded;
- garbage datagrams to relay ports and to unallocated ports of the range do not hurt the
  daemon (the call goes on, the next call works);
- a call in which the callee stops sending is ended by the PBX after media.rtp_timeout (5 s):
  BYE to both phones, CDR end_reason rtp-timeout.
- a PCMA-only caller and an opus-only callee talk: the PBX offers its codecs to the callee,
  answers the caller with PCMA itself and transcodes; a 440 Hz tone sent as PCMA is decoded
  from the callee's opus packets (libopus through ctypes) and a 1 kHz tone sent as opus comes
  out of the caller's PCMA, each measured with a Goertzel filter.
- key presses: the caller sends "1" as RFC 4733 events, "5" as DTMF tones in its PCMU audio and
  "7" as SIP INFO (application/dtmf-relay, passed on to the callee), the callee "#" as RFC 4733;
  GET /api/v1/calls shows "157" and "#" for the call and /metrics counts each by source;
- recording (media.record_calls): the caller sends 440 Hz for 1 s, then the callee 1 kHz for 1 s;
  the CDR names a WAV file with the caller on the left channel and the callee on the right,
  each tone in its own channel and second.
Then sipp: a caller playing sipp's g711a.pcap (236 PCMA packets) through the PBX to a sipp
callee with -rtp_echo; the CDR shows the packets of both legs relayed with no loss.
"""

import ctypes
import json
import math
import os
import random
import re
import socket
import struct
import sys
import time
import urllib.request
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pbx_common as pbx  # noqa: E402
from kolokol_harness import SKIP, Checks, Kolokold, free_port, standard_arguments  # noqa: E402

PORT_MIN, PORT_MAX = 31000, 31099


class RtpSocket:
    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]

    def sdp(self, name, formats=(0,)):
        lines = ["v=0", "o=%s 1 1 IN IP4 127.0.0.1" % name, "s=%s" % name,
                 "c=IN IP4 127.0.0.1", "t=0 0",
                 "m=audio %d RTP/AVP %s" % (self.port, " ".join(str(f) for f in formats)),
                 "a=rtpmap:0 PCMU/8000", "a=sendrecv"]
        return ("\r\n".join(lines) + "\r\n").encode()

    def send(self, port, packet):
        self.sock.sendto(packet, ("127.0.0.1", port))

    def receive_all(self, timeout=1.0):
        """(packet, source) pairs until nothing arrives for `timeout`."""
        out = []
        self.sock.settimeout(timeout)
        while True:
            try:
                out.append(self.sock.recvfrom(2000))
            except socket.timeout:
                return out

    def close(self):
        self.sock.close()


try:
    import audioop  # noqa: E402 (deprecated in 3.11, still shipped; G.711 without extra packages)
except ImportError:  # pragma: no cover
    audioop = None


class Opus:
    """libopus through ctypes: mono, 48 kHz, 20 ms packets."""

    def __init__(self):
        self.lib = ctypes.CDLL("libopus.so.0")
        self.lib.opus_decoder_create.restype = ctypes.c_void_p
        self.lib.opus_encoder_create.restype = ctypes.c_void_p
        error = ctypes.c_int()
        self.decoder = self.lib.opus_decoder_create(48000, 1, ctypes.byref(error))
        self.encoder = self.lib.opus_encoder_create(48000, 1, 2048, ctypes.byref(error))

    def encode(self, samples):
        pcm = (ctypes.c_int16 * len(samples))(*samples)
        out = (ctypes.c_ubyte * 1500)()
        size = self.lib.opus_encode(ctypes.c_void_p(self.encoder), pcm, len(samples), out, 1500)
        return bytes(out[:size]) if size > 0 else b""

    def decode(self, payload):
        pcm = (ctypes.c_int16 * 5760)()
        data = (ctypes.c_ubyte * len(payload)).from_buffer_copy(payload)
        count = self.lib.opus_decode(ctypes.c_void_p(self.decoder), data, len(payload), pcm,
                                     5760, 0)
        return list(pcm[:count]) if count > 0 else []


def tone(frequency, rate, start, count, amplitude=8000):
    return [int(amplitude * math.sin(2 * math.pi * frequency * (start + i) / rate))
            for i in range(count)]


def goertzel(samples, frequency, rate):
    """Relative power of `frequency` in `samples`."""
    coefficient = 2 * math.cos(2 * math.pi * frequency / rate)
    s1 = s2 = 0.0
    for x in samples:
        s1, s2 = x + coefficient * s1 - s2, s1
    return (s1 * s1 + s2 * s2 - coefficient * s1 * s2) / max(1, len(samples)) ** 2


def free_port_block(count):
    """An even port p with p .. p+count-1 free for UDP on 127.0.0.1 now."""
    for _ in range(200):
        base = random.randrange(33000, 60000, 2)
        held = []
        try:
            for port in range(base, base + count):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                held.append(s)
                s.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
    raise RuntimeError("no block of %d free UDP ports" % count)


def rtp(sequence, ssrc, marker=False, payload=None, payload_type=0, step=160):
    if payload is None:
        payload = bytes((sequence * 7 + i) & 0xFF for i in range(160))
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | payload_type, sequence & 0xFFFF,
                       (sequence * step) & 0xFFFFFFFF, ssrc) + payload


def rtp_payload(packet):
    """(payload type, payload) of a packet without CSRCs or extension."""
    return packet[1] & 0x7F, packet[12:]


def relay_port(sdp):
    _, port, _ = pbx.sdp_audio(sdp)
    return port


def answered_call(checks, caller, callee, caller_rtp, callee_rtp, label):
    """Sets up 1001 -> 1002 with the given RTP sockets; (call, incoming, port towards the
    caller's relay side, port towards the callee's relay side) or None."""
    call = caller.call("1002", sdp=caller_rtp.sdp("caller"))
    incoming = callee.wait_invite(5.0)
    if not checks.check(incoming is not None, "%s: the callee got no INVITE" % label):
        return None
    b_port = relay_port(incoming.invite.body)
    problem = pbx.anchored_sdp_problem(caller_rtp.sdp("caller"), incoming.invite.body,
                                       PORT_MIN, PORT_MAX)
    checks.check(problem is None, "%s: the callee's offer is not anchored: %s" % (label, problem))
    incoming.respond(200, "OK", body=callee_rtp.sdp("callee"))
    final = call.wait_final(5.0)
    if not checks.check(final is not None and final.status == 200,
                        "%s: the caller got %r" % (label, final)):
        return None
    a_port = relay_port(final.body)
    problem = pbx.anchored_sdp_problem(callee_rtp.sdp("callee"), final.body, PORT_MIN, PORT_MAX)
    checks.check(problem is None, "%s: the caller's answer is not anchored: %s" % (label, problem))
    incoming.wait_request("ACK", 3.0)
    return call, incoming, a_port, b_port


def last_cdr(daemon, count):
    rows = pbx.wait_cdrs(daemon, count)
    return rows[-1] if len(rows) >= count else None


def relay_case(checks, daemon, caller, callee):
    caller_rtp, callee_rtp, callee_nat, stranger = RtpSocket(), RtpSocket(), RtpSocket(), \
        RtpSocket()
    before = len(pbx.cdr_rows(daemon))
    try:
        setup = answered_call(checks, caller, callee, caller_rtp, callee_rtp, "relay")
        if setup is None:
            return
        call, incoming, a_port, b_port = setup
        sent = [s for s in range(1, 55) if s not in (10, 11, 12, 30)]  # 50 packets, 4 lost
        for sequence in sent:
            caller_rtp.send(a_port, rtp(sequence, 0x1001))
            time.sleep(0.002)
            if sequence == 20:
                # A stranger cannot inject into the caller's latched stream.
                stranger.send(a_port, rtp(99, 0xBAD))
        got = callee_rtp.receive_all(0.5)
        checks.check([p for p, _ in got] == [rtp(s, 0x1001) for s in sent],
                     "relay: the callee got %d packets (expected the caller's 50, unchanged)"
                     % len(got))
        checks.check(all(source[1] == b_port for _, source in got),
                     "relay: media reached the callee from %s, not from the relay port %d"
                     % ({source for _, source in got}, b_port))
        for sequence in range(1, 51):
            callee_rtp.send(b_port, rtp(sequence, 0x1002))
        back = caller_rtp.receive_all(0.5)
        checks.check(len(back) == 50 and all(source[1] == a_port for _, source in back),
                     "relay: the caller got %d of the callee's 50 packets" % len(back))
        # The callee moves behind NAT (new source port) after being silent: media follows it.
        time.sleep(1.2)
        callee_nat.send(b_port, rtp(51, 0x1002))
        caller_rtp.receive_all(0.3)
        caller_rtp.send(a_port, rtp(55, 0x1001))
        moved = callee_nat.receive_all(0.5)
        checks.check(len(moved) == 1, "relay: media did not follow the callee to its new source "
                     "address (got %d packets there)" % len(moved))
        # Garbage to the relay ports and to unallocated ports of the range.
        for port in (a_port, b_port, a_port + 1, b_port + 1) + tuple(range(PORT_MIN, PORT_MAX, 7)):
            for junk in (b"", b"\x00", b"\x80" * 11, os.urandom(1400), b"\xff" * 40):
                stranger.send(port, junk)
        caller_rtp.send(a_port, rtp(56, 0x1001))
        checks.check(len(callee_nat.receive_all(0.5)) == 1,
                     "relay: the call stopped relaying after garbage datagrams")
        answer = call.bye()
        checks.check(answer is not None and answer.status == 200, "relay: BYE answered %r" % answer)
        incoming.wait_request("BYE", 3.0)
        row = last_cdr(daemon, before + 1)
        print("relay CDR: %s" % row, flush=True)
        if checks.check(row is not None, "relay: no CDR"):
            checks.check(row.get("media_anchored") == 1, "relay: CDR does not say anchored")
            checks.check(row.get("caller_rtp_packets") == 52 and row.get("caller_rtp_lost") == 4,
                         "relay: CDR caller packets/lost %s/%s, expected 52/4"
                         % (row.get("caller_rtp_packets"), row.get("caller_rtp_lost")))
            checks.check(row.get("callee_rtp_packets") == 51 and row.get("callee_rtp_lost") == 0,
                         "relay: CDR callee packets/lost %s/%s, expected 51/0"
                         % (row.get("callee_rtp_packets"), row.get("callee_rtp_lost")))
    finally:
        for s in (caller_rtp, callee_rtp, callee_nat, stranger):
            s.close()


def timeout_case(checks, daemon, caller, callee):
    caller_rtp, callee_rtp = RtpSocket(), RtpSocket()
    before = len(pbx.cdr_rows(daemon))
    try:
        setup = answered_call(checks, caller, callee, caller_rtp, callee_rtp, "timeout")
        if setup is None:
            return
        call, incoming, a_port, b_port = setup
        started = time.monotonic()
        # Both send for a second, then the callee goes silent while the caller keeps sending.
        sequence, bye = 0, None
        while time.monotonic() - started < 12 and bye is None:
            sequence += 1
            caller_rtp.send(a_port, rtp(sequence, 0x2001))
            if sequence <= 50:
                callee_rtp.send(b_port, rtp(sequence, 0x2002))
            bye = call.wait_bye(0.02)
        elapsed = time.monotonic() - started
        checks.check(bye is not None, "timeout: the caller got no BYE within 12 s of silence")
        checks.check(bye is None or 5.5 <= elapsed <= 9, "timeout: BYE after %.1f s, expected "
                     "the 5 s rtp_timeout after the callee's last packet (~1 s)" % elapsed)
        callee_bye = incoming.wait_request("BYE", 3.0)
        checks.check(callee_bye is not None, "timeout: the callee got no BYE")
        row = last_cdr(daemon, before + 1)
        print("timeout CDR: %s (BYE after %.1f s)" % (row, elapsed), flush=True)
        if checks.check(row is not None, "timeout: no CDR"):
            checks.check(row.get("end_reason") == "rtp-timeout" and row.get("ended_by") == "system",
                         "timeout: CDR ended by %s/%s, expected system/rtp-timeout"
                         % (row.get("ended_by"), row.get("end_reason")))
    finally:
        caller_rtp.close()
        callee_rtp.close()


def transcoding_case(checks, daemon, caller, callee):
    if audioop is None:
        checks.check(False, "transcoding: Python's audioop module is missing")
        return
    opus = Opus()
    caller_rtp, callee_rtp = RtpSocket(), RtpSocket()
    before = len(pbx.cdr_rows(daemon))
    try:
        caller_sdp = ("v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=pcma-only\r\n"
                      "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio %d RTP/AVP 8\r\n"
                      "a=rtpmap:8 PCMA/8000\r\n" % caller_rtp.port).encode()
        call = caller.call("1002", sdp=caller_sdp)
        incoming = callee.wait_invite(5.0)
        if not checks.check(incoming is not None, "transcoding: the callee got no INVITE"):
            return
        offer = incoming.invite.body.decode()
        opus_type = re.search(r"a=rtpmap:(\d+) opus/48000/2", offer)
        if not checks.check(opus_type is not None, "transcoding: the PBX did not offer opus to "
                            "the callee:\n%s" % offer):
            return
        opus_type = int(opus_type.group(1))
        b_port = relay_port(incoming.invite.body)
        callee_sdp = ("v=0\r\no=callee 2 2 IN IP4 127.0.0.1\r\ns=opus-only\r\n"
                      "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio %d RTP/AVP %d\r\n"
                      "a=rtpmap:%d opus/48000/2\r\n" % (callee_rtp.port, opus_type,
                                                        opus_type)).encode()
        incoming.respond(200, "OK", body=callee_sdp)
        final = call.wait_final(5.0)
        if not checks.check(final is not None and final.status == 200,
                            "transcoding: the caller got %r" % final):
            return
        _, a_port, formats = pbx.sdp_audio(final.body)
        checks.check(formats == ["8"], "transcoding: the caller's answer lists %s, expected "
                     "only PCMA (8):\n%s" % (formats, final.body.decode()))
        incoming.wait_request("ACK", 3.0)
        # 1 s of a 440 Hz tone as PCMA from the caller, 1 s of 1 kHz as opus from the callee.
        for n in range(50):
            pcm = tone(440, 8000, n * 160, 160)
            caller_rtp.send(a_port, rtp(n + 1, 0x3001, payload=audioop.lin2alaw(
                struct.pack("<160h", *pcm), 2), payload_type=8))
            pcm = tone(1000, 48000, n * 960, 960)
            callee_rtp.send(b_port, rtp(n + 1, 0x3002, payload=opus.encode(pcm),
                                        payload_type=opus_type, step=960))
            time.sleep(0.02)
        at_callee = [rtp_payload(p) for p, _ in callee_rtp.receive_all(0.5)]
        at_caller = [rtp_payload(p) for p, _ in caller_rtp.receive_all(0.5)]
        checks.check(len(at_callee) >= 45 and all(t == opus_type for t, _ in at_callee),
                     "transcoding: the callee got %d packets of types %s, expected ~50 opus (%d)"
                     % (len(at_callee), sorted({t for t, _ in at_callee}), opus_type))
        checks.check(len(at_caller) >= 45 and all(t == 8 for t, _ in at_caller),
                     "transcoding: the caller got %d packets of types %s, expected ~50 PCMA: %s"
                     % (len(at_caller), sorted({t for t, _ in at_caller}),
                        [(i, t, len(p)) for i, (t, p) in enumerate(at_caller) if t != 8]))
        heard_by_callee = [x for _, payload in at_callee for x in opus.decode(payload)]
        pcm = audioop.alaw2lin(b"".join(payload for _, payload in at_caller), 2)
        heard_by_caller = list(struct.unpack("<%dh" % (len(pcm) // 2), pcm))
        callee_440 = goertzel(heard_by_callee[4800:], 440, 48000)
        callee_1000 = goertzel(heard_by_callee[4800:], 1000, 48000)
        caller_1000 = goertzel(heard_by_caller[800:], 1000, 8000)
        caller_440 = goertzel(heard_by_caller[800:], 440, 8000)
        print("transcoding: callee heard 440 Hz %.0f vs 1 kHz %.0f; caller heard 1 kHz %.0f vs "
              "440 Hz %.0f" % (callee_440, callee_1000, caller_1000, caller_440), flush=True)
        checks.check(callee_440 > 100 * max(callee_1000, 1),
                     "transcoding: the callee does not hear the caller's 440 Hz tone")
        checks.check(caller_1000 > 100 * max(caller_440, 1),
                     "transcoding: the caller does not hear the callee's 1 kHz tone")
        answer = call.bye()
        checks.check(answer is not None and answer.status == 200,
                     "transcoding: BYE answered %r" % answer)
        incoming.wait_request("BYE", 3.0)
        row = last_cdr(daemon, before + 1)
        checks.check(row is not None and row.get("caller_rtp_packets") == 50 and
                     row.get("callee_rtp_packets") == 50,
                     "transcoding: CDR packets %s" % row)
    finally:
        caller_rtp.close()
        callee_rtp.close()


def admin_get(daemon, path):
    with open(os.path.join(daemon.data_dir, "admin-token")) as token_file:
        token = token_file.read().strip()
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (daemon.http_port, path),
                                     headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=3) as response:
        return response.read().decode()


def dtmf_tone(digit, count, start):
    rows = {"1": 697, "5": 770}
    columns = {"1": 1209, "5": 1336}
    return [int(5000 * math.sin(2 * math.pi * rows[digit] * (start + i) / 8000) +
                5000 * math.sin(2 * math.pi * columns[digit] * (start + i) / 8000))
            for i in range(count)]


def event_packets(sequence, timestamp, ssrc, event, payload_type=101):
    """RFC 4733 packets of a 100 ms press: start with marker, updates, three ends."""
    out = []
    for n, (duration, end) in enumerate([(160, False), (480, False), (800, True), (800, True),
                                         (800, True)]):
        payload = struct.pack("!BBH", event, (0x80 if end else 0) | 10, duration)
        out.append(struct.pack("!BBHII", 0x80, (0x80 if n == 0 else 0) | payload_type,
                               (sequence + n) & 0xFFFF, timestamp, ssrc) + payload)
    return out


def event_sdp(sock, name):
    return ("v=0\r\no=%s 1 1 IN IP4 127.0.0.1\r\ns=%s\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio %d RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n"
            % (name, name, sock.port)).encode()


def metric(daemon, name, labels):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % daemon.http_port,
                                timeout=3) as response:
        text = response.read().decode()
    match = re.search(r"^%s\{%s\} (\d+)" % (re.escape(name), re.escape(labels)), text, re.M)
    return int(match.group(1)) if match else 0


def digits_case(checks, daemon, caller, callee):
    caller_rtp, callee_rtp = RtpSocket(), RtpSocket()
    before = len(pbx.cdr_rows(daemon))
    try:
        rfc4733_before = metric(daemon, "media_dtmf_digits_total", 'source="rfc4733"')
        inband_before = metric(daemon, "media_dtmf_digits_total", 'source="inband"')
        call = caller.call("1002", sdp=event_sdp(caller_rtp, "caller"))
        incoming = callee.wait_invite(5.0)
        if not checks.check(incoming is not None, "digits: the callee got no INVITE"):
            return
        b_port = relay_port(incoming.invite.body)
        incoming.respond(200, "OK", body=event_sdp(callee_rtp, "callee"))
        final = call.wait_final(5.0)
        if not checks.check(final is not None and final.status == 200,
                            "digits: the caller got %r" % final):
            return
        a_port = relay_port(final.body)
        incoming.wait_request("ACK", 3.0)
        sequence, timestamp = 1, 0
        # 200 ms of silence, "1" as RFC 4733, 200 ms silence, "5" as tones for 100 ms, silence.
        plan = [("silence", 10), ("event1", 1), ("silence", 10), ("tone5", 5), ("silence", 15)]
        for what, count in plan:
            if what == "event1":
                for packet in event_packets(sequence, timestamp, 0x4001, 1):
                    caller_rtp.send(a_port, packet)
                    time.sleep(0.02)
                sequence += 5
                timestamp += 800
                continue
            for _ in range(count):
                pcm = dtmf_tone("5", 160, timestamp) if what == "tone5" else [0] * 160
                payload = audioop.lin2ulaw(struct.pack("<160h", *pcm), 2)
                caller_rtp.send(a_port, rtp(sequence, 0x4001, payload=payload))
                sequence += 1
                timestamp += 160
                time.sleep(0.02)
        for packet in event_packets(1, 0, 0x4002, 11):  # "#"
            callee_rtp.send(b_port, packet)
            time.sleep(0.02)
        time.sleep(0.7)  # the end of an in-band press is known after the tone stops
        # "7" as SIP INFO: counted, and passed on to the callee as INFO.
        info_before = metric(daemon, "media_dtmf_digits_total", 'source="sip-info"')
        answer = call.info(b"Signal=7\r\nDuration=160\r\n", "application/dtmf-relay")
        checks.check(answer is not None and answer.status == 200,
                     "digits: the INFO was answered %r" % answer)
        relayed = incoming.wait_request("INFO", 3.0)
        checks.check(relayed is not None and b"Signal=7" in relayed.body and
                     relayed.get("content-type", "").startswith("application/dtmf-relay"),
                     "digits: the callee did not get the caller's INFO: %r" % relayed)
        checks.check(metric(daemon, "media_dtmf_digits_total", 'source="sip-info"') ==
                     info_before + 1, "digits: the INFO key press was not counted")
        calls = json.loads(admin_get(daemon, "/api/v1/calls"))
        calls = calls.get("calls", calls) if isinstance(calls, dict) else calls
        ours = [c for c in calls if c.get("caller") == "1001"]
        print("digits: calls %s" % ours, flush=True)
        checks.check(ours and ours[0].get("caller_digits") == "157" and
                     ours[0].get("callee_digits") == "#",
                     "digits: GET /api/v1/calls shows %s, expected caller 157 and callee #" % ours)
        rfc4733 = metric(daemon, "media_dtmf_digits_total", 'source="rfc4733"')
        inband = metric(daemon, "media_dtmf_digits_total", 'source="inband"')
        checks.check(rfc4733 - rfc4733_before == 2 and inband - inband_before == 1,
                     "digits: /metrics counted %d RFC 4733 and %d in-band digits, expected 2 and 1"
                     % (rfc4733 - rfc4733_before, inband - inband_before))
        call.bye()
        incoming.wait_request("BYE", 3.0)
        last_cdr(daemon, before + 1)  # so that the next case counts from after this call
    finally:
        caller_rtp.close()
        callee_rtp.close()


def recording_case(checks, daemon, caller, callee):
    caller_rtp, callee_rtp = RtpSocket(), RtpSocket()
    before = len(pbx.cdr_rows(daemon))
    try:
        setup = answered_call(checks, caller, callee, caller_rtp, callee_rtp, "recording")
        if setup is None:
            return
        call, incoming, a_port, b_port = setup
        for n in range(100):  # 2 s: the caller's tone, then the callee's
            sender, port, ssrc, frequency = ((caller_rtp, a_port, 0x5001, 440) if n < 50
                                             else (callee_rtp, b_port, 0x5002, 1000))
            pcm = tone(frequency, 8000, n * 160, 160)
            payload = audioop.lin2ulaw(struct.pack("<160h", *pcm), 2)
            sender.send(port, rtp(n + 1, ssrc, payload=payload))
            time.sleep(0.02)
        time.sleep(0.3)
        call.bye()
        incoming.wait_request("BYE", 3.0)
        row = last_cdr(daemon, before + 1)
        path = (row or {}).get("recording")
        if not checks.check(path, "recording: the CDR names no recording: %s" % row):
            return
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not os.path.exists(path):
            time.sleep(0.1)
        time.sleep(0.5)  # the writer thread finishes the file after the call
        with wave.open(path) as recording:
            channels, rate = recording.getnchannels(), recording.getframerate()
            frames = recording.readframes(recording.getnframes())
        samples = struct.unpack("<%dh" % (len(frames) // 2), frames)
        left, right = samples[0::2], samples[1::2]
        print("recording: %s, %d channels at %d Hz, %.2f s" % (path, channels, rate,
                                                              len(left) / max(rate, 1)), flush=True)
        if not checks.check(channels == 2 and rate == 8000 and 2.0 <= len(left) / 8000 <= 3.5,
                            "recording: %d channels at %d Hz, %d frames" % (channels, rate,
                                                                          len(left))):
            return
        # The first second (after the jitter buffer's ~0.1 s) is the caller's, the second the
        # callee's.
        first, second = slice(int(0.3 * rate), int(0.9 * rate)), slice(int(1.3 * rate),
                                                                     int(1.9 * rate))
        left_440 = goertzel(left[first], 440, rate)
        right_in_first = goertzel(right[first], 440, rate) + goertzel(right[first], 1000, rate)
        right_1000 = goertzel(right[second], 1000, rate)
        left_in_second = goertzel(left[second], 440, rate) + goertzel(left[second], 1000, rate)
        print("recording: left 440 Hz %.0f (right %.0f) in 0.3-0.9 s; right 1 kHz %.0f (left "
              "%.0f) in 1.3-1.9 s" % (left_440, right_in_first, right_1000, left_in_second),
              flush=True)
        checks.check(left_440 > 100 * max(right_in_first, 1),
                     "recording: the caller's 440 Hz is not (only) on the left channel")
        checks.check(right_1000 > 100 * max(left_in_second, 1),
                     "recording: the callee's 1 kHz is not (only) on the right channel")
    finally:
        caller_rtp.close()
        callee_rtp.close()


def sipp_echo_case(checks, daemon, work):
    if pbx.missing("sipp"):
        return
    before = len(pbx.cdr_rows(daemon))
    os.symlink("/usr/share/sip-tester", os.path.join(work, "pcap"))
    port = free_port(("udp",))
    # sipp binds its media port and the ones up to +3 (RTP, RTCP, and -rtp_echo's second pair).
    echo_port, caller_media_port = free_port_block(4), free_port_block(4)
    registered = pbx.sipp_register(work, "echo-register", daemon.sip("udp"), "1002",
                                   pbx.PASSWORDS["1002"], port=port)
    if not checks.check(registered.ok, "sipp: 1002 could not register:\n%s"
                        % registered.describe()):
        return
    callee = pbx.SippRun(work, "echo-callee", pbx.scenario(work, "uas_echo.xml"), port=port,
                         args=["-mi", "127.0.0.1", "-mp", echo_port, "-rtp_echo"])
    callee.start()
    pbx.wait_bound(port)
    try:
        caller = pbx.sipp_caller(work, "pcap-caller", daemon.sip("udp"), "1002", "uac_pcap.xml")
        caller.command += ["-mi", "127.0.0.1", "-mp", str(caller_media_port)]
        caller.run()
        checks.check(caller.ok, "sipp: the pcap caller failed:\n%s" % caller.describe())
    finally:
        callee.kill()
    row = last_cdr(daemon, before + 1)
    print("sipp pcap/echo CDR: %s" % row, flush=True)
    if checks.check(row is not None, "sipp: no CDR"):
        checks.check(row.get("caller_rtp_packets", 0) >= 236 and row.get("caller_rtp_lost") == 0,
                     "sipp: the caller's pcap (236 packets) was not relayed without loss: %s/%s"
                     % (row.get("caller_rtp_packets"), row.get("caller_rtp_lost")))
        checks.check(row.get("callee_rtp_packets", 0) >= 236 and row.get("callee_rtp_lost") == 0,
                     "sipp: the echo did not come back through the relay: %s/%s"
                     % (row.get("callee_rtp_packets"), row.get("callee_rtp_lost")))


def main():
    args = standard_arguments(__doc__).parse_args()
    checks = Checks()
    media = ("media:\n  rtp_timeout: 5s\n  rtp_port_min: %d\n  rtp_port_max: %d\n"
             "  inband_dtmf: true\n  record_calls: true\n" % (PORT_MIN, PORT_MAX))
    with pbx.workdir("pbx-media-") as work:
        with Kolokold(args.kolokold, transports=("udp",),
                      extra_yaml=pbx.pbx_yaml(extra=media)) as daemon:
            with pbx.Phone(daemon.sip("udp"), "1002") as callee, \
                    pbx.Phone(daemon.sip("udp"), "1001") as caller:
                answer, _ = callee.register()
                checks.check(answer is not None and answer.status == 200,
                             "1002 registration answered %r" % answer)
                relay_case(checks, daemon, caller, callee)
                timeout_case(checks, daemon, caller, callee)
                transcoding_case(checks, daemon, caller, callee)
                digits_case(checks, daemon, caller, callee)
                recording_case(checks, daemon, caller, callee)
                callee.register(expires=0)
            sipp_echo_case(checks, daemon, work)
            checks.check(daemon.alive(), "kolokold died")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
