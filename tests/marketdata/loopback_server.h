// A loopback HTTP server for the market-data tests: the provider clients under test are the
// production code pointed at http://127.0.0.1:<port> instead of the vendor's host.
#pragma once

#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

namespace keel::testing {

inline std::string fixture(const std::string& name) {
  const std::filesystem::path p = std::filesystem::path(KEEL_SOURCE_DIR) / "tests/fixtures/marketdata" / name;
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (!in) throw std::runtime_error("missing fixture " + p.string());
  return ss.str();
}

class LoopbackServer {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  LoopbackServer() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs: wait for it, or the destructor could hang.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() {
    server_.stop();
    thread_.join();
  }
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

  // Answers GET requests whose path matches `pattern` (a regex) with `handler`; every request is counted.
  void on(const std::string& pattern, Handler handler) {
    server_.Get(pattern, [this, pattern, handler](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mutex_);
        ++hits_[pattern];
        last_target_ = req.target;
      }
      ++total_;
      handler(req, res);
    });
  }
  // Serves a fixture file with a content type.
  void serve(const std::string& pattern, const std::string& file, const std::string& type = "application/json") {
    const std::string body = fixture(file);
    on(pattern, [body, type](const httplib::Request&, httplib::Response& res) { res.set_content(body, type.c_str()); });
  }

  int hits(const std::string& pattern) {
    std::lock_guard lock(mutex_);
    return hits_[pattern];
  }
  int total() const { return total_; }
  std::string last_target() {
    std::lock_guard lock(mutex_);
    return last_target_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, int> hits_;
  std::string last_target_;
  std::atomic<int> total_{0};
};

}  // namespace keel::testing
