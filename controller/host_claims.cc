#include "controller/host_claims.h"

#include <algorithm>

namespace mtasts::controller {

std::optional<HostClaims::Vacated> HostClaims::Claim(const std::string& key,
                                                     const std::string& host) {
  auto held = host_of_.find(key);
  if (held != host_of_.end() && held->second == host) return std::nullopt;
  std::optional<Vacated> vacated = Drop(key);
  host_of_[key] = host;
  // Not served yet: a newcomer goes to the front until its bytes are written (MarkServed).
  std::vector<std::string>& keys = claimants_[host];
  keys.insert(keys.begin(), key);
  return vacated;
}

void HostClaims::MarkServed(const std::string& key) {
  auto held = host_of_.find(key);
  if (held == host_of_.end()) return;
  std::vector<std::string>& keys = claimants_[held->second];
  auto it = std::find(keys.begin(), keys.end(), key);
  if (it != keys.end()) std::rotate(it, it + 1, keys.end());
}

std::optional<HostClaims::Vacated> HostClaims::Drop(const std::string& key) {
  auto held = host_of_.find(key);
  if (held == host_of_.end()) return std::nullopt;
  const std::string host = std::move(held->second);
  host_of_.erase(held);
  std::vector<std::string>& keys = claimants_[host];
  const bool was_served = !keys.empty() && keys.back() == key;
  keys.erase(std::remove(keys.begin(), keys.end(), key), keys.end());
  if (keys.empty()) {
    claimants_.erase(host);
    return Vacated{host, ""};
  }
  if (was_served) return Vacated{host, keys.back()};
  return std::nullopt;
}

std::string HostClaims::HostOf(const std::string& key) const {
  auto held = host_of_.find(key);
  return held == host_of_.end() ? "" : held->second;
}

}  // namespace mtasts::controller
