// A trained model: the network, what it was made for, and the training state that `fmm train
// --resume` continues from (Adam's moments, counters, the schemes self-play found).
//
// File format, version 3 (`.fmmnet`):
//   a text header, one "key value" per line, starting with the line "fmm-model 3" and ending
//   with the line "end" (readable with `head`), then little-endian float32 arrays: the parameters
//   (in the layout order of network.hpp), and, when the header says "adam 1", Adam's first and
//   second moments; then an FNV-1a 64-bit checksum of every byte before it.
// load_model() checks the magic line, the version, every header value's range, that the array
// sizes match the dimensions, the checksum, and that every number is finite; anything else is an
// fmm::Error naming the file and what is wrong (the CLI exits 2). Files are written to a
// temporary name and renamed, so an interrupted save leaves the previous model intact.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "search/game/game.hpp"
#include "search/learn/adam.hpp"
#include "search/learn/encoding.hpp"
#include "search/learn/network.hpp"

namespace fmm::learn {

// 2: the policy head's StateReader weights (pol.read.*); 3: its proposal weights (pol.read.proposal).
inline constexpr int kModelVersion = 3;

// A complete scheme for T<shape> found by self-play, every term in F: a demonstration.
struct Elite {
  Shape shape;
  std::vector<game::Move> moves;
};

struct TrainState {
  std::int64_t step = 0;              // optimizer steps
  std::int64_t supervised_steps = 0;  // of which in the supervised phase
  bool supervised_done = false;
  std::int64_t round = 0, games = 0;  // self-play
  double wall_s = 0, cpu_s = 0;       // training time so far (over all resumed runs)
  std::uint64_t rng = 0;              // the trainer's random stream
  bool has_adam = false;
  AdamState adam;
  std::vector<std::pair<Shape, int>> best_rank;  // best rank found by self-play, per format
  std::vector<Elite> elites;
};

struct Model {
  Encoding enc;
  std::vector<Shape> shapes;  // the formats it was made for (they fit enc's box)
  Network<float> net;
  TrainState train;
  std::string note;           // provenance: the command that made it, git revision

  // A fresh model with random weights (deterministic in seed).
  static Model create(Field field, const std::vector<Shape>& shapes, const NetDims& widths, std::uint64_t seed);
};

void save_model(const std::string& path, const Model& model);
Model load_model(const std::string& path);

}  // namespace fmm::learn
