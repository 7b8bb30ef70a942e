#include "cli/cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/strings.h"
#include "cli/check_options.h"
#include "cli/command.h"
#include "cli/document.h"

namespace mtasts::cli {
namespace {

using testing::HasSubstr;
using testing::StartsWith;

struct Outcome {
  int status;
  std::string out;
  std::string err;
};

Outcome Cli(std::vector<std::string> args) {
  std::ostringstream out, err;
  const int status = RunCli(args, out, err);
  return {status, out.str(), err.str()};
}

TEST(CliTest, HelpListsEveryCommand) {
  Outcome run = Cli({"--help"});
  EXPECT_EQ(run.status, kExitOk);
  for (const Command& command : Commands()) {
    EXPECT_THAT(run.out, HasSubstr("  " + std::string(command.name) + " ")) << command.name;
  }
  EXPECT_EQ(Cli({"help"}).out, run.out);
}

TEST(CliTest, NoArgumentsIsUsage) {
  Outcome run = Cli({});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_THAT(run.err, StartsWith("Usage: mtasts"));
}

TEST(CliTest, Version) {
  Outcome run = Cli({"--version"});
  EXPECT_EQ(run.status, kExitOk);
  EXPECT_EQ(run.out, "mtasts " MTASTS_VERSION "\n");
}

TEST(CliTest, EveryCommandAnswersHelp) {
  for (const Command& command : Commands()) {
    const std::string name(command.name);
    Outcome run = Cli({name, "--help"});
    EXPECT_EQ(run.status, kExitOk) << name;
    EXPECT_THAT(run.out, StartsWith("Usage: mtasts " + name)) << name;
    for (const char* section : {"Exit status", "Examples"}) {
      EXPECT_THAT(run.out, HasSubstr(section)) << name;
    }
    EXPECT_EQ(Cli({"help", name}).out, run.out);
  }
}

TEST(CliTest, UnknownCommandSuggests) {
  Outcome run = Cli({"rendr", "x.yaml"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(run.err,
            "mtasts: unknown command \"rendr\"; did you mean render? (see mtasts --help)\n");
}

TEST(CliTest, UnknownOptionSuggests) {
  Outcome run = Cli({"lint", "--stritc", "x.yaml"});
  EXPECT_EQ(run.status, kExitUsage);
  EXPECT_EQ(run.err, "mtasts lint: unknown option --stritc; did you mean --strict?\n");
}

TEST(CliTest, RenderChecksItsOptionsBeforeReading) {
  EXPECT_EQ(Cli({"render", "--mode", "strict", "x"}).err,
            "mtasts render: --mode must be none, testing or enforce\n");
  EXPECT_EQ(Cli({"render", "--at", "yesterday", "x"}).err,
            "mtasts render: --at must be a UTC time like 2026-01-31T12:00:00Z\n");
  EXPECT_EQ(Cli({"render", "--only", "all", "x"}).status, kExitUsage);
  EXPECT_EQ(Cli({"render", "a", "b"}).status, kExitUsage);
  EXPECT_EQ(Cli({"render", "--mode"}).err, "mtasts render: --mode needs a value; see --help\n");
}

bool HasRawControl(const std::string& text) {
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
  }
  return false;
}

TEST(CliTest, BytesFromTheUserAreShownEscaped) {
  const std::string path = ::testing::TempDir() + "/hostile.yaml";
  std::ofstream(path) << "apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\nmetadata: {name: x}\n"
                         "spec:\n  domain: \"ex\\e[31mample.com\"\n  mode: enforce\n"
                         "  mx: [\"mx\\xff.example.com\"]\n  \"bad\\e[2Jkey\": 1\n";
  Outcome run = Cli({"lint", path});
  EXPECT_EQ(run.status, kExitProblems);
  EXPECT_FALSE(HasRawControl(run.out + run.err)) << run.err;
  EXPECT_TRUE(IsValidUtf8(run.out + run.err)) << run.err;
  EXPECT_THAT(run.err, HasSubstr("spec.bad\\x1b[2Jkey: unknown field"));

  run = Cli({"rend\x1b]0;owned\a"});
  EXPECT_EQ(run.err.find('\x1b'), std::string::npos) << run.err;
  EXPECT_THAT(run.err, HasSubstr("rend\\x1b]0;owned\\x07"));
}

TEST(DocumentTest, DetectsPolicyFilesByTheirFields) {
  EXPECT_EQ(DetectDocumentKind("version: STSv1\r\nmode: none\r\n"), DocumentKind::kPolicyFile);
  EXPECT_EQ(DetectDocumentKind("# c\nmx: a.example.com\n"), DocumentKind::kPolicyFile);
  EXPECT_EQ(DetectDocumentKind("apiVersion: mtasts.io/v1alpha1\nspec:\n  mode: x\n"),
            DocumentKind::kResource);
  EXPECT_EQ(DetectDocumentKind("a: &a [1]\n"), DocumentKind::kResource);
}

TEST(CheckOptionsTest, AllowPrivateAddressesIsASwitch) {
  struct Case {
    std::vector<std::string> args;
    bool allowed;
  };
  const Case cases[] = {
      {{"example.com"}, false},
      {{"--allow-private-addresses", "example.com"}, true},
      {{"--allow-private-addresses=true", "example.com"}, true},
      {{"--allow-private-addresses=false", "example.com"}, false},
  };
  for (const Case& c : cases) {
    auto options = ParseCheckOptions(c.args);
    ASSERT_TRUE(options.ok()) << c.args[0] << ": " << options.status().message();
    EXPECT_EQ(options->allow_private_addresses, c.allowed) << c.args[0];
  }
  auto bad = ParseCheckOptions({"--allow-private-addresses=maybe", "example.com"});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("=true|false, not \"maybe\""));
}

TEST(CheckOptionsTest, DeadlineIsWholeSecondsPerDomain) {
  auto options = ParseCheckOptions({"example.com"});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->deadline_seconds, 60);
  options = ParseCheckOptions({"--deadline", "5", "example.com"});
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->deadline_seconds, 5);
  EXPECT_FALSE(ParseCheckOptions({"--deadline", "0", "example.com"}).ok());
  EXPECT_FALSE(ParseCheckOptions({"--deadline=soon", "example.com"}).ok());
}

}  // namespace
}  // namespace mtasts::cli
