#include "codegen/emit_common.hpp"

#include <cctype>
#include <cstdio>
#include <sstream>

#include "codegen/generate.hpp"
#include "tensor/formats/format.hpp"

#include "fmm/revision.hpp"  // generated at build time (cmake/FmmRevision.cmake)

namespace fmm::codegen {

// Bump kFormat whenever the generated code changes for the same plan.
std::string generator_version() { return "fmm " FMM_VERSION " (" FMM_GIT_REVISION "), codegen format 2"; }

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
  const std::vector<Schedule> all = schedules(plan);
  std::string caps, counts;
  for (const Schedule& sc : all) {
    caps += (caps.empty() ? "" : ", ") + std::to_string(sc.capacity);
    counts += (counts.empty() ? "" : ", ") + std::to_string(sc.chunks.size());
  }
  out << indent << "// The products stream through the workspace in chunks; the chunkings carried, coarsest first\n"
      << indent << "// (the first is one pass over all products): products per chunk and number of chunks.\n"
      << indent << "inline constexpr int kSchedules = " << all.size() << ";\n"
      << indent << "inline constexpr int kScheduleCapacity[kSchedules] = {" << caps << "};\n"
      << indent << "inline constexpr int kScheduleChunks[kSchedules] = {" << counts << "};\n";
  return out.str();
}

}  // namespace detail

}  // namespace fmm::codegen

