#include "controller/conditions.h"

namespace mtasts::controller {
namespace {

Condition FromVerdict(const char* type, const Verdict& v) {
  return {type, v.ok ? "True" : "False", v.reason, v.message};
}

}  // namespace

std::vector<Condition> DeriveConditions(const Progress& p) {
  std::vector<Condition> out;
  const Verdict* holding = nullptr;  // the first stage that is not done
  if (p.blocked) {
    holding = &*p.blocked;
  } else {
    out.push_back(FromVerdict(kCertificateReady, p.certificate));
    out.push_back(FromVerdict(kPolicyServed, p.served));
    out.push_back(FromVerdict(kDnsPublished, p.published));
    if (p.certificate_validity)
      out.push_back(FromVerdict(kCertificateValid, *p.certificate_validity));
    for (const Verdict* v : {&p.certificate, &p.served, &p.published}) {
      if (!v->ok) {
        holding = v;
        break;
      }
    }
  }
  // Every stage done but the target not reached: the rollout (testing before enforce) holds
  // it; when the rollout has let the target through, its announcement is still to come.
  Verdict rollout;
  if (holding == nullptr && p.rollout && !p.rollout->ok) {
    holding = &*p.rollout;
  } else if (holding == nullptr && p.effective_mode != p.target_mode) {
    rollout = p.rollout ? Verdict{false, "ModeChanging",
                                  "mode " + p.target_mode +
                                      " is decided: it is served, then "
                                      "announced in place of mode " +
                                      p.effective_mode}
                        : Verdict{false, "RolloutPending",
                                  "serving mode " + p.effective_mode + "; spec.mode " +
                                      p.target_mode + " waits for the rollout gates"};
    holding = &rollout;
  }
  if (holding == nullptr) {
    out.push_back(
        {kReady, "True", "Published", "mode " + p.effective_mode + " is served and announced"});
    out.push_back({kReconciling, "False", "Published", ""});
    out.push_back({kStalled, "False", "Published", ""});
    return out;
  }
  out.push_back({kReady, "False", holding->reason, holding->message});
  if (holding->needs_person) {
    out.push_back({kReconciling, "False", holding->reason, ""});
    out.push_back({kStalled, "True", holding->reason, holding->message});
  } else {
    out.push_back({kReconciling, "True", holding->reason, holding->message});
    out.push_back({kStalled, "False", holding->reason, ""});
  }
  return out;
}

}  // namespace mtasts::controller
