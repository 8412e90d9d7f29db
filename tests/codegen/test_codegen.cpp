// Known-answer tests of the code generator's pieces: composition, CSE, refusal of GF(2)-only
// schemes, exact literals, determinism.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include <sys/wait.h>
#include <unistd.h>

#include "codegen/emit_common.hpp"
#include "codegen/generate.hpp"
#include "tensor/splitmix64.hpp"
#include "tensor/transform.hpp"
#include "tensor/error.hpp"
#include "tensor/verify.hpp"
#include "tests/codegen/test_schemes.hpp"

using namespace fmm;
using namespace fmm::codegen;

namespace {

// The default effort is what `fmm codegen` emits; the large cases use the greedy one where the
// count is not the point (the default takes seconds on Strassen (x) Laderman's 161 products).
// `as_given` keeps the levels exactly (no cheapest equivalent), so the counts are the scheme's own.
Plan plan_of(const std::string& test_case, bool cse = true, CseEffort effort = CseEffort::Default, bool as_given = true) {
  PlanOptions options;
  options.cse = cse;
  options.cse_effort = effort;
  options.cheapest_equivalent = !as_given;
  return make_plan(codegen_test::test_case_levels(test_case), Precision::F32, Layout::RowMajor, "t", options);
}

// Evaluates a program on the given inputs, exactly.
std::vector<Rational> run(const LinearProgram& program, const std::vector<Rational>& inputs) {
  std::vector<Rational> vars = inputs;
  auto eval = [&](const Form& f) {
    Rational sum;
    for (const Term& t : f) sum += t.coef * vars[static_cast<size_t>(t.var)];
    return sum;
  };
  for (const Form& t : program.temps) vars.push_back(eval(t));
  std::vector<Rational> out;
  for (const Form& f : program.outputs) out.push_back(eval(f));
  return out;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("the Kronecker product of two verified schemes verifies") {
  const Scheme sl = kronecker(strassen_scheme(), laderman_scheme());
  CHECK(sl.shape() == Shape{6, 6, 6});
  CHECK(sl.rank() == 7 * 23);
  CHECK(verify(sl, Field::Z).ok);
  const Scheme mixed = kronecker(codegen_test::strassen_plus_column_223(), codegen_test::strassen_rational());
  CHECK(mixed.shape() == Shape{4, 4, 6});
  CHECK(mixed.field() == Field::Q);
  CHECK(verify(mixed, Field::Q).ok);
}

TEST_CASE("addition counts before and after CSE (known answers)") {
  struct Expected {
    const char* name;
    int plain, cse;
  };
  // Strassen's 18 are all distinct pairs; Winograd's variant reaches its 15 additions only by
  // sharing partial sums. Laderman's 98 and Strassen^2's 318 went to 70 and 206 with the greedy
  // pair choice alone (Benson-Ballard); the randomised runs find 62 and 193.
  for (const Expected& e : {Expected{"standard222", 4, 4}, Expected{"strassen", 18, 18}, Expected{"winograd", 24, 15},
                            Expected{"laderman", 98, 62}, Expected{"lowadd333", 122, 58},
                            Expected{"strassen_strassen", 318, 193}}) {
    const Plan plan = plan_of(e.name);
    INFO(e.name);
    CHECK(plan.additions().plain == e.plain);
    CHECK(plan.additions().cse == e.cse);
    CHECK(plan_of(e.name, false).additions().cse == e.plain);
  }
}

TEST_CASE("codegen uses the cheapest equivalent: Strassen becomes Winograd's 15, Strassen^2 159") {
  // 159 is the best published count for a <4,4,4;49> scheme without change of basis (Perminov's
  // reducer on Winograd^2, FastMatrixMultiplication collection, 4x4x4_m49_cr159).
  for (auto [name, plain, cse] : {std::tuple{"strassen", 24, 15}, std::tuple{"strassen_strassen", 474, 159}}) {
    INFO(name);
    const Plan plan = plan_of(name, true, CseEffort::Default, false);
    CHECK(plan.additions().cse == cse);
    CHECK(plan.additions().plain == plain);
    for (const Scheme& level : plan.levels) {
      CHECK(verify(level, Field::Z).ok);
      CHECK(level.source().find("cheapest equivalent") != std::string::npos);
    }
  }
  // Winograd's variant is its own cheapest: left as given.
  const Plan w = plan_of("winograd", true, CseEffort::Default, false);
  CHECK(w.levels[0] == winograd_scheme());
  CHECK(w.additions().cse == 15);
}

TEST_CASE("CSE'd programs compute the same forms as the plain ones") {
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return Rational(static_cast<std::int64_t>((state >> 33) % 19) - 9, static_cast<std::int64_t>((state >> 20) % 3) + 1);
  };
  for (const char* name : {"winograd", "laderman", "hk223", "strassen_rational", "strassen_strassen", "strassen_laderman"}) {
    INFO(name);
    const Plan cse = plan_of(name, true, std::string(name) == "strassen_laderman" ? CseEffort::Greedy : CseEffort::Default);
    const Plan plain = plan_of(name, false);
    for (auto [a, b] : {std::pair{&cse.a, &plain.a}, std::pair{&cse.b, &plain.b}, std::pair{&cse.c, &plain.c}}) {
      std::vector<Rational> inputs;
      for (int x = 0; x < a->inputs; ++x) inputs.push_back(next());
      CHECK(run(*a, inputs) == run(*b, inputs));
      for (const Form& t : a->temps) CHECK(t.size() == 2);
    }
  }
}

TEST_CASE("a scheme with huge coefficients gets a plan: its large forms are left without CSE, exactly") {
  // Strassen plus two products with entries near 2^40 that cancel: valid over Z. The pair
  // elimination multiplied such coefficients in 64 bits (undefined; found by probing codegen).
  Scheme s = strassen_scheme();
  const std::int64_t big = (std::int64_t(1) << 40) + 1;
  const std::vector<Rational> u{Rational(big), Rational(3), Rational(0), Rational(-big)},
      v{Rational(big - 2), Rational(0), Rational(1), Rational(big)}, w{Rational(1), Rational(big), Rational(0), Rational(2)},
      minus_w{Rational(-1), Rational(-big), Rational(0), Rational(-2)};
  s.add_term(u, v, w);
  s.add_term(u, v, minus_w);
  REQUIRE(verify(s, Field::Z).ok);
  PlanOptions options;
  options.cheapest_equivalent = false;
  const Plan cse = make_plan({s}, Precision::F64, Layout::RowMajor, "t", options);
  options.cse = false;
  const Plan plain = make_plan({s}, Precision::F64, Layout::RowMajor, "t", options);
  SplitMix64 rng{99};
  for (auto [a, b] : {std::pair{&cse.a, &plain.a}, std::pair{&cse.b, &plain.b}, std::pair{&cse.c, &plain.c}}) {
    std::vector<Rational> inputs;
    for (int x = 0; x < a->inputs; ++x) inputs.push_back(Rational(static_cast<std::int64_t>(rng.below(7)) - 3));
    CHECK(run(*a, inputs) == run(*b, inputs));
    CHECK(a->additions() <= b->additions());
  }
}

TEST_CASE("a scheme that holds only over GF(2) is refused") {
  Scheme s = strassen_scheme();
  s.u(0)[0] = Rational(3);  // congruent to 1 mod 2: still Strassen over GF(2), wrong over Q
  s.set_field(Field::GF2);
  REQUIRE(verify(s, Field::GF2).ok);
  REQUIRE_FALSE(verify(s, Field::Q).ok);
  try {
    make_plan({s}, Precision::F32, Layout::RowMajor, "gf2");
    FAIL("make_plan accepted a GF(2)-only scheme");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("only over GF(2)") != std::string::npos);
  }
  // Claimed GF(2) but in fact valid over Z: accepted under Z.
  Scheme z = strassen_scheme();
  z.set_field(Field::GF2);
  CHECK(make_plan({z}, Precision::F32, Layout::RowMajor, "z").levels[0].field() == Field::Z);
}

