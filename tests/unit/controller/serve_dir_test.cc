// ServeDir on a temporary directory: the layout nginx.conf reads, writes by rename that change
// nothing when the bytes are the same, hostile host names refused, a crash before the rename
// leaving the old file served, and nothing outside www/ and certs/ ever touched.
#include "controller/serve_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "matchers/status_matchers.h"
#include "temp_serve_dir.h"
#include "test_pki.h"

namespace mtasts::controller {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::TempServeDir;
using testing::TestCa;
using testing::TlsFiles;

constexpr char kHost[] = "mta-sts.example.com";
constexpr char kPolicy[] =
    "version: STSv1\r\nmode: testing\r\nmx: mx.example.com\r\nmax_age: 86400\r\n";

void WriteText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

size_t EntryCount(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

struct stat Stat(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st;
}

// Every path under root with its bytes (folders as "<dir>"), to show that nothing changed.
std::map<std::string, std::string> Tree(const fs::path& root) {
  std::map<std::string, std::string> tree;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    tree[fs::relative(entry.path(), root)] =
        entry.is_directory() ? "<dir>" : ReadFile(entry.path());
  }
  return tree;
}

class ServeDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // What the syncer must leave alone: nginx's own files.
    WriteText(root_ / "nginx.conf", "worker_processes 1;\n");
    WriteText(root_ / "listen.conf", "listen 127.0.0.1:8443 ssl;\n");
    WriteText(root_ / "logs" / "error.log", "old log\n");
    fs::create_directories(root_ / "tmp");
  }

  ServeDir Open(ServeDirOptions options = {}) {
    auto dir = ServeDir::Open(root_.string(), std::move(options));
    EXPECT_THAT(dir, IsOk());
    return std::move(dir).value();
  }

  std::map<std::string, std::string> Foreign() {
    auto tree = Tree(root_);
    std::erase_if(tree, [](const auto& entry) {
      return entry.first.starts_with("www") || entry.first.starts_with("certs");
    });
    return tree;
  }

  TempServeDir temp_;
  const fs::path root_ = temp_.path();
  const gid_t group_ = temp_.group();
  TestCa ca_;
};

TEST(PolicyHostTest, OnlyWhatNginxsMapAdmits) {
  for (const char* host : {"mta-sts.example.com", "mta-sts.a", "mta-sts.0-x.example",
                           "mta-sts.xn--bcher-kva.example"}) {
    EXPECT_THAT(CheckPolicyHost(host), IsOk()) << host;
  }
  EXPECT_THAT(CheckPolicyHost("mta-sts." + std::string(245, 'a')), IsOk());
  for (const std::string& host : std::vector<std::string>{
           "", "mta-sts.", "example.com", "www.example.com", "MTA-STS.example.com",
           "mta-sts.Example.com", "mta-sts.../etc", "mta-sts.a/../../etc", "mta-sts..example.com",
           "mta-sts.example..com", "mta-sts.-x.example", "mta-sts..", "mta-sts.a b",
           "mta-sts.example.com\n", std::string("mta-sts.a\0b", 11), "mta-sts.ex\xc3\xa4mple.com",
           "mta-sts." + std::string(246, 'a'), "../mta-sts.example.com"}) {
    EXPECT_THAT(CheckPolicyHost(host), StatusIs(StatusCode::kInvalidArgument)) << host;
  }
  // The refusal shows the name escaped, and a long one cut short.
  EXPECT_THAT(CheckPolicyHost("mta-sts.\x1b[2J"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("mta-sts.\\x1b[2J")));
  EXPECT_THAT(CheckPolicyHost(std::string(100000, 'a')),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("(100000 bytes)")));
}

TEST_F(ServeDirTest, OpenMakesItsTwoFoldersAndNothingElse) {
  auto before = Tree(root_);
  ServeDir dir = Open();
  EXPECT_EQ(Stat(root_ / "www").st_mode & 07777, 0755u);
  EXPECT_EQ(Stat(root_ / "certs").st_mode & 07777, 0750u);
  EXPECT_EQ(Stat(root_ / "certs").st_gid, group_);
  auto after = Tree(root_);
  after.erase("www");
  after.erase("certs");
  EXPECT_EQ(after, before);
  EXPECT_THAT(ServeDir::Open((root_ / "absent").string()), StatusIs(StatusCode::kUnavailable));
  EXPECT_THAT(ServeDir::Open((root_ / "nginx.conf").string()),
              StatusIs(StatusCode::kFailedPrecondition, HasSubstr("not a directory")));
}

TEST_F(ServeDirTest, WritesThePolicyWhereNginxReadsIt) {
  ServeDir dir = Open();
  ASSERT_THAT(dir.WritePolicy(kHost, kPolicy), IsOk());
  fs::path file = root_ / "www" / kHost / "mta-sts.txt";
  EXPECT_EQ(dir.PathOf(ServedFile::kPolicy, kHost), file.string());
  EXPECT_EQ(ReadFile(file), kPolicy);
  EXPECT_EQ(Stat(file).st_mode & 07777, 0644u);
  EXPECT_EQ(Stat(root_ / "www" / kHost).st_mode & 07777, 0755u);
}

