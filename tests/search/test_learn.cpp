// The learned search (search/learn/): gradients equal finite differences, rank-one proposals hold
// the terms of small sums, the policy head's masks give exactly the legal canonical moves
// (probabilities sum to 1), changes of basis keep a scheme a scheme, the model file round-trips
// and rejects damaged files, training is deterministic for a seed whatever the thread count, and
// the tree search with a network returns verified schemes.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "search/game/mcts.hpp"
#include "search/learn/demos.hpp"
#include "search/learn/model_file.hpp"
#include "search/learn/net_policy.hpp"
#include "search/learn/network.hpp"
#include "search/learn/proposals.hpp"
#include "search/learn/restarts.hpp"
#include "search/learn/trainer.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/verify.hpp"

using namespace fmm;
using namespace fmm::learn;

namespace {

NetDims tiny_dims(const Encoding& enc) {
  NetDims d;
  d.box_a = enc.box_a, d.box_b = enc.box_b, d.box_c = enc.box_c;
  d.inputs = enc.inputs();
  d.positions = enc.positions();
  d.tokens = enc.tokens();
  d.width = 7;
  d.blocks = 2;
  d.policy_width = 6;
  d.value_width = 5;
  d.quantiles = 3;
  return d;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("fmm_test_learn_" + name)).string();
}

// Central differences of the batch loss against the analytic gradient, every parameter.
void check_gradient(Field field, const Shape& shape) {
  const Encoding enc = Encoding::for_shapes(field, {shape});
  Network<double> net(tiny_dims(enc));
  net.init(5);
  game::Rng rng(17);
  std::vector<Example> batch;
  // Sums of 1-2 terms have proposals (the reader's kProposal shares), of up to 5 mostly none.
  for (int i = 0; i < 3; ++i) batch.push_back(synthetic_example(enc, shape, i == 0 ? 2 : 5, 8, 2, rng));
  REQUIRE_FALSE(batch[0].state.proposals.empty());
  batch[1].value_weight = 0.5f;
  std::vector<const Example*> ptrs;
  for (auto& e : batch) ptrs.push_back(&e);
  std::vector<double> grad(net.size(), 0.0);
  const double coef = 0.7;
  net.loss_and_grad(ptrs, 3, enc, coef, &grad);
  int checked = 0, bad = 0;
  double worst = 0;
  for (std::size_t i = 0; i < net.size(); ++i) {
    const double keep = net.params()[i], h = 1e-6;
    net.params()[i] = keep + h;
    const double up = net.loss_and_grad(ptrs, 3, enc, coef, nullptr).total;
    net.params()[i] = keep - h;
    const double down = net.loss_and_grad(ptrs, 3, enc, coef, nullptr).total;
    net.params()[i] = keep;
    const double numeric = (up - down) / (2 * h);
    const double err = std::abs(numeric - grad[i]) / std::max(1e-4, std::abs(numeric) + std::abs(grad[i]));
    worst = std::max(worst, err);
    ++checked;
    if (err > 1e-4) ++bad;
  }
  std::printf("gradient check %s %s: %d parameters, worst relative error %.2e\n", to_string(field).c_str(),
              shape.str().c_str(), checked, worst);
  CHECK(bad == 0);
}

bool sums_to_matmul(const Shape& shape, Field field, const std::vector<game::Move>& moves) {
  game::Tensor t = game::Tensor::matmul(shape, field);
  for (const auto& m : moves) t.subtract(m);
  return t.is_zero();
}

}  // namespace

TEST_CASE("network gradients equal central finite differences") {
  check_gradient(Field::Z, {2, 2, 2});
  check_gradient(Field::GF2, {2, 2, 2});
  check_gradient(Field::Z, {1, 2, 3});  // a format smaller than the box would be: masked positions
}

