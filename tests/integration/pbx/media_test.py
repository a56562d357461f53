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
Then sipp: a caller playing sipp's g711a.pcap (236 PCMA packets) through the PBX to a sipp
callee with -rtp_echo; the CDR shows the packets of both legs relayed with no loss.
"""

import os
import random
import socket
import struct
import sys
import time

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


def rtp(sequence, ssrc, marker=False):
    payload = bytes((sequence * 7 + i) & 0xFF for i in range(160))
    return struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | 0, sequence & 0xFFFF,
                       sequence * 160, ssrc) + payload


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
    media = "media:\n  rtp_timeout: 5s\n  rtp_port_min: %d\n  rtp_port_max: %d\n" % (
        PORT_MIN, PORT_MAX)
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
                callee.register(expires=0)
            sipp_echo_case(checks, daemon, work)
            checks.check(daemon.alive(), "kolokold died")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
