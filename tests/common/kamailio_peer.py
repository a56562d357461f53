"""Kamailio 5.6 from Debian as a reference peer (bench baseline, harness self-checks).

Four roles:
  "options":   stateless OPTIONS -> 200 only (the bench baseline; everything else is dropped).
  "uas":       a minimal stateless UAS shaped like kolokold today: OPTIONS 200, REGISTER 401
               digest challenge, INVITE 480, anything else 501. Used to validate the test harness
               against a real SIP stack when kolokold is not built.
  "registrar": a digest-authenticating registrar (realm "pbx.test", users from REGISTRAR_USERS,
               as in TEST-PEERS.md section 3) with the ctl socket at ctl_socket() for kamcmd;
               counter("register") / counter("challenge") count REGISTERs and 401s sent.
  "proxy_rtpengine": a registrar and record-routing stateful proxy anchoring media through
               rtpengine (bench/media_relay.py's peer): REGISTER with digest as "registrar",
               INVITE challenged with 407 (the From user's password), routed to the registered
               contact (lookup("location")); rtpengine_manage() on the INVITE, on the answer's
               SDP and on the BYE. rtpengine's ng address is the `rtpengine` argument.
"""

import os
import shutil
import subprocess
import tempfile
import time

import sip_wire
from kolokol_harness import HarnessError, free_port
from peer_process import PeerProcess

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

# user -> password of the "registrar" role.
REGISTRAR_USERS = {"alice": "alicepw", "bob": "bobpw"}

REGISTRAR_ROUTE = """
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "htable.so"
loadmodule "ctl.so"
modparam("ctl", "binrpc", "unix:{ctl}")
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("auth", "algorithm", "{algorithm}")
modparam("htable", "htable", "users=>size={size};")
modparam("htable", "htable", "counts=>size=2;")

event_route[htable:mod-init] {{
{users}
    $sht(counts=>register) = 0;
    $sht(counts=>challenge) = 0;
}}

request_route {{
    if (!sanity_check("17895", "7")) {{ exit; }}
    if (is_method("ACK")) {{ exit; }}
    if (is_method("OPTIONS")) {{ sl_send_reply("200", "OK"); exit; }}
    if (!is_method("REGISTER")) {{ sl_send_reply("405", "Method Not Allowed"); exit; }}
    $var(n) = $shtinc(counts=>register);
    if (!is_present_hf("Authorization")) {{ route(CHALLENGE); }}
    if ($au != $tU || $sht(users=>$au) == $null) {{ route(CHALLENGE); }}
    $var(pw) = $sht(users=>$au);
    if (!pv_www_authenticate("pbx.test", "$var(pw)", "0")) {{ route(CHALLENGE); }}
    consume_credentials();
    if (!save("location")) {{ sl_reply_error(); }}
    exit;
}}

route[CHALLENGE] {{
    $var(n) = $shtinc(counts=>challenge);
    www_challenge("pbx.test", "{flags}");
    exit;
}}
"""


