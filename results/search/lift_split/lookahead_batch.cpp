// Lift each GF(2) scheme named on the command line twice, with LiftOptions' defaults (sign lift,
// 8 Hensel paths of 6 sampled choices, rational reconstruction) but no flip neighbours, once
// without and once with the exact one-step look-ahead (hensel_lookahead), and print both
// reports. A measurement tool for README.md, not part of fmm. Build as split_lift.cpp:
//   g++ -std=c++20 -O2 -fopenmp -I. -Ibuild-device/generated results/search/lift_split/lookahead_batch.cpp \
//     build-device/search/libfmm_search.a build-device/tensor/libfmm_tensor.a -lm4ri -lz -o /tmp/lookahead_batch
#include <cstdio>
#include "search/lift/lift.hpp"
#include "tensor/formats/format.hpp"
using namespace fmm;
int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const Scheme s = read_one_scheme(argv[i], Field::GF2);
    for (int la = 0; la < 2; ++la) {
      search::LiftOptions o;
      o.neighbours = 0;
      o.hensel_lookahead = la != 0;
      const search::LiftResult r = search::lift_scheme(s, o);
      std::printf("%s la=%d %s | %s\n", argv[i], la, r.scheme ? "LIFTED" : "no", r.report.c_str());
    }
  }
}
