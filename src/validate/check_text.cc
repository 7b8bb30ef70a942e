#include "validate/check_text.h"

#include <chrono>

namespace mtasts::validate {

long DaysUntil(TimePoint now, TimePoint t) {
  return static_cast<long>(std::chrono::floor<std::chrono::days>(t - now).count());
}

bool CertOutOfValidity(const CertFacts& cert, TimePoint now) {
  return now > cert.not_after || now < cert.not_before;
}

std::string DescribeValidity(const CertFacts& cert, TimePoint now) {
  if (now < cert.not_before) return "is not valid before " + FormatDate(cert.not_before);
  return "expired on " + FormatDate(cert.not_after);
}

std::string JoinList(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace mtasts::validate
