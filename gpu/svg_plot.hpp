// Line charts as standalone SVG text, written by our own code so the device machine and a
// user's build need no Python or plotting library. Categorical x (one tick per problem
// size or shape), linear y with round ticks, optional horizontal reference lines (a peak).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fmm::gpu {

struct PlotSeries {
  std::string label;
  std::vector<std::optional<double>> y;  // one per x label; nullopt leaves a gap
};

struct LinePlot {
  std::string title, x_label, y_label;
  std::vector<std::string> x_labels;
  std::vector<PlotSeries> series;
  std::vector<std::pair<std::string, double>> hlines;  // label, y
  bool y_from_zero = true;
};

std::string render_svg(const LinePlot& plot);

}  // namespace fmm::gpu
