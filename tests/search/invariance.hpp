// What test_symmetric and test_orbit_bank check invariance with: a scheme's GF(2) terms as a
// sorted multiset, and invariance judged by tensor/transform.hpp's cyclic() itself, not by the
// maps of the code under test.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "search/flip/flip_terms.hpp"
#include "tensor/scheme.hpp"
#include "tensor/transform.hpp"

namespace fmm::search::test {

using Sorted = std::vector<std::array<std::uint64_t, 3>>;

inline Sorted sorted_terms(const Scheme& x) {
  Sorted t;
  for (const auto& f : gf2_terms(x)) t.push_back({f.f[0], f.f[1], f.f[2]});
  std::sort(t.begin(), t.end());
  return t;
}

inline bool invariant_by_transform(const Scheme& s) { return sorted_terms(s) == sorted_terms(cyclic(s)); }

}  // namespace fmm::search::test
