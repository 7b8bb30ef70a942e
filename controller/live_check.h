// The enforce gates' look at a live domain: the checks of `mtasts check`, run by the operator
// against the domain as a sender sees it (DNS, the policy host over HTTPS, STARTTLS on every MX
// address), so the operator and `mtasts check` never disagree. Unlike a person's check, a
// special-purpose address is an error, never a connection (unless --allow-private-addresses),
// and nothing is remembered between two checks. Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "base/clock.h"
#include "dns/resolver.h"
#include "probe/tls_client.h"
#include "validate/evaluate.h"

namespace mtasts::controller {

struct LiveCheckSettings {
  int https_port = 443;
  int smtp_port = 25;
  bool allow_private_addresses = false;
  std::chrono::seconds step_timeout{10};  // one connection, one reply
  std::chrono::seconds deadline{60};      // the whole domain
};

class LiveChecker {
 public:
  LiveChecker(dns::Resolver& resolver, std::shared_ptr<const probe::TlsClient> tls,
              const Clock& clock, LiveCheckSettings settings);

  // `min_cert_validity`: how long an MX certificate must stay valid (rollout.minCertValidity).
  validate::Report Check(const std::string& domain, std::chrono::seconds min_cert_validity) const;

 private:
  dns::Resolver& resolver_;
  std::shared_ptr<const probe::TlsClient> tls_;
  const Clock& clock_;
  LiveCheckSettings settings_;
};

}  // namespace mtasts::controller
