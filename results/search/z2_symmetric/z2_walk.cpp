// A flip walk on transpose-symmetric schemes of <n,m,n> over GF(2): an experiment (README.md in
// this folder), not part of fmm. Build against an fmm build tree:
//   g++ -std=c++20 -O2 -march=native -fopenmp -I. results/search/z2_symmetric/z2_walk.cpp \
//     build-dev/search/libfmm_search.a build-dev/tensor/libfmm_tensor.a -lm4ri -lz -o /tmp/z2_walk
//   /tmp/z2_walk N M SECONDS [walkers=1] [seed=1] [lift_at=0] [out_dir=.] [plateau=20000] [slack=4] [from=FILE]
//
// Why. (AB)^T = B^T A^T, so the tensor of <n,m,n> (fmm's convention: u on A's n x m entries, v
// on B's m x n, w on C's n x n, C = AB) is invariant under
//     sigma(u, v, w) = (v^T, u^T, w^T),
// an involution. Moosbauer and Poole (arXiv 2502.04514) walk schemes invariant under the cyclic
// symmetry of <n,n,n> and reach ranks the plain walk does not (<5,5,5> 93, <6,6,6> 153); this
// walk does the same with sigma for the formats with two equal dimensions (every permutation of
// (n, n, m) is equivalent to <n,m,n>), none of which the cyclic walk covers.
//
// A sigma-invariant scheme is a set of pairs {t, sigma t} and fixed terms x (x) x^T (x) S with S
// symmetric. Moves, each keeping the scheme invariant and its sum unchanged (over GF(2)):
//  * pair flip: a Kauers-Moosbauer flip on two terms t, t' of different pairs, and the same flip
//    mirrored on sigma t, sigma t' (the images share the mirrored factor: a valid flip again);
//  * pair self-flip: t = a (x) b (x) S and its image share w (S symmetric); a b S + b^T a^T S =
//    (a + b^T) b S + its image = a (b + a^T) S + its image;
//  * fixed flip: t = x (x) b (x) c shares u with the fixed k = x (x) x^T (x) S; then
//        k + t + sigma t = x (x) x^T (x) (S + c + c^T) + x (x) (b + x^T) (x) c + its image
//    (the two x (x) x^T (x) c terms and the two with c^T cancel), so k stays fixed;
//  * reductions: two terms of different pairs sharing two factors merge (with their images:
//    rank - 2); t and sigma t sharing u and v merge into the fixed x (x) x^T (x) (c + c^T)
//    (rank - 1); two fixed terms sharing u (hence v) merge (rank - 1); a fixed term and a pair
//    sharing u and v merge into one fixed term (rank - 2); a zero factor drops a term;
//  * plus transition (Arai, Ichikawa, Hukushima 2024): a b c + a' b' c' = (a + a') b c + a' b c +
//    a' b' c', mirrored (rank + 2), after `plateau` flips without a lower rank, while the rank
//    stays within `slack` of the walker's best; else the walker returns to its best scheme.
// Every new best is checked by fmm's verifier over GF(2) (a broken move would show there first),
// and from `lift_at` down lifted to Z by fmm's lift (the Z scheme need not be invariant).
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "search/flip/flip_terms.hpp"
#include "search/lift/lift.hpp"
#include "tensor/builtin.hpp"
#include "tensor/formats/format.hpp"
#include "tensor/scheme.hpp"
#include "tensor/splitmix64.hpp"
#include "tensor/error.hpp"
#include "tensor/verify.hpp"

