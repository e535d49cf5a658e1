// The time-limit thread (see api/watchdog.h).
#include "api/watchdog.h"

#include "vm/vm.h"

namespace kiln {

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Watchdog::arm(double seconds) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    deadline_ =
        std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                               std::chrono::duration<double>(seconds));
    armed_ = true;
    if (!thread_.joinable()) thread_ = std::thread([this] { watch(); });
  }
  wake_.notify_one();
}

void Watchdog::disarm() {
  std::lock_guard<std::mutex> lock(mutex_);
  armed_ = false;
}

void Watchdog::watch() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (!armed_) {
      wake_.wait(lock);
      continue;
    }
    if (wake_.wait_until(lock, deadline_) == std::cv_status::timeout && armed_ &&
        std::chrono::steady_clock::now() >= deadline_) {
      vm_.requestTimeout();
      armed_ = false;  // once per run
    }
  }
}

}  // namespace kiln
