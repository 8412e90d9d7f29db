#include "codegen/emit_common.hpp"

#include <cctype>
#include <cstdio>
#include <sstream>

#include "codegen/generate.hpp"
#include "tensor/formats/format.hpp"

#include "fmm/revision.hpp"  // generated at build time (cmake/FmmRevision.cmake)

namespace fmm::codegen {

// Bump kFormat whenever the generated code changes for the same plan.
std::string generator_version() { return "fmm " FMM_VERSION " (" FMM_GIT_REVISION "), codegen format 1"; }

namespace detail {

namespace {

// p / 2^e as an exact decimal literal ("0.125"), or "" when it does not fit 18 digits.
std::string dyadic_decimal(std::int64_t p, std::int64_t q) {
  int e = 0;
  while ((std::int64_t(1) << e) < q) ++e;
  if ((std::int64_t(1) << e) != q || e > 18) return "";
  // p / 2^e = p * 5^e / 10^e
  std::int64_t scaled_value = p;
  for (int k = 0; k < e; ++k) {
    if (scaled_value > (std::int64_t(1) << 59)) return "";
    scaled_value *= 5;
  }
  std::string digits = std::to_string(scaled_value);
  if (digits.size() <= static_cast<size_t>(e)) digits.insert(0, static_cast<size_t>(e) + 1 - digits.size(), '0');
  std::string out = digits.substr(0, digits.size() - e) + "." + digits.substr(digits.size() - e);
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out += '0';
  return out;
}

}  // namespace

std::string scaled(const Rational& magnitude, const std::string& var) {
  if (magnitude == Rational(1)) return var;
  if (magnitude.is_integer()) return "T(" + std::to_string(magnitude.num()) + ") * " + var;
  std::string decimal = dyadic_decimal(magnitude.num(), magnitude.den());
  if (!decimal.empty()) return "T(" + decimal + ") * " + var;
  return "T(" + std::to_string(magnitude.num()) + ") * " + var + " / T(" + std::to_string(magnitude.den()) + ")";
}

std::string expression(const Form& form, const std::function<std::string(int)>& var_name) {
  if (form.empty()) return "T(0)";
  std::string out;
  for (size_t t = 0; t < form.size(); ++t) {
    const Term& term = form[t];
    const bool negative = term.coef.sign() < 0;
    const std::string body = scaled(term.coef.abs(), var_name(term.var));
    if (t == 0) out = (negative ? "-" : "") + body;
    else out += (negative ? " - " : " + ") + body;
  }
  return out;
}

std::string pass_body(const LinearProgram& program, const std::function<std::string(int)>& input_name,
                      const std::string& temp_prefix,
                      const std::function<std::string(int, const std::string&)>& store, const std::string& indent) {
  auto name = [&](int var) {
    return var < program.inputs ? input_name(var) : temp_prefix + std::to_string(var - program.inputs);
  };
  std::string out;
  for (size_t t = 0; t < program.temps.size(); ++t)
    out += indent + "const T " + temp_prefix + std::to_string(t) + " = " + expression(program.temps[t], name) + ";\n";
  for (size_t o = 0; o < program.outputs.size(); ++o)
    out += indent + store(static_cast<int>(o), expression(program.outputs[o], name)) + "\n";
  return out;
}

std::string block_offset(int i, int j) {
  auto factor = [](int k, const char* step) -> std::string {
    if (k == 0) return "";
    return k == 1 ? std::string(step) : std::to_string(k) + " * " + step;
  };
  std::string a = factor(i, "row_step"), b = factor(j, "col_step");
  if (a.empty() && b.empty()) return "0";
  if (a.empty()) return b;
  if (b.empty()) return a;
  return a + " + " + b;
}

std::string hex64(std::uint64_t value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(value));
  return buf;
}

std::string scalar_type(Precision precision) { return precision == Precision::F32 ? "float" : "double"; }

std::string provenance(const Plan& plan, const std::string& file_name, const std::string& what) {
  std::ostringstream out;
  const Shape& sh = plan.flat.shape();
  const AdditionCounts total = plan.additions();
  out << "// " << file_name << " - " << what << "\n"
      << "//\n"
      << "// GENERATED FILE - DO NOT EDIT. Regenerate it with the command below instead.\n"
      << "// Generator: " << generator_version() << "\n"
      << "// Command:   " << (plan.options.command_line.empty() ? "(library call)" : plan.options.command_line) << "\n"
      << "//\n"
      << "// Scheme levels, outer first (hash: FNV-1a 64 of the scheme's native text):\n";
  for (size_t l = 0; l < plan.levels.size(); ++l) {
    const Scheme& s = plan.levels[l];
    out << "//   " << l + 1 << ". " << (s.source().empty() ? "unnamed" : s.source()) << "  <" << s.shape().n << ","
        << s.shape().m << "," << s.shape().p << ";" << s.rank() << "> over " << to_string(s.field()) << "  "
        << hex64(plan.level_hashes[l]) << "\n";
  }
  out << "// Flattened: <" << sh.n << "," << sh.m << "," << sh.p << ";" << plan.rank() << "> over "
      << to_string(plan.flat.field()) << "  " << hex64(plan.flat_hash)
      << (plan.levels.size() > 1 ? "  (Kronecker product of the levels: the same recursion, one fused pass)" : "")
      << "\n"
      << "// Blocks: M in " << sh.n << ", K in " << sh.m << ", N in " << sh.p << "; " << plan.rank()
      << " block products per call.\n"
      << "// Additions (plain -> after greedy pairwise CSE): A " << plan.additions_a.plain << " -> "
      << plan.additions_a.cse << ", B " << plan.additions_b.plain << " -> " << plan.additions_b.cse << ", C "
      << plan.additions_c.plain << " -> " << plan.additions_c.cse << "; total " << total.plain << " -> " << total.cse
      << "\n"
      << "// Precision " << to_string(plan.precision) << " (" << scalar_type(plan.precision) << "), "
      << (plan.layout == Layout::RowMajor ? "row-major" : "column-major") << " operands.\n";
  return out.str();
}

std::string constants(const Plan& plan, const std::string& indent) {
  std::ostringstream out;
  const AdditionCounts total = plan.additions();
  out << indent << "// C = alpha*A*B + beta*C; A is M x K, B is K x N, C is M x N.\n"
      << indent << "inline constexpr int kBlocksM = " << plan.blocks_m() << ";  // row blocks of A and C\n"
      << indent << "inline constexpr int kBlocksK = " << plan.blocks_k() << ";  // column blocks of A, row blocks of B\n"
      << indent << "inline constexpr int kBlocksN = " << plan.blocks_n() << ";  // column blocks of B and C\n"
      << indent << "inline constexpr int kRank = " << plan.rank() << ";     // block products per call\n"
      << indent << "inline constexpr int kLevels = " << plan.levels.size() << ";\n"
      << indent << "inline constexpr bool kRowMajor = " << (plan.layout == Layout::RowMajor ? "true" : "false")
      << ";\n"
      << indent << "// A call whose blocks would be smaller than this in any dimension runs the classical product.\n"
      << indent << "inline constexpr std::int64_t kDefaultMinBlockDim = " << plan.options.min_block_dim << ";\n"
      << indent << "// Additions per call of the fast path, each evaluated on its own and after CSE.\n"
      << indent << "inline constexpr int kAdditionsPlain = " << total.plain << ";\n"
      << indent << "inline constexpr int kAdditions = " << total.cse << ";\n"
      << indent << "inline constexpr std::uint64_t kSchemeHash = " << hex64(plan.flat_hash)
      << "ull;  // FNV-1a 64 of the flattened scheme's native text\n";
  return out.str();
}

}  // namespace detail

}  // namespace fmm::codegen

