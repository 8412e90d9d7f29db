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
  // Set when a format one larger (kFreshProjection) or one smaller (kFreshExtension) along some
  // axis got a new best scheme after this format was last walked: its projection or extension
  // start may be lower now. Such a format is walked next, from that start, whatever its rounds.
  // <4,5,5> reached 76 on the device; the campaign, which takes the format with the fewest rounds
  // done, then did not walk <4,5,6> (more rounds done than the rest) in two sessions, and one
  // GF(2) walk from the extension of that 76 reached the best known 90 in 68 s
  // (results/search/runs_456/README.md). Cleared when the format's walks begin.
  int fresh = 0;
  static constexpr int kFreshProjection = 1, kFreshExtension = 2;
  // Plateau walks (GF(2) walks from our GF(2) best, every scheme lifted, while our GF(2) rank is
  // below our integer rank) that ended without an integer scheme of that rank, and the GF(2)
  // rank they were at. After kPlateauTries at one rank the format's GF(2) walks go back to the
  // round's starts until its GF(2) rank changes: of 29 plateau rounds up to 2026-12-05 one
  // lifted (<4,5,7> 108); the others sat on GF(2) schemes descended from schemes with
  // coefficients outside {-1,0,1}, whose products coincide mod 2 where they differ over Z, and
  // spent their time, up to 300 s a round, on lifts that fail (results/search/campaign/README.md).
  int plateau_rank = 0, plateau_failures = 0;
  static constexpr int kPlateauTries = 2;
};

// Thread-safe: the campaign walks several formats at once (CampaignConfig::parallel).
class CampaignState {
 public:
  // Loads the state directory if it exists (every scheme verified); creates nothing yet.
  explicit CampaignState(std::string dir);

  // Files `scheme` (its format sorted) when it beats every scheme we hold that serves its ring;
  // writes its file and the tables at once and logs the improvement, and marks the formats one
  // larger and one smaller along each axis fresh (FormatRecord::fresh). Returns whether kept.
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
  void mark_neighbours_fresh(const Shape& shape);  // FormatRecord::fresh; mutex_ held

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
