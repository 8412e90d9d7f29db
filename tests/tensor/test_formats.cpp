// Known-answer tests for the text formats (native, JSON, .exp): exact round trips of
// Strassen, Winograd, Laderman, a rational scheme and a GF(2)-only scheme, the .exp
// variants found in published files, and a list of malformed inputs per reader, each of
// which must raise fmm::ParseError naming what was expected.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/linear_form.hpp"
#include "tensor/verify.hpp"

using namespace fmm;

namespace {

// Strassen with U halved and W doubled: still exact over Q, not over Z.
Scheme rational_strassen() {
  Scheme s = strassen_scheme();
  for (int r = 0; r < s.rank(); ++r) {
    for (auto& c : s.u(r)) c /= Rational(2);
    for (auto& c : s.w(r)) c *= Rational(2);
  }
  s.set_field(Field::Q);
  s.set_source("test:strassen-halved-doubled");
  return s;
}

// Strassen reduced mod 2: the identities hold over GF(2) only.
Scheme gf2_strassen() {
  Scheme s = reduce_mod2(strassen_scheme());
  s.set_source("test:strassen-mod2");
  return s;
}

std::vector<Scheme> sample_schemes() {
  return {strassen_scheme(), winograd_scheme(), laderman_scheme(), rational_strassen(), gf2_strassen(),
          standard_scheme({2, 3, 4})};
}

bool same_coefficients(const Scheme& a, const Scheme& b) {
  return a.shape() == b.shape() && a.rank() == b.rank() && a.u_data() == b.u_data() && a.v_data() == b.v_data() &&
         a.w_data() == b.w_data();
}

Scheme parse(Format f, const std::string& text) {
  switch (f) {
    case Format::Native: return parse_native(text, "t");
    case Format::Json: return parse_json(text, "t");
    case Format::Exp: return parse_exp(text, "t");
    case Format::Npz: break;
  }
  throw Error("no text parser");
}

std::string write(Format f, const Scheme& s) { return scheme_to_string(s, f); }

struct Bad {
  const char* name;
  std::string text;
  const char* expected;  // a piece of the message
};

void check_rejected(Format f, const Bad& b) {
  INFO("case: " << std::string(b.name));
  try {
    parse(f, b.text);
    FAIL("accepted malformed input");
  } catch (const ParseError& e) {
    std::string msg = e.what();
    INFO("message: " << msg);
    CHECK(msg.find(b.expected) != std::string::npos);
    CHECK(msg.rfind("t", 0) == 0);  // names the file
  }
}

}  // namespace

TEST_CASE("sample schemes verify over their fields (and the GF2 one only mod 2)") {
  for (const Scheme& s : sample_schemes()) CHECK_MESSAGE(verify(s).ok, s.source());
  CHECK_FALSE(verify(gf2_strassen(), Field::Z).ok);
  CHECK_FALSE(verify(rational_strassen(), Field::Z).ok);
}

TEST_CASE("round trips text -> scheme -> text -> scheme through native, json and exp") {
  for (Format f : {Format::Native, Format::Json, Format::Exp}) {
    for (const Scheme& s : sample_schemes()) {
      INFO(to_string(f) << " " << s.source());
      std::string text = write(f, s);
      Scheme back = parse(f, text);
      CHECK(same_coefficients(back, s));
      if (f == Format::Exp) {
        // .exp states no field: the parser infers Z or Q from the coefficients.
        CHECK(back.field() == coefficient_field(s));
        back.set_field(s.field());
      } else {
        CHECK(back.source() == s.source());
      }
      CHECK(back == s);
      CHECK(verify(back).ok);
      std::string again = write(f, back);
      CHECK(again == text);
      CHECK(same_coefficients(parse(f, again), back));
    }
  }
}