TEST_F(ServeDirTest, WritesChainAndKeyAsOneGroupReadableFile) {
  ServeDir dir = Open();
  TlsFiles files = ca_.Leaf(kHost);
  auto written = dir.WriteCertificate(kHost, files.chain, files.key);
  ASSERT_THAT(written, IsOk());
  EXPECT_TRUE(*written);
  fs::path file = root_ / "certs" / (std::string(kHost) + ".pem");
  EXPECT_EQ(dir.PathOf(ServedFile::kCertificate, kHost), file.string());
  std::string pem = ReadFile(file);
  EXPECT_TRUE(pem.starts_with(files.chain)) << pem;
  EXPECT_NE(pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(Stat(file).st_mode & 07777, 0640u);
  EXPECT_EQ(Stat(file).st_gid, group_);
}

TEST_F(ServeDirTest, TheSameBytesAreNotWrittenAgain) {
  ServeDir dir = Open();
  TlsFiles files = ca_.Leaf(kHost);
  ASSERT_THAT(dir.WritePolicy(kHost, kPolicy), IsOk());
  ASSERT_THAT(dir.WriteCertificate(kHost, files.chain, files.key), IsOk());
  fs::path policy = dir.PathOf(ServedFile::kPolicy, kHost);
  fs::path cert = dir.PathOf(ServedFile::kCertificate, kHost);
  struct stat policy_before = Stat(policy), cert_before = Stat(cert);
  auto again = dir.WritePolicy(kHost, kPolicy);
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(*again);
  auto cert_again = dir.WriteCertificate(kHost, files.chain, files.key);
  ASSERT_THAT(cert_again, IsOk());
  EXPECT_FALSE(*cert_again);
  // No rename happened: the same inodes are there.
  EXPECT_EQ(Stat(policy).st_ino, policy_before.st_ino);
  EXPECT_EQ(Stat(cert).st_ino, cert_before.st_ino);
  // New bytes are a new file, renamed over the old one.
  auto changed = dir.WritePolicy(kHost, "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n");
  ASSERT_THAT(changed, IsOk());
  EXPECT_TRUE(*changed);
  EXPECT_NE(Stat(policy).st_ino, policy_before.st_ino);
}

TEST_F(ServeDirTest, ARefusedCertificateLeavesTheLastGoodFile) {
  ServeDir dir = Open();
  TlsFiles good = ca_.Leaf(kHost);
  TlsFiles other = ca_.Leaf(kHost);
  ASSERT_THAT(dir.WriteCertificate(kHost, good.chain, good.key), IsOk());
  fs::path cert = dir.PathOf(ServedFile::kCertificate, kHost);
  const std::string last_good = ReadFile(cert);
  EXPECT_THAT(dir.WriteCertificate(kHost, other.chain, good.key),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("does not belong")));
  EXPECT_THAT(dir.WriteCertificate(kHost, "not a certificate", good.key),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("not PEM")));
  EXPECT_EQ(ReadFile(cert), last_good);
  EXPECT_EQ(EntryCount(root_ / "certs"), 1u);

  // Two days on, the same pair (valid for a day) has expired: refused, the file left alone.
  FakeClock later(RealClock::Get().Now() + std::chrono::hours(48));
  ServeDir late = Open({.clock = &later, .before_rename = {}});
  EXPECT_THAT(late.WriteCertificate(kHost, other.chain, other.key),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("expired")));
  EXPECT_EQ(ReadFile(cert), last_good);
}

TEST_F(ServeDirTest, HostileHostsAreRefusedAndWriteNothing) {
  ServeDir dir = Open();
  TlsFiles files = ca_.Leaf(kHost);
  auto before = Tree(root_);
  for (const char* host : {"mta-sts.../etc", "mta-sts.../../x", "../../etc/passwd",
                           "mta-sts.a/../../nginx.conf", "nginx.conf", "mta-sts.", ".."}) {
    EXPECT_THAT(dir.WritePolicy(host, kPolicy), StatusIs(StatusCode::kInvalidArgument)) << host;
    EXPECT_THAT(dir.WriteCertificate(host, files.chain, files.key),
                StatusIs(StatusCode::kInvalidArgument))
        << host;
    EXPECT_THAT(dir.Remove(ServedFile::kPolicy, host), StatusIs(StatusCode::kInvalidArgument));
    EXPECT_THAT(dir.Remove(ServedFile::kCertificate, host), StatusIs(StatusCode::kInvalidArgument));
  }
  EXPECT_EQ(Tree(root_), before);
  EXPECT_FALSE(fs::exists(root_.parent_path() / "etc"));
}

