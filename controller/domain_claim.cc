#include "controller/domain_claim.h"

#include <algorithm>
#include <tuple>

namespace mtasts::controller {

std::string DomainHolder(const std::vector<DomainClaim>& claims) {
  // The API server writes creationTimestamp as "YYYY-MM-DDTHH:MM:SSZ": text order is time order.
  const auto first = std::min_element(
      claims.begin(), claims.end(), [](const DomainClaim& a, const DomainClaim& b) {
        return std::tie(a.creation_timestamp, a.key) < std::tie(b.creation_timestamp, b.key);
      });
  return first == claims.end() ? "" : first->key;
}

void DomainClaims::Set(const std::string& domain, const DomainClaim& claim) {
  Remove(claim.key);
  std::lock_guard lock(mu_);
  by_domain_[domain].push_back(claim);
  domain_of_[claim.key] = domain;
}

void DomainClaims::Remove(const std::string& key) {
  std::lock_guard lock(mu_);
  const auto it = domain_of_.find(key);
  if (it == domain_of_.end()) return;
  std::vector<DomainClaim>& claims = by_domain_[it->second];
  std::erase_if(claims, [&](const DomainClaim& c) { return c.key == key; });
  if (claims.empty()) by_domain_.erase(it->second);
  domain_of_.erase(it);
}

std::string DomainClaims::Holder(const std::string& domain) const {
  std::lock_guard lock(mu_);
  const auto it = by_domain_.find(domain);
  return it == by_domain_.end() ? "" : DomainHolder(it->second);
}

std::vector<std::string> DomainClaims::Claimants(const std::string& domain) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> keys;
  if (const auto it = by_domain_.find(domain); it != by_domain_.end()) {
    for (const DomainClaim& c : it->second) keys.push_back(c.key);
  }
  return keys;
}

std::vector<std::string> DomainClaims::Domains() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> domains;
  for (const auto& [domain, claims] : by_domain_) domains.push_back(domain);
  return domains;
}

std::string DomainClaims::DomainOf(const std::string& key) const {
  std::lock_guard lock(mu_);
  const auto it = domain_of_.find(key);
  return it == domain_of_.end() ? "" : it->second;
}

}  // namespace mtasts::controller
