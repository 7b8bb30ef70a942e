#!/usr/bin/python3
"""docs/gitops/ on a real API server (hack/controlplane.sh): the Argo CD Application and the Flux
GitRepository, HelmRelease and Kustomization are accepted by `kubectl apply --dry-run=server`
with strict field validation against the CRDs their releases ship (hack/gitops.sh fetches them
from the Argo CD and Flux modules), as is the argocd-cm ConfigMap; and the chart values each
tool passes render, with the real helm, objects the API server accepts.

    manifests_test.py [unittest args]   (KUBECONFIG and MTASTS_CONTROLPLANE set;
                                         hack/gitops.sh build and hack/helm.sh build done)
"""
import glob
import os
import sys
import tempfile
import unittest
import uuid

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gitops  # noqa: E402

sys.path.insert(0, os.path.join(gitops.ROOT, "tests", "integration", "chart"))
from chart import CHART, helm  # noqa: E402
from chart_cluster_test import kubectl  # noqa: E402

DOC_FILES = ("argocd-application.yaml", "argocd-cm.yaml", "flux-helmrelease.yaml",
             "flux-kustomization.yaml")


def documents(name):
    with open(os.path.join(gitops.DOCS, name)) as f:
        return [d for d in yaml.safe_load_all(f) if d]


class Manifests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        crds = sorted(glob.glob(os.path.join(gitops.crds_dir(), "*.yaml")))
        crds.append(os.path.join(gitops.ROOT, "crds", "mtasts.io_mtastspolicies.yaml"))
        for crd in crds:
            kubectl("apply", "--server-side", "--force-conflicts", "-f", crd)
        kubectl("wait", "--for=condition=Established", "--timeout=60s",
                *[f"crd/{n}" for n in ("applications.argoproj.io",
                                       "gitrepositories.source.toolkit.fluxcd.io",
                                       "helmrepositories.source.toolkit.fluxcd.io",
                                       "helmreleases.helm.toolkit.fluxcd.io",
                                       "kustomizations.kustomize.toolkit.fluxcd.io")])

    def setUp(self):
        # The control plane is shared: each object goes into a namespace of this test's.
        self.ns = f"gitops-{uuid.uuid4().hex[:8]}"
        kubectl("create", "namespace", self.ns)
        self.addCleanup(kubectl, "delete", "namespace", self.ns, "--wait=false", check=False)

    def dry_run(self, objects):
        """kubectl apply --dry-run=server --validate=strict of objects in the test's namespace:
        the API server's error, or None."""
        for obj in objects:
            obj["metadata"]["namespace"] = self.ns
        out = kubectl("apply", "--dry-run=server", "--validate=strict", "-f", "-",
                      stdin=yaml.safe_dump_all(objects), check=False)
        return out.stderr if out.returncode != 0 else None

    def test_each_file_is_accepted(self):
        seen = set()
        for name in DOC_FILES:
            with self.subTest(name):
                objects = documents(name)
                seen |= {(o["apiVersion"], o["kind"]) for o in objects}
                self.assertIsNone(self.dry_run(objects))
        self.assertEqual(seen, {
            ("argoproj.io/v1alpha1", "Application"), ("v1", "ConfigMap"),
            ("source.toolkit.fluxcd.io/v1", "GitRepository"),
            ("helm.toolkit.fluxcd.io/v2", "HelmRelease"),
            ("kustomize.toolkit.fluxcd.io/v1", "Kustomization")})

    def test_a_field_the_schema_lacks_is_refused(self):
        # What makes the test above worth something: the CRDs' schemas are enforced.
        release = next(o for o in documents("flux-helmrelease.yaml") if o["kind"] == "HelmRelease")
        release["spec"]["install"]["crd"] = "CreateReplace"
        self.assertIn('unknown field "spec.install.crd"', self.dry_run([release]) or "")
        release = next(o for o in documents("flux-helmrelease.yaml") if o["kind"] == "HelmRelease")
        release["spec"]["upgrade"]["crds"] = "Replace"
        self.assertIn("spec.upgrade.crds", self.dry_run([release]) or "")
        application = documents("argocd-application.yaml")[1]
        application["spec"]["source"]["helm"]["skipCRDs"] = True
        self.assertIn('unknown field "spec.source.helm.skipCRDs"',
                      self.dry_run([application]) or "")

    def test_the_chart_values_each_tool_passes(self):
        application = next(o for o in documents("argocd-application.yaml")
                           if o["spec"]["source"].get("path") == "charts/mta-sts-operator")
        release = next(o for o in documents("flux-helmrelease.yaml") if o["kind"] == "HelmRelease")
        self.assertEqual(release["spec"]["chart"]["spec"]["chart"], "./charts/mta-sts-operator")
        for tool, name, values in (
                ("argocd", application["spec"]["source"]["helm"]["releaseName"],
                 application["spec"]["source"]["helm"]["valuesObject"]),
                ("flux", release["spec"]["releaseName"], release["spec"]["values"])):
            with self.subTest(tool), tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
                yaml.safe_dump(values, f)
                f.flush()
                manifest = helm("template", name, CHART, "--namespace", self.ns, "-f",
                                f.name).stdout
                out = kubectl("apply", "--dry-run=server", "--validate=strict", "-n", self.ns,
                              "-f", "-", stdin=manifest, check=False)
                self.assertEqual(out.returncode, 0, out.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
