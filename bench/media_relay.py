#!/usr/bin/env python3
"""Anchored G.711 calls with media both ways through kolokold: loss, latency, jitter, PBX CPU.

bench/rtp_load (C++, built with the bench programs) registers extension 1002 (digest), places
the calls from extension 1001 (INVITE, 407, INVITE with credentials, 200, ACK), streams 20 ms
G.711 RTP both ways on one port per leg (sendmmsg/recvmmsg, epoll, a 5 ms tick spreading the
streams over each 20 ms frame), holds every call for --duration seconds once all are up, and
hangs up. Each step of the ladder is one rtp_load run at that many concurrent calls against the
same kolokold; kolokold's CPU time is read between rtp_load's "phase: media" and "phase:
hangup" lines, so it covers relaying only (no call setup).

A step passes when every call was set up, no packet was lost and kolokold stayed under the
goal: 2,000 calls with at most 60 % of the machine's two cores (120 % of one core).

The comparison peer (the project rule: a ratio against a peer run on the same machine in the
same run) is Kamailio 5.6 as registrar and record-routing proxy (the same users, passwords and
digest challenges) with rtpengine anchoring the media in userspace (no kernel module). Each step
runs rtp_load against kolokold, then the same load against the peer; the peer's relay CPU is
rtpengine's over the same media phase (Kamailio's processes are shown beside it: they only do
SIP, which the media phase has none of). rtpengine's own counters (sessions during the media
phase, packets relayed) and its log (offer/answer/delete commands) confirm the media went
through it. Per step: the kolokold row, the "peer" row, and a "ratio" row (kolokold CPU /
rtpengine CPU, loss and p99 latency of both).

With --anchor off (media.anchor: false) the PBX passes SDP through and RTP flows directly
between rtp_load's own ports; kolokold then relays nothing and its media-phase CPU is about zero.
The output says so when rtp_load saw its own ports in the SDP (media path "direct").

    media_relay.py --kolokold build/release/src/server/kolokold
                   [--rtp-load build/release/bench/rtp_load/rtp_load]
                   [--calls 500 1000 2000] [--duration 30] [--rate 200] [--anchor default]
                   [--peer auto|none] [--peer-rtp-ports 20000 29999]
"""

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import wave

from bench_common import RssSampler, cpu_seconds, machine_line, process_cpu_seconds  # noqa: E402
from kamailio_peer import Kamailio  # noqa: E402
from kolokol_harness import HarnessError, Kolokold  # noqa: E402
from rtpengine_peer import RtpEngine  # noqa: E402

DOMAIN = "pbx.test"
PASSWORDS = {"1001": "bench-caller-pw", "1002": "bench-callee-pw"}
GOAL_CALLS = 2000
GOAL_CPU_OF_ONE_CORE = 120.0  # 60 % of two cores
PEER_PROGRAMS = ("kamailio", "rtpengine")
ROW = "%6s %10d %9s %8d %8.2f %9.2f %9.2f %8.1f%% %8.1f%% %6d MiB  %s"


def tenant_yaml(anchor, rtp_ports, record_dir=None):
    lines = ["demo_tenant: false", "tenants:", "  - name: bench", "    domains: [%s]" % DOMAIN,
             "    extensions:"]
    lines += ['      - {number: "%s", password: "%s"}' % item for item in PASSWORDS.items()]
    lines += ["registrar:", "  qualify_interval: 0s"]  # an OPTIONS would be a stray request
    if anchor != "default" or rtp_ports or record_dir:
        lines.append("media:")
        if record_dir:
            lines += ["  record_calls: true", "  recording_dir: %s" % record_dir]
        if anchor != "default":
            lines.append("  anchor: %s" % ("true" if anchor == "on" else "false"))
        if rtp_ports:
            low, high = rtp_ports
            lines += ["  rtp_port_min: %d" % low, "  rtp_port_max: %d" % high]
    return "\n".join(lines) + "\n"


