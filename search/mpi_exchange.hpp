// Spreads a flip-graph search over MPI ranks without touching the walk loop: MpiExchange is a
// Progress decorator, and at each update() (called from the coordinating thread between epochs)
// it sends the pool's new best schemes to every other rank and offers what has arrived into the
// local Pool (which verifies), so walkers behind restart from them: a lower rank found anywhere
// seeds restarts everywhere. A rank that stops (target, time limit, signal) tells the others,
// which stop too. Only built when MPI is found (FMM_HAVE_MPI); see search/mpi.cmake.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "search/pool.hpp"
#include "search/progress.hpp"

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
  bool thread_multiple() const { return thread_multiple_; }
  // Sum of `value` over all ranks (collective); `value` itself when inactive.
  std::uint64_t sum(std::uint64_t value) const;
  // Ends every rank (an error on one rank must not leave the others waiting).
  [[noreturn]] void abort(int code) const;

 private:
  bool active_ = false, thread_multiple_ = false;
  int rank_ = 0, size_ = 1;
};

class MpiExchange : public Progress {
 public:
  // `on_received_best` is called (coordinating thread) when a received scheme becomes the
  // pool's best for its field: rank 0 saves it as a result.
  MpiExchange(Progress& inner, Pool& pool, Field field, const MpiSession& session,
              std::function<void(const Scheme&, const std::string&)> on_received_best = {});
  ~MpiExchange() override;

  void update(const ProgressStats& stats) override;
  void improved(const Scheme& s, const std::string& found_by, double elapsed_s) override;
  void log(const std::string& line) override;

  // After the run: sends the last bests, tells the peers to stop, and receives everything the
  // peers sent (message counts are exchanged first, so nothing is left in flight). Collective.
  void finish();
  // True when this rank stopped because a peer told it to (not a signal).
  bool stopped_by_peer() const { return stopped_by_peer_.load(); }
  std::uint64_t schemes_received() const { return schemes_received_total_; }

 private:
  void send_new_bests();
  void send_to_all(int tag, const std::string& payload);
  void receive_available(bool blocking_until_counts);
  void handle_scheme(int source, const std::string& text);
  void report_received();
  void watch_for_stop();

  Progress& inner_;
  Pool& pool_;
  Field field_;
  int rank_, size_;
  std::function<void(const Scheme&, const std::string&)> on_received_best_;
  std::set<std::uint64_t> known_;               // fingerprints sent or received
  std::vector<std::string*> send_buffers_;      // alive until their requests complete
  std::vector<void*> send_requests_;            // MPI_Request*, opaque here
  std::vector<std::uint64_t> sent_to_;          // messages sent to each rank
  std::vector<std::atomic<std::uint64_t>> received_from_;  // messages received from each rank
  std::vector<int> received_schemes_since_report_;
  std::uint64_t schemes_received_total_ = 0;
  std::atomic<bool> stopped_by_peer_{false}, watcher_quit_{false};
  std::thread watcher_;
  bool finished_ = false;
};

}  // namespace fmm::search
