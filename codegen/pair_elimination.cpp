#include "codegen/pair_elimination.hpp"

#include <algorithm>
#include <cassert>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include "tensor/error.hpp"
#include "tensor/rational.hpp"  // checked_add, checked_mul
#include "tensor/splitmix64.hpp"

namespace fmm::codegen {

namespace {

using Rng = SplitMix64;  // tensor/splitmix64.hpp

// The subexpression q x_i + p x_j, i < j, gcd(p, q) = 1, q > 0. A form holding c_i x_i + c_j x_j
// contains it when c_j / c_i = p / q; it then holds (c_i / q) t, an integer since q | c_i.
struct Key {
  int i = 0, j = 0;
  std::int64_t p = 0, q = 1;
  friend bool operator==(const Key&, const Key&) = default;
  friend bool operator<(const Key& a, const Key& b) { return std::tie(a.i, a.j, a.p, a.q) < std::tie(b.i, b.j, b.p, b.q); }
};

// The elimination multiplies two coefficients (Eliminator::contains) and negates them (key_of)
// in 64 bits: forms with a coefficient beyond this get no temporaries (reduce, greedy_pairs).
// {-1,0,1} schemes and small rationals are far below it; codegen of a scheme with entries near
// 2^40 overflowed here (found by scripts/probe_extremes.sh, 2026-12-07).
constexpr std::int64_t kMaxCoefficient = std::int64_t(1) << 24;

bool within_limits(const std::vector<IntForm>& forms) {
  for (const IntForm& f : forms)
    for (const IntTerm& t : f)
      if (t.coef > kMaxCoefficient || t.coef < -kMaxCoefficient) return false;
  return true;
}

// Key of the two terms a (var i) and b (var j), a.var < b.var.
Key key_of(const IntTerm& a, const IntTerm& b) {
  const std::int64_t g = checked_gcd(a.coef, b.coef);
  std::int64_t p = b.coef / g, q = a.coef / g;
  if (q < 0) {
    p = -p;
    q = -q;
  }
  return {a.var, b.var, p, q};
}

std::uint64_t hash_of(const Key& k) {
  std::uint64_t h = static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.i)) * 0x9E3779B97F4A7C15ULL;
  h ^= static_cast<std::uint64_t>(static_cast<std::uint32_t>(k.j)) * 0xC2B2AE3D27D4EB4FULL;
  h ^= static_cast<std::uint64_t>(k.p) * 0x165667B19E3779F9ULL;
  h ^= static_cast<std::uint64_t>(k.q) * 0x27D4EB2F165667C5ULL;
  return h ^ (h >> 29);
}

int form_additions(const IntForm& f) { return f.empty() ? 0 : static_cast<int>(f.size()) - 1; }

// Passes with at most this many inputs get the cancellation rewrite after every run, and look
// for three-term rewrites among at most kTripleValues values.
constexpr std::size_t kSmallPass = 64;
constexpr std::size_t kTripleValues = 160;

enum class Strategy { Greedy, RandomTies, Weighted, LookAhead };

// One elimination run over a set of forms. Pair counts live in an open-addressing table whose
// entries sit in buckets by count, so the most frequent pairs are found without a scan.
class Eliminator {
 public:
  void reset(int inputs, const std::vector<IntForm>& outputs) {
    inputs_ = inputs;
    forms_ = outputs;  // assignments and clear() below keep the capacity of a reused eliminator
    temps_.clear();
    choices_.clear();
    entries_.clear();
    if (buckets_.size() < 2) buckets_.resize(2);
    for (auto& b : buckets_) b.clear();
    max_count_ = 0;
    work_ = 0;
    std::size_t pairs = 0;
    for (const IntForm& f : forms_) pairs += f.size() * (f.size() - (f.empty() ? 0 : 1)) / 2;
    std::size_t cap = 64;
    while (cap < 2 * pairs + 16) cap *= 2;
    if (slots_.size() == cap) std::fill(slots_.begin(), slots_.end(), -1);
    else slots_.assign(cap, -1);
    if (occ_.size() < static_cast<std::size_t>(inputs)) occ_.resize(static_cast<std::size_t>(inputs));
    for (std::size_t v = 0; v < static_cast<std::size_t>(inputs); ++v) occ_[v].clear();
    occ_size_ = static_cast<std::size_t>(inputs);
    for (int f = 0; f < static_cast<int>(forms_.size()); ++f) {
      for (const IntTerm& t : forms_[f]) occ_[static_cast<std::size_t>(t.var)].push_back(f);
      count_pairs(forms_[f], +1);
    }
  }

