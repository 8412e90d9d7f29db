// A campaign: many formats, a time budget each, worked through in rounds and resumable across
// sessions, keeping the best scheme of every format and ring. It is the family-level walk of the
// meta flip graph (Kauers-Wood 2025; Perminov, arXiv 2511.20317): each format starts from the
// best that the campaign's own schemes of other formats give (best_start.hpp: block sums,
// Kronecker products, projections, extensions), walks there (the plain flip walk over {-1,0,1},
// and over GF(2) with Hensel lifting), and what it finds becomes a part for the others.
//
// The state it keeps: campaign_state.hpp; the table it regenerates: frontier_report.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "search/meta/campaign_state.hpp"
#include "search/run/progress.hpp"

namespace fmm::search::meta {

struct CampaignConfig {
  std::string state_dir;
  std::vector<Shape> formats;        // sorted n <= m <= p; worked through smallest nmp first
  double seconds_per_format = 60;    // per round, split between the {-1,0,1} and GF(2) walks
  int rounds = 1;                    // rounds to complete (counted in the state: resumable)
  int threads = 1;
  int walkers = 0;                   // 0 = 4 per thread
  int parallel = 1;                  // formats walked at once, each on max(1, threads / parallel) threads
  std::uint64_t seed = 1;
  bool walk_ternary = true, walk_gf2 = true;
  bool walk_symmetric = true;        // square formats: also the symmetric GF(2) walk (as long again)
  // Where the plain GF(2) and {-1,0,1} walks run (SearchConfig::backend): "cpu", or "gpu" /
  // "gpu-emulated" for formats with nm, mp, np <= 64 (over {-1,0,1} also a start rank of at most
  // bank::max_capacity(Ternary) - 6 = 378; the others, and the symmetric walks, stay on CPU
  // threads). The name is older than the {-1,0,1} bank walk.
  std::string gf2_backend = "cpu";
  // Where the plain {-1,0,1} walks run; empty: as gf2_backend. "cpu" beside gf2_backend "gpu" keeps
  // them on the cores when many formats share one GPU: there the {-1,0,1} bank walked 11-32 M
  // flips/s a format, about one core's 9-23 M (device campaigns of 2026-12-05), the GF(2) bank
  // 112-150 M.
  std::string ternary_backend;
  bool keep_going = false;           // walk formats already at the best known rank too
  // Walk only the `focus` smallest formats of each round that are not at their best known rank
  // (0 = all); the others get their constructions only. Small formats are the parts of large
  // ones, so time spent on them first pays twice.
  int focus = 0;
  double stop_after_s = 0;           // wall-clock limit of this invocation (0 = none)
  std::string command_line;          // recorded in the log and the state
};

// Works through the campaign (rounds, then formats smallest first), filing every improvement.
// Returns false when stopped early (signal or stop_after_s): the state is saved and resumable.
bool run_campaign(const CampaignConfig& config, CampaignState& state, Progress& console);

// "all8" (the 84 formats 2 <= n <= m <= p <= 8), "all6", "small" (n <= m <= p <= 4), or a
// comma-separated list "3x3x3,4x4x5" (sorted, duplicates removed); throws fmm::Error.
std::vector<Shape> parse_format_list(const std::string& text);

}  // namespace fmm::search::meta
