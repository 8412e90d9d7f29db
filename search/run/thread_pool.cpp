#include "search/run/thread_pool.hpp"

#include <csignal>
#include <exception>
#include <mutex>

#include <omp.h>

namespace fmm::search {

void ThreadPool::run(int count, const std::function<void(int)>& task) const {
  std::exception_ptr first_error;
  std::mutex error_mutex;
  // Dynamic hand-out balances uneven walkers; results do not depend on the assignment
  // because each task touches only its own state.
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_)
  for (int i = 0; i < count; ++i) {
    try {
      task(i);
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
    }
  }
  if (first_error) std::rethrow_exception(first_error);
}

std::atomic<bool>& stop_flag() {
  static std::atomic<bool> flag{false};
  return flag;
}

namespace {
extern "C" void on_stop_signal(int) { stop_flag().store(true, std::memory_order_relaxed); }
}  // namespace

void install_stop_signal_handlers() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

}  // namespace fmm::search
