// The flip graph restricted to cyclic-invariant schemes of <n,n,n> over GF(2)
// (Moosbauer, Poole, arXiv 2502.04514), and one walker on it.
//
// Moves, all applied to a whole orbit at once so the scheme stays invariant:
//  * flip: an image of orbit A and an image of orbit B != A share a factor. Taking A's image
//    to be its representative t (by symmetry), the flip of (t, sigma^s t') is done together
//    with its images (sigma t, sigma^{s+1} t') and (sigma^2 t, sigma^{s+2} t'): three disjoint
//    pairs, so the three flips commute and the result is invariant. Rank unchanged.
//  * reduction (settle): orbit representatives sharing two factors with an image of another
//    orbit merge (rank - 3, or - 6 when they cancel); an orbit sharing two factors with a fixed
//    term (a,a,a^T) absorbs it (3 copies of the fixed term sum to it over GF(2), each copy
//    merging with one image: rank - 1); an orbit whose representative becomes its own image
//    is three equal terms, i.e. one fixed term over GF(2) (rank - 2); equal fixed terms cancel.
//  * plus transition (Arai, Ichikawa, Hukushima, ISSAC 2024) between two orbits: rank + 3.
//  * split: a fixed term f = f + f + f (over GF(2)) becomes an orbit of three copies, one
//    flipped with a term sharing a factor (or plus-transitioned): rank + 2. This is the only
//    move that changes a fixed term, so walks from the standard algorithm (n fixed diagonal
//    terms) can leave them.
// Invariant between moves: no reduction applies.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

#include "search/symmetric/symmetric_scheme.hpp"

namespace fmm::search {

class SymmetricGraph {
 public:
  explicit SymmetricGraph(int n) : T_(n) {}

  // Replaces the content and applies every reduction (the rank may come out lower).
  void assign(const SymmetricScheme& s);
  SymmetricScheme scheme() const;
  int rank() const { return static_cast<int>(fixed_.size() + 3 * reps_.size()); }
  int n() const { return T_.n(); }

  // One random flip between two orbits; false when 16 random draws (an image and a factor kind
  // each) found no partner sharing that factor.
  bool random_flip(std::uint64_t& rng);
  // Plus transition between two orbits; false when not possible (fewer than two orbits, zero factor).
  bool plus_transition(std::uint64_t& rng);
  // Splits a random fixed term into an orbit and moves it; false without fixed terms.
  bool split_fixed(std::uint64_t& rng);

 private:
  SymTerm image(int o, int s) const { return {col_[0][3 * o + s], col_[1][3 * o + s], col_[2][3 * o + s]}; }
  // The first image of an orbit other than `skip` sharing at least two factors with t, or -1.
  int find_two_shared(const SymTerm& t, int skip) const;
  void set_rep(int o, const SymTerm& t);
  int add_orbit(const SymTerm& t);
  void remove_orbit(int o);
  void add_fixed(SymFactor a);
  // The move on image s1 of orbit o1 and image s2 of orbit o2 (o1 != o2), with its images.
  void flip_pair(int o1, int s1, int o2, int s2, int k, bool swap_yz);
  bool plus_pair(int o1, int s1, int o2, int s2, int rot);
  void push(int o) { work_.push_back(o); }
  void settle();
  bool reduce(int o);  // one reduction involving orbit o; true when something changed

  BitTranspose T_;
  std::vector<SymFactor> fixed_;
  std::vector<SymTerm> reps_;
  // Factor k of every image (3 per orbit: sigma^s of its representative), one array per k so
  // the scans for partners run over contiguous words.
  std::vector<SymFactor> col_[3];
  std::vector<int> work_;     // orbits whose representative changed since the last settle
  std::vector<int> matches_;  // scratch for random_flip
};

struct SymmetricWalkParams {
  std::uint64_t plateau_limit = 20000;
  int plus_slack = 15;  // in ranks; run_symmetric_flip passes 3 x SearchConfig::plus_slack + 9 (moves are +2, +3)
  int target_rank = 0;
};

// One walker: its own graph, random stream (splitmix64 from (seed, walker id)) and best scheme.
struct SymmetricWalker {
  SymmetricWalker(const SymmetricScheme& start, std::uint64_t seed);

  // Runs up to `budget` moves; returns early at the target, at `deadline` or when `stop` or
  // `target_hit` is set (polled every 4096 moves).
  void run(std::uint64_t budget, const SymmetricWalkParams& params, const std::atomic<bool>* stop,
           std::chrono::steady_clock::time_point deadline, std::atomic<bool>* target_hit);
  void restart(const SymmetricScheme& start);

  SymmetricGraph graph;
  std::uint64_t rng;
  std::uint64_t flips = 0, since_best = 0, plus_moves = 0, returns_to_best = 0;
  int best_rank = 0;
  SymmetricScheme best;
  bool improved = false;
  std::chrono::steady_clock::time_point best_at{};

 private:
  void leave_plateau(const SymmetricWalkParams& params);
};

}  // namespace fmm::search
