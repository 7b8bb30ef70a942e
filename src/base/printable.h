// The one rule for showing bytes that came from outside (DNS records, SMTP replies, HTTP headers,
// certificate names, files, Kubernetes objects) to a person or a program: in terminal output,
// JSON reports, log lines and Events alike. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mtasts {

// `bytes` with every byte that could act on a terminal or break a UTF-8 reader written as the
// four characters "\xNN": C0 controls (tab and newline too, so one line stays one line), DEL, the
// C1 controls U+0080-U+009F, the bidirectional and line-separator format characters (which can
// reorder or split what a reader sees), and every byte that is not part of well-formed UTF-8.
// Printable ASCII and well-formed UTF-8 are kept. So the result is valid UTF-8 without a control
// character, and Printable(Printable(x)) == Printable(x). A backslash is kept as it is: the
// result is for reading, not for decoding back.
std::string Printable(std::string_view bytes);

}  // namespace mtasts
