#include "search/learn/encoding.hpp"

#include <algorithm>
#include <string>

#include "search/learn/proposals.hpp"
#include "tensor/error.hpp"

namespace fmm::learn {

Encoding Encoding::for_shapes(Field field, const std::vector<Shape>& shapes) {
  if (shapes.empty()) throw Error("learn: a model needs at least one format");
  Encoding e;
  e.field = field;
  e.coefficients = game::GameRules::for_field(field).coefficients;
  std::sort(e.coefficients.begin(), e.coefficients.end());
  for (const Shape& s : shapes) {
    e.box_a = std::max(e.box_a, s.a_size());
    e.box_b = std::max(e.box_b, s.b_size());
    e.box_c = std::max(e.box_c, s.c_size());
  }
  e.validate();
  return e;
}

void Encoding::validate() const {
  if (field != Field::Z && field != Field::GF2) throw Error("learn: a model plays over z or gf2");
  if (box_a < 1 || box_b < 1 || box_c < 1 || box_a > 64 || box_b > 64 || box_c > 64 || inputs() > 1 << 16)
    throw Error("learn: tensor box " + std::to_string(box_a) + "x" + std::to_string(box_b) + "x" +
                std::to_string(box_c) + " is out of range (each side 1..64, at most 65536 entries)");
  if (coefficients.size() < 2 || coefficients.size() > 16 || !std::is_sorted(coefficients.begin(), coefficients.end()) ||
      zero_token() < 0)
    throw Error("learn: the coefficient set must be sorted, hold 0 and 2..16 values");
  game::GameRules rules;
  rules.field = field;
  rules.coefficients = coefficients;
  rules.validate();
}

int Encoding::zero_token() const { return token_of(0); }

int Encoding::token_of(int value) const {
  for (int i = 0; i < tokens(); ++i)
    if (coefficients[i] == value) return i;
  return -1;
}

StateInput encode_state(const Encoding& enc, const game::Tensor& residual, int moves_played, int move_limit, int bound) {
  const Shape& s = residual.shape();
  StateInput in;
  in.len = {s.a_size(), s.b_size(), s.c_size()};
  const int da = residual.dim(0), db = residual.dim(1), dc = residual.dim(2);
  const std::vector<int>& data = residual.data();
  int nnz = 0;
  for (int a = 0, idx = 0; a < da; ++a)
    for (int b = 0; b < db; ++b)
      for (int c = 0; c < dc; ++c, ++idx) {
        const int x = data[idx];
        if (x == 0) continue;
        ++nnz;
        in.sparse.emplace_back((a * enc.box_b + b) * enc.box_c + c, float(std::clamp(x, -3, 3)));
        in.entries.push_back({std::int16_t(a), std::int16_t(b), std::int16_t(c), std::int16_t(std::clamp(x, -30000, 30000))});
      }
  const float limit = float(std::max(1, move_limit));
  in.dense = {float(s.n) / 4, float(s.m) / 4, float(s.p) / 4, float(moves_played) / limit,
              float(move_limit - moves_played) / 32, float(bound) / 32, float(nnz) / 64, 1.0f};
  for (const game::Move& m : rank_one_proposals(residual, enc.coefficients))
    in.proposals.push_back(move_tokens(enc, s, m));
  return in;
}

Tokens move_tokens(const Encoding& enc, const Shape& shape, const game::Move& move) {
  Tokens t(size_t(enc.positions()), std::int8_t(enc.zero_token()));
  const std::array<std::span<const std::int8_t>, 3> f = {move.u(shape), move.v(shape), move.w(shape)};
  for (int k = 0; k < 3; ++k)
    for (size_t i = 0; i < f[k].size(); ++i) {
      const int tok = enc.token_of(f[k][i]);
      if (tok < 0) throw Error("learn: a move coefficient " + std::to_string(int(f[k][i])) + " is not in F");
      t[size_t(enc.position(k, int(i)))] = std::int8_t(tok);
    }
  return t;
}

game::Move tokens_move(const Encoding& enc, const Shape& shape, const Tokens& tokens) {
  game::Move m;
  m.coeffs.reserve(size_t(shape.a_size() + shape.b_size() + shape.c_size()));
  const int len[3] = {shape.a_size(), shape.b_size(), shape.c_size()};
  for (int k = 0; k < 3; ++k)
    for (int i = 0; i < len[k]; ++i) m.coeffs.push_back(std::int8_t(enc.coefficients[size_t(tokens[size_t(enc.position(k, i))])]));
  return m;
}

int feature_width(const Encoding& enc, int kind) {
  switch (kind) {
    case kSlice:
    case kSlicePart:
    case kMu: return enc.box_b * enc.box_c;
    case kRow:
    case kRowPart:
    case kMuv: return enc.box_c;
    case kWEntry: return 2;
    case kProposal: return enc.tokens() + 1;
  }
  return 0;
}

StateReader::StateReader(const Encoding& enc, const StateInput& state)
    : enc_(enc),
      state_(state),
      by_a_(static_cast<size_t>(enc.box_a)),
      mu_(static_cast<size_t>(enc.box_b) * static_cast<size_t>(enc.box_c), 0),
      muv_(static_cast<size_t>(enc.box_c), 0),
      agree_(state.proposals.size(), 1),
      agreeing_(int(state.proposals.size())) {
  for (std::size_t i = 0; i < state.entries.size(); ++i) by_a_[size_t(state.entries[i].a)].push_back(int(i));
}

float StateReader::squash(long x) const {
  if (enc_.field == Field::GF2) x = ((x % 2) + 2) % 2;
  return 0.5f * float(std::clamp(x, -4L, 4L));
}

void StateReader::features(int t, std::vector<Feature>& out) const {
  out.clear();
  const int A = enc_.box_a, B = enc_.box_b, C = enc_.box_c;
  auto dense = [&](int kind, const std::vector<long>& v, std::size_t from, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i)
      if (float x = squash(v[from + i]); x != 0) out.push_back({kind, int(i), x});
  };
  if (agreeing_ == 0) {
    out.push_back({kProposal, enc_.tokens(), 1.0f});
  } else {
    std::array<int, 16> count{};  // tokens() <= 16 (Encoding::validate)
    for (std::size_t i = 0; i < agree_.size(); ++i)
      if (agree_[i]) ++count[size_t(state_.proposals[i][size_t(t)])];
    for (int k = 0; k < enc_.tokens(); ++k)
      if (count[size_t(k)]) out.push_back({kProposal, k, float(count[size_t(k)]) / float(agreeing_)});
  }
  if (t < A) {  // u_a
    for (int i : by_a_[size_t(t)]) {
      const Entry& e = state_.entries[size_t(i)];
      if (float x = squash(e.value); x != 0) out.push_back({kSlice, e.b * C + e.c, x});
    }
    dense(kSlicePart, mu_, 0, mu_.size());
  } else if (t < A + B) {  // v_b
    const int b = t - A;
    if (b == 0) dense(kMu, mu_, 0, mu_.size());
    dense(kRow, mu_, size_t(b) * size_t(C), size_t(C));
    dense(kRowPart, muv_, 0, muv_.size());
  } else {  // w_c
    const int c = t - A - B;
    if (c == 0) dense(kMuv, muv_, 0, muv_.size());
    const float x = squash(muv_[size_t(c)]);
    if (x != 0) {
      out.push_back({kWEntry, 0, x});
      out.push_back({kWEntry, 1, std::abs(x)});
    }
  }
}

