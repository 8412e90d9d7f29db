#include "search/learn/model_file.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"  // read_file_bounded
#include "tensor/io/safe_write.hpp"

namespace fmm::learn {

static_assert(std::endian::native == std::endian::little, "model files are little-endian; this host is not");

namespace {

constexpr const char* kMagic = "fmm-model";

std::uint64_t fnv1a(const char* data, std::size_t n) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(data[i]);
    h *= 1099511628211ull;
  }
  return h;
}

std::string shape_list(const std::vector<Shape>& shapes) {
  std::string s;
  for (const Shape& x : shapes) s += (s.empty() ? "" : ",") + x.str();
  return s;
}

void append_floats(std::string& out, const std::vector<float>& v) {
  const std::size_t at = out.size();
  out.resize(at + v.size() * sizeof(float));
  if (!v.empty()) std::memcpy(out.data() + at, v.data(), v.size() * sizeof(float));
}

[[noreturn]] void fail_model(const std::string& path, const std::string& what) {
  throw Error("model '" + path + "': " + what);
}

}  // namespace

Model Model::create(Field field, const std::vector<Shape>& shapes, const NetDims& widths, std::uint64_t seed) {
  Model m;
  m.enc = Encoding::for_shapes(field, shapes);
  m.shapes = shapes;
  NetDims d = widths;
  d.box_a = m.enc.box_a, d.box_b = m.enc.box_b, d.box_c = m.enc.box_c;
  d.inputs = m.enc.inputs();
  d.positions = m.enc.positions();
  d.tokens = m.enc.tokens();
  d.dense = kDenseFeatures;
  m.net = Network<float>(d);
  m.net.init(seed);
  m.train.rng = seed;
  return m;
}

void save_model(const std::string& path, const Model& model) {
  const NetDims& d = model.net.dims();
  std::ostringstream h;
  h << kMagic << ' ' << kModelVersion << '\n';
  h << "field " << to_string(model.enc.field) << '\n';
  h << "coefficients";
  for (int c : model.enc.coefficients) h << ' ' << c;
  h << '\n';
  h << "box " << model.enc.box_a << ' ' << model.enc.box_b << ' ' << model.enc.box_c << '\n';
  h << "shapes " << shape_list(model.shapes) << '\n';
  h << "width " << d.width << "\nblocks " << d.blocks << "\npolicy_width " << d.policy_width << "\nvalue_width "
    << d.value_width << "\nquantiles " << d.quantiles << '\n';
  h << "params " << model.net.size() << '\n';
  const TrainState& t = model.train;
  const bool adam = t.has_adam && t.adam.m.size() == model.net.size() && t.adam.v.size() == model.net.size();
  h << "adam " << (adam ? 1 : 0) << "\nadam_t " << t.adam.t << '\n';
  h << "step " << t.step << "\nsupervised_steps " << t.supervised_steps << "\nsupervised_done "
    << (t.supervised_done ? 1 : 0) << "\nround " << t.round << "\ngames " << t.games << '\n';
  h.precision(17);
  h << "wall_s " << t.wall_s << "\ncpu_s " << t.cpu_s << "\nrng " << t.rng << '\n';
  for (const auto& [s, r] : t.best_rank) h << "best " << s.str() << ' ' << r << '\n';
  for (const Elite& e : t.elites) {
    h << "elite " << e.shape.str() << ' ' << e.moves.size();
    for (const game::Move& m : e.moves)
      for (std::int8_t c : m.coeffs) h << ' ' << int(c);
    h << '\n';
  }
  std::string note = model.note;
  for (char& c : note)
    if (c == '\n' || c == '\r') c = ' ';
  h << "note " << note << '\n';
  h << "end\n";
  std::string out = h.str();
  append_floats(out, model.net.params());
  if (adam) {
    append_floats(out, t.adam.m);
    append_floats(out, t.adam.v);
  }
  const std::uint64_t sum = fnv1a(out.data(), out.size());
  out.append(reinterpret_cast<const char*>(&sum), sizeof sum);

  write_file_atomically(path, out);  // tensor/io/safe_write.hpp: never a half file, never through a link
}

