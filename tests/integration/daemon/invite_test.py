#!/usr/bin/env python3
"""A new INVITE without credentials is answered 100 then 407 (the PBX authenticates every caller);
the ACK is absorbed (RFC 3261 17.2.1).

Over UDP the 407 is retransmitted (timer G) until the ACK arrives and never after; a retransmitted
INVITE gets the same 407 again instead of starting a new transaction.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common"))

import sip_wire  # noqa: E402
from kolokol_harness import Checks, Kolokold, standard_arguments  # noqa: E402

SDP = (b"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       b"m=audio 40000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n")
URI = "sip:bob@example.com"


def invite(address, transport):
    return sip_wire.request("INVITE", URI, transport=transport, local=address, body=SDP,
                            extra_headers=["Contact: <sip:alice@%s:%d>" % address,
                                           "Content-Type: application/sdp"])


def collect(peer, seconds):
    messages, deadline = [], time.monotonic() + seconds
    while True:
        message = peer.receive(max(0.0, deadline - time.monotonic()))
        if message is None:
            return messages
        messages.append(message)


def check_answers(checks, label, answers):
    codes = [m.status for m in answers]
    print("%s: %s" % (label, codes), flush=True)
    finals = [m for m in answers if m.status is not None and m.status >= 200]
    if not checks.check(finals, "%s: no final answer (%s)" % (label, codes)):
        return None
    checks.check(finals[0].status == 407, "%s: final answer %d, expected 407" % (label,
                                                                                 finals[0].status))
    checks.check(all(m.status == 100 for m in answers[:answers.index(finals[0])]),
                 "%s: unexpected provisional answers %s" % (label, codes))
    checks.check(";tag=" in finals[0].get("to", "").replace(" ", ""), "%s: 407 without To tag"
                 % label)
    return finals[0]


def udp_case(checks, daemon):
    with sip_wire.UdpPeer() as peer:
        # 1. answered, ACKed, then silence (no 407 retransmission after the ACK).
        message = invite(peer.address, "UDP")
        peer.send(message, daemon.sip("udp"))
        final = check_answers(checks, "udp INVITE", collect(peer, 0.4))
        if final is None:
            return
        peer.send(sip_wire.ack_for(URI, final), daemon.sip("udp"))
        after_ack = collect(peer, 2.0)
        checks.check(not after_ack, "udp: answers after the ACK: %s" % after_ack)

        # 2. no ACK: the 407 is retransmitted (timer G, first after T1 = 500 ms) with the same tag;
        # a retransmitted INVITE is answered with the same 407 too.
        message = invite(peer.address, "UDP")
        peer.send(message, daemon.sip("udp"))
        final = check_answers(checks, "udp INVITE without ACK", collect(peer, 0.3))
        if final is None:
            return
        peer.send(message, daemon.sip("udp"))
        repeats = [m for m in collect(peer, 1.3) if m.status == 407]
        checks.check(len(repeats) >= 2, "udp: 407 not retransmitted (timer G / INVITE "
                     "retransmission): %d copies in 1.3 s" % len(repeats))
        checks.check(all(m.get("to") == final.get("to") for m in repeats),
                     "udp: retransmitted 407 has another To tag")
        peer.send(sip_wire.ack_for(URI, final), daemon.sip("udp"))
        time.sleep(0.1)
        collect(peer, 0.2)  # a retransmission may cross the ACK
        late = collect(peer, 2.0)
        checks.check(not late, "udp: 407 still retransmitted after the ACK: %s" % late)


def tcp_case(checks, daemon):
    with sip_wire.StreamPeer(daemon.sip("tcp")) as peer:
        peer.send(invite(peer.address, "TCP"))
        final = check_answers(checks, "tcp INVITE", collect(peer, 1.0))
        if final is None:
            return
        peer.send(sip_wire.ack_for(URI, final))
        late = collect(peer, 1.5)  # no retransmissions on a reliable transport
        checks.check(not late, "tcp: answers after the ACK: %s" % late)


def main():
    args = standard_arguments(__doc__).parse_args()
    checks = Checks()
    with Kolokold(args.kolokold, transports=("udp", "tcp")) as daemon:
        udp_case(checks, daemon)
        tcp_case(checks, daemon)
        daemon.assert_healthy("INVITE")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
