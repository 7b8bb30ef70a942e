#!/usr/bin/python3
"""The two images as a cluster would run them, read from the OCI archives hack/image.sh writes:
the binaries answer, nobody is root, nginx takes the chart's config on a read-only root, the
operator image holds no build tools, and the chart's default values name these images.

    IMAGE_OUT=DIR image_test.py [unittest args]    (DIR: where hack/image.sh wrote the archives)
"""
import os
import re
import subprocess
import tarfile
import tempfile
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
    empty volume (logs/ and tmp/ in it) that the user may write, with nginx.conf and listen.conf
    mounted into it."""
    with tempfile.TemporaryDirectory() as serve:
        for path in (serve, os.path.join(serve, "logs"), os.path.join(serve, "tmp")):
            os.makedirs(path, exist_ok=True)
            os.chown(path, int(NONROOT), int(NONROOT))
        return run(NGINX, "-t", check=False, options=[
            "--read-only", "--volume", f"{serve}:{SERVE}",
            "--volume", f"{config_dir}/nginx.conf:{SERVE}/nginx.conf:ro",
            "--volume", f"{config_dir}/listen.conf:{SERVE}/listen.conf:ro"])


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
            for name in ("nginx.conf", "listen.conf"):
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
