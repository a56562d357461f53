#!/usr/bin/env python3
"""RFC 4475 torture messages sent byte-exact to a running kolokold, over UDP or TCP.

    rfc4475_test.py --kolokold BIN --messages DIR --transport udp|tcp [--only NAME ...]
    rfc4475_test.py --kamailio ...   # self-check of this test against Kamailio (no metrics)

Each message gets the answer RFC 4475 asks for (rfc4475_expectations.py); afterwards the daemon
still answers OPTIONS and /health, and /metrics counted the parse errors.
"""

import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "common"))
sys.path.insert(0, HERE)

import sip_wire  # noqa: E402
from kolokol_harness import (Checks, Kolokold, parse_error_names, parse_error_total,  # noqa: E402
                             standard_arguments)  # noqa: E402
from rfc4475_expectations import STREAM_SILENCE_OK, TABLE, for_transport  # noqa: E402
from udp_catcher import UdpCatcher  # noqa: E402

DOMAINS = ("example.com", "example.org", "example.net", "chair-dnrc.example.com", "company.com")
ANSWER_WAIT = 3.0  # seconds for a final answer
SILENCE_WAIT = 1.0  # seconds of silence that count as "no answer"
GRACE = 0.3  # extra listening after a final answer, to catch duplicates and strays


class Torture:
    """One message file and what identifies its answers."""

    def __init__(self, directory, name):
        self.name = name
        with open(os.path.join(directory, name + ".dat"), "rb") as message_file:
            self.raw = message_file.read()
        self.parsed = sip_wire.SipMessage(self.raw)
        self.call_id = self.parsed.call_id()
        self.branch = self.parsed.top_via_branch()
        self.is_invite = self.raw.startswith(b"INVITE ")
        self.transaction_key = transaction_key(self.parsed)

    def owns(self, message):
        call_id = message.call_id()
        if call_id and self.call_id:
            return call_id == self.call_id
        return bool(self.branch) and message.top_via_branch() == self.branch

    def ack(self, response):
        uri = self.parsed.start_line.split()[1].strip("<>;") if " " in self.parsed.start_line \
            else "sip:example.com"
        return sip_wire.ack_for(uri, response)


def transaction_key(message):
    """RFC 3261 17.2.3 server transaction key: branch, sent-by and method (None if RFC 2543)."""
    branch = message.top_via_branch()
    if message.is_response or not branch or not branch.startswith("z9hG4bK"):
        return None
    sent_by = re.match(r"\s*SIP\s*/\s*[\d.]+\s*/\s*\w+\s+([^;,\s]+)", message.get("via", ""), re.I)
    return (branch, sent_by.group(1).lower() if sent_by else "", message.cseq()[1])


def rounds(tortures):
    """Splits the messages so that no two in a round share a transaction key.

    Several RFC 4475 messages reuse branch, sent-by and method (cparam01/cparam02, escnull/
    regescrt, novelsc/unkscm): sent to one daemon within timer J they are, per RFC 3261 17.2.3,
    retransmissions of the first one and rightly get its answer again. Each round gets a fresh
    daemon instead.
    """
    result = []
    for torture in tortures:
        for current in result:
            if torture.transaction_key is None or all(
                    t.transaction_key != torture.transaction_key for t in current):
                current.append(torture)
                break
        else:
            result.append([torture])
    return result


def load(directory, only):
    if not os.path.isdir(directory):
        sys.exit("RFC 4475 messages not found at %s (the shared dir must sit beside the repo)"
                 % directory)
    names = sorted(f[:-4] for f in os.listdir(directory) if f.endswith(".dat"))
    if len(names) != 49 and not only:
        sys.exit("expected 49 RFC 4475 messages in %s, found %d" % (directory, len(names)))
    unknown = set(names) - set(TABLE)
    if unknown:
        sys.exit("no expectation for %s" % sorted(unknown))
    return [Torture(directory, n) for n in names if not only or n in only]


def report(checks, torture, expect, final, seen, where_note=""):
    error = expect.judge(final)
    got = "silence" if final is None else "%d%s" % (final.status, where_note)
    provisional = [m.status for m in seen if m.status is not None and m.status < 200]
    if provisional:
        got = "+".join(str(p) for p in provisional) + " " + got
    status = "PASS" if error is None else "FAIL"
    print("%-5s %-10s %-8s expected %-16s got %-22s %s" % (
        status, torture.name, expect.section, expect.describe(), got, expect.note), flush=True)
    checks.check(error is None, "%s (RFC 4475 %s): %s" % (torture.name, expect.section, error))


