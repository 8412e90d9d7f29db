// The campaign's state directory (campaign_state.hpp): verified schemes, the per-format records
// and the log, rewritten atomically as the campaign files what it finds.
#include "search/meta/campaign_state.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string_view>
#include <system_error>

#include "search/run/known_ranks.hpp"
#include "search/run/progress.hpp"  // fixed_digits
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/io/safe_write.hpp"

namespace fs = std::filesystem;

namespace fmm::search::meta {

namespace {

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

// One data row of a state table: its tab-separated fields, read strictly. A state file edited by
// hand or cut short must stop the campaign with its name and line, not be half read: std::stoi
// took "2.9" as 2 and threw "stoi" at "x", and short rows were skipped in silence.
class TsvRow {
 public:
  TsvRow(std::string file, long line, std::vector<std::string> fields)
      : file_(std::move(file)), line_(line), fields_(std::move(fields)) {}
  std::size_t size() const { return fields_.size(); }
  const std::string& text(std::size_t i) const { return fields_[i]; }
  [[noreturn]] void fail(const std::string& what) const { throw ParseError(file_, line_, what); }
  // Field i, a whole integer in [lo, hi] (named `what` in the error).
  int integer(std::size_t i, const char* what, int lo, int hi) const {
    const std::string& f = fields_[i];
    int v = 0;
    const auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (f.empty() || ec != std::errc() || ptr != f.data() + f.size() || v < lo || v > hi)
      fail(std::string(what) + ": expected an integer in " + std::to_string(lo) + ".." + std::to_string(hi) +
           ", found '" + f + "'");
    return v;
  }
  // Field i, seconds: a finite number in [0, 1e9].
  double seconds(std::size_t i, const char* what) const {
    const std::string& f = fields_[i];
    char* end = nullptr;
    const double v = std::strtod(f.c_str(), &end);
    if (f.empty() || end != f.c_str() + f.size() || !std::isfinite(v) || v < 0 || v > 1e9)
      fail(std::string(what) + ": expected seconds, found '" + f + "'");
    return v;
  }

 private:
  std::string file_;
  long line_;
  std::vector<std::string> fields_;
};

// The data rows of a state table: '#' comments and the header line skipped; a row with fewer
// than `min_fields` fields is an error. A missing file has no rows (a new state).
std::vector<TsvRow> read_tsv(const fs::path& path, std::size_t min_fields) {
  std::vector<TsvRow> rows;
  std::ifstream in(path);
  std::string line;
  bool header = true;
  for (long number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string> fields;
    std::stringstream s(line);
    for (std::string f; std::getline(s, f, '\t');) fields.push_back(f);
    TsvRow row(path.string(), number, std::move(fields));
    if (row.size() < min_fields)
      row.fail("expected at least " + std::to_string(min_fields) + " tab-separated fields, found " + std::to_string(row.size()));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string file_name(const Scheme& s, RankRing ring) {
  return s.shape().str() + "_r" + std::to_string(s.rank()) + "_" + tag(ring) + ".txt";
}

// The rings whose files a format can have, and the order `ours` looks at them.
constexpr RankRing kRings[] = {RankRing::ZT, RankRing::Z, RankRing::Q, RankRing::GF2};

}  // namespace

CampaignState::CampaignState(std::string dir) : dir_(std::move(dir)) {
  const fs::path schemes = fs::path(dir_) / "schemes";
  // best.tsv: file, rank, seconds, how, where, "." (the last field shows the row is whole).
  for (const auto& row : read_tsv(fs::path(dir_) / "best.tsv", 6)) {
    BestRecord r;
    r.file = row.text(0);
    if (r.file.empty() || r.file[0] == '.' || r.file.find('/') != std::string::npos)
      row.fail("file: expected a file name in schemes/, found '" + r.file + "'");
    r.rank = row.integer(1, "rank", 1, kMaxDim * kMaxDim * kMaxDim);
    r.reached_s = row.seconds(2, "reached_s");
    r.how = row.text(3);
    r.where = row.text(4);
    records_[r.file] = r;
  }
  for (const auto& f : scheme_files(schemes.string())) {
    Scheme s = read_one_scheme(f.string());  // verified
    const std::string name = f.filename().string();
    auto it = records_.find(name);
    if (it == records_.end()) records_[name] = BestRecord{name, s.rank(), 0, "(no record)", ""};
    else if (it->second.rank != s.rank())
      throw Error("campaign state: " + name + " holds rank " + std::to_string(s.rank()) + ", best.tsv says " +
                  std::to_string(it->second.rank));
    library_.add(s, name);
  }
  // Outer schemes for bud products (Library::add_outer), whatever their rank: e.g. the output of
  // `fmm meta buds`, committed by hand with the command in its header.
  for (const auto& f : scheme_files((fs::path(dir_) / "outer").string()))
    library_.add_outer(read_one_scheme(f.string()), "outer/" + f.filename().string());
  // Records whose file is gone (replaced by a better one) are dropped.
  std::erase_if(records_, [&](const auto& kv) { return !fs::exists(schemes / kv.first); });
  // formats.tsv: n <= m <= p, rounds, seconds, then (states before these columns lack them) the
  // declined lift's rank, the fresh marks, the plateau rank and its failures.
  constexpr int kMaxRank = kMaxDim * kMaxDim * kMaxDim, kMaxCount = 1 << 30;
  for (const auto& row : read_tsv(fs::path(dir_) / "formats.tsv", 5)) {
    const int n = row.integer(0, "n", 1, kMaxDim), m = row.integer(1, "m", 1, kMaxDim), p = row.integer(2, "p", 1, kMaxDim);
    if (n > m || m > p) row.fail("format " + std::to_string(n) + "x" + std::to_string(m) + "x" + std::to_string(p) +
                                 ": expected n <= m <= p (the state's formats are sorted)");
    FormatRecord& f = formats_[{n, m, p}];
    f.rounds_done = row.integer(3, "rounds", 0, kMaxCount);
    f.spent_s = row.seconds(4, "seconds");
    if (row.size() >= 6) f.lift_declined_at = row.integer(5, "lift declined at", 0, kMaxRank);
    if (row.size() >= 7) f.fresh = row.integer(6, "fresh", 0, FormatRecord::kFreshProjection | FormatRecord::kFreshExtension);
    if (row.size() >= 9)
      f.plateau_rank = row.integer(7, "plateau rank", 0, kMaxRank), f.plateau_failures = row.integer(8, "plateau failures", 0, kMaxCount);
  }
}

FormatRecord CampaignState::format(const Shape& shape) const {
  const Shape s = sorted_format(shape);
  std::lock_guard lock(mutex_);
  auto it = formats_.find({s.n, s.m, s.p});
  return it == formats_.end() ? FormatRecord{} : it->second;
}

void CampaignState::set_format(const Shape& shape, const FormatRecord& record) {
  const Shape s = sorted_format(shape);
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
  Scheme scheme = permute_to(scheme_in, sorted_format(scheme_in.shape()));
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
      const Shape g = sorted_format({e[0], e[1], e[2]});
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

bool CampaignState::at_best_known(const Shape& shape) const {
  const auto z = ours(shape, RankRing::Z);
  const auto known = best_known_rank(shape, RankRing::Z);
  return z && known && z->first <= *known;
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

}  // namespace fmm::search::meta
