// The serve endpoints of the serve Service: every ready address of its EndpointSlices
// (discovery.k8s.io/v1), with the port named "https" (else the slice's first port). These are the
// replicas whose nginx must serve a policy before its id is announced. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "k8s/client.h"

namespace mtasts::controller {

// "HOST:PORT" ("[V6]:PORT"), sorted and without duplicates. An endpoint counts unless its
// conditions.ready is false (absent means ready, as the API documents); terminating endpoints
// that are still ready count too, because senders may still reach them.
std::vector<std::string> ReadyEndpoints(const std::vector<k8s::Object>& slices);

// "kubernetes.io/service-name=NAME": the label by which a Service's EndpointSlices are found.
std::string EndpointSliceSelector(const std::string& service_name);

}  // namespace mtasts::controller
