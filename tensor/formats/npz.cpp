// AlphaTensor's factorizations_{r,f2}.npz (A. Fawzi et al., "Discovering faster matrix
// multiplication algorithms with reinforcement learning", Nature 610, 2022): a zip archive
// of .npy arrays, one member "n,m,p.npy" per format. Plain members hold an array of shape
// (3, n*m, R) = (u, v, w) with products as columns, u indexed i*m+j, v j*p+k and w k*n+i
// (C transposed: the notebook's tensor is T[i*m+j][j*p+k][k*n+i]). Non-square formats are
// stored as pickled object arrays, which we do not unpickle: they come back as entries
// with an error naming the key.
//
// Everything here is bounded: member count, header sizes, the total inflated size (checked
// against the declared size and the CRC), array element counts; every offset is checked
// against the buffer before it is read.
#include <zlib.h>

#include <cmath>
#include <cstring>

#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm {
namespace {

constexpr size_t kMaxMembers = 4096;
constexpr uint64_t kMaxInflatedTotal = 256ull << 20;  // 256 MiB across all members
constexpr size_t kMaxNpyHeader = 1 << 16;
// Float entries must be k / 2^e with e at most this and |value| below 2^31: the published
// coefficients are +-1/2, +-1/8; anything else is a rounded decimal we refuse to guess at.
constexpr int kMaxDyadicExponent = 20;

class Reader {
 public:
  Reader(const std::string& bytes, const std::string& file) : b_(bytes), file_(file) {}

  [[noreturn]] void fail(const std::string& what) const { throw ParseError(file_, 0, what); }

  uint64_t le(size_t at, int width, const char* what) const {
    if (at > b_.size() || size_t(width) > b_.size() - at) fail(std::string("truncated archive: ") + what + " runs past the end of the file");
    uint64_t v = 0;
    for (int i = width - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b_[at + i]);
    return v;
  }

