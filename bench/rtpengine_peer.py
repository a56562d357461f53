"""rtpengine (Sipwise, Debian's rtpengine-daemon) as the media relay of the comparison peer.

Runs in the foreground in userspace only (--table=-1: no kernel forwarding module), on
127.0.0.1, with its own temp dir, a free ng control port and an RTP port range of the caller's
choice. ng() speaks the bencoded ng control protocol (what Kamailio's rtpengine module uses);
statistics() reads its "statistics" answer: sessions now, packets relayed by ended calls.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time

from kolokol_harness import HarnessError, free_port
from peer_process import PeerProcess

BINARY = "rtpengine"


def bencode(value):
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, (list, tuple)):
        return b"l" + b"".join(bencode(item) for item in value) + b"e"
    if isinstance(value, dict):
        return b"d" + b"".join(bencode(key) + bencode(value[key]) for key in sorted(value)) + b"e"
    raise TypeError("cannot bencode %r" % type(value))


def bdecode(data):
    """Decodes one bencoded value; byte strings come back as str (ng answers are text)."""
    value, end = _decode_at(data, 0)
    if end != len(data):
        raise ValueError("trailing bytes after a bencoded value")
    return value


def _decode_at(data, at):
    lead = data[at:at + 1]
    if lead == b"i":
        end = data.index(b"e", at)
        return int(data[at + 1:end]), end + 1
    if lead in (b"l", b"d"):
        items, at = [], at + 1
        while data[at:at + 1] != b"e":
            item, at = _decode_at(data, at)
            items.append(item)
        if lead == b"l":
            return items, at + 1
        return dict(zip(items[::2], items[1::2])), at + 1
    if lead.isdigit():
        colon = data.index(b":", at)
        start = colon + 1
        end = start + int(data[at:colon])
        return data[start:end].decode("utf-8", "replace"), end
    raise ValueError("bad bencode at byte %d" % at)


class RtpEngine(PeerProcess):
    def __init__(self, port_min=20000, port_max=29999, threads=None):
        self.port_min, self.port_max = port_min, port_max
        self.threads = threads  # None: rtpengine's default, one per core
        self.process = None
        self.workdir = None
        self.ng_port = None
        self._cookie = 0

    def start(self):
        if shutil.which(BINARY) is None:
            raise HarnessError("rtpengine is not installed (apt-get install rtpengine-daemon)")
        self.workdir = tempfile.mkdtemp(prefix="rtpengine-peer-")
        self.ng_port = free_port(("udp",))
        self.log_path = os.path.join(self.workdir, "rtpengine.log")
        self.log_file = open(self.log_path, "wb")
        # --config-file=none: ignore /etc/rtpengine/rtpengine.conf; --delete-delay=0 frees a
        # call's ports at its BYE, so the next step starts from an empty relay.
        command = [BINARY, "--config-file=none", "--table=-1", "--foreground", "--log-stderr",
                   "--log-level=6", "--interface=127.0.0.1",
                   "--listen-ng=127.0.0.1:%d" % self.ng_port,
                   "--port-min=%d" % self.port_min, "--port-max=%d" % self.port_max,
                   "--delete-delay=0", "--pidfile=" + os.path.join(self.workdir, "pid")]
        if self.threads:
            command.append("--num-threads=%d" % self.threads)
        self.process = subprocess.Popen(command, cwd=self.workdir, stdout=self.log_file,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self.wait_ready()
        return self

    def wait_ready(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError("rtpengine exited with %d:\n%s"
                                   % (self.process.returncode, self.log_tail()))
            try:
                if self.ng({"command": "ping"}, timeout=0.3).get("result") == "pong":
                    return
            except (OSError, ValueError):
                pass
        raise HarnessError("rtpengine not answering ng ping:\n%s" % self.log_tail())

    def ng(self, message, timeout=2.0):
        """One ng command; returns the decoded answer dictionary."""
        self._cookie += 1
        cookie = b"bench%d" % self._cookie
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(timeout)
            sock.sendto(cookie + b" " + bencode(message), ("127.0.0.1", self.ng_port))
            while True:
                data, _ = sock.recvfrom(65536)
                head, _, body = data.partition(b" ")
                if head == cookie:
                    return bdecode(body)

    def statistics(self):
        """The figures the bench reads, flattened: sessions now, packets relayed so far."""
        answer = self.ng({"command": "statistics"}).get("statistics", {})
        current = answer.get("currentstatistics", {})
        total = answer.get("totalstatistics", {})
        return {"sessions": current.get("sessionsown", 0),
                "managed_sessions": total.get("managedsessions", 0),
                # Totals grow when a call is deleted, so read them after the BYEs.
                "relayed_user": total.get("relayedpackets_user", 0),
                "relayed_kernel": total.get("relayedpackets_kernel", 0),
                "relayed_errors": total.get("relayedpacketerrors", 0)}

    @property
    def pid(self):
        return self.process.pid

    def ng_address(self):
        return ("127.0.0.1", self.ng_port)

    def log_count(self, needle):
        """Lines of rtpengine's log (info level: one per ng command) containing `needle`."""
        try:
            with open(self.log_path, "rb") as log:
                return sum(1 for line in log if needle.encode() in line)
        except OSError:
            return 0
