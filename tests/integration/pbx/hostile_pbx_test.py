#!/usr/bin/env python3
"""The PBX under hostile or broken peers, black-box:

- a REGISTER flood with wrong passwords (sipp -r 200 for 3 s): kolokold stays up, the flooding
  address is banned (403 Too Many Failed Attempts even with the right password), a phone at
  127.0.0.2 still registers, /metrics counts the refusals;
- toll fraud: INVITEs to external numbers (84951234567, +74951234567) without credentials get 407,
  with wrong credentials 403, and nothing reaches any phone (a sipp UAS registered as 1002 stays
  silent), not even with the right credentials (no trunk: the PBX answers itself);
- a callee that never answers beyond 100/180 and ignores the CANCEL: the caller gets 480 at
  calls.ring_timeout, the call is cleaned up and recorded;
- a caller that vanishes mid-call: the session timer (calls.session_expires 90 s) ends the call
  when the refresh goes unanswered, the callee gets BYE and the CDR is written (about 80 s; this
  case runs in a thread alongside the others).
"""

import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pbx_common as pbx  # noqa: E402
from kolokol_harness import SKIP, Checks, Kolokold, free_port, standard_arguments  # noqa: E402

EXTERNAL = ("84951234567", "+74951234567")


def metric_lines(daemon, words):
    samples = daemon.metrics()
    return {k: v for k, v in samples.items() if any(w in k.lower() for w in words)}


def wait_idle(daemon, timeout):
    """Waits until calls_active is 0; returns the last value seen."""
    deadline = time.monotonic() + timeout
    while True:
        values = [v for k, v in daemon.metrics().items() if k.partition("{")[0].endswith(
            "calls_active")]
        value = sum(values) if values else None
        if value == 0 or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


# ---- the session timer against a vanished caller ---------------------------------------------
def session_timer_case(checks, binary):
    started = time.monotonic()
    with Kolokold(binary, transports=("udp", "tcp"),
                  extra_yaml=pbx.pbx_yaml(calls={"session_expires": "90s"})) as daemon:
        target = daemon.sip("udp")
        with pbx.Phone(target, "1002") as callee:
            answer, _ = callee.register()
            checks.check(answer is not None and answer.status == 200,
                         "session timer: 1002 registration answered %r" % answer)
            caller = pbx.Phone(target, "1001")
            call = caller.call("1002")
            ringing = callee.wait_invite(5.0)
            if not checks.check(ringing is not None, "session timer: the callee did not ring "
                                "(caller got %s)" % call.statuses()):
                caller.close()
                return
            print("session timer: B leg INVITE Session-Expires=%r Supported=%r"
                  % (ringing.invite.get("session-expires"), ringing.invite.get("supported")),
                  flush=True)
            ringing.respond(200, "OK", body=pbx.CALLEE_SDP)
            final = call.wait_final(5.0)
            checks.check(final is not None and final.status == 200,
                         "session timer: the caller got %r" % final)
            if final is not None:
                print("session timer: A leg 200 Session-Expires=%r Require=%r"
                      % (final.get("session-expires"), final.get("require")), flush=True)
            ringing.wait_request("ACK", 3.0)
            answered = time.monotonic()
            caller.close()  # the caller vanishes: nothing answers on its port any more
            seen = []
            bye_at = None
            while time.monotonic() - answered < 150:
                for request in callee.serve(1.0):
                    seen.append((round(time.monotonic() - answered), request.method))
                    if request.method == "BYE":
                        bye_at = time.monotonic() - answered
                if bye_at is not None:
                    break
            print("session timer: the callee saw %s" % seen, flush=True)
            checks.check(bye_at is not None and 40 <= bye_at <= 130,
                         "session timer: the vanished caller's call should end with a BYE to "
                         "the callee 45-120 s after the answer; got %s"
                         % ("none in 150 s" if bye_at is None else "%.0f s" % bye_at))
        rows = pbx.wait_cdrs(daemon, 1, timeout=10)
        print("session timer: CDR %s" % rows, flush=True)
        checks.check(len(rows) == 1 and rows[0].get("disposition") == "answered"
                     and rows[0].get("end_reason") not in ("bye", "cancel"),
                     "session timer: expected one answered CDR ended by the PBX (not by a BYE), "
                     "got %s" % rows)
        checks.check(wait_idle(daemon, 5) == 0, "session timer: calls_active is not 0 at the end")
        daemon.assert_healthy("a vanished caller")
    print("session timer case: %.0f s" % (time.monotonic() - started), flush=True)


