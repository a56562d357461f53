#!/usr/bin/env python3
"""sip_agent REGISTER with digest auth against a real registrar: Kamailio 5.6 (CTest driver).

Usage: kamailio_register_test.py --agent PATH

For two registrar set-ups (MD5 without qop, as in TEST-PEERS.md section 3; SHA-256 with
qop="auth", which exercises nc/cnonce), over UDP and over TCP:
  - a wrong password: the agent exits non-zero after exactly two REGISTERs and two 401s,
    and the location table stays empty;
  - the right password: exit 0 after one 401, and kamcmd shows alice bound to the agent's
    contact (with transport=tcp for TCP).
Exit 0 on success, 1 on failure, 77 when kamailio or kamcmd is missing.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common"))

from kamailio_peer import Kamailio  # noqa: E402

AOR = "sip:alice@pbx.test"
USER = "alice"
PASSWORD = "alicepw"


class TestFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise TestFailure(message)


def run_register(agent, kamailio, transport, password):
    """Runs one sip_agent REGISTER; returns (exit code, output, local listening port)."""
    target = "sip:127.0.0.1:%d" % kamailio.port
    if transport == "tcp":
        target += ";transport=tcp"
    command = [agent, "uac", "--register", AOR, "--user", USER, "--password", password,
               "--target", target, "--timeout-s", "10"]
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            timeout=30)
    print("--- sip_agent %s password=%s rc=%d ---\n%s"
          % (transport, password, result.returncode, result.stdout), flush=True)
    port = None
    for line in result.stdout.splitlines():
        if line.startswith("listening %s " % transport.upper()):
            port = int(line.rpartition(":")[2])
    return result.returncode, result.stdout, port


def counters(kamailio):
    return kamailio.counter("register"), kamailio.counter("challenge")


def registered_contacts(kamailio):
    """The contact addresses bound to alice (empty when she is not registered)."""
    brief = kamailio.kamcmd("ul.dump", "brief")
    if "AoR: alice" not in brief:
        return []
    lookup = kamailio.kamcmd("ul.lookup", "location", USER)
    return [line.split(":", 1)[1].strip() for line in lookup.splitlines()
            if line.strip().startswith("Address:")]


def wrong_password(agent, kamailio, transport):
    before = counters(kamailio)
    rc, output, _ = run_register(agent, kamailio, transport, "not-" + PASSWORD)
    after = counters(kamailio)
    sent = (after[0] - before[0], after[1] - before[1])
    check(rc != 0, "%s: wrong password but sip_agent exited 0" % transport)
    check("credentials rejected" in output and "calls=1 ok=0 failed=1" in output,
          "%s: wrong password not reported as rejected credentials" % transport)
    check(sent == (2, 2), "%s: expected 2 REGISTERs and 2 challenges, registrar saw %s"
          % (transport, sent))
    check(registered_contacts(kamailio) == [],
          "%s: alice registered despite the wrong password" % transport)


def right_password(agent, kamailio, transport):
    before = counters(kamailio)
    rc, output, port = run_register(agent, kamailio, transport, PASSWORD)
    after = counters(kamailio)
    sent = (after[0] - before[0], after[1] - before[1])
    check(rc == 0 and "calls=1 ok=1 failed=0" in output,
          "%s: REGISTER with the right password failed (rc=%d)" % (transport, rc))
    check(sent == (2, 1), "%s: expected 2 REGISTERs and 1 challenge, registrar saw %s"
          % (transport, sent))
    check(port is not None, "%s: sip_agent printed no %s listener" % (transport, transport))
    contacts = registered_contacts(kamailio)
    expected = [c for c in contacts if "@127.0.0.1:%d" % port in c
                and (("transport=tcp" in c) == (transport == "tcp"))]
    check(expected, "%s: no contact for 127.0.0.1:%d in the location table: %s"
          % (transport, port, contacts))


def run_against(agent, qop_auth, algorithm):
    label = "%s%s" % (algorithm, ", qop=auth" if qop_auth else ", no qop")
    with Kamailio(role="registrar", domains=("pbx.test",), qop_auth=qop_auth,
                  algorithm=algorithm) as kamailio:
        try:
            for transport in ("udp", "tcp"):
                wrong_password(agent, kamailio, transport)
            for transport in ("udp", "tcp"):
                right_password(agent, kamailio, transport)
            print("ok: %s\n%s" % (label, kamailio.kamcmd("ul.dump", "brief")), flush=True)
        except TestFailure as failure:
            print("FAIL (%s): %s\n--- kamailio log ---\n%s"
                  % (label, failure, kamailio.log_tail()), flush=True)
            raise


def exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)  # unwinds through the with-blocks: Kamailio is stopped


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agent", required=True)
    args = parser.parse_args()
    for tool in ("kamailio", "kamcmd"):
        if shutil.which(tool) is None:
            print("%s not installed: skipped" % tool)
            return 77
    signal.signal(signal.SIGTERM, exit_on_signal)
    signal.signal(signal.SIGINT, exit_on_signal)
    try:
        run_against(args.agent, qop_auth=False, algorithm="MD5")
        run_against(args.agent, qop_auth=True, algorithm="SHA-256")
    except TestFailure:
        return 1
    print("PASS kamailio_register")
    return 0


if __name__ == "__main__":
    sys.exit(main())