TEST_CASE("rank-one proposals: the terms of small sums, nothing for T<2,2,2>") {
  for (Field field : {Field::Z, Field::GF2}) {
    const Shape shape{2, 2, 2};
    const std::vector<int> f = game::GameRules::for_field(field).coefficients;
    const auto has = [](const std::vector<game::Move>& list, const game::Move& m) {
      return std::find(list.begin(), list.end(), m) != list.end();
    };
    // One term: it is the only proposal.
    const game::Move one = game::make_move(shape, std::vector<int>{1, 0, 1, 0}, std::vector<int>{0, 1, 1, 0},
                                           std::vector<int>{1, 0, 0, 1});
    game::Tensor t(shape, field);
    t.add(one);
    CHECK(rank_one_proposals(t, f) == std::vector<game::Move>{one});
    // Two terms with independent factors: both are proposed.
    game::Move two = game::make_move(shape, std::vector<int>{0, 1, 0, 1}, std::vector<int>{1, 0, 0, 0},
                                     std::vector<int>{0, 1, 1, 1});
    game::canonicalize(two, shape);
    t.add(two);
    const auto both = rank_one_proposals(t, f);
    CHECK(has(both, one));
    CHECK(has(both, two));
    // Every contraction of T<2,2,2> has even rank (twice the rank of the covector as a 2x2 matrix).
    CHECK(rank_one_proposals(game::Tensor::matmul(shape, field), f).empty());
    CHECK(rank_one_proposals(game::Tensor(shape, field), f).empty());
  }
  // Random sums of two terms: over GF(2) and Z, their terms are proposed in most of them.
  for (Field field : {Field::Z, Field::GF2}) {
    const Shape shape{2, 2, 2};
    const Encoding enc = Encoding::for_shapes(field, {shape});
    game::Rng rng(23);
    int found = 0, targets = 0;
    for (int k = 0; k < 200; ++k) {
      const Example e = synthetic_example(enc, shape, 2, 8, 4, rng);
      for (const Tokens& t : e.targets) {
        ++targets;
        found += std::find(e.state.proposals.begin(), e.state.proposals.end(), t) != e.state.proposals.end();
      }
    }
    std::printf("%s: %d of %d targets of 1-2 term sums proposed\n", to_string(field).c_str(), found, targets);
    CHECK(found > targets * 8 / 10);
  }
}

TEST_CASE("the policy head gives exactly the legal canonical moves, probabilities summing to 1") {
  for (Field field : {Field::Z, Field::GF2}) {
    const Shape shape{1, 2, 2};  // u: 2 entries, v: 4, w: 2 -> 3^8 token sequences over Z
    const Encoding enc = Encoding::for_shapes(field, {shape});
    Network<double> net(tiny_dims(enc));
    net.init(9);
    // Make the policy far from uniform so that the check means something.
    for (auto& p : net.params()) p *= 30;
    game::Rng rng(3);
    const game::Tensor target = game::Tensor::matmul(shape, field);
    const StateInput in = encode_state(enc, target, 0, 4, game::rank_upper_bound(target));
    const auto inf = net.infer(in);
    const int T = enc.tokens(), L = enc.positions();
    double total = 0;
    long legal = 0;
    Tokens t(size_t(L), 0);
    long combos = 1;
    for (int i = 0; i < L; ++i) combos *= T;
    for (long code = 0; code < combos; ++code) {
      long c = code;
      for (int i = 0; i < L; ++i) t[size_t(i)] = std::int8_t(c % T), c /= T;
      const game::Move m = tokens_move(enc, shape, t);
      if (!game::is_canonical(m, shape) || game::is_zero_term(m, shape)) continue;
      ++legal;
      total += std::exp(net.log_prob(inf, enc, in, t));
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-9));
    for (int k = 0; k < 200; ++k) {
      const game::Move m = tokens_move(enc, shape, net.sample(inf, enc, in, rng));
      CHECK(game::is_canonical(m, shape));
      CHECK_FALSE(game::is_zero_term(m, shape));
    }
    std::printf("%s: %ld legal canonical moves, total probability %.12f\n", to_string(field).c_str(), legal, total);
  }
}

TEST_CASE("training and inference compute the same policy: the loss is -log pi of the target") {
  for (Field field : {Field::Z, Field::GF2}) {
    const Shape shape{2, 2, 3};
    const Encoding enc = Encoding::for_shapes(field, {shape, {2, 3, 3}});
    Network<double> net(tiny_dims(enc));
    net.init(21);
    game::Rng rng(8);
    for (int k = 0; k < 20; ++k) {
      Example e = synthetic_example(enc, shape, 6, 12, 1, rng);
      e.value_weight = 0;
      const Example* one[] = {&e};
      const double loss = net.loss_and_grad(one, 1, enc, 1.0, nullptr).policy;
      const auto inf = net.infer(e.state);
      CHECK(loss == doctest::Approx(-net.log_prob(inf, enc, e.state, e.targets[0])).epsilon(1e-12));
    }
  }
}

