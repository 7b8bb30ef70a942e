// Whether an HTTP response may carry an MTA-STS policy at all (RFC 8461 §3.2, §3.3): status
// exactly 200, no redirect followed, media type text/plain. Senders judge this before they parse
// the body. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "policy/issue.h"

namespace mtasts::policy {

struct PolicyResponse {
  int http_status = 200;
  std::string content_type = "text/plain";  // the header value as sent; "" if absent
  bool redirected = false;                  // the fetch followed a redirect to get here
};

// Errors: http_status (anything but 200, including every 3xx), redirected, content_type (a media
// type other than text/plain, or none). Warnings: charset (a charset other than utf-8 or
// us-ascii). Media type and charset compare case-insensitively; other parameters are ignored.
std::vector<Issue> CheckPolicyResponse(const PolicyResponse& response);

}  // namespace mtasts::policy
