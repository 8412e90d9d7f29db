// How often rank_one_proposals (search/learn/proposals.hpp) holds a demonstration's own terms:
// fresh synthetic demonstrations of <2,2,2> (seed 5) that sum k terms and whose slice-rank bound
// is at least k (k = 2, 3, 4, 6, 8): the mean number of proposals, the share with none, the share
// of targets proposed, the share whose proposals are exactly its targets, and the cost per
// demonstration (its generation included). A measurement tool for README.md, not part of fmm;
// build as position_loss.cpp says, then /tmp/proposal_stats.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "search/learn/demos.hpp"

using namespace fmm;
using namespace fmm::learn;

int main() {
  for (Field field : {Field::GF2, Field::Z}) {
    const Shape shape{2, 2, 2};
    const Encoding enc = Encoding::for_shapes(field, {shape});
    for (int k : {2, 3, 4, 6, 8}) {
      game::Rng rng(5);
      double proposals = 0, found = 0, targets = 0, exact = 0;
      int n = 0, none = 0;
      const auto t0 = std::chrono::steady_clock::now();
      for (int i = 0; i < 2000; ++i) {
        const Example e = synthetic_example(enc, shape, k, 8, 4, rng);
        if (int(e.cost) != k) continue;
        ++n;
        proposals += double(e.state.proposals.size());
        none += e.state.proposals.empty();
        int f = 0;
        for (const Tokens& t : e.targets) {
          ++targets;
          f += std::find(e.state.proposals.begin(), e.state.proposals.end(), t) != e.state.proposals.end();
        }
        found += f;
        exact += f == int(e.targets.size()) && e.state.proposals.size() == e.targets.size();
      }
      const double us = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() / 2000 * 1e6;
      std::printf("%s k=%d: %d sums, mean proposals %.2f, none %.2f, targets proposed %.2f, exactly the targets %.2f, "
                  "%.0f us per demonstration\n",
                  to_string(field).c_str(), k, n, proposals / n, double(none) / n, found / targets, exact / n, us);
    }
  }
}
