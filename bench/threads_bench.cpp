// threads_bench.cpp: the engine on 1, 2 and every thread (parallel/thread_pool.h), natively
// and as a wasm -pthread module under node (the same source; bench/README.md, "Threads").
//
//   threads_bench [--reps N] [--threads-max T]
//
// Two cases, each timed best-of-reps (the least disturbed run on a shared machine):
// - matmul 1024³: gemm_4x8_parallel (packing A and B, then the packed GEMM split by panels of
//   C), GF/s = 2·1024³ / time;
// - the MNIST net's training step (ConvNetJS's net at 28×28, the cnn lab's Fashion set-up:
//   conv 8 5×5 same, relu, pool 2, conv 16 5×5 same, relu, pool 2, dense 10), batch 32:
//   Network::TrainStep plus Adam's step.
// Each line also checks that the result has the 1-thread bits (it must: threads split only
// outputs); a difference prints MISMATCH and exits 1. On 1 thread the pool's profiler splits
// the CPU time into the part inside regions that split (P) and the serial rest (S); Amdahl's
// law then says what N cores would give by the same split: (S + P) / (S + P/N).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/gemm.h"
#include "kernels/gemm_parallel.h"
#include "nn/network.h"
#include "nn/optimizer.h"
#include "ops/rng.h"
#include "parallel/thread_pool.h"

