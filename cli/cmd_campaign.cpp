// fmm campaign --state DIR [--formats LIST] [--seconds S] [--rounds R] ...: a resumable search over
// many formats (search/meta/campaign.hpp), and the frontier report it keeps.
#include <unistd.h>

#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "search/flip/bank_walk.hpp"
#include "search/meta/campaign.hpp"
#include "search/meta/frontier_report.hpp"
#include "search/run/progress.hpp"
#include "tensor/error.hpp"
#include "tensor/io/safe_write.hpp"

namespace fmm::cli {

int cmd_campaign(int argc, char** argv) {
  po::options_description opts("fmm campaign options");
  std::string state_dir, formats = "all8", fields = "zt,gf2,sym", report, merge, job, backend, ternary_backend;
  std::vector<std::string> imports;
  double seconds = 60, stop_after = 0;
  int rounds = 1, threads = 1, walkers = 0, parallel = 1, focus = 0;
  std::uint64_t seed = 1;
  bool keep_going = false, report_only = false;
  opts.add_options()("state", po::value(&state_dir)->required(), "campaign state directory (created; resumed when present)")(
      "formats", po::value(&formats)->default_value("all8"),
      "all8 (the 84 formats 2 <= n <= m <= p <= 8), all6, small (up to 4), or a list 3x3x3,4x4x5")(
      "seconds", po::value(&seconds)->default_value(60), "seconds per format per round, split over the walks")(
      "rounds", po::value(&rounds)->default_value(1), "rounds to complete (counted in the state)")(
      "threads", po::value(&threads)->default_value(1), "threads in all")(
      "parallel", po::value(&parallel)->default_value(1), "formats walked at once (each walk on threads/parallel threads)")(
      "walkers", po::value(&walkers)->default_value(0), "walkers per walk (0 = 4 per thread)")(
      "seed", po::value(&seed)->default_value(1), "campaign seed (each walk's seed derives from it, the format and round)")(
      "fields", po::value(&fields)->default_value("zt,gf2,sym"), "walks per format: zt ({-1,0,1}), gf2 (with lifting), sym (square formats: the symmetric walk)")(
      "backend", po::value(&backend)->default_value("cpu"),
      ("where the plain GF(2) and {-1,0,1} walks run: cpu, gpu (fmm search --backend gpu; formats with nm, mp, "
       "np <= 64, over {-1,0,1} from a start of rank <= " +
       // the bank's room less what the campaign's plus slack of 4 needs (campaign.cpp, on_bank)
       std::to_string(search::bank::max_capacity(search::bank::Domain::Ternary) - search::bank::capacity_for(0, 4)) +
       "; the others on the CPU) or gpu-emulated; the symmetric walks stay on CPU threads")
          .c_str())(
      "ternary-backend", po::value(&ternary_backend)->default_value(""),
      "where the plain {-1,0,1} walks run, if not where --backend says: cpu, gpu or gpu-emulated (cpu keeps them "
      "on the cores while the GF(2) walks share the GPU)")(
      "keep-going", po::bool_switch(&keep_going), "walk formats that are at the best known rank too")(
      "focus", po::value(&focus)->default_value(0),
      "walk only the K smallest formats of each round not yet at the best known rank (0 = all)")(
      "stop-after", po::value(&stop_after)->default_value(0), "stop this session after so many seconds (0 = none)")(
      "merge", po::value(&merge)->default_value(""), "first take every better scheme of another state directory")(
      "import", po::value(&imports)->composing(),
      "first offer every native scheme file under this directory (recursive; published schemes as parts); repeatable")(
      "report", po::value(&report)->default_value(""), "write the frontier table (Markdown) here at the end")(
      "report-only", po::bool_switch(&report_only), "only merge and write the report; walk nothing")(
      "job", po::value(&job)->default_value(""),
      "J/K: take only every K-th format from the J-th (0-based, smallest first), for K campaigns side by side");
  po::positional_options_description pos;
  po::variables_map vm;
  if (!parse_options(argc, argv,
                     "fmm campaign --state DIR [--formats all8|LIST] [--seconds S] [--rounds R] [--threads T]\n"
                     "             [--fields zt,gf2,sym] [--stop-after S] [--merge DIR] [--report FILE] [--report-only]\n\n"
                     "Works through the formats, smallest first, for R rounds of S seconds each: every format starts\n"
                     "from the best that the campaign's schemes of other formats give (block sums, Kronecker\n"
                     "products, projections, extensions: fmm meta start) and is walked over {-1,0,1} and over\n"
                     "GF(2) with lifting; every improvement is verified and filed in DIR at once. Formats at the\n"
                     "best known integer rank are not walked again (unless --keep-going). A new best marks the\n"
                     "formats one larger and one smaller along each axis: they are walked next, from their\n"
                     "extension or projection. Interrupt any time (Ctrl-C); the same command resumes.",
                     opts, pos, vm))
    return 0;
  search::meta::CampaignConfig cfg;
  cfg.state_dir = state_dir;
  cfg.formats = search::meta::parse_format_list(formats);
  if (!job.empty()) {
    // Formats smallest first (as the campaign works through them), every K-th from the J-th.
    const auto slash = job.find('/');
    int j = -1, k = 0;
    try {
      if (slash != std::string::npos) j = std::stoi(job.substr(0, slash)), k = std::stoi(job.substr(slash + 1));
    } catch (const std::exception&) {
    }
    if (k < 1 || j < 0 || j >= k) throw Error("--job must be J/K with 0 <= J < K, not '" + job + "'");
    std::stable_sort(cfg.formats.begin(), cfg.formats.end(),
                     [](const Shape& a, const Shape& b) { return a.classical_rank() < b.classical_rank(); });
    std::vector<Shape> mine;
    for (std::size_t i = j; i < cfg.formats.size(); i += k) mine.push_back(cfg.formats[i]);
    if (mine.empty()) throw Error("--job " + job + " leaves no format");
    cfg.formats = mine;
  }
  if (!(seconds > 0)) throw Error("--seconds must be > 0");
  cfg.seconds_per_format = seconds;
  if (rounds < 1 || rounds > 1000000) throw Error("--rounds must be between 1 and 1000000");
  cfg.rounds = rounds;
  if (threads < 1 || threads > 1024) throw Error("--threads must be between 1 and 1024");
  cfg.threads = threads;
  if (parallel < 1 || parallel > 1024) throw Error("--parallel must be between 1 and 1024");
  cfg.parallel = parallel;
  if (walkers < 0) throw Error("--walkers must be >= 0");
  cfg.walkers = walkers;
  cfg.seed = seed;
  cfg.walk_ternary = fields.find("zt") != std::string::npos;
  cfg.walk_gf2 = fields.find("gf2") != std::string::npos;
  cfg.walk_symmetric = fields.find("sym") != std::string::npos;
  const auto check_backend = [](const std::string& option, const std::string& value) {
    if (value != "cpu" && value != "gpu" && value != "gpu-emulated")
      throw Error("--" + option + " must be cpu, gpu or gpu-emulated, not '" + value + "'");
  };
  check_backend("backend", backend);
  if (!ternary_backend.empty()) check_backend("ternary-backend", ternary_backend);
  cfg.gf2_backend = backend;
  cfg.ternary_backend = ternary_backend;
  if (!cfg.walk_ternary && !cfg.walk_gf2 && !cfg.walk_symmetric)
    throw Error("--fields must name zt, gf2 or sym, not '" + fields + "'");
  cfg.keep_going = keep_going;
  if (focus < 0) throw Error("--focus must be >= 0");
  cfg.focus = focus;
  if (stop_after < 0) throw Error("--stop-after must be >= 0");
  cfg.stop_after_s = stop_after;
  cfg.command_line = command_line(argc, argv);

  search::meta::CampaignState state(state_dir);
  if (!merge.empty()) {
    const int kept = state.merge(merge, "merged from " + merge);
    std::cout << "merged " << kept << " better scheme(s) from " << merge << '\n';
  }
  for (const std::string& dir : imports)
    std::cout << "imported " << state.import_directory(dir) << " better scheme(s) from " << dir << '\n';
  bool complete = true;
  if (!report_only) {
    search::ConsoleProgress console(isatty(STDERR_FILENO));
    complete = search::meta::run_campaign(cfg, state, console);
  }
  if (!report.empty()) {
    write_file_atomically(report, search::meta::frontier_report(
                                      state, "fmm campaign --state " + state_dir + " --report-only --report " + report));
    std::cout << "wrote " << report << '\n';
  }
  std::cout << (complete ? "campaign complete" : "campaign stopped; run the same command to resume") << '\n';
  return 0;
}

}  // namespace fmm::cli
