// Thread-safe pool of the best schemes found, kept per (rank, field): every scheme is
// verified (tensor/verify.hpp) before it is accepted, so nothing unverified ever leaves it.
// Walkers draw restart points from it; the CLI saves its best entries.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tensor/field.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search {

struct PoolEntry {
  Scheme scheme;            // field() is the field it was verified over
  std::string found_by;     // "flip walker 3", "mcts", "lift of ..."
  double elapsed_s = 0;     // time into the run when found
  std::uint64_t fingerprint = 0;
};

class Pool {
 public:
  // Keeps at most `keep_per_rank` distinct schemes for each (rank, field).
  explicit Pool(std::size_t keep_per_rank = 16) : keep_per_rank_(keep_per_rank) {}

  // Verifies `scheme` over its field and keeps it unless a duplicate or the bucket is full.
  // Returns true when it was new and kept. Unverified schemes are rejected (false); the
  // reason is written into *why when given.
  bool offer(const Scheme& scheme, const std::string& found_by, double elapsed_s, std::string* why = nullptr);

  std::optional<int> best_rank(Field field) const;
  // Schemes of the best rank for `field` (copies), in insertion order.
  std::vector<PoolEntry> best(Field field) const;
  // Every entry of rank `rank` over `field`.
  std::vector<PoolEntry> at_rank(Field field, int rank) const;
  // Entry number `index % size` of the best rank: a deterministic restart point for a walker.
  std::optional<Scheme> pick_best(Field field, std::uint64_t index) const;
  std::vector<PoolEntry> all() const;  // sorted by field, then rank
  std::size_t size() const;

  // Order-independent hash of a scheme's terms (equal schemes up to term order hash equal).
  static std::uint64_t fingerprint(const Scheme& scheme);

 private:
  mutable std::mutex mutex_;
  std::size_t keep_per_rank_;
  std::vector<PoolEntry> entries_;
};

}  // namespace fmm::search
