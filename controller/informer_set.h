// One resource type watched in a list of namespaces (one Informer each), or in all of them (one
// Informer): what --namespace asks for, behind the lookups the reconciler uses. Thread-safe as
// Informer is.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "k8s/informer.h"

namespace mtasts::controller {

class InformerSet {
 public:
  // `namespaces` empty: all namespaces. `options.ns` is set per informer.
  InformerSet(k8s::Client& client, const k8s::ResourceRef& ref,
              const std::vector<std::string>& namespaces, k8s::InformerOptions options,
              const k8s::InformerHandlers& handlers);

  void Start();
  void Stop();
  bool HasSynced() const;
  // By "namespace/name".
  std::optional<k8s::Object> Get(const std::string& key) const;
  size_t Size() const;

 private:
  std::vector<std::unique_ptr<k8s::Informer>> informers_;
  bool all_namespaces_ = false;
};

// The "namespace/name" key of an object.
std::string KeyOf(const k8s::Object& object);

}  // namespace mtasts::controller