TEST_CASE("exact text of small schemes in each format") {
  Scheme s = scheme_from_terms({1, 2, 1}, {{"a11", "b11", "c11"}, {"a12", "b21", "c11"}}, "tiny");
  CHECK(write_native(s) == "# 1 2 1 rank 2 field Z source tiny\n1 0 | 1 0 | 1\n0 1 | 0 1 | 1\n");
  CHECK(write_exp(s) == "(a11)*(b11)*(c11)\n(a12)*(b21)*(c11)\n");
  std::string json = write_json(s);
  CHECK(json.find("\"format\": \"fmm-scheme\"") != std::string::npos);
  CHECK(json.find("\"u\": [\n    [1, 0],\n    [0, 1]\n  ]") != std::string::npos);
  Scheme q = rational_strassen();
  CHECK(write_exp(q).rfind("(1/2*a11+1/2*a22)*(b11+b22)*(2*c11+2*c22)\n", 0) == 0);
  CHECK(write_json(q).find("[\"1/2\", 0, 0, \"1/2\"]") != std::string::npos);
}

TEST_CASE(".exp: cKI is the coefficient of C[I][K]") {
  // A 1x1x2 product a11*b12 goes to C[1][2]; in .exp that is c21.
  Scheme s = parse_exp("a11*b11*c11\na11*b12*c21\n", "t");
  CHECK(s.shape() == Shape{1, 1, 2});
  CHECK(s.w(1)[s.shape().c_index(0, 1)] == Rational(1));
  CHECK(verify(s, Field::Z).ok);
  // Reading c21 as C[2][1] would need n = 2; the inferred shape shows it was not.
  CHECK_THROWS_AS(parse_exp("a11*b11*c11\n", "t", Shape{1, 1, 0}), ParseError);
}

TEST_CASE(".exp variants seen in published files all read as Strassen") {
  const Scheme ref = strassen_scheme();
  const std::string variants[] = {
      // Plain, with parentheses around every factor (cKI: C[2][1] is c12).
      "(a11+a22)*(b11+b22)*(c11+c22)\n(a21+a22)*(b11)*(c12-c22)\n(a11)*(b12-b22)*(c21+c22)\n(a22)*(b21-b11)*(c11+c12)\n"
      "(a11+a12)*(b22)*(c21-c11)\n(a21-a11)*(b11+b12)*(c22)\n(a12-a22)*(b21+b22)*(c11)\n",
      // Single variables without parentheses, juxtaposition, blank lines, comments, CRLF.
      "# Strassen 1969\r\n(a11+a22)(b11+b22)(c11+c22)\r\n\r\n(a21+a22)*b11*(c12-c22)\na11*(b12-b22)*(c21+c22)\n"
      "a22 (b21-b11) (c11+c12)\n(a11+a12)*b22*(c21-c11)\n   (a21-a11)*(b11+b12)*c22   \n(a12-a22)*(b21+b22)*c11\n",
      // Leading -(...), (-a) factors, numeric factors and '/' divisors that cancel.
      "(a11+a22)*(b11+b22)*(c11+c22)\n-((-a21-a22)*b11*(c12-c22))\n-(-a11)*(b12-b22)*(c21+c22)\n"
      "2*(1/2*a22)*(b21-b11)*(c11+c12)\n(2*a11+2*a12)/2*b22*(c21-c11)\n(a21-a11)*(b11+b12)*(3*c22/3)\n"
      "(a12-a22)*(b21+b22)*c11\n",
  };
  for (const auto& text : variants) {
    INFO(text);
    Scheme s = parse_exp(text, "t");
    CHECK(same_coefficients(s, ref));
  }
}

TEST_CASE(".exp with indices above 9 uses aI_J and round-trips") {
  Scheme s = standard_scheme({1, 10, 1});
  std::string text = write_exp(s);
  CHECK(text.find("(a1_10)*(b10_1)*(c1_1)") != std::string::npos);
  CHECK(parse_exp(text, "t") == s);
}

TEST_CASE("linear forms: nesting is bounded, products are split by letter") {
  std::string err;
  CHECK(parse_linear_form("a11-(a12+2*a21)/2", "a", err));
  CHECK_FALSE(parse_linear_form(std::string(200, '(') + "a11" + std::string(200, ')'), "a", err));
  CHECK(err.find("nested deeper") != std::string::npos);
  auto p = parse_form_product("-(a25*(-b11+2*b12)*c12)", "abc", err);
  REQUIRE(p);
  CHECK(p->scale == Rational(-1));
  CHECK(p->forms.at('b').coeffs.at({0, 1}) == Rational(2));
  CHECK_FALSE(parse_form_product("a11*a12*b11*c11", "abc", err));
  CHECK(err.find("not linear") != std::string::npos);
}

