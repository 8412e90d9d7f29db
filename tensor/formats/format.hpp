// Reading and writing scheme files. Every reader rejects malformed input with a
// fmm::ParseError naming file, line and what was expected, bounds what it allocates,
// and passes each scheme through the verifier before handing it on.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "tensor/scheme.hpp"

namespace fmm {

// CommunityJson: the FastMatrixMultiplication collection's JSON (its "full" format; its
// "reduced" format is read too). A .json file is fmm's or the collection's by its keys.
enum class Format { Native, Json, Exp, Npz, CommunityJson };
std::string to_string(Format format);  // "native", "json", "exp", "npz", "community-json"
std::optional<Format> parse_format(const std::string& name);  // inverse of to_string
// From the file name: .txt/.fmm -> native, .json, .exp, .npz; nullopt when unknown.
std::optional<Format> format_from_path(const std::string& path);

// Hard limits that keep a hostile file from making us allocate without bound.
inline constexpr long kMaxFileBytes = 64L << 20;  // 64 MiB (the largest published file is < 1 MiB)
inline constexpr int kMaxRank = 1 << 16;          // far above nmp = 4096 for 16x16x16
inline constexpr size_t kMaxLineBytes = 1 << 20;

// A scheme as read from a file, with how its field was established.
struct LoadedScheme {
  Scheme scheme;
  Format format = Format::Native;
  std::string name;            // npz key ("3,3,3") or empty
  bool field_stated = true;    // false for .exp and .npz
  // Why scheme.field() is the field it was checked over, for the output: "stated in the file",
  // "given by --field", "no field stated: checked over Q only, ...", "... the file name says mod 2".
  std::string field_basis;
};

// Files that state no field (.exp, .npz) are checked over Q (Z when every coefficient is an
// integer) and nothing else: a scheme that holds only modulo 2 fails, unless the caller asks
// for GF2 (field_override) or the file name says mod 2 - one of the words mod2, f2, gf2 or z2
// between non-alphanumeric characters, as in 444-47-mod2.exp or factorizations_f2.npz.
// Checking over GF2 after Q failed would silently change the question (a Z scheme with one
// sign flipped is still valid mod 2).
bool name_says_mod2(const std::string& path);

// Reads every scheme in a file (an .npz holds many; other formats hold one). Formats are
// chosen by extension, falling back to content sniffing. `field_override` forces the field
// the schemes are checked over. Throws ParseError for malformed input, VerificationError when
// a scheme fails verification and fmm::Error when it cannot be checked (too large).
// "FILE.npz:n,m,p" reads the one key n,m,p of an archive.
// An .npz may hold keys we do not read (pickled object arrays): with `unreadable_keys` given,
// their errors are returned there as long as at least one key was read; without it, or when
// no key could be read, they are a ParseError.
std::vector<LoadedScheme> read_scheme_file(const std::string& path, std::optional<Field> field_override = {},
                                           std::vector<std::string>* unreadable_keys = nullptr);
// One scheme with how its field was established: a file holding exactly one scheme
// ("FILE.npz:n,m,p" for one key of an archive) or a builtin name such as "strassen".
LoadedScheme read_one_loaded(const std::string& path_or_builtin, std::optional<Field> field_override = {});
// The same, the scheme only.
Scheme read_one_scheme(const std::string& path_or_builtin, std::optional<Field> field_override = {});

// Verifies, then writes through write_file_atomically (tensor/io/safe_write.hpp: "-" is
// standard output). Throws fmm::VerificationError if the scheme does not verify over its field,
// fmm::Error if the format cannot express it (npz is read-only) or the file cannot be written.
void write_scheme_file(const std::string& path, const Scheme& scheme, Format format);
std::string scheme_to_string(const Scheme& scheme, Format format);

// Per-format parsers and writers over in-memory text (used by the fuzz targets).
// Parsers do NOT verify; read_scheme_file does. `file` only labels error messages.
Scheme parse_native(const std::string& text, const std::string& file);
std::string write_native(const Scheme& scheme);
Scheme parse_json(const std::string& text, const std::string& file);
std::string write_json(const Scheme& scheme);
// The FastMatrixMultiplication collection's JSON: "n", "m", "z2", "u", "v", "w" with w holding
// C TRANSPOSED (index k*n+i); or its reduced format with addition chains ("u_fresh" ...).
Scheme parse_community_json(const std::string& text, const std::string& file);
std::string write_community_json(const Scheme& scheme);
// Either JSON: fmm's own ("format": "fmm-scheme") or the collection's; `format` says which.
Scheme parse_any_json(const std::string& text, const std::string& file, Format* format = nullptr);
// .exp: one product per line "(a11-a12)*(b21+2*b22)*(c12+c21)", cKI = coefficient of C[I][K].
// The shape is inferred from the largest indices unless given.
Scheme parse_exp(const std::string& text, const std::string& file, std::optional<Shape> shape = {});
std::string write_exp(const Scheme& scheme);
// AlphaTensor's factorizations_{r,f2}.npz: one entry per plain-array key ("n,m,p");
// a pickled object-array key yields an entry whose error names the key. With `only_key`, just
// that member is read (a ParseError lists the keys when it is absent).
struct NpzEntry {
  std::string key;
  std::optional<Scheme> scheme;  // set when the key held a plain numeric array
  std::string error;             // set otherwise
};
std::vector<NpzEntry> parse_npz(const std::string& bytes, const std::string& file,
                                const std::optional<std::string>& only_key = {});

// Reads a whole file with the size limit above; throws ParseError if absent or too large.
std::string read_file_bounded(const std::string& path);

}  // namespace fmm