  const std::string& b_;
  const std::string& file_;
};

struct Member {
  std::string name;
  int method = 0;
  uint32_t crc = 0;
  uint64_t compressed = 0, uncompressed = 0, local_offset = 0;
};

// Zip64 extended information (APPNOTE.TXT 4.5.3): the fields that are saturated in the
// fixed header appear in this order.
void apply_zip64(const Reader& rd, size_t extra, size_t extra_len, Member& m, bool need_size, bool need_csize, bool need_offset) {
  size_t at = extra, end = extra + extra_len;
  while (at + 4 <= end) {
    uint64_t id = rd.le(at, 2, "extra field"), len = rd.le(at + 2, 2, "extra field");
    if (at + 4 + len > end) rd.fail("malformed zip extra field in member '" + m.name + "'");
    if (id == 1) {
      size_t p = at + 4, stop = at + 4 + len;
      auto take = [&](uint64_t& field) {
        if (p + 8 > stop) rd.fail("malformed zip64 extra field in member '" + m.name + "'");
        field = rd.le(p, 8, "zip64 field");
        p += 8;
      };
      if (need_size) take(m.uncompressed);
      if (need_csize) take(m.compressed);
      if (need_offset) take(m.local_offset);
      return;
    }
    at += 4 + len;
  }
  rd.fail("member '" + m.name + "' has saturated sizes but no zip64 extra field");
}

std::vector<Member> central_directory(const Reader& rd) {
  const std::string& b = rd.b_;
  if (b.size() < 22) rd.fail("expected a zip archive (.npz), found " + std::to_string(b.size()) + " bytes");
  // End of central directory: signature PK\5\6, followed by at most a 64 KiB comment.
  size_t eocd = std::string::npos;
  size_t lowest = b.size() > 22 + 0xFFFF ? b.size() - 22 - 0xFFFF : 0;
  for (size_t at = b.size() - 22 + 1; at-- > lowest;)
    if (b.compare(at, 4, "PK\x05\x06") == 0) {
      eocd = at;
      break;
    }
  if (eocd == std::string::npos) rd.fail("expected a zip archive (.npz): no end-of-central-directory record");
  uint64_t count = rd.le(eocd + 10, 2, "EOCD");
  uint64_t cd_size = rd.le(eocd + 12, 4, "EOCD");
  uint64_t cd_offset = rd.le(eocd + 16, 4, "EOCD");
  if (count == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF) {
    // Zip64 end of central directory, found through its locator just before the EOCD.
    if (eocd < 20 || b.compare(eocd - 20, 4, "PK\x06\x07") != 0) rd.fail("saturated zip directory without a zip64 locator");
    uint64_t z64 = rd.le(eocd - 20 + 8, 8, "zip64 locator");
    if (z64 > b.size() || b.compare(z64, 4, "PK\x06\x06") != 0) rd.fail("zip64 locator points at no zip64 directory record");
    count = rd.le(z64 + 32, 8, "zip64 EOCD");
    cd_size = rd.le(z64 + 40, 8, "zip64 EOCD");
    cd_offset = rd.le(z64 + 48, 8, "zip64 EOCD");
  }
  if (count > kMaxMembers) rd.fail("archive declares " + std::to_string(count) + " members; at most " + std::to_string(kMaxMembers) + " are read");
  if (cd_offset > b.size() || cd_size > b.size() - cd_offset)
    rd.fail("zip central directory (offset " + std::to_string(cd_offset) + ", size " + std::to_string(cd_size) + ") lies outside the file");
  std::vector<Member> out;
  size_t at = cd_offset;
  for (uint64_t i = 0; i < count; ++i) {
    if (rd.le(at, 4, "central directory entry") != 0x02014b50) rd.fail("expected central directory entry " + std::to_string(i) + " (signature PK\\1\\2)");
    Member m;
    uint64_t flags = rd.le(at + 8, 2, "central directory entry");
    m.method = static_cast<int>(rd.le(at + 10, 2, "central directory entry"));
    m.crc = static_cast<uint32_t>(rd.le(at + 16, 4, "central directory entry"));
    m.compressed = rd.le(at + 20, 4, "central directory entry");
    m.uncompressed = rd.le(at + 24, 4, "central directory entry");
    uint64_t name_len = rd.le(at + 28, 2, "central directory entry");
    uint64_t extra_len = rd.le(at + 30, 2, "central directory entry");
    uint64_t comment_len = rd.le(at + 32, 2, "central directory entry");
    m.local_offset = rd.le(at + 42, 4, "central directory entry");
    size_t name_at = at + 46;
    if (name_at + name_len + extra_len + comment_len > b.size()) rd.fail("truncated zip central directory");
    m.name = b.substr(name_at, name_len);
    if (flags & 1) rd.fail("member '" + m.name + "' is encrypted");
    bool z_size = m.uncompressed == 0xFFFFFFFF, z_csize = m.compressed == 0xFFFFFFFF, z_off = m.local_offset == 0xFFFFFFFF;
    if (z_size || z_csize || z_off) apply_zip64(rd, name_at + name_len, extra_len, m, z_size, z_csize, z_off);
    out.push_back(std::move(m));
    at = name_at + name_len + extra_len + comment_len;
  }
  return out;
}

// The member's bytes, inflated if needed, checked against the declared size and CRC-32.
std::string extract(const Reader& rd, const Member& m, uint64_t& inflated_total) {
  const std::string& b = rd.b_;
  size_t lh = m.local_offset;
  if (rd.le(lh, 4, "local header") != 0x04034b50) rd.fail("member '" + m.name + "': expected a local file header at offset " + std::to_string(lh));
  uint64_t name_len = rd.le(lh + 26, 2, "local header"), extra_len = rd.le(lh + 28, 2, "local header");
  uint64_t data = lh + 30 + name_len + extra_len;
  if (data > b.size() || m.compressed > b.size() - data)
    rd.fail("member '" + m.name + "': its declared compressed size " + std::to_string(m.compressed) + " runs past the end of the file");
  if (m.uncompressed > kMaxInflatedTotal || inflated_total + m.uncompressed > kMaxInflatedTotal)
    rd.fail("member '" + m.name + "': declared size " + std::to_string(m.uncompressed) + " would exceed the 256 MiB limit on inflated data");
  inflated_total += m.uncompressed;
  std::string out;
  if (m.method == 0) {
    if (m.compressed != m.uncompressed) rd.fail("stored member '" + m.name + "': compressed and uncompressed sizes differ");
    out = b.substr(data, m.compressed);
  } else if (m.method == 8) {
    // Deflate cannot expand more than about 1032:1, so a larger declared size is a lie (or a bomb).
    if (m.uncompressed > m.compressed * 1040 + 1024)
      rd.fail("deflated member '" + m.name + "' declares " + std::to_string(m.uncompressed) + " bytes from " +
              std::to_string(m.compressed) + " compressed: impossible for deflate");
    out.resize(m.uncompressed);
    z_stream zs{};
    if (inflateInit2(&zs, -15) != Z_OK) rd.fail("zlib: cannot initialise inflate");
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(b.data() + data));
    zs.avail_in = static_cast<uInt>(std::min<uint64_t>(m.compressed, 0xFFFFFFFFu));
    char spare;  // one byte beyond the declared size tells a lying size from an exact one
    zs.next_out = reinterpret_cast<Bytef*>(out.empty() ? &spare : out.data());
    zs.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&zs, Z_FINISH);
    uint64_t produced = zs.total_out;
    if (rc != Z_STREAM_END && zs.avail_out == 0) {
      zs.next_out = reinterpret_cast<Bytef*>(&spare);
      zs.avail_out = 1;
      rc = inflate(&zs, Z_FINISH);
      produced = zs.total_out;
    }
    inflateEnd(&zs);
    if (produced > m.uncompressed) rd.fail("deflated member '" + m.name + "' inflates to more than its declared size " + std::to_string(m.uncompressed));
    if (rc != Z_STREAM_END)
      rd.fail("deflated member '" + m.name + "' is corrupt or shorter than its declared size " + std::to_string(m.uncompressed) +
              " (zlib: " + (zs.msg ? zs.msg : "stream did not end") + ")");
    if (produced != m.uncompressed) rd.fail("deflated member '" + m.name + "' inflates to " + std::to_string(produced) + " bytes, not the declared " + std::to_string(m.uncompressed));
  } else {
    rd.fail("member '" + m.name + "' uses zip compression method " + std::to_string(m.method) + "; expected 0 (stored) or 8 (deflate)");
  }
  uint32_t crc = static_cast<uint32_t>(crc32_z(0, reinterpret_cast<const Bytef*>(out.data()), out.size()));
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION  // let the fuzzer past the checksum to the .npy parser
  if (crc != m.crc) rd.fail("member '" + m.name + "': CRC-32 mismatch (corrupt archive)");
