#include "search/learn/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "search/game/mcts.hpp"
#include "search/learn/demos.hpp"
#include "search/learn/restarts.hpp"
#include "tensor/builtin.hpp"
#include "tensor/error.hpp"
#include "tensor/io/safe_write.hpp"

namespace fmm::learn {

double process_cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t mix(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  game::Rng r(a ^ (0x9e3779b97f4a7c15ull * (b + 1)) ^ (0xc2b2ae3d27d4eb4full * (c + 1)));
  r.next();
  return r.next();
}

struct GameOutcome {
  Shape shape;
  std::vector<Example> records;
  std::optional<Scheme> best;
  int best_rank = INT_MAX;
  int committed_total = INT_MAX;  // the committed line's rank (moves + completion)
  long simulations = 0;
};

// One self-play game: one episode of the sampled tree search with the network only, on T<shape>
// or, for a restart, on the residual T<shape> - prefix with `moves` moves allowed.
GameOutcome play_game(const Model& model, const Shape& shape, const TrainConfig& cfg, std::uint64_t seed,
                      const Scheme* prefix = nullptr, int moves = 0) {
  NetPolicy policy(model.net, model.enc, cfg.policy);
  game::MctsConfig mc;
  mc.rules = game::GameRules::for_field(model.enc.field);
  mc.rules.coefficients = model.enc.coefficients;
  mc.generator.use_known = false;  // the generator is unused with CandidateSource::Policy; keep it cheap
  mc.generator.walk_flips = 0;
  mc.policy = &policy;
  mc.candidates = game::CandidateSource::Policy;
  mc.trees = 1;
  mc.threads = 1;
  mc.max_episodes = 1;
  mc.max_simulations = 0;
  mc.simulations_per_move = cfg.simulations_per_move;
  mc.sampled_moves = cfg.sampled_moves;
  mc.seed = seed;
  mc.stop = cfg.stop;
  const int limit = prefix ? moves : int(shape.classical_rank());
  mc.rules.max_moves = limit;
  GameOutcome out;
  out.shape = shape;
  std::vector<int> depths, bounds;
  mc.on_commit = [&](const game::CommitRecord& rec) {
    std::vector<std::pair<int, const game::Move*>> by_visits;
    for (const auto& [move, visits] : rec.visits)
      if (visits > 0) by_visits.emplace_back(visits, move);
    if (by_visits.empty()) return;
    // Most visited first; ties by the order the tree holds them (deterministic).
    std::stable_sort(by_visits.begin(), by_visits.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    by_visits.resize(std::min<std::size_t>(by_visits.size(), std::size_t(cfg.targets)));
    Example ex;
    const int bound = game::rank_upper_bound(*rec.state);
    ex.state = encode_state(model.enc, *rec.state, rec.depth, limit, bound);
    bounds.push_back(bound);
    float total = 0;
    for (const auto& bv : by_visits) total += float(bv.first);
    for (const auto& [visits, move] : by_visits) {
      ex.targets.push_back(move_tokens(model.enc, shape, *move));
      ex.weights.push_back(float(visits) / total);
    }
    out.records.push_back(std::move(ex));
    depths.push_back(rec.depth);
  };
  mc.on_episode = [&](const std::vector<game::Move>&, const game::Tensor&, int total) {
    out.committed_total = total;
    // The moves the episode still needed from each state; never more than the state's bound, which
    // complete() achieves (an exploratory move after it may have done worse).
    for (std::size_t i = 0; i < out.records.size(); ++i)
      out.records[i].cost = float(std::min(total - depths[i], bounds[i]));
  };
  game::MctsResult r = prefix ? game::mcts_search_from(*prefix, mc) : game::mcts_search(shape, mc);
  out.simulations = r.simulations;
  if (out.committed_total == INT_MAX) out.records.clear();  // stopped before the episode ended
  if (r.best) {
    out.best = std::move(r.best);
    out.best_rank = r.best_rank;
  }
  return out;
}

// The scheme's terms as canonical moves in F, or nullopt (coefficients outside F or not integers).
std::optional<std::vector<game::Move>> scheme_in_f(const Scheme& s, const Encoding& enc) {
  std::vector<game::Move> moves;
  try {
    moves = game::scheme_to_moves(s);
  } catch (const Error&) {
    return std::nullopt;
  }
  for (game::Move& m : moves) {
    for (std::int8_t c : m.coeffs)
      if (enc.token_of(enc.field == Field::GF2 ? ((c % 2) + 2) % 2 : c) < 0) return std::nullopt;
    if (enc.field == Field::GF2)
      for (std::int8_t& c : m.coeffs) c = std::int8_t(((c % 2) + 2) % 2);
    game::canonicalize(m, s.shape());
    if (game::is_zero_term(m, s.shape())) return std::nullopt;
  }
  return moves;
}

std::uint64_t scheme_key(const std::vector<game::Move>& moves) {
  std::vector<std::uint64_t> h;
  for (const game::Move& m : moves) h.push_back(game::move_hash(m));
  std::sort(h.begin(), h.end());
  std::uint64_t k = 0x243F6A8885A308D3ull;
  for (std::uint64_t x : h) k = (k ^ x) * 0x100000001B3ull;
  return k;
}

int& best_rank_of(TrainState& t, const Shape& s) {
  for (auto& [shape, r] : t.best_rank)
    if (shape == s) return r;
  t.best_rank.emplace_back(s, INT_MAX);
  return t.best_rank.back().second;
}

// The standard algorithm's terms (one per A[i][j] B[j][k]), in the standard basis: every
// sub-block of the product is a classical sub-product in it (restarts.hpp, the block law).
// Its coefficients are 0 and 1: the same moves over Z and GF(2).
std::vector<game::Move> standard_moves(const Shape& shape) {
  std::vector<game::Move> moves = game::scheme_to_moves(standard_scheme(shape));
  for (game::Move& m : moves) game::canonicalize(m, shape);
  return moves;
}

// The elite with the most terms that are single products A[i][j] B[j][k] (the first of them on
// ties). Block restarts take their elite from here: a scheme that a block restart shortened keeps
// the standard algorithm's other blocks, and those terms, where the restarts of the random law
// (a new basis each) soon fill the elite set with schemes that have none. Measured on <2,2,4>
// over GF(2): the rank-15 scheme of a block restart was gone from the 32 elites within ~100
// rounds (results/search/learned/README.md).
long single_products(const Elite& e) {
  const Shape& s = e.shape;
  auto one_nonzero = [](std::span<const std::int8_t> f) {
    return std::count_if(f.begin(), f.end(), [](std::int8_t c) { return c != 0; }) == 1;
  };
  return std::count_if(e.moves.begin(), e.moves.end(), [&](const game::Move& t) {
    return one_nonzero(t.u(s)) && one_nonzero(t.v(s)) && one_nonzero(t.w(s));
  });
}

const Elite* most_aligned(const std::vector<const Elite*>& elites) {
  const Elite* best = elites.front();
  long most = single_products(*best);
  for (const Elite* e : elites)
    if (const long n = single_products(*e); n > most) best = e, most = n;
  return best;
}

// The elites of one format, in the set's order.
std::vector<const Elite*> elites_of(const TrainState& t, const Shape& shape) {
  std::vector<const Elite*> mine;
  for (const Elite& e : t.elites)
    if (e.shape == shape) mine.push_back(&e);
  return mine;
}

// Records a verified scheme found by self-play: the best rank per format, and the elite set (the
// distinct schemes at that rank whose terms are all in F).
bool offer_elite(TrainState& t, const Scheme& s, const Encoding& enc, int max_per_shape, bool keep_aligned,
                 game::Rng& rng) {
  int& best = best_rank_of(t, s.shape());
  const bool improved = s.rank() < best;
  best = std::min(best, s.rank());
  auto moves = scheme_in_f(s, enc);
  if (!moves) return improved;
  int elite_rank = INT_MAX, count = 0;
  for (const Elite& e : t.elites)
    if (e.shape == s.shape()) elite_rank = std::min(elite_rank, int(e.moves.size())), ++count;
  const int rank = int(moves->size());
  if (rank > elite_rank) return improved;
  if (rank < elite_rank) {
    std::erase_if(t.elites, [&](const Elite& e) { return e.shape == s.shape(); });
    count = 0;
  }
  const std::uint64_t key = scheme_key(*moves);
  for (const Elite& e : t.elites)
    if (e.shape == s.shape() && scheme_key(e.moves) == key) return improved;
  if (count < max_per_shape) {
    t.elites.push_back({s.shape(), std::move(*moves)});
    return improved;
  }
  // Full: the new scheme replaces a random one of its format half of the time, so that the set
  // keeps moving (restarts start from it) instead of freezing on the first schemes found. The
  // most aligned one stays when there are block restarts, which start from it (measured: without
  // this the random law's new schemes replaced it within a few rounds).
  if (rng.below(2)) {
    const Elite* keep = nullptr;
    if (keep_aligned)
      if (const Elite* aligned = most_aligned(elites_of(t, s.shape())); single_products(*aligned) > 0) keep = aligned;
    int pick = rng.below(count);
    for (Elite& e : t.elites)
      if (e.shape == s.shape() && pick-- == 0) {
        if (&e != keep) e.moves = std::move(*moves);
        break;
      }
  }
  return improved;
}

class Replay {
 public:
  explicit Replay(std::size_t capacity) : capacity_(std::max<std::size_t>(1, capacity)) {}
  void add(Example ex) {
    if (items_.size() < capacity_) items_.push_back(std::move(ex));
    else items_[next_] = std::move(ex);
    next_ = (next_ + 1) % capacity_;
  }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  const Example& pick(game::Rng& rng) const { return items_[std::size_t(rng.next() % items_.size())]; }

 private:
  std::size_t capacity_, next_ = 0;
  std::vector<Example> items_;
};

std::string ranks_text(const TrainState& t, const std::vector<Shape>& shapes) {
  std::string s;
  for (const Shape& shape : shapes) {
    int r = INT_MAX;
    for (const auto& [x, rank] : t.best_rank)
      if (x == shape) r = rank;
    s += " " + shape.str() + ":" + (r == INT_MAX ? std::string("-") : std::to_string(r));
  }
  return s;
}

}  // namespace

TrainResult train(const TrainConfig& cfg) {
  if (cfg.model_path.empty()) throw Error("train: a model path is needed");
  if (cfg.batch < 1 || cfg.chunks < 1 || cfg.threads < 1) throw Error("train: batch, chunks and threads must be >= 1");
  if (cfg.time_limit_s <= 0 && cfg.cpu_limit_s <= 0 && cfg.max_steps <= 0)
    throw Error("train: give a budget (time limit, CPU time limit or steps)");
  if (cfg.supervised_fraction < 0 || cfg.supervised_fraction > 1) throw Error("train: supervised fraction must be in [0,1]");
  if (!(cfg.curriculum >= 0 && cfg.curriculum <= 1)) throw Error("train: the curriculum share must be in [0,1]");
  if (cfg.demo_terms < 0) throw Error("train: --demo-terms must be >= 0 (0 = the classical rank)");
  if (cfg.games_per_round < 1 || cfg.steps_per_round < 0 || cfg.simulations_per_move < 1)
    throw Error("train: games per round and simulations per move must be >= 1");
  auto log = [&](const std::string& s) {
    if (cfg.log) cfg.log(s);
  };

  Model model;
  if (cfg.resume) {
    model = load_model(cfg.model_path);
    if (model.enc.field != cfg.field)
      throw Error("train: the model plays over " + to_string(model.enc.field) + ", not " + to_string(cfg.field));
    log("resumed " + cfg.model_path + " at step " + std::to_string(model.train.step) + " (" +
        std::to_string(model.train.wall_s) + " s, " + std::to_string(model.train.cpu_s) + " CPU s trained)");
  } else {
    if (cfg.shapes.empty()) throw Error("train: no format to train on");
    model = Model::create(cfg.field, cfg.shapes, cfg.widths, cfg.seed);
    model.note = cfg.note;
  }
  std::vector<Shape> shapes = cfg.shapes.empty() ? model.shapes : cfg.shapes;
  for (const Shape& s : shapes)
    if (!model.enc.fits(s)) throw Error("train: format " + s.str() + " does not fit the model's tensor box");
  TrainState& st = model.train;
  if (!st.has_adam) {
    st.adam.reset(model.net.size());
    st.has_adam = true;
  }
  game::Rng rng(st.rng ? st.rng : cfg.seed);
  Replay replay(cfg.replay_capacity);
  std::ostringstream head;
  head << "train: field " << to_string(model.enc.field) << " formats";
  for (const Shape& s : shapes) head << ' ' << s.str();
  head << " box " << model.enc.box_a << 'x' << model.enc.box_b << 'x' << model.enc.box_c << " width "
       << model.net.dims().width << " blocks " << model.net.dims().blocks << " policy " << model.net.dims().policy_width
       << " params " << model.net.size() << " threads " << cfg.threads << " seed " << cfg.seed << " batch " << cfg.batch
       << " lr " << cfg.adam.lr << " supervised " << cfg.supervised_fraction << " curriculum " << cfg.curriculum
       << " demo-terms " << cfg.demo_terms << " games/round " << cfg.games_per_round << " steps/round "
       << cfg.steps_per_round << " simulations/move " << cfg.simulations_per_move << " samples/node "
       << cfg.policy.samples;
  log(head.str());

  const auto t0 = Clock::now();
  const double cpu0 = process_cpu_seconds();
  const double wall_base = st.wall_s, cpu_base = st.cpu_s;
  auto wall_now = [&] { return std::chrono::duration<double>(Clock::now() - t0).count(); };
  auto sync_times = [&] {
    st.wall_s = wall_base + wall_now();
    st.cpu_s = cpu_base + (process_cpu_seconds() - cpu0);
  };
  auto fraction = [&] {
    sync_times();
    double f = 0;
    if (cfg.time_limit_s > 0) f = std::max(f, st.wall_s / cfg.time_limit_s);
    if (cfg.cpu_limit_s > 0) f = std::max(f, st.cpu_s / cfg.cpu_limit_s);
    if (cfg.max_steps > 0) f = std::max(f, double(st.step) / double(cfg.max_steps));
    return f;
  };
  auto stopped = [&] { return cfg.stop && cfg.stop->load(std::memory_order_relaxed); };
  auto save = [&](const std::string& path) {
    sync_times();
    st.rng = rng.state;
    save_model(path, model);
  };

  // The CSV curve: appended line by line (append_to_file: never through a planted link).
  const bool csv = !cfg.log_path.empty();
  if (csv && !std::ifstream(cfg.log_path).good()) {
    std::ostringstream header;
    header << "wall_s,cpu_s,step,phase,games,policy_loss,value_loss,examples_per_s";
    for (const Shape& s : shapes) header << ",best_" << s.str() << ",game_" << s.str();
    header << '\n';
    append_to_file(cfg.log_path, header.str());
  }

  // ---- one optimizer step on a batch ----
  std::vector<std::vector<float>> chunk_grads(static_cast<size_t>(cfg.chunks));
  std::vector<float> grad(model.net.size());
  double ema_policy = -1, ema_value = -1;
  std::int64_t examples_since = 0;
  std::map<std::string, double> game_mean;  // last round's mean committed rank per format
  // How far the curriculum's ramp is (TrainConfig::curriculum), set once per step: 1 = the full
  // range of demonstration sizes (no curriculum, past the ramp, or self-play).
  double ramp = 1.0;
  auto draw_example = [&](bool self_play_phase) -> Example {
    const double u = rng.uniform();
    if (self_play_phase && u >= cfg.synthetic_share) {
      const bool want_elite = u < cfg.synthetic_share + cfg.elite_share;
      if (want_elite && !st.elites.empty()) {
        const Elite& e = st.elites[std::size_t(rng.next() % st.elites.size())];
        const int limit = int(e.shape.classical_rank());
        if (rng.uniform() < 0.8)
          for (int attempt = 0; attempt < 4; ++attempt)
            if (auto moved = change_basis(e.shape, model.enc, e.moves, rng))
              return scheme_example(model.enc, e.shape, *moved, limit, cfg.targets, rng);
        return scheme_example(model.enc, e.shape, e.moves, limit, cfg.targets, rng);
      }
      if (!replay.empty()) return replay.pick(rng);
    }
    const Shape& s = shapes[std::size_t(rng.below(int(shapes.size())))];
    const int limit = int(s.classical_rank());
    return synthetic_example(model.enc, s, curriculum_terms(demo_term_limit(s, cfg.demo_terms), ramp), limit,
                             cfg.targets, rng);
  };
  auto train_step = [&](bool self_play_phase) {
    const bool ramping = !self_play_phase && cfg.curriculum > 0 && cfg.supervised_fraction > 0;
    ramp = ramping ? fraction() / (cfg.supervised_fraction * cfg.curriculum) : 1.0;  // clamped by curriculum_terms
    std::vector<Example> batch;
    batch.reserve(size_t(cfg.batch));
    for (int i = 0; i < cfg.batch; ++i) batch.push_back(draw_example(self_play_phase));
    std::vector<const Example*> ptrs;
    for (const Example& e : batch) ptrs.push_back(&e);
    std::vector<LossParts> parts(static_cast<size_t>(cfg.chunks));
    const int per = (cfg.batch + cfg.chunks - 1) / cfg.chunks;
#pragma omp parallel for num_threads(cfg.threads) schedule(static, 1)
    for (int c = 0; c < cfg.chunks; ++c) {
      auto& g = chunk_grads[size_t(c)];
      g.assign(model.net.size(), 0.f);
      const int lo = std::min(cfg.batch, c * per), hi = std::min(cfg.batch, lo + per);
      parts[size_t(c)] = model.net.loss_and_grad(std::span<const Example* const>(ptrs.data() + lo, size_t(hi - lo)),
                                                 cfg.batch, model.enc, cfg.value_coef, &g);
    }
    std::fill(grad.begin(), grad.end(), 0.f);
    double pol = 0, val = 0;
    for (int c = 0; c < cfg.chunks; ++c) {
      const auto& g = chunk_grads[size_t(c)];
      for (std::size_t i = 0; i < grad.size(); ++i) grad[i] += g[i];
      pol += parts[size_t(c)].policy;
      val += parts[size_t(c)].value;
    }
    st.adam.step(model.net.params(), grad, cfg.adam);
    ++st.step;
    if (!self_play_phase) ++st.supervised_steps;
    ema_policy = ema_policy < 0 ? pol : 0.98 * ema_policy + 0.02 * pol;
    ema_value = ema_value < 0 ? val : 0.98 * ema_value + 0.02 * val;
    examples_since += cfg.batch;
  };

  // ---- reporting ----
  auto last_report = Clock::now(), last_save = Clock::now();
  auto report = [&](bool force) {
    const auto now = Clock::now();
    const double since = std::chrono::duration<double>(now - last_report).count();
    if (!force && since < cfg.report_every_s) return;
    sync_times();
    const double rate = since > 0 ? double(examples_since) / since : 0;
    std::ostringstream line;
    line.setf(std::ios::fixed);
    line.precision(1);
    line << "train " << st.wall_s << " s (cpu " << st.cpu_s << " s) step " << st.step << ' '
         << (st.supervised_done ? "self-play round " + std::to_string(st.round) : std::string("supervised"));
    line.precision(3);
    line << " loss policy " << ema_policy << " value " << ema_value;
    line.precision(0);
    line << " | " << rate << " examples/s | games " << st.games << " | best" << ranks_text(st, shapes);
    if (cfg.status) cfg.status(line.str());
    if (csv) {
      std::ostringstream row;
      row << st.wall_s << ',' << st.cpu_s << ',' << st.step << ',' << (st.supervised_done ? "self-play" : "supervised")
          << ',' << st.games << ',' << ema_policy << ',' << ema_value << ',' << rate;
      for (const Shape& s : shapes) {
        int r = INT_MAX;
        for (const auto& [x, rank] : st.best_rank)
          if (x == s) r = rank;
        row << ',' << (r == INT_MAX ? std::string("") : std::to_string(r)) << ',';
        if (game_mean.count(s.str())) row << game_mean[s.str()];
      }
      row << '\n';
      append_to_file(cfg.log_path, row.str());
    }
    last_report = now;
    examples_since = 0;
    if (std::chrono::duration<double>(now - last_save).count() >= cfg.save_every_s) {
      save(cfg.model_path);
      last_save = now;
    }
  };

  TrainResult result;
  const std::int64_t step0 = st.step, games0 = st.games;

  // ---- supervised phase: synthetic demonstrations ----
  while (!st.supervised_done && !stopped()) {
    if (fraction() >= cfg.supervised_fraction) {
      st.supervised_done = true;
      break;
    }
    train_step(false);
    report(false);
  }
  if (st.supervised_done && !cfg.supervised_model_path.empty() && st.round == 0) {
    sync_times();
    st.rng = rng.state;
    Model copy = model;  // an inference copy: the optimizer state stays in the main model
    copy.train.has_adam = false;
    copy.train.adam.reset(0);
    save_model(cfg.supervised_model_path, copy);
    log("saved the supervised-phase model " + cfg.supervised_model_path + " (step " + std::to_string(st.step) + ")");
  }

  // ---- self-play rounds ----
  std::vector<std::vector<game::Move>> standard;  // per format of `shapes`, for block restarts
  if (cfg.restart_block_share > 0)
    for (const Shape& s : shapes) standard.push_back(standard_moves(s));
  while (st.supervised_done && !stopped() && fraction() < 1.0) {
    const int G = cfg.games_per_round;
    std::vector<GameOutcome> outcomes(static_cast<size_t>(G));
    const Model& frozen = model;  // games read the network; training waits for the round
    // Restarts: some games start from one of the agent's own best schemes (or, for block restarts,
    // the standard algorithm) with some of its terms removed, instead of from T: the tree then
    // looks for a shorter way to finish a game it has played (restarts.hpp has the two laws).
    // Drawn here, in order, so runs stay deterministic.
    std::vector<std::optional<Scheme>> prefixes(static_cast<size_t>(G));
    std::vector<int> allowed(static_cast<size_t>(G), 0);
    for (int g = 0; g < G; ++g) {
      const std::size_t which = std::size_t((st.round * G + g) % std::int64_t(shapes.size()));
      const Shape& shape = shapes[which];
      if (!(rng.uniform() < cfg.restart_share)) continue;
      const std::vector<const Elite*> mine = elites_of(st, shape);
      if (mine.empty()) continue;
      const Elite& e = *mine[std::size_t(rng.next() % mine.size())];
      std::optional<RestartStart> start;
      if (cfg.restart_block_share > 0 && rng.uniform() < cfg.restart_block_share)
        start = remove_block(shape, rng.below(2) ? standard[which] : most_aligned(mine)->moves, rng);
      if (!start) start = remove_random_terms(shape, model.enc, e.moves, cfg.restart_max_removed, rng);
      prefixes[size_t(g)] = game::moves_to_scheme(shape, model.enc.field, start->kept);
      allowed[size_t(g)] = start->removed;
    }
#pragma omp parallel for num_threads(cfg.threads) schedule(dynamic, 1)
    for (int g = 0; g < G; ++g) {
      const Shape& shape = shapes[std::size_t((st.round * G + g) % std::int64_t(shapes.size()))];
      const Scheme* prefix = prefixes[size_t(g)] ? &*prefixes[size_t(g)] : nullptr;
      outcomes[size_t(g)] =
          play_game(frozen, shape, cfg, mix(cfg.seed, std::uint64_t(st.round), std::uint64_t(g)), prefix, allowed[size_t(g)]);
    }
    if (stopped()) break;  // an interrupted round's games are incomplete: not used
    std::map<std::string, std::pair<double, int>> sums;
    for (GameOutcome& o : outcomes) {
      for (Example& ex : o.records) replay.add(std::move(ex));
      if (o.committed_total != INT_MAX && !prefixes[size_t(&o - outcomes.data())]) {
        auto& [sum, n] = sums[o.shape.str()];
        sum += o.committed_total;
        ++n;
      }
      if (o.best && offer_elite(st, *o.best, model.enc, cfg.elites_per_shape, cfg.restart_block_share > 0, rng))
        log("self-play round " + std::to_string(st.round) + ": " + o.shape.str() + " rank " +
            std::to_string(o.best_rank) + " (verified; step " + std::to_string(st.step) + ")");
    }
    for (const auto& [name, sn] : sums) game_mean[name] = sn.first / sn.second;
    st.games += G;
    ++st.round;
    for (int s = 0; s < cfg.steps_per_round && !stopped() && fraction() < 1.0; ++s) {
      train_step(true);
      report(false);
    }
    report(false);
  }

  sync_times();
  result.interrupted = stopped();
  report(true);
  save(cfg.model_path);
  log("saved " + cfg.model_path + " (step " + std::to_string(st.step) + ", " + std::to_string(st.games) + " games)");
  if (!cfg.export_path.empty()) {
    Model copy = model;
    copy.train.has_adam = false;
    copy.train.adam.reset(0);
    save_model(cfg.export_path, copy);
    log("exported " + cfg.export_path + " (no optimizer state: for search, or to resume with fresh Adam moments)");
  }
  result.steps = st.step - step0;
  result.games = st.games - games0;
  result.wall_s = wall_now();
  result.cpu_s = process_cpu_seconds() - cpu0;
  result.best_rank = st.best_rank;
  return result;
}

}  // namespace fmm::learn
