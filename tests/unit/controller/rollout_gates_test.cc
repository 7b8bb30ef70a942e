#include "controller/rollout_gates.h"

#include <gtest/gtest.h>

#include "../validate/good_domain.h"

namespace mtasts::controller {
namespace {

using validate::Finding;
using validate::FindingCode;

TEST(RolloutGatesTest, EachCodeBelongsToItsGate) {
  EXPECT_EQ(GateOf(FindingCode::kValidationFailure), Gate::kMx);  // an MX not covered
  EXPECT_EQ(GateOf(FindingCode::kCertificateExpired), Gate::kMx);
  EXPECT_EQ(GateOf(FindingCode::kStartTlsNotSupported), Gate::kMx);
  EXPECT_EQ(GateOf(FindingCode::kStsPolicyFetchError), Gate::kPublication);
  EXPECT_EQ(GateOf(FindingCode::kStsTxtMultiple), Gate::kPublication);
  EXPECT_EQ(GateOf(FindingCode::kDnsTemporaryFailure), Gate::kUnproven);
  EXPECT_EQ(GateOf(FindingCode::kCheckIncomplete), Gate::kUnproven);
  EXPECT_EQ(GateOf(FindingCode::kTlsRptTxtMissing), Gate::kNone);
}

TEST(RolloutGatesTest, CodeNamesReadBack) {
  for (int i = 0; i <= static_cast<int>(FindingCode::kCertificateExpiring); ++i) {
    const auto code = static_cast<FindingCode>(i);
    EXPECT_EQ(FindingCodeNamed(validate::FindingCodeName(code)), code);
  }
  EXPECT_EQ(FindingCodeNamed("no-such-code"), std::nullopt);
}

TEST(RolloutGatesTest, BlockersAreErrorsOnceAndBounded) {
  const Finding error{FindingCode::kMxUnreachable, Severity::kError, "192.0.2.1", "no answer"};
  const Finding warning{FindingCode::kMaxAgeShort, Severity::kWarning, "url", "short"};
  EXPECT_EQ(BlockersOf({warning, error, error}),
            (std::vector<Blocker>{{FindingCode::kMxUnreachable, "192.0.2.1", "no answer"}}));
  validate::Findings many;
  for (int i = 0; i < 30; ++i) {
    many.push_back({FindingCode::kMxUnreachable, Severity::kError, std::to_string(i), "x"});
  }
  const std::vector<Blocker> kept = BlockersOf(many);
  ASSERT_EQ(kept.size(), kMaxKeptFindings);
  EXPECT_EQ(kept.front().target, "0");
}

TEST(RolloutGatesTest, SpecMxJudgedAgainstTheLiveSet) {
  const std::vector<std::string> live = {"mx1.example.com", "b.mx.example.com"};
  EXPECT_TRUE(UncoveredBySpec({"mx1.example.com", "*.mx.example.com"}, live).empty());
  EXPECT_TRUE(UncoveredBySpec({}, live).empty());  // the live set itself is served
  const validate::Findings uncovered = UncoveredBySpec({"mx1.example.com"}, live);
  ASSERT_EQ(uncovered.size(), 1u);
  EXPECT_EQ(uncovered[0].code, FindingCode::kValidationFailure);
  EXPECT_EQ(uncovered[0].severity, Severity::kError);
  EXPECT_EQ(uncovered[0].target, "b.mx.example.com");
  EXPECT_NE(uncovered[0].message.find("add \"b.mx.example.com\" to spec.mx"), std::string::npos);
  // A hostile host from DNS is shown escaped.
  EXPECT_EQ(UncoveredBySpec({"mx1.example.com"}, {"x\x1b[2J.example.com"})[0].target,
            "x\\x1b[2J.example.com");
}

// Gates 3 and 4 made exact: what `mtasts check` accepts as a valid policy and record must also be
// the policy and id announced now.
TEST(RolloutGatesTest, ARunJudgesTheCurrentBytesAndId) {
  const validate::Observations good = validate::test_data::GoodDomain();
  const std::string& bytes = good.policy.body;
  const std::string id = "20261128T000000Z";
  struct Row {
    const char* name;
    std::string bytes;
    std::string id;
    std::vector<std::string> errors;  // "code target"
  };
  const std::string url = "https://mta-sts.example.com/.well-known/mta-sts.txt";
  const Row rows[] = {
      {"current", bytes, id, {}},
      {"older bytes served", bytes + "x", id, {"sts-policy-invalid " + url}},
      {"older id in DNS", bytes, "20261201T000000Z", {"sts-txt-invalid _mta-sts.example.com"}},
  };
  for (const Row& row : rows) {
    const GateRun run = GateRunOf(validate::Evaluate(good), row.bytes, row.id);
    std::vector<std::string> errors;
    for (const Finding& f : run.findings) {
      if (f.severity == Severity::kError) {
        errors.push_back(std::string(validate::FindingCodeName(f.code)) + " " + f.target);
      }
    }
    EXPECT_EQ(errors, row.errors) << row.name;
    EXPECT_EQ(run.at, good.now) << row.name;
    EXPECT_EQ(run.live_mx_hosts, (std::vector<std::string>{"mx1.example.com", "mx2.example.com"}))
        << row.name;
  }
}

}  // namespace
}  // namespace mtasts::controller
