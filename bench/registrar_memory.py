#!/usr/bin/env python3
"""kolokold's memory with many registered contacts, and after a million registrations.

1. kolokold starts with --users extensions (100,000 by default) from its YAML config.
2. sipp registers every one of them once (bench/scenarios/register_users.xml, MD5 digest, one
   Contact each, Expires 3600) at --rate per second; after Timer J (32 s) and the daemon's trim
   the RSS is the "N registered contacts" figure.
3. sipp goes on registering the same users (refreshes) until --total registrations in all;
   RSS after Timer J again: it should be back where step 2 left it (no growth with traffic).

    registrar_memory.py --kolokold build/release/src/server/kolokold [--users 100000]
                        [--total 1000000] [--rate 6000]
"""

import argparse
import os
import sys
import tempfile
import time

from bench_common import RssSampler, machine_line, require_sipp, run_sipp, write_users_csv  # noqa
from kolokol_harness import Kolokold  # noqa: E402
import registrar_rate  # noqa: E402  (users and tenant YAML shared)



def register(daemon, csv, calls, rate):
    with RssSampler(daemon.pid) as sampler:
        result = run_sipp(daemon.sip("udp"), "register_users.xml", calls=calls, rate=rate,
                          keys=(("domain", registrar_rate.DOMAIN), ("expires", 3600)), inf=csv)
    print("  %d registrations at %d/s: ok %s, failed %s, rc %s, %.0f s; RSS peak %d MiB"
          % (calls, rate, result.successful, result.failed, result.returncode, result.elapsed,
             sampler.peak // 1024), flush=True)
    return result


def contacts(daemon):
    samples = daemon.metrics()
    return int(sum(v for k, v in samples.items() if k.startswith("registrar_contacts")))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kolokold", required=True)
    parser.add_argument("--users", type=int, default=100000)
    parser.add_argument("--total", type=int, default=1000000)
    parser.add_argument("--rate", type=int, default=6000)
    parser.add_argument("--settle", type=int, default=45,
                        help="seconds to wait before reading RSS: Timer J (32 s), the daemon's "
                             "trim check (every 5 s), margin")
    args = parser.parse_args()
    require_sipp()
    print(machine_line("%d extensions, sipp REGISTER with MD5 digest over UDP at %d/s"
                       % (args.users, args.rate)), flush=True)
    user_list = registrar_rate.users(args.users)
    workdir = tempfile.mkdtemp(prefix="registrar-memory-")
    csv = os.path.join(workdir, "users.csv")
    write_users_csv(csv, user_list)

    started = time.monotonic()
    with Kolokold(args.kolokold, transports=("udp",), log_level="warn",
                  domains=(registrar_rate.DOMAIN,), extra_yaml=registrar_rate.tenant_yaml(user_list),
                  ready_timeout=600) as daemon:
        time.sleep(5)
        empty = daemon.rss_kib()
        print("started with %d extensions in %.0f s: RSS %d MiB"
              % (args.users, time.monotonic() - started, empty // 1024), flush=True)

        register(daemon, csv, args.users, args.rate)
        time.sleep(args.settle)
        full = daemon.rss_kib()
        print("%d contacts registered (metric: %d): RSS %d MiB (+%d MiB over no contacts)"
              % (args.users, contacts(daemon), full // 1024, (full - empty) // 1024), flush=True)

        rest = max(args.total - args.users, 0)
        if rest:
            register(daemon, csv, rest, args.rate)
            time.sleep(args.settle)
            after = daemon.rss_kib()
            print("after %d registrations in all: RSS %d MiB (%+d MiB against %d contacts "
                  "registered)" % (args.total, after // 1024, (after - full) // 1024, args.users),
                  flush=True)
        daemon.assert_healthy("after the registrations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
