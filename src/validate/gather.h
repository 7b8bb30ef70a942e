// Gatherer: asks the world about one mail domain and writes down what it answered, as
// Observations. All I/O of a check happens here, through injected seams (a dns::Resolver, a
// PolicySource, an SmtpSource, a Clock); nothing here judges. The checks (checks.h) judge.
// GatherLimits bound what one domain can cost, whatever its DNS says: what they cut off is
// written down as skipped, so the checks can say the verdict is incomplete.
//
// Thread-safe when its collaborators are: one Gatherer serves all domains of a run.
#pragma once

#include <string_view>

#include "base/clock.h"
#include "dns/resolver.h"
#include "validate/observations.h"
#include "validate/sources.h"

namespace mtasts::validate {

struct GatherLimits {
  std::chrono::seconds deadline{60};  // for the whole check of one domain, every step included
  size_t max_mx_hosts = 16;           // probed, in priority order
  size_t max_addresses = 8;           // probed per MX host
};

class Gatherer {
 public:
  Gatherer(dns::Resolver& resolver, PolicySource& fetcher, SmtpSource& prober, const Clock& clock,
           GatherLimits limits = {})
      : resolver_(resolver), fetcher_(fetcher), prober_(prober), clock_(clock), limits_(limits) {}

  // `domain` is the mail domain (the policy domain), e.g. "example.com".
  Observations Gather(std::string_view domain);

 private:
  TxtObservation GatherTxt(const std::string& name);
  void GatherMx(Observations& obs, Deadline deadline);
  MxHostObservation GatherMxHost(const MxEntry& mx, Deadline deadline, Observations& obs);
  // True, and `what` written down as skipped, once the deadline has passed.
  bool OutOfTime(Deadline deadline, std::string what, Observations& obs) const;

  dns::Resolver& resolver_;
  PolicySource& fetcher_;
  SmtpSource& prober_;
  const Clock& clock_;
  GatherLimits limits_;
};

}  // namespace mtasts::validate
