// Candidate moves and their priors for the tree search. AlphaTensor (Fawzi et al., Nature 2022)
// samples candidates from a trained network; we have none, so candidates come from cheap
// heuristics over the residual, each scored by how much it lowers the terminal bound:
//   slices  - a pivoted rank-one step on a slice (col x row / pivot) of any mode, with the third
//             factor chosen per slice to zero as many residual entries as F allows: a rank-one
//             slice gives an exact move, a low-rank slice a good one;
//   random  - random sparse factors (1-2 nonzeros), the third factor chosen the same way;
//   walk    - the terms of a low-rank decomposition of the residual itself, found by a short
//             flip-graph walk (flip_walk.hpp) from its trivial decomposition (one term per
//             nonzero fiber): a rollout by the other engine, whose terms the tree then plays;
//   known   - terms of Strassen's scheme and its signed-permutation variants embedded in 2x2x2
//             sub-blocks: a random variant on a block still equal to T<2,2,2>, and the remaining
//             terms where the block is already a proper sub-sum of a variant's terms (a known
//             sub-scheme in progress, which the search can finish).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "search/game/game.hpp"

namespace fmm::game {

// splitmix64: small, fast, and the same sequence on every platform (std distributions are not).
struct Rng {
  std::uint64_t state;
  explicit Rng(std::uint64_t seed) : state(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  int below(int n) { return int(next() % std::uint64_t(n)); }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
};

struct GeneratorConfig {
  int max_candidates = 24;     // per node, after deduplication, best priors kept
  int pivots_per_slice = 2;    // slice heuristic
  int random_terms = 6;        // random sparse heuristic (third factor fitted)
  int random_free_terms = 0;   // random sparse terms with all three factors random (exploration)
  int walk_flips = 5000;       // walk heuristic: flips of the residual's decomposition (0 = off;
                               // 2000 left <2,2,2> over Z at 8 for 1 seed in 12, 5000 for none)
  double walk_bonus = 2.0;     // added to the score of a walk term (rank units)
  bool use_known = true;       // Strassen sub-scheme heuristic
  int known_terms = 8;         // at most this many sub-scheme terms per node
  double known_bonus = 2.0;    // added to the score of a term that starts a sub-scheme (rank units)
  double continue_bonus = 4.0; // ... and of a term that continues one already begun
  double temperature = 1.0;    // priors = softmax(score / temperature)
};

struct Candidate {
  Move move;
  double score = 0;   // net gain in rank units: bound(R) - bound(R - t) - 1 (+ bonus)
  double prior = 0;   // softmax of scores over the node's candidates; sums to 1
  int next_bound = 0; // bound of the child residual
};

class MoveGenerator {
 public:
  MoveGenerator(const Shape& shape, const GameRules& rules, GeneratorConfig config);

  // Legal, canonical, distinct candidates for `residual`, best score first.
  std::vector<Candidate> generate(const Tensor& residual, Rng& rng) const;

  // Best single move by score (greedy rollouts); nullopt when no candidate exists.
  std::optional<Candidate> best_greedy(const Tensor& residual, Rng& rng) const;

  const GeneratorConfig& config() const { return config_; }
  std::size_t known_variant_count() const { return variants_.size(); }

 private:
  struct Embedding {
    int i[2], j[2], k[2];
  };
  void add_slice_moves(const Tensor& r, Rng& rng, std::vector<Move>& out) const;
  void add_random_moves(const Tensor& r, Rng& rng, std::vector<Move>& out) const;
  void add_walk_moves(const Tensor& r, Rng& rng, std::vector<Move>& out) const;
  void add_known_moves(const Tensor& r, Rng& rng, std::vector<Move>& out, std::vector<Move>& continuations) const;
  // Completes two factors x (rows of `mode`'s slices) and y (cols) with the best third factor.
  std::optional<Move> extend(const Tensor& r, int mode, const std::vector<int>& x, const std::vector<int>& y) const;
  Move embed(const Move& small, const Embedding& e) const;

  Shape shape_;
  GameRules rules_;
  GeneratorConfig config_;
  struct SubSum {
    int variant = 0;
    unsigned mask = 0;  // which of the variant's 7 terms
    std::array<int, 64> sum;
  };
  static std::uint64_t block_hash(const int* block);

  std::vector<std::vector<Move>> variants_;  // Strassen variants over the 2x2x2 format
  std::vector<SubSum> subsum_list_;
  std::unordered_multimap<std::uint64_t, std::size_t> subsums_;  // block hash -> subsum_list_ index
  std::vector<Embedding> embeddings_;
};

}  // namespace fmm::game