  // Runs to the end: substitutes pairs until none occurs twice. `replay` choices are taken first
  // (while they still occur twice).
  void run(Strategy strategy, double alpha, const std::vector<Key>& replay, std::size_t replay_len, Rng& rng) {
    for (std::size_t r = 0; r < replay_len && r < replay.size(); ++r) {
      const int e = find(replay[r]);
      if (e < 0 || entries_[static_cast<std::size_t>(e)].count < 2) break;
      substitute(replay[r]);
    }
    for (;;) {
      while (max_count_ >= 2 && buckets_[static_cast<std::size_t>(max_count_)].empty()) --max_count_;
      if (max_count_ < 2) break;
      Strategy s = strategy;
      if (s == Strategy::Weighted && rng.unit() < 0.6) s = Strategy::RandomTies;
      substitute(pick(s, alpha, rng));
    }
  }

  // The pilot method (C. Duin, S. Voss, "The pilot method: a strategy for heuristic repetition
  // with application to the Steiner problem in graphs", Networks 34, 1999): at every step each
  // candidate pair is tried, the elimination is finished greedily from there, and the candidate
  // whose finish is cheapest is taken (ties at random). Candidates: every pair occurring at least
  // twice, or `max_candidates` of them drawn at random, the most frequent first.
  // Once the run's work passes `work_cap` it finishes greedily (a trial copies the whole state,
  // which the work count includes, so large passes cannot run away).
  void pilot(int max_candidates, Rng& rng, std::int64_t work_cap) {
    for (;;) {
      while (max_count_ >= 2 && buckets_[static_cast<std::size_t>(max_count_)].empty()) --max_count_;
      if (max_count_ < 2) break;
      if (work_cap > 0 && work_ >= work_cap) {
        run(Strategy::Greedy, 0, {}, 0, rng);
        return;
      }
      std::int64_t state = static_cast<std::int64_t>(entries_.size() + slots_.size() / 4);
      for (const IntForm& f : forms_) state += static_cast<std::int64_t>(f.size());
      candidates_.clear();
      for (int c = max_count_; c >= 2 && static_cast<int>(candidates_.size()) < max_candidates; --c) {
        const auto& b = buckets_[static_cast<std::size_t>(c)];
        const std::size_t room = static_cast<std::size_t>(max_candidates) - candidates_.size();
        if (b.size() <= room) {
          candidates_.insert(candidates_.end(), b.begin(), b.end());
        } else {
          std::vector<int> pool(b.begin(), b.end());
          for (std::size_t a = 0; a < room; ++a) std::swap(pool[a], pool[a + rng.below(pool.size() - a)]);
          candidates_.insert(candidates_.end(), pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(room));
        }
      }
      const std::vector<int> cands = candidates_;
      int best_cost = 1 << 30, ties = 0;
      Key best;
      for (int e : cands) {
        const Key k = entries_[static_cast<std::size_t>(e)].key;
        Eliminator trial = *this;
        trial.substitute(k);
        trial.run(Strategy::Greedy, 0, {}, 0, rng);
        work_ = trial.work_ + state;  // the trial started from this run's count
        const int cost = trial.additions();
        if (cost < best_cost) {
          best_cost = cost;
          best = k;
          ties = 1;
        } else if (cost == best_cost && rng.below(static_cast<std::uint64_t>(++ties)) == 0) {
          best = k;
        }
      }
      substitute(best);
    }
  }

  int additions() const {
    int total = static_cast<int>(temps_.size());
    for (const IntForm& f : forms_) total += form_additions(f);
    return total;
  }
  std::int64_t work() const { return work_; }
  void set_noise(double noise) { noise_ = noise; }
  const std::vector<Key>& choices() const { return choices_; }

  IntProgram program() const {
    IntProgram p;
    p.inputs = inputs_;
    p.temps = temps_;
    p.outputs = forms_;
    return p;
  }

 private:
  struct Entry {
    Key key;
    int count = 0;
    int pos = -1;  // index in buckets_[count]
  };

