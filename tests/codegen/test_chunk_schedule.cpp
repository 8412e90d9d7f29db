// Known answers for the chunk schedule (codegen/chunk_schedule.hpp): every product runs exactly
// once, chunks respect the capacity, each C block is written first exactly once, and the greedy
// grouping moves less than chunks taken in product order.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "codegen/chunk_schedule.hpp"
#include "codegen/emit_common.hpp"
#include "codegen/generate.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/transform.hpp"

using namespace fmm;
using namespace fmm::codegen;

namespace {

Scheme strassen_power(int levels) {
  Scheme s = strassen_scheme();
  for (int l = 1; l < levels; ++l) s = kronecker(s, strassen_scheme());
  return s;
}

// The same schedule shape, chunks taken in product order: what the greedy grouping is measured against.
std::vector<Chunk> in_order(const std::vector<ProductFootprint>& fp, int c_blocks, int capacity) {
  std::vector<Chunk> out;
  std::set<int> touched;
  for (size_t start = 0; start < fp.size(); start += static_cast<size_t>(capacity)) {
    Chunk ch;
    std::set<int> a, b, c;
    for (size_t r = start; r < std::min(fp.size(), start + static_cast<size_t>(capacity)); ++r) {
      ch.products.push_back(static_cast<int>(r));
      a.insert(fp[r].a.begin(), fp[r].a.end());
      b.insert(fp[r].b.begin(), fp[r].b.end());
      c.insert(fp[r].c.begin(), fp[r].c.end());
    }
    ch.a_blocks.assign(a.begin(), a.end());
    ch.b_blocks.assign(b.begin(), b.end());
    for (int x : c) {
      ch.c_blocks.push_back(x);
      ch.c_first.push_back(touched.count(x) ? 0 : 1);
    }
    touched.insert(c.begin(), c.end());
    out.push_back(ch);
  }
  (void)c_blocks;
  return out;
}

}  // namespace

TEST_CASE("chunk schedules of Strassen^L: coverage, capacity, first writes, traffic") {
  for (int levels : {1, 2, 3}) {
    const Scheme flat = strassen_power(levels);
    const auto fp = product_footprints(flat);
    REQUIRE(static_cast<int>(fp.size()) == flat.rank());
    const int c_blocks = flat.shape().c_size();
    for (int capacity : {1, 3, 4, 16, 23, flat.rank(), 1000}) {
      const auto chunks = schedule_chunks(fp, c_blocks, capacity);
      INFO("Strassen^" << levels << ", capacity " << capacity);
      std::vector<int> seen;
      std::vector<int> first_writes(static_cast<size_t>(c_blocks), 0);
      for (const Chunk& ch : chunks) {
        CHECK(static_cast<int>(ch.products.size()) <= capacity);
        CHECK(!ch.products.empty());
        seen.insert(seen.end(), ch.products.begin(), ch.products.end());
        std::set<int> a, b, c;
        for (int r : ch.products) {
          a.insert(fp[static_cast<size_t>(r)].a.begin(), fp[static_cast<size_t>(r)].a.end());
          b.insert(fp[static_cast<size_t>(r)].b.begin(), fp[static_cast<size_t>(r)].b.end());
          c.insert(fp[static_cast<size_t>(r)].c.begin(), fp[static_cast<size_t>(r)].c.end());
        }
        CHECK(ch.a_blocks == std::vector<int>(a.begin(), a.end()));
        CHECK(ch.b_blocks == std::vector<int>(b.begin(), b.end()));
        CHECK(ch.c_blocks == std::vector<int>(c.begin(), c.end()));
        REQUIRE(ch.c_first.size() == ch.c_blocks.size());
        for (size_t i = 0; i < ch.c_blocks.size(); ++i) first_writes[static_cast<size_t>(ch.c_blocks[i])] += ch.c_first[i];
      }
      std::sort(seen.begin(), seen.end());
      std::vector<int> all(static_cast<size_t>(flat.rank()));
      for (int r = 0; r < flat.rank(); ++r) all[static_cast<size_t>(r)] = r;
      CHECK(seen == all);  // every product exactly once
      for (int w : first_writes) CHECK(w == 1);  // each C block written first exactly once
      // All chunks but the last are full.
      for (size_t k = 0; k + 1 < chunks.size(); ++k) CHECK(static_cast<int>(chunks[k].products.size()) == capacity);
      if (capacity >= flat.rank()) {
        REQUIRE(chunks.size() == 1);
        CHECK(chunks[0].products == all);  // one pass, in product order
      } else {
        // The greedy grouping never moves more than chunks taken in product order.
        CHECK(schedule_traffic(chunks) <= schedule_traffic(in_order(fp, c_blocks, capacity)));
      }
    }
  }
  // Known answer: Strassen^3 in chunks of 16 (the default limit at M = N = K) reads and writes
  // 1750 leaf blocks of A, B and C (27.3 N^2) outside the leaf products, against 2089 (32.6 N^2) in
  // product order; one pass over all 343 products moves 3 N^2 = 192 blocks.
  const Scheme s3 = strassen_power(3);
  const auto fp3 = product_footprints(s3);
  CHECK(schedule_traffic(schedule_chunks(fp3, 64, 16)) == doctest::Approx(1750));
  CHECK(schedule_traffic(in_order(fp3, 64, 16)) == doctest::Approx(2089));
  CHECK(schedule_traffic(schedule_chunks(fp3, 64, 343)) == doctest::Approx(192));
}

