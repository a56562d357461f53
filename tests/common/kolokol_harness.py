"""Starts a real kolokold for a black-box test and always stops it.

    with Kolokold(binary, transports=("udp", "tcp")) as daemon:
        daemon.sip("udp")          # ("127.0.0.1", port)
        daemon.metrics()           # {"name{labels}": value}
    # leaving the block sends SIGTERM, checks exit code 0 (or kills it if the test failed)

Every daemon gets free ports on 127.0.0.1 and its own temporary data directory.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import sip_wire

DEFAULT_DOMAINS = ("example.com",)
SKIP = 77  # CTest SKIP_RETURN_CODE


class HarnessError(AssertionError):
    pass


def free_port(kinds=("udp", "tcp")):
    """A port number that is free on 127.0.0.1 for every socket kind asked for."""
    for _ in range(100):
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        held = [probe]
        try:
            for kind in kinds:
                if kind == "udp":
                    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                    other.bind(("127.0.0.1", port))
                    held.append(other)
            return port
        except OSError:
            continue
        finally:
            for sock in held:
                sock.close()
    raise HarnessError("no free port found")


def yaml_config(listen, domains, http_port, data_dir, log_level, extra_yaml=""):
    lines = ["sip:", "  listen:"]
    for transport, port in listen:
        lines.append("    - {transport: %s, address: 127.0.0.1, port: %d}" % (transport, port))
    lines.append("  domains: [%s]" % ", ".join(domains))
    lines += [
        "http:",
        "  listen: {address: 127.0.0.1, port: %d}" % http_port,
        "data_dir: %s" % data_dir,
        "log:",
        "  level: %s" % log_level,
    ]
    return "\n".join(lines) + "\n" + extra_yaml


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise HarnessError("no VmRSS for pid %d" % pid)


def parse_prometheus(text):
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, value = line.rpartition(" ")
        try:
            samples[name] = float(value)
        except ValueError:
            continue
    return samples


def metric_sum(samples, name, **labels):
    """Sum of every sample of `name` whose labels include `labels`."""
    total = 0.0
    for key, value in samples.items():
        metric, _, label_text = key.partition("{")
        if metric != name:
            continue
        if all('%s="%s"' % (k, v) in label_text for k, v in labels.items()):
            total += value
    return total


def parse_error_names(samples):
    return sorted({k.partition("{")[0] for k in samples if "parse" in k and "error" in k})


def parse_error_total(samples):
    """Every parse/error counter summed: the daemon's metric names may still change."""
    return sum(metric_sum(samples, name) for name in parse_error_names(samples))