namespace {

using u64 = std::uint64_t;

int N, M;  // the format <N,M,N>
bool debug = false;  // Z2_DEBUG=1: verify after every move (small formats only)
const char* last_move = "";

// Transposes of factor bit masks: u (N x M, bit i*M+j) <-> v layout (M x N, bit j*N+i); w (N x N).
u64 transpose(u64 x, int rows, int cols) {
  u64 y = 0;
  while (x) {
    const int b = __builtin_ctzll(x);
    x &= x - 1;
    y |= u64{1} << ((b % cols) * rows + b / cols);
  }
  return y;
}

// fmm's bit-packed GF(2) term (search/flip/flip_graph.hpp): bit x of a factor is entry x of its
// u, v or w; converted to and from schemes by search/flip/flip_terms.hpp.
using Term = fmm::search::FlipTerm<fmm::search::Gf2>;

Term mirror_of(const Term& t) {
  return {{transpose(t.f[1], M, N), transpose(t.f[0], N, M), transpose(t.f[2], N, N)}};
}

bool same(const Term& a, const Term& b) { return a.f[0] == b.f[0] && a.f[1] == b.f[1] && a.f[2] == b.f[2]; }

struct Walker {
  std::vector<Term> t;
  std::vector<int> mir;  // index of the image; itself for a fixed term
  fmm::SplitMix64 rng{1};

  u64 next() { return rng.next(); }
  int below(int k) { return static_cast<int>((next() >> 32) * static_cast<u64>(k) >> 32); }
  int rank() const { return static_cast<int>(t.size()); }
  bool fixed(int i) const { return mir[i] == i; }

  // Removes term i (only; the caller keeps pairs consistent), fixing the moved term's partner.
  void erase(int i) {
    const int last = rank() - 1;
    if (i != last) {
      t[i] = t[last];
      mir[i] = mir[last] == last ? i : mir[last];
      if (mir[i] != i) mir[mir[i]] = i;
    }
    t.pop_back();
    mir.pop_back();
  }
  // Removes the pair or fixed term of i.
  void erase_orbit(int i) {
    const int j = mir[i];
    if (j == i) return erase(i);
    erase(std::max(i, j));
    erase(std::min(i, j));
  }
  void set_pair(int i, const Term& x) {
    t[i] = x;
    t[mir[i]] = mirror_of(x);
  }

  // One reduction involving term i if there is one; true when something changed.
  bool reduce_at(int i) {
    if (i >= rank()) return false;
    for (int s = 0; s < 3; ++s)
      if (t[i].f[s] == 0) {
        erase_orbit(i);
        return true;
      }
    if (fixed(i)) {
      // Three fixed terms with one w whose x's sum to zero are a pair:
      // x x^T + y y^T + (x+y)(x+y)^T = x y^T + y x^T (rank - 1).
      for (int j = 0; j < rank(); ++j) {
        if (j == i || !fixed(j) || t[j].f[2] != t[i].f[2]) continue;
        const u64 z = t[i].f[0] ^ t[j].f[0];
        for (int k = 0; k < rank(); ++k) {
          if (k == i || k == j || !fixed(k) || t[k].f[2] != t[i].f[2] || t[k].f[0] != z) continue;
          const Term pair{{t[i].f[0], transpose(t[j].f[0], N, M), t[i].f[2]}};
          int idx[3] = {i, j, k};
          std::sort(idx, idx + 3);
          for (int q = 2; q >= 0; --q) erase(idx[q]);
          const int r = rank();
          t.push_back(pair);
          t.push_back(mirror_of(pair));
          mir.push_back(r + 1);
          mir.push_back(r);
          return true;
        }
      }
    }
    for (int j = 0; j < rank(); ++j) {
      if (j == i) continue;
      int shared = 0, other = -1;
      for (int s = 0; s < 3; ++s) {
        if (t[i].f[s] == t[j].f[s]) ++shared;
        else other = s;
      }
      if (shared < 2) continue;
      if (shared == 3) {  // equal terms cancel over GF(2)
        if (fixed(i) && fixed(j)) {
          erase(std::max(i, j));
          erase(std::min(i, j));
          return true;
        }
        if (!fixed(i) && mir[i] == j) {  // a pair term equal to its image: they cancel
          erase_orbit(i);
          return true;
        }
        if (!fixed(i) && !fixed(j)) {
          const int a = mir[i], b = mir[j];
          int idx[4] = {i, j, a, b};
          std::sort(idx, idx + 4);
          for (int q = 3; q >= 0; --q) erase(idx[q]);
          return true;
        }
        continue;
      }
      if (fixed(i) && fixed(j)) {
        if (other != 2) continue;  // fixed terms sharing u share v: merge along w
        t[i].f[2] ^= t[j].f[2];
        erase(j);
        return true;
      }
      if (!fixed(i) && !fixed(j)) {
        if (mir[i] == j) {
          if (other != 2) continue;  // t, sigma t sharing u and v: a fixed term
          Term x = t[i];
          x.f[2] ^= t[j].f[2];
          const int keep = std::min(i, j);
          erase(std::max(i, j));
          t[keep] = x;
          mir[keep] = keep;
          return true;
        }
        Term x = t[i];
        x.f[other] ^= t[j].f[other];
        set_pair(i, x);
        erase_orbit(j);
        return true;
      }
      // One fixed, one of a pair: merge the three when the pair term shares u and v.
      const int k = fixed(i) ? i : j, p = fixed(i) ? j : i;
      if (other != 2) continue;
      t[k].f[2] ^= t[p].f[2] ^ transpose(t[p].f[2], N, N);
      erase_orbit(p);
      return true;
    }
    return false;
  }
  void reduce(const std::vector<int>& changed) {
    // Indices move when terms go, so after any reduction scan everything again (rare).
    bool any = false;
    for (int i : changed) {
      if (reduce_at(i)) {
        any = true;
        break;
      }
    }
    while (any) {
      any = false;
      for (int i = 0; i < rank() && !any; ++i) any = reduce_at(i);
    }
  }

