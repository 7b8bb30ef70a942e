#!/usr/bin/python3
"""`mtasts check` against every scenario of the local mail stack.

For each scenario domain of tests/integration/mail/scenarios.json: `mtasts check --json` must
report exactly the expected error and warning codes and enforce_ready; the human output of the
same domain must show each of those codes, the verdict line and a [FAIL]/[warn] mark; the exit
status must be 1 when an error is expected and 0 otherwise. Whatever bytes a domain publishes,
both forms must be UTF-8 without a control character (but the newlines between lines), also
inside the JSON strings once decoded. All domains are also checked in one concurrent run, which
must agree with the one-by-one runs. Usage mistakes must exit 2. The stack lives on loopback, so
these runs pass --allow-private-addresses; without it, the same domain is probed all the same and
warned about (mx-address-private, policy-address-private).

Usage: check_scenarios_test.py MTASTS   (environment: hack/mailstack.sh env)
"""
import json
import os
import subprocess
import sys


def run(mtasts, *args, allow_private=True):
    """Runs mtasts check; stdout stays bytes, for readable() to judge."""
    cmd = [mtasts, "check", "--dns-server", os.environ["MAILSTACK_DNS_SERVER"],
           "--ca-file", os.environ["MAILSTACK_CA_FILE"], "--timeout", "10",
           *(["--allow-private-addresses"] if allow_private else []), *args]
    proc = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    proc.stderr = proc.stderr.decode("utf-8", "backslashreplace")
    return proc


def controls(text):
    return sorted({f"{ord(c):#04x}" for c in text
                   if (ord(c) < 0x20 and c != "\n") or 0x7f <= ord(c) <= 0x9f})


