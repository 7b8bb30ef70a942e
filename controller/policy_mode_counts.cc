#include "controller/policy_mode_counts.h"

#include <optional>

namespace mtasts::controller {
namespace {

std::optional<size_t> ModeOf(const k8s::Object& policy) {
  const auto status = policy.find("status");
  if (status == policy.end() || !status->is_object()) return std::nullopt;
  const auto mode = status->find("effectiveMode");
  if (mode == status->end() || !mode->is_string()) return std::nullopt;
  const std::optional<policy::Mode> known =
      policy::ModeFromName(mode->get_ref<const std::string&>());
  return known ? std::optional<size_t>(static_cast<size_t>(*known)) : std::nullopt;
}

}  // namespace

void PolicyModeCounts::Added(const k8s::Object& policy) { Move(nullptr, &policy); }

void PolicyModeCounts::Updated(const k8s::Object& before, const k8s::Object& after) {
  Move(&before, &after);
}

void PolicyModeCounts::Deleted(const k8s::Object& policy) { Move(&policy, nullptr); }

int PolicyModeCounts::Count(policy::Mode mode) const {
  std::lock_guard lock(mu_);
  return counts_[static_cast<size_t>(mode)];
}

void PolicyModeCounts::Move(const k8s::Object* leaving, const k8s::Object* arriving) {
  const std::optional<size_t> from = leaving ? ModeOf(*leaving) : std::nullopt;
  const std::optional<size_t> to = arriving ? ModeOf(*arriving) : std::nullopt;
  std::lock_guard lock(mu_);
  if (from) --counts_[*from];
  if (to) ++counts_[*to];
}

}  // namespace mtasts::controller
