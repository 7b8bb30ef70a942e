#include "random_policy.h"

#include <string>

namespace mtasts::policy {
namespace {

int Uniform(std::mt19937& rng, int lo, int hi) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

std::string Label(std::mt19937& rng) {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  int size = Uniform(rng, 1, 12);
  std::string label;
  for (int i = 0; i < size; ++i) {
    // Inner hyphens only: a label never starts or ends with one.
    bool inner = i > 0 && i + 1 < size;
    label += inner && Uniform(rng, 0, 9) == 0 ? '-' : kChars[Uniform(rng, 0, 61)];
  }
  return label;
}

std::string Pattern(std::mt19937& rng) {
  std::string pattern = Uniform(rng, 0, 3) == 0 ? "*" : Label(rng);
  for (int i = Uniform(rng, 1, 4); i > 0; --i) pattern += "." + Label(rng);
  return pattern;
}

std::string ExtensionValue(std::mt19937& rng) {
  static const char* const kWords[] = {"ops", "see", "wiki=42;", "x", "\xc3\xbc", "\xe2\x9c\x93"};
  std::string value = kWords[Uniform(rng, 0, 5)];
  for (int i = Uniform(rng, 0, 3); i > 0; --i)
    value += " " + std::string(kWords[Uniform(rng, 0, 5)]);
  return value;
}

}  // namespace

Policy RandomPolicy(std::mt19937& rng) {
  Policy policy;
  policy.mode = static_cast<Mode>(Uniform(rng, 0, 2));
  policy.max_age = std::uniform_int_distribution<int64_t>(0, kMaxMaxAge)(rng);
  int mx = Uniform(rng, policy.mode == Mode::kNone ? 0 : 1, 6);
  for (int i = 0; i < mx; ++i) {
    // Sometimes repeat an earlier pattern in another case, to exercise de-duplication.
    if (i > 0 && Uniform(rng, 0, 4) == 0) {
      std::string again = policy.mx[Uniform(rng, 0, i - 1)];
      for (char& c : again) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      policy.mx.push_back(again);
    } else {
      policy.mx.push_back(Pattern(rng));
    }
  }
  for (int i = Uniform(rng, 0, 3); i > 0; --i) {
    std::string name = "x" + Label(rng) + std::to_string(i);
    if (name.size() > 32) name.resize(32);
    policy.extensions.emplace_back(name, ExtensionValue(rng));
  }
  return policy;
}

}  // namespace mtasts::policy
