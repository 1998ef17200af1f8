// src/server/event_hub.h (private): server-sent events for job progress, at the cost of memory
// rather than threads.
//
// A connection that answers GET /api/v1/jobs/{id}/events subscribes an EventSink (the connection
// itself) for that job. One hub thread waits for job changes (JobRunner::wait_for_change: this
// process's jobs, other processes' through the store's notifications, else a poll), reads
// each watched job once per change, no matter how many streams watch it, and pushes the event
// text to every sink whose last event is older; it sends a comment line as a heartbeat every
// `heartbeat` so that proxies keep idle streams open. A sink that refuses a push (its client stopped
// reading and its buffer passed the bound, or it closed) is dropped. The hub holds sinks weakly: a
// connection lives as long as its socket (it keeps a read pending to notice the client leaving).
//
// Thread-safety: subscribe() and notify() from any thread; sinks are called on the hub thread
// and must not block (they post to their connection's strand).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace keel::server {

class App;

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Queues `bytes` for the client (the stream ends after them when `last`). Returns false when the
  // sink is closed or over its buffer bound; the hub then forgets it.
  virtual bool push(std::string bytes, bool last) = 0;
};

class EventHub {
 public:
  EventHub(App& app, std::chrono::milliseconds heartbeat);
  ~EventHub();
  void start();
  // Sends "event: shutdown" and ends every stream, then joins the hub thread. Idempotent.
  void stop();
  void subscribe(std::int64_t job_id, std::shared_ptr<EventSink> sink);
  std::size_t streams() const;

 private:
  struct Subscriber {
    std::weak_ptr<EventSink> sink;
    std::int64_t last_version = -1;
  };
  void loop();

  App& app_;
  std::chrono::milliseconds heartbeat_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::map<std::int64_t, std::vector<Subscriber>> subscribers_;  // guarded by mutex_
  bool dirty_ = false;                                           // guarded by mutex_: new subscribers
  bool stopping_ = false;                                        // guarded by mutex_
  std::thread thread_;
};

}  // namespace keel::server
