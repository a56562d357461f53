#!/usr/bin/env python3
"""Two real softphones (baresip 1.0.0) through kolokold, which anchors the media and records the
call: 1001 and 1002 register with digest auth, 1001 calls 1002 (auto-answer), each plays its own
tone through aufile (caller 440 Hz, callee 1 kHz; 8 kHz mono WAVs written with Python's wave
module) and records what it receives (sndfile); 1001 hangs up after about 4 s. Done twice:
- g711: both phones on PCMU, the PBX relays without transcoding;
- transcoding: the caller offers PCMA only, the callee accepts opus only (baresip resamples its
  tone to 48 kHz), so the PBX answers the caller with PCMA itself and transcodes PCMA <-> opus,
  which its log says.

Checked each time: both register, the call is established on both sides, the BYE reaches the
callee, each phone's received recording holds the other's tone (Goertzel filter over the middle of
the call), each phone's own RTP table shows more than 100 packets each way without errors, and
the CDR says answered, anchored, more than 100 RTP packets from each phone with no loss (two
tolerated), and names a stereo 8 kHz WAV with the caller's 440 Hz on the left channel and the
callee's 1 kHz on the right over the middle of the call. Config and pitfalls as in
TEST-PEERS.md section 2.
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
import tone_wav  # noqa: E402
from kolokol_harness import SKIP, Checks, Kolokold, free_port, standard_arguments  # noqa: E402

HOLD_SECONDS = 4.0
# The aufile source hangs up the call at the end of its file: the tones outlast the call.
TONE_SECONDS = 10.0
TONE_RATE = 8000
CALLER_HZ, CALLEE_HZ = 440, 1000
# SIP ports, the PBX's relay ports and each phone's RTP ports are probed free at start-up below
# the ephemeral range, where thousands of TIME-WAIT connections of other tests would make binds
# fail; anywhere in it, as benchmarks on the same machine may hold thousands of RTP ports.
LOW_PORT, HIGH_PORT = 2000, 32768


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
    """One baresip with its config directory under root/label/user, playing a tone of `tone_hz`
    and offering only `codecs` (audio_codecs of its account)."""

    def __init__(self, root, label, user, pbx_port, tone_hz, codecs):
        self.user = user
        self.dir = os.path.join(root, label, user)
        self.rec = os.path.join(self.dir, "rec")
        os.makedirs(self.rec)
        self.sip_port = free_pair()
        self.ctrl_port = free_port(("tcp",))
        rtp = free_udp_block(20)
        wav = os.path.join(self.dir, "tone.wav")
        tone_wav.write_tone(wav, tone_hz, TONE_SECONDS, TONE_RATE)
        modules = ["g711.so"] + (["opus.so"] if "opus" in codecs else [])
        with open(os.path.join(self.dir, "config"), "w") as config:
            config.write("\n".join([
                "poll_method\tepoll", "sip_listen\t127.0.0.1:%d" % self.sip_port,
                "net_interface\t127.0.0.1", "dns_server\t127.0.0.1:53",
                "call_local_timeout\t120", "call_max_calls\t4",
                "audio_source\taufile,%s" % wav, "audio_level\tno", "audio_buffer\t20-160",
                # aufile insists on the codec's rate and channels unless the source's are
                # given; with them baresip resamples (opus is 48 kHz stereo).
                "ausrc_srate\t%d" % TONE_RATE, "ausrc_channels\t1",
                "rtp_ports\t%d-%d" % (rtp, rtp + 19), "rtp_stats\tyes",
                "module_path\t/usr/lib/baresip/modules",
                *["module\t%s" % m for m in modules + ["aufile.so", "sndfile.so",
                                                       "ctrl_tcp.so"]],
                "module_tmp\taccount.so", "module_app\tmenu.so",
                "ctrl_tcp_listen\t127.0.0.1:%d" % self.ctrl_port, "snd_path\t%s" % self.rec,
                ""]))
        with open(os.path.join(self.dir, "accounts"), "w") as accounts:
            accounts.write('<sip:%s@%s>;auth_pass=%s;outbound="sip:127.0.0.1:%d";regint=600;'
                           'answermode=auto;audio_codecs=%s\n'
                           % (user, pbx.DOMAIN, pbx.PASSWORDS[user], pbx_port, codecs))
        open(os.path.join(self.dir, "contacts"), "w").close()
        self.log_path = os.path.join(root, label, "%s.log" % user)
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

    def rtp_stats(self):
        """{"packets": (sent, received), "errors": (...)} from the table baresip logs when a
        call ends (rtp_stats yes); {} when there is none."""
        text = self.log_text()
        table = text[text.rfind("Transmit:"):] if "Transmit:" in text else ""
        stats = {}
        for name in ("packets", "errors"):
            match = re.search(r"^%s:\s+(\d+)\s+(\d+)" % name, table, re.M)
            if match:
                stats[name] = (int(match.group(1)), int(match.group(2)))
        return stats

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
    """A port p with p (UDP and TCP) and p+1 (TCP) free: baresip also binds SIP/TLS on p+1."""
    for _ in range(1000):
        port = random.randrange(LOW_PORT, HIGH_PORT)
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


def free_udp_block(count):
    """An even port p with p .. p+count-1 free for UDP on 127.0.0.1 now."""
    for _ in range(1000):
        base = random.randrange(LOW_PORT, HIGH_PORT - count, 2)
        held = []
        try:
            for port in range(base, base + count):
                probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                held.append(probe)
                probe.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for probe in held:
                probe.close()
    raise OSError("no block of %d free UDP ports" % count)


def tone_ratio(samples, rate, wanted, other):
    """(share of the power at `wanted`, power at `wanted` / power at `other`) in the middle
    half of `samples`."""
    centre = tone_wav.middle(samples)
    wanted_power = tone_wav.goertzel(centre, wanted, rate)
    other_power = tone_wav.goertzel(centre, other, rate)
    return (tone_wav.tone_share(centre, wanted, rate),
            wanted_power / other_power if other_power else float("inf"))


def check_received(checks, label, phone, wanted, other):
    """The phone's sndfile recording of what it received holds the other side's tone."""
    path = phone.received_recording()
    if not checks.check(path, "%s: %s recorded nothing received" % (label, phone.user)):
        return
    rate, channels = tone_wav.read_channels(path)
    seconds = len(channels[0]) / float(rate)
    share, ratio = tone_ratio(channels[0], rate, wanted, other)
    print("%s: %s received %.1f s at %d Hz, %d Hz share %.2f, %d/%d Hz power ratio %.3g"
          % (label, phone.user, seconds, rate, wanted, share, wanted, other, ratio), flush=True)
    checks.check(seconds >= HOLD_SECONDS - 1.5 and share > 0.3 and ratio > 100,
                 "%s: %s did not receive the other side's %d Hz tone: %.1f s, share %.2f, "
                 "ratio to %d Hz %.1f" % (label, phone.user, wanted, seconds, share, other,
                                          ratio))


def check_recording(checks, label, path):
    """The PBX's WAV: stereo 8 kHz, caller's tone on the left, callee's on the right."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not os.path.exists(path):
        time.sleep(0.1)
    time.sleep(0.5)  # the writer thread finishes the file after the call
    try:
        rate, channels = tone_wav.read_channels(path)
    except (OSError, EOFError, ValueError) as error:
        checks.check(False, "%s: the recording %s cannot be read: %s" % (label, path, error))
        return
    seconds = len(channels[0]) / float(rate) if channels else 0
    print("%s: recording %s, %d channels at %d Hz, %.2f s"
          % (label, os.path.basename(path), len(channels), rate, seconds), flush=True)
    if not checks.check(len(channels) == 2 and rate == 8000 and seconds >= HOLD_SECONDS - 1,
                        "%s: the recording has %d channels at %d Hz, %.2f s; expected stereo "
                        "8 kHz of about %.0f s" % (label, len(channels), rate, seconds,
                                                   HOLD_SECONDS)):
        return
    left_share, left_ratio = tone_ratio(channels[0], rate, CALLER_HZ, CALLEE_HZ)
    right_share, right_ratio = tone_ratio(channels[1], rate, CALLEE_HZ, CALLER_HZ)
    print("%s: recording left %d Hz share %.2f, ratio to %d Hz %.3g; right %d Hz share %.2f, "
          "ratio to %d Hz %.3g" % (label, CALLER_HZ, left_share, CALLEE_HZ, left_ratio,
                                   CALLEE_HZ, right_share, CALLER_HZ, right_ratio), flush=True)
    checks.check(left_share > 0.3 and left_ratio > 100,
                 "%s: the caller's %d Hz is not dominant on the left channel (share %.2f, "
                 "ratio %.1f)" % (label, CALLER_HZ, left_share, left_ratio))
    checks.check(right_share > 0.3 and right_ratio > 100,
                 "%s: the callee's %d Hz is not dominant on the right channel (share %.2f, "
                 "ratio %.1f)" % (label, CALLEE_HZ, right_share, right_ratio))


