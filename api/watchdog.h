// The time limit of a Runtime (RuntimeOptions::timeoutSeconds): one thread per
// runtime, started on the first run that has a limit, which sleeps until the
// armed deadline and then asks the VM to stop with "Timed out."
// (VM::requestTimeout: the bit both tiers poll at calls and back-edges).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace kiln {

class VM;

class Watchdog {
 public:
  explicit Watchdog(VM& vm) : vm_(vm) {}
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // From now until disarm(), a run longer than `seconds` is stopped.
  void arm(double seconds);
  void disarm();

 private:
  void watch();

  VM& vm_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread thread_;
  bool armed_ = false;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point deadline_;
};

}  // namespace kiln
