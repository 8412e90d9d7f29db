// MPI exchange of the walkers' new bests between ranks; see mpi_exchange.hpp.
#include "search/run/mpi_exchange.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "tensor/error.hpp"

namespace fmm::search {
namespace {

// One walker's slot in the gathered buffer: this header, then max_terms PackedTerms. All ranks
// run the same binary, so the raw layout is the same everywhere (sent as MPI_BYTE).
struct SlotHeader {
  std::int32_t walker_id = 0;
  std::int32_t term_count = -1;  // -1: the walker found nothing new this epoch
  std::int32_t stop = 0;         // the sending rank asks to end the run
  std::int32_t reserved = 0;
  double found_at_s = 0;
};

MPI_Request* as_request(void* p) { return static_cast<MPI_Request*>(p); }

using Clock = std::chrono::steady_clock;

}  // namespace

bool launched_under_mpi() { return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE"); }

MpiSession::MpiSession(int* argc, char*** argv) {
  if (!launched_under_mpi()) return;
  int provided = 0;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS)
    throw Error("MPI_Init_thread failed");
  active_ = true;
  thread_serialized_ = provided >= MPI_THREAD_SERIALIZED;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (active_) MPI_Finalize();
}

std::uint64_t MpiSession::sum(std::uint64_t value) const {
  if (!active_) return value;
  std::uint64_t total = 0;
  MPI_Allreduce(&value, &total, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  return total;
}

void MpiSession::abort(int code) const {
  if (active_) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

void MpiProgress::update(const ProgressStats& stats) {
  if (rank_ == 0) inner_.update(stats);
}

void MpiProgress::improved(const Scheme& s, const std::string& found_by, double elapsed_s) {
  if (rank_ == 0) {
    inner_.improved(s, found_by, elapsed_s);
    return;
  }
  std::ostringstream line;
  line << "best rank " << s.rank() << " (" << to_string(s.field()) << ") by " << found_by << " at " << elapsed_s
       << " s";
  log(line.str());
}

void MpiProgress::log(const std::string& line) {
  inner_.log(size_ > 1 ? "[rank " + std::to_string(rank_) + "/" + std::to_string(size_) + "] " + line : line);
}

MpiEpochExchange::MpiEpochExchange(const MpiSession& session, Progress& log)
    : log_(log), rank_(session.rank()), size_(session.size()), pump_allowed_(session.thread_serialized()) {
  request_ = new MPI_Request(MPI_REQUEST_NULL);
}

MpiEpochExchange::~MpiEpochExchange() {
  stop_pump();
  // A round still in flight here means the run ended by an exception: MPI_Abort follows, and
  // waiting could hang on a rank that is gone, so the request is left alone.
  delete as_request(request_);
}

void MpiEpochExchange::begin(int walkers, int offset, int stride, int max_terms) {
  if (offset != rank_ || stride != size_)
    throw Error("MPI walker layout mismatch: rank " + std::to_string(rank_) + " of " + std::to_string(size_) +
                " asked to run offset " + std::to_string(offset) + " stride " + std::to_string(stride));
  walkers_ = walkers;
  stride_ = stride;
  max_terms_ = max_terms;
  slot_bytes_ = sizeof(SlotHeader) + static_cast<std::size_t>(max_terms) * sizeof(PackedTerm);
  counts_.assign(static_cast<std::size_t>(size_), 0);
  displs_.assign(static_cast<std::size_t>(size_), 0);
  std::size_t total = 0;
  for (int r = 0; r < size_; ++r) {
    const std::size_t local = r < walkers ? static_cast<std::size_t>((walkers - r + stride - 1) / stride) : 0;
    const std::size_t bytes = local * slot_bytes_;
    if (total + bytes > static_cast<std::size_t>(INT_MAX))
      throw Error("too many walkers for one MPI exchange round (" + std::to_string(walkers) + " walkers of " +
                  std::to_string(max_terms) + " terms)");
    counts_[static_cast<std::size_t>(r)] = static_cast<int>(bytes);
    displs_[static_cast<std::size_t>(r)] = static_cast<int>(total);
    total += bytes;
  }
  send_.assign(static_cast<std::size_t>(counts_[static_cast<std::size_t>(rank_)]), 0);
  receive_.assign(total, 0);
}

void MpiEpochExchange::stop_pump() {
  if (!pump_.joinable()) return;
  pump_quit_ = true;
  pump_.join();
  pump_quit_ = false;
}

void MpiEpochExchange::post(const std::vector<WalkerReport>& local, bool want_stop) {
  const std::size_t slots = send_.size() / slot_bytes_;
  for (std::size_t j = 0; j < slots; ++j) {
    SlotHeader h;
    h.walker_id = static_cast<std::int32_t>(rank_ + static_cast<int>(j) * stride_);
    h.stop = want_stop ? 1 : 0;
    std::memcpy(send_.data() + j * slot_bytes_, &h, sizeof h);
  }
  for (const WalkerReport& r : local) {
    const int j = (r.walker_id - rank_) / stride_;
    if ((r.walker_id - rank_) % stride_ != 0 || j < 0 || static_cast<std::size_t>(j) >= slots)
      throw Error("walker " + std::to_string(r.walker_id) + " is not run by MPI rank " + std::to_string(rank_));
    if (r.terms.size() > static_cast<std::size_t>(max_terms_))
      throw Error("a walker's scheme has more terms than the exchange slot holds");
    unsigned char* slot = send_.data() + static_cast<std::size_t>(j) * slot_bytes_;
    SlotHeader h;
    h.walker_id = r.walker_id;
    h.term_count = static_cast<std::int32_t>(r.terms.size());
    h.stop = want_stop ? 1 : 0;
    h.found_at_s = r.found_at_s;
    std::memcpy(slot, &h, sizeof h);
    if (!r.terms.empty()) std::memcpy(slot + sizeof h, r.terms.data(), r.terms.size() * sizeof(PackedTerm));
  }
  MPI_Iallgatherv(send_.data(), static_cast<int>(send_.size()), MPI_BYTE, receive_.data(), counts_.data(),
                  displs_.data(), MPI_BYTE, MPI_COMM_WORLD, as_request(request_));
  posted_ = true;
  local_in_flight_ = local;
  // Open MPI advances a non-blocking collective only inside MPI calls: without this helper the
  // round would complete only when every rank reaches its next wait, i.e. at the slowest rank's
  // epoch end. The main thread makes no MPI call until stop_pump() (MPI_THREAD_SERIALIZED).
  if (pump_allowed_ && size_ > 1)
    pump_ = std::thread([this] {
      int done = 0;
      while (!done && !pump_quit_.load()) {
        MPI_Test(as_request(request_), &done, MPI_STATUS_IGNORE);
        if (!done) std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
    });
}

EpochRound MpiEpochExchange::complete() {
  EpochRound round;
  round.reports = std::move(restored_);
  restored_.clear();
  if (!posted_) return round;
  stop_pump();
  const auto t0 = Clock::now();
  MPI_Wait(as_request(request_), MPI_STATUS_IGNORE);  // returns at once if the pump completed it
  seconds_waiting_ += std::chrono::duration<double>(Clock::now() - t0).count();
  posted_ = false;
  local_in_flight_.clear();
  ++rounds_;
  std::vector<int> from_rank(static_cast<std::size_t>(size_), 0);
  for (int r = 0; r < size_; ++r) {
    const std::size_t slots = static_cast<std::size_t>(counts_[static_cast<std::size_t>(r)]) / slot_bytes_;
    for (std::size_t j = 0; j < slots; ++j) {
      const unsigned char* slot =
          receive_.data() + static_cast<std::size_t>(displs_[static_cast<std::size_t>(r)]) + j * slot_bytes_;
      SlotHeader h;
      std::memcpy(&h, slot, sizeof h);
      if (h.stop) round.stop = true;
      if (h.term_count < 0) continue;
      if (h.term_count > max_terms_ || h.walker_id != r + static_cast<int>(j) * stride_)
        throw Error("malformed MPI exchange slot from rank " + std::to_string(r));
      WalkerReport rep;
      rep.walker_id = h.walker_id;
      rep.found_at_s = h.found_at_s;
      rep.terms.resize(static_cast<std::size_t>(h.term_count));
      if (h.term_count > 0) std::memcpy(rep.terms.data(), slot + sizeof h, rep.terms.size() * sizeof(PackedTerm));
      round.reports.push_back(std::move(rep));
      if (r != rank_) ++from_rank[static_cast<std::size_t>(r)];
    }
  }
  std::stable_sort(round.reports.begin(), round.reports.end(),
                   [](const WalkerReport& a, const WalkerReport& b) { return a.walker_id < b.walker_id; });
  for (int r = 0; r < size_; ++r) {
    const int n = from_rank[static_cast<std::size_t>(r)];
    if (n == 0) continue;
    schemes_received_ += static_cast<std::uint64_t>(n);
    log_.log("received " + std::to_string(n) + " schemes from rank " + std::to_string(r));
  }
  return round;
}

EpochRound MpiEpochExchange::exchange(std::vector<WalkerReport> local, bool want_stop) {
  EpochRound previous = complete();
  post(local, want_stop);
  return previous;
}

EpochRound MpiEpochExchange::drain() { return complete(); }

void MpiEpochExchange::restore(std::vector<WalkerReport> reports) {
  // Only a one-rank run resumes walker by walker (other layouts resume from the pool):
  // the restored round comes back at the next exchange(), as it would have.
  restored_ = std::move(reports);
}

}  // namespace fmm::search
