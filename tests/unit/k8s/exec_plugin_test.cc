#include "k8s/exec_plugin.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "k8s/micro_time.h"

namespace mtasts::k8s {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr char kV1[] = "client.authentication.k8s.io/v1";

std::string Credential(const std::string& status, const char* version = kV1) {
  return std::string(R"({"apiVersion":")") + version + R"(","kind":"ExecCredential","status":)" +
         status + "}";
}

TEST(ParseExecCredentialTest, ReadsTokenCertificateAndExpiry) {
  auto token = ParseExecCredential(
      Credential(R"({"token":"t1","expirationTimestamp":"2026-11-29T22:00:00Z"})"), kV1);
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  EXPECT_EQ(token->token, "t1");
  EXPECT_EQ(token->expires, ParseTime("2026-11-29T22:00:00Z"));

  auto cert = ParseExecCredential(
      Credential(R"({"clientCertificateData":"CERT","clientKeyData":"KEY"})"), kV1);
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  EXPECT_EQ(cert->client_cert_pem, "CERT");
  EXPECT_EQ(cert->client_key_pem, "KEY");
  EXPECT_FALSE(cert->expires.has_value());
}

TEST(ParseExecCredentialTest, RefusesWhatClientGoRefuses) {
  const struct {
    std::string output;
    const char* message_part;
  } kCases[] = {
      {"not json", "not a JSON object"},
      {R"({"apiVersion":"v1","kind":"Secret"})", "not an ExecCredential"},
      {Credential(R"({"token":"t"})", "client.authentication.k8s.io/v1beta1"),
       "configured for client.authentication.k8s.io/v1 but printed apiVersion "
       "\"client.authentication.k8s.io/v1beta1\""},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"})",
       "has no status"},
      {Credential("{}"), "neither a token nor a client certificate"},
      {Credential(R"({"clientCertificateData":"CERT"})"), "only one of clientCertificateData"},
      {Credential(R"({"token":"t","expirationTimestamp":"tomorrow"})"), "is not RFC 3339"},
  };
  for (const auto& c : kCases) {
    auto credential = ParseExecCredential(c.output, kV1);
    ASSERT_FALSE(credential.ok()) << c.output;
    EXPECT_EQ(credential.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(credential.status().message().find(c.message_part), std::string::npos)
        << c.output << ": " << credential.status().message();
  }
}

TEST(ParseTimeTest, Rfc3339) {
  auto base = ParseTime("2026-11-29T22:00:00Z");
  ASSERT_TRUE(base.has_value());
  EXPECT_EQ(FormatMicroTime(*base), "2026-11-29T22:00:00.000000Z");
  EXPECT_EQ(ParseTime("2026-11-29T23:30:00.5+01:30"), base);  // to the second
  EXPECT_EQ(ParseTime("2026-11-29T20:00:00-02:00"), base);
  // Beyond the clock's range (2262): the end of time, not an overflow into the past.
  EXPECT_EQ(ParseTime("2999-01-01T00:00:00Z"), Clock::TimePoint::max());
  for (const char* bad :
       {"", "2026-11-29", "2026-11-29T22:00:00", "2026-11-29T22:00:00Zx", "2026-13-29T22:00:00Z",
        "2026-11-29T22:00:00.Z", "2026-11-29 22:00:00Z", "2026-11-29T22:00:00+0100"}) {
    EXPECT_FALSE(ParseTime(bad).has_value()) << bad;
  }
}

// The cache's decisions, with a runner that counts and a fake clock.
class ExecCredentialsTest : public ::testing::Test {
 protected:
  FakeClock clock_{*ParseTime("2026-11-29T12:00:00Z")};
  int runs_ = 0;
  std::optional<Clock::TimePoint> next_expiry_;
  ExecCredentials credentials_{
      [this]() -> StatusOr<ExecCredential> {
        ++runs_;
        return ExecCredential{"token-" + std::to_string(runs_), "", "", next_expiry_};
      },
      clock_};
};

TEST_F(ExecCredentialsTest, WithoutExpiryTheCredentialIsKeptUntilA401) {
  auto first = credentials_.Current();
  ASSERT_TRUE(first.ok());
  clock_.Advance(std::chrono::hours(24 * 365));
  EXPECT_EQ((*credentials_.Current())->token, "token-1");
  EXPECT_EQ(runs_, 1);

  auto renewed = credentials_.RenewAfterUnauthorized(*first);
  EXPECT_EQ((*renewed)->token, "token-2");
  // A second request that failed with the old credential does not run the plugin again.
  EXPECT_EQ((*credentials_.RenewAfterUnauthorized(*first))->token, "token-2");
  EXPECT_EQ(runs_, 2);
}

TEST_F(ExecCredentialsTest, AnExpiredCredentialIsRenewed) {
  next_expiry_ = clock_.Now() + std::chrono::minutes(15);
  EXPECT_EQ((*credentials_.Current())->token, "token-1");
  clock_.Advance(std::chrono::minutes(15));
  EXPECT_EQ((*credentials_.Current())->token, "token-1");  // expires strictly after, as client-go
  clock_.Advance(seconds(1));
  EXPECT_EQ((*credentials_.Current())->token, "token-2");
  EXPECT_EQ(runs_, 2);
}

// Runs real plugin scripts.
class RunExecPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("exec-plugin-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    config_.server = "https://127.0.0.1:6443";
    config_.ca_pem = "CA";
    config_.source = "test kubeconfig";
    config_.exec = ExecPlugin{};
    config_.exec->api_version = kV1;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A /bin/sh script plugin with `body`; returns its path.
  std::string Script(const std::string& body) {
    fs::path path = dir_ / "plugin.sh";
    std::ofstream(path) << "#!/bin/sh\n" << body;
    chmod(path.c_str(), 0755);
    return path.string();
  }
  std::string Read(const std::string& name) {
    std::ifstream in(dir_ / name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path dir_;
  Config config_;
};

TEST_F(RunExecPluginTest, PassesArgsEnvAndExecInfoAndReadsTheToken) {
  config_.exec->command = Script(
      "printf '%s\\n' \"$@\" > \"$OUT/args\"\n"
      "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$OUT/info\"\n"
      "cat > \"$OUT/stdin\"\n"
      "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
      "\"status\":{\"token\":\"%s\"}}' \"$TOKEN\"\n");
  config_.exec->args = {"get-token", "--cluster", "c 1"};
  config_.exec->env = {{"OUT", dir_.string()}, {"TOKEN", "secret"}};
  config_.exec->provide_cluster_info = true;

  auto credential = RunExecPlugin(config_);
  ASSERT_TRUE(credential.ok()) << credential.status().ToString();
  EXPECT_EQ(credential->token, "secret");
  EXPECT_EQ(Read("args"), "get-token\n--cluster\nc 1\n");
  EXPECT_EQ(Read("stdin"), "");  // not interactive: no stdin
  auto info = nlohmann::json::parse(Read("info"));
  EXPECT_EQ(info["apiVersion"], kV1);
  EXPECT_EQ(info["kind"], "ExecCredential");
  EXPECT_EQ(info["spec"]["interactive"], false);
  EXPECT_EQ(info["spec"]["cluster"]["server"], "https://127.0.0.1:6443");
  EXPECT_EQ(info["spec"]["cluster"]["certificate-authority-data"], "Q0E=");  // base64 of "CA"

  config_.exec->provide_cluster_info = false;
  ASSERT_TRUE(RunExecPlugin(config_).ok());
  EXPECT_FALSE(nlohmann::json::parse(Read("info"))["spec"].contains("cluster"));
}

TEST_F(RunExecPluginTest, FailuresSayWhichPluginAndWhy) {
  config_.exec->command = Script("echo 'login required' >&2\nexit 3\n");
  auto failed = RunExecPlugin(config_);
  EXPECT_EQ(failed.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(failed.status().message().find("plugin.sh failed with exit code 3"), std::string::npos)
      << failed.status().message();

  config_.exec->command = Script("echo '{\"kind\":\"ExecCredential\"}'\n");
  auto garbage = RunExecPlugin(config_);
  EXPECT_EQ(garbage.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(garbage.status().message().find("(from test kubeconfig)"), std::string::npos)
      << garbage.status().message();

  config_.exec->command = "no-such-credential-plugin";
  config_.exec->install_hint = "install it with: apt install no-such";
  auto missing = RunExecPlugin(config_);
  EXPECT_EQ(missing.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.status().message().find(
                "no-such-credential-plugin not found; install it with: apt install no-such"),
            std::string::npos)
      << missing.status().message();
}

TEST_F(RunExecPluginTest, APluginThatHangsIsStopped) {
  config_.exec->command = Script("exec sleep 30\n");
  auto start = std::chrono::steady_clock::now();
  auto hung = RunExecPlugin(config_, seconds(1));
  EXPECT_EQ(hung.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(10));
}

}  // namespace
}  // namespace mtasts::k8s