#endif
  return out;
}

// The .npy header dictionary, e.g. {'descr': '<i8', 'fortran_order': False, 'shape': (3, 4, 7), }
struct NpyHeader {
  std::string descr;
  bool fortran = false;
  std::vector<uint64_t> shape;
  size_t data_offset = 0;
};

NpyHeader npy_header(const std::string& d, const std::string& file, const std::string& key) {
  auto fail = [&](const std::string& what) -> void { throw ParseError(file, 0, "key '" + key + "': " + what); };
  NpyHeader h;
  if (d.size() < 10 || d.compare(0, 6, "\x93NUMPY") != 0) fail("expected a .npy array (magic \\x93NUMPY)");
  int major = static_cast<unsigned char>(d[6]);
  size_t len = 0, start = 0;
  if (major == 1) {
    len = static_cast<unsigned char>(d[8]) | (size_t(static_cast<unsigned char>(d[9])) << 8);
    start = 10;
  } else if (major == 2 || major == 3) {
    if (d.size() < 12) fail("truncated .npy header");
    for (int i = 3; i >= 0; --i) len = (len << 8) | static_cast<unsigned char>(d[8 + i]);
    start = 12;
  } else {
    fail("unsupported .npy version " + std::to_string(major) + " (expected 1, 2 or 3)");
  }
  if (len > kMaxNpyHeader || len > d.size() - start) fail("the .npy header length " + std::to_string(len) + " runs past the member");
  std::string_view s(d.data() + start, len);
  h.data_offset = start + len;
  size_t pos = 0;
  auto skip = [&]() {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\t')) ++pos;
  };
  auto expect = [&](char c, const char* what) {
    skip();
    if (pos >= s.size() || s[pos] != c) fail(std::string("malformed .npy header: expected ") + what);
    ++pos;
  };
  auto quoted = [&]() {
    skip();
    if (pos >= s.size() || (s[pos] != '\'' && s[pos] != '"')) fail("malformed .npy header: expected a quoted string");
    char q = s[pos++];
    size_t e = s.find(q, pos);
    if (e == std::string_view::npos) fail("malformed .npy header: unterminated string");
    std::string out(s.substr(pos, e - pos));
    pos = e + 1;
    return out;
  };
  bool have_descr = false, have_order = false, have_shape = false;
  expect('{', "'{'");
  for (;;) {
    skip();
    if (pos < s.size() && s[pos] == '}') break;
    std::string name = quoted();
    expect(':', "':'");
    skip();
    if (name == "descr") {
      if (pos < s.size() && s[pos] == '[') fail("structured dtype (a list descr) is not a plain numeric array");
      h.descr = quoted();
      have_descr = true;
    } else if (name == "fortran_order") {
      if (s.substr(pos, 4) == "True") h.fortran = true, pos += 4;
      else if (s.substr(pos, 5) == "False") h.fortran = false, pos += 5;
      else fail("malformed .npy header: expected True or False for 'fortran_order'");
      have_order = true;
    } else if (name == "shape") {
      expect('(', "'(' starting the shape");
      for (;;) {
        skip();
        if (pos < s.size() && s[pos] == ')') break;
        uint64_t dim = 0;
        size_t digits = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
          if (++digits > 12) fail("absurd array dimension in the shape");
          dim = dim * 10 + uint64_t(s[pos++] - '0');
        }
        if (digits == 0) fail("malformed .npy header: expected a dimension in the shape");
        if (h.shape.size() >= 8) fail("array has more than 8 dimensions");
        h.shape.push_back(dim);
        skip();
        if (pos < s.size() && s[pos] == ',') ++pos;
        else if (pos >= s.size() || s[pos] != ')') fail("malformed .npy header: expected ',' or ')' in the shape");
      }
      ++pos;
      have_shape = true;
    } else {
      fail("malformed .npy header: unexpected key '" + name + "'");
    }
    skip();
    if (pos < s.size() && s[pos] == ',') ++pos;
    else if (pos >= s.size() || s[pos] != '}') fail("malformed .npy header: expected ',' or '}'");
  }
  if (!have_descr || !have_order || !have_shape) fail("malformed .npy header: expected keys 'descr', 'fortran_order' and 'shape'");
  return h;
}

