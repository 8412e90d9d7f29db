#include "search/run/checkpoint.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <type_traits>
#include <sstream>

#include "search/run/search_config.hpp"  // kMaxWalkers
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/io/safe_write.hpp"
#include "tensor/verify.hpp"

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

bool bit(const PackedTerm::Mask& m, int x) { return (m[static_cast<std::size_t>(x / 64)] >> (x % 64)) & 1; }

bool is_zero(const PackedTerm::Mask& m) {
  for (std::uint64_t w : m)
    if (w) return false;
  return true;
}

bool overlap(const PackedTerm::Mask& a, const PackedTerm::Mask& b) {
  for (int i = 0; i < PackedTerm::kWords; ++i)
    if (a[static_cast<std::size_t>(i)] & b[static_cast<std::size_t>(i)]) return true;
  return false;
}

// Any bit at position `length` or above (a factor has `length` entries).
bool has_bits_from(const PackedTerm::Mask& m, int length) {
  for (int i = 0; i < PackedTerm::kWords; ++i) {
    const int lo = 64 * i;
    const std::uint64_t w = m[static_cast<std::size_t>(i)];
    if (length <= lo) {
      if (w) return true;
    } else if (length < lo + 64 && (w >> (length - lo)) != 0) {
      return true;
    }
  }
  return false;
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

void write_triples(std::ostream& out, const std::vector<OrbitWalkerState::Triple>& ts) {
  char word[20];
  for (const auto& t : ts)
    for (int k = 0; k < 3; ++k) {
      std::snprintf(word, sizeof word, "%llx", static_cast<unsigned long long>(t[k]));
      out << word << (k == 2 ? '\n' : ' ');
    }
}

void write_orbit_walker(std::ostream& out, const OrbitWalkerState& w) {
  out << "orbit-walker " << w.rng << ' ' << w.moves << ' ' << w.since_best << ' ' << w.since_reduction << ' '
      << w.plus_transitions << ' ' << w.runs << ' ' << w.dry_steps << ' ' << w.run_start << ' ' << w.best_rank << ' '
      << w.last_rank << ' ' << w.dry << ' ' << (w.target_hit ? 1 : 0) << '\n';
  out << "board-current " << w.current_fixed.size() << ' ' << w.current_orbits.size() << '\n';
  write_triples(out, w.current_fixed);
  write_triples(out, w.current_orbits);
  out << "board-best " << w.best_fixed.size() << ' ' << w.best_orbits.size() << '\n';
  write_triples(out, w.best_fixed);
  write_triples(out, w.best_orbits);
  out << "run-bests " << w.run_bests.size();
  for (const auto& [bucket, runs] : w.run_bests) out << ' ' << bucket << ':' << runs;
  out << '\n';
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
  // One whitespace-separated number, the whole token: no sign on unsigned counts (an
  // istream would wrap "-5" silently), nothing trailing, doubles finite.
  template <class T>
  T get(std::istringstream& ls, const char* what) {
    std::string tok;
    if (!(ls >> tok)) fail(std::string("expected ") + what);
    T v{};
    if constexpr (std::is_floating_point_v<T>) {
      char* end = nullptr;
      v = std::strtod(tok.c_str(), &end);
      if (end == tok.c_str() || *end != '\0' || !std::isfinite(v)) fail(std::string("expected ") + what + ", found '" + tok + "'");
    } else if constexpr (std::is_integral_v<T>) {
      const auto [ptr, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), v);
      if (ec != std::errc() || ptr != tok.data() + tok.size()) fail(std::string("expected ") + what + ", found '" + tok + "'");
    } else {
      v = tok;
    }
    return v;
  }
  // Seconds into the run: finite, not negative, below about 30 years.
  double seconds(std::istringstream& ls) {
    const double s = get<double>(ls, "seconds");
    if (s < 0 || s > 1e9) fail("expected seconds between 0 and 1e9, found " + std::to_string(s));
    return s;
  }

 private:
  std::istringstream in_;
  std::string file_;
  long line_ = 0;
};

// Terms of `field` for `shape`: masks within the factor lengths; over GF2 no negative masks
// and sign 1; over Z disjoint positive and negative masks.
std::vector<PackedTerm> read_terms(Reader& r, const char* label, const Shape& shape, Field field) {
  auto ls = r.next(label);
  std::size_t count = r.get<std::size_t>(ls, "a term count");
  if (count > static_cast<std::size_t>(kMaxRank)) r.fail("term count too large");
  const int lengths[3] = {shape.a_size(), shape.b_size(), shape.c_size()};
  std::vector<PackedTerm> terms(count);
  for (PackedTerm& t : terms) {
    std::istringstream ts(r.raw_line());
    std::string tok;
    for (int k = 0; k < 3; ++k)
      for (PackedTerm::Mask* mask : {&t.p[k], &t.n[k]}) {
        if (!read_mask(ts, *mask)) r.fail("expected hexadecimal factor masks");
        if (has_bits_from(*mask, lengths[k]))
          r.fail("a factor mask has bits beyond the factor's " + std::to_string(lengths[k]) + " entries");
      }
    if (!(ts >> std::dec >> t.sign) || (t.sign != 1 && t.sign != -1)) r.fail("expected a sign 1 or -1");
    for (int k = 0; k < 3; ++k) {
      if (field == Field::GF2 && (!is_zero(t.n[k]) || t.sign != 1)) r.fail("a GF2 term has negative entries");
      if (overlap(t.p[k], t.n[k])) r.fail("a factor has an entry that is both +1 and -1");
    }
  }
  return terms;
}

