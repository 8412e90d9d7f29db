// How a running search reports to whoever started it (the CLI, a test, a benchmark), in the
// manner of Stockfish's engine/UCI split: the engine calls these hooks and never prints itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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

// Reports nothing (tests, bench).
class SilentProgress : public Progress {};

// Writes to stderr: a live single line on a TTY, timestamped plain lines otherwise.
class ConsoleProgress : public Progress {
 public:
  explicit ConsoleProgress(bool tty);
  void update(const ProgressStats& s) override;
  void improved(const Scheme& s, const std::string& found_by, double elapsed_s) override;
  void log(const std::string& line) override;

 private:
  void line(const std::string& text);
  bool tty_;
  bool live_line_open_ = false;
};

}  // namespace fmm::search