def check_cdr(checks, daemon, label, count):
    """The call's record: answered, anchored, RTP counted without loss, a recording."""
    rows = pbx.wait_cdrs(daemon, count)
    row = rows[-1] if len(rows) >= count else None
    print("%s: CDR %s" % (label, row), flush=True)
    if not checks.check(row is not None, "%s: no CDR (%d rows)" % (label, len(rows))):
        return None
    checks.check(row.get("disposition") == "answered" and
                 (row.get("duration_ms") or 0) >= (HOLD_SECONDS - 1) * 1000,
                 "%s: CDR disposition %s, duration %s ms" % (label, row.get("disposition"),
                                                             row.get("duration_ms")))
    checks.check(row.get("media_anchored") == 1, "%s: the CDR does not say anchored" % label)
    for leg in ("caller", "callee"):
        packets, lost = row.get("%s_rtp_packets" % leg), row.get("%s_rtp_lost" % leg)
        # Loopback loses nothing unless a process stalls long enough to overflow a socket
        # buffer; a couple of packets is tolerated on a busy machine.
        checks.check((packets or 0) > 100 and lost is not None and 0 <= lost <= 2,
                     "%s: CDR %s RTP packets/lost %s/%s, expected > 100 / at most 2"
                     % (label, leg, packets, lost))
        # A steady stream on loopback: a few ms at most (an opus leg timed at the clock of
        # the telephone-event listed first showed 100 ms).
        jitter = row.get("%s_jitter_ms" % leg)
        checks.check(jitter is not None and jitter < 20,
                     "%s: CDR %s jitter %s ms, expected a few ms" % (label, leg, jitter))
    return row


