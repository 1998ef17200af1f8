#include "keel/core/release.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace keel {
namespace {

class Releaser {
 public:
  Releaser() = default;
  Releaser(const Releaser&) = delete;
  Releaser& operator=(const Releaser&) = delete;
  ~Releaser() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  void add(std::shared_ptr<void> object) {
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) return;  // during exit: destroyed here, as the caller's last reference goes
      if (!thread_.joinable()) {
        try {
          thread_ = std::thread([this] { run(); });
        } catch (...) {
          return;  // no thread: destroyed here
        }
      }
      queue_.push_back(std::move(object));
    }
    wake_.notify_one();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything handed over is destroyed
      std::shared_ptr<void> next = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      next.reset();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<void>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace

void detail::release_later(std::shared_ptr<void> object) {
  static Releaser releaser;
  releaser.add(std::move(object));
}

}  // namespace keel
