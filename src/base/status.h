// Status and StatusOr<T>: the error vocabulary of the project.
//
// Codes carry retry meaning (abseil's reading), which the callers map onto decisions:
//   kUnavailable / kDeadlineExceeded  -> transient: retry the call with backoff.
//   kAborted                           -> conflict: re-read and re-apply at once.
//   kOwnershipConflict                 -> another writer owns what this one tried to set:
//                                         back off and surface it (it does not go away by
//                                         retrying at once; forcing would take it over).
//   kFailedPrecondition                -> the world must change first: surface as a condition.
//   kInvalidArgument                   -> the input is wrong: report it, never retry.
// A Status is a value type; it is cheap to copy when ok. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace mtasts {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kAborted,
  kOwnershipConflict,
  kFailedPrecondition,
  kOutOfRange,
  kUnauthenticated,
  kPermissionDenied,
  kResourceExhausted,
  kUnavailable,
  kDeadlineExceeded,
  kCancelled,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "NOT_FOUND: configmaps \"x\" not found", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "context: message".
  Status WithContext(std::string_view context) const;

  friend bool operator==(const Status&, const Status&) = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return {}; }
Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status AbortedError(std::string message);
Status OwnershipConflictError(std::string message);
Status FailedPreconditionError(std::string message);
Status OutOfRangeError(std::string message);
Status UnauthenticatedError(std::string message);
Status PermissionDeniedError(std::string message);
Status ResourceExhaustedError(std::string message);
Status UnavailableError(std::string message);
Status DeadlineExceededError(std::string message);
Status CancelledError(std::string message);
Status InternalError(std::string message);

// Holds either a value or a non-ok Status.
template <typename T>
class StatusOr {
 public:
  StatusOr(const Status& status) : rep_(status) {}        // NOLINT: implicit by design
  StatusOr(Status&& status) : rep_(std::move(status)) {}  // NOLINT
  StatusOr(const T& value) : rep_(value) {}               // NOLINT
  StatusOr(T&& value) : rep_(std::move(value)) {}         // NOLINT

  bool ok() const { return std::holds_alternative<T>(rep_); }
  Status status() const { return ok() ? OkStatus() : std::get<Status>(rep_); }

  const T& value() const& { return std::get<T>(rep_); }
  T& value() & { return std::get<T>(rep_); }
  T&& value() && { return std::get<T>(std::move(rep_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  std::variant<Status, T> rep_;
};

}  // namespace mtasts

#define MTASTS_CONCAT_INNER(a, b) a##b
#define MTASTS_CONCAT(a, b) MTASTS_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    ::mtasts::Status mtasts_status_ = (expr);        \
    if (!mtasts_status_.ok()) return mtasts_status_; \
  } while (false)

#define ASSIGN_OR_RETURN(lhs, expr) \
  MTASTS_ASSIGN_OR_RETURN_IMPL(MTASTS_CONCAT(mtasts_statusor_, __LINE__), lhs, expr)

#define MTASTS_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
