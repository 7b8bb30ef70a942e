#include "controller/resources.h"

namespace mtasts::controller {

k8s::ResourceRef MtaStsPolicies() {
  return {"mtasts.io", "v1alpha1", "mtastspolicies", "MtaStsPolicy"};
}
k8s::ResourceRef Certificates() { return {"cert-manager.io", "v1", "certificates", "Certificate"}; }
k8s::ResourceRef DnsEndpoints() {
  return {"externaldns.k8s.io", "v1alpha1", "dnsendpoints", "DNSEndpoint"};
}
k8s::ResourceRef Services() { return {"", "v1", "services", "Service"}; }
k8s::ResourceRef EndpointSlices() {
  return {"discovery.k8s.io", "v1", "endpointslices", "EndpointSlice"};
}

}  // namespace mtasts::controller