TEST_CASE("native: malformed inputs are ParseErrors naming what was expected") {
  const std::string head = "# 2 2 2 rank 1 field Z source x\n";
  for (const Bad& b : std::vector<Bad>{
           {"empty", "", "empty file"},
           {"no header", "1 0 0 1 | 1 0 0 1 | 1 0 0 1\n", "expected header"},
           {"bad dims", "# 2 x 2 rank 1 field Z\n", "expected m between 1 and 16"},
           {"dim too big", "# 2 2 17 rank 1 field Z\n", "expected p between 1 and 16"},
           {"huge rank", "# 2 2 2 rank 99999999999 field Z\n", "expected rank between 0 and 65536"},
           {"bad field", "# 2 2 2 rank 1 field R\n", "expected field Z, Q or Z2"},
           {"truncated", head, "declares rank 1 but the file has 0"},
           {"too few coefficients", head + "1 0 0 | 1 0 0 1 | 1 0 0 1\n", "expected 4 | 4 | 4 coefficients"},
           {"one bar", head + "1 0 0 1 | 1 0 0 1 1 0 0 1\n", "two '|' separators"},
           {"three bars", head + "1 0 0 1 | 1 0 0 1 | 1 0 0 | 1\n", "exactly two '|'"},
           {"bad number", head + "1 0 x 1 | 1 0 0 1 | 1 0 0 1\n", "expected an integer or p/q coefficient, found 'x'"},
           {"overflow", head + "99999999999999999999 0 0 1 | 1 0 0 1 | 1 0 0 1\n", "expected an integer or p/q"},
           {"zero denominator", head + "1/0 0 0 1 | 1 0 0 1 | 1 0 0 1\n", "found '1/0'"},
           {"too many lines", head + "1 0 0 1 | 1 0 0 1 | 1 0 0 1\n0 0 0 0 | 0 0 0 0 | 0 0 0 0\n", "more product lines"},
           {"binary garbage", std::string("\x00\xff\x13PK\x03", 6), "expected header"},
       })
    check_rejected(Format::Native, b);
}

