"""The world the operator's end-to-end tests run in, on loopback, beyond what ctest's fixtures
start (the control plane, fixture "controlplane"; BIND9, fixture "dnsstack"): the CRDs (ours,
cert-manager's Certificate and external-dns's DNSEndpoint from their pinned releases), nginx
instances running the production config, the real external-dns publishing DNSEndpoints into
BIND9, the CA issuer that plays cert-manager (ca_issuer.py), and operator processes.

    class MyTest(world.WorldTestCase):
        def test_x(self):
            w = self.world                       # a fresh World, namespace and temp dir
            w.apply_crds()
            edge = w.add_nginx()                 # 127.26.0.1:8443, its own serve dir
            w.start_external_dns(); w.start_ca_issuer()
            w.start_operator("op1", edge, endpoints=[edge])
            w.apply(POLICY_YAML)
            world.wait_for(lambda: w.txt("_mta-sts.a.operator.test"), 30, "the TXT record")

Every process logs to a file in the test's temp dir; a failed test prints the end of each log and
keeps the dir. Everything started is stopped at the end of the test, failed or not; a process
that a killed test run left behind is stopped when the next World starts.

Addresses: nginx i listens on 127.26.0.i:8443; operator i serves metrics on 127.26.0.(100+i):8080,
health on :8081 and, given --report-bind-address report_address(i), TLS reports on :8082, where
nginx i passes POSTs to /tlsrpt (the mail stack has 127.25.0.x, the probe tests 127.77.x.x).
BIND9 answers on 127.0.0.1:5354 for the zone operator.test.
"""
import ast
import collections
import contextlib
import ctypes
import datetime
import json
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import kube  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CONTROLPLANE = os.environ.get("MTASTS_CONTROLPLANE", os.path.join(ROOT, "hack/controlplane.sh"))
DNSSTACK = os.path.join(ROOT, "hack/dnsstack.sh")
NGINX_CONF = os.path.join(ROOT, "charts/mta-sts-operator/files/nginx.conf")
PYTHON = "/usr/bin/python3"  # Debian's, with python3-cryptography
ZONE = "operator.test"
HTTPS_PORT = 8443
SMTP_PORT = 2525
SENDER_HTTPS_PORT = 443  # postfix-mta-sts-resolver's, fixed
# Processes of a test run that was killed before it could stop them: stopped by the next World.
LEFTOVERS = os.path.join(tempfile.gettempdir(), "mta-sts-operator-world.pids")
CRD_NAMES = ["mtastspolicies.mtasts.io", "certificates.cert-manager.io",
             "dnsendpoints.externaldns.k8s.io"]


def nginx_address(index):
    return f"127.26.0.{index}"


def operator_address(index):
    return f"127.26.0.{100 + index}"


def report_address(index):
    """Where operator i takes TLS reports when started with --report-bind-address at it; nginx i
    passes POSTs to /tlsrpt there (its intake.conf), as the chart's nginx passes them to the
    operator container beside it."""
    return f"{operator_address(index)}:8082"


def run(*args, stdin=None, timeout=120, check=False):
    r = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return r


def kubectl(*args, stdin=None, check=True, timeout=120):
    return run(CONTROLPLANE, "kubectl", *args, stdin=stdin, check=check, timeout=timeout)


def dnsstack_env():
    env = {}
    for line in run(DNSSTACK, "env", check=True).stdout.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        env[key] = value.strip('"')
    return env


class Fatal(AssertionError):
    """Raised by an observation that can never come true (a server exited): wait_for stops."""


