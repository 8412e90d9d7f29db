// The FastMatrixMultiplication collection's JSON formats (full and reduced): the files in
// tests/data/community (written from published schemes) read and verify; w holds C transposed;
// the collection's rational strings, single-integer "n" and "z2" are understood; round trips
// native <-> fmm JSON <-> community JSON are exact; malformed files are ParseErrors with line
// and column.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/transform.hpp"
#include "tensor/verify.hpp"

using namespace fmm;

namespace {

std::string data(const std::string& name) {
  const char* dir = std::getenv("FMM_TEST_DATA");
  REQUIRE(dir != nullptr);
  return std::string(dir) + "/community/" + name;
}

// The product r of s with these u and v (nullopt if none).
std::optional<int> find_product(const Scheme& s, const std::vector<Rational>& u, const std::vector<Rational>& v) {
  for (int r = 0; r < s.rank(); ++r)
    if (std::equal(u.begin(), u.end(), s.u(r).begin()) && std::equal(v.begin(), v.end(), s.v(r).begin())) return r;
  return std::nullopt;
}

}  // namespace

TEST_CASE("community files: each reads, verifies and states the expected shape, rank and field") {
  struct Expect {
    const char* file;
    Shape shape;
    int rank;
    Field field;
  };
  for (const Expect& e : std::vector<Expect>{
           {"strassen_2x2x2_m7_Z.json", {2, 2, 2}, 7, Field::Z},
           {"laderman_3x3x3_m23_Z.json", {3, 3, 3}, 23, Field::Z},
           {"strassen_x_standard_2x2x4_m14_Z.json", {2, 2, 4}, 14, Field::Z},
           {"strassen_mod2_2x2x2_m7_Z2.json", {2, 2, 2}, 7, Field::GF2},
           {"strassen_rational_basis_2x2x2_m7_Q.json", {2, 2, 2}, 7, Field::Q},
           {"winograd_2x2x2_m7_Z_reduced.json", {2, 2, 2}, 7, Field::Z},
       }) {
    INFO(std::string(e.file));
    const auto all = read_scheme_file(data(e.file));
    REQUIRE(all.size() == 1);
    CHECK(all[0].format == Format::CommunityJson);
    CHECK(all[0].scheme.shape() == e.shape);
    CHECK(all[0].scheme.rank() == e.rank);
    CHECK(all[0].scheme.field() == e.field);
    CHECK(verify(all[0].scheme).ok);
  }
  // The mod-2 file holds over GF(2) only: "z2": true is what makes it valid.
  CHECK_FALSE(verify(read_one_scheme(data("strassen_mod2_2x2x2_m7_Z2.json")), Field::Z).ok);
}

TEST_CASE("community json: w holds C transposed (the collection's README)") {
  // Strassen's product (a11 + a12) * b22 adds to c12 and subtracts from c11. In the file its w
  // row is [-1, 0, 1, 0] (C^T order c11, c21, c12, c22); read, it is c11 = -1, c12 = +1.
  const std::string text = read_file_bounded(data("strassen_2x2x2_m7_Z.json"));
  CHECK(text.find("[-1, 0, 1, 0]") != std::string::npos);
  const Scheme s = parse_community_json(text, "strassen");
  const auto r = find_product(s, {1, 1, 0, 0}, {0, 0, 0, 1});
  REQUIRE(r);
  CHECK(std::vector<Rational>(s.w(*r).begin(), s.w(*r).end()) == std::vector<Rational>{-1, 1, 0, 0});
  CHECK(s == strassen_scheme());  // same products in the same order, field Z

  // A rectangular <2,1,3> classical scheme typed in the collection's layout: w's index is
  // k*n1 + i, so product (i, k) = A[i][0] B[0][k] has its 1 at position k*2 + i.
  std::string rect = "{\"n\": [2, 1, 3], \"m\": 6, \"z2\": false, \"u\": [";
  std::string v = "\"v\": [", w = "\"w\": [";
  for (int i = 0; i < 2; ++i)
    for (int k = 0; k < 3; ++k) {
      const bool first = i == 0 && k == 0;
      rect += std::string(first ? "" : ", ") + (i == 0 ? "[1, 0]" : "[0, 1]");
      std::string vr = "[0, 0, 0]", wr = "[0, 0, 0, 0, 0, 0]";
      vr[1 + 3 * k] = '1';
      wr[1 + 3 * (k * 2 + i)] = '1';
      v += std::string(first ? "" : ", ") + vr;
      w += std::string(first ? "" : ", ") + wr;
    }
  rect += "], " + v + "], " + w + "]}";
  const Scheme classical = parse_community_json(rect, "rect");
  CHECK(verify(classical).ok);
  CHECK(classical == standard_scheme({2, 1, 3}));
}