TEST_CASE("json: malformed inputs are ParseErrors naming what was expected") {
  const std::string ok = write_json(strassen_scheme());
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string t = ok;
    auto at = t.find(from);
    REQUIRE(at != std::string::npos);
    return t.replace(at, from.size(), to);
  };
  for (const Bad& b : std::vector<Bad>{
           {"empty", "", "expected a JSON object"},
           {"not an object", "[1, 2]", "expected a JSON object at the top"},
           {"truncated", ok.substr(0, ok.size() / 2), "syntax error while parsing"},
           {"truncated after a value", ok.substr(0, ok.find("\"rank\": 7") + 9), "unexpected end of input"},
           {"trailing garbage", ok + "x", "expected end of input"},
           {"missing key", replace("\"rank\": 7,", ""), "expected key \"rank\""},
           {"wrong format tag", replace("fmm-scheme", "other"), "expected \"format\": \"fmm-scheme\""},
           {"not a scheme", "{\"schemes\": [1, 2]}", "expected a scheme: fmm's JSON"},
           {"wrong version", replace("\"version\": 1", "\"version\": 2"), "\"version\": 1"},
           {"rank mismatch", replace("\"rank\": 7", "\"rank\": 6"), "to have rank = 6 rows, found 7"},
           {"huge rank", replace("\"rank\": 7", "\"rank\": 99999999999"), "\"rank\" to be an integer between 0 and 65536"},
           {"row too short", replace("[1, 0, 0, 1],", "[1, 0, 0],"), "array of 4 coefficients, found 3"},
           {"bad coefficient", replace("[1, 0, 0, 1],", "[1, 0, \"x\", 1],"), "found \"x\""},
           {"overflowing coefficient", replace("[1, 0, 0, 1],", "[99999999999999999999, 0, 0, 1],"), "within 64 bits"},
           {"zero denominator", replace("[1, 0, 0, 1],", "[\"1/0\", 0, 0, 1],"), "nonzero q"},
           {"bool coefficient", replace("[1, 0, 0, 1],", "[true, 0, 0, 1],"), "found a boolean"},
           {"bad field", replace("\"field\": \"Z\"", "\"field\": \"R\""), "expected \"field\" to be"},
           {"duplicate key", replace("\"rank\": 7,", "\"rank\": 7, \"rank\": 7,"), "duplicate key"},
           {"bad escape", replace("builtin:strassen", "\\q"), "forbidden character after backslash"},
           {"bad number", replace("\"rank\": 7", "\"rank\": 07"), "unexpected number literal; expected '}'"},
           {"leading plus", replace("\"rank\": 7", "\"rank\": +7"), "invalid literal"},
           {"nested bomb", std::string(100000, '[') + std::string(100000, ']'), "nested deeper than 32"},
           {"binary garbage", std::string("{\x00\x01\xfe", 4), "found byte 0x00"},
           {"NUL after a valid object", ok + std::string(1, '\0') + "junk", "found byte 0x00"},
           {"long number", replace("\"rank\": 7", "\"rank\": 7." + std::string(70, '0')), "longer than 64 characters"},
           {"long string", replace("builtin:strassen", std::string(70000, 's')), "longer than 64 KiB"},
           {"control char in string", "{\"format\": \"a\nb\"}", "control character"},
       })
    check_rejected(Format::Json, b);
  // The error names the line and column of the offending value (semantic errors) or byte
  // (syntax errors, from the library's byte position).
  auto expect_at = [](const std::string& text, long line, long column) {
    try {
      parse_json(text, "f.json");
      FAIL("accepted malformed input");
    } catch (const ParseError& e) {
      INFO(std::string(e.what()));
      CHECK(e.line() == line);
      CHECK(e.column() == column);
      CHECK(std::string(e.what()).rfind("f.json:" + std::to_string(line) + ":" + std::to_string(column) + ": ", 0) == 0);
    }
  };
  expect_at(replace("[1, 0, 0, 1],", "[1, 0, \"x\", 1],"), 11, 12);         // the string coefficient
  expect_at(replace("\"rank\": 7", "\"rank\": +7"), 7, 11);                 // the '+'
  expect_at(replace("\"rank\": 7,", "\"rank\": 7, \"rank\": 7,"), 7, 14);  // the second "rank"
}

TEST_CASE("json accepts numbers, decimals and p/q strings for coefficients") {
  std::string t = write_json(rational_strassen());
  CHECK(t.find("\"1/2\"") != std::string::npos);
  std::string decimals = t;
  for (size_t at; (at = decimals.find("\"1/2\"")) != std::string::npos;) decimals.replace(at, 5, "0.5");
  for (size_t at; (at = decimals.find("\"-1/2\"")) != std::string::npos;) decimals.replace(at, 6, "-5e-1");
  CHECK(parse_json(decimals, "t") == rational_strassen());
}

TEST_CASE("exp: malformed inputs are ParseErrors naming what was expected") {
  for (const Bad& b : std::vector<Bad>{
           {"empty", "", "no products"},
           {"only comments", "# nothing\n\n", "no products"},
           {"missing c", "(a11)*(b11)\n", "the 'c' factor is missing"},
           {"truncated", "(a11+a22)*(b11+b22)*(c11+", "expected a number, a variable"},
           {"unbalanced", "(a11*(b11)*(c11)\n", "expected ')'"},
           {"mixed letters", "(a11+b12)*(b11)*(c11)\n", "mixes variables 'a' and 'b'"},
           {"unknown letter", "(a11)*(b11)*(d11)\n", "expected a number, a variable (abc)"},
           {"two a factors", "(a11)*(a12)*(b11)*(c11)\n", "not linear"},
           {"one index", "(a1)*(b11)*(c11)\n", "two one-digit indices"},
           {"zero index", "(a01)*(b11)*(c11)\n", "1-based indices"},
           {"index beyond 16", "(a1_17)*(b17_1)*(c1_1)\n", "exceeds the largest dimension 16"},
           {"overflow", "(99999999999999999999*a11)*(b11)*(c11)\n", "number out of range"},
           {"product overflow", "(9000000000*9000000000*a11)*(b11)*(c11)\n", "overflow"},
           {"zero divisor", "(a11/0)*(b11)*(c11)\n", "nonzero number after '/'"},
           {"constant in sum", "(a11+2)*(b11)*(c11)\n", "constant term"},
           {"bad second line", "a11*b11*c11\na11*b11*\n", "t:2:"},
           {"binary garbage", std::string("\x01\x02\xff\x00", 4), "expected a number, a variable"},
           {"deep nesting", std::string(10000, '(') + "a11" + std::string(10000, ')') + "*b11*c11", "nested deeper"},
       })
    check_rejected(Format::Exp, b);
}

