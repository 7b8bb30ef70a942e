#include "vector_file.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace mtasts::conformance {
namespace {

using json = nlohmann::json;

constexpr std::string_view kKinds[] = {"txt", "policy", "mx_match", "tlsrpt_txt", "tlsrpt_report"};

bool IsRrset(const json& rrset) {
  if (!rrset.is_array()) return false;
  for (const json& rr : rrset) {
    if (!rr.is_array()) return false;
    for (const json& s : rr) {
      if (!s.is_string()) return false;
    }
  }
  return true;
}

// Fills `out` from `item`; returns what is wrong with the case, or "" if nothing.
std::string ReadCase(const json& item, VectorCase* out) {
  if (!item.is_object()) return "a case must be an object";
  auto text = [&](const char* key, std::string* field) {
    auto it = item.find(key);
    if (it == item.end() || !it->is_string()) return false;
    *field = it->get<std::string>();
    return true;
  };
  if (!text("name", &out->name) || out->name.empty()) return "\"name\" must be a non-empty string";
  if (!text("kind", &out->kind)) return "\"kind\" must be a string";
  if (std::find(std::begin(kKinds), std::end(kKinds), out->kind) == std::end(kKinds)) {
    return "unknown kind \"" + out->kind + "\"";
  }
  if (!text("input", &out->input)) return "\"input\" must be a string";
  auto valid = item.find("valid");
  if (valid == item.end() || !valid->is_boolean()) return "\"valid\" must be true or false";
  out->valid = valid->get<bool>();
  auto expect = item.find("expect");
  if (expect == item.end() || !expect->is_object()) return "\"expect\" must be an object";
  out->expect = *expect;
  if (out->valid && out->expect.contains("error")) return "a valid case cannot expect an error";
  if (out->expect.contains("error") && !out->expect["error"].is_string()) {
    return "expect.error must be a string";
  }
  if (auto rrset = item.find("rrset"); rrset != item.end()) {
    if (out->kind != "txt" && out->kind != "tlsrpt_txt") return "\"rrset\" is only for TXT kinds";
    if (!IsRrset(*rrset)) return "\"rrset\" must be a list of lists of strings";
    out->rrset = *rrset;
  }
  if (auto context = item.find("context"); context != item.end()) {
    if (out->kind != "policy") return "\"context\" is only for the policy kind";
    if (!context->is_object()) return "\"context\" must be an object";
    out->context = *context;
  }
  if (out->kind == "mx_match" &&
      !(out->expect.contains("pattern") && out->expect["pattern"].is_string())) {
    return "an mx_match case needs expect.pattern (a string)";
  }
  return "";
}

}  // namespace

StatusOr<std::vector<VectorCase>> LoadVectorFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgumentError(path + ": cannot be read");
  std::stringstream buffer;
  buffer << in.rdbuf();
  json doc = json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return InvalidArgumentError(path + ": not valid JSON");
  if (!doc.is_object() || !doc.contains("schema") || doc["schema"] != kVectorSchema) {
    return InvalidArgumentError(path + ": not a vector file; its \"schema\" must be \"" +
                                std::string(kVectorSchema) + "\"");
  }
  if (!doc.contains("cases") || !doc["cases"].is_array()) {
    return InvalidArgumentError(path + ": \"cases\" must be an array");
  }
  // A file that checks nothing must not pass as one that checked everything.
  if (doc["cases"].empty()) return InvalidArgumentError(path + ": has no cases");
  std::vector<VectorCase> cases;
  std::set<std::string> names;
  for (size_t i = 0; i < doc["cases"].size(); ++i) {
    VectorCase& c = cases.emplace_back();
    c.malformed = ReadCase(doc["cases"][i], &c);
    if (c.name.empty()) c.name = "case[" + std::to_string(i) + "]";
    if (c.malformed.empty() && !names.insert(c.name).second) c.malformed = "duplicate case name";
  }
  return cases;
}

}  // namespace mtasts::conformance
