#!/usr/bin/env python3
"""Bad input never takes kolokold down: garbage datagrams, truncated and slow TCP streams, a
64 KiB header, 10,000 headers. After each case the daemon is alive, /health is 200 and it still
answers OPTIONS."""

import os
import random
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common"))

import sip_wire  # noqa: E402
from kolokol_harness import Checks, Kolokold, parse_error_total, standard_arguments  # noqa: E402

REJECTIONS = (400, 413, 494, 513)  # acceptable answers to an oversized message


def options(address, transport="UDP", extra_headers=()):
    return sip_wire.request("OPTIONS", "sip:example.com", transport=transport, local=address,
                            extra_headers=extra_headers)


def mutate(rng, message):
    data = bytearray(message)
    for _ in range(rng.randint(1, 20)):
        position = rng.randrange(len(data))
        choice = rng.random()
        if choice < 0.4:
            data[position] = rng.randrange(256)
        elif choice < 0.7:
            del data[position:position + rng.randint(1, 30)]
        else:
            data[position:position] = rng.choice([b"\r\n", b":", b";", b"<", b"\"", b"%",
                                                  b"\x00", b" ", b"\r\n\r\n", b"9" * 30])
        if not data:
            data = bytearray(b"\r\n")
    return bytes(data)


def garbage_datagrams(checks, daemon):
    rng = random.Random(4475)
    before = daemon.metrics()
    with sip_wire.UdpPeer() as peer:
        template = options(peer.address)
        for index in range(1000):
            if index % 2:
                payload = bytes(rng.randrange(256) for _ in range(rng.randint(1, 1400)))
            else:
                payload = mutate(rng, template)  # SIP-shaped garbage reaches deeper code
            peer.send(payload, daemon.sip("udp"))
            if index % 100 == 99:
                time.sleep(0.01)  # stay under the socket buffer
    daemon.assert_healthy("1000 garbage datagrams")
    after = daemon.metrics()
    counted = parse_error_total(after) - parse_error_total(before)
    print("garbage: %d parse errors counted" % counted, flush=True)
    checks.check(counted > 0, "garbage datagrams not counted as parse errors in /metrics")


def truncated_streams(checks, daemon):
    with sip_wire.UdpPeer() as scratch:
        message = sip_wire.request("INVITE", "sip:bob@example.com", transport="TCP",
                                   local=scratch.address, body=b"v=0\r\n" * 20,
                                   extra_headers=["Content-Type: application/sdp"])
    rng = random.Random(7)
    cuts = sorted({1, 10, len(message) // 3, len(message) // 2, len(message) - 10,
                   len(message) - 1} | {rng.randrange(len(message)) for _ in range(40)})
    for cut in cuts:
        with socket.create_connection(daemon.sip("tcp"), timeout=3) as conn:
            conn.sendall(message[:cut])
    # A truncated message followed by a reset (RST instead of FIN).
    conn = socket.create_connection(daemon.sip("tcp"), timeout=3)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.sendall(message[:len(message) // 2])
    conn.close()
    daemon.assert_healthy("%d truncated TCP messages" % (len(cuts) + 1))
    checks.check(True, "")


def slow_stream(checks, daemon):
    """1 byte per 50 ms on one connection; others are served meanwhile, and the slow one too."""
    result = {}

    def trickle():
        with sip_wire.StreamPeer(daemon.sip("tcp"), timeout=30) as peer:
            message = sip_wire.request("OPTIONS", "sip:example.com", transport="TCP",
                                       local=peer.address)
            for byte in message[:80]:
                peer.send(bytes([byte]))
                time.sleep(0.05)
            peer.send(message[80:])  # the rest at once: the test must stay short
            result["answer"], _ = sip_wire.final_response(peer, 3.0)

    thread = threading.Thread(target=trickle)
    thread.start()
    worst = 0.0
    served = 0
    while thread.is_alive():
        started = time.monotonic()
        with sip_wire.StreamPeer(daemon.sip("tcp")) as peer:
            peer.send(options(peer.address, "TCP"))
            answer, _ = sip_wire.final_response(peer, 2.0)
        worst = max(worst, time.monotonic() - started)
        served += answer is not None and answer.status == 200
        time.sleep(0.2)
    thread.join()
    print("slow stream: %d other requests served meanwhile, slowest %.3f s; slow one got %r"
          % (served, worst, result.get("answer")), flush=True)
    checks.check(served >= 10 and worst < 1.0, "others not served during the slow stream "
                 "(%d served, slowest %.2f s)" % (served, worst))
    answer = result.get("answer")
    checks.check(answer is not None and answer.status == 200,
                 "the slowly sent OPTIONS got %r" % answer)
    daemon.assert_healthy("a slow TCP stream")


def big_header(checks, daemon):
    huge = "X-Huge: " + "a" * 65536
    with sip_wire.StreamPeer(daemon.sip("tcp")) as peer:
        try:
            peer.send(options(peer.address, "TCP", [huge]))
            answer, _ = sip_wire.final_response(peer, 3.0)
        except OSError:
            answer = None  # the daemon closed the connection while we were still sending
        outcome = "closed" if peer.closed_by_peer else repr(answer)
    print("64 KiB header over TCP: %s" % outcome, flush=True)
    checks.check(answer is None or answer.status in REJECTIONS,
                 "64 KiB header over TCP answered %r (expected %s or a drop)" % (answer,
                                                                                 REJECTIONS))
    with sip_wire.UdpPeer() as peer:
        peer.send(options(peer.address, extra_headers=["X-Huge: " + "a" * 60000]),
                  daemon.sip("udp"))
        answer, _ = sip_wire.final_response(peer, 2.0)
    print("60 KB header over UDP: %r" % answer, flush=True)
    checks.check(answer is None or answer.status in REJECTIONS + (200,),
                 "60 KB header over UDP answered %r" % answer)
    daemon.assert_healthy("a 64 KiB header")


def many_headers(checks, daemon):
    for transport in ("udp", "tcp"):
        headers = ["X:%d" % (i % 10) for i in range(10000)]
        if transport == "udp":
            peer = sip_wire.UdpPeer()
            send = lambda data, p=peer: p.send(data, daemon.sip("udp"))
        else:
            peer = sip_wire.StreamPeer(daemon.sip("tcp"))
            send = peer.send
        with peer:
            message = options(peer.address, transport.upper(), headers)
            send(message)
            started = time.monotonic()
            try:
                answer, _ = sip_wire.final_response(peer, 1.0)
            except OSError:
                answer = None
            took = time.monotonic() - started
        print("10,000 headers over %s (%d bytes): %r after %.3f s"
              % (transport, len(message), answer, took), flush=True)
        checks.check(took <= 1.05, "10,000 headers over %s: no answer or drop within 1 s" %
                     transport)
        checks.check(answer is None or answer.status in REJECTIONS + (200,),
                     "10,000 headers over %s answered %r" % (transport, answer))
        daemon.assert_healthy("10,000 headers over %s" % transport)


def main():
    args = standard_arguments(__doc__).parse_args()
    checks = Checks()
    with Kolokold(args.kolokold, transports=("udp", "tcp")) as daemon:
        for case in (garbage_datagrams, truncated_streams, slow_stream, big_header,
                     many_headers):
            print("== %s" % case.__name__, flush=True)
            case(checks, daemon)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
