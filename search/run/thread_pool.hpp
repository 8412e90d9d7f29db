// Runs a fixed set of independent tasks (walkers) on T threads. Work is handed out
// dynamically, but each task owns its own state and random stream, so what a task computes
// never depends on which thread ran it or how many threads there are.
#pragma once

#include <atomic>
#include <functional>

namespace fmm::search {

class ThreadPool {
 public:
  explicit ThreadPool(int threads) : threads_(threads < 1 ? 1 : threads) {}
  int threads() const { return threads_; }

  // Calls task(i) for i in [0, count), each exactly once, and returns when all are done.
  // Exceptions from tasks are rethrown (the first one) after all tasks have finished.
  void run(int count, const std::function<void(int)>& task) const;

 private:
  int threads_;
};

// Process-wide stop request (SIGINT/SIGTERM handlers set it; walkers poll it with relaxed loads).
std::atomic<bool>& stop_flag();
// Installs SIGINT/SIGTERM handlers that set stop_flag(); idempotent.
void install_stop_signal_handlers();
// The signal that set stop_flag() (SIGINT or SIGTERM), 0 when none did.
int stop_signal();

}  // namespace fmm::search