def wait_for(observe, timeout, what, until=bool, interval=0.1):
    """Calls observe() until until(value) holds (by default: until it returns something true),
    and returns that value. On timeout fails with the last value observed (or the last exception
    raised), so a red test says what it saw."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            last = observe()
            if until(last):
                return last
        except Fatal:
            raise
        except Exception as e:  # noqa: BLE001 - kept as the observation
            last = e
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {timeout} s; last observed: {last!r}")
        time.sleep(interval)


# --- DNS -----------------------------------------------------------------------------------

def parse_txt_rdata(text):
    """The strings of one TXT record as dig prints it ("a" "b\\059c"), unescaped and joined."""
    out, i, inside = bytearray(), 0, False
    while i < len(text):
        c = text[i]
        if c == '"':
            inside = not inside
        elif c == "\\" and inside:
            if text[i + 1:i + 4].isdigit():
                out.append(int(text[i + 1:i + 4]))
                i += 3
            else:
                out += text[i + 1].encode()
                i += 1
        elif inside:
            out += c.encode()
        i += 1
    return out.decode("utf-8", "replace")


def dig(name, rtype="TXT", server="127.0.0.1:5354"):
    """The records BIND9 answers for name, sorted; TXT records as their joined strings."""
    host, port = server.rsplit(":", 1)
    r = run("dig", "+short", "+time=2", "+tries=1", "-p", port, f"@{host}", name, rtype,
            timeout=10, check=True)
    lines = [line for line in r.stdout.splitlines() if line and not line.startswith(";")]
    return sorted(parse_txt_rdata(line) if rtype == "TXT" else line for line in lines)


def ids_of(records):
    """The ids of those records that are v=STSv1 records."""
    ids = []
    for record in records:
        fields = [f.strip() for f in record.split(";")]
        if fields and fields[0] == "v=STSv1":
            ids += [f[3:] for f in fields if f.startswith("id=")]
    return ids


def sts_ids(name):
    """The ids of the v=STSv1 records BIND9 answers at name (e.g. _mta-sts.a.operator.test)."""
    return ids_of(dig(name))


# --- HTTPS ---------------------------------------------------------------------------------

def fetch(address, host, ca_file, port=HTTPS_PORT, path="/.well-known/mta-sts.txt"):
    """(status, body bytes) of GET https://host:port/path from address, with SNI host and the
    certificate verified against ca_file for host. Raises on a failed handshake."""
    status, _, body = request(address, host, ca_file, port, path)
    return status, body


def request(address, host, ca_file, port=HTTPS_PORT, path="/.well-known/mta-sts.txt",
            user_agent=None, method="GET", body=None, content_type=None):
    """(status, headers with lower-case names, body bytes) of fetch's GET, sent with
    user_agent as its User-Agent header (None: no such header); or of another method, with a
    body of content_type."""
    context = ssl.create_default_context(cafile=ca_file)
    head = f"{method} {path} HTTP/1.0\r\nHost: {host}\r\n"
    head += "" if user_agent is None else f"User-Agent: {user_agent}\r\n"
    if body is not None:
        head += f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
    with socket.create_connection((address, port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            tls.sendall(head.encode() + b"\r\n" + (body or b""))
            answer = bytearray()
            while chunk := tls.recv(65536):
                answer += chunk
    head, _, body = bytes(answer).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split(" ", 2)[1]), headers, body


# --- processes -----------------------------------------------------------------------------

def _die_with_parent():
    # PR_SET_PDEATHSIG = 1: the child gets SIGKILL when the thread that started it ends, so when
    # the test process dies, however it dies. Start processes from the main thread.
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)
    os.setpgrp()


class Process:
    """One server the test started, in a process group of its own; output in log_path. With
    restart, it is started again a second after any exit the test did not ask for, as a kubelet
    restarts a container; `exits` lists those exits either way: (time, exit code)."""

    def __init__(self, name, argv, log_path, restart=False):
        self.name, self.argv, self.log_path, self.restart = name, argv, log_path, restart
        self.proc, self.stopped, self.exits = None, False, []
        self.lock = threading.Lock()
        self.supervisor = None

    def start(self):
        self.stopped = False
        if not self.restart:
            self._spawn()
            return self
        spawned = threading.Event()
        # The supervisor starts every incarnation and outlives each: the children die with
        # the thread that started them (_die_with_parent).
        self.supervisor = threading.Thread(target=self._supervise, args=(spawned,), daemon=True)
        self.supervisor.start()
        spawned.wait()
        return self

    def _spawn(self):
        with self.lock:
            if self.stopped:
                return False
            with open(self.log_path, "ab") as log:
                log.write(f"==== {time.strftime('%H:%M:%S')} starting: {' '.join(self.argv)}\n"
                          .encode())
                log.flush()
                self.proc = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent)
            _remember(self.proc.pid)
            return True

    def _supervise(self, spawned):
        self._spawn()
        spawned.set()
        while True:
            code = self.proc.wait()
            if self.stopped:
                return
            _forget(self.proc.pid)
            self.exits.append((time.time(), code))
            with open(self.log_path, "ab") as log:
                log.write(f"==== {time.strftime('%H:%M:%S')} exited ({code}); starting again\n"
                          .encode())
            time.sleep(1)
            if not self._spawn():
                return

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def unexpected_exits(self):
        """The exits the test did not ask for: those of a restarted process, and its last."""
        ended = self.proc is not None and self.proc.poll() is not None and not self.stopped
        return self.exits + ([(None, self.proc.returncode)] if ended and not self.restart else [])

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Stops the process and its group: sig, then SIGKILL after timeout; the exit code."""
        with self.lock:
            self.stopped = True
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        # Whatever the leader left in its group (nginx workers) goes with it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        _forget(self.proc.pid)
        if self.supervisor is not None:
            self.supervisor.join()
        return self.proc.returncode

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")