PROXY_RTPENGINE_ROUTE = """
loadmodule "tm.so"
loadmodule "rr.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "auth.so"
loadmodule "htable.so"
loadmodule "ctl.so"
loadmodule "rtpengine.so"
loadmodule "topoh.so"
modparam("ctl", "binrpc", "unix:{ctl}")
# A proxy keeps the Call-ID, so both legs of a call would share one; a load generator playing
# caller and callee in one process (bench/rtp_load) keys its dialogs by Call-ID and would take
# the callee's INVITE for its own call. topoh gives the callee leg a masked Call-ID (and masks
# Via, Record-Route and Contact), as a B2BUA such as kolokold gives each leg its own.
modparam("topoh", "mask_callid", 1)
modparam("topoh", "mask_key", "kolokol-bench")
modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("htable", "htable", "users=>size={size};")
modparam("rtpengine", "rtpengine_sock", "udp:{ng_host}:{ng_port}")
modparam("rr", "append_fromtag", 1)

event_route[htable:mod-init] {{
{users}
}}

request_route {{
    if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
    if (!sanity_check("17895", "7")) {{ exit; }}
    if (has_totag()) {{ route(IN_DIALOG); }}
    if (is_method("CANCEL")) {{
        if (t_check_trans()) {{ rtpengine_manage(); t_relay(); }}
        exit;
    }}
    if (is_method("ACK")) {{ exit; }}
    if (is_method("OPTIONS")) {{ sl_send_reply("200", "OK"); exit; }}
    if (is_method("REGISTER")) {{ route(REGISTER); }}
    if (!is_method("INVITE")) {{ sl_send_reply("405", "Method Not Allowed"); exit; }}
    if (!is_present_hf("Proxy-Authorization") || $au != $fU || $sht(users=>$au) == $null) {{
        proxy_challenge("pbx.test", "0");
        exit;
    }}
    $var(pw) = $sht(users=>$au);
    if (!pv_proxy_authenticate("pbx.test", "$var(pw)", "0")) {{
        proxy_challenge("pbx.test", "0");
        exit;
    }}
    consume_credentials();
    if (!lookup("location")) {{ sl_send_reply("404", "Not Found"); exit; }}
    record_route();
    rtpengine_manage("replace-origin replace-session-connection");
    t_on_reply("MEDIA");
    t_on_failure("MEDIA_FAILED");
    if (!t_relay()) {{ rtpengine_delete(); sl_reply_error(); }}
    exit;
}}

route[IN_DIALOG] {{
    if (!loose_route()) {{
        if (is_method("ACK") && t_check_trans()) {{ t_relay(); }}
        else if (!is_method("ACK")) {{ sl_send_reply("404", "Not Here"); }}
        exit;
    }}
    if (is_method("BYE|CANCEL")) {{ rtpengine_delete(); }}
    else if (has_body("application/sdp")) {{
        rtpengine_manage("replace-origin replace-session-connection");
        t_on_reply("MEDIA");
    }}
    t_relay();
    exit;
}}

route[REGISTER] {{
    if (!is_present_hf("Authorization") || $au != $tU || $sht(users=>$au) == $null) {{
        www_challenge("pbx.test", "0");
        exit;
    }}
    $var(pw) = $sht(users=>$au);
    if (!pv_www_authenticate("pbx.test", "$var(pw)", "0")) {{
        www_challenge("pbx.test", "0");
        exit;
    }}
    consume_credentials();
    if (!save("location")) {{ sl_reply_error(); }}
    exit;
}}

onreply_route[MEDIA] {{
    if (has_body("application/sdp")) {{
        rtpengine_manage("replace-origin replace-session-connection");
    }}
}}

failure_route[MEDIA_FAILED] {{
    rtpengine_delete();
}}
"""


class Kamailio(PeerProcess):
    def __init__(self, role="options", children=2, domains=("example.com",), qop_auth=False,
                 algorithm="MD5", users=None, rtpengine=None):
        self.role = role
        self.users = dict(users or REGISTRAR_USERS)  # registrar: user -> password
        self.qop_auth = qop_auth  # registrar: challenge with qop="auth" (else RFC 2069 style)
        self.algorithm = algorithm  # registrar: MD5 or SHA-256
        self.rtpengine = rtpengine  # proxy_rtpengine: (host, port) of rtpengine's ng socket
        self.children = children
        self.domains = domains
        self.process = None
        self.workdir = None
        self.port = None

    def config(self):
        aliases = "\n".join('alias="%s"' % d for d in self.domains)
        head = HEADER.format(children=self.children, port=self.port, aliases=aliases,
                             modules=MODULES)
        if self.role == "options":
            return head + OPTIONS_ROUTE
        users = "\n".join('    $sht(users=>%s) = "%s";' % item
                          for item in sorted(self.users.items()))
        # htable size is a power of two of buckets; about one user per bucket.
        size = min(max(len(self.users).bit_length(), 4), 20)
        if self.role == "registrar":
            return head + REGISTRAR_ROUTE.format(ctl=self.ctl_socket(), users=users, size=size,
                                          algorithm=self.algorithm,
                                          flags="1" if self.qop_auth else "0")
        if self.role == "proxy_rtpengine":
            if self.rtpengine is None:
                raise HarnessError("the proxy_rtpengine role needs rtpengine=(host, ng port)")
            return head + PROXY_RTPENGINE_ROUTE.format(ctl=self.ctl_socket(), users=users,
                                                       size=size, ng_host=self.rtpengine[0],
                                                       ng_port=self.rtpengine[1])
        return head + UAS_ROUTE

    def ctl_socket(self):
        return os.path.join(self.workdir, "kamailio_ctl")

    def counter(self, name):
        """A registrar-role counter from the "counts" htable (0 when never incremented)."""
        text = self.kamcmd("htable.get", "counts", name)
        for line in text.splitlines():
            key, _, value = line.strip().partition(":")
            if key.strip() == "value":
                return int(value.strip())
        return 0

    def kamcmd(self, *command, timeout=10.0):
        """Runs kamcmd against this instance's ctl socket; returns its stdout (raises on error)."""
        result = subprocess.run(["kamcmd", "-s", "unix:" + self.ctl_socket()] + list(command),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                timeout=timeout)
        if result.returncode != 0:
            raise HarnessError("kamcmd %s failed (%d): %s"
                               % (" ".join(command), result.returncode, result.stdout))
        return result.stdout

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
