// Observations: everything gathered about one mail domain from the wire (DNS, the policy URL,
// every MX address), as plain data. Gathering fills it (gather.h); the checks read it and never
// do I/O themselves (checks.h), so a unit test can hand-make any situation. Value types;
// thread-compatible.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "probe/certificate.h"

namespace mtasts::validate {

using TimePoint = std::chrono::system_clock::time_point;

// How a DNS question was answered. NXDOMAIN and NODATA both mean "no record".
enum class Lookup { kFound, kNoRecords, kTemporaryFailure };

struct TxtObservation {
  std::string name;  // "_mta-sts.example.com"
  Lookup lookup = Lookup::kNoRecords;
  // Each RR as its character-strings, as published (selection joins them).
  std::vector<std::vector<std::string>> records;
  std::string error;  // for kTemporaryFailure: what the resolver said
};

struct MxEntry {
  std::string host;  // lower case, no trailing dot; "" for a null MX (RFC 7505 ".")
  int priority = 0;
};

// What a TLS peer presented: its leaf certificate and the chain verification's verdict, exactly
// as the probe saw them, so that probe::JudgeCertificate is the one judge of both.
using CertFacts = probe::TlsFacts;

// One SMTP conversation with one MX address: connect, EHLO, STARTTLS with SNI = MX host.
struct SmtpObservation {
  std::string ip;
  bool connected = false;         // TCP connection and a 220 greeting
  bool starttls_offered = false;  // STARTTLS advertised in EHLO and accepted
  // The version negotiated; for a server that speaks nothing newer than TLS 1.1, what it spoke.
  std::string tls_version;
  std::optional<CertFacts> cert;
  // Why the session failed, when that is not about the certificate or the TLS version: no
  // connection, a protocol error, a handshake alert, bytes pipelined after STARTTLS. "" if none.
  std::string error;
  // The special-purpose range the address is in ("loopback 127.0.0.0/8"), unless private
  // addresses were allowed; `refused` when the prober would not connect to it.
  std::string private_range;
  bool refused = false;
};

struct MxHostObservation {
  MxEntry mx;
  Lookup address_lookup = Lookup::kFound;  // A and AAAA together
  std::string address_error;
  std::vector<SmtpObservation> addresses;
};

// GET https://mta-sts.D/.well-known/mta-sts.txt with SNI mta-sts.D, no redirects.
struct PolicyFetchObservation {
  enum class Failure {
    kNone,              // a complete HTTP response was read (any status)
    kResolve,           // mta-sts.D has no address
    kResolveTemporary,  // the address lookup of mta-sts.D failed (SERVFAIL, timeout)
    kPrivateAddress,    // mta-sts.D has only special-purpose addresses, not connected to
    kNotFetched,        // the check ran out of time first (see Observations::skipped)
    kConnect,           // no TCP connection, timeout, or a TLS handshake that did not complete
    kCertificate,       // the handshake completed but the certificate fails validation (see cert)
    kHttp,              // no parsable HTTP response
    kTooLarge,          // the body exceeds 64 KiB
  };
  std::string url;
  Failure failure = Failure::kNone;
  std::string error;              // the words for failure
  std::string private_range;      // as SmtpObservation::private_range, for mta-sts.D
  std::optional<CertFacts> cert;  // the policy host's certificate, when one was presented
  int http_status = 0;
  std::string content_type;
  std::string location;  // a redirect's target, never followed
  std::string body;
};

struct Observations {
  std::string domain;  // lower case, no trailing dot
  TimePoint now;       // when gathered: expiry is judged against it
  TxtObservation sts_txt;
  TxtObservation tlsrpt_txt;
  Lookup mx_lookup = Lookup::kFound;
  std::string mx_error;
  // The MX hosts in priority order. With no MX records this holds the domain itself (the
  // implicit MX of RFC 5321 §5.1), so the same checks apply to it.
  std::vector<MxHostObservation> mx_hosts;
  bool implicit_mx = false;
  PolicyFetchObservation policy;
  // What was left unchecked so that one domain's check stays bounded (see GatherLimits), each
  // with the limit that stopped it. Empty when everything was checked.
  struct Skipped {
    std::string what;   // "mx17.example.com", "192.0.2.9 (mx1.example.com)", "the policy"
    std::string limit;  // "the limit of 16 MX hosts per domain"
  };
  std::vector<Skipped> skipped;
};

}  // namespace mtasts::validate
