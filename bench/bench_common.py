"""Pieces the SIP benches share: CPU time and memory of a server's processes, the machine line,
and a sipp run of a scenario file with its final statistics."""

import os
import re
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "common"))

import sipp_runner  # noqa: E402

SCENARIOS = os.path.join(HERE, "scenarios")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def _stat_fields(pid):
    with open("/proc/%s/stat" % pid) as stat:
        return stat.read().rsplit(")", 1)[1].split()


def session_of(pid):
    return int(_stat_fields(pid)[3])


def session_pids(session_id):
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = _stat_fields(entry)
        except OSError:
            continue
        if int(fields[3]) == session_id or int(entry) == session_id:
            pids.append(int(entry))
    return pids


def cpu_seconds(session_id):
    """utime + stime of every process in the session (kamailio forks its workers)."""
    total = 0
    for pid in session_pids(session_id):
        try:
            fields = _stat_fields(pid)
        except OSError:
            continue
        # fields[0] is the state (field 3); utime is field 14, stime 15.
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def process_cpu_seconds(pid):
    """utime + stime of one process, all its threads (kolokold is one process)."""
    fields = _stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_kib(pid):
    """Resident set of one process (kolokold is one process)."""
    with open("/proc/%d/statm" % pid) as statm:
        return int(statm.read().split()[1]) * PAGE_KIB


class RssSampler:
    """Samples a process's RSS every `interval` seconds in a thread; keeps the peak."""

    def __init__(self, pid, interval=0.5):
        self.pid, self.interval = pid, interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, rss_kib(self.pid))
            except OSError:
                return
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def machine_line(what):
    return "machine: %s, %d cores, %s, load average %s; %s" % (
        platform.node(), os.cpu_count(), platform.platform(),
        "/".join("%.1f" % x for x in os.getloadavg()), what)


def require_sipp():
    if sipp_runner.sipp_binary() is None:
        sys.exit("sipp is not installed (apt-get install sip-tester)")


def write_users_csv(path, users):
    """sipp -inf file read in order: `user;[authentication username=user password=...]`."""
    with open(path, "w") as out:
        out.write("SEQUENTIAL\n")
        for user, password in users:
            out.write("%s;[authentication username=%s password=%s]\n" % (user, user, password))


def run_sipp(target, scenario, *, calls, rate, keys=(), inf=None, transport="u1",
             timeout_s=None, extra=()):
    """Runs sipp with a bench scenario (a file name in bench/scenarios or a path) against
    target=(host, port); returns a sipp_runner.SippResult."""
    workdir = tempfile.mkdtemp(prefix="sipp-bench-")
    path = scenario if os.path.isabs(scenario) else os.path.join(SCENARIOS, scenario)
    timeout_s = timeout_s or int(calls / max(rate, 1) * 2 + 30)
    command = [sipp_runner.sipp_binary(), "%s:%d" % target, "-sf", path, "-t", transport,
               "-i", "127.0.0.1", "-p", "0", "-m", str(calls), "-r", str(rate),
               "-l", str(max(1000, rate * 4)), "-nostdin", "-timeout", "%ds" % timeout_s,
               "-timeout_error", "-max_recv_loops", "10000", "-max_sched_loops", "10000"]
    for key, value in keys:
        command += ["-key", key, str(value)]
    if inf:
        command += ["-inf", inf]
    command += list(extra)
    try:
        started = time.monotonic()
        completed = subprocess.run(command, cwd=workdir, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, timeout=timeout_s + 30)
        return sipp_runner.SippResult(completed.returncode,
                                      completed.stdout.decode("utf-8", "replace"),
                                      time.monotonic() - started)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def retransmissions(sipp_stdout):
    """Retransmissions sipp made, summed over the message rows of its last scenario screen
    ("REGISTER ---------->   64000   891   0"): each is an answer that came after T1."""
    screens = sipp_stdout.split("Scenario Screen")
    total = 0
    for line in screens[-1].splitlines():
        if "Statistics Screen" in line:
            break
        match = re.match(r"\s*\S+\s+-+>\s+(\d+)\s+(\d+)", line)
        if match:
            total += int(match.group(2))
    return total
