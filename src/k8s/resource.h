// ResourceRef names a Kubernetes resource type (group, version, plural) and builds its REST paths.
// A value type; thread-compatible.
#pragma once

#include <string>
#include <string_view>

namespace mtasts::k8s {

struct ResourceRef {
  std::string group;     // "" for the core group ("v1" objects such as ConfigMap)
  std::string version;   // "v1", "v1alpha1"
  std::string resource;  // the plural used in URLs: "configmaps", "mtastspolicies"
  std::string kind;      // "ConfigMap"; filled into objects that omit it (Apply, Create)
  bool namespaced = true;

  // "v1" for the core group, otherwise "group/version".
  std::string ApiVersion() const;
  // "/api/v1/namespaces/ns/configmaps", or "/apis/g/v/things" when ns is empty or the resource
  // is cluster-scoped (an empty ns on a namespaced resource means "all namespaces").
  std::string CollectionPath(std::string_view ns) const;
  // CollectionPath(ns) + "/" + name [+ "/" + subresource].
  std::string ObjectPath(std::string_view ns, std::string_view name,
                         std::string_view subresource = "") const;
};

// Well-known types the operator uses.
ResourceRef ConfigMaps();
ResourceRef Secrets();
ResourceRef Events();
ResourceRef Leases();

}  // namespace mtasts::k8s
