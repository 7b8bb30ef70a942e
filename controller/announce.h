// Serve first, announce second (RFC 8461 §3.3, DESIGN I2): which policy id belongs to the served
// bytes, when it may go into DNS, and whether DNS answers what was meant. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "dns/resolver.h"

namespace mtasts::controller {

// The id of `bytes`: the first of the ids announced before (status, then the DNSEndpoint) that
// was made for exactly these bytes, else a new one made `now`. So the id changes if and only if
// the bytes change, across restarts and a crash between announcing and writing status.
std::string IdFor(const std::string& bytes, const std::vector<std::optional<std::string>>& known,
                  Clock::TimePoint now);

// What one serve endpoint answered for the policy host.
struct EndpointResult {
  std::string endpoint;  // "HOST:PORT"
  bool serves = false;   // the exact bytes, with a certificate that verifies
  std::string reason;    // why not, readable
  // The end of validity of the certificate it presented, when a handshake completed.
  std::optional<Clock::TimePoint> not_after;
};

// The first endpoint that does not serve the bytes, or none when every endpoint does. No
// endpoint at all is never "served".
std::optional<EndpointResult> FirstNotServing(const std::vector<EndpointResult>& results);

// The id the DNSEndpoint carries: the new id once every endpoint serves its bytes; until then
// whatever is announced now: the old id stays (senders that cached the old policy keep it, which
// is safe), and before the first announcement there is no record at all.
std::optional<std::string> IdToAnnounce(bool served_everywhere, const std::string& id,
                                        const std::optional<std::string>& announced);

// What DNS answers for _mta-sts.<domain>, against the record the operator announced.
struct Publication {
  enum class State {
    kPublished,     // exactly one v=STSv1 record, and it is `expected`
    kNotYet,        // an answer without it: the provider has not caught up, or got it wrong
    kLookupFailed,  // could not ask (SERVFAIL, timeout...): decide nothing
  };
  State state = State::kNotYet;
  std::string message;  // names what DNS answered and what was expected
};
Publication JudgePublication(const dns::TxtAnswer& answer, const std::string& expected);

// On removal: DNS no longer answers `record` (the one the operator announced last). A lookup that
// failed proves nothing and is not withdrawn; records another writer keeps there do not hold the
// removal up.
bool Withdrawn(const dns::TxtAnswer& answer, const std::string& record);

}  // namespace mtasts::controller
