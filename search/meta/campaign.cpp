#include "search/run/progress.hpp"
#include "search/meta/campaign.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <ctime>
#include <functional>
#include <filesystem>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include "search/flip/bank_walk.hpp"
#include "search/flip/flip_search.hpp"
#include "search/flip/flip_terms.hpp"
#include "search/flip/flip_walk.hpp"
#include "search/lift/lift.hpp"
#include "search/run/known_ranks.hpp"
#include "search/run/thread_pool.hpp"
#include "search/symmetric/symmetric_search.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/io/safe_write.hpp"

namespace fs = std::filesystem;

namespace fmm::search::meta {
namespace {

using Clock = std::chrono::steady_clock;

Shape sorted(const Shape& s) {
  std::array<int, 3> d{s.n, s.m, s.p};
  std::sort(d.begin(), d.end());
  return {d[0], d[1], d[2]};
}

std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return text;
}


std::string timestamp() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", std::localtime(&t));
  return buf;
}

std::vector<std::vector<std::string>> read_tsv(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> fields;
    std::stringstream s(line);
    for (std::string f; std::getline(s, f, '\t');) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

std::string file_name(const Scheme& s, RankRing ring) {
  return s.shape().str() + "_r" + std::to_string(s.rank()) + "_" + tag(ring) + ".txt";
}

// The rings whose files a format can have, and the order `ours` looks at them.
constexpr RankRing kRings[] = {RankRing::ZT, RankRing::Z, RankRing::Q, RankRing::GF2};
// The GF(2) walk's share of a format's seconds when it runs on the GPU bank (FormatRound::run).
constexpr double kGf2ShareOnBank = 0.75;

// Passes a walk's new bests to the campaign state and its lines to the console.
class CampaignProgress : public Progress {
 public:
  CampaignProgress(CampaignState& state, Progress& console, std::string how, double offset_s, std::string where)
      : state_(state), console_(console), how_(std::move(how)), offset_s_(offset_s), where_(std::move(where)) {}
  void improved(const Scheme& s, const std::string& found_by, double elapsed_s) override {
    if (found_by == "start") return;
    if (state_.offer(s, how_ + ", " + found_by + " at " + fixed_digits(elapsed_s, 1) + " s", offset_s_ + elapsed_s, where_))
      console_.improved(s, "campaign: " + how_ + ", " + found_by, offset_s_ + elapsed_s);
  }
  void log(const std::string& line) override {
    if (line.rfind("lift of", 0) != 0) return;
    // The lift declines schemes too large for its solver: the GF(2) walk then gives no integer
    // scheme, and the campaign spends that format's time on the {-1,0,1} walk instead.
    if (line.find("not attempted") != std::string::npos) {
      lift_unavailable = true;
      return;
    }
    // Lifting reports are many and long; the campaign log keeps the successes.
    if (line.find("no lift") != std::string::npos && line.find("lifts:") == std::string::npos) return;
    state_.log("  " + line.substr(0, 300));
  }
  bool lift_unavailable = false;

 private:
  CampaignState& state_;
  Progress& console_;
  std::string how_;
  double offset_s_;
  std::string where_;
};

std::string machine() {
  return std::to_string(std::max(1u, std::thread::hardware_concurrency())) + " cores";
}

}  // namespace

// ---- state ----

CampaignState::CampaignState(std::string dir) : dir_(std::move(dir)) {
  const fs::path schemes = fs::path(dir_) / "schemes";
  for (const auto& row : read_tsv(fs::path(dir_) / "best.tsv")) {
    if (row.size() < 6) continue;
    BestRecord r;
    r.file = row[0];
    r.rank = std::stoi(row[1]);
    r.reached_s = std::stod(row[2]);
    r.how = row[3];
    r.where = row[4];
    records_[r.file] = r;
  }
  if (fs::is_directory(schemes)) {
    std::vector<fs::path> files;
    for (const auto& f : fs::directory_iterator(schemes))
      if (f.is_regular_file() && f.path().extension() == ".txt") files.push_back(f.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      Scheme s = read_one_scheme(f.string());  // verified
      const std::string name = f.filename().string();
      auto it = records_.find(name);
      if (it == records_.end()) records_[name] = BestRecord{name, s.rank(), 0, "(no record)", ""};
      else if (it->second.rank != s.rank())
        throw Error("campaign state: " + name + " holds rank " + std::to_string(s.rank()) + ", best.tsv says " +
                    std::to_string(it->second.rank));
      library_.add(s, name);
    }
  }
  // Records whose file is gone (replaced by a better one) are dropped.
  std::erase_if(records_, [&](const auto& kv) { return !fs::exists(schemes / kv.first); });
  for (const auto& row : read_tsv(fs::path(dir_) / "formats.tsv")) {
    if (row.size() < 5) continue;
    FormatRecord& f = formats_[{std::stoi(row[0]), std::stoi(row[1]), std::stoi(row[2])}];
    f.rounds_done = std::stoi(row[3]);
    f.spent_s = std::stod(row[4]);
    if (row.size() >= 6) f.lift_declined_at = std::stoi(row[5]);  // states before these columns lack them
    if (row.size() >= 7) f.fresh = std::stoi(row[6]);
    if (row.size() >= 9) f.plateau_rank = std::stoi(row[7]), f.plateau_failures = std::stoi(row[8]);
  }
}

FormatRecord CampaignState::format(const Shape& shape) const {
  const Shape s = sorted(shape);
  std::lock_guard lock(mutex_);
  auto it = formats_.find({s.n, s.m, s.p});
  return it == formats_.end() ? FormatRecord{} : it->second;
}

void CampaignState::set_format(const Shape& shape, const FormatRecord& record) {
  const Shape s = sorted(shape);
  std::lock_guard lock(mutex_);
  formats_[{s.n, s.m, s.p}] = record;
  save_locked();
}

