"""What Argo CD and Flux say of an object: docs/gitops/mtastspolicy-health.lua run by
gitops-status argocd-health (gopher-lua, set up as Argo CD sets it up), and gitops-status
kstatus (sigs.k8s.io/cli-utils, as Flux computes it). hack/gitops.sh builds gitops-status.
"""
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DOCS = os.path.join(ROOT, "docs", "gitops")
HEALTH_LUA = os.path.join(DOCS, "mtastspolicy-health.lua")
GITOPS_SH = os.path.join(ROOT, "hack", "gitops.sh")
HEALTH_KEY = "resource.customizations.health.mtasts.io_MtaStsPolicy"


def _hack(command):
    r = subprocess.run([GITOPS_SH, command], capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise AssertionError(f"hack/gitops.sh {command}: {r.stderr.strip()}")
    return r.stdout.strip()


def tool():
    return _hack("path")


def crds_dir():
    return _hack("crds")


def _run(args, obj):
    r = subprocess.run([tool(), *args], input=json.dumps(obj), capture_output=True, text=True,
                       timeout=30)
    if r.returncode != 0:
        raise AssertionError(f"gitops-status {' '.join(args)}: {r.stderr.strip()}")
    out = json.loads(r.stdout)
    return out["status"], out["message"]


def argocd_health(obj, script=HEALTH_LUA):
    """(status, message) of Argo CD's health check."""
    return _run(["argocd-health", script], obj)


def kstatus(obj):
    """(status, message) of kstatus."""
    return _run(["kstatus"], obj)


def verdicts(obj):
    """(Argo CD's health status, kstatus's status) of obj, and both messages for a failure."""
    (argo, argo_message), (flux, flux_message) = argocd_health(obj), kstatus(obj)
    return (argo, flux), {"argocd": argo_message, "kstatus": flux_message}