def run_in_thread(checks, function, *args):
    def body():
        try:
            function(checks, *args)
        except Exception as error:  # reported as a failure, the other cases go on
            checks.check(False, "%s raised %r" % (function.__name__, error))
    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread


# ---- toll fraud and a silent callee ---------------------------------------------------------
def toll_fraud_case(checks, daemon, work):
    target = daemon.sip("udp")
    port = free_port(("udp",))
    with pbx.Phone(target, "1002", port=port) as phone:
        answer, _ = phone.register()
        checks.check(answer is not None and answer.status == 200,
                     "toll fraud: the trap 1002 could not register: %r" % answer)
    trap = pbx.sipp_callee(work, "trap-1002", port, "uas_wait_bye.xml", ring_ms=0, wait_ms=5000,
                           timeout_s=60)
    try:
        with pbx.Phone(target, "1001") as fraudster:
            for number in EXTERNAL:
                call = fraudster.call(number, authenticate=False)
                final = call.wait_final(3.0)
                checks.check(final is not None and final.status == 407 and
                             final.get("proxy-authenticate"),
                             "toll fraud: INVITE to %s without credentials answered %r, expected "
                             "407 with a challenge" % (number, final))
                call = fraudster.call(number, password="wild-guess")
                final = call.wait_final(3.0)
                checks.check(final is not None and final.status == 403,
                             "toll fraud: INVITE to %s with wrong credentials answered %r, "
                             "expected 403" % (number, final))
                call = fraudster.call(number)
                final = call.wait_final(5.0)
                print("toll fraud: authenticated INVITE to %s: %s" % (number, call.statuses()),
                      flush=True)
                checks.check(final is not None and final.status >= 400,
                             "toll fraud: authenticated INVITE to %s (no trunk) answered %r"
                             % (number, final))
            # The trap works: a legitimate call to 1002 is the one INVITE it gets.
            call = fraudster.call("1002")
            final = call.wait_final(5.0)
            checks.check(final is not None and final.status == 200,
                         "toll fraud: the legitimate call to the trap 1002 got %s"
                         % call.statuses())
            if final is not None and final.status == 200:
                call.bye()
        trap.wait(10)
    finally:
        trap.kill()
    invites = [t.splitlines()[0] for d, t in trap.messages()
               if d == "received" and t.startswith("INVITE ")]
    checks.check(len(invites) == 1 and invites[0].startswith("INVITE sip:1002@"),
                 "toll fraud: the phone 1002 should get only the legitimate INVITE, got %s"
                 % invites)
    with pbx.Phone(target, "1002") as phone:
        phone.register(contact="*", expires=0)


def silent_callee_case(checks, daemon, work, able):
    target = daemon.sip("udp")
    port = free_port(("udp",))
    with pbx.Phone(target, "1002", port=port) as phone:
        answer, _ = phone.register()
        checks.check(answer is not None and answer.status == 200,
                     "silent callee: 1002 could not register: %r" % answer)
    before = len(pbx.cdr_rows(daemon))
    callee = pbx.sipp_callee(work, "silent-1002", port, "uas_silent.xml", wait_ms=20000)
    started = time.monotonic()
    try:
        if able:
            caller = pbx.sipp_caller(work, "silent-caller", target, "1002", "uac_final.xml",
                                     final=480, wait_ms=20000).run()
            ok, what = caller.ok, caller.describe()
        else:
            with pbx.Phone(target, "1001") as phone:
                call = phone.call("1002")
                final = call.wait_final(20.0)
                ok, what = final is not None and final.status == 480, call.statuses()
        elapsed = time.monotonic() - started
        checks.check(ok and 4.0 <= elapsed <= 10.0,
                     "silent callee: the caller should get 480 at ring_timeout (5 s): %.1f s, %s"
                     % (elapsed, what))
        callee.wait(10)
        checks.check(callee.ok, "silent callee: no CANCEL reached it:\n%s" % callee.describe())
    finally:
        callee.kill()
    idle = wait_idle(daemon, 45)
    checks.check(idle == 0, "silent callee: calls_active still %s 45 s after the ring timeout "
                 "(the unanswered CANCEL must not keep the call)" % idle)
    # The toll fraud case runs meanwhile and writes its own records: look for this call's.
    deadline = time.monotonic() + 5
    while True:
        unanswered = [row for row in pbx.cdr_rows(daemon)[before:]
                      if row.get("callee") == "1002" and row.get("disposition") == "no-answer"]
        if unanswered or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    checks.check(len(unanswered) == 1 and unanswered[0].get("end_reason") == "ring-timeout",
                 "silent callee: expected one no-answer CDR (ring-timeout) for 1002, got %s"
                 % pbx.cdr_rows(daemon)[before:])


