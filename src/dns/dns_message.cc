#include "dns/dns_message.h"

#include <ares.h>
#include <arpa/inet.h>

#include <algorithm>
#include <memory>

#include "base/strings.h"

namespace mtasts::dns {
namespace {

constexpr size_t kHeaderSize = 12;

uint16_t Read16(const unsigned char* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
uint32_t Read32(const unsigned char* p) {
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}

// Decodes the (possibly compressed) name at `at`; advances `at` past its encoded form.
StatusOr<std::string> ReadName(const unsigned char* msg, size_t length, size_t* at) {
  if (*at >= length) return InvalidArgumentError("name runs past the end of the message");
  char* raw = nullptr;
  long encoded_length = 0;
  int rc = ares_expand_name(msg + *at, msg, static_cast<int>(length), &raw, &encoded_length);
  if (rc != ARES_SUCCESS) return InvalidArgumentError("malformed name in the DNS message");
  std::unique_ptr<char, decltype(&ares_free_string)> owned(raw, &ares_free_string);
  *at += static_cast<size_t>(encoded_length);
  return CanonicalDomain(owned.get());
}

Status DecodeRdata(const unsigned char* msg, size_t length, size_t rdata_at, size_t rdlength,
                   ResourceRecord* rr) {
  const unsigned char* rdata = msg + rdata_at;
  size_t at = rdata_at;
  switch (rr->type) {
    case kTypeA:
    case kTypeAaaa: {
      size_t want = rr->type == kTypeA ? 4 : 16;
      if (rdlength != want) return InvalidArgumentError("address record of the wrong length");
      char text[INET6_ADDRSTRLEN] = {};
      inet_ntop(rr->type == kTypeA ? AF_INET : AF_INET6, rdata, text, sizeof text);
      rr->address = text;
      return OkStatus();
    }
    case kTypeCname: {
      ASSIGN_OR_RETURN(rr->name, ReadName(msg, length, &at));
      return OkStatus();
    }
    case kTypeMx: {
      if (rdlength < 3) return InvalidArgumentError("MX record too short");
      rr->priority = Read16(rdata);
      at += 2;
      ASSIGN_OR_RETURN(rr->name, ReadName(msg, length, &at));
      return OkStatus();
    }
    case kTypeTxt: {
      for (size_t i = 0; i < rdlength;) {
        size_t n = rdata[i];
        if (i + 1 + n > rdlength) return InvalidArgumentError("TXT string runs past its record");
        rr->strings.emplace_back(reinterpret_cast<const char*>(rdata + i + 1), n);
        i += 1 + n;
      }
      return OkStatus();
    }
    default:
      return OkStatus();
  }
}

}  // namespace

StatusOr<Message> DecodeMessage(const unsigned char* msg, size_t length) {
  if (length < kHeaderSize) return InvalidArgumentError("DNS message shorter than its header");
  Message out;
  out.rcode = msg[3] & 0x0f;
  out.truncated = (msg[2] & 0x02) != 0;
  size_t questions = Read16(msg + 4);
  size_t answers = Read16(msg + 6);
  size_t at = kHeaderSize;
  for (size_t i = 0; i < questions; ++i) {
    ASSIGN_OR_RETURN(std::string ignored, ReadName(msg, length, &at));
    if (at + 4 > length) return InvalidArgumentError("question runs past the end");
    at += 4;
  }
  for (size_t i = 0; i < answers; ++i) {
    ResourceRecord rr;
    ASSIGN_OR_RETURN(rr.owner, ReadName(msg, length, &at));
    if (at + 10 > length) return InvalidArgumentError("record header runs past the end");
    rr.type = Read16(msg + at);
    rr.ttl = Read32(msg + at + 4);
    size_t rdlength = Read16(msg + at + 8);
    at += 10;
    if (at + rdlength > length) return InvalidArgumentError("record data runs past the end");
    RETURN_IF_ERROR(DecodeRdata(msg, length, at, rdlength, &rr));
    at += rdlength;
    out.answers.push_back(std::move(rr));
  }
  return out;
}

ChainedAnswer FollowChain(const Message& message, std::string_view qname, uint16_t qtype) {
  ChainedAnswer out;
  std::string current = CanonicalDomain(qname);
  // Each step consumes one CNAME, so the answer count bounds the walk.
  for (size_t step = 0; step <= message.answers.size(); ++step) {
    auto cname = std::find_if(message.answers.begin(), message.answers.end(), [&](auto& rr) {
      return rr.type == kTypeCname && rr.owner == current;
    });
    if (cname == message.answers.end() || qtype == kTypeCname) break;
    bool seen = cname->name == CanonicalDomain(qname) ||
                std::find(out.cname_chain.begin(), out.cname_chain.end(), cname->name) !=
                    out.cname_chain.end();
    if (seen) {
      out.loop = true;
      return out;
    }
    out.cname_chain.push_back(cname->name);
    current = cname->name;
  }
  for (const ResourceRecord& rr : message.answers) {
    if (rr.type == qtype && rr.owner == current) out.records.push_back(&rr);
  }
  return out;
}

}  // namespace mtasts::dns
