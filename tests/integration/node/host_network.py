#!/usr/bin/python3
"""A helm post-renderer that fits the chart to hack/node.sh's node, which has no Service
network (no kube-proxy): the operator's pod runs in the host's network and is told the
apiserver's loopback address, and nginx listens on 127.0.0.1 only, so it shares the port with no
other test's server. Everything else is the chart as rendered.

    helm install ... --post-renderer host_network.py --post-renderer-args HOST:PORT
"""
import sys

import yaml

LISTEN = "listen 8443 ssl;"


def fit(doc, apiserver_host, apiserver_port):
    kind = doc.get("kind")
    if kind == "Deployment":
        spec = doc["spec"]["template"]["spec"]
        spec["hostNetwork"] = True
        spec["dnsPolicy"] = "Default"  # the host's resolv.conf; there is no cluster DNS
        for container in spec["containers"]:
            if container["name"] == "operator":
                # Set in the spec, these win over the ones kubelet derives from the "kubernetes"
                # Service, whose cluster IP nothing routes here.
                container.setdefault("env", []).extend([
                    {"name": "KUBERNETES_SERVICE_HOST", "value": apiserver_host},
                    {"name": "KUBERNETES_SERVICE_PORT", "value": apiserver_port}])
    elif kind == "ConfigMap" and "listen.conf" in doc.get("data", {}):
        text = doc["data"]["listen.conf"]
        if LISTEN not in text:
            sys.exit(f"host_network.py: the chart's listen.conf no longer says {LISTEN!r}")
        doc["data"]["listen.conf"] = text.replace(LISTEN, "listen 127.0.0.1:8443 ssl;")
    return doc


def main():
    host, _, port = sys.argv[1].rpartition(":")
    docs = [fit(d, host, port) for d in yaml.safe_load_all(sys.stdin) if d]
    yaml.safe_dump_all(docs, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main()
