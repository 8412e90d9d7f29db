#include "tensor/formats/format.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tensor/builtin.hpp"
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

// A file that does not state its field is checked over Q and, failing that, over GF(2).
// The scheme then carries the field it holds in (Z when its coefficients are integers).
void settle_field(Scheme& s, const std::string& label) {
  Field natural = coefficient_field(s);
  VerifyResult over_q = verify(s, natural);
  if (over_q) {
    s.set_field(natural);
    return;
  }
  VerifyResult over_2 = verify(s, Field::GF2);
  if (over_2) {
    s = reduce_mod2(s);
    return;
  }
  throw Error(label + ": not a valid scheme over " + to_string(natural) + " (" + over_q.reason + ") nor over GF2 (" +
              over_2.reason + ")");
}

void check(Scheme& s, std::optional<Field> field_override, bool field_stated, const std::string& label) {
  if (field_override) {
    VerifyResult r = verify(s, *field_override);
    if (!r) throw Error(label + ": " + r.message());
    if (*field_override == Field::GF2 && s.field() != Field::GF2) s = reduce_mod2(s);
    s.set_field(*field_override);
    return;
  }
  if (!field_stated) return settle_field(s, label);
  VerifyResult r = verify(s);
  if (!r) throw Error(label + ": " + r.message());
}

}  // namespace

std::vector<LoadedScheme> read_scheme_file(const std::string& path, std::optional<Field> field_override,
                                           std::vector<std::string>* unreadable_keys) {
  std::string data = read_file_bounded(path);
  Format format = format_from_path(path).value_or(sniff(data));
  std::vector<LoadedScheme> out;
  if (format == Format::Npz) {
    // Keys we cannot read (AlphaTensor's pickled object arrays) do not stop the plain keys
    // from being verified; they are reported together afterwards as malformed input.
    std::vector<std::string> unreadable;
    for (auto& entry : parse_npz(data, path)) {
      if (!entry.scheme) {
        unreadable.push_back(entry.error);
        continue;
      }
      LoadedScheme ls{std::move(*entry.scheme), Format::Npz, entry.key, false};
      check(ls.scheme, field_override, false, path + " [" + entry.key + "]");
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
  check(ls.scheme, field_override, ls.field_stated, label);
  out.push_back(std::move(ls));
  return out;
}

Scheme read_one_scheme(const std::string& path_or_builtin, std::optional<Field> field_override) {
  if (is_builtin_name(path_or_builtin) && !std::filesystem::exists(path_or_builtin)) {
    Scheme s = builtin_scheme(path_or_builtin);
    if (field_override) {
      VerifyResult r = verify(s, *field_override);
      if (!r) throw Error(path_or_builtin + ": " + r.message());
      if (*field_override == Field::GF2) s = reduce_mod2(s);
      s.set_field(*field_override);
    }
    return s;
  }
  auto all = read_scheme_file(path_or_builtin, field_override);
  if (all.size() != 1)
    throw Error(path_or_builtin + ": holds " + std::to_string(all.size()) + " schemes; expected exactly one");
  return std::move(all.front().scheme);
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
  std::string text = scheme_to_string(s, format);
  // Write to a temporary and rename, so a kill mid-write never leaves a truncated scheme.
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot write " + path);
    out << text;
    if (!out.flush()) throw Error("cannot write " + path);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) throw Error("cannot write " + path + ": " + ec.message());
}

}  // namespace fmm
