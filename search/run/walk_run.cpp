#include "search/run/walk_run.hpp"

#include <iomanip>
#include <sstream>

#include "search/run/results.hpp"
#include "tensor/error.hpp"

namespace fmm::search {

WalkRun::Clock::time_point WalkRun::deadline() const {
  if (cfg_.time_limit_s <= 0) return Clock::time_point::max();
  return start_ + std::chrono::duration_cast<Clock::duration>(
                      std::chrono::duration<double>(cfg_.time_limit_s - elapsed_offset_));
}

std::string WalkRun::resumed_line(double checkpoint_s, std::uint64_t moves, const std::string& unit) const {
  std::string line = "resumed from " + cfg_.checkpoint_path + " at " + fixed_digits(checkpoint_s, 1) + " s, " +
                     std::to_string(moves) + " " + unit;
  if (cfg_.time_limit_s > 0 && checkpoint_s >= cfg_.time_limit_s)
    line += "; --time-limit " + fixed_digits(cfg_.time_limit_s, 1) +
            " s counts the checkpoint's seconds and is spent already: raise it to search on";
  return line;
}

std::optional<WalkRun::Offered> WalkRun::offer(const Scheme& s, const std::string& found_by, double elapsed) {
  Offered o;
  o.best_before = pool_.best_rank(s.field());
  std::string why;
  o.kept = pool_.offer(s, found_by, elapsed, &why);
  if (!o.kept && why != "bucket full") {
    if (why != "duplicate") progress_.log("rejected a scheme from " + found_by + ": " + why);
    return std::nullopt;
  }
  o.new_best = o.kept && (!o.best_before || s.rank() < *o.best_before);
  if (o.new_best) progress_.improved(s, found_by, elapsed);
  return o;
}

std::string WalkRun::result_provenance(const std::string& found_by, double elapsed) const {
  std::ostringstream t;
  t << std::fixed << std::setprecision(3) << elapsed;
  return " seed " + std::to_string(cfg_.seed) + " by " + found_by + " after " + t.str() + " s; command: " +
         (cfg_.command_line.empty() ? std::string("(library call)") : cfg_.command_line);
}

void WalkRun::write_result(Scheme s, const std::string& source) {
  if (cfg_.out_dir.empty()) return;
  s.set_source(source);
  if (!save_result(cfg_.out_dir, s, progress_)) ++write_failures_;  // verifies before writing
}

Checkpoint WalkRun::checkpoint_header(Field field, int walkers, const std::string& config, std::uint64_t moves,
                                      std::uint64_t epochs) const {
  Checkpoint cp;
  cp.shape = cfg_.shape;
  cp.field = field;
  cp.seed = cfg_.seed;
  cp.walkers = walkers;  // [mpi] this process's walkers; an MPI run marks its layout in the config line
  cp.config = config;
  if (cfg_.walker_stride != 1) cp.config += " mpi-ranks " + std::to_string(cfg_.walker_stride);
  cp.elapsed_s = elapsed();
  cp.flips = moves;
  cp.epochs = epochs;
  cp.reports_in_flight = exchange_.in_flight();
  cp.pool = pool_.all();
  return cp;
}

void WalkRun::write_checkpoint(const Checkpoint& cp) {
  // A checkpoint that cannot be written (full disk) does not end the run: the next one may.
  try {
    save_checkpoint(cfg_.checkpoint_path, cp);
  } catch (const Error& e) {
    ++write_failures_;
    progress_.log(std::string("checkpoint not written: ") + e.what());
  }
}

}  // namespace fmm::search
