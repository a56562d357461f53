#!/usr/bin/env python3
"""SIGHUP reloads the log level (an invalid file on reload is ignored); SIGTERM while a client
keeps sending exits with status 0 within the drain timeout."""

import os
import re
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common"))

import sip_wire  # noqa: E402
from kolokol_harness import Checks, Kolokold, standard_arguments  # noqa: E402

DRAIN = 2  # seconds, shutdown.drain_timeout in the test config


def debug_lines(text):
    # src/base/log.cc pattern: "<UTC time> <level> [<component>] <message>"
    return len(re.findall(r"(?m)^\S+ \[?debug\]? ", text))


def poke(daemon, count=5):
    """Traffic that a debug log level would mention: OPTIONS and HTTP requests."""
    for _ in range(count):
        daemon.http_get("/health")
    with sip_wire.UdpPeer() as peer:
        for _ in range(count):
            peer.send(sip_wire.request("OPTIONS", "sip:example.com", local=peer.address),
                      daemon.sip("udp"))
            sip_wire.final_response(peer, 1.0)


def reload_case(checks, daemon):
    poke(daemon)
    before = debug_lines(daemon.log_text())
    checks.check(before == 0, "debug lines logged at level info: %d" % before)

    daemon.write_config("debug")
    os.kill(daemon.pid, signal.SIGHUP)
    time.sleep(0.5)
    poke(daemon)
    time.sleep(0.3)
    after = debug_lines(daemon.log_text())
    print("debug lines: %d at info, %d after SIGHUP to debug" % (before, after), flush=True)
    checks.check(after > before, "SIGHUP did not switch the log level to debug")

    with open(daemon.config_path, "a") as config:
        config.write("no_such_key: 1\n")
    os.kill(daemon.pid, signal.SIGHUP)
    time.sleep(0.5)
    checks.check(daemon.alive(), "an invalid config on SIGHUP stopped the daemon")
    daemon.assert_healthy("SIGHUP with an invalid file")
    checks.check("no_such_key" in daemon.log_text(),
                 "the rejected reload does not name the bad key in the log")

    daemon.write_config("info")
    os.kill(daemon.pid, signal.SIGHUP)
    time.sleep(0.5)
    mark = debug_lines(daemon.log_text())
    poke(daemon)
    time.sleep(0.3)
    checks.check(debug_lines(daemon.log_text()) <= mark + 2,
                 "SIGHUP back to info still logs debug lines")


def term_under_load_case(checks, daemon):
    stop = threading.Event()
    answered = [0]

    def client():
        with sip_wire.UdpPeer() as peer:
            while not stop.is_set():
                peer.send(sip_wire.request("OPTIONS", "sip:example.com", local=peer.address),
                          daemon.sip("udp"))
                if peer.receive(0.005) is not None:
                    answered[0] += 1

    sender = threading.Thread(target=client, daemon=True)
    sender.start()
    time.sleep(1.0)
    started = time.monotonic()
    code = daemon.stop(timeout=DRAIN + 10)
    took = time.monotonic() - started
    stop.set()
    sender.join(5)
    print("SIGTERM under load: exit %s after %.2f s, %d answers before" % (code, took,
                                                                          answered[0]), flush=True)
    checks.check(answered[0] > 50, "the client got only %d answers before SIGTERM" % answered[0])
    checks.check(code == 0, "exit status after SIGTERM under load: %s" % code)
    checks.check(took < DRAIN + 5, "SIGTERM took %.1f s (drain timeout %d s)" % (took, DRAIN))


def main():
    args = standard_arguments(__doc__).parse_args()
    checks = Checks()
    extra = "shutdown:\n  drain_timeout: %ds\n" % DRAIN
    with Kolokold(args.kolokold, transports=("udp", "tcp"), log_level="info",
                  extra_yaml=extra) as daemon:
        reload_case(checks, daemon)
        term_under_load_case(checks, daemon)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
