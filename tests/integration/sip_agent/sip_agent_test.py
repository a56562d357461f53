#!/usr/bin/env python3
"""sip_agent against sipp and against itself (CTest driver).

Usage: sip_agent_test.py --agent PATH --scenario NAME
Scenarios:
  sipp_uac_udp / sipp_uac_tcp   sipp -sn uac  -> sip_agent uas
  sipp_uas_udp / sipp_uas_tcp   sip_agent uac -> sipp -sn uas
  agent_tls                     sip_agent uac -> sip_agent uas over TLS (re-INVITE, 100rel)
  agent_ipv6                    sip_agent uac/options -> sip_agent uas over UDP+TCP on ::1,
                                BYE from the UAS, session timer
Exit 0 on success, 1 on failure, 77 when sipp is needed but missing.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

CALLS = 5


def free_port(family=socket.AF_INET, host="127.0.0.1"):
    """A port free for both UDP and TCP on host (bind port 0, then check the other protocol)."""
    for _ in range(50):
        tcp = socket.socket(family, socket.SOCK_STREAM)
        tcp.bind((host, 0))
        port = tcp.getsockname()[1]
        udp = socket.socket(family, socket.SOCK_DGRAM)
        try:
            udp.bind((host, port))
        except OSError:
            continue
        finally:
            udp.close()
            tcp.close()
        return port
    raise RuntimeError("no free port")


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def start_agent(agent, args, listeners):
    """Starts a sip_agent and waits until it printed one 'listening' line per listener."""
    proc = subprocess.Popen([agent] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    seen = 0
    output = []
    deadline = time.time() + 10
    while seen < listeners and time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        output.append(line)
        if line.startswith("listening"):
            seen += 1
    if seen < listeners:
        proc.kill()
        fail("sip_agent did not start: " + "".join(output))
    return proc, output


def finish_agent(proc, output, expected_calls, name):
    try:
        rest, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        rest, _ = proc.communicate()
        fail(name + " did not exit")
    text = "".join(output) + rest
    print("--- " + name + " ---\n" + text, flush=True)
    summary = "calls=%d ok=%d failed=0" % (expected_calls, expected_calls)
    if proc.returncode != 0 or summary not in text:
        fail("%s: rc=%d, expected '%s'" % (name, proc.returncode, summary))


def run_agent(agent, args, expected_calls, name):
    proc = subprocess.run([agent] + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=90)
    print("--- " + name + " ---\n" + proc.stdout, flush=True)
    summary = "calls=%d ok=%d failed=0" % (expected_calls, expected_calls)
    if proc.returncode != 0 or summary not in proc.stdout:
        fail("%s: rc=%d, expected '%s'" % (name, proc.returncode, summary))


def sipp_uac_to_agent(agent, tcp):
    port = free_port()
    uas, out = start_agent(agent, ["uas", "--listen", "udp:127.0.0.1:%d" % port, "--listen",
                                   "tcp:127.0.0.1:%d" % port, "--calls", str(CALLS),
                                   "--timeout-s", "40"], 2)
    cmd = ["sipp", "-sn", "uac", "127.0.0.1:%d" % port, "-i", "127.0.0.1", "-p",
           str(free_port()), "-m", str(CALLS), "-r", "10", "-nostdin", "-timeout", "30s"]
    if tcp:
        cmd += ["-t", "t1"]
    sipp = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=60)
    stats = [l for l in sipp.stdout.splitlines() if "Successful call" in l or "Failed call" in l]
    print("\n".join(stats[-2:]), flush=True)
    if sipp.returncode != 0:
        uas.kill()
        fail("sipp uac rc=%d\n%s" % (sipp.returncode, sipp.stdout[-3000:]))
    finish_agent(uas, out, CALLS, "sip_agent uas")


def agent_to_sipp_uas(agent, tcp):
    port = free_port()
    cmd = ["sipp", "-sn", "uas", "-i", "127.0.0.1", "-p", str(port), "-nostdin"]
    if tcp:
        cmd += ["-t", "t1"]
    workdir = tempfile.mkdtemp(prefix="sip_agent_sipp_")
    sipp = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=workdir)
    try:
        time.sleep(0.5)
        if sipp.poll() is not None:
            fail("sipp uas exited at start (rc=%s)" % sipp.returncode)
        target = "sip:service@127.0.0.1:%d" % port + (";transport=tcp" if tcp else "")
        run_agent(agent, ["uac", "--target", target, "--calls", str(CALLS), "--hold-ms", "200",
                          "--timeout-s", "40"], CALLS, "sip_agent uac")
    finally:
        sipp.terminate()
        try:
            sipp.wait(timeout=10)
        except subprocess.TimeoutExpired:
            sipp.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def agent_tls(agent):
    data_dir = tempfile.mkdtemp(prefix="sip_agent_tls_")
    try:
        port = free_port()
        uas, out = start_agent(agent, ["uas", "--listen", "tls:127.0.0.1:%d" % port, "--calls", "4",
                                       "--data-dir", data_dir, "--timeout-s", "40"], 1)
        target = "sip:service@127.0.0.1:%d;transport=tls" % port
        run_agent(agent, ["uac", "--target", target, "--calls", "2", "--hold-ms", "300",
                          "--reinvite", "--data-dir", data_dir, "--timeout-s", "30"], 2,
                  "sip_agent uac (tls, re-INVITE)")
        run_agent(agent, ["uac", "--target", target, "--calls", "2", "--hold-ms", "200",
                          "--require-100rel", "--data-dir", data_dir, "--timeout-s", "30"], 2,
                  "sip_agent uac (tls, 100rel)")
        finish_agent(uas, out, 4, "sip_agent uas (tls)")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def agent_ipv6(agent):
    try:
        port = free_port(socket.AF_INET6, "::1")
    except OSError:
        print("no IPv6 loopback: skipped")
        sys.exit(77)
    uas, out = start_agent(agent, ["uas", "--listen", "udp:[::1]:%d" % port, "--listen",
                                   "tcp:[::1]:%d" % port, "--calls", "2", "--bye-after-ms", "200",
                                   "--prefer-100rel", "--session-expires", "120",
                                   "--timeout-s", "40"], 2)
    run_agent(agent, ["options", "--target", "sip:[::1]:%d" % port, "--calls", "3",
                      "--timeout-s", "10"], 3, "sip_agent options")
    run_agent(agent, ["uac", "--target", "sip:service@[::1]:%d" % port, "--bye-from", "remote",
                      "--hold-ms", "300", "--timeout-s", "20"], 1, "sip_agent uac (udp6)")
    run_agent(agent, ["uac", "--target", "sip:service@[::1]:%d;transport=tcp" % port,
                      "--bye-from", "remote", "--hold-ms", "300", "--timeout-s", "20"], 1,
              "sip_agent uac (tcp6)")
    finish_agent(uas, out, 2, "sip_agent uas (ipv6)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agent", required=True)
    parser.add_argument("--scenario", required=True)
    args = parser.parse_args()
    if args.scenario.startswith("sipp_") and shutil.which("sipp") is None:
        print("sipp not installed: skipped")
        return 77
    scenarios = {
        "sipp_uac_udp": lambda: sipp_uac_to_agent(args.agent, tcp=False),
        "sipp_uac_tcp": lambda: sipp_uac_to_agent(args.agent, tcp=True),
        "sipp_uas_udp": lambda: agent_to_sipp_uas(args.agent, tcp=False),
        "sipp_uas_tcp": lambda: agent_to_sipp_uas(args.agent, tcp=True),
        "agent_tls": lambda: agent_tls(args.agent),
        "agent_ipv6": lambda: agent_ipv6(args.agent),
    }
    if args.scenario not in scenarios:
        print("unknown scenario " + args.scenario)
        return 2
    scenarios[args.scenario]()
    print("PASS " + args.scenario)
    return 0


if __name__ == "__main__":
    sys.exit(main())
