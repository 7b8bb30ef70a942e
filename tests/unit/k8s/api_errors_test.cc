#include "k8s/api_errors.h"

#include <gtest/gtest.h>

namespace mtasts::k8s {
namespace {

struct Case {
  int http_status;
  const char* body;
  StatusCode code;
  const char* message;
};

const Case kCases[] = {
    {404,
     R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"configmaps \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"configmaps"},"code":404})",
     StatusCode::kNotFound, "NotFound: configmaps \"x\" not found"},
    {409,
     R"({"kind":"Status","message":"configmaps \"x\" already exists","reason":"AlreadyExists","code":409})",
     StatusCode::kAlreadyExists, "AlreadyExists: configmaps \"x\" already exists"},
    {409,
     R"({"kind":"Status","message":"Operation cannot be fulfilled on configmaps \"x\": the object has been modified","reason":"Conflict","code":409})",
     StatusCode::kAborted,
     "Conflict: Operation cannot be fulfilled on configmaps \"x\": the object has been modified"},
    // Server-side apply: the same 409 Conflict, told apart by a FieldManagerConflict cause.
    {409,
     R"({"kind":"Status","status":"Failure","message":"Apply failed with 1 conflict: conflict with \"operator\" using v1: .data.policy","reason":"Conflict","details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"operator\" using v1","field":".data.policy"}]},"code":409})",
     StatusCode::kOwnershipConflict,
     "Conflict: Apply failed with 1 conflict: conflict with \"operator\" using v1: .data.policy "
     "[.data.policy: conflict with \"operator\" using v1]"},
    {422,
     R"({"kind":"Status","message":"X \"a\" is invalid","reason":"Invalid","details":{"causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.domain"}]},"code":422})",
     StatusCode::kInvalidArgument, "Invalid: X \"a\" is invalid [spec.domain: Required value]"},
    {410,
     R"js({"kind":"Status","message":"too old resource version: 1 (5)","reason":"Expired","code":410})js",
     StatusCode::kOutOfRange, "Expired: too old resource version: 1 (5)"},
    {401, R"({"kind":"Status","message":"Unauthorized","reason":"Unauthorized","code":401})",
     StatusCode::kUnauthenticated, "Unauthorized: Unauthorized"},
    {403, R"({"kind":"Status","message":"forbidden: no RBAC","reason":"Forbidden","code":403})",
     StatusCode::kPermissionDenied, "Forbidden: forbidden: no RBAC"},
    {429, R"({"kind":"Status","message":"slow down","reason":"TooManyRequests","code":429})",
     StatusCode::kResourceExhausted, "TooManyRequests: slow down"},
    {503, "<html>bad gateway</html>", StatusCode::kUnavailable,
     "HTTP 503: <html>bad gateway</html>"},
    {504, R"({"kind":"Status","message":"timeout","reason":"Timeout","code":504})",
     StatusCode::kDeadlineExceeded, "Timeout: timeout"},
    {500, "", StatusCode::kUnavailable, "HTTP 500: (empty body)"},
};

TEST(StatusFromResponseTest, MapsCodeAndKeepsReasonAndMessage) {
  for (const Case& c : kCases) {
    Status status = StatusFromResponse(c.http_status, c.body);
    EXPECT_EQ(status.code(), c.code) << c.body;
    EXPECT_EQ(status.message(), c.message) << c.body;
  }
}

TEST(StatusFromApiStatusTest, InStreamExpiredIsOutOfRange) {
  auto status = nlohmann::json::parse(
      R"({"kind":"Status","status":"Failure","message":"too old resource version","reason":"Expired","code":410})");
  EXPECT_EQ(StatusFromApiStatus(status).code(), StatusCode::kOutOfRange);
}

TEST(ParseRetryAfterTest, SecondsOnly) {
  EXPECT_EQ(ParseRetryAfter("1"), std::chrono::seconds(1));
  EXPECT_EQ(ParseRetryAfter(" 30 "), std::chrono::seconds(30));
  EXPECT_EQ(ParseRetryAfter(""), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("-1"), std::nullopt);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), std::nullopt);
}

}  // namespace
}  // namespace mtasts::k8s
