// `fmm search` as a process: SIGKILL after a checkpoint, then --resume, ends exactly where an
// uninterrupted run ends; SIGTERM stops a run cleanly (exit 143, checkpoint and results saved);
// exit codes for a reached and a missed target; the result file verifies.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

namespace fs = std::filesystem;

namespace {

std::string binary() {
  const char* b = std::getenv("FMM_BINARY");
  return b ? b : "";
}

struct Proc {
  pid_t pid = -1;
  std::string out_path;
};

Proc spawn(const std::vector<std::string>& args, const std::string& out_path) {
  Proc p;
  p.out_path = out_path;
  std::fflush(nullptr);  // or the child would flush our buffered output a second time
  p.pid = fork();
  if (p.pid == 0) {
    FILE* f = std::freopen(out_path.c_str(), "w", stdout);
    (void)f;
    FILE* e = std::freopen((out_path + ".err").c_str(), "w", stderr);
    (void)e;
    std::vector<char*> argv;
    std::string bin = binary();
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return p;
}

int wait_exit(const Proc& p) {
  int status = 0;
  waitpid(p.pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// "best rank gf2 23, z -; 2000000 flips" without the seconds.
std::string result_line(const std::string& out) {
  auto pos = out.find("done: ");
  if (pos == std::string::npos) return "(no summary) " + out;
  auto end = out.find(" in ", pos);
  return out.substr(pos, end - pos);
}

bool wait_for_file(const std::string& path, double seconds) {
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (fs::exists(path)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

fs::path workdir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("fmm_search_cli_" + std::to_string(getpid()) + "_" + name);
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

}  // namespace

TEST_CASE("SIGKILL after a checkpoint, then --resume, ends where an uninterrupted run ends") {
  if (binary().empty()) return;
  const fs::path d = workdir("kill");
  const std::vector<std::string> common = {"search", "--shape", "3x3x3", "--seed", "3", "--walkers", "2",
                                           "--epoch-flips", "100000", "--plateau", "20000"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = common;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  Proc straight = spawn(with({"--max-flips", "3000000"}), (d / "straight.out").string());
  REQUIRE(wait_exit(straight) == 0);

  const std::string ckpt = (d / "run.ckpt").string();
  Proc victim = spawn(with({"--checkpoint", ckpt, "--checkpoint-every", "0.001"}), (d / "victim.out").string());
  REQUIRE(wait_for_file(ckpt, 30));
  kill(victim.pid, SIGKILL);
  CHECK(wait_exit(victim) == 128 + SIGKILL);

  Proc resumed = spawn(with({"--max-flips", "3000000", "--checkpoint", ckpt, "--resume"}), (d / "resumed.out").string());
  REQUIRE(wait_exit(resumed) == 0);
  CHECK(slurp(d / "resumed.out.err").find("resumed from") != std::string::npos);
  CHECK(result_line(slurp(d / "resumed.out")) == result_line(slurp(d / "straight.out")));
  fs::remove_all(d);
}

TEST_CASE("SIGTERM stops a run cleanly: exit 143 (128 + SIGTERM), checkpoint and results saved") {
  if (binary().empty()) return;
  const fs::path d = workdir("term");
  const std::string ckpt = (d / "run.ckpt").string();
  Proc p = spawn({"search", "--shape", "4x4x4", "--seed", "1", "--checkpoint", ckpt, "--checkpoint-every", "0.001",
                  "--epoch-flips", "100000", "--out", (d / "out").string()},
                 (d / "term.out").string());
  REQUIRE(wait_for_file(ckpt, 30));
  kill(p.pid, SIGTERM);
  CHECK(wait_exit(p) == 128 + SIGTERM);
  CHECK(slurp(d / "term.out").find("interrupted") != std::string::npos);
  bool found = false;
  for (const auto& e : fs::directory_iterator(d / "out")) {
    found = true;
    fmm::Scheme s = fmm::read_one_scheme(e.path().string());
    CHECK(fmm::verify(s).ok);
    CHECK(s.rank() < 64);
  }
  CHECK(found);
  fs::remove_all(d);
}

TEST_CASE("exit codes: 0 when the target is reached, 1 when it is not, 2 for bad usage") {
  if (binary().empty()) return;
  const fs::path d = workdir("codes");
  Proc ok = spawn({"search", "--shape", "2x2x2", "--field", "z", "--target-rank", "7", "--out", (d / "o").string()},
                  (d / "ok.out").string());
  CHECK(wait_exit(ok) == 0);
  fmm::Scheme s = fmm::read_one_scheme((d / "o" / "2x2x2_r7_z.txt").string());
  CHECK(s.rank() == 7);
  CHECK(fmm::verify(s, fmm::Field::Z).ok);
  CHECK(s.source().find("seed 1") != std::string::npos);
  Proc miss = spawn({"search", "--shape", "2x2x2", "--target-rank", "6", "--max-flips", "200000"}, (d / "miss.out").string());
  CHECK(wait_exit(miss) == 1);
  // Every format up to <16,16,16> is searched (factors of up to 256 bits); past that, exit 2.
  Proc big = spawn({"search", "--shape", "16x16x16", "--max-flips", "100000"}, (d / "big.out").string());
  CHECK(wait_exit(big) == 0);
  Proc bad = spawn({"search", "--shape", "17x2x2"}, (d / "bad.out").string());
  CHECK(wait_exit(bad) == 2);
  // The walk's policies: bad values are usage errors; good ones run (GF2 <3,3,3>, 23 is reachable).
  for (std::vector<std::string> args : {std::vector<std::string>{"--reductions", "triples"}, {"--focus", "1.5"}, {"--focus", "-0.1"}}) {
    args.insert(args.begin(), {"search", "--shape", "2x2x2"});
    Proc p = spawn(args, (d / "policy.out").string());
    CHECK(wait_exit(p) == 2);
  }
  Proc policies = spawn({"search", "--shape", "3x3x3", "--target-rank", "23", "--reductions", "general", "--focus", "0.5",
                         "--descent", "1000", "--max-flips", "50000000"},
                        (d / "policies.out").string());
  CHECK(wait_exit(policies) == 0);
  Proc drift = spawn({"search", "--shape", "3x3x3", "--target-rank", "23", "--drift", "2000", "--plus-slack", "8",
                      "--plateau", "5000000", "--max-flips", "200000000"},
                     (d / "drift.out").string());
  CHECK(wait_exit(drift) == 0);
  Proc both = spawn({"search", "--shape", "3x3x3", "--drift", "2000", "--descent", "1000"}, (d / "both.out").string());
  CHECK(wait_exit(both) == 2);
  // Random starts reach <3,3,3> 23 over GF(2); bad ranges, Z and --from are usage errors.
  Proc random = spawn({"search", "--shape", "3x3x3", "--target-rank", "23", "--random-starts", "4-8", "--restart-after",
                       "2000000", "--max-flips", "200000000"},
                      (d / "random.out").string());
  CHECK(wait_exit(random) == 0);
  for (std::vector<std::string> args : {std::vector<std::string>{"--random-starts", "8-4"}, {"--random-starts", "x"},
                                        {"--random-starts", "4-"}, {"--random-starts", "5000"},
                                        {"--random-starts", "4", "--field", "z"},
                                        {"--random-starts", "4", "--from", "strassen"},
                                        {"--restart-after", "1000"}}) {
    args.insert(args.begin(), {"search", "--shape", "2x2x2", "--max-flips", "1000"});
    Proc p = spawn(args, (d / "random_bad.out").string());
    CHECK(wait_exit(p) == 2);
  }
  fs::remove_all(d);
}

TEST_CASE("--backend: the GPU walk's emulation finds and lifts <3,3,3> 23; what it does not walk exits 2") {
  if (binary().empty()) return;
  const fs::path d = workdir("backend");
  Proc ok = spawn({"search", "--shape", "3x3x3", "--backend", "gpu-emulated", "--threads", "2", "--walkers", "64",
                   "--epoch-flips", "50000", "--max-flips", "200000000", "--target-rank", "23", "--lift", "--out",
                   (d / "o").string()},
                  (d / "ok.out").string());
  CHECK(wait_exit(ok) == 0);
  fmm::Scheme z = fmm::read_one_scheme((d / "o" / "3x3x3_r23_z.txt").string());
  CHECK(fmm::verify(z, fmm::Field::Z).ok);
  CHECK(z.source().find("GPU-bank walker") != std::string::npos);
  // Over {-1,0,1} the bank's schemes are integer schemes: saved as _z, no lift.
  Proc zt = spawn({"search", "--shape", "3x3x3", "--field", "z", "--backend", "gpu-emulated", "--threads", "2",
                   "--walkers", "64", "--epoch-flips", "50000", "--max-flips", "200000000", "--target-rank", "23",
                   "--out", (d / "zt").string()},
                  (d / "zt.out").string());
  CHECK(wait_exit(zt) == 0);
  fmm::Scheme zz = fmm::read_one_scheme((d / "zt" / "3x3x3_r23_z.txt").string());
  CHECK(fmm::verify(zz, fmm::Field::Z).ok);
  CHECK(zz.source().find("GPU-bank walker") != std::string::npos);
  // <8,8,8> over {-1,0,1} from the standard algorithm: 518 terms, past the kernel's 384.
  Proc big = spawn({"search", "--shape", "8x8x8", "--field", "z", "--backend", "gpu-emulated", "--max-flips", "1000"},
                   (d / "big.out").string());
  CHECK(wait_exit(big) == 2);
  for (std::vector<std::string> args : {std::vector<std::string>{"--backend", "tpu"},
                                        {"--backend", "gpu", "--symmetric", "--checkpoint", (d / "s.ckpt").string()},
                                        {"--backend", "gpu-emulated", "--checkpoint", (d / "c.ckpt").string()}}) {
    args.insert(args.begin(), {"search", "--shape", "3x3x3", "--max-flips", "1000"});
    Proc p = spawn(args, (d / "bad.out").string());
    CHECK(wait_exit(p) == 2);
  }
  fs::remove_all(d);
}

TEST_CASE("--symmetric: a non-invariant --from scheme, bad cube groups and a wrong group order exit 2") {
  if (binary().empty()) return;
  const fs::path d = workdir("symmetric");
  Proc laderman = spawn({"search", "--shape", "3x3x3", "--symmetric", "--from", "laderman", "--max-flips", "1000"},
                        (d / "laderman.out").string());
  CHECK(wait_exit(laderman) == 2);  // Laderman's scheme is not cyclic-invariant
  Proc cubes = spawn({"search", "--shape", "4x4x4", "--symmetric", "--cubes", "1100,0110", "--max-flips", "1000"},
                     (d / "cubes.out").string());
  CHECK(wait_exit(cubes) == 2);  // entry 2 in two groups
  Proc order = spawn({"search", "--shape", "4x4x4", "--symmetric", "--symmetry", "4"}, (d / "order.out").string());
  CHECK(wait_exit(order) == 2);
  Proc alone = spawn({"search", "--shape", "4x4x4", "--cubes", "1111"}, (d / "alone.out").string());
  CHECK(wait_exit(alone) == 2);  // --cubes without --symmetric
  Proc ok = spawn({"search", "--shape", "2x2x2", "--symmetric", "--target-rank", "7", "--lift", "--out", (d / "o").string()},
                  (d / "ok.out").string());
  CHECK(wait_exit(ok) == 0);
  fmm::Scheme z = fmm::read_one_scheme((d / "o" / "2x2x2_r7_z.txt").string());
  CHECK(fmm::verify(z, fmm::Field::Z).ok);
  fs::remove_all(d);
}

TEST_CASE("SIGINT stops a run with exit 130 (128 + SIGINT), distinct from a missed target (1)") {
  if (binary().empty()) return;
  const fs::path d = workdir("int");
  const std::string ckpt = (d / "run.ckpt").string();
  Proc p = spawn({"search", "--shape", "4x4x4", "--seed", "2", "--checkpoint", ckpt, "--checkpoint-every", "0.001",
                  "--epoch-flips", "100000"},
                 (d / "int.out").string());
  REQUIRE(wait_for_file(ckpt, 30));
  kill(p.pid, SIGINT);
  CHECK(wait_exit(p) == 128 + SIGINT);
  CHECK(slurp(d / "int.out").find("interrupted") != std::string::npos);
  fs::remove_all(d);
}

TEST_CASE("the first checkpoint comes early by default: a run killed after seconds can resume") {
  // With the old default (first checkpoint after 60 s) nothing would be there to resume from.
  if (binary().empty()) return;
  const fs::path d = workdir("early");
  const std::string ckpt = (d / "run.ckpt").string();
  const std::vector<std::string> run = {"search", "--shape", "4x4x4", "--seed", "5", "--epoch-flips", "100000",
                                        "--checkpoint", ckpt};
  Proc victim = spawn(run, (d / "victim.out").string());
  REQUIRE(wait_for_file(ckpt, 30));
  kill(victim.pid, SIGKILL);
  CHECK(wait_exit(victim) == 128 + SIGKILL);
  std::vector<std::string> resume = run;
  resume.insert(resume.end(), {"--resume", "--max-flips", "1"});
  Proc resumed = spawn(resume, (d / "resumed.out").string());
  CHECK(wait_exit(resumed) == 0);
  CHECK(slurp(d / "resumed.out.err").find("resumed from") != std::string::npos);
  fs::remove_all(d);
}
