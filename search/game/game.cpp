#include "search/game/game.hpp"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <limits>

#include "search/game/game_rank.hpp"
#include "tensor/error.hpp"

namespace fmm::game {

// ---- rules -----------------------------------------------------------------------------------

GameRules GameRules::for_field(Field field) {
  GameRules r;
  r.field = field;
  if (field == Field::GF2) r.coefficients = {0, 1};
  return r;
}

void GameRules::validate() const {
  if (std::find(coefficients.begin(), coefficients.end(), 0) == coefficients.end())
    throw Error("game: the coefficient set must contain 0");
  for (int x : coefficients) {
    if (std::abs(x) > 100) throw Error("game: coefficient " + std::to_string(x) + " is too large (|x| <= 100)");
    if (field == Field::GF2 && x != 0 && x != 1) throw Error("game: over GF2 the coefficient set is {0,1}");
    if (field != Field::GF2 && !allows(-x))
      throw Error("game: the coefficient set must be symmetric (canonical form flips signs)");
  }
  if (max_moves < 0) throw Error("game: negative move limit");
}

bool GameRules::allows(int x) const { return std::find(coefficients.begin(), coefficients.end(), x) != coefficients.end(); }

int GameRules::max_abs() const {
  int m = 0;
  for (int x : coefficients) m = std::max(m, std::abs(x));
  return m;
}

// ---- moves -----------------------------------------------------------------------------------

Move make_move(const Shape& shape, std::span<const int> u, std::span<const int> v, std::span<const int> w) {
  assert(u.size() == size_t(shape.a_size()) && v.size() == size_t(shape.b_size()) && w.size() == size_t(shape.c_size()));
  Move m;
  m.coeffs.reserve(u.size() + v.size() + w.size());
  for (auto span : {u, v, w})
    for (int x : span) {
      if (x < -127 || x > 127) throw Error("game: move coefficient out of range");
      m.coeffs.push_back(static_cast<std::int8_t>(x));
    }
  (void)shape;
  return m;
}

namespace {

int first_nonzero_sign(std::span<const std::int8_t> f) {
  for (auto x : f)
    if (x != 0) return x > 0 ? 1 : -1;
  return 0;
}

void negate(std::int8_t* begin, std::int8_t* end) {
  for (auto* p = begin; p != end; ++p) *p = static_cast<std::int8_t>(-*p);
}

}  // namespace

static void canonicalize_with(Move& move, int a_size, int b_size) {
  auto* base = move.coeffs.data();
  auto* end = base + move.coeffs.size();
  if (first_nonzero_sign({base, size_t(a_size)}) < 0) {
    negate(base, base + a_size);
    negate(base + a_size + b_size, end);
  }
  if (first_nonzero_sign({base + a_size, size_t(b_size)}) < 0) {
    negate(base + a_size, base + a_size + b_size);
    negate(base + a_size + b_size, end);
  }
}

bool is_canonical(const Move& move, const Shape& s) {
  return first_nonzero_sign(move.u(s)) >= 0 && first_nonzero_sign(move.v(s)) >= 0;
}

bool is_zero_term(const Move& move, const Shape& s) {
  return first_nonzero_sign(move.u(s)) == 0 || first_nonzero_sign(move.v(s)) == 0 ||
         first_nonzero_sign(move.w(s)) == 0;
}

std::uint64_t move_hash(const Move& move) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (auto x : move.coeffs) {
    h ^= static_cast<std::uint8_t>(x);
    h *= 1099511628211ull;
  }
  return h;
}

// ---- tensor ----------------------------------------------------------------------------------

Tensor::Tensor(const Shape& shape, Field field) : shape_(shape), field_(field) {
  require_valid(shape);
  dims_[0] = shape.a_size();
  dims_[1] = shape.b_size();
  dims_[2] = shape.c_size();
  data_.assign(size_t(dims_[0]) * dims_[1] * dims_[2], 0);
}

Tensor Tensor::matmul(const Shape& s, Field field) {
  Tensor t(s, field);
  for (int i = 0; i < s.n; ++i)
    for (int j = 0; j < s.m; ++j)
      for (int k = 0; k < s.p; ++k) t.at(s.a_index(i, j), s.b_index(j, k), s.c_index(i, k)) = 1;
  return t;
}

Tensor Tensor::residual_of(const Scheme& partial, Field field) {
  if (!partial.all_integer()) throw Error("game: the partial scheme must have integer coefficients");
  const Shape& s = partial.shape();
  Tensor t = matmul(s, field);
  for (int r = 0; r < partial.rank(); ++r) {
    std::vector<int> u, v, w;
    for (auto& x : partial.u(r)) u.push_back(int(x.num()));
    for (auto& x : partial.v(r)) v.push_back(int(x.num()));
    for (auto& x : partial.w(r)) w.push_back(int(x.num()));
    if (field == Field::GF2)
      for (auto* f : {&u, &v, &w})
        for (int& x : *f) x &= 1;
    t.subtract(make_move(s, u, v, w));
  }
  return t;
}