TEST_CASE("files that state no field: Q/Z unless asked for GF2 or the name says mod 2") {
  CHECK(name_says_mod2("dir/444-47-mod2.exp"));
  CHECK(name_says_mod2("factorizations_f2.npz"));
  CHECK(name_says_mod2("x.gf2.exp"));
  CHECK(name_says_mod2("strassen_Z2.exp"));
  CHECK_FALSE(name_says_mod2("444-49-mod0.exp"));
  CHECK_FALSE(name_says_mod2("factorizations_r.npz"));
  CHECK_FALSE(name_says_mod2("mod2dir/strassen.exp"));  // the file name only
  CHECK_FALSE(name_says_mod2("f22.exp"));
  auto dir = std::filesystem::temp_directory_path() / ("fmm_test_field_rule_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string plain = (dir / "s.exp").string(), mod2 = (dir / "s-mod2.exp").string();
  write_scheme_file(plain, gf2_strassen(), Format::Exp);
  write_scheme_file(mod2, gf2_strassen(), Format::Exp);
  // A GF2-only scheme in a file that does not say mod 2 is invalid (a negative answer) ...
  try {
    read_scheme_file(plain);
    FAIL("a GF2-only .exp verified without being asked for GF2");
  } catch (const VerificationError& e) {
    CHECK(std::string(e.what()).find("holds modulo 2") != std::string::npos);
  }
  // ... unless GF2 is asked for, or the name says mod 2; the result says which.
  const auto asked = read_scheme_file(plain, Field::GF2);
  CHECK(asked[0].scheme.field() == Field::GF2);
  CHECK(asked[0].field_basis == "given by --field");
  const auto named = read_one_loaded(mod2);
  CHECK(named.scheme.field() == Field::GF2);
  CHECK(named.field_basis.find("name says mod 2") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("read_scheme_file settles the field of .exp files by verification") {
  auto dir = std::filesystem::temp_directory_path() / ("fmm_test_formats_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = [&](const char* name) { return (dir / name).string(); };
  write_scheme_file(path("gf2.exp"), gf2_strassen(), Format::Exp);
  write_scheme_file(path("q.exp"), rational_strassen(), Format::Exp);
  write_scheme_file(path("s.json"), laderman_scheme(), Format::Json);
  auto gf2 = read_scheme_file(path("gf2.exp"));
  REQUIRE(gf2.size() == 1);
  CHECK(gf2[0].scheme.field() == Field::GF2);
  CHECK_FALSE(gf2[0].field_stated);
  CHECK(read_one_scheme(path("q.exp")).field() == Field::Q);
  CHECK(read_one_scheme(path("s.json")) == laderman_scheme());
  {
    std::ofstream out(path("broken.exp"));
    out << write_exp(strassen_scheme()).substr(0, 60);  // first product and a half
  }
  CHECK_THROWS_AS(read_scheme_file(path("broken.exp")), ParseError);
  {
    std::ofstream out(path("dropped.exp"));
    std::string t = write_exp(strassen_scheme());
    out << t.substr(0, t.rfind('\n', t.size() - 2) + 1);  // drop the last product
  }
  try {
    read_scheme_file(path("dropped.exp"));
    FAIL("a scheme missing a product verified");
  } catch (const ParseError&) {
    FAIL("a well-formed but invalid scheme must be an Error, not a ParseError");
  } catch (const VerificationError& e) {
    CHECK(std::string(e.what()).find("inferred from the largest indices") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}