TEST_CASE("chunk schedules: deterministic; bad capacity and empty C blocks are refused") {
  const Scheme s2 = strassen_power(2);
  const auto fp = product_footprints(s2);
  const auto a = schedule_chunks(fp, 16, 5);
  const auto b = schedule_chunks(fp, 16, 5);
  REQUIRE(a.size() == b.size());
  for (size_t k = 0; k < a.size(); ++k) CHECK(a[k].products == b[k].products);
  CHECK_THROWS_AS(schedule_chunks(fp, 16, 0), Error);
  CHECK_THROWS_AS(schedule_chunks(fp, 17, 4), Error);  // block 16 of C receives nothing
}

TEST_CASE("the chunkings generated code carries") {
  // The schedules depend on the ranks and shapes only; the greedy CSE spares the default effort's
  // randomised runs over Strassen^3's 343 forms (about 90 s, most of the whole test suite's time).
  PlanOptions greedy;
  greedy.cse_effort = CseEffort::Greedy;
  const Plan p3 = make_plan(repeat_levels(strassen_scheme(), 3), Precision::F32, Layout::ColMajor, "s3", greedy);
  CHECK(detail::default_capacity(p3) == 16);
  const auto s3 = detail::schedules(p3);
  REQUIRE(s3.size() == 3);
  CHECK(s3[0].capacity == 343);
  CHECK(s3[0].chunks.size() == 1);
  CHECK(s3[1].capacity == 16);
  CHECK(s3[1].chunks.size() == 22);
  CHECK(s3[2].capacity == 4);
  const Plan p1 = make_plan(repeat_levels(strassen_scheme(), 1), Precision::F64, Layout::RowMajor, "s1");
  CHECK(detail::default_capacity(p1) == 1);
  CHECK(detail::schedules(p1).size() == 2);
  const Plan lad = make_plan({laderman_scheme()}, Precision::F64, Layout::RowMajor, "lad");
  CHECK(detail::default_capacity(lad) == 2);
  // The generated header states them.
  const auto files = generate_cuda(p3);
  CHECK(files[0].content.find("kScheduleCapacity[kSchedules] = {343, 16, 4}") != std::string::npos);
  CHECK(files[0].content.find("std::size_t workspace_size(std::int64_t M, std::int64_t N, std::int64_t K, std::size_t limit_bytes") !=
        std::string::npos);
}