// Exact rational value of a float entry, if it is a small dyadic rational.
std::optional<Rational> exact_float(double x) {
  if (!std::isfinite(x) || std::fabs(x) >= 2147483648.0) return std::nullopt;
  double scaled = x;
  std::int64_t den = 1;
  for (int e = 0; scaled != std::floor(scaled); ++e) {
    if (e >= kMaxDyadicExponent) return std::nullopt;
    scaled *= 2;  // exact: multiplying by 2 only changes the exponent
    den *= 2;
  }
  return Rational(static_cast<std::int64_t>(scaled), den);
}

std::string describe_entry(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

// Reads element `index` of a little-endian array with dtype `kind`+`size` as an exact rational.
struct Dtype {
  char kind = 0;  // 'i', 'u', 'f'
  int size = 0;
};

Rational element(const std::string& d, size_t at, Dtype t, const std::string& file, const std::string& key) {
  uint64_t raw = 0;
  for (int i = t.size - 1; i >= 0; --i) raw = (raw << 8) | static_cast<unsigned char>(d[at + i]);
  if (t.kind == 'u') {
    if (raw > uint64_t(INT64_MAX)) throw ParseError(file, 0, "key '" + key + "': entry out of range");
    return Rational(static_cast<std::int64_t>(raw));
  }
  if (t.kind == 'i') {
    int shift = 64 - 8 * t.size;
    std::int64_t v = static_cast<std::int64_t>(raw << shift) >> shift;  // sign-extend
    return Rational(v);
  }
  double x;
  if (t.size == 4) {
    float f;
    uint32_t r32 = static_cast<uint32_t>(raw);
    std::memcpy(&f, &r32, 4);
    x = f;
  } else {
    std::memcpy(&x, &raw, 8);
  }
  auto r = exact_float(x);
  if (!r)
    throw ParseError(file, 0, "key '" + key + "': float entry " + describe_entry(x) +
                                  " is not a small dyadic rational (k/2^e, e <= 20, |value| < 2^31); refusing to round it");
  return *r;
}

std::optional<Shape> shape_from_key(const std::string& key) {
  int dims[3];
  size_t pos = 0;
  for (int d = 0; d < 3; ++d) {
    size_t start = pos;
    int v = 0;
    while (pos < key.size() && key[pos] >= '0' && key[pos] <= '9' && pos - start < 3) v = v * 10 + (key[pos++] - '0');
    if (pos == start) return std::nullopt;
    dims[d] = v;
    if (d < 2) {
      if (pos >= key.size() || key[pos] != ',') return std::nullopt;
      ++pos;
    }
  }
  if (pos != key.size()) return std::nullopt;
  Shape s{dims[0], dims[1], dims[2]};
  if (!s.valid()) return std::nullopt;
  return s;
}

NpzEntry read_member(const std::string& d, const std::string& file, const std::string& key) {
  NpzEntry entry;
  entry.key = key;
  NpyHeader h = npy_header(d, file, key);
  auto fail = [&](const std::string& what) { throw ParseError(file, 0, "key '" + key + "': " + what); };
  if (h.descr == "|O" || h.descr == "O" || h.descr == "<O" || h.descr == ">O") {
    entry.error = "key '" + key + "' holds a pickled object array; only plain numeric arrays are read";
    return entry;
  }
  auto shape = shape_from_key(key);
  if (!shape) fail("expected a key 'n,m,p' with each of n, m, p in 1.." + std::to_string(kMaxDim));
  if (h.descr.size() < 3) fail("unsupported dtype '" + h.descr + "'");
  char order = h.descr[0];
  Dtype t{h.descr[1], 0};
  std::string size_text = h.descr.substr(2);
  if (size_text == "1" || size_text == "2" || size_text == "4" || size_text == "8") t.size = size_text[0] - '0';
  bool ok_kind = (t.kind == 'i' || t.kind == 'u') ? t.size != 0 : (t.kind == 'f' && (t.size == 4 || t.size == 8));
  if (!ok_kind) fail("unsupported dtype '" + h.descr + "'; expected int8/16/32/64, uint8/16/32/64, float32 or float64");
  if (order == '>' && t.size > 1) fail("big-endian dtype '" + h.descr + "' is not supported; save the array little-endian");
  if (order != '<' && order != '|' && order != '>' && order != '=') fail("unsupported byte order in dtype '" + h.descr + "'");
  const Shape& sh = *shape;
  if (h.shape.size() != 3 || h.shape[0] != 3)
    fail("expected an array of shape (3, n*m, rank), found " + std::to_string(h.shape.size()) + " dimensions");
  if (sh.a_size() != sh.b_size() || sh.b_size() != sh.c_size())
    fail("a plain array holds u, v, w of one size, so n*m = m*p = p*n is needed; " + sh.str() + " does not satisfy it");
  if (h.shape[1] != uint64_t(sh.a_size()))
    fail("expected shape (3, " + std::to_string(sh.a_size()) + ", rank) for " + sh.str() + ", found second dimension " + std::to_string(h.shape[1]));
  if (h.shape[2] > uint64_t(kMaxRank)) fail("rank " + std::to_string(h.shape[2]) + " exceeds the limit " + std::to_string(kMaxRank));
  const uint64_t rows = h.shape[1], rank = h.shape[2];
  uint64_t count = 3 * rows * rank;  // bounded above: 3 * 256 * 65536
  if (d.size() - h.data_offset != count * uint64_t(t.size))
    fail("array data holds " + std::to_string(d.size() - h.data_offset) + " bytes; shape and dtype need " + std::to_string(count * t.size));
  auto at = [&](uint64_t f, uint64_t row, uint64_t r) {
    uint64_t index = h.fortran ? f + 3 * (row + rows * r) : (f * rows + row) * rank + r;
    return h.data_offset + index * t.size;
  };
  Scheme s(sh, Field::Z);
  std::vector<Rational> u(sh.a_size()), v(sh.b_size()), w(sh.c_size());
  for (uint64_t r = 0; r < rank; ++r) {
    for (int x = 0; x < sh.a_size(); ++x) u[x] = element(d, at(0, x, r), t, file, key);
    for (int x = 0; x < sh.b_size(); ++x) v[x] = element(d, at(1, x, r), t, file, key);
    for (int i = 0; i < sh.n; ++i)
      for (int k = 0; k < sh.p; ++k) w[sh.c_index(i, k)] = element(d, at(2, uint64_t(k) * sh.n + i, r), t, file, key);  // k*n+i: C^T
    s.add_term(u, v, w);
  }
  s.set_field(coefficient_field(s));
  s.set_source("alphatensor:" + key);
  entry.scheme = std::move(s);
  return entry;
}

}  // namespace

std::vector<NpzEntry> parse_npz(const std::string& bytes, const std::string& file,
                                const std::optional<std::string>& only_key) {
  Reader rd(bytes, file);
  std::vector<NpzEntry> out;
  std::vector<std::string> keys;
  uint64_t inflated_total = 0;
  for (const Member& m : central_directory(rd)) {
    std::string key = m.name;
    if (key.size() > 4 && key.compare(key.size() - 4, 4, ".npy") == 0) key.resize(key.size() - 4);
    keys.push_back(key);
    if (only_key && key != *only_key) continue;
    std::string data = extract(rd, m, inflated_total);
    out.push_back(read_member(data, file, key));
  }
  if (only_key && out.empty()) {
    std::string list;
    for (std::size_t i = 0; i < keys.size() && i < 64; ++i) list += (i ? " " : "") + keys[i];
    if (keys.size() > 64) list += " ...";
    rd.fail("no key '" + *only_key + "' in the archive; its keys: " + (list.empty() ? "(none)" : list));
  }
  if (only_key && !out.front().scheme) rd.fail(out.front().error);
  if (out.empty()) rd.fail("expected at least one array in the archive, found none");
  return out;
}

}  // namespace fmm
