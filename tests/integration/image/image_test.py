#!/usr/bin/python3
"""The two images as a cluster would run them, read from the OCI archives hack/image.sh writes:
the binaries answer, nobody is root, nginx takes the chart's config on a read-only root, the
operator image holds no build tools, and the chart's default values name these images.

    IMAGE_OUT=DIR image_test.py [unittest args]    (DIR: where hack/image.sh wrote the archives)
"""
import os
import re
import shutil
import socket
import subprocess
import tarfile
import tempfile
import time
import unittest

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CHART = os.path.join(ROOT, "charts", "mta-sts-operator")
OUT = os.environ.get("IMAGE_OUT", os.path.join(ROOT, "build", "image"))
SERVE = "/srv/mta-sts"
NONROOT = "65532"
# Headers, the compiler's own files, and a compiler, assembler, linker or build tool by any of
# Debian's names for it (g++, g++-12, x86_64-linux-gnu-g++-12 ...).
BUILD_TOOL = re.compile(r"/usr/(include/.|lib/gcc/.|bin/(x86_64-linux-gnu-)?"
                        r"(g\+\+|c\+\+|gcc|cc|cpp|ld|ld\.bfd|as|cmake|ninja|make)(-[0-9.]+)?$)")


def project_version():
    with open(os.path.join(ROOT, "CMakeLists.txt"), encoding="utf-8") as f:
        return re.search(r"^project\(mta-sts-operator VERSION ([0-9.]+)", f.read(), re.M)[1]


VERSION = project_version()
OPERATOR = f"docker.io/library/mta-sts-operator:{VERSION}"
NGINX = f"docker.io/library/mta-sts-nginx:{VERSION}"


def podman(*args, check=True):
    out = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=120)
    if check and out.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)}: {out.stderr.strip()}")
    return out


def run(image, *args, options=(), check=True):
    """podman run as these machines need it: runc, no network, bounded limits."""
    return podman("--runtime", "runc", "run", "--rm", "--network", "none",
                  "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", *options,
                  image, *args, check=check)


def files_of(image):
    """Every path in the image's root filesystem, as the container sees it."""
    container = podman("create", image).stdout.strip()
    try:
        with tempfile.TemporaryFile() as tar:
            subprocess.run(["podman", "export", container], stdout=tar, check=True, timeout=120)
            tar.seek(0)
            with tarfile.open(fileobj=tar) as t:
                return {"/" + m.name.lstrip("./") for m in t.getmembers()}
    finally:
        podman("rm", container)


def nginx_test(config_dir):
    """nginx -t as the chart's Deployment runs nginx: a read-only root, the serve directory an
    empty volume (logs/ and tmp/ in it) that the user may write, with nginx.conf, listen.conf and
    intake.conf mounted into it."""
    with tempfile.TemporaryDirectory() as serve:
        for path in (serve, os.path.join(serve, "logs"), os.path.join(serve, "tmp")):
            os.makedirs(path, exist_ok=True)
            os.chown(path, int(NONROOT), int(NONROOT))
        return run(NGINX, "-t", check=False, options=[
            "--read-only", "--volume", f"{serve}:{SERVE}",
            "--volume", f"{config_dir}/nginx.conf:{SERVE}/nginx.conf:ro",
            "--volume", f"{config_dir}/listen.conf:{SERVE}/listen.conf:ro",
            "--volume", f"{config_dir}/intake.conf:{SERVE}/intake.conf:ro"])


def setUpModule():
    for name in ("mta-sts-operator", "mta-sts-nginx"):
        archive = os.path.join(OUT, f"{name}.oci.tar")
        if not os.path.exists(archive):
            raise RuntimeError(f"{archive} is missing: run hack/image.sh build")
        # What a user does with the archive; it names the image as the chart does.
        podman("load", "--quiet", "--input", archive)


class Operator(unittest.TestCase):
    def test_the_entrypoint_is_the_operator(self):
        self.assertEqual(run(OPERATOR, "--version").stdout, f"mta-sts-operator {VERSION}\n")

    def test_mtasts_is_beside_it(self):
        out = run(OPERATOR, "--version", options=["--entrypoint", "mtasts"])
        self.assertEqual(out.stdout, f"mtasts {VERSION}\n")

    def test_runs_as_65532(self):
        user = podman("image", "inspect", "--format", "{{.Config.User}}", OPERATOR).stdout
        self.assertEqual(user.strip(), f"{NONROOT}:{NONROOT}")
        self.assertEqual(run(OPERATOR, "-u", options=["--entrypoint", "id"]).stdout,
                         f"{NONROOT}\n")

    def test_holds_no_compiler_and_no_headers(self):
        files = files_of(OPERATOR)
        for needed in ("/usr/local/bin/mta-sts-operator", "/etc/ssl/certs/ca-certificates.crt"):
            self.assertTrue(needed in files, f"{needed} is missing")
        self.assertEqual(sorted(f for f in files if BUILD_TOOL.match(f)), [])


