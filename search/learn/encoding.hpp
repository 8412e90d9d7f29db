// What the network sees and what it emits, for the tensor game of search/game/game.hpp.
//
// Input: the residual tensor, placed in a fixed box (box_a x box_b x box_c, the largest factor
// lengths among the formats a model is made for) and given as its nonzero entries only (the
// residuals of the game are sparse: T<3,3,3> has 27 nonzeros in a 729-entry box, so the first
// layer costs 27 columns, not 729), plus a few dense scalars: the format, the moves played and
// left, the slice-rank bound (the game's terminal penalty) and the nonzero count.
//
// Output: a rank-one term u (x) v (x) w written as a sequence of tokens, one per entry of u, then
// v, then w (positions box_a + box_b + box_c; a format uses the first a_size, b_size, c_size of
// each factor's block, the other positions are not sampled). Token i stands for the coefficient
// F[i]. As in AlphaTensor (Fawzi et al., Nature 610, 2022, Methods "Policy head") the policy head
// samples the term entry by entry, each entry conditioned on the ones before it; here every entry
// is one token (AlphaTensor groups several entries into one token, which our small F and short
// factors do not need).
//
// Masks make every sampled sequence a legal, canonical move of the game: no factor is zero, and
// over Z the first nonzero of u and of v is positive (game.hpp's canonical form), so that the two
// spellings u (x) v (x) w = (-u) (x) (-v) (x) w are one action, not two halves of its probability.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "search/game/game.hpp"

namespace fmm::learn {

inline constexpr int kDenseFeatures = 8;

struct Encoding {
  Field field = Field::Z;             // Z or GF2
  std::vector<int> coefficients;      // F, ascending; token i <-> coefficients[i]
  int box_a = 0, box_b = 0, box_c = 0;

  static Encoding for_shapes(Field field, const std::vector<Shape>& shapes);  // F = the game's default

  int inputs() const { return box_a * box_b * box_c; }
  int positions() const { return box_a + box_b + box_c; }
  int tokens() const { return int(coefficients.size()); }
  int zero_token() const;
  int token_of(int value) const;  // -1 when value is not in F
  bool fits(const Shape& shape) const {
    return shape.a_size() <= box_a && shape.b_size() <= box_b && shape.c_size() <= box_c;
  }
  // Position of entry `i` of factor `f` (0 = u, 1 = v, 2 = w).
  int position(int f, int i) const { return (f == 0 ? 0 : f == 1 ? box_a : box_a + box_b) + i; }
  void validate() const;  // throws fmm::Error
};

// One encoded game state.
struct Entry {
  std::int16_t a, b, c, value;  // a nonzero residual entry, in the format's coordinates, exact
};

struct StateInput {
  std::vector<std::pair<int, float>> sparse;  // (flat box index, value) of the nonzero entries
  std::vector<Entry> entries;                 // the same entries, exact (for the policy's contractions)
  std::array<float, kDenseFeatures> dense{};
  std::array<int, 3> len{};                   // a_size, b_size, c_size of the format
};

StateInput encode_state(const Encoding& enc, const game::Tensor& residual, int moves_played, int move_limit, int bound);

// A move as a token sequence over enc.positions() (unused positions hold the zero token).
using Tokens = std::vector<std::int8_t>;
Tokens move_tokens(const Encoding& enc, const Shape& shape, const game::Move& move);
game::Move tokens_move(const Encoding& enc, const Shape& shape, const Tokens& tokens);

// The policy head reads the residual through the factors it has written: after u, the matrix
// M_u = sum_a u_a R[a,:,:] (box_b x box_c, flattened b * box_c + c); after u and v, the vector
// m_uv = sum_ab u_a v_b R[a,b,:] (box_c). Over GF(2) the sums are taken mod 2; values are clamped to
// [-4, 4] and halved. These exact contractions are how the decoder "attends" to the state: a
// rank-one component v (x) w of M_u, then w = m_uv / (v.v) for an exact term, are read off them.
void contract_u(const Encoding& enc, const StateInput& state, const Tokens& tokens, std::vector<std::pair<int, float>>& out);
void contract_uv(const Encoding& enc, const StateInput& state, const Tokens& tokens, std::vector<std::pair<int, float>>& out);

// The legality masks, applied while a sequence is read or written position by position.
class TokenMask {
 public:
  TokenMask(const Encoding& enc, const std::array<int, 3>& len);
  // Whether position t is used by the format; if so, which tokens are allowed given the tokens
  // chosen so far (call allowed() then advance() in position order).
  bool used(int t) const;
  void allowed(int t, std::vector<char>& ok) const;  // ok.size() == tokens
  void advance(int t, int token);

 private:
  const Encoding& enc_;
  std::array<int, 3> len_;
  std::array<bool, 3> nonzero_{};
};

}  // namespace fmm::learn
