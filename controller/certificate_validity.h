// DESIGN I4 for the policy host: how long the certificate every serve endpoint presents for
// mta-sts.<domain> stays valid. A sender refuses an expired one exactly as it refuses none, so the
// warning starts 30 days ahead, while cert-manager (or a person) can still renew it; the syncer
// never writes an expired one (tls_pair.h). Pure; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "controller/announce.h"
#include "controller/conditions.h"

namespace mtasts::controller {

inline constexpr std::chrono::hours kCertificateWarning{30 * 24};

// The CertificateValid verdict from the certificates the endpoints presented (the earliest end of
// validity counts), or nullopt when no handshake completed: nothing is known.
std::optional<Verdict> JudgeCertificateValidity(const std::vector<EndpointResult>& results,
                                                const std::string& policy_host,
                                                Clock::TimePoint now);

}  // namespace mtasts::controller
