#include "search/run/progress.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <sstream>

namespace fmm::search {
namespace {

std::string timestamp() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", std::localtime(&t));
  return buf;
}

std::string rank_text(const std::optional<int>& r) { return r ? std::to_string(*r) : "-"; }

}  // namespace

std::string fixed_digits(double x, int digits) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(digits);
  out << x;
  return out.str();
}

std::string rank_versus_known(const Shape& shape, RankRing ring, const std::optional<int>& rank) {
  if (!rank) return "";
  const auto best = best_known_rank(shape, ring);
  if (!best) return "";
  if (*rank == *best) return " (best known)";
  if (*rank > *best) return " (+" + std::to_string(*rank - *best) + ")";
  return " (-" + std::to_string(*best - *rank) + ": BELOW best known " + std::to_string(*best) + ")";
}

ConsoleProgress::ConsoleProgress(bool tty, std::optional<Shape> shape) : tty_(tty), shape_(shape) {}

void ConsoleProgress::line(const std::string& text) {
  if (tty_ && live_line_open_) std::cerr << "\r\033[K";
  live_line_open_ = false;
  if (!tty_) std::cerr << '[' << timestamp() << "] ";
  std::cerr << text << '\n';
}

void ConsoleProgress::update(const ProgressStats& s) {
  std::ostringstream out;
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.2f", s.flips_per_s / 1e6);
  out.setf(std::ios::fixed);
  out.precision(1);
  out << "t=" << s.elapsed_s << "s best gf2=" << rank_text(s.best_rank_gf2);
  if (shape_) out << rank_versus_known(*shape_, RankRing::GF2, s.best_rank_gf2);
  out << " z=" << rank_text(s.best_rank_z);
  if (shape_) out << rank_versus_known(*shape_, RankRing::Z, s.best_rank_z);
  out << " flips=" << s.flips << " (" << rate << " M/s) walkers=" << s.walkers;
  if (tty_) {
    std::cerr << "\r\033[K" << out.str() << std::flush;
    live_line_open_ = true;
  } else {
    line(out.str());
  }
}

void ConsoleProgress::improved(const Scheme& s, const std::string& found_by, double elapsed_s) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(3);
  out << "new best " << s.shape().str() << " rank " << s.rank() << " over " << to_string(s.field()) << " at "
      << elapsed_s << "s (" << found_by << ")";
  // A scheme over Z with coefficients in {-1,0,1} is measured against the {-1,0,1} figure.
  auto ternary = [&] {
    for (const auto* data : {&s.u_data(), &s.v_data(), &s.w_data()})
      for (const Rational& c : *data)
        if (!(c.is_zero() || c == Rational(1) || c == Rational(-1))) return false;
    return true;
  };
  const RankRing ring = s.field() == Field::GF2 ? RankRing::GF2
                        : s.field() == Field::Q  ? RankRing::Q
                        : ternary()              ? RankRing::ZT
                                                 : RankRing::Z;
  const std::string versus = versus_best_known(s.shape(), ring, s.rank());
  if (!versus.empty()) out << ": " << versus << " (" << to_string(ring) << ")";
  line(out.str());
}

void ConsoleProgress::log(const std::string& text) { line(text); }

}  // namespace fmm::search