def _start_time(pid):
    """The process's start time in clock ticks since boot: with the pid, names it for good."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[19]


def _remember(pid):
    with open(LEFTOVERS, "a") as f:
        f.write(f"{pid} {_start_time(pid)}\n")


def _forget(pid):
    with contextlib.suppress(FileNotFoundError):
        with open(LEFTOVERS) as f:
            lines = [line for line in f if line.split(" ", 1)[0] != str(pid)]
        if not lines:
            os.remove(LEFTOVERS)
            return
        with open(LEFTOVERS, "w") as f:
            f.writelines(lines)


def stop_leftovers():
    """Kills what a killed test run left behind: the members of each recorded process group that
    started within a minute of its leader's recorded start (nginx workers outlive a killed
    master), so a reused pid is never hit."""
    with contextlib.suppress(FileNotFoundError):
        with open(LEFTOVERS) as f:
            entries = [line.split() for line in f.read().splitlines()]
        window = 60 * os.sysconf("SC_CLK_TCK")
        for pgid, started in (e for e in entries if len(e) == 2):
            for pid in filter(str.isdigit, os.listdir("/proc")):
                with contextlib.suppress(OSError):
                    if (os.getpgid(int(pid)) == int(pgid)
                            and 0 <= int(_start_time(pid)) - int(started) <= window):
                        os.kill(int(pid), signal.SIGKILL)
        os.remove(LEFTOVERS)


def wait_port(address, port, process, timeout=15):
    def accepting():
        if not process.alive():
            raise Fatal(f"{process.name} exited ({process.proc.returncode}):\n"
                                 + process.log()[-3000:])
        with contextlib.suppress(OSError), socket.create_connection((address, port), 0.5):
            return True
        return False
    wait_for(accepting, timeout, f"{process.name} listening on {address}:{port}")


# --- the parts -----------------------------------------------------------------------------

class Nginx:
    """nginx with the production config; its prefix is the serve dir of one operator's syncer.
    The serve dir belongs to nginx workers' group (they run as nobody) and is setgid, so what
    the syncer writes there is readable by them."""

    def __init__(self, world, index, sender_port=False):
        self.index, self.address, self.port = index, nginx_address(index), HTTPS_PORT
        self.endpoint = f"{self.address}:{self.port}"
        # A real sender (Sender) fetches from port 443, which it cannot be told otherwise.
        self.ports = [self.port] + ([SENDER_HTTPS_PORT] if sender_port else [])
        self.ca_file = world.ca_file
        self.prefix = os.path.join(world.dir, f"serve-{index}")
        for sub in ("logs", "tmp"):
            os.makedirs(os.path.join(self.prefix, sub))
        os.chown(self.prefix, -1, pwd.getpwnam("nobody").pw_gid)
        os.chmod(self.prefix, 0o2750)
        shutil.copy(NGINX_CONF, os.path.join(self.prefix, "nginx.conf"))
        with open(os.path.join(self.prefix, "listen.conf"), "w") as f:
            f.writelines(f"listen {self.address}:{port} ssl;\n" for port in self.ports)
        with open(os.path.join(self.prefix, "intake.conf"), "w") as f:
            f.write(f"server {report_address(index)};\n")
        self.process = Process(
            f"nginx-{index}", ["/usr/sbin/nginx", "-p", self.prefix + "/", "-c",
                               os.path.join(self.prefix, "nginx.conf"), "-g", "daemon off;"],
            os.path.join(world.dir, f"nginx-{index}.log"))

    def start(self):
        self.process.start()
        wait_port(self.address, self.port, self.process)
        return self

    def stop(self):
        self.process.stop(signal.SIGQUIT)

    def fetch(self, host):
        """(status, body) of the policy of host as this nginx serves it."""
        return fetch(self.address, host, self.ca_file, self.port)

    def post_report(self, host, body, content_type):
        """(status, answer text) of a TLS report POSTed to https://host/tlsrpt through this
        nginx, as a sender posts it to the https rua."""
        status, _, answer = request(self.address, host, self.ca_file, self.port, "/tlsrpt",
                                    method="POST", body=body, content_type=content_type)
        return status, answer.decode("utf-8", "replace")

    def served(self, host):
        """The policy bytes this nginx serves for host, or None (no answer, or not 200)."""
        with contextlib.suppress(OSError, ssl.SSLError):
            status, body = self.fetch(host)
            return body if status == 200 else None
        return None


class Operator:
    """One mta-sts-operator process and its metrics and health addresses."""

    def __init__(self, process, address):
        self.process, self.address = process, address
        self.metrics_address, self.health_address = f"{address}:8080", f"{address}:8081"

    def get(self, path, port=8081):
        """(status, body text) of http://address:port/path; status 0 when nothing answers."""
        with contextlib.suppress(OSError):
            with socket.create_connection((self.address, port), timeout=3) as s:
                s.sendall(f"GET {path} HTTP/1.0\r\nHost: {self.address}\r\n\r\n".encode())
                answer = bytearray()
                while chunk := s.recv(65536):
                    answer += chunk
            head, _, body = bytes(answer).partition(b"\r\n\r\n")
            return int(head.split(b" ", 2)[1]), body.decode("utf-8", "replace")
        return 0, ""

    def metrics(self):
        return self.get("/metrics", 8080)[1]


