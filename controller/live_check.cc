#include "controller/live_check.h"

#include "probe/policy_fetcher.h"
#include "probe/smtp_prober.h"
#include "validate/gather.h"
#include "validate/probe_sources.h"

namespace mtasts::controller {

LiveChecker::LiveChecker(dns::Resolver& resolver, std::shared_ptr<const probe::TlsClient> tls,
                         const Clock& clock, LiveCheckSettings settings)
    : resolver_(resolver), tls_(std::move(tls)), clock_(clock), settings_(settings) {}

validate::Report LiveChecker::Check(const std::string& domain,
                                    std::chrono::seconds min_cert_validity) const {
  const probe::PrivateAddresses private_addresses = settings_.allow_private_addresses
                                                        ? probe::PrivateAddresses::kAllow
                                                        : probe::PrivateAddresses::kRefuse;
  probe::PolicyFetchOptions fetch;
  fetch.port = static_cast<uint16_t>(settings_.https_port);
  fetch.timeout = settings_.step_timeout;
  fetch.private_addresses = private_addresses;
  probe::SmtpProbeOptions smtp;
  smtp.port = static_cast<uint16_t>(settings_.smtp_port);
  smtp.connect_timeout = settings_.step_timeout;
  smtp.step_timeout = settings_.step_timeout;
  smtp.min_validity = min_cert_validity;
  smtp.private_addresses = private_addresses;
  const probe::PolicyFetcher fetcher(resolver_, tls_, fetch);
  const probe::SmtpProber prober(tls_, smtp);
  validate::ProbePolicySource policy_source(fetcher);
  validate::ProbeSmtpSource smtp_source(prober);
  validate::GatherLimits limits;
  limits.deadline = settings_.deadline;
  validate::Gatherer gatherer(resolver_, policy_source, smtp_source, clock_, limits);
  validate::CheckOptions options;
  options.min_cert_validity = std::chrono::duration_cast<std::chrono::hours>(min_cert_validity);
  return validate::Evaluate(gatherer.Gather(domain), options);
}

}  // namespace mtasts::controller
