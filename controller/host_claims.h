// HostClaims: which objects claim which policy host, for one kind of served file (policies from
// ConfigMaps, or certificates from Secrets). Usually one object claims a host; for a while two may
// (a domain handed from one policy to another). The host's file then holds the bytes of the
// claimant written last, and it goes only when the last claimant goes. Pure bookkeeping, decided
// here once; the syncer does the writing. Thread-compatible.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mtasts::controller {

class HostClaims {
 public:
  // A host that lost a claimant, and what its file must become.
  struct Vacated {
    std::string host;
    // The claimant whose bytes the file must hold now, or "" when nothing claims the host any
    // more: remove its file.
    std::string successor;
    friend bool operator==(const Vacated&, const Vacated&) = default;
  };

  // `key` ("namespace/name") claims `host` from now on. A claim it held on another host ends;
  // what that means for that host is returned (nullopt: nothing to do there).
  std::optional<Vacated> Claim(const std::string& key, const std::string& host);
  // The file of the host `key` claims now holds key's bytes.
  void MarkServed(const std::string& key);
  // `key` claims nothing any more (it was deleted, lost its label, or names a bad host).
  std::optional<Vacated> Drop(const std::string& key);

  bool IsClaimed(const std::string& host) const { return claimants_.contains(host); }
  // The host `key` claims, or "".
  std::string HostOf(const std::string& key) const;

 private:
  std::unordered_map<std::string, std::string> host_of_;  // key -> host
  // host -> the keys claiming it; the back one's bytes are in the file (when any are).
  std::unordered_map<std::string, std::vector<std::string>> claimants_;
};

}  // namespace mtasts::controller
