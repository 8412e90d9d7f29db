// A campaign: many formats, a time budget each, worked through in rounds and resumable across
// sessions, keeping the best scheme of every format and ring. It is the family-level walk of the
// meta flip graph (Kauers-Wood 2025; Perminov, arXiv 2511.20317): each format starts from the
// best that the campaign's own schemes of other formats give (best_start.hpp: block sums,
// Kronecker products, projections, extensions), walks there (the plain flip walk over {-1,0,1},
// and over GF(2) with Hensel lifting), and what it finds becomes a part for the others.
//
// State, in one directory (committed under results/search/campaign/):
//   schemes/NxMxP_rR_RING.txt   the best scheme of each format (n <= m <= p) per ring
//                               (gf2, zt = {-1,0,1}, z, q); native format, verified on load
//   best.tsv                    per scheme file: rank, when it was reached (seconds of the
//                               campaign's work on that format), how, on what machine
//   formats.tsv                 per format: rounds done, seconds of work so far
//   log.txt                     one line per walk and per improvement, appended
// Files are rewritten atomically (temporary file + rename); a killed campaign loses at most the
// walk in progress, and its improvements are filed the moment they are found.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "search/meta/best_start.hpp"
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
  bool keep_going = false;           // walk formats already at the best known rank too
  // Walk only the `focus` smallest formats of each round that are not at their best known rank
  // (0 = all); the others get their constructions only. Small formats are the parts of large
  // ones, so time spent on them first pays twice.
  int focus = 0;
  double stop_after_s = 0;           // wall-clock limit of this invocation (0 = none)
  std::string command_line;          // recorded in the log and the state
};

// Per scheme file of the state: how and when it was found.
struct BestRecord {
  std::string file;
  int rank = 0;
  double reached_s = 0;  // seconds of campaign work on the format when it was first held
  std::string how, where;
};

struct FormatRecord {
  int rounds_done = 0;
  double spent_s = 0;
  // The rank of the GF(2) scheme whose integer lift was declined as too large for the solver
  // (0: never). Kept across sessions so that later rounds walk over {-1,0,1} only, instead of
  // each session spending a GF(2) walk and a failed lift to learn it again.
  int lift_declined_at = 0;
};

// Thread-safe: the campaign walks several formats at once (CampaignConfig::parallel).
class CampaignState {
 public:
  // Loads the state directory if it exists (every scheme verified); creates nothing yet.
  explicit CampaignState(std::string dir);

  // Files `scheme` (its format sorted) when it beats every scheme we hold that serves its ring;
  // writes its file and the tables at once and logs the improvement. Returns whether kept.
  bool offer(const Scheme& scheme, const std::string& how, double reached_s, const std::string& where);
  // Adds every better scheme of another state directory (e.g. a campaign run elsewhere).
  int merge(const std::string& other_dir, const std::string& where);
  // Offers every native scheme file (*.txt) under `dir`, recursively, as "imported: <file>":
  // published schemes as parts for a campaign that aims past the known ranks. The report marks
  // formats whose best scheme was imported. Returns the number kept.
  int import_directory(const std::string& dir);

  Library library() const;  // a copy: other formats' walks keep filing
  std::uint64_t version() const;  // counts the schemes filed: a changed library
  FormatRecord format(const Shape& shape) const;
  void set_format(const Shape& shape, const FormatRecord& record);
  // Our lowest rank usable over `ring` (a {-1,0,1} scheme counts for Z and Q, any for GF(2)),
  // with the record of the scheme that gives it.
  std::optional<std::pair<int, BestRecord>> ours(const Shape& shape, RankRing ring) const;
  std::vector<Shape> formats_held() const;

  void save() const;  // formats.tsv and best.tsv, atomically
  void log(const std::string& line) const;  // appended to log.txt with a timestamp
  const std::string& dir() const { return dir_; }

 private:
  void save_locked() const;
  void log_locked(const std::string& line) const;

  std::string dir_;
  mutable std::mutex mutex_;
  Library library_;
  std::map<std::string, BestRecord> records_;  // by file name
  std::map<std::tuple<int, int, int>, FormatRecord> formats_;
  std::uint64_t version_ = 0;
};

// Works through the campaign (rounds, then formats smallest first), filing every improvement.
// Returns false when stopped early (signal or stop_after_s): the state is saved and resumable.
bool run_campaign(const CampaignConfig& config, CampaignState& state, Progress& console);

// The frontier table in Markdown: best known against ours (GF(2), Z, {-1,0,1}, Q) for the 84
// formats n <= m <= p <= 8, time to reach it and how; then every other format the state holds.
std::string frontier_report(const CampaignState& state, const std::string& regenerate_command);

// "all8" (the 84 formats 2 <= n <= m <= p <= 8), "all6", "small" (n <= m <= p <= 4), or a
// comma-separated list "3x3x3,4x4x5" (sorted, duplicates removed); throws fmm::Error.
std::vector<Shape> parse_format_list(const std::string& text);

}  // namespace fmm::search::meta
