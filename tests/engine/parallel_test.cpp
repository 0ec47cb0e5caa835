// parallel_test.cpp: the thread pool (parallel/thread_pool.h), the threaded GEMM
// (kernels/gemm_parallel.h) and the threaded Network: every result on 1, 2, 3 and 4 threads
// is bit-identical to the single-threaded one (compared with memcmp, not a tolerance).
//
// The same file runs natively (ASan build, and the native-tsan preset under ThreadSanitizer),
// in the wasm build without threads (every pool is inline: the comparisons still hold) and
// in the wasm -pthread build (engine_tests_mt) under node, where the threads are real.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <thread>
#include <vector>

#include "kernels/gemm.h"
#include "kernels/gemm_parallel.h"
#include "nn/network.h"
#include "nn/optimizer.h"
#include "ops/rng.h"
#include "parallel/thread_pool.h"

namespace nnplay {
namespace {

std::vector<float> Random(size_t n, uint64_t seed) {
  Pcg32 rng(seed);
  std::vector<float> v(n);
  for (float& x : v) x = 2.0f * rng.NextFloat01() - 1.0f;
  return v;
}

bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Restores the engine's thread count after a test that changes it.
class EngineThreadsGuard {
 public:
  EngineThreadsGuard() : saved_(EngineThreads()) {}
  ~EngineThreadsGuard() { SetEngineThreads(saved_); }

