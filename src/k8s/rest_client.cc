#include "k8s/rest_client.h"

#include <algorithm>
#include <cctype>
#include <thread>
#include <utility>
#include <vector>

#include "base/json_text.h"
#include "k8s/api_errors.h"
#include "k8s/transport.h"

namespace mtasts::k8s {
namespace {

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

// Appends "?k=v&k2=v2" for the non-empty values.
std::string WithQuery(std::string path,
                      const std::vector<std::pair<std::string_view, std::string>>& params) {
  char sep = '?';
  for (const auto& [key, value] : params) {
    if (value.empty()) continue;
    path += sep;
    path += key;
    path += '=';
    path += PercentEncode(value);
    sep = '&';
  }
  return path;
}

std::string MetadataField(const Object& obj, const char* field) {
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) return "";
  auto it = meta->find(field);
  return it != meta->end() && it->is_string() ? it->get<std::string>() : "";
}

class RestClient final : public Client {
 public:
  RestClient(std::unique_ptr<Transport> transport, RestOptions options)
      : transport_(std::move(transport)), options_(std::move(options)) {}

  StatusOr<Object> Get(const ResourceRef& ref, std::string_view ns,
                       std::string_view name) override {
    return Call("GET", ref.ObjectPath(ns, name));
  }

  StatusOr<ObjectList> List(const ResourceRef& ref, std::string_view ns,
                            const ListOptions& o) override {
    std::string path =
        WithQuery(ref.CollectionPath(ns), {{"labelSelector", o.label_selector},
                                           {"fieldSelector", o.field_selector},
                                           {"limit", o.limit > 0 ? std::to_string(o.limit) : ""},
                                           {"continue", o.continue_token},
                                           {"resourceVersion", o.resource_version}});
    ASSIGN_OR_RETURN(Object list, Call("GET", path));
    ObjectList result;
    if (auto items = list.find("items"); items != list.end() && items->is_array()) {
      result.items = std::move(items->get_ref<Object::array_t&>());
    }
    result.resource_version = MetadataField(list, "resourceVersion");
    result.continue_token = MetadataField(list, "continue");
    return result;
  }

  StatusOr<Object> Create(const ResourceRef& ref, const Object& obj) override {
    Object body = WithTypeMeta(ref, obj);
    return Call("POST", ref.CollectionPath(MetadataField(obj, "namespace")), DumpJson(body),
                "application/json");
  }

  StatusOr<Object> Update(const ResourceRef& ref, const Object& obj) override {
    ASSIGN_OR_RETURN(std::string path, PathOf(ref, obj, ""));
    return Call("PUT", path, DumpJson(WithTypeMeta(ref, obj)), "application/json");
  }

  StatusOr<Object> Apply(const ResourceRef& ref, const Object& obj,
                         const ApplyOptions& options) override {
    return ApplyTo(ref, obj, options, "");
  }

  StatusOr<Object> ApplyStatus(const ResourceRef& ref, const Object& obj,
                               const ApplyOptions& options) override {
    return ApplyTo(ref, obj, options, "status");
  }

  StatusOr<Object> MergePatch(const ResourceRef& ref, std::string_view ns, std::string_view name,
                              const Object& patch, std::string_view subresource) override {
    return Call("PATCH", ref.ObjectPath(ns, name, subresource), DumpJson(patch),
                "application/merge-patch+json");
  }

  Status Delete(const ResourceRef& ref, std::string_view ns, std::string_view name,
                const DeleteOptions& options) override {
    Object body = {{"apiVersion", "v1"}, {"kind", "DeleteOptions"}};
    if (!options.uid.empty()) body["preconditions"]["uid"] = options.uid;
    if (!options.resource_version.empty()) {
      body["preconditions"]["resourceVersion"] = options.resource_version;
    }
    if (!options.propagation_policy.empty()) {
      body["propagationPolicy"] = options.propagation_policy;
    }
    return Call("DELETE", ref.ObjectPath(ns, name), DumpJson(body), "application/json").status();
  }

