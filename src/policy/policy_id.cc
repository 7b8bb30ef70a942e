#include "policy/policy_id.h"

#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

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
  using namespace std::chrono;
  // Clock::TimePoint counts nanoseconds in 64 bits, so it spans the years 1677-2262: the year
  // always has four digits and the id always 24 alphanumerics (a test checks both ends).
  auto seconds = floor<std::chrono::seconds>(now);
  year_month_day date{floor<days>(seconds)};
  hh_mm_ss time{seconds - floor<days>(seconds)};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()));
  return std::string(buf) + ContentDigest(canonical_bytes);
}

bool IdMatchesContent(std::string_view id, std::string_view canonical_bytes) {
  return id.size() == kTimeChars + kDigestChars && IsValidPolicyId(id) &&
         id.substr(kTimeChars) == ContentDigest(canonical_bytes);
}

}  // namespace mtasts::policy
