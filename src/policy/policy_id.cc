#include "policy/policy_id.h"

#include <openssl/evp.h>

#include <chrono>
#include <cstdlib>

#include "base/utc_time.h"
#include "policy/syntax.h"

namespace mtasts::policy {
namespace {

constexpr size_t kDigestChars = 8;
constexpr size_t kTimeChars = 16;  // YYYYMMDDTHHMMSSZ

}  // namespace

bool IsValidPolicyId(std::string_view id) { return IsPolicyIdSyntax(id); }

std::string ContentDigest(std::string_view canonical_bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(canonical_bytes.data(), canonical_bytes.size(), digest, &size, EVP_sha256(),
                 nullptr) != 1 ||
      size < kDigestChars / 2) {
    // Only reachable if the crypto library is broken; an all-zero digest would hide that.
    std::abort();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < kDigestChars / 2; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

std::string MakePolicyId(std::string_view canonical_bytes, Clock::TimePoint now) {
  // Years always have four digits (see utc_time.h), so the id is always 24 characters.
  return FormatUtcCompact(now) + ContentDigest(canonical_bytes);
}

bool IdMatchesContent(std::string_view id, std::string_view canonical_bytes) {
  return id.size() == kTimeChars + kDigestChars && IsValidPolicyId(id) &&
         id.substr(kTimeChars) == ContentDigest(canonical_bytes);
}

}  // namespace mtasts::policy