TEST_CASE("a scheme that does not verify is refused") {
  Scheme s = strassen_scheme();
  s.w(6)[0] = Rational(2);
  CHECK_THROWS_AS(make_plan({s}, Precision::F32, Layout::RowMajor, "bad"), Error);
}

TEST_CASE("names and sizes are checked") {
  CHECK_THROWS_AS(make_plan({strassen_scheme()}, Precision::F32, Layout::RowMajor, "1abc"), Error);
  CHECK_THROWS_AS(make_plan({strassen_scheme()}, Precision::F32, Layout::RowMajor, "namespace"), Error);
  CHECK_THROWS_AS(make_plan({strassen_scheme()}, Precision::F32, Layout::RowMajor, "a-b"), Error);
  CHECK_THROWS_AS(make_plan(repeat_levels(laderman_scheme(), 3), Precision::F32, Layout::RowMajor, "big"), Error);
  CHECK(default_name(repeat_levels(strassen_scheme(), 2), Precision::F32, Layout::RowMajor) ==
        "strassen_4x4x4_r49_l2_f32_row");
  CHECK(default_name({strassen_scheme(), laderman_scheme()}, Precision::F64, Layout::ColMajor) ==
        "strassen_laderman_6x6x6_r161_l2_f64_col");
}

TEST_CASE("coefficients are emitted as exact constants") {
  CHECK(detail::scaled(Rational(1), "x") == "x");
  CHECK(detail::scaled(Rational(3), "x") == "T(3) * x");
  CHECK(detail::scaled(Rational(1, 2), "x") == "T(0.5) * x");
  CHECK(detail::scaled(Rational(3, 8), "x") == "T(0.375) * x");
  CHECK(detail::scaled(Rational(5, 4), "x") == "T(1.25) * x");
  CHECK(detail::scaled(Rational(1, 3), "x") == "T(1) * x / T(3)");
  CHECK(detail::expression({{0, Rational(-1)}, {2, Rational(1, 2)}}, [](int v) { return "v" + std::to_string(v); }) ==
        "-v0 + T(0.5) * v2");
  const Plan plan = plan_of("strassen_rational");
  const std::string cu = generate_cuda(plan)[1].content;
  CHECK(cu.find("T(0.5) * a") != std::string::npos);
  CHECK(cu.find("T(2) * m") != std::string::npos);
}