class World:
    """One test's world: a namespace of its own, a temp dir, and the processes started in it."""

    def __init__(self, name):
        stop_leftovers()
        self.dir = tempfile.mkdtemp(prefix=f"mta-sts-{name}-")
        os.chmod(self.dir, 0o755)  # nginx workers (nobody) reach the serve dirs through it
        self.namespace = f"{name}-{os.urandom(3).hex()}"
        self.kubeconfig = os.environ["KUBECONFIG"]
        self.client = kube.Client(self.kubeconfig)
        self.dns = dnsstack_env()
        self.dns_server = self.dns["DNSSTACK_SERVER"]
        import ca_issuer  # noqa: PLC0415 - needs python3-cryptography, only the world does
        self.ca = ca_issuer.TestCa.make(os.path.join(self.dir, "ca"))
        self.ca_file = os.path.join(self.dir, "ca", "ca.crt")
        self.processes, self.nginx, self.operators = [], [], []
        self.the_sender = None
        kubectl("create", "namespace", self.namespace)

    # -- the control plane's side

    def apply_crds(self, without=()):
        """Installs our CRD and the pinned cert-manager and external-dns ones (except those
        named in without) and waits until each is Established."""
        files = {"mtastspolicies.mtasts.io": os.path.join(ROOT, "crds",
                                                          "mtasts.io_mtastspolicies.yaml")}
        for crd in CRD_NAMES[1:]:
            files[crd] = os.path.join(self.dns["DNSSTACK_CRDS"], crd + ".yaml")
        names = [n for n in CRD_NAMES if n not in without]
        for name in names:
            kubectl("apply", "--server-side", "--force-conflicts", "-f", files[name])
        kubectl("wait", "--for=condition=established", "--timeout=60s",
                *[f"crd/{n}" for n in names])

    def apply(self, manifest):
        """kubectl apply of YAML text into the world's namespace."""
        kubectl("apply", "-n", self.namespace, "-f", "-", stdin=manifest)

    def get(self, api_version, plural, name):
        """The object, or None when it does not exist."""
        try:
            return self.client.get(kube.object_path(api_version, plural, self.namespace, name))
        except kube.ApiError as e:
            if e.status == 404:
                return None
            raise

    def policy(self, name):
        """The MtaStsPolicy without its managedFields (which only make messages long)."""
        policy = self.get("mtasts.io/v1alpha1", "mtastspolicies", name)
        if policy:
            policy["metadata"].pop("managedFields", None)
        return policy

    # -- processes

    def _start(self, process):
        self.processes.append(process)
        return process.start()

    def add_nginx(self, sender_port=False):
        """nginx i on 127.26.0.i:8443 and, with sender_port, on :443 too (for a Sender)."""
        nginx = Nginx(self, len(self.nginx) + 1, sender_port)
        self.nginx.append(nginx)
        self.processes.append(nginx.process)
        return nginx.start()

    def start_external_dns(self):
        """external-dns v0.23.0 over this namespace's DNSEndpoints. Its loop wakes once a
        second and syncs when --interval has passed, so 1 s publishes a change within ~2 s."""
        return self._start(Process("external-dns", [
            DNSSTACK, "external-dns", "--kubeconfig", self.kubeconfig, "--source=crd",
            "--crd-source-apiversion=externaldns.k8s.io/v1alpha1",
            "--crd-source-kind=DNSEndpoint", "--namespace", self.namespace, "--interval=1s"],
            os.path.join(self.dir, "external-dns.log")))

    def start_ca_issuer(self, *args):
        return self._start(Process("ca-issuer", [
            PYTHON, os.path.join(HERE, "ca_issuer.py"), "--kubeconfig", self.kubeconfig,
            "--ca-dir", os.path.join(self.dir, "ca"), "--namespace", self.namespace, *args],
            os.path.join(self.dir, "ca-issuer.log")))

    def start_mx_servers(self, servers):
        """SMTP servers with STARTTLS (MxServers) for servers: name -> (certificate profile,
        [MX host names]); their addresses by name."""
        mx = MxServers(self, servers)
        self.processes.append(mx.process)
        return mx.start().address

    def set_mx(self, domain, records):
        """Makes BIND9 answer records, [(host, address)], as domain's MX hosts (preference 10,
        20, ... in that order), each host with its A record; replaces the MX records it had."""
        commands = [f"update delete {domain} MX"]
        for i, (host, address) in enumerate(records, 1):
            commands += [f"update add {domain} 5 MX {10 * i} {host}.",
                         f"update delete {host} A", f"update add {host} 5 A {address}"]
        nsupdate(self, commands)

    def sender(self):
        """The world's Sender (made on first use): postfix-mta-sts-resolver."""
        if self.the_sender is None:
            self.the_sender = Sender(self)
        return self.the_sender

    def operator_flags(self, serve, endpoints, targets=None, namespaces=None):
        """The flags of an operator syncing into serve (an Nginx) that verifies endpoints (Nginx
        list) and points mta-sts.<domain> at targets (addresses; default: the endpoints'),
        managing the policies of namespaces (default: this world's; [] for every namespace)."""
        flags = ["--kubeconfig", self.kubeconfig]
        for ns in namespaces if namespaces is not None else [self.namespace]:
            flags += ["--namespace", ns]
        flags += ["--leader-election-namespace", self.namespace,
                 "--leader-election-id", "mta-sts-operator", "--serve-dir", serve.prefix,
                 "--dns-server", self.dns_server, "--ca-file", self.ca_file,
                 "--https-port", str(HTTPS_PORT), "--smtp-port", str(SMTP_PORT),
                 "--allow-private-addresses", "--default-issuer", "ClusterIssuer/test-ca"]
        for nginx in endpoints:
            flags += ["--serve-endpoint", nginx.endpoint]
        for target in targets if targets is not None else [n.address for n in endpoints]:
            flags += ["--policy-host-target", target]
        return flags

    def start_operator(self, serve, endpoints, targets=None, extra=(), namespaces=None):
        """An operator process (flags from operator_flags, then extra), restarted after an exit
        as its Deployment's pods are; waits for its health port."""
        binary = os.environ.get("MTASTS_OPERATOR")
        if not binary or not os.access(binary, os.X_OK):
            raise AssertionError("MTASTS_OPERATOR must name the built mta-sts-operator binary")
        index = len(self.operators) + 1
        address = operator_address(index)
        process = Process(f"operator-{index}", [
            binary, *self.operator_flags(serve, endpoints, targets, namespaces),
            "--metrics-bind-address", f"{address}:8080",
            "--health-probe-bind-address", f"{address}:8081", *extra],
            os.path.join(self.dir, f"operator-{index}.log"), restart=True)
        operator = Operator(process, address)
        self.operators.append(operator)
        self._start(process)
        wait_port(address, 8081, process, timeout=30)
        return operator

    def check(self, domain):
        """`mtasts check --json` of domain against this world's BIND9, nginx and CA."""
        binary = os.environ.get("MTASTS_CLI")
        if not binary:
            raise AssertionError("MTASTS_CLI must name the built mtasts binary")
        r = run(binary, "check", "--dns-server", self.dns_server, "--ca-file", self.ca_file,
                "--https-port", str(HTTPS_PORT), "--smtp-port", str(SMTP_PORT),
                "--allow-private-addresses", "--timeout", "5", "--json", domain, timeout=120)
        try:
            return json.loads(r.stdout)
        except ValueError:
            raise AssertionError(f"mtasts check gave no JSON ({r.returncode}):\n"
                                 f"{r.stdout}{r.stderr}") from None

    def crashed(self):
        """The processes that exited by themselves (restarted or not): name and exit codes."""
        return [(p.name, [code for _, code in p.unexpected_exits()]) for p in self.processes
                if p.unexpected_exits()]

    # -- the end

    def close(self):
        """Stops every process (last started first) and removes the namespace's objects."""
        for process in reversed(self.processes):
            process.stop()
        if self.the_sender is not None:
            self.the_sender.close()
        self.client.close()
        with contextlib.suppress(Exception):
            names = kubectl("get", "mtastspolicies", "-n", self.namespace, "-o", "name",
                            check=False).stdout.split()
            for name in names:
                kubectl("patch", "-n", self.namespace, name, "--type=merge",
                        "-p", '{"metadata":{"finalizers":null}}', check=False)
            kubectl("delete", "-n", self.namespace, "--wait=false", "--ignore-not-found",
                    "mtastspolicies,certificates,dnsendpoints,configmaps,secrets,leases",
                    "--all", check=False)

    def report(self, failed, stream=sys.stderr):
        """After the test: on failure the end of every log, and the dir is kept; else removed."""
        if not failed:
            shutil.rmtree(self.dir, ignore_errors=True)
            return
        for process in self.processes:
            text = process.log() if os.path.exists(process.log_path) else "(no log)"
            stream.write(f"\n===== {process.name} ({process.log_path}), last 60 lines:\n")
            stream.write("\n".join(text.splitlines()[-60:]) + "\n")
        stream.write(f"\n===== the world is kept in {self.dir}\n")