def check_recordings(directory, calls, duration):
    """After a step with media.record_calls: one WAV per call, none shorter than the media
    phase (a gap would shorten nothing, but a writer that fell behind drops blocks and the file
    comes out short), and removes them for the next step. Prints what it found."""
    deadline = time.monotonic() + 30
    files = []
    while time.monotonic() < deadline:
        files = [os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".wav")]
        if len(files) >= calls:
            break
        time.sleep(0.5)
    time.sleep(3)  # the writer finishes the last files after the BYEs
    lengths = []
    for path in files:
        try:
            with wave.open(path) as recording:
                lengths.append(recording.getnframes() / recording.getframerate())
        except (wave.Error, EOFError, OSError):
            lengths.append(0.0)
        os.unlink(path)
    short = [x for x in lengths if x < duration]
    print("%6s recordings: %d files for %d calls, %.1f-%.1f s long, %d shorter than the %g s of "
          "media" % ("", len(files), calls, min(lengths or [0]), max(lengths or [0]), len(short),
                     duration), flush=True)
    return len(files) == calls and not short


def default_rtp_load(kolokold):
    # build/<dir>/src/server/kolokold -> build/<dir>/bench/rtp_load/rtp_load
    build = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(kolokold))))
    return os.path.join(build, "bench", "rtp_load", "rtp_load")


