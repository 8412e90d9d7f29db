// The policy and value network of the learned tensor-game search, in Eigen, with hand-written
// backpropagation (every gradient is checked against finite differences in test_learn).
//
//   torso   h = MLP(residual, dense scalars): a sparse first layer (one column per nonzero entry
//           of the residual), then `blocks` residual blocks x + W2 relu(W1 x + b1) + b2
//           (He et al., "Deep residual learning", CVPR 2016). AlphaTensor's torso is attention
//           over the tensor's three 2-D projections (Fawzi et al. 2022, Methods); an MLP over the
//           sparse residual is what trains in minutes on two CPU cores, and our tensors are small
//           (at most 9 x 9 x 9 for <3,3,3>).
//   policy  the term u (x) v (x) w, entry by entry: an autoregressive head in the manner of NADE
//           (Larochelle & Murray, "The neural autoregressive distribution estimator", AISTATS 2011):
//           z_0 = Pc h + pc, logits_t = O_t relu(z_t + R_t f_t) + o_t, z_{t+1} = z_t + E_t[a_t],
//           where f_t are the residual read through the factors written so far (StateReader in
//           encoding.hpp: the slice or row at this position, partial contractions; where u and v
//           are complete, M_u and m_uv enter z for good; among the rank-one terms that exact
//           contractions expose, proposals.hpp, those agreeing so far, the share that takes each
//           token here): the decoder's view of the state. One
//           position costs O(Hp * |F|), so sampling the 32 candidate terms of a tree node takes
//           well under a millisecond; a transformer decoder (AlphaTensor's) would cost far more.
//   value   Q quantiles of the number of moves still needed (distributional, as AlphaTensor's
//           value head: quantile regression, Dabney et al., "Distributional RL with quantile
//           regression", AAAI 2018); the search reads a risk-seeking (optimistic) average of the
//           lower quantiles, as AlphaTensor does (it averages the upper ones of the return).
//
// All parameters live in one flat array (Adam, files and gradient checks see one vector).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "search/game/move_generator.hpp"  // Rng
#include "search/learn/encoding.hpp"

namespace fmm::learn {

struct NetDims {
  int box_a = 0, box_b = 0, box_c = 0;  // the encoding's tensor box
  int inputs = 0, dense = kDenseFeatures, positions = 0, tokens = 0;
  int width = 256, blocks = 2, policy_width = 256, value_width = 128, quantiles = 8;
  void validate() const;  // throws fmm::Error
  friend bool operator==(const NetDims&, const NetDims&) = default;
};

// One training example: a state and what the network should say about it.
struct Example {
  StateInput state;
  std::vector<Tokens> targets;  // policy targets (moves), each with a weight; may be empty
  std::vector<float> weights;   // sum 1 when targets exist
  float cost = 0;               // value target: moves still needed
  float value_weight = 1;       // 0 = no value target
};

struct LossParts {
  double policy = 0, value = 0, total = 0;
};

template <class S>
class Network {
 public:
  using Mat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
  using Vec = Eigen::Matrix<S, Eigen::Dynamic, 1>;
  using MapM = Eigen::Map<Mat>;
  using CMapM = Eigen::Map<const Mat>;

  struct Param {
    std::string name;
    int rows, cols;
    std::size_t offset;
  };

  Network() = default;
  explicit Network(const NetDims& dims);
  void init(std::uint64_t seed);  // He-normal weights, deterministic in the seed

  const NetDims& dims() const { return dims_; }
  const std::vector<Param>& layout() const { return layout_; }
  std::vector<S>& params() { return params_; }
  const std::vector<S>& params() const { return params_; }
  std::size_t size() const { return params_.size(); }

  // Adds to `grad` (size() entries) the gradient of the batch's loss, where the loss of the whole
  // batch is the sum over `batch` of (policy cross-entropy + value_coef * quantile loss) divided by
  // `batch_size` (so chunks of one batch can be summed). Returns the chunk's contribution.
  LossParts loss_and_grad(std::span<const Example* const> batch, int batch_size, const Encoding& enc,
                          double value_coef, std::vector<S>* grad) const;

  // Inference on one state.
  struct Inference {
    Vec context;                 // z_0 of the policy head
    std::vector<S> quantiles;    // ascending expected; the cost distribution
  };
  Inference infer(const StateInput& state) const;
  // Draws one move's tokens (legal and canonical by the masks). temperature 1 = the policy itself.
  Tokens sample(const Inference& inf, const Encoding& enc, const StateInput& state, game::Rng& rng,
                double temperature = 1.0) const;
  // log pi(tokens | state): for tests and diagnostics. With `per_position`, also each used
  // position's log-probability (0 at unused positions), to see which tokens the loss comes from.
  double log_prob(const Inference& inf, const Encoding& enc, const StateInput& state, const Tokens& tokens,
                  std::vector<double>* per_position = nullptr) const;

  template <class T>
  Network<T> cast() const;

 private:
  template <class>
  friend class Network;
  void build_layout();
  // Position t's hidden pre-activation: adds the cumulative features to z, returns z + local ones.
  Vec read(int t, const StateReader& reader, Vec& z, std::vector<Feature>& f) const;
  CMapM w(int i) const { return CMapM(params_.data() + layout_[size_t(i)].offset, layout_[size_t(i)].rows, layout_[size_t(i)].cols); }

  NetDims dims_;
  std::vector<Param> layout_;
  std::vector<S> params_;
};

// Index of parameter blocks in layout() (blocks repeat k times after kBlock0).
enum ParamIndex : int {
  kInW = 0, kInD, kInB,
  kPolCtxW, kPolCtxB, kPolEmb, kPolOutW, kPolOutB,
  kValW1, kValB1, kValW2, kValB2,
  kPolMuW, kPolMuvW, kPolReadSlice, kPolReadSlicePart, kPolReadRow, kPolReadRowPart, kPolReadW, kPolReadProposal,
  kBlock0  // then w1, b1, w2, b2 for each block
};

// The weight matrix of a StateReader feature kind.
inline int feature_param(int kind) {
  constexpr int table[kFeatureKinds] = {kPolReadSlice, kPolReadSlicePart, kPolReadRow, kPolReadRowPart,
                                        kPolReadW,     kPolMuW,           kPolMuvW,   kPolReadProposal};
  return table[kind];
}

// The value the search reads: the mean of the lowest `fraction` of the quantiles (optimistic).
template <class S>
double optimistic_cost(const std::vector<S>& quantiles, double fraction = 0.25);

}  // namespace fmm::learn