TEST_CASE("generated files name their sources and say they are generated") {
  PlanOptions options;
  options.command_line = "fmm codegen strassen laderman --out gen";
  options.cse_effort = CseEffort::Greedy;  // provenance is the point here, not the count
  const Plan plan = make_plan({strassen_scheme(), laderman_scheme()}, Precision::F64, Layout::ColMajor, "sl", options);
  const GeneratedFiles cuda = generate_cuda(plan), cpp = generate_cpp(plan);
  REQUIRE(cuda.size() == 2);
  REQUIRE(cpp.size() == 1);
  CHECK(cuda[0].name == "sl.cuh");
  CHECK(cuda[1].name == "sl.cu");
  CHECK(cpp[0].name == "sl_cpu.hpp");
  for (const auto* f : {&cuda[0], &cuda[1], &cpp[0]}) {
    INFO(f->name);
    CHECK(f->content.find("GENERATED FILE - DO NOT EDIT") != std::string::npos);
    CHECK(f->content.find("builtin:strassen") != std::string::npos);
    CHECK(f->content.find("builtin:laderman") != std::string::npos);
    CHECK(f->content.find(detail::hex64(plan.flat_hash)) != std::string::npos);
    CHECK(f->content.find(options.command_line) != std::string::npos);
    CHECK(f->content.find(generator_version()) != std::string::npos);
    CHECK(f->content.find("namespace sl") != std::string::npos);
  }
  CHECK(cuda[0].content.find("cublasStatus_t gemm(cublasHandle_t handle") != std::string::npos);
  CHECK(cuda[1].content.find("cublasDgemmStridedBatched") != std::string::npos);
  CHECK(cuda[0].content.find("kAdditions = " + std::to_string(plan.additions().cse)) != std::string::npos);
  CHECK(cpp[0].content.find("cuda") == std::string::npos);  // the twin needs no CUDA headers
}

TEST_CASE("generation is deterministic: the same input gives byte-identical files") {
  // The randomised elimination is seeded and budgeted in work, never in time. (Two-level plans
  // compose the same per-level code; Strassen^2 made this test 25 s of the suite's time.)
  for (const char* name : {"winograd", "laderman", "strassen_rational"}) {
    INFO(name);
    const Plan p1 = plan_of(name), p2 = plan_of(name);
    const GeneratedFiles a = generate_cuda(p1), b = generate_cuda(p2);
    const GeneratedFiles c = generate_cpp(p1), d = generate_cpp(p2);
    for (size_t i = 0; i < a.size(); ++i) CHECK(a[i].content == b[i].content);
    CHECK(c[0].content == d[0].content);
  }
}

TEST_CASE("fmm codegen writes byte-identical files when run twice") {
  const char* fmm = std::getenv("FMM_BINARY");
  if (!fmm || !std::filesystem::exists(fmm)) {
    MESSAGE("FMM_BINARY not set; skipping the command-line check");
    return;
  }
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("fmm_codegen_det_" + std::to_string(::getpid()));
  fs::remove_all(root);
  for (const char* run_dir : {"one", "two"}) {
    fs::create_directories(root / run_dir);
    // Same relative --out in two working directories: identical command lines.
    const std::string cmd = "cd '" + (root / run_dir).string() + "' && '" + fmm +
                            "' codegen strassen --levels 2 --precision f64 --layout col --out gen --name s2 >/dev/null";
    REQUIRE(std::system(cmd.c_str()) == 0);
  }
  for (const char* file : {"s2.cuh", "s2.cu", "s2_cpu.hpp"}) {
    INFO(file);
    const std::string one = read(root / "one" / "gen" / file), two = read(root / "two" / "gen" / file);
    CHECK(!one.empty());
    CHECK(one == two);
  }
  // A GF(2)-only scheme file (Strassen's signs dropped) is refused with exit code 2 and a message.
  std::ofstream(root / "gf2.txt") << "# 2 2 2 rank 7 field Z2 source test\n"
                                     "1 0 0 1 | 1 0 0 1 | 1 0 0 1\n0 0 1 1 | 1 0 0 0 | 0 0 1 1\n"
                                     "1 0 0 0 | 0 1 0 1 | 0 1 0 1\n0 0 0 1 | 1 0 1 0 | 1 0 1 0\n"
                                     "1 1 0 0 | 0 0 0 1 | 1 1 0 0\n1 0 1 0 | 1 1 0 0 | 0 0 0 1\n"
                                     "0 1 0 1 | 0 0 1 1 | 1 0 0 0\n";
  const std::string refuse = "'" + std::string(fmm) + "' codegen '" + (root / "gf2.txt").string() + "' --out '" +
                             (root / "gf2").string() + "' 2>'" + (root / "err.txt").string() + "'";
  const int rc = std::system(refuse.c_str());
  CHECK(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 2);
  CHECK(read(root / "err.txt").find("GF(2)") != std::string::npos);
  CHECK_FALSE(fs::exists(root / "gf2"));
  fs::remove_all(root);
}
