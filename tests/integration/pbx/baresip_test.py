#!/usr/bin/env python3
"""Two real softphones (baresip 1.0.0) through kolokold: 1001 and 1002 register with digest auth,
1001 calls 1002 (auto-answer), each plays its own tone (440 Hz / 660 Hz, sox-generated WAV through
aufile) and records what it receives (sndfile), 1001 hangs up after a few seconds.

Checked: both register, the call is established on both sides, audio flowed both ways directly
between the phones (each one's received recording holds the other's tone), the BYE reaches the
callee, and the CDR says answered. Config and pitfalls as in TEST-PEERS.md section 2.
"""

import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pbx_common as pbx  # noqa: E402
from kolokol_harness import SKIP, Checks, Kolokold, free_port, standard_arguments  # noqa: E402

HOLD_SECONDS = 4.0


class Control:
    """ctrl_tcp: netstring-framed JSON commands; responses and events are collected."""

    def __init__(self, port, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection(("127.0.0.1", port), timeout=1.0)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.events = []
        self.lock = threading.Lock()
        self.closed = False
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        buffer = b""
        self.sock.settimeout(0.2)
        while not self.closed:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            if not data:
                return
            buffer += data
            while b":" in buffer:
                length, _, rest = buffer.partition(b":")
                if not length.isdigit() or len(rest) < int(length) + 1:
                    break
                payload, buffer = rest[:int(length)], rest[int(length) + 1:]
                try:
                    message = json.loads(payload.decode("utf-8", "replace"))
                except ValueError:
                    message = {"raw": payload.decode("utf-8", "replace")}
                with self.lock:
                    self.events.append(message)

    def command(self, line):
        command, _, params = line.partition(" ")
        message = json.dumps({"command": command, "params": params, "token": "t"}).encode()
        self.sock.sendall(str(len(message)).encode() + b":" + message + b",")

    def types(self):
        with self.lock:
            return [e.get("type") for e in self.events if e.get("event")]

    def wait_event(self, kind, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if kind in self.types():
                return True
            time.sleep(0.1)
        return False

    def close(self):
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass


class Baresip:
    def __init__(self, root, user, pbx_port, tone_hz):
        self.user = user
        self.dir = os.path.join(root, user)
        self.rec = os.path.join(self.dir, "rec")
        os.makedirs(self.rec)
        self.sip_port = free_pair()
        self.ctrl_port = free_port(("tcp",))
        rtp = random.randrange(26000, 32000, 100)
        wav = os.path.join(self.dir, "tone.wav")
        subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", wav, "synth", "12",
                        "sine", str(tone_hz), "vol", "0.5"], check=True)
        with open(os.path.join(self.dir, "config"), "w") as config:
            config.write("\n".join([
                "poll_method\tepoll", "sip_listen\t127.0.0.1:%d" % self.sip_port,
                "net_interface\t127.0.0.1", "dns_server\t127.0.0.1:53",
                "call_local_timeout\t120", "call_max_calls\t4",
                "audio_source\taufile,%s" % wav, "audio_level\tno", "audio_buffer\t20-160",
                "rtp_ports\t%d-%d" % (rtp, rtp + 99), "rtp_stats\tyes",
                "module_path\t/usr/lib/baresip/modules", "module\tg711.so", "module\taufile.so",
                "module\tsndfile.so", "module\tctrl_tcp.so", "module_tmp\taccount.so",
                "module_app\tmenu.so", "ctrl_tcp_listen\t127.0.0.1:%d" % self.ctrl_port,
                "snd_path\t%s" % self.rec, ""]))
        with open(os.path.join(self.dir, "accounts"), "w") as accounts:
            accounts.write('<sip:%s@%s>;auth_pass=%s;outbound="sip:127.0.0.1:%d";regint=600;'
                           'answermode=auto;audio_codecs=PCMU\n'
                           % (user, pbx.DOMAIN, pbx.PASSWORDS[user], pbx_port))
        open(os.path.join(self.dir, "contacts"), "w").close()
        self.log_path = os.path.join(root, "%s.log" % user)
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(["baresip", "-f", self.dir], stdin=subprocess.DEVNULL,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.control = Control(self.ctrl_port)

    def log_text(self):
        with open(self.log_path, "rb") as log:
            return re.sub(r"\x1b\[[0-9;]*m", "", log.read().decode("utf-8", "replace"))

    def registered(self):
        return re.search(r"%s@%s: \{\d+/UDP/v4\} 200 OK" % (self.user, re.escape(pbx.DOMAIN)),
                         self.log_text()) is not None

    def received_recording(self):
        files = sorted(f for f in os.listdir(self.rec) if f.endswith("-dec.wav"))
        return os.path.join(self.rec, files[-1]) if files else None

    def stop(self):
        """quit over ctrl_tcp; SIGTERM twice if that does not end it (TEST-PEERS.md)."""
        if self.process.poll() is None:
            try:
                self.control.command("quit")
            except OSError:
                pass
            for action in (None, signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
                if action is not None and self.process.poll() is None:
                    self.process.send_signal(action)
                try:
                    self.process.wait(3)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self.control.close()
        self.log.close()


def free_pair():
    """A port p with p (UDP and TCP) and p+1 (TCP) free: baresip also binds SIP/TLS on p+1. Taken
    below the ephemeral range, where thousands of TIME-WAIT connections of other tests would
    make the bind fail."""
    for _ in range(200):
        port = random.randrange(20000, 26000)
        held = []
        try:
            for kind, number in ((socket.SOCK_DGRAM, port), (socket.SOCK_STREAM, port),
                                 (socket.SOCK_STREAM, port + 1)):
                probe = socket.socket(socket.AF_INET, kind)
                held.append(probe)
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(("127.0.0.1", number))
            return port
        except OSError:
            continue
        finally:
            for probe in held:
                probe.close()
    raise OSError("no two adjacent free ports")


def tone_of(path):
    """(seconds, RMS amplitude, rough frequency) of a WAV, from `sox stat`."""
    result = subprocess.run(["sox", path, "-n", "stat"], stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL)
    text = result.stderr.decode("utf-8", "replace")

    def field(name):
        match = re.search(r"%s:\s*([-0-9.e]+)" % name, text)
        return float(match.group(1)) if match else 0.0
    return field("Length \\(seconds\\)"), field("RMS     amplitude"), field("Rough   frequency")


def call_case(checks, daemon, alice, bob):
    phones = (alice, bob)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not (alice.registered() and bob.registered()):
        time.sleep(0.2)
    for phone in phones:
        if not checks.check(phone.registered(), "baresip %s did not register:\n%s" % (
                phone.user, "\n".join(phone.log_text().splitlines()[-8:]))):
            return
    alice.control.command("dial sip:1002@%s" % pbx.DOMAIN)
    established = [p.control.wait_event("CALL_ESTABLISHED", 10) for p in phones]
    if not checks.check(all(established), "call not established (caller %s, callee %s); events "
                        "caller %s callee %s" % (established[0], established[1],
                                                 alice.control.types(), bob.control.types())):
        return
    time.sleep(HOLD_SECONDS)
    alice.control.command("hangup")
    checks.check(bob.control.wait_event("CALL_CLOSED", 5),
                 "the callee's call did not close after the caller hung up: %s"
                 % bob.control.types())
    alice.control.wait_event("CALL_CLOSED", 5)
    time.sleep(0.5)
    for phone, other_hz in ((alice, 660), (bob, 440)):
        recording = phone.received_recording()
        if not checks.check(recording, "%s recorded nothing received" % phone.user):
            continue
        seconds, rms, hz = tone_of(recording)
        print("%s received %.1f s, RMS %.3f, ~%.0f Hz" % (phone.user, seconds, rms, hz),
              flush=True)
        checks.check(seconds >= HOLD_SECONDS - 1.5 and rms > 0.1 and abs(hz - other_hz) < 60,
                     "%s did not receive the other side's %d Hz tone: %.1f s, RMS %.3f, ~%.0f Hz"
                     % (phone.user, other_hz, seconds, rms, hz))
    stats = [line for line in alice.log_text().splitlines() if "RTP" in line]
    print("caller RTP lines: %s" % stats[-6:], flush=True)
    rows = pbx.wait_cdrs(daemon, 1)
    checks.check(len(rows) == 1 and rows[0].get("disposition") == "answered" and
                 (rows[0].get("duration_ms") or 0) >= (HOLD_SECONDS - 1) * 1000,
                 "CDR after the baresip call: %s" % rows)


def main():
    args = standard_arguments(__doc__).parse_args()
    if pbx.missing("baresip", "sox"):
        return SKIP
    checks = Checks()
    with pbx.workdir("pbx-baresip-") as work:
        with Kolokold(args.kolokold, transports=("udp", "tcp"),
                      extra_yaml=pbx.pbx_yaml(security={"digest_algorithms": "[md5]"})) \
                as daemon:
            print("401 challenges: %s" % pbx.challenge_order(daemon), flush=True)
            phones = []
            try:  # the phones stop before the PBX: baresip waits for its unREGISTER
                phones.append(Baresip(work, "1001", daemon.sip("udp")[1], 440))
                phones.append(Baresip(work, "1002", daemon.sip("udp")[1], 660))
                call_case(checks, daemon, *phones)
            finally:
                for phone in phones:
                    phone.stop()
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
