#include "k8s/resource.h"

namespace mtasts::k8s {

std::string ResourceRef::ApiVersion() const {
  return group.empty() ? version : group + "/" + version;
}

std::string ResourceRef::CollectionPath(std::string_view ns) const {
  std::string path = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  if (namespaced && !ns.empty()) {
    path += "/namespaces/";
    path += ns;
  }
  path += "/";
  path += resource;
  return path;
}

std::string ResourceRef::ObjectPath(std::string_view ns, std::string_view name,
                                    std::string_view subresource) const {
  std::string path = CollectionPath(ns);
  path += "/";
  path += name;
  if (!subresource.empty()) {
    path += "/";
    path += subresource;
  }
  return path;
}

ResourceRef ConfigMaps() { return {"", "v1", "configmaps", "ConfigMap", true}; }
ResourceRef Secrets() { return {"", "v1", "secrets", "Secret", true}; }
ResourceRef Events() { return {"events.k8s.io", "v1", "events", "Event", true}; }
ResourceRef Leases() { return {"coordination.k8s.io", "v1", "leases", "Lease", true}; }

}  // namespace mtasts::k8s
