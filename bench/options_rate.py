#!/usr/bin/env python3
"""Stateless OPTIONS answered per second over UDP: kolokold beside Kamailio 5.6, same run.

For each server, sipp (same host) sends OPTIONS at increasing rates for a bounded time per step;
the figure is the highest rate where every OPTIONS got its 200 (sipp exit 0, no failed call).
A step also needs sipp to have really reached 85 % of the asked rate. The server's CPU time per
request is printed too: on a 2-core box sipp itself is often the
limit, and CPU per request still compares the two servers.

    options_rate.py --kolokold build/release/src/server/kolokold [--seconds 5] [--rates ...]
"""

import argparse
import sys
import time

from bench_common import (cpu_seconds, machine_line, process_cpu_seconds, require_sipp,  # noqa
                          session_of)
import sipp_runner  # noqa: E402
from kamailio_peer import Kamailio  # noqa: E402
from kolokol_harness import Kolokold  # noqa: E402

DEFAULT_RATES = (1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 10000, 12000, 15000)
MIN_ACHIEVED = 0.85  # below this share of the asked rate, sipp (not the server) is the limit


def climb(name, server, rates, seconds, single_process=False):
    """Runs the rate ladder; returns (best rate, rows). kolokold is one process (its CPU is
    its own); Kamailio forks workers into a session of their own (the session's CPU)."""
    if single_process:
        def server_cpu():
            return process_cpu_seconds(server.process.pid)
    else:
        session = session_of(server.process.pid)

        def server_cpu():
            return cpu_seconds(session)
    best, rows, failures = 0, [], 0
    for rate in rates:
        calls = rate * seconds
        cpu_before = server_cpu()
        result = sipp_runner.run_options(server.sip("udp"), transport="u1", calls=calls,
                                         rate=rate, timeout_s=seconds * 4 + 10,
                                         extra=("-max_recv_loops", "10000",
                                                "-max_sched_loops", "10000"))
        cpu = server_cpu() - cpu_before
        achieved = (result.successful or 0) / result.elapsed if result.elapsed else 0
        # A step counts only if every OPTIONS got its 200 and sipp really sent at that rate.
        ok = result.returncode == 0 and result.successful == calls and not result.failed \
            and achieved >= MIN_ACHIEVED * rate
        row = (name, rate, calls, result.successful, result.failed, result.returncode,
               achieved, 1e6 * cpu / max(result.successful or 1, 1), ok)
        rows.append(row)
        print("%-9s rate %6d/s  %7d sent  ok %7s  failed %5s  rc %3s  achieved %7.0f/s  "
              "server CPU %5.1f us/request  %s" % (row[:8] + ("PASS" if ok else "FAIL",)),
              flush=True)
        if not server.alive():
            print("%s died at %d/s" % (name, rate))
            break
        if ok:
            best = rate
            failures = 0
        else:
            failures += 1
            if failures == 2:  # one failure can be sipp noise; two in a row is the ceiling
                break
        time.sleep(1.0)  # let retransmissions and timers of the last step drain
    return best, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kolokold", required=True)
    parser.add_argument("--seconds", type=int, default=5, help="length of each rate step")
    parser.add_argument("--rates", type=int, nargs="+", default=DEFAULT_RATES)
    parser.add_argument("--kamailio-children", type=int, default=2)
    args = parser.parse_args()
    require_sipp()
    print(machine_line("sipp OPTIONS over UDP on 127.0.0.1, %d s per step" % args.seconds),
          flush=True)
    results = {}
    with Kolokold(args.kolokold, transports=("udp",), log_level="warn") as daemon:
        results["kolokold"] = climb("kolokold", daemon, args.rates, args.seconds,
                                    single_process=True)
    with Kamailio(role="options", children=args.kamailio_children) as kamailio:
        results["kamailio"] = climb("kamailio", kamailio, args.rates, args.seconds)

    ours, theirs = results["kolokold"][0], results["kamailio"][0]
    print("\nhighest rate with 100%% success: kolokold %d/s, kamailio 5.6 (fork, %d children) %d/s"
          % (ours, args.kamailio_children, theirs))
    if theirs:
        print("ratio kolokold/kamailio: %.2f" % (ours / theirs))
    top = args.rates[-1]
    if ours == top or theirs == top:
        print("note: the top of the ladder (%d/s) passed; the figure is a lower bound" % top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