class WorldTestCase(unittest.TestCase):
    """A test with a fresh World in self.world, closed after the test, failed or not; a failed
    test prints every process's log."""

    def setUp(self):
        name = "".join(c for c in type(self).__name__.lower() if c.isalnum())[:40]
        self.world = World(name)
        self.addCleanup(self.world.close)

    def run(self, result=None):
        result = result if result is not None else self.defaultTestResult()
        problems = len(result.failures) + len(result.errors)
        super().run(result)
        world = getattr(self, "world", None)
        if world is not None:
            world.report(len(result.failures) + len(result.errors) > problems)
        return result


# --- mail: MX servers, MX records, a real sender -------------------------------------------

SMTPD = os.path.join(ROOT, "hack/mailstack/smtpd.py")
WRONG_NAME = "mx.elsewhere.test"
# MX certificate profiles: how each is signed (see MxServers).
MX_PROFILES = ("good", "expiring", "expired", "wrong-name", "untrusted")


def mx_address(index):
    return f"127.26.1.{index}"


class MxServers:
    """The mail stack's SMTP servers (hack/mailstack/smtpd.py, STARTTLS, TLS 1.2+), one listener
    per server on 127.26.1.i:2525, each presenting a certificate of its profile for the MX
    hosts it serves: good (the world's CA, a year), expiring (7 days: under the default
    minCertValidity), expired (a day, ended yesterday), wrong-name (names mx.elsewhere.test),
    untrusted (a CA outside --ca-file)."""

    def __init__(self, world, servers):
        """servers: name -> (profile, [MX host names])."""
        import ca_issuer  # noqa: PLC0415 - needs python3-cryptography, only the world does
        day = datetime.timedelta(days=1)
        untrusted = ca_issuer.TestCa.make(os.path.join(world.dir, "untrusted-ca"))
        self.address, listeners = {}, []
        for index, (name, (profile, hosts)) in enumerate(servers.items(), 1):
            if profile not in MX_PROFILES:
                raise ValueError(f"{name}: unknown MX certificate profile {profile!r}")
            signer = untrusted if profile == "untrusted" else world.ca
            names = [WRONG_NAME] if profile == "wrong-name" else hosts
            lifetime = {"expiring": 7 * day, "expired": day}.get(profile, 365 * day)
            chain, key, _, _ = signer.sign(names, lifetime, age=2 * day if profile == "expired"
                                           else datetime.timedelta(0))
            paths = [os.path.join(world.dir, f"smtp-{name}.{ext}") for ext in ("crt", "key")]
            for path, data in zip(paths, (chain, key)):
                with open(path, "wb") as f:
                    f.write(data)
            self.address[name] = mx_address(index)
            listeners.append({"name": name, "address": mx_address(index), "port": SMTP_PORT,
                              "banner": hosts[0], "tls": "modern", "cert": paths[0],
                              "key": paths[1]})
        config = os.path.join(world.dir, "smtpd.json")
        with open(config, "w") as f:
            json.dump(listeners, f)
        self.process = Process("smtpd", [PYTHON, "-W", "ignore::DeprecationWarning", SMTPD,
                                         config], os.path.join(world.dir, "smtpd.log"))

    def start(self):
        self.process.start()
        for address in self.address.values():
            wait_port(address, SMTP_PORT, self.process)
        return self


