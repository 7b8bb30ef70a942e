// Two MtaStsPolicies claiming one domain: the one created first keeps it (ties broken by
// namespace/name, so every replica and every restart picks the same one); the other writes
// nothing and says why. Pure; thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace mtasts::controller {

struct DomainClaim {
  std::string key;                 // "namespace/name" of the policy
  std::string creation_timestamp;  // metadata.creationTimestamp (RFC 3339, UTC, whole seconds)
};

// The key of the policy that holds the domain, or "" when there is no claim.
std::string DomainHolder(const std::vector<DomainClaim>& claims);

// The claims of every cached policy, by domain, kept up to date from the policy informer's
// events, so deciding a holder costs the claims of one domain, not a scan of every policy.
// Thread-safe.
class DomainClaims {
 public:
  // Records that `claim.key` claims `domain` (replacing what it claimed before).
  void Set(const std::string& domain, const DomainClaim& claim);
  void Remove(const std::string& key);
  std::string Holder(const std::string& domain) const;
  // Every policy claiming `domain` (to re-decide them all when one comes or goes).
  std::vector<std::string> Claimants(const std::string& domain) const;
  // Every domain claimed, sorted.
  std::vector<std::string> Domains() const;
  // The domain `key` claims, "" if none.
  std::string DomainOf(const std::string& key) const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::vector<DomainClaim>> by_domain_;
  std::map<std::string, std::string> domain_of_;
};

}  // namespace mtasts::controller
