// src/server/http_server.h (private): the HTTP/1.1 engine of `keel serve` on Boost.Beast over
// Boost.Asio.
//
// Threading (docs/server.md "Threading model"): `io_threads` threads run every socket
// asynchronously — accepting, reading, writing, timers — and never wait on an engine or a
// password hash. A request's header is read under a deadline and its size limits; the App admits
// it (route, rate limit) on the I/O thread. Authentication and the route handler take a slot of
// the request pool (reads, imports, job control) or run on the compute pool (engine runs). A short
// read (an authenticated GET of the request pool: a cached result, a list) runs on the I/O thread
// that read it when a request slot is free — no hand-off to a pool thread and back — but at most
// io_threads − 1 I/O threads do so at once, so one is always left for the sockets and /healthz
// however long a store read takes; otherwise it goes to a pool thread. A full pool queue answers
// 503 with Retry-After at once, so health checks, cached reads and event streams keep answering
// while the engines are saturated. Event streams are handed to the EventHub and cost a buffer, not
// a thread. The compute and hash pools' threads run at a lower priority than the I/O threads
// (nice +5), so a socket's work never waits for a computation's time slice; each pool times its
// queue waits.
//
// Every connection is served in order (pipelined requests are answered in the order sent); a
// request refused before its body was read closes the connection after the answer, so an unread
// body is never parsed as a request. Any exception escaping a handler becomes a JSON 500 with the
// request id, and the connection goes on.
//
// Thread-safety: bind/run/stop from the controlling thread (stop also from a signal watcher).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "keel/server/metrics.h"

namespace keel::server {

class App;

struct HttpServerStats {
  std::size_t open_connections = 0;
  std::size_t request_queue = 0;     // requests waiting for the request pool
  std::size_t compute_queue = 0;     // requests waiting for the compute pool
  std::size_t compute_running = 0;   // engine runs in progress
  std::uint64_t rejected_busy = 0;   // 503s for a full queue since start
  std::uint64_t rejected_connections = 0;  // connections closed at accept (caps)
  // Time requests waited in each pool's queue before a thread took them, since start.
  Histogram request_queue_wait;
  Histogram compute_queue_wait;
  Histogram hash_queue_wait;
};

class HttpServer {
 public:
  explicit HttpServer(App& app);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens (backlog SOMAXCONN); returns the port. Throws Error::internal when the
  // address cannot be bound.
  int bind(const std::string& host, int port);
  // Serves until stop(); blocking. The I/O threads and pools start here.
  void run();
  bool running() const;
  // Stops accepting, closes idle connections, lets requests in progress finish (at most the
  // configured grace), ends event streams and joins every thread. Idempotent; any thread.
  void stop();
  HttpServerStats stats() const;

  struct Impl;  // the sockets, pools and connections (http_server.cpp)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace keel::server
