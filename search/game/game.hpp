// The single-player TensorGame of AlphaTensor (A. Fawzi et al., "Discovering faster matrix
// multiplication algorithms with reinforcement learning", Nature 610, 47-53, 2022):
// the state is a residual tensor, starting at T<n,m,p> (or any target, e.g. the residual of a
// partial scheme); a move subtracts a rank-one term u (x) v (x) w with entries from a small
// coefficient set F; every move costs -1; the game ends at the zero tensor or after R_limit
// moves, when a terminal penalty equal to an upper bound on the residual's rank is charged.
//
// The state is exact: small integers for Z/Q, bits (0/1 integers) for GF(2). The bound is the
// sum over slices of each slice's matrix rank (as in AlphaTensor), taken along the mode where it
// is smallest; it is achievable: complete() closes any residual with exactly that many terms.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tensor/field.hpp"
#include "tensor/scheme.hpp"
#include "tensor/shape.hpp"

namespace fmm::game {

// Rules of one game: which field the identities hold over and which coefficients a move may use.
struct GameRules {
  Field field = Field::Z;                 // Z or Q: integer arithmetic, ranks over Q. GF2: mod 2.
  std::vector<int> coefficients{-1, 0, 1};  // F; must contain 0, be symmetric for Z/Q, be {0,1} for GF2
  int max_moves = 0;                      // R_limit; 0 means "the classical rank n*m*p"

  static GameRules for_field(Field field);  // {-1,0,1} for Z/Q, {0,1} for GF2
  void validate() const;                    // throws fmm::Error with a clear message
  bool allows(int x) const;
  int max_abs() const;
};

// A move: one rank-one term. Stored as one array u|v|w to keep the tree's memory small.
struct Move {
  std::vector<std::int8_t> coeffs;  // a_size + b_size + c_size entries

  std::span<const std::int8_t> u(const Shape& s) const { return {coeffs.data(), size_t(s.a_size())}; }
  std::span<const std::int8_t> v(const Shape& s) const { return {coeffs.data() + s.a_size(), size_t(s.b_size())}; }
  std::span<const std::int8_t> w(const Shape& s) const {
    return {coeffs.data() + s.a_size() + s.b_size(), size_t(s.c_size())};
  }
  friend bool operator==(const Move&, const Move&) = default;
};

Move make_move(const Shape& shape, std::span<const int> u, std::span<const int> v, std::span<const int> w);
// Canonical form: the first nonzero of u and of v is positive (signs moved onto w), so that
// the two spellings of one term are one move. Over GF2 every move is already canonical.
void canonicalize(Move& move, const Shape& shape);
bool is_canonical(const Move& move, const Shape& shape);
bool is_zero_term(const Move& move, const Shape& shape);  // some factor is zero
std::uint64_t move_hash(const Move& move);

// The residual tensor R[a][b][c], a < a_size, b < b_size, c < c_size (a = A entry i*m+j,
// b = B entry j*p+k, c = C entry i*p+k, C not transposed, as in the Brent equations).
class Tensor {
 public:
  Tensor() = default;
  Tensor(const Shape& shape, Field field);  // zero

  // T<n,m,p>: R[(i,j)][(j,k)][(i,k)] = 1.
  static Tensor matmul(const Shape& shape, Field field);
  // T<n,m,p> minus every term of `partial` (the residual a partial scheme leaves).
  static Tensor residual_of(const Scheme& partial, Field field);

  const Shape& shape() const { return shape_; }
  Field field() const { return field_; }
  int dim(int mode) const { return dims_[mode]; }
  int at(int a, int b, int c) const { return data_[index(a, b, c)]; }
  int& at(int a, int b, int c) { return data_[index(a, b, c)]; }
  const std::vector<int>& data() const { return data_; }

  void subtract(const Move& move);  // R -= u (x) v (x) w (mod 2 over GF2)
  void add(const Move& move);       // R += u (x) v (x) w
  bool is_zero() const;
  int nonzeros() const;
  std::uint64_t hash() const;

  // Slice `s` along `mode` as a dense row-major matrix: mode 0 -> rows b, cols c;
  // mode 1 -> rows a, cols c; mode 2 -> rows a, cols b.
  std::vector<int> slice(int mode, int s, int& rows, int& cols) const;

  friend bool operator==(const Tensor&, const Tensor&) = default;

 private:
  size_t index(int a, int b, int c) const { return (size_t(a) * dims_[1] + b) * dims_[2] + c; }
  void add_scaled(const Move& move, int sign);

  Shape shape_;
  Field field_ = Field::Z;
  int dims_[3] = {0, 0, 0};
  std::vector<int> data_;
};

// Sum over the slices along `mode` of each slice's exact matrix rank (over Q for Z/Q, over
// GF(2) for GF2): an upper bound on the tensor rank of R.
int slice_rank_sum(const Tensor& residual, int mode);
// The terminal penalty: min over the three modes of slice_rank_sum. T<2,2,2> gives 8.
int rank_upper_bound(const Tensor& residual);
int rank_upper_bound(const Tensor& residual, int& best_mode);

// Closes `residual` with exactly rank_upper_bound(residual) rank-one terms: each slice along the
// best mode is split by pivoted rank-one (Schur complement) steps, pivots +-1 first so integer
// residuals mostly stay integer. The terms are appended to `out` (coefficients may lie outside F
// and, over Q, be fractions; the caller verifies).
void complete(const Tensor& residual, Scheme& out);

// A game in progress: the residual, the moves played, the rules.
class GameState {
 public:
  GameState(Tensor target, GameRules rules);

  const Tensor& residual() const { return residual_; }
  const Tensor& target() const { return target_; }
  const GameRules& rules() const { return rules_; }
  const std::vector<Move>& moves() const { return moves_; }
  int moves_played() const { return int(moves_.size()); }
  int move_limit() const { return limit_; }

  bool is_legal(const Move& move) const;  // canonical, nonzero, entries in F, game not over
  void play(const Move& move);            // asserts legality
  bool solved() const { return residual_.is_zero(); }
  bool finished() const { return solved() || moves_played() >= limit_; }
  // The return so far: -moves, and at a finished unsolved game -rank_upper_bound as well.
  int score() const;

 private:
  Tensor target_, residual_;
  GameRules rules_;
  int limit_;
  std::vector<Move> moves_;
};

// The moves as scheme terms (field GF2 or Z). With complete_residual, a nonzero residual is closed
// by complete() so the scheme computes the whole target.
Scheme moves_to_scheme(const Shape& shape, Field field, std::span<const Move> moves);
// `prefix` terms + moves (+ completion of `residual` when nonzero): a full scheme for the target
// T<n,m,p> when the game started from residual_of(prefix). Field Z/GF2, or Q when a completion pivot
// was fractional.
Scheme finish_scheme(const Scheme& prefix, Field field, std::span<const Move> moves, const Tensor& residual);

// The standard algorithm as moves (one per A[i][j]*B[j][k]) and Strassen as moves: known answers.
std::vector<Move> scheme_to_moves(const Scheme& scheme);  // throws unless every coefficient fits int8

}  // namespace fmm::game
