// The one file nginx reads a policy host's certificate and key from: the certificate chain in PEM,
// leaf first, then the private key in PEM. Both of charts/mta-sts-operator/files/nginx.conf's
// ssl_certificate and ssl_certificate_key name that file, so one rename replaces the certificate
// and its key together: a handshake never meets a new certificate with an old key.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace mtasts::controller {

// Parses the chain (one or more PEM certificates, the leaf first) and the private key (PEM:
// PKCS#8, or the traditional EC or RSA form; never an encrypted one), checks that the key belongs
// to the leaf, and returns them written back out by OpenSSL: the chain, then the key as PKCS#8.
// Whatever else the input held (text between blocks, trailing bytes) is not carried over, so the
// file holds exactly what was checked, and the same pair always gives the same bytes.
// kInvalidArgument, saying which part is wrong and why, when the pair cannot be served, and when
// the leaf has expired by `now` (DESIGN I4: an expired certificate is never served; senders
// refuse it exactly as they refuse no certificate, and the file served before may still be good).
StatusOr<std::string> CombineTlsPair(std::string_view chain_pem, std::string_view key_pem,
                                     Clock::TimePoint now);

}  // namespace mtasts::controller
