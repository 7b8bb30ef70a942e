"""A small Kubernetes API client for the benchmark's helpers: the admin kubeconfig of the local
control plane (client certificate, embedded data), one keep-alive connection per thread, paged
lists and watches. Standard library only, so Debian's /usr/bin/python3 runs it."""

import base64
import http.client
import json
import os
import ssl
import tempfile
import threading
import time
import urllib.parse

import yaml

POLICIES = "/apis/mtasts.io/v1alpha1/mtastspolicies"
CERTIFICATES = "/apis/cert-manager.io/v1/certificates"
DNS_ENDPOINTS = "/apis/externaldns.k8s.io/v1alpha1/dnsendpoints"
CONFIG_MAPS = "/api/v1/configmaps"
SECRETS = "/api/v1/secrets"
EVENTS = "/api/v1/events"

MANAGED = "app.kubernetes.io/managed-by=mta-sts-operator"


def namespaced(collection, ns, name=""):
    """/api/v1/configmaps, "ns", "x" -> /api/v1/namespaces/ns/configmaps/x."""
    prefix, _, resource = collection.rpartition("/")
    path = f"{prefix}/namespaces/{ns}/{resource}"
    return f"{path}/{name}" if name else path


class ApiError(Exception):
    def __init__(self, status, method, path, body):
        super().__init__(f"{method} {path}: HTTP {status}: {body[:300]!r}")
        self.status = status


class Kube:
    def __init__(self, kubeconfig):
        with open(kubeconfig) as f:
            config = yaml.safe_load(f)
        cluster = config["clusters"][0]["cluster"]
        user = config["users"][0]["user"]
        url = urllib.parse.urlsplit(cluster["server"])
        self.host, self.port = url.hostname, url.port or 443
        self._files = tempfile.TemporaryDirectory(prefix="kube-")

        def write(name, data):
            path = os.path.join(self._files.name, name)
            with open(path, "wb") as f:
                f.write(base64.b64decode(data))
            return path

        self.context = ssl.create_default_context(
            cafile=write("ca.crt", cluster["certificate-authority-data"]))
        self.context.load_cert_chain(write("client.crt", user["client-certificate-data"]),
                                     write("client.key", user["client-key-data"]))
        self._local = threading.local()

    def _connection(self, timeout=60):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = http.client.HTTPSConnection(self.host, self.port, context=self.context,
                                               timeout=timeout)
            self._local.conn = conn
        return conn

    def request(self, method, path, body=None, content_type="application/json", ok=(200, 201)):
        """The decoded answer; ApiError unless its status is in `ok`."""
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = content_type
        deadline = time.monotonic() + 60
        while True:
            conn = self._connection()
            try:
                conn.request(method, path, body=data, headers=headers)
                resp = conn.getresponse()
                raw = resp.read()
            except (http.client.HTTPException, OSError):
                # A pooled connection the server closed: again on a fresh one.
                conn.close()
                self._local.conn = None
                if time.monotonic() > deadline:
                    raise
                continue
            # 429 (a new CRD's storage initialising, or overload) and 5xx: as client-go, retried.
            if resp.status in (429, 500, 503, 504) and time.monotonic() < deadline:
                time.sleep(float(resp.getheader("Retry-After") or 1))
                continue
            if resp.status not in ok:
                raise ApiError(resp.status, method, path, raw.decode(errors="replace"))
            return json.loads(raw) if raw else None

    def list(self, collection, selector="", limit=500):
        """Every item and the list's resourceVersion."""
        items, token = [], ""
        while True:
            query = {"limit": limit}
            if selector:
                query["labelSelector"] = selector
            if token:
                query["continue"] = token
            page = self.request("GET", f"{collection}?{urllib.parse.urlencode(query)}")
            items.extend(page["items"])
            token = page["metadata"].get("continue", "")
            if not token:
                return items, page["metadata"]["resourceVersion"]

    def resource_version(self, collection):
        """The collection's resourceVersion now: where a watch of what happens next starts."""
        return self.request("GET", f"{collection}?limit=1")["metadata"]["resourceVersion"]

    def watch(self, collection, resource_version, on_event, stop, selector=""):
        """Calls on_event(type, object) for each event after resource_version until stop is set;
        resumes from the last version seen when the server ends a watch. Bookmarks only advance
        the version. Raises ApiError when the version is gone (410)."""
        while not stop.is_set():
            query = {"watch": "1", "resourceVersion": resource_version,
                     "allowWatchBookmarks": "true", "timeoutSeconds": "60"}
            if selector:
                query["labelSelector"] = selector
            conn = http.client.HTTPSConnection(self.host, self.port, context=self.context,
                                               timeout=90)
            try:
                conn.request("GET", f"{collection}?{urllib.parse.urlencode(query)}",
                             headers={"Accept": "application/json"})
                resp = conn.getresponse()
                if resp.status in (429, 500, 503, 504):
                    time.sleep(1)
                    continue
                if resp.status != 200:
                    raise ApiError(resp.status, "WATCH", collection, resp.read().decode())
                while not stop.is_set():
                    line = resp.readline()
                    if not line:
                        break
                    event = json.loads(line)
                    if event["type"] == "ERROR":
                        raise ApiError(event["object"].get("code", 0), "WATCH", collection,
                                       json.dumps(event["object"]))
                    resource_version = event["object"]["metadata"]["resourceVersion"]
                    if event["type"] != "BOOKMARK":
                        on_event(event["type"], event["object"])
            finally:
                conn.close()
