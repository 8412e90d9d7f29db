// How a flip search's walkers learn of each other's finds, in a way that does not depend on how
// many processes run them. At the end of epoch e every process hands in the new bests of its
// walkers (WalkerReport) and gets back everybody's reports of epoch e - 1, in walker-id order:
// the one-epoch lag lets an MPI process post its reports without waiting (the collective
// completes while epoch e + 1 is walked), and because a one-process run keeps the same lag, the
// pool sees the same sequence of schemes with 1, 2 or 16 ranks, so a run with a flip budget ends
// with the same schemes whatever the layout (issue #6). LocalExchange is the one-process case;
// MpiEpochExchange (mpi_exchange.hpp) gathers over MPI ranks.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "search/run/checkpoint.hpp"  // PackedTerm, WalkerReport

namespace fmm::search {

// What every process handed in for one epoch.
struct EpochRound {
  std::vector<WalkerReport> reports;  // sorted by walker id
  bool stop = false;                  // some process asked to end the run
};

class EpochExchange {
 public:
  virtual ~EpochExchange() = default;
  // Called once before the first epoch with the run's layout: `walkers` in all, this process
  // runs ids offset, offset + stride, ...; no walker's scheme has more than `max_terms` terms.
  virtual void begin(int walkers, int offset, int stride, int max_terms) = 0;
  // Hands in this process's reports for the epoch just ended (and whether it wants to stop);
  // returns the previous round (empty before the first).
  virtual EpochRound exchange(std::vector<WalkerReport> local, bool want_stop) = 0;
  // Completes the round still in flight (after the last exchange()).
  virtual EpochRound drain() = 0;
  // The reports handed in last, not yet returned: a checkpoint keeps them so that a resumed
  // run sees them when an uninterrupted one would. restore() puts them back in flight.
  virtual std::vector<WalkerReport> in_flight() const = 0;
  virtual void restore(std::vector<WalkerReport> reports) = 0;
};

// One process: a round comes back one exchange() later, exactly as over MPI.
class LocalExchange : public EpochExchange {
 public:
  void begin(int, int, int, int) override {}
  EpochRound exchange(std::vector<WalkerReport> local, bool want_stop) override {
    EpochRound previous = std::move(pending_);
    pending_ = EpochRound{std::move(local), want_stop};
    return previous;
  }
  EpochRound drain() override { return std::exchange(pending_, EpochRound{}); }
  std::vector<WalkerReport> in_flight() const override { return pending_.reports; }
  void restore(std::vector<WalkerReport> reports) override { pending_ = EpochRound{std::move(reports), false}; }

 private:
  EpochRound pending_;
};

}  // namespace fmm::search
