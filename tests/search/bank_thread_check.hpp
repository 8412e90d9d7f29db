// One check that the bank tests of both rings (test_walker_bank over GF(2), test_ternary_bank
// over {-1,0,1}) make alike: a bank walk on the host emulation does not depend on the thread
// count, walker for walker and term for term (signs included; they are 1 over GF(2)).
#pragma once

#include <cstddef>
#include <vector>

#include <doctest/doctest.h>

#include "search/flip/walker_bank.hpp"

namespace fmm::search::test {

// 24 walkers from `start` (room for 6 plus transitions), 20 000 steps each, plateaus of 2 000,
// seed 99: the current scheme of every walker after the walk on `threads` threads.
template <class Bank, class Term>
std::vector<std::vector<Term>> emulated_bank_walk(const std::vector<Term>& start, int threads) {
  Bank bank(24, static_cast<int>(start.size()) + 6, start, 99);
  bank::Params p;
  p.plateau_limit = 2000;
  make_emulated_backend(threads)->run(bank, 20000, p, 0);
  std::vector<std::vector<Term>> out;
  for (int w = 0; w < bank.walkers(); ++w) out.push_back(bank.current(w));
  return out;
}

template <class Bank, class Term>
void check_thread_count_changes_nothing(const std::vector<Term>& start) {
  const auto one = emulated_bank_walk<Bank>(start, 1), three = emulated_bank_walk<Bank>(start, 3);
  REQUIRE(one.size() == three.size());
  for (std::size_t w = 0; w < one.size(); ++w) {
    REQUIRE(one[w].size() == three[w].size());
    for (std::size_t t = 0; t < one[w].size(); ++t) {
      CHECK(one[w][t].sign == three[w][t].sign);
      for (int k = 0; k < 3; ++k) CHECK(one[w][t].f[k] == three[w][t].f[k]);
    }
  }
}

}  // namespace fmm::search::test
