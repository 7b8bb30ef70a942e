// gmock matchers for base/status.h, for a Status or a StatusOr<T> alike:
//
//   EXPECT_THAT(client.Get(ref, ns, name), IsOk());
//   EXPECT_THAT(client.Update(ref, stale), StatusIs(StatusCode::kAborted));
//   EXPECT_THAT(status, StatusIs(StatusCode::kNotFound, HasSubstr("not found")));
//
// A mismatch prints the status's code and message.
#pragma once

#include <gmock/gmock.h>

#include <ostream>
#include <string>

#include "base/status.h"

namespace mtasts {

// How gtest prints a Status or StatusCode in a failure message.
inline void PrintTo(const Status& status, std::ostream* os) { *os << status.ToString(); }
inline void PrintTo(StatusCode code, std::ostream* os) { *os << StatusCodeName(code); }
template <typename T>
void PrintTo(const StatusOr<T>& value, std::ostream* os) {
  *os << (value.ok() ? std::string("OK (a value)") : value.status().ToString());
}

namespace status_internal {

inline const Status& GetStatus(const Status& status) { return status; }
template <typename T>
Status GetStatus(const StatusOr<T>& value) {
  return value.status();
}

}  // namespace status_internal

MATCHER(IsOk, negation ? "is not OK" : "is OK") { return status_internal::GetStatus(arg).ok(); }

MATCHER_P(StatusIs, code,
          std::string(negation ? "has no" : "has") + " code " + std::string(StatusCodeName(code))) {
  return status_internal::GetStatus(arg).code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher,
           std::string(negation ? "is not" : "is") + " a status with code " +
               std::string(StatusCodeName(code)) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  const Status status = status_internal::GetStatus(arg);
  return status.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, status.message(), result_listener);
}

}  // namespace mtasts
