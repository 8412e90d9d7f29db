// The floor of the supervised policy loss on demonstrations of at most K random terms of <2,2,2>
// (`fmm train --demo-terms K`): the expected cross-entropy of the best possible policy, which for a
// tensor R puts on each term tau the posterior mass of tau among R's demonstration targets,
//   q(tau | R) = sum over the draws H of r terms summing to R of P(H | R) * (tau's weight in H),
// with P(H) from the generator's own law (r uniform in 1..K, each term drawn by random_term:
// support size 1, 2, 3, 4 with probability .35, .30, .18, .17 on a length-4 factor, uniform
// positions, signs uniform over Z; every term of a draw is a target, weight 1/r). Averaged over
// fresh demonstrations from synthetic_example. K <= 3 over GF(2), K <= 2 over Z (every draw is
// enumerated). A measurement tool for README.md, not part of fmm; build as position_loss.cpp
// says, then
//   /tmp/floor gf2|z K [examples=400] [seed=7]
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "search/learn/demos.hpp"

using namespace fmm;
using namespace fmm::learn;

namespace {

const Shape kShape{2, 2, 2};

// random_term's probability of one length-4 factor (before canonicalisation).
double factor_prob(std::span<const std::int8_t> f, bool gf2) {
  static const double support[5] = {0, .35, .30, .18, .17}, choose[5] = {1, 4, 6, 4, 1};
  int k = 0;
  for (auto x : f) k += x != 0;
  return support[k] / choose[k] * (gf2 ? 1.0 : std::pow(0.5, k));
}

// Over Z four sign patterns of (u, v, w) have the same canonical form and the same probability.
double term_prob(const game::Move& m, bool gf2) {
  return factor_prob(m.u(kShape), gf2) * factor_prob(m.v(kShape), gf2) * factor_prob(m.w(kShape), gf2) * (gf2 ? 1 : 4);
}

// A tensor of <2,2,2> (64 entries in [-8, 8]) as a map key.
std::string key(const std::vector<int>& x) {
  std::string k(64, 0);
  for (int i = 0; i < 64; ++i) k[size_t(i)] = char(x[size_t(i)]);
  return k;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return std::fprintf(stderr, "usage: floor gf2|z K [examples] [seed]\n"), 2;
  const bool gf2 = std::string(argv[1]) == "gf2";
  const int k_max = std::atoi(argv[2]), examples = argc > 3 ? std::atoi(argv[3]) : 400;
  if (k_max < 1 || k_max > (gf2 ? 3 : 2)) return std::fprintf(stderr, "K must be 1..3 over gf2, 1..2 over z\n"), 2;
  const Field field = gf2 ? Field::GF2 : Field::Z;
  const Encoding enc = Encoding::for_shapes(field, {kShape});
  const std::vector<int> f = enc.coefficients;
  // Every canonical term with entries in F, and the index of each as a tensor.
  std::vector<game::Move> terms;
  std::vector<std::vector<int>> tensors;
  std::unordered_map<std::string, int> index;
  const int base = int(f.size());
  long total = 1;
  for (int i = 0; i < 12; ++i) total *= base;
  for (long code = 0; code < total; ++code) {
    long c = code;
    game::Move m;
    for (int i = 0; i < 12; ++i) m.coeffs.push_back(std::int8_t(f[size_t(c % base)])), c /= base;
    if (game::is_zero_term(m, kShape) || !game::is_canonical(m, kShape)) continue;
    game::Tensor t(kShape, field);
    t.add(m);
    index.emplace(key(t.data()), int(terms.size()));
    terms.push_back(m);
    tensors.push_back(t.data());
  }
  auto mask = [](const std::vector<int>& x) {
    std::uint64_t m = 0;
    for (int i = 0; i < 64; ++i) m |= std::uint64_t(x[size_t(i)] & 1) << i;
    return m;
  };
  std::vector<std::uint64_t> masks;
  std::unordered_map<std::uint64_t, int> by_mask;
  for (std::size_t t = 0; t < tensors.size(); ++t) masks.push_back(mask(tensors[t])), by_mask.emplace(masks.back(), int(t));
  auto minus = [&](const std::vector<int>& a, int term) {
    std::vector<int> out(a);
    for (int i = 0; i < 64; ++i) out[size_t(i)] -= tensors[size_t(term)][size_t(i)];
    if (gf2)
      for (int& x : out) x &= 1;
    return out;
  };
  game::Rng rng(argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 7);
  std::vector<double> sum(size_t(k_max) + 1, 0);
  std::vector<int> count(size_t(k_max) + 1, 0);
  for (int e = 0; e < examples; ++e) {
    const Example ex = synthetic_example(enc, kShape, k_max, 8, 4, rng);
    game::Tensor r(kShape, field);
    for (const Tokens& t : ex.targets) r.add(tokens_move(enc, kShape, t));
    // q accumulates P(draw) * weight per target term over every ordered draw of r terms.
    std::vector<double> q(terms.size(), 0.0);
    double mass = 0;
    auto draw = [&](const std::vector<int>& ids) {
      double p = 1.0 / k_max;
      for (int id : ids) p *= term_prob(terms[size_t(id)], gf2);
      for (int id : ids) q[size_t(id)] += p / double(ids.size());
      mass += p;
    };
    const std::vector<int> x = r.data();
    if (auto it = index.find(key(x)); it != index.end()) draw({it->second});
    if (k_max >= 2)
      for (int a = 0; a < int(terms.size()); ++a) {
        const std::vector<int> ra = minus(x, a);
        if (auto it = index.find(key(ra)); it != index.end()) draw({a, it->second});
        if (k_max >= 3) {  // over GF(2) only: tensors as 64-bit masks, a term's removal as XOR
          const std::uint64_t ma = mask(ra);
          for (int b = 0; b < int(terms.size()); ++b)
            if (auto it2 = by_mask.find(ma ^ masks[size_t(b)]); it2 != by_mask.end()) draw({a, b, it2->second});
        }
      }
    double loss = 0;
    for (std::size_t t = 0; t < ex.targets.size(); ++t) {
      game::Tensor one(kShape, field);
      one.add(tokens_move(enc, kShape, ex.targets[t]));
      loss -= double(ex.weights[t]) * std::log(q[size_t(index.at(key(one.data())))] / mass);
    }
    const int r_drawn = int(ex.targets.size());
    sum[0] += loss, ++count[0];
    sum[size_t(r_drawn)] += loss, ++count[size_t(r_drawn)];
  }
  std::printf("%s K=%d: floor %.3f nats per demonstration over %d", gf2 ? "gf2" : "z", k_max, sum[0] / count[0], count[0]);
  for (int r = 1; r <= k_max; ++r) std::printf("; %d terms: %.3f over %d", r, sum[size_t(r)] / std::max(1, count[size_t(r)]), count[size_t(r)]);
  std::printf("\n");
}
