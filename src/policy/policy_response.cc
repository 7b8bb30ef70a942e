#include "policy/policy_response.h"

#include "policy/syntax.h"

namespace mtasts::policy {
namespace {

// Looks for a charset parameter among "; name=value" parameters and checks it.
void CheckCharset(std::string_view params, IssueList* issues) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = TrimWsp(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    size_t eq = param.find('=');
    if (eq == std::string_view::npos ||
        !AsciiEqualsIgnoreCase(TrimWsp(param.substr(0, eq)), "charset")) {
      continue;
    }
    std::string_view value = TrimWsp(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!AsciiEqualsIgnoreCase(value, "utf-8") && !AsciiEqualsIgnoreCase(value, "us-ascii")) {
      issues->Warning(0, "charset",
                      "charset " + Quote(value) + " is unusual for a policy; serve charset=utf-8");
    }
  }
}

}  // namespace

std::vector<Issue> CheckPolicyResponse(const PolicyResponse& response) {
  IssueList issues;
  if (response.http_status != 200) {
    std::string why = "the policy URL answered " + std::to_string(response.http_status) +
                      "; senders accept only 200";
    if (response.http_status >= 300 && response.http_status < 400) {
      why += " and never follow redirects, so serve the policy at the URL itself";
    }
    issues.Error(0, issue_code::kHttpStatus, why);
  }
  if (response.redirected) {
    issues.Error(0, issue_code::kRedirected,
                 "the policy was reached through a redirect, which senders must not follow; "
                 "serve it at https://mta-sts.<domain>/.well-known/mta-sts.txt directly");
  }
  std::string_view type = response.content_type;
  size_t semi = type.find(';');
  std::string_view media = TrimWsp(type.substr(0, semi));
  if (!AsciiEqualsIgnoreCase(media, "text/plain")) {
    issues.Error(0, issue_code::kContentType,
                 (media.empty() ? std::string("no Content-Type") : "Content-Type " + Quote(media)) +
                     "; senders that check (postfix-mta-sts-resolver, chasquid) want "
                     "text/plain; serve \"text/plain; charset=utf-8\"");
  } else if (semi != std::string_view::npos) {
    CheckCharset(type.substr(semi + 1), &issues);
  }
  return std::move(issues).TakeIssues();
}

}  // namespace mtasts::policy
