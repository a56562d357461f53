"""Runs sipp (3.6, Debian sip-tester) with a small OPTIONS scenario and reads its results.

sipp exit codes: 0 all calls succeeded, 1 at least one failed, 97 stopped by -timeout.
The figures come from the final statistics screen that sipp prints on stdout.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time

OPTIONS_SCENARIO = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="OPTIONS answered 200">
  <send retrans="500">
    <![CDATA[

      OPTIONS sip:[domain] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      From: <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
      To: <sip:[domain]>
      Call-ID: [call_id]
      CSeq: 1 OPTIONS
      Accept: application/sdp
      Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
</scenario>
"""


def sipp_binary():
    return shutil.which("sipp")


class SippResult:
    def __init__(self, returncode, stdout, elapsed):
        self.returncode = returncode
        self.stdout = stdout
        self.elapsed = elapsed
        self.successful = self._cumulative("Successful call")
        self.failed = self._cumulative("Failed call")
        self.retransmissions = self._cumulative("Retransmissions")

    def _cumulative(self, label):
        # Screen row: "  Successful call        |        0                 |      10000  "
        rows = [line for line in self.stdout.splitlines() if line.strip().startswith(label)]
        if not rows:
            return None
        cells = [c.strip() for c in rows[-1].split("|")]
        numbers = re.findall(r"\d+", cells[-1] if len(cells) > 2 else rows[-1])
        return int(numbers[0]) if numbers else None

    def __repr__(self):
        return "<sipp rc=%s ok=%s failed=%s retrans=%s %.1fs>" % (
            self.returncode, self.successful, self.failed, self.retransmissions, self.elapsed)


def run_options(target, *, transport="u1", calls=20, rate=20, domain="example.com",
                timeout_s=60, local_ip="127.0.0.1", extra=()):
    """sipp sends `calls` OPTIONS at `rate`/s to target=(host, port); returns a SippResult."""
    workdir = tempfile.mkdtemp(prefix="sipp-")
    try:
        scenario = os.path.join(workdir, "options.xml")
        with open(scenario, "w") as out:
            out.write(OPTIONS_SCENARIO)
        command = [sipp_binary(), "%s:%d" % target, "-sf", scenario, "-t", transport,
                   "-i", local_ip, "-p", "0", "-m", str(calls), "-r", str(rate),
                   "-key", "domain", domain, "-nostdin", "-timeout", "%ds" % timeout_s,
                   "-timeout_error", *extra]
        started = time.monotonic()
        completed = subprocess.run(command, cwd=workdir, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=timeout_s + 30)
        elapsed = time.monotonic() - started
        return SippResult(completed.returncode, completed.stdout.decode("utf-8", "replace"),
                          elapsed)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
