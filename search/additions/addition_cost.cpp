#include "search/additions/addition_cost.hpp"

namespace fmm::search::additions {

void fill_pass_forms(const WalkScheme& scheme, int pass, std::vector<codegen::IntForm>& forms) {
  const auto& terms = scheme.terms();
  for (auto& f : forms) f.clear();
  if (pass < 2) {
    forms.resize(terms.size());
    for (std::size_t r = 0; r < terms.size(); ++r) {
      const Factor& f = terms[r].f[static_cast<std::size_t>(pass)];
      for (std::size_t x = 0; x < f.size(); ++x)
        if (f[x]) forms[r].push_back({static_cast<int>(x), f[x]});
    }
  } else {
    forms.resize(static_cast<std::size_t>(scheme.shape().c_size()));
    for (std::size_t r = 0; r < terms.size(); ++r) {
      const Factor& w = terms[r].f[2];
      for (std::size_t x = 0; x < w.size(); ++x)
        if (w[x]) forms[x].push_back({static_cast<int>(r), w[x]});
    }
  }
}

std::vector<codegen::IntForm> pass_forms(const WalkScheme& scheme, int pass) {
  std::vector<codegen::IntForm> forms;
  fill_pass_forms(scheme, pass, forms);
  return forms;
}

int pass_inputs(const WalkScheme& scheme, int pass) {
  return pass == 0 ? scheme.shape().a_size() : pass == 1 ? scheme.shape().b_size() : scheme.rank();
}

PassCosts evaluate(const WalkScheme& scheme, const codegen::ReduceOptions& options, PassMask changed,
                   const PassCosts& previous) {
  PassCosts out = previous;
  thread_local std::vector<codegen::IntForm> forms;  // reused across the steps of a walk
  for (int pass = 0; pass < 3; ++pass)
    if (changed & (1u << pass)) {
      fill_pass_forms(scheme, pass, forms);
      out.additions[static_cast<std::size_t>(pass)] = codegen::count_additions(pass_inputs(scheme, pass), forms, options);
    }
  return out;
}

PassCosts naive_additions(const WalkScheme& scheme) {
  PassCosts out;
  for (int pass = 0; pass < 3; ++pass) out.additions[static_cast<std::size_t>(pass)] = codegen::plain_additions(pass_forms(scheme, pass));
  return out;
}

codegen::AdditionCounts codegen_additions(const Scheme& scheme) {
  // As given: the search walks the orbit itself, and the scheme it writes is what codegen gets.
  codegen::PlanOptions options;
  options.cheapest_equivalent = false;
  return codegen::make_plan({scheme}, codegen::Precision::F32, codegen::Layout::RowMajor, "additions", options).additions();
}

}  // namespace fmm::search::additions