namespace fmm::codegen::detail {

namespace {

std::string plane_offset(int r) {
  if (r == 0) return "0";
  if (r == 1) return "plane";
  return std::to_string(r) + " * plane";
}

std::string block_name(char letter, int i, int j) {
  return std::string(1, letter) + std::to_string(i) + "_" + std::to_string(j);
}

}  // namespace

std::string combine_body(const Plan& plan, Operand operand, const std::string& indent) {
  const Shape& sh = plan.flat.shape();
  std::string out;
  if (operand == Operand::A || operand == Operand::B) {
    const char letter = operand == Operand::A ? 'a' : 'b';
    const int rows = operand == Operand::A ? sh.n : sh.m;
    const int cols = operand == Operand::A ? sh.m : sh.p;
    out += indent + "// The " + std::to_string(rows * cols) + " blocks of " + char(std::toupper(letter)) +
           " at this position.\n";
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j)
        out += indent + "const T " + block_name(letter, i, j) + " = " + letter + "[" + block_offset(i, j) + "];\n";
    const LinearProgram& program = operand == Operand::A ? plan.a : plan.b;
    out += indent + "// " + std::to_string(program.temps.size()) + " shared subexpressions, then the " +
           std::to_string(program.outputs.size()) + " operands of the block products.\n";
    out += pass_body(
        program, [&](int x) { return block_name(letter, x / cols, x % cols); }, std::string("t") + letter,
        [](int r, const std::string& e) { return "s[" + plane_offset(r) + "] = " + e + ";"; }, indent);
    return out;
  }
  out += indent + "// The " + std::to_string(plan.rank()) + " block products at this position.\n";
  for (int r = 0; r < plan.rank(); ++r)
    out += indent + "const T m" + std::to_string(r) + " = p[" + plane_offset(r) + "];\n";
  out += indent + "// " + std::to_string(plan.c.temps.size()) + " shared subexpressions, then the " +
         std::to_string(plan.c.outputs.size()) + " blocks of C.\n";
  out += pass_body(
      plan.c, [](int r) { return "m" + std::to_string(r); }, "tc",
      [&](int x, const std::string& e) {
        return "store<kBetaZero>(c[" + block_offset(x / sh.p, x % sh.p) + "], " + e + ", alpha, beta);  // C" +
               std::to_string(x / sh.p) + "_" + std::to_string(x % sh.p);
      },
      indent);
  return out;
}