# ---- the REGISTER flood ---------------------------------------------------------------------
def flood_case(checks, binary, work):
    security = {"auth_failures": 10, "auth_failure_window": "60s", "auth_ban_time": "300s"}
    with Kolokold(binary, transports=("udp", "tcp"),
                  extra_yaml=pbx.pbx_yaml(security=security)) as daemon:
        target = daemon.sip("udp")
        able = pbx.sipp_answers(pbx.challenge_order(daemon))
        started = time.monotonic()
        if able:
            run = pbx.sipp_register(work, "flood", target, "1001", "wrong-password",
                                    name="register_refused.xml", calls=600, rate=200,
                                    timeout_s=30)
            print("flood: %s" % run.describe()[:600], flush=True)
            checks.check(run.ok, "flood: not every flooding REGISTER ended in 403:\n%s"
                         % run.describe())
            sent = 600
        else:
            statuses = {}
            with pbx.Phone(target, "1001") as attacker:
                sent = 0
                while time.monotonic() - started < 3.0:
                    answer, _ = attacker.register(password="wrong-password", timeout=1.0)
                    key = answer.start_line if answer is not None else None
                    statuses[key] = statuses.get(key, 0) + 1
                    sent += 1
                    time.sleep(max(0.0, started + sent / 200.0 - time.monotonic()))
            print("flood (scripted, sipp cannot answer the challenge): %s" % statuses,
                  flush=True)
            checks.check(None not in statuses and all(k.startswith("SIP/2.0 403")
                                                      for k in statuses),
                         "flood: answers other than 403: %s" % statuses)
        print("flood: %d attempts in %.1f s" % (sent, time.monotonic() - started), flush=True)
        daemon.assert_healthy("a REGISTER flood")
        with pbx.Phone(target, "1001") as attacker:
            answer, _ = attacker.register()
            checks.check(answer is not None and answer.status == 403 and
                         pbx.reason(answer).lower() == "too many failed attempts",
                         "flood: the flooding address with the right password got %r, expected "
                         "403 Too Many Failed Attempts" % answer)
        if able:
            run = pbx.sipp_register(work, "legit", target, "1002", pbx.PASSWORDS["1002"],
                                    local_ip="127.0.0.2")
            checks.check(run.ok, "flood: sipp at 127.0.0.2 could not register:\n%s"
                         % run.describe())
        with pbx.Phone(target, "1002", host="127.0.0.2") as legit:
            answer, _ = legit.register()
            checks.check(answer is not None and answer.status == 200,
                         "flood: a phone at 127.0.0.2 could not register: %r" % answer)
        refusals = metric_lines(daemon, ("auth", "ban", "throttl", "refus", "reject"))
        print("flood: metrics %s" % {k: v for k, v in refusals.items() if v}, flush=True)
        counted = [k for k, v in refusals.items() if v >= 10 and "challenge" not in k]
        checks.check(counted, "flood: /metrics shows no refusal counter >= 10: %s" % refusals)


def main():
    args = standard_arguments(__doc__).parse_args()
    if pbx.missing("sipp"):
        return SKIP
    checks = Checks()
    with pbx.workdir("pbx-hostile-") as work:
        timer_thread = run_in_thread(checks, session_timer_case, args.kolokold)
        with Kolokold(args.kolokold, transports=("udp", "tcp"),
                      extra_yaml=pbx.pbx_yaml(calls={"ring_timeout": "5s"})) as daemon:
            able = pbx.sipp_answers(pbx.challenge_order(daemon, "INVITE"))
            toll_fraud_case(checks, daemon, work)
            silent_callee_case(checks, daemon, work, able)
            daemon.assert_healthy("toll fraud and a silent callee")
        flood_case(checks, args.kolokold, work)
        timer_thread.join(200)
        checks.check(not timer_thread.is_alive(), "the session timer case did not finish")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
