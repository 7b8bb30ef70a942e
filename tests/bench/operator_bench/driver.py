"""The phases and figures of tests/bench/operator_bench.sh (which starts the control plane, nginx,
the issuer and the DNS stand-in, and runs this): the first rollout of N policies, the operator's
memory, single changes under that load, writes while idle, the cold start of a new pod, and the
client-go anchor.
Prints each figure beside its target; exits 1 when a phase cannot finish (figures void)."""

import argparse
import http.client
import json
import os
import random
import shlex
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kube  # noqa: E402

NAMESPACE = "bench"
POLICY_ANNOTATION = "mtasts.io/policy"
WRITE_KINDS = {"MtaStsPolicies": kube.POLICIES, "ConfigMaps": kube.CONFIG_MAPS,
               "Secrets": kube.SECRETS, "Certificates": kube.CERTIFICATES,
               "DNSEndpoints": kube.DNS_ENDPOINTS}


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def domain_of(i):
    return f"d{i:05d}.bench.test"


def policy_of(i):
    domain = domain_of(i)
    return {"apiVersion": "mtasts.io/v1alpha1", "kind": "MtaStsPolicy",
            "metadata": {"name": domain.split(".")[0], "namespace": NAMESPACE},
            "spec": {"domain": domain, "mode": "enforce",
                     "mx": [f"mx1.{domain}", "*.mail.bench.test"],
                     "tlsRpt": {"rua": ["mailto:tlsrpt@bench.test"]},
                     "certificate": {"issuerRef": {"name": "bench-ca", "kind": "ClusterIssuer"}}}}


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def parallel(function, items, threads=16):
    items = list(items)
    errors = []

    def work(part):
        for item in part:
            try:
                function(item)
            except Exception as e:  # noqa: BLE001  reported below, the run stops
                errors.append(e)
                return

    workers = [threading.Thread(target=work, args=(items[t::threads],)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise errors[0]


class World:
    """What the driver follows: when each policy was first served (PolicyServed=True) and the
    id its DNSEndpoint holds, with when it came."""

    def __init__(self, client):
        self.client = client
        self.cond = threading.Condition()
        self.served_at = {}  # policy key -> first time PolicyServed=True
        self.announced = {}  # policy key -> (id, time it came)
        self.first_announced_at = {}
        self.stop = threading.Event()

    def start(self):
        for collection, handler in ((kube.POLICIES, self.on_policy),
                                    (kube.DNS_ENDPOINTS, self.on_endpoint)):
            items, version = self.client.list(collection)
            for item in items:
                handler("ADDED", item)
            threading.Thread(target=self.client.watch, daemon=True,
                             args=(collection, version, handler, self.stop)).start()

    def on_policy(self, kind, policy):
        meta = policy["metadata"]
        key = f"{meta['namespace']}/{meta['name']}"
        conditions = policy.get("status", {}).get("conditions", [])
        if kind != "DELETED" and any(c["type"] == "PolicyServed" and c["status"] == "True"
                                     for c in conditions):
            with self.cond:
                self.served_at.setdefault(key, time.monotonic())
                self.cond.notify_all()

    def on_endpoint(self, kind, endpoint):
        key = endpoint["metadata"].get("annotations", {}).get(POLICY_ANNOTATION)
        if not key or kind == "DELETED":
            return
        announced = None
        for e in endpoint.get("spec", {}).get("endpoints", []):
            if e.get("dnsName", "").startswith("_mta-sts.") and e.get("recordType") == "TXT":
                for field in "".join(e.get("targets", [])).strip('"').split(";"):
                    name, _, value = field.strip().partition("=")
                    if name == "id":
                        announced = value
        now = time.monotonic()
        with self.cond:
            if announced and self.announced.get(key, (None,))[0] != announced:
                self.announced[key] = (announced, now)
                self.first_announced_at.setdefault(key, now)
                self.cond.notify_all()

    def wait(self, predicate, timeout):
        with self.cond:
            return self.cond.wait_for(predicate, timeout)


class Operator:
    """One mta-sts-operator process with the benchmark's flags."""

    def __init__(self, args, log_path):
        self.args = args
        self.log_path = log_path
        self.metrics = f"127.0.0.1:{free_port()}"
        self.proc = None

    def start(self):
        a = self.args
        command = [a.operator, "--kubeconfig", a.kubeconfig, "--leader-elect=false",
                   "--serve-dir", a.serve_dir, "--serve-endpoint", f"127.0.0.1:{a.nginx_port}",
                   "--ca-file", a.ca_file, "--allow-private-addresses",
                   "--dns-server", f"127.0.0.1:{a.dns_port}",
                   "--metrics-bind-address", self.metrics,
                   "--health-probe-bind-address", self.metrics, "--workers", str(a.workers)]
        wrapper = shlex.split(os.environ.get("BENCH_OPERATOR_WRAPPER", ""))
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(wrapper + command, stdout=self.log, stderr=subprocess.STDOUT)
        self.started = time.monotonic()
        self.pid = self.operator_pid(os.path.realpath(a.operator)) if wrapper else self.proc.pid
        log(f"operator started (pid {self.pid}): {' '.join(wrapper + command)}")

    def operator_pid(self, exe):
        """The operator under a wrapper: the process below ours that runs its binary."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            below = [self.proc.pid]
            while below:
                pid = below.pop()
                try:
                    if os.path.realpath(f"/proc/{pid}/exe") == exe:
                        return pid
                    with open(f"/proc/{pid}/task/{pid}/children") as f:
                        below.extend(int(c) for c in f.read().split())
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError(f"no process runs {exe} below the wrapper")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.kill(self.pid, signal.SIGTERM)  # the operator itself, not a wrapper
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def alive(self):
        return self.proc.poll() is None

    def status(self):
        """VmRSS and VmHWM in bytes, CPU seconds."""
        fields = {}
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    fields[name] = int(value.split()[0]) * 1024
        with open(f"/proc/{self.pid}/stat") as f:
            stat = f.read().rsplit(")", 1)[1].split()
        fields["cpu"] = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        return fields

    def get(self, path):
        try:
            with urllib.request.urlopen(f"http://{self.metrics}{path}", timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, ""
        except OSError:
            return 0, ""

    def reconciles(self):
        """(reconciles so far, workqueue depth)."""
        _, text = self.get("/metrics")
        total, depth = 0, None
        for line in text.splitlines():
            if line.startswith("mtasts_operator_reconciles_total"):
                total += float(line.rsplit(" ", 1)[1])
            elif line.startswith("mtasts_operator_workqueue_depth"):
                depth = float(line.rsplit(" ", 1)[1])
        return total, depth

    def settle(self, quiet_seconds, timeout):
        """Waits until no reconcile ran for quiet_seconds; the seconds that took."""
        start = last_change = time.monotonic()
        before = None
        while time.monotonic() - start < timeout:
            now_total, depth = self.reconciles()
            if now_total != before or depth:
                before, last_change = now_total, time.monotonic()
            elif time.monotonic() - last_change >= quiet_seconds:
                return last_change - start
            time.sleep(2)
        raise RuntimeError(f"the operator did not settle within {timeout} s")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch_policy(args, domain):
    """What nginx serves for mta-sts.<domain> (verified with the test CA)."""
    context = ssl.create_default_context(cafile=args.ca_file)
    host = f"mta-sts.{domain}"
    conn = http.client.HTTPSConnection("127.0.0.1", args.nginx_port, context=context, timeout=10)
    conn.sock = context.wrap_socket(socket.create_connection(("127.0.0.1", args.nginx_port), 10),
                                    server_hostname=host)
    conn.request("GET", "/.well-known/mta-sts.txt", headers={"Host": host})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


class WriteCounter:
    """Which objects of each kind were written from now until stop(): those whose resourceVersion
    changed, that came or that went, found by listing each kind at both ends. Two lists cannot
    miss a write (a watch held for ten idle minutes would have to resume across compactions);
    several writes to one object count as one. Events the API server expires count too."""

    def __init__(self, client, kinds):
        self.client = client
        self.kinds = kinds
        self.before = {name: self.versions(collection) for name, collection in kinds.items()}
        self.examples = {name: [] for name in kinds}

    def versions(self, collection):
        items, _ = self.client.list(collection)
        return {f"{i['metadata'].get('namespace')}/{i['metadata']['name']}":
                i["metadata"]["resourceVersion"] for i in items}

    def stop(self):
        counts = {}
        for name, collection in self.kinds.items():
            before, after = self.before[name], self.versions(collection)
            written = sorted(k for k in before.keys() | after.keys()
                             if before.get(k) != after.get(k))
            counts[name] = len(written)
            self.examples[name] = [("removed " if k not in after else "") + k
                                   for k in written[:3]]
        return counts


def create_policies(client, n):
    try:
        client.request("POST", "/api/v1/namespaces",
                       {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}})
    except kube.ApiError as e:
        if e.status != 409:
            raise
    start = time.monotonic()
    parallel(lambda i: client.request("POST", kube.namespaced(kube.POLICIES, NAMESPACE),
                                      policy_of(i)), range(n))
    return time.monotonic() - start


def issuer_totals(path):
    signed = sign = write = 0
    with open(path) as f:
        for line in f:
            if line.startswith("{"):
                batch = json.loads(line)
                signed += batch.get("issued", 0)
                sign += batch.get("sign_seconds", 0)
                write += batch.get("write_seconds", 0)
    return signed, sign, write


def run_anchor(args, mode):
    out = subprocess.run([args.anchor, f"-managed-fields={mode}"], check=True, text=True,
                         capture_output=True, env=dict(os.environ, KUBECONFIG=args.kubeconfig),
                         timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def single_changes(args, client, world, samples):
    """apply -> served (the file renamed into place, then fetched from nginx) and apply ->
    announced (the DNSEndpoint holds the new id), for one policy at a time."""
    rows = []
    rng = random.Random(8)
    for sample in range(samples):
        i = rng.randrange(args.n)
        domain = domain_of(i)
        key = f"{NAMESPACE}/{domain.split('.')[0]}"
        path = os.path.join(args.serve_dir, "www", f"mta-sts.{domain}", "mta-sts.txt")
        old_id = world.announced.get(key, (None,))[0]
        mx = f"mx{sample + 2}.{domain}"
        patch = {"spec": {"mx": [mx, "*.mail.bench.test"]}}
        applied = time.monotonic()
        client.request("PATCH", kube.namespaced(kube.POLICIES, NAMESPACE, key.split("/")[1]),
                       patch, "application/merge-patch+json")
        served = None
        while time.monotonic() - applied < 30:
            try:
                with open(path, "rb") as f:
                    if f"mx: {mx}\r\n".encode() in f.read():
                        served = time.monotonic()
                        break
            except FileNotFoundError:
                pass
            time.sleep(0.001)
        if served is None:
            raise RuntimeError(f"{key}: the new policy was not written within 30 s")
        status, body = fetch_policy(args, domain)
        if status != 200 or f"mx: {mx}\r\n".encode() not in body:
            raise RuntimeError(f"{key}: the file is new but nginx served {status} {body[:80]!r}")
        if not world.wait(lambda: world.announced.get(key, (None,))[0] not in (None, old_id),
                          30):
            raise RuntimeError(f"{key}: the new id was not announced within 30 s")
        announced = world.announced[key][1]
        rows.append((served - applied, announced - applied, announced - served))
        time.sleep(0.2)
    return rows


def nginx_state(args):
    with open(os.path.join(args.serve_dir, "logs", "nginx.pid")) as f:
        master = int(f.read())
    workers = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout
    with open(os.path.join(args.serve_dir, "logs", "error.log")) as f:
        reloads = f.read().count("reconfiguring")
    return master, sorted(workers.split()), reloads


def count_files(serve_dir):
    www = os.path.join(serve_dir, "www")
    certs = os.path.join(serve_dir, "certs")
    policies = sum(1 for h in os.listdir(www)
                   if os.path.exists(os.path.join(www, h, "mta-sts.txt"))) \
        if os.path.isdir(www) else 0
    pems = sum(1 for f in os.listdir(certs) if f.endswith(".pem")) if os.path.isdir(certs) else 0
    return policies, pems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for flag in ("--kubeconfig", "--operator", "--serve-dir", "--ca-file", "--anchor", "--work",
                 "--issuer-log"):
        parser.add_argument(flag, required=True)
    for flag in ("--nginx-port", "--dns-port", "--n"):
        parser.add_argument(flag, type=int, required=True)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--idle-seconds", type=int, default=600)
    parser.add_argument("--timeout", type=int, default=1800)
    args = parser.parse_args()
    client = kube.Kube(args.kubeconfig)
    figures = {}
    fail = None
    operator = Operator(args, os.path.join(args.work, "operator.log"))
    try:
        # 0. The operator's own size: started with nothing to do.
        operator.start()
        while operator.get("/readyz")[0] != 200:
            if not operator.alive():
                raise RuntimeError("the operator exited; see operator.log")
            time.sleep(0.05)
        time.sleep(2)
        figures["rss_empty"] = operator.status()["VmRSS"]
        operator.stop()

        # 1. Setup.
        log(f"creating {args.n} MtaStsPolicies")
        figures["create_seconds"] = create_policies(client, args.n)
        log(f"created in {figures['create_seconds']:.1f} s")
        world = World(client)
        world.start()

        # 2. The first rollout: every new policy served, then announced.
        operator = Operator(args, os.path.join(args.work, "operator.log"))
        operator.start()
        peak_rss = 0

        def progress():
            return len(world.served_at), len(world.first_announced_at)

        last_log = 0
        while True:
            served, announced = progress()
            if served >= args.n and announced >= args.n:
                break
            if not operator.alive():
                raise RuntimeError("the operator exited during the first rollout; see operator.log")
            if time.monotonic() - operator.started > args.timeout:
                raise RuntimeError(f"first rollout: {served} served, {announced} announced of "
                                   f"{args.n} after {args.timeout} s")
            peak_rss = max(peak_rss, operator.status()["VmRSS"])
            if time.monotonic() - last_log > 10:
                last_log = time.monotonic()
                log(f"first rollout: {served} served, {announced} announced, "
                    f"RSS {peak_rss / 2**20:.1f} MiB")
            time.sleep(0.5)
        figures["cold_served"] = max(world.served_at.values()) - operator.started
        figures["cold_announced"] = max(world.first_announced_at.values()) - operator.started
        figures["cold_cpu"] = operator.status()["cpu"]
        log(f"first rollout: all served in {figures['cold_served']:.1f} s, all announced in "
            f"{figures['cold_announced']:.1f} s; settling")
        figures["settle"] = operator.settle(10, args.timeout)
        figures["cold_reconciles"] = operator.reconciles()[0]
        figures["cold_cpu_settled"] = operator.status()["cpu"]
        figures["issuer"] = issuer_totals(args.issuer_log)
        st = operator.status()
        figures["rss_after_cold"], figures["hwm_after_cold"] = st["VmRSS"], st["VmHWM"]

        # 3. Single changes under that load.
        nginx_before = nginx_state(args)
        log(f"{args.samples} single changes")
        figures["changes"] = single_changes(args, client, world, args.samples)
        nginx_after = nginx_state(args)
        figures["nginx_reloads"] = (nginx_after[2] - nginx_before[2] +
                                    (nginx_before[:2] != nginx_after[:2]))
        operator.settle(5, 300)

        # 4. Idle.
        log(f"idle for {args.idle_seconds} s, counting writes")
        counter = WriteCounter(client, dict(WRITE_KINDS, Events=kube.EVENTS))
        cpu_before = operator.status()["cpu"]
        time.sleep(args.idle_seconds)
        figures["idle_writes"] = counter.stop()
        figures["idle_examples"] = counter.examples
        st = operator.status()
        figures["idle_cpu"] = st["cpu"] - cpu_before
        figures["rss_steady"], figures["hwm"] = st["VmRSS"], st["VmHWM"]

        # 5. The cold start: the operator started afresh with every policy rolled out and an empty
        # serve directory (a new pod): to every file written (/readyz), to every policy verified
        # served by the reconciler (settled), and what it writes meanwhile (nothing).
        log("restarting the operator with an empty serve directory")
        counter = WriteCounter(client, dict(WRITE_KINDS, Events=kube.EVENTS))
        operator.stop()
        subprocess.run(["rm", "-rf", os.path.join(args.serve_dir, "www"),
                        os.path.join(args.serve_dir, "certs")], check=True)
        operator = Operator(args, os.path.join(args.work, "operator.log"))
        operator.start()
        while operator.get("/readyz")[0] != 200:
            if not operator.alive():
                raise RuntimeError("the operator exited during the restart; see operator.log")
            time.sleep(0.05)
        figures["restart_ready"] = time.monotonic() - operator.started
        figures["restart_files"] = count_files(args.serve_dir)
        sample = domain_of(random.Random(9).randrange(args.n))
        figures["restart_sample"] = fetch_policy(args, sample)[0]
        figures["restart_settle"] = operator.settle(10, args.timeout) + figures["restart_ready"]
        figures["restart_writes"] = counter.stop()
        figures["restart_examples"] = counter.examples
        st = operator.status()
        figures["rss_restarted"], figures["hwm_restarted"] = st["VmRSS"], st["VmHWM"]

        # 6. The anchor: client-go over the same objects, with the operator still running.
        log("the client-go anchor")
        figures["anchor"] = {mode: run_anchor(args, mode) for mode in ("strip", "keep")}
    except (RuntimeError, kube.ApiError, subprocess.SubprocessError) as e:
        fail = str(e)
    finally:
        operator.stop()
    report(args, figures)
    if fail:
        sys.exit(f"operator_bench: {fail}: figures void")


def mib(b):
    return f"{b / 2**20:.1f} MiB"


def report(args, f):
    rows = []

    def row(name, measured, target="", met=None):
        rows.append((name, measured, target, "" if met is None else ("met" if met else "MISSED")))

    if "rss_empty" in f:
        row("operator RSS with no policies", mib(f["rss_empty"]))
    if "create_seconds" in f:
        row(f"create {args.n} MtaStsPolicies (16 clients)", f"{f['create_seconds']:.1f} s")
    if "cold_served" in f:
        row("first rollout: new policies to all served (PolicyServed=True)",
            f"{f['cold_served']:.1f} s")
        row("  to all announced (DNSEndpoint holds the id)", f"{f['cold_announced']:.1f} s")
        row("  operator CPU until all announced", f"{f['cold_cpu']:.1f} s")
    if "issuer" in f:
        n, sign, write = f["issuer"]
        row(f"  CA stand-in: {n} certificates signed (ECDSA P-256)",
            f"{sign:.1f} s signing, {write:.1f} s writing Secrets + status")
        row("  settled (no reconcile for 10 s) after", f"{f['settle']:.1f} s more")
        row("  reconciles until settled, operator CPU",
            f"{f['cold_reconciles']:.0f} ({f['cold_reconciles'] / args.n:.1f} per policy), "
            f"{f['cold_cpu_settled']:.1f} s")
        row("RSS after the first rollout", mib(f["rss_after_cold"]))
    if "changes" in f:
        served = [r[0] for r in f["changes"]]
        announced = [r[1] for r in f["changes"]]
        gap = [r[2] for r in f["changes"]]
        ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
        row(f"apply→served p50 / p99 ({len(served)} single changes)",
            f"{ms(percentile(served, 50))} / {ms(percentile(served, 99))}", "p99 ≤ 1 s",
            percentile(served, 99) <= 1)
        row("  nginx reloads or restarts meanwhile", str(f["nginx_reloads"]), "0",
            f["nginx_reloads"] == 0)
        row("apply→announced p50 / p99",
            f"{ms(percentile(announced, 50))} / {ms(percentile(announced, 99))}")
        row("served→announced p50 / p99 / max",
            f"{ms(percentile(gap, 50))} / {ms(percentile(gap, 99))} / {ms(max(gap))}",
            "≤ 200 ms", max(gap) <= 0.2)
    if "idle_writes" in f:
        w = f["idle_writes"]
        ours = sum(v for k, v in w.items() if k != "Events")
        row(f"writes while idle ({args.idle_seconds} s)",
            ", ".join(f"{k} {v}" for k, v in w.items()), "0 (Events aside)", ours == 0)
        row("  operator CPU while idle", f"{f['idle_cpu']:.2f} s")
        row("steady RSS (after idle)", mib(f["rss_steady"]), "≤ 64 MiB",
            f["rss_steady"] <= 64 * 2**20)
        row("peak RSS (VmHWM)", mib(f["hwm"]), "≤ 64 MiB", f["hwm"] <= 64 * 2**20)
    if "restart_ready" in f:
        p, c = f["restart_files"]
        row("cold start, empty serve dir: to all served (/readyz: every file written)",
            f"{f['restart_ready']:.1f} s ({p} policies, {c} certificates; sample HTTP "
            f"{f['restart_sample']})", "≤ 60 s", f["restart_ready"] <= 60)
        row("  to every policy verified served (settled)", f"{f['restart_settle']:.1f} s",
            "≤ 60 s", f["restart_settle"] <= 60)
        w = f["restart_writes"]
        ours = sum(v for k, v in w.items() if k != "Events")
        row("  writes during the cold start", ", ".join(f"{k} {v}" for k, v in w.items()),
            "0 (Events aside)", ours == 0)
        row("  RSS / peak after the cold start",
            f"{mib(f['rss_restarted'])} / {mib(f['hwm_restarted'])}", "≤ 64 MiB",
            f["hwm_restarted"] <= 64 * 2**20)
    for mode, a in f.get("anchor", {}).items():
        total = sum(a["objects"].values())
        row(f"client-go informers, managedFields {'stripped' if mode == 'strip' else 'kept'}",
            f"{total} objects: heap {mib(a['after']['heap_bytes'])} "
            f"({a['heap_bytes_per_object'] / 1024:.1f} KiB/object), RSS "
            f"{mib(a['after']['rss_bytes'])}, synced in {a['sync_seconds']:.1f} s")
    width = max(len(r[0]) for r in rows) if rows else 0
    print(f"mta-sts-operator with {args.n} MtaStsPolicies, --workers {args.workers}; "
          f"load {open('/proc/loadavg').read().split()[0]}")
    for name, measured, target, met in rows:
        print(f"{name:<{width}}  {measured}" + (f"   [target {target}: {met}]" if target else ""))
    for phase in ("idle_examples", "restart_examples"):
        for kind, examples in f.get(phase, {}).items():
            if examples:
                print(f"  {phase.split('_')[0]} {kind}: {'; '.join(examples)}")
    with open(os.path.join(args.work, "figures.json"), "w") as out:
        json.dump(f, out, indent=1, default=str)


if __name__ == "__main__":
    main()