  int find(const Key& k) const {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = hash_of(k) & mask;; s = (s + 1) & mask) {
      const int e = slots_[s];
      if (e < 0) return -1;
      if (entries_[static_cast<std::size_t>(e)].key == k) return e;
    }
  }

  int find_or_insert(const Key& k) {
    if (2 * (entries_.size() + 1) > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = hash_of(k) & mask;; s = (s + 1) & mask) {
      const int e = slots_[s];
      if (e < 0) {
        slots_[s] = static_cast<int>(entries_.size());
        entries_.push_back({k, 0, -1});
        bucket_insert(static_cast<int>(entries_.size()) - 1);
        return static_cast<int>(entries_.size()) - 1;
      }
      if (entries_[static_cast<std::size_t>(e)].key == k) return e;
    }
  }

  void grow() {
    std::vector<int> old = std::move(slots_);
    slots_.assign(old.size() * 2, -1);
    const std::size_t mask = slots_.size() - 1;
    for (int e : old) {
      if (e < 0) continue;
      std::size_t s = hash_of(entries_[static_cast<std::size_t>(e)].key) & mask;
      while (slots_[s] >= 0) s = (s + 1) & mask;
      slots_[s] = e;
    }
  }

  void bucket_insert(int e) {
    Entry& en = entries_[static_cast<std::size_t>(e)];
    if (static_cast<std::size_t>(en.count) >= buckets_.size()) buckets_.resize(static_cast<std::size_t>(en.count) + 1);
    auto& b = buckets_[static_cast<std::size_t>(en.count)];
    en.pos = static_cast<int>(b.size());
    b.push_back(e);
    max_count_ = std::max(max_count_, en.count);
  }
  void bucket_remove(int e) {
    Entry& en = entries_[static_cast<std::size_t>(e)];
    auto& b = buckets_[static_cast<std::size_t>(en.count)];
    const int last = b.back();
    b[static_cast<std::size_t>(en.pos)] = last;
    entries_[static_cast<std::size_t>(last)].pos = en.pos;
    b.pop_back();
  }

  void bump(const Key& k, int delta) {
    const int e = find_or_insert(k);
    bucket_remove(e);
    entries_[static_cast<std::size_t>(e)].count += delta;
    assert(entries_[static_cast<std::size_t>(e)].count >= 0);
    bucket_insert(e);
    ++work_;
  }

  void count_pairs(const IntForm& f, int delta) {
    for (std::size_t a = 0; a < f.size(); ++a)
      for (std::size_t b = a + 1; b < f.size(); ++b) bump(key_of(f[a], f[b]), delta);
  }

  // Position of var in the (sorted) form, or -1.
  static int position(const IntForm& f, int var) {
    auto it = std::lower_bound(f.begin(), f.end(), var, [](const IntTerm& t, int v) { return t.var < v; });
    return it != f.end() && it->var == var ? static_cast<int>(it - f.begin()) : -1;
  }

  // Does form f contain the pair k? Returns the coefficient of x_i there (0: no).
  std::int64_t contains(const IntForm& f, const Key& k) const {
    const int a = position(f, k.i);
    if (a < 0) return 0;
    const int b = position(f, k.j);
    if (b < 0) return 0;
    const std::int64_t ci = f[static_cast<std::size_t>(a)].coef, cj = f[static_cast<std::size_t>(b)].coef;
    // No overflow: |coefficients| <= kMaxCoefficient (checked where forms come in; substitutions
    // only divide them).
    return ci * k.p == cj * k.q ? ci : 0;
  }

  // Forms containing k, each listed once.
  void forms_with(const Key& k, std::vector<int>& out) {
    out.clear();
    auto& list = occ_[static_cast<std::size_t>(k.i)];
    // Drop stale entries (forms that no longer hold x_i) while scanning.
    std::size_t keep = 0;
    for (std::size_t s = 0; s < list.size(); ++s) {
      const int f = list[s];
      if (position(forms_[static_cast<std::size_t>(f)], k.i) < 0) continue;
      list[keep++] = f;
      if (contains(forms_[static_cast<std::size_t>(f)], k)) out.push_back(f);
    }
    list.resize(keep);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }

  void substitute(const Key& k) {
    const int t = inputs_ + static_cast<int>(temps_.size());
    temps_.push_back({IntTerm{k.i, k.q}, IntTerm{k.j, k.p}});
    choices_.push_back(k);
    if (occ_size_ == occ_.size()) occ_.emplace_back();
    else occ_[occ_size_].clear();
    ++occ_size_;
    forms_with(k, scratch_forms_);
    for (int fi : scratch_forms_) {
      IntForm& f = forms_[static_cast<std::size_t>(fi)];
      const std::int64_t ci = contains(f, k);
      count_pairs(f, -1);
      f.erase(std::remove_if(f.begin(), f.end(), [&](const IntTerm& x) { return x.var == k.i || x.var == k.j; }), f.end());
      f.push_back({t, ci / k.q});  // t is the newest variable: the form stays sorted
      count_pairs(f, +1);
      occ_[static_cast<std::size_t>(t)].push_back(fi);
    }
  }

  Key pick(Strategy s, double alpha, Rng& rng) {
    const auto& top = buckets_[static_cast<std::size_t>(max_count_)];
    switch (s) {
      case Strategy::Greedy:  // the bucket's order is a deterministic function of the input
        return entries_[static_cast<std::size_t>(top[0])].key;
      case Strategy::RandomTies:
        return entries_[static_cast<std::size_t>(top[rng.below(top.size())])].key;
      case Strategy::Weighted: {
        std::uint64_t total = 0;
        for (int c = 2; c <= max_count_; ++c) total += buckets_[static_cast<std::size_t>(c)].size() * static_cast<std::uint64_t>(c - 1);
        std::uint64_t r = rng.below(total);
        for (int c = 2; c <= max_count_; ++c) {
          const auto& b = buckets_[static_cast<std::size_t>(c)];
          const std::uint64_t w = b.size() * static_cast<std::uint64_t>(c - 1);
          if (r < w) return entries_[static_cast<std::size_t>(b[r / static_cast<std::uint64_t>(c - 1)])].key;
          r -= w;
        }
        return entries_[static_cast<std::size_t>(top[0])].key;
      }
      case Strategy::LookAhead:
        return look_ahead(alpha, rng);
    }
    return entries_[static_cast<std::size_t>(top[0])].key;
  }

  // Candidates: kCandidates pairs drawn at random among all that occur at least twice.
  // Score: saving + alpha * (change of sum over other pairs of (count - 1)+ if substituted),
  // plus uniform noise of width noise_ (which lets lower counts win now and then).
  Key look_ahead(double alpha, Rng& rng) {
    constexpr std::size_t kCandidates = 24;
    candidates_.clear();
    for (int c = max_count_; c >= 2; --c)
      for (int e : buckets_[static_cast<std::size_t>(c)]) candidates_.push_back(e);
    if (candidates_.size() > kCandidates) {
      for (std::size_t a = 0; a < kCandidates; ++a) std::swap(candidates_[a], candidates_[a + rng.below(candidates_.size() - a)]);
      candidates_.resize(kCandidates);
    }
    double best_score = -1e300;
    Key best;
    int ties = 0;
    for (int e : candidates_) {
      const Entry& en = entries_[static_cast<std::size_t>(e)];
      const double score = (en.count - 1) + alpha * potential_change(en.key) + noise_ * (rng.unit() - 0.5);
      if (score > best_score + 1e-9) {
        best_score = score;
        best = en.key;
        ties = 1;
      } else if (score > best_score - 1e-9 && rng.below(static_cast<std::uint64_t>(++ties)) == 0) {
        best = en.key;
      }
    }
    return best;
  }

  double potential_change(const Key& k) {
    forms_with(k, scratch_forms_);
    deltas_.clear();
    const int t = inputs_ + static_cast<int>(temps_.size());
    for (int fi : scratch_forms_) {
      const IntForm& f = forms_[static_cast<std::size_t>(fi)];
      const std::int64_t ct = contains(f, k) / k.q;
      const int a = position(f, k.i), b = position(f, k.j);
      for (int x = 0; x < static_cast<int>(f.size()); ++x) {
        if (x == a || x == b) continue;
        const IntTerm& o = f[static_cast<std::size_t>(x)];
        const IntTerm& ti = f[static_cast<std::size_t>(a)];
        const IntTerm& tj = f[static_cast<std::size_t>(b)];
        deltas_.push_back({o.var < ti.var ? key_of(o, ti) : key_of(ti, o), -1});
        deltas_.push_back({o.var < tj.var ? key_of(o, tj) : key_of(tj, o), -1});
        deltas_.push_back({key_of(o, IntTerm{t, ct}), +1});
      }
    }
    work_ += static_cast<std::int64_t>(deltas_.size());
    std::sort(deltas_.begin(), deltas_.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    double change = 0;
    for (std::size_t s = 0; s < deltas_.size();) {
      std::size_t e = s;
      int d = 0;
      while (e < deltas_.size() && deltas_[e].first == deltas_[s].first) d += deltas_[e++].second;
      const int found = deltas_[s].first.j == t ? -1 : find(deltas_[s].first);
      const int before = found < 0 ? 0 : entries_[static_cast<std::size_t>(found)].count;
      change += std::max(before + d - 1, 0) - std::max(before - 1, 0);
      s = e;
    }
    return change;
  }

  int inputs_ = 0;
  double noise_ = 0;
  std::vector<IntForm> forms_;
  std::vector<std::array<IntTerm, 2>> temps_;
  std::vector<Key> choices_;
  std::vector<Entry> entries_;
  std::vector<int> slots_;
  std::vector<std::vector<int>> buckets_;
  std::vector<std::vector<int>> occ_;  // var -> forms that held it (may be stale); occ_size_ in use
  std::size_t occ_size_ = 0;
  int max_count_ = 0;
  std::int64_t work_ = 0;
  std::vector<int> scratch_forms_, candidates_;
  std::vector<std::pair<Key, int>> deltas_;
};

