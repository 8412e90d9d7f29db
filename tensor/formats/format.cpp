#include "tensor/formats/format.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tensor/builtin.hpp"
#include "tensor/io/safe_write.hpp"
#include "tensor/error.hpp"
#include "tensor/verify.hpp"

namespace fmm {

std::string to_string(Format f) {
  switch (f) {
    case Format::Native: return "native";
    case Format::Json: return "json";
    case Format::Exp: return "exp";
    case Format::Npz: return "npz";
    case Format::CommunityJson: return "community-json";
  }
  return "?";
}

std::optional<Format> parse_format(const std::string& name) {
  for (Format f : {Format::Native, Format::Json, Format::Exp, Format::Npz, Format::CommunityJson})
    if (to_string(f) == name) return f;
  return std::nullopt;
}

std::optional<Format> format_from_path(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".txt" || ext == ".fmm") return Format::Native;
  if (ext == ".json") return Format::Json;
  if (ext == ".exp") return Format::Exp;
  if (ext == ".npz") return Format::Npz;
  return std::nullopt;
}

std::string read_file_bounded(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw ParseError(path, 0, "no such file (or not a regular file)");
  auto size = std::filesystem::file_size(path, ec);
  if (ec) throw ParseError(path, 0, "cannot read file size: " + ec.message());
  if (size > static_cast<std::uintmax_t>(kMaxFileBytes)) throw ParseError(path, 0, "file larger than 64 MiB: refusing to read it");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ParseError(path, 0, "cannot open file");
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) throw ParseError(path, 0, "short read");
  return data;
}

namespace {

Format sniff(const std::string& data) {
  if (data.size() >= 4 && data.compare(0, 4, "PK\x03\x04") == 0) return Format::Npz;
  size_t first = data.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return Format::Native;
  if (data[first] == '{') return Format::Json;
  if (data[first] == '#') return Format::Native;
  return Format::Exp;
}

// Binary coefficients only: a file that claims GF2 and holds 3, -1 or 1/3 is malformed, and
// copying such a coefficient into another file would carry the malformation on.
void require_binary_if_gf2(const Scheme& s, const std::string& label) {
  if (s.field() != Field::GF2) return;
  for (const auto* data : {&s.u_data(), &s.v_data(), &s.w_data()})
    for (std::size_t x = 0; x < data->size(); ++x) {
      const Rational& c = (*data)[x];
      if (c.is_zero() || c == Rational(1)) continue;
      throw ParseError(label, 0, "field GF2 (Z2) allows only the coefficients 0 and 1; found " + c.str() +
                                     (c == Rational(-1) ? " (-1 is 1 modulo 2: write 1)" : ""));
    }
}

[[noreturn]] void fail_verification(const std::string& label, const VerifyResult& r, const std::string& hint = "") {
  if (r.unchecked) throw Error(label + ": " + r.message());
  throw VerificationError(label + ": " + r.message() + hint);
}

// Checks the scheme over the field it is read as and records why that field.
void check(LoadedScheme& ls, std::optional<Field> field_override, const std::string& path, const std::string& label) {
  Scheme& s = ls.scheme;
  if (field_override) {
    ls.field_basis = "given by --field";
    const VerifyResult r = verify(s, *field_override);
    if (!r) fail_verification(label, r);
    if (*field_override == Field::GF2 && s.field() != Field::GF2) s = reduce_mod2(s);
    s.set_field(*field_override);
    return;
  }
  if (ls.field_stated) {
    ls.field_basis = "stated in the file";
    require_binary_if_gf2(s, label);
    const VerifyResult r = verify(s);
    if (!r) fail_verification(label, r);
    return;
  }
  if (name_says_mod2(path)) {
    ls.field_basis = "no field stated; the file name says mod 2";
    const VerifyResult r = verify(s, Field::GF2);
    if (!r) fail_verification(label, r);
    s = reduce_mod2(s);
    return;
  }
  const Field natural = coefficient_field(s);
  ls.field_basis = "no field stated: checked over " + to_string(natural) + " only, --field gf2 checks mod 2";
  s.set_field(natural);
  const VerifyResult r = verify(s, natural);
  if (r) return;
  // Say when it holds modulo 2, but do not accept it: that would answer another question.
  std::string hint;
  if (!r.unchecked && verify(s, Field::GF2))
    hint = " (it holds modulo 2: pass --field gf2, or name the file *mod2*, if GF2 is what it claims)";
  fail_verification(label, r, hint);
}

// "dir/f.npz:3,3,3" -> ("dir/f.npz", "3,3,3") when no file has the whole name.
std::pair<std::string, std::optional<std::string>> split_npz_key(const std::string& path) {
  const std::size_t colon = path.rfind(':');
  if (colon == std::string::npos || colon < 4 || path.compare(colon - 4, 4, ".npz") != 0) return {path, std::nullopt};
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return {path, std::nullopt};
  return {path.substr(0, colon), path.substr(colon + 1)};
}

}  // namespace

