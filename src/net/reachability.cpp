// TCP reachability of an outside service (keel/net/reachability.h).
#include "keel/net/reachability.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace keel::net {
namespace {

std::string address_text(const sockaddr* sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, buf, sizeof buf);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, buf, sizeof buf);
  }
  return buf;
}

// A non-blocking connect to `ai`, waited for until `deadline`.
bool connects(const addrinfo* ai, std::chrono::steady_clock::time_point deadline) {
  const int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
  if (fd < 0) return false;
  bool ok = false;
  if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
    ok = true;
  } else if (errno == EINPROGRESS) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLOUT, 0};
    if (left.count() > 0 && poll(&p, 1, static_cast<int>(left.count())) == 1) {
      int err = 0;
      socklen_t len = sizeof err;
      ok = getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
    }
  }
  close(fd);
  return ok;
}

}  // namespace

bool tcp_reachable(std::string_view url, const OutboundPolicy& policy, std::chrono::milliseconds timeout) {
  return tcp_reach(url, policy, timeout) == Reach::kReachable;
}

Reach tcp_reach(std::string_view url, const OutboundPolicy& policy, std::chrono::milliseconds timeout) {
  // The host and port a request would connect to: libcurl's reading (keel/net/url.h).
  const auto u = Url::parse(url);
  if (!u) return Reach::kUnreachable;
  try {
    check_url(policy, url);
  } catch (const Error&) {
    return Reach::kNotAllowed;
  }
  const std::string port = std::to_string(u->effective_port());
  const bool listed = host_listed(policy.allowed_hosts, u->host_and_port());
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(u->host().c_str(), port.c_str(), &hints, &found) != 0) return Reach::kUnreachable;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool ok = false;
  bool tried = false;
  for (const addrinfo* ai = found; ai != nullptr && !ok; ai = ai->ai_next) {
    if (policy.enforce && !listed && non_public_reason(address_text(ai->ai_addr))) continue;
    tried = true;
    ok = connects(ai, deadline);
  }
  freeaddrinfo(found);
  if (ok) return Reach::kReachable;
  return tried ? Reach::kUnreachable : Reach::kNotAllowed;
}

}  // namespace keel::net
