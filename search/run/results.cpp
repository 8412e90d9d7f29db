#include "search/run/results.hpp"

#include <algorithm>
#include <filesystem>
#include <tuple>
#include <vector>

#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/io/safe_write.hpp"

namespace fmm::search {
namespace {

// Up to this many schemes of one format, rank and field can share a directory.
constexpr int kMaxSameName = 10000;

std::string field_tag(Field f) { return f == Field::GF2 ? "gf2" : f == Field::Z ? "z" : "q"; }

// The terms as sorted tuples: equal for the same scheme written in another term order.
std::vector<std::vector<Rational>> sorted_terms(const Scheme& s) {
  std::vector<std::vector<Rational>> terms;
  for (int r = 0; r < s.rank(); ++r) {
    std::vector<Rational> t(s.u(r).begin(), s.u(r).end());
    t.insert(t.end(), s.v(r).begin(), s.v(r).end());
    t.insert(t.end(), s.w(r).begin(), s.w(r).end());
    terms.push_back(std::move(t));
  }
  std::sort(terms.begin(), terms.end());
  return terms;
}

// True when `path` holds (readably, validly) the same scheme over the same field.
bool holds_same_scheme(const std::string& path, const Scheme& s) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(path, ec))) return false;  // never follow a link
  try {
    const Scheme there = read_one_scheme(path);
    return there.shape() == s.shape() && there.field() == s.field() && there.rank() == s.rank() &&
           sorted_terms(there) == sorted_terms(s);
  } catch (const Error&) {
    return false;  // someone else's (or a broken) file: leave it alone and take another name
  }
}

}  // namespace

std::string result_file_name(const Scheme& s) {
  return s.shape().str() + "_r" + std::to_string(s.rank()) + "_" + field_tag(s.field()) + ".txt";
}

std::string save_result_file(const std::string& dir, const Scheme& s, bool* reused) {
  if (reused) *reused = false;
  const std::string text = scheme_to_string(s, Format::Native);  // verifies
  check_writable_directory(dir);
  const std::string stem = s.shape().str() + "_r" + std::to_string(s.rank()) + "_" + field_tag(s.field());
  for (int n = 1; n <= kMaxSameName; ++n) {
    const std::string name = n == 1 ? stem + ".txt" : stem + "_" + std::to_string(n) + ".txt";
    const std::string path = (std::filesystem::path(dir) / name).string();
    if (write_file_atomically(path, text, Existing::Keep)) return path;
    if (holds_same_scheme(path, s)) {
      if (reused) *reused = true;
      return path;
    }
  }
  throw Error("cannot save into '" + dir + "': " + std::to_string(kMaxSameName) + " files named " + stem +
              "*.txt are there already");
}

bool save_result(const std::string& dir, const Scheme& s, Progress& progress) {
  try {
    bool reused = false;
    const std::string path = save_result_file(dir, s, &reused);
    progress.log((reused ? "already saved as " : "saved ") + path);
    return true;
  } catch (const VerificationError&) {
    throw;  // a bug of ours, not the disk's: never hide it
  } catch (const Error& e) {
    std::string text;
    try {
      text = write_native(s);
    } catch (const Error&) {
      text = "(the scheme could not be printed either)\n";
    }
    progress.log(std::string("could not save a rank-") + std::to_string(s.rank()) + " scheme: " + e.what() +
                 "\nthe scheme, in the native format:\n" + text + "(end of scheme)");
    return false;
  }
}

}  // namespace fmm::search