 private:
  int saved_;
};

// ---- the pool -------------------------------------------------------------------------------

TEST(ThreadPool, EveryChunkRunsExactlyOnceOnItsStaticWorker) {
  for (int threads = 1; threads <= 4; ++threads) {
    ThreadPool pool(threads);
    ASSERT_EQ(pool.threads(), ThreadPool::ThreadsAvailable() ? threads : 1);
    for (int n : {1, 2, 3, 5, 7, 64, 1000}) {
      std::vector<std::atomic<int>> runs(static_cast<size_t>(n));
      std::vector<int> worker_of(static_cast<size_t>(n), -1);
      for (auto& r : runs) r = 0;
      pool.ParallelFor(n, [&](int c, int w) {
        runs[static_cast<size_t>(c)]++;
        worker_of[static_cast<size_t>(c)] = w;  // each chunk written by one worker only
      });
      const int workers = pool.WorkersFor(n);
      EXPECT_EQ(workers, std::min(pool.threads(), n));
      for (int c = 0; c < n; ++c) {
        EXPECT_EQ(runs[static_cast<size_t>(c)].load(), 1) << "chunk " << c << " of " << n;
        // Worker w owns [w·n/W, (w+1)·n/W): chunk c belongs to the w with w·n/W ≤ c.
        int expect = 0;
        while (expect + 1 < workers && (expect + 1) * n / workers <= c) ++expect;
        EXPECT_EQ(worker_of[static_cast<size_t>(c)], expect) << "chunk " << c << " of " << n;
      }
    }
  }
}

TEST(ThreadPool, EmptyAndNegativeRunNothing) {
  ThreadPool pool(3);
  int calls = 0;
  pool.ParallelFor(0, [&](int, int) { ++calls; });
  pool.ParallelFor(-5, [&](int, int) { ++calls; });
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(pool.WorkersFor(0), 0);
}

TEST(ThreadPool, MaxWorkersLimitsTheWorkers) {
  ThreadPool pool(4);
  std::vector<int> worker_of(100, -1);
  pool.ParallelFor(
      100, [&](int c, int w) { worker_of[static_cast<size_t>(c)] = w; }, 2);
  const bool two = ThreadPool::ThreadsAvailable();  // else a pool of 1: all on worker 0
  for (int c = 0; c < 100; ++c)
    EXPECT_EQ(worker_of[static_cast<size_t>(c)], two && c >= 50 ? 1 : 0);
  pool.ParallelFor(
      100, [&](int c, int w) { worker_of[static_cast<size_t>(c)] = w; }, 1);
  for (int w : worker_of) EXPECT_EQ(w, 0);
}

TEST(ThreadPool, NestedCallsRunInlineAndComplete) {
  ThreadPool pool(4);
  std::vector<std::atomic<int>> runs(8 * 16);
  for (auto& r : runs) r = 0;
  pool.ParallelFor(8, [&](int outer, int) {
    pool.ParallelFor(16, [&](int inner, int w) {
      EXPECT_EQ(w, 0);  // inline: the caller is worker 0 of 1
      runs[static_cast<size_t>(outer * 16 + inner)]++;
    });
  });
  for (auto& r : runs) EXPECT_EQ(r.load(), 1);
}

TEST(ThreadPool, TwoCallersAtOnceBothComplete) {
  ThreadPool pool(3);
  std::vector<std::atomic<int>> a(500), b(500);
  for (auto& r : a) r = 0;
  for (auto& r : b) r = 0;
  auto job = [&pool](std::vector<std::atomic<int>>* runs) {
    for (int rep = 0; rep < 20; ++rep)
      pool.ParallelFor(25, [&](int c, int) { (*runs)[static_cast<size_t>(rep * 25 + c)]++; });
  };
  if (ThreadPool::ThreadsAvailable()) {
    std::thread other(job, &b);
    job(&a);
    other.join();
  } else {
    job(&a);
    job(&b);
  }
  for (auto& r : a) EXPECT_EQ(r.load(), 1);
  for (auto& r : b) EXPECT_EQ(r.load(), 1);
}

TEST(ThreadPool, ThreadCountChangesBetweenCallsAndIsClamped) {
  ThreadPool pool(2);
  std::atomic<int> sum{0};
  for (int t : {1, 4, 2, 3, 1, 0, 1000, -1}) {
    EXPECT_NO_THROW(pool.set_threads(t));
    const int expect = !ThreadPool::ThreadsAvailable() ? 1
                       : t <= 0                        ? ThreadPool::HardwareThreads()
                                                       : std::min(t, ThreadPool::MaxThreads());
    EXPECT_EQ(pool.threads(), expect) << "asked " << t;
    sum = 0;
    EXPECT_NO_THROW(pool.ParallelFor(100, [&](int c, int) { sum += c; }));
    EXPECT_EQ(sum.load(), 4950);
  }
}

TEST(ThreadPool, EngineThreadsSetAndRead) {
  EngineThreadsGuard guard;
  SetEngineThreads(3);
  EXPECT_EQ(EngineThreads(), ThreadPool::ThreadsAvailable() ? 3 : 1);
  SetEngineThreads(1);
  EXPECT_EQ(EngineThreads(), 1);
  SetEngineThreads(0);
  EXPECT_EQ(EngineThreads(), ThreadPool::HardwareThreads());
}

TEST(ThreadPool, ProfilingCountsOnlyRegionsThatMaySplit) {
  // The bench's split of serial and parallel time: a region limited to 1 worker is serial
  // and not counted; one that may split is; nothing is counted once profiling is off.
  ThreadPool pool(1);
  volatile double sink = 0;
  auto spin = [&](int, int) {
    for (int i = 0; i < 2000000; ++i) sink = sink + 1e-9 * i;
  };
  pool.set_profiling(true);
  pool.ParallelFor(4, spin, 1);
  EXPECT_EQ(pool.profiled_seconds(), 0.0);
  pool.ParallelFor(4, spin);
  const double counted = pool.profiled_seconds();
  EXPECT_GT(counted, 0.0);
  pool.set_profiling(false);
  pool.ParallelFor(4, spin);
  EXPECT_EQ(pool.profiled_seconds(), counted);
}

// ---- the GEMM ---------------------------------------------------------------------------------

// C from gemm_4x8_parallel on `threads` threads, with leading dimensions wider than the
// matrices (lda = k + 3, ldb = n + 5, ldc = n + 2) and C prefilled with a marker so
// writes outside [m, n] are seen.
std::vector<float> ParallelGemm(int m, int n, int k, int threads, bool bias) {
  const int lda = k + 3, ldb = n + 5, ldc = n + 2;
  const std::vector<float> a = Random(static_cast<size_t>(m) * lda, 1 + m);
  const std::vector<float> b = Random(static_cast<size_t>(k) * ldb, 2 + n);
  const std::vector<float> bs = Random(static_cast<size_t>(m), 3 + k);
  std::vector<float> c(static_cast<size_t>(m) * ldc, 12345.0f);
  std::vector<float> ws(gemm_workspace_size(m, n, k));
  ThreadPool pool(threads);
  gemm_4x8_parallel(m, n, k, a.data(), lda, b.data(), ldb, bias ? bs.data() : nullptr, c.data(),
                    ldc, ws.data(), &pool);
  return c;
}

TEST(GemmParallel, BitIdenticalToOneThreadAndToTheReferenceOnOddShapes) {
  const int sizes[] = {1, 3, 7, 13, 127};
  for (int m : sizes)
    for (int n : sizes)
      for (int k : sizes) {
        const bool bias = (m + n + k) % 2 == 0;
        const std::vector<float> one = ParallelGemm(m, n, k, 1, bias);
        // Independent of the pool: the scalar reference (gemm.h: bit for bit the same).
        const int lda = k + 3, ldb = n + 5, ldc = n + 2;
        const std::vector<float> a = Random(static_cast<size_t>(m) * lda, 1 + m);
        const std::vector<float> b = Random(static_cast<size_t>(k) * ldb, 2 + n);
        const std::vector<float> bs = Random(static_cast<size_t>(m), 3 + k);
        std::vector<float> ref(static_cast<size_t>(m) * ldc, 12345.0f);
        gemm_ref(m, n, k, a.data(), lda, b.data(), ldb, bias ? bs.data() : nullptr, ref.data(),
                 ldc);
        ASSERT_TRUE(SameBits(one, ref)) << m << "x" << n << "x" << k;
        for (int t = 2; t <= 4; ++t)
          ASSERT_TRUE(SameBits(ParallelGemm(m, n, k, t, bias), one))
              << m << "x" << n << "x" << k << " on " << t << " threads";
      }
}

TEST(GemmParallel, BitIdenticalOnLargeShapesWhereEveryWorkerHasWork) {
  // 300×260×300 splits by columns (33 panels); 8×1000×700 by columns too; 1000×8×700 has a
  // single column panel and splits by rows; 255×9×513 by both.
  const int shapes[][3] = {{300, 260, 300}, {8, 1000, 700}, {1000, 8, 700}, {255, 9, 513}};
  for (const auto& s : shapes) {
    const std::vector<float> one = ParallelGemm(s[0], s[1], s[2], 1, true);
    for (int t = 2; t <= 4; ++t)
      ASSERT_TRUE(SameBits(ParallelGemm(s[0], s[1], s[2], t, true), one))
          << s[0] << "x" << s[1] << "x" << s[2] << " on " << t << " threads";
  }
}

TEST(GemmParallel, PackingSplitByPanelGivesTheSameBytes) {
  const int m = 301, n = 299, k = 517;
  const std::vector<float> a = Random(static_cast<size_t>(m) * k, 7);
  const std::vector<float> b = Random(static_cast<size_t>(k) * n, 8);
  std::vector<float> pa1(gemm_packed_a_size(m, k)), pb1(gemm_packed_b_size(k, n));
  gemm_pack_a(m, k, a.data(), k, pa1.data());
  gemm_pack_b(k, n, b.data(), n, pb1.data());
  for (int t = 2; t <= 4; ++t) {
    ThreadPool pool(t);
    std::vector<float> pa(pa1.size(), 9.0f), pb(pb1.size(), 9.0f);
    gemm_pack_a_parallel(m, k, a.data(), k, pa.data(), &pool);
    gemm_pack_b_parallel(k, n, b.data(), n, pb.data(), &pool);
    EXPECT_TRUE(SameBits(pa, pa1)) << t << " threads";
    EXPECT_TRUE(SameBits(pb, pb1)) << t << " threads";
  }
}

// ---- the Network ------------------------------------------------------------------------------

// Everything a step leaves behind: the output, every parameter's gradient, every layer's
// activation gradient (for the batch), the loss.
struct StepResult {
  std::vector<float> out, grads, dacts;
  float loss = 0;
};

StepResult ConvStep(int threads, int stride, int batch) {
  EngineThreadsGuard guard;
  SetEngineThreads(threads);
  Network net;
  net.AddConv2d(6, 3, 1, 1).AddReLU().AddConv2d(10, 5, stride, 2).AddTanh().SetLoss(LossKind::kMse);
  EXPECT_EQ(net.Build({3, 19, 21}, batch), "");
  net.InitParams(42);
  const std::vector<float> x = Random(static_cast<size_t>(batch) * net.input_size(), 5);
  const std::vector<float> y = Random(static_cast<size_t>(batch) * net.output_size(), 6);
  StepResult r;
  const float* out = net.Forward(x.data(), batch);
  EXPECT_NE(out, nullptr);
  r.out.assign(out, out + static_cast<size_t>(batch) * net.output_size());
  r.loss = net.BackwardMse(y.data());
  r.grads.assign(net.grads(), net.grads() + net.param_count());
  for (int i = 0; i < net.num_layers(); ++i) {
    size_t n = static_cast<size_t>(batch);
    for (int d : net.layer_shape(i)) n *= static_cast<size_t>(d);
    r.dacts.insert(r.dacts.end(), net.layer_grad(i), net.layer_grad(i) + n);
  }
  return r;
}

TEST(NetworkParallel, ConvForwardAndBackwardBitIdenticalOn1To4Threads) {
  // Stride 1 (input gradient as a conv) and stride 2 (Wᵀ·dOut and col2im); batch 1 splits
  // the forward GEMM itself, batch 9 splits by sample.
  for (int stride : {1, 2})
    for (int batch : {1, 9}) {
      const StepResult one = ConvStep(1, stride, batch);
      ASSERT_FALSE(one.out.empty());
      for (int t = 2; t <= 4; ++t) {
        const StepResult r = ConvStep(t, stride, batch);
        EXPECT_TRUE(SameBits(r.out, one.out)) << "stride " << stride << " batch " << batch;
        EXPECT_TRUE(SameBits(r.grads, one.grads)) << "stride " << stride << " batch " << batch;
        EXPECT_TRUE(SameBits(r.dacts, one.dacts)) << "stride " << stride << " batch " << batch;
        EXPECT_EQ(std::memcmp(&r.loss, &one.loss, sizeof(float)), 0);
      }
    }
}

// ConvNetJS's MNIST net at 28×28 (the cnn lab's Fashion set-up, CnnFashionSetup): conv 8
// 5×5 same, relu, pool 2, conv 16 5×5 same, relu, pool 2, dense 10; Adam lr 0.002. Batch 8
// (the lab trains at 32; 8 keeps the sanitizer builds quick and still gives every layer
// enough work to split). 20 steps on fixed random images; the weights after them, the 20
// losses, and how many jobs the engine's pool handed to its workers.
struct Trained {
  std::vector<float> initial, params;
  std::vector<float> losses;
  unsigned long jobs = 0;
};
Trained TrainMnistNet(int threads) {
  EngineThreadsGuard guard;
  SetEngineThreads(threads);
  constexpr int kBatch = 8, kSteps = 20;
  Network net;
  net.AddConv2d(8, 5, 1, 2).AddReLU().AddMaxPool2d(2);
  net.AddConv2d(16, 5, 1, 2).AddReLU().AddMaxPool2d(2);
  net.AddFlatten().AddDense(10).SetLoss(LossKind::kSoftmaxCrossEntropy);
  EXPECT_EQ(net.Build({1, 28, 28}, kBatch), "");
  net.InitParams(2026);
  Adam adam(0.002f);
  adam.Build(net);
  Pcg32 rng(77);
  std::vector<float> x(static_cast<size_t>(kBatch) * 28 * 28);
  std::vector<int> y(kBatch);
  Trained t;
  const unsigned long jobs0 = EnginePool().jobs();
  t.initial.assign(net.params(), net.params() + net.param_count());
  for (int step = 0; step < kSteps; ++step) {
    for (float& v : x) v = rng.NextFloat01();
    for (int& c : y) c = static_cast<int>(rng.NextFloat01() * 10.0f) % 10;
    t.losses.push_back(net.TrainStep(x.data(), y.data(), kBatch));
    adam.Step(&net);
  }
  t.params.assign(net.params(), net.params() + net.param_count());
  t.jobs = EnginePool().jobs() - jobs0;
  return t;
}

TEST(NetworkParallel, MnistNet20TrainingStepsBitIdenticalOn1To4Threads) {
  const Trained one = TrainMnistNet(1);
  ASSERT_EQ(one.losses.size(), 20u);
  // The run trains (the loss falls from about ln 10) and the weights moved: the comparison
  // below is between real training runs, not two untouched nets.
  EXPECT_NEAR(one.losses.front(), 2.30f, 0.2f);
  EXPECT_FALSE(SameBits(one.params, one.initial));
  for (int t = 1; t <= 4; ++t) {
    const Trained r = TrainMnistNet(t);
    EXPECT_TRUE(SameBits(r.params, one.params)) << t << " threads";
    EXPECT_TRUE(SameBits(r.losses, one.losses)) << t << " threads";
    // The threaded runs did use the workers (the inline pool of a wasm build has none).
    if (t == 1 || !ThreadPool::ThreadsAvailable())
      EXPECT_EQ(r.jobs, 0u) << t << " threads";
    else
      EXPECT_GE(r.jobs, 20u * 4) << t << " threads";  // 6 jobs a step here
  }
}

}  // namespace
}  // namespace nnplay
