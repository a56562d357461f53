"""What kolokold must do with each RFC 4475 torture message when it is the target (UAS/registrar).

Sources: /work/shared/conformance/rfc4475/INDEX.md and the RFC 4475 text of each section. Where
the RFC allows a liberal element to accept a malformed message, the alternative is listed and
the note says so. The daemon today answers INVITE with 480, REGISTER with a 401 challenge and
OPTIONS with 200: those are the codes printed as "usual" but any non-400 final is a pass for a
valid request, as the RFC only asks that it is parsed and answered normally.
"""


class Expect:
    def __init__(self, section, *, answer=True, codes=None, valid=False, extra=None,
                 note="", tcp=None, port=5060):
        self.section = section
        self.answer = answer  # False: the daemon must stay silent (responses without transaction)
        self.codes = set(codes) if codes else None
        self.valid = valid  # a well-formed request: any final answer except 400 (and 500/503)
        self.extra = extra  # callable(response) -> error text or None
        self.note = note
        self.tcp = tcp  # an Expect that replaces this one over TCP, when stream framing differs
        self.port = port  # the UDP port the answer must reach (sent-by port; 5060 when absent)

    def judge(self, response):
        """Error text, or None when `response` (a final response or None) is right."""
        if not self.answer:
            return None if response is None else "answered %s, must stay silent" % response.status
        if response is None:
            return "no final answer"
        code = response.status
        if self.codes is not None and code not in self.codes:
            wanted = "/".join(str(c) for c in sorted(self.codes))
            if not (self.valid and valid_code(code)):
                return "answered %d, expected %s%s" % (code, wanted, " or a normal answer"
                                                       if self.valid else "")
        elif self.codes is None and self.valid and not valid_code(code):
            return "answered %d to a valid request" % code
        return self.extra(response) if self.extra else None

    def describe(self):
        if not self.answer:
            return "no answer"
        parts = []
        if self.codes:
            parts.append("/".join(str(c) for c in sorted(self.codes)))
        if self.valid:
            parts.append("valid")
        return " or ".join(parts)


def valid_code(code):
    return code >= 200 and code not in (400, 500, 503)


def header_lists(name, *tokens):
    def check(response):
        values = ",".join(response.all(name)).lower().replace(" ", "")
        missing = [t for t in tokens if t.lower() not in values.split(",")]
        if not response.all(name):
            return "no %s header" % name
        return "%s lacks %s" % (name, ", ".join(missing)) if missing else None
    return check


def has_header(name):
    return lambda response: None if response.all(name) else "no %s header" % name


def digest_challenge(response):
    challenges = response.all("www-authenticate")
    if not any(c.lower().startswith("digest") for c in challenges):
        return "no WWW-Authenticate: Digest challenge (got %r)" % challenges
    return None


STREAM_UNFRAMEABLE = "over TCP the framing itself is broken: a 400, a closed connection or " \
                     "silence (waiting for bytes that never come) are all acceptable"


def stream_any(section, note=STREAM_UNFRAMEABLE):
    return Expect(section, codes=[400], note=note)


