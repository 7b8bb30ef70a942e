// Paging through 1,200 objects, and label and field selectors, against a real kube-apiserver.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "k8s_env.h"

namespace mtasts::k8s {
namespace {

using test_env::ConfigMap;
using test_env::NewNamespace;
using test_env::TestClient;

constexpr int kObjects = 1200;

// Creates cm-0 .. cm-(n-1) from 8 threads; the even ones carry the label half=even.
void CreateConfigMaps(const std::string& ns, int n) {
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < n; i = next++) {
        Object cm = ConfigMap(ns, "cm-" + std::to_string(i), "i", std::to_string(i));
        if (i % 2 == 0) cm["metadata"]["labels"]["half"] = "even";
        if (!TestClient().Create(ConfigMaps(), cm).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  ASSERT_EQ(failures, 0);
}

TEST(ListTest, PagesThroughEveryObjectOnce) {
  std::string ns = NewNamespace("list");
  CreateConfigMaps(ns, kObjects);
  ListOptions options;
  options.limit = 500;
  std::set<std::string> names;
  std::vector<size_t> page_sizes;
  std::string first_version;
  do {
    auto page = TestClient().List(ConfigMaps(), ns, options);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    page_sizes.push_back(page->items.size());
    if (first_version.empty()) first_version = page->resource_version;
    EXPECT_EQ(page->resource_version, first_version);  // one consistent snapshot
    for (const Object& item : page->items) {
      EXPECT_TRUE(names.insert(item["metadata"]["name"].get<std::string>()).second)
          << "listed twice: " << item["metadata"]["name"];
    }
    options.continue_token = page->continue_token;
  } while (!options.continue_token.empty());
  EXPECT_EQ(page_sizes, (std::vector<size_t>{500, 500, 200}));
  EXPECT_EQ(names.size(), static_cast<size_t>(kObjects));
}

TEST(ListTest, SelectorsFilterOnTheServer) {
  std::string ns = NewNamespace("select");
  CreateConfigMaps(ns, 40);
  ListOptions by_label;
  by_label.label_selector = "half=even";
  auto even = TestClient().List(ConfigMaps(), ns, by_label);
  ASSERT_TRUE(even.ok()) << even.status().ToString();
  EXPECT_EQ(even->items.size(), 20u);
  for (const Object& item : even->items) EXPECT_EQ(item["metadata"]["labels"]["half"], "even");

  ListOptions by_field;
  by_field.field_selector = "metadata.name=cm-7";
  auto one = TestClient().List(ConfigMaps(), ns, by_field);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_EQ(one->items.size(), 1u);
  EXPECT_EQ(one->items[0]["data"]["i"], "7");

  ListOptions broken;
  broken.label_selector = "half in (";
  EXPECT_EQ(TestClient().List(ConfigMaps(), ns, broken).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(CompactionTest, ExpiredContinueTokenIsOutOfRange) {
  std::string ns = NewNamespace("expire");
  CreateConfigMaps(ns, 6);
  ListOptions options;
  options.limit = 2;
  auto first = TestClient().List(ConfigMaps(), ns, options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_FALSE(first->continue_token.empty());
  // A write and a compaction make the token's snapshot unreadable.
  ASSERT_TRUE(TestClient().Create(ConfigMaps(), ConfigMap(ns, "late", "k", "v")).ok());
  ASSERT_EQ(test_env::ControlPlane("compact"), 0);
  options.continue_token = first->continue_token;
  auto next = TestClient().List(ConfigMaps(), ns, options);
  EXPECT_EQ(next.status().code(), StatusCode::kOutOfRange) << next.status().ToString();
}

}  // namespace
}  // namespace mtasts::k8s
