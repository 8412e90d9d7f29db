// The cyclic-symmetric flip search for <n,n,n> over GF(2) (Moosbauer, Poole, arXiv
// 2502.04514): W walkers on symmetric_walk.hpp's graph, run in epochs on T threads like
// flip_search.hpp. Between epochs, in walker order, new bests are expanded to full schemes,
// verified (tensor/verify.hpp) and offered to the Pool; walkers behind the run's best restart
// from one of its best symmetric schemes. For a given seed, walker count and flip budget the
// result does not depend on the thread count.
#pragma once

#include "search/run/pool.hpp"
#include "search/run/progress.hpp"
#include "search/run/search_config.hpp"

namespace fmm::search {

// Honours config.seed, walkers, threads, max_flips, epoch_flips, time_limit_s, target_rank,
// plateau_limit, plus_slack, start (must be cyclic-invariant), out_dir, and stop_flag().
// Throws fmm::Error for a shape that is not <n,n,n> with n <= 8, a field other than GF2,
// or a start scheme that is not invariant.
SearchOutcome run_symmetric_flip(const SearchConfig& config, Pool& pool, Progress& progress);

}  // namespace fmm::search
