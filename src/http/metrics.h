// A small Prometheus registry: counters, gauges and histograms, each a family of series told
// apart by label values, rendered in the text exposition format 0.0.4. Families are sorted by
// name and series by label values, so the same state always renders to the same bytes.
//
// A family's name and label names are the program's own: an invalid or repeated one is a bug,
// reported on stderr and ended with abort() at registration (start-up, so every test sees it).
// Label values may come from anywhere; they are escaped. A call with the wrong number of label
// values is ignored and logged, never a crash.
//
// Thread-safety: every member is thread-safe; families live as long as their Registry.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mtasts::http {

// Label values, in the order of the family's label names.
using LabelValues = std::vector<std::string>;

class MetricFamily {
 public:
  virtual ~MetricFamily() = default;
  const std::string& name() const { return name_; }
  // Appends "# HELP", "# TYPE" and every series; nothing for a family without series.
  void Render(std::string* out) const;
  // Forgets the series with these label values (e.g. those of a policy that is gone).
  void Remove(const LabelValues& values);

 protected:
  MetricFamily(std::string name, std::string help, std::string_view type,
               std::vector<std::string> label_names);
  // False (and logged) when `values` does not fit the label names.
  bool Fits(const LabelValues& values) const;
  // `name{a="x",b="y"}`, with `extra` (e.g. `le="0.5"`) last.
  std::string Series(std::string_view name, const LabelValues& values,
                     std::string_view extra = "") const;
  virtual void RenderSeries(std::string* out) const = 0;
  virtual void Erase(const LabelValues& values) = 0;
  // Creates the series of `values` at zero.
  virtual void Touch(const LabelValues& values) = 0;

  mutable std::mutex mu_;  // guards the series of the derived family

 private:
  friend class Registry;
  // A family without labels has its one series from the start, at zero.
  void StartUnlabelled();

  const std::string name_;
  const std::string help_;
  const std::string_view type_;
  const std::vector<std::string> label_names_;
};

// A family whose series each hold one number: the common part of Counter and Gauge.
class ValueFamily : public MetricFamily {
 public:
  double Value(const LabelValues& values = {}) const;

 protected:
  using MetricFamily::MetricFamily;
  // Sets the series of `values` (created at zero) to change(its value).
  void Update(const LabelValues& values, double (*change)(double value, double by), double by);

 private:
  void RenderSeries(std::string* out) const override;
  void Erase(const LabelValues& values) override { series_.erase(values); }
  void Touch(const LabelValues& values) override { series_[values]; }
  std::map<LabelValues, double> series_;
};

// A value that only goes up (e.g. "..._total").
class Counter final : public ValueFamily {
 public:
  void Increment(const LabelValues& values = {}, double by = 1);  // a negative `by` is ignored

 private:
  friend class Registry;
  using ValueFamily::ValueFamily;
};

// A value that goes up and down.
class Gauge final : public ValueFamily {
 public:
  void Set(const LabelValues& values, double value);
  void Set(double value) { Set({}, value); }
  void Add(const LabelValues& values, double by);

 private:
  friend class Registry;
  using ValueFamily::ValueFamily;
};

// Observations counted into buckets by upper bound (cumulative in the output), with their sum.
class Histogram final : public MetricFamily {
 public:
  void Observe(const LabelValues& values, double value);
  void Observe(double value) { Observe({}, value); }
  uint64_t Count(const LabelValues& values = {}) const;
  double Sum(const LabelValues& values = {}) const;

 private:
  friend class Registry;
  Histogram(std::string name, std::string help, std::vector<std::string> label_names,
            std::vector<double> bounds);
  struct Data {
    std::vector<uint64_t> counts;  // per bucket, not cumulative; the last is +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  void RenderSeries(std::string* out) const override;
  void Erase(const LabelValues& values) override { series_.erase(values); }
  void Touch(const LabelValues& values) override;
  const std::vector<double> bounds_;  // ascending, without +Inf
  std::map<LabelValues, Data> series_;
};

class Registry {
 public:
  // The name must match [a-zA-Z_:][a-zA-Z0-9_:]* and the label names [a-zA-Z_][a-zA-Z0-9_]*
  // (not starting "__", not "le" for a histogram); histogram bounds ascending and finite.
  Counter& AddCounter(std::string name, std::string help,
                      std::vector<std::string> label_names = {});
  Gauge& AddGauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  Histogram& AddHistogram(std::string name, std::string help, std::vector<double> bounds,
                          std::vector<std::string> label_names = {});

  // `hook` runs at the start of every Render(), e.g. to set a gauge from a queue's length.
  void BeforeRender(std::function<void()> hook);

  // The text format 0.0.4 (Content-Type: kContentType).
  std::string Render() const;

  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  template <typename Family>
  Family& Add(std::unique_ptr<Family> family);

  mutable std::mutex mu_;  // guards families_ and hooks_
  std::map<std::string, std::unique_ptr<MetricFamily>, std::less<>> families_;
  std::vector<std::function<void()>> hooks_;
};

}  // namespace mtasts::http