def run_step(sip, args, calls, cpu_probes, rss_pid, relay_stats=None):
    """One rtp_load run against the SIP server at `sip`. cpu_probes: name -> a function giving
    CPU seconds so far, read at rtp_load's "phase: media" and "phase: hangup" lines. relay_stats:
    a function giving the relay's own counters, read just before the media phase's CPU window
    (so the query's own cost stays out of it)."""
    command = [args.rtp_load, "--proxy", "%s:%d" % sip, "--domain", DOMAIN,
               "--caller", "1001:" + PASSWORDS["1001"], "--callee", "1002:" + PASSWORDS["1002"],
               "--calls", str(calls), "--rate", str(args.rate), "--duration", str(args.duration),
               "--threads", str(args.threads), "--port-base", str(args.port_base)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    marks = {}
    stats = {}
    lines = []
    with RssSampler(rss_pid) as sampler:
        for line in process.stdout:
            line = line.rstrip("\n")
            lines.append(line)
            if line.startswith("phase: media"):
                if relay_stats:
                    stats["media"] = relay_stats()
                marks["start"] = (time.monotonic(),
                                  {name: probe() for name, probe in cpu_probes.items()})
            elif line.startswith("phase: hangup"):
                marks["end"] = (time.monotonic(),
                                {name: probe() for name, probe in cpu_probes.items()})
        process.wait()
    stderr = process.stderr.read()
    result = None
    if lines and lines[-1].startswith("{"):
        result = json.loads(lines[-1])
    cpu = {}
    if "start" in marks and "end" in marks:
        seconds = marks["end"][0] - marks["start"][0]
        for name in cpu_probes:
            used = marks["end"][1][name] - marks["start"][1][name]
            cpu[name] = 100.0 * used / seconds if seconds > 0 else 0.0
    return process.returncode, result, cpu, sampler.peak, lines, stderr, stats


def print_row(label, result, cpu, rss_peak, verdict_ok, extra=""):
    lost = result["packets_lost"]
    sent = max(result["packets_sent"], 1)
    print(ROW % (label, result["packets_sent"],
                 "%d" % lost if lost == 0 else "%d=%.3f%%" % (lost, 100.0 * lost / sent),
                 result["streams_with_loss"], result["latency_ms"]["p99"],
                 result["latency_ms"]["max"], result["jitter_ms"]["max"],
                 cpu if cpu is not None else -1, result["generator_cpu_percent"],
                 rss_peak // 1024,
                 "%s %s" % (result["media_path"], "PASS" if verdict_ok else "FAIL"))
          + ("" if result["calls_failed"] == 0 else
             " (%d calls failed: %s)" % (result["calls_failed"], result["sip_failures"]))
          + ("" if not result["foreign_packets"] else
             " (%d packets reached another call's port)" % result["foreign_packets"])
          + extra, flush=True)


def clean(code, result):
    return (code == 0 and result["calls_failed"] == 0 and result["packets_lost"] == 0
            and result["streams_with_loss"] == 0 and result["foreign_packets"] == 0)


def show_failure(args, result, code, lines, stderr, calls, who):
    if args.verbose or result is None:
        print("\n".join("    " + line for line in lines[:-1] if line), flush=True)
        if stderr.strip():
            print("    stderr: " + stderr.strip()[-2000:], flush=True)
    if result is None:
        print("%6d  rtp_load exited %s without a result (%s)" % (calls, code, who), flush=True)


def peer_missing():
    """Why the comparison peer cannot run here, or None."""
    missing = [name for name in PEER_PROGRAMS if shutil.which(name) is None]
    if missing:
        return "not installed: %s (apt-get install kamailio rtpengine-daemon)" % ", ".join(missing)
    if not os.path.exists(os.path.join("/usr/lib/x86_64-linux-gnu/kamailio/modules",
                                       "rtpengine.so")):
        return "Kamailio's rtpengine module is missing (apt-get install kamailio-extra-modules)"
    return None


def program_version(command):
    try:
        out = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    for word in out.split():
        if word[:1].isdigit():
            return word.split("-")[0].split("+")[0]
    return "?"


class Peer:
    """Kamailio (registrar + proxy) and rtpengine (the relay), started together."""

    def __init__(self, args):
        self.args = args
        self.stack = contextlib.ExitStack()
        self.rtpengine = self.kamailio = None

    def __enter__(self):
        try:
            low, high = self.args.peer_rtp_ports
            self.rtpengine = self.stack.enter_context(RtpEngine(low, high))
            self.kamailio = self.stack.enter_context(
                Kamailio(role="proxy_rtpengine", domains=(DOMAIN,), users=PASSWORDS,
                         children=self.args.kamailio_children,
                         rtpengine=self.rtpengine.ng_address()))
        except BaseException:
            self.stack.close()
            raise
        return self

    def __exit__(self, *exc):
        self.stack.close()

    def alive(self):
        return self.rtpengine.alive() and self.kamailio.alive()

    def log_counts(self):
        return {what: self.rtpengine.log_count("Received command '%s'" % what)
                for what in ("offer", "answer", "delete")}

    def run(self, args, calls):
        rtpengine, kamailio = self.rtpengine, self.kamailio
        probes = {"rtpengine": lambda: process_cpu_seconds(rtpengine.pid),
                  "kamailio": lambda: cpu_seconds(kamailio.process.pid)}  # its own session
        before, logs_before = rtpengine.statistics(), self.log_counts()
        code, result, cpu, rss, lines, stderr, stats = run_step(
            kamailio.sip("udp"), args, calls, probes, rtpengine.pid, rtpengine.statistics)
        after, logs = rtpengine.statistics(), self.log_counts()
        relay = {"sessions": stats.get("media", {}).get("sessions", 0),
                 "relayed": after["relayed_user"] - before["relayed_user"],
                 "kernel": after["relayed_kernel"] - before["relayed_kernel"],
                 "errors": after["relayed_errors"] - before["relayed_errors"],
                 "left": after["sessions"],
                 "log": {what: logs[what] - logs_before[what] for what in logs}}
        return code, result, cpu, rss, lines, stderr, relay


def ratio_line(ours, theirs):
    ours_result, ours_cpu = ours
    theirs_result, theirs_cpu = theirs
    if ours_cpu is None or theirs_cpu is None:
        cpu = "n/a (a CPU window is missing)"
    elif theirs_cpu <= 0.05:
        cpu = "n/a (rtpengine used no measurable CPU)"
    else:
        cpu = "%.2f (%.1f%% / %.1f%%)" % (ours_cpu / theirs_cpu, ours_cpu, theirs_cpu)
    return ("%6s CPU kolokold/rtpengine %s; lost %d vs %d; p99 %.2f vs %.2f ms"
            % ("ratio", cpu, ours_result["packets_lost"], theirs_result["packets_lost"],
               ours_result["latency_ms"]["p99"], theirs_result["latency_ms"]["p99"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kolokold", required=True)
    parser.add_argument("--rtp-load", help="rtp_load binary (default: beside kolokold's build)")
    parser.add_argument("--calls", type=int, nargs="+", default=(500, 1000, 2000),
                        help="concurrent calls of each step")
    parser.add_argument("--duration", type=float, default=30,
                        help="seconds of media once every call of a step is up")
    parser.add_argument("--rate", type=float, default=200, help="call setup rate, calls/s")
    parser.add_argument("--threads", type=int, default=2, help="rtp_load media threads")
    parser.add_argument("--port-base", type=int, default=30000, help="rtp_load's first RTP port")
    parser.add_argument("--anchor", choices=("default", "on", "off"), default="default",
                        help="media.anchor in kolokold's config (default: the daemon's default)")
    parser.add_argument("--pbx-rtp-ports", type=int, nargs=2, metavar=("MIN", "MAX"),
                        help="media.rtp_port_min/max for kolokold (default: the daemon's)")
    parser.add_argument("--record", action="store_true",
                        help="kolokold records every call (media.record_calls) into a temp dir; "
                             "a step then also needs one full-length WAV per call")
    parser.add_argument("--peer", choices=("auto", "none"), default="auto",
                        help="run Kamailio + rtpengine at every step when installed (auto)")
    parser.add_argument("--peer-rtp-ports", type=int, nargs=2, metavar=("MIN", "MAX"),
                        default=(20000, 29999),
                        help="rtpengine's RTP port range (4 ports per call: RTP and RTCP of "
                             "both legs)")
    parser.add_argument("--kamailio-children", type=int, default=2,
                        help="Kamailio UDP worker processes")
    parser.add_argument("--verbose", action="store_true", help="print rtp_load's own report")
    args = parser.parse_args()
    args.rtp_load = args.rtp_load or default_rtp_load(args.kolokold)
    if not os.access(args.rtp_load, os.X_OK):
        sys.exit("rtp_load not found at %s (configure with -DKOLOKOL_BUILD_BENCH=ON and build "
                 "the rtp_load target, or pass --rtp-load)" % args.rtp_load)
    no_peer = "--peer none" if args.peer == "none" else peer_missing()
    print(machine_line("rtp_load caller and callee on 127.0.0.1, G.711 20 ms both ways, setup "
                       "%.0f calls/s, %.0f s of media per step, %d generator threads"
                       % (args.rate, args.duration, args.threads)), flush=True)
    if not no_peer:
        print("peer: Kamailio %s (%d UDP children, registrar + record-routing proxy, "
              "rtpengine_manage) with rtpengine %s (userspace forwarding, %d threads by default)"
              % (program_version(["kamailio", "-v"]), args.kamailio_children,
                 program_version(["rtpengine", "--version"]), os.cpu_count()), flush=True)
    print("%6s %10s %9s %8s %8s %9s %9s %9s %9s %9s  %s"
          % ("calls", "packets", "lost", "lossy", "p99 ms", "max ms", "jitter", "PBX CPU",
             "gen CPU", "PBX RSS", "media path / verdict"), flush=True)
    results = []
    peer_rows = []
    direct_seen = False
    with contextlib.ExitStack() as stack:
        record_dir = None
        if args.record:
            record_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="relay-rec-"))
        daemon = stack.enter_context(Kolokold(
            args.kolokold, transports=("udp",), log_level="warn", domains=(DOMAIN,),
            extra_yaml=tenant_yaml(args.anchor, args.pbx_rtp_ports, record_dir)))
        peer = None
        if not no_peer:
            try:
                peer = stack.enter_context(Peer(args))
            except HarnessError as error:
                no_peer = "it failed to start: %s" % str(error).strip()[-1500:]
                print("comparison peer: " + no_peer, flush=True)
        for calls in args.calls:
            code, result, cpu, rss_peak, lines, stderr, _ = run_step(
                daemon.sip("udp"), args, calls,
                {"kolokold": lambda: process_cpu_seconds(daemon.pid)}, daemon.pid)
            show_failure(args, result, code, lines, stderr, calls, "kolokold")
            if result is None:
                break
            pbx_cpu = cpu.get("kolokold")
            direct_seen = direct_seen or result["media_path"] == "direct"
            ok = clean(code, result) and pbx_cpu is not None and pbx_cpu <= GOAL_CPU_OF_ONE_CORE
            if record_dir:
                ok = check_recordings(record_dir, calls, args.duration) and ok
            print_row("%d" % calls, result, pbx_cpu, rss_peak, ok)
            results.append((calls, result, pbx_cpu, ok))
            if not daemon.alive():
                print("kolokold died at %d calls" % calls)
                break
            time.sleep(2.0)
            if peer is None:
                continue
            try:
                code, theirs, cpu, rss_peak, lines, stderr, relay = peer.run(args, calls)
            except OSError as error:  # rtpengine's ng socket stopped answering
                print("%6s the peer failed at %d calls: %s" % ("peer", calls, error), flush=True)
                peer = None
                continue
            show_failure(args, theirs, code, lines, stderr, calls, "peer")
            if theirs is not None:
                # The media went through rtpengine when rtp_load saw foreign SDP ports, rtpengine
                # held a session per call during the media phase and relayed at least what
                # rtp_load received.
                through = (theirs["media_path"] == "relayed" and relay["sessions"] >= calls
                           and relay["relayed"] >= theirs["packets_received"] > 0)
                peer_ok = clean(code, theirs) and through
                print_row("peer", theirs, cpu.get("rtpengine"), rss_peak, peer_ok,
                          "  (rtpengine; kamailio %.1f%%)" % cpu.get("kamailio", -1))
                print("%6s rtpengine: %d sessions in the media phase, %d packets relayed in "
                      "userspace (%d in kernel; rtp_load received %d), %d relay errors, log: %d "
                      "offers, %d answers, %d deletes, %d sessions left"
                      % ("", relay["sessions"], relay["relayed"], relay["kernel"],
                         theirs["packets_received"], relay["errors"],
                         relay["log"]["offer"], relay["log"]["answer"], relay["log"]["delete"],
                         relay["left"]), flush=True)
                print(ratio_line((result, pbx_cpu), (theirs, cpu.get("rtpengine"))), flush=True)
                peer_rows.append((calls, theirs, cpu, peer_ok))
            if not peer.alive():
                print("the peer died at %d calls:\n%s" % (calls, peer.rtpengine.log_tail()
                                                          if not peer.rtpengine.alive()
                                                          else peer.kamailio.log_tail()))
                peer = None
            elif calls != args.calls[-1]:
                time.sleep(2.0)
    print()
    print("columns: lost = packets sent and never received (all streams); lossy = streams with "
          "any loss; p99/max = one-way latency; jitter = the highest RFC 3550 estimate of any "
          "stream (ms); PBX CPU = kolokold during the media phase, %% of one core (goal: at most "
          "%.0f %% with %d calls); gen CPU = rtp_load itself" % (GOAL_CPU_OF_ONE_CORE, GOAL_CALLS))
    if not no_peer:
        print("peer rows: the same load through Kamailio + rtpengine; PBX CPU and RSS there are "
              "rtpengine's (the relay), Kamailio's CPU over the same window is beside it; PASS "
              "needs no loss and proof the media went through rtpengine (its sessions and "
              "relayed-packet counters). ratio = kolokold CPU / rtpengine CPU (below 1: kolokold "
              "uses less)")
    if direct_seen:
        print("NOTE: kolokold relayed nothing: the callee's INVITE offered the caller's own RTP "
              "port (SDP passed through), so media flowed directly between rtp_load's sockets "
              "and kolokold's CPU above is only its idle and SIP work. Expected until media "
              "anchoring lands (media.anchor).")
    if no_peer and not peer_rows:
        print("comparison peer: none run (%s)" % no_peer)
    else:
        print("comparison peer: Kamailio + rtpengine (userspace) on this machine in this run, "
              "%d of %d steps relayed without loss" % (sum(1 for *_, ok in peer_rows if ok),
                                                      len(peer_rows)))
    best = max((calls for calls, _, _, ok in results if ok), default=0)
    print("highest step passed: %d concurrent calls (goal %d with zero loss and at most 60 %% of "
          "two cores)" % (best, GOAL_CALLS))
    return 0 if results and all(ok for _, _, _, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
