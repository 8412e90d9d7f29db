#include "codegen/plan.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

#include "codegen/equivalent.hpp"
#include "tensor/transform.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

namespace fmm::codegen {

namespace {

std::string label(const Scheme& s, size_t level) {
  return "level " + std::to_string(level + 1) + " (" + (s.source().empty() ? "unnamed" : s.source()) + ", " +
         s.shape().str() + " rank " + std::to_string(s.rank()) + ")";
}

// A scheme must hold over Z or Q: generated code runs in floating point, where an identity
// that holds only modulo 2 computes a wrong product. A file may claim GF2 for a scheme that
// in fact holds over Q; that one we accept under the smaller field its coefficients allow.
void require_real_field(Scheme& s, size_t level) {
  if (s.field() == Field::GF2) {
    if (!verify(s, Field::Q))
      throw Error(label(s, level) +
                  " holds only over GF(2); generated code computes over the reals and needs a scheme over Z or Q "
                  "(lift it first, e.g. with Hensel lifting)");
    s.set_field(coefficient_field(s));
  }
  require_verified(s, "" + label(s, level));
}

std::vector<Form> forms_of(const std::vector<Rational>& data, int rank, int length) {
  std::vector<Form> forms(rank);
  for (int r = 0; r < rank; ++r)
    for (int x = 0; x < length; ++x) {
      const Rational& c = data[static_cast<size_t>(r) * length + x];
      if (!c.is_zero()) forms[r].push_back({x, c});
    }
  return forms;
}

// C block x = sum_r w_r[x] M_r: the W factor read by rows.
std::vector<Form> c_forms(const Scheme& s) {
  const int blocks = s.shape().c_size();
  std::vector<Form> forms(blocks);
  for (int r = 0; r < s.rank(); ++r)
    for (int x = 0; x < blocks; ++x)
      if (!s.w(r)[x].is_zero()) forms[x].push_back({r, s.w(r)[x]});
  return forms;
}

LinearProgram build(int inputs, std::vector<Form> forms, const PlanOptions& options, AdditionCounts& counts) {
  counts.plain = plain_additions(forms);
  LinearProgram program = options.cse ? eliminate_common_subexpressions(inputs, std::move(forms), cse_options(options.cse_effort))
                                      : plain_program(inputs, std::move(forms));
  counts.cse = program.additions();
  return program;
}

}  // namespace

PassForms pass_forms(const Scheme& flat) {
  const Shape& sh = flat.shape();
  return {forms_of(flat.u_data(), flat.rank(), sh.a_size()), forms_of(flat.v_data(), flat.rank(), sh.b_size()),
          c_forms(flat)};
}

namespace {

bool is_keyword(const std::string& s) {
  static const std::array<const char*, 32> kWords = {
      "alignas", "auto",   "bool",   "break",    "case",     "char",   "class",  "const",
      "default", "delete", "do",     "double",   "else",     "enum",   "false",  "float",
      "for",     "if",     "int",    "long",     "namespace", "new",   "return", "short",
      "signed",  "static", "struct", "template", "true",     "union",  "void",   "while"};
  return std::find(kWords.begin(), kWords.end(), s) != kWords.end();
}

void require_identifier(const std::string& name) {
  bool ok = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
            name.size() <= 64 && !is_keyword(name) && name.rfind("__", 0) != 0;
  for (char ch : name) ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
  if (!ok)
    throw Error("name '" + name +
                "' is not usable as a C++ namespace and file stem (letters, digits and '_', not starting with a "
                "digit or '__', at most 64 characters, not a keyword)");
}

}  // namespace

std::string to_string(Precision precision) { return precision == Precision::F32 ? "f32" : "f64"; }
std::string to_string(Layout layout) { return layout == Layout::RowMajor ? "row" : "col"; }

std::optional<Precision> parse_precision(const std::string& text) {
  if (text == "f32" || text == "float" || text == "fp32") return Precision::F32;
  if (text == "f64" || text == "double" || text == "fp64") return Precision::F64;
  return std::nullopt;
}

std::optional<Layout> parse_layout(const std::string& text) {
  if (text == "row" || text == "row-major" || text == "rowmajor") return Layout::RowMajor;
  if (text == "col" || text == "column" || text == "col-major" || text == "column-major" || text == "colmajor")
    return Layout::ColMajor;
  return std::nullopt;
}

std::uint64_t fnv1a64(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a offset basis and prime (Fowler, Noll, Vo)
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::vector<Scheme> repeat_levels(const Scheme& scheme, int levels) {
  if (levels < 1 || levels > 8) throw Error("--levels must be between 1 and 8, got " + std::to_string(levels));
  return std::vector<Scheme>(static_cast<size_t>(levels), scheme);
}

std::string identifier_from(const std::string& text) {
  std::string s = text;
  if (auto colon = s.rfind(':'); colon != std::string::npos && s.rfind("builtin:", 0) == 0) s = s.substr(8);
  if (auto slash = s.find_last_of("/\\"); slash != std::string::npos) s = s.substr(slash + 1);
  if (auto dot = s.find('.'); dot != std::string::npos && dot > 0) s = s.substr(0, dot);
  std::string out;
  for (char ch : s) {
    const bool word = std::isalnum(static_cast<unsigned char>(ch));
    if (word) out += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) out = "scheme";
  if (std::isdigit(static_cast<unsigned char>(out[0]))) out = "s" + out;
  return out;
}

std::string default_name(const std::vector<Scheme>& levels, Precision precision, Layout layout) {
  if (levels.empty()) throw Error("no scheme given");
  Shape shape{1, 1, 1};
  long rank = 1;
  std::string stem;
  for (size_t l = 0; l < levels.size(); ++l) {
    const Scheme& s = levels[l];
    shape = {shape.n * s.shape().n, shape.m * s.shape().m, shape.p * s.shape().p};
    rank *= s.rank();
    const std::string id = identifier_from(s.source());
    if (l == 0 || id != identifier_from(levels[l - 1].source())) stem += (stem.empty() ? "" : "_") + id;
  }
  return stem + "_" + shape.str() + "_r" + std::to_string(rank) + "_l" + std::to_string(levels.size()) + "_" +
         to_string(precision) + "_" + to_string(layout);
}

Plan make_plan(std::vector<Scheme> levels, Precision precision, Layout layout, std::string name, PlanOptions options) {
  if (levels.empty()) throw Error("no scheme given");
  require_identifier(name);
  if (options.min_block_dim < 1) throw Error("the minimum block dimension must be at least 1");
  Plan plan;
  plan.name = std::move(name);
  plan.precision = precision;
  plan.layout = layout;
  plan.options = std::move(options);

  // The whole composition's rank first (saturating), so the message names the real figure:
  // strassen at 8 levels is 7^8 = 5764801, not the 2401 at which a running product first
  // passes the limit.
  std::uint64_t rank = 1;
  bool same_rank = true;
  for (const Scheme& s : levels) {
    const auto r = static_cast<std::uint64_t>(s.rank());
    rank = r != 0 && rank > UINT64_MAX / r ? UINT64_MAX : rank * r;
    same_rank = same_rank && s.rank() == levels[0].rank();
  }
  if (rank > static_cast<std::uint64_t>(kMaxPlanRank)) {
    std::string fit;
    if (same_rank && levels[0].rank() > 1) {
      int most = 0;
      for (std::uint64_t r = levels[0].rank(); r <= static_cast<std::uint64_t>(kMaxPlanRank); r *= levels[0].rank()) ++most;
      fit = " (at most " + std::to_string(most) + " levels of a rank-" + std::to_string(levels[0].rank()) + " scheme fit)";
    }
    throw Error("the composed rank " + (rank == UINT64_MAX ? std::string("above 1.8e19") : std::to_string(rank)) +
                " of " + std::to_string(levels.size()) + " levels exceeds " + std::to_string(kMaxPlanRank) +
                "; use fewer levels" + fit + " (the generated passes would be too large to compile)");
  }
  for (size_t l = 0; l < levels.size(); ++l) {
    require_real_field(levels[l], l);
    if (plan.options.cheapest_equivalent && plan.options.cse) {
      // Levels repeat (--levels L): the orbit of each distinct scheme is walked once.
      const std::uint64_t given = fnv1a64(write_native(levels[l]));
      size_t same = 0;
      while (same < l && plan.level_hashes_given[same] != given) ++same;
      plan.level_hashes_given.push_back(given);
      if (same < l) {
        levels[l] = levels[same];
      } else {
        const Equivalent e = cheapest_equivalent(levels[l], EquivalentOptions{.effort = plan.options.cse_effort});
        if (e.changed()) {
          Scheme cheaper = e.scheme;
          cheaper.set_source(levels[l].source() + " [cheapest equivalent by change of basis: " +
                             std::to_string(e.additions_before) + " -> " + std::to_string(e.additions_after) +
                             " additions]");
          levels[l] = std::move(cheaper);
        }
      }
    }
    if (levels[l].rank() == 0) throw Error(label(levels[l], l) + " has no products");
    plan.level_hashes.push_back(fnv1a64(write_native(levels[l])));
  }
  Scheme flat = levels[0];
  for (size_t l = 1; l < levels.size(); ++l) flat = kronecker(flat, levels[l]);
  if (levels.size() > 1) require_verified(flat, "the composition of " + std::to_string(levels.size()) + " levels");
  plan.flat_hash = fnv1a64(write_native(flat));
  plan.levels = std::move(levels);

  const Shape& sh = flat.shape();
  PassForms forms = pass_forms(flat);
  plan.a = build(sh.a_size(), std::move(forms.a), plan.options, plan.additions_a);
  plan.b = build(sh.b_size(), std::move(forms.b), plan.options, plan.additions_b);
  plan.c = build(flat.rank(), std::move(forms.c), plan.options, plan.additions_c);
  plan.flat = std::move(flat);
  return plan;
}

}  // namespace fmm::codegen