Library CampaignState::library() const {
  std::lock_guard lock(mutex_);
  return library_;
}

std::uint64_t CampaignState::version() const {
  std::lock_guard lock(mutex_);
  return version_;
}

bool CampaignState::offer(const Scheme& scheme_in, const std::string& how, double reached_s, const std::string& where) {
  Scheme scheme = permute_to(scheme_in, sorted(scheme_in.shape()));
  const RankRing ring = ring_of(scheme);
  std::lock_guard lock(mutex_);
  // Kept only when it beats every scheme we hold that serves its ring (a {-1,0,1} scheme serves
  // Z, Q and GF(2) too): one file per ring, and only where it says something new.
  if (const Library::Entry* usable = library_.best(scheme.shape(), ring); usable && usable->scheme.rank() <= scheme.rank())
    return false;
  const Library::Entry* before = library_.at(scheme.shape(), ring);
  const std::string previous = before ? before->origin : std::string();  // the entry is replaced below
  const std::string name = file_name(scheme, ring);
  if (!library_.add(scheme, name)) return false;  // verifies
  const fs::path schemes = fs::path(dir_) / "schemes";
  fs::create_directories(schemes);
  Scheme out = library_.at(scheme.shape(), ring)->scheme;
  out.set_source("fmm campaign: " + one_line(how));
  write_scheme_file((schemes / name).string(), out, Format::Native);  // verifies, then writes atomically
  if (!previous.empty() && previous != name) {
    fs::remove(schemes / previous);
    records_.erase(previous);
  }
  records_[name] = BestRecord{name, scheme.rank(), reached_s, one_line(how), one_line(where)};
  ++version_;
  mark_neighbours_fresh(scheme.shape());
  save_locked();
  const auto versus = versus_best_known(scheme.shape(), ring == RankRing::GF2 ? RankRing::GF2 : RankRing::Z,
                                        scheme.rank());
  log_locked("new " + scheme.shape().str() + " rank " + std::to_string(scheme.rank()) + " over " + to_string(ring) +
      (versus.empty() ? "" : " (" + versus + ")") + " at " + fixed_digits(reached_s, 1) + " s: " + one_line(how));
  return true;
}

void CampaignState::mark_neighbours_fresh(const Shape& shape) {
  const std::array<int, 3> d{shape.n, shape.m, shape.p};
  for (int axis = 0; axis < 3; ++axis)
    for (int step : {-1, 1}) {
      std::array<int, 3> e = d;
      e[axis] += step;
      if (e[axis] < 2 || e[axis] > kMaxDim) continue;  // <1,m,p> is no campaign format
      const Shape g = sorted({e[0], e[1], e[2]});
      formats_[{g.n, g.m, g.p}].fresh |= step > 0 ? FormatRecord::kFreshExtension : FormatRecord::kFreshProjection;
    }
}

