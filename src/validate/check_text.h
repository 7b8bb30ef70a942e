// Small wording helpers shared by the checks, so that dates, durations and certificate
// problems read the same in every message. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/utc_time.h"
#include "validate/observations.h"

namespace mtasts::validate {

// Whole days from `now` until `t`; negative when `t` has passed.
long DaysUntil(TimePoint now, TimePoint t);
// Outside [not_before, not_after] at `now`.
bool CertOutOfValidity(const CertFacts& cert, TimePoint now);
// "expired on 2021-01-01" or "is not valid before 2027-01-01": why a certificate is out of date.
std::string DescribeValidity(const CertFacts& cert, TimePoint now);
// "a, b, c".
std::string JoinList(const std::vector<std::string>& items, const std::string& separator = ", ");

}  // namespace mtasts::validate
