#include "search/meta/bud_walk.hpp"

#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <string>
#include <unordered_map>
#include <vector>

#include "tensor/error.hpp"
#include "tensor/splitmix64.hpp"
#include "tensor/verify.hpp"

namespace fmm::search::meta {
namespace {

using Factor = std::vector<int>;

// A factor as its primitive direction (gcd 1, first non-zero entry positive; the class key)
// and the integer that scales that direction back to the factor.
struct Direction {
  std::string key;  // empty for a zero factor
  int scale = 0;
};

Direction direction(const Factor& f) {
  int g = 0, lead = 0;
  for (int x : f) {
    g = std::gcd(g, std::abs(x));
    if (!lead && x) lead = x;
  }
  if (!g) return {};
  const int scale = lead > 0 ? g : -g;
  std::string key(f.size(), '\0');
  for (std::size_t i = 0; i < f.size(); ++i) key[i] = static_cast<char>(f[i] / scale);
  return {std::move(key), scale};
}

long saving_of(const std::vector<long>& table, int size) {
  if (table.empty()) return size / 2;
  return table[static_cast<std::size_t>(std::min<int>(size, static_cast<int>(table.size()) - 1))];
}

class Walk {
 public:
  Walk(const Scheme& s, const BudWalkConfig& cfg) : cfg_(cfg), shape_(s.shape()) {
    int largest = 1;
    for (int r = 0; r < s.rank(); ++r) {
      std::array<Factor, 3> t;
      int slot = 0;
      for (auto span : {s.u(r), s.v(r), s.w(r)}) {
        for (const Rational& x : span) {
          if (!x.is_integer() || x.num() > 1000 || x.num() < -1000)
            throw Error("bud walk: the start must have small integer coefficients");
          t[static_cast<std::size_t>(slot)].push_back(static_cast<int>(x.num()));
          largest = std::max(largest, static_cast<int>(x.num() < 0 ? -x.num() : x.num()));
        }
        ++slot;
      }
      terms_.push_back(std::move(t));
      dirs_.emplace_back();
      alive_.push_back(0);
      pos_.push_back(-1);
      attach(r);
    }
    limit_ = cfg.max_coefficient > 0 ? std::max(cfg.max_coefficient, 1) : largest;
    limit_ = std::max(limit_, largest);  // the start itself always fits
  }

  int rank() const { return static_cast<int>(live_.size()); }
  long score() const { return saved_ - static_cast<long>(cfg_.inner_rank) * rank(); }

  // One random flip with the reductions it allows; true when a flip was made (then `accept`
  // decides, from the change of the score, whether it stays).
  template <class Accept>
  bool step(SplitMix64& rng, Accept&& accept) {
    if (live_.size() < 2) return false;
    const int i = live_[rng.below(live_.size())];
    const int slot = static_cast<int>(rng.below(3));
    const auto& cls = classes_[slot].at(dirs_[i][slot].key);
    if (cls.size() < 2) return false;
    int j = cls[rng.below(cls.size())];
    if (j == i) return false;
    // f_j = sigma f_i in the shared slot, sigma an integer (else no flip from i's side).
    const int si = dirs_[i][slot].scale, sj = dirs_[j][slot].scale;
    if (sj % si) return false;
    const int sigma = sj / si;
    const int lambda = rng.below(2) ? 1 : -1;
    int a = (slot + 1) % 3, b = (slot + 2) % 3;
    if (rng.below(2)) std::swap(a, b);
    // u_i v_i w_i + sigma u_i v_j w_j = u_i (v_i + l sigma v_j) w_i + sigma u_i v_j (w_j - l w_i)
    // (for the shared slot u; a and b are the other two in either order).
    Factor fa = terms_[i][a], fb = terms_[j][b];
    for (std::size_t e = 0; e < fa.size(); ++e) {
      fa[e] += lambda * sigma * terms_[j][a][e];
      if (std::abs(fa[e]) > limit_) return false;
    }
    for (std::size_t e = 0; e < fb.size(); ++e) {
      fb[e] -= lambda * terms_[i][b][e];
      if (std::abs(fb[e]) > limit_) return false;
    }
    journal_.clear();
    const long score_before = score();
    set_factor(i, a, std::move(fa));
    set_factor(j, b, std::move(fb));
    reduce(i);
    reduce(j);
    if (!accept(score() - score_before)) undo();
    return true;
  }

