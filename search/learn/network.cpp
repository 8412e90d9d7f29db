#include "search/learn/network.hpp"

#include <algorithm>
#include <cmath>

#include "tensor/error.hpp"

namespace fmm::learn {

void NetDims::validate() const {
  auto in = [](int x, int lo, int hi) { return x >= lo && x <= hi; };
  if (box_a * box_b * box_c != inputs || box_a + box_b + box_c != positions) throw Error("learn: inconsistent box sizes");
  if (!in(inputs, 1, 1 << 16) || dense != kDenseFeatures || !in(positions, 3, 256) || !in(tokens, 2, 16) ||
      !in(width, 1, 4096) || !in(blocks, 0, 64) || !in(policy_width, 1, 4096) || !in(value_width, 1, 4096) ||
      !in(quantiles, 1, 256))
    throw Error("learn: network dimensions out of range (width/policy/value widths 1..4096, blocks 0..64, "
                "quantiles 1..256, tokens 2..16)");
}

template <class S>
Network<S>::Network(const NetDims& dims) : dims_(dims) {
  dims_.validate();
  build_layout();
}

template <class S>
void Network<S>::build_layout() {
  const NetDims& d = dims_;
  const int H = d.width, Hp = d.policy_width, Hv = d.value_width, PT = d.positions * d.tokens;
  layout_.clear();
  std::size_t off = 0;
  auto add = [&](std::string name, int r, int c) {
    layout_.push_back({std::move(name), r, c, off});
    off += std::size_t(r) * std::size_t(c);
  };
  add("in.w", H, d.inputs);
  add("in.d", H, d.dense);
  add("in.b", H, 1);
  add("pol.ctx.w", Hp, H);
  add("pol.ctx.b", Hp, 1);
  add("pol.emb", Hp, PT);
  add("pol.out.w", PT, Hp);
  add("pol.out.b", PT, 1);
  add("val.w1", Hv, H);
  add("val.b1", Hv, 1);
  add("val.w2", d.quantiles, Hv);
  add("val.b2", d.quantiles, 1);
  add("pol.mu.w", Hp, d.box_b * d.box_c);
  add("pol.muv.w", Hp, d.box_c);
  add("pol.read.slice", Hp, d.box_b * d.box_c);
  add("pol.read.slice_part", Hp, d.box_b * d.box_c);
  add("pol.read.row", Hp, d.box_c);
  add("pol.read.row_part", Hp, d.box_c);
  add("pol.read.w", Hp, 2);
  add("pol.read.proposal", Hp, d.tokens + 1);
  for (int k = 0; k < d.blocks; ++k) {
    add("blk" + std::to_string(k) + ".w1", H, H);
    add("blk" + std::to_string(k) + ".b1", H, 1);
    add("blk" + std::to_string(k) + ".w2", H, H);
    add("blk" + std::to_string(k) + ".b2", H, 1);
  }
  params_.assign(off, S(0));
}

template <class S>
void Network<S>::init(std::uint64_t seed) {
  game::Rng rng(seed ^ 0x6a09e667f3bcc908ull);
  auto normal = [&] {  // Box-Muller on the project's portable generator: same numbers everywhere
    double u1 = rng.uniform(), u2 = rng.uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  };
  const NetDims& d = dims_;
  std::fill(params_.begin(), params_.end(), S(0));
  auto fill = [&](int index, double stddev) {
    const Param& p = layout_[size_t(index)];
    for (std::size_t i = 0; i < std::size_t(p.rows) * std::size_t(p.cols); ++i) params_[p.offset + i] = S(stddev * normal());
  };
  // He et al. 2015 (ICCV, "Delving deep into rectifiers"): stddev sqrt(2 / fan_in) before a ReLU.
  // The sparse first layer's fan-in is the number of nonzero entries (tens), not the box size.
  fill(kInW, std::sqrt(2.0 / 24));
  fill(kInD, std::sqrt(2.0 / d.dense));
  fill(kPolCtxW, std::sqrt(2.0 / d.width));
  fill(kPolEmb, 0.3);
  fill(kPolOutW, 0.01);  // a nearly uniform policy at the start
  fill(kValW1, std::sqrt(2.0 / d.width));
  fill(kValW2, 0.01);
  for (int k = kPolMuW; k <= kPolReadProposal; ++k) fill(k, 0.3);
  for (int k = 0; k < d.blocks; ++k) {
    fill(kBlock0 + 4 * k, std::sqrt(2.0 / d.width));
    fill(kBlock0 + 4 * k + 2, 0.1 * std::sqrt(2.0 / d.width));  // residual branches start small
  }
}

template <class S>
template <class T>
Network<T> Network<S>::cast() const {
  Network<T> out;
  out.dims_ = dims_;
  out.build_layout();
  for (std::size_t i = 0; i < params_.size(); ++i) out.params_[i] = T(params_[i]);
  return out;
}

namespace {

// Softmax over the allowed tokens at temperature `temp`; returns the probabilities (0 elsewhere).
template <class S, class V>
void masked_softmax(const V& logits, const std::vector<char>& ok, double temp, std::vector<double>& prob) {
  const int T = int(ok.size());
  prob.assign(size_t(T), 0.0);
  double mx = -1e300;
  for (int k = 0; k < T; ++k)
    if (ok[size_t(k)]) mx = std::max(mx, double(logits(k)) / temp);
  double sum = 0;
  for (int k = 0; k < T; ++k)
    if (ok[size_t(k)]) sum += prob[size_t(k)] = std::exp(double(logits(k)) / temp - mx);
  for (int k = 0; k < T; ++k) prob[size_t(k)] /= sum;
}

}  // namespace

template <class S>
LossParts Network<S>::loss_and_grad(std::span<const Example* const> batch, int batch_size, const Encoding& enc,
                                    double value_coef, std::vector<S>* grad) const {
  const NetDims& d = dims_;
  const int B = int(batch.size()), Q = d.quantiles, L = d.positions, T = d.tokens, nb = d.blocks;
  LossParts loss;
  if (B == 0) return loss;
  const S inv_batch = S(1) / S(batch_size);

  // ---- forward: torso ----
  const CMapM Win = w(kInW), Wd = w(kInD), bin = w(kInB);
  Mat D(d.dense, B);
  for (int j = 0; j < B; ++j)
    for (int k = 0; k < d.dense; ++k) D(k, j) = S(batch[size_t(j)]->state.dense[size_t(k)]);
  Mat X0 = Wd * D;
  X0.colwise() += bin.col(0);
  for (int j = 0; j < B; ++j)
    for (const auto& [idx, val] : batch[size_t(j)]->state.sparse) X0.col(j) += S(val) * Win.col(idx);
  std::vector<Mat> Hs(static_cast<size_t>(nb + 1)), As(static_cast<size_t>(nb)), Rs(static_cast<size_t>(nb));
  Hs[0] = X0.cwiseMax(S(0));
  for (int k = 0; k < nb; ++k) {
    As[size_t(k)] = w(kBlock0 + 4 * k) * Hs[size_t(k)];
    As[size_t(k)].colwise() += w(kBlock0 + 4 * k + 1).col(0);
    Rs[size_t(k)] = As[size_t(k)].cwiseMax(S(0));
    Hs[size_t(k + 1)] = Hs[size_t(k)] + w(kBlock0 + 4 * k + 2) * Rs[size_t(k)];
    Hs[size_t(k + 1)].colwise() += w(kBlock0 + 4 * k + 3).col(0);
  }
  const Mat& h = Hs[size_t(nb)];

  // ---- value head: quantile regression with the Huber loss, kappa = 1 (Dabney et al. 2018) ----
  Mat Va = w(kValW1) * h;
  Va.colwise() += w(kValB1).col(0);
  const Mat Vr = Va.cwiseMax(S(0));
  Mat q = w(kValW2) * Vr;
  q.colwise() += w(kValB2).col(0);
  Mat dq = Mat::Zero(Q, B);
  for (int j = 0; j < B; ++j) {
    const Example& ex = *batch[size_t(j)];
    if (ex.value_weight <= 0) continue;
    const S scale = S(value_coef) * S(ex.value_weight) * inv_batch / S(Q);
    for (int i = 0; i < Q; ++i) {
      const S tau = (S(2 * i + 1)) / S(2 * Q);
      const S u = S(ex.cost) - q(i, j);
      const S wgt = std::abs(tau - (u < 0 ? S(1) : S(0)));
      const S au = std::abs(u);
      const S hub = au <= S(1) ? S(0.5) * u * u : au - S(0.5);
      const S dhub = au <= S(1) ? u : (u > 0 ? S(1) : S(-1));
      loss.value += double(scale * wgt * hub);
      dq(i, j) = -scale * wgt * dhub;
    }
  }

  // ---- policy head, teacher-forced on every (example, target) pair ----
  Mat C = w(kPolCtxW) * h;
  C.colwise() += w(kPolCtxB).col(0);
  std::vector<int> owner;
  std::vector<const Tokens*> seq;
  std::vector<S> pw;
  for (int j = 0; j < B; ++j) {
    const Example& ex = *batch[size_t(j)];
    for (std::size_t k = 0; k < ex.targets.size(); ++k) {
      if (int(ex.targets[k].size()) != L) throw Error("learn: a policy target has the wrong length");
      owner.push_back(j);
      seq.push_back(&ex.targets[k]);
      pw.push_back(S(ex.weights[k]));
    }
  }
  const int P = int(owner.size());
  const CMapM Ow = w(kPolOutW), ob = w(kPolOutB), Emb = w(kPolEmb);
  std::vector<Mat> Z(static_cast<size_t>(L)), dlog(static_cast<size_t>(L));
  std::vector<TokenMask> masks;
  masks.reserve(size_t(P));
  for (int p = 0; p < P; ++p) masks.emplace_back(enc, batch[size_t(owner[size_t(p)])]->state.len);
  // Each pair's decoder reads its residual through the target's factors (encoding.hpp): local
  // features enter the hidden state of one position, cumulative ones (M_u, m_uv) stay.
  std::vector<StateReader> readers;
  readers.reserve(size_t(P));
  for (int p = 0; p < P; ++p) readers.emplace_back(enc, batch[size_t(owner[size_t(p)])]->state);
  std::vector<std::vector<std::vector<Feature>>> feats(static_cast<size_t>(L), std::vector<std::vector<Feature>>(static_cast<size_t>(P)));
  if (P > 0) {
    Mat Zcur(d.policy_width, P);
    for (int p = 0; p < P; ++p) Zcur.col(p) = C.col(owner[size_t(p)]);
    std::vector<char> ok;
    std::vector<double> prob;
    for (int t = 0; t < L; ++t) {
      Mat& Zt = Z[size_t(t)];
      for (int p = 0; p < P; ++p) {
        if (!masks[size_t(p)].used(t)) continue;
        readers[size_t(p)].features(t, feats[size_t(t)][size_t(p)]);
        for (const Feature& f : feats[size_t(t)][size_t(p)])
          if (f.kind == kMu || f.kind == kMuv) Zcur.col(p) += S(f.value) * w(feature_param(f.kind)).col(f.index);
      }
      Zt = Zcur;  // + this position's local features
      for (int p = 0; p < P; ++p)
        for (const Feature& f : feats[size_t(t)][size_t(p)])
          if (f.kind != kMu && f.kind != kMuv) Zt.col(p) += S(f.value) * w(feature_param(f.kind)).col(f.index);
      const Mat G = Zt.cwiseMax(S(0));
      Mat logits = Ow.middleRows(t * T, T) * G;
      logits.colwise() += ob.col(0).segment(t * T, T);
      dlog[size_t(t)] = Mat::Zero(T, P);
      for (int p = 0; p < P; ++p) {
        if (!masks[size_t(p)].used(t)) continue;
        const int a = (*seq[size_t(p)])[size_t(t)];
        masks[size_t(p)].allowed(t, ok);
        if (a < 0 || a >= T || !ok[size_t(a)]) throw Error("learn: a policy target is not a legal canonical move");
        masked_softmax<S>(logits.col(p), ok, 1.0, prob);
        loss.policy += -double(pw[size_t(p)]) * std::log(std::max(prob[size_t(a)], 1e-300)) * double(inv_batch);
        for (int k = 0; k < T; ++k)
          dlog[size_t(t)](k, p) = pw[size_t(p)] * inv_batch * (S(prob[size_t(k)]) - (k == a ? S(1) : S(0)));
        masks[size_t(p)].advance(t, a);
        readers[size_t(p)].advance(t, a);
        Zcur.col(p) += Emb.col(t * T + a);
      }
    }
  }
  loss.total = loss.policy + loss.value;
  if (!grad) return loss;

  // ---- backward ----
  auto g = [&](int i) {
    const Param& pr = layout_[size_t(i)];
    return MapM(grad->data() + pr.offset, pr.rows, pr.cols);
  };
  Mat dC = Mat::Zero(d.policy_width, B);
  if (P > 0) {
    MapM dEmb = g(kPolEmb), dOw = g(kPolOutW), dob = g(kPolOutB);
    Mat acc = Mat::Zero(d.policy_width, P);  // sum of dZ_t' over t' > t
    for (int t = L - 1; t >= 0; --t) {
      for (int p = 0; p < P; ++p)
        if (masks[size_t(p)].used(t)) dEmb.col(t * T + (*seq[size_t(p)])[size_t(t)]) += acc.col(p);
      const Mat G = Z[size_t(t)].cwiseMax(S(0));
      dOw.middleRows(t * T, T).noalias() += dlog[size_t(t)] * G.transpose();
      dob.col(0).segment(t * T, T) += dlog[size_t(t)].rowwise().sum();
      Mat dZ = Ow.middleRows(t * T, T).transpose() * dlog[size_t(t)];
      dZ.array() *= (Z[size_t(t)].array() > S(0)).template cast<S>();
      for (int p = 0; p < P; ++p)
        for (const Feature& f : feats[size_t(t)][size_t(p)])
          if (f.kind != kMu && f.kind != kMuv) g(feature_param(f.kind)).col(f.index) += S(f.value) * dZ.col(p);
      acc += dZ;  // now the sum over t' >= t: what a cumulative feature added at t reaches
      for (int p = 0; p < P; ++p)
        for (const Feature& f : feats[size_t(t)][size_t(p)])
          if (f.kind == kMu || f.kind == kMuv) g(feature_param(f.kind)).col(f.index) += S(f.value) * acc.col(p);
    }
    for (int p = 0; p < P; ++p) dC.col(owner[size_t(p)]) += acc.col(p);
  }
  g(kPolCtxW).noalias() += dC * h.transpose();
  g(kPolCtxB).col(0) += dC.rowwise().sum();
  Mat dh = w(kPolCtxW).transpose() * dC;

  g(kValW2).noalias() += dq * Vr.transpose();
  g(kValB2).col(0) += dq.rowwise().sum();
  Mat dVa = w(kValW2).transpose() * dq;
  dVa.array() *= (Va.array() > S(0)).template cast<S>();
  g(kValW1).noalias() += dVa * h.transpose();
  g(kValB1).col(0) += dVa.rowwise().sum();
  dh.noalias() += w(kValW1).transpose() * dVa;

  for (int k = nb - 1; k >= 0; --k) {
    g(kBlock0 + 4 * k + 2).noalias() += dh * Rs[size_t(k)].transpose();
    g(kBlock0 + 4 * k + 3).col(0) += dh.rowwise().sum();
    Mat dA = w(kBlock0 + 4 * k + 2).transpose() * dh;
    dA.array() *= (As[size_t(k)].array() > S(0)).template cast<S>();
    g(kBlock0 + 4 * k).noalias() += dA * Hs[size_t(k)].transpose();
    g(kBlock0 + 4 * k + 1).col(0) += dA.rowwise().sum();
    dh.noalias() += w(kBlock0 + 4 * k).transpose() * dA;
  }
  Mat dX0 = dh;
  dX0.array() *= (X0.array() > S(0)).template cast<S>();
  g(kInB).col(0) += dX0.rowwise().sum();
  g(kInD).noalias() += dX0 * D.transpose();
  MapM dWin = g(kInW);
  for (int j = 0; j < B; ++j)
    for (const auto& [idx, val] : batch[size_t(j)]->state.sparse) dWin.col(idx) += S(val) * dX0.col(j);
  return loss;
}

template <class S>
typename Network<S>::Inference Network<S>::infer(const StateInput& state) const {
  const NetDims& d = dims_;
  Vec x = w(kInB).col(0);
  Vec dense(d.dense);
  for (int k = 0; k < d.dense; ++k) dense(k) = S(state.dense[size_t(k)]);
  x.noalias() += w(kInD) * dense;
  const CMapM Win = w(kInW);
  for (const auto& [idx, val] : state.sparse) x += S(val) * Win.col(idx);
  Vec hcur = x.cwiseMax(S(0));
  for (int k = 0; k < d.blocks; ++k) {
    Vec a = w(kBlock0 + 4 * k) * hcur + w(kBlock0 + 4 * k + 1).col(0);
    hcur += w(kBlock0 + 4 * k + 2) * a.cwiseMax(S(0)) + w(kBlock0 + 4 * k + 3).col(0);
  }
  Inference out;
  out.context = w(kPolCtxW) * hcur + w(kPolCtxB).col(0);
  Vec va = (w(kValW1) * hcur + w(kValB1).col(0)).cwiseMax(S(0));
  Vec q = w(kValW2) * va + w(kValB2).col(0);
  out.quantiles.assign(q.data(), q.data() + q.size());
  return out;
}

template <class S>
typename Network<S>::Vec Network<S>::read(int t, const StateReader& reader, Vec& z, std::vector<Feature>& f) const {
  reader.features(t, f);
  Vec zt;
  for (const Feature& x : f)
    if (x.kind == kMu || x.kind == kMuv) z += S(x.value) * w(feature_param(x.kind)).col(x.index);
  zt = z;
  for (const Feature& x : f)
    if (x.kind != kMu && x.kind != kMuv) zt += S(x.value) * w(feature_param(x.kind)).col(x.index);
  return zt;
}

template <class S>
Tokens Network<S>::sample(const Inference& inf, const Encoding& enc, const StateInput& state, game::Rng& rng,
                          double temperature) const {
  const std::array<int, 3>& len = state.len;
  const int L = dims_.positions, T = dims_.tokens;
  const CMapM Ow = w(kPolOutW), ob = w(kPolOutB), Emb = w(kPolEmb);
  Tokens out(size_t(L), std::int8_t(enc.zero_token()));
  TokenMask mask(enc, len);
  Vec z = inf.context;
  Vec logits(T);
  std::vector<char> ok;
  std::vector<double> prob;
  std::vector<Feature> f;
  StateReader reader(enc, state);
  for (int t = 0; t < L; ++t) {
    if (!mask.used(t)) continue;
    const Vec zt = read(t, reader, z, f);
    logits.noalias() = Ow.middleRows(t * T, T) * zt.cwiseMax(S(0));
    logits += ob.col(0).segment(t * T, T);
    mask.allowed(t, ok);
    masked_softmax<S>(logits, ok, temperature, prob);
    double r = rng.uniform();
    int a = -1;
    for (int k = 0; k < T; ++k) {
      if (!ok[size_t(k)]) continue;
      a = k;  // the last allowed token absorbs rounding
      if (r < prob[size_t(k)]) break;
      r -= prob[size_t(k)];
    }
    out[size_t(t)] = std::int8_t(a);
    mask.advance(t, a);
    reader.advance(t, a);
    z += Emb.col(t * T + a);
  }
  return out;
}

template <class S>
double Network<S>::log_prob(const Inference& inf, const Encoding& enc, const StateInput& state,
                            const Tokens& tokens, std::vector<double>* per_position) const {
  const std::array<int, 3>& len = state.len;
  const int L = dims_.positions, T = dims_.tokens;
  const CMapM Ow = w(kPolOutW), ob = w(kPolOutB), Emb = w(kPolEmb);
  TokenMask mask(enc, len);
  Vec z = inf.context;
  std::vector<char> ok;
  std::vector<double> prob;
  std::vector<Feature> f;
  StateReader reader(enc, state);
  double lp = 0;
  if (per_position) per_position->assign(size_t(L), 0.0);
  for (int t = 0; t < L; ++t) {
    if (!mask.used(t)) continue;
    const Vec zt = read(t, reader, z, f);
    Vec logits = Ow.middleRows(t * T, T) * zt.cwiseMax(S(0)) + ob.col(0).segment(t * T, T);
    mask.allowed(t, ok);
    masked_softmax<S>(logits, ok, 1.0, prob);
    const int a = tokens[size_t(t)];
    const double here = std::log(std::max(prob[size_t(a)], 1e-300));
    lp += here;
    if (per_position) (*per_position)[size_t(t)] = here;
    mask.advance(t, a);
    reader.advance(t, a);
    z += Emb.col(t * T + a);
  }
  return lp;
}

template <class S>
double optimistic_cost(const std::vector<S>& quantiles, double fraction) {
  if (quantiles.empty()) return 0;
  std::vector<double> q(quantiles.begin(), quantiles.end());
  std::sort(q.begin(), q.end());
  const int k = std::max(1, int(std::lround(fraction * double(q.size()))));
  double s = 0;
  for (int i = 0; i < k; ++i) s += q[size_t(i)];
  return s / k;
}

template class Network<float>;
template class Network<double>;
template Network<double> Network<float>::cast<double>() const;
template Network<float> Network<double>::cast<float>() const;
template double optimistic_cost<float>(const std::vector<float>&, double);
template double optimistic_cost<double>(const std::vector<double>&, double);

}  // namespace fmm::learn
