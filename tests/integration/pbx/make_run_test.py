#!/usr/bin/env python3
"""The "fresh `make run`" check: the built kolokold started in an empty working directory with no
tenants configured (a YAML that only moves the listeners to free 127.0.0.1 ports, since the
command line cannot; data_dir stays the default ./var) creates the demo tenant:
./var/credentials.txt (mode 0600, two '#' lines, then "default 100N <password>" for 1001-1005).
A sipp phone registers as 1001 with that password and calls 1002, registered by a sipp UAS with
its own password; the call is answered and recorded. A second start keeps the credentials.
"""

import os
import stat
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pbx_common as pbx  # noqa: E402
from kolokol_harness import SKIP, Checks, Kolokold, free_port, standard_arguments  # noqa: E402


class FreshDaemon(Kolokold):
    """kolokold in a fresh working directory, configured with nothing but its listen ports."""

    def write_config(self, log_level):
        with open(self.config_path, "w") as config:
            config.write("sip:\n  listen:\n")
            for transport in self.transports:
                config.write("    - {transport: %s, address: 127.0.0.1, port: %d}\n"
                             % (transport, self.ports[transport]))
            config.write("http:\n  listen: {address: 127.0.0.1, port: %d}\n" % self.http_port)

    @property
    def data_dir(self):
        return os.path.join(self.workdir, "var")


def read_credentials(checks, path):
    if not checks.check(os.path.exists(path), "%s was not written" % path):
        return {}
    mode = stat.S_IMODE(os.stat(path).st_mode)
    checks.check(mode == 0o600, "credentials.txt has mode %o, expected 600" % mode)
    with open(path) as credentials:
        lines = credentials.read().splitlines()
    print("credentials.txt:\n  " + "\n  ".join(lines[:2] + [l.rsplit(" ", 1)[0] + " ***"
                                                          for l in lines[2:]]), flush=True)
    checks.check(len(lines) >= 2 and all(l.startswith("#") for l in lines[:2]),
                 "credentials.txt does not start with two comment lines: %s" % lines[:2])
    passwords = {}
    for line in lines[2:]:
        fields = line.split()
        if checks.check(len(fields) == 3 and fields[0] == "default",
                        "credentials.txt line %r is not 'default <number> <password>'" % line):
            passwords[fields[1]] = fields[2]
    checks.check(sorted(passwords) == ["1001", "1002", "1003", "1004", "1005"],
                 "credentials.txt lists %s, expected 1001-1005" % sorted(passwords))
    checks.check(len(set(passwords.values())) == len(passwords) and
                 all(len(p) >= 12 for p in passwords.values()),
                 "demo passwords are not distinct random strings of 12+ characters")
    return passwords


def main():
    args = standard_arguments(__doc__).parse_args()
    if pbx.missing("sipp"):
        return SKIP
    checks = Checks()
    with pbx.workdir("pbx-make-run-") as work:
        with FreshDaemon(args.kolokold, transports=("udp", "tcp"),
                         domains=("127.0.0.1",)) as daemon:
            checks.check(sorted(os.listdir(daemon.workdir)) ==
                         ["kolokol.yaml", "kolokold.log", "var"],
                         "the working directory holds %s" % os.listdir(daemon.workdir))
            credentials_path = os.path.join(daemon.data_dir, "credentials.txt")
            passwords = read_credentials(checks, credentials_path)
            if len(passwords) < 2:
                return checks.finish()
            target = daemon.sip("udp")
            order = pbx.challenge_order(daemon, domain="127.0.0.1")
            able = pbx.sipp_answers(order)
            checks.check(able, "sipp 3.6.1 cannot answer the challenges %s (MD5 must come first);"
                         " the scripted phone stands in for it" % order)

            # 1002: registered (by sipp when it can), then a sipp UAS on the same port.
            port = free_port(("udp",))
            if able:
                run = pbx.sipp_register(work, "register-1002", target, "1002", passwords["1002"],
                                        port=port, domain="127.0.0.1")
                checks.check(run.ok, "sipp could not register 1002 with the password from "
                             "credentials.txt:\n%s" % run.describe())
                run = pbx.sipp_register(work, "register-1001", target, "1001", passwords["1001"],
                                        domain="127.0.0.1")
                checks.check(run.ok, "sipp could not register 1001 with the password from "
                             "credentials.txt:\n%s" % run.describe())
            else:
                with pbx.Phone(target, "1002", passwords["1002"], port=port,
                               domain="127.0.0.1") as phone:
                    answer, _ = phone.register()
                    checks.check(answer is not None and answer.status == 200,
                                 "1002 with the password from credentials.txt: %r" % answer)
            callee = pbx.sipp_callee(work, "callee-1002", port, "uas_wait_bye.xml", ring_ms=300,
                                     wait_ms=10000)
            try:
                if able:
                    caller = pbx.sipp_caller(work, "caller-1001", target, "1002", "uac_bye.xml",
                                             password=passwords["1001"], domain="127.0.0.1",
                                             hold_ms=1000).run()
                    checks.check(caller.ok, "1001 calling 1002 failed:\n%s" % caller.describe())
                else:
                    with pbx.Phone(target, "1001", passwords["1001"],
                                   domain="127.0.0.1") as phone:
                        call = phone.call("1002")
                        final = call.wait_final(10.0)
                        checks.check(final is not None and final.status == 200,
                                     "1001 calling 1002: %s" % call.statuses())
                        if final is not None and final.status == 200:
                            time.sleep(1.0)
                            answer = call.bye()
                            checks.check(answer is not None and answer.status == 200,
                                         "BYE answered %r" % answer)
                callee.wait(15)
                checks.check(callee.ok, "the 1002 UAS failed:\n%s" % callee.describe())
            finally:
                callee.kill()
            rows = pbx.wait_cdrs(daemon, 1)
            checks.check(len(rows) == 1 and rows[0].get("disposition") == "answered",
                         "CDR after the call: %s" % rows)
            with open(credentials_path, "rb") as credentials:
                first = credentials.read()
            daemon.restart()
            with open(credentials_path, "rb") as credentials:
                checks.check(credentials.read() == first,
                             "a second start changed credentials.txt")
            with pbx.Phone(target, "1003", passwords["1003"], domain="127.0.0.1") as phone:
                answer, _ = phone.register(algorithm="MD5")
                checks.check(answer is not None and answer.status == 200,
                             "after a restart 1003 with its demo password: %r" % answer)
            daemon.assert_healthy("make run")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
