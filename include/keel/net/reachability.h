// keel/net/reachability.h: whether an outside service can be reached at all — a TCP connection to
// its host and port, nothing sent — for keel serve's readiness probe (/readyz), which reports the
// market-data and LLM providers without ever sending a request or a key to them.
//
// Thread-safety: a pure function of its arguments (it resolves the name and opens a socket).
#pragma once

#include <chrono>
#include <string_view>

#include "keel/net/outbound.h"

namespace keel::net {

// True when a TCP connection to the host of `url` (an absolute http or https URL; its port, else
// 80 or 443) opens within `timeout` on one of the addresses the name resolves to; the socket is
// closed at once. False when the URL is not one, the name does not resolve, every address refuses
// or stays silent past the timeout, or `policy` would refuse the destination (check_url, and with
// `enforce` a non-public address of a host not in allowed_hosts — the same rules a request to it
// would meet, so a probe reaches nothing a request could not). The timeout bounds the connects
// (shared by the addresses), not the name's resolution.
bool tcp_reachable(std::string_view url, const OutboundPolicy& policy, std::chrono::milliseconds timeout);

// The same, telling a destination the policy refuses before any connection (check_url refuses the
// URL, or every address of the name is a non-public one the policy does not list) from one that
// does not answer.
enum class Reach { kReachable, kUnreachable, kNotAllowed };
Reach tcp_reach(std::string_view url, const OutboundPolicy& policy, std::chrono::milliseconds timeout);

}  // namespace keel::net
