// The GPU walk plugin (gpu/walk/bank_walk_kernel.cu) against its host emulation: the same bank,
// seed and flips give the same schemes, walker for walker. Skipped (77) without a GPU.
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

TEST_CASE("the GPU walk equals its host emulation") {
  std::unique_ptr<BankBackend> gpu;
  try {
    gpu = make_gpu_backend();
  } catch (const Error& e) {
    std::printf("no GPU walk here (%s): skipping\n", e.what());
    std::fflush(stdout);
    std::exit(77);  // CTest SKIP_RETURN_CODE
  }
  for (const Shape shape : {Shape{3, 3, 3}, Shape{4, 4, 4}, Shape{2, 5, 6}}) {
    const Scheme start = standard_scheme(shape);
    bank::Params p;
    p.plateau_limit = 500;
    p.plus_slack = 3;
    WalkerBank on_gpu(300, start.rank() + 5, gf2_terms(start), 11), on_cpu(300, start.rank() + 5, gf2_terms(start), 11);
    auto cpu = make_emulated_backend(4);
    for (int epoch = 0; epoch < 2; ++epoch) {
      gpu->run(on_gpu, 20000, p, 0);
      cpu->run(on_cpu, 20000, p, 0);
    }
    CHECK(on_gpu.flips() == on_cpu.flips());
    CHECK(on_gpu.plus_transitions() == on_cpu.plus_transitions());
    for (int w = 0; w < on_gpu.walkers(); ++w) {
      REQUIRE(on_gpu.rank(w) == on_cpu.rank(w));
      CHECK(on_gpu.best_rank(w) == on_cpu.best_rank(w));
      const auto a = on_gpu.current(w), b = on_cpu.current(w);
      for (std::size_t t = 0; t < a.size(); ++t)
        for (int k = 0; k < 3; ++k) CHECK(a[t].f[k] == b[t].f[k]);
      CHECK(verify(to_scheme(shape, on_gpu.best(w)), Field::GF2).ok);
    }
  }
}
