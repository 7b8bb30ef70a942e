// EventRecorder: the seam through which controllers tell users what happened to an object, as
// Kubernetes Events (events.k8s.io/v1). Controllers hold an EventRecorder&; production passes an
// ApiEventRecorder (api_event_recorder.h), unit tests a FakeEventRecorder.
//
//   recorder.Eventf(ReferenceTo(policy), EventType::kWarning, "MxNotCovered", "Validate",
//                   "{} is not covered by any mx pattern", mx_host);
//
// The note is a template: each "{}" is replaced by the next argument (streamed with <<). Repeats
// with the same (regarding, type, reason, action, template) are one series, whatever the
// arguments. Implementations are thread-safe and Record never blocks on the network.
#pragma once

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace mtasts::k8s {

// Names the object an Event is about (core/v1 ObjectReference, the fields Events use).
struct ObjectReference {
  std::string api_version;
  std::string kind;
  std::string namespace_name;  // empty for cluster-scoped objects
  std::string name;
  std::string uid;
  friend bool operator==(const ObjectReference&, const ObjectReference&) = default;
};

// The reference to a live object (apiVersion, kind and metadata as the API server sent them).
ObjectReference ReferenceTo(const nlohmann::json& object);

enum class EventType { kNormal, kWarning };
std::string_view EventTypeName(EventType type);  // "Normal", "Warning"

struct EventRecord {
  ObjectReference regarding;
  EventType type = EventType::kNormal;
  std::string reason;         // UpperCamelCase, why: "PolicyPublished"
  std::string action;         // what the controller did or tried: "Publish"
  std::string note_template;  // "published policy {} for {}"
  std::string note;           // the template with its arguments filled in
};

// Replaces each "{}" in note_template with the next argument; extra "{}" stay as they are.
std::string FormatNote(std::string_view note_template, const std::vector<std::string>& args);

class EventRecorder {
 public:
  virtual ~EventRecorder() = default;

  template <typename... Args>
  void Eventf(const ObjectReference& regarding, EventType type, std::string_view reason,
              std::string_view action, std::string_view note_template, const Args&... args) {
    Record({regarding, type, std::string(reason), std::string(action), std::string(note_template),
            FormatNote(note_template, {NoteArgument(args)...})});
  }

  virtual void Record(EventRecord event) = 0;

 private:
  template <typename T>
  static std::string NoteArgument(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
  }
};

}  // namespace mtasts::k8s