  // One random flip; false when the drawn term has no partner in the drawn slot.
  bool flip() {
    const int i = below(rank());
    const int s = below(3);
    int cand[512], nc = 0;
    for (int j = 0; j < rank() && nc < 512; ++j)
      if (j != i && t[j].f[s] == t[i].f[s]) cand[nc++] = j;
    if (nc == 0) return false;
    const int j = cand[below(nc)];
    if (!fixed(i) && !fixed(j)) {
      if (mir[i] == j) {
        // A term and its own image share w = S (then symmetric): a b S + b^T a^T S is also
        // (a+b^T) b S + its image, or a (b+a^T) S + its image, a flip that keeps the pair.
        if (s != 2) return false;
        last_move = "pair self-flip";
        Term x = t[i];
        if (next() & 1) x.f[0] ^= transpose(x.f[1], M, N);
        else x.f[1] ^= transpose(x.f[0], N, M);
        set_pair(i, x);
        reduce({i, mir[i]});
        return true;
      }
      last_move = "pair flip";
      const int s1 = (s + 1) % 3, s2 = (s + 2) % 3;
      Term a = t[i], b = t[j];
      if (next() & 1) {
        a.f[s1] ^= b.f[s1];
        b.f[s2] ^= a.f[s2];
      } else {
        a.f[s2] ^= b.f[s2];
        b.f[s1] ^= a.f[s1];
      }
      set_pair(i, a);
      set_pair(j, b);
      reduce({i, j, mir[i], mir[j]});
      return true;
    }
    if (fixed(i) && fixed(j)) return false;
    if (s == 2) return false;
    int k = fixed(i) ? i : j, p = fixed(i) ? j : i;
    if (t[p].f[0] != t[k].f[0]) p = mir[p];  // the image shares u
    if (t[p].f[0] != t[k].f[0]) return false;
    last_move = "fixed flip";
    Term x = t[p];
    t[k].f[2] ^= x.f[2] ^ transpose(x.f[2], N, N);
    x.f[1] ^= t[k].f[1];
    set_pair(p, x);
    reduce({k, p, mir[p]});
    return true;
  }

