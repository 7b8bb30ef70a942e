// Standard base64 (RFC 4648 §4, with padding), as Kubernetes uses for Secret data and kubeconfig
// "-data" fields. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace mtasts::k8s {

// Whitespace is skipped; anything else outside the alphabet is kInvalidArgument.
StatusOr<std::string> Base64Decode(std::string_view text);
std::string Base64Encode(std::string_view bytes);

}  // namespace mtasts::k8s
