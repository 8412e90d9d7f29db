// `fmm bench`'s options, parsed by Boost.Program_options (cli/bench_options.cpp): lists, shapes,
// defaults, and bad values rejected as usage errors. Runs on every machine (no CUDA needed).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/bench_options.hpp"
#include "tensor/error.hpp"

namespace {

std::optional<fmm::gpu::BenchArgs> parse(std::vector<std::string> words) {
  words.insert(words.begin(), "bench");
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  return fmm::cli::parse_bench_options(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("bench options: lists, shapes and switches") {
  const auto a = parse({"--schemes", "strassen,laderman^2", "--levels=1,2,3", "--sizes", "4096,8192", "--shapes",
                        "16384x16384x4096,100x99x101", "--precision", "f32,tf32", "--tune", "--repeats", "5"});
  REQUIRE(a);
  CHECK(a->schemes == std::vector<std::string>{"strassen", "laderman^2"});
  CHECK(a->levels == std::vector<int>{1, 2, 3});
  CHECK(a->sizes == std::vector<long long>{4096, 8192});
  REQUIRE(a->shapes.size() == 2);
  CHECK(a->shapes[0] == std::vector<long long>{16384, 16384, 4096});
  CHECK(a->shapes[1] == std::vector<long long>{100, 99, 101});
  CHECK(a->precisions == std::vector<std::string>{"f32", "tf32"});
  CHECK(a->tune);
  CHECK(a->repeats == 5);
}

TEST_CASE("bench options: defaults") {
  const auto a = parse({"--sizes", "1024"});
  REQUIRE(a);
  CHECK(a->schemes == std::vector<std::string>{"strassen"});
  CHECK(a->levels == std::vector<int>{1, 2});
  CHECK(a->precisions == std::vector<std::string>{"f32"});
  CHECK(a->leaf_modes == std::vector<std::string>{"batched"});
  CHECK(a->repeats == 10);
  CHECK(a->warmup == 2);
  CHECK(a->min_sample_ms == 1.0);
  CHECK_FALSE(a->tune);
}

TEST_CASE("bench options: bad values are usage errors") {
  for (const auto& words : std::vector<std::vector<std::string>>{
           {"--sizes", "12x"},
           {"--sizes", "0"},
           {"--shapes", "1x2"},
           {"--shapes", "1x2xq"},
           {"--levels", "1,-2", "--sizes", "8"},
           {"--repeats", "0", "--sizes", "8"},
           {"--min-sample-ms", "-1", "--sizes", "8"},
           {"--min-sample-ms", "nan", "--sizes", "8"},
           {"--frobnicate", "--sizes", "8"},
           {"--sizes"},
           {"--schemes", "strassen"},  // no sizes or shapes
       }) {
    INFO(words.front());
    CHECK_THROWS_AS(parse(words), fmm::Error);
  }
}

TEST_CASE("bench options: --help prints and returns nothing to run") {
  CHECK_FALSE(parse({"--help"}));
  CHECK_FALSE(parse({"--version"}));
}
