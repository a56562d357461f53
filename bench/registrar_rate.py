#!/usr/bin/env python3
"""Authenticated REGISTERs per second over UDP: kolokold beside Kamailio 5.6, same run.

Both servers get the same users (a numbered set, MD5 digest, one Contact each) and the same sipp
scenario (bench/scenarios/register_users.xml: REGISTER, 401, REGISTER with Authorization, 200),
cycling through the users so bindings are refreshed as phones do. Each rate step lasts
--seconds (60 by default, the issue's measure); a step passes when every registration
succeeded (sipp exit 0, no failed call) and sipp really reached 95 % of the asked rate. The ladder
stops at the first failure. Printed per step: achieved rate, sipp retransmissions (a
retransmission means an answer came later than 500 ms), server CPU per registration, and
kolokold's RSS (peak during the step and after).

    registrar_rate.py --kolokold build/release/src/server/kolokold [--seconds 60]
                      [--rates 4000 5000 6000 7000 8000] [--users 1000]
"""

import argparse
import os
import sys
import tempfile
import time

from bench_common import (RssSampler, cpu_seconds, machine_line, process_cpu_seconds,  # noqa
                          require_sipp, retransmissions, rss_kib, run_sipp, session_of,
                          write_users_csv)
from kamailio_peer import Kamailio  # noqa: E402
from kolokol_harness import Kolokold  # noqa: E402

DOMAIN = "pbx.test"
MIN_ACHIEVED = 0.95
FIRST_NUMBER = 20000


def users(count):
    return [(str(FIRST_NUMBER + i), "pw-%d-bench" % (FIRST_NUMBER + i)) for i in range(count)]


def tenant_yaml(user_list):
    lines = ["demo_tenant: false", "tenants:", "  - name: bench", "    domains: [%s]" % DOMAIN,
             "    extensions:"]
    lines += ['      - {number: "%s", password: "%s"}' % item for item in user_list]
    lines += ["registrar:", "  qualify_interval: 0s"]  # sipp would answer OPTIONS as a new call
    return "\n".join(lines) + "\n"


def climb(name, server, rates, seconds, csv, pid=None):
    # kolokold is one process (the harness does not give it a session of its own, sipp shares
    # the bench's); Kamailio forks workers into its own session.
    if pid:
        def server_cpu():
            return process_cpu_seconds(pid)
    else:
        session = session_of(server.process.pid)

        def server_cpu():
            return cpu_seconds(session)
    best, rows = 0, []
    for rate in rates:
        calls = rate * seconds
        cpu_before = server_cpu()
        sampler = RssSampler(pid) if pid else None
        if sampler:
            sampler.__enter__()
        result = run_sipp(server.sip("udp"), "register_users.xml", calls=calls, rate=rate,
                          keys=(("domain", DOMAIN), ("expires", 3600)), inf=csv)
        if sampler:
            sampler.__exit__(None, None, None)
        cpu = server_cpu() - cpu_before
        done = result.successful or 0
        achieved = done / result.elapsed if result.elapsed else 0
        ok = result.returncode == 0 and done == calls and not result.failed \
            and achieved >= MIN_ACHIEVED * rate
        memory = ("  kolokold RSS peak %d MiB, now %d MiB" % (sampler.peak // 1024,
                                                            rss_kib(pid) // 1024)
                  if sampler else "")
        print("%-9s rate %5d/s  %8d asked  ok %8s  failed %5s  retrans %6s  rc %3s  "
              "achieved %6.0f/s  CPU %5.1f us/reg  %s%s"
              % (name, rate, calls, done, result.failed, retransmissions(result.stdout),
                 result.returncode, achieved, 1e6 * cpu / max(done, 1),
                 "PASS" if ok else "FAIL", memory), flush=True)
        rows.append((rate, ok, achieved, retransmissions(result.stdout)))
        if not server.alive():
            print("%s died at %d/s" % (name, rate))
            break
        if not ok:
            break
        best = rate
        time.sleep(2.0)
    return best, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kolokold", required=True)
    parser.add_argument("--seconds", type=int, default=60, help="length of each rate step")
    parser.add_argument("--rates", type=int, nargs="+", default=(4000, 5000, 6000, 7000, 8000))
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--settle", type=int, default=35,
                        help="seconds to wait after kolokold's last step before reading RSS")
    parser.add_argument("--kamailio-children", type=int, default=2)
    parser.add_argument("--servers", nargs="+", default=("kolokold", "kamailio"),
                        choices=("kolokold", "kamailio"))
    args = parser.parse_args()
    require_sipp()
    print(machine_line("sipp REGISTER with MD5 digest over UDP on 127.0.0.1, %d users, %d s per "
                       "step" % (args.users, args.seconds)), flush=True)
    user_list = users(args.users)
    workdir = tempfile.mkdtemp(prefix="registrar-bench-")
    csv = os.path.join(workdir, "users.csv")
    write_users_csv(csv, user_list)

    ours = theirs = (0, [])
    if "kolokold" in args.servers:
        with Kolokold(args.kolokold, transports=("udp",), log_level="warn", domains=(DOMAIN,),
                      extra_yaml=tenant_yaml(user_list), ready_timeout=120) as daemon:
            baseline = daemon.rss_kib()
            ours = climb("kolokold", daemon, args.rates, args.seconds, csv, daemon.pid)
            time.sleep(args.settle)  # Timer J of the last step's transactions, then the trim
            print("kolokold RSS: %d MiB before, %d MiB %d s after the last step"
                  % (baseline // 1024, daemon.rss_kib() // 1024, args.settle), flush=True)
    if "kamailio" in args.servers:
        with Kamailio(role="registrar", domains=(DOMAIN,), children=args.kamailio_children,
                      users=dict(user_list)) as kamailio:
            theirs = climb("kamailio", kamailio, args.rates, args.seconds, csv)

    print("\nhighest rate with every registration answered over %d s: kolokold %d/s, "
          "kamailio 5.6 (%d UDP children) %d/s" % (args.seconds, ours[0], args.kamailio_children,
                                                    theirs[0]))
    if theirs[0]:
        print("ratio kolokold/kamailio: %.2f" % (ours[0] / theirs[0]))
    if ours[0] == args.rates[-1] or theirs[0] == args.rates[-1]:
        print("note: the top of the ladder (%d/s) passed; that figure is a lower bound"
              % args.rates[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
