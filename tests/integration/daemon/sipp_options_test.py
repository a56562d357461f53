#!/usr/bin/env python3
"""sipp (a real, independent SIP stack) sends OPTIONS to kolokold over UDP and TCP: all get 200."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common"))

import sipp_runner  # noqa: E402
from kolokol_harness import SKIP, Checks, Kolokold, standard_arguments  # noqa: E402


def main():
    args = standard_arguments(__doc__).parse_args()
    if sipp_runner.sipp_binary() is None:
        print("sipp not installed (apt-get install sip-tester): skipped")
        return SKIP
    checks = Checks()
    with Kolokold(args.kolokold, transports=("udp", "tcp")) as daemon:
        for transport, sipp_mode in (("udp", "u1"), ("tcp", "t1")):
            result = sipp_runner.run_options(daemon.sip(transport), transport=sipp_mode,
                                             calls=200, rate=100, timeout_s=30)
            print("%s: %r" % (transport, result), flush=True)
            ok = checks.check(result.returncode == 0 and result.successful == 200,
                              "sipp OPTIONS over %s: %r" % (transport, result))
            if not ok:
                print(result.stdout[-4000:])
        daemon.assert_healthy("sipp")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