namespace {

using nnplay::Pcg32;

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<float> Random(size_t n, uint64_t seed) {
  Pcg32 rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = 2.0f * rng.NextFloat01() - 1.0f;
  return v;
}

struct Timing {
  double best = 0;  // seconds
  // On 1 thread, of the run with the least CPU time: its CPU time and the part inside the
  // regions that split (ThreadPool::set_profiling).
  double cpu = 0, parallel_cpu = 0;
  std::vector<float> result;
};

// Times run() reps times (after `warm` untimed runs) on pool; on a pool of 1 also profiles.
template <typename F>
Timing Time(nnplay::ThreadPool* pool, int warm, int reps, F run) {
  Timing t;
  t.best = t.cpu = 1e30;
  const bool profile = pool->threads() == 1;
  for (int r = 0; r < warm + reps; ++r) {
    pool->set_profiling(profile);
    const long long c0 = nnplay::ThreadPoolCpuNs();
    const double t0 = Now();
    run();
    const double dt = Now() - t0;
    const double cpu = static_cast<double>(nnplay::ThreadPoolCpuNs() - c0) * 1e-9;
    const double par = pool->profiled_seconds();
    pool->set_profiling(false);
    if (r < warm) continue;
    t.best = std::min(t.best, dt);
    if (cpu < t.cpu) {
      t.cpu = cpu;
      t.parallel_cpu = par;
    }
  }
  return t;
}

Timing Matmul(int threads, int reps) {
  const int n = 1024;
  static const std::vector<float> a = Random(static_cast<size_t>(n) * n, 1);
  static const std::vector<float> b = Random(static_cast<size_t>(n) * n, 2);
  std::vector<float> c(static_cast<size_t>(n) * n), ws(nnplay::gemm_workspace_size(n, n, n));
  nnplay::ThreadPool pool(threads);
  // The first run warms the pool and the caches.
  Timing t = Time(&pool, 1, reps, [&] {
    nnplay::gemm_4x8_parallel(n, n, n, a.data(), n, b.data(), n, nullptr, c.data(), n, ws.data(),
                              &pool);
  });
  t.result = c;
  return t;
}

Timing MnistStep(int threads, int reps) {
  constexpr int kBatch = 32;
  nnplay::SetEngineThreads(threads);
  nnplay::Network net;
  net.AddConv2d(8, 5, 1, 2).AddReLU().AddMaxPool2d(2);
  net.AddConv2d(16, 5, 1, 2).AddReLU().AddMaxPool2d(2);
  net.AddFlatten().AddDense(10).SetLoss(nnplay::LossKind::kSoftmaxCrossEntropy);
  if (!net.Build({1, 28, 28}, kBatch).empty()) std::exit(2);
  net.InitParams(2026);
  nnplay::Adam adam(0.002f);
  adam.Build(net);
  Pcg32 rng(77);
  std::vector<float> x(static_cast<size_t>(kBatch) * 28 * 28);
  std::vector<int> y(kBatch);
  for (float& v : x) v = rng.NextFloat01();
  for (int& c : y) c = static_cast<int>(rng.NextFloat01() * 10.0f) % 10;
  Timing t = Time(&nnplay::EnginePool(), 2, reps, [&] {
    net.TrainStep(x.data(), y.data(), kBatch);
    adam.Step(&net);
  });
  t.result.assign(net.params(), net.params() + net.param_count());
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 10, max_threads = nnplay::ThreadPool::HardwareThreads();
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--reps")) reps = std::max(1, std::atoi(argv[i + 1]));
    if (!std::strcmp(argv[i], "--threads-max")) max_threads = std::max(1, std::atoi(argv[i + 1]));
  }
  std::vector<int> counts = {1};
  if (nnplay::ThreadPool::ThreadsAvailable()) {
    if (max_threads >= 2) counts.push_back(2);
    if (max_threads > 2) counts.push_back(max_threads);
  }
#if defined(__EMSCRIPTEN__)
  const char* where = "wasm -pthread (node)";
#else
  const char* where = "native";
#endif
  std::printf("threads_bench: %s, %d hardware threads, best of %d\n", where,
              nnplay::ThreadPool::HardwareThreads(), reps);
  std::printf("| case | threads | time | rate | speed-up | bits as 1 thread |\n");
  std::printf("|---|---:|---:|---:|---:|---|\n");
  bool ok = true;
  std::string amdahl;
  for (int which = 0; which < 2; ++which) {
    const char* name = which == 0 ? "matmul 1024³" : "MNIST net train step, batch 32";
    double t1 = 0, t2 = 0, cpu1 = 0, par1 = 0;
    std::vector<float> bits1;
    for (int threads : counts) {
      const Timing t = which == 0 ? Matmul(threads, reps) : MnistStep(threads, reps);
      if (threads == 1) {
        t1 = t.best;
        cpu1 = t.cpu;
        par1 = t.parallel_cpu;
        bits1 = t.result;
      }
      if (threads == 2) t2 = t.best;
      const bool same = t.result.size() == bits1.size() &&
                        !std::memcmp(t.result.data(), bits1.data(), bits1.size() * sizeof(float));
      ok = ok && same;
      char rate[64];
      if (which == 0)
        std::snprintf(rate, sizeof rate, "%.1f GF/s", 2.0 * 1024 * 1024 * 1024 / t.best / 1e9);
      else
        std::snprintf(rate, sizeof rate, "%.0f steps/s", 1.0 / t.best);
      std::printf("| %s | %d | %.2f ms | %s | %.2f× | %s |\n", name, threads, t.best * 1e3, rate,
                  t1 / t.best, same ? "yes" : "MISMATCH");
    }
    {
      // Measured on 1 thread (CPU time, so a loaded machine inflates it less than wall time):
      // P inside the regions that split, S = the rest; N cores: S + P/N (perfect balance).
      const double s = cpu1 > 0 ? std::max(0.0, cpu1 - par1) / cpu1 : 0.0;
      char line[400];
      std::snprintf(line, sizeof line,
                    "%s: 1 thread %.2f ms CPU, of which serial %.3f ms (%.1f %%), split %.2f ms; "
                    "by Amdahl 2 cores %.2fx, 4 cores %.2fx, 8 cores %.2fx\n",
                    name, cpu1 * 1e3, (cpu1 - par1) * 1e3, 100.0 * s, par1 * 1e3,
                    1.0 / (s + (1.0 - s) / 2), 1.0 / (s + (1.0 - s) / 4),
                    1.0 / (s + (1.0 - s) / 8));
      amdahl += line;
      if (t2 > 0) {
        std::snprintf(line, sizeof line, "%s: measured 2 threads %.2fx (wall, best of reps)\n",
                      name, t1 / t2);
        amdahl += line;
      }
    }
  }
  std::printf("\n%s", amdahl.c_str());
  return ok ? 0 : 1;
}
