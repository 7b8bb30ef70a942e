"""A small Kubernetes API client for the operator's test world: what the CA issuer and the tests
need and no more (requests, server-side apply, list and watch), on the standard library.

One Client per process; it is thread-safe: each thread gets its own keep-alive connection. A
connection that the server closed (kube-apiserver restarted) is opened again and the request sent
once more, as long as the failure came before any answer.
"""
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

APPLY = "application/apply-patch+yaml"
MERGE = "application/merge-patch+json"
METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
METADATA = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"


class ApiError(Exception):
    """An answer other than 2xx: its status code and the server's message."""

    def __init__(self, status, message):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status


def _material(entry, key, scratch, name):
    """The file of a kubeconfig item given as `key` (a path) or `key-data` (base64)."""
    if entry.get(key + "-data"):
        path = os.path.join(scratch, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(entry[key + "-data"]))
        return path
    return entry.get(key)


class Client:
    def __init__(self, kubeconfig, timeout=30):
        with open(kubeconfig) as f:
            config = yaml.safe_load(f)
        context = _named(config["contexts"], config["current-context"])["context"]
        cluster = _named(config["clusters"], context["cluster"])["cluster"]
        user = _named(config["users"], context["user"])["user"]
        url = urllib.parse.urlsplit(cluster["server"])
        self.host, self.port = url.hostname, url.port or 443
        self.timeout = timeout
        self.token = user.get("token")
        # The client key must be a file for ssl; it lives only as long as the context is built.
        with tempfile.TemporaryDirectory() as scratch:
            self.context = ssl.create_default_context(
                cafile=_material(cluster, "certificate-authority", scratch, "ca.crt"))
            cert = _material(user, "client-certificate", scratch, "client.crt")
            if cert:
                self.context.load_cert_chain(
                    cert, _material(user, "client-key", scratch, "client.key"))
        self.local = threading.local()
        self.lock, self.connections = threading.Lock(), []

    def _connection(self, fresh=False):
        conn = getattr(self.local, "conn", None)
        if fresh or conn is None:
            with self.lock:
                if conn is not None:
                    conn.close()
                    self.connections.remove(conn)
                conn = http.client.HTTPSConnection(self.host, self.port, context=self.context,
                                                   timeout=self.timeout)
                self.connections.append(conn)
            self.local.conn = conn
        return conn

    def close(self):
        """Closes the keep-alive connection of every thread."""
        with self.lock:
            for conn in self.connections:
                conn.close()

    def _headers(self, content_type=None, accept="application/json"):
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        return headers

    def request(self, method, path, body=None, content_type="application/json",
                accept="application/json", query=None):
        """The decoded JSON answer; ApiError for any non-2xx status."""
        if query:
            path += "?" + urllib.parse.urlencode(query)
        data = None if body is None else json.dumps(body).encode()
        headers = self._headers(content_type if data is not None else None, accept)
        for attempt in (0, 1):
            conn = self._connection(fresh=attempt == 1)
            try:
                conn.request(method, path, body=data, headers=headers)
                resp = conn.getresponse()
                payload = resp.read()
                break
            except (OSError, http.client.HTTPException):  # ssl errors are OSErrors
                if attempt == 1:
                    raise
        if resp.status // 100 != 2:
            try:
                message = json.loads(payload).get("message", "")
            except ValueError:
                message = payload[:200].decode("utf-8", "replace")
            raise ApiError(resp.status, message)
        return json.loads(payload) if payload else None

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def apply(self, path, obj, manager, force=True):
        """Server-side apply of obj at path (the object's own URL)."""
        query = {"fieldManager": manager}
        if force:
            query["force"] = "true"
        return self.request("PATCH", path, obj, content_type=APPLY, query=query)

    def merge_patch(self, path, patch, manager):
        return self.request("PATCH", path, patch, content_type=MERGE,
                            query={"fieldManager": manager})

    def list(self, path, query=None, accept="application/json", page=500):
        """(items, resourceVersion) of a collection, read page by page."""
        items, token = [], None
        while True:
            q = dict(query or {}, limit=str(page))
            if token:
                q["continue"] = token
            answer = self.get(path, query=q, accept=accept)
            items += answer.get("items") or []
            token = answer["metadata"].get("continue")
            if not token:
                return items, answer["metadata"]["resourceVersion"]

    def watch(self, path, resource_version, query=None, accept="application/json", seconds=60):
        """Yields watch events ({type, object}) from resource_version until the server ends the
        watch (about `seconds`) or the connection breaks; bookmarks included."""
        q = dict(query or {}, watch="true", resourceVersion=resource_version,
                 allowWatchBookmarks="true", timeoutSeconds=str(seconds))
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.context,
                                           timeout=seconds + 15)
        try:
            conn.request("GET", path + "?" + urllib.parse.urlencode(q),
                         headers=self._headers(accept=accept))
            resp = conn.getresponse()
            if resp.status != 200:
                raise ApiError(resp.status, resp.read()[:200].decode("utf-8", "replace"))
            while True:
                line = resp.readline()
                if not line:
                    return
                yield json.loads(line)
        finally:
            conn.close()