int CampaignState::merge(const std::string& other_dir, const std::string& where) {
  auto slurp = [](const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  const std::string mine = slurp(fs::path(dir_) / "log.txt");  // before the offers below log
  CampaignState other(other_dir);
  {
    std::lock_guard lock(mutex_);
    for (const auto& [key, f] : other.formats_) {
      FormatRecord& record = formats_[key];
      // The fresh mark of the state that walked the format last (more rounds): its walks there
      // saw every best of its own state, and the bests they did not see are marked again below.
      // OR-ing the marks instead kept a format fresh after the other state had walked it; after
      // a few merges most formats were fresh and "fresh first" no longer ordered anything.
      if (f.rounds_done > record.rounds_done) record.fresh = f.fresh;
      else if (f.rounds_done == record.rounds_done) record.fresh |= f.fresh;
      record.rounds_done = std::max(record.rounds_done, f.rounds_done);
      record.spent_s = std::max(record.spent_s, f.spent_s);
      record.lift_declined_at = std::max(record.lift_declined_at, f.lift_declined_at);
      if (f.plateau_rank == record.plateau_rank) record.plateau_failures = std::max(record.plateau_failures, f.plateau_failures);
      else if (record.plateau_rank == 0) record.plateau_rank = f.plateau_rank, record.plateau_failures = f.plateau_failures;
    }
    // Our bests that the other state lacks: its walks of their neighbours did not start from them.
    for (const Shape& shape : library_.formats())
      for (RankRing ring : {RankRing::GF2, RankRing::ZT, RankRing::Z, RankRing::Q}) {
        const Library::Entry* ours = library_.at(shape, ring);
        const Library::Entry* theirs = other.library_.best(shape, ring);
        if (ours && (!theirs || theirs->scheme.rank() > ours->scheme.rank())) mark_neighbours_fresh(shape);
      }
    save_locked();
  }
  // The other state's better schemes; each marks its neighbours as a new best does.
  int kept = 0;
  for (const auto& [name, r] : other.records_) {
    const Scheme s = read_one_scheme((fs::path(other_dir) / "schemes" / name).string());
    kept += offer(s, r.how, r.reached_s, r.where.empty() ? where : r.where) ? 1 : 0;
  }
  std::lock_guard lock(mutex_);
  // The other state's log, for the provenance of what was merged: its lines that ours lacks, in
  // its order. (Lines carry timestamps, so a line in both is one event. Taking what follows the
  // longest common prefix instead repeated history whenever the other state was copied from an
  // older one: the 2026-12-05 replay of results/search/runs_456/.)
  auto for_each_line = [](std::string_view text, auto&& take) {
    for (std::size_t at = 0; at < text.size();) {
      const std::size_t end = std::min(text.find('\n', at), text.size());
      take(text.substr(at, end - at));
      at = end + 1;
    }
  };
  std::set<std::string_view> ours_lines;
  for_each_line(mine, [&](std::string_view line) { ours_lines.insert(line); });
  const std::string theirs = slurp(fs::path(other_dir) / "log.txt");
  std::string added;
  for_each_line(theirs, [&](std::string_view line) {
    if (!line.empty() && ours_lines.insert(line).second) added.append(line).append("\n");
  });
  append_to_file((fs::path(dir_) / "log.txt").string(), added);
  log_locked("merged " + std::to_string(kept) + " better scheme(s) from " + other_dir + " (" + where + ")");
  return kept;
}

int CampaignState::import_directory(const std::string& dir) {
  std::vector<fs::path> files;
  for (const auto& f : fs::recursive_directory_iterator(dir))
    if (f.is_regular_file() && f.path().extension() == ".txt") files.push_back(f.path());
  std::sort(files.begin(), files.end());
  int kept = 0;
  for (const auto& f : files) {
    std::optional<Scheme> s;
    try {
      s = read_one_scheme(f.string());  // verified; a file that is no scheme is skipped
    } catch (const std::exception&) {
      continue;
    }
    // The file's own provenance goes with it (e.g. the construction that built it).
    const std::string source = s->source().empty() ? "" : " (" + s->source() + ")";
    kept += offer(*s, "imported: " + fs::relative(f, dir).string() + source, 0, "imported") ? 1 : 0;
  }
  return kept;
}

std::optional<std::pair<int, BestRecord>> CampaignState::ours(const Shape& shape, RankRing ring) const {
  std::lock_guard lock(mutex_);
  const Library::Entry* e = library_.best(shape, ring);
  if (!e) return std::nullopt;
  auto it = records_.find(e->origin);
  return std::make_pair(e->scheme.rank(), it == records_.end() ? BestRecord{e->origin, e->scheme.rank(), 0, "", ""}
                                                                : it->second);
}

std::vector<Shape> CampaignState::formats_held() const {
  std::lock_guard lock(mutex_);
  return library_.formats();
}

void CampaignState::save() const {
  std::lock_guard lock(mutex_);
  save_locked();
}

void CampaignState::save_locked() const {
  fs::create_directories(dir_);
  std::ostringstream best;
  best << "# The campaign's best scheme files (schemes/): rank, seconds of campaign work on the format when\n"
          "# first held, how it was found, where. Written by fmm campaign.\n"
          "file\trank\treached_s\thow\twhere\tend\n";
  for (const auto& [name, r] : records_)
    best << r.file << '\t' << r.rank << '\t' << fixed_digits(r.reached_s, 1) << '\t' << r.how << '\t' << r.where << "\t.\n";
  write_file_atomically((fs::path(dir_) / "best.tsv").string(), best.str());
  std::ostringstream formats;
  formats << "# Per format: campaign rounds done, seconds of work so far, the rank of the GF(2) scheme whose\n"
             "# integer lift was declined as too large (0: never), whether a neighbour format got a new best\n"
             "# since the last walk (1: one larger, 2: one smaller, 3: both), and the plateau walks at a GF(2)\n"
             "# rank that lifted nothing (that rank and their count). Written by fmm campaign.\n"
             "n\tm\tp\trounds_done\tspent_s\tlift_declined_at\tfresh\tplateau_rank\tplateau_failures\n";
  for (const auto& [key, f] : formats_)
    formats << std::get<0>(key) << '\t' << std::get<1>(key) << '\t' << std::get<2>(key) << '\t' << f.rounds_done << '\t'
            << fixed_digits(f.spent_s, 1) << '\t' << f.lift_declined_at << '\t' << f.fresh << '\t' << f.plateau_rank
            << '\t' << f.plateau_failures << '\n';
  write_file_atomically((fs::path(dir_) / "formats.tsv").string(), formats.str());
}

void CampaignState::log(const std::string& line) const {
  std::lock_guard lock(mutex_);
  log_locked(line);
}

void CampaignState::log_locked(const std::string& line) const {
  fs::create_directories(dir_);
  append_to_file((fs::path(dir_) / "log.txt").string(), '[' + timestamp() + "] " + line + '\n');
}

// ---- the campaign ----

namespace {

// Serialises a console shared by the campaign's workers.
class LockedProgress : public Progress {
 public:
  explicit LockedProgress(Progress& inner) : inner_(inner) {}
  void update(const ProgressStats& s) override {
    std::lock_guard lock(mutex_);
    inner_.update(s);
  }
  void improved(const Scheme& s, const std::string& found_by, double elapsed_s) override {
    std::lock_guard lock(mutex_);
    inner_.improved(s, found_by, elapsed_s);
  }
  void log(const std::string& line) override {
    std::lock_guard lock(mutex_);
    inner_.log(line);
  }

 private:
  Progress& inner_;
  std::mutex mutex_;
};

// One format's work in one round: file the best constructions, then walk.
class FormatRound {
 public:
  FormatRound(const CampaignConfig& cfg, CampaignState& state, Progress& console, std::string where,
              std::function<double()> left)
      : cfg_(cfg), state_(state), console_(console), where_(std::move(where)), left_(std::move(left)) {}

  // Returns the number of walks made.
  int run(const Shape& f, int round, bool walk_allowed = true) {
    FormatRecord rec = state_.format(f);
    cache_.clear();
    // A decline (of this session or an earlier one) stands while no smaller GF(2) scheme (a
    // cheaper lift) is held.
    bool lift_declined = false;
    if (rec.lift_declined_at > 0) {
      const auto gf2 = state_.ours(f, RankRing::GF2);
      lift_declined = !gf2 || gf2->first >= rec.lift_declined_at;
    }
    // The best constructions from the other formats' schemes, filed when they beat ours. Over Z
    // too: integer schemes outside {-1,0,1} (3x4x4:38 over Z, 39 over {-1,0,1}) build integer
    // ones that no {-1,0,1} construction reaches (Strassen x 3x4x4:38 = 6x8x8:266, best known).
    for (RankRing ring : {RankRing::ZT, RankRing::Z, RankRing::GF2}) {
      Start st = *start(f, ring, 0);
      state_.offer(st.scheme, "construction: " + st.recipe, rec.spent_s, where_);
    }
    int walked = 0;
    if (!walk_allowed) return 0;
    // A neighbour's new best since our last walk (FormatRecord::fresh): this round's walks start
    // from the extension (a smaller neighbour improved) or the projection (a larger one did).
    const int fresh = rec.fresh;
    if (fresh) {
      FormatRecord now = state_.format(f);
      now.fresh = 0;  // a neighbour that improves during the walks below marks us again
      state_.set_format(f, now);
    }
    const int fresh_kind = fresh & FormatRecord::kFreshExtension ? 2 : fresh ? 1 : 0;
    // The walks of this round and their shares of the format's seconds. Square formats also get
    // the symmetric walk (Moosbauer-Poole 2025: <5,5,5> 93 and <6,6,6> 153 came from it), for
    // the format's seconds on top of the others (it needs minutes: it restarts every round from
    // its own symmetric start); it lifts its orbits itself.
    //
    // Plateau lifting (results/search/lift_large/README.md): while our GF(2) rank is below our
    // integer rank, the GF(2) walk starts every round from our GF(2) best, for the format's whole
    // seconds, with the lift inline: the walkers that sit at that rank hand in the schemes they are
    // at and each distinct one is lifted. Some GF(2) schemes of a rank lift where others do not
    // (Kauers-Moosbauer 2023); walks of minutes from the best lifted 2x4x8 51 and 3x3x8 56 over Z
    // (51 s, 244 s) and 5x6x6 137, 7x7x7 254 over {-1,0,1}, which the campaign, lifting its one
    // best scheme after slices that start from projections and extensions in turn, had not.
    struct Walk {
      RankRing ring;
      bool symmetric;
      double share;
      bool plateau = false;
    };
    std::vector<Walk> walks;
    const bool square = f.n == f.m && f.m == f.p && f.n >= 3 && f.n <= 8 && cfg_.walk_symmetric;
    const auto held_gf2 = state_.ours(f, RankRing::GF2), held_int = state_.ours(f, RankRing::Z);
    const bool plateau_tried_out =
        held_gf2 && rec.plateau_rank == held_gf2->first && rec.plateau_failures >= FormatRecord::kPlateauTries;
    const bool plateau = !fresh && !plateau_tried_out && cfg_.walk_gf2 && !lift_declined && held_gf2 &&
                         (!held_int || held_gf2->first < held_int->first);
    if (square) walks.push_back({RankRing::GF2, true, 1.0});
    if (cfg_.walk_ternary) walks.push_back({RankRing::ZT, false, 0});
    if (cfg_.walk_gf2 && (!cfg_.walk_ternary || !lift_declined)) walks.push_back({RankRing::GF2, false, 0, plateau});
    const std::size_t plain = walks.size() - (square ? 1 : 0);
    // On the GPU the GF(2) bank walks 50-100 times the flips of a CPU core, the {-1,0,1} bank
    // 3-19 times (results/search/gpu_walk/README.md), and in the device campaigns of 2026-12-04/05
    // 4 of 48 GF(2) walks on the GPU set a new best against 1 of 88 {-1,0,1} walks there: with
    // both walks of a round, the GF(2) one gets three quarters of the format's seconds.
    // (Two plain walks are the {-1,0,1} one and the GF(2) one; a plateau round keeps its shares.)
    const bool split = plain == 2 && !plateau && on_bank(f);
    for (Walk& w : walks)
      if (!w.symmetric)
        w.share = w.plateau ? 1.0
                  : split   ? (w.ring == RankRing::GF2 ? kGf2ShareOnBank : 1.0 - kGf2ShareOnBank)
                            : 1.0 / static_cast<double>(plain);
    for (const Walk& walk : walks) {
      const RankRing ring = walk.ring;
      if ((met(f) && !cfg_.keep_going) || stop_flag().load()) break;
      const double asked = cfg_.seconds_per_format * walk.share, seconds = std::min(asked, left_());
      if (seconds < std::min(1.0, asked)) break;  // the session ends; this format's round is done on resume
      // The start cycles, round by round, through our best scheme, the best projection of a
      // larger scheme and the best extension of a smaller one: walks from projections and
      // extensions go below their start, walks from block sums of reduced schemes do not
      // (results/search/meta_starts.md). Our best when it is such a construction (no walk has
      // gone below it) gives way to the other two; a start more than 8 above the best falls back.
      Start st = *start(f, ring, 0);
      const auto ours = state_.ours(f, ring);
      int kind = 0;  // 0 our best, 1 projection, 2 extension; a plateau walk always starts from our best
      if (!walk.plateau) {
        kind = (round - 1) % 3;
        if (kind == 0 && ours && ours->second.how.rfind("construction", 0) == 0) kind = 1 + round % 2;
        if (fresh_kind) kind = fresh_kind;
      }
      std::optional<Start> alternative;
      if (kind == 1) alternative = start(f, ring, 1);
      if (kind == 2 || (kind == 1 && !alternative)) alternative = start(f, ring, 2);
      if (alternative && alternative->scheme.rank() <= st.scheme.rank() + 8) st = std::move(*alternative);
      std::uint64_t mix = cfg_.seed ^ (0x9E3779B97F4A7C15ULL * (f.n * 289 + f.m * 17 + f.p)) ^
                          (0xD1B54A32D192ED03ULL * (round * 8 + static_cast<int>(ring) + (walk.symmetric ? 4 : 0)));
      const std::uint64_t seed = splitmix64(mix) >> 16;
      const int threads = std::max(1, cfg_.threads / std::max(1, cfg_.parallel));
      SearchConfig sc;
      sc.shape = f;
      sc.field = ring == RankRing::GF2 ? Field::GF2 : Field::Z;
      sc.threads = threads;
      sc.walkers = cfg_.walkers > 0 ? cfg_.walkers : 4 * threads;
      sc.time_limit_s = seconds;
      sc.seed = seed;
      sc.start = st.scheme;
      // Small formats lift cheaply: the search itself then lifts every distinct GF(2) scheme of
      // the best rank that its walkers sit on (some do not lift, others of the same rank do,
      // Kauers-Moosbauer 2023). Larger ones are lifted below, within the campaign's time budget.
      const bool inline_lift =
          ring == RankRing::GF2 && !walk.symmetric && (walk.plateau || cheap_lift(f, st.scheme.rank()));
      sc.lift = inline_lift;
      sc.plus_slack = 4;
      sc.plus_from_start = true;  // the start is usually reduced already
      const auto target = best_known_rank(f, ring == RankRing::GF2 ? RankRing::GF2 : RankRing::ZT);
      // Over GF(2), once we hold the best known GF(2) rank the walk goes on without a target:
      // it is there for more schemes of that rank to lift.
      const auto ours_gf2 = state_.ours(f, RankRing::GF2);
      if (target && !(ring == RankRing::GF2 && ours_gf2 && ours_gf2->first <= *target)) sc.target_rank = *target;
      sc.command_line = cfg_.command_line;
      // The GPU's walkers (a bank, one warp each) for the plain GF(2) and {-1,0,1} walks that fit
      // one word, and over {-1,0,1} the terms its kernel holds (bank::max_capacity: a start of
      // rank up to 378 with this plus slack); the symmetric walk stays on CPU threads.
      const bool bank = !walk.symmetric && on_bank(f) &&
                        (ring == RankRing::GF2 ||
                         search::bank::capacity_for(st.scheme.rank(), sc.plus_slack) <= search::bank::max_capacity(search::bank::Domain::Ternary));
      if (bank) {
        sc.backend = cfg_.gf2_backend;
        sc.walkers = cfg_.walkers;  // 0: as many as the backend walks at once
      }
      if (walk.symmetric) {
        sc.symmetric = true;
        sc.start.reset();  // the symmetric walk's own start (our schemes are not invariant)
        sc.lift = true;    // the orbits lift together, inside the symmetric search
        sc.plus_slack = SearchConfig{}.plus_slack;
        sc.plus_from_start = false;
      }
      const std::string walk_name = walk.symmetric ? "symmetric GF(2) walk + lift"
                                    : walk.plateau          ? "GF(2) plateau walk + lift"
                                    : ring == RankRing::GF2 ? "GF(2) walk + lift"
                                                            : "{-1,0,1} walk";
      const std::string how = walk_name + (bank ? " on " + cfg_.gf2_backend : std::string()) + " (round " + std::to_string(round) +
                              (fresh_kind && !walk.plateau && !walk.symmetric ? ", after a neighbour's new best" : "") +
                              ", seed " + std::to_string(seed) + ", " +
                              fixed_digits(seconds, 0) + " s) from " +
                              (walk.symmetric ? std::string("its symmetric start")
                                              : st.scheme.shape().str() + ":" + std::to_string(st.scheme.rank()) +
                                                    " = " + st.recipe.substr(0, 160));
      ++walked;
      CampaignProgress progress(state_, console_, how, rec.spent_s, where_);
      Pool pool;
      SearchOutcome o;
      try {
        o = walk.symmetric ? run_symmetric_flip(sc, pool, progress) : run_flip_search(sc, pool, progress);
      } catch (const Error& e) {
        state_.log("walk of " + f.str() + " failed: " + e.what());
        continue;
      }
      double lift_s = 0;
      if (ring == RankRing::GF2 && !walk.symmetric && !inline_lift)
        lift_s = lift(f, pool, seconds, how, rec.spent_s + o.seconds, progress);
      rec = state_.format(f);
      rec.spent_s += o.seconds + lift_s;
      if (walk.plateau) {  // FormatRecord::plateau_failures: count the rounds that lifted nothing at this rank
        const auto gf2 = state_.ours(f, RankRing::GF2), integer = state_.ours(f, RankRing::Z);
        if (gf2 && (!integer || integer->first > gf2->first)) {
          if (rec.plateau_rank != gf2->first) rec.plateau_rank = gf2->first, rec.plateau_failures = 0;
          if (++rec.plateau_failures == FormatRecord::kPlateauTries)
            state_.log(f.str() + ": " + std::to_string(rec.plateau_failures) + " plateau walks at GF(2) rank " +
                       std::to_string(gf2->first) + " lifted nothing; its GF(2) walks start from the round's starts " +
                       "until that rank changes");
        }
      }
      state_.set_format(f, rec);
      if (progress.lift_unavailable && !lift_declined) {
        lift_declined = true;
        const auto gf2 = state_.ours(f, RankRing::GF2);  // at most the walk's best: the decline stands
        rec.lift_declined_at = gf2 ? gf2->first : o.best_rank_gf2.value_or(st.scheme.rank());
        state_.set_format(f, rec);
        state_.log(f.str() + ": the lift declines schemes this large (rank " + std::to_string(rec.lift_declined_at) +
                   "); later rounds, in this session and the next, walk over {-1,0,1} only");
      }
      auto rank_text = [](const std::optional<int>& r) { return r ? std::to_string(*r) : std::string("-"); };
      state_.log(f.str() + " " + how.substr(0, how.find(" from ")) + ": start " +
                 (walk.symmetric ? std::string("symmetric") : std::to_string(st.scheme.rank())) +
                 ", walk best gf2 " + rank_text(o.best_rank_gf2) + " z " + rank_text(o.best_rank_z) + ", " +
                 std::to_string(o.flips) + " flips in " + fixed_digits(o.seconds, 1) + " s");
      if (o.interrupted) break;
    }
    return walked;
  }

  // Whether lifting a rank-`rank` scheme of `f` is cheap (well under a second): the dense GF(2)
  // elimination of search/lift costs about equations * unknowns * (unknowns + equations) / 64
  // word operations.
  static bool cheap_lift(const Shape& f, int rank) {
    const double eqs = static_cast<double>(f.a_size()) * f.b_size() * f.c_size();
    const double unknowns = static_cast<double>(rank) * (f.a_size() + f.b_size() + f.c_size());
    return eqs * unknowns * (unknowns + eqs) / 64 < 1e9;
  }

  // Hensel-lifts the walk's GF(2) schemes that beat our integer rank, best first, for at most
  // half the walk's time (at least two seconds) and never past the campaign's --stop-after: the
  // lift of a <4,5,5> scheme alone can take seconds, and the flip search's own lifting
  // (SearchConfig::lift) is not bounded in time. (A device call of 16 large formats once ran
  // past its deadline and was killed before it could save its state; why was not established,
  // but these lifts were the one stage after a walk that the deadline did not bound.)
  // Some GF(2) schemes have no integer lift and another of the same rank has (Kauers-Moosbauer
  // 2023), so several are tried. Returns the seconds spent.
  double lift(const Shape& f, const Pool& pool, double walk_s, const std::string& how, double at_s,
              CampaignProgress& progress) {
    const auto t0 = Clock::now();
    auto spent = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
    const double budget = std::min(std::max(2.0, walk_s / 2), left_());
    std::vector<PoolEntry> todo;
    for (const PoolEntry& e : pool.all())
      if (e.scheme.field() == Field::GF2) todo.push_back(e);
    std::stable_sort(todo.begin(), todo.end(),
                     [](const PoolEntry& a, const PoolEntry& b) { return a.scheme.rank() < b.scheme.rank(); });
    int tried = 0, lifted = 0;
    for (const PoolEntry& e : todo) {
      const auto z = state_.ours(f, RankRing::Z);
      if ((z && z->first <= e.scheme.rank()) || spent() >= budget || stop_flag().load()) break;
      LiftOptions options;
      options.seed = e.fingerprint;
      options.neighbours = tried == 0 ? 8 : 0;  // flip neighbours only for the first: they cost most
      // One lift of a big scheme can take longer than the whole budget (82 s for a <6,7,7> rank-217
      // scheme, sign lift and neighbours, before it declined): it stops at the budget's end too.
      options.deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(budget));
      LiftResult r = lift_scheme(e.scheme, options);
      ++tried;
      if (r.report.find("not attempted") != std::string::npos) {
        progress.lift_unavailable = true;
        break;
      }
      if (!r.scheme) continue;
      ++lifted;
      state_.offer(*r.scheme, how + ", Hensel lift (" + to_string(r.route) + ") of " + e.found_by, at_s + spent(),
                   where_);
    }
    if (tried) state_.log(f.str() + ": lifted " + std::to_string(lifted) + " of " + std::to_string(tried) +
                          " GF(2) schemes in " + fixed_digits(spent(), 1) + " s");
    return spent();
  }

  // The best start of a kind (0 any, 1 projection, 2 extension) for `f` over `ring`, computed
  // again only when the library has changed: the projections of big schemes cost seconds.
  std::optional<Start> start(const Shape& f, RankRing ring, int kind) {
    const std::uint64_t version = state_.version();
    auto& slot = cache_[{static_cast<int>(ring), kind}];
    if (slot.first == version + 1) return slot.second;  // stored as version + 1: 0 means empty
    const Library library = state_.library();
    std::optional<Start> s;
    if (kind == 0) s = best_start(f, ring, library);
    else if (kind == 1) s = best_projection_start(f, ring, library);
    else s = best_extension_start(f, ring, library);
    slot = {version + 1, s};
    return s;
  }

  // A format is met when we hold the best known integer rank ({-1,0,1} counts as integer).
  bool met(const Shape& f) const {
    const auto z = state_.ours(f, RankRing::Z);
    const auto known = best_known_rank(f, RankRing::Z);
    return z && known && z->first <= *known;
  }

 private:
  // Whether the plain walks of `f` go to the GPU bank (`--backend gpu`; one-word formats only).
  bool on_bank(const Shape& f) const { return cfg_.gf2_backend != "cpu" && mask_words(f) == 1; }

  const CampaignConfig& cfg_;
  CampaignState& state_;
  Progress& console_;
  std::string where_;
  std::function<double()> left_;
  std::map<std::pair<int, int>, std::pair<std::uint64_t, std::optional<Start>>> cache_;  // this format's starts
};

}  // namespace