// A board of an orbit walker: `label` F O, then F fixed terms and O orbit representatives, each
// three hexadecimal factors of at most `bits` entries.
void read_board(Reader& r, const char* label, int bits, std::vector<OrbitWalkerState::Triple>& fixed,
                std::vector<OrbitWalkerState::Triple>& orbits) {
  auto ls = r.next(label);
  const auto nf = r.get<std::size_t>(ls, "a fixed-term count"), no = r.get<std::size_t>(ls, "an orbit count");
  if (nf > static_cast<std::size_t>(kMaxRank) || no > static_cast<std::size_t>(kMaxRank)) r.fail("board too large");
  for (auto* list : {&fixed, &orbits}) {
    list->assign(list == &fixed ? nf : no, {});
    for (auto& t : *list) {
      std::istringstream ts(r.raw_line());
      for (int k = 0; k < 3; ++k) {
        PackedTerm::Mask m;
        if (!read_mask(ts, m)) r.fail("expected three hexadecimal factors");
        if (has_bits_from(m, bits)) r.fail("a factor has bits beyond its " + std::to_string(bits) + " entries");
        t[static_cast<std::size_t>(k)] = m[0];
      }
      std::string extra;
      if (ts >> extra) r.fail("expected three factors, found more");
    }
  }
}

OrbitWalkerState read_orbit_walker(Reader& r, const Shape& shape) {
  if (shape.n != shape.m || shape.m != shape.p || shape.n > 8)
    r.fail("an orbit walker needs a square format up to <8,8,8>, not " + shape.str());
  auto ls = r.next("orbit-walker");
  OrbitWalkerState w;
  for (std::uint64_t* x : {&w.rng, &w.moves, &w.since_best, &w.since_reduction, &w.plus_transitions, &w.runs,
                           &w.dry_steps, &w.run_start})
    *x = r.get<std::uint64_t>(ls, "a walker counter");
  w.best_rank = r.get<int>(ls, "best rank");
  w.last_rank = r.get<int>(ls, "last rank");
  w.dry = r.get<int>(ls, "dry moves in a row");
  const int hit = r.get<int>(ls, "target flag");
  if (hit != 0 && hit != 1) r.fail("expected target flag 0 or 1");
  w.target_hit = hit == 1;
  if (w.best_rank < 0 || w.best_rank > kMaxRank || w.last_rank < 0 || w.last_rank > kMaxRank || w.dry < 0)
    r.fail("walker counters out of range");
  if (w.run_start > w.moves) r.fail("a run that began after the walker's last move");
  const int bits = shape.a_size();
  read_board(r, "board-current", bits, w.current_fixed, w.current_orbits);
  read_board(r, "board-best", bits, w.best_fixed, w.best_orbits);
  auto rs = r.next("run-bests");
  const auto count = r.get<std::size_t>(rs, "a bucket count");
  if (count > 4096) r.fail("too many run-best buckets");
  for (std::size_t i = 0; i < count; ++i) {
    const std::string tok = r.get<std::string>(rs, "bucket:runs");
    const auto colon = tok.find(':');
    int bucket = -1;
    std::uint64_t runs = 0;
    const char* end = tok.data() + tok.size();
    if (colon == std::string::npos || std::from_chars(tok.data(), tok.data() + colon, bucket).ptr != tok.data() + colon ||
        std::from_chars(tok.data() + colon + 1, end, runs).ptr != end || bucket < 0 || bucket >= 4096)
      r.fail("expected bucket:runs, found '" + tok + "'");
    w.run_bests.emplace_back(bucket, runs);
  }
  return w;
}

// The exact scheme a list of packed terms stands for (as search/flip/flip_terms.hpp's
// to_scheme: bit x of p is +1 at entry x, of n -1, and a negative sign negates w).
Scheme packed_scheme(const Shape& shape, Field field, const std::vector<PackedTerm>& terms) {
  Scheme s(shape, field);
  const int lengths[3] = {shape.a_size(), shape.b_size(), shape.c_size()};
  std::vector<Rational> f[3];
  for (const PackedTerm& t : terms) {
    for (int k = 0; k < 3; ++k) {
      f[k].assign(lengths[k], Rational(0));
      for (int x = 0; x < lengths[k]; ++x) {
        if (bit(t.p[k], x)) f[k][x] = 1;
        if (bit(t.n[k], x)) f[k][x] = -1;
      }
    }
    if (t.sign < 0)
      for (auto& x : f[2]) x = -x;
    s.add_term(f[0], f[1], f[2]);
  }
  return s;
}

