#include "k8s/api_errors.h"

#include <algorithm>
#include <charconv>
#include <string>

namespace mtasts::k8s {
namespace {

StatusCode CodeFor(int http_status, std::string_view reason) {
  if (reason == "AlreadyExists") return StatusCode::kAlreadyExists;
  if (reason == "Expired" || reason == "Gone") return StatusCode::kOutOfRange;
  switch (http_status) {
    case 400:
    case 422:
      return StatusCode::kInvalidArgument;
    case 401:
      return StatusCode::kUnauthenticated;
    case 403:
      return StatusCode::kPermissionDenied;
    case 404:
      return StatusCode::kNotFound;
    case 409:
      return StatusCode::kAborted;
    case 410:
      return StatusCode::kOutOfRange;
    case 429:
      return StatusCode::kResourceExhausted;
    case 504:
      return StatusCode::kDeadlineExceeded;
    default:
      break;
  }
  if (http_status >= 500) return StatusCode::kUnavailable;
  if (http_status == 408) return StatusCode::kDeadlineExceeded;
  return StatusCode::kInternal;
}

// details.causes, or nullptr when the status has none.
const nlohmann::json* CausesOf(const nlohmann::json& status) {
  auto details = status.find("details");
  if (details == status.end() || !details->is_object()) return nullptr;
  auto causes = details->find("causes");
  return causes != details->end() && causes->is_array() ? &*causes : nullptr;
}

// A server-side apply conflict is a 409 Conflict like a stale resourceVersion, told apart by its
// causes: one FieldManagerConflict (StatusCause's type, "reason" on the wire) per contested
// field. Re-applying at once cannot help while another manager owns the field.
bool IsFieldManagerConflict(const nlohmann::json& status) {
  const nlohmann::json* causes = CausesOf(status);
  if (causes == nullptr) return false;
  return std::any_of(causes->begin(), causes->end(), [](const nlohmann::json& cause) {
    return cause.is_object() && cause.value("reason", "") == "FieldManagerConflict";
  });
}

// "metadata.name: Invalid value: ...; spec.x: Required value" from details.causes.
std::string Causes(const nlohmann::json& status) {
  std::string out;
  const nlohmann::json* causes = CausesOf(status);
  if (causes == nullptr) return out;
  for (const auto& cause : *causes) {
    if (!cause.is_object()) continue;
    if (!out.empty()) out += "; ";
    out += cause.value("field", "");
    out += out.empty() || out.back() == ' ' ? "" : ": ";
    out += cause.value("message", "");
  }
  return out;
}

}  // namespace

Status StatusFromApiStatus(const nlohmann::json& status, int fallback_code) {
  int code = fallback_code;
  std::string reason, message;
  if (status.is_object()) {
    if (auto it = status.find("code"); it != status.end() && it->is_number_integer()) {
      code = it->get<int>();
    }
    if (auto it = status.find("reason"); it != status.end() && it->is_string()) reason = *it;
    if (auto it = status.find("message"); it != status.end() && it->is_string()) message = *it;
  }
  if (reason.empty()) reason = "HTTP " + std::to_string(code);
  std::string text = reason + ": " + (message.empty() ? "(no message)" : message);
  // The server's message for Invalid already lists the causes; other reasons may not.
  if (std::string causes = Causes(status);
      !causes.empty() && message.find(causes) == message.npos) {
    text += " [" + causes + "]";
  }
  StatusCode status_code = code == 409 && IsFieldManagerConflict(status)
                               ? StatusCode::kOwnershipConflict
                               : CodeFor(code, reason);
  return Status(status_code, std::move(text));
}

Status StatusFromResponse(int http_status, std::string_view body) {
  nlohmann::json status = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (status.is_object() && status.value("kind", "") == "Status") {
    status["code"] = http_status;  // the HTTP status is authoritative
    return StatusFromApiStatus(status, http_status);
  }
  std::string snippet(body.substr(0, 200));
  nlohmann::json synthetic = {{"code", http_status},
                              {"message", snippet.empty() ? "(empty body)" : snippet}};
  return StatusFromApiStatus(synthetic, http_status);
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  long seconds = 0;
  auto [end, ec] = std::from_chars(header.data(), header.data() + header.size(), seconds);
  if (header.empty() || ec != std::errc() || end != header.data() + header.size() || seconds < 0) {
    return std::nullopt;
  }
  return std::chrono::seconds(seconds);
}

}  // namespace mtasts::k8s