void Tensor::add_scaled(const Move& move, int sign) {
  const auto u = move.u(shape_), v = move.v(shape_), w = move.w(shape_);
  for (int a = 0; a < dims_[0]; ++a) {
    if (u[a] == 0) continue;
    for (int b = 0; b < dims_[1]; ++b) {
      if (v[b] == 0) continue;
      const int uv = u[a] * v[b];
      int* row = &data_[index(a, b, 0)];
      if (field_ == Field::GF2) {
        for (int c = 0; c < dims_[2]; ++c) row[c] = (row[c] + uv * w[c]) & 1;
      } else {
        for (int c = 0; c < dims_[2]; ++c) {
          row[c] += sign * uv * w[c];
          // Entries grow by at most max|F|^3 per move; a residual this large means a runaway game.
          if (std::abs(row[c]) > (1 << 24)) throw OverflowError("game: residual entry out of range");
        }
      }
    }
  }
}

void Tensor::subtract(const Move& move) { add_scaled(move, -1); }
void Tensor::add(const Move& move) { add_scaled(move, +1); }

bool Tensor::is_zero() const {
  return std::all_of(data_.begin(), data_.end(), [](int x) { return x == 0; });
}

int Tensor::nonzeros() const {
  return int(std::count_if(data_.begin(), data_.end(), [](int x) { return x != 0; }));
}

std::uint64_t Tensor::hash() const {
  // splitmix64 over the entries: a 64-bit key for the transposition table. A collision could
  // only merge two tree nodes; it can never produce a wrong scheme, because results are verified.
  std::uint64_t h = 0x9e3779b97f4a7c15ull ^ data_.size();
  for (int x : data_) {
    h ^= static_cast<std::uint64_t>(static_cast<std::uint32_t>(x)) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    std::uint64_t z = h;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    h = z ^ (z >> 31);
  }
  return h;
}

std::vector<int> Tensor::slice(int mode, int s, int& rows, int& cols) const {
  std::vector<int> out;
  if (mode == 0) {
    rows = dims_[1], cols = dims_[2];
    out.resize(size_t(rows) * cols);
    for (int b = 0; b < rows; ++b)
      for (int c = 0; c < cols; ++c) out[size_t(b) * cols + c] = at(s, b, c);
  } else if (mode == 1) {
    rows = dims_[0], cols = dims_[2];
    out.resize(size_t(rows) * cols);
    for (int a = 0; a < rows; ++a)
      for (int c = 0; c < cols; ++c) out[size_t(a) * cols + c] = at(a, s, c);
  } else {
    rows = dims_[0], cols = dims_[1];
    out.resize(size_t(rows) * cols);
    for (int a = 0; a < rows; ++a)
      for (int b = 0; b < cols; ++b) out[size_t(a) * cols + b] = at(a, b, s);
  }
  return out;
}

// ---- bounds ----------------------------------------------------------------------------------

int slice_rank_sum(const Tensor& t, int mode) {
  int total = 0;
  for (int s = 0; s < t.dim(mode); ++s) {
    int rows = 0, cols = 0;
    auto m = t.slice(mode, s, rows, cols);
    if (std::all_of(m.begin(), m.end(), [](int x) { return x == 0; })) continue;
    total += t.field() == Field::GF2 ? rank_over_gf2(m, rows, cols) : rank_over_q(m, rows, cols);
  }
  return total;
}

int rank_upper_bound(const Tensor& t, int& best_mode) {
  int best = std::numeric_limits<int>::max();
  best_mode = 0;
  for (int mode = 0; mode < 3; ++mode) {
    int r = slice_rank_sum(t, mode);
    if (r < best) best = r, best_mode = mode;
  }
  return best;
}

int rank_upper_bound(const Tensor& t) {
  int mode = 0;
  return rank_upper_bound(t, mode);
}

