#include "fake_client.h"

namespace mtasts::k8s {
namespace {

std::string MetaField(const Object& obj, const char* field) {
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->contains(field) || !(*meta)[field].is_string()) return "";
  return (*meta)[field].get<std::string>();
}

Status NotFound(const ResourceRef& ref, std::string_view name) {
  return NotFoundError("NotFound: " + ref.resource + " \"" + std::string(name) + "\" not found");
}

}  // namespace

FakeApiServer::Key FakeApiServer::KeyOf(const ResourceRef& ref, std::string_view ns,
                                        std::string_view name) {
  return {ref.CollectionPath(""), std::string(ns), std::string(name)};
}

StatusOr<Object> FakeApiServer::Get(const ResourceRef& ref, std::string_view ns,
                                    std::string_view name) {
  std::lock_guard lock(mu_);
  auto it = objects_.find(KeyOf(ref, ns, name));
  if (it == objects_.end()) return NotFound(ref, name);
  return it->second;
}

StatusOr<Object> FakeApiServer::Create(const ResourceRef& ref, Object obj) {
  std::lock_guard lock(mu_);
  std::string name = MetaField(obj, "name");
  if (name.empty()) return InvalidArgumentError("Invalid: metadata.name: Required value");
  Key key = KeyOf(ref, MetaField(obj, "namespace"), name);
  if (objects_.count(key) != 0) {
    return AlreadyExistsError("AlreadyExists: " + ref.resource + " \"" + name +
                              "\" already exists");
  }
  obj["metadata"]["resourceVersion"] = std::to_string(next_version_++);
  obj["metadata"]["uid"] = "uid-" + name;
  objects_[key] = obj;
  return obj;
}

StatusOr<Object> FakeApiServer::Update(const ResourceRef& ref, Object obj) {
  std::lock_guard lock(mu_);
  std::string name = MetaField(obj, "name");
  auto it = objects_.find(KeyOf(ref, MetaField(obj, "namespace"), name));
  if (it == objects_.end()) return NotFound(ref, name);
  std::string version = MetaField(obj, "resourceVersion");
  if (!version.empty() && version != MetaField(it->second, "resourceVersion")) {
    return AbortedError(
        "Conflict: the object has been modified; please apply your changes to "
        "the latest version and try again");
  }
  obj["metadata"]["resourceVersion"] = std::to_string(next_version_++);
  it->second = obj;
  return obj;
}

StatusOr<Object> FakeApiServer::MergePatch(const ResourceRef& ref, std::string_view ns,
                                           std::string_view name, const Object& patch) {
  std::lock_guard lock(mu_);
  auto it = objects_.find(KeyOf(ref, ns, name));
  if (it == objects_.end()) return NotFound(ref, name);
  it->second.merge_patch(patch);
  it->second["metadata"]["resourceVersion"] = std::to_string(next_version_++);
  return it->second;
}

Status FakeApiServer::Delete(const ResourceRef& ref, std::string_view ns, std::string_view name) {
  std::lock_guard lock(mu_);
  if (objects_.erase(KeyOf(ref, ns, name)) == 0) return NotFound(ref, name);
  return OkStatus();
}

std::vector<Object> FakeApiServer::All(const ResourceRef& ref) const {
  std::lock_guard lock(mu_);
  std::vector<Object> found;
  for (const auto& [key, obj] : objects_) {
    if (std::get<0>(key) == ref.CollectionPath("")) found.push_back(obj);
  }
  return found;
}

void FakeClient::Fail(Status status) {
  std::lock_guard lock(mu_);
  failure_ = std::move(status);
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

Status FakeClient::Enter(const std::string& verb) {
  std::unique_lock lock(mu_);
  ++calls_[verb];
  resumed_.wait(lock, [&] { return !hung_; });
  return failure_;
}

StatusOr<Object> FakeClient::Get(const ResourceRef& ref, std::string_view ns,
                                 std::string_view name) {
  RETURN_IF_ERROR(Enter("get"));
  return server_.Get(ref, ns, name);
}

StatusOr<Object> FakeClient::Create(const ResourceRef& ref, const Object& obj) {
  RETURN_IF_ERROR(Enter("create"));
  return server_.Create(ref, obj);
}

StatusOr<Object> FakeClient::Update(const ResourceRef& ref, const Object& obj) {
  RETURN_IF_ERROR(Enter("update"));
  return server_.Update(ref, obj);
}

StatusOr<Object> FakeClient::MergePatch(const ResourceRef& ref, std::string_view ns,
                                        std::string_view name, const Object& patch,
                                        std::string_view subresource) {
  RETURN_IF_ERROR(Enter("patch"));
  return server_.MergePatch(ref, ns, name, patch);
}

Status FakeClient::Delete(const ResourceRef& ref, std::string_view ns, std::string_view name,
                          const DeleteOptions&) {
  RETURN_IF_ERROR(Enter("delete"));
  return server_.Delete(ref, ns, name);
}

StatusOr<ObjectList> FakeClient::List(const ResourceRef&, std::string_view, const ListOptions&) {
  return InternalError("FakeClient does not model List");
}

StatusOr<Object> FakeClient::Apply(const ResourceRef&, const Object&, const ApplyOptions&) {
  return InternalError("FakeClient does not model server-side apply");
}

StatusOr<Object> FakeClient::ApplyStatus(const ResourceRef&, const Object&, const ApplyOptions&) {
  return InternalError("FakeClient does not model server-side apply");
}

StatusOr<std::unique_ptr<WatchStream>> FakeClient::Watch(const ResourceRef&, std::string_view,
                                                         const WatchOptions&) {
  return InternalError("FakeClient does not model Watch");
}

}  // namespace mtasts::k8s
