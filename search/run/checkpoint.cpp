#include "search/run/checkpoint.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm::search {
namespace {

constexpr const char* kMagic = "fmm-search-checkpoint 1";

// A mask as one hexadecimal number without leading zeros ("0" for none).
void write_mask(std::ostream& out, const PackedTerm::Mask& m) {
  int top = PackedTerm::kWords - 1;
  while (top > 0 && m[top] == 0) --top;
  char word[20];
  std::snprintf(word, sizeof word, "%llx", static_cast<unsigned long long>(m[top]));
  out << word;
  for (int i = top - 1; i >= 0; --i) {
    std::snprintf(word, sizeof word, "%016llx", static_cast<unsigned long long>(m[i]));
    out << word;
  }
}

// Reads what write_mask wrote; false for anything else (empty, not hex, over 256 bits).
bool read_mask(std::istream& in, PackedTerm::Mask& m) {
  std::string text;
  if (!(in >> text) || text.empty() || text.size() > 16 * PackedTerm::kWords) return false;
  m.fill(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[text.size() - 1 - i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return false;
    m[i / 16] |= static_cast<std::uint64_t>(d) << (4 * (i % 16));
  }
  return true;
}

void write_terms(std::ostream& out, const char* label, const std::vector<PackedTerm>& terms) {
  out << label << ' ' << terms.size() << '\n';
  for (const PackedTerm& t : terms) {
    for (int k = 0; k < 3; ++k) {
      write_mask(out, t.p[k]);
      out << ' ';
      write_mask(out, t.n[k]);
      out << ' ';
    }
    out << t.sign << '\n';
  }
}

class Reader {
 public:
  Reader(const std::string& text, std::string file) : in_(text), file_(std::move(file)) {}
  std::istringstream next(const std::string& expect_key) {
    std::string line;
    if (!std::getline(in_, line)) fail("unexpected end of file, expected '" + expect_key + "'");
    ++line_;
    std::istringstream ls(line);
    std::string key;
    ls >> key;
    if (key != expect_key) fail("expected '" + expect_key + "', found '" + key + "'");
    return ls;
  }
  // True when the next line starts with `key` (nothing is consumed).
  bool next_is(const std::string& key) {
    const auto at = in_.tellg();
    std::string line, first;
    const bool got = static_cast<bool>(std::getline(in_, line));
    in_.clear();
    in_.seekg(at);
    std::istringstream(line) >> first;
    return got && first == key;
  }
  std::string raw_line() {
    std::string line;
    if (!std::getline(in_, line)) fail("unexpected end of file");
    ++line_;
    return line;
  }
  [[noreturn]] void fail(const std::string& what) const { throw ParseError(file_, line_, what); }
  template <class T>
  T get(std::istringstream& ls, const char* what) {
    T v{};
    if (!(ls >> v)) fail(std::string("expected ") + what);
    return v;
  }

 private:
  std::istringstream in_;
  std::string file_;
  long line_ = 0;
};

std::vector<PackedTerm> read_terms(Reader& r, const char* label) {
  auto ls = r.next(label);
  std::size_t count = r.get<std::size_t>(ls, "a term count");
  if (count > static_cast<std::size_t>(kMaxRank)) r.fail("term count too large");
  std::vector<PackedTerm> terms(count);
  for (PackedTerm& t : terms) {
    std::istringstream ts(r.raw_line());
    for (int k = 0; k < 3; ++k)
      if (!read_mask(ts, t.p[k]) || !read_mask(ts, t.n[k])) r.fail("expected hexadecimal factor masks");
    if (!(ts >> t.sign) || (t.sign != 1 && t.sign != -1)) r.fail("expected a sign 1 or -1");
  }
  return terms;
}

}  // namespace

void save_checkpoint(const std::string& path, const Checkpoint& c) {
  std::ostringstream out;
  out << kMagic << '\n';
  out << "config " << c.config << '\n';
  out << "shape " << c.shape.str() << '\n';
  out << "field " << to_string(c.field) << '\n';
  out << "seed " << c.seed << '\n';
  out << "walkers " << c.walkers << '\n';
  out.precision(17);
  out << "elapsed " << c.elapsed_s << '\n';
  out << "flips " << c.flips << '\n';
  out << "epochs " << c.epochs << '\n';
  for (const WalkerState& w : c.walker_states) {
    out << "walker " << w.rng << ' ' << w.flips << ' ' << w.since_best << ' ' << w.plus_transitions << ' '
        << w.returns_to_best << ' ' << w.best_rank << ' ' << w.plateau << ' ' << w.stuck << ' ' << w.plateau_rank
        << '\n';
    write_terms(out, "current", w.current);
    write_terms(out, "best", w.best);
  }
  for (const WalkerReport& rep : c.reports_in_flight) {
    out << "report " << rep.walker_id << ' ' << rep.found_at_s << '\n';
    write_terms(out, "terms", rep.terms);
  }
  out << "pool " << c.pool.size() << '\n';
  for (const PoolEntry& e : c.pool) {
    std::string text = write_native(e.scheme);
    long lines = 0;
    for (char ch : text) lines += ch == '\n';
    out << "entry " << e.elapsed_s << ' ' << lines << ' ' << e.found_by << '\n' << text;
  }
  out << "end\n";
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw Error("cannot write checkpoint '" + tmp + "'");
    f << out.str();
    f.flush();
    if (!f) throw Error("error while writing checkpoint '" + tmp + "'");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw Error("cannot rename '" + tmp + "' to '" + path + "': " + ec.message());
}

Checkpoint load_checkpoint(const std::string& path) {
  const std::string text = read_file_bounded(path);
  Reader r(text, path);
  if (r.raw_line() != kMagic) r.fail(std::string("not a checkpoint (expected first line '") + kMagic + "')");
  Checkpoint c;
  {
    auto ls = r.next("config");
    std::getline(ls >> std::ws, c.config);
  }
  {
    auto ls = r.next("shape");
    c.shape = parse_shape(r.get<std::string>(ls, "a shape"));
  }
  {
    auto ls = r.next("field");
    auto f = parse_field(r.get<std::string>(ls, "a field"));
    if (!f) r.fail("unknown field");
    c.field = *f;
  }
  {
    auto ls = r.next("seed");
    c.seed = r.get<std::uint64_t>(ls, "a seed");
  }
  {
    auto ls = r.next("walkers");
    c.walkers = r.get<int>(ls, "a walker count");
    if (c.walkers < 1 || c.walkers > 1 << 20) r.fail("walker count out of range");
  }
  {
    auto ls = r.next("elapsed");
    c.elapsed_s = r.get<double>(ls, "seconds");
  }
  {
    auto ls = r.next("flips");
    c.flips = r.get<std::uint64_t>(ls, "a flip count");
  }
  {
    auto ls = r.next("epochs");
    c.epochs = r.get<std::uint64_t>(ls, "an epoch count");
  }
  for (int i = 0; i < c.walkers; ++i) {
    auto ls = r.next("walker");
    WalkerState w;
    w.rng = r.get<std::uint64_t>(ls, "rng state");
    w.flips = r.get<std::uint64_t>(ls, "flips");
    w.since_best = r.get<std::uint64_t>(ls, "flips since best");
    w.plus_transitions = r.get<std::uint64_t>(ls, "plus transitions");
    w.returns_to_best = r.get<std::uint64_t>(ls, "returns");
    w.best_rank = r.get<int>(ls, "best rank");
    if (ls >> w.plateau) {  // absent before the adaptive plateau
      w.stuck = r.get<int>(ls, "returns at this plateau");
      w.plateau_rank = r.get<int>(ls, "the plateau's best rank");
    }
    w.current = read_terms(r, "current");
    w.best = read_terms(r, "best");
    c.walker_states.push_back(std::move(w));
  }
  // Reports in flight (absent in checkpoints written before the epoch exchange).
  while (r.next_is("report")) {
    auto rs = r.next("report");
    WalkerReport rep;
    rep.walker_id = r.get<int>(rs, "a walker id");
    rep.found_at_s = r.get<double>(rs, "seconds");
    rep.terms = read_terms(r, "terms");
    c.reports_in_flight.push_back(std::move(rep));
    if (c.reports_in_flight.size() > 1u << 20) r.fail("too many reports");
  }
  auto ls = r.next("pool");
  std::size_t count = r.get<std::size_t>(ls, "an entry count");
  if (count > 1u << 20) r.fail("pool too large");
  for (std::size_t i = 0; i < count; ++i) {
    auto es = r.next("entry");
    PoolEntry e;
    e.elapsed_s = r.get<double>(es, "seconds");
    long lines = r.get<long>(es, "a line count");
    if (lines < 1 || lines > kMaxRank + 16) r.fail("bad line count");
    std::getline(es >> std::ws, e.found_by);
    std::string body;
    for (long l = 0; l < lines; ++l) body += r.raw_line() + '\n';
    e.scheme = parse_native(body, path + " (pool entry " + std::to_string(i + 1) + ")");
    e.fingerprint = Pool::fingerprint(e.scheme);
    c.pool.push_back(std::move(e));
  }
  r.next("end");
  return c;
}

}  // namespace fmm::search
