// SymmetricRun (symmetric_run.hpp): what the CPU and the bank symmetric searches share.
#include "search/symmetric/symmetric_run.hpp"

#include "search/lift/lift.hpp"
#include "search/run/results.hpp"  // result_provenance
#include "search/symmetric/symmetric_lift.hpp"
#include "tensor/error.hpp"

namespace fmm::search {

std::string describe_sym(const SymmetricScheme& s) {
  return std::to_string(s.rank()) + " (" + std::to_string(s.fixed.size()) + " fixed + " + std::to_string(s.order) +
         " x " + std::to_string(s.orbits.size()) + ")";
}

std::string run_patience_text(std::uint64_t plateau_limit, int give_up_rank, std::uint64_t give_up_moves) {
  std::string t = "new run after " + std::to_string(plateau_limit) + " moves without a new best";
  if (give_up_moves)
    t += " (" + std::to_string(give_up_moves) + " while the best is above " + std::to_string(give_up_rank) + ")";
  return t;
}

std::string run_ended_line(int walker, int best, std::uint64_t moves, bool partial,
                           const std::vector<std::pair<int, std::uint64_t>>& bests) {
  std::string text = "run ended: walker " + std::to_string(walker) + ", best " +
                     (best < 0 ? std::string("-") : std::to_string(best)) + " after " +
                     fixed_digits(static_cast<double>(moves) / 1e6, 2) + " M moves" + (partial ? " (partial)" : "");
  if (!bests.empty()) text += ":";
  for (const auto& [rank, at] : bests) text += " " + std::to_string(rank) + "@" + fixed_digits(static_cast<double>(at) / 1e6, 2);
  return text;
}

void SymmetricRun::save_result(const Scheme& s, const std::string& found_by, double elapsed) {
  if (cfg_.out_dir.empty()) return;
  std::string structure;
  if (s.field() == Field::GF2) structure = " = " + describe_sym(decompose_symmetric(s, order_));
  write_result(s, "fmm search --symmetric (order " + std::to_string(order_) + "): rank " + std::to_string(s.rank()) +
                      structure + " field " + to_string(s.field()) + result_provenance(found_by, elapsed));
}

// As flip_search.cpp's Run::on_new_scheme: the pool verifies; a new best is saved; with --lift
// each new GF2 scheme of the best rank is lifted (the expanded scheme, by lift/lift.hpp) until
// one of that rank lifts.
void SymmetricRun::on_new_scheme(const Scheme& s, const std::string& found_by, double elapsed) {
  const auto offered = offer(s, found_by, elapsed);
  if (!offered) return;
  const auto before = offered->best_before;
  const bool new_best = offered->new_best;
  if (found_by == "start") return;
  if (new_best) save_result(s, found_by, elapsed);
  // With a target only schemes at the target are lifted: a lift runs between epochs while the
  // walkers wait, and a failing one takes seconds (<6,6,6> passes a dozen ranks on its way).
  const bool lift_this_rank = !cfg_.target_rank || s.rank() <= *cfg_.target_rank;
  if (cfg_.lift && lift_this_rank && s.field() == Field::GF2 && (new_best || s.rank() == *before)) {
    const auto z_best = pool_.best_rank(Field::Z);
    int& attempts = lift_attempts_[s.rank()];
    if ((z_best && *z_best <= s.rank()) || attempts >= kMaxLiftAttemptsPerRank) return;
    if (!lifted_.insert(Pool::fingerprint(s)).second) return;
    ++attempts;
    LiftOptions options;
    if (attempts > kNeighbourLiftAttempts) {
      // Later attempts (the walkers keep handing in schemes of that rank) stay short: the
      // tied sign lift takes milliseconds; long Hensel paths rarely rescue a scheme it missed.
      options.neighbours = 0;
      options.hensel_tries = 2;
      options.max_steps = 20;
    }
    // The orbits lift together (symmetric_lift.hpp): the Z scheme stays invariant and the
    // system is |G| times smaller (<5,5,5> rank 93 is beyond the untied lifter). Failing that,
    // the untied routes (which refuse what is too large for them).
    LiftResult lr = lift_symmetric(s, order_, options);
    if (!lr.scheme) {
      LiftResult untied = lift_scheme(s, options);
      if (untied.scheme) lr = std::move(untied);
      else lr.report += "; untied: " + untied.report;
    }
    progress_.log("lift of a rank-" + std::to_string(s.rank()) + " scheme from " + found_by + ": " + lr.report);
    if (lr.scheme) on_new_scheme(*lr.scheme, "Z lift of " + found_by, elapsed);
  }
}

std::string SymmetricRun::summary_line(std::uint64_t moves, std::uint64_t plus, std::uint64_t runs,
                                       const std::map<int, std::uint64_t>& runs_by_best,
                                       const std::string& note) const {
  std::string ended;
  for (const auto& [rank, count] : runs_by_best) ended += " " + std::to_string(rank) + ":" + std::to_string(count);
  return "symmetric walk: " + std::to_string(moves) + " orbit moves (" + std::to_string(order_) +
         " term flips each), " + std::to_string(plus) + " plus transitions, " + std::to_string(runs) +
         " finished runs (best rank:count" + (ended.empty() ? std::string(" none") : ended) + note + ")";
}

std::string policy_words(const SymmetricWalkParams& p, const std::string& restart_from) {
  return " walk-policy plus-after " + std::to_string(p.plus_after) + " plus-limit " + std::to_string(p.plus_limit) +
         " restart-after " + std::to_string(p.plateau_limit) + " give-up " + std::to_string(p.give_up_rank) + ":" +
         std::to_string(p.give_up_moves) + " restart-from " + restart_from;
}

void SymmetricRun::note_policy_change(const std::string& checkpoint_config, const std::string& policy) {
  const auto recorded = checkpoint_config.find(" walk-policy ");
  if (recorded != std::string::npos && checkpoint_config.substr(recorded) != policy)
    progress_.log("the walk policy differs from the checkpoint's (" + checkpoint_config.substr(recorded + 1) +
                  "): the walkers go on under this run's (" + policy.substr(1) + ")");
}

}  // namespace fmm::search
