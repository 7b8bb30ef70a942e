// Decoding of DNS response messages (RFC 1035 §4): the pure half of the resolver, kept apart
// from the network so that it can be unit-tested and fuzzed. Decodes the header and the answer
// section (name compression included); records of types we do not use are kept with their type
// and owner only. Thread-compatible; no allocation outlives a call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace mtasts::dns {

enum RecordType : uint16_t {
  kTypeA = 1,
  kTypeCname = 5,
  kTypeMx = 15,
  kTypeTxt = 16,
  kTypeAaaa = 28
};
enum Rcode : int { kRcodeNoError = 0, kRcodeServFail = 2, kRcodeNxDomain = 3, kRcodeRefused = 5 };

struct ResourceRecord {
  std::string owner;  // lower case, no trailing dot
  uint16_t type = 0;
  uint32_t ttl = 0;
  std::string name;                  // CNAME target or MX exchange (lower case, no trailing dot)
  uint16_t priority = 0;             // MX preference
  std::vector<std::string> strings;  // TXT character-strings
  std::string address;               // A / AAAA, textual
};

struct Message {
  int rcode = 0;
  bool truncated = false;
  std::vector<ResourceRecord> answers;
};

// Fails with kInvalidArgument when the bytes are not a well-formed response.
StatusOr<Message> DecodeMessage(const unsigned char* bytes, size_t length);

// The answer to (qname, qtype) inside one message: the CNAME chain followed from qname, and the
// records of qtype owned by its last name.
struct ChainedAnswer {
  std::vector<std::string> cname_chain;
  std::vector<const ResourceRecord*> records;
  bool loop = false;  // the chain came back to a name already seen
};
ChainedAnswer FollowChain(const Message& message, std::string_view qname, uint16_t qtype);

}  // namespace mtasts::dns
