#include "fake_client.h"

namespace mtasts::k8s {

void FakeClient::Fail(Status status) {
  std::lock_guard lock(mu_);
  failure_ = std::move(status);
}

void FakeClient::FailOn(const std::string& verb, Status status) {
  std::lock_guard lock(mu_);
  verb_failures_[verb] = std::move(status);
}

void FakeClient::Hang() {
  std::lock_guard lock(mu_);
  hung_ = true;
}

void FakeClient::Resume() {
  std::lock_guard lock(mu_);
  hung_ = false;
  resumed_.notify_all();
}

int FakeClient::Calls(const std::string& verb) const {
  std::lock_guard lock(mu_);
  auto it = calls_.find(verb);
  return it == calls_.end() ? 0 : it->second;
}

Status FakeClient::Enter(const std::string& verb, const ResourceRef& ref) {
  std::unique_lock lock(mu_);
  ++calls_[verb];
  resumed_.wait(lock, [&] { return !hung_; });
  if (!failure_.ok()) return failure_;
  auto it = verb_failures_.find(verb + " " + ref.resource);
  if (it == verb_failures_.end()) it = verb_failures_.find(verb);
  return it == verb_failures_.end() ? OkStatus() : it->second;
}

StatusOr<Object> FakeClient::Get(const ResourceRef& ref, std::string_view ns,
                                 std::string_view name) {
  RETURN_IF_ERROR(Enter("get", ref));
  return server_.Get(ref, ns, name);
}

StatusOr<ObjectList> FakeClient::List(const ResourceRef& ref, std::string_view ns,
                                      const ListOptions& options) {
  RETURN_IF_ERROR(Enter("list", ref));
  return server_.List(ref, ns, options);
}

StatusOr<Object> FakeClient::Create(const ResourceRef& ref, const Object& obj) {
  RETURN_IF_ERROR(Enter("create", ref));
  return server_.Create(ref, obj);
}

StatusOr<Object> FakeClient::Update(const ResourceRef& ref, const Object& obj) {
  RETURN_IF_ERROR(Enter("update", ref));
  return server_.Update(ref, obj);
}

StatusOr<Object> FakeClient::Apply(const ResourceRef& ref, const Object& obj,
                                   const ApplyOptions& options) {
  RETURN_IF_ERROR(Enter("apply", ref));
  return server_.Apply(ref, obj, options);
}

StatusOr<Object> FakeClient::ApplyStatus(const ResourceRef& ref, const Object& obj,
                                         const ApplyOptions& options) {
  RETURN_IF_ERROR(Enter("apply", ref));
  return server_.ApplyStatus(ref, obj, options);
}

StatusOr<Object> FakeClient::MergePatch(const ResourceRef& ref, std::string_view ns,
                                        std::string_view name, const Object& patch,
                                        std::string_view subresource) {
  RETURN_IF_ERROR(Enter("patch", ref));
  return server_.MergePatch(ref, ns, name, patch, subresource);
}

Status FakeClient::Delete(const ResourceRef& ref, std::string_view ns, std::string_view name,
                          const DeleteOptions& options) {
  RETURN_IF_ERROR(Enter("delete", ref));
  return server_.Delete(ref, ns, name, options);
}

StatusOr<std::unique_ptr<WatchStream>> FakeClient::Watch(const ResourceRef& ref,
                                                         std::string_view ns,
                                                         const WatchOptions& options) {
  RETURN_IF_ERROR(Enter("watch", ref));
  return server_.Watch(ref, ns, options);
}

}  // namespace mtasts::k8s
