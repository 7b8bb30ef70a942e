#include "controller/informer_set.h"

namespace mtasts::controller {

InformerSet::InformerSet(k8s::Client& client, const k8s::ResourceRef& ref,
                         const std::vector<std::string>& namespaces, k8s::InformerOptions options,
                         const k8s::InformerHandlers& handlers)
    : all_namespaces_(namespaces.empty()) {
  const std::vector<std::string> each = all_namespaces_ ? std::vector<std::string>{""} : namespaces;
  for (const std::string& ns : each) {
    options.ns = ns;
    informers_.push_back(std::make_unique<k8s::Informer>(client, ref, options, handlers));
  }
}

void InformerSet::Start() {
  for (auto& informer : informers_) informer->Start();
}

void InformerSet::Stop() {
  for (auto& informer : informers_) informer->Stop();
}

bool InformerSet::HasSynced() const {
  for (const auto& informer : informers_) {
    if (!informer->HasSynced()) return false;
  }
  return true;
}

std::optional<k8s::Object> InformerSet::Get(const std::string& key) const {
  if (all_namespaces_) return informers_.front()->Get(key);
  for (const auto& informer : informers_) {
    if (auto found = informer->Get(key)) return found;
  }
  return std::nullopt;
}

size_t InformerSet::Size() const {
  size_t n = 0;
  for (const auto& informer : informers_) n += informer->Size();
  return n;
}

std::string KeyOf(const k8s::Object& object) {
  const k8s::Object& metadata = object.at("metadata");
  return metadata.value("namespace", "") + "/" + metadata.value("name", "");
}

}  // namespace mtasts::controller
