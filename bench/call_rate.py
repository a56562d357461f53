#!/usr/bin/env python3
"""B2BUA calls per second through kolokold: an authenticated caller, a registered callee.

sipp as extension 1002 registers (digest) and then answers every call in server mode
(bench/scenarios/uas_answer.xml: 180, 200, ACK, BYE, 200); sipp as extension 1001 places the
calls (bench/scenarios/uac_call.xml: INVITE, 407, ACK, INVITE with credentials, 200, ACK, BYE
after --hold ms, 200). No media. Every call is two dialogs in kolokold, so it handles about
eighteen SIP messages per call. A step passes when every call completed (sipp exit 0, no failed
call) and sipp really reached 95 % of the asked rate; the ladder stops at the first failure.

The issue compares with Kamailio proxying about 1,500 calls/s on this machine (a B2BUA does twice
a proxy's work); no Kamailio run here, as a proxy is not the same job.

    call_rate.py --kolokold build/release/src/server/kolokold [--seconds 60]
                 [--rates 500 1000 1500] [--hold 0]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

from bench_common import (SCENARIOS, RssSampler, machine_line, process_cpu_seconds,  # noqa: E402
                          require_sipp, retransmissions, run_sipp)
import sipp_runner  # noqa: E402
from kolokol_harness import Kolokold, free_port  # noqa: E402

DOMAIN = "pbx.test"
MIN_ACHIEVED = 0.95
PASSWORDS = {"1001": "bench-caller-pw", "1002": "bench-callee-pw"}


def tenant_yaml():
    lines = ["demo_tenant: false", "tenants:", "  - name: bench", "    domains: [%s]" % DOMAIN,
             "    extensions:"]
    lines += ['      - {number: "%s", password: "%s"}' % item for item in PASSWORDS.items()]
    lines += ["registrar:", "  qualify_interval: 0s"]  # sipp would take an OPTIONS for a call
    return "\n".join(lines) + "\n"


def register_callee(daemon, port, workdir):
    csv = os.path.join(workdir, "callee.csv")
    with open(csv, "w") as out:
        out.write("SEQUENTIAL\n1002;[authentication username=1002 password=%s]\n"
                  % PASSWORDS["1002"])
    # Sent from the port the callee will answer on, so the Contact names it.
    result = run_sipp(daemon.sip("udp"), "register_users.xml", calls=1, rate=1,
                      keys=(("domain", DOMAIN), ("expires", 3600)), inf=csv,
                      extra=("-p", str(port)))
    if result.returncode != 0 or result.successful != 1:
        raise SystemExit("callee registration failed: %r\n%s" % (result, result.stdout[-2000:]))


def start_callee(port, workdir):
    return subprocess.Popen(
        [sipp_runner.sipp_binary(), "-sf", os.path.join(SCENARIOS, "uas_answer.xml"), "-t", "u1",
         "-i", "127.0.0.1", "-p", str(port), "-nostdin", "-max_recv_loops", "10000",
         "-max_sched_loops", "10000"],
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def call_step(daemon, rate, seconds, hold_ms):
    target = daemon.sip("udp")
    return run_sipp(target, "uac_call.xml", calls=rate * seconds, rate=rate,
                    keys=(("caller", "1001"), ("domain", DOMAIN)),
                    extra=("-s", "1002", "-au", "1001", "-ap", PASSWORDS["1001"],
                           "-auth_uri", "1002@%s:%d" % target, "-d", str(hold_ms)))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kolokold", required=True)
    parser.add_argument("--seconds", type=int, default=60, help="length of each rate step")
    parser.add_argument("--rates", type=int, nargs="+", default=(250, 500, 750, 1000, 1250, 1500))
    parser.add_argument("--hold", type=int, default=0, help="call length in ms")
    parser.add_argument("--settle", type=int, default=40,
                        help="seconds to wait after the last step before reading RSS")
    args = parser.parse_args()
    require_sipp()
    print(machine_line("sipp caller and callee over UDP on 127.0.0.1, calls of %d ms, %d s per "
                       "step" % (args.hold, args.seconds)), flush=True)
    workdir = tempfile.mkdtemp(prefix="call-bench-")
    best = 0
    with Kolokold(args.kolokold, transports=("udp",), log_level="warn", domains=(DOMAIN,),
                  extra_yaml=tenant_yaml()) as daemon:
        port = free_port(("udp",))
        register_callee(daemon, port, workdir)
        callee = start_callee(port, workdir)
        try:
            time.sleep(0.5)
            baseline = daemon.rss_kib()
            for rate in args.rates:
                cpu_before = process_cpu_seconds(daemon.pid)
                with RssSampler(daemon.pid) as sampler:
                    result = call_step(daemon, rate, args.seconds, args.hold)
                cpu = process_cpu_seconds(daemon.pid) - cpu_before
                calls = rate * args.seconds
                done = result.successful or 0
                achieved = done / result.elapsed if result.elapsed else 0
                ok = (result.returncode == 0 and done == calls and not result.failed
                      and achieved >= MIN_ACHIEVED * rate)
                print("kolokold  rate %5d/s  %7d asked  ok %7s  failed %5s  retrans %5d  rc %3s  "
                      "achieved %6.0f/s  CPU %6.1f us/call  RSS peak %d MiB  %s"
                      % (rate, calls, done, result.failed, retransmissions(result.stdout),
                         result.returncode, achieved,
                         1e6 * cpu / max(done, 1), sampler.peak // 1024,
                         "PASS" if ok else "FAIL"), flush=True)
                if callee.poll() is not None or not daemon.alive():
                    print("the callee or kolokold died at %d/s" % rate)
                    break
                if not ok:
                    break
                best = rate
                time.sleep(2.0)
            time.sleep(args.settle)  # Timer J/L/M of the last calls, then the trim
            print("kolokold RSS: %d MiB before the calls, %d MiB %d s after the last step"
                  % (baseline // 1024, daemon.rss_kib() // 1024, args.settle), flush=True)
        finally:
            callee.terminate()
            callee.wait()
    print("\nhighest rate with every call completed over %d s: kolokold %d calls/s "
          "(goal 1,000/s)" % (args.seconds, best))
    return 0


if __name__ == "__main__":
    sys.exit(main())
