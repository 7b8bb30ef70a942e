// Any bytes as a DNS response: decoding fails cleanly or yields records whose CNAME chain can
// be followed without looping.
#include <cstddef>
#include <cstdint>

#include "dns/dns_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mtasts::dns;
  mtasts::StatusOr<Message> message = DecodeMessage(data, size);
  if (!message.ok()) return 0;
  for (uint16_t type : {kTypeTxt, kTypeMx, kTypeA, kTypeAaaa}) {
    const std::string qname = message->answers.empty() ? "x" : message->answers[0].owner;
    ChainedAnswer chain = FollowChain(*message, qname, type);
    if (chain.cname_chain.size() > message->answers.size()) __builtin_trap();
  }
  return 0;
}