TEST_CASE("a change of basis maps a scheme of T<n,m,p> to another one, in F") {
  for (Field field : {Field::Z, Field::GF2}) {
    for (const Scheme& s : {strassen_scheme(), standard_scheme({2, 3, 2})}) {
      const Encoding enc = Encoding::for_shapes(field, {s.shape()});
      std::vector<game::Move> moves = game::scheme_to_moves(field == Field::GF2 ? reduce_mod2(s) : s);
      for (auto& m : moves) game::canonicalize(m, s.shape());
      REQUIRE(sums_to_matmul(s.shape(), field, moves));
      game::Rng rng(11);
      int accepted = 0, changed = 0;
      for (int k = 0; k < 50; ++k) {
        auto moved = change_basis(s.shape(), enc, moves, rng);
        if (!moved) continue;
        ++accepted;
        CHECK(sums_to_matmul(s.shape(), field, *moved));
        changed += *moved != moves;
        for (const auto& m : *moved)
          for (auto c : m.coeffs) CHECK(enc.token_of(c) >= 0);
      }
      CHECK(accepted > 5);
      CHECK(changed > 0);
    }
  }
}

TEST_CASE("restarts: a block takes a classical block's terms whole, in the scheme's basis") {
  const Shape shape{2, 2, 4};
  const Field field = Field::GF2;
  const Encoding enc = Encoding::for_shapes(field, {shape});
  const std::vector<game::Move> classical = game::scheme_to_moves(reduce_mod2(standard_scheme(shape)));
  game::Rng rng(3);
  std::set<int> sizes;
  for (int k = 0; k < 200; ++k) {
    const std::optional<RestartStart> start = remove_block(shape, classical, rng);
    REQUIRE(start);
    REQUIRE(start->removed >= 2);
    REQUIRE(start->removed < 16);
    REQUIRE(int(start->kept.size()) + start->removed == 16);
    sizes.insert(start->removed);
    // The kept terms are the scheme's own (no basis change), and what was removed is a block of
    // the product: the residual T - kept is the matmul tensor of a sub-block, which the classical
    // scheme writes with |I||J||K| terms, exactly the number removed.
    std::vector<game::Move> rest = classical;
    for (const game::Move& t : start->kept) {
      auto it = std::find(rest.begin(), rest.end(), t);
      REQUIRE(it != rest.end());
      rest.erase(it);
    }
    std::set<int> rows, mids, cols;
    for (const game::Move& t : rest)
      for (int e = 0; e < shape.a_size() + shape.b_size(); ++e)
        if (t.coeffs[size_t(e)] != 0) {
          if (e < shape.a_size()) rows.insert(e / shape.m), mids.insert(e % shape.m);
          else cols.insert((e - shape.a_size()) % shape.p);
        }
    CHECK(int(rest.size()) == int(rows.size() * mids.size() * cols.size()));
  }
  // Small blocks and the slabs <2,2,2> (8 terms, which Strassen shortens) and <2,2,3> (12) come up.
  CHECK(sizes.count(2) == 1);
  CHECK(sizes.count(8) == 1);
  CHECK(sizes.count(12) == 1);
  // On Strassen's scheme, whose factors spread over the blocks, a block restart (where one is
  // found at all) still splits the scheme into what it keeps and 2 or more removed terms.
  const std::vector<game::Move> strassen = game::scheme_to_moves(reduce_mod2(strassen_scheme()));
  for (int k = 0; k < 50; ++k)
    if (const auto start = remove_block({2, 2, 2}, strassen, rng)) {
      CHECK(start->removed >= 2);
      CHECK(int(start->kept.size()) + start->removed == 7);
    }
  // The random law removes 2 or more terms and keeps the rest, moved into another basis.
  for (int k = 0; k < 50; ++k) {
    const RestartStart start = remove_random_terms(shape, enc, classical, 0, rng);
    CHECK(start.removed >= 2);
    CHECK(int(start.kept.size()) + start.removed == 16);
    for (const game::Move& t : start.kept)
      for (auto c : t.coeffs) CHECK(enc.token_of(c) >= 0);
  }
}

