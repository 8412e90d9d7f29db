// The best start for a format from what is already known: a library of verified schemes (the
// campaign's best of each format, or files a user names), combined by the moves of
// format_moves.hpp. Kauers and Wood (2025) and Perminov (arXiv 2511.20317) reach most of the
// records for formats 6..16 from such starts rather than from the standard algorithm: the
// block sum of two good smaller schemes, the Kronecker product of two, the projection of a
// larger one, the extension of one smaller by a column.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "search/meta/format_moves.hpp"
#include "search/run/known_ranks.hpp"
#include "tensor/scheme.hpp"

namespace fmm::search::meta {

// The format with its dimensions in ascending order: the library (and the campaign state) file
// each format under it.
Shape sorted_format(const Shape& shape);

// The native scheme files (*.txt) of a directory, not recursive, in name order (so that loading
// them is deterministic); none when the directory does not exist.
std::vector<std::filesystem::path> scheme_files(const std::string& dir);

// Verified schemes, the lowest rank kept for each format (up to the order of its dimensions)
// and each ring ({-1,0,1}, Z, Q, GF(2)): a scheme is filed under the smallest ring it holds in.
class Library {
 public:
  struct Entry {
    Scheme scheme;       // in the sorted format n <= m <= p
    std::string origin;  // how it was made ("flip walk ...", "block sum ...", a file name)
  };

  // Keeps the scheme (verified here over its field; permuted to the sorted format) when it is
  // the first or has a lower rank than the entry of its format and ring. Returns whether kept.
  bool add(const Scheme& scheme, const std::string& origin);
  // The lowest-rank entry of the format (any order of dimensions) usable over `ring` (see
  // holds_in: a {-1,0,1} scheme serves every ring, a Z scheme Z, Q and GF(2) ...), or null.
  const Entry* best(const Shape& shape, RankRing ring) const;
  // The entry filed under exactly this ring, or null.
  const Entry* at(const Shape& shape, RankRing ring) const;
  // Every sorted format held.
  std::vector<Shape> formats() const;
  std::size_t size() const { return entries_.size(); }

  // Reads every native scheme file (*.txt) of a directory (not recursive); each must verify.
  // Returns the number kept.
  int load_directory(const std::string& dir);

  // Outer schemes for bud products (bud_product.hpp) kept whatever their rank: a scheme one
  // above the best whose products share more factors can give the better product (Perminov's
  // <4,7,8;161> comes from a <2,4,7;46>, the best being 45). Verified; sorted format.
  void add_outer(const Scheme& scheme, const std::string& origin);
  // Every outer scheme of the format (any order of dimensions) that serves over `ring`.
  std::vector<const Entry*> outers(const Shape& shape, RankRing ring) const;

 private:
  using Key = std::tuple<int, int, int, int>;  // sorted n, m, p and the ring
  std::map<Key, Entry> entries_;
  std::vector<Entry> outers_;
};

// The lowest-rank start for a format over `ring` that the library gives, built from:
// the library's own entry; the standard algorithm; block sums along any axis and any split
// (an extension is the block sum with a standard slice); Kronecker products of any two formats
// whose dimensions multiply to the target's, and bud products (bud_product.hpp: a library
// scheme whose products share factors, times the best of the quotient format, cheaper than the
// Kronecker product by what the shared factors save); and projections of library schemes of larger
// formats (at most `max_projection_excess` dimensions larger in all), index by index, greedily.
// Sums and products take the best of their parts recursively (a dynamic programme over the
// formats below the target, each part again from the same constructions).
struct Start {
  Scheme scheme;       // of exactly the requested shape, verified over the ring's field
  std::string recipe;  // "block sum along p of [3x3x3: library (flip walk ...)] and [...]"
};

struct StartOptions {
  int max_projection_excess = 2;  // projections from formats at most this much larger (sum of dims)
  // Leave out the library's own entry for the target (its parts still come from the library):
  // a fresh construction, for a walk that should not retrace the last one.
  bool fresh = false;
  // Take the best projection of a larger scheme when its rank is at most this much above the
  // best start (-1: never): projections are entangled schemes, block sums are two independent
  // walks side by side (results/search/meta_starts.md).
  int projection_slack = -1;
};

// The best start, and (when `alternatives` is given) one line per construction tried at the top
// level with its rank, best first.
Start best_start(const Shape& target, RankRing ring, const Library& library, const StartOptions& options = {},
                 std::vector<std::string>* alternatives = nullptr);

// Starts of a given kind, for walks that should not start from a block sum: measured with the
// same flip budget (results/search/meta_starts.md), walks from block sums and Kronecker products
// of reduced schemes never went below their start, while walks from projections of larger
// schemes and from extensions of smaller ones (a standard slice added) did.
// The best projection of each library scheme of a format at most `max_excess` larger (in the sum
// of the dimensions), one start per format, lowest rank first (ties in the order of the library's
// formats); empty when the library has none. Each larger format is its own lineage: <3,5,7> 79
// came from a walk of the projection of a new <3,7,7;114>, not of the lowest-rank projection of
// its time.
std::vector<Start> projection_starts(const Shape& target, RankRing ring, const Library& library, int max_excess = 2);
// The best extension: the best start of a format one smaller along some axis (from the library,
// sums and products), plus the products of the missing slice; nullopt for <1,1,1>.
std::optional<Start> best_extension_start(const Shape& target, RankRing ring, const Library& library);

// The best start for `target` from one scheme of any format: the scheme itself up to a symmetry,
// projected when larger, extended (summed with standard slices) where smaller, or combined with
// itself by sums and products where that is cheaper. What `fmm search --from FILE` uses when
// FILE is of another format.
Start start_from(const Scheme& scheme, const Shape& target, RankRing ring);

}  // namespace fmm::search::meta