def nsupdate(world, commands):
    """Sends one RFC 2136 update (nsupdate commands) to BIND9, signed with the stack's key."""
    host, port = world.dns_server.rsplit(":", 1)
    script = f"server {host} {port}\nzone {ZONE}\n" + "".join(c + "\n" for c in commands)
    run("nsupdate", "-y", f"hmac-sha256:{world.dns['DNSSTACK_TSIG_KEY']}:"
        f"{world.dns['DNSSTACK_TSIG_SECRET']}", stdin=script + "send\n", timeout=30, check=True)


class DnsRelay:
    """Answers DNS queries on SENDER_DNS:53 (UDP) with BIND9's answers: what a sender's
    resolv.conf can name, since it cannot name a port."""

    ADDRESS = "127.26.2.53"

    def __init__(self, upstream):
        host, port = upstream.rsplit(":", 1)
        self.upstream = (host, int(port))
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind((self.ADDRESS, 53))
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                query, client = self.socket.recvfrom(4096)
            except OSError:
                return  # closed
            with contextlib.suppress(OSError), socket.socket(socket.AF_INET,
                                                             socket.SOCK_DGRAM) as up:
                up.settimeout(2)
                up.sendto(query, self.upstream)
                self.socket.sendto(up.recv(65535), client)

    def close(self):
        self.socket.close()


