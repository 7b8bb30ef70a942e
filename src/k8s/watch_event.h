// Parsing of one line of a watch response body ({"type":"ADDED","object":{...}}).
// Pure function; thread-safe.
#pragma once

#include <string_view>

#include "base/status.h"
#include "k8s/client.h"

namespace mtasts::k8s {

// kUnavailable for a line that is not a watch event (a truncated stream looks like this).
StatusOr<WatchEvent> ParseWatchEvent(std::string_view line);

// metadata.resourceVersion of an object, or "" when absent.
std::string ResourceVersionOf(const Object& obj);

}  // namespace mtasts::k8s
