#!/usr/bin/python3
"""Interop: a real sender, postfix-mta-sts-resolver, against the local mail stack.

For every scenario of the table it runs the resolver's own entry point
(/usr/bin/python3 -m postfix_mta_sts_resolver DOMAIN) and reduces its answer to the two
verdicts a sender reaches: the TXT record (valid | none | temporary-failure) and the policy
(valid | none). Ours come from `mtasts check --json` (or, when --mtasts is not given, from the
table's expect.sender). The test fails on any disagreement, except where the table documents a
known divergence of the resolver from the strict RFC reading: there it asserts exactly the
divergent verdict the table gives.

The resolver reads DNS servers only from /etc/resolv.conf and hard-codes port 443, so this
script re-runs itself in a private mount namespace with the stack's resolv.conf bound over
/etc/resolv.conf (the system file is never touched), and with SSL_CERT_FILE = the stack's CA.

Usage: interop_test.py [--mtasts PATH] [DOMAIN...]   (environment: hack/mailstack.sh env)
"""
import argparse
import ast
import concurrent.futures
import json
import os
import re
import subprocess
import sys

NAMESPACE_MARK = "MAILSTACK_INTEROP_IN_NAMESPACE"


def enter_private_resolv_conf():
    if os.environ.get(NAMESPACE_MARK):
        return
    resolv = os.environ["MAILSTACK_RESOLV_CONF"]
    os.environ[NAMESPACE_MARK] = "1"
    script = 'mount --bind "$0" /etc/resolv.conf && exec /usr/bin/python3 "$@"'
    os.execvp("unshare", ["unshare", "--mount", "sh", "-c", script, resolv, *sys.argv])


def resolver_env():
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["SSL_CERT_FILE"] = os.environ["MAILSTACK_CA_FILE"]  # this machine may export its own
    env.pop("SSL_CERT_DIR", None)
    return env


def resolver_verdict(domain):
    """Runs the resolver; returns ({txt, policy}, its fetched policy or None, raw output)."""
    proc = subprocess.run(
        ["/usr/bin/python3", "-m", "postfix_mta_sts_resolver", "-v", "debug", domain],
        capture_output=True, text=True, timeout=60, env=resolver_env(), check=False)
    match = re.search(r"STSFetchResult\.(\w+)", proc.stdout)
    if proc.returncode != 0 or not match:
        raise RuntimeError(f"{domain}: resolver failed (exit {proc.returncode}):\n"
                           f"{proc.stdout}{proc.stderr}")
    result = match.group(1)
    policy = None
    if result == "VALID":
        policy = ast.literal_eval(re.search(r"\{.*\}", proc.stdout).group(0))
        verdict = {"txt": "valid", "policy": "valid"}
    elif result == "NONE":
        verdict = {"txt": "none", "policy": "none"}
    elif result == "FETCH_ERROR":
        # The same answer for a DNS failure and for a failed policy fetch; its debug log says
        # whether the TXT record had been accepted first.
        accepted = "Parsed STS record" in proc.stderr
        verdict = {"txt": "valid" if accepted else "temporary-failure", "policy": "none"}
    else:
        raise RuntimeError(f"{domain}: unexpected resolver result {result}")
    return verdict, policy, (proc.stdout + proc.stderr).strip()


def verdict_from_report(report):
    """The sender's verdicts implied by one domain of `mtasts check --json`."""
    sts = report["txt"]["mta_sts"]
    if sts["lookup"] == "temporary-failure":
        txt = "temporary-failure"
    else:
        txt = "valid" if sts["valid"] else "none"
    policy = report.get("policy")
    blocking = {f["code"] for f in report["findings"] if f["severity"] == "error"}
    policy_ok = (txt == "valid" and policy is not None and policy.get("valid") is True
                 and not blocking & {"sts-policy-fetch-error", "sts-webpki-invalid"})
    return {"txt": txt, "policy": "valid" if policy_ok else "none"}


def our_verdicts(mtasts, domains):
    cmd = [mtasts, "check", "--json", "--allow-private-addresses",
           "--dns-server", os.environ["MAILSTACK_DNS_SERVER"],
           "--ca-file", os.environ["MAILSTACK_CA_FILE"], *domains]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr}")
    reports = json.loads(proc.stdout)
    if isinstance(reports, dict):
        reports = [reports]
    return {r["domain"]: verdict_from_report(r) for r in reports}


def served_mx(policy_body):
    return [line.split(":", 1)[1].strip() for line in policy_body.splitlines()
            if line.startswith("mx:")]


def judge(scenario, ours, resolver, fetched):
    """Returns (problems, note) for one scenario."""
    expect = scenario["expect"]["sender"]
    problems = []
    if ours != expect:
        problems.append(f"mtasts check concludes {ours}, the table expects {expect}")
    interop = scenario.get("interop")
    wanted = interop["sender"] if interop else ours
    if resolver != wanted:
        problems.append(f"postfix-mta-sts-resolver concludes {resolver}, expected {wanted}"
                        + (" (the documented divergence)" if interop else ""))
    if fetched is not None and scenario["policy"] is not None:
        if fetched.get("mx", []) != served_mx(scenario["policy"]):
            problems.append(f"resolver read mx {fetched.get('mx')}, the table serves "
                            f"{served_mx(scenario['policy'])}")
    note = f"documented divergence: {interop['divergence']}" if interop else "agrees"
    return problems, note


def require_environment():
    if "MAILSTACK_SCENARIOS" not in os.environ:
        sys.exit("MAILSTACK_* variables missing: run under ctest (label mail) or after "
                 'eval "$(hack/mailstack.sh env)"')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mtasts", help="the mtasts binary; default: the table's verdicts")
    parser.add_argument("domains", nargs="*", help="scenario domains (default: all)")
    args = parser.parse_args()
    require_environment()
    enter_private_resolv_conf()

    with open(os.environ["MAILSTACK_SCENARIOS"], encoding="utf-8") as f:
        scenarios = json.load(f)["scenarios"]
    if args.domains:
        scenarios = [s for s in scenarios if s["domain"] in args.domains]
    domains = [s["domain"] for s in scenarios]
    if args.mtasts:
        ours, source = our_verdicts(args.mtasts, domains), "mtasts check --json"
    else:
        ours = {s["domain"]: s["expect"]["sender"] for s in scenarios}
        source = "the scenario table (no --mtasts given)"
    print(f"our verdicts from {source}")

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(resolver_verdict, domains))
    failures = 0
    for scenario, (resolver, fetched, raw) in zip(scenarios, results):
        domain = scenario["domain"]
        if domain not in ours:
            problems, note = [f"mtasts check reported nothing for {domain}"], ""
        else:
            problems, note = judge(scenario, ours[domain], resolver, fetched)
        verdict = f"txt={resolver['txt']} policy={resolver['policy']}"
        if problems:
            failures += 1
            print(f"FAIL {domain}: " + "; ".join(problems) + f"\n     resolver output:\n{raw}")
        else:
            print(f"ok   {domain}: resolver {verdict}; {note}")
    print(f"{len(scenarios) - failures}/{len(scenarios)} scenarios as expected")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