namespace fmm::codegen::detail {

int default_capacity(const Plan& plan) {
  // Per product the workspace holds one A block (M/n x K/m), one B block and one C block; with
  // M = N = K that is M^2 (1/(nm) + 1/(mp) + 1/(np)) elements against a limit of 3 M^2 / 4.
  const double n = plan.blocks_m(), m = plan.blocks_k(), p = plan.blocks_n();
  const double per_product = 1 / (n * m) + 1 / (m * p) + 1 / (n * p);
  // The small epsilon keeps exact quotients (Strassen^L: 4^(L-1)) from rounding down.
  const int c = static_cast<int>(0.75 / per_product + 1e-9);
  return std::max(1, std::min(c, plan.rank()));
}

std::vector<Schedule> schedules(const Plan& plan) {
  const std::vector<ProductFootprint> footprints = product_footprints(plan.flat);
  const int c_blocks = plan.flat.shape().c_size();
  std::vector<Schedule> out;
  std::vector<int> capacities{plan.rank()};
  const int def = default_capacity(plan);
  if (def < plan.rank()) capacities.push_back(def);
  if (def / 4 >= 1 && def / 4 < capacities.back()) capacities.push_back(def / 4);
  // Relative block sizes for the grouping, as on an M = N = K problem.
  const BlockWeights weights{1.0 / (plan.blocks_m() * plan.blocks_k()), 1.0 / (plan.blocks_k() * plan.blocks_n()),
                             1.0 / (plan.blocks_m() * plan.blocks_n())};
  for (int cap : capacities) {
    Schedule s;
    s.chunks = schedule_chunks(footprints, c_blocks, cap, weights);
    for (const Chunk& ch : s.chunks) s.capacity = std::max(s.capacity, static_cast<int>(ch.products.size()));
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

std::string plane_offset(int r) {
  if (r == 0) return "0";
  if (r == 1) return "plane";
  return std::to_string(r) + " * plane";
}

std::string block_name(char letter, int i, int j) {
  return std::string(1, letter) + std::to_string(i) + "_" + std::to_string(j);
}

// The inputs a program reads (directly or through its temporaries), in increasing order.
std::vector<int> used_inputs(const LinearProgram& program) {
  std::vector<char> used(static_cast<size_t>(program.inputs), 0);
  auto mark = [&](const std::vector<Form>& forms) {
    for (const Form& f : forms)
      for (const Term& t : f)
        if (t.var < program.inputs) used[static_cast<size_t>(t.var)] = 1;
  };
  mark(program.temps);
  mark(program.outputs);
  std::vector<int> out;
  for (int x = 0; x < program.inputs; ++x)
    if (used[static_cast<size_t>(x)]) out.push_back(x);
  return out;
}

LinearProgram chunk_program(const Plan& plan, int inputs, std::vector<Form> forms) {
  return plan.options.cse ? eliminate_common_subexpressions(inputs, std::move(forms), cse_options(plan.options.cse_effort))
                          : plain_program(inputs, std::move(forms));
}

// Form of one product's operand: its nonzero coefficients over the blocks.
Form operand_form(std::span<const Rational> factor) {
  Form f;
  for (size_t x = 0; x < factor.size(); ++x)
    if (!factor[x].is_zero()) f.push_back({static_cast<int>(x), factor[x]});
  return f;
}

}  // namespace

std::string chunk_body(const Plan& plan, const Schedule& schedule, size_t chunk_index, Operand operand,
                       const std::string& indent) {
  const Shape& sh = plan.flat.shape();
  const Chunk& chunk = schedule.chunks[chunk_index];
  const bool whole = schedule.chunks.size() == 1;  // all products in order: the plan's own programs
  const int nr = static_cast<int>(chunk.products.size());
  std::string out;
  if (operand == Operand::A || operand == Operand::B) {
    const char letter = operand == Operand::A ? 'a' : 'b';
    const int rows = operand == Operand::A ? sh.n : sh.m;
    const int cols = operand == Operand::A ? sh.m : sh.p;
    LinearProgram local;
    const LinearProgram* program = operand == Operand::A ? &plan.a : &plan.b;
    if (!whole) {
      std::vector<Form> forms;
      for (int r : chunk.products) forms.push_back(operand_form(operand == Operand::A ? plan.flat.u(r) : plan.flat.v(r)));
      local = chunk_program(plan, rows * cols, std::move(forms));
      program = &local;
    }
    const std::vector<int> used = used_inputs(*program);
    out += indent + "// The " + std::to_string(used.size()) + " blocks of " + char(std::toupper(letter)) +
           " this chunk reads, at this position.\n";
    for (int x : used)
      out += indent + "const T " + block_name(letter, x / cols, x % cols) + " = " + letter + "[" +
             block_offset(x / cols, x % cols) + "];\n";
    out += indent + "// " + std::to_string(program->temps.size()) + " shared subexpressions, then the " +
           std::to_string(program->outputs.size()) + " operands of the chunk's block products.\n";
    out += pass_body(
        *program, [&](int x) { return block_name(letter, x / cols, x % cols); }, std::string("t") + letter,
        [](int r, const std::string& e) { return "s[" + plane_offset(r) + "] = " + e + ";"; }, indent);
    return out;
  }
  LinearProgram local;
  const LinearProgram* program = &plan.c;
  if (!whole) {
    std::vector<Form> forms;
    for (int x : chunk.c_blocks) {
      Form f;
      for (int l = 0; l < nr; ++l) {
        const Rational& c = plan.flat.w(chunk.products[static_cast<size_t>(l)])[static_cast<size_t>(x)];
        if (!c.is_zero()) f.push_back({l, c});
      }
      forms.push_back(std::move(f));
    }
    local = chunk_program(plan, nr, std::move(forms));
    program = &local;
  }
  out += indent + "// The " + std::to_string(nr) + " block products of this chunk at this position.\n";
  for (int l = 0; l < nr; ++l) out += indent + "const T m" + std::to_string(l) + " = p[" + plane_offset(l) + "];\n";
  out += indent + "// " + std::to_string(program->temps.size()) + " shared subexpressions, then the " +
         std::to_string(program->outputs.size()) + " blocks of C this chunk adds to.\n";
  out += pass_body(
      *program, [](int l) { return "m" + std::to_string(l); }, "tc",
      [&](int o, const std::string& e) {
        const int x = whole ? o : chunk.c_blocks[static_cast<size_t>(o)];
        const bool first = whole || chunk.c_first[static_cast<size_t>(o)];
        const std::string target = "c[" + block_offset(x / sh.p, x % sh.p) + "]";
        const std::string label = "  // C" + std::to_string(x / sh.p) + "_" + std::to_string(x % sh.p);
        return (first ? "store<kBetaZero>(" + target + ", " + e + ", alpha, beta);"
                      : "accumulate(" + target + ", " + e + ", alpha);") +
               label;
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
// Workspace: the kRank block products stream through it in chunks (kSchedules chunkings are carried,
// coarsest first; see kScheduleCapacity). A chunk of c products holds c packed left operands
// (bm x bk), c right operands (bk x bn) and c products (bm x bn), bm = M / kBlocksM, bk = K / kBlocksK,
// bn = N / kBlocksN; each chunk forms its operands in one pass over the blocks of A and B it reads,
// runs its products and adds them into C. workspace_size(M, N, K) is the workspace of the coarsest
// chunking that fits a quarter of the bytes of A, B and C; workspace_size(M, N, K, limit) the
// coarsest that fits `limit` bytes; 0 when the call runs classically (blocks too thin, or no chunking
// fits). gemm() runs the coarsest chunking that fits the workspace it is given, and the classical
// product when none does. Multi-level schemes are flattened into one level (the Kronecker product of
// the levels), so each chunk reads each operand block it needs once.
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
