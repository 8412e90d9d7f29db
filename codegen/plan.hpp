// What the code generators emit, decided once: the verified levels, their Kronecker product
// flattened into one level, and the CSE'd addition programs of the three fused passes.
//
//   Plan plan = make_plan({strassen_scheme(), laderman_scheme()}, Precision::F32, Layout::RowMajor, "sl");
//   write_files(generate_cuda(plan), "gen");   // sl.cuh, sl.cu
//   write_files(generate_cpp(plan), "gen");    // sl_cpu.hpp
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "codegen/linear_program.hpp"
#include "tensor/scheme.hpp"

namespace fmm::codegen {

enum class Precision { F32, F64 };
enum class Layout { RowMajor, ColMajor };

std::string to_string(Precision precision);  // "f32", "f64"
std::string to_string(Layout layout);        // "row", "col"
std::optional<Precision> parse_precision(const std::string& text);  // f32|float|f64|double
std::optional<Layout> parse_layout(const std::string& text);        // row|row-major|col|col-major|column

// Addition counts of one operand's pass, or of all three: evaluated form by form ("plain") and
// after common-subexpression elimination ("cse").
struct AdditionCounts {
  int plain = 0;
  int cse = 0;
  AdditionCounts& operator+=(const AdditionCounts& o) {
    plain += o.plain;
    cse += o.cse;
    return *this;
  }
};

struct PlanOptions {
  // Block dimension below which a call goes to classical cuBLAS (the C++ twin: its naive GEMM)
  // instead of the fast algorithm; the generated code's default, overridable per call.
  std::int64_t min_block_dim = 256;
  bool cse = true;           // false: evaluate every form on its own (for comparisons)
  CseEffort cse_effort = CseEffort::Default;  // how hard the elimination tries (linear_program.hpp)
  // Replace each level by the cheapest scheme in its orbit under changes of basis and symmetries
  // (equivalent.hpp) before composing; false keeps the levels exactly as given.
  bool cheapest_equivalent = true;
  std::string command_line;  // recorded in the generated files' headers
};

// The largest flattened rank we generate code for: beyond it the straight-line passes become
// unwieldy to compile (Laderman (x) Laderman is 529, Strassen^3 is 343).
inline constexpr int kMaxPlanRank = 1024;

struct Plan {
  std::string name;  // C++ namespace and file stem of the generated code
  Precision precision = Precision::F32;
  Layout layout = Layout::RowMajor;
  PlanOptions options;

  std::vector<Scheme> levels;              // outer level first, each verified over Z or Q
  std::vector<std::uint64_t> level_hashes;  // FNV-1a 64 of each level's native text
  std::vector<std::uint64_t> level_hashes_given;  // ... of each level as given (before the cheapest equivalent)
  Scheme flat;                              // Kronecker product of the levels, verified
  std::uint64_t flat_hash = 0;

  // The three fused passes. a: inputs the n*m blocks of A (index i*m+j), outputs the R left
  // operands; b: inputs the m*p blocks of B (j*p+k), outputs the R right operands; c: inputs the
  // R products, outputs the n*p blocks of C (i*p+k).
  LinearProgram a, b, c;
  AdditionCounts additions_a, additions_b, additions_c;
  AdditionCounts additions() const {
    AdditionCounts t = additions_a;
    t += additions_b;
    t += additions_c;
    return t;
  }

  // GEMM terms: M is split into blocks_m = n row blocks, K into blocks_k = m, N into blocks_n = p.
  int blocks_m() const { return flat.shape().n; }
  int blocks_k() const { return flat.shape().m; }
  int blocks_n() const { return flat.shape().p; }
  int rank() const { return flat.rank(); }
};

// Verifies every level (a scheme whose identities hold only over GF(2) is refused, since the
// generated code computes over the reals), composes them, verifies the composition, builds the
// addition programs. Throws fmm::Error with a message fit for a user.
Plan make_plan(std::vector<Scheme> levels, Precision precision, Layout layout, std::string name,
               PlanOptions options = {});

// `levels` copies of one scheme, for `--levels L`.
std::vector<Scheme> repeat_levels(const Scheme& scheme, int levels);

// A C++ identifier made from free text ("builtin:strassen" -> "strassen"), and the default
// name of a plan's code, e.g. "strassen_4x4x4_r49_l2_f32_row".
std::string identifier_from(const std::string& text);
std::string default_name(const std::vector<Scheme>& levels, Precision precision, Layout layout);

std::uint64_t fnv1a64(const std::string& bytes);

// The linear forms of the three passes of a (flattened) scheme, as make_plan builds them: A's
// (R forms over the n*m blocks of A), B's (R over m*p), C's (n*p forms over the R products).
struct PassForms {
  std::vector<Form> a, b, c;
};
PassForms pass_forms(const Scheme& flat);

}  // namespace fmm::codegen