bool run_campaign(const CampaignConfig& cfg, CampaignState& state, Progress& console_in) {
  install_stop_signal_handlers();
  LockedProgress console(console_in);
  const auto started = Clock::now();
  auto left = [&] {
    if (cfg.stop_after_s <= 0) return 1e300;
    return cfg.stop_after_s - std::chrono::duration<double>(Clock::now() - started).count();
  };
  std::vector<Shape> formats = cfg.formats;
  std::stable_sort(formats.begin(), formats.end(),
                   [](const Shape& a, const Shape& b) { return a.classical_rank() < b.classical_rank(); });
  const int parallel = std::max(1, std::min<int>(cfg.parallel, static_cast<int>(formats.size())));
  const std::string where = machine() + ", " + std::to_string(std::max(1, cfg.threads / parallel)) + " threads per walk, " +
                            std::to_string(parallel) + " formats at once";
  state.log("campaign: " + cfg.command_line + " (" + std::to_string(formats.size()) + " formats, " +
            fixed_digits(cfg.seconds_per_format, 0) + " s each per round, " + std::to_string(cfg.rounds) + " rounds; " +
            where + ")");
  // Workers take formats one at a time, each the format not being walked with the fewest rounds
  // done (smallest first among equals), for its next round; a fresh format (FormatRecord::fresh)
  // before all of them. There is no barrier between rounds: a worker never waits for the slowest
  // walk of a round, and formats that earlier sessions took further than the others (a slice of a
  // few formats) get walked again while the rest catch up, instead of leaving cores idle (a device
  // call of 16 formats once walked only the 7 that were behind). A format runs at most kRoundsAhead rounds ahead of the least advanced one, so formats
  // that are not walked (met, or past --focus), which take no time, cannot race ahead.
  constexpr int kRoundsAhead = 3;
  std::mutex mutex;  // guards the fields below
  std::condition_variable changed;
  std::set<std::tuple<int, int, int>> busy;           // formats being walked now
  std::set<std::tuple<int, int, int>> ran;            // formats that ran a round this session
  bool stopped = false, finished = false;
  auto key = [](const Shape& f) { return std::make_tuple(f.n, f.m, f.p); };
  auto worker = [&] {
    FormatRound work(cfg, state, console, where, left);
    while (true) {
      Shape f;
      int round = 0;
      bool walk_allowed = true;
      {
        std::unique_lock lock(mutex);
        while (true) {
          if (stopped || finished) return;
          if (stop_flag().load() || left() <= 0) {
            stopped = true;
            changed.notify_all();
            return;
          }
          int least = std::numeric_limits<int>::max();
          for (const Shape& g : formats) least = std::min(least, state.format(g).rounds_done);
          if (least >= cfg.rounds) {
            finished = true;
            changed.notify_all();
            return;
          }
          // A fresh format (a neighbour's new best since its last walk: FormatRecord::fresh) that
          // will be walked goes first, even ahead of the others' rounds; the smallest of them
          // first, since it is a part of the larger ones (the new best climbs the formats).
          std::optional<Shape> pick;
          bool pick_fresh = false;
          int pick_done = 0, unmet_before = 0, unmet_before_pick = 0;
          for (const Shape& g : formats) {
            const FormatRecord r = state.format(g);
            const bool met = work.met(g);
            const bool fresh = r.fresh != 0 && !met && (cfg.focus <= 0 || unmet_before < cfg.focus);
            if (!busy.count(key(g)) && r.rounds_done < cfg.rounds && (fresh || r.rounds_done < least + kRoundsAhead) &&
                (!pick || (fresh && !pick_fresh) || (!fresh && !pick_fresh && r.rounds_done < pick_done))) {
              pick = g, pick_fresh = fresh, pick_done = r.rounds_done, unmet_before_pick = unmet_before;
            }
            if (!met) ++unmet_before;
          }
          if (pick) {
            f = *pick;
            round = pick_done + 1;
            // --focus: only the first that many unmet formats (smallest first) are walked.
            if (!work.met(f)) walk_allowed = cfg.focus <= 0 || unmet_before_pick < cfg.focus;
            break;
          }
          changed.wait_for(lock, std::chrono::seconds(1));  // every free format is busy or too far ahead
        }
        busy.insert(key(f));
      }
      try {
        work.run(f, round, walk_allowed);
      } catch (const std::exception& e) {
        state.log("format " + f.str() + " failed: " + e.what());
      }
      std::lock_guard lock(mutex);
      busy.erase(key(f));
      changed.notify_all();
      if (stop_flag().load() || left() <= 0) {
        stopped = true;  // this format's round is not complete: it is done again on resume
        return;
      }
      FormatRecord rec = state.format(f);
      rec.rounds_done = std::max(rec.rounds_done, round);
      state.set_format(f, rec);
      ran.insert(key(f));
      // Every format of the list run once this session (its constructions refreshed) and at the
      // best known rank: further rounds would walk nothing.
      if (!cfg.keep_going && ran.size() == formats.size() &&
          std::all_of(formats.begin(), formats.end(), [&](const Shape& g) { return work.met(g); })) {
        if (!finished) state.log("campaign: every format is at its best known integer rank; nothing left to walk");
        finished = true;
        return;
      }
    }
  };
  std::vector<std::thread> workers;
  for (int i = 1; i < parallel; ++i) workers.emplace_back(worker);
  worker();
  for (auto& t : workers) t.join();
  state.save();
  if (stopped) {
    state.log("campaign stopped (" + std::string(stop_flag().load() ? "signal" : "time limit") + "); resumable");
    return false;
  }
  state.log("campaign done");
  return true;
}