  // Two fixed terms sharing w: x x^T S + y y^T S = (x+y)(x+y)^T S + {x y^T S, y x^T S} (rank + 1).
  // The only move that changes a fixed term's x: without it the fixed terms keep the start's.
  bool fixed_plus() {
    std::vector<int> fx;
    for (int i = 0; i < rank(); ++i)
      if (fixed(i)) fx.push_back(i);
    if (fx.size() < 2) return false;
    const int i = fx[below(static_cast<int>(fx.size()))];
    int cand[512], nc = 0;
    for (int j : fx)
      if (j != i && t[j].f[2] == t[i].f[2] && nc < 512) cand[nc++] = j;
    if (nc == 0) return false;
    const int j = cand[below(nc)];
    last_move = "fixed plus";
    combine_fixed(i, j);
    reduce({i, j, rank() - 1});
    return true;
  }

  // Fixed terms i, j with one w S: i becomes (x+y)(x+y)^T S, j and a new last term the pair.
  void combine_fixed(int i, int j) {
    const u64 x = t[i].f[0], y = t[j].f[0], S = t[i].f[2];
    t[i].f[0] = x ^ y;
    t[i].f[1] = transpose(x ^ y, N, M);
    const Term pair{{x, transpose(y, N, M), S}};
    t[j] = pair;
    const int r = rank();
    t.push_back(mirror_of(pair));
    mir[j] = r;
    mir.push_back(j);
  }

  // A pair whose w is symmetric: a b S + b^T a^T S = (a+b^T)(a+b^T)^T S + a a^T S + b^T b S
  // (rank + 1): three fixed terms, the move that creates fixed terms with new x's.
  bool split_pair() {
    int cand[512], nc = 0;
    for (int i = 0; i < rank() && nc < 512; ++i)
      if (!fixed(i) && i < mir[i] && transpose(t[i].f[2], N, N) == t[i].f[2]) cand[nc++] = i;
    if (nc == 0) return false;
    const int i = cand[below(nc)];
    last_move = "split pair";
    const u64 a = t[i].f[0], bt = transpose(t[i].f[1], M, N), S = t[i].f[2];
    erase_orbit(i);
    for (u64 x : {a ^ bt, a, bt}) {
      if (x == 0) continue;
      const int r = rank();
      t.push_back({{x, transpose(x, N, M), S}});
      mir.push_back(r);
    }
    return true;  // no reduce(): the three-fixed-terms reduction would undo it at once
  }

  // Start option: within each group of fixed terms with one w, replace two by one fixed term and
  // a pair (`fixed plus`) until one is left (rank + 1 each): starts with few fixed terms.
  void gather_fixed() {
    for (bool again = true; again;) {
      again = false;
      for (int i = 0; i < rank() && !again; ++i) {
        if (!fixed(i)) continue;
        for (int j = i + 1; j < rank() && !again; ++j) {
          if (!fixed(j) || t[j].f[2] != t[i].f[2]) continue;
          combine_fixed(i, j);
          again = true;
        }
      }
    }
  }

  void plus() {
    const u64 kind = next() & 7;
    if (kind == 0 && fixed_plus()) return;
    if (kind == 1 && split_pair()) return;
    std::vector<int> pairs;
    for (int i = 0; i < rank(); ++i)
      if (!fixed(i)) pairs.push_back(i);
    if (pairs.size() < 4) return;
    const int i = pairs[below(static_cast<int>(pairs.size()))];
    int j;
    do j = pairs[below(static_cast<int>(pairs.size()))];
    while (j == i || j == mir[i]);
    // a b c + a' b' c' = (a+a') b c + a' (b+b') c + a' b' (c+c'), in a random rotation of the
    // slots: the three share one factor each, so none reduces at once.
    last_move = "pair plus";
    const int s = below(3), s1 = (s + 1) % 3, s2 = (s + 2) % 3;
    Term a = t[i], b = t[j], fresh = t[i];
    a.f[s] ^= t[j].f[s];
    fresh.f[s] = t[j].f[s];
    fresh.f[s1] ^= t[j].f[s1];
    b.f[s2] ^= t[i].f[s2];
    set_pair(i, a);
    set_pair(j, b);
    const int r = rank();
    t.push_back(fresh);
    t.push_back(mirror_of(fresh));
    mir.push_back(r + 1);
    mir.push_back(r);
    if (same(t[r], t[r + 1])) {  // a pair term equal to its image: the two cancel
      erase(r + 1);
      erase(r);
    }
    if (debug) check("in");
    last_move = "reduction after a pair plus";
    reduce({i, mir[i], j, mir[j], r, rank() - 1});
  }

