#!/usr/bin/env python3
"""SIGHUP reloads the log level (an invalid file on reload is ignored) and the TLS certificate
(new connections get the new one; an unreadable key keeps the old one); SIGTERM while a client
keeps sending exits with status 0 within the drain timeout."""

import os
import re
import signal
import socket
import ssl
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


def server_certificate(daemon):
    """The DER certificate a new TLS connection to the daemon is shown."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection(daemon.sip("tls"), timeout=3.0) as raw:
        with context.wrap_socket(raw) as tls:
            return tls.getpeercert(binary_form=True)


def tls_reload_case(checks, daemon):
    # No certificate configured: the daemon generated <data_dir>/tls/sip-{cert,key}.pem. Removing
    # them makes the next SIGHUP generate (and serve) a fresh pair.
    tls_dir = os.path.join(daemon.workdir, "data", "tls")
    first = server_certificate(daemon)
    for name in ("sip-cert.pem", "sip-key.pem"):
        os.remove(os.path.join(tls_dir, name))
    os.kill(daemon.pid, signal.SIGHUP)
    time.sleep(0.5)
    second = server_certificate(daemon)
    checks.check("TLS certificate reloaded from" in daemon.log_text(),
                 "SIGHUP did not log the TLS certificate reload")
    checks.check(second != first, "a new TLS connection still sees the old certificate")

    with open(os.path.join(tls_dir, "sip-key.pem"), "w") as key:
        key.write("-----BEGIN PRIVATE KEY-----\nbroken\n-----END PRIVATE KEY-----\n")
    os.kill(daemon.pid, signal.SIGHUP)
    time.sleep(0.5)
    checks.check(daemon.alive(), "an unreadable TLS key on SIGHUP stopped the daemon")
    checks.check("TLS certificate not reloaded" in daemon.log_text(),
                 "SIGHUP with a broken key did not log the failed reload")
    checks.check(server_certificate(daemon) == second,
                 "a failed TLS reload did not keep the certificate in use")
    print("TLS reload: new certificate after SIGHUP, kept after a broken key", flush=True)


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
    with Kolokold(args.kolokold, transports=("udp", "tcp", "tls"), log_level="info",
                  extra_yaml=extra) as daemon:
        reload_case(checks, daemon)
        tls_reload_case(checks, daemon)
        term_under_load_case(checks, daemon)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
