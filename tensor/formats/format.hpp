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
  bool field_stated = true;    // false for .exp and .npz: the field was found by verification
};

// Reads every scheme in a file (an .npz holds many; other formats hold one). Formats are
// chosen by extension, falling back to content sniffing. `field_override` forces the field
// the schemes are checked over. Throws ParseError for malformed input and fmm::Error when
// a scheme fails verification.
// An .npz may hold keys we do not read (pickled object arrays): with `unreadable_keys` given,
// their errors are returned there as long as at least one key was read; without it, or when
// no key could be read, they are a ParseError.
std::vector<LoadedScheme> read_scheme_file(const std::string& path, std::optional<Field> field_override = {},
                                           std::vector<std::string>* unreadable_keys = nullptr);
// Convenience for files holding exactly one scheme, or a builtin name such as "strassen".
Scheme read_one_scheme(const std::string& path_or_builtin, std::optional<Field> field_override = {});

// Verifies, then writes. Throws fmm::Error if the scheme does not verify over its field
// or the format cannot express it (e.g. .exp for GF2 is fine, npz is read-only).
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
// a pickled object-array key yields an entry whose error names the key.
struct NpzEntry {
  std::string key;
  std::optional<Scheme> scheme;  // set when the key held a plain numeric array
  std::string error;             // set otherwise
};
std::vector<NpzEntry> parse_npz(const std::string& bytes, const std::string& file);

// Reads a whole file with the size limit above; throws ParseError if absent or too large.
std::string read_file_bounded(const std::string& path);

}  // namespace fmm
