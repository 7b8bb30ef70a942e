// Turns an API server error response into a Status (the mapping table is in client.h).
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "base/status.h"

namespace mtasts::k8s {

// http_status is the response code; body is the metav1.Status JSON the server sends (or anything
// else: a proxy's HTML page still yields a Status naming the HTTP code). The message is
// "<Reason>: <message>", plus the field causes of an Invalid object.
Status StatusFromResponse(int http_status, std::string_view body);

// The same for a metav1.Status object (an in-stream watch ERROR event carries one).
Status StatusFromApiStatus(const nlohmann::json& status, int fallback_code = 500);

// Retry-After in seconds (the API server never sends the HTTP-date form); nullopt otherwise.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view header);

}  // namespace mtasts::k8s
