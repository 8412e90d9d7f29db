#include "gpu/fmm_plan.hpp"

#include <cassert>
#include <charconv>
#include <filesystem>

#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

namespace fmm::gpu {

namespace {

struct ExactTerm {
  int row = 0, col = 0;
  Rational coef;
};

// Kronecker expansion of one factor side. `dims(level)` gives (rows, cols) of that side's
// block grid at a level and `factor(level, r)` the coefficient span of product r.
template <typename Dims, typename Factor>
std::vector<std::vector<ExactTerm>> expand(const std::vector<Scheme>& levels, Dims dims, Factor factor) {
  std::vector<std::vector<ExactTerm>> cur(1, std::vector<ExactTerm>{{0, 0, Rational(1)}});
  for (size_t l = 0; l < levels.size(); ++l) {
    const Scheme& s = levels[l];
    auto [rows, cols] = dims(s.shape());
    std::vector<std::vector<ExactTerm>> next;
    next.reserve(cur.size() * s.rank());
    for (const auto& outer : cur) {
      for (int r = 0; r < s.rank(); ++r) {
        std::vector<ExactTerm> terms;
        auto f = factor(s, r);
        for (const ExactTerm& o : outer) {
          for (int i = 0; i < rows; ++i) {
            for (int j = 0; j < cols; ++j) {
              const Rational& c = f[static_cast<size_t>(i * cols + j)];
              if (c.is_zero()) continue;
              terms.push_back({o.row * rows + i, o.col * cols + j, o.coef * c});
            }
          }
        }
        next.push_back(std::move(terms));
      }
    }
    cur = std::move(next);
  }
  return cur;
}

long count_terms(const std::vector<std::vector<PlanTerm>>& lists) {
  long n = 0;
  for (const auto& l : lists) n += static_cast<long>(l.size());
  return n;
}

}  // namespace

long FmmPlan::a_term_count() const { return count_terms(a_terms); }
long FmmPlan::b_term_count() const { return count_terms(b_terms); }
long FmmPlan::c_term_count() const { return count_terms(c_terms); }
int FmmPlan::inner_rank() const { return levels.empty() ? 1 : rank / levels.front().rank(); }

FmmPlan make_fmm_plan(const std::vector<Scheme>& levels, const std::string& name) {
  if (levels.empty()) throw Error("fmm plan '" + name + "': needs at least one level");
  FmmPlan plan;
  plan.name = name;
  plan.levels = levels;
  long n = 1, m = 1, p = 1, rank = 1;
  for (const Scheme& s : levels) {
    require_verified(s, "fmm plan '" + name + "'");
    n *= s.shape().n;
    m *= s.shape().m;
    p *= s.shape().p;
    rank *= s.rank();
    if (rank > 4096 || n > 4096 || m > 4096 || p > 4096)
      throw Error("fmm plan '" + name + "': too many products or blocks (rank " + std::to_string(rank) + ")");
  }
  plan.n = static_cast<int>(n);
  plan.m = static_cast<int>(m);
  plan.p = static_cast<int>(p);
  plan.rank = static_cast<int>(rank);

  auto a = expand(levels, [](const Shape& s) { return std::pair{s.n, s.m}; },
                  [](const Scheme& s, int r) { return s.u(r); });
  auto b = expand(levels, [](const Shape& s) { return std::pair{s.m, s.p}; },
                  [](const Scheme& s, int r) { return s.v(r); });
  auto c = expand(levels, [](const Shape& s) { return std::pair{s.n, s.p}; },
                  [](const Scheme& s, int r) { return s.w(r); });
  assert(static_cast<long>(a.size()) == rank && b.size() == a.size() && c.size() == a.size());

  plan.a_terms.resize(rank);
  plan.b_terms.resize(rank);
  plan.c_terms.resize(static_cast<size_t>(n * p));
  for (long r = 0; r < rank; ++r) {
    for (const ExactTerm& t : a[r]) plan.a_terms[r].push_back({t.row * plan.m + t.col, t.coef.to_double()});
    for (const ExactTerm& t : b[r]) plan.b_terms[r].push_back({t.row * plan.p + t.col, t.coef.to_double()});
    for (const ExactTerm& t : c[r])
      plan.c_terms[static_cast<size_t>(t.row * plan.p + t.col)].push_back({static_cast<int>(r), t.coef.to_double()});
  }
  return plan;
}

RepeatedScheme parse_repeated_scheme(const std::string& part, const std::string& context) {
  const size_t caret = part.rfind('^');
  if (caret == std::string::npos) return {part, std::nullopt};
  const std::string text = part.substr(caret + 1);
  int levels = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), levels);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || levels < 1 || levels > 8)
    throw Error(context + ": expected name^LEVELS with LEVELS 1..8, got '" + part + "'");
  return {part.substr(0, caret), levels};
}

FmmPlan make_fmm_plan_from_spec(const std::string& spec, int levels) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t plus = spec.find('+', start);
    parts.push_back(spec.substr(start, plus - start));
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  auto label = [](const std::string& s) {
    return is_builtin_name(s) ? s : std::filesystem::path(s).stem().string();
  };
  std::vector<Scheme> schemes;
  std::string name;
  for (const std::string& part : parts) {
    // "name^L" repeats a scheme L times; a lone name without it takes `levels`.
    const auto [base, given] = parse_repeated_scheme(part, "fmm plan '" + spec + "'");
    const int repeat = given.value_or(parts.size() == 1 ? levels : 1);
    if (repeat < 1 || repeat > 8) throw Error("fmm plan '" + spec + "': levels must be between 1 and 8");
    const Scheme s = read_one_scheme(base);
    for (int l = 0; l < repeat; ++l) schemes.push_back(s);
    name += (name.empty() ? "" : "+") + label(base) + (repeat > 1 || parts.size() == 1 ? "^" + std::to_string(repeat) : "");
  }
  return make_fmm_plan(schemes, name);
}

}  // namespace fmm::gpu
