// The AlphaTensor .npz reader against archives built here: a tiny zip writer (stored and
// deflated members) and .npy writer (C and Fortran order, integer and float dtypes, an
// object-dtype member), plus a list of hostile archives that must be ParseErrors.
#include <doctest/doctest.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/verify.hpp"

using namespace fmm;

namespace {

void put_le(std::string& out, uint64_t v, int width) {
  for (int i = 0; i < width; ++i) out += char((v >> (8 * i)) & 0xFF);
}

struct ZipMember {
  ZipMember(std::string n, std::string d, bool def = false, std::optional<uint64_t> size = {}, std::optional<uint32_t> crc = {})
      : name(std::move(n)), data(std::move(d)), deflate(def), declared_size(size), declared_crc(crc) {}
  std::string name;
  std::string data;
  bool deflate = false;
  // Deliberate lies, for the hostile cases.
  std::optional<uint64_t> declared_size;
  std::optional<uint32_t> declared_crc;
};

std::string deflate_raw(const std::string& in) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, in.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// A minimal PKZIP writer (APPNOTE 4.3): local headers, data, central directory, EOCD.
std::string zip(const std::vector<ZipMember>& members) {
  std::string out, cd;
  for (const auto& m : members) {
    std::string body = m.deflate ? deflate_raw(m.data) : m.data;
    uint32_t crc = m.declared_crc.value_or(static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(m.data.data()), m.data.size())));
    uint64_t size = m.declared_size.value_or(m.data.size());
    uint64_t offset = out.size();
    auto header = [&](std::string& h, bool central) {
      put_le(h, central ? 0x02014b50 : 0x04034b50, 4);
      if (central) put_le(h, 20, 2);  // version made by
      put_le(h, 20, 2);                // version needed
      put_le(h, 0, 2);                 // flags
      put_le(h, m.deflate ? 8 : 0, 2);
      put_le(h, 0, 4);  // time, date
      put_le(h, crc, 4);
      put_le(h, body.size(), 4);
      put_le(h, size, 4);
      put_le(h, m.name.size(), 2);
      put_le(h, 0, 2);  // extra
      if (central) {
        put_le(h, 0, 2);  // comment
        put_le(h, 0, 2);  // disk
        put_le(h, 0, 2);  // internal attributes
        put_le(h, 0, 4);  // external attributes
        put_le(h, offset, 4);
      }
      h += m.name;
    };
    header(out, false);
    out += body;
    header(cd, true);
  }
  uint64_t cd_offset = out.size();
  out += cd;
  put_le(out, 0x06054b50, 4);
  put_le(out, 0, 4);
  put_le(out, members.size(), 2);
  put_le(out, members.size(), 2);
  put_le(out, cd.size(), 4);
  put_le(out, cd_offset, 4);
  put_le(out, 0, 2);
  return out;
}

std::string npy_raw(std::string dict, const std::string& data, int version = 1) {
  size_t prefix = version == 1 ? 10 : 12;
  while ((prefix + dict.size() + 1) % 64) dict += ' ';
  dict += '\n';
  std::string out = "\x93NUMPY";
  out += char(version);
  out += '\0';
  put_le(out, dict.size(), version == 1 ? 2 : 4);
  return out + dict + data;
}

std::string npy(const std::string& descr, bool fortran, const std::string& shape, const std::string& data, int version = 1) {
  return npy_raw("{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }", data,
                 version);
}

// The (3, nm, R) array AlphaTensor stores for a square scheme: w indexed k*n+i (C^T).
std::vector<Rational> alphatensor_layout(const Scheme& s, bool fortran) {
  const Shape& sh = s.shape();
  const int rows = sh.a_size(), rank = s.rank();
  std::vector<Rational> out(size_t(3) * rows * rank);
  auto put = [&](int f, int row, int r, Rational x) { out[fortran ? f + 3 * (row + rows * r) : (size_t(f) * rows + row) * rank + r] = x; };
  for (int r = 0; r < rank; ++r) {
    for (int x = 0; x < rows; ++x) put(0, x, r, s.u(r)[x]);
    for (int x = 0; x < rows; ++x) put(1, x, r, s.v(r)[x]);
    for (int i = 0; i < sh.n; ++i)
      for (int k = 0; k < sh.p; ++k) put(2, k * sh.n + i, r, s.w(r)[sh.c_index(i, k)]);
  }
  return out;
}

