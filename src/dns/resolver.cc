#include "dns/resolver.h"

#include "base/strings.h"

namespace mtasts::dns {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kFound:
      return "FOUND";
    case Outcome::kNxDomain:
      return "NXDOMAIN";
    case Outcome::kNoData:
      return "NODATA";
    case Outcome::kServFail:
      return "SERVFAIL";
    case Outcome::kRefused:
      return "REFUSED";
    case Outcome::kTimeout:
      return "TIMEOUT";
    case Outcome::kUnreachable:
      return "UNREACHABLE";
    case Outcome::kBadResponse:
      return "BAD_RESPONSE";
  }
  return "UNKNOWN";
}

std::string TxtRecord::Joined() const { return JoinTxtStrings(strings); }

}  // namespace mtasts::dns
