#include "probe/smtp_reply.h"

#include <algorithm>
#include <cctype>

namespace mtasts::probe {

std::string SmtpReply::Text() const {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += (i == 0 ? "" : "\n") + lines[i];
  return out;
}

Status SmtpReplyAssembler::Add(std::string_view line) {
  auto digit = [&](size_t i) { return std::isdigit(static_cast<unsigned char>(line[i])) != 0; };
  bool shaped = line.size() >= 3 && digit(0) && digit(1) && digit(2) && line[0] >= '2' &&
                line[0] <= '5' && (line.size() == 3 || line[3] == ' ' || line[3] == '-');
  if (!shaped) {
    return InvalidArgumentError("not an SMTP reply line: \"" + std::string(line.substr(0, 80)) +
                                "\"");
  }
  int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (!reply_.lines.empty() && code != reply_.code) {
    return InvalidArgumentError("reply code changed from " + std::to_string(reply_.code) + " to " +
                                std::to_string(code) + " inside one reply");
  }
  if (reply_.lines.size() >= kMaxLines) {
    return OutOfRangeError("reply has more than " + std::to_string(kMaxLines) + " lines");
  }
  reply_.code = code;
  reply_.lines.emplace_back(line.size() > 4 ? line.substr(4) : std::string_view());
  complete_ = line.size() == 3 || line[3] == ' ';
  return OkStatus();
}

StatusOr<SmtpReply> ReadSmtpReply(LineReader& reader, Deadline deadline) {
  SmtpReplyAssembler assembler;
  while (!assembler.complete()) {
    ASSIGN_OR_RETURN(std::string line, reader.ReadLine(deadline));
    RETURN_IF_ERROR(assembler.Add(line));
  }
  return assembler.reply();
}

std::vector<std::string> EhloKeywords(const SmtpReply& ehlo) {
  std::vector<std::string> out;
  for (size_t i = 1; i < ehlo.lines.size(); ++i) {
    std::string_view line = ehlo.lines[i];
    std::string keyword(line.substr(0, line.find(' ')));
    std::transform(keyword.begin(), keyword.end(), keyword.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (!keyword.empty()) out.push_back(std::move(keyword));
  }
  return out;
}

}  // namespace mtasts::probe
