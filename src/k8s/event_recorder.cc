#include "k8s/event_recorder.h"

namespace mtasts::k8s {

ObjectReference ReferenceTo(const nlohmann::json& object) {
  auto text = [](const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  static const nlohmann::json kEmpty = nlohmann::json::object();
  auto meta = object.find("metadata");
  const nlohmann::json& metadata = meta != object.end() && meta->is_object() ? *meta : kEmpty;
  return {text(object, "apiVersion"), text(object, "kind"), text(metadata, "namespace"),
          text(metadata, "name"), text(metadata, "uid")};
}

std::string_view EventTypeName(EventType type) {
  return type == EventType::kWarning ? "Warning" : "Normal";
}

std::string FormatNote(std::string_view note_template, const std::vector<std::string>& args) {
  std::string note;
  size_t next_arg = 0;
  for (size_t i = 0; i < note_template.size(); ++i) {
    if (note_template.compare(i, 2, "{}") == 0 && next_arg < args.size()) {
      note += args[next_arg++];
      ++i;
    } else {
      note += note_template[i];
    }
  }
  return note;
}

}  // namespace mtasts::k8s