bool name_says_mod2(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  std::string word;
  auto says = [&] { return word == "mod2" || word == "f2" || word == "gf2" || word == "z2"; };
  for (char ch : name) {
    if (std::isalnum(static_cast<unsigned char>(ch))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      continue;
    }
    if (says()) return true;
    word.clear();
  }
  return says();
}

std::vector<LoadedScheme> read_scheme_file(const std::string& path_in, std::optional<Field> field_override,
                                           std::vector<std::string>* unreadable_keys) {
  const auto [path, key] = split_npz_key(path_in);
  std::string data = read_file_bounded(path);
  Format format = format_from_path(path).value_or(sniff(data));
  std::vector<LoadedScheme> out;
  if (format == Format::Npz) {
    // Keys we cannot read (AlphaTensor's pickled object arrays) do not stop the plain keys
    // from being verified; they are reported together afterwards as malformed input.
    std::vector<std::string> unreadable;
    for (auto& entry : parse_npz(data, path, key)) {
      if (!entry.scheme) {
        unreadable.push_back(entry.error);
        continue;
      }
      LoadedScheme ls{std::move(*entry.scheme), Format::Npz, entry.key, false, ""};
      check(ls, field_override, path, path + " [" + entry.key + "]");
      out.push_back(std::move(ls));
    }
    if (unreadable_keys && !out.empty()) {
      *unreadable_keys = std::move(unreadable);
      return out;
    }
    if (!unreadable.empty()) {
      std::string msg = std::to_string(unreadable.size()) + " of " + std::to_string(unreadable.size() + out.size()) +
                        " keys could not be read: " + unreadable.front();
      if (unreadable.size() > 1) msg += " (and " + std::to_string(unreadable.size() - 1) + " more such keys)";
      if (!out.empty()) {
        msg += "; the " + std::to_string(out.size()) + " plain keys verified:";
        for (const auto& ls : out) msg += " " + ls.name + " (" + to_string(ls.scheme.field()) + ")";
      }
      throw ParseError(path, 0, msg);
    }
    return out;
  }
  LoadedScheme ls;
  ls.format = format;
  switch (format) {
    case Format::Native: ls.scheme = parse_native(data, path); break;
    case Format::Json:
    case Format::CommunityJson: ls.scheme = parse_any_json(data, path, &ls.format); break;
    case Format::Exp:
      ls.scheme = parse_exp(data, path);
      ls.field_stated = false;
      break;
    case Format::Npz: break;
  }
  if (ls.scheme.source().empty()) ls.scheme.set_source(path);
  // An .exp file does not state its shape: say so, since a scheme that never touches the
  // last row or column of a matrix is read with too small a shape and then fails to verify.
  std::string label = format == Format::Exp ? path + " (shape " + ls.scheme.shape().str() + " inferred from the largest indices)" : path;
  check(ls, field_override, path, label);
  out.push_back(std::move(ls));
  return out;
}

LoadedScheme read_one_loaded(const std::string& path_or_builtin, std::optional<Field> field_override) {
  if (is_builtin_name(path_or_builtin) && !std::filesystem::exists(path_or_builtin)) {
    LoadedScheme ls;
    ls.scheme = builtin_scheme(path_or_builtin);
    ls.field_basis = "builtin";
    if (field_override) {
      const VerifyResult r = verify(ls.scheme, *field_override);
      if (!r) fail_verification(path_or_builtin, r);
      if (*field_override == Field::GF2) ls.scheme = reduce_mod2(ls.scheme);
      ls.scheme.set_field(*field_override);
      ls.field_basis = "given by --field";
    }
    return ls;
  }
  auto all = read_scheme_file(path_or_builtin, field_override);
  if (all.size() != 1)
    throw Error(path_or_builtin + ": holds " + std::to_string(all.size()) +
                " schemes; expected exactly one (pick one key of an archive as FILE.npz:n,m,p)");
  return std::move(all.front());
}

Scheme read_one_scheme(const std::string& path_or_builtin, std::optional<Field> field_override) {
  return read_one_loaded(path_or_builtin, field_override).scheme;
}

std::string scheme_to_string(const Scheme& s, Format format) {
  require_verified(s, "refusing to write an unverified scheme");
  switch (format) {
    case Format::Native: return write_native(s);
    case Format::Json: return write_json(s);
    case Format::Exp: return write_exp(s);
    case Format::CommunityJson: return write_community_json(s);
    case Format::Npz: throw Error("writing .npz is not supported (AlphaTensor's format is read-only here)");
  }
  return {};
}

void write_scheme_file(const std::string& path, const Scheme& s, Format format) {
  write_file_atomically(path, scheme_to_string(s, format));
}

}  // namespace fmm
