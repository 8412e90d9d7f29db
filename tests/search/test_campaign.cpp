// The campaign over formats (search/meta/campaign.hpp): its state is verified schemes plus two
// tables, a finished round is not walked again, another state merges in, a corrupted scheme
// file is refused, and the frontier report covers the 84 formats up to 8.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "search/meta/best_start.hpp"
#include "search/meta/campaign.hpp"
#include "search/meta/frontier_report.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/transform.hpp"

using namespace fmm;
using namespace fmm::search;
using namespace fmm::search::meta;
namespace fs = std::filesystem;

namespace {

fs::path workdir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("fmm_campaign_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(d);
  return d;
}

std::string text_of(const fs::path& path) {
  std::ifstream f(path);
  std::stringstream text;
  text << f.rdbuf();
  return text.str();
}

int lines_of(const fs::path& path) {
  std::ifstream f(path);
  int n = 0;
  for (std::string line; std::getline(f, line);) ++n;
  return n;
}

CampaignConfig small_config(const fs::path& dir) {
  CampaignConfig cfg;
  cfg.state_dir = dir.string();
  cfg.formats = parse_format_list("2x2x2,2x2x4,3x3x3,4x4x4");
  cfg.seconds_per_format = 0.2;
  cfg.walk_gf2 = false;
  cfg.threads = 2;
  cfg.parallel = 2;  // two formats at once, one thread each
  cfg.command_line = "test";
  return cfg;
}

// GF(2) walks only, one round of `seconds` per format.
CampaignConfig gf2_config(const fs::path& dir, const std::string& formats, double seconds) {
  CampaignConfig cfg = small_config(dir);
  cfg.formats = parse_format_list(formats);
  cfg.walk_ternary = cfg.walk_symmetric = false;
  cfg.walk_gf2 = true;
  cfg.seconds_per_format = seconds;
  cfg.rounds = 1;
  return cfg;
}

// {-1,0,1} walks only, one format at a time on one thread, `rounds` rounds.
CampaignConfig ternary_config(const fs::path& dir, const std::string& formats, int rounds) {
  CampaignConfig cfg = small_config(dir);
  cfg.formats = parse_format_list(formats);
  cfg.walk_gf2 = cfg.walk_symmetric = false;
  cfg.threads = cfg.parallel = 1;
  cfg.rounds = rounds;
  return cfg;
}

// A state in `dir` holding the standard scheme of `shape` and `record` for it.
void standard_state(const fs::path& dir, const Shape& shape, const FormatRecord& record) {
  CampaignState s(dir.string());
  CHECK(s.offer(standard_scheme(shape), "standard", 0, "here"));
  s.set_format(shape, record);
}

}  // namespace

TEST_CASE("format lists") {
  CHECK(parse_format_list("all8").size() == 84);
  CHECK(parse_format_list("all6").size() == 35);
  auto l = parse_format_list("4x3x3,3x3x4,2x2x2");
  REQUIRE(l.size() == 2);
  CHECK(l[0] == Shape{2, 2, 2});
  CHECK(l[1] == Shape{3, 3, 4});
  CHECK_THROWS_AS(parse_format_list(""), Error);
  CHECK_THROWS_AS(parse_format_list("2x2"), Error);
}