Model load_model(const std::string& path) {
  const std::string data = read_file_bounded(path);
  auto fail = [&](const std::string& what) { fail_model(path, what); };
  const std::string first = std::string(kMagic) + ' ';
  if (data.compare(0, first.size(), first) != 0) fail("not an fmm model (expected a first line 'fmm-model')");
  const std::size_t end_pos = data.find("\nend\n");
  if (end_pos == std::string::npos || end_pos > (1u << 22)) fail("header has no 'end' line (truncated or not a model)");
  std::istringstream hs(data.substr(0, end_pos + 1));
  std::string line;
  std::getline(hs, line);
  {
    std::istringstream ls(line.substr(first.size()));
    int version = 0;
    if (!(ls >> version)) fail("unreadable version in '" + line + "'");
    if (version != kModelVersion)
      fail("model file version " + std::to_string(version) + " is not supported (this fmm reads version " +
           std::to_string(kModelVersion) + ")");
  }
  Model m;
  NetDims d;
  std::size_t params = 0;
  int adam = 0;
  bool seen_field = false, seen_box = false, seen_coeffs = false, seen_shapes = false, seen_params = false;
  long line_no = 1;
  while (std::getline(hs, line)) {
    ++line_no;
    std::istringstream ls(line);
    std::string key;
    ls >> key;
    auto bad = [&] { fail("line " + std::to_string(line_no) + ": bad value in '" + line.substr(0, 80) + "'"); };
    auto need = [&](auto& x) {
      if (!(ls >> x)) bad();
    };
    if (key == "field") {
      std::string f;
      need(f);
      auto field = parse_field(f);
      if (!field || (*field != Field::Z && *field != Field::GF2)) bad();
      m.enc.field = *field;
      seen_field = true;
    } else if (key == "coefficients") {
      int c;
      while (ls >> c) m.enc.coefficients.push_back(c);
      seen_coeffs = true;
    } else if (key == "box") {
      need(m.enc.box_a), need(m.enc.box_b), need(m.enc.box_c);
      seen_box = true;
    } else if (key == "shapes") {
      std::string list;
      need(list);
      std::stringstream ss(list);
      std::string one;
      while (std::getline(ss, one, ',')) {
        try {
          m.shapes.push_back(parse_shape(one));
        } catch (const Error&) {
          bad();
        }
      }
      seen_shapes = true;
    } else if (key == "width") need(d.width);
    else if (key == "blocks") need(d.blocks);
    else if (key == "policy_width") need(d.policy_width);
    else if (key == "value_width") need(d.value_width);
    else if (key == "quantiles") need(d.quantiles);
    else if (key == "params") need(params), seen_params = true;
    else if (key == "adam") need(adam);
    else if (key == "adam_t") need(m.train.adam.t);
    else if (key == "step") need(m.train.step);
    else if (key == "supervised_steps") need(m.train.supervised_steps);
    else if (key == "supervised_done") {
      int x;
      need(x);
      m.train.supervised_done = x != 0;
    } else if (key == "round") need(m.train.round);
    else if (key == "games") need(m.train.games);
    else if (key == "wall_s") need(m.train.wall_s);
    else if (key == "cpu_s") need(m.train.cpu_s);
    else if (key == "rng") need(m.train.rng);
    else if (key == "best") {
      std::string s;
      int r;
      need(s), need(r);
      try {
        m.train.best_rank.emplace_back(parse_shape(s), r);
      } catch (const Error&) {
        bad();
      }
    } else if (key == "elite") {
      std::string s;
      std::size_t count;
      need(s), need(count);
      Elite e;
      try {
        e.shape = parse_shape(s);
      } catch (const Error&) {
        bad();
      }
      const std::size_t len = std::size_t(e.shape.a_size() + e.shape.b_size() + e.shape.c_size());
      if (count > 4096) bad();
      for (std::size_t r = 0; r < count; ++r) {
        game::Move mv;
        for (std::size_t i = 0; i < len; ++i) {
          int c;
          need(c);
          if (c < -127 || c > 127) bad();
          mv.coeffs.push_back(std::int8_t(c));
        }
        e.moves.push_back(std::move(mv));
      }
      m.train.elites.push_back(std::move(e));
    } else if (key == "note") {
      std::getline(ls, m.note);
      if (!m.note.empty() && m.note[0] == ' ') m.note.erase(0, 1);
    } else {
      fail("line " + std::to_string(line_no) + ": unknown key '" + key.substr(0, 40) + "'");
    }
  }
  if (!seen_field || !seen_box || !seen_coeffs || !seen_shapes || !seen_params)
    fail("header lacks one of field, coefficients, box, shapes, params");
  try {
    m.enc.validate();
    d.box_a = m.enc.box_a, d.box_b = m.enc.box_b, d.box_c = m.enc.box_c;
    d.inputs = m.enc.inputs();
    d.positions = m.enc.positions();
    d.tokens = m.enc.tokens();
    d.validate();
  } catch (const Error& e) {
    fail(e.what());
  }
  for (const Shape& s : m.shapes)
    if (!s.valid() || !m.enc.fits(s)) fail("format " + s.str() + " does not fit the model's tensor box");
  for (const Elite& e : m.train.elites)
    if (!e.shape.valid() || !m.enc.fits(e.shape)) fail("an elite scheme's format does not fit the model");
  m.net = Network<float>(d);
  if (params != m.net.size())
    fail("header says " + std::to_string(params) + " parameters, the dimensions need " + std::to_string(m.net.size()));
  if (adam != 0 && adam != 1) fail("adam must be 0 or 1");
  const std::size_t body = end_pos + 5;
  const std::size_t arrays = params * (adam ? 3 : 1);
  if (data.size() != body + arrays * sizeof(float) + sizeof(std::uint64_t))
    fail("size " + std::to_string(data.size()) + " bytes does not match its header (truncated or padded)");
  std::uint64_t sum;
  std::memcpy(&sum, data.data() + data.size() - sizeof sum, sizeof sum);
  if (sum != fnv1a(data.data(), data.size() - sizeof sum)) fail("checksum mismatch (the file is corrupt)");
  auto read_floats = [&](std::size_t index, std::vector<float>& v) {
    v.resize(params);
    std::memcpy(v.data(), data.data() + body + index * params * sizeof(float), params * sizeof(float));
    for (float x : v)
      if (!std::isfinite(x)) fail("a parameter is not finite");
  };
  read_floats(0, m.net.params());
  if (adam) {
    read_floats(1, m.train.adam.m);
    read_floats(2, m.train.adam.v);
    m.train.has_adam = true;
  }
  return m;
}

}  // namespace fmm::learn
