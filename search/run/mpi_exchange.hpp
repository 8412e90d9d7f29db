// Spreads a flip-graph search over MPI ranks. Rank k of K runs walkers k, k+K, ... (each seeded
// from (seed, id) as in a one-process run). MpiEpochExchange is the EpochExchange of
// epoch_exchange.hpp over MPI: at the end of each epoch every rank posts its walkers' new bests
// in one non-blocking collective (MPI_Iallgatherv into fixed slots, one per walker) and takes
// back the previous epoch's, which have had a whole epoch to arrive; a helper thread drives the
// collective while the walkers run. Every rank thus feeds the same schemes in the same order
// into its pool: a lower rank found anywhere seeds restarts everywhere, and a run with a flip
// budget ends with the same schemes on 1, 2 or 16 ranks. A stop request (target, time limit,
// signal) travels in the same collective, so all ranks leave after the same round.
// Only built when MPI is found (FMM_HAVE_MPI); see search/mpi.cmake.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "search/run/epoch_exchange.hpp"
#include "search/run/progress.hpp"

namespace fmm::search {

// True when launched by mpirun/srun (OMPI_COMM_WORLD_SIZE or PMI_SIZE set), so a plain
// `fmm search` never initialises MPI.
bool launched_under_mpi();

// MPI_Init_thread / MPI_Finalize around a scope; does nothing unless launched_under_mpi().
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  bool active() const { return active_; }
  int rank() const { return rank_; }
  int size() const { return size_; }
  // MPI may be called from a helper thread while the main thread makes no MPI calls.
  bool thread_serialized() const { return thread_serialized_; }
  // Sum of `value` over all ranks (collective); `value` itself when inactive.
  std::uint64_t sum(std::uint64_t value) const;
  // Ends every rank (an error on one rank must not leave the others waiting).
  [[noreturn]] void abort(int code) const;

 private:
  bool active_ = false, thread_serialized_ = false;
  int rank_ = 0, size_ = 1;
};

// Rank 0 reports as usual; the other ranks' lines go to the log with a "[rank k/K]" prefix.
class MpiProgress : public Progress {
 public:
  MpiProgress(Progress& inner, const MpiSession& session) : inner_(inner), rank_(session.rank()), size_(session.size()) {}
  void update(const ProgressStats& stats) override;
  void improved(const Scheme& s, const std::string& found_by, double elapsed_s) override;
  void log(const std::string& line) override;

 private:
  Progress& inner_;
  int rank_, size_;
};

class MpiEpochExchange : public EpochExchange {
 public:
  MpiEpochExchange(const MpiSession& session, Progress& log);
  ~MpiEpochExchange() override;
  MpiEpochExchange(const MpiEpochExchange&) = delete;
  MpiEpochExchange& operator=(const MpiEpochExchange&) = delete;

  void begin(int walkers, int offset, int stride, int max_terms) override;
  EpochRound exchange(std::vector<WalkerReport> local, bool want_stop) override;
  EpochRound drain() override;
  std::vector<WalkerReport> in_flight() const override { return local_in_flight_; }
  void restore(std::vector<WalkerReport> reports) override;

  std::uint64_t rounds() const { return rounds_; }
  std::uint64_t schemes_received() const { return schemes_received_; }  // from other ranks
  double seconds_waiting() const { return seconds_waiting_; }           // blocked in MPI_Wait

 private:
  void post(const std::vector<WalkerReport>& local, bool want_stop);
  EpochRound complete();  // waits for the posted round and decodes it
  void stop_pump();

  Progress& log_;
  int rank_, size_;
  bool pump_allowed_;
  int walkers_ = 0, stride_ = 1, max_terms_ = 0;
  std::size_t slot_bytes_ = 0;
  std::vector<int> counts_, displs_;  // bytes per rank in the gathered buffer
  std::vector<unsigned char> send_, receive_;
  void* request_ = nullptr;           // MPI_Request*, opaque here
  bool posted_ = false;
  std::vector<WalkerReport> local_in_flight_, restored_;
  std::thread pump_;
  std::atomic<bool> pump_quit_{false};
  std::uint64_t rounds_ = 0, schemes_received_ = 0;
  double seconds_waiting_ = 0;
};

}  // namespace fmm::search
