#include "controller/covers.h"

namespace mtasts::controller {
namespace {

bool CoversValue(const k8s::Object& observed, const k8s::Object& desired) {
  if (desired.is_object()) {
    if (!observed.is_object()) return false;
    for (const auto& [key, value] : desired.items()) {
      const auto it = observed.find(key);
      if (it == observed.end() || !CoversValue(*it, value)) return false;
    }
    return true;
  }
  if (desired.is_array()) {
    if (!observed.is_array() || observed.size() != desired.size()) return false;
    for (size_t i = 0; i < desired.size(); ++i) {
      if (!CoversValue(observed[i], desired[i])) return false;
    }
    return true;
  }
  // Numbers compare by value whatever their JSON representation (1 == 1.0, 300u == 300).
  return observed == desired;
}

}  // namespace

bool Covers(const k8s::Object& observed, const k8s::Object& desired) {
  if (!desired.is_object()) return CoversValue(observed, desired);
  if (!observed.is_object()) return false;
  for (const auto& [key, value] : desired.items()) {
    if (key == "apiVersion" || key == "kind") continue;
    const auto it = observed.find(key);
    if (it == observed.end() || !CoversValue(*it, value)) return false;
  }
  return true;
}

}  // namespace mtasts::controller