TEST_CASE("demonstrations hold legal targets and the right value") {
  const Shape shape{2, 2, 3};
  const Encoding enc = Encoding::for_shapes(Field::Z, {shape, {2, 2, 2}});
  game::Rng rng(5);
  for (int k = 0; k < 100; ++k) {
    Example e = synthetic_example(enc, shape, 12, 12, 4, rng);
    CHECK(e.cost >= 1);
    CHECK(e.cost <= 12);
    CHECK(!e.targets.empty());
    for (const Tokens& t : e.targets) {
      const game::Move m = tokens_move(enc, shape, t);
      CHECK(game::is_canonical(m, shape));
      CHECK_FALSE(game::is_zero_term(m, shape));
    }
  }
  std::vector<game::Move> std_moves = game::scheme_to_moves(standard_scheme(shape));
  Example e = scheme_example(enc, shape, std_moves, 12, 4, rng);
  CHECK(e.cost >= 1);
  CHECK(e.cost <= 12);
}

TEST_CASE("--demo-terms caps the demonstrations below the classical rank, never above it") {
  CHECK(demo_term_limit(Shape{2, 2, 2}, 0) == 8);   // off: the classical rank
  CHECK(demo_term_limit(Shape{2, 2, 2}, 6) == 6);
  CHECK(demo_term_limit(Shape{2, 2, 3}, 6) == 6);
  CHECK(demo_term_limit(Shape{2, 2, 2}, 20) == 8);  // a cap above the classical rank changes nothing
  game::Rng rng(5);
  const Encoding enc = Encoding::for_shapes(Field::GF2, {Shape{2, 2, 2}});
  for (int i = 0; i < 200; ++i) {
    const Example e = synthetic_example(enc, Shape{2, 2, 2}, demo_term_limit(Shape{2, 2, 2}, 2), 8, 4, rng);
    CHECK(e.cost <= 2);  // at most two terms summed
    CHECK(e.targets.size() <= 2);
  }
}

TEST_CASE("the curriculum grows demonstrations from one term to the classical rank") {
  CHECK(curriculum_terms(8, 0.0) == 1);
  CHECK(curriculum_terms(8, 0.5) == 4);  // 1 + floor(7 * 0.5)
  CHECK(curriculum_terms(8, 1.0) == 8);
  CHECK(curriculum_terms(8, 7.0) == 8);   // past the ramp: the full range
  CHECK(curriculum_terms(8, -1.0) == 1);
  CHECK(curriculum_terms(1, 0.3) == 1);
  // A one-term demonstration is its own answer: the residual is the target term.
  const Shape shape{2, 2, 2};
  const Encoding enc = Encoding::for_shapes(Field::GF2, {shape});
  game::Rng rng(11);
  for (int k = 0; k < 50; ++k) {
    const Example e = synthetic_example(enc, shape, curriculum_terms(8, 0.0), 8, 4, rng);
    REQUIRE(e.targets.size() == 1);
    CHECK(e.cost == 1);
  }
}

TEST_CASE("model files round-trip and damaged ones are refused with a clear error") {
  NetDims w;
  w.width = 6, w.blocks = 1, w.policy_width = 5, w.value_width = 4, w.quantiles = 2;
  Model m = Model::create(Field::GF2, {{2, 2, 2}, {2, 2, 3}}, w, 3);
  m.train.step = 42;
  m.train.adam.reset(m.net.size());
  m.train.adam.m[3] = 0.5f;
  m.train.has_adam = true;
  m.train.best_rank.emplace_back(Shape{2, 2, 2}, 7);
  std::vector<game::Move> moves = game::scheme_to_moves(reduce_mod2(strassen_scheme()));
  m.train.elites.push_back({Shape{2, 2, 2}, moves});
  m.note = "test model";
  const std::string path = temp_path("model.fmmnet");
  save_model(path, m);
  Model back = load_model(path);
  CHECK(back.net.params() == m.net.params());
  CHECK(back.net.dims() == m.net.dims());
  CHECK(back.train.step == 42);
  CHECK(back.train.adam.m == m.train.adam.m);
  CHECK(back.train.elites.size() == 1);
  CHECK(back.train.elites[0].moves == moves);
  CHECK(back.train.best_rank == m.train.best_rank);
  CHECK(back.shapes == m.shapes);
  CHECK(back.note == "test model");

  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto write = [&](const std::string& name, const std::string& data) {
    const std::string p = temp_path(name);
    std::ofstream(p, std::ios::binary) << data;
    return p;
  };
  auto refused = [&](const std::string& p, const std::string& words) {
    try {
      load_model(p);
      FAIL("loaded a bad model " << p);
    } catch (const Error& e) {
      const std::string msg = e.what();
      CHECK_MESSAGE(msg.find(words) != std::string::npos, msg);
    }
  };
  std::string flipped = bytes;
  flipped[bytes.size() - 100] ^= 0x10;
  refused(write("flipped", flipped), "checksum");
  refused(write("truncated", bytes.substr(0, bytes.size() - 9)), "does not match");
  std::string v9 = bytes;
  v9.replace(v9.find("fmm-model 3"), 11, "fmm-model 9");
  refused(write("v9", v9), "version 9 is not supported");
  // Versions 1 (no StateReader weights) and 2 (no proposal weights): refused by version, not by size.
  for (const char* old : {"1", "2"}) {
    std::string v = bytes;
    v.replace(v.find("fmm-model 3"), 11, std::string("fmm-model ") + old);
    refused(write(std::string("v") + old, v), std::string("version ") + old + " is not supported");
  }
  refused(write("garbage", "hello\n"), "not an fmm model");
  std::string wide = bytes;
  wide.replace(wide.find("width 6"), 7, "width 9");
  refused(write("wide", wide), "parameters");
  refused(temp_path("does_not_exist"), "no such file");
}

