// The best known rank of every format <n,m,p> with n, m, p <= 16, compiled in from
// data/known_ranks/ (see its README.md: the FastMatrixMultiplication collection's table, snapshot
// of 2026-07-02, and the literature table for n, m, p <= 6 with its GF(2) figures), so that a
// search can say how far it is from the frontier: "93 = best known", "2 above best known".
#pragma once

#include <optional>
#include <string>

#include "tensor/shape.hpp"

namespace fmm::search {

// The coefficient rings the table distinguishes. ZT: coefficients in {-1,0,1} (an integer
// scheme that needs no multiplications by constants); Z: any integers; Q: rationals.
enum class RankRing { GF2, ZT, Z, Q };
std::string to_string(RankRing ring);  // "GF(2)", "{-1,0,1}", "Z", "Q"
std::string tag(RankRing ring);        // "gf2", "zt", "z", "q": file names, options
// gf2 (also GF2, f2), zt (also ternary), z, q; nullopt otherwise.
std::optional<RankRing> parse_rank_ring(const std::string& text);

struct KnownRanks {
  int n = 0, m = 0, p = 0;  // sorted: n <= m <= p (the rank is the same for every order)
  int q = 0, z = 0, zt = 0;  // best over Q, Z and {-1,0,1}; z <= zt, q <= z
  int gf2 = 0;               // a GF(2)-specific figure (n, m, p <= 6), 0 where none is recorded
  int lower_bound = 0;       // 0 where none is recorded
};

// The entry for `shape` in any order of its dimensions; nullopt above 16 or for a dimension 0.
// <1,m,p> has rank m*p in every ring (answered without the table).
std::optional<KnownRanks> known_ranks(const Shape& shape);

// The best known rank a scheme over `ring` is measured against. Over GF(2): the GF(2) figure
// where one is recorded, else the integer rank (an integer scheme holds modulo 2), so a GF(2)
// search is never told it is ahead of what is known when no GF(2) figure is recorded.
std::optional<int> best_known_rank(const Shape& shape, RankRing ring);

// How `rank` compares with the best known over `ring`: "best known", "2 above best known 93",
// "1 BELOW best known 94"; empty when the table has no entry.
std::string versus_best_known(const Shape& shape, RankRing ring, int rank);

// The snapshot the table was built from ("commit d17309a... of 2026-07-02").
const char* known_ranks_snapshot();

}  // namespace fmm::search