void complete(const Tensor& t, Scheme& out) {
  int mode = 0;
  rank_upper_bound(t, mode);
  const bool gf2 = t.field() == Field::GF2;
  const Shape& shape = t.shape();
  for (int s = 0; s < t.dim(mode); ++s) {
    int rows = 0, cols = 0;
    auto ints = t.slice(mode, s, rows, cols);
    std::vector<Rational> m(ints.begin(), ints.end());
    auto at = [&](int r, int c) -> Rational& { return m[size_t(r) * cols + c]; };
    for (;;) {
      // Pivot: a +-1 entry when there is one (keeps integer slices integer), else any nonzero.
      int pr = -1, pc = -1;
      for (int r = 0; r < rows && pr < 0; ++r)
        for (int c = 0; c < cols; ++c)
          if (at(r, c).abs() == Rational(1)) { pr = r, pc = c; break; }
      for (int r = 0; r < rows && pr < 0; ++r)
        for (int c = 0; c < cols; ++c)
          if (!at(r, c).is_zero()) { pr = r, pc = c; break; }
      if (pr < 0) break;
      // Rank-one Schur step: M -= M[:,pc] M[pr,:] / M[pr,pc]; lowers the rank by exactly one.
      const Rational pivot = at(pr, pc);
      std::vector<Rational> x(rows), y(cols);
      for (int r = 0; r < rows; ++r) x[r] = at(r, pc);
      for (int c = 0; c < cols; ++c) y[c] = at(pr, c) / pivot;
      for (int r = 0; r < rows; ++r)
        for (int c = 0; c < cols; ++c) {
          at(r, c) -= x[r] * y[c];
          if (gf2) at(r, c) = Rational(((at(r, c).num() % 2) + 2) % 2);
        }
      std::vector<Rational> e(t.dim(mode), Rational(0));
      e[s] = 1;
      std::vector<Rational> u, v, w;
      if (mode == 0) u = e, v = x, w = y;
      else if (mode == 1) u = x, v = e, w = y;
      else u = x, v = y, w = e;
      out.add_term(u, v, w);
    }
  }
  (void)shape;
}

// ---- game state ------------------------------------------------------------------------------

GameState::GameState(Tensor target, GameRules rules)
    : target_(std::move(target)), residual_(target_), rules_(std::move(rules)) {
  rules_.validate();
  if (rules_.field != target_.field()) throw Error("game: the rules' field differs from the target tensor's");
  limit_ = rules_.max_moves > 0 ? rules_.max_moves : int(target_.shape().classical_rank());
}

bool GameState::is_legal(const Move& move) const {
  const Shape& s = target_.shape();
  if (finished()) return false;
  if (move.coeffs.size() != size_t(s.a_size() + s.b_size() + s.c_size())) return false;
  if (is_zero_term(move, s) || !is_canonical(move, s)) return false;
  for (auto x : move.coeffs)
    if (!rules_.allows(x)) return false;
  return true;
}

void GameState::play(const Move& move) {
  assert(is_legal(move));
  residual_.subtract(move);
  moves_.push_back(move);
}

int GameState::score() const {
  int s = -moves_played();
  if (finished() && !solved()) s -= rank_upper_bound(residual_);
  return s;
}

// ---- schemes ---------------------------------------------------------------------------------

namespace {

void append_move(Scheme& out, const Shape& shape, const Move& m) {
  std::vector<Rational> u, v, w;
  for (auto x : m.u(shape)) u.emplace_back(x);
  for (auto x : m.v(shape)) v.emplace_back(x);
  for (auto x : m.w(shape)) w.emplace_back(x);
  out.add_term(u, v, w);
}

}  // namespace

Scheme moves_to_scheme(const Shape& shape, Field field, std::span<const Move> moves) {
  Scheme out(shape, field == Field::GF2 ? Field::GF2 : Field::Z);
  for (const auto& m : moves) append_move(out, shape, m);
  return out;
}

Scheme finish_scheme(const Scheme& prefix, Field field, std::span<const Move> moves, const Tensor& residual) {
  Scheme out = prefix;
  out.set_field(field == Field::GF2 ? Field::GF2 : Field::Z);
  for (const auto& m : moves) append_move(out, prefix.shape(), m);
  if (!residual.is_zero()) complete(residual, out);
  if (out.field() != Field::GF2 && !out.all_integer()) out.set_field(Field::Q);
  return out;
}

std::vector<Move> scheme_to_moves(const Scheme& scheme) {
  std::vector<Move> out;
  const Shape& s = scheme.shape();
  for (int r = 0; r < scheme.rank(); ++r) {
    std::vector<int> u, v, w;
    for (auto& x : scheme.u(r)) {
      if (!x.is_integer()) throw Error("game: scheme coefficient " + x.str() + " is not an integer");
      u.push_back(int(x.num()));
    }
    for (auto& x : scheme.v(r)) {
      if (!x.is_integer()) throw Error("game: scheme coefficient " + x.str() + " is not an integer");
      v.push_back(int(x.num()));
    }
    for (auto& x : scheme.w(r)) {
      if (!x.is_integer()) throw Error("game: scheme coefficient " + x.str() + " is not an integer");
      w.push_back(int(x.num()));
    }
    if (scheme.field() == Field::GF2)
      for (auto* f : {&u, &v, &w})
        for (int& x : *f) x = ((x % 2) + 2) % 2;
    Move m = make_move(s, u, v, w);
    canonicalize(m, s);
    out.push_back(std::move(m));
  }
  return out;
}

void canonicalize(Move& move, const Shape& shape) { canonicalize_with(move, shape.a_size(), shape.b_size()); }

}  // namespace fmm::game
