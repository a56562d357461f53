"""Kamailio 5.6 from Debian as a reference peer (bench baseline, harness self-checks).

Two roles:
  "options": stateless OPTIONS -> 200 only (the bench baseline; everything else is dropped).
  "uas":     a minimal stateless UAS shaped like kolokold today: OPTIONS 200, REGISTER 401
             digest challenge, INVITE 480, anything else 501. Used to validate the test harness
             against a real SIP stack when kolokold is not built.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time

import sip_wire
from kolokol_harness import HarnessError, free_port

MODULES = "/usr/lib/x86_64-linux-gnu/kamailio/modules/"

HEADER = """#!KAMAILIO
debug=1
log_stderror=yes
fork=yes
children={children}
tcp_children={children}
listen=udp:127.0.0.1:{port}
listen=tcp:127.0.0.1:{port}
auto_aliases=no
alias="127.0.0.1:{port}"
{aliases}
mpath="{modules}"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "sanity.so"
"""

OPTIONS_ROUTE = """
request_route {
    if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }
    exit;
}
"""

UAS_ROUTE = """
loadmodule "auth.so"
request_route {
    if (!sanity_check("17895", "7")) { exit; }
    if (is_method("ACK")) { exit; }
    if (is_method("OPTIONS")) { sl_send_reply("200", "OK"); exit; }
    if (is_method("REGISTER")) { www_challenge("example.com", "0"); exit; }
    if (is_method("INVITE")) { sl_send_reply("480", "Temporarily Unavailable"); exit; }
    sl_send_reply("501", "Not Implemented");
    exit;
}
"""


class Kamailio:
    def __init__(self, role="options", children=2, domains=("example.com",)):
        self.role = role
        self.children = children
        self.domains = domains
        self.process = None
        self.workdir = None
        self.port = None

    def config(self):
        aliases = "\n".join('alias="%s"' % d for d in self.domains)
        head = HEADER.format(children=self.children, port=self.port, aliases=aliases,
                             modules=MODULES)
        return head + (OPTIONS_ROUTE if self.role == "options" else UAS_ROUTE)

    def start(self):
        if shutil.which("kamailio") is None:
            raise HarnessError("kamailio is not installed (apt-get install kamailio)")
        self.workdir = tempfile.mkdtemp(prefix="kamailio-peer-")
        self.port = free_port(("udp", "tcp"))
        config_path = os.path.join(self.workdir, "kamailio.cfg")
        with open(config_path, "w") as config:
            config.write(self.config())
        self.log_path = os.path.join(self.workdir, "kamailio.log")
        self.log_file = open(self.log_path, "wb")
        # -DD: the creator stays in the foreground (we own its PID) and forks the workers.
        self.process = subprocess.Popen(
            ["kamailio", "-f", config_path, "-DD", "-E", "-m", "64", "-M", "8",
             "-w", self.workdir, "-Y", self.workdir,
             "-P", os.path.join(self.workdir, "kamailio.pid")],
            stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_ready()
        return self

    def wait_ready(self, timeout=15.0):
        deadline = time.monotonic() + timeout
        with sip_wire.UdpPeer() as peer:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise HarnessError("kamailio exited with %d:\n%s"
                                       % (self.process.returncode, self.log_tail()))
                peer.send(sip_wire.request("OPTIONS", "sip:127.0.0.1:%d" % self.port,
                                           local=peer.address), self.sip())
                answer, _ = sip_wire.final_response(peer, 0.3)
                if answer is not None and answer.status == 200:
                    return
        raise HarnessError("kamailio not answering OPTIONS:\n%s" % self.log_tail())

    def sip(self, transport="udp"):
        return ("127.0.0.1", self.port)

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # our own session: its workers only
                self.process.wait()
        self.log_file.close()
        shutil.rmtree(self.workdir, ignore_errors=True)
        return self.process.returncode

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as log:
                return b"\n".join(log.read().splitlines()[-lines:]).decode("utf-8", "replace")
        except OSError:
            return "(no log)"

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()
