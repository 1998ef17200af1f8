#include "keel/core/release.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace keel {
namespace {

class Releaser {
 public:
  void add(std::shared_ptr<void> object) {
    {
      const std::lock_guard lock(mutex_);
      if (!started_) {
        try {
          std::thread([this] { run(); }).detach();
        } catch (...) {
          return;  // no thread: destroyed here, as the caller's last reference goes
        }
        started_ = true;
      }
      queue_.push_back(std::move(object));
    }
    wake_.notify_one();
  }

 private:
  [[noreturn]] void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return !queue_.empty(); });
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
  bool started_ = false;
};

}  // namespace

void detail::release_later(std::shared_ptr<void> object) {
  // Never destroyed, its thread never joined: a program that exits does not wait for what is still
  // queued (the memory goes back with the process).
  static Releaser* const releaser = new Releaser;
  releaser->add(std::move(object));
}

}  // namespace keel