template <typename T>
std::string raw(const std::vector<Rational>& values) {
  std::string out;
  for (const Rational& v : values) {
    T x = static_cast<T>(v.to_double());
    out.append(reinterpret_cast<const char*>(&x), sizeof x);
  }
  return out;
}

std::string shape_of(const Scheme& s) { return "(3, " + std::to_string(s.shape().a_size()) + ", " + std::to_string(s.rank()) + ")"; }

Scheme halved_strassen() {
  Scheme s = strassen_scheme();
  for (int r = 0; r < s.rank(); ++r) {
    for (auto& c : s.u(r)) c /= Rational(2);
    for (auto& c : s.w(r)) c *= Rational(2);
  }
  s.set_field(Field::Q);
  return s;
}

bool same_coefficients(const Scheme& a, const Scheme& b) {
  return a.shape() == b.shape() && a.u_data() == b.u_data() && a.v_data() == b.v_data() && a.w_data() == b.w_data();
}

std::string good_strassen_member() { return npy("<i8", false, shape_of(strassen_scheme()), raw<int64_t>(alphatensor_layout(strassen_scheme(), false))); }

}  // namespace

TEST_CASE("npz: every dtype and both orders read back Strassen, w transposed back") {
  const Scheme ref = strassen_scheme();
  struct Variant {
    const char* descr;
    std::string (*bytes)(const std::vector<Rational>&);
  };
  const Variant variants[] = {
      {"|i1", raw<int8_t>},  {"<i2", raw<int16_t>}, {"<i4", raw<int32_t>}, {"<i8", raw<int64_t>},
      {"|u1", nullptr},      {"<f4", raw<float>},   {"<f8", raw<double>},
  };
  for (const auto& v : variants) {
    for (bool fortran : {false, true}) {
      for (bool deflate : {false, true}) {
        INFO(v.descr << " fortran=" << fortran << " deflate=" << deflate);
        if (!v.bytes) continue;  // uint8 cannot hold Strassen's -1 (covered below)
        std::string member = npy(v.descr, fortran, shape_of(ref), v.bytes(alphatensor_layout(ref, fortran)), deflate ? 2 : 1);
        auto entries = parse_npz(zip({{"2,2,2.npy", member, deflate}}), "t.npz");
        REQUIRE(entries.size() == 1);
        CHECK(entries[0].key == "2,2,2");
        REQUIRE(entries[0].scheme);
        CHECK(same_coefficients(*entries[0].scheme, ref));
        CHECK(verify(*entries[0].scheme, Field::Z).ok);
      }
    }
  }
  // uint8 with the standard algorithm (0/1 only).
  Scheme std222 = standard_scheme({2, 2, 2});
  auto entries = parse_npz(zip({{"2,2,2.npy", npy("|u1", false, shape_of(std222), raw<uint8_t>(alphatensor_layout(std222, false)))}}), "t");
  REQUIRE(entries[0].scheme);
  CHECK(same_coefficients(*entries[0].scheme, std222));
}

