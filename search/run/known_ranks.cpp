#include "search/run/known_ranks.hpp"

#include <algorithm>
#include <array>

namespace fmm::search {
namespace {

#include "search/run/known_ranks_table.inc"

}  // namespace

std::string to_string(RankRing ring) {
  switch (ring) {
    case RankRing::GF2: return "GF(2)";
    case RankRing::ZT: return "{-1,0,1}";
    case RankRing::Z: return "Z";
    case RankRing::Q: return "Q";
  }
  return "?";
}

std::string tag(RankRing ring) {
  switch (ring) {
    case RankRing::GF2: return "gf2";
    case RankRing::ZT: return "zt";
    case RankRing::Z: return "z";
    case RankRing::Q: return "q";
  }
  return "?";
}

std::optional<RankRing> parse_rank_ring(const std::string& text) {
  if (text == "gf2" || text == "GF2" || text == "f2") return RankRing::GF2;
  if (text == "zt" || text == "ZT" || text == "ternary") return RankRing::ZT;
  if (text == "z" || text == "Z") return RankRing::Z;
  if (text == "q" || text == "Q") return RankRing::Q;
  return std::nullopt;
}

std::optional<KnownRanks> known_ranks(const Shape& shape) {
  std::array<int, 3> d{shape.n, shape.m, shape.p};
  std::sort(d.begin(), d.end());
  if (d[0] < 1 || d[2] > kMaxDim) return std::nullopt;
  if (d[0] == 1) {  // a matrix-vector (or outer) product: rank m*p, exactly
    const int r = d[1] * d[2];
    return KnownRanks{d[0], d[1], d[2], r, r, r, r, r};
  }
  for (const KnownRanks& k : kKnownRanks)
    if (k.n == d[0] && k.m == d[1] && k.p == d[2]) return k;
  return std::nullopt;
}

std::optional<int> best_known_rank(const Shape& shape, RankRing ring) {
  const auto k = known_ranks(shape);
  if (!k) return std::nullopt;
  int r = 0;
  switch (ring) {
    case RankRing::GF2: r = k->gf2 ? std::min(k->gf2, k->z) : k->z; break;
    case RankRing::ZT: r = k->zt; break;
    case RankRing::Z: r = k->z; break;
    case RankRing::Q: r = k->q; break;
  }
  if (r <= 0) return std::nullopt;
  return r;
}

std::string versus_best_known(const Shape& shape, RankRing ring, int rank) {
  const auto best = best_known_rank(shape, ring);
  if (!best) return "";
  if (rank == *best) return "best known";
  if (rank > *best) return std::to_string(rank - *best) + " above best known " + std::to_string(*best);
  return std::to_string(*best - rank) + " BELOW best known " + std::to_string(*best);
}

const char* known_ranks_snapshot() { return kCollectionSnapshot; }

}  // namespace fmm::search
