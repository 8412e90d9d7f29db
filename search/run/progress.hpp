// How a running search reports to whoever started it (the CLI, a test, a benchmark), in the
// manner of Stockfish's engine/UCI split: the engine calls these hooks and never prints itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "search/run/known_ranks.hpp"
#include "tensor/field.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search {

struct ProgressStats {
  double elapsed_s = 0;
  std::optional<int> best_rank_gf2, best_rank_z;
  std::uint64_t flips = 0;          // total moves so far (flips, or game moves)
  double flips_per_s = 0;
  int walkers = 0;
};

class Progress {
 public:
  virtual ~Progress() = default;
  // Periodic status; called from the coordinating thread only.
  virtual void update(const ProgressStats&) {}
  // A new best (verified) scheme for its field; `found_by` names the walker or method.
  virtual void improved(const Scheme&, const std::string& /*found_by*/, double /*elapsed_s*/) {}
  // A free-form line for the log (configuration, lifting outcomes, checkpoints).
  virtual void log(const std::string&) {}
};

// Paces Progress::update() for a search loop: at most once a second, with the flip rate since
// the previous update.
class UpdatePacer {
 public:
  explicit UpdatePacer(std::uint64_t flips_now)
      : last_(std::chrono::steady_clock::now()), flips_at_last_(flips_now) {}
  // When a second has passed: sets stats.flips and stats.flips_per_s and calls update().
  // The caller fills in the other fields.
  void maybe_update(Progress& progress, ProgressStats stats, std::uint64_t flips) {
    const auto now = std::chrono::steady_clock::now();
    const double since = std::chrono::duration<double>(now - last_).count();
    if (since < 1.0) return;
    stats.flips = flips;
    stats.flips_per_s = static_cast<double>(flips - flips_at_last_) / since;
    progress.update(stats);
    last_ = now;
    flips_at_last_ = flips;
  }

 private:
  std::chrono::steady_clock::time_point last_;
  std::uint64_t flips_at_last_;
};

// " (best known)", " (+2)", " (-1: BELOW best known 94)" for a rank of `shape` over `ring`
// (see known_ranks.hpp); empty when the rank or the table entry is missing.
std::string rank_versus_known(const Shape& shape, RankRing ring, const std::optional<int>& rank);

// x with `digits` digits after the point ("12.345"), for log lines and provenance.
std::string fixed_digits(double x, int digits);

// Reports nothing (tests, bench).
class SilentProgress : public Progress {};

// Writes to stderr: a live single line on a TTY, timestamped plain lines otherwise. Given the
// format searched, it says how each best rank compares with the best known (known_ranks.hpp):
// "best gf2=93 (best known) z=95 (+2)".
class ConsoleProgress : public Progress {
 public:
  explicit ConsoleProgress(bool tty, std::optional<Shape> shape = std::nullopt);
  void update(const ProgressStats& s) override;
  void improved(const Scheme& s, const std::string& found_by, double elapsed_s) override;
  void log(const std::string& line) override;

 private:
  void line(const std::string& text);
  bool tty_;
  std::optional<Shape> shape_;
  bool live_line_open_ = false;
};

}  // namespace fmm::search