TEST_CASE("community json: round trips native <-> json <-> community json are exact") {
  for (const Scheme& s0 : {strassen_scheme(), winograd_scheme(), laderman_scheme(),
                           read_one_scheme(data("strassen_rational_basis_2x2x2_m7_Q.json")),
                           reduce_mod2(strassen_scheme()), standard_scheme({2, 3, 4}),
                           read_one_scheme(data("strassen_x_standard_2x2x4_m14_Z.json"))}) {
    INFO(s0.shape().str() << " rank " << s0.rank() << " " << to_string(s0.field()));
    const Scheme from_native = parse_native(write_native(s0), "n");
    const Scheme from_json = parse_json(write_json(from_native), "j");
    const Scheme from_community = parse_community_json(write_community_json(from_json), "c");
    const Scheme back = parse_native(write_native(parse_json(write_json(from_community), "j2")), "n2");
    CHECK(from_community == s0);
    CHECK(back == s0);
    // Written twice, the same bytes.
    CHECK(write_community_json(from_community) == write_community_json(s0));
  }
}

TEST_CASE("community json: the reduced format's chains expand to Winograd's variant") {
  const Scheme s = read_one_scheme(data("winograd_2x2x2_m7_Z_reduced.json"));
  // M3 = S4 * B22 with S4 = A12 - (A21 + A22 - A11) (Winograd's chain), and C12 = M1 + M6 + M5 + M3.
  CHECK(std::vector<Rational>(s.u(2).begin(), s.u(2).end()) == std::vector<Rational>{1, 1, -1, -1});
  CHECK(std::vector<Rational>(s.w(2).begin(), s.w(2).end()) == std::vector<Rational>{0, 1, 0, 0});
  CHECK(verify(s).ok);
}

TEST_CASE("any json: fmm's and the collection's formats are told apart by their keys") {
  Format f = Format::Native;
  parse_any_json(write_json(laderman_scheme()), "a", &f);
  CHECK(f == Format::Json);
  parse_any_json(write_community_json(laderman_scheme()), "b", &f);
  CHECK(f == Format::CommunityJson);
  parse_any_json(read_file_bounded(data("winograd_2x2x2_m7_Z_reduced.json")), "c", &f);
  CHECK(f == Format::CommunityJson);
  CHECK(parse_format("community-json") == Format::CommunityJson);
}

TEST_CASE("community json: malformed inputs are ParseErrors naming line, column and what was expected") {
  const std::string ok = write_community_json(strassen_scheme());
  const std::string reduced = read_file_bounded(data("winograd_2x2x2_m7_Z_reduced.json"));
  // The last occurrence: w comes last in both files.
  auto replace = [](std::string t, const std::string& from, const std::string& to) {
    const auto at = t.rfind(from);
    REQUIRE(at != std::string::npos);
    return t.replace(at, from.size(), to);
  };
  struct Bad {
    const char* name;
    std::string text;
    const char* expected;
  };
  for (const Bad& b : std::vector<Bad>{
           {"n of two", replace(ok, "[2, 2, 2]", "[2, 2]"), "expected \"n\" to be [n1, n2, n3]"},
           {"n zero", replace(ok, "[2, 2, 2]", "[2, 0, 2]"), "\"n[1]\" to be an integer between 1"},
           {"m missing", replace(ok, "\"m\": 7,", ""), "expected key \"m\""},
           {"z2 not a boolean", replace(ok, "\"z2\": false", "\"z2\": 0"), "\"z2\" to be true or false"},
           {"w row short", replace(ok, "[-1, 0, 1, 0]", "[-1, 0, 1]"), "C transposed, n3*n1 entries"},
           {"rank mismatch", replace(ok, "\"m\": 7", "\"m\": 6"), "to have rank = 6 rows, found 7"},
           {"bad rational", replace(ok, "[-1, 0, 1, 0]", "[\"1/0\", 0, 1, 0]"), "nonzero q"},
           {"fresh forward reference", replace(reduced, "{\"index\": 4, \"value\": 1}, {\"index\": 0", "{\"index\": 5, \"value\": 1}, {\"index\": 0"),
            "\"u_fresh[1] index\" to be an integer between 0 and 4"},
           {"w forms count", replace(reduced, "        [{\"index\": 9, \"value\": 1}, {\"index\": 2, \"value\": 1}],\n", ""),
            "n3*n1 = 4 forms, found 3"},
           {"term without value", replace(reduced, "{\"index\": 6, \"value\": 1}]", "{\"index\": 6}]"),
            "both \"index\" and \"value\""},
           {"syntax", replace(ok, "\"m\": 7,", "\"m\": 7,,"), "syntax error"},
       }) {
    INFO(std::string(b.name));
    try {
      parse_community_json(b.text, "c.json");
      FAIL("accepted malformed input");
    } catch (const ParseError& e) {
      INFO(std::string(e.what()));
      CHECK(std::string(e.what()).find(b.expected) != std::string::npos);
      CHECK(e.line() > 0);
      CHECK(e.column() > 0);
    }
  }
}
