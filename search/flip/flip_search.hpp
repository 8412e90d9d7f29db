// The flip-graph search: W walkers (flip_walk.hpp) run in epochs on T threads; between epochs
// the coordinator hands the walkers' new bests to the EpochExchange, takes back the previous
// epoch's bests of every process into the Pool (which verifies), restarts walkers that fell
// behind from the pool's best schemes, saves results and checkpoints, and reports. Every
// decision is taken between epochs in walker order, so for a given seed, walker count and flip
// budget the outcome does not depend on the number of threads or MPI ranks.
#pragma once

#include "search/run/epoch_exchange.hpp"
#include "search/run/pool.hpp"
#include "search/run/progress.hpp"
#include "search/run/results.hpp"  // result_file_name, save_result
#include "search/run/search_config.hpp"

namespace fmm::search {

// Runs the search described by `config` (field GF2 or Z). Throws fmm::Error for an
// unsupported request (shape too large, field Q, a start scheme outside {-1,0,1} for Z, a
// checkpoint that does not match). Writes result files when config.out_dir is set.
// `exchange` spreads the run over processes (MpiEpochExchange); null = this process alone.
SearchOutcome run_flip_search(const SearchConfig& config, Pool& pool, Progress& progress,
                              EpochExchange* exchange = nullptr);

// One line with everything that determines a run (written first in every log).
std::string describe(const SearchConfig& config);

}  // namespace fmm::search