class Nginx(unittest.TestCase):
    def test_takes_the_charts_config_on_a_read_only_root(self):
        out = nginx_test(os.path.join(CHART, "files"))
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("test is successful", out.stderr)

    def test_refuses_a_broken_config(self):
        # The check above can fail: one bad directive and nginx -t says so.
        with tempfile.TemporaryDirectory() as config:
            for name in ("nginx.conf", "listen.conf", "intake.conf"):
                with open(os.path.join(CHART, "files", name), encoding="utf-8") as f:
                    text = f.read()
                if name == "listen.conf":
                    text = text.replace("listen 8443 ssl;", "listen 8443 ssl no_such_flag;")
                with open(os.path.join(config, name), "w", encoding="utf-8") as f:
                    f.write(text)
            os.chmod(config, 0o755)
            out = nginx_test(config)
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("no_such_flag", out.stderr)

    def test_runs_as_65532(self):
        user = podman("image", "inspect", "--format", "{{.Config.User}}", NGINX).stdout
        self.assertEqual(user.strip(), f"{NONROOT}:{NONROOT}")


class Labels(unittest.TestCase):
    def test_both_carry_the_projects_version(self):
        for image in (OPERATOR, NGINX):
            label = podman("image", "inspect", "--format",
                           '{{index .Labels "org.opencontainers.image.version"}}', image).stdout
            self.assertEqual(label.strip(), VERSION, image)


class Serve(unittest.TestCase):
    """nginx from the image serving a policy on loopback as the pod does: a read-only root, the
    chart's nginx.conf, the files laid out and moded as the operator writes them, and nginx as
    the chart's other user (65533) reading the key through the pod's group (65532)."""

    HOST = "mta-sts.example.test"
    POLICY = b"version: STSv1\r\nmode: testing\r\nmx: mx.example.test\r\nmax_age: 86400\r\n"

    def test_serves_a_policy_read_only_as_the_pod_does(self):
        with tempfile.TemporaryDirectory() as serve:
            port = self.free_port()
            self.lay_out(serve, port)
            name = f"image-test-nginx-{os.getpid()}"
            # The host's network, for a loopback port the test can reach; nginx binds only it.
            podman("--runtime", "runc", "run", "-d", "--rm", "--name", name, "--network", "host",
                   "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                   "--read-only", "--user", "65533:65533", "--group-add", NONROOT,
                   "--volume", f"{serve}:{SERVE}",
                   "--volume", f"{CHART}/files/nginx.conf:{SERVE}/nginx.conf:ro", NGINX)
            try:
                body, content_type = self.fetch(port, os.path.join(serve, "ca.pem"))
            finally:
                podman("rm", "-f", name, check=False)
        self.assertEqual(body, self.POLICY)
        self.assertEqual(content_type, "text/plain; charset=utf-8")

    @staticmethod
    def free_port():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def lay_out(self, serve, port):
        group = int(NONROOT)
        for sub in ("www", f"www/{self.HOST}", "certs", "logs", "tmp"):
            os.mkdir(os.path.join(serve, sub))
        # An emptyDir under fsGroup: the pod's group may write it.
        os.chown(serve, group, group)
        os.chmod(serve, 0o2775)
        for sub in ("logs", "tmp"):
            os.chown(os.path.join(serve, sub), 65533, 65533)
        with open(os.path.join(serve, "listen.conf"), "w", encoding="utf-8") as f:
            f.write(f"listen 127.0.0.1:{port} ssl;\n")
        shutil.copy(os.path.join(CHART, "files", "intake.conf"), serve)
        with open(os.path.join(serve, "www", self.HOST, "mta-sts.txt"), "wb") as f:
            f.write(self.POLICY)
        key, cert = os.path.join(serve, "key.pem"), os.path.join(serve, "ca.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj",
                        f"/CN={self.HOST}", "-addext", f"subjectAltName=DNS:{self.HOST}",
                        "-keyout", key, "-out", cert], check=True, capture_output=True)
        # The certificate, then its key, in one file, 0640 in the serve directory's group.
        pem = os.path.join(serve, "certs", f"{self.HOST}.pem")
        with open(pem, "wb") as out:
            for part in (cert, key):
                with open(part, "rb") as f:
                    out.write(f.read())
        os.chown(pem, 0, group)
        os.chmod(pem, 0o640)
        os.remove(key)

    def fetch(self, port, ca):
        url = f"https://{self.HOST}:{port}/.well-known/mta-sts.txt"
        deadline = time.monotonic() + 30
        while True:
            out = subprocess.run(
                ["curl", "-sS", "--max-time", "5", "--cacert", ca, "--resolve",
                 f"{self.HOST}:{port}:127.0.0.1", "-o", "-", "-w", "\n%{content_type}", url],
                capture_output=True, timeout=30)
            if out.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)  # nginx still starting: a real process, no fake clock to advance
        self.assertEqual(out.returncode, 0, out.stderr.decode(errors="replace"))
        body, _, content_type = out.stdout.rpartition(b"\n")
        return body, content_type.decode()


class Chart(unittest.TestCase):
    def test_default_values_name_these_images(self):
        with open(os.path.join(CHART, "values.yaml"), encoding="utf-8") as f:
            values = yaml.safe_load(f)
        with open(os.path.join(CHART, "Chart.yaml"), encoding="utf-8") as f:
            app_version = yaml.safe_load(f)["appVersion"]
        operator, nginx = values["image"], values["nginx"]["image"]
        # A runtime resolves NAME:TAG to docker.io/library/NAME:TAG, the archives' names.
        self.assertEqual(f"docker.io/library/{operator['repository']}:"
                         f"{operator['tag'] or app_version}", OPERATOR)
        self.assertEqual(f"docker.io/library/{nginx['repository']}:"
                         f"{nginx['tag'] or app_version}", NGINX)


if __name__ == "__main__":
    unittest.main()
