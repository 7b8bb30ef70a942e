#include "controller/announce.h"

#include <algorithm>

#include "base/printable.h"
#include "policy/policy_id.h"

namespace mtasts::controller {

std::string IdFor(const std::string& bytes, const std::vector<std::optional<std::string>>& known,
                  Clock::TimePoint now) {
  for (const std::optional<std::string>& id : known) {
    if (id && policy::IsValidPolicyId(*id) && policy::IdMatchesContent(*id, bytes)) return *id;
  }
  return policy::MakePolicyId(bytes, now);
}

std::optional<EndpointResult> FirstNotServing(const std::vector<EndpointResult>& results) {
  if (results.empty()) {
    EndpointResult none;
    none.reason = "no serve endpoint is known";
    return none;
  }
  for (const EndpointResult& r : results) {
    if (!r.serves) return r;
  }
  return std::nullopt;
}

std::optional<std::string> IdToAnnounce(bool served_everywhere, const std::string& id,
                                        const std::optional<std::string>& announced) {
  return served_everywhere ? std::optional<std::string>(id) : announced;
}

Publication JudgePublication(const dns::TxtAnswer& answer, const std::string& expected) {
  if (dns::IsTemporaryFailure(answer.outcome)) {
    return {Publication::State::kLookupFailed,
            "cannot look up " + answer.name + ": " + Printable(answer.error)};
  }
  std::vector<std::string> sts;
  for (const dns::TxtRecord& record : answer.records) {
    const std::string joined = record.Joined();
    // RFC 8461 §3.1: records that do not begin with "v=STSv1;" are not MTA-STS records.
    if (joined.starts_with("v=STSv1")) sts.push_back(joined);
  }
  if (sts.size() == 1 && sts.front() == expected) {
    return {Publication::State::kPublished, answer.name + " answers \"" + expected + "\""};
  }
  std::string answered;
  for (const std::string& s : sts) answered += (answered.empty() ? "\"" : ", \"") + s + "\"";
  std::string message = answer.name + " answers ";
  if (sts.empty()) {
    message += "no v=STSv1 record";
  } else {
    message += std::to_string(sts.size()) + (sts.size() == 1 ? " record " : " records ") +
               Printable(answered);
  }
  message += "; expected exactly \"" + expected + "\"";
  if (sts.size() > 1) {
    message +=
        " (senders see no policy while there are several; the DNS provider did not "
        "remove the old record: remove it by hand)";
  }
  return {Publication::State::kNotYet, message};
}

bool Withdrawn(const dns::TxtAnswer& answer, const std::string& record) {
  if (dns::IsTemporaryFailure(answer.outcome)) return false;
  return std::none_of(answer.records.begin(), answer.records.end(),
                      [&](const dns::TxtRecord& r) { return r.Joined() == record; });
}

}  // namespace mtasts::controller
