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
// Lock-free atomics only: all a signal handler may touch.
std::atomic<int> g_stop_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int signal) {
  g_stop_signal.store(signal, std::memory_order_relaxed);
  stop_flag().store(true, std::memory_order_relaxed);
}
}  // namespace

int stop_signal() { return g_stop_signal.load(std::memory_order_relaxed); }

void install_stop_signal_handlers() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

}  // namespace fmm::search