// Shared by the .cuh and the _cpu.hpp: why peeling, what the workspace holds.
std::string peeling_doc() {
  return R"(//
// Any M, N, K >= 0 are accepted. Dimensions that the block counts do not divide are handled by
// dynamic peeling (S. Huss-Lederman et al., "Implementation of Strassen's algorithm for matrix
// multiplication", Supercomputing 1996): with Mc = kBlocksM * floor(M / kBlocksM), Kc and Nc alike,
// the core C[0:Mc, 0:Nc] += A[0:Mc, 0:Kc] * B[0:Kc, 0:Nc] runs the fast algorithm directly on
// sub-views of the caller's matrices, and the thin strips left over are fixed up by at most three
// classical GEMMs:
//   C[0:Mc, 0:Nc] += alpha * A[0:Mc, Kc:K] * B[Kc:K, 0:Nc]
//   C[0:Mc, Nc:N]  = alpha * A[0:Mc, 0:K]  * B[0:K, Nc:N]  + beta * C[0:Mc, Nc:N]
//   C[Mc:M, 0:N]   = alpha * A[Mc:M, 0:K]  * B[0:K, 0:N]   + beta * C[Mc:M, 0:N]
// Peeling rather than padding to a multiple of the block counts: padding would copy A, B and C into
// larger zero-filled buffers on every call (extra memory and traffic on the whole problem), while the
// strips are at most kBlocks - 1 rows or columns wide and cost no extra memory at all.
//
// Calls whose blocks would be thinner than min_block_dim (default kDefaultMinBlockDim) in any
// dimension run the classical product instead, where the fast algorithm cannot win.
//
// Workspace: kRank packed left operands (bm x bk), kRank right operands (bk x bn) and kRank products
// (bm x bn), bm = M / kBlocksM, bk = K / kBlocksK, bn = N / kBlocksN; workspace_size() gives the bytes
// (0 when the call runs classically). Multi-level schemes are flattened into one level (the
// Kronecker product of the levels), so each operand is read once by one fused pass.
)";
}

std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values) {
    const std::string token = "@" + key + "@";
    for (size_t pos = text.find(token); pos != std::string::npos; pos = text.find(token, pos + value.size()))
      text.replace(pos, token.size(), value);
  }
  return text;
}

}  // namespace fmm::codegen::detail
