// fmm meta extend|project|sum|start: moves between formats (search/meta/format_moves.hpp) and
// the best start for a format from a library of schemes (search/meta/best_start.hpp).
#include <cstring>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "search/meta/basis_projection.hpp"
#include "search/meta/best_start.hpp"
#include "search/meta/bud_walk.hpp"
#include "search/meta/format_moves.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm::cli {
namespace {

using namespace fmm::search;

constexpr const char* kUsage =
    "fmm meta extend IN --axis n|m|p -o OUT\n"
    "       fmm meta project IN --axis n|m|p [--index K] -o OUT\n"
    "       fmm meta sum A B --axis n|m|p -o OUT\n"
    "       fmm meta start --shape NxMxP [--ring gf2|zt|z|q] [--library DIR]... [--scheme FILE]... [--outer FILE]... -o OUT\n"
    "       fmm meta buds IN --slot u|v|w [--inner NxMxP --library DIR...] [--seconds S] [--seed N] -o OUT\n\n"
    "Moves between formats (Kauers-Wood 2025; Perminov, arXiv 2511.20317):\n"
    "  extend   <n,m,p> -> <n,m,p+1> for --axis p (likewise n, m): adds the products of the new column\n"
    "  project  <n,m,p> -> <n,m,p-1>: deletes column K of B and C; by default the index, or the\n"
    "           hyperplane after a change of basis of that axis, that leaves the lowest rank (the\n"
    "           scheme's ring kept); products that vanish go, proportional ones merge where the ring allows\n"
    "  sum      <n,m,p1> + <n,m,p2> -> <n,m,p1+p2> (block sum; the other two dimensions must agree)\n"
    "  start    the lowest-rank scheme of a format that the given schemes yield by these moves,\n"
    "           Kronecker products, bud products (a scheme whose products share factors times a\n"
    "           smaller format, Smith 2002 / Perminov 2026) and symmetries (each part again the best of\n"
    "           its format), over a ring:\n"
    "           gf2, zt ({-1,0,1}, the default), z or q; prints every construction tried at the top\n"
    "  buds     a flip walk on IN's plateau (integer coefficients, reductions and plus transitions taken)\n"
    "           towards more products with proportional factors in --slot, what a bud product with\n"
    "           --inner saves on (score = saving - R(inner) * rank; without --inner: pairs - 4 rank);\n"
    "           writes the best scheme seen. Give it to start as --outer.\n"
    "Kronecker products: fmm compose; the six symmetries of the format: fmm transform --permute.\n"
    "Every scheme written is verified first.";

void report(const std::string& out, const Scheme& s, Format format) {
  write_scheme_file(out, s, format);
  std::cout << "wrote " << out << ": " << to_string(format) << ' ' << s.shape().str() << " rank " << s.rank()
            << " valid over " << to_string(s.field()) << '\n';
}

}  // namespace