TEST_F(ServeDirTest, ACrashBeforeTheRenameLeavesTheOldFileServed) {
  {
    ServeDir dir = Open();
    ASSERT_THAT(dir.WritePolicy(kHost, kPolicy), IsOk());
  }
  // The writer dies after its temporary file is complete and synced, before the rename.
  EXPECT_EXIT(
      {
        ServeDirOptions crash;
        crash.before_rename = [](const std::string&) { ::_exit(3); };
        auto dir = ServeDir::Open(root_.string(), crash);
        (void)dir->WritePolicy(kHost, "version: STSv1\r\nmode: none\r\nmax_age: 1\r\n");
      },
      ::testing::ExitedWithCode(3), "");
  fs::path host_dir = root_ / "www" / kHost;
  EXPECT_EQ(ReadFile(host_dir / "mta-sts.txt"), kPolicy);
  EXPECT_EQ(EntryCount(host_dir), 2u);  // the file and the temp
  // The next Open removes what the crash left; the host and its file are still there.
  ServeDir dir = Open();
  EXPECT_EQ(EntryCount(host_dir), 1u);
  EXPECT_EQ(ReadFile(host_dir / "mta-sts.txt"), kPolicy);
  EXPECT_THAT(*dir.Hosts(ServedFile::kPolicy), ElementsAre(kHost));
}

TEST_F(ServeDirTest, RemoveTakesTheFileAndItsEmptyFolder) {
  ServeDir dir = Open();
  TlsFiles files = ca_.Leaf(kHost);
  ASSERT_THAT(dir.WritePolicy(kHost, kPolicy), IsOk());
  ASSERT_THAT(dir.WriteCertificate(kHost, files.chain, files.key), IsOk());
  auto removed = dir.Remove(ServedFile::kPolicy, kHost);
  ASSERT_THAT(removed, IsOk());
  EXPECT_TRUE(*removed);
  EXPECT_FALSE(fs::exists(root_ / "www" / kHost));
  EXPECT_TRUE(fs::exists(dir.PathOf(ServedFile::kCertificate, kHost)));
  EXPECT_TRUE(*dir.Remove(ServedFile::kCertificate, kHost));
  EXPECT_EQ(EntryCount(root_ / "certs"), 0u);
  // Removing what is not there is no change.
  EXPECT_FALSE(*dir.Remove(ServedFile::kPolicy, kHost));
  EXPECT_FALSE(*dir.Remove(ServedFile::kCertificate, kHost));
  // A folder holding something that is not ours stays, with it.
  ASSERT_THAT(dir.WritePolicy(kHost, kPolicy), IsOk());
  WriteText(root_ / "www" / kHost / "notes.txt", "someone's\n");
  EXPECT_TRUE(*dir.Remove(ServedFile::kPolicy, kHost));
  EXPECT_EQ(ReadFile(root_ / "www" / kHost / "notes.txt"), "someone's\n");
}

TEST_F(ServeDirTest, HostsListsWhatIsOnDiskAndNothingForeign) {
  ServeDir dir = Open();
  TlsFiles a = ca_.Leaf("mta-sts.a.example");
  ASSERT_THAT(dir.WritePolicy("mta-sts.b.example", kPolicy), IsOk());
  ASSERT_THAT(dir.WritePolicy("mta-sts.a.example", kPolicy), IsOk());
  ASSERT_THAT(dir.WriteCertificate("mta-sts.a.example", a.chain, a.key), IsOk());
  WriteText(root_ / "www" / "README", "not a host\n");
  WriteText(root_ / "www" / "Upper.Case" / "mta-sts.txt", "x");
  WriteText(root_ / "certs" / "mta-sts.c.example.crt", "an old layout's file\n");
  WriteText(root_ / "certs" / ".hidden", "x");
  EXPECT_THAT(*dir.Hosts(ServedFile::kPolicy),
              ElementsAre("mta-sts.a.example", "mta-sts.b.example"));
  EXPECT_THAT(*dir.Hosts(ServedFile::kCertificate), ElementsAre("mta-sts.a.example"));
}

TEST_F(ServeDirTest, NginxsOwnFilesSurviveEverything) {
  auto foreign = Foreign();
  {
    ServeDir dir = Open();
    TlsFiles files = ca_.Leaf(kHost);
    ASSERT_THAT(dir.WritePolicy(kHost, kPolicy), IsOk());
    ASSERT_THAT(dir.WriteCertificate(kHost, files.chain, files.key), IsOk());
    ASSERT_THAT(dir.Hosts(ServedFile::kPolicy), IsOk());
    ASSERT_THAT(dir.Remove(ServedFile::kPolicy, kHost), IsOk());
    ASSERT_THAT(dir.Remove(ServedFile::kCertificate, kHost), IsOk());
  }
  Open();
  EXPECT_EQ(Foreign(), foreign);
}

}  // namespace
}  // namespace mtasts::controller