// Removes temporaries no output needs (directly or through other temporaries) and renumbers.
void drop_unused_temps(IntProgram& p) {
  const int n = p.inputs;
  std::vector<char> used(p.temps.size(), 0);
  for (const IntForm& out : p.outputs)
    for (const IntTerm& term : out)
      if (term.var >= n) used[static_cast<std::size_t>(term.var - n)] = 1;
  for (std::size_t t = p.temps.size(); t-- > 0;)
    if (used[t])
      for (const IntTerm& term : p.temps[t])
        if (term.var >= n) used[static_cast<std::size_t>(term.var - n)] = 1;
  std::vector<int> renumber(p.temps.size(), -1);
  std::vector<std::array<IntTerm, 2>> kept;
  auto map = [&](IntTerm term) {
    if (term.var >= n) term.var = n + renumber[static_cast<std::size_t>(term.var - n)];
    return term;
  };
  for (std::size_t t = 0; t < p.temps.size(); ++t) {
    if (!used[t]) continue;
    renumber[t] = static_cast<int>(kept.size());
    kept.push_back({map(p.temps[t][0]), map(p.temps[t][1])});
  }
  for (IntForm& out : p.outputs)
    for (IntTerm& term : out) term = map(term);
  p.temps = std::move(kept);
}

// Outputs rewritten with cancellation. The pair elimination only shares subexpressions that occur
// verbatim; an output may be cheaper as a sum or difference of values computed anyway, where
// terms cancel: f = v1 - v2 with v1 = a + b + c + d and v2 = d costs one addition, not two.
// For every output costing two or more, look for f = s1 v1 + s2 v2 (one addition) and, on small
// passes, f = s1 v1 + s2 v2 + s3 v3 (two), v any input or temporary, s = +-1, by hashing the
// expansions of all values; then drop the temporaries nothing uses any more. Returns the new
// additions. Exact: an output is only replaced by values whose expansions sum to it.
struct Expansion {
  std::vector<std::int64_t> c;
  friend bool operator==(const Expansion&, const Expansion&) = default;
};

