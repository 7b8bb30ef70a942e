#include "validate/probe_sources.h"

#include <string>

#include "probe/certificate.h"

namespace mtasts::validate {

PolicyFetchObservation ProbePolicySource::Fetch(std::string_view domain, Deadline deadline) {
  const probe::PolicyFetchResult r = fetcher_.Fetch(domain, deadline);
  PolicyFetchObservation obs;
  obs.url = r.url;
  obs.error = r.detail;
  obs.private_range = r.private_range;
  obs.cert = r.tls;
  obs.http_status = r.status;
  obs.content_type = r.content_type;
  obs.location = r.location;
  obs.body = r.body;
  using F = probe::FetchFailure;
  using O = PolicyFetchObservation::Failure;
  switch (r.failure) {
    case F::kNone:
    case F::kHttpStatus:    // the checks judge the status
    case F::kNotTextPlain:  // and the media type
      obs.failure = O::kNone;
      break;
    case F::kNoAddress:
      obs.failure = O::kResolve;
      break;
    case F::kPrivateAddress:
      obs.failure = O::kPrivateAddress;
      break;
    case F::kDnsTemporary:
      obs.failure = O::kResolveTemporary;
      break;
    case F::kConnectFailed:
    case F::kTimeout:
    case F::kTlsHandshake:
      obs.failure = O::kConnect;
      break;
    case F::kCertUntrusted:
    case F::kCertNameMismatch:
    case F::kCertExpired:
      obs.failure = O::kCertificate;
      break;
    case F::kMalformedHttp:
      obs.failure = O::kHttp;
      break;
    case F::kBodyTooLarge:
      obs.failure = O::kTooLarge;
      break;
  }
  return obs;
}

SmtpObservation ProbeSmtpSource::Probe(std::string_view mx_host, std::string_view ip,
                                       Deadline deadline) {
  const probe::SmtpProbeResult r = prober_.Probe(mx_host, ip, deadline);
  SmtpObservation obs;
  obs.ip = std::string(ip);
  obs.private_range = r.private_range;
  using F = probe::SmtpFailure;
  obs.connected = r.failure != F::kConnectFailed;
  obs.starttls_offered = r.starttls_advertised && r.failure != F::kNoStarttls;
  if (r.tls) {
    obs.tls_version = r.tls->version;
    obs.cert = r.tls;
  }
  switch (r.failure) {
    case F::kNone:
    case F::kNoStarttls:
    case F::kCertUntrusted:  // the certificate checks judge these from the facts
    case F::kCertNameMismatch:
    case F::kCertExpired:
      break;
    case F::kPrivateAddress:
      obs.refused = true;
      break;
    case F::kTlsVersionTooOld:
      obs.tls_version = r.legacy_tls_version;
      break;
    case F::kConnectFailed:
    case F::kTimeout:
    case F::kProtocolError:
    case F::kPipelinedBytes:
    case F::kStartTlsInjection:
    case F::kTlsHandshake:
    case F::kEhloAfterTls:
      obs.error = std::string(probe::SmtpFailureName(r.failure)) + ": " + r.detail;
      break;
  }
  return obs;
}

}  // namespace mtasts::validate
