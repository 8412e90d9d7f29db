// Adam (Kingma & Ba, "Adam: a method for stochastic optimization", ICLR 2015) with decoupled
// weight decay (Loshchilov & Hutter, "Decoupled weight decay regularization", ICLR 2019) and
// gradient clipping by global norm. Its moments are part of the model file, so a resumed run
// continues exactly where it stopped.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace fmm::learn {

struct AdamConfig {
  double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  double weight_decay = 1e-5;  // decoupled, times lr
  double clip_norm = 5.0;      // 0 = no clipping
};

struct AdamState {
  std::vector<float> m, v;
  std::int64_t t = 0;

  void reset(std::size_t n) {
    m.assign(n, 0.f);
    v.assign(n, 0.f);
    t = 0;
  }

  // One step on `params` with gradient `grad` (same size). Returns the gradient norm before clipping.
  double step(std::vector<float>& params, const std::vector<float>& grad, const AdamConfig& c, double lr_scale = 1.0) {
    if (m.size() != params.size()) reset(params.size());
    double norm2 = 0;
    for (float g : grad) norm2 += double(g) * double(g);
    const double norm = std::sqrt(norm2);
    const double clip = c.clip_norm > 0 && norm > c.clip_norm ? c.clip_norm / norm : 1.0;
    ++t;
    const double lr = c.lr * lr_scale;
    const double bc1 = 1 - std::pow(c.beta1, double(t)), bc2 = 1 - std::pow(c.beta2, double(t));
    const float b1 = float(c.beta1), b2 = float(c.beta2);
    const float step_size = float(lr / bc1), inv_bc2 = float(1 / bc2), eps = float(c.eps);
    const float decay = float(1 - lr * c.weight_decay), cf = float(clip);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const float g = grad[i] * cf;
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      params[i] = params[i] * decay - step_size * m[i] / (std::sqrt(v[i] * inv_bc2) + eps);
    }
    return norm;
  }
};

}  // namespace fmm::learn
