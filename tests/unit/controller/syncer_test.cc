// The syncer against the fake API server and a temporary serve directory: what the labelled
// ConfigMaps and Secrets ask for is on disk, changes and deletes follow, orphans go before Ready,
// bad objects leave the last good file, and a restart with nothing changed writes nothing.
#include "controller/syncer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>

#include "controller/names.h"
#include "fakes/fake_client.h"
#include "k8s/base64.h"
#include "matchers/status_matchers.h"
#include "temp_serve_dir.h"
#include "test_pki.h"
#include "unit/k8s/eventually.h"

namespace mtasts::controller {
namespace {

namespace fs = std::filesystem;
using k8s::Eventually;
using ::testing::Contains;
using ::testing::Not;
using testing::ReadFile;
using testing::TempServeDir;
using testing::TestCa;
using testing::TlsFiles;

constexpr char kHost[] = "mta-sts.example.com";
constexpr char kPolicyA[] =
    "version: STSv1\r\nmode: testing\r\nmx: mx.example.com\r\nmax_age: 86400\r\n";
constexpr char kPolicyB[] = "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n";

ino_t Inode(const fs::path& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

k8s::Object Meta(const std::string& ns, const std::string& name, std::string_view content,
                 const std::string& host, const std::string& policy) {
  return {{"name", name},
          {"namespace", ns},
          {"labels", {{kManagedByLabel, kManagedByValue}, {kContentLabel, content}}},
          {"annotations", {{kPolicyHostAnnotation, host}, {kPolicyKeyAnnotation, policy}}}};
}

k8s::Object PolicyMap(const std::string& name, const std::string& host, const std::string& bytes,
                      const std::string& ns = "mail") {
  return {{"metadata", Meta(ns, name, kContentPolicy, host, ns + "/" + name)},
          {"data", {{kPolicyFileKey, bytes}}}};
}

k8s::Object TlsSecret(const std::string& name, const std::string& host, const TlsFiles& files,
                      const std::string& ns = "mail") {
  return {
      {"metadata", Meta(ns, name, kContentCertificate, host, ns + "/" + name)},
      {"type", "kubernetes.io/tls"},
      {"data",
       {{"tls.crt", k8s::Base64Encode(files.chain)}, {"tls.key", k8s::Base64Encode(files.key)}}}};
}

class SyncerTest : public ::testing::Test {
 protected:
  void SetUp() override { std::ofstream(root_ / "nginx.conf") << "worker_processes 1;\n"; }
  void TearDown() override { syncer_.reset(); }

  void Start(std::vector<std::string> namespaces = {}) {
    SyncerOptions options;
    options.serve_dir = root_.string();
    options.namespaces = std::move(namespaces);
    options.clock = &clock_;
    syncer_ = std::make_unique<Syncer>(client_, std::move(options), [this](const std::string& key) {
      std::lock_guard<std::mutex> lock(mu_);
      written_.push_back(key);
    });
    ASSERT_THAT(syncer_->Start(), IsOk());
  }
  void StartAndSync(std::vector<std::string> namespaces = {}) {
    Start(std::move(namespaces));
    ASSERT_TRUE(Eventually([&] { return syncer_->Ready(); }));
  }

  fs::path PolicyFile(const std::string& host = kHost) const {
    return root_ / "www" / host / "mta-sts.txt";
  }
  fs::path CertFile(const std::string& host = kHost) const {
    return root_ / "certs" / (host + ".pem");
  }
  std::vector<std::string> Written() {
    std::lock_guard<std::mutex> lock(mu_);
    return written_;
  }
  void Create(const k8s::ResourceRef& ref, const k8s::Object& obj) {
    ASSERT_THAT(server_.Create(ref, obj), IsOk());
  }

  TempServeDir temp_;
  const fs::path root_ = temp_.path();
  k8s::FakeApiServer server_;
  k8s::FakeClient client_{server_};
  FakeClock clock_{std::chrono::system_clock::now()};
  TestCa ca_;
  std::unique_ptr<Syncer> syncer_;
  std::mutex mu_;
  std::vector<std::string> written_;  // what on_written was called with
};

TEST_F(SyncerTest, ServesWhatTheLabelledObjectsAskFor) {
  TlsFiles files = ca_.Leaf(kHost);
  Create(k8s::ConfigMaps(), PolicyMap("p", kHost, kPolicyA));
  Create(k8s::Secrets(), TlsSecret("p", kHost, files));
  // The same annotations without our labels: never read, never served.
  k8s::Object stranger =
      TlsSecret("stranger", "mta-sts.stranger.test", ca_.Leaf("mta-sts.stranger.test"));
  stranger["metadata"].erase("labels");
  Create(k8s::Secrets(), stranger);
  StartAndSync();
  EXPECT_EQ(ReadFile(PolicyFile()), kPolicyA);
  EXPECT_TRUE(ReadFile(CertFile()).starts_with(files.chain));
  EXPECT_FALSE(fs::exists(CertFile("mta-sts.stranger.test")));
  EXPECT_THAT(Written(), ::testing::ElementsAre("mail/p", "mail/p"));
  EXPECT_EQ(syncer_->Stats().written, 2);
  EXPECT_EQ(ReadFile(root_ / "nginx.conf"), "worker_processes 1;\n");
}

TEST_F(SyncerTest, AChangeIsWrittenAndADeleteRemoves) {
  Create(k8s::ConfigMaps(), PolicyMap("p", kHost, kPolicyA));
  Create(k8s::Secrets(), TlsSecret("p", kHost, ca_.Leaf(kHost)));
  StartAndSync();
  TlsFiles renewed = ca_.Leaf(kHost);
  ASSERT_THAT(server_.Update(k8s::ConfigMaps(), PolicyMap("p", kHost, kPolicyB)), IsOk());
  ASSERT_THAT(server_.Update(k8s::Secrets(), TlsSecret("p", kHost, renewed)), IsOk());
  EXPECT_TRUE(Eventually([&] { return ReadFile(PolicyFile()) == kPolicyB; }));
  EXPECT_TRUE(Eventually([&] { return ReadFile(CertFile()).starts_with(renewed.chain); }));
  ASSERT_THAT(server_.Delete(k8s::ConfigMaps(), "mail", "p"), IsOk());
  ASSERT_THAT(server_.Delete(k8s::Secrets(), "mail", "p"), IsOk());
  EXPECT_TRUE(Eventually([&] { return !fs::exists(root_ / "www" / kHost); }));
  EXPECT_TRUE(Eventually([&] { return !fs::exists(CertFile()); }));
  // Each write and removal told the reconciler: two at start, two changes, two removals.
  EXPECT_TRUE(Eventually([&] { return Written().size() == 6; }));
  EXPECT_THAT(Written(), ::testing::Each("mail/p"));
  SyncerStats stats = syncer_->Stats();
  EXPECT_EQ(stats.written, 4);
  EXPECT_EQ(stats.removed, 2);
}

TEST_F(SyncerTest, AnObjectThatLosesItsLabelIsNoLongerServed) {
  Create(k8s::ConfigMaps(), PolicyMap("p", kHost, kPolicyA));
  StartAndSync();
  ASSERT_TRUE(fs::exists(PolicyFile()));
  ASSERT_THAT(server_.MergePatch(k8s::ConfigMaps(), "mail", "p",
                                 {{"metadata", {{"labels", {{kContentLabel, nullptr}}}}}}),
              IsOk());
  EXPECT_TRUE(Eventually([&] { return !fs::exists(PolicyFile()); }));
}

TEST_F(SyncerTest, FilesNothingAsksForAreRemovedBeforeReady) {
  {  // what an earlier run left: one host still wanted, one not
    auto dir = ServeDir::Open(root_.string());
    TlsFiles old = ca_.Leaf("mta-sts.gone.test");
    ASSERT_THAT(dir->WritePolicy("mta-sts.gone.test", kPolicyA), IsOk());
    ASSERT_THAT(dir->WriteCertificate("mta-sts.gone.test", old.chain, old.key), IsOk());
    ASSERT_THAT(dir->WritePolicy(kHost, kPolicyA), IsOk());
  }
  const ino_t kept = Inode(PolicyFile());
  Create(k8s::ConfigMaps(), PolicyMap("p", kHost, kPolicyA));
  client_.FailOn("list", UnavailableError("the API server is down"));
  Start();
  ASSERT_TRUE(Eventually([&] { return client_.Calls("list") >= 2; }));
  EXPECT_FALSE(syncer_->Ready());
  EXPECT_TRUE(fs::exists(PolicyFile("mta-sts.gone.test")));  // nothing is removed unlisted
  client_.FailOn("list", OkStatus());
  ASSERT_TRUE(Eventually([&] {
    clock_.Advance(std::chrono::seconds(30));  // past the informers' backoff
    return syncer_->Ready();
  }));
  EXPECT_FALSE(fs::exists(root_ / "www" / "mta-sts.gone.test"));
  EXPECT_FALSE(fs::exists(CertFile("mta-sts.gone.test")));
  EXPECT_EQ(Inode(PolicyFile()), kept);  // the same bytes: not written again
  EXPECT_EQ(syncer_->Stats().written, 0);
  EXPECT_EQ(syncer_->Stats().removed, 2);
  EXPECT_EQ(ReadFile(root_ / "nginx.conf"), "worker_processes 1;\n");
}

TEST_F(SyncerTest, BadObjectsAreRefusedAndTheLastGoodFileStays) {
  TlsFiles good = ca_.Leaf(kHost);
  Create(k8s::ConfigMaps(), PolicyMap("p", kHost, kPolicyA));
  Create(k8s::Secrets(), TlsSecret("p", kHost, good));
  Create(k8s::ConfigMaps(), PolicyMap("hostile", "mta-sts.../etc", kPolicyA));
  StartAndSync();
  EXPECT_EQ(syncer_->Stats().refused, 1);
  const std::string good_pem = ReadFile(CertFile());
  struct Case {
    const char* name;
    k8s::Object secret;
  } cases[] = {
      {"a key that does not match", TlsSecret("p", kHost, {ca_.Leaf(kHost).chain, good.key})},
      {"a chain that does not parse", TlsSecret("p", kHost, {"garbage", good.key})},
      {"no key", TlsSecret("p", kHost, good)},
  };
  cases[2].secret["data"].erase("tls.key");
  int64_t refused = 1;
  for (const Case& c : cases) {
    ASSERT_THAT(server_.Update(k8s::Secrets(), c.secret), IsOk()) << c.name;
    ++refused;
    EXPECT_TRUE(Eventually([&] { return syncer_->Stats().refused == refused; })) << c.name;
    EXPECT_EQ(ReadFile(CertFile()), good_pem) << c.name;
  }
  k8s::Object no_policy = PolicyMap("p", kHost, kPolicyB);
  no_policy["data"] = {{"other", "x"}};
  ASSERT_THAT(server_.Update(k8s::ConfigMaps(), no_policy), IsOk());
  EXPECT_TRUE(Eventually([&] { return syncer_->Stats().refused == refused + 1; }));
  EXPECT_EQ(ReadFile(PolicyFile()), kPolicyA);
  EXPECT_EQ(syncer_->Stats().written, 2);
  // The hostile host reached no path.
  EXPECT_FALSE(fs::exists(root_ / "etc"));
  EXPECT_FALSE(fs::exists(root_ / "www" / "mta-sts.../etc"));
}

TEST_F(SyncerTest, WhenTwoClaimAHostTheOneLeftIsServed) {
  Create(k8s::ConfigMaps(), PolicyMap("old", kHost, kPolicyA));
  StartAndSync();
  Create(k8s::ConfigMaps(), PolicyMap("new", kHost, kPolicyB));
  EXPECT_TRUE(Eventually([&] { return ReadFile(PolicyFile()) == kPolicyB; }));
  ASSERT_THAT(server_.Delete(k8s::ConfigMaps(), "mail", "new"), IsOk());
  // The file goes back to what the remaining claimant asks for, read again from the API.
  EXPECT_TRUE(Eventually([&] { return ReadFile(PolicyFile()) == kPolicyA; }));
  ASSERT_THAT(server_.Delete(k8s::ConfigMaps(), "mail", "old"), IsOk());
  EXPECT_TRUE(Eventually([&] { return !fs::exists(PolicyFile()); }));
}

TEST_F(SyncerTest, AHostChangeMovesTheFile) {
  Create(k8s::ConfigMaps(), PolicyMap("p", kHost, kPolicyA));
  StartAndSync();
  ASSERT_THAT(server_.Update(k8s::ConfigMaps(), PolicyMap("p", "mta-sts.example.net", kPolicyA)),
              IsOk());
  EXPECT_TRUE(Eventually([&] { return fs::exists(PolicyFile("mta-sts.example.net")); }));
  EXPECT_TRUE(Eventually([&] { return !fs::exists(root_ / "www" / kHost); }));
}

TEST_F(SyncerTest, OnlyTheGivenNamespacesAreServed) {
  Create(k8s::ConfigMaps(), PolicyMap("p", kHost, kPolicyA, "mail"));
  Create(k8s::ConfigMaps(), PolicyMap("q", "mta-sts.other.test", kPolicyA, "other"));
  StartAndSync({"mail", "mail"});
  EXPECT_TRUE(fs::exists(PolicyFile()));
  EXPECT_FALSE(fs::exists(PolicyFile("mta-sts.other.test")));
}

TEST_F(SyncerTest, AWriteThatFailedOnTheDiskIsRetried) {
  fs::create_directories(root_ / "www");
  std::ofstream(root_ / "www" / kHost) << "in the way\n";  // where the host's folder must go
  Create(k8s::ConfigMaps(), PolicyMap("p", kHost, kPolicyA));
  StartAndSync();
  EXPECT_EQ(syncer_->Stats().failed, 1);
  fs::remove(root_ / "www" / kHost);
  ASSERT_TRUE(Eventually([&] {
    clock_.Advance(std::chrono::seconds(10));
    return fs::exists(PolicyFile());
  }));
  EXPECT_EQ(ReadFile(PolicyFile()), kPolicyA);
  EXPECT_TRUE(Eventually([&] { return !Written().empty(); }));  // told after the rename
  EXPECT_THAT(Written(), Contains("mail/p"));
}

TEST_F(SyncerTest, ARestartWithNothingChangedWritesNothing) {
  Create(k8s::ConfigMaps(), PolicyMap("p", kHost, kPolicyA));
  Create(k8s::Secrets(), TlsSecret("p", kHost, ca_.Leaf(kHost)));
  StartAndSync();
  syncer_->Stop();
  const ino_t policy = Inode(PolicyFile()), cert = Inode(CertFile());
  written_.clear();
  StartAndSync();
  SyncerStats stats = syncer_->Stats();
  EXPECT_EQ(stats.written, 0);
  EXPECT_EQ(stats.removed, 0);
  EXPECT_EQ(Inode(PolicyFile()), policy);
  EXPECT_EQ(Inode(CertFile()), cert);
  EXPECT_THAT(Written(), Not(Contains("mail/p")));
}

TEST_F(SyncerTest, StartFailsWithoutTheServeDirectory) {
  SyncerOptions options;
  options.serve_dir = (root_ / "absent").string();
  Syncer syncer(client_, options, nullptr);
  EXPECT_THAT(syncer.Start(), StatusIs(StatusCode::kUnavailable));
  EXPECT_FALSE(syncer.Ready());
}

}  // namespace
}  // namespace mtasts::controller
