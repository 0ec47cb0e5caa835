// thread_pool.h: a small fixed pool of threads and a ParallelFor over numbered chunks.
//
// Determinism: the engine splits work only across outputs (a chunk writes its own outputs,
// each with its sums in the single-threaded order), so a result does not depend on how many
// threads ran it or which thread ran which chunk: threaded results are bit-identical to
// single-threaded ones for every thread count, and share links replay exactly anywhere.
//
// Partition (static, no work stealing): with W workers (W = min(threads, n_chunks,
// max_workers)), worker w runs chunks [w·n/W, (w+1)·n/W) in increasing order; worker 0 is
// the calling thread. fn(chunk, worker) gets the worker index (0..W−1), so a caller can give
// each worker its own scratch.
//
// Threads: std::thread natively and in an Emscripten -pthread build (nnplay_engine_mt, for the
// trainer worker's threaded flavour and engine_tests_mt). There a thread needs a Worker that
// was started before main (a new Worker cannot load while the calling thread waits): a
// module on nnplay_engine_mt links -sPTHREAD_POOL_SIZE of at least threads − 1, and
// MaxThreads() there is NNPLAY_WASM_POOL_SIZE (8). Where threads are unavailable
// (the normal wasm build) everything runs inline on the calling thread, as it does for a
// pool of 1. Threads are created on first use, not before; a thread that cannot be created
// leaves the pool with fewer (never an error).
//
// Use from anywhere: a ParallelFor inside a chunk (nested), or from a second thread while
// the pool is busy, runs inline on its caller (worker 0 of 1). n_chunks ≤ 0 does nothing.
// fn must not throw (the engine's kernels do not).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace nnplay {

class ThreadPool {
 public:
  // threads in [1, MaxThreads()] (clamped); 0 means HardwareThreads().
  explicit ThreadPool(int threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  static constexpr int kMaxThreads = 64;
  // kMaxThreads natively, NNPLAY_WASM_POOL_SIZE in a wasm -pthread build, 1 without threads.
  static int MaxThreads();
  // Whether this build can run threads at all (false in a wasm build without -pthread).
  static bool ThreadsAvailable();
  // std::thread::hardware_concurrency() clamped to [1, MaxThreads()].
  static int HardwareThreads();

  // Threads a ParallelFor may use (the calling one included). Changing it joins the current
  // workers (outside a ParallelFor); new ones start on the next use.
  void set_threads(int threads);
  int threads() const { return threads_.load(std::memory_order_relaxed); }

  // Runs fn(chunk, worker) once for every chunk in [0, n_chunks), on at most max_workers
  // workers (≤ 0: no limit), and returns when all have run. See the partition above.
  template <typename F>
  void ParallelFor(int n_chunks, F&& fn, int max_workers = 0) {
    using Fn = std::remove_reference_t<F>;
    Run(n_chunks, max_workers, &Trampoline<Fn>, const_cast<void*>(static_cast<const void*>(&fn)));
  }

  // Jobs handed to worker threads so far (ParallelFor calls that did not run inline).
  unsigned long jobs() const;

  // For the bench (bench/threads_bench.cpp): while on, the calling thread's CPU time inside
  // every outermost ParallelFor that may split (max_workers ≠ 1) is summed, so on 1 thread
  // a run's parallel part P and serial part S = total − P can be told apart. Turning it on
  // clears the sum; turning it off keeps it.
  void set_profiling(bool on);
  double profiled_seconds() const;

  // Workers a ParallelFor(n_chunks, ..., max_workers) would use right now.
  int WorkersFor(int n_chunks, int max_workers = 0) const;

 private:
  using ChunkFn = void (*)(void* ctx, int chunk, int worker);
  template <typename F>
  static void Trampoline(void* ctx, int chunk, int worker) {
    (*static_cast<F*>(ctx))(chunk, worker);  // F may be const: called as it was passed
  }
  void Run(int n_chunks, int max_workers, ChunkFn fn, void* ctx);
  void RunJob(int n_chunks, int max_workers, ChunkFn fn, void* ctx);
  void StartWorkers();  // with mu_ held
  void StopWorkers();
  void WorkerLoop(int worker);

  std::atomic<int> threads_{1};
  std::mutex run_mu_;      // one ParallelFor at a time uses the workers
  mutable std::mutex mu_;  // guards the job below and the workers' start/stop
  std::condition_variable start_cv_, done_cv_;
  std::vector<std::thread> workers_;
  // The current job.
  unsigned long generation_ = 0;
  bool stop_ = false;
  ChunkFn fn_ = nullptr;
  void* ctx_ = nullptr;
  int n_chunks_ = 0, n_workers_ = 0, pending_ = 0;
  unsigned long jobs_ = 0;
  std::atomic<bool> profiling_{false};
  std::atomic<long long> profiled_ns_{0};
};

// The calling thread's CPU time in ns (wall time in wasm): the clock of set_profiling.
long long ThreadPoolCpuNs();

// The engine's pool (Network's kernels use it). Created on first use with HardwareThreads().
ThreadPool& EnginePool();
// Threads the engine uses: clamped to [1, MaxThreads()] (and to 1 where threads are
// unavailable); 0 means HardwareThreads(). The CLI's --threads and the trainer set it.
void SetEngineThreads(int threads);
int EngineThreads();

// Work below this many multiply-adds (or element operations) runs on one thread: waking
// the pool costs about as much (small playground nets pay nothing for threads).
constexpr double kParallelMinWork = 1 << 17;

}  // namespace nnplay
