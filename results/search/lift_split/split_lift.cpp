// Does a GF(2) scheme that has no integer lift get one after a split (rank + 1)?
// For every term t, every mode (u, v or w) and every distinct factor x that another term has in
// that mode, t = (f, g, h) is replaced by (f + x, g, h) and (x, g, h) over GF(2) (the first half
// of Kauers-Moosbauer's plus transition), and the rank-(R+1) scheme is handed to fmm's lift
// (sign lift, then Hensel; no flip neighbours, no rational reconstruction). A measurement tool
// for README.md, not part of fmm. Build against an fmm build tree (after `ninja -C build-device fmm`):
//   g++ -std=c++20 -O2 -fopenmp -I. -Ibuild-device/generated results/search/lift_split/split_lift.cpp \
//     build-device/search/libfmm_search.a build-device/tensor/libfmm_tensor.a -lm4ri -lz -o /tmp/split_lift
//   /tmp/split_lift SCHEME OUT_DIR [max_lifted=1] [threads from OMP_NUM_THREADS]
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "search/lift/lift.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

using namespace fmm;

namespace {

std::vector<int> bits(std::span<const Rational> f) {
  std::vector<int> b(f.size());
  for (std::size_t i = 0; i < f.size(); ++i) b[i] = f[i].is_zero() ? 0 : 1;
  return b;
}

struct Candidate {
  int term, mode;
  std::vector<int> x;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: split_lift SCHEME OUT_DIR [max_lifted=1]\n");
    return 2;
  }
  const Scheme s = read_one_scheme(argv[1], Field::GF2);
  const int max_lifted = argc > 3 ? std::atoi(argv[3]) : 1;
  const int R = s.rank();
  auto factor = [&](int r, int mode) { return bits(mode == 0 ? s.u(r) : mode == 1 ? s.v(r) : s.w(r)); };
  std::vector<Candidate> cands;
  for (int t = 0; t < R; ++t)
    for (int mode = 0; mode < 3; ++mode) {
      std::set<std::vector<int>> seen;
      const std::vector<int> own = factor(t, mode);
      for (int o = 0; o < R; ++o) {
        if (o == t) continue;
        std::vector<int> x = factor(o, mode);
        if (x == own || !seen.insert(x).second) continue;
        cands.push_back({t, mode, std::move(x)});
      }
    }
  std::printf("%s: %s rank %d, %zu splits to rank %d\n", argv[1], s.shape().str().c_str(), R, cands.size(), R + 1);
  std::fflush(stdout);
  std::atomic<int> lifted{0}, done{0}, mod4{0};
#pragma omp parallel for schedule(dynamic, 1)
  for (std::size_t i = 0; i < cands.size(); ++i) {
    if (lifted.load() >= max_lifted) continue;
    const Candidate& c = cands[i];
    Scheme n(s.shape(), Field::GF2);
    for (int r = 0; r < R; ++r) {
      std::vector<Rational> f[3] = {{s.u(r).begin(), s.u(r).end()}, {s.v(r).begin(), s.v(r).end()}, {s.w(r).begin(), s.w(r).end()}};
      if (r == c.term) {
        std::vector<Rational> g[3] = {f[0], f[1], f[2]};
        for (std::size_t k = 0; k < c.x.size(); ++k) {
          const int b = (f[c.mode][k].is_zero() ? 0 : 1) ^ c.x[k];
          f[c.mode][k] = Rational(b);
          g[c.mode][k] = Rational(c.x[k]);
        }
        n.add_term(g[0], g[1], g[2]);
      }
      n.add_term(f[0], f[1], f[2]);
    }
    if (!verify(n, Field::GF2).ok) {
      std::fprintf(stderr, "split %zu does not verify over GF(2): a bug\n", i);
      std::exit(3);
    }
    search::LiftOptions opt;
    opt.neighbours = 0;
    opt.rational = false;
    opt.hensel_tries = 2;
    opt.seed = i + 1;
    const search::LiftResult r = search::lift_scheme(n, opt);
    if (r.report.find("no solution mod 4") != std::string::npos) ++mod4;
    if (r.scheme && r.scheme->field() == Field::Z) {
      const int k = ++lifted;
      const std::string out = std::string(argv[2]) + "/split" + std::to_string(i) + "_r" + std::to_string(R + 1) + "_z.txt";
      write_scheme_file(out, *r.scheme, Format::Native);
#pragma omp critical
      std::printf("LIFTED %d: split %zu (term %d, mode %d): %s -> %s\n", k, i, c.term, c.mode, r.report.c_str(), out.c_str());
    }
    const int d = ++done;
    if (d % 500 == 0) {
#pragma omp critical
      {
        std::printf("%d of %zu tried, %d lifted, %d with no solution mod 4\n", d, cands.size(), lifted.load(), mod4.load());
        std::fflush(stdout);
      }
    }
  }
  std::printf("done: %d tried, %d lifted, %d with no solution mod 4\n", done.load(), lifted.load(), mod4.load());
  return lifted.load() > 0 ? 0 : 1;
}