// A resumed run trusts nothing it did not check: every scheme in the checkpoint must verify.
void require_valid_terms(Reader& r, const Shape& shape, Field field, const std::vector<PackedTerm>& terms,
                         const std::string& what) {
  const VerifyResult v = verify(packed_scheme(shape, field, terms), field);
  if (!v) r.fail(what + " is not a valid scheme: " + v.message());
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
  for (const OrbitWalkerState& w : c.orbit_walker_states) write_orbit_walker(out, w);
  for (const WalkerState& w : c.walker_states) {
    out << "walker " << w.rng << ' ' << w.flips << ' ' << w.since_best << ' ' << w.plus_transitions << ' '
        << w.returns_to_best << ' ' << w.best_rank << ' ' << w.plateau << ' ' << w.stuck << ' ' << w.plateau_rank
        << ' ' << w.since_reduction << ' ' << w.flips_at_gain << ' ' << w.random_restarts << '\n';
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
  write_file_atomically(path, out.str());
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
    constexpr int kBits = 64 * PackedTerm::kWords;
    if (c.shape.a_size() > kBits || c.shape.b_size() > kBits || c.shape.c_size() > kBits)
      r.fail("shape " + c.shape.str() + " does not fit the flip walk's " + std::to_string(kBits) + "-bit factor masks");
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
    if (c.walkers < 1 || c.walkers > kMaxWalkers) r.fail("walker count out of range 1.." + std::to_string(kMaxWalkers));
  }
  {
    auto ls = r.next("elapsed");
    c.elapsed_s = r.seconds(ls);
  }
  {
    auto ls = r.next("flips");
    c.flips = r.get<std::uint64_t>(ls, "a flip count");
  }
  {
    auto ls = r.next("epochs");
    c.epochs = r.get<std::uint64_t>(ls, "an epoch count");
  }
  // A bank's orbit walkers, or plain / symmetric walkers, never both.
  const bool orbit_walkers = r.next_is("orbit-walker");
  for (int i = 0; i < c.walkers && orbit_walkers; ++i) c.orbit_walker_states.push_back(read_orbit_walker(r, c.shape));
  for (int i = 0; i < c.walkers && !orbit_walkers; ++i) {
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
      if (!(ls >> w.since_reduction)) w.since_reduction = 0;  // absent before drift
      else if (ls >> w.flips_at_gain) w.random_restarts = r.get<std::uint64_t>(ls, "random restarts");
      else w.flips_at_gain = 0;  // absent before random starts
    }
    w.current = read_terms(r, "current", c.shape, c.field);
    require_valid_terms(r, c.shape, c.field, w.current, "walker " + std::to_string(i) + "'s current scheme");
    w.best = read_terms(r, "best", c.shape, c.field);
    require_valid_terms(r, c.shape, c.field, w.best, "walker " + std::to_string(i) + "'s best scheme");
    if (w.best_rank != static_cast<int>(w.best.size()))
      r.fail("walker " + std::to_string(i) + "'s best rank " + std::to_string(w.best_rank) + " is not the rank " +
             std::to_string(w.best.size()) + " of its best scheme");
    c.walker_states.push_back(std::move(w));
  }
  // Reports in flight (absent in checkpoints written before the epoch exchange).
  while (r.next_is("report")) {
    auto rs = r.next("report");
    WalkerReport rep;
    rep.walker_id = r.get<int>(rs, "a walker id");
    if (rep.walker_id < 0 || rep.walker_id >= kMaxWalkers) r.fail("walker id out of range");
    rep.found_at_s = r.seconds(rs);
    rep.terms = read_terms(r, "terms", c.shape, c.field);
    require_valid_terms(r, c.shape, c.field, rep.terms, "the report of walker " + std::to_string(rep.walker_id));
    c.reports_in_flight.push_back(std::move(rep));
    if (c.reports_in_flight.size() > 1u << 20) r.fail("too many reports");
  }
  auto ls = r.next("pool");
  std::size_t count = r.get<std::size_t>(ls, "an entry count");
  if (count > 1u << 20) r.fail("pool too large");
  for (std::size_t i = 0; i < count; ++i) {
    auto es = r.next("entry");
    PoolEntry e;
    e.elapsed_s = r.seconds(es);
    long lines = r.get<long>(es, "a line count");
    if (lines < 1 || lines > kMaxRank + 16) r.fail("bad line count");
    std::getline(es >> std::ws, e.found_by);
    std::string body;
    for (long l = 0; l < lines; ++l) body += r.raw_line() + '\n';
    const std::string label = path + " (pool entry " + std::to_string(i + 1) + ")";
    e.scheme = parse_native(body, label);
    if (!(e.scheme.shape() == c.shape)) r.fail("pool entry " + std::to_string(i + 1) + " is for " + e.scheme.shape().str());
    const VerifyResult v = verify(e.scheme);
    if (!v) r.fail("pool entry " + std::to_string(i + 1) + " is not a valid scheme: " + v.message());
    e.fingerprint = Pool::fingerprint(e.scheme);
    c.pool.push_back(std::move(e));
  }
  r.next("end");
  return c;
}

}  // namespace fmm::search