  // u v w = u v (w - w_k) + u v w_k for a random product and another one k (any of the three
  // slots): rank + 1, and the new product shares that factor with k. False when nothing changed.
  bool plus(SplitMix64& rng) {
    if (live_.size() < 2) return false;
    const int t = live_[rng.below(live_.size())], k = live_[rng.below(live_.size())];
    const int slot = static_cast<int>(rng.below(3));
    if (t == k || dirs_[t][slot].key == dirs_[k][slot].key) return false;
    Factor rest = terms_[t][slot];
    for (std::size_t e = 0; e < rest.size(); ++e) {
      rest[e] -= terms_[k][slot][e];
      if (std::abs(rest[e]) > limit_) return false;
    }
    std::array<Factor, 3> split = terms_[t];
    split[slot] = terms_[k][slot];
    const int id = static_cast<int>(terms_.size());
    terms_.push_back(std::move(split));
    dirs_.emplace_back();
    alive_.push_back(0);
    pos_.push_back(-1);
    attach(id);
    journal_.clear();
    set_factor(t, slot, std::move(rest));
    return true;
  }

  Scheme scheme(Field field) const {
    Scheme out(shape_, field);
    std::array<std::vector<Rational>, 3> f;
    for (int t : live_) {
      for (int s = 0; s < 3; ++s) f[static_cast<std::size_t>(s)].assign(terms_[t][s].begin(), terms_[t][s].end());
      out.add_term(f[0], f[1], f[2]);
    }
    return out;
  }

 private:
  struct Saved {
    int term;
    std::array<Factor, 3> factors;
    bool alive;
  };

  void save(int t) {
    for (const Saved& s : journal_)
      if (s.term == t) return;
    journal_.push_back({t, terms_[t], alive_[t] != 0});
  }

  void undo() {
    for (auto it = journal_.rbegin(); it != journal_.rend(); ++it) {
      if (alive_[it->term]) detach(it->term);
      terms_[it->term] = it->factors;
      if (it->alive) attach(it->term);
    }
    journal_.clear();
  }

  void set_factor(int t, int slot, Factor f) {
    save(t);
    detach(t);
    terms_[t][slot] = std::move(f);
    if (direction(terms_[t][slot]).key.empty()) return;  // a zero factor: the product goes
    attach(t);
  }

  // Merges t with a product equal to it in two factors (up to scalars that keep integers).
  void reduce(int t) {
    if (!alive_[t]) return;
    for (int s1 = 0; s1 < 3; ++s1) {
      const int s2 = (s1 + 1) % 3, s3 = (s1 + 2) % 3;
      for (int k : classes_[s1].at(dirs_[t][s1].key)) {
        if (k == t || dirs_[k][s2].key != dirs_[t][s2].key) continue;
        // f_k = (sk / st) f_t in s1 and s2: product k = (alpha beta) f_t(s1) f_t(s2) w_k.
        const long num = static_cast<long>(dirs_[k][s1].scale) * dirs_[k][s2].scale;
        const long den = static_cast<long>(dirs_[t][s1].scale) * dirs_[t][s2].scale;
        if (num % den) continue;
        const long ab = num / den;
        Factor merged = terms_[t][s3];
        bool fits = true;
        for (std::size_t e = 0; e < merged.size(); ++e) {
          merged[e] += static_cast<int>(ab * terms_[k][s3][e]);
          if (std::abs(merged[e]) > limit_) fits = false;
        }
        if (!fits) continue;
        save(k);
        detach(k);
        set_factor(t, s3, std::move(merged));
        return;  // one merge a step (the classes just changed)
      }
    }
  }

  void attach(int t) {
    alive_[t] = 1;
    pos_[t] = static_cast<int>(live_.size());
    live_.push_back(t);
    for (int s = 0; s < 3; ++s) {
      dirs_[t][s] = direction(terms_[t][s]);
      auto& cls = classes_[s][dirs_[t][s].key];
      if (s == static_cast<int>(cfg_.slot)) saved_ += class_change(static_cast<int>(cls.size()), +1);
      cls.push_back(t);
    }
  }