# ---- UDP ---------------------------------------------------------------------------------------
def run_udp(target, tortures, checks):
    ports = sorted({t_expect.port for t_expect in TABLE.values()} | {5060, 5061, 5070})
    with UdpCatcher(ports, tcp_ports=(5060,)) as catcher:
        print("sending from %s, ports %s" % (catcher.address, ports), flush=True)
        done = []
        for torture in tortures:
            expect = for_transport(torture.name, "udp")
            catcher.send(torture.raw, expect.port, target.sip("udp"))
            final, seen, wrong_place, strays = listen_udp(catcher, torture, expect, done)
            where_note = ""
            if final is not None and wrong_place:
                where_note = " at " + wrong_place
            report(checks, torture, expect, final, seen, where_note)
            if final is not None and wrong_place and not wrong_place.startswith("tcp:%d"
                                                                                % expect.port):
                checks.check(False, "%s: answer reached %s, expected udp:%d (source address, "
                             "Via sent-by port)" % (torture.name, wrong_place, expect.port))
            for where, stray in strays:
                checks.check(False, "%s: unexpected %r at %s (Call-ID %s)"
                             % (torture.name, stray, where, stray.call_id()))
            if final is not None and torture.is_invite and final.status >= 300:
                catcher.send(torture.ack(final), expect.port, target.sip("udp"))
            done.append(torture)
        for where, late in catcher.collect(GRACE):
            if not any(t.owns(late) for t in done):
                checks.check(False, "late unexpected %r at %s" % (late, where))


def listen_udp(catcher, torture, expect, done):
    final, seen, strays, wrong_place = None, [], [], None
    wait = ANSWER_WAIT if expect.answer else SILENCE_WAIT
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for where, message in catcher.collect(deadline - time.monotonic()):
            if torture.owns(message):
                seen.append(message)
                if where != "udp:%d" % expect.port:
                    wrong_place = where
                if message.status is not None and message.status >= 200:
                    if final is None:
                        final = message
                        deadline = time.monotonic() + (1.0 if torture.name == "dblreq" else GRACE)
                    elif message.status != final.status:
                        strays.append((where, message))  # a second, different final answer
            elif not any(t.owns(message) for t in done):  # retransmissions of earlier answers
                strays.append((where, message))
    return final, seen, wrong_place, strays


# ---- TCP ---------------------------------------------------------------------------------------
def run_tcp(target, tortures, checks):
    for torture in tortures:
        expect = for_transport(torture.name, "tcp")
        with sip_wire.StreamPeer(target.sip("tcp")) as peer:
            peer.send(torture.raw)
            finals, seen = [], []
            wait = ANSWER_WAIT if expect.answer else SILENCE_WAIT
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                message = peer.receive(deadline - time.monotonic())
                if message is None:
                    break
                seen.append(message)
                if message.status is not None and message.status >= 200:
                    finals.append(message)
                    if torture.name != "dblreq" or len(finals) == 2:
                        deadline = min(deadline, time.monotonic() + GRACE)
            if torture.is_invite and not peer.closed_by_peer:
                for final in finals:
                    if final.status >= 300 and torture.owns(final):
                        try:
                            peer.send(torture.ack(final))
                        except OSError:
                            pass
            judge_tcp(checks, torture, expect, finals, seen, peer.closed_by_peer)


def judge_tcp(checks, torture, expect, finals, seen, closed):
    own = [m for m in finals if torture.owns(m)]
    final = own[0] if own else None
    if torture.name == "dblreq":
        # On a stream the INVITE after the REGISTER is a second, well-framed message.
        report(checks, torture, expect, final, [m for m in seen if torture.owns(m)])
        if final is not None:
            checks.check(final.cseq()[1] == "REGISTER",
                         "dblreq over TCP: first answer is %r, expected the REGISTER's" % final)
        print("      dblreq    second answer over TCP (the INVITE): %s"
              % ([repr(m) for m in finals[1:]] or "none"), flush=True)
        return
    if final is None and torture.name in STREAM_SILENCE_OK:
        print("PASS  %-10s %-8s %s (%s)" % (torture.name, expect.section,
                                            "closed" if closed else "silence", expect.note))
        checks.check(True, "")
        return
    report(checks, torture, expect, final, [m for m in seen if torture.owns(m)])
    for other in finals:
        if not torture.owns(other):
            checks.check(False, "%s over TCP: unexpected %r (Call-ID %s)"
                         % (torture.name, other, other.call_id()))