TABLE = {
    # 3.1.1 valid messages
    "wsinv": Expect("3.1.1.1", valid=True, note="usual: 100 then 480"),
    "intmeth": Expect("3.1.1.2", codes=[501]),
    "esc01": Expect("3.1.1.3", valid=True),
    "escnull": Expect("3.1.1.4", valid=True, note="usual: 401"),
    "esc02": Expect("3.1.1.5", codes=[501], note="RE%47IST%45R is an unknown method"),
    "lwsdisp": Expect("3.1.1.6", valid=True, note="usual: 200"),
    "longreq": Expect("3.1.1.7", valid=True),
    "dblreq": Expect("3.1.1.8", valid=True, note="UDP: only the REGISTER is answered"),
    "semiuri": Expect("3.1.1.9", valid=True),
    "transports": Expect("3.1.1.10", valid=True, note="answer goes to the top Via (UDP)"),
    "mpart01": Expect("3.1.1.11", valid=True, codes=[405, 501],
                      note="MESSAGE: 405/501 acceptable; rport: answer to the source port"),
    "unreason": Expect("3.1.1.12", answer=False),
    "noreason": Expect("3.1.1.13", answer=False),
    # 3.1.2 invalid messages
    "badinv01": Expect("3.1.2.1", codes=[400]),
    "clerr": Expect("3.1.2.2", codes=[400], tcp=stream_any("3.1.2.2")),
    "ncl": Expect("3.1.2.3", codes=[400], tcp=stream_any("3.1.2.3")),
    "scalar02": Expect("3.1.2.4", codes=[400]),
    "scalarlg": Expect("3.1.2.5", answer=False),
    "quotbal": Expect("3.1.2.6", codes=[400], port=5050),
    "ltgtruri": Expect("3.1.2.7", codes=[400]),
    "lwsruri": Expect("3.1.2.8", codes=[400]),
    "lwsstart": Expect("3.1.2.9", codes=[400], valid=True,
                       note="RFC: rejecting is acceptable, a liberal element may accept"),
    "trws": Expect("3.1.2.10", codes=[400], valid=True,
                   note="RFC: rejecting is acceptable, a liberal element may accept"),
    "escruri": Expect("3.1.2.11", codes=[400], valid=True,
                      note="RFC: 400 acceptable, a UA may ignore the escaped headers"),
    "baddate": Expect("3.1.2.12", codes=[400], valid=True,
                      note="RFC: reject, or ignore the bad Date"),
    "regbadct": Expect("3.1.2.13", codes=[400]),
    "badaspec": Expect("3.1.2.14", codes=[400], valid=True,
                       note="RFC: 400 is reasonable, a liberal element may ignore the spaces"),
    "baddn": Expect("3.1.2.15", codes=[400], tcp=stream_any(
        "3.1.2.15", note="the shared baddn.dat ends without the empty line: over TCP the header "
        "block never ends, so silence is right")),
    "badvers": Expect("3.1.2.16", codes=[505]),
    "mismatch01": Expect("3.1.2.17", codes=[400]),
    "mismatch02": Expect("3.1.2.18", codes=[400, 501], note="RFC: 501, 400 also acceptable"),
    "bigcode": Expect("3.1.2.19", answer=False),
    # 3.2 transaction layer
    "badbranch": Expect("3.2.1", valid=True),
    # 3.3 application layer
    "insuf": Expect("3.3.1", codes=[400]),
    "unkscm": Expect("3.3.2", codes=[416]),
    "novelsc": Expect("3.3.3", codes=[416]),
    "unksm2": Expect("3.3.4", codes=[400], valid=True,
                     note="registrar may reject the non-SIP AOR with 400; a challenge is fine"),
    "bext01": Expect("3.3.5", codes=[420],
                     extra=header_lists("unsupported", "nothingSupportsThis",
                                        "nothingSupportsThisEither")),
    "invut": Expect("3.3.6", codes=[415], extra=has_header("accept")),
    "regaut01": Expect("3.3.7", codes=[401], extra=digest_challenge),
    "multi01": Expect("3.3.8", codes=[400]),
    "mcl01": Expect("3.3.9", codes=[400], tcp=stream_any("3.3.9")),
    "bcast": Expect("3.3.10", answer=False),
    "zeromf": Expect("3.3.11", valid=True, extra=lambda r: "483 from the target itself"
                     if r.status == 483 else None, note="the daemon is the target: no 483"),
    "cparam01": Expect("3.3.12", valid=True),
    "cparam02": Expect("3.3.13", valid=True),
    "regescrt": Expect("3.3.14", valid=True),
    "sdp01": Expect("3.3.15", codes=[406]),
    # 3.4 backward compatibility
    "inv2543": Expect("3.4.1", valid=True, tcp=Expect(
        "3.4.1", valid=True, codes=[400],
        note="no Content-Length: over TCP a 400, a close or an answer are all acceptable")),
}

# Messages whose answer the daemon may give or withhold over TCP (framing broken): silence or a
# closed connection is a pass there.
STREAM_SILENCE_OK = {"clerr", "ncl", "mcl01", "inv2543", "baddn"}


def for_transport(name, transport):
    expect = TABLE[name]
    if transport != "udp" and expect.tcp is not None:
        return expect.tcp
    return expect
