// Whether an observed object already holds every field of a desired partial object: the decision
// to skip a server-side apply, so an operator with nothing to change makes no write at all.
// Pure; thread-safe.
#pragma once

#include "k8s/client.h"

namespace mtasts::controller {

// Objects: every key of `desired` is in `observed` and covered (extra observed keys, such as
// defaults, status or fields of other managers, do not matter). Arrays: the same length and each
// element covered in order (an array the operator owns must not hold more than it set). Scalars:
// equal. The apiVersion and kind of the top level are not compared (the desired object names the
// type; the observed one may come from a cache that drops them).
bool Covers(const k8s::Object& observed, const k8s::Object& desired);

}  // namespace mtasts::controller
