// The operator's TLS-RPT intake as a sender (or anyone) reaches it: a POST whose Content-Type is
// chosen by the first byte (the two RFC 8460 types, their spelling varied, others, or the next
// line of the input) and whose body is the rest. Properties: the answer is 200, 400 or 415 and
// never 5xx, its reason is one printable line, and a report counted once is answered "received
// before" when it comes again.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/printable.h"
#include "controller/report_intake.h"
#include "fuzz_check.h"

namespace {

using namespace std::chrono_literals;

constexpr std::string_view kTypes[] = {
    "application/tlsrpt+json",
    "application/tlsrpt+gzip",
    "Application/TLSRPT+JSON; charset=utf-8",
    "application/json",
    "",
};
constexpr size_t kFromInput = std::size(kTypes);  // the type is the input's next line

mtasts::http::Request RequestOf(std::string_view input) {
  mtasts::http::Request request{.method = "POST", .path = "/tlsrpt"};
  const size_t choice = static_cast<unsigned char>(input[0]) % (kFromInput + 1);
  input.remove_prefix(1);
  std::string_view type = choice < kFromInput ? kTypes[choice] : input.substr(0, input.find('\n'));
  if (choice == kFromInput) input.remove_prefix(std::min(input.size(), type.size() + 1));
  request.headers.emplace_back("content-type", std::string(type));
  request.body = std::string(input);
  return request;
}

// The reason line of a Response::Text: the body without its newline.
std::string_view Reason(const mtasts::http::Response& response) {
  std::string_view body = response.body;
  FUZZ_CHECK(!body.empty() && body.back() == '\n');
  body.remove_suffix(1);
  return body;
}

void CheckAnswer(const mtasts::http::Response& response) {
  FUZZ_CHECK(response.status == 200 || response.status == 400 || response.status == 415);
  const std::string_view reason = Reason(response);
  FUZZ_CHECK(!reason.empty());
  FUZZ_CHECK(mtasts::Printable(reason) == reason);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The RFC 8460 example's day, so its reports fall inside the window.
  mtasts::FakeClock clock(std::chrono::sys_days{std::chrono::year{2016} / 4 / 3});
  // A fresh intake per input: the windows it keeps stay bounded across the run.
  mtasts::controller::ReportIntake intake(clock, [](std::string_view) { return true; });
  const mtasts::http::Request request =
      RequestOf(std::string_view(reinterpret_cast<const char*>(data), size));
  const mtasts::http::Response first = intake.Post(request);
  CheckAnswer(first);
  const mtasts::http::Response again = intake.Post(request);
  CheckAnswer(again);
  FUZZ_CHECK(again.status == first.status);
  if (Reason(first).starts_with("counted for ")) {
    FUZZ_CHECK(Reason(again) == "received before; counted once");
  }
  return 0;
}