class SenderView(collections.namedtuple("SenderView", "result policy_id mode mx max_age")):
    """What the sender concluded: result (VALID, NONE, FETCH_ERROR, ...), and for VALID the id
    and the policy's mode, mx (a tuple) and max_age."""

    @classmethod
    def of(cls, result, policy_id=None, policy=None):
        policy = policy or {}
        return cls(result, policy_id, policy.get("mode"), tuple(policy.get("mx", [])),
                   policy.get("max_age"))


class Sender:
    """postfix-mta-sts-resolver (the Debian package), a real sending MTA's MTA-STS client, asked
    for a domain's policy as Postfix asks it: the TXT record from DNS, then the policy over
    HTTPS from mta-sts.<domain>:443. It reads only /etc/resolv.conf, so each run gets a private
    mount namespace with one naming the DnsRelay bound over it (the system file is untouched),
    and SSL_CERT_FILE = the world's CA."""

    def __init__(self, world):
        self.relay = DnsRelay(world.dns_server)
        self.resolv_conf = os.path.join(world.dir, "sender-resolv.conf")
        with open(self.resolv_conf, "w") as f:
            f.write(f"nameserver {DnsRelay.ADDRESS}\n")
        self.env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()
                    and k != "SSL_CERT_DIR"}
        self.env["SSL_CERT_FILE"] = world.ca_file

    def fetch(self, domain):
        """The SenderView of domain, as the resolver fetches it now."""
        script = ('mount --bind "$0" /etc/resolv.conf && '
                  'exec /usr/bin/python3 -m postfix_mta_sts_resolver -v debug "$1"')
        r = subprocess.run(["unshare", "--mount", "sh", "-c", script, self.resolv_conf, domain],
                           capture_output=True, text=True, timeout=60, env=self.env)
        lines = r.stdout.strip().splitlines()
        match = re.match(r"\(<STSFetchResult\.(\w+): \d+>, (.*)\)$", lines[-1] if lines else "")
        if r.returncode != 0 or not match:
            raise AssertionError(f"postfix-mta-sts-resolver {domain} failed ({r.returncode}):\n"
                                 f"{r.stdout}{r.stderr}")
        answer = ast.literal_eval(match.group(2))  # None, or (id, policy dict)
        return SenderView.of(match.group(1), *(answer or ()))

    def close(self):
        self.relay.close()