std::uint64_t hash_dense(const std::vector<std::int64_t>& v) {
  std::uint64_t h = 0x84222325CBF29CE4ULL;
  for (std::int64_t x : v) h = (h ^ static_cast<std::uint64_t>(x)) * 0x100000001B3ULL;
  return h;
}

// Sign of the first nonzero (0 for the zero vector).
int leading_sign(const std::vector<std::int64_t>& v) {
  for (std::int64_t x : v)
    if (x) return x > 0 ? 1 : -1;
  return 0;
}

int rewrite_with_cancellation(IntProgram& p, std::size_t max_values_for_triples) {
  const std::size_t n = static_cast<std::size_t>(p.inputs);
  const std::size_t values = n + p.temps.size();
  std::vector<std::vector<std::int64_t>> ex(values, std::vector<std::int64_t>(n, 0));
  for (std::size_t x = 0; x < n; ++x) ex[x][x] = 1;
  // Expansions multiply coefficients along chains of temporaries: checked, and kept below 2^60
  // so that the sums of three signed expansions below cannot overflow. A program beyond that
  // (a scheme with huge coefficients; {-1,0,1} schemes stay tiny) is left as it is.
  constexpr std::int64_t kMaxExpansion = std::int64_t(1) << 60;
  auto too_large = [&](const std::vector<std::int64_t>& v) {
    return std::any_of(v.begin(), v.end(), [&](std::int64_t x) { return x > kMaxExpansion || x < -kMaxExpansion; });
  };
  try {
    for (std::size_t t = 0; t < p.temps.size(); ++t) {
      for (const IntTerm& term : p.temps[t])
        for (std::size_t x = 0; x < n; ++x)
          ex[n + t][x] = checked_add(ex[n + t][x], checked_mul(term.coef, ex[static_cast<std::size_t>(term.var)][x]));
      if (too_large(ex[n + t])) return p.additions();
    }
  } catch (const OverflowError&) {
    return p.additions();
  }
  // Sign-normalised expansion -> (value, sign): s * ex[value] is the normalised vector.
  std::unordered_multimap<std::uint64_t, std::pair<int, int>> index;
  for (std::size_t v = 0; v < values; ++v) {
    const int s = leading_sign(ex[v]);
    if (!s) continue;
    std::vector<std::int64_t> norm = ex[v];
    if (s < 0) for (auto& x : norm) x = -x;
    index.emplace(hash_dense(norm), std::pair<int, int>{static_cast<int>(v), s});
  }
  auto lookup = [&](std::vector<std::int64_t> r, int& var, std::int64_t& coef) {
    const int s = leading_sign(r);
    if (!s) return false;
    if (s < 0) for (auto& x : r) x = -x;
    auto [a, b] = index.equal_range(hash_dense(r));
    for (auto it = a; it != b; ++it) {
      const auto [v, sv] = it->second;
      bool same = true;
      for (std::size_t x = 0; x < n && same; ++x) same = ex[static_cast<std::size_t>(v)][x] * sv == r[x];
      if (same) {
        var = v;
        coef = s * sv;  // r_original = s * r_norm = s * sv * ex[v]
        return true;
      }
    }
    return false;
  };
  bool changed = false;
  for (IntForm& out : p.outputs) {
    if (out.size() < 3) continue;  // costs at most one already
    std::vector<std::int64_t> f(n, 0);
    try {
      for (const IntTerm& term : out)
        for (std::size_t x = 0; x < n; ++x)
          f[x] = checked_add(f[x], checked_mul(term.coef, ex[static_cast<std::size_t>(term.var)][x]));
    } catch (const OverflowError&) {
      continue;
    }
    if (too_large(f)) continue;
    int var = 0;
    std::int64_t coef = 0;
    IntForm best;
    for (std::size_t v1 = 0; v1 < values && best.empty(); ++v1)
      for (int s1 : {1, -1}) {
        std::vector<std::int64_t> r = f;
        for (std::size_t x = 0; x < n; ++x) r[x] -= s1 * ex[v1][x];
        if (lookup(r, var, coef) && static_cast<std::size_t>(var) != v1) {
          best = {IntTerm{static_cast<int>(v1), s1}, IntTerm{var, coef}};
          break;
        }
      }
    if (best.empty() && out.size() >= 4 && values <= max_values_for_triples) {
      for (std::size_t v1 = 0; v1 < values && best.empty(); ++v1)
        for (std::size_t v2 = v1 + 1; v2 < values && best.empty(); ++v2)
          for (int s1 : {1, -1})
            for (int s2 : {1, -1}) {
              std::vector<std::int64_t> r = f;
              for (std::size_t x = 0; x < n; ++x) r[x] -= s1 * ex[v1][x] + s2 * ex[v2][x];
              if (lookup(r, var, coef) && static_cast<std::size_t>(var) != v1 && static_cast<std::size_t>(var) != v2) {
                best = {IntTerm{static_cast<int>(v1), s1}, IntTerm{static_cast<int>(v2), s2}, IntTerm{var, coef}};
                goto found;
              }
            }
    found:;
    }
    if (!best.empty() && best.size() < out.size()) {
      std::sort(best.begin(), best.end(), [](const IntTerm& a, const IntTerm& b) { return a.var < b.var; });
      out = std::move(best);
      changed = true;
    }
  }
  if (changed) drop_unused_temps(p);
  return p.additions();
}

}  // namespace