  StatusOr<std::unique_ptr<WatchStream>> Watch(const ResourceRef& ref, std::string_view ns,
                                               const WatchOptions& o) override {
    std::string path =
        WithQuery(ref.CollectionPath(ns), {{"watch", "1"},
                                           {"allowWatchBookmarks", o.allow_bookmarks ? "true" : ""},
                                           {"timeoutSeconds", std::to_string(o.timeout.count())},
                                           {"labelSelector", o.label_selector},
                                           {"fieldSelector", o.field_selector},
                                           {"resourceVersion", o.resource_version}});
    auto silence = o.allow_bookmarks ? o.max_silence : o.timeout + std::chrono::seconds(60);
    return transport_->OpenWatch(path, silence, o.stop);
  }

 private:
  static Object WithTypeMeta(const ResourceRef& ref, const Object& obj) {
    Object body = obj;
    if (!body.contains("apiVersion")) body["apiVersion"] = ref.ApiVersion();
    if (!body.contains("kind")) body["kind"] = ref.kind;
    return body;
  }

  static StatusOr<std::string> PathOf(const ResourceRef& ref, const Object& obj,
                                      std::string_view subresource) {
    std::string name = MetadataField(obj, "name");
    if (name.empty()) {
      return InvalidArgumentError(ref.resource + ": object has no metadata.name");
    }
    std::string ns = MetadataField(obj, "namespace");
    if (ref.namespaced && ns.empty()) {
      return InvalidArgumentError(ref.resource + " \"" + name +
                                  "\": namespaced object has no metadata.namespace");
    }
    return ref.ObjectPath(ns, name, subresource);
  }

  StatusOr<Object> ApplyTo(const ResourceRef& ref, const Object& obj, const ApplyOptions& options,
                           std::string_view subresource) {
    if (options.field_manager.empty()) {
      return InvalidArgumentError("apply " + ref.resource + ": field_manager is required");
    }
    ASSIGN_OR_RETURN(std::string path, PathOf(ref, obj, subresource));
    path = WithQuery(
        path, {{"fieldManager", options.field_manager}, {"force", options.force ? "true" : ""}});
    // JSON is YAML, so the apply body needs no YAML encoder.
    return Call("PATCH", path, DumpJson(WithTypeMeta(ref, obj)), "application/apply-patch+yaml");
  }

  // Sends, honouring Retry-After on 429/5xx a bounded number of times, and maps the result.
  StatusOr<Object> Call(std::string_view method, const std::string& path,
                        const std::string& body = "", std::string_view content_type = "") {
    for (int attempt = 0;; ++attempt) {
      ASSIGN_OR_RETURN(HttpResult result, transport_->Send(method, path, body, content_type));
      if (result.status >= 200 && result.status < 300) {
        auto obj = Object::parse(result.body, nullptr, /*allow_exceptions=*/false);
        if (obj.is_discarded()) {
          return UnavailableError(std::string(method) + " " + path + ": response is not JSON");
        }
        return obj;
      }
      auto retry_after = ParseRetryAfter(result.retry_after);
      bool retryable = result.status == 429 || result.status >= 500;
      if (retryable && retry_after && attempt < options_.max_retry_after_attempts) {
        std::this_thread::sleep_for(std::min(*retry_after, options_.max_retry_after));
        continue;
      }
      return StatusFromResponse(result.status, result.body)
          .WithContext(std::string(method) + " " + path);
    }
  }

  std::unique_ptr<Transport> transport_;
  RestOptions options_;
};

}  // namespace

StatusOr<std::unique_ptr<Client>> NewRestClient(const Config& config, const RestOptions& options) {
  ASSIGN_OR_RETURN(auto transport,
                   Transport::New(config, options.request_timeout, options.user_agent));
  return std::unique_ptr<Client>(new RestClient(std::move(transport), options));
}

}  // namespace mtasts::k8s