def run_tcp_pipelined(target, tortures, checks):
    """Every valid, well-framed message back to back in one write: each must be answered."""
    valid = [t for t in tortures if TABLE[t.name].valid and t.name not in STREAM_SILENCE_OK
             and t.name != "dblreq"]
    pending = {t.call_id: t for t in valid}
    with sip_wire.StreamPeer(target.sip("tcp")) as peer:
        peer.send(b"".join(t.raw for t in valid))
        deadline = time.monotonic() + ANSWER_WAIT * 2
        while pending and time.monotonic() < deadline:
            message = peer.receive(deadline - time.monotonic())
            if message is None:
                break
            torture = pending.get(message.call_id())
            if torture is not None and message.status is not None and message.status >= 200:
                del pending[message.call_id()]
                if torture.is_invite and message.status >= 300:
                    try:
                        peer.send(torture.ack(message))
                    except OSError:
                        break  # closed by the daemon: reported below as unanswered
    checks.check(not pending, "pipelined over one TCP connection: no final answer for %s"
                 % sorted(t.name for t in pending.values()))
    print("%s  pipelined %d valid messages on one TCP connection, %d unanswered"
          % ("PASS" if not pending else "FAIL", len(valid), len(pending)), flush=True)


# ---- targets -------------------------------------------------------------------------------------
def parse_error_count(target):
    if not hasattr(target, "metrics"):
        return None, []
    samples = target.metrics()
    return parse_error_total(samples), parse_error_names(samples)


def main():
    parser = standard_arguments(__doc__)
    parser.set_defaults(kolokold=None)
    for action in parser._actions:
        if action.dest == "kolokold":
            action.required = False
    parser.add_argument("--kamailio", action="store_true", help="self-check against Kamailio")
    parser.add_argument("--messages", required=True)
    parser.add_argument("--transport", choices=("udp", "tcp"), default="udp")
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    checks = Checks()
    all_rounds = rounds(load(args.messages, args.only))
    counted = []
    for number, tortures in enumerate(all_rounds, 1):
        print("== round %d: %d messages, fresh %s" % (number, len(tortures),
                                                      "kamailio" if args.kamailio else "kolokold"))
        counted.append(run_round(args, checks, lambda t, ts=tortures: run_transport(
            args.transport, t, ts, checks)))
    if args.transport == "tcp":
        print("== pipelined: fresh daemon")
        run_round(args, checks, lambda t: run_tcp_pipelined(t, all_rounds[0], checks))
    if not args.kamailio:
        print("parse errors counted in /metrics per round: %s" % counted)
        checks.check(sum(counted) > 0, "no parse error counted in /metrics")
    return checks.finish()


def run_transport(transport, target, tortures, checks):
    if transport == "udp":
        run_udp(target, tortures, checks)
    else:
        run_tcp(target, tortures, checks)


def run_round(args, checks, body):
    """Runs body(target) against a fresh target; returns the parse errors it counted."""
    if args.kamailio:
        from kamailio_peer import Kamailio
        target_cm = Kamailio(role="uas", domains=DOMAINS)
    else:
        target_cm = Kolokold(args.kolokold, transports=("udp", "tcp"), domains=DOMAINS)
    with target_cm as target:
        errors_before, _ = parse_error_count(target)
        body(target)
        if hasattr(target, "assert_healthy"):
            target.assert_healthy("the RFC 4475 messages")
        checks.check(target.alive(), "daemon died")
        errors_after, names = parse_error_count(target)
        if errors_after is None:
            return 0
        checks.check(bool(names), "/metrics has no parse error counter")
        if os.environ.get("KOLOKOL_DUMP_METRICS"):
            print(target.http_get("/metrics")[1])
        return errors_after - errors_before

if __name__ == "__main__":
    sys.exit(main())
