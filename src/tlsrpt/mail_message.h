// The TLS reports attached to a mail message, as a mailbox saves it (.eml): RFC 8460 §5.3 sends
// a report as a multipart/report message whose part of type application/tlsrpt+gzip or
// application/tlsrpt+json holds it; some senders label the part application/gzip,
// application/json or application/octet-stream and name the file *.json.gz or *.json instead.
//
// Only what finding those parts needs is parsed (RFC 5322 headers, RFC 2045-2046 multipart,
// message/rfc822 for a forwarded report mail, base64 and quoted-printable), with caps on nesting
// and part count, so a hostile message costs bounded work. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace mtasts::tlsrpt {

struct Attachment {
  std::string media_type;  // lower case, e.g. "application/tlsrpt+gzip"
  std::string filename;    // as the message names it; "" when it does not
  std::string bytes;       // decoded from its transfer encoding; gzip still compressed
};

// Every report part of message, in order. Errors: NotFound when the message holds none (the
// message says what was looked for); InvalidArgument when it is not a mail message or a part
// cannot be decoded, naming the part.
StatusOr<std::vector<Attachment>> ReportsInMessage(std::string_view message);

}  // namespace mtasts::tlsrpt
