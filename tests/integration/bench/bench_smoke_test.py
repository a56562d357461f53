#!/usr/bin/env python3
"""The bench scripts still run: each at a rate any machine sustains, for a few seconds.

Not a performance test (figures come from `make bench`, docs/performance.md): it checks that
registrar_rate.py (both servers), call_rate.py and registrar_memory.py start their peers, drive
kolokold with sipp, and report every step passed at these low rates; media_relay.py relays 20
calls of RTP through kolokold with bench/rtp_load (when the bench programs were built). A bench that rots is found
here, not on the day someone needs its figures.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(HERE, "..", "..", "..", "bench")


def run(script, arguments, timeout):
    command = [sys.executable, os.path.join(BENCH, script)] + arguments
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, timeout=timeout)
    print("$ %s\n%s" % (" ".join(command), completed.stdout), flush=True)
    return completed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kolokold", required=True)
    args = parser.parse_args()
    if shutil.which("sipp") is None:
        print("sipp is not installed: skipped")
        return 77
    failures = []

    def expect(condition, message):
        if not condition:
            failures.append(message)
            print("FAIL: " + message, flush=True)

    servers = ["kolokold", "kamailio"] if shutil.which("kamailio") else ["kolokold"]
    reg = run("registrar_rate.py", ["--kolokold", args.kolokold, "--seconds", "3", "--rates",
                                    "300", "--users", "50", "--settle", "1", "--servers"]
              + servers, 180)
    expect(reg.returncode == 0, "registrar_rate.py exited %d" % reg.returncode)
    for server in servers:
        expect(re.search(r"^%s\s+rate\s+300/s.*PASS" % server, reg.stdout, re.M) is not None,
               "registrar_rate.py: no passing 300/s step for %s" % server)

    calls = run("call_rate.py", ["--kolokold", args.kolokold, "--seconds", "3", "--rates", "50",
                                 "--settle", "1"], 180)
    expect(calls.returncode == 0, "call_rate.py exited %d" % calls.returncode)
    expect(re.search(r"rate\s+50/s.*PASS", calls.stdout) is not None,
           "call_rate.py: the 50 calls/s step did not pass")

    memory = run("registrar_memory.py", ["--kolokold", args.kolokold, "--users", "300",
                                         "--total", "600", "--rate", "300", "--settle", "1"], 180)
    expect(memory.returncode == 0, "registrar_memory.py exited %d" % memory.returncode)
    expect("300 contacts registered (metric: 300)" in memory.stdout,
           "registrar_memory.py: the 300 registrations did not all show in registrar_contacts")

    build = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(args.kolokold))))
    if os.path.exists(os.path.join(build, "bench", "rtp_load", "rtp_load")):
        relay = run("media_relay.py", ["--kolokold", args.kolokold, "--calls", "20",
                                       "--duration", "3", "--rate", "50"], 180)
        expect(relay.returncode == 0, "media_relay.py exited %d" % relay.returncode)
        expect(re.search(r"^\s+20\s.*relayed PASS", relay.stdout, re.M) is not None,
               "media_relay.py: the 20-call step was not relayed without loss")
    else:
        print("bench/rtp_load not built (KOLOKOL_BUILD_BENCH=OFF): media_relay.py not run")

    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
