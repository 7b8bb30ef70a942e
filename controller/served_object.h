// What a policy ConfigMap or a certificate Secret asks the syncer to serve, read from the object
// as the API server sends it (names.h has the labels, annotations and keys), and the small form the
// syncer's informers cache in its place. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "k8s/client.h"

namespace mtasts::controller {

// "namespace/name" of an object.
std::string ObjectKey(const k8s::Object& obj);

// The host and the policy an object is served for, from its annotations.
struct ServedFor {
  std::string host;        // mtasts.io/policy-host, one the policy server admits
  std::string policy_key;  // mtasts.io/policy when it is "namespace/name", else ""
};
// kInvalidArgument when the host annotation is absent or names a host the server cannot serve.
StatusOr<ServedFor> ReadServedFor(const k8s::Object& obj);

// The policy file of a ConfigMap: data["mta-sts.txt"], as is.
StatusOr<std::string> ReadPolicyFile(const k8s::Object& config_map);

// The certificate chain and private key of a kubernetes.io/tls Secret: data["tls.crt"] and
// data["tls.key"], decoded from base64 (whether they are a good pair is tls_pair.h's to say).
struct TlsPair {
  std::string chain_pem;
  std::string key_pem;
};
StatusOr<TlsPair> ReadTlsPair(const k8s::Object& secret);

// What the syncer's informers keep of an object instead of the object: of its metadata only what
// the syncer reads again (name, namespace, resourceVersion and the mtasts.io annotations), plus
// "digest": `digest` of the bytes it asked to serve. Never its data: with 10,000 policies every
// byte kept per object costs 20 KB.
k8s::Object CachedForm(const k8s::Object& obj, std::string_view digest);

}  // namespace mtasts::controller
