#include "http/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include "base/log.h"

namespace mtasts::http {
namespace {

bool IsNameChar(char c, bool first, bool colon) {
  const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  return letter || (colon && c == ':') || (!first && c >= '0' && c <= '9');
}

bool IsName(std::string_view name, bool colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    if (!IsNameChar(name[i], i == 0, colon)) return false;
  }
  return true;
}

[[noreturn]] void Misuse(std::string_view what) {
  std::cerr << "metrics: " << what << "\n";
  std::abort();
}

// As Prometheus's Go client writes numbers: the shortest text that reads back as the same
// double, and +Inf, -Inf, NaN.
std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  return std::string(text, end);
}

// Label values escape backslash, double quote and newline; help text backslash and newline.
std::string Escape(std::string_view text, bool quote) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

MetricFamily::MetricFamily(std::string name, std::string help, std::string_view type,
                           std::vector<std::string> label_names)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)) {
  if (!IsName(name_, true)) Misuse("invalid metric name \"" + name_ + "\"");
  for (const std::string& label : label_names_) {
    if (!IsName(label, false) || label.starts_with("__") ||
        (type_ == "histogram" && label == "le")) {
      Misuse("invalid label name \"" + label + "\" of " + name_);
    }
  }
}

void MetricFamily::Render(std::string* out) const {
  std::string series;
  {
    std::lock_guard lock(mu_);
    RenderSeries(&series);
  }
  if (series.empty()) return;
  *out += "# HELP " + name_ + " " + Escape(help_, false) + "\n";
  *out += "# TYPE " + name_ + " " + std::string(type_) + "\n";
  *out += series;
}

void MetricFamily::StartUnlabelled() {
  std::lock_guard lock(mu_);
  if (label_names_.empty()) Touch({});
}

void MetricFamily::Remove(const LabelValues& values) {
  std::lock_guard lock(mu_);
  Erase(values);
}

bool MetricFamily::Fits(const LabelValues& values) const {
  if (values.size() == label_names_.size()) return true;
  LogError("metric label values do not fit the label names",
           {{"metric", name_},
            {"labels", std::to_string(label_names_.size())},
            {"values", std::to_string(values.size())}});
  return false;
}

std::string MetricFamily::Series(std::string_view name, const LabelValues& values,
                                 std::string_view extra) const {
  std::string out(name);
  if (values.empty() && extra.empty()) return out;
  out += "{";
  for (size_t i = 0; i < values.size(); ++i) {
    out += (i == 0 ? "" : ",") + label_names_[i] + "=\"" + Escape(values[i], true) + "\"";
  }
  if (!extra.empty()) out += (values.empty() ? "" : ",") + std::string(extra);
  return out + "}";
}

double ValueFamily::Value(const LabelValues& values) const {
  std::lock_guard lock(mu_);
  const auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second;
}

void ValueFamily::Update(const LabelValues& values, double (*change)(double, double), double by) {
  if (!Fits(values)) return;
  std::lock_guard lock(mu_);
  double& value = series_[values];
  value = change(value, by);
}

void ValueFamily::RenderSeries(std::string* out) const {
  for (const auto& [values, value] : series_) {
    *out += Series(name(), values) + " " + FormatValue(value) + "\n";
  }
}

void Counter::Increment(const LabelValues& values, double by) {
  if (!(by >= 0)) return;  // NaN too
  Update(
      values, [](double value, double amount) { return value + amount; }, by);
}

void Gauge::Set(const LabelValues& values, double value) {
  Update(
      values, [](double, double amount) { return amount; }, value);
}

void Gauge::Add(const LabelValues& values, double by) {
  Update(
      values, [](double value, double amount) { return value + amount; }, by);
}

Histogram::Histogram(std::string name, std::string help, std::vector<std::string> label_names,
                     std::vector<double> bounds)
    : MetricFamily(std::move(name), std::move(help), "histogram", std::move(label_names)),
      bounds_(std::move(bounds)) {
  const bool finite =
      std::all_of(bounds_.begin(), bounds_.end(), [](double b) { return std::isfinite(b); });
  if (!finite ||
      std::adjacent_find(bounds_.begin(), bounds_.end(), std::greater_equal<>()) != bounds_.end()) {
    Misuse("the buckets of " + this->name() + " are not finite and ascending");
  }
}

void Histogram::Observe(const LabelValues& values, double value) {
  if (!Fits(values) || std::isnan(value)) return;
  std::lock_guard lock(mu_);
  Touch(values);
  Data& data = series_[values];
  // The first bucket whose upper bound holds the value ("le": less than or equal).
  const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  ++data.counts[static_cast<size_t>(bucket)];
  data.sum += value;
  ++data.count;
}

void Histogram::Touch(const LabelValues& values) {
  Data& data = series_[values];
  if (data.counts.empty()) data.counts.resize(bounds_.size() + 1);
}

uint64_t Histogram::Count(const LabelValues& values) const {
  std::lock_guard lock(mu_);
  const auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second.count;
}

double Histogram::Sum(const LabelValues& values) const {
  std::lock_guard lock(mu_);
  const auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second.sum;
}

void Histogram::RenderSeries(std::string* out) const {
  for (const auto& [values, data] : series_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
      cumulative += data.counts[i];
      const double bound = i < bounds_.size() ? bounds_[i] : INFINITY;
      *out += Series(name() + "_bucket", values, "le=\"" + FormatValue(bound) + "\"") + " " +
              std::to_string(cumulative) + "\n";
    }
    *out += Series(name() + "_sum", values) + " " + FormatValue(data.sum) + "\n";
    *out += Series(name() + "_count", values) + " " + std::to_string(data.count) + "\n";
  }
}

template <typename Family>
Family& Registry::Add(std::unique_ptr<Family> family) {
  std::lock_guard lock(mu_);
  Family& added = *family;
  if (!families_.emplace(family->name(), std::move(family)).second) {
    Misuse("metric \"" + added.name() + "\" is registered twice");
  }
  added.StartUnlabelled();
  return added;
}

Counter& Registry::AddCounter(std::string name, std::string help,
                              std::vector<std::string> label_names) {
  return Add(std::unique_ptr<Counter>(
      new Counter(std::move(name), std::move(help), "counter", std::move(label_names))));
}

Gauge& Registry::AddGauge(std::string name, std::string help,
                          std::vector<std::string> label_names) {
  return Add(std::unique_ptr<Gauge>(
      new Gauge(std::move(name), std::move(help), "gauge", std::move(label_names))));
}

Histogram& Registry::AddHistogram(std::string name, std::string help, std::vector<double> bounds,
                                  std::vector<std::string> label_names) {
  return Add(std::unique_ptr<Histogram>(
      new Histogram(std::move(name), std::move(help), std::move(label_names), std::move(bounds))));
}

void Registry::BeforeRender(std::function<void()> hook) {
  std::lock_guard lock(mu_);
  hooks_.push_back(std::move(hook));
}

std::string Registry::Render() const {
  std::vector<std::function<void()>> hooks;
  {
    std::lock_guard lock(mu_);
    hooks = hooks_;
  }
  for (const auto& hook : hooks) hook();  // outside the lock: a hook sets gauges of this registry
  std::string out;
  std::lock_guard lock(mu_);
  for (const auto& [name, family] : families_) family->Render(&out);
  return out;
}

}  // namespace mtasts::http
