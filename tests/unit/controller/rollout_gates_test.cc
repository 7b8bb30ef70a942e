#include "controller/rollout_gates.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace mtasts::controller
