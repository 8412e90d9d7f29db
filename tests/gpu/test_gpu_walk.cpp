// The GPU walk plugin (gpu/walk/bank_walk_kernel.cu) against its host emulation: the same bank,
// seed and flips give the same schemes, walker for walker, over GF(2) and over {-1,0,1}.
// Skipped (77) without a GPU.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>

#include "search/flip/flip_terms.hpp"
#include "search/flip/walker_bank.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/verify.hpp"

using namespace fmm;
using namespace fmm::search;

namespace {

std::unique_ptr<BankBackend> gpu_or_skip() {
  try {
    return make_gpu_backend();
  } catch (const Error& e) {
    std::printf("no GPU walk here (%s): skipping\n", e.what());
    std::fflush(stdout);
    std::exit(77);  // CTest SKIP_RETURN_CODE
  }
}

// Two epochs of 300 walkers from `start` on the GPU and on 4 emulating threads: equal counters,
// ranks and schemes walker for walker, every GPU best valid over the domain's field.
template <class C>
void check_same_walk(BankBackend& gpu, const Scheme& start, int plateau) {
  const Shape shape = start.shape();
  CAPTURE(shape.str());
  bank::Params p;
  p.plateau_limit = plateau;
  p.plus_slack = 3;
  const auto terms = flip_terms<C>(start);
  WalkerBankOf<C> on_gpu(300, start.rank() + 5, terms, 11), on_cpu(300, start.rank() + 5, terms, 11);
  auto cpu = make_emulated_backend(4);
  for (int epoch = 0; epoch < 2; ++epoch) {
    gpu.run(on_gpu, 20000, p, 0);
    cpu->run(on_cpu, 20000, p, 0);
  }
  CHECK(on_gpu.flips() == on_cpu.flips());
  CHECK(on_gpu.plus_transitions() == on_cpu.plus_transitions());
  const Field field = C::kSigned ? Field::Z : Field::GF2;
  for (int w = 0; w < on_gpu.walkers(); ++w) {
    REQUIRE(on_gpu.rank(w) == on_cpu.rank(w));
    CHECK(on_gpu.best_rank(w) == on_cpu.best_rank(w));
    const auto a = on_gpu.current(w), b = on_cpu.current(w);
    for (std::size_t t = 0; t < a.size(); ++t) {
      CHECK(a[t].sign == b[t].sign);
      for (int k = 0; k < 3; ++k) CHECK(a[t].f[k] == b[t].f[k]);
    }
    CHECK(verify(flip_scheme<C>(shape, on_gpu.best(w)), field).ok);
  }
}

}  // namespace

TEST_CASE("the GPU walk equals its host emulation") {
  auto gpu = gpu_or_skip();
  for (const Shape shape : {Shape{3, 3, 3}, Shape{4, 4, 4}, Shape{2, 5, 6}})
    check_same_walk<Gf2>(*gpu, standard_scheme(shape), 500);
}

TEST_CASE("the GPU's {-1,0,1} walk equals its host emulation") {
  auto gpu = gpu_or_skip();
  // Plateaus of 3000: the {-1,0,1} walk reduces from the standard algorithm only with longer ones
  // (test_ternary_bank.cpp). Laderman: plus transitions at once. <7,7,7> standard (343 terms
  // + 5: the 12-slot kernel, the largest the {-1,0,1} walk has).
  for (const Shape shape : {Shape{3, 3, 3}, Shape{4, 4, 4}, Shape{2, 5, 6}})
    check_same_walk<Ternary>(*gpu, standard_scheme(shape), 3000);
  check_same_walk<Ternary>(*gpu, builtin_scheme("laderman"), 3000);
  check_same_walk<Ternary>(*gpu, standard_scheme(Shape{7, 7, 7}), 3000);
}
