// MPI exchange of best schemes between ranks; see mpi_exchange.hpp.
#include "search/mpi_exchange.hpp"

#include <mpi.h>

#include <chrono>
#include <cstdlib>
#include <sstream>

#include "search/thread_pool.hpp"
#include "tensor/error.hpp"
#include "tensor/formats/format.hpp"

namespace fmm::search {
namespace {

constexpr int kTagScheme = 101;  // payload: one scheme in the native text format
constexpr int kTagStop = 102;    // payload: empty; the sender's run has ended

MPI_Request* as_request(void* p) { return static_cast<MPI_Request*>(p); }

std::string receive_message(const MPI_Status& probed) {
  int count = 0;
  MPI_Get_count(&probed, MPI_CHAR, &count);
  std::string text(static_cast<std::size_t>(count), '\0');
  MPI_Recv(text.data(), count, MPI_CHAR, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return text;
}

}  // namespace

bool launched_under_mpi() { return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE"); }

MpiSession::MpiSession(int* argc, char*** argv) {
  if (!launched_under_mpi()) return;
  int provided = 0;
  if (MPI_Init_thread(argc, argv, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS)
    throw Error("MPI_Init_thread failed");
  active_ = true;
  thread_multiple_ = provided >= MPI_THREAD_MULTIPLE;
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

MpiExchange::MpiExchange(Progress& inner, Pool& pool, Field field, const MpiSession& session,
                         std::function<void(const Scheme&, const std::string&)> on_received_best)
    : inner_(inner),
      pool_(pool),
      field_(field),
      rank_(session.rank()),
      size_(session.size()),
      on_received_best_(std::move(on_received_best)),
      sent_to_(static_cast<std::size_t>(size_), 0),
      received_from_(static_cast<std::size_t>(size_)),
      received_schemes_since_report_(static_cast<std::size_t>(size_), 0) {
  for (auto& r : received_from_) r.store(0);
  // A peer's stop must reach walkers in the middle of a long epoch, when the coordinating
  // thread is busy walking: a watcher thread polls for it (needs MPI_THREAD_MULTIPLE).
  if (session.thread_multiple() && size_ > 1) watcher_ = std::thread([this] { watch_for_stop(); });
}

MpiExchange::~MpiExchange() {
  watcher_quit_ = true;
  if (watcher_.joinable()) watcher_.join();
  for (std::string* b : send_buffers_) delete b;
  for (void* r : send_requests_) delete as_request(r);
}

void MpiExchange::watch_for_stop() {
  while (!watcher_quit_.load()) {
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagStop, MPI_COMM_WORLD, &flag, &st);
    if (flag) {
      receive_message(st);
      ++received_from_[static_cast<std::size_t>(st.MPI_SOURCE)];
      stopped_by_peer_ = true;
      stop_flag() = true;
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void MpiExchange::send_to_all(int tag, const std::string& payload) {
  for (int peer = 0; peer < size_; ++peer) {
    if (peer == rank_) continue;
    auto* buffer = new std::string(payload);
    auto* request = new MPI_Request;
    MPI_Isend(buffer->data(), static_cast<int>(buffer->size()), MPI_CHAR, peer, tag, MPI_COMM_WORLD, request);
    send_buffers_.push_back(buffer);
    send_requests_.push_back(request);
    ++sent_to_[static_cast<std::size_t>(peer)];
  }
}

void MpiExchange::send_new_bests() {
  for (const PoolEntry& e : pool_.best(field_))
    if (known_.insert(e.fingerprint).second) send_to_all(kTagScheme, write_native(e.scheme));
  // Release the buffers of completed sends (keeps memory flat over long runs).
  std::size_t kept = 0;
  for (std::size_t i = 0; i < send_requests_.size(); ++i) {
    int done = 0;
    MPI_Test(as_request(send_requests_[i]), &done, MPI_STATUS_IGNORE);
    if (done) {
      delete send_buffers_[i];
      delete as_request(send_requests_[i]);
    } else {
      send_buffers_[kept] = send_buffers_[i];
      send_requests_[kept] = send_requests_[i];
      ++kept;
    }
  }
  send_buffers_.resize(kept);
  send_requests_.resize(kept);
}

void MpiExchange::handle_scheme(int source, const std::string& text) {
  const std::string found_by = "mpi rank " + std::to_string(source);
  Scheme s = parse_native(text, found_by);
  known_.insert(Pool::fingerprint(s));
  const auto before = pool_.best_rank(s.field());
  if (!pool_.offer(s, found_by, 0)) return;  // verified there; duplicates are dropped
  ++received_schemes_since_report_[static_cast<std::size_t>(source)];
  ++schemes_received_total_;
  if ((!before || s.rank() < *before) && on_received_best_) on_received_best_(s, found_by);
}

void MpiExchange::receive_available(bool /*unused*/) {
  while (true) {
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagScheme, MPI_COMM_WORLD, &flag, &st);
    if (!flag && !watcher_.joinable()) MPI_Iprobe(MPI_ANY_SOURCE, kTagStop, MPI_COMM_WORLD, &flag, &st);
    if (!flag) return;
    const std::string text = receive_message(st);
    ++received_from_[static_cast<std::size_t>(st.MPI_SOURCE)];
    if (st.MPI_TAG == kTagStop) {
      stopped_by_peer_ = true;
      stop_flag() = true;
    } else {
      handle_scheme(st.MPI_SOURCE, text);
    }
  }
}

void MpiExchange::report_received() {
  for (int k = 0; k < size_; ++k) {
    int& n = received_schemes_since_report_[static_cast<std::size_t>(k)];
    if (n > 0) log("received " + std::to_string(n) + " schemes from rank " + std::to_string(k));
    n = 0;
  }
}

void MpiExchange::update(const ProgressStats& stats) {
  if (size_ > 1) {
    receive_available(false);
    send_new_bests();
    report_received();
  }
  if (rank_ == 0) inner_.update(stats);
}

void MpiExchange::improved(const Scheme& s, const std::string& found_by, double elapsed_s) {
  if (rank_ == 0) {
    inner_.improved(s, found_by, elapsed_s);
    return;
  }
  std::ostringstream line;
  line << "best rank " << s.rank() << " (" << to_string(s.field()) << ") by " << found_by << " at " << elapsed_s
       << " s";
  log(line.str());
}

void MpiExchange::log(const std::string& line) {
  inner_.log(size_ > 1 ? "[rank " + std::to_string(rank_) + "/" + std::to_string(size_) + "] " + line : line);
}

void MpiExchange::finish() {
  if (finished_ || size_ <= 1) return;
  finished_ = true;
  watcher_quit_ = true;
  if (watcher_.joinable()) watcher_.join();
  send_new_bests();
  send_to_all(kTagStop, "");
  // Everyone learns how many messages each peer sent it, then receives exactly those.
  std::vector<std::uint64_t> expected(static_cast<std::size_t>(size_), 0);
  MPI_Alltoall(sent_to_.data(), 1, MPI_UINT64_T, expected.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
  for (int src = 0; src < size_; ++src) {
    if (src == rank_) continue;
    auto& got = received_from_[static_cast<std::size_t>(src)];
    while (got.load() < expected[static_cast<std::size_t>(src)]) {
      MPI_Status st;
      MPI_Probe(src, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
      const std::string text = receive_message(st);
      ++got;
      if (st.MPI_TAG == kTagScheme) handle_scheme(src, text);
    }
  }
  for (void* r : send_requests_) MPI_Wait(as_request(r), MPI_STATUS_IGNORE);
  for (std::string* b : send_buffers_) delete b;
  for (void* r : send_requests_) delete as_request(r);
  send_buffers_.clear();
  send_requests_.clear();
  report_received();
}

}  // namespace fmm::search
