// The conditions of an MtaStsPolicy, decided from what each stage of a reconcile found. kstatus
// reads Ready, Reconciling and Stalled; PolicyServed, DNSPublished and CertificateReady say which
// stage holds things up. Messages name the object, endpoint or record and the fix, and never a
// relative time, so a status with nothing new is byte-identical and is not written. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mtasts::controller {

inline constexpr char kReady[] = "Ready";
inline constexpr char kReconciling[] = "Reconciling";
inline constexpr char kStalled[] = "Stalled";
inline constexpr char kPolicyServed[] = "PolicyServed";
inline constexpr char kDnsPublished[] = "DNSPublished";
inline constexpr char kCertificateReady[] = "CertificateReady";
inline constexpr char kCertificateValid[] = "CertificateValid";

struct Condition {
  std::string type;
  std::string status;  // "True", "False", "Unknown"
  std::string reason;  // UpperCamelCase
  std::string message;
  friend bool operator==(const Condition&, const Condition&) = default;
};

// What one stage found: done, or why not and whether only a person can change that (a spec that
// cannot work, a missing CRD, a field another manager owns), as opposed to waiting for the world
// (a certificate being issued, an endpoint catching up, DNS propagating).
struct Verdict {
  bool ok = false;
  std::string reason;
  std::string message;
  bool needs_person = false;
};

struct Progress {
  // Set when the policy cannot be worked on at all (invalid spec, domain held by another policy):
  // then the stages below did not run and their conditions stay as they were.
  std::optional<Verdict> blocked;
  Verdict certificate;
  Verdict served;
  Verdict published;
  // How long the served certificate stays valid (certificate_validity.h), when a handshake told.
  // A warning: it never holds Ready.
  std::optional<Verdict> certificate_validity;
  std::string effective_mode;  // "" before anything was announced
  std::string target_mode;     // spec.mode
  // The rollout's verdict (rollout_machine.h) once every stage is done; absent, an effective
  // mode short of the target is RolloutPending.
  std::optional<Verdict> rollout;
};

// Ready, Reconciling, Stalled, and (unless blocked) CertificateReady, PolicyServed, DNSPublished,
// and CertificateValid when known.
std::vector<Condition> DeriveConditions(const Progress& progress);

}  // namespace mtasts::controller