int plain_additions(const std::vector<IntForm>& forms) {
  int total = 0;
  for (const IntForm& f : forms) total += form_additions(f);
  return total;
}

int IntProgram::additions() const { return static_cast<int>(temps.size()) + plain_additions(outputs); }

IntProgram greedy_pairs(int inputs, const std::vector<IntForm>& outputs) {
  if (!within_limits(outputs)) return IntProgram{inputs, {}, outputs};
  Eliminator el;
  el.reset(inputs, outputs);
  Rng rng{0};
  el.run(Strategy::Greedy, 0, {}, 0, rng);
  return el.program();
}

namespace {

// The best program of the greedy run and `options.runs` randomised ones, built in `el`; returns
// its additions. `keep` receives the program when given.
int reduce(Eliminator& el, int inputs, const std::vector<IntForm>& outputs, const ReduceOptions& options, IntProgram* keep) {
  if (!within_limits(outputs)) {
    if (keep) *keep = IntProgram{inputs, {}, outputs};
    return plain_additions(outputs);
  }
  el.reset(inputs, outputs);
  Rng rng{options.seed * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL};
  el.run(Strategy::Greedy, 0, {}, 0, rng);
  // The cancellation rewrite: two-term rewrites after every run of a small pass, three-term ones
  // (O(values^2) per output) on its best program; on a large pass two-term ones on the best only.
  const bool small = static_cast<std::size_t>(inputs) <= kSmallPass;
  auto finish = [&](IntProgram& prog) {
    prog = el.program();
    return rewrite_with_cancellation(prog, 0);  // two-term rewrites; three-term ones at the end
  };
  IntProgram prog;
  int best_additions = small ? finish(prog) : el.additions();
  if (keep) *keep = small ? prog : el.program();
  std::vector<Key> best_choices = el.choices();
  std::int64_t work = el.work();
  for (int r = 0; r < options.runs; ++r) {
    if (options.work_limit > 0 && work >= options.work_limit) break;
    // The mix below was chosen on Winograd^2 (159 for 8 of 8 seeds: A and B passes 42, as
    // Perminov's reducer), Laderman (62) and Strassen^2 (192-193); half the runs are pilot runs,
    // the ones that find the 42-addition passes.
    const double u = rng.unit();
    const Strategy s = u < 0.2 ? Strategy::RandomTies : u < 0.3 ? Strategy::Weighted : Strategy::LookAhead;
    const double alpha = 0.1 + 0.9 * rng.unit();
    el.set_noise(5.0 * rng.unit());
    // Partial initialisation: replay a random prefix of the best run's choices.
    const std::size_t replay = rng.unit() < 0.5 ? static_cast<std::size_t>(rng.below(best_choices.size() + 1)) : 0;
    el.reset(inputs, outputs);
    if (rng.unit() < 0.5) el.pilot(32, rng, options.work_limit > 0 ? options.work_limit - work : 0);
    else el.run(s, alpha, best_choices, replay, rng);
    work += el.work();
    const int additions = small ? finish(prog) : el.additions();
    if (additions < best_additions) {
      best_additions = additions;
      if (keep) *keep = small ? prog : el.program();
      best_choices = el.choices();
    }
  }
  if (small && keep) {  // three-term rewrites, on the best program only
    best_additions = std::min(best_additions, rewrite_with_cancellation(*keep, kTripleValues));
  } else if (small) {
    el.reset(inputs, outputs);
    el.run(Strategy::Greedy, 0, best_choices, best_choices.size(), rng);
    IntProgram best = el.program();
    best_additions = std::min(best_additions, rewrite_with_cancellation(best, kTripleValues));
  }
  if (!small) {  // large pass: the rewrite on the best program only
    IntProgram best = keep ? *keep : IntProgram{};
    if (!keep) {  // rebuild the best run's program to rewrite it
      el.reset(inputs, outputs);
      el.run(Strategy::Greedy, 0, best_choices, best_choices.size(), rng);
      best = el.program();
    }
    best_additions = std::min(best_additions, rewrite_with_cancellation(best, 0));
    if (keep) *keep = std::move(best);
  }
  return best_additions;
}

}  // namespace

IntProgram reduce_additions(int inputs, const std::vector<IntForm>& outputs, const ReduceOptions& options) {
  Eliminator el;
  IntProgram best;
  reduce(el, inputs, outputs, options, &best);
  return best;
}

int count_additions(int inputs, const std::vector<IntForm>& outputs, const ReduceOptions& options) {
  thread_local Eliminator el;  // reused: a walk calls this for every step
  return reduce(el, inputs, outputs, options, nullptr);
}

}  // namespace fmm::codegen
