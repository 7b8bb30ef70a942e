#include "controller/served_object.h"

#include "controller/names.h"
#include "controller/serve_dir.h"
#include "k8s/base64.h"

namespace mtasts::controller {
namespace {

const k8s::Object& Field(const k8s::Object& obj, const char* name) {
  static const k8s::Object kAbsent;
  if (!obj.is_object()) return kAbsent;
  auto it = obj.find(name);
  return it == obj.end() ? kAbsent : *it;
}

std::string Annotation(const k8s::Object& obj, std::string_view name) {
  const k8s::Object& annotations = Field(Field(obj, "metadata"), "annotations");
  if (!annotations.is_object()) return "";
  auto it = annotations.find(name);
  return it != annotations.end() && it->is_string() ? it->get<std::string>() : "";
}

// A DNS-1123 label (namespace) or subdomain (name): what a policy key's parts can be.
bool IsNamePart(std::string_view part, size_t max) {
  return !part.empty() && part.size() <= max &&
         part.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") == std::string_view::npos;
}

bool IsPolicyKey(std::string_view key) {
  size_t slash = key.find('/');
  return slash != std::string_view::npos && IsNamePart(key.substr(0, slash), 63) &&
         key.substr(0, slash).find('.') == std::string_view::npos &&
         IsNamePart(key.substr(slash + 1), 253);
}

// data[name] of a Secret, decoded.
StatusOr<std::string> SecretValue(const k8s::Object& secret, const char* name) {
  const k8s::Object& value = Field(Field(secret, "data"), name);
  if (!value.is_string()) {
    return InvalidArgumentError(std::string("the Secret has no data key ") + name);
  }
  auto decoded = k8s::Base64Decode(value.get<std::string>());
  if (!decoded.ok()) {
    return InvalidArgumentError(std::string("data key ") + name + " is not base64");
  }
  return std::move(decoded).value();
}

}  // namespace

std::string ObjectKey(const k8s::Object& obj) {
  const k8s::Object& meta = Field(obj, "metadata");
  std::string ns = meta.is_object() ? meta.value("namespace", "") : "";
  std::string name = meta.is_object() ? meta.value("name", "") : "";
  return ns + "/" + name;
}

StatusOr<ServedFor> ReadServedFor(const k8s::Object& obj) {
  ServedFor served{Annotation(obj, kPolicyHostAnnotation), Annotation(obj, kPolicyKeyAnnotation)};
  if (served.host.empty()) {
    return InvalidArgumentError("annotation " + std::string(kPolicyHostAnnotation) +
                                " is missing: it names the host to serve");
  }
  Status host = CheckPolicyHost(served.host);
  if (!host.ok()) {
    return InvalidArgumentError("annotation " + std::string(kPolicyHostAnnotation) + ": " +
                                host.message());
  }
  if (!IsPolicyKey(served.policy_key)) served.policy_key.clear();
  return served;
}

StatusOr<std::string> ReadPolicyFile(const k8s::Object& config_map) {
  const k8s::Object& value = Field(Field(config_map, "data"), std::string(kPolicyFileKey).c_str());
  if (!value.is_string()) {
    return InvalidArgumentError("the ConfigMap has no data key " + std::string(kPolicyFileKey));
  }
  return value.get<std::string>();
}

StatusOr<TlsPair> ReadTlsPair(const k8s::Object& secret) {
  TlsPair pair;
  ASSIGN_OR_RETURN(pair.chain_pem, SecretValue(secret, "tls.crt"));
  ASSIGN_OR_RETURN(pair.key_pem, SecretValue(secret, "tls.key"));
  return pair;
}

k8s::Object CachedForm(const k8s::Object& obj, std::string_view digest) {
  const k8s::Object& meta = Field(obj, "metadata");
  k8s::Object kept = k8s::Object::object();
  for (const char* field : {"name", "namespace", "resourceVersion"}) {
    if (const k8s::Object& value = Field(meta, field); !value.is_null()) kept[field] = value;
  }
  for (std::string_view name : {kPolicyHostAnnotation, kPolicyKeyAnnotation}) {
    std::string value = Annotation(obj, name);
    if (!value.empty()) kept["annotations"][std::string(name)] = value;
  }
  return {{"metadata", std::move(kept)}, {"digest", std::string(digest)}};
}

}  // namespace mtasts::controller
