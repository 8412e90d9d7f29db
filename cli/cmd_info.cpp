// fmm info FILE [--json] [--field z|q|gf2]: every metric of one scheme (tensor/metrics.hpp).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "codegen/plan.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/metrics.hpp"

namespace fmm::cli {

int cmd_info(int argc, char** argv) {
  po::options_description opts("fmm info options");
  bool json = false;
  std::string field_name;
  opts.add_options()("json", po::bool_switch(&json), "print one JSON object instead of a table (default: table)")(
      "field", po::value(&field_name)->default_value(""),
      "read the scheme as holding over this field (z, q or gf2); default: the field the file states, or the one "
      "verification finds");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::string>(), "scheme file or builtin name");
  po::positional_options_description pos;
  pos.add("file", 1);
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm info FILE [--json] [--field z|q|gf2]\n\n"
                     "Prints rank, exponent, where the identities hold (Z, Q, GF2), nonzeros of U, V, W, the\n"
                     "additions of the plain evaluation and after codegen's common-subexpression elimination\n"
                     "(what fmm codegen emits; Z/Q schemes), the coefficients and their denominators, and the\n"
                     "stability quantities e_max and q_max (Ballard et al., SIMAX 2016), and the pairs of terms a\n"
                     "flip can act on (a common factor, up to scale). FILE is a scheme\n"
                     "file (FILE.npz:n,m,p for one key of an archive) or a builtin name (strassen, winograd,\n"
                     "laderman, standard:NxMxP). The scheme is verified first: one that does not verify gives\n"
                     "exit 1, as fmm verify. A file that states no field (.exp, .npz) is read over Q, or over\n"
                     "GF2 when its name says mod 2 (see fmm verify --help).",
                     opts, pos, vm, &hidden))
    return 0;
  if (!vm.count("file")) throw Error("no scheme given (see --help)");
  std::optional<Field> field;
  if (!field_name.empty()) {
    field = parse_field(field_name);
    if (!field) throw Error("unknown field '" + field_name + "' (expected z, q or gf2)");
  }
  const LoadedScheme ls = read_one_loaded(vm["file"].as<std::string>(), field);
  const Scheme& s = ls.scheme;
  SchemeMetrics m = compute_metrics(s);
  // The count the generated code performs: codegen's own elimination on this scheme as one level.
  // Generated code computes over the reals, so GF(2)-only schemes (and ranks beyond what codegen
  // takes) have none.
  if (m.holds_q && s.rank() <= codegen::kMaxPlanRank && s.rank() > 0) {
    codegen::PlanOptions options;
    options.cheapest_equivalent = false;  // this scheme's own count (codegen without --as-given may do better)
    const codegen::Plan plan = codegen::make_plan({s}, codegen::Precision::F32, codegen::Layout::RowMajor, "info", options);
    m.additions_cse = SchemeMetrics::CseAdditions{plan.additions_a.cse, plan.additions_b.cse, plan.additions_c.cse};
  }
  if (json) {
    print_metrics_json(std::cout, m);
  } else {
    print_metrics(std::cout, m);
    std::cout << "read as         " << to_string(s.field()) << "  (" << ls.field_basis << ")\n";
  }
  return 0;
}

}  // namespace fmm::cli
