// The flip-graph search: W walkers (flip_walk.hpp) run in epochs on T threads; between epochs
// the coordinator collects new bests into the Pool (which verifies), restarts walkers that
// fell behind from the pool's best schemes, saves results and checkpoints, and reports.
// Every decision is taken between epochs in walker order, so for a given seed, walker count
// and flip budget the outcome does not depend on the number of threads.
#pragma once

#include "search/pool.hpp"
#include "search/progress.hpp"
#include "search/search_config.hpp"

namespace fmm::search {

// Runs the search described by `config` (field GF2 or Z). Throws fmm::Error for an
// unsupported request (shape too large, field Q, a start scheme outside {-1,0,1} for Z, a
// checkpoint that does not match). Writes result files when config.out_dir is set.
SearchOutcome run_flip_search(const SearchConfig& config, Pool& pool, Progress& progress);

// The file name a found scheme is saved under: "3x3x3_r23_gf2.txt", "3x3x3_r23_z.txt".
std::string result_file_name(const Scheme& scheme);

// One line with everything that determines a run (written first in every log).
std::string describe(const SearchConfig& config);

}  // namespace fmm::search
