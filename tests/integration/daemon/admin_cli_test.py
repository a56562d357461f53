#!/usr/bin/env python3
"""The admin API and the `kolokol` CLI against a real kolokold: the token file (mode 0600, kept
across a restart), 401 without or with a wrong token (open /health and /metrics), extension
list/add/duplicate/passwd/update/remove with a new extension registering at once and a removed
one losing its registration, registrations, calls and call records while a call rings, is
answered and ends, an unreachable daemon (exit 2), and over raw HTTP: 400 for bad JSON, 422 for
an unknown field or a wrong type, 415 for another body type, 404 and 405."""

import json
import os
import re
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "common"))
sys.path.insert(0, os.path.join(HERE, "..", "pbx"))

import pbx_common as pbx  # noqa: E402
from kolokol_harness import Checks, Kolokold, free_port, standard_arguments  # noqa: E402

EXTRA_YAML = "registrar:\n  qualify_interval: 0s\n"  # no OPTIONS towards the scripted phones


class Cli:
    def __init__(self, binary, daemon):
        self.binary = os.path.abspath(binary)
        self.daemon = daemon
        self.token_file = os.path.join(daemon.data_dir, "admin-token")

    def run(self, *args, url=None, token_file=None, env_token=None, use_file=True):
        command = [self.binary, "--url", url or "http://127.0.0.1:%d" % self.daemon.http_port]
        if use_file:
            command += ["--token-file", token_file or self.token_file]
        command += list(args)
        env = dict(os.environ)
        env.pop("KOLOKOL_TOKEN", None)
        if env_token is not None:
            env["KOLOKOL_TOKEN"] = env_token
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, env=env,
                              cwd=self.daemon.workdir)
        print("$ kolokol %s -> %d\n%s%s" % (" ".join(args), done.returncode, done.stdout,
                                             done.stderr), flush=True)
        return done.returncode, done.stdout, done.stderr


