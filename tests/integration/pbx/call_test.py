#!/usr/bin/env python3
"""Calls between extensions through the B2BUA, black-box, with sipp phones: 1001 (sipp UAC with
digest, 407 first) calls 1002 (a sipp UAS on the port its registration named).

Cases: answered with BYE from the caller, BYE from the callee, CANCEL while ringing, busy (486),
no answer (ring_timeout 5 s: 480 to the caller, CANCEL to the callee), unknown number (404),
known number without registration (480), and the answered call over TCP. For each: the callee's
INVITE has a new Call-ID, no credentials and the caller's SDP pointed at the PBX's media relay,
the caller gets the callee's SDP pointed at the relay, and the CDR row has the right disposition. Then, with scripted phones: parallel
forking to a UDP and a TCP contact of 1002 (the loser gets CANCEL), an INVITE without SDP (488),
wrong credentials (403).

When sipp 3.6.1 cannot answer the PBX's 407 (it only understands an MD5 challenge placed first),
that is one failure and the caller side of each case is played by the scripted phone instead.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pbx_common as pbx  # noqa: E402
import sip_wire  # noqa: E402
from kolokol_harness import SKIP, Checks, Kolokold, free_port, standard_arguments  # noqa: E402

CASES = [
    # label, caller scenario + values, callee scenario + values, number, disposition, transport
    ("answered-caller-bye", "uac_bye.xml", {"hold_ms": 1500},
     "uas_wait_bye.xml", {"ring_ms": 300, "wait_ms": 10000}, "1002", "answered", "u1"),
    ("answered-callee-bye", "uac_wait_bye.xml", {"wait_ms": 10000},
     "uas_bye.xml", {"ring_ms": 300, "hold_ms": 1500}, "1002", "answered", "u1"),
    ("cancel-while-ringing", "uac_cancel.xml", {"hold_ms": 800},
     "uas_ring.xml", {"wait_ms": 10000}, "1002", "cancelled", "u1"),
    ("busy", "uac_final.xml", {"final": 486, "wait_ms": 10000},
     "uas_busy.xml", {}, "1002", "busy", "u1"),
    ("no-answer", "uac_final.xml", {"final": 480, "wait_ms": 15000},
     "uas_ring.xml", {"wait_ms": 15000}, "1002", "no-answer", "u1"),
    ("unknown-number", "uac_final.xml", {"final": 404, "wait_ms": 5000},
     None, None, "1999", "not-found", "u1"),
    ("not-registered", "uac_final.xml", {"final": 480, "wait_ms": 5000},
     None, None, "1003", "unavailable", "u1"),
    ("answered-tcp", "uac_bye.xml", {"hold_ms": 1000},
     "uas_wait_bye.xml", {"ring_ms": 300, "wait_ms": 10000}, "1002", "answered", "t1"),
]


def register_callee(checks, daemon, work, label, port, able):
    if able:
        run = pbx.sipp_register(work, label + "-register", daemon.sip("udp"), "1002",
                                pbx.PASSWORDS["1002"], port=port)
        checks.check(run.ok, "%s: sipp could not register 1002:\n%s" % (label, run.describe()))
        return
    with pbx.Phone(daemon.sip("udp"), "1002", port=port) as phone:
        answer, _ = phone.register()
        checks.check(answer is not None and answer.status == 200,
                     "%s: 1002 could not register: %r" % (label, answer))


def unregister_all(daemon, user):
    with pbx.Phone(daemon.sip("udp"), user) as phone:
        phone.register(contact="*", expires=0)


def python_caller(daemon, scenario, values, number, transport):
    """The caller's part of a scenario, played by the scripted phone: (ok, what happened,
    caller Call-ID)."""
    kind = "tcp" if transport == "t1" else "udp"
    with pbx.Phone(daemon.sip(kind), "1001", transport=kind) as phone:
        call = phone.call(number)
        if scenario in ("uac_bye.xml", "uac_wait_bye.xml"):
            final = call.wait_final(10.0)
            if final is None or final.status != 200:
                return False, "call answered %r (%s)" % (final, call.statuses()), call.call_id
            if b"s=kolokol-callee" not in final.body:
                return False, "200 without the callee's SDP: %r" % final.body, call.call_id
            if scenario == "uac_bye.xml":
                time.sleep(values["hold_ms"] / 1000.0)
                answer = call.bye()
                return (answer is not None and answer.status == 200,
                        "BYE answered %r" % answer, call.call_id)
            bye = call.wait_bye(values["wait_ms"] / 1000.0)
            return bye is not None, "BYE from the callee: %r" % bye, call.call_id
        if scenario == "uac_cancel.xml":
            ringing = call.wait(10.0, statuses=(180,))
            if ringing is None or ringing.status != 180:
                return False, "no 180 before CANCEL: %s" % call.statuses(), call.call_id
            time.sleep(values["hold_ms"] / 1000.0)
            answer = call.cancel()
            final = call.wait_final(5.0)
            return (answer is not None and answer.status == 200 and final is not None
                    and final.status == 487,
                    "CANCEL answered %r, INVITE ended %r" % (answer, final), call.call_id)
        final = call.wait_final(values["wait_ms"] / 1000.0)
        return (final is not None and final.status == values["final"],
                "expected %s, got %s" % (values["final"], call.statuses()), call.call_id)


def invite_of(run, direction):
    for d, text in run.messages():
        if d == direction and text.startswith("INVITE "):
            yield text


def check_legs(checks, label, caller_call_id, callee_run):
    invites = list(invite_of(callee_run, "received"))
    if not checks.check(invites, "%s: the callee got no INVITE" % label):
        return
    text = invites[0]
    b_call_id = (pbx.header_values(text, "Call-ID") or pbx.header_values(text, "i") or [""])[0]
    checks.check(b_call_id and b_call_id != caller_call_id,
                 "%s: the callee's INVITE has Call-ID %r, the caller's was %r (a B2BUA makes a "
                 "new one)" % (label, b_call_id, caller_call_id))
    checks.check(not pbx.header_values(text, "Proxy-Authorization"),
                 "%s: the caller's credentials were passed on to the callee" % label)
    checks.check("1001" in (pbx.header_values(text, "From") or [""])[0],
                 "%s: the callee's INVITE does not name caller 1001 in From: %s"
                 % (label, pbx.header_values(text, "From")))


def sipp_call_id(run):
    for text in invite_of(run, "sent"):
        return (pbx.header_values(text, "Call-ID") or [""])[0]
    return None


def check_cdr(checks, daemon, label, before, number, disposition):
    rows = pbx.wait_cdrs(daemon, before + 1)
    if not checks.check(len(rows) == before + 1, "%s: %d CDR rows after the call, expected %d"
                        % (label, len(rows), before + 1)):
        return len(rows)
    row = rows[-1]
    print("%s CDR: %s" % (label, row), flush=True)
    checks.check(row.get("disposition") == disposition,
                 "%s: CDR disposition %r, expected %r (%s)" % (label, row.get("disposition"),
                                                              disposition, row))
    checks.check(str(row.get("callee")) == number and "1001" in str(row.get("caller")),
                 "%s: CDR caller/callee %r/%r, expected 1001/%s" % (label, row.get("caller"),
                                                                   row.get("callee"), number))
    if disposition == "answered":
        checks.check((row.get("answer_at") or row.get("answer")) and
                     (row.get("duration_ms") or 0) > 400,
                     "%s: answered CDR without answer time or duration: %s" % (label, row))
    return len(rows)


def sipp_cases(checks, daemon, work, able):
    cdr_count = len(pbx.cdr_rows(daemon))
    for label, caller_scn, caller_values, callee_scn, callee_values, number, disposition, \
            transport in CASES:
        started = time.monotonic()
        callee = None
        if callee_scn:
            port = free_port(("udp",))
            register_callee(checks, daemon, work, label, port, able)
            callee = pbx.sipp_callee(work, label + "-callee", port, callee_scn, **callee_values)
        try:
            target = daemon.sip("tcp" if transport == "t1" else "udp")
            if able:
                caller = pbx.sipp_caller(work, label + "-caller", target, number, caller_scn,
                                         transport=transport, **caller_values).run()
                ok, what, caller_call_id = caller.ok, caller.describe(), sipp_call_id(caller)
            else:
                ok, what, caller_call_id = python_caller(daemon, caller_scn, caller_values,
                                                         number, transport)
            checks.check(ok, "%s: the caller's side failed: %s" % (label, what))
            if callee is not None:
                callee.wait(20)
                checks.check(callee.ok, "%s: the callee's side failed:\n%s"
                             % (label, callee.describe()))
                check_legs(checks, label, caller_call_id, callee)
        finally:
            if callee is not None:
                callee.kill()
        cdr_count = check_cdr(checks, daemon, label, cdr_count, number, disposition)
        if callee_scn:
            unregister_all(daemon, "1002")
        print("%s: done in %.1f s" % (label, time.monotonic() - started), flush=True)


def fork_case(checks, daemon):
    """1002 on UDP and on TCP: both ring, the TCP one answers, the UDP one gets CANCEL."""
    before = len(pbx.cdr_rows(daemon))
    with pbx.Phone(daemon.sip("udp"), "1002") as desk, \
            pbx.Phone(daemon.sip("tcp"), "1002", transport="tcp") as mobile, \
            pbx.Phone(daemon.sip("udp"), "1001") as caller:
        for phone in (desk, mobile):
            answer, _ = phone.register()
            checks.check(answer is not None and answer.status == 200,
                         "fork: 1002 %s registration answered %r" % (phone.transport, answer))
        call = caller.call("1002")
        ring_desk, ring_mobile = desk.wait_invite(5.0), mobile.wait_invite(5.0)
        if not checks.check(ring_desk and ring_mobile, "fork: both contacts of 1002 should ring "
                            "(udp %s, tcp %s; caller got %s)" % (bool(ring_desk),
                                                                 bool(ring_mobile),
                                                                 call.statuses())):
            return
        ids = {ring_desk.invite.call_id(), ring_mobile.invite.call_id(),
               sip_wire.normalize(call.call_id)}
        checks.check(len(ids) == 3, "fork: the two B legs and the A leg share Call-IDs: %s" % ids)
        problem = pbx.anchored_sdp_problem(pbx.CALLER_SDP, ring_desk.invite.body)
        checks.check(problem is None, "fork: the callee's offer is not the caller's pointed at "
                     "the PBX's relay: %s\n%r" % (problem, ring_desk.invite.body))
        ring_desk.respond(180, "Ringing")
        ring_mobile.respond(180, "Ringing")
        ringing = call.wait(5.0, statuses=(180,))
        checks.check(ringing is not None and ringing.status == 180,
                     "fork: the caller got no 180 (%s)" % call.statuses())
        ring_mobile.respond(200, "OK", body=pbx.CALLEE_SDP)
        final = call.wait_final(5.0)
        checks.check(final is not None and final.status == 200,
                     "fork: the caller got %r, expected 200" % final)
        if final is not None and final.status == 200:
            problem = pbx.anchored_sdp_problem(pbx.CALLEE_SDP, final.body)
            checks.check(problem is None, "fork: the caller's 200 does not carry the callee's "
                         "SDP pointed at the relay: %s\n%r" % (problem, final.body))
        ack = ring_mobile.wait_request("ACK", 3.0)
        checks.check(ack is not None, "fork: the answering contact got no ACK")
        cancel = desk.next(5.0, lambda m: m.method == "CANCEL")
        checks.check(cancel is not None, "fork: the contact that did not answer got no CANCEL")
        if cancel is not None:
            desk.respond(cancel, 200, "OK")
            ring_desk.respond(487, "Request Terminated")
            desk.next(2.0, lambda m: m.method == "ACK")
        time.sleep(0.5)
        answer = call.bye()
        checks.check(answer is not None and answer.status == 200,
                     "fork: the caller's BYE answered %r" % answer)
        bye = ring_mobile.wait_request("BYE", 3.0)
        checks.check(bye is not None, "fork: the callee got no BYE after the caller's")
        late = desk.next(1.0, lambda m: m.method in ("INVITE", "BYE"))
        checks.check(late is None, "fork: the cancelled contact got %r afterwards" % late)
        for phone in (desk, mobile):
            phone.register(expires=0)
    check_cdr(checks, daemon, "fork", before, "1002", "answered")


def refusal_cases(checks, daemon):
    with pbx.Phone(daemon.sip("udp"), "1002") as callee, \
            pbx.Phone(daemon.sip("udp"), "1001") as caller:
        answer, _ = callee.register()
        checks.check(answer is not None and answer.status == 200,
                     "1002 registration answered %r" % answer)
        # Late offer: 488 after authentication; the callee never rings.
        call = caller.call("1002", sdp=b"")
        final = call.wait_final(5.0)
        checks.check(call.challenge is not None and final is not None and final.status == 488,
                     "INVITE without SDP answered %s, expected 407 then 488"
                     % (([call.challenge.status] if call.challenge else []) + call.statuses()))
        # Wrong credentials: 403.
        call = caller.call("1002", password="wrong")
        final = call.wait_final(5.0)
        checks.check(final is not None and final.status == 403,
                     "INVITE with a wrong password answered %r, expected 403" % final)
        rang = callee.next(1.0, lambda m: m.method == "INVITE")
        checks.check(rang is None, "the callee rang for a refused INVITE: %r" % rang)
        callee.register(expires=0)


def main():
    args = standard_arguments(__doc__).parse_args()
    if pbx.missing("sipp"):
        return SKIP
    checks = Checks()
    with pbx.workdir("pbx-call-") as work:
        with Kolokold(args.kolokold, transports=("udp", "tcp"),
                      extra_yaml=pbx.pbx_yaml(calls={"ring_timeout": "5s"})) as daemon:
            order = pbx.challenge_order(daemon, "INVITE")
            print("407 challenges in order: %s" % order, flush=True)
            checks.check(order == ["MD5", "SHA-256"], "407 should offer MD5 then SHA-256 "
                         "(security.digest_algorithms default), got %s" % order)
            able = pbx.sipp_answers(order)
            checks.check(able, "sipp 3.6.1 cannot answer the 407 (challenges %s: it reads "
                         "algorithm= of the first one only and aborts on anything but MD5); "
                         "the scripted phone plays the caller instead" % order)
            sipp_cases(checks, daemon, work, able)
            fork_case(checks, daemon)
            refusal_cases(checks, daemon)
            api = pbx.cdr_from_api(daemon)
            if api is None:
                print("GET /api/v1/cdr not available: CDRs read from SQLite only", flush=True)
            else:
                stored = {(r.get("call_id"), r.get("disposition")) for r in pbx.cdr_rows(daemon)}
                listed = {(r.get("call_id"), r.get("disposition")) for r in api}
                print("GET /api/v1/cdr: %d records" % len(api), flush=True)
                checks.check(listed == stored, "GET /api/v1/cdr (call_id, disposition) differ "
                             "from the database: only in the API %s, only in the database %s"
                             % (sorted(listed - stored), sorted(stored - listed)))
            gauge = daemon.metrics()
            active = [v for k, v in gauge.items() if k.startswith("kolokol_calls_active")
                      or k.startswith("calls_active")]
            checks.check(active and all(v == 0 for v in active),
                         "calls_active after every call ended: %s" % active)
            daemon.assert_healthy("calls")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