def readable(form, data):
    """(text, problems): the output must be UTF-8 and hold no control character but newlines."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, [f"{form}: output is not UTF-8: {e}"]
    found = controls(text)
    return text, [f"{form}: output holds raw control characters {found}"] if found else []


def json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from json_strings(item)


def codes(report, severity):
    return sorted({f["code"] for f in report["findings"] if f["severity"] == severity})


def check_json(scenario, report):
    expect = scenario["expect"]
    problems = []
    if report["domain"] != scenario["domain"]:
        problems.append(f"report is for {report['domain']}")
    for severity, key in (("error", "errors"), ("warning", "warnings")):
        if codes(report, severity) != sorted(expect[key]):
            problems.append(f"{key}: got {codes(report, severity)}, expected {sorted(expect[key])}")
    if report["enforce_ready"] != expect["enforce_ready"]:
        problems.append(f"enforce_ready: got {report['enforce_ready']}")
    if problems:
        problems.append("findings: " + json.dumps(report["findings"], indent=1))
    return problems


def check_text(scenario, text):
    expect = scenario["expect"]
    problems = []
    verdict = ("ready for mode: enforce" if expect["enforce_ready"]
               else "NOT ready for mode: enforce")
    if not text.startswith(f"{scenario['domain']}: {verdict}\n"):
        problems.append(f"first line is not '{scenario['domain']}: {verdict}'")
    for code in expect["errors"]:
        if f"[FAIL] {code}: " not in text:
            problems.append(f"text lacks '[FAIL] {code}: '")
    for code in expect["warnings"]:
        if f"[warn] {code}: " not in text:
            problems.append(f"text lacks '[warn] {code}: '")
    if not expect["errors"] and "[FAIL]" in text:
        problems.append("text shows [FAIL] where no error is expected")
    return problems


def check_one(mtasts, scenario):
    domain = scenario["domain"]
    want_exit = 1 if scenario["expect"]["errors"] else 0
    as_json = run(mtasts, "--json", domain)
    as_text = run(mtasts, domain)
    problems, out = [], {}
    for form, proc in (("--json", as_json), ("text", as_text)):
        if proc.returncode != want_exit:
            problems.append(f"{form}: exit {proc.returncode}, expected {want_exit}: {proc.stderr}")
        if proc.stderr:
            problems.append(f"{form}: unexpected stderr (not a terminal): {proc.stderr}")
        out[form], unreadable = readable(form, proc.stdout)
        problems += unreadable
    if out["--json"] is None or out["text"] is None:
        return problems, None
    try:
        report = json.loads(out["--json"])
    except json.JSONDecodeError as e:
        return problems + [f"--json output does not parse: {e}"], None
    for s in json_strings(report):
        if controls(s):
            problems.append(f"--json: a string holds control characters once decoded: {s!r}")
    problems += check_json(scenario, report) + check_text(scenario, out["text"])
    return problems, report


def check_all_at_once(mtasts, scenarios, one_by_one):
    domains = [s["domain"] for s in scenarios]
    proc = run(mtasts, "--json", "--concurrency", "8", *domains)
    if proc.returncode != 1:
        return [f"all domains: exit {proc.returncode}, expected 1 (some have errors)"]
    text, unreadable = readable("all domains", proc.stdout)
    if unreadable:
        return unreadable
    reports = json.loads(text)
    if [r["domain"] for r in reports] != domains:
        return ["all domains: reports are not in the order asked"]
    problems = []
    for r in reports:
        alone = one_by_one.get(r["domain"])
        if alone and (codes(r, "error"), codes(r, "warning"), r["enforce_ready"]) != (
                codes(alone, "error"), codes(alone, "warning"), alone["enforce_ready"]):
            problems.append(f"{r['domain']}: the concurrent run disagrees with the single run")
    return problems


def check_private_addresses(mtasts):
    """Without --allow-private-addresses the loopback stack is probed and warned about."""
    problems = []
    for flag in ([], ["--allow-private-addresses=false"]):
        proc = run(mtasts, "--json", *flag, "good.test", allow_private=False)
        report = json.loads(proc.stdout) if proc.stdout else {"findings": []}
        warnings = codes(report, "warning")
        if proc.returncode != 0 or codes(report, "error") or warnings != [
                "mx-address-private", "policy-address-private"]:
            problems.append(f"good.test {flag}: exit {proc.returncode}, errors "
                            f"{codes(report, 'error')}, warnings {warnings}; expected exit 0 "
                            "and the two private-address warnings")
        elif report.get("enforce_ready") is not True or not report.get("policy"):
            problems.append(f"good.test {flag}: the private addresses were not probed")
    return problems


def check_usage(mtasts):
    problems = []
    for args, says in (([], "no domain given"), (["--bogus", "x.test"], "unknown option --bogus"),
                       (["--smtp-port", "70000", "x.test"], "--smtp-port wants a whole number"),
                       (["not a domain"], "is not a domain name"),
                       (["--allow-private-addresses=maybe", "x.test"], "=true|false"),
                       (["--ca-file", "/nonexistent/ca.pem", "good.test"], "--ca-file")):
        proc = subprocess.run([mtasts, "check", *args], capture_output=True, text=True,
                              timeout=60, check=False)
        if proc.returncode != 2 or says not in proc.stderr or proc.stdout:
            problems.append(f"mtasts check {' '.join(args)}: exit {proc.returncode}, "
                            f"stderr {proc.stderr!r}; expected exit 2 saying {says!r}")
    proc = subprocess.run([mtasts, "check", "--help"], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0 or "--dns-server HOST[:PORT]" not in proc.stdout:
        problems.append("mtasts check --help does not describe the options")
    return problems


def main():
    if len(sys.argv) != 2 or "MAILSTACK_SCENARIOS" not in os.environ:
        sys.exit(__doc__)
    mtasts = sys.argv[1]
    with open(os.environ["MAILSTACK_SCENARIOS"], encoding="utf-8") as f:
        scenarios = json.load(f)["scenarios"]
    failures, reports = 0, {}
    for scenario in scenarios:
        problems, report = check_one(mtasts, scenario)
        if report:
            reports[scenario["domain"]] = report
        failures += bool(problems)
        print(f"{'FAIL' if problems else 'ok  '} {scenario['domain']}")
        for p in problems:
            print(f"     {p}")
    for name, problems in (("all domains in one run", check_all_at_once(mtasts, scenarios, reports)),
                           ("private addresses warned about", check_private_addresses(mtasts)),
                           ("usage errors", check_usage(mtasts))):
        failures += bool(problems)
        print(f"{'FAIL' if problems else 'ok  '} {name}")
        for p in problems:
            print(f"     {p}")
    print(f"{len(scenarios) + 3 - failures}/{len(scenarios) + 3} passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