def http(daemon, method, path, *, token=None, body=None, content_type="application/json"):
    """(status, headers, body text) of one raw request."""
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (daemon.http_port, path),
                                     method=method, data=body.encode() if body is not None
                                     else None)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if body is not None and content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def table_rows(stdout):
    """The cells of each line after the header (split on runs of 2+ spaces)."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    return [re.split(r"\s{2,}", line.strip()) for line in lines[1:]]


def problem(checks, label, status, headers, body, want_status, want_field=None):
    checks.check(status == want_status, "%s: status %d, expected %d (%s)"
                 % (label, status, want_status, body))
    checks.check(headers.get("Content-Type", "").startswith("application/problem+json"),
                 "%s: Content-Type %r, expected application/problem+json"
                 % (label, headers.get("Content-Type")))
    try:
        parsed = json.loads(body)
    except ValueError:
        checks.check(False, "%s: the problem body is not JSON: %r" % (label, body))
        return
    checks.check(parsed.get("status") == want_status and parsed.get("detail"),
                 "%s: problem body without status/detail: %r" % (label, parsed))
    if want_field is not None:
        checks.check(parsed.get("field") == want_field, "%s: problem names field %r, expected %r"
                     % (label, parsed.get("field"), want_field))


# ---- cases ------------------------------------------------------------------------------------
def token_cases(checks, daemon, cli):
    path = cli.token_file
    checks.check(os.path.exists(path), "no admin token file at %s" % path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    checks.check(mode == 0o600, "admin-token mode %o, expected 600" % mode)
    with open(path) as token_file:
        token = token_file.read().strip()
    checks.check(re.fullmatch(r"[A-Za-z0-9]{32}", token) is not None,
                 "admin token is not 32 letters and digits: %r" % token)

    for open_path in ("/health", "/metrics"):
        status, _, _ = http(daemon, "GET", open_path)
        checks.check(status == 200, "%s without a token answered %d" % (open_path, status))
    status, headers, body = http(daemon, "GET", "/api/v1/tenants")
    problem(checks, "no token", status, headers, body, 401)
    checks.check(headers.get("WWW-Authenticate", "").startswith("Bearer"),
                 "401 without WWW-Authenticate: Bearer: %r" % headers.get("WWW-Authenticate"))
    status, headers, body = http(daemon, "GET", "/api/v1/tenants", token=token + "x")
    problem(checks, "wrong token", status, headers, body, 401)
    status, _, _ = http(daemon, "GET", "/api/v1/tenants", token=token)
    checks.check(status == 200, "GET /api/v1/tenants with the token answered %d" % status)

    wrong_file = os.path.join(daemon.workdir, "wrong-token")
    with open(wrong_file, "w") as out:
        out.write("not-the-right-token-at-all\n")
    code, out, err = cli.run("extension", "list", token_file=wrong_file)
    checks.check(code == 1 and "401" in err and out == "",
                 "a wrong token file should exit 1 with the 401 on stderr: %d %r %r"
                 % (code, out, err))
    code, _, err = cli.run("extension", "list", env_token="wrong-wrong-wrong-wrong", use_file=False)
    checks.check(code == 1 and "401" in err, "a wrong KOLOKOL_TOKEN should exit 1: %d %r"
                 % (code, err))
    code, out, _ = cli.run("tenants", env_token=token, use_file=False)
    checks.check(code == 0 and "default" in out, "KOLOKOL_TOKEN with the right token: %d %r"
                 % (code, out))
    code, _, err = cli.run("tenants", token_file=os.path.join(daemon.workdir, "missing"))
    checks.check(code == 1 and "cannot read the admin token" in err,
                 "a missing token file should exit 1 saying so: %d %r" % (code, err))
    return token


def empty_list_cases(checks, cli):
    for command, empty in (("registrations", "no registrations"), ("calls", "no active calls"),
                           ("cdr", "no call records")):
        code, out, _ = cli.run(command)
        checks.check(code == 0 and out.strip() == empty, "`kolokol %s` on a fresh daemon: %d %r"
                     % (command, code, out))
        code, out, _ = cli.run(command, "--json")
        try:
            parsed = json.loads(out)
        except ValueError:
            parsed = None
        checks.check(code == 0 and isinstance(parsed, dict) and
                     any(value == [] for value in parsed.values()),
                     "`kolokol %s --json` should print an empty list: %r" % (command, out))


def list_cases(checks, cli):
    code, out, _ = cli.run("extension", "list")
    lines = out.splitlines()
    checks.check(code == 0 and lines and lines[0].split()[:2] == ["NUMBER", "NAME"],
                 "extension list: exit %d, header %r" % (code, lines[:1]))
    numbers = [row[0] for row in table_rows(out)]
    checks.check(numbers == ["1001", "1002", "1003", "1004", "1005"],
                 "extension list shows %s, expected 1001-1005 of the demo tenant" % numbers)
    code, out, _ = cli.run("extension", "list", "--json")
    parsed = json.loads(out) if code == 0 else {}
    checks.check(parsed.get("tenant") == "default" and
                 [e.get("number") for e in parsed.get("extensions", [])] ==
                 ["1001", "1002", "1003", "1004", "1005"],
                 "extension list --json: %r" % parsed)
    checks.check(all("ha1" not in key for e in parsed.get("extensions", []) for key in e),
                 "extension list --json shows HA1 hashes: %r" % parsed)
    code, out, _ = cli.run("tenants")
    checks.check(code == 0 and table_rows(out)[:1] and table_rows(out)[0][:2] == ["default", "yes"],
                 "tenants: %d %r" % (code, out))


def add_cases(checks, cli):
    code, out, err = cli.run("extension", "add", "2001", "--name", "Reception")
    match = re.search(r"^password: (\S+)$", out, re.M)
    checks.check(code == 0 and match is not None and len(match.group(1)) == 16,
                 "extension add 2001 should print a 16-character password: %d %r %r"
                 % (code, out, err))
    password = match.group(1) if match else ""
    code, out, err = cli.run("extension", "add", "2001")
    checks.check(code == 1 and out == "" and "2001 already exists" in err,
                 "a duplicate add should exit 1 saying it exists: %d %r %r" % (code, out, err))
    code, out, err = cli.run("extension", "add", "20a1")
    checks.check(code == 1 and "number" in err and "digits" in err,
                 "a malformed number should exit 1 naming the field: %d %r" % (code, err))
    code, out, err = cli.run("extension", "add", "2002", "--password", "short")
    checks.check(code == 1 and "password" in err,
                 "a short password should exit 1 naming the field: %d %r" % (code, err))
    code, out, err = cli.run("--json", "extension", "add", "2002", "--password", "secret-2002")
    parsed = json.loads(out) if code == 0 else {}
    checks.check(parsed.get("number") == "2002" and "password" not in parsed and
                 not any("ha1" in key for key in parsed),
                 "add with a given password must echo neither it nor HA1s: %r" % parsed)
    code, out, _ = cli.run("extension", "list")
    rows = {row[0]: row for row in table_rows(out)}
    checks.check("2001" in rows and rows["2001"][1] == "Reception" and "2002" in rows,
                 "extension list after the adds: %r" % rows)
    code, out, err = cli.run("extension", "add", "3001", "--tenant", "nope")
    checks.check(code == 1 and "no tenant nope" in err, "an unknown tenant: %d %r" % (code, err))
    return password


def registration_cases(checks, daemon, cli, password):
    """2001 registers without a restart; passwd changes what the registrar accepts."""
    target = daemon.sip("udp")
    with pbx.Phone(target, "2001", password) as phone:
        answer, _ = phone.register()
        checks.check(answer is not None and answer.status == 200,
                     "the new extension 2001 could not register at once: %r" % answer)
        code, out, _ = cli.run("registrations")
        rows = table_rows(out)
        checks.check(code == 0 and any(r[0] == "default" and r[1] == "2001" and
                                       phone.contact_uri() in r[2] for r in rows),
                     "registrations should list 2001 at %s: %r" % (phone.contact_uri(), rows))
        code, out, _ = cli.run("--json", "registrations", "--tenant", "default")
        parsed = json.loads(out) if code == 0 else {}
        regs = parsed.get("registrations", [])
        checks.check(len(regs) == 1 and regs[0].get("number") == "2001" and
                     0 < regs[0].get("expires_in", 0) <= 600,
                     "registrations --json: %r" % parsed)
        code, out, _ = cli.run("extension", "list")
        rows = {row[0]: row for row in table_rows(out)}
        checks.check(rows.get("2001", [""] * 4)[3] == "1",
                     "extension list should count 1 contact for 2001: %r" % rows.get("2001"))

        code, out, _ = cli.run("extension", "passwd", "2001")
        match = re.search(r"^password: (\S+)$", out, re.M)
        new_password = match.group(1) if match else None
        checks.check(code == 0 and new_password and new_password != password,
                     "extension passwd should print a new password: %d %r" % (code, out))
        answer, _ = phone.register(password=password)
        checks.check(answer is not None and answer.status == 403,
                     "REGISTER with the old password after passwd answered %r" % answer)
        answer, _ = phone.register(password=new_password or "")
        checks.check(answer is not None and answer.status == 200,
                     "REGISTER with the new password answered %r" % answer)
        code, out, _ = cli.run("extension", "passwd", "2001", "--password", "chosen-pass-2001")
        checks.check(code == 0 and "password: chosen-pass-2001" in out,
                     "passwd --password should print it: %d %r" % (code, out))
        answer, _ = phone.register(password="chosen-pass-2001")
        checks.check(answer is not None and answer.status == 200,
                     "REGISTER with the chosen password answered %r" % answer)

        code, out, _ = cli.run("extension", "update", "2002", "--name", "Back office",
                               "--disable")
        checks.check(code == 0 and "enabled no" in out, "extension update: %d %r" % (code, out))
        code, out, _ = cli.run("extension", "show", "2002")
        checks.check(code == 0 and "name: Back office" in out and "enabled: no" in out,
                     "extension show after update: %d %r" % (code, out))
        with pbx.Phone(target, "2002", "secret-2002") as disabled:
            answer, _ = disabled.register()
            checks.check(answer is not None and answer.status == 403,
                         "REGISTER of the disabled 2002 answered %r" % answer)

        code, out, err = cli.run("extension", "remove", "2001")
        checks.check(code == 0 and "removed extension 2001" in out,
                     "extension remove 2001: %d %r %r" % (code, out, err))
        code, out, _ = cli.run("registrations")
        checks.check(code == 0 and "2001" not in out,
                     "the removed extension's registration is still listed: %r" % out)
        answer, _ = phone.register(password="chosen-pass-2001")
        checks.check(answer is not None and answer.status == 403,
                     "REGISTER of the removed extension answered %r" % answer)
    code, out, _ = cli.run("extension", "list")
    checks.check(code == 0 and "2001" not in [row[0] for row in table_rows(out)],
                 "extension list still shows the removed 2001: %r" % out)
    code, out, err = cli.run("extension", "remove", "2001")
    checks.check(code == 1 and "no extension 2001" in err,
                 "removing it again should exit 1: %d %r" % (code, err))


def call_cases(checks, daemon, cli):
    """1001 calls 1002: `calls` shows it ringing, then answered; `cdr` shows the record."""
    for number in ("1001", "1002"):
        code, _, _ = cli.run("extension", "passwd", number, "--password", "secret-" + number)
        checks.check(code == 0, "passwd %s failed" % number)
    target = daemon.sip("udp")
    with pbx.Phone(target, "1002", "secret-1002") as callee, \
            pbx.Phone(target, "1001", "secret-1001") as caller:
        answer, _ = callee.register()
        if not checks.check(answer is not None and answer.status == 200,
                            "1002 registration answered %r" % answer):
            return
        call = caller.call("1002")
        ringing = callee.wait_invite(5.0)
        if not checks.check(ringing is not None, "1002 did not ring (caller got %s)"
                            % call.statuses()):
            return
        ringing.respond(180, "Ringing")
        call.wait(5.0, statuses=(180,))
        code, out, _ = cli.run("--json", "calls")
        calls = json.loads(out).get("calls", []) if code == 0 else []
        checks.check(len(calls) == 1 and calls[0].get("caller") == "1001" and
                     calls[0].get("callee") == "1002" and calls[0].get("state") == "ringing" and
                     calls[0].get("tenant") == "default",
                     "calls while ringing: %r" % calls)
        ringing.respond(200, "OK", body=pbx.CALLEE_SDP)
        final = call.wait_final(5.0)
        checks.check(final is not None and final.status == 200, "the call was not answered: %r"
                     % final)
        ringing.wait_request("ACK", 3.0)
        code, out, _ = cli.run("calls")
        rows = table_rows(out)
        checks.check(code == 0 and len(rows) == 1 and rows[0][2:5] == ["1001", "1002", "answered"],
                     "calls once answered: %r" % rows)
        answer = call.bye()
        checks.check(answer is not None and answer.status == 200, "BYE answered %r" % answer)
        ringing.wait_request("BYE", 3.0)
        callee.register(expires=0)
    deadline = time.monotonic() + 5
    records = []
    while time.monotonic() < deadline:
        code, out, _ = cli.run("--json", "cdr", "--number", "1002", "--limit", "5")
        records = json.loads(out).get("records", []) if code == 0 else []
        if records:
            break
        time.sleep(0.3)
    checks.check(len(records) == 1 and records[0].get("disposition") == "answered" and
                 records[0].get("caller") == "1001" and records[0].get("sip_status") == 200,
                 "cdr --number 1002 after the call: %r" % records)
    code, out, _ = cli.run("cdr", "--limit", "1")
    rows = table_rows(out)
    checks.check(code == 0 and len(rows) == 1 and "answered" in rows[0],
                 "cdr table: %d %r" % (code, out))
    code, out, _ = cli.run("calls")
    checks.check(code == 0 and out.strip() == "no active calls", "calls after BYE: %r" % out)
    code, _, err = cli.run("cdr", "--limit", "0")
    checks.check(code == 1 and "limit" in err, "cdr --limit 0 should exit 1: %d %r" % (code, err))


def raw_http_cases(checks, daemon, token):
    status, headers, body = http(daemon, "POST", "/api/v1/extensions", token=token,
                                 body='{"number": "3001",')
    problem(checks, "bad JSON", status, headers, body, 400)
    status, headers, body = http(daemon, "POST", "/api/v1/extensions", token=token,
                                 body='{"number": "3001", "pasword": "secret-3001"}')
    problem(checks, "unknown field", status, headers, body, 422, "pasword")
    status, headers, body = http(daemon, "POST", "/api/v1/extensions", token=token,
                                 body='{"number": 3001}')
    problem(checks, "number as a JSON number", status, headers, body, 422, "number")
    status, headers, body = http(daemon, "POST", "/api/v1/extensions", token=token,
                                 body="number=3001",
                                 content_type="application/x-www-form-urlencoded")
    problem(checks, "form body", status, headers, body, 415)
    status, headers, body = http(daemon, "PATCH", "/api/v1/extensions/default/1001", token=token,
                                 body='{"enabled": "no"}')
    problem(checks, "enabled as a string", status, headers, body, 422, "enabled")
    status, headers, body = http(daemon, "GET", "/api/v1/extensions/default/9999", token=token)
    problem(checks, "unknown extension", status, headers, body, 404)
    status, headers, body = http(daemon, "GET", "/api/v1/extensions?tenat=default", token=token)
    problem(checks, "misspelt query parameter", status, headers, body, 400, "tenat")
    status, headers, body = http(daemon, "PUT", "/api/v1/extensions/default/1001", token=token,
                                 body="{}")
    problem(checks, "PUT", status, headers, body, 405)
    checks.check(headers.get("Allow") == "DELETE, GET, PATCH", "405 Allow: %r"
                 % headers.get("Allow"))
    status, headers, body = http(daemon, "POST", "/api/v1/extensions", token=token,
                                 body='{"number": "3001", "name": "Лобби"}')
    created = json.loads(body) if status == 201 else {}
    checks.check(status == 201 and headers.get("Location") == "/api/v1/extensions/default/3001"
                 and created.get("name") == "Лобби" and len(created.get("password", "")) == 16,
                 "POST /api/v1/extensions: %d %r %r" % (status, headers.get("Location"), body))
    status, headers, body = http(daemon, "DELETE", "/api/v1/extensions/default/3001", token=token)
    checks.check(status == 204 and body == "", "DELETE answered %d %r" % (status, body))


def main():
    parser = standard_arguments(__doc__)
    parser.add_argument("--kolokol", required=True, help="path of the kolokol CLI binary")
    args = parser.parse_args()
    checks = Checks()
    with Kolokold(args.kolokold, transports=("udp",), extra_yaml=EXTRA_YAML) as daemon:
        cli = Cli(args.kolokol, daemon)
        token = token_cases(checks, daemon, cli)
        empty_list_cases(checks, cli)
        list_cases(checks, cli)
        password = add_cases(checks, cli)
        registration_cases(checks, daemon, cli, password)
        call_cases(checks, daemon, cli)
        raw_http_cases(checks, daemon, token)

        daemon.restart()
        with open(cli.token_file) as token_file:
            checks.check(token_file.read().strip() == token,
                         "the admin token changed across a restart")
        code, out, _ = cli.run("extension", "show", "2002")
        checks.check(code == 0 and "name: Back office" in out,
                     "after a restart the CLI and the changed extension: %d %r" % (code, out))
        daemon.assert_healthy("the admin API cases")

        code, _, err = cli.run("extension", "list", url="http://127.0.0.1:%d" % free_port(("tcp",)))
        checks.check(code == 2 and "cannot reach kolokold" in err,
                     "an unreachable daemon should exit 2 saying so: %d %r" % (code, err))
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