  void detach(int t) {
    if (!alive_[t]) return;
    alive_[t] = 0;
    const int p = pos_[t];
    live_[static_cast<std::size_t>(p)] = live_.back();
    pos_[live_[static_cast<std::size_t>(p)]] = p;
    live_.pop_back();
    pos_[t] = -1;
    for (int s = 0; s < 3; ++s) {
      auto it = classes_[s].find(dirs_[t][s].key);
      auto& cls = it->second;
      if (s == static_cast<int>(cfg_.slot)) saved_ += class_change(static_cast<int>(cls.size()), -1);
      cls.erase(std::find(cls.begin(), cls.end(), t));
      if (cls.empty()) classes_[s].erase(it);
    }
  }

  const BudWalkConfig& cfg_;
  Shape shape_;
  int limit_ = 1;
  std::vector<std::array<Factor, 3>> terms_;
  std::vector<std::array<Direction, 3>> dirs_;
  std::vector<char> alive_;
  std::vector<int> pos_, live_;
  std::array<std::unordered_map<std::string, std::vector<int>>, 3> classes_;
  // What a class of `size` gains when it grows (+1) or shrinks (-1) by one product.
  long class_change(int size, int by) const {
    return saving_of(cfg_.class_saving, size + by) - saving_of(cfg_.class_saving, size);
  }

  long saved_ = 0;  // the classes' saving in cfg_.slot
  std::vector<Saved> journal_;
};

}  // namespace

long bud_saving(const Scheme& scheme, Slot slot, const std::vector<long>& class_saving) {
  long saving = 0;
  for (const BudGroup& c : bud_classes(scheme))
    if (c.slot == slot) saving += saving_of(class_saving, static_cast<int>(c.terms.size()));
  return saving;
}

std::vector<long> class_saving_table(const Shape& inner, Slot slot, long inner_rank,
                                     const std::function<long(const Shape&)>& rank_of, int max_size) {
  std::vector<long> group(static_cast<std::size_t>(std::max(max_size, 1)) + 1, 0);
  for (int k = 2; k <= max_size; ++k) {
    const Shape big = enlarged_format(inner, slot, k);
    const long r = big.valid() ? rank_of(big) : -1;
    group[static_cast<std::size_t>(k)] = r < 0 ? 0 : k * inner_rank - r;
  }
  return split_class(std::max(max_size, 1), [&](int k) { return group[static_cast<std::size_t>(k)]; }).best;
}

BudWalkResult bud_walk(const Scheme& start, const BudWalkConfig& cfg) {
  if (start.field() == Field::GF2) throw Error("bud walk: the start must be an integer scheme (over Z), not GF(2)");
  require_verified(start, "bud walk start");
  Walk walk(start, cfg);
  SplitMix64 rng{cfg.seed};
  BudWalkResult result;
  result.best = start;
  long best_score = walk.score();
  const auto t0 = std::chrono::steady_clock::now();
  const double temperature = std::max(cfg.temperature, 1e-9);
  auto accept = [&](long delta) { return delta >= 0 || rng.unit() < std::exp(static_cast<double>(delta) / temperature); };
  for (std::uint64_t n = 0;; ++n) {
    if (cfg.max_steps ? n >= cfg.max_steps
                      : (n % 4096 == 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() >= cfg.seconds))
      break;
    ++result.steps;
    if (cfg.plus_every && n % cfg.plus_every == cfg.plus_every - 1 && walk.rank() < start.rank() + cfg.plus_slack) {
      walk.plus(rng);
      continue;
    }
    if (!walk.step(rng, accept)) continue;
    ++result.taken;
    if (walk.score() > best_score) {
      best_score = walk.score();
      result.best = walk.scheme(start.field());
    }
  }
  result.best.set_source("fmm meta buds: bud walk of " + start.shape().str() + ":" + std::to_string(start.rank()) +
                         " for shared " + to_string(cfg.slot) + ", seed " +
                         std::to_string(cfg.seed));
  require_verified(result.best, "bud walk result");
  result.saving = bud_saving(result.best, cfg.slot, cfg.class_saving);
  result.score = result.saving - static_cast<long>(cfg.inner_rank) * result.best.rank();
  return result;
}

}  // namespace fmm::search::meta
