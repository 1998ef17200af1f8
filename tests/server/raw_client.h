// tests/server/raw_client.h: a TCP client that sends exact bytes, in as many segments as a test
// wants, and reads what the server answers — for the tests of hostile input, where an HTTP
// library would normalise the very bytes under test.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace keel::server::testing {

class RawClient {
 public:
  explicit RawClient(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  // Sends every byte (false when the peer has closed).
  bool send(std::string_view bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
      const ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }

  // Reads until the peer closes or `timeout` passes without data; returns everything read.
  std::string read_all(std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
    std::string out;
    while (read_some(timeout, out)) {
    }
    return out;
  }

  // Reads until `needle` has been seen (or the peer closes, or the timeout passes).
  std::string read_until(std::string_view needle, std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
    std::string out;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out.find(needle) == std::string::npos) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !read_some(left, out)) break;
    }
    return out;
  }

  // True once a read saw the peer close the connection.
  bool closed() const { return closed_; }
  // Waits up to `timeout` for the peer to close (data read meanwhile is dropped).
  bool closed_within(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!closed_) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !wait_readable(left)) return false;
      char buf[4096];
      if (::recv(fd_, buf, sizeof buf, 0) <= 0) closed_ = true;
    }
    return true;
  }

 private:
  // Appends what one recv returns within `timeout`; false on a timeout or when the peer closed.
  bool read_some(std::chrono::milliseconds timeout, std::string& out) {
    if (!wait_readable(timeout)) return false;
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    out.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  bool wait_readable(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
  }
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
};

// Status codes of every HTTP response found in `raw`, in order (status lines at the start of the
// text or right after a previous response's body; good enough for Content-Length framed answers).
inline std::vector<int> status_codes(const std::string& raw) {
  std::vector<int> out;
  std::size_t pos = 0;
  while ((pos = raw.find("HTTP/1.", pos)) != std::string::npos) {
    if (pos == 0 || raw.compare(pos - 2, 2, "\r\n") == 0 || raw[pos - 1] == '}' || raw[pos - 1] == '\n') {
      if (pos + 12 <= raw.size()) out.push_back(std::stoi(raw.substr(pos + 9, 3)));
    }
    pos += 7;
  }
  return out;
}

}  // namespace keel::server::testing
