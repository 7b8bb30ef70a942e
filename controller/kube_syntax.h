// Kubernetes' syntax for names and label selectors (apimachinery's validation rules), so that a
// flag naming a namespace, a Lease or a selector fails at start-up with the reason, not later as
// an API error. Pure; thread-safe.
#pragma once

#include <string_view>

#include "base/status.h"

namespace mtasts::controller {

// RFC 1123 label: 1-63 of [a-z0-9-], starting and ending alphanumeric (namespaces, Services).
bool IsDnsLabel(std::string_view name);

// RFC 1123 subdomain: DNS labels joined by ".", at most 253 characters (most object names).
bool IsDnsSubdomain(std::string_view name);

// A label key: [DNS subdomain "/"] name, the name 1-63 of [A-Za-z0-9-_.] starting and ending
// alphanumeric.
bool IsLabelKey(std::string_view key);

// A label value: empty, or a label key's name part.
bool IsLabelValue(std::string_view value);

// A label selector as `kubectl -l` takes it: requirements joined by ",", each "key", "!key",
// "key=value", "key==value", "key!=value", "key in (v1,v2)", "key notin (v1,v2)", "key>N" or
// "key<N". The empty selector selects everything. InvalidArgument says which part is wrong.
Status ValidateLabelSelector(std::string_view selector);

}  // namespace mtasts::controller
