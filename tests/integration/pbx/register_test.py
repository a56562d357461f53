#!/usr/bin/env python3
"""The registrar, black-box: REGISTER with digest auth through sipp (UDP and TCP) and a scripted
phone (SHA-256 and MD5), wrong password and unknown user refused alike with 403, 423 with
Min-Expires, the 200 listing contacts with expires, removing one contact and all (*), max_contacts,
registrations surviving a restart (a call reaches the restored contact), and the brute-force
throttle (one address banned, 403 "Too Many Failed Attempts", another address unaffected).
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pbx_common as pbx  # noqa: E402
from kolokol_harness import SKIP, Checks, Kolokold, standard_arguments  # noqa: E402

REGISTRAR = {"min_expires": "60s", "max_expires": "3600s", "default_expires": "3600s",
             "max_contacts": 3}


def check_challenge_order(checks, daemon):
    order = pbx.challenge_order(daemon)
    print("401 challenges in order: %s" % order, flush=True)
    checks.check(order == ["MD5", "SHA-256"], "401 should offer MD5 then SHA-256 "
                 "(security.digest_algorithms default), got %s" % order)
    return order


def sipp_cases(checks, daemon, work, order):
    """sipp 3.6.1 against the registrar: REGISTER over UDP and TCP, a wrong password."""
    able = pbx.sipp_answers(order)
    for transport, label in (("u1", "udp"), ("t1", "tcp")):
        run = pbx.sipp_register(work, "sipp-register-" + label, daemon.sip(label), "1001",
                                pbx.PASSWORDS["1001"], transport=transport)
        print(run.describe(), flush=True)
        checks.check(run.ok, "sipp REGISTER over %s with the right password failed (challenge "
                     "order %s; sipp 3.6.1 takes algorithm= of the first challenge and aborts on "
                     "anything but MD5):\n%s" % (label, order, run.describe()))
    run = pbx.sipp_register(work, "sipp-register-wrong", daemon.sip("udp"), "1001", "wrong-pw",
                            name="register_refused.xml")
    print(run.describe(), flush=True)
    checks.check(run.ok, "sipp REGISTER with a wrong password did not end in 403:\n%s"
                 % run.describe())
    with pbx.Phone(daemon.sip("udp"), "1001") as cleaner:  # sipp's contacts are gone
        answer, _ = cleaner.register(contact="*", expires=0)
        checks.check(answer is not None and answer.status == 200,
                     "Contact * Expires 0 after the sipp runs answered %r" % answer)
    return able


def phone_cases(checks, daemon):
    target = daemon.sip("udp")
    with pbx.Phone(target, "1001") as desk, pbx.Phone(target, "1001") as soft, \
            pbx.Phone(daemon.sip("tcp"), "1001", transport="tcp") as mobile:
        # SHA-256 and MD5 both accepted; the 200 lists every contact with its expires.
        answer, challenge = desk.register(expires=600, algorithm="SHA-256")
        checks.check(challenge is not None and challenge.status == 401,
                     "first REGISTER not challenged with 401: %r" % challenge)
        if challenge is not None:
            for algorithm, params in pbx.challenges(challenge):
                qop = [q.strip() for q in params.get("qop", "").split(",")]
                checks.check("auth" in qop, "%s challenge without qop=auth: %r" % (algorithm,
                                                                                  params))
        checks.check(answer is not None and answer.status == 200,
                     "REGISTER with SHA-256 credentials answered %r" % answer)
        answer, _ = soft.register(expires=300, algorithm="MD5")
        checks.check(answer is not None and answer.status == 200,
                     "REGISTER with MD5 credentials answered %r" % answer)
        answer, _ = mobile.register(expires=900)
        checks.check(answer is not None and answer.status == 200,
                     "REGISTER over TCP answered %r" % answer)
        listed = dict(pbx.contacts_of(answer)) if answer is not None else {}
        print("200 lists: %s" % listed, flush=True)
        for phone, expires in ((desk, 600), (soft, 300), (mobile, 900)):
            uri = phone.contact_uri()
            found = [e for u, e in listed.items() if u.split(";")[0] == uri.split(";")[0]]
            checks.check(found and found[0] is not None and expires - 5 <= found[0] <= expires,
                         "200 does not list %s with expires ~%d: %s" % (uri, expires, listed))
        # Above max_expires: shortened to it.
        answer, _ = desk.register(expires=86400)
        listed = dict(pbx.contacts_of(answer)) if answer is not None else {}
        mine = [e for u, e in listed.items() if u.split(";")[0] == desk.contact_uri()]
        checks.check(answer is not None and answer.status == 200 and mine and mine[0] <= 3600,
                     "Expires 86400 not accepted and shortened to max_expires 3600: %r %s"
                     % (answer, listed))

        # Below min_expires: 423 with Min-Expires.
        answer, _ = desk.register(expires=30)
        checks.check(answer is not None and answer.status == 423,
                     "Expires 30 (min 60) answered %r, expected 423" % answer)
        if answer is not None and answer.status == 423:
            checks.check(answer.get("min-expires", "").strip() == "60",
                         "423 Min-Expires is %r, expected 60" % answer.get("min-expires"))

        # Wrong password and unknown user: the same 403.
        wrong, _ = desk.register(password="not-the-password")
        unknown, _ = pbx.Phone(target, "1099", password="x").register()
        checks.check(wrong is not None and wrong.status == 403,
                     "wrong password answered %r, expected 403" % wrong)
        checks.check(unknown is not None and unknown.status == 403,
                     "unknown user answered %r, expected 403" % unknown)
        if wrong is not None and unknown is not None:
            checks.check(wrong.start_line == unknown.start_line,
                         "wrong password (%s) and unknown user (%s) are told apart"
                         % (wrong.start_line, unknown.start_line))

        # max_contacts 3: a fourth contact replaces the oldest.
        with pbx.Phone(target, "1001") as fourth:
            answer, _ = fourth.register(expires=600)
            listed = [u.split(";")[0] for u, _ in pbx.contacts_of(answer)] if answer else []
            checks.check(answer is not None and answer.status == 200 and len(listed) == 3
                         and fourth.contact_uri() in listed,
                         "a 4th contact (max_contacts 3): %r lists %s" % (answer, listed))
            # Expires 0 on one contact removes only that one.
            answer, _ = fourth.register(expires=0)
            remaining = [u.split(";")[0] for u, _ in pbx.contacts_of(answer)] if answer else []
            checks.check(answer is not None and answer.status == 200 and
                         fourth.contact_uri() not in remaining and len(remaining) == 2,
                         "Expires 0 for one contact: %r, still listed %s" % (answer, remaining))

        # Contact: * with Expires: 0 removes all of them.
        answer, _ = desk.register(contact="*", expires=0)
        checks.check(answer is not None and answer.status == 200 and
                     not pbx.contacts_of(answer),
                     "Contact * Expires 0: %r lists %s" % (answer, pbx.contacts_of(answer)
                                                           if answer else None))
        answer, _ = desk.register(contact="*", expires=600)
        checks.check(answer is not None and answer.status == 400,
                     "Contact * with Expires 600 answered %r, expected 400" % answer)

        # An edge proxy requiring Path (RFC 3327 5.1) gets it kept and echoed, not 420.
        answer, _ = desk.register(extra=("Path: <sip:edge.example.com;lr>", "Require: path",
                                         "Supported: path"))
        checks.check(answer is not None and answer.status == 200
                     and "edge.example.com" in answer.get("path", ""),
                     "REGISTER with Require: path answered %r, Path %r"
                     % (answer, answer.get("path") if answer else None))
        desk.register(contact="*", expires=0)


def persistence_case(checks, daemon):
    """Registrations of 1002 survive a restart: listed by a query, and a call from 1001 rings
    the restored contact."""
    target = daemon.sip("udp")
    with pbx.Phone(target, "1002") as callee:
        answer, _ = callee.register(expires=1200)
        checks.check(answer is not None and answer.status == 200,
                     "REGISTER of 1002 before the restart answered %r" % answer)
        started = time.monotonic()
        daemon.restart()
        print("restarted in %.1f s" % (time.monotonic() - started), flush=True)
        # A REGISTER without Contact asks for the current bindings.
        with pbx.Phone(target, "1002") as query:
            answer, _ = query.register(contact="", expires=None)
        listed = dict(pbx.contacts_of(answer)) if answer is not None else {}
        print("after restart: %r %s" % (answer, listed), flush=True)
        kept = [e for u, e in listed.items() if u.split(";")[0] == callee.contact_uri()]
        checks.check(answer is not None and answer.status == 200 and kept and kept[0] is not None
                     and 1100 <= kept[0] <= 1200,
                     "after a restart the binding of 1002 is not listed with its expires: %r %s"
                     % (answer, listed))
        with pbx.Phone(target, "1001") as caller:
            call = caller.call("1002")
            invite = callee.wait_invite(5.0)
            checks.check(invite is not None, "after a restart, a call to 1002 did not reach its "
                         "restored contact (caller got %s)" % call.statuses())
            if invite is not None:
                invite.respond(486, "Busy Here")
                final = call.wait_final(5.0)
                checks.check(final is not None and final.status == 486,
                             "restored contact answered 486, caller got %r" % final)


def sha256_first_case(checks, binary):
    """security.digest_algorithms [sha-256, md5] and [sha-256]: offered in that order, SHA-256
    credentials accepted."""
    for algorithms, expected in (("[sha-256, md5]", ["SHA-256", "MD5"]),
                                 ("[sha-256]", ["SHA-256"])):
        with Kolokold(binary, transports=("udp",), extra_yaml=pbx.pbx_yaml(
                security={"digest_algorithms": algorithms})) as daemon:
            order = pbx.challenge_order(daemon)
            checks.check(order == expected, "digest_algorithms %s: challenges %s, expected %s"
                         % (algorithms, order, expected))
            with pbx.Phone(daemon.sip("udp"), "1001") as phone:
                answer, _ = phone.register(algorithm="SHA-256")
                checks.check(answer is not None and answer.status == 200,
                             "digest_algorithms %s: SHA-256 credentials answered %r"
                             % (algorithms, answer))


def throttle_case(checks, binary, work):
    """5 failures from 127.0.0.1 ban it; 127.0.0.2 still registers."""
    security = {"auth_failures": 5, "auth_failure_window": "60s", "auth_ban_time": "300s"}
    with Kolokold(binary, transports=("udp", "tcp"),
                  extra_yaml=pbx.pbx_yaml(registrar=REGISTRAR, security=security)) as daemon:
        target = daemon.sip("udp")
        able = pbx.sipp_answers(pbx.challenge_order(daemon))
        answers = []
        with pbx.Phone(target, "1001", host="127.0.0.1") as attacker:
            for _ in range(5):
                answer, _ = attacker.register(password="guess")
                answers.append(answer.start_line if answer is not None else None)
            checks.check(all(a is not None and a.startswith("SIP/2.0 403") for a in answers),
                         "5 wrong passwords answered %s, expected 403 each" % answers)
            banned, _ = attacker.register()  # the right password now
            print("wrong passwords: %s; right password then: %r (%s)"
                  % (answers, banned, pbx.reason(banned)), flush=True)
            checks.check(banned is not None and banned.status == 403 and
                         pbx.reason(banned).lower() == "too many failed attempts",
                         "after 5 failures the right password from 127.0.0.1 answered %r, "
                         "expected 403 Too Many Failed Attempts" % banned)
        if able:
            run = pbx.sipp_register(work, "sipp-banned", target, "1001", pbx.PASSWORDS["1001"],
                                    name="register_refused.xml",
                                    status_regexp="^SIP/2.0 403 Too Many Failed Attempts")
            checks.check(run.ok, "sipp from the banned 127.0.0.1 with the right password was not "
                         "refused with 403 Too Many Failed Attempts:\n%s" % run.describe())
            run = pbx.sipp_register(work, "sipp-other-address", target, "1001",
                                    pbx.PASSWORDS["1001"], local_ip="127.0.0.2")
            checks.check(run.ok, "sipp from 127.0.0.2 could not register while 127.0.0.1 is "
                         "banned:\n%s" % run.describe())
        with pbx.Phone(target, "1002", host="127.0.0.2") as other:
            answer, _ = other.register()
            checks.check(answer is not None and answer.status == 200,
                         "a phone at 127.0.0.2 could not register while 127.0.0.1 is banned: %r"
                         % answer)
        ban_lines = [line for line in daemon.log_text().splitlines()
                     if "127.0.0.1" in line and ("ban" in line.lower() or "fail" in line.lower())]
        print("log about the ban: %s" % ban_lines[-3:], flush=True)
        checks.check(ban_lines, "no log line names the banned address 127.0.0.1")
        daemon.assert_healthy("the brute-force ban")


def main():
    args = standard_arguments(__doc__).parse_args()
    if pbx.missing("sipp"):
        return SKIP
    checks = Checks()
    with pbx.workdir("pbx-register-") as work:
        with Kolokold(args.kolokold, transports=("udp", "tcp"),
                      extra_yaml=pbx.pbx_yaml(registrar=REGISTRAR)) as daemon:
            order = check_challenge_order(checks, daemon)
            sipp_cases(checks, daemon, work, order)
            phone_cases(checks, daemon)
            persistence_case(checks, daemon)
            daemon.assert_healthy("REGISTER")
        sha256_first_case(checks, args.kolokold)
        throttle_case(checks, args.kolokold, work)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
