// Links fmm::tensor, fmm::codegen and fmm::search from an installed fmm and uses each.
#include <iostream>

#include "codegen/plan.hpp"
#include "search/run/bench.hpp"
#include "tensor/builtin.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

int main() {
  const fmm::Scheme laderman = fmm::laderman_scheme();
  const fmm::Scheme back = fmm::parse_community_json(fmm::write_community_json(laderman), "memory");
  if (!fmm::verify(back).ok || !(back == laderman)) {
    std::cerr << "laderman did not survive the community JSON round trip\n";
    return 1;
  }
  const auto plan = fmm::codegen::make_plan({fmm::strassen_scheme(), fmm::strassen_scheme()},
                                            fmm::codegen::Precision::F32, fmm::codegen::Layout::RowMajor, "s2");
  const auto cases = fmm::search::bench_cases(1000);
  const auto bench = fmm::search::run_bench({cases.front()});
  std::cout << "laderman verifies; strassen^2 plan rank " << plan.rank() << ", additions " << plan.additions().cse
            << "; search bench case 1 signature " << bench.signature << '\n';
  return plan.rank() == 49 ? 0 : 1;
}
