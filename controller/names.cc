#include "controller/names.h"

#include "policy/policy_id.h"

namespace mtasts::controller {
namespace {

// Longest name of a namespaced object (a DNS-1123 subdomain).
constexpr size_t kMaxObjectName = 253;

std::string ChildName(std::string_view policy_name, std::string_view suffix) {
  std::string name(policy_name);
  name.append("-").append(suffix);
  if (name.size() <= kMaxObjectName) return name;
  // "<prefix>-<8 hex>-<suffix>": the hash keeps two long names that share a prefix apart.
  const std::string digest = policy::ContentDigest(policy_name);
  const size_t keep = kMaxObjectName - digest.size() - suffix.size() - 2;
  std::string prefix(policy_name.substr(0, keep));
  // A name may not end in '-' or '.' before the separator we add.
  while (!prefix.empty() && (prefix.back() == '-' || prefix.back() == '.')) prefix.pop_back();
  return prefix + "-" + digest + "-" + std::string(suffix);
}

}  // namespace

std::string ContentSelector(std::string_view content) {
  return std::string(kManagedByLabel) + "=" + std::string(kManagedByValue) + "," +
         std::string(kContentLabel) + "=" + std::string(content);
}

std::string PolicyHost(std::string_view domain) { return "mta-sts." + std::string(domain); }

std::string ConfigMapName(std::string_view policy_name) {
  return ChildName(policy_name, "mta-sts-policy");
}
std::string CertificateName(std::string_view policy_name) {
  return ChildName(policy_name, "mta-sts");
}
std::string SecretName(std::string_view policy_name) {
  return ChildName(policy_name, "mta-sts-tls");
}
std::string DnsEndpointName(std::string_view policy_name) {
  return ChildName(policy_name, "mta-sts");
}
std::string ReportsConfigMapName(std::string_view policy_name) {
  return ChildName(policy_name, "mta-sts-reports");
}

}  // namespace mtasts::controller