int cmd_meta(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') {
    if (argc >= 2 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h"))) {
      std::cout << "usage: " << kUsage << "\n\n" << kExitStatusHelp << '\n';
      return 0;
    }
    throw Error(std::string("expected extend, project, sum, start or buds\nusage: ") + kUsage);
  }
  const std::string what = argv[1];
  if (what != "extend" && what != "project" && what != "sum" && what != "start" && what != "buds")
    throw Error("unknown meta operation '" + what + "' (extend, project, sum, start or buds)");
  po::options_description opts("fmm meta " + what + " options");
  std::string out, to, axis_text = "p", shape_text, ring_text = "zt";
  int index = -1;
  std::vector<std::string> libraries, schemes, outers;
  meta::BudWalkConfig buds;
  std::string slot_text = "w", inner_text;
  opts.add_options()("output,o", po::value(&out)->required(), "where to write the result (required)")(
      "to", po::value(&to)->default_value(""), "output format: native, json or exp (default: from the extension)");
  if (what != "start" && what != "buds") opts.add_options()("axis", po::value(&axis_text)->default_value("p"), "n, m or p");
  if (what == "project")
    opts.add_options()("index", po::value(&index)->default_value(-1), "index to delete (-1: the best index or hyperplane)");
  if (what == "start" || what == "buds")
    opts.add_options()("library", po::value(&libraries)->composing(), "directory of native scheme files (*.txt); repeatable");
  if (what == "start")
    opts.add_options()("shape", po::value(&shape_text)->required(), "target format NxMxP")(
        "ring", po::value(&ring_text)->default_value("zt"), "gf2, zt ({-1,0,1}), z or q")(
        "scheme", po::value(&schemes)->composing(), "one more scheme file or builtin name; repeatable")(
        "outer", po::value(&outers)->composing(),
        "a scheme file used (whatever its rank) as the outer scheme of bud products; repeatable");
  if (what == "buds")
    opts.add_options()("slot", po::value(&slot_text)->default_value("w"), "u, v or w: the factor whose pairs count")(
        "inner", po::value(&inner_text)->default_value(""),
        "the inner format of the bud product to score for (its rank and the enlarged formats' from --library)")(
        "ring", po::value(&ring_text)->default_value(""),
        "with --inner: the ring of those ranks, zt or z (default: the start's; a {-1,0,1} start scored for a Z product: z)")(
        "seconds", po::value(&buds.seconds)->default_value(10), "walk time")(
        "steps", po::value(&buds.max_steps)->default_value(0), "flips tried (0: until --seconds; else exactly this many)")(
        "seed", po::value(&buds.seed)->default_value(1), "random seed")(
        "inner-rank", po::value(&buds.inner_rank)->default_value(4), "without --inner: what one product costs in the score")(
        "temperature", po::value(&buds.temperature)->default_value(0.5), "Metropolis temperature")(
        "max-coefficient", po::value(&buds.max_coefficient)->default_value(0), "largest |coefficient| (0: the start's)")(
        "plus-every", po::value(&buds.plus_every)->default_value(0), "a plus transition every that many flips tried (0: never)")(
        "plus-slack", po::value(&buds.plus_slack)->default_value(2), "plus transitions while the rank is at most this much above the start's");
  po::options_description hidden;
  hidden.add_options()("inputs", po::value<std::vector<std::string>>(), "input schemes");
  po::positional_options_description pos;
  pos.add("inputs", -1);
  po::variables_map vm;
  if (!parse_options(argc - 1, argv + 1, kUsage, opts, pos, vm, &hidden)) return 0;
  const auto inputs = vm.count("inputs") ? vm["inputs"].as<std::vector<std::string>>() : std::vector<std::string>{};
  const Format format = output_format(to, out);

  if (what == "start") {
    if (!inputs.empty()) throw Error("meta start takes its schemes from --library and --scheme");
    const Shape shape = parse_shape(shape_text);
    const auto ring = parse_rank_ring(ring_text);
    if (!ring) throw Error("--ring must be gf2, zt, z or q, not '" + ring_text + "'");
    meta::Library library;
    for (const std::string& dir : libraries) library.load_directory(dir);
    for (const std::string& file : schemes) library.add(read_one_scheme(file), file);
    for (const std::string& file : outers) library.add_outer(read_one_scheme(file), file);
    std::vector<std::string> alternatives;
    meta::Start start = meta::best_start(shape, *ring, library, {}, &alternatives);
    for (const std::string& line : alternatives) std::cout << "  " << line << '\n';
    std::cout << "best start: " << start.recipe << '\n';
    const std::string versus = versus_best_known(shape, *ring, start.scheme.rank());
    if (!versus.empty()) std::cout << "rank " << start.scheme.rank() << ": " << versus << " (" << to_string(*ring) << ")\n";
    report(out, start.scheme, format);
    return 0;
  }
  if (what == "buds") {
    if (inputs.size() != 1) throw Error("meta buds takes one scheme");
    const auto slot = meta::parse_slot(slot_text);
    if (!slot) throw Error("--slot must be u, v or w, not '" + slot_text + "'");
    if (buds.seconds < 0 || buds.inner_rank < 0 || buds.temperature < 0 || buds.max_coefficient < 0 || buds.plus_slack < 0)
      throw Error("--seconds, --inner-rank, --temperature, --max-coefficient and --plus-slack must be >= 0");
    buds.slot = *slot;
    const Scheme start = read_one_scheme(inputs[0]);
    if (!inner_text.empty()) {
      // The inner format's rank and the enlarged formats' from the library, over the start's ring.
      meta::Library library;
      for (const std::string& dir : libraries) library.load_directory(dir);
      auto ring = meta::ring_of(start);
      if (!ring_text.empty()) {
        const auto asked = parse_rank_ring(ring_text);
        if (!asked || (*asked != RankRing::Z && *asked != RankRing::ZT))
          throw Error("meta buds: --ring must be zt or z, not '" + ring_text + "'");
        ring = *asked;
      }
      const auto rank_of = [&](const Shape& s) -> long { return meta::best_start(s, ring, library).scheme.rank(); };
      const Shape inner = parse_shape(inner_text);
      buds.inner_rank = static_cast<int>(rank_of(inner));
      buds.class_saving = meta::class_saving_table(inner, buds.slot, buds.inner_rank, rank_of, start.rank() + buds.plus_slack);
    } else if (!libraries.empty()) {
      throw Error("--library serves --inner: give both or neither");
    }
    meta::BudWalkResult r = meta::bud_walk(start, buds);
    r.best.set_source(r.best.source() + "; command: " + command_line(argc, argv));
    const long start_saving = meta::bud_saving(start, buds.slot, buds.class_saving);
    std::cout << "start: rank " << start.rank() << ", saving " << start_saving << " in " << slot_text << " (score "
              << start_saving - long{buds.inner_rank} * start.rank()
              << "); best: rank " << r.best.rank() << ", saving " << r.saving << " (score " << r.score << "); " << r.steps
              << " flips tried, " << r.taken << " made\n";
    report(out, r.best, format);
    return 0;
  }
  const meta::Axis axis = meta::parse_axis(axis_text);
  const size_t want = what == "sum" ? 2 : 1;
  if (inputs.size() != want) throw Error("meta " + what + " takes " + std::to_string(want) + " scheme(s)");
  const Scheme a = read_one_scheme(inputs[0]);
  if (what == "extend") {
    report(out, meta::extend(a, axis), format);
  } else if (what == "project") {
    report(out, index < 0 ? meta::best_basis_projection(a, axis) : meta::project(a, axis, index), format);
  } else {
    report(out, meta::block_sum(a, read_one_scheme(inputs[1]), axis), format);
  }
  return 0;
}

}  // namespace fmm::cli
