// The symmetric flip search for <n,n,n> over GF(2) (Moosbauer, Poole, arXiv 2502.04514): W
// walkers on symmetric_walk.hpp's graph, run in epochs on T threads (and MPI ranks) like
// flip/flip_search.hpp, with the same epoch exchange, checkpoints, pool and lifting. Between
// epochs, in walker-id order, new bests are expanded to full schemes, verified
// (tensor/verify.hpp) and offered to the Pool. For a given seed, walker count and move budget
// the result does not depend on the thread or rank count.
#pragma once

#include <cstdint>
#include <string>

#include "search/run/epoch_exchange.hpp"
#include "search/run/pool.hpp"
#include "search/run/progress.hpp"
#include "search/run/search_config.hpp"
#include "search/symmetric/symmetric_walk.hpp"

namespace fmm::search {

// The walk schedule of the paper's code for <n,n,n> under a group of order `order`, converted
// to orbit moves (its counts are in term flips, |G| per orbit move), with the config's
// overrides (plateau_limit = moves before a plus transition, restart_after, plus_limit) applied.
// `start_rank` is the rank of the run's start scheme.
SymmetricWalkParams symmetric_walk_params(const SearchConfig& config, int start_rank);

// SearchConfig::symmetric_restart read: runs restart from the pool's best (from_best) once its
// rank is at most at_most (0 = at once). Throws fmm::Error for anything but start, best or
// best:RANK with RANK >= 1.
struct SymmetricRestart {
  bool from_best = false;
  int at_most = 0;
};
SymmetricRestart parse_symmetric_restart(const std::string& text);

// The start: config.start decomposed into orbits (it must be invariant), or the grouped-diagonal
// start of config.symmetric_cubes. Throws fmm::Error for a non-invariant scheme or bad groups.
SymmetricScheme symmetric_start(const SearchConfig& config);

// Honours config.seed, walkers, threads, max_flips (orbit moves), epoch_flips, time_limit_s,
// target_rank, start, out_dir, checkpoint_path/resume, lift, walker_offset/stride (MPI), the
// symmetric fields of SearchConfig, and stop_flag(). Throws fmm::Error for a shape that is not
// <n,n,n> with n <= 8, a field other than GF2, or a start scheme that is not invariant.
// config.backend other than "cpu" runs run_symmetric_bank on that backend ("gpu-emulated", or
// "gpu": the plugin's kernel, gpu/walk/orbit_bank_kernel.cu), refusing what the bank does not do
// (checkpoints, MPI, --restart-from best).
SearchOutcome run_symmetric_flip(const SearchConfig& config, Pool& pool, Progress& progress,
                                 EpochExchange* exchange = nullptr);

class OrbitBankBackend;
// The symmetric flip search on a bank of walkers (orbit_bank.hpp) walked by `backend`: the same
// start and schedule as run_symmetric_flip's walkers, epochs of config.epoch_flips moves a walker,
// new run bests at the pool's best rank offered to the pool, new bests saved, --lift, the target,
// --time-limit, --max-flips (orbit moves, split exactly over the walkers) and stop_flag(). For a
// seed, walker count and move budget the result does not depend on the thread count.
SearchOutcome run_symmetric_bank(const SearchConfig& config, Pool& pool, Progress& progress,
                                 OrbitBankBackend& backend);

}  // namespace fmm::search
