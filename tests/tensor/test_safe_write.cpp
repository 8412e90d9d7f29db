// The one writer (tensor/io/safe_write.hpp) and printable() (tensor/text.hpp): what they
// replace, refuse and leave behind, and what they escape.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tensor/error.hpp"
#include "tensor/io/safe_write.hpp"
#include "tensor/text.hpp"

using namespace fmm;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("fmm_safe_write_" + std::to_string(getpid()));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
  // Every entry but `keep`: a temporary left behind shows up here.
  int entries() const { return static_cast<int>(std::distance(fs::directory_iterator(path), fs::directory_iterator())); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("write_file_atomically writes, replaces a regular file and keeps its mode") {
  TempDir d;
  CHECK(write_file_atomically(d / "a.txt", "first\n"));
  CHECK(slurp(d / "a.txt") == "first\n");
  REQUIRE(chmod((d / "a.txt").c_str(), 0600) == 0);
  CHECK(write_file_atomically(d / "a.txt", "second\n"));
  CHECK(slurp(d / "a.txt") == "second\n");
  struct stat st {};
  REQUIRE(stat((d / "a.txt").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(d.entries() == 1);  // no temporary left
}

TEST_CASE("Existing::Keep never replaces anything, not even a dangling link") {
  TempDir d;
  CHECK(write_file_atomically(d / "k.txt", "one", Existing::Keep));
  CHECK_FALSE(write_file_atomically(d / "k.txt", "two", Existing::Keep));
  CHECK(slurp(d / "k.txt") == "one");
  fs::create_symlink(d / "nowhere", d / "dangling.txt");
  CHECK_FALSE(write_file_atomically(d / "dangling.txt", "three", Existing::Keep));
  CHECK_FALSE(fs::exists(d / "nowhere"));
  CHECK(d.entries() == 2);
}

TEST_CASE("links, directories and FIFOs are refused, and nothing is left behind") {
  TempDir d;
  write_file_atomically(d / "victim.txt", "victim");
  fs::create_symlink(d / "victim.txt", d / "link.txt");
  CHECK_THROWS_WITH_AS(write_file_atomically(d / "link.txt", "x"), doctest::Contains("symbolic link"), Error);
  CHECK(fs::is_symlink(d / "link.txt"));
  CHECK(slurp(d / "victim.txt") == "victim");
  fs::create_directory(d / "dir.txt");
  CHECK_THROWS_WITH_AS(write_file_atomically(d / "dir.txt", "x"), doctest::Contains("a directory"), Error);
  REQUIRE(mkfifo((d / "fifo.txt").c_str(), 0600) == 0);
  CHECK_THROWS_WITH_AS(write_file_atomically(d / "fifo.txt", "x"), doctest::Contains("a FIFO"), Error);
  CHECK(d.entries() == 4);
  CHECK_THROWS_WITH_AS(check_writable_file(d / "link.txt"), doctest::Contains("symbolic link"), Error);
}

TEST_CASE("errors say why, and the checks fail before any work") {
  TempDir d;
  CHECK_THROWS_WITH_AS(write_file_atomically(d / "missing/x.txt", "x"), doctest::Contains("No such file or directory"),
                       Error);
  CHECK_THROWS_WITH_AS(check_writable_file(d / "missing/x.txt"), doctest::Contains("No such file or directory"), Error);
  write_file_atomically(d / "plain", "x");
  CHECK_THROWS_AS(check_writable_directory(d / "plain/sub"), Error);
  CHECK_NOTHROW(check_writable_directory(d / "new/deeper"));
  CHECK(fs::is_directory(d / "new/deeper"));
  CHECK(fs::is_empty(d / "new/deeper"));  // the probe is gone
  CHECK_NOTHROW(check_writable_file(d / "fresh.txt"));
  CHECK_FALSE(fs::exists(d / "fresh.txt"));
  CHECK(is_stdout_path("-"));
  CHECK(is_stdout_path("/dev/stdout"));
}

TEST_CASE("printable escapes control bytes, C1 controls and invalid UTF-8, nothing else") {
  CHECK(printable("plain text 1/2 -1") == "plain text 1/2 -1");
  CHECK(printable(std::string("a\x1b]0;x\x07" "b", 8)) == "a\\x1b]0;x\\x07b");
  CHECK(printable(std::string("cut\0here", 8)) == "cut\\x00here");
  CHECK(printable("line\nbreak\ttab") == "line\\x0abreak\\x09tab");
  CHECK(printable("line\nbreak\ttab", true) == "line\nbreak\ttab");
  CHECK(printable("\xc2\x9b" "31m") == "\\xc2\\x9b31m");  // U+009B, the 8-bit CSI
  CHECK(printable("\xff\xfe") == "\\xff\\xfe");
  CHECK(printable("\xe2\x9f\xa8" "3,3,3" "\xe2\x9f\xa9 \xc3\xa9") == "\xe2\x9f\xa8" "3,3,3" "\xe2\x9f\xa9 \xc3\xa9");
  CHECK(printable("\xe2\x9f") == "\\xe2\\x9f");  // truncated sequence
  const std::string once = printable(std::string("\x1b\0\xff", 3));
  CHECK(printable(once) == once);
  // Errors escape what they carry.
  CHECK(std::string(ParseError("f\x1b.txt", 3, "found '\x1b[2J'").what()) == "f\\x1b.txt:3: found '\\x1b[2J'");
}