TEST_CASE("a campaign files verified schemes, and a finished round is not walked again") {
  const fs::path dir = workdir("run");
  SilentProgress quiet;
  {
    CampaignState state(dir.string());
    // Strassen given: 2x2x2 is at its best known rank and is not walked; 2x2x4 and 4x4x4 are
    // then built at theirs (two Strassens, Strassen squared); 3x3x3 is walked (whatever the walk
    // reaches in its fraction of a second, the files verify).
    CHECK(state.offer(strassen_scheme(), "strassen", 0, "test"));
    CHECK(run_campaign(small_config(dir), state, quiet));
    CHECK(state.ours({2, 2, 2}, RankRing::ZT)->first == 7);
    CHECK(state.ours({2, 2, 4}, RankRing::ZT)->first == 14);
    CHECK(state.ours({4, 4, 4}, RankRing::ZT)->first == 49);
    CHECK(state.ours({4, 4, 4}, RankRing::GF2)->first <= 49);
    REQUIRE(state.ours({3, 3, 3}, RankRing::ZT));
    CHECK(state.ours({3, 3, 3}, RankRing::ZT)->first <= 27);
    for (Shape f : {Shape{2, 2, 2}, Shape{2, 2, 4}, Shape{3, 3, 3}, Shape{4, 4, 4}}) CHECK(state.format(f).rounds_done == 1);
    CHECK(state.format({4, 4, 4}).spent_s == 0);  // built, never walked
    CHECK(state.format({2, 2, 2}).spent_s == 0);
    CHECK(state.format({3, 3, 3}).spent_s > 0);  // walked
  }
  const int log_lines = lines_of(dir / "log.txt");
  {
    CampaignState again(dir.string());  // reloads and re-verifies every file
    CHECK(again.ours({4, 4, 4}, RankRing::Z)->first == 49);
    CHECK(run_campaign(small_config(dir), again, quiet));
  }
  // Only the campaign's start and end lines: no format was walked again.
  CHECK(lines_of(dir / "log.txt") == log_lines + 2);
  const std::string report = frontier_report(CampaignState(dir.string()), "fmm campaign --report-only");
  CHECK(report.find("| 4x4x4 | 47 | 49 | 49 | 48 | 49 (+2) | 49 = | 49 = | 49 (+1) |") != std::string::npos);
  CHECK(report.find("of 84** formats") != std::string::npos);
  CHECK(report.find("| 8x8x8 |") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("merging another state takes its better schemes; a corrupted file is refused") {
  const fs::path a = workdir("a"), b = workdir("b");
  {
    CampaignState sa(a.string());
    CHECK(sa.offer(standard_scheme({3, 3, 3}), "standard", 0, "here"));
    CampaignState sb(b.string());
    CHECK(sb.offer(laderman_scheme(), "laderman", 5, "there"));
    CHECK(!sb.offer(standard_scheme({3, 3, 3}), "worse", 6, "there"));
    sb.log("a line of b's log");
    CHECK(sa.merge(b.string(), "test") == 1);
    CHECK(sa.ours({3, 3, 3}, RankRing::Z)->first == 23);
    CHECK(sa.ours({3, 3, 3}, RankRing::Z)->second.how == "laderman");
    sb.log("a later line of b's log");
    CHECK(sa.merge(b.string(), "test") == 0);  // b's log again: only the line that is new comes
  }
  const std::string log = text_of(a / "log.txt");
  const auto first = log.find("a line of b's log");
  CHECK(first != std::string::npos);  // b's log came along
  CHECK(log.find("a line of b's log", first + 1) == std::string::npos);
  CHECK(log.find("a later line of b's log") != std::string::npos);
  CHECK(log.find("merged 1 better scheme(s)") != std::string::npos);
  CHECK(!fs::exists(a / "schemes" / "3x3x3_r27_zt.txt"));  // the replaced file is gone
  CHECK(fs::exists(a / "schemes" / "3x3x3_r23_zt.txt"));
  // Corrupt one coefficient of the stored scheme: the state no longer loads.
  const fs::path file = a / "schemes" / "3x3x3_r23_zt.txt";
  std::string text = text_of(file);
  const auto bar = text.find('|', text.find('\n'));
  REQUIRE(bar != std::string::npos);
  text[bar - 2] = text[bar - 2] == '0' ? '1' : '0';
  std::ofstream(file, std::ios::trunc) << text;
  CHECK_THROWS(CampaignState(a.string()));
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST_CASE("imported schemes keep their provenance") {
  const fs::path state = workdir("import"), in = workdir("import_in");
  fs::create_directories(in);
  Scheme s = strassen_scheme();
  s.set_source("a construction of ours");
  write_scheme_file((in / "strassen.txt").string(), s, Format::Native);
  CampaignState st(state.string());
  CHECK(st.import_directory(in.string()) == 1);
  const auto ours = st.ours({2, 2, 2}, RankRing::Z);
  REQUIRE(ours);
  CHECK(ours->first == 7);
  CHECK(ours->second.how == "imported: strassen.txt (a construction of ours)");
  CHECK(st.import_directory(in.string()) == 0);  // nothing better the second time
  fs::remove_all(state);
  fs::remove_all(in);
}

TEST_CASE("--focus walks only the smallest formats not at their best known rank") {
  const fs::path dir = workdir("focus");
  SilentProgress quiet;
  CampaignConfig cfg = small_config(dir);
  cfg.formats = parse_format_list("3x3x3,3x3x4,3x4x4");
  cfg.focus = 1;
  CampaignState state(dir.string());
  CHECK(run_campaign(cfg, state, quiet));
  CHECK(state.format({3, 3, 3}).spent_s > 0);
  // A format is walked only while fewer than --focus unmet formats come before it, counted when
  // a worker picks it: once <3,3,3> reaches 23 (it may, within its 0.2 s, before a worker picks
  // <3,3,4>, e.g. on a loaded machine) <3,3,4> is the smallest unmet format and is walked.
  const auto met = [&](const Shape& f) { return state.at_best_known(f); };
  CHECK((state.format({3, 3, 4}).spent_s == 0 || met({3, 3, 3})));  // otherwise constructions only
  CHECK((state.format({3, 4, 4}).spent_s == 0 || (met({3, 3, 3}) && met({3, 3, 4}))));
  CHECK(state.format({3, 4, 4}).rounds_done == 1);
  REQUIRE(state.ours({3, 4, 4}, RankRing::ZT));  // built from the others
  fs::remove_all(dir);
}

TEST_CASE("a declined lift is kept in formats.tsv across sessions; states without the column load") {
  const fs::path dir = workdir("declined");
  standard_state(dir, {3, 3, 3}, FormatRecord{.rounds_done = 2, .spent_s = 7.5, .lift_declined_at = 27});
  {
    CampaignState s(dir.string());
    const FormatRecord r = s.format({3, 3, 3});
    CHECK(r.rounds_done == 2);
    CHECK(r.lift_declined_at == 27);
  }
  // A state written before the column existed: five fields, the decline reads as never.
  {
    std::ofstream old(dir / "formats.tsv");
    old << "# old\nn\tm\tp\trounds_done\tspent_s\n3\t3\t3\t4\t1.0\n";
  }
  {
    CampaignState s(dir.string());
    CHECK(s.format({3, 3, 3}).rounds_done == 4);
    CHECK(s.format({3, 3, 3}).lift_declined_at == 0);
  }
  fs::remove_all(dir);
}

TEST_CASE("a corrupted state table is refused with its file and line, not half read") {
  const fs::path dir = workdir("corrupt_tables");
  standard_state(dir, {2, 2, 2}, FormatRecord{.rounds_done = 3});
  const std::string formats = text_of(dir / "formats.tsv"), best = text_of(dir / "best.tsv");
  auto refused = [&](const std::string& file, const std::string& text, const std::string& says) {
    std::ofstream(dir / file) << text;
    std::string message;
    try {
      CampaignState s(dir.string());
    } catch (const ParseError& e) {
      message = e.what();
    }
    INFO(file, " -> ", message);
    CHECK(message.find(file) != std::string::npos);
    CHECK(message.find(says) != std::string::npos);
    std::ofstream(dir / "formats.tsv") << formats;
    std::ofstream(dir / "best.tsv") << best;
  };
  auto replaced = [](std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  // std::stoi read "3.5" rounds as 3 and "x" as an exception saying "stoi"; short rows vanished.
  refused("formats.tsv", replaced(formats, "\n2\t2\t2\t3\t", "\n2\t2\t2\t3.5\t"), "rounds: expected an integer");
  refused("formats.tsv", replaced(formats, "\n2\t2\t2\t3\t", "\n2\t2\t2\tx\t"), "rounds: expected an integer");
  refused("formats.tsv", formats + "2\t2\n", "expected at least 5 tab-separated fields");
  refused("formats.tsv", formats + "3\t2\t2\t1\t1.0\n", "expected n <= m <= p");
  refused("formats.tsv", formats + "2\t2\t17\t1\t1.0\n", "p: expected an integer in 1..16");
  refused("formats.tsv", formats + "2\t2\t3\t1\tnan\n", "seconds: expected seconds");
  refused("best.tsv", replaced(best, "_zt.txt\t8\t", "_zt.txt\t8x\t"), "rank: expected an integer");
  refused("best.tsv", best + "2x2x2_r8_zt.txt\t8\t0.0\n", "expected at least 6 tab-separated fields");
  refused("best.tsv", best + "../x.txt\t7\t0.0\thow\twhere\t.\n", "expected a file name in schemes/");
  // The tables as written load again.
  CampaignState s(dir.string());
  CHECK(s.format({2, 2, 2}).rounds_done == 3);
  fs::remove_all(dir);
}

TEST_CASE("a new best marks the formats one larger and one smaller fresh; they survive reload and merge") {
  const fs::path dir = workdir("fresh"), other = workdir("fresh_other");
  {
    CampaignState s(dir.string());
    CHECK(s.offer(strassen_scheme(), "strassen", 0, "here"));
    CHECK(s.format({2, 2, 3}).fresh == FormatRecord::kFreshExtension);  // one larger: extension start
    CHECK(s.format({2, 2, 2}).fresh == 0);                              // <1,2,2> is no campaign format
    CHECK(s.offer(standard_scheme({2, 3, 3}), "standard", 0, "here"));
    CHECK(s.format({2, 2, 3}).fresh == (FormatRecord::kFreshExtension | FormatRecord::kFreshProjection));
    CHECK(s.format({3, 3, 3}).fresh == FormatRecord::kFreshExtension);
    CHECK(s.format({2, 3, 4}).fresh == FormatRecord::kFreshExtension);
    CHECK(!s.offer(standard_scheme({2, 3, 3}), "again", 0, "here"));  // not kept: marks nothing new
  }
  {
    CampaignState s(dir.string());
    CHECK(s.format({2, 2, 3}).fresh == 3);
    CHECK(s.format({3, 3, 3}).fresh == 2);
    CampaignState o(other.string());
    CHECK(o.offer(standard_scheme({4, 4, 4}), "standard", 0, "there"));  // marks 3x4x4 (projection)
    CHECK(s.merge(other.string(), "test") == 1);
    CHECK(s.format({3, 4, 4}).fresh == FormatRecord::kFreshProjection);
    CHECK(s.format({2, 2, 3}).fresh == 3);
  }
  fs::remove_all(dir);
  fs::remove_all(other);
}

TEST_CASE("a merge keeps the fresh mark of the state that walked the format last, and marks what it did not see") {
  const fs::path dir = workdir("fresh_merge"), copy = workdir("fresh_merge_copy");
  {
    CampaignState s(dir.string());
    CHECK(s.offer(strassen_scheme(), "strassen", 0, "here"));  // marks 2x2x3 (extension)
  }
  fs::copy(dir, copy, fs::copy_options::recursive);
  {
    CampaignState c(copy.string());  // the copy walks 2x2x3: its mark is cleared there
    FormatRecord walked = c.format({2, 2, 3});
    walked.fresh = 0, walked.rounds_done = 1;
    c.set_format({2, 2, 3}, walked);
  }
  {
    CampaignState s(dir.string());
    CHECK(s.format({2, 2, 3}).fresh == FormatRecord::kFreshExtension);
    CHECK(s.merge(copy.string(), "test") == 0);
    CHECK(s.format({2, 2, 3}).fresh == 0);  // walked later elsewhere, with every best we hold
    CHECK(s.format({2, 2, 3}).rounds_done == 1);
    // A best of ours that the copy lacks: the copy's walks of its neighbours did not see it.
    CHECK(s.offer(standard_scheme({2, 2, 4}), "standard", 0, "here"));  // marks 2x2x3 (projection)
    FormatRecord mark_cleared = s.format({2, 2, 3});
    mark_cleared.fresh = 0;
    s.set_format({2, 2, 3}, mark_cleared);
    CHECK(s.merge(copy.string(), "test") == 0);
    CHECK(s.format({2, 2, 3}).fresh == FormatRecord::kFreshProjection);
  }
  fs::remove_all(dir);
  fs::remove_all(copy);
}

TEST_CASE("a fresh format is walked first, ahead of the others' rounds, and its mark is cleared") {
  const fs::path dir = workdir("fresh_first");
  SilentProgress quiet;
  CampaignConfig cfg = ternary_config(dir, "2x3x3,3x3x3", 6);
  CampaignState state(dir.string());
  CHECK(state.offer(standard_scheme({2, 3, 3}), "standard", 0, "here"));
  CHECK(state.offer(standard_scheme({3, 3, 3}), "standard", 0, "here"));
  // 2x3x3 five rounds ahead of 3x3x3: unmarked, it would wait until 3x3x3 had done three.
  FormatRecord ahead;
  ahead.rounds_done = 5;
  ahead.fresh = FormatRecord::kFreshExtension;
  state.set_format({2, 3, 3}, ahead);
  state.set_format({3, 3, 3}, FormatRecord{});
  CHECK(run_campaign(cfg, state, quiet));
  const std::string log = text_of(dir / "log.txt");
  const auto fresh_walk = log.find("2x3x3 {-1,0,1} walk (round 6, after a neighbour's new best, seed");
  REQUIRE(fresh_walk != std::string::npos);
  CHECK(fresh_walk < log.find("3x3x3 {-1,0,1} walk (round 1"));
  CHECK(log.find("2x3x3 {-1,0,1} walk", fresh_walk + 1) == std::string::npos);  // its one round left
  // Alone in the list, so that nothing marks it again: the walk clears the mark.
  cfg.formats = parse_format_list("2x3x3");
  cfg.rounds = 7;
  ahead.rounds_done = 6;
  state.set_format({2, 3, 3}, ahead);
  CHECK(run_campaign(cfg, state, quiet));
  CHECK(state.format({2, 3, 3}).fresh == 0);
  CHECK(state.format({2, 3, 3}).rounds_done == 7);
  fs::remove_all(dir);
}

TEST_CASE("the rounds that start from a projection take the larger formats' projections in turn") {
  const fs::path dir = workdir("projection_turns");
  SilentProgress quiet;
  CampaignConfig cfg = ternary_config(dir, "2x3x3", 5);  // rounds 2 and 5 start from a projection
  cfg.keep_going = true;  // walk on once 2x3x3 is at its best known rank
  CampaignState state(dir.string());
  CHECK(state.offer(standard_scheme({2, 3, 3}), "standard", 0, "here"));
  CHECK(state.offer(laderman_scheme(), "laderman", 0, "here"));
  CHECK(state.offer(standard_scheme({2, 3, 4}), "standard", 0, "here"));
  const std::vector<Start> turns = projection_starts({2, 3, 3}, RankRing::ZT, state.library());
  REQUIRE(turns.size() == 2);
  REQUIRE(turns[0].scheme.rank() < turns[1].scheme.rank());  // told apart by their start ranks below
  REQUIRE(turns[1].scheme.rank() <= turns[0].scheme.rank() + 4);
  CHECK(run_campaign(cfg, state, quiet));
  const std::string log = text_of(dir / "log.txt");
  auto start_of = [&](int round) {
    const std::string head = "2x3x3 {-1,0,1} walk (round " + std::to_string(round) + ", seed ";
    const auto at = log.find(head);
    REQUIRE(at != std::string::npos);
    const auto start = log.find(": start ", at);
    return std::stoi(log.substr(start + 8));
  };
  CHECK(start_of(2) == turns[0].scheme.rank());
  CHECK(start_of(5) == turns[1].scheme.rank());
  fs::remove_all(dir);
}

TEST_CASE("constructions are filed over Z too: integer schemes outside {-1,0,1} build integer ones") {
  const fs::path dir = workdir("zconstruct");
  // Strassen after a change of basis with a coefficient 2: a Z scheme, not a {-1,0,1} one.
  std::optional<Scheme> z_only;
  for (std::uint64_t seed = 1; seed < 200 && !z_only; ++seed) {
    Scheme s = change_basis(strassen_scheme(), random_basis({2, 2, 2}, seed));
    if (!holds_in(s, RankRing::ZT)) z_only = s;
  }
  REQUIRE(z_only);
  SilentProgress quiet;
  CampaignConfig cfg = small_config(dir);
  cfg.formats = parse_format_list("2x2x4");
  cfg.walk_ternary = cfg.walk_gf2 = cfg.walk_symmetric = false;  // constructions only
  cfg.rounds = 1;
  CampaignState state(dir.string());
  CHECK(state.offer(*z_only, "Strassen in another basis", 0, "here"));
  CHECK(run_campaign(cfg, state, quiet));
  REQUIRE(state.ours({2, 2, 4}, RankRing::Z));
  CHECK(state.ours({2, 2, 4}, RankRing::Z)->first == 14);   // two Z Strassens side by side
  CHECK(state.ours({2, 2, 4}, RankRing::ZT)->first == 16);  // the standard slices
  fs::remove_all(dir);
}

TEST_CASE("plateau lifting: a GF(2) rank below the integer one is walked from and lifted inline") {
  const fs::path dir = workdir("plateau");
  SilentProgress quiet;
  // One walker, so that its first schemes are handed in after 2^20 flips (a tenth of a second;
  // seconds under the sanitizers), well within the walk.
  CampaignConfig cfg = gf2_config(dir, "3x3x3", 4);
  cfg.threads = cfg.parallel = cfg.walkers = 1;
  CampaignState state(dir.string());
  // Laderman modulo 2 only: GF(2) 23 held, the integer best is the standard algorithm's 27. The
  // start itself is not lifted (a campaign's walk lifted it when it found it); the schemes of
  // rank 23 its walkers hand in are.
  CHECK(state.offer(reduce_mod2(laderman_scheme()), "Laderman mod 2", 0, "here"));
  CHECK(state.ours({3, 3, 3}, RankRing::GF2)->first == 23);
  CHECK(run_campaign(cfg, state, quiet));
  REQUIRE(state.ours({3, 3, 3}, RankRing::Z));
  CHECK(state.ours({3, 3, 3}, RankRing::Z)->first <= 23);
  CHECK(state.ours({3, 3, 3}, RankRing::Z)->second.how.rfind("GF(2) plateau walk + lift (round 1", 0) == 0);
  fs::remove_all(dir);
}

TEST_CASE("plateau walks that lift nothing at a GF(2) rank are counted; after two the GF(2) walk starts elsewhere") {
  const fs::path dir = workdir("plateau_out");
  SilentProgress quiet;
  {
    CampaignState state(dir.string());
    CHECK(state.offer(reduce_mod2(laderman_scheme()), "Laderman mod 2", 0, "here"));
    FormatRecord tried;
    tried.plateau_rank = 23;
    tried.plateau_failures = FormatRecord::kPlateauTries;
    state.set_format({3, 3, 3}, tried);
    CampaignConfig cfg = gf2_config(dir, "3x3x3", 0.2);
    cfg.threads = cfg.parallel = cfg.walkers = 1;
    CHECK(run_campaign(cfg, state, quiet));
  }
  const std::string log = text_of(dir / "log.txt");
  CHECK(log.find("3x3x3 GF(2) walk + lift (round 1") != std::string::npos);
  CHECK(log.find("plateau walk") == std::string::npos);
  const FormatRecord kept = CampaignState(dir.string()).format({3, 3, 3});  // the columns reload
  CHECK(kept.plateau_rank == 23);
  CHECK(kept.plateau_failures == FormatRecord::kPlateauTries);
  fs::remove_all(dir);
  // A plateau round too short to hand in a scheme (its walker does so after 2^20 flips) lifts
  // nothing: one failure at rank 23.
  {
    CampaignState state(dir.string());
    CHECK(state.offer(reduce_mod2(laderman_scheme()), "Laderman mod 2", 0, "here"));
    CampaignConfig cfg = gf2_config(dir, "3x3x3", 0.01);
    cfg.threads = cfg.parallel = cfg.walkers = 1;
    CHECK(run_campaign(cfg, state, quiet));
    const auto z = state.ours({3, 3, 3}, RankRing::Z);
    if (!z || z->first > 23) {
      CHECK(state.format({3, 3, 3}).plateau_rank == 23);
      CHECK(state.format({3, 3, 3}).plateau_failures == 1);
    }
  }
  fs::remove_all(dir);
}

TEST_CASE("GF(2) walks on the GPU backend (emulated): a campaign files what they find, with the backend named") {
  const fs::path dir = workdir("backend");
  SilentProgress quiet;
  CampaignConfig cfg = gf2_config(dir, "2x2x3,3x3x3", 3);
  cfg.gf2_backend = "gpu-emulated";
  cfg.threads = 2;
  cfg.parallel = 1;
  cfg.walkers = 16;
  CampaignState state(dir.string());
  CHECK(run_campaign(cfg, state, quiet));
  REQUIRE(state.ours({2, 2, 3}, RankRing::GF2));
  CHECK(state.ours({2, 2, 3}, RankRing::GF2)->first == 11);
  const auto ours = state.ours({3, 3, 3}, RankRing::GF2);  // held by value: ours() returns a copy
  REQUIRE(ours);
  CHECK(ours->first <= 24);
  if (ours->second.how.rfind("construction", 0) != 0)
    CHECK_MESSAGE(ours->second.how.find("on gpu-emulated") != std::string::npos, ours->second.how);
  fs::remove_all(dir);
}

TEST_CASE("{-1,0,1} walks on the GPU backend (emulated): a campaign files integer schemes, with the backend named") {
  const fs::path dir = workdir("backend-zt");
  SilentProgress quiet;
  CampaignConfig cfg = gf2_config(dir, "2x2x3,3x3x3", 3);
  cfg.walk_gf2 = false;
  cfg.walk_ternary = true;
  cfg.gf2_backend = "gpu-emulated";
  cfg.threads = 2;
  cfg.parallel = 1;
  cfg.walkers = 16;
  CampaignState state(dir.string());
  CHECK(run_campaign(cfg, state, quiet));
  for (const Shape f : {Shape{2, 2, 3}, Shape{3, 3, 3}}) {
    const auto ours = state.ours(f, RankRing::ZT);  // held by value: ours() returns a copy
    REQUIRE(ours);
    CHECK(ours->first <= (f == Shape{2, 2, 3} ? 11 : 25));
    if (ours->second.how.rfind("construction", 0) != 0)
      CHECK_MESSAGE(ours->second.how.find("{-1,0,1} walk on gpu-emulated") != std::string::npos, ours->second.how);
  }
  fs::remove_all(dir);
}

TEST_CASE("with both walks on the GPU backend the GF(2) walk gets three quarters of a format's seconds; otherwise half") {
  struct Case {
    std::string gf2, ternary;  // CampaignConfig's gf2_backend and ternary_backend
    std::string gf2_s, ternary_s;
  };
  for (const Case& c : {Case{"gpu-emulated", "", "3 s)", "1 s)"}, Case{"cpu", "", "2 s)", "2 s)"},
                        Case{"gpu-emulated", "cpu", "2 s)", "2 s)"}}) {
    const fs::path dir = workdir("shares-" + c.gf2 + "-" + c.ternary);
    SilentProgress quiet;
    CampaignConfig cfg = gf2_config(dir, "3x3x4", 4);
    cfg.walk_ternary = true;
    cfg.keep_going = true;  // both walks, even if the first one reaches the best known rank
    cfg.gf2_backend = c.gf2;
    cfg.ternary_backend = c.ternary;
    cfg.threads = 1;
    cfg.parallel = 1;
    cfg.walkers = 8;
    CampaignState state(dir.string());
    CHECK(run_campaign(cfg, state, quiet));
    const std::string log = text_of(dir / "log.txt");
    const std::string ternary_on = c.ternary.empty() ? c.gf2 : c.ternary;
    const auto gf2 = log.find("3x3x4 GF(2) walk + lift" + (c.gf2 == "cpu" ? "" : " on " + c.gf2) + " (round 1");
    const auto ternary = log.find("3x3x4 {-1,0,1} walk" + (ternary_on == "cpu" ? "" : " on " + ternary_on) + " (round 1");
    REQUIRE_MESSAGE(gf2 != std::string::npos, log);
    REQUIRE_MESSAGE(ternary != std::string::npos, log);
    CHECK(log.substr(gf2, log.find('\n', gf2) - gf2).find(c.gf2_s) != std::string::npos);
    CHECK(log.substr(ternary, log.find('\n', ternary) - ternary).find(c.ternary_s) != std::string::npos);
    fs::remove_all(dir);
  }
}

TEST_CASE("outer schemes in the state's outer/ folder serve the constructions' bud products") {
  // A <1,1,2> whose two products share u, as the only outer scheme: <2,2,2> = it x <2,2,1>, the
  // pair through <2,2,2> itself, is not cheaper than Strassen; but the library must offer it.
  const fs::path dir = workdir("outer");
  fs::create_directories(dir / "outer");
  write_scheme_file((dir / "outer" / "1x1x2_r2.txt").string(), standard_scheme({1, 1, 2}), Format::Native);
  CampaignState state(dir.string());
  const Library lib = state.library();
  REQUIRE(lib.outers({2, 1, 1}, RankRing::ZT).size() == 1);
  CHECK(lib.outers({2, 1, 1}, RankRing::ZT)[0]->origin == "outer/1x1x2_r2.txt");
  CHECK(lib.best({1, 1, 2}, RankRing::ZT) == nullptr);  // not a best: outer schemes stay apart
  // A corrupted outer scheme (the standard <1,1,2> with a coefficient 2) is refused when the state loads.
  std::ofstream(dir / "outer" / "bad.txt") << "# 1 1 2 rank 2 field Z\n1 | 1 0 | 1 0\n1 | 0 1 | 0 2\n";
  CHECK_THROWS_AS(CampaignState(dir.string()), VerificationError);
  fs::remove_all(dir);
}
