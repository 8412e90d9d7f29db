#include "codegen/chunk_schedule.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <string>

#include "tensor/error.hpp"

namespace fmm::codegen {

namespace {

// A set of block indices as bits: the greedy grouping asks "how many of this product's blocks
// are new to the chunk" R^2 times, which word-wide AND-NOT and popcount answer cheaply.
class BlockSet {
 public:
  explicit BlockSet(int size = 0) : words_(static_cast<size_t>((size + 63) / 64), 0) {}
  void add(int x) { words_[static_cast<size_t>(x) / 64] |= std::uint64_t(1) << (x % 64); }
  bool has(int x) const { return (words_[static_cast<size_t>(x) / 64] >> (x % 64)) & 1; }
  void unite(const BlockSet& o) {
    for (size_t w = 0; w < words_.size(); ++w) words_[w] |= o.words_[w];
  }
  // |other \ this|
  int count_new(const BlockSet& other) const {
    int n = 0;
    for (size_t w = 0; w < words_.size(); ++w) n += std::popcount(other.words_[w] & ~words_[w]);
    return n;
  }
  // |other \ this| restricted to `within`
  int count_new_within(const BlockSet& other, const BlockSet& within) const {
    int n = 0;
    for (size_t w = 0; w < words_.size(); ++w) n += std::popcount(other.words_[w] & ~words_[w] & within.words_[w]);
    return n;
  }

 private:
  std::vector<std::uint64_t> words_;
};

int max_index(const std::vector<ProductFootprint>& products, std::vector<int> ProductFootprint::* side) {
  int m = -1;
  for (const ProductFootprint& p : products)
    for (int x : p.*side) m = std::max(m, x);
  return m + 1;
}

}  // namespace

std::vector<ProductFootprint> product_footprints(const Scheme& flat) {
  std::vector<ProductFootprint> out(static_cast<size_t>(flat.rank()));
  for (int r = 0; r < flat.rank(); ++r) {
    ProductFootprint& f = out[static_cast<size_t>(r)];
    const auto u = flat.u(r), v = flat.v(r), w = flat.w(r);
    for (size_t x = 0; x < u.size(); ++x)
      if (!u[x].is_zero()) f.a.push_back(static_cast<int>(x));
    for (size_t x = 0; x < v.size(); ++x)
      if (!v[x].is_zero()) f.b.push_back(static_cast<int>(x));
    for (size_t x = 0; x < w.size(); ++x)
      if (!w[x].is_zero()) f.c.push_back(static_cast<int>(x));
  }
  return out;
}

std::vector<Chunk> schedule_chunks(const std::vector<ProductFootprint>& products, int c_block_count, int capacity,
                                   BlockWeights weights) {
  if (capacity < 1) throw Error("chunk schedule: the capacity must be at least one product");
  const int R = static_cast<int>(products.size());
  const int na = max_index(products, &ProductFootprint::a);
  const int nb = max_index(products, &ProductFootprint::b);
  const int nc = std::max(c_block_count, max_index(products, &ProductFootprint::c));
  std::vector<BlockSet> pa, pb, pc;
  for (const ProductFootprint& p : products) {
    pa.emplace_back(na);
    pb.emplace_back(nb);
    pc.emplace_back(nc);
    for (int x : p.a) pa.back().add(x);
    for (int x : p.b) pb.back().add(x);
    for (int x : p.c) pc.back().add(x);
  }

  std::vector<Chunk> chunks;
  if (capacity >= R) {  // one chunk, products in order: the one-pass plan
    Chunk all;
    BlockSet ua(na), ub(nb), uc(nc);
    for (int r = 0; r < R; ++r) {
      all.products.push_back(r);
      ua.unite(pa[static_cast<size_t>(r)]);
      ub.unite(pb[static_cast<size_t>(r)]);
      uc.unite(pc[static_cast<size_t>(r)]);
    }
    for (int x = 0; x < na; ++x)
      if (ua.has(x)) all.a_blocks.push_back(x);
    for (int x = 0; x < nb; ++x)
      if (ub.has(x)) all.b_blocks.push_back(x);
    for (int x = 0; x < nc; ++x) {
      if (!uc.has(x))
        throw Error("chunk schedule: C block " + std::to_string(x) + " receives no product (not a matrix product scheme)");
      all.c_blocks.push_back(x);
      all.c_first.push_back(1);
    }
    chunks.push_back(std::move(all));
    return chunks;
  }
  std::vector<char> placed(static_cast<size_t>(R), 0);
  BlockSet touched(nc);  // C blocks some earlier chunk added to
  int first_free = 0;
  for (int done = 0; done < R;) {
    Chunk chunk;
    BlockSet ua(na), ub(nb), uc(nc);
    auto take = [&](int r) {
      placed[static_cast<size_t>(r)] = 1;
      chunk.products.push_back(r);
      ua.unite(pa[static_cast<size_t>(r)]);
      ub.unite(pb[static_cast<size_t>(r)]);
      uc.unite(pc[static_cast<size_t>(r)]);
      ++done;
    };
    while (placed[static_cast<size_t>(first_free)]) ++first_free;
    take(first_free);
    while (static_cast<int>(chunk.products.size()) < capacity && done < R) {
      int best = -1;
      double best_cost = std::numeric_limits<double>::infinity();
      for (int r = first_free; r < R; ++r) {
        if (placed[static_cast<size_t>(r)]) continue;
        const size_t i = static_cast<size_t>(r);
        const int new_c = uc.count_new(pc[i]);
        const int new_c_rmw = uc.count_new_within(pc[i], touched);
        const double cost = weights.a * ua.count_new(pa[i]) + weights.b * ub.count_new(pb[i]) +
                            weights.c * (new_c + new_c_rmw);
        if (cost < best_cost) {  // strict: ties keep the smallest index
          best_cost = cost;
          best = r;
        }
      }
      take(best);
    }
    for (int x = 0; x < na; ++x)
      if (ua.has(x)) chunk.a_blocks.push_back(x);
    for (int x = 0; x < nb; ++x)
      if (ub.has(x)) chunk.b_blocks.push_back(x);
    for (int x = 0; x < nc; ++x)
      if (uc.has(x)) {
        chunk.c_blocks.push_back(x);
        chunk.c_first.push_back(touched.has(x) ? 0 : 1);
      }
    touched.unite(uc);
    chunks.push_back(std::move(chunk));
  }
  for (int x = 0; x < nc; ++x)
    if (!touched.has(x))
      throw Error("chunk schedule: C block " + std::to_string(x) + " receives no product (not a matrix product scheme)");
  return chunks;
}

double schedule_traffic(const std::vector<Chunk>& chunks, BlockWeights weights) {
  double t = 0;
  for (const Chunk& ch : chunks) {
    t += weights.a * static_cast<double>(ch.a_blocks.size()) + weights.b * static_cast<double>(ch.b_blocks.size());
    for (char first : ch.c_first) t += weights.c * (first ? 1 : 2);
  }
  return t;
}

}  // namespace fmm::codegen
