#include "search/run/bench.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <ostream>

#include "search/flip/flip_search.hpp"
#include "search/run/pool.hpp"
#include "search/run/search_config.hpp"
#include "search/symmetric/symmetric_search.hpp"

namespace fmm::search {
namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

}  // namespace

std::vector<BenchCase> bench_cases(int scale) {
  const std::uint64_t s = scale < 1 ? 1 : static_cast<std::uint64_t>(scale);
  return {
      {{3, 3, 3}, Field::GF2, 1, 20'000'000 / s},
      {{4, 4, 4}, Field::GF2, 1, 40'000'000 / s},
      {{3, 3, 3}, Field::Z, 1, 20'000'000 / s},
      {{2, 3, 4}, Field::GF2, 7, 10'000'000 / s},
      {{5, 5, 5}, Field::GF2, 1, 20'000'000 / s, 3},  // the symmetric walk from the paper's <5,5,5> start
  };
}

BenchResult run_bench(const std::vector<BenchCase>& cases) {
  BenchResult out;
  std::uint64_t sig = 0x6a09e667f3bcc908ULL;
  std::uint64_t total_flips = 0, total_moves = 0;
  double total_s = 0, total_cpu = 0, total_sym_cpu = 0;
  for (const BenchCase& c : cases) {
    SearchConfig cfg;
    cfg.shape = c.shape;
    cfg.field = c.field;
    cfg.seed = c.seed;
    cfg.threads = 1;
    cfg.walkers = 1;
    cfg.max_flips = c.flips;
    cfg.symmetric = c.symmetry_order != 0;
    if (cfg.symmetric) cfg.symmetry_order = c.symmetry_order;
    Pool pool;
    SilentProgress quiet;
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = thread_cpu_seconds();
    SearchOutcome o = cfg.symmetric ? run_symmetric_flip(cfg, pool, quiet) : run_flip_search(cfg, pool, quiet);
    BenchRow row;
    row.c = c;
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    row.cpu_seconds = thread_cpu_seconds() - c0;
    row.flips = o.flips;
    auto best = pool.best(c.field);
    row.best_rank = best.empty() ? 0 : best.front().scheme.rank();
    row.scheme_hash = best.empty() ? 0 : best.front().fingerprint;
    for (std::uint64_t x : {row.flips, static_cast<std::uint64_t>(row.best_rank), row.scheme_hash}) {
      sig ^= x + 0x9e3779b97f4a7c15ULL + (sig << 6) + (sig >> 2);
    }
    if (cfg.symmetric) {
      total_moves += row.flips;
      total_sym_cpu += row.cpu_seconds;
    } else {
      total_flips += row.flips;
      total_s += row.seconds;
      total_cpu += row.cpu_seconds;
    }
    out.rows.push_back(row);
  }
  out.signature = sig;
  out.flips_per_s = total_s > 0 ? static_cast<double>(total_flips) / total_s : 0;
  out.flips_per_cpu_s = total_cpu > 0 ? static_cast<double>(total_flips) / total_cpu : 0;
  out.orbit_moves_per_cpu_s = total_sym_cpu > 0 ? static_cast<double>(total_moves) / total_sym_cpu : 0;
  return out;
}

void print_bench(std::ostream& out, const BenchResult& r) {
  char line[256];
  for (const BenchRow& row : r.rows) {
    const std::string kind = row.c.symmetry_order ? "sym" + std::to_string(row.c.symmetry_order) : to_string(row.c.field);
    std::snprintf(line, sizeof line,
                  "%-6s %-4s seed %-3llu %s %-10llu best rank %-3d hash %016llx  %.3f s  %.2f M/s "
                  "(%.2f M per CPU s)\n",
                  row.c.shape.str().c_str(), kind.c_str(), static_cast<unsigned long long>(row.c.seed),
                  row.c.symmetry_order ? "moves" : "flips",
                  static_cast<unsigned long long>(row.flips), row.best_rank,
                  static_cast<unsigned long long>(row.scheme_hash), row.seconds,
                  row.seconds > 0 ? static_cast<double>(row.flips) / row.seconds / 1e6 : 0.0,
                  row.cpu_seconds > 0 ? static_cast<double>(row.flips) / row.cpu_seconds / 1e6 : 0.0);
    out << line;
  }
  std::snprintf(line, sizeof line,
                "throughput %.2f M flips/s wall, %.2f M flips per CPU second (one thread, plain cases)\n"
                "symmetric %.2f M orbit moves per CPU second\nsignature %016llx\n",
                r.flips_per_s / 1e6, r.flips_per_cpu_s / 1e6, r.orbit_moves_per_cpu_s / 1e6,
                static_cast<unsigned long long>(r.signature));
  out << line;
}

}  // namespace fmm::search

namespace fmm::search {

double run_latency_bench(std::ostream& out, const Shape& shape, int target, int seeds) {
  std::vector<double> cpu;
  char line[200];
  for (int seed = 1; seed <= seeds; ++seed) {
    SearchConfig cfg;
    cfg.shape = shape;
    cfg.field = Field::GF2;
    cfg.seed = static_cast<std::uint64_t>(seed);
    cfg.walkers = 1;
    cfg.threads = 1;
    cfg.target_rank = target;
    cfg.max_flips = 2'000'000'000;
    Pool pool;
    SilentProgress quiet;
    const double c0 = thread_cpu_seconds();
    SearchOutcome o = run_flip_search(cfg, pool, quiet);
    const double dt = thread_cpu_seconds() - c0;
    cpu.push_back(dt);
    std::snprintf(line, sizeof line, "%s GF2 seed %-3d rank %s after %llu flips, %.2f ms CPU\n", shape.str().c_str(),
                  seed, o.best_rank_gf2 ? std::to_string(*o.best_rank_gf2).c_str() : "-",
                  static_cast<unsigned long long>(o.flips), dt * 1e3);
    out << line;
  }
  std::sort(cpu.begin(), cpu.end());
  const std::size_t n = cpu.size();
  const double median = n % 2 ? cpu[n / 2] : (cpu[n / 2 - 1] + cpu[n / 2]) / 2;
  std::snprintf(line, sizeof line, "median %.2f ms CPU over %zu seeds (%s to rank %d)\n", median * 1e3, n,
                shape.str().c_str(), target);
  out << line;
  return median;
}

}  // namespace fmm::search