# --- observing over time -------------------------------------------------------------------

class Timeline:
    """Samples observe() in a background thread (with Timeline(...) as t: ...). Each sample
    keeps when it started and ended, which bracket the moment of what it saw: a value first seen
    by a sample ending at t was there by t; a value not seen by a sample starting at t was not
    there at t."""

    def __init__(self, observe, interval=0.05):
        self.observe, self.interval = observe, interval
        self.samples, self.lock, self.done = [], threading.Lock(), threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.done.set()
        self.thread.join()
        self._take()  # what the caller waited for is in the record, however slow the samples

    def _sample(self):
        while not self.done.is_set():
            self._take()
            self.done.wait(self.interval)

    def _take(self):
        start = time.time()
        try:
            value = self.observe()
        except Exception as e:  # noqa: BLE001 - an error is an observation too
            value = f"error: {e}"
        with self.lock:
            self.samples.append((start, time.time(), value))

    def first_seen(self, matches):
        """The end of the first sample whose value matches, or None."""
        with self.lock:
            return next((end for _, end, value in self.samples if matches(value)), None)

    def last_unseen(self, matches):
        """The start of the last sample before the first match that did not match (-inf if
        there is none); without a match, of the last sample."""
        last = float("-inf")
        with self.lock:
            for start, _, value in self.samples:
                if matches(value):
                    break
                last = start
        return last

    @property
    def changes(self):
        """(start, value) at each change, for messages."""
        with self.lock:
            out = []
            for start, _, value in self.samples:
                if not out or out[-1][1] != value:
                    out.append((round(start, 3), value))
            return out


def announced_before_served(served, announced, data, policy_id, where="DNS"):
    """What breaks "served first, announced second": each endpoint of served (endpoint ->
    Timeline of the bytes it served) that surely did not yet serve data at a moment when
    announced (a Timeline of the ids that `where` holds) surely held policy_id. Empty when the
    order held. Sure, so never a false alarm; a breach shorter than a sample (some 50 ms) can
    pass unseen."""
    announced_by = announced.first_seen(lambda ids: policy_id in (ids or ()))
    if announced_by is None:
        return [f"{where} never held {policy_id}: {announced.changes}"]
    problems = []
    for endpoint, timeline in served.items():
        unserved_at = timeline.last_unseen(lambda body: body == data)
        if unserved_at >= announced_by:
            problems.append(f"{where} held {policy_id} by {announced_by:.3f} while {endpoint} did"
                            f" not serve its bytes yet at {unserved_at:.3f}: {timeline.changes}")
    return problems


class WriteWatch:
    """Every write to the namespace's objects of the given kinds from now on, seen by watching
    them: (time, plural, event type, name, resourceVersion, object)."""

    def __init__(self, world, kinds):
        self.world, self.kinds = world, kinds
        self.writes, self.errors, self.lock = [], [], threading.Lock()

    def __enter__(self):
        for api_version, plural in self.kinds:
            path = kube.object_path(api_version, plural, self.world.namespace)
            _, version = self.world.client.list(path)
            threading.Thread(target=self._watch, args=(path, plural, version), daemon=True).start()
        return self

    def __exit__(self, *_):
        pass

    def _watch(self, path, plural, version):
        while True:
            try:
                for event in self.world.client.watch(path, version, seconds=30):
                    obj = event.get("object") or {}
                    version = obj.get("metadata", {}).get("resourceVersion", version)
                    if event.get("type") == "ERROR":
                        raise kube.ApiError(obj.get("code"), obj.get("message"))
                    if event.get("type") != "BOOKMARK":
                        with self.lock:
                            self.writes.append((time.time(), plural, event["type"],
                                                obj["metadata"]["name"], version, obj))
            except Exception as e:  # noqa: BLE001 - a watch that broke cannot vouch for quiet
                with self.lock:
                    self.errors.append(f"{plural}: {e}")
                return

    def since(self, moment):
        with self.lock:
            if self.errors:
                raise AssertionError(f"a watch broke, writes may be missed: {self.errors}")
            return [w for w in self.writes if w[0] >= moment]