TEST_CASE("training is deterministic for a seed, whatever the thread count") {
  auto run = [&](int threads, const std::string& name) {
    TrainConfig c;
    c.shapes = {{2, 2, 2}};
    c.field = Field::Z;
    c.model_path = temp_path(name);
    c.max_steps = 6;
    c.threads = threads;
    c.seed = 4;
    c.widths.width = 16, c.widths.blocks = 1, c.widths.policy_width = 12, c.widths.value_width = 8;
    c.widths.quantiles = 4;
    c.batch = 16;
    c.supervised_fraction = 0.5;
    c.games_per_round = 3;
    c.steps_per_round = 2;
    c.simulations_per_move = 4;
    c.policy.samples = 4;
    c.restart_share = 0.5;  // both restart laws, which draw from the same seeded stream
    c.restart_block_share = 0.5;
    TrainResult r = train(c);
    CHECK(r.steps == 6);
    CHECK(r.games >= 3);
    return load_model(c.model_path);
  };
  Model a = run(1, "det1.fmmnet"), b = run(2, "det2.fmmnet"), c = run(1, "det3.fmmnet");
  CHECK(a.net.params() == b.net.params());
  CHECK(a.net.params() == c.net.params());
  CHECK(a.train.best_rank == b.train.best_rank);
  CHECK(a.train.step == 6);
  CHECK(a.train.supervised_steps == 3);
  // Resuming with a larger budget continues the same model.
  TrainConfig more;
  more.field = Field::Z;
  more.model_path = temp_path("det1.fmmnet");
  more.resume = true;
  more.max_steps = 8;
  more.games_per_round = 1;
  more.steps_per_round = 2;
  more.simulations_per_move = 4;
  more.policy.samples = 4;
  more.batch = 16;
  TrainResult r = train(more);
  CHECK(r.steps == 2);
  CHECK(load_model(more.model_path).train.step == 8);
}

TEST_CASE("the tree search with a network returns verified schemes and is deterministic") {
  for (Field field : {Field::Z, Field::GF2}) {
    NetDims w;
    w.width = 16, w.blocks = 1, w.policy_width = 12, w.value_width = 8, w.quantiles = 4;
    Model m = Model::create(field, {{2, 2, 2}}, w, 8);
    NetPolicyConfig pc;
    pc.samples = 16;
    NetPolicy policy(m.net, m.enc, pc);
    game::MctsConfig c;
    c.rules = game::GameRules::for_field(field);
    c.policy = &policy;
    c.candidates = game::CandidateSource::Policy;
    c.max_simulations = 200;
    c.simulations_per_move = 16;
    c.seed = 2;
    game::MctsResult r1 = game::mcts_search({2, 2, 2}, c);
    REQUIRE(r1.best.has_value());
    CHECK(verify(*r1.best).ok);
    CHECK(r1.best_rank <= 8);
    game::MctsResult r2 = game::mcts_search({2, 2, 2}, c);
    CHECK(r2.best_rank == r1.best_rank);
    CHECK(*r2.best == *r1.best);
    c.candidates = game::CandidateSource::Both;
    game::MctsResult r3 = game::mcts_search({2, 2, 2}, c);
    REQUIRE(r3.best.has_value());
    CHECK(verify(*r3.best).ok);
  }
}
