// What the network sees and what it emits, for the tensor game of search/game/game.hpp.
//
// Input: the residual tensor, placed in a fixed box (box_a x box_b x box_c, the largest factor
// lengths among the formats a model is made for) and given as its nonzero entries only (the
// residuals of the game are sparse: T<3,3,3> has 27 nonzeros in a 729-entry box, so the first
// layer costs 27 columns, not 729), plus a few dense scalars: the format, the moves played and
// left, the slice-rank bound (the game's terminal penalty) and the nonzero count; and, for the
// policy head only, the rank-one terms that exact linear algebra exposes in it (proposals.hpp).
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

// A move as a token sequence over enc.positions() (unused positions hold the zero token).
using Tokens = std::vector<std::int8_t>;
Tokens move_tokens(const Encoding& enc, const Shape& shape, const game::Move& move);
game::Move tokens_move(const Encoding& enc, const Shape& shape, const Tokens& tokens);

// One encoded game state.
struct Entry {
  std::int16_t a, b, c, value;  // a nonzero residual entry, in the format's coordinates, exact
};

struct StateInput {
  std::vector<std::pair<int, float>> sparse;  // (flat box index, value) of the nonzero entries
  std::vector<Entry> entries;                 // the same entries, exact (for the policy's contractions)
  std::array<float, kDenseFeatures> dense{};
  std::array<int, 3> len{};                   // a_size, b_size, c_size of the format
  std::vector<Tokens> proposals;              // rank_one_proposals(residual) as tokens
};

StateInput encode_state(const Encoding& enc, const game::Tensor& residual, int moves_played, int move_limit, int bound);

// How the policy head reads the residual while it writes a term (the decoder's "attention" to the
// state, done exactly instead of learned): a StateReader follows the tokens written so far and
// offers, for each position, sparse feature lists of the residual R seen through them:
//   at u_a:  the slice R[a,:,:] and the partial contraction sum_{a'<a} u_a' R[a',:,:]   (b, c)
//   at v_b:  the row M_u[b,:] of M_u = sum_a u_a R[a,:,:] and the partial sum_{b'<b} v_b' M_u[b',:]
//   at w_c:  m_uv[c] = (sum_ab u_a v_b R[a,b,:])[c], as x and |x|
// and, where u (and v) are complete, M_u (and m_uv) whole, which the head adds to its running state.
// An exact term u (x) v (x) w of R makes M_u = (u.u) v (x) w + ... and m_uv proportional to w:
// reading them off is what the network learns. Over GF(2) sums are mod 2; values are clamped to
// [-4, 4] and halved. (Over GF(2) u.u is the parity of u's weight: for an even one the term drops
// out of M_u, and other terms enter it. Measured, results/search/learned/README.md, 2026-12-05:
// the v and w positions cost the plain head 1.2 nats on sums of two terms. The proposals carry it.)
//   at every position: the state's proposals (proposals.hpp) that agree with the tokens written
//   so far, as the share of them that has each token here (index = token), or, when none agree,
//   a single indicator (index = tokens()). Sums of a few terms come apart this way; the network
//   learns how far to trust it (results/search/learned/README.md, 2026-12-05, inductive bias).
enum FeatureKind : int { kSlice = 0, kSlicePart, kRow, kRowPart, kWEntry, kMu, kMuv, kProposal, kFeatureKinds };

struct Feature {
  int kind, index;
  float value;
};

class StateReader {
 public:
  StateReader(const Encoding& enc, const StateInput& state);
  // The features at position t (call in position order, then advance with the token chosen there).
  // Features of kinds kMu and kMuv come with the first position of v and of w (cumulative ones).
  void features(int t, std::vector<Feature>& out) const;
  void advance(int t, int token);

 private:
  float squash(long x) const;
  const Encoding& enc_;
  const StateInput& state_;
  std::vector<std::vector<int>> by_a_;  // entry indices per slice a
  std::vector<long> mu_;                // box_b x box_c: sum_a u_a R[a] so far
  std::vector<long> muv_;               // box_c: sum_b v_b M_u[b] so far
  std::vector<char> agree_;             // per proposal: its tokens so far are the ones written
  int agreeing_ = 0;
};

// Sizes of the feature kinds' index ranges (the columns of their weight matrices).
int feature_width(const Encoding& enc, int kind);

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
