#include "search/run/pool.hpp"

#include <algorithm>

#include "tensor/verify.hpp"

namespace fmm::search {
namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t hash_span(std::span<const Rational> xs, std::uint64_t h) {
  for (const Rational& x : xs) h = mix(h ^ static_cast<std::uint64_t>(x.num()) ^ (static_cast<std::uint64_t>(x.den()) << 32));
  return h;
}

}  // namespace

std::uint64_t Pool::fingerprint(const Scheme& s) {
  // Sum of per-term hashes: independent of term order.
  std::uint64_t total = mix(static_cast<std::uint64_t>(s.rank()) ^ (static_cast<std::uint64_t>(s.field()) << 40));
  for (int r = 0; r < s.rank(); ++r) total += hash_span(s.w(r), hash_span(s.v(r), hash_span(s.u(r), 17)));
  return total;
}

bool Pool::offer(const Scheme& scheme, const std::string& found_by, double elapsed_s, std::string* why) {
  VerifyResult vr = verify(scheme, scheme.field());
  if (!vr.ok) {
    if (why) *why = vr.message();
    return false;
  }
  const std::uint64_t fp = fingerprint(scheme);
  std::lock_guard lock(mutex_);
  std::size_t same_bucket = 0;
  for (const PoolEntry& e : entries_) {
    if (e.scheme.field() != scheme.field() || e.scheme.rank() != scheme.rank()) continue;
    if (e.fingerprint == fp) {
      if (why) *why = "duplicate";
      return false;
    }
    ++same_bucket;
  }
  if (same_bucket >= keep_per_rank_) {
    if (why) *why = "bucket full";
    return false;
  }
  entries_.push_back({scheme, found_by, elapsed_s, fp});
  return true;
}

std::optional<int> Pool::best_rank(Field field) const {
  std::lock_guard lock(mutex_);
  std::optional<int> best;
  for (const PoolEntry& e : entries_)
    if (e.scheme.field() == field && (!best || e.scheme.rank() < *best)) best = e.scheme.rank();
  return best;
}

std::vector<PoolEntry> Pool::at_rank(Field field, int rank) const {
  std::lock_guard lock(mutex_);
  std::vector<PoolEntry> out;
  for (const PoolEntry& e : entries_)
    if (e.scheme.field() == field && e.scheme.rank() == rank) out.push_back(e);
  return out;
}

std::vector<PoolEntry> Pool::best(Field field) const {
  auto r = best_rank(field);
  return r ? at_rank(field, *r) : std::vector<PoolEntry>{};
}

std::optional<Scheme> Pool::pick_best(Field field, std::uint64_t index) const {
  auto b = best(field);
  if (b.empty()) return std::nullopt;
  return b[index % b.size()].scheme;
}

std::vector<PoolEntry> Pool::all() const {
  std::lock_guard lock(mutex_);
  std::vector<PoolEntry> out = entries_;
  std::stable_sort(out.begin(), out.end(), [](const PoolEntry& a, const PoolEntry& b) {
    if (a.scheme.field() != b.scheme.field()) return a.scheme.field() < b.scheme.field();
    return a.scheme.rank() < b.scheme.rank();
  });
  return out;
}

std::size_t Pool::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace fmm::search
