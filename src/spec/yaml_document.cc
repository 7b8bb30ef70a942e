#include "spec/yaml_document.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace mtasts::spec {
namespace {

// Thrown from the event handler to stop yaml-cpp at once; caught in ParseYamlDocument.
struct Refusal : std::runtime_error {
  Refusal(const YAML::Mark& mark, const std::string& what)
      : std::runtime_error(what), line(mark.line + 1), column(mark.column + 1) {}
  int line;
  int column;
};

// Builds the YamlNode tree. A stack of open collections; a mapping alternates key and value.
class TreeBuilder : public YAML::EventHandler {
 public:
  YamlNode TakeRoot() { return std::move(root_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1) throw Refusal(mark, "more than one YAML document; keep one per file");
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Add(Leaf(mark, anchor, "", YamlNode::Kind::kNull, false));
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    throw Refusal(mark, "YAML aliases (*name) are not accepted; write the value out");
  }
  void OnAnchor(const YAML::Mark& mark, const std::string&) override {
    throw Refusal(mark, "YAML anchors (&name) are not accepted; write the value out");
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    // yaml-cpp reports "?" for a plain scalar and "!" for a quoted one; anything else is a tag.
    if (tag != "?" && tag != "!") throw Refusal(mark, "YAML tags (!" + tag + ") are not accepted");
    Add(Leaf(mark, anchor, value, YamlNode::Kind::kScalar, tag == "!"));
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, tag, anchor, YamlNode::Kind::kSequence);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, tag, anchor, YamlNode::Kind::kMapping);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct OpenCollection {
    YamlNode node;
    std::optional<YamlNode> pending_key;  // mappings: a key waiting for its value
  };

  YamlNode Leaf(const YAML::Mark& mark, YAML::anchor_t anchor, const std::string& value,
                YamlNode::Kind kind, bool quoted) {
    Count(mark, anchor);
    YamlNode node;
    node.kind = kind;
    node.line = mark.line + 1;
    node.column = mark.column + 1;
    node.scalar = value;
    node.quoted = quoted;
    return node;
  }

  void Count(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) throw Refusal(mark, "YAML anchors (&name) are not accepted");
    if (++nodes_ > kMaxYamlNodes) throw Refusal(mark, "too many YAML nodes");
  }

  void Open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
            YamlNode::Kind kind) {
    if (tag != "?" && tag != "!" && !tag.empty()) {
      throw Refusal(mark, "YAML tags (" + tag + ") are not accepted");
    }
    if (stack_.size() >= kMaxYamlDepth) {
      throw Refusal(mark, "nesting deeper than " + std::to_string(kMaxYamlDepth) + " levels");
    }
    stack_.push_back({Leaf(mark, anchor, "", kind, false), std::nullopt});
  }

  void Close() {
    YamlNode done = std::move(stack_.back().node);
    stack_.pop_back();
    Add(std::move(done));
  }

  void Add(YamlNode node) {
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    OpenCollection& parent = stack_.back();
    if (parent.node.kind == YamlNode::Kind::kSequence) {
      parent.node.items.push_back(std::move(node));
    } else if (!parent.pending_key) {
      AddKey(parent, std::move(node));
    } else {
      YamlNode& key = *parent.pending_key;
      parent.node.entries.push_back({std::move(key.scalar), key.line, key.column, std::move(node)});
      parent.pending_key.reset();
    }
  }

  static void AddKey(OpenCollection& mapping, YamlNode key) {
    YAML::Mark mark;
    mark.line = key.line - 1;
    mark.column = key.column - 1;
    if (key.kind != YamlNode::Kind::kScalar) {
      throw Refusal(mark,
                    "a mapping key must be a plain string, not a " + std::string(KindName(key)));
    }
    if (mapping.node.Find(key.scalar) != nullptr) {
      throw Refusal(mark, "duplicate key \"" + key.scalar + "\"; keep one");
    }
    mapping.pending_key = std::move(key);
  }

  std::vector<OpenCollection> stack_;
  YamlNode root_;
  int documents_ = 0;
  std::size_t nodes_ = 0;
};

Status ErrorAt(int line, int column, TextPosition* where, std::string what) {
  if (where != nullptr) *where = {line, column};
  return InvalidArgumentError(std::move(what));
}

const std::regex kInteger("-?(0|[1-9][0-9]{0,17})");
const std::regex kNumber("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\\.inf|\\.nan",
                         std::regex::icase);
const std::regex kBoolean("true|false|True|False|TRUE|FALSE");

}  // namespace

const YamlNode* YamlNode::Find(std::string_view key) const {
  for (const YamlEntry& entry : entries) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

std::string_view KindName(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::kNull:
      return "null";
    case YamlNode::Kind::kScalar:
      return "scalar";
    case YamlNode::Kind::kMapping:
      return "mapping";
    case YamlNode::Kind::kSequence:
      return "list";
  }
  return "value";
}

std::string_view ScalarTypeName(const YamlNode& scalar) {
  // Numbers and booleans are short; the length check also keeps std::regex (recursive) away
  // from long hostile input.
  constexpr std::size_t kLongestNumber = 32;
  if (scalar.kind == YamlNode::Kind::kNull) return "null";
  if (scalar.quoted || scalar.scalar.size() > kLongestNumber) return "string";
  if (std::regex_match(scalar.scalar, kInteger)) return "integer";
  if (std::regex_match(scalar.scalar, kNumber)) return "number";
  if (std::regex_match(scalar.scalar, kBoolean)) return "boolean";
  return "string";
}

StatusOr<YamlNode> ParseYamlDocument(std::string_view text, TextPosition* where) {
  RETURN_IF_ERROR(CheckTextInput(text, kMaxYamlBytes, where));
  std::istringstream in{std::string(text)};
  TreeBuilder builder;
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const Refusal& refusal) {
    return ErrorAt(refusal.line, refusal.column, where, refusal.what());
  } catch (const YAML::Exception& error) {
    return ErrorAt(error.mark.line + 1, error.mark.column + 1, where, "YAML syntax: " + error.msg);
  } catch (const std::exception& error) {
    return ErrorAt(0, 0, where, std::string("cannot read YAML: ") + error.what());
  }
  return builder.TakeRoot();
}

}  // namespace mtasts::spec
