#include "controller/serve_endpoints.h"

#include <algorithm>
#include <set>

namespace mtasts::controller {
namespace {

using k8s::Object;

// The https port of a slice, or 0 when it has none usable.
int64_t HttpsPort(const Object& slice) {
  const auto ports = slice.find("ports");
  if (ports == slice.end() || !ports->is_array() || ports->empty()) return 0;
  const Object* chosen = &ports->front();
  for (const Object& port : *ports) {
    if (port.is_object() && port.value("name", "") == "https") chosen = &port;
  }
  const auto number = chosen->is_object() ? chosen->find("port") : chosen->end();
  return number != chosen->end() && number->is_number_integer() ? number->get<int64_t>() : 0;
}

}  // namespace

std::vector<std::string> ReadyEndpoints(const std::vector<Object>& slices) {
  std::set<std::string> out;
  for (const Object& slice : slices) {
    if (!slice.is_object()) continue;
    const int64_t port = HttpsPort(slice);
    const auto endpoints = slice.find("endpoints");
    if (port <= 0 || port > 65535 || endpoints == slice.end() || !endpoints->is_array()) continue;
    const bool ipv6 = slice.value("addressType", "") == "IPv6";
    for (const Object& endpoint : *endpoints) {
      if (!endpoint.is_object()) continue;
      const Object conditions = endpoint.value("conditions", Object::object());
      if (conditions.is_object() && conditions.value("ready", true) == false) continue;
      const auto addresses = endpoint.find("addresses");
      if (addresses == endpoint.end() || !addresses->is_array()) continue;
      for (const Object& address : *addresses) {
        if (!address.is_string()) continue;
        const std::string a = address.get<std::string>();
        out.insert((ipv6 ? "[" + a + "]" : a) + ":" + std::to_string(port));
      }
    }
  }
  return {out.begin(), out.end()};
}

std::string EndpointSliceSelector(const std::string& service_name) {
  return "kubernetes.io/service-name=" + service_name;
}

}  // namespace mtasts::controller
