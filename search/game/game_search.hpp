// Entry point of the AlphaTensor-style tensor game with tree search (search/game.*, search/mcts.*,
// written separately). `fmm search --method mcts` calls it. The implementation defines
// FMM_HAVE_MCTS=1 on fmm_search (PUBLIC, in search/game.cmake) when it provides run_mcts;
// without it the CLI reports that the method is not available.
#pragma once

#include "search/run/pool.hpp"
#include "search/run/progress.hpp"
#include "search/run/search_config.hpp"

namespace fmm::search {

// Searches config.shape over config.field; offers every scheme it finds to `pool` (which
// verifies) and reports through `progress`. Honors stop_flag(), time_limit_s and target_rank.
SearchOutcome run_mcts(const SearchConfig& config, Pool& pool, Progress& progress);

}  // namespace fmm::search