def call_case(checks, daemon, work, label, caller_codecs, callee_codecs, count):
    """One call 1001 -> 1002 between fresh phones offering the given codecs; `count` is the
    number of CDRs expected once it ended."""
    port = daemon.sip("udp")[1]
    phones = []
    try:  # the phones stop before the PBX: baresip waits for its unREGISTER
        phones.append(Baresip(work, label, "1001", port, CALLER_HZ, caller_codecs))
        phones.append(Baresip(work, label, "1002", port, CALLEE_HZ, callee_codecs))
        alice, bob = phones
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (alice.registered() and bob.registered()):
            time.sleep(0.2)
        for phone in phones:
            if not checks.check(phone.registered(), "%s: baresip %s did not register:\n%s" % (
                    label, phone.user, "\n".join(phone.log_text().splitlines()[-8:]))):
                return
        alice.control.command("dial sip:1002@%s" % pbx.DOMAIN)
        established = [p.control.wait_event("CALL_ESTABLISHED", 10) for p in phones]
        if not checks.check(all(established), "%s: call not established (caller %s, callee %s); "
                            "events caller %s callee %s; caller log:\n%s"
                            % (label, established[0], established[1], alice.control.types(),
                               bob.control.types(),
                               "\n".join(alice.log_text().splitlines()[-8:]))):
            return
        time.sleep(HOLD_SECONDS)
        alice.control.command("hangup")
        checks.check(bob.control.wait_event("CALL_CLOSED", 5),
                     "%s: the callee's call did not close after the caller hung up: %s"
                     % (label, bob.control.types()))
        alice.control.wait_event("CALL_CLOSED", 5)
        time.sleep(0.5)
        check_received(checks, label, alice, CALLEE_HZ, CALLER_HZ)
        check_received(checks, label, bob, CALLER_HZ, CALLEE_HZ)
    finally:
        for phone in phones:
            phone.stop()
    for phone in phones:
        stats = phone.rtp_stats()
        print("%s: %s's own RTP stats (sent, received): %s" % (label, phone.user, stats),
              flush=True)
        checks.check(stats.get("packets", (0, 0))[0] > 100 and
                     stats.get("packets", (0, 0))[1] > 100 and stats.get("errors") == (0, 0),
                     "%s: %s's RTP stats at the end of the call: %s (expected > 100 packets "
                     "each way, no errors)" % (label, phone.user, stats))
    row = check_cdr(checks, daemon, label, count)
    if row is not None and checks.check(row.get("recording"), "%s: the CDR names no recording"
                                        % label):
        check_recording(checks, label, row["recording"])


def main():
    args = standard_arguments(__doc__).parse_args()
    if pbx.missing("baresip"):
        return SKIP
    checks = Checks()
    relay = free_udp_block(40)
    media = ("media:\n  record_calls: true\n  rtp_port_min: %d\n  rtp_port_max: %d\n"
             % (relay, relay + 39))
    with pbx.workdir("pbx-baresip-") as work:
        with Kolokold(args.kolokold, transports=("udp", "tcp"),
                      extra_yaml=pbx.pbx_yaml(security={"digest_algorithms": "[md5]"},
                                              extra=media)) as daemon:
            print("401 challenges: %s" % pbx.challenge_order(daemon), flush=True)
            started = time.monotonic()
            call_case(checks, daemon, work, "g711", "PCMU", "PCMU", 1)
            print("g711 case: %.1f s" % (time.monotonic() - started), flush=True)
            checks.check("transcoding" not in daemon.log_text(),
                         "g711: kolokold transcoded although both phones speak PCMU")
            started = time.monotonic()
            call_case(checks, daemon, work, "transcoding", "PCMA", "opus/48000/2", 2)
            print("transcoding case: %.1f s" % (time.monotonic() - started), flush=True)
            checks.check(re.search(r"transcoding PCMA <-> opus", daemon.log_text(), re.I),
                         "transcoding: kolokold's log has no \"transcoding PCMA <-> opus\":\n%s"
                         % daemon.log_tail(15))
            checks.check(daemon.alive(), "kolokold died")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
