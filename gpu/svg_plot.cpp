#include "gpu/svg_plot.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace fmm::gpu {

namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Step of 1, 2 or 5 times a power of ten giving about `target` intervals.
double nice_step(double span, int target) {
  const double raw = span / target;
  const double p = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * p >= raw) return m * p;
  return 10 * p;
}

std::string fmt(double v) {
  std::ostringstream s;
  s.precision(4);
  s << v;
  return s.str();
}

const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                         "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

}  // namespace

std::string render_svg(const LinePlot& plot) {
  const double width = 860, height = 480, left = 70, right = 220, top = 40, bottom = 70;
  const double pw = width - left - right, ph = height - top - bottom;
  double lo = plot.y_from_zero ? 0.0 : 1e300, hi = -1e300;
  for (const auto& s : plot.series)
    for (const auto& y : s.y)
      if (y && std::isfinite(*y)) {
        lo = std::min(lo, *y);
        hi = std::max(hi, *y);
      }
  for (const auto& [label, y] : plot.hlines) {
    lo = std::min(lo, y);
    hi = std::max(hi, y);
  }
  if (hi < lo) {
    lo = 0;
    hi = 1;
  }
  if (hi - lo < 1e-12) hi = lo + 1;
  const double step = nice_step(hi - lo, 6);
  lo = std::floor(lo / step) * step;
  hi = std::ceil(hi * 1.02 / step) * step;
  const size_t nx = std::max<size_t>(plot.x_labels.size(), 1);
  auto xpos = [&](size_t i) { return left + (nx == 1 ? pw / 2 : pw * static_cast<double>(i) / (nx - 1)); };
  auto ypos = [&](double y) { return top + ph * (1 - (y - lo) / (hi - lo)); };

  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
    << "\" viewBox=\"0 0 " << width << " " << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o << "<text x=\"" << left + pw / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" << escape(plot.title)
    << "</text>\n";
  for (double y = lo; y <= hi + step / 2; y += step) {
    o << "<line x1=\"" << left << "\" x2=\"" << left + pw << "\" y1=\"" << ypos(y) << "\" y2=\"" << ypos(y)
      << "\" stroke=\"#e0e0e0\"/>\n";
    o << "<text x=\"" << left - 6 << "\" y=\"" << ypos(y) + 4 << "\" text-anchor=\"end\">" << fmt(y) << "</text>\n";
  }
  for (size_t i = 0; i < plot.x_labels.size(); ++i)
    o << "<text x=\"" << xpos(i) << "\" y=\"" << top + ph + 18 << "\" text-anchor=\"middle\">"
      << escape(plot.x_labels[i]) << "</text>\n";
  o << "<rect x=\"" << left << "\" y=\"" << top << "\" width=\"" << pw << "\" height=\"" << ph
    << "\" fill=\"none\" stroke=\"black\"/>\n";
  o << "<text x=\"" << left + pw / 2 << "\" y=\"" << height - 22 << "\" text-anchor=\"middle\">"
    << escape(plot.x_label) << "</text>\n";
  o << "<text transform=\"translate(18," << top + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
    << escape(plot.y_label) << "</text>\n";
  for (const auto& [label, y] : plot.hlines) {
    o << "<line x1=\"" << left << "\" x2=\"" << left + pw << "\" y1=\"" << ypos(y) << "\" y2=\"" << ypos(y)
      << "\" stroke=\"black\" stroke-dasharray=\"6,4\"/>\n";
    o << "<text x=\"" << left + 4 << "\" y=\"" << ypos(y) - 4 << "\">" << escape(label) << "</text>\n";
  }
  double legend_y = top + 10;
  for (size_t s = 0; s < plot.series.size(); ++s) {
    const auto& series = plot.series[s];
    const char* color = kColors[s % (sizeof(kColors) / sizeof(kColors[0]))];
    std::string path;
    bool pen = false;
    for (size_t i = 0; i < series.y.size() && i < nx; ++i) {
      if (!series.y[i] || !std::isfinite(*series.y[i])) {
        pen = false;
        continue;
      }
      path += (pen ? " L " : " M ") + fmt(xpos(i)) + " " + fmt(ypos(*series.y[i]));
      pen = true;
      o << "<circle cx=\"" << xpos(i) << "\" cy=\"" << ypos(*series.y[i]) << "\" r=\"3.5\" fill=\"" << color
        << "\"><title>" << escape(series.label) << ": " << fmt(*series.y[i]) << "</title></circle>\n";
    }
    if (!path.empty())
      o << "<path d=\"" << path << "\" fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\"/>\n";
    o << "<line x1=\"" << left + pw + 14 << "\" x2=\"" << left + pw + 38 << "\" y1=\"" << legend_y << "\" y2=\""
      << legend_y << "\" stroke=\"" << color << "\" stroke-width=\"2\"/>\n";
    o << "<text x=\"" << left + pw + 44 << "\" y=\"" << legend_y + 4 << "\">" << escape(series.label) << "</text>\n";
    legend_y += 18;
  }
  o << "</svg>\n";
  return o.str();
}

}  // namespace fmm::gpu