TEST_CASE("npz: float entries are converted exactly; an object key yields an entry error") {
  const Scheme half = halved_strassen();
  std::string floats = npy("<f8", false, shape_of(half), raw<double>(alphatensor_layout(half, false)));
  std::string pickled = npy("|O", false, "(3,)", std::string("\x80\x02cnumpy.core.multiarray\n_reconstruct\n", 36));
  auto entries = parse_npz(zip({{"2,2,2.npy", floats, true}, {"2,2,3.npy", pickled, true}}), "t.npz");
  REQUIRE(entries.size() == 2);
  REQUIRE(entries[0].scheme);
  CHECK(same_coefficients(*entries[0].scheme, half));
  CHECK(entries[0].scheme->field() == Field::Q);
  CHECK(verify(*entries[0].scheme, Field::Q).ok);
  CHECK_FALSE(entries[1].scheme);
  CHECK(entries[1].key == "2,2,3");
  CHECK(entries[1].error == "key '2,2,3' holds a pickled object array; only plain numeric arrays are read");

  // Through read_scheme_file: the plain key is verified, the pickled one reported as malformed.
  auto path = std::filesystem::temp_directory_path() / ("fmm_test_npz_" + std::to_string(::getpid()) + ".npz");
  {
    std::ofstream out(path, std::ios::binary);
    out << zip({{"2,2,2.npy", floats, true}, {"2,2,3.npy", pickled, false}});
  }
  try {
    read_scheme_file(path.string());
    FAIL("an archive with a pickled key read without complaint");
  } catch (const ParseError& e) {
    std::string msg = e.what();
    CHECK(msg.find("1 of 2 keys could not be read: key '2,2,3' holds a pickled object array") != std::string::npos);
    CHECK(msg.find("the 1 plain keys verified: 2,2,2 (Q)") != std::string::npos);
  }
  {
    std::ofstream out(path, std::ios::binary);
    out << zip({{"2,2,2.npy", good_strassen_member(), true}});
  }
  auto all = read_scheme_file(path.string());
  REQUIRE(all.size() == 1);
  CHECK(all[0].name == "2,2,2");
  CHECK(all[0].scheme.field() == Field::Z);
  std::filesystem::remove(path);
}

