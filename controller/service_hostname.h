// Without --policy-host-target, mta-sts.<domain> is published by external-dns from the serve
// Service (its Service source): the operator keeps the Service's `<prefix>hostname` annotation
// listing every policy host it serves. Only that annotation is applied, under the operator's field
// manager, so the Service stays the chart's. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "k8s/client.h"

namespace mtasts::controller {

// The partial Service to apply: metadata.annotations[prefix + "hostname"] = the policy hosts of
// `domains`, sorted, without duplicates, comma-separated (external-dns's format).
k8s::Object DesiredServiceHostnames(const std::string& ns, const std::string& name,
                                    const std::string& annotation_prefix,
                                    const std::vector<std::string>& domains);

}  // namespace mtasts::controller
