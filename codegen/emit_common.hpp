// Pieces shared by the CUDA and C++ emitters: exact coefficient literals, the straight-line
// pass bodies and the provenance header. Private to codegen/.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "codegen/chunk_schedule.hpp"
#include "codegen/plan.hpp"

namespace fmm::codegen::detail {

// "x", "T(3) * x", "T(0.125) * x", "T(1) * x / T(3)" for |c| times x, exact whenever the value
// is representable: integers and dyadic fractions are exact literals; any other p/q multiplies
// by p first and divides by q, one correctly rounded division.
std::string scaled(const Rational& magnitude, const std::string& var);

// "a0_0 - T(2) * a1_1 + ..." for a form, or "T(0)" when it is empty.
std::string expression(const Form& form, const std::function<std::string(int)>& var_name);

// Straight-line code of one pass: `load` lines must already define the inputs; this emits the
// temporaries (prefix + index) and calls `store(output, expression)` for each output line.
std::string pass_body(const LinearProgram& program, const std::function<std::string(int)>& input_name,
                      const std::string& temp_prefix,
                      const std::function<std::string(int, const std::string&)>& store, const std::string& indent);

// "i * row_step + j * col_step" without zero or unit factors ("0" for block (0,0)).
std::string block_offset(int i, int j);

std::string hex64(std::uint64_t value);  // "0x00000000deadbeef"

// The comment block that opens every generated file: that it is generated, from which
// schemes (source, format, rank, hash), by which generator and command, and the additions.
std::string provenance(const Plan& plan, const std::string& file_name, const std::string& what);

// "float" or "double".
std::string scalar_type(Precision precision);

// Lines of constants shared by both APIs (block counts, rank, layout, addition counts).
std::string constants(const Plan& plan, const std::string& indent);

}  // namespace fmm::codegen::detail

namespace fmm::codegen::detail {

enum class Operand { A, B, C };

// One way of streaming the products through the workspace (codegen/chunk_schedule.hpp).
struct Schedule {
  int capacity = 0;           // products in the largest chunk: the workspace holds this many
  std::vector<Chunk> chunks;  // in execution order
};

// The chunkings the generated code carries, coarsest first: one pass over all products; then the
// chunks that fit the default limit (a quarter of the bytes of A, B and C) on an M = N = K problem;
// then chunks a quarter of that size (for shapes and limits where the default chunks do not fit).
std::vector<Schedule> schedules(const Plan& plan);

// Products per chunk that fit a quarter of the bytes of A, B and C when M = N = K (at least 1).
int default_capacity(const Plan& plan);

// Loads and straight-line code of one fused pass over one chunk, identical in the CUDA kernels and
// the C++ twin. Expects in scope: T; for A and B a pointer `a`/`b` to this position in block (0,0),
// `row_step`, `col_step`, the output pointer `s` to this position in the chunk's packed operand 0
// and `plane`; for C the pointer `p` into the chunk's product 0, `plane`, the output `c`,
// `row_step`, `col_step`, `alpha`, `beta`, `store<kBetaZero>` (a C block's first write) and
// `accumulate` (a block an earlier chunk wrote). The one-chunk schedule uses the plan's own
// programs (plan.a, plan.b, plan.c); smaller chunks get their own common-subexpression elimination.
std::string chunk_body(const Plan& plan, const Schedule& schedule, size_t chunk, Operand operand,
                       const std::string& indent);

// Comment lines on peeling, the small-size fallback and the workspace, for both APIs.
std::string peeling_doc();

// Replaces every "@KEY@" in `text` by its value.
std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace fmm::codegen::detail
