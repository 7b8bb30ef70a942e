// Gatherer: asks the world about one mail domain and writes down what it answered, as
// Observations. All I/O of a check happens here, through injected seams (a dns::Resolver, a
// PolicySource, an SmtpSource, a Clock); nothing here judges. The checks (checks.h) judge.
//
// Thread-safe when its collaborators are: one Gatherer serves all domains of a run.
#pragma once

#include <string_view>

#include "base/clock.h"
#include "dns/resolver.h"
#include "validate/observations.h"
#include "validate/sources.h"

namespace mtasts::validate {

class Gatherer {
 public:
  Gatherer(dns::Resolver& resolver, PolicySource& fetcher, SmtpSource& prober, const Clock& clock)
      : resolver_(resolver), fetcher_(fetcher), prober_(prober), clock_(clock) {}

  // `domain` is the mail domain (the policy domain), e.g. "example.com".
  Observations Gather(std::string_view domain);

 private:
  TxtObservation GatherTxt(const std::string& name);
  void GatherMx(Observations& obs);
  MxHostObservation GatherMxHost(const MxEntry& mx);

  dns::Resolver& resolver_;
  PolicySource& fetcher_;
  SmtpSource& prober_;
  const Clock& clock_;
};

}  // namespace mtasts::validate
