#include "tlsrpt/strict_json.h"

#include <deque>
#include <utility>

namespace mtasts::tlsrpt {
namespace {

using json = nlohmann::json;

// A SAX handler that builds the document itself so it can stop at the first duplicate key or at
// excessive depth (returning false aborts the parse).
class DomBuilder {
 public:
  DomBuilder(const JsonLimits& limits, std::vector<std::string>* warnings)
      : limits_(limits), warnings_(warnings) {}

  bool null() { return Add(nullptr); }
  bool boolean(bool v) { return Add(v); }
  bool number_integer(json::number_integer_t v) { return Add(v); }
  bool number_unsigned(json::number_unsigned_t v) { return Add(v); }
  bool number_float(json::number_float_t v, const json::string_t&) { return Add(v); }
  bool string(json::string_t& v) { return Add(std::move(v)); }
  bool binary(json::binary_t&) { return Fail("binary values are not JSON"); }
  bool start_object(std::size_t) { return Open(json::object()); }
  bool start_array(std::size_t) { return Open(json::array()); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }

  bool key(json::string_t& name) {
    json& object = *stack_.back();
    duplicate_ = object.contains(name);
    if (duplicate_) {
      std::string what = "member \"" + name + "\" appears twice in one object";
      if (!limits_.allow_duplicates) return Fail(what + " (I-JSON forbids duplicate names)");
      warnings_->push_back(what + "; the first is used");
    }
    key_ = std::move(name);
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    std::string what = e.what();
    size_t bracket = what.find("] ");
    return Fail(bracket == std::string::npos ? what : what.substr(bracket + 2));
  }

  json TakeRoot() { return std::move(root_); }
  const std::string& error() const { return error_; }

 private:
  // Stores `value` in the current container and returns where it lives.
  json* Place(json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    if (duplicate_) {
      duplicate_ = false;
      discarded_.push_back(std::move(value));  // parsed for syntax, then dropped
      return &discarded_.back();
    }
    return &(parent[key_] = std::move(value));
  }
  bool Add(json value) {
    Place(std::move(value));
    return true;
  }
  bool Open(json container) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      return Fail("nested more than " + std::to_string(limits_.max_depth) + " levels deep");
    }
    stack_.push_back(Place(std::move(container)));
    return true;
  }
  bool Close() {
    stack_.pop_back();
    return true;
  }
  bool Fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  const JsonLimits& limits_;
  std::vector<std::string>* warnings_;
  json root_;
  std::vector<json*> stack_;
  std::deque<json> discarded_;  // deque: growing it keeps earlier elements in place
  std::string key_;
  bool duplicate_ = false;
  std::string error_;
};

}  // namespace

StatusOr<json> ParseStrictJson(std::string_view text, const JsonLimits& limits,
                               std::vector<std::string>* warnings) {
  if (text.size() > limits.max_bytes) {
    return InvalidArgumentError("JSON of " + std::to_string(text.size()) +
                                " bytes is over the limit of " + std::to_string(limits.max_bytes));
  }
  DomBuilder builder(limits, warnings);
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &builder, json::input_format_t::json,
                         /*strict=*/true, /*ignore_comments=*/false);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("JSON: ") + e.what());
  }
  if (!ok) return InvalidArgumentError("JSON: " + builder.error());
  return builder.TakeRoot();
}

}  // namespace mtasts::tlsrpt