// ---- the report ----

namespace {

// The commands of the campaign's sessions, from its log (each session writes one "campaign:"
// line with its command and machine), each once, with how often it ran.
std::string sessions(const std::string& dir) {
  std::ifstream in(fs::path(dir) / "log.txt");
  std::vector<std::pair<std::string, int>> seen;
  for (std::string line; std::getline(in, line);) {
    const auto at = line.find("] campaign: fmm ");
    if (at == std::string::npos) continue;
    const std::string command = line.substr(at + 12);
    auto it = std::find_if(seen.begin(), seen.end(), [&](const auto& x) { return x.first == command; });
    if (it == seen.end()) seen.emplace_back(command, 1);
    else ++it->second;
  }
  if (seen.empty()) return "";
  std::string out = "Sessions (from `log.txt`; a time above is summed over all of them):\n\n";
  for (const auto& [command, times] : seen)
    out += "- `" + command.substr(0, command.find(" (")) + "` " + command.substr(command.find(" (") + 1) +
           (times > 1 ? ", " + std::to_string(times) + " sessions" : "") + "\n";
  return out;
}

}  // namespace

std::string frontier_report(const CampaignState& state, const std::string& command) {
  std::vector<Shape> main;
  for (int n = 2; n <= 8; ++n)
    for (int m = n; m <= 8; ++m)
      for (int p = m; p <= 8; ++p) main.push_back({n, m, p});
  std::ostringstream out;
  auto rank_cell = [&](const Shape& f, RankRing ring, RankRing known_ring) {
    const auto o = state.ours(f, ring);
    if (!o) return std::string("-");
    const auto k = best_known_rank(f, known_ring);
    std::string cell = std::to_string(o->first);
    if (o->second.how.rfind("imported", 0) == 0) cell += " (imported)";
    // Over GF(2) without a recorded GF(2) figure the reference is the integer rank, and a
    // rational scheme with odd denominators can be below it: no record claimed there.
    const auto kr = known_ranks(f);
    const bool figure = known_ring != RankRing::GF2 || (kr && kr->gf2 > 0);
    if (k && o->first < *k && !figure) cell += " (below the Z rank)";
    else if (k && o->first < *k) cell = "**" + cell + " (record!)**";
    else if (k && o->first == *k) cell += " =";
    else if (k) cell += " (+" + std::to_string(o->first - *k) + ")";
    return cell;
  };
  int at_best = 0, within2 = 0, held = 0;
  std::ostringstream rows;
  auto row = [&](const Shape& f) {
    const auto k = known_ranks(f);
    const auto z = state.ours(f, RankRing::Z);
    std::string time = "-", how = "-";
    if (z) {
      ++held;
      if (k && z->first <= k->z) ++at_best;
      if (k && z->first <= k->z + 2) ++within2;
      time = fixed_digits(z->second.reached_s, 0);
      how = z->second.how.substr(0, 140);
    }
    auto known = [](int r) { return r ? std::to_string(r) : std::string("-"); };
    rows << "| " << f.str() << " | " << (k ? known(k->gf2) : "-") << " | " << (k ? known(k->z) : "-") << " | "
         << (k ? known(k->zt) : "-") << " | " << (k ? known(k->q) : "-") << " | " << rank_cell(f, RankRing::GF2, RankRing::GF2)
         << " | " << rank_cell(f, RankRing::Z, RankRing::Z) << " | " << rank_cell(f, RankRing::ZT, RankRing::ZT)
         << " | " << rank_cell(f, RankRing::Q, RankRing::Q) << " | " << time << " | " << how << " |\n";
  };
  for (const Shape& f : main) row(f);
  out << "# The frontier: best known ranks against ours\n\n"
      << "Generated by `" << command << "` from the campaign state in `" << state.dir() << "/`.\n"
      << "Best known: `data/known_ranks/` (the FastMatrixMultiplication collection, " << known_ranks_snapshot()
      << ", and the literature table with its GF(2) figures). Ours: the campaign's verified schemes; a {-1,0,1}\n"
      << "scheme counts as an integer one, an integer one as a rational one, and every one of them holds over GF(2).\n"
      << "`=` marks the best known rank, `(+k)` how far above it; time is seconds of campaign work on the format\n"
      << "when our best integer scheme was first held (on the machine named in `best.tsv`).\n\n"
      << "**" << at_best << " of 84** formats n <= m <= p <= 8 at the best known integer ({-1,0,1} or Z) rank, " << within2
      << " within 2 of it; " << held << " held.\n\n"
      << sessions(state.dir()) << "\n"
      << "| format | known GF(2) | known Z | known {-1,0,1} | known Q | ours GF(2) | ours Z | ours {-1,0,1} | ours Q | "
         "time (s) | how (our best integer scheme) |\n"
      << "|---|---|---|---|---|---|---|---|---|---|---|\n"
      << rows.str();
  rows.str("");
  std::set<std::tuple<int, int, int>> in_main;
  for (const Shape& f : main) in_main.insert({f.n, f.m, f.p});
  std::vector<Shape> others;
  for (const Shape& f : state.formats_held())
    if (!in_main.count({f.n, f.m, f.p})) others.push_back(f);
  if (!others.empty()) {
    for (const Shape& f : others) row(f);
    out << "\n## Other formats the campaign tried\n\n"
        << "| format | known GF(2) | known Z | known {-1,0,1} | known Q | ours GF(2) | ours Z | ours {-1,0,1} | ours Q | "
           "time (s) | how |\n|---|---|---|---|---|---|---|---|---|---|---|\n"
        << rows.str();
  }
  return out.str();
}

std::vector<Shape> parse_format_list(const std::string& text) {
  std::vector<Shape> out;
  auto all = [&](int most) {
    for (int n = 2; n <= most; ++n)
      for (int m = n; m <= most; ++m)
        for (int p = m; p <= most; ++p) out.push_back({n, m, p});
  };
  if (text == "all8") all(8);
  else if (text == "all6") all(6);
  else if (text == "small") all(4);
  else {
    std::stringstream s(text);
    for (std::string item; std::getline(s, item, ',');) {
      if (item.empty()) continue;
      out.push_back(sorted(parse_shape(item)));
    }
  }
  if (out.empty()) throw Error("no formats in '" + text + "'");
  std::sort(out.begin(), out.end(), [](const Shape& a, const Shape& b) {
    return std::make_tuple(a.n, a.m, a.p) < std::make_tuple(b.n, b.m, b.p);
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace fmm::search::meta