def _named(entries, name):
    for entry in entries:
        if entry["name"] == name:
            return entry
    raise ValueError(f"kubeconfig names '{name}' but does not define it")


def object_path(api_version, plural, namespace, name=None, subresource=None):
    """/api/v1/namespaces/NS/PLURAL[/NAME[/SUB]] or /apis/GROUP/VERSION/..."""
    base = "/api/" + api_version if "/" not in api_version else "/apis/" + api_version
    path = f"{base}/namespaces/{namespace}/{plural}" if namespace else f"{base}/{plural}"
    if name:
        path += "/" + name
    if subresource:
        path += "/" + subresource
    return path


class Informer:
    """Every object of one collection in memory: listed, then watched; listed again after any
    break (a restarted kube-apiserver, an expired resourceVersion). on_change(key, obj) is called
    for each object added, changed or deleted (obj: its last state). Thread-safe."""

    def __init__(self, client, path, on_change, query=None, metadata_only=False, log=print):
        self.client, self.path, self.on_change, self.query = client, path, on_change, query
        self.list_accept = METADATA_LIST if metadata_only else "application/json"
        self.watch_accept = METADATA if metadata_only else "application/json"
        self.log = log
        self.lock = threading.Lock()
        self.objects = {}
        self.synced = threading.Event()

    def get(self, key):
        with self.lock:
            return self.objects.get(key)

    def keys(self):
        with self.lock:
            return list(self.objects)

    def update(self, key, obj):
        """Records what this process just wrote, unless the cache already holds a newer state."""
        with self.lock:
            if _newer(obj, self.objects.get(key)):
                self.objects[key] = obj

    def list_once(self):
        """Lists the collection into the cache; the resourceVersion to watch from."""
        items, version = self.client.list(self.path, self.query, accept=self.list_accept)
        fresh = {_key(o): o for o in items}
        with self.lock:
            old, self.objects = self.objects, fresh
        self.synced.set()
        for key in old.keys() - fresh.keys():
            self.on_change(key, old[key])
        for key, obj in fresh.items():
            if _version(old.get(key)) != _version(obj):
                self.on_change(key, obj)
        return version

    def run(self):
        """List, then watch, for ever (run it in a daemon thread)."""
        backoff = 0.2
        while True:
            try:
                version = self.list_once()
                backoff = 0.2
                while True:
                    for event in self.client.watch(self.path, version, self.query,
                                                   accept=self.watch_accept):
                        version = self._apply(event) or version
            except Exception as e:  # noqa: BLE001 - any break: list again
                self.log(f"{self.path}: {e}; listing again in {backoff:.1f} s")
                time.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    def _apply(self, event):
        kind, obj = event.get("type"), event.get("object") or {}
        if kind == "ERROR":
            raise ApiError(obj.get("code", 0), obj.get("message", "watch error"))
        version = obj.get("metadata", {}).get("resourceVersion")
        if kind == "BOOKMARK":
            return version
        key = _key(obj)
        with self.lock:
            if kind == "DELETED":
                self.objects.pop(key, None)
            else:
                self.objects[key] = obj
        self.on_change(key, obj)
        return version


def _key(obj):
    meta = obj["metadata"]
    return f"{meta.get('namespace', '')}/{meta['name']}"


def _version(obj):
    return None if obj is None else obj["metadata"].get("resourceVersion")


def _newer(obj, than):
    """Whether obj is at least as new as than (resourceVersions compare as integers on etcd)."""
    try:
        return than is None or int(_version(obj)) >= int(_version(than))
    except (TypeError, ValueError):
        return True
