// Analysis: what the gathered bytes mean, derived once (purely) from Observations by the
// parsers in src/policy, so that every check reads the same interpretation: which TXT record
// was selected and whether it parses, the parsed policy, and which MX host each pattern covers.
// Value types; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "validate/observations.h"

namespace mtasts::validate {

// The _mta-sts or _smtp._tls record set after selection (RFC 8461 §3.1, RFC 8460 §3).
struct RecordAnalysis {
  int candidates = 0;                 // records that begin with the version tag
  bool valid = false;                 // exactly one candidate, and it parses
  std::string error;                  // why the one candidate does not parse
  std::vector<std::string> warnings;  // legal but risky (whitespace, duplicate fields)
  bool lookalike = false;             // another record starts with the version tag but not "<tag>;"
  std::string record;                 // the selected record's text
  std::string id;                     // _mta-sts: the id
  std::vector<std::string> rua;       // _smtp._tls: the report URIs
};

struct PolicyAnalysis {
  bool served = false;                // fetched with status 200 and a body to parse
  bool valid = false;                 // parses strictly (RFC 8461 §3.2)
  std::vector<std::string> errors;    // each: what is wrong and where
  std::vector<std::string> warnings;  // legal but risky; max_age is judged on its own
  std::string mode;
  std::optional<int64_t> max_age;
  std::vector<std::string> mx_patterns;  // as written
};

struct Analysis {
  RecordAnalysis sts;
  RecordAnalysis tlsrpt;
  PolicyAnalysis policy;
  bool null_mx = false;            // RFC 7505: the domain accepts no mail
  std::vector<bool> mx_covered;    // parallel to Observations::mx_hosts
  std::vector<bool> pattern_used;  // parallel to policy.mx_patterns
};

Analysis Analyze(const Observations& obs);

}  // namespace mtasts::validate
