#!/usr/bin/env python3
"""REGISTER over UDP, TCP and TLS gets 401 with Digest challenges for SHA-256 and MD5 (RFC 8760).

TLS uses the certificate kolokold generates itself when none is configured (accepted unverified).
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common"))

import sip_wire  # noqa: E402
from kolokol_harness import Checks, Kolokold, standard_arguments  # noqa: E402


def challenge_params(value):
    scheme, _, rest = value.strip().partition(" ")
    params = {}
    for match in re.finditer(r'([A-Za-z-]+)\s*=\s*("([^"]*)"|[^,\s]+)', rest):
        params[match.group(1).lower()] = match.group(3) if match.group(3) is not None \
            else match.group(2)
    return scheme.lower(), params


def check_challenge(checks, transport, request_bytes, answer):
    request = sip_wire.SipMessage(request_bytes)
    if not checks.check(answer is not None, "%s: REGISTER got no final answer" % transport):
        return
    checks.check(answer.status == 401, "%s: REGISTER answered %r, expected 401"
                 % (transport, answer))
    checks.check(answer.call_id() == request.call_id(), "%s: Call-ID not echoed" % transport)
    checks.check(answer.cseq() == (1, "REGISTER"), "%s: CSeq %r" % (transport, answer.cseq()))
    checks.check(answer.top_via_branch() == request.top_via_branch(),
                 "%s: top Via branch not echoed" % transport)
    checks.check(";tag=" in answer.get("to", "").replace(" ", ""),
                 "%s: 401 To has no tag: %r" % (transport, answer.get("to")))
    digests = [challenge_params(v) for v in answer.all("www-authenticate")]
    digests = [p for scheme, p in digests if scheme == "digest"]
    algorithms = [p.get("algorithm", "MD5").upper() for p in digests]
    print("%s: %s %s" % (transport, answer.start_line, answer.all("www-authenticate")), flush=True)
    checks.check("SHA-256" in algorithms, "%s: no SHA-256 challenge (%s)" % (transport, algorithms))
    checks.check("MD5" in algorithms, "%s: no MD5 challenge (%s)" % (transport, algorithms))
    for params in digests:
        checks.check(params.get("realm"), "%s: challenge without realm: %r" % (transport, params))
        checks.check(len(params.get("nonce", "")) >= 16,
                     "%s: short or missing nonce: %r" % (transport, params))
        qop = [q.strip() for q in params.get("qop", "").split(",")]
        checks.check("auth" in qop, "%s: qop does not offer auth: %r" % (transport, params))


def register(address, transport, cseq=1, authorization=None):
    extra = ["Contact: <sip:alice@%s:%d;transport=%s>" % (address[0], address[1], transport),
             "Expires: 600"]
    if authorization:
        extra.append("Authorization: " + authorization)
    return sip_wire.request("REGISTER", "sip:example.com", transport=transport.upper(),
                            local=address, cseq=cseq, to_uri="sip:alice@example.com",
                            from_uri="sip:alice@example.com", extra_headers=extra)


def main():
    args = standard_arguments(__doc__).parse_args()
    checks = Checks()
    with Kolokold(args.kolokold, transports=("udp", "tcp", "tls")) as daemon:
        with sip_wire.UdpPeer() as peer:
            message = register(peer.address, "udp")
            answer = None
            for _ in range(3):
                peer.send(message, daemon.sip("udp"))
                answer, _ = sip_wire.final_response(peer, 1.0)
                if answer:
                    break
            check_challenge(checks, "udp", message, answer)
        for transport in ("tcp", "tls"):
            with sip_wire.StreamPeer(daemon.sip(transport), tls=transport == "tls") as peer:
                message = register(peer.address, transport)
                peer.send(message)
                answer, _ = sip_wire.final_response(peer, 3.0)
                check_challenge(checks, transport, message, answer)
                # Credentials for an unknown user: challenged again, never accepted.
                bogus = register(peer.address, transport, cseq=2, authorization=(
                    'Digest username="nobody", realm="example.com", nonce="0123456789abcdef", '
                    'uri="sip:example.com", response="00000000000000000000000000000000", '
                    'algorithm=MD5'))
                peer.send(bogus)
                again, _ = sip_wire.final_response(peer, 3.0)
                checks.check(again is not None and again.status in (401, 403),
                             "%s: REGISTER with bogus credentials answered %r" % (transport, again))
        daemon.assert_healthy("REGISTER")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