void StateReader::advance(int t, int token) {
  const int A = enc_.box_a, B = enc_.box_b, C = enc_.box_c;
  for (std::size_t i = 0; i < agree_.size(); ++i)
    if (agree_[i] && state_.proposals[i][size_t(t)] != token) agree_[i] = 0, --agreeing_;
  const long x = enc_.coefficients[size_t(token)];
  if (x == 0) return;
  if (t < A) {
    for (int i : by_a_[size_t(t)]) {
      const Entry& e = state_.entries[size_t(i)];
      mu_[size_t(e.b) * size_t(C) + size_t(e.c)] += x * e.value;
    }
  } else if (t < A + B) {
    const int b = t - A;
    for (int c = 0; c < C; ++c) muv_[size_t(c)] += x * mu_[size_t(b) * size_t(C) + size_t(c)];
  }
}

TokenMask::TokenMask(const Encoding& enc, const std::array<int, 3>& len) : enc_(enc), len_(len) {}

namespace {
// (factor, offset) of position t.
inline std::pair<int, int> locate(const Encoding& e, int t) {
  if (t < e.box_a) return {0, t};
  if (t < e.box_a + e.box_b) return {1, t - e.box_a};
  return {2, t - e.box_a - e.box_b};
}
}  // namespace

bool TokenMask::used(int t) const {
  auto [f, i] = locate(enc_, t);
  return i < len_[size_t(f)];
}

void TokenMask::allowed(int t, std::vector<char>& ok) const {
  auto [f, i] = locate(enc_, t);
  ok.assign(size_t(enc_.tokens()), 1);
  const bool first_still_open = !nonzero_[size_t(f)];
  // Canonical form over Z: the first nonzero of u and of v is positive.
  if (first_still_open && f < 2 && enc_.field != Field::GF2)
    for (int k = 0; k < enc_.tokens(); ++k)
      if (enc_.coefficients[size_t(k)] < 0) ok[size_t(k)] = 0;
  // No zero factor: the last entry of a still-zero factor must be nonzero.
  if (first_still_open && i == len_[size_t(f)] - 1) ok[size_t(enc_.zero_token())] = 0;
}

void TokenMask::advance(int t, int token) {
  auto [f, i] = locate(enc_, t);
  (void)i;
  if (enc_.coefficients[size_t(token)] != 0) nonzero_[size_t(f)] = true;
}

}  // namespace fmm::learn
