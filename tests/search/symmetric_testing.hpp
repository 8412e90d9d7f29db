// What test_symmetric and test_orbit_bank share: invariance judged by tensor/transform.hpp's
// cyclic() itself (not by the maps of the code under test), on a scheme's GF(2) terms as a sorted
// multiset, the configuration of a small symmetric search, a Progress that keeps its log lines,
// and the check that a resume under another walk policy says so.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "search/flip/flip_terms.hpp"
#include "search/run/pool.hpp"
#include "search/run/progress.hpp"
#include "search/run/search_config.hpp"
#include "search/symmetric/symmetric_search.hpp"  // run_symmetric_flip
#include "tensor/scheme.hpp"
#include "tensor/transform.hpp"

namespace fmm::search::test {

using Sorted = std::vector<std::array<std::uint64_t, 3>>;

inline Sorted sorted_terms(const Scheme& x) {
  Sorted t;
  for (const auto& f : gf2_terms(x)) t.push_back({f.f[0], f.f[1], f.f[2]});
  std::sort(t.begin(), t.end());
  return t;
}

inline bool invariant_by_transform(const Scheme& s) { return sorted_terms(s) == sorted_terms(cyclic(s)); }

// A Progress that records the search's log lines, for tests that read them.
struct LogRecorder : Progress {
  std::vector<std::string> lines;
  void log(const std::string& line) override { lines.push_back(line); }
};

// Whether a resumed symmetric run (`cfg.resume`) logs that its walk policy differs from the
// checkpoint's: resumed as it is, and with restart_after changed to 12345, which the note names.
inline std::pair<bool, bool> policy_notes(const SearchConfig& cfg) {
  auto noted = [](const SearchConfig& c) {
    Pool pool;
    LogRecorder rec;
    run_symmetric_flip(c, pool, rec);
    return std::any_of(rec.lines.begin(), rec.lines.end(), [](const std::string& l) {
      return l.find("walk policy differs") != std::string::npos && l.find("restart-after 12345") != std::string::npos;
    });
  };
  SearchConfig changed = cfg;
  changed.restart_after = 12345;
  const bool as_is = noted(cfg);
  return {as_is, noted(changed)};
}

// A symmetric search of <n,n,n> over GF(2): `max_moves` orbit moves over all walkers, epochs of
// 2^16 moves, a target rank unless 0; the backend is the caller's (cpu by default).
inline SearchConfig symmetric_config(int n, std::uint64_t seed, std::uint64_t max_moves, int target, int walkers = 1,
                                     int threads = 1, int order = 3) {
  SearchConfig cfg;
  cfg.shape = Shape{n, n, n};
  cfg.field = Field::GF2;
  cfg.symmetric = true;
  cfg.symmetry_order = order;
  cfg.seed = seed;
  cfg.max_flips = max_moves;
  cfg.epoch_flips = 1u << 16;
  cfg.walkers = walkers;
  cfg.threads = threads;
  if (target) cfg.target_rank = target;
  return cfg;
}

}  // namespace fmm::search::test
