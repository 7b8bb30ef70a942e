#include "http/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <thread>

namespace mtasts::http {
namespace {

TEST(MetricsTest, RendersEveryKindSortedAndStable) {
  Registry registry;
  Gauge& depth = registry.AddGauge("zz_queue_depth", "Keys waiting.");
  Counter& reconciles =
      registry.AddCounter("aa_reconciles_total", "Reconciles by result.", {"result"});
  Histogram& latency =
      registry.AddHistogram("mm_duration_seconds", "How long.", {0.1, 1, 2.5}, {"kind"});
  reconciles.Increment({"success"}, 2);
  reconciles.Increment({"error"});
  latency.Observe({"a"}, 0.1);  // on a bound: counted in that bucket ("le")
  latency.Observe({"a"}, 2);
  latency.Observe({"a"}, 1e6);
  registry.BeforeRender([&depth] { depth.Set(7); });
  const std::string expected =
      "# HELP aa_reconciles_total Reconciles by result.\n"
      "# TYPE aa_reconciles_total counter\n"
      "aa_reconciles_total{result=\"error\"} 1\n"
      "aa_reconciles_total{result=\"success\"} 2\n"
      "# HELP mm_duration_seconds How long.\n"
      "# TYPE mm_duration_seconds histogram\n"
      "mm_duration_seconds_bucket{kind=\"a\",le=\"0.1\"} 1\n"
      "mm_duration_seconds_bucket{kind=\"a\",le=\"1\"} 1\n"
      "mm_duration_seconds_bucket{kind=\"a\",le=\"2.5\"} 2\n"
      "mm_duration_seconds_bucket{kind=\"a\",le=\"+Inf\"} 3\n"
      "mm_duration_seconds_sum{kind=\"a\"} 1000002.1\n"
      "mm_duration_seconds_count{kind=\"a\"} 3\n"
      "# HELP zz_queue_depth Keys waiting.\n"
      "# TYPE zz_queue_depth gauge\n"
      "zz_queue_depth 7\n";
  EXPECT_EQ(registry.Render(), expected);
  EXPECT_EQ(registry.Render(), expected) << "the same state renders the same bytes";
}

// One family with one series, changed per row, and the lines it renders (after HELP and TYPE).
struct Row {
  std::string name;
  std::function<void(Registry&)> build;
  std::string series;
};

TEST(MetricsTest, RendersValuesAndEscapesLabelsAndHelp) {
  const Row rows[] = {
      {"healthy", [](Registry& r) { r.AddGauge("g", "h", {"l"}).Set({"v"}, 1); }, "g{l=\"v\"} 1\n"},
      {"no labels", [](Registry& r) { r.AddGauge("g", "h"); }, "g 0\n"},
      {"fraction", [](Registry& r) { r.AddGauge("g", "h").Set(0.25); }, "g 0.25\n"},
      {"negative", [](Registry& r) { r.AddGauge("g", "h").Set(-3); }, "g -3\n"},
      {"large", [](Registry& r) { r.AddGauge("g", "h").Set(1e21); }, "g 1e+21\n"},
      {"+Inf", [](Registry& r) { r.AddGauge("g", "h").Set(INFINITY); }, "g +Inf\n"},
      {"-Inf", [](Registry& r) { r.AddGauge("g", "h").Set(-INFINITY); }, "g -Inf\n"},
      {"NaN", [](Registry& r) { r.AddGauge("g", "h").Set(NAN); }, "g NaN\n"},
      {"quote", [](Registry& r) { r.AddGauge("g", "h", {"l"}).Set({"a\"b"}, 1); },
       "g{l=\"a\\\"b\"} 1\n"},
      {"backslash", [](Registry& r) { r.AddGauge("g", "h", {"l"}).Set({"a\\b"}, 1); },
       "g{l=\"a\\\\b\"} 1\n"},
      {"newline", [](Registry& r) { r.AddGauge("g", "h", {"l"}).Set({"a\nb"}, 1); },
       "g{l=\"a\\nb\"} 1\n"},
      {"injection", [](Registry& r) { r.AddGauge("g", "h", {"l"}).Set({"x\"} 9\nevil{l=\"y"}, 1); },
       "g{l=\"x\\\"} 9\\nevil{l=\\\"y\"} 1\n"},
      {"empty and UTF-8",
       [](Registry& r) {
         r.AddGauge("g", "h", {"a", "b"}).Set({"", "é"}, 1);
       },
       "g{a=\"\",b=\"é\"} 1\n"},
      {"two labels in their order",
       [](Registry& r) {
         r.AddGauge("g", "h", {"z", "a"}).Set({"1", "2"}, 1);
       },
       "g{z=\"1\",a=\"2\"} 1\n"},
      {"series sorted",
       [](Registry& r) {
         Gauge& g = r.AddGauge("g", "h", {"l"});
         g.Set({"b"}, 2);
         g.Set({"a"}, 1);
       },
       "g{l=\"a\"} 1\ng{l=\"b\"} 2\n"},
      {"removed",
       [](Registry& r) {
         Gauge& g = r.AddGauge("g", "h", {"l"});
         g.Set({"a"}, 1);
         g.Set({"b"}, 2);
         g.Remove({"a"});
       },
       "g{l=\"b\"} 2\n"},
      {"wrong label count ignored",
       [](Registry& r) {
         Gauge& g = r.AddGauge("g", "h", {"l"});
         g.Set({"a"}, 1);
         g.Set({"a", "b"}, 2);
         g.Set({}, 3);
       },
       "g{l=\"a\"} 1\n"},
      {"counter adds, never subtracts",
       [](Registry& r) {
         Counter& c = r.AddCounter("g", "h");
         c.Increment({}, 2.5);
         c.Increment({}, -1);
         c.Increment({}, NAN);
         c.Increment();
       },
       "g 3.5\n"},
      {"gauge adds",
       [](Registry& r) {
         Gauge& g = r.AddGauge("g", "h", {"l"});
         g.Add({"a"}, 2);
         g.Add({"a"}, -3);
       },
       "g{l=\"a\"} -1\n"},
      {"histogram without labels", [](Registry& r) { r.AddHistogram("g", "h", {1}); },
       "g_bucket{le=\"1\"} 0\ng_bucket{le=\"+Inf\"} 0\ng_sum 0\ng_count 0\n"},
      {"histogram ignores NaN",
       [](Registry& r) {
         Histogram& h = r.AddHistogram("g", "h", {1});
         h.Observe(NAN);
         h.Observe(-5);
       },
       "g_bucket{le=\"1\"} 1\ng_bucket{le=\"+Inf\"} 1\ng_sum -5\ng_count 1\n"},
  };
  for (const Row& row : rows) {
    Registry registry;
    row.build(registry);
    const std::string type = row.series.starts_with("g_bucket") ? "histogram"
                             : row.name.starts_with("counter")  ? "counter"
                                                                : "gauge";
    EXPECT_EQ(registry.Render(), "# HELP g h\n# TYPE g " + type + "\n" + row.series) << row.name;
  }
  Registry help;
  help.AddGauge("g", "a \\ and a\nnewline \"kept\"");
  EXPECT_EQ(help.Render(), "# HELP g a \\\\ and a\\nnewline \"kept\"\n# TYPE g gauge\ng 0\n");
  Registry empty;
  empty.AddCounter("c", "h", {"l"});
  EXPECT_EQ(empty.Render(), "") << "a labelled family without series says nothing";
}

TEST(MetricsTest, ReadsBackWhatWasRecorded) {
  Registry registry;
  Counter& counter = registry.AddCounter("c_total", "h", {"l"});
  Histogram& histogram = registry.AddHistogram("h_seconds", "h", {1});
  counter.Increment({"x"});
  histogram.Observe(0.5);
  histogram.Observe(3);
  EXPECT_EQ(counter.Value({"x"}), 1);
  EXPECT_EQ(counter.Value({"y"}), 0);
  EXPECT_EQ(histogram.Count(), 2u);
  EXPECT_EQ(histogram.Sum(), 3.5);
}

TEST(MetricsTest, CountsFromManyThreads) {
  Registry registry;
  Counter& counter = registry.AddCounter("c_total", "h", {"l"});
  Histogram& histogram = registry.AddHistogram("h_seconds", "h", {1}, {"l"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) {
        counter.Increment({t % 2 == 0 ? "even" : "odd"});
        histogram.Observe({"x"}, i % 2);
        if (i % 100 == 0) registry.Render();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(counter.Value({"even"}) + counter.Value({"odd"}), 4000);
  EXPECT_EQ(histogram.Count({"x"}), 4000u);
}

TEST(MetricsDeathTest, BadNamesEndTheProgramAtRegistration) {
  EXPECT_DEATH(Registry().AddGauge("9lives", "h"), "invalid metric name \"9lives\"");
  EXPECT_DEATH(Registry().AddGauge("g", "h", {"__reserved"}), "invalid label name");
  EXPECT_DEATH(Registry().AddGauge("g", "h", {"a:b"}), "invalid label name");
  EXPECT_DEATH(Registry().AddHistogram("g", "h", {1}, {"le"}), "invalid label name");
  EXPECT_DEATH(Registry().AddHistogram("g", "h", {2, 1}), "not finite and ascending");
  EXPECT_DEATH(
      {
        Registry registry;
        registry.AddGauge("g", "h");
        registry.AddCounter("g", "h");
      },
      "registered twice");
}

}  // namespace
}  // namespace mtasts::http
