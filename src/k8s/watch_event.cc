#include "k8s/watch_event.h"

#include <string>

namespace mtasts::k8s {
namespace {

bool TypeFromName(std::string_view name, WatchEventType* type) {
  if (name == "ADDED")
    *type = WatchEventType::kAdded;
  else if (name == "MODIFIED")
    *type = WatchEventType::kModified;
  else if (name == "DELETED")
    *type = WatchEventType::kDeleted;
  else if (name == "BOOKMARK")
    *type = WatchEventType::kBookmark;
  else if (name == "ERROR")
    *type = WatchEventType::kError;
  else
    return false;
  return true;
}

}  // namespace

StatusOr<WatchEvent> ParseWatchEvent(std::string_view line) {
  auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  std::string shown(line.substr(0, 80));
  if (!json.is_object()) return UnavailableError("watch: not a JSON object: " + shown);
  auto type_it = json.find("type");
  auto object_it = json.find("object");
  if (type_it == json.end() || !type_it->is_string() || object_it == json.end() ||
      !object_it->is_object()) {
    return UnavailableError("watch: event without type or object: " + shown);
  }
  WatchEvent event{WatchEventType::kError, {}};
  if (!TypeFromName(type_it->get_ref<const std::string&>(), &event.type)) {
    return UnavailableError("watch: unknown event type " + type_it->dump());
  }
  event.object = std::move(*object_it);
  return event;
}

std::string ResourceVersionOf(const Object& obj) {
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) return "";
  auto rv = meta->find("resourceVersion");
  return rv != meta->end() && rv->is_string() ? rv->get<std::string>() : "";
}

}  // namespace mtasts::k8s