TEST_CASE("npz: hostile archives are ParseErrors naming what was expected") {
  const Scheme ref = strassen_scheme();
  const std::string good = good_strassen_member();
  const std::string good_zip = zip({{"2,2,2.npy", good, true}});
  auto one = [](std::string member, bool deflate = false) { return zip({{"2,2,2.npy", std::move(member), deflate}}); };
  struct Bad {
    const char* name;
    std::string bytes;
    const char* expected;
  };
  std::string absurd_shape = npy("<i8", false, "(3, 4, 99999999999)", "");
  std::string lying_bigger = zip({{"2,2,2.npy", good, true, good.size() + 100}});
  std::string lying_smaller = zip({{"2,2,2.npy", good, true, good.size() - 100}});
  std::string lying_stored = zip({{"2,2,2.npy", good, false, good.size() + 1}});
  std::string bomb = zip({{"2,2,2.npy", good, true, uint64_t(200000000)}});
  std::string huge = zip({{"2,2,2.npy", good, true, uint64_t(4000000000)}});
  std::string bad_crc = zip({{"2,2,2.npy", good, false, std::nullopt, 1234u}});
  std::vector<double> tenth(3 * 4 * 7, 0.0);
  tenth[0] = 0.1;
  std::string non_dyadic(reinterpret_cast<const char*>(tenth.data()), tenth.size() * 8);
  std::vector<double> nan(3 * 4 * 7, 0.0);
  nan[5] = std::nan("");
  std::string nan_bytes(reinterpret_cast<const char*>(nan.data()), nan.size() * 8);
  std::string many = good_zip;
  many[many.size() - 12] = char(0xFF);  // EOCD member count 0x..FF with a directory too small
  for (const Bad& b : std::vector<Bad>{
           {"empty", "", "expected a zip archive"},
           {"not a zip", std::string(100, 'x'), "no end-of-central-directory record"},
           {"binary garbage", std::string("PK\x03\x04\xff\xfe\x00\x01", 8) + std::string(40, '\x07'), "no end-of-central-directory"},
           {"truncated", good_zip.substr(0, good_zip.size() / 2), "no end-of-central-directory"},
           {"truncated before data", good_zip.substr(0, 40) + good_zip.substr(good_zip.size() - 22), "outside the file"},
           {"wrong member count", many, "central directory"},
           {"lying size (bigger)", lying_bigger, "inflates to 800 bytes, not the declared 900"},
           {"lying size (smaller)", lying_smaller, "more than its declared size"},
           {"lying stored size", lying_stored, "compressed and uncompressed sizes differ"},
           {"zip bomb", bomb, "impossible for deflate"},
           {"declared size beyond the cap", huge, "would exceed the 256 MiB limit"},
           {"crc mismatch", bad_crc, "CRC-32 mismatch"},
           {"bad npy magic", one("NOTNUMPY" + good.substr(8)), "expected a .npy array"},
           {"npy version 9", one(good.substr(0, 6) + "\x09" + good.substr(7)), "unsupported .npy version 9"},
           {"npy header past end", one(good.substr(0, 8) + "\xff\xff" + good.substr(10, 20)), "runs past the member"},
           {"npy malformed dict", one(npy("<i8", false, "[3, 4, 7]", "")), "expected '(' starting the shape"},
           {"npy absurd shape", one(absurd_shape), "exceeds the limit 65536"},
           {"npy huge dimension", one(npy("<i8", false, "(3, 4, 99999999999999999999)", "")), "absurd array dimension"},
           {"npy data too short", one(good.substr(0, good.size() - 8)), "shape and dtype need 672"},
           {"big-endian", one(npy(">i8", false, shape_of(ref), raw<int64_t>(alphatensor_layout(ref, false)))), "big-endian dtype '>i8' is not supported"},
           {"complex dtype", one(npy("<c16", false, shape_of(ref), "")), "unsupported dtype '<c16'"},
           {"structured dtype", one(npy_raw("{'descr': [('a', '<i8')], 'fortran_order': False, 'shape': (3,), }", "")), "structured dtype"},
           {"non-dyadic float", one(npy("<f8", false, shape_of(ref), non_dyadic)), "float entry 0.10000000000000001 is not a small dyadic rational"},
           {"nan", one(npy("<f8", false, shape_of(ref), nan_bytes)), "is not a small dyadic rational"},
           {"key not n,m,p", zip({{"strassen.npy", good}}), "expected a key 'n,m,p'"},
           {"key disagrees with shape", zip({{"3,3,3.npy", good}}), "expected shape (3, 9, rank) for 3x3x3"},
           {"non-square plain key", zip({{"2,2,3.npy", good}}), "n*m = m*p = p*n"},
           {"key beyond 16", zip({{"17,17,17.npy", good}}), "expected a key 'n,m,p'"},
           {"no members", zip({}), "expected at least one array"},
       }) {
    INFO("case: " << std::string(b.name));
    try {
      parse_npz(b.bytes, "t.npz");
      FAIL("accepted a hostile archive");
    } catch (const ParseError& e) {
      INFO("message: " << std::string(e.what()));
      CHECK(std::string(e.what()).find(b.expected) != std::string::npos);
      CHECK(std::string(e.what()).rfind("t.npz", 0) == 0);
    }
  }
}

TEST_CASE("npz: every truncation and every single-byte corruption of a small archive is handled") {
  // Either a ParseError or a successful parse; never a crash (run under ASan to see more).
  const std::string good = zip({{"2,2,2.npy", good_strassen_member(), true}, {"3,3,3.npy", npy("|O", false, "(3,)", "x"), false}});
  int rejected = 0;
  for (size_t len = 0; len < good.size(); ++len) {
    try {
      parse_npz(good.substr(0, len), "t");
    } catch (const ParseError&) {
      ++rejected;
    }
  }
  CHECK(rejected == int(good.size()));  // every proper prefix loses the EOCD record or data
  for (size_t at = 0; at < good.size(); ++at) {
    std::string bad = good;
    bad[at] = char(bad[at] ^ 0x5A);
    try {
      parse_npz(bad, "t");
    } catch (const ParseError&) {
    }
  }
}
