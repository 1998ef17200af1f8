// tcp_reachable: a TCP connection opens to a listening loopback port and not to a closed one; the
// outbound policy's rules apply before any connection (a loopback address refused unless listed);
// what is not an http(s) URL is unreachable.
#include "keel/net/reachability.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace keel::net {
namespace {

using std::chrono::milliseconds;

// A socket bound to 127.0.0.1 on a free port, listening or not (a bound socket that does not
// listen refuses connections).
struct Port {
  int fd = -1;
  int port = 0;
  explicit Port(bool listening) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    if (listening) ::listen(fd, 4);
  }
  ~Port() { ::close(fd); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port) + "/v1"; }
  std::string host() const { return "127.0.0.1:" + std::to_string(port); }
};

TEST(TcpReachable, AListeningPortIsReachableAClosedOneIsNot) {
  Port up(true), down(false);
  EXPECT_TRUE(tcp_reachable(up.url(), OutboundPolicy{}, milliseconds(500)));
  EXPECT_FALSE(tcp_reachable(down.url(), OutboundPolicy{}, milliseconds(500)));
}

TEST(TcpReachable, TheOutboundGuardDecidesBeforeAnyConnection) {
  Port up(true);
  OutboundPolicy guarded{.enforce = true};
  EXPECT_FALSE(tcp_reachable(up.url(), guarded, milliseconds(500))) << "loopback, not listed";
  guarded.allowed_hosts = {up.host()};
  EXPECT_TRUE(tcp_reachable(up.url(), guarded, milliseconds(500))) << "listed by the administrator";
  OutboundPolicy only{.enforce = true, .allowed_hosts = {"api.example.com"}, .only_allowed_hosts = true};
  EXPECT_FALSE(tcp_reachable(up.url(), only, milliseconds(500))) << "not among the only hosts allowed";
  // Told apart from a destination that does not answer.
  Port down(false);
  EXPECT_EQ(tcp_reach(up.url(), OutboundPolicy{.enforce = true}, milliseconds(500)), Reach::kNotAllowed);
  EXPECT_EQ(tcp_reach(up.url(), only, milliseconds(500)), Reach::kNotAllowed);
  EXPECT_EQ(tcp_reach(down.url(), OutboundPolicy{}, milliseconds(500)), Reach::kUnreachable);
  EXPECT_EQ(tcp_reach(up.url(), OutboundPolicy{}, milliseconds(500)), Reach::kReachable);
}

TEST(TcpReachable, WhatIsNotAnHttpUrlIsUnreachable) {
  Port up(true);
  for (const std::string& bad :
       {std::string("ftp://127.0.0.1:") + std::to_string(up.port), std::string("127.0.0.1"), std::string(""),
        std::string("http://:80/"), std::string("http://127.0.0.1:99999/")}) {
    EXPECT_FALSE(tcp_reachable(bad, OutboundPolicy{}, milliseconds(200))) << bad;
  }
}

}  // namespace
}  // namespace keel::net
