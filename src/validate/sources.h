// The two network seams gathering needs besides DNS: fetching the policy file and talking
// SMTP to one MX address. The production implementations wrap src/probe (probe_sources.h);
// tests substitute their own. Implementations must be thread-safe: one run checks many domains
// at once.
#pragma once

#include <chrono>
#include <string_view>

#include "validate/observations.h"

namespace mtasts::validate {

// When a domain's check must be over (steady clock): every source stops waiting by then.
using Deadline = std::chrono::steady_clock::time_point;

class PolicySource {
 public:
  virtual ~PolicySource() = default;
  // GET https://mta-sts.<domain>/.well-known/mta-sts.txt as a strict sender would.
  virtual PolicyFetchObservation Fetch(std::string_view domain, Deadline deadline) = 0;
};

class SmtpSource {
 public:
  virtual ~SmtpSource() = default;
  // Connect to `ip` port 25 (or the configured port), EHLO, STARTTLS with SNI `mx_host`, and
  // judge the certificate against `mx_host`.
  virtual SmtpObservation Probe(std::string_view mx_host, std::string_view ip,
                                Deadline deadline) = 0;
};

}  // namespace mtasts::validate
