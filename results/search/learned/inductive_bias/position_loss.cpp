// Where the supervised policy loss comes from: the mean of -log pi(token) at each position of
// u, v, w over fresh synthetic demonstrations of at most K terms (the trainer's own generator and
// weights), split by the number of terms r. A measurement tool for README.md's "inductive bias"
// section, not part of fmm. Build against an fmm build tree (after `ninja -C build-learn fmm`):
//   g++ -std=c++20 -O2 -fopenmp -I. -isystem /usr/include/eigen3 \
//     results/search/learned/inductive_bias/position_loss.cpp \
//     build-learn/search/libfmm_search.a build-learn/tensor/libfmm_tensor.a -lz -o /tmp/position_loss
//   /tmp/position_loss MODEL.fmmnet 2x2x2 K [examples=2000] [seed=99]
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "search/learn/demos.hpp"
#include "search/learn/model_file.hpp"

using namespace fmm;
using namespace fmm::learn;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: position_loss MODEL SHAPE K [examples] [seed]\n");
    return 2;
  }
  const Model model = load_model(argv[1]);
  int n = 0, m = 0, p = 0;
  std::sscanf(argv[2], "%dx%dx%d", &n, &m, &p);
  const Shape shape{n, m, p};
  const int k = std::atoi(argv[3]), examples = argc > 4 ? std::atoi(argv[4]) : 2000;
  game::Rng rng(argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 99);
  const Encoding& enc = model.enc;
  const int L = enc.positions();
  std::map<int, std::vector<double>> sum;  // r -> per-position weighted -log pi
  std::map<int, double> count;
  std::vector<double> per;
  for (int e = 0; e < examples; ++e) {
    const Example ex = synthetic_example(enc, shape, k, int(shape.classical_rank()), 4, rng);
    const int r = int(ex.cost);  // min(r, bound): the number of terms for these small sums
    auto& s = sum[r];
    s.resize(size_t(L), 0.0);
    const auto inf = model.net.infer(ex.state);
    for (std::size_t t = 0; t < ex.targets.size(); ++t) {
      model.net.log_prob(inf, enc, ex.state, ex.targets[t], &per);
      for (int i = 0; i < L; ++i) s[size_t(i)] -= double(ex.weights[t]) * per[size_t(i)];
    }
    count[r] += 1;
  }
  std::printf("terms examples total");
  for (int i = 0; i < L; ++i) std::printf(" %c%d", i < enc.box_a ? 'u' : i < enc.box_a + enc.box_b ? 'v' : 'w',
                                          i < enc.box_a ? i : i < enc.box_a + enc.box_b ? i - enc.box_a : i - enc.box_a - enc.box_b);
  std::printf("\n");
  for (auto& [r, s] : sum) {
    double total = 0;
    for (double x : s) total += x;
    std::printf("%d %.0f %.3f", r, count[r], total / count[r]);
    for (double x : s) std::printf(" %.3f", x / count[r]);
    std::printf("\n");
  }
}