  fmm::Scheme scheme() const { return fmm::search::to_scheme(fmm::Shape{N, M, N}, t); }

  // Stops the program when the scheme no longer holds (Z2_DEBUG: after every move).
  void check(const char* when) const {
    if (fmm::verify(scheme(), fmm::Field::GF2).ok) return;
    std::fprintf(stderr, "BUG %s %s\n", when, last_move);
    std::exit(3);
  }
};

// A start: a scheme of <N,M,N> over GF(2), sigma-invariant term for term (the standard algorithm
// is: the image of e_ij (x) e_jk (x) e_ik is e_kj (x) e_ji (x) e_ki, its fixed terms those with i = k).
Walker from_scheme(const fmm::Scheme& s, u64 seed) {
  if (!(s.shape() == fmm::Shape{N, M, N})) throw fmm::Error("start is not <N,M,N>");
  fmm::require_verified(s, "start");
  Walker w;
  w.rng.s = seed;
  w.t = fmm::search::gf2_terms(s);
  w.mir.assign(w.rank(), -1);
  for (int i = 0; i < w.rank(); ++i) {
    const Term img = mirror_of(w.t[i]);
    for (int j = 0; j < w.rank(); ++j)
      if (same(w.t[j], img)) w.mir[i] = j;
    if (w.mir[i] < 0) throw fmm::Error("start is not invariant under (u,v,w) -> (v^T,u^T,w^T)");
  }
  return w;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: z2_walk N M SECONDS [walkers=1] [seed=1] [lift_at=0] [out_dir=.] [plateau=20000] [slack=4] [from=FILE]\n");
    return 2;
  }
  N = std::atoi(argv[1]);
  M = std::atoi(argv[2]);
  const double seconds = std::atof(argv[3]);
  const int walkers = argc > 4 ? std::atoi(argv[4]) : 1;
  const u64 seed = argc > 5 ? std::strtoull(argv[5], nullptr, 10) : 1;
  const int lift_at = argc > 6 ? std::atoi(argv[6]) : 0;
  const std::string out_dir = argc > 7 ? argv[7] : ".";
  const u64 plateau = argc > 8 ? std::strtoull(argv[8], nullptr, 10) : 20000;
  const int slack = argc > 9 ? std::atoi(argv[9]) : 4;
  const std::string from = argc > 10 ? argv[10] : "";
  if (N < 1 || M < 1 || N * M > 64 || N * N > 64) {
    std::fprintf(stderr, "z2_walk: need N*M <= 64 and N*N <= 64\n");
    return 2;
  }
  debug = std::getenv("Z2_DEBUG") != nullptr;
  const auto t0 = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  std::atomic<int> best_gf2{1 << 30}, best_z{1 << 30};
  std::atomic<u64> total_flips{0};
  std::mutex io;
#pragma omp parallel num_threads(walkers)
  {
    const int id = omp_get_thread_num();
    u64 s = seed * 0x9E3779B97F4A7C15ull + static_cast<u64>(id) + 1;
    fmm::SplitMix64 mix{s};
    const u64 wseed = mix.next();
    Walker w = from_scheme(from.empty() ? fmm::standard_scheme(fmm::Shape{N, M, N})
                                        : fmm::read_one_scheme(from, fmm::Field::GF2),
                           wseed);
    if (std::getenv("Z2_GATHER")) w.gather_fixed();
    w.reduce({});
    Walker best = w;
    u64 since = 0, flips = 0, returns = 0, pluses = 0;
    int lifted_at = 1 << 30;
    while (elapsed() < seconds) {
      for (int step = 0; step < 4096; ++step) {
        const int before = w.rank();
        if (w.flip()) ++flips;
        if (debug) w.check("after");
        if (w.rank() < before) {
          since = 0;
          if (w.rank() <= best.rank()) ++returns;
        }
        else ++since;
        if (w.rank() < best.rank()) {
          best = w;
          since = 0;
        }
        if (since > plateau) {
          since = 0;
          if (w.rank() + 2 <= best.rank() + slack) {
            w.plus();
            ++pluses;
            if (debug) w.check("after");
          }
          else w = best;
        }
      }
      if (best.rank() < best_gf2.load() || (best.rank() <= lift_at && best.rank() < lifted_at)) {
        const fmm::Scheme g = best.scheme();
        const fmm::VerifyResult vr = fmm::verify(g, fmm::Field::GF2);
        if (!vr.ok) {
          std::lock_guard<std::mutex> lock(io);
          std::fprintf(stderr, "BUG: walker %d holds an invalid scheme of rank %d\n", id, best.rank());
          std::exit(3);
        }
        int fixed = 0;
        for (int i = 0; i < best.rank(); ++i) fixed += best.fixed(i);
        int prev = best_gf2.load();
        while (best.rank() < prev && !best_gf2.compare_exchange_weak(prev, best.rank())) {}
        {
          std::lock_guard<std::mutex> lock(io);
          std::printf("[%8.1fs] walker %d: rank %d over GF2 (%d fixed terms, %d pairs), %llu flips\n", elapsed(), id,
                      best.rank(), fixed, (best.rank() - fixed) / 2, static_cast<unsigned long long>(flips));
          std::fflush(stdout);
        }
        if (best.rank() <= lift_at && best.rank() < lifted_at) {
          lifted_at = best.rank();
          fmm::search::LiftOptions opt;
          opt.seed = s;
          opt.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
          const fmm::search::LiftResult lr = fmm::search::lift_scheme(g, opt);
          std::lock_guard<std::mutex> lock(io);
          const std::string base = out_dir + "/" + std::to_string(N) + "x" + std::to_string(M) + "x" + std::to_string(N) +
                                   "_r" + std::to_string(best.rank());
          fmm::Scheme gs = g;
          gs.set_source("z2_walk (transpose-symmetric flip walk, results/search/z2_symmetric) walker " +
                        std::to_string(id) + " seed " + std::to_string(seed));
          fmm::write_scheme_file(base + "_gf2.txt", gs, fmm::Format::Native);
          if (lr.scheme && lr.scheme->field() == fmm::Field::Z) {
            fmm::Scheme z = *lr.scheme;
            z.set_source(gs.source() + ", lifted: " + lr.report);
            fmm::write_scheme_file(base + "_z.txt", z, fmm::Format::Native);
            int pz = best_z.load();
            while (best.rank() < pz && !best_z.compare_exchange_weak(pz, best.rank())) {}
            std::printf("[%8.1fs] walker %d: rank %d lifted to Z (%s)\n", elapsed(), id, best.rank(), lr.report.c_str());
          } else {
            std::printf("[%8.1fs] walker %d: rank %d not lifted (%s)\n", elapsed(), id, best.rank(), lr.report.c_str());
          }
          std::fflush(stdout);
        }
      }
    }
    total_flips += flips;
    {
      std::lock_guard<std::mutex> lock(io);
      std::printf("walker %d: best %d, %llu flips, %llu plus transitions, %llu descents back to the best rank\n", id,
                  best.rank(), static_cast<unsigned long long>(flips), static_cast<unsigned long long>(pluses),
                  static_cast<unsigned long long>(returns));
    }
  }
  std::printf("done: <%d,%d,%d> best GF2 %d, Z %d, %llu flips in %.1f s\n", N, M, N, best_gf2.load(),
              best_z.load() == (1 << 30) ? -1 : best_z.load(), static_cast<unsigned long long>(total_flips.load()),
              elapsed());
  return 0;
}