class Kolokold:
    def __init__(self, binary, *, transports=("udp", "tcp"), domains=DEFAULT_DOMAINS,
                 log_level="info", extra_yaml="", ready_timeout=20.0):
        self.binary = os.path.abspath(binary)
        self.transports = transports
        self.domains = domains
        self.log_level = log_level
        self.extra_yaml = extra_yaml
        self.ready_timeout = ready_timeout
        self.process = None
        self.workdir = None
        self.ports = {}
        self.http_port = None
        self.exit_code = None

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self):
        if not os.access(self.binary, os.X_OK):
            raise HarnessError("kolokold binary not found or not executable: %s" % self.binary)
        self.workdir = tempfile.mkdtemp(prefix="kolokol-test-")
        udp_tcp_port = free_port(("udp", "tcp"))
        for transport in self.transports:
            if transport in ("udp", "tcp"):
                self.ports[transport] = udp_tcp_port  # like 5060: one number for both
            else:
                self.ports[transport] = free_port(("tcp",))
        self.http_port = free_port(("tcp",))
        self.config_path = os.path.join(self.workdir, "kolokol.yaml")
        self.write_config(self.log_level)
        self.log_path = os.path.join(self.workdir, "kolokold.log")
        self._launch("wb")
        return self

    def _launch(self, log_mode):
        self.log_file = open(self.log_path, log_mode)
        self.exit_code = None
        self.process = subprocess.Popen([self.binary, "--config", self.config_path],
                                        stdout=self.log_file, stderr=subprocess.STDOUT,
                                        cwd=self.workdir)
        self.wait_ready()

    def restart(self, timeout=10.0):
        """SIGTERM (must exit 0), then the same binary again on the same ports, config and data
        directory; the log goes on in the same file."""
        code = self.stop(timeout)
        if code != 0:
            raise HarnessError("kolokold did not exit cleanly on SIGTERM before the restart: %s\n%s"
                               % (code, self.log_tail()))
        self._launch("ab")
        return self

    def write_config(self, log_level):
        os.makedirs(os.path.join(self.workdir, "data"), exist_ok=True)
        with open(self.config_path, "w") as config:
            config.write(yaml_config(
                [(t, self.ports[t]) for t in self.transports], self.domains, self.http_port,
                os.path.join(self.workdir, "data"), log_level, self.extra_yaml))

    def wait_ready(self):
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError("kolokold exited with %s during start-up:\n%s"
                                   % (self.process.returncode, self.log_tail()))
            try:
                if self.http_get("/health", timeout=0.5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise HarnessError("kolokold not ready within %.0f s:\n%s"
                           % (self.ready_timeout, self.log_tail()))

    def stop(self, timeout=10.0):
        """SIGTERM and wait; returns the exit code (killed daemons count as a failure)."""
        if self.process is None or self.exit_code is not None:
            return self.exit_code
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.exit_code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            self.exit_code = "killed after %.0f s without exiting on SIGTERM" % timeout
        self.log_file.close()
        return self.exit_code

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def cleanup(self):
        self.kill()
        if self.workdir and not os.environ.get("KOLOKOL_KEEP_TEST_DIRS"):
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.cleanup()
            raise

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                code = self.stop()
                if code != 0:
                    raise HarnessError("kolokold did not exit cleanly on SIGTERM: %s\n%s"
                                       % (code, self.log_tail()))
            else:
                self.stop(timeout=3.0)
                sys.stderr.write("---- kolokold log tail ----\n%s\n" % self.log_tail())
        finally:
            self.cleanup()

    # ---- observation -----------------------------------------------------------------------
    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process is not None and self.process.poll() is None

    @property
    def data_dir(self):
        return os.path.join(self.workdir, "data")

    def sip(self, transport="udp"):
        return ("127.0.0.1", self.ports[transport])

    def http_get(self, path, timeout=2.0):
        url = "http://127.0.0.1:%d%s" % (self.http_port, path)
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def metrics(self):
        status, text = self.http_get("/metrics")
        if status != 200:
            raise HarnessError("GET /metrics answered %d" % status)
        return parse_prometheus(text)

    def rss_kib(self):
        return rss_kib(self.pid)

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as log:
                return b"\n".join(log.read().splitlines()[-lines:]).decode("utf-8", "replace")
        except (OSError, AttributeError):
            return "(no log)"

    def log_text(self):
        with open(self.log_path, "rb") as log:
            return log.read().decode("utf-8", "replace")

    def assert_healthy(self, what=""):
        """The daemon is running, /health is 200 and it answers an OPTIONS over UDP."""
        if not self.alive():
            raise HarnessError("kolokold died%s (exit %s):\n%s"
                               % (" after " + what if what else "", self.process.returncode,
                                  self.log_tail()))
        status, _ = self.http_get("/health")
        if status != 200:
            raise HarnessError("/health answered %d%s" % (status, " after " + what if what else ""))
        if "udp" in self.ports:
            with sip_wire.UdpPeer() as peer:
                options = sip_wire.request("OPTIONS", "sip:%s" % self.domains[0],
                                           local=peer.address)
                for _ in range(3):  # UDP: retransmit like a client would
                    peer.send(options, self.sip("udp"))
                    answer, _ = sip_wire.final_response(peer, 1.0)
                    if answer is not None:
                        break
                if answer is None or answer.status != 200:
                    raise HarnessError("OPTIONS over UDP answered %r%s"
                                       % (answer, " after " + what if what else ""))


def standard_arguments(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--kolokold", required=True, help="path of the kolokold binary")
    return parser


class Checks:
    """Collects failures so one run reports every broken expectation, then exits 1."""

    def __init__(self):
        self.failures = []
        self.passed = 0

    def check(self, condition, message):
        if condition:
            self.passed += 1
        else:
            self.failures.append(message)
            print("FAIL: " + message, flush=True)
        return condition

    def finish(self):
        print("%d checks passed, %d failed" % (self.passed, len(self.failures)), flush=True)
        return 1 if self.failures else 0
