#include "controller/rollout_status.h"

#include "base/utc_time.h"

namespace mtasts::controller {
namespace {

using k8s::Object;

const Object* Field(const Object& o, const char* key) {
  if (!o.is_object()) return nullptr;
  const auto it = o.find(key);
  return it == o.end() ? nullptr : &*it;
}

std::string Text(const Object& o, const char* key) {
  const Object* f = Field(o, key);
  return f && f->is_string() ? f->get<std::string>() : "";
}

std::optional<Clock::TimePoint> Time(const Object& o, const char* key) {
  const std::optional<DateTime> t = ParseDateTime(Text(o, key));
  if (!t) return std::nullopt;
  return Clock::TimePoint(t->utc);
}

std::optional<policy::Mode> ModeAt(const Object& o, const char* key) {
  return policy::ModeFromName(Text(o, key));
}

std::optional<Severity> SeverityNamed(std::string_view name) {
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kError}) {
    if (SeverityName(s) == name) return s;
  }
  return std::nullopt;
}

// Entries with an unknown code or severity are dropped: a newer operator's codes, or an edit.
validate::Findings FindingsAt(const Object& o) {
  validate::Findings out;
  const Object* list = Field(o, "findings");
  if (!list || !list->is_array()) return out;
  for (const Object& item : *list) {
    const std::optional<validate::FindingCode> code = FindingCodeNamed(Text(item, "code"));
    const std::optional<Severity> severity = SeverityNamed(Text(item, "severity"));
    if (code && severity && out.size() < kMaxKeptFindings) {
      out.push_back({*code, *severity, Text(item, "target"), Text(item, "message")});
    }
  }
  return out;
}

std::vector<Blocker> BlockersAt(const Object& o) {
  std::vector<Blocker> out;
  const Object* list = Field(o, "blockedBy");
  if (!list || !list->is_array()) return out;
  for (const Object& item : *list) {
    const std::optional<validate::FindingCode> code = FindingCodeNamed(Text(item, "code"));
    if (code && out.size() < kMaxKeptFindings) {
      out.push_back({*code, Text(item, "target"), Text(item, "message")});
    }
  }
  return out;
}

// A count status keeps; 0 when absent or not a non-negative integer.
int64_t Count(const Object& o, const char* key) {
  const Object* n = Field(o, key);
  return n && n->is_number_integer() && n->get<int64_t>() > 0 ? n->get<int64_t>() : 0;
}

void SetOrErase(Object& o, const char* key, const std::optional<Clock::TimePoint>& t) {
  if (t) {
    o[key] = FormatUtc(*t);
  } else {
    o.erase(key);
  }
}

void SetOrErase(Object& o, const char* key, const std::optional<policy::Mode>& m) {
  if (m) {
    o[key] = std::string(policy::ModeName(*m));
  } else {
    o.erase(key);
  }
}

}  // namespace

RolloutStatus ReadRolloutStatus(const Object& status) {
  RolloutStatus r;
  r.effective_mode = ModeAt(status, "effectiveMode");
  r.policy_id = Text(status, "policyId");
  r.largest_max_age = Count(status, "largestMaxAge");
  r.testing_since = Time(status, "testingSince");
  r.removal_hold_since = Time(status, "removalHoldSince");
  const Object* promotion = Field(status, "promotion");
  if (!promotion || !promotion->is_object()) return r;
  r.serving_mode = ModeAt(*promotion, "servingMode");
  r.target_mode = ModeAt(*promotion, "targetMode");
  r.eligible_at = Time(*promotion, "eligibleAt");
  r.reported_failures = Count(*promotion, "reportedFailures");
  r.reported_failures_at_enforce = Count(*promotion, "reportedFailuresAtEnforce");
  r.blocked_by = BlockersAt(*promotion);
  if (const Object* last = Field(*promotion, "lastValidation")) {
    const std::optional<Clock::TimePoint> at = Time(*last, "time");
    const std::string result = Text(*last, "result");
    if (at && (result == "Passed" || result == "Failed")) {
      r.last_validation = LastValidation{*at, result == "Passed", FindingsAt(*last)};
    }
  }
  return r;
}

Object WithRolloutStatus(const Object& status, const RolloutStatus& rollout) {
  Object next = status.is_object() ? status : Object::object();
  SetOrErase(next, "testingSince", rollout.testing_since);
  SetOrErase(next, "removalHoldSince", rollout.removal_hold_since);
  Object promotion = Object::object();
  SetOrErase(promotion, "servingMode", rollout.serving_mode);
  SetOrErase(promotion, "targetMode", rollout.target_mode);
  SetOrErase(promotion, "eligibleAt", rollout.eligible_at);
  if (rollout.reported_failures > 0) promotion["reportedFailures"] = rollout.reported_failures;
  if (rollout.reported_failures_at_enforce > 0) {
    promotion["reportedFailuresAtEnforce"] = rollout.reported_failures_at_enforce;
  }
  Object blocked = Object::array();
  for (const Blocker& b : rollout.blocked_by) {
    blocked.push_back({{"code", validate::FindingCodeName(b.code)},
                       {"target", b.target},
                       {"message", b.message}});
  }
  promotion["blockedBy"] = std::move(blocked);
  if (const std::optional<LastValidation>& last = rollout.last_validation) {
    Object findings = Object::array();
    for (const validate::Finding& f : last->findings) {
      findings.push_back({{"code", validate::FindingCodeName(f.code)},
                          {"severity", SeverityName(f.severity)},
                          {"target", f.target},
                          {"message", f.message}});
    }
    promotion["lastValidation"] = {{"time", FormatUtc(last->at)},
                                   {"result", last->passed ? "Passed" : "Failed"},
                                   {"findings", std::move(findings)}};
  }
  next["promotion"] = std::move(promotion);
  return next;
}

}  // namespace mtasts::controller
