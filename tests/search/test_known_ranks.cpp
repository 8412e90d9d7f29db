// The compiled-in table of best known ranks: known answers, any order of the dimensions, and
// agreement with the data files it is generated from (data/known_ranks/, in this repository).
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "search/run/known_ranks.hpp"
#include "search/run/progress.hpp"

using namespace fmm;
using namespace fmm::search;

namespace {

// Rows of a TSV as column name -> text; comment lines start with '#', the header with "n\t".
std::vector<std::map<std::string, std::string>> read_tsv(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream s(line);
    for (std::string f; std::getline(s, f, '\t');) fields.push_back(f);
    if (header.empty()) {
      header = fields;
      continue;
    }
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(row);
  }
  return rows;
}

int number(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(text);
}

Shape shape_of(const std::map<std::string, std::string>& row) {
  return {number(row.at("n")), number(row.at("m")), number(row.at("p"))};
}

const std::string kData = std::string(FMM_SOURCE_DIR) + "/data/known_ranks/";

}  // namespace

TEST_CASE("known answers, in any order of the dimensions") {
  auto k = known_ranks({3, 3, 3});
  REQUIRE(k);
  CHECK(k->z == 23);
  CHECK(k->gf2 == 23);
  CHECK(k->lower_bound == 19);
  auto a = known_ranks({4, 4, 5}), b = known_ranks({5, 4, 4}), c = known_ranks({4, 5, 4});
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(c);
  CHECK(a->z == 61);
  CHECK(a->gf2 == 60);
  CHECK(b->z == 61);
  CHECK(c->gf2 == 60);
  CHECK(known_ranks({8, 8, 8})->z == 343);
  CHECK(known_ranks({8, 8, 8})->q == 336);
  CHECK(known_ranks({1, 3, 4})->z == 12);
  CHECK(!known_ranks({2, 2, 17}));
  CHECK(!known_ranks({0, 2, 2}));
  // Over GF(2) without a GF(2) figure the integer rank is the reference.
  CHECK(known_ranks({7, 7, 7})->gf2 == 0);
  CHECK(best_known_rank({7, 7, 7}, RankRing::GF2) == 250);
  CHECK(best_known_rank({4, 4, 4}, RankRing::GF2) == 47);
  CHECK(best_known_rank({4, 4, 4}, RankRing::Q) == 48);
  CHECK(best_known_rank({3, 6, 6}, RankRing::ZT) == 83);
}

TEST_CASE("the comparison names the distance to the best known rank") {
  CHECK(versus_best_known({5, 5, 5}, RankRing::GF2, 93) == "best known");
  CHECK(versus_best_known({5, 5, 5}, RankRing::GF2, 95) == "2 above best known 93");
  CHECK(versus_best_known({5, 5, 5}, RankRing::Z, 92) == "1 BELOW best known 93");
  CHECK(versus_best_known({2, 2, 20}, RankRing::Z, 70).empty());
  CHECK(rank_versus_known({4, 4, 4}, RankRing::Z, 49) == " (best known)");
  CHECK(rank_versus_known({4, 4, 4}, RankRing::GF2, 49) == " (+2)");
  CHECK(rank_versus_known({4, 4, 4}, RankRing::GF2, std::nullopt).empty());
}

TEST_CASE("every format up to 16 has an entry, with q <= z <= zt") {
  int formats = 0;
  for (int n = 2; n <= 16; ++n)
    for (int m = n; m <= 16; ++m)
      for (int p = m; p <= 16; ++p) {
        auto k = known_ranks({n, m, p});
        REQUIRE(k);
        CHECK(k->q > 0);
        CHECK(k->q <= k->z);
        CHECK(k->z <= k->zt);
        CHECK(k->zt <= n * m * p);
        ++formats;
      }
  CHECK(formats == 680);
}

TEST_CASE("the compiled table agrees with data/known_ranks/") {
  int rows = 0;
  for (const auto& r : read_tsv(kData + "fmm_collection_status.tsv")) {
    auto k = known_ranks(shape_of(r));
    REQUIRE(k);
    // The collection is the reference for n, m, p > 8; below, the other files may only lower it.
    CHECK(k->q <= number(r.at("rank_q")));
    CHECK(k->z <= number(r.at("rank_z")));
    CHECK(k->zt <= number(r.at("rank_zt")));
    if (k->p > 8) {
      CHECK(k->q == number(r.at("rank_q")));
      CHECK(k->z == number(r.at("rank_z")));
      CHECK(k->zt == number(r.at("rank_zt")));
    }
    ++rows;
  }
  CHECK(rows == 680);
  int rows8 = 0;
  for (const auto& r : read_tsv(kData + "known_ranks_8.tsv")) {
    auto k = known_ranks(shape_of(r));
    REQUIRE(k);
    CHECK(k->q == number(r.at("rank_q")));
    CHECK(k->z == number(r.at("rank_z")));
    CHECK(k->zt == number(r.at("rank_zt")));
    if (number(r.at("rank_gf2"))) CHECK(k->gf2 == number(r.at("rank_gf2")));
    ++rows8;
  }
  CHECK(rows8 == 84);
  for (const auto& r : read_tsv(kData + "known_ranks.tsv")) {
    auto k = known_ranks(shape_of(r));
    REQUIRE(k);
    CHECK(k->gf2 == number(r.at("rank_gf2")));
    CHECK(k->z == number(r.at("rank_z")));
    CHECK(k->lower_bound == number(r.at("lower_bound")));
  }
}
