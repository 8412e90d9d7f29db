#include "gpu/fmm_schedule.hpp"

#include <algorithm>
#include <utility>

namespace fmm::gpu {

namespace {
constexpr size_t kAlign = 256;
size_t align_up(size_t a) { return (a + kAlign - 1) / kAlign * kAlign; }
}  // namespace

ScheduleTables build_schedule_tables(const FmmPlan& plan, int capacity, codegen::BlockWeights weights) {
  // Footprints straight from the plan's term lists.
  std::vector<codegen::ProductFootprint> fp(static_cast<size_t>(plan.rank));
  for (int r = 0; r < plan.rank; ++r) {
    for (const PlanTerm& t : plan.a_terms[static_cast<size_t>(r)]) fp[static_cast<size_t>(r)].a.push_back(t.index);
    for (const PlanTerm& t : plan.b_terms[static_cast<size_t>(r)]) fp[static_cast<size_t>(r)].b.push_back(t.index);
  }
  for (size_t cb = 0; cb < plan.c_terms.size(); ++cb)
    for (const PlanTerm& t : plan.c_terms[cb]) fp[static_cast<size_t>(t.index)].c.push_back(static_cast<int>(cb));
  for (auto& f : fp) {
    std::sort(f.a.begin(), f.a.end());
    std::sort(f.b.begin(), f.b.end());
    std::sort(f.c.begin(), f.c.end());
  }
  ScheduleTables s;
  s.chunks = codegen::schedule_chunks(fp, plan.n * plan.p, capacity, weights);
  auto& ints = s.ints;
  auto& coefs = s.coefs;
  auto operand_side = [&](const codegen::Chunk& ch, const std::vector<int>& staged,
                          const std::vector<std::vector<PlanTerm>>& terms) {
    ScheduleTables::Side side;
    side.list = static_cast<int>(ints.size());
    side.nlist = static_cast<int>(staged.size());
    ints.insert(ints.end(), staged.begin(), staged.end());
    side.offs = static_cast<int>(ints.size());
    int n = 0;
    ints.push_back(0);
    for (int r : ch.products) {
      n += static_cast<int>(terms[static_cast<size_t>(r)].size());
      ints.push_back(n);
    }
    side.idx = static_cast<int>(ints.size());
    side.coef = static_cast<int>(coefs.size());
    for (int r : ch.products)
      for (const PlanTerm& t : terms[static_cast<size_t>(r)]) {
        ints.push_back(static_cast<int>(std::lower_bound(staged.begin(), staged.end(), t.index) - staged.begin()));
        coefs.push_back(t.coef);
      }
    return side;
  };
  std::vector<int> local(static_cast<size_t>(plan.rank), -1);
  for (const codegen::Chunk& ch : s.chunks) {
    ScheduleTables::ChunkTables ct;
    ct.products = static_cast<int>(ch.products.size());
    s.capacity = std::max(s.capacity, ct.products);
    ct.a = operand_side(ch, ch.a_blocks, plan.a_terms);
    ct.b = operand_side(ch, ch.b_blocks, plan.b_terms);
    s.max_staged_a = std::max(s.max_staged_a, ct.a.nlist);
    s.max_staged_b = std::max(s.max_staged_b, ct.b.nlist);
    // C: per block fed, the chunk's products that feed it (chunk-local indices).
    for (size_t i = 0; i < ch.products.size(); ++i) local[static_cast<size_t>(ch.products[i])] = static_cast<int>(i);
    ct.c.list = static_cast<int>(ints.size());
    ct.c.nlist = static_cast<int>(ch.c_blocks.size());
    ints.insert(ints.end(), ch.c_blocks.begin(), ch.c_blocks.end());
    ct.c.first = static_cast<int>(ints.size());
    for (char f : ch.c_first) ints.push_back(f ? 1 : 0);
    std::vector<std::pair<int, double>> terms;
    std::vector<int> offs{0};
    for (int cb : ch.c_blocks) {
      for (const PlanTerm& t : plan.c_terms[static_cast<size_t>(cb)])
        if (local[static_cast<size_t>(t.index)] >= 0) terms.push_back({local[static_cast<size_t>(t.index)], t.coef});
      offs.push_back(static_cast<int>(terms.size()));
    }
    ct.c.offs = static_cast<int>(ints.size());
    ints.insert(ints.end(), offs.begin(), offs.end());
    ct.c.idx = static_cast<int>(ints.size());
    ct.c.coef = static_cast<int>(coefs.size());
    for (const auto& [lp, cf] : terms) {
      ints.push_back(lp);
      coefs.push_back(cf);
    }
    for (int r : ch.products) local[static_cast<size_t>(r)] = -1;
    s.tables.push_back(ct);
  }
  return s;
}

WorkspaceLayout workspace_layout(long long bm, long long bk, long long bn, size_t work_bytes, size_t out_bytes,
                                 bool looped) {
  WorkspaceLayout l;
  l.s = align_up(static_cast<size_t>(bm * bk) * work_bytes);
  l.t = align_up(static_cast<size_t>(bk * bn) * work_bytes);
  l.p = align_up(static_cast<size_t>(bm * bn) * out_bytes);
  l.reuse = looped && l.p <= l.s + l.t;
  return l;
}

size_t WorkspaceLayout::bytes(int capacity) const {
  const size_t c = static_cast<size_t>(capacity);
  return reuse ? p + c * (s + t) : c * (s + t + p);
}

size_t WorkspaceLayout::s_offset(int capacity, int rr) const {
  (void)capacity;  // S comes first in either layout
  return reuse ? p + static_cast<size_t>(rr) * (s + t) : static_cast<size_t>(rr) * s;
}

size_t WorkspaceLayout::t_offset(int capacity, int rr) const {
  return reuse ? p + static_cast<size_t>(rr) * (s + t) + s
               : static_cast<size_t>(capacity) * s + static_cast<size_t>(rr) * t;
}

size_t WorkspaceLayout::p_offset(int capacity, int rr) const {
  if (reuse) return rr == 0 ? 0 : p + static_cast<size_t>(rr - 1) * (s + t);
  return static_cast<size_t>(capacity) * (s + t) + static_cast<size_t>(rr) * p;
}

long long WorkspaceLayout::capacity_for(size_t bytes) const {
  if (bytes < this->bytes(1)) return 0;
  return reuse ? static_cast<long long>((bytes - p) / (s + t)) : static_cast<long long>(bytes / (s + t + p));
}

}  // namespace fmm::gpu
