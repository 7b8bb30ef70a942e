// The resource types the operator reads and writes, beyond the core ones in k8s/resource.h.
#pragma once

#include "k8s/resource.h"

namespace mtasts::controller {

k8s::ResourceRef MtaStsPolicies();  // mtasts.io/v1alpha1, this project's CRD
k8s::ResourceRef Certificates();    // cert-manager.io/v1
k8s::ResourceRef DnsEndpoints();    // externaldns.k8s.io/v1alpha1
k8s::ResourceRef Services();        // v1
k8s::ResourceRef EndpointSlices();  // discovery.k8s.io/v1

}  // namespace mtasts::controller
