// The production PolicySource and SmtpSource: src/probe's strict-sender network code, with its
// results written down as Observations. Thread-safe: both wrap const probe objects.
#pragma once

#include <string_view>

#include "probe/policy_fetcher.h"
#include "probe/smtp_prober.h"
#include "validate/sources.h"

namespace mtasts::validate {

class ProbePolicySource final : public PolicySource {
 public:
  explicit ProbePolicySource(const probe::PolicyFetcher& fetcher) : fetcher_(fetcher) {}
  PolicyFetchObservation Fetch(std::string_view domain, Deadline deadline) override;

 private:
  const probe::PolicyFetcher& fetcher_;
};

class ProbeSmtpSource final : public SmtpSource {
 public:
  explicit ProbeSmtpSource(const probe::SmtpProber& prober) : prober_(prober) {}
  SmtpObservation Probe(std::string_view mx_host, std::string_view ip, Deadline deadline) override;

 private:
  const probe::SmtpProber& prober_;
};

}  // namespace mtasts::validate
