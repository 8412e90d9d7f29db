// The state of a campaign (campaign.hpp), kept between sessions.
//
// State, in one directory (committed under results/search/campaign/):
//   schemes/NxMxP_rR_RING.txt   the best scheme of each format (n <= m <= p) per ring
//                               (gf2, zt = {-1,0,1}, z, q); native format, verified on load
//   best.tsv                    per scheme file: rank, when it was reached (seconds of the
//                               campaign's work on that format), how, on what machine
//   formats.tsv                 per format: rounds done, seconds of work so far, the marks of
//                               FormatRecord
//   log.txt                     one line per walk and per improvement, appended
// Files are rewritten atomically (temporary file + rename); a killed campaign loses at most the
// walk in progress, and its improvements are filed the moment they are found.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "search/meta/best_start.hpp"
#include "search/run/known_ranks.hpp"

namespace fmm::search::meta {

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
  // Whether our integer rank of `shape` is at (or below) the best known integer rank: the campaign
  // walks such a format no more.
  bool at_best_known(const Shape& shape) const;
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

}  // namespace fmm::search::meta
